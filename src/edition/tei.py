"""A :class:`~edition.model.Document` as a TEI file, and the checks on existing files.

Serialisation is deterministic (fixed attribute order from construction, two-
space indentation, UTF-8, final newline) so the same source always gives the
same bytes. The last line of every file the converter writes is a processing
instruction with the SHA-256 of everything before it: a file whose content no
longer matches was edited by hand and is never overwritten silently.
"""

from __future__ import annotations

import hashlib
import re

from lxml import etree

from edition import lxmltypes
from edition.errors import FORCE_WAY_OUT
from edition.model import Document, Publication
from edition.tei_body import TEI_NS, XML_NS, build_text
from edition.tei_header import build_header

CHECKSUM_PI = "edition-checksum"

# Where an XML editor (oXygen, VS Code's XML support) finds the schemas to check a file
# as it is edited: the W3C's xml-model processing instruction. The path is relative, and
# right in both places the files are read from: this repository keeps schema/ beside
# tei/, and the site publishes schema/ beside its tei/ downloads (edition.build).
SCHEMA_HREF = "../schema/"
SCHEMA_MODELS = (
    ("edition.rng", "http://relaxng.org/ns/structure/1.0"),
    ("edition.sch", "http://purl.oclc.org/dsdl/schematron"),
)
_CHECKSUM_LINE = re.compile(rb"<\?" + CHECKSUM_PI.encode() + rb' sha256="(?P<hex>[0-9a-f]{64})"\?>\n?\Z')


def build_tei(doc: Document, publication: Publication = Publication()) -> etree._Element:
    # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
    root = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})  # type: ignore[dict-item]
    root.set(f"{{{XML_NS}}}id", doc.id)
    root.set(f"{{{XML_NS}}}lang", "en")
    header = build_header(doc, publication)
    text = build_text(doc.parts)
    _declare_hands(header, text)
    root.append(header)
    root.append(text)
    for name, schematypens in SCHEMA_MODELS:
        model = etree.ProcessingInstruction(
            "xml-model", f'href="{SCHEMA_HREF}{name}" type="application/xml" schematypens="{schematypens}"')
        root.addprevious(model)
    return root


HANDS = {
    "handwritten": "An unidentified hand: handwriting in the scan (annotations, resolutions, signatures) "
    "that the export marks as handwritten or in italics.",
}


_HAND_POINTERS = etree.XPath("//@hand", smart_strings=False)  # plain strings: no tree links to make


def _declare_hands(header: etree._Element, text: etree._Element) -> None:
    """Give every local @hand pointer of the text a handNote to point at."""
    used = sorted({h[1:] for h in lxmltypes.strings(_HAND_POINTERS(text)) if h.startswith("#")})
    if not used:
        return
    profile = header.find(f"{{{TEI_NS}}}profileDesc")
    assert profile is not None
    notes = etree.SubElement(profile, f"{{{TEI_NS}}}handNotes")
    for ident in used:
        note = etree.SubElement(notes, f"{{{TEI_NS}}}handNote")
        note.set(f"{{{XML_NS}}}id", ident)
        note.text = HANDS.get(ident, "A hand named by the export.")


# A footnote at its reference, or a pointer to one: it stands right after the word or mark
# it is on ("3 March 1956[^6]"), so no whitespace goes before it.
_REFERENCES = {f"{{{TEI_NS}}}note", f"{{{TEI_NS}}}ptr"}
# Where a footnote nothing refers to stands as a block of its own, between blocks.
_BLOCK_HOLDERS = {f"{{{TEI_NS}}}{name}" for name in ("body", "div", "opener", "closer", "postscript", "front", "back")}


def _holds_reference(el: etree._Element, children: list[etree._Element]) -> bool:
    """Whether ``el`` (with ``children``) is phrase-level content holding a footnote reference
    after another element (a dateline's date, then its note): element-only, but mixed
    content all the same."""
    return el.tag not in _BLOCK_HOLDERS and any(
        child.tag in _REFERENCES and child.get("type") == "footnote" for child in children[1:])


def indent(el: etree._Element, level: int = 0) -> None:
    """Indent element-only content; leave mixed content exactly as built.

    lxml's own ``indent`` also adds whitespace inside mixed content (after the
    last child of a paragraph), which would change the text of the edition.
    """
    text = el.text
    if text and text.strip():
        return  # mixed content
    # The children taken once, for the test and the indenting: each pass over an
    # element's children makes a Python object for each child.
    children = list(el)
    if not children:
        return
    for child in children:
        tail = child.tail
        if tail and tail.strip():
            return  # mixed content
    if _holds_reference(el, children):
        return
    inner = "\n" + "  " * (level + 1)
    el.text = inner
    for child in children:
        if len(child):  # a leaf has nothing to indent: not called for (most of a body's are)
            indent(child, level + 1)
        child.tail = inner
    children[-1].tail = "\n" + "  " * level


def serialize(root: etree._Element) -> bytes:
    """Deterministic bytes for a TEI tree (with the processing instructions before its
    root), ending with the checksum line."""
    indent(root)
    body = etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True)
    body = body.replace(b"<?xml version='1.0' encoding='UTF-8'?>", b'<?xml version="1.0" encoding="UTF-8"?>', 1)
    digest = hashlib.sha256(body).hexdigest()
    return body + f'<?{CHECKSUM_PI} sha256="{digest}"?>\n'.encode()


def checksum_state(data: bytes) -> str:
    """'intact' if the file is as the converter wrote it, 'edited' or 'foreign' otherwise."""
    m = _CHECKSUM_LINE.search(data)
    if m is None:
        return "foreign"
    content = data[: m.start()]
    return "intact" if hashlib.sha256(content).hexdigest() == m["hex"].decode() else "edited"


def converted_from(root: etree._Element) -> str | None:
    """The SHA-256 of the export a TEI file (its root, ``root``) says it was converted from
    (its header's ``bibl[@type='export']/idno[@type='sha256']``); None when it says none.
    A file edited by hand is untrusted XML: the caller parses it with
    :func:`edition.xmlsafe.parse_bytes`, and one that cannot be read says nothing of its
    source (and must not be taken to name another)."""
    found = root.findtext(f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}sourceDesc/"
                          f"{{{TEI_NS}}}bibl[@type='export']/{{{TEI_NS}}}idno[@type='sha256']")
    return (found or "").strip() or None


def address_drift(root: etree._Element, publication: Publication) -> str | None:
    """What a TEI file (its root, ``root``) kept as edited by hand says of its address in the
    edition (publicationStmt's idno type="edition-url") that the configuration
    (``site.base_url``) does not, in words that tell the editor what to change; None when
    they agree. A harvester and every downloaded copy take the address from the file, so a
    kept file converted before the edition moved would send readers to the old site."""
    publication_stmt = f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}publicationStmt"
    found = [(e.text or "").strip() for e in root.iterfind(f"{publication_stmt}/{{{TEI_NS}}}idno[@type='edition-url']")]
    wanted = publication.document_url(root.get(f"{{{XML_NS}}}id") or "")
    if found == ([wanted] if wanted else []):
        return None
    if not wanted:
        return (f"its header gives the address {', '.join(found)}, but site.base_url names no public address of the "
                f"edition: delete publicationStmt/idno[@type='edition-url'], {FORCE_WAY_OUT}")
    element = f'<idno type="edition-url">{wanted}</idno>'
    if not found:
        return (f"its header gives no address in the edition, which site.base_url gives every document: add "
                f"{element} after publicationStmt's idno type=\"edition\", {FORCE_WAY_OUT}")
    return (f"its header gives the address {', '.join(found)}, not {wanted} (from site.base_url): make it "
            f"publicationStmt's one {element}, {FORCE_WAY_OUT}")


def licence_drift(root: etree._Element, publication: Publication) -> str | None:
    """What a TEI file (its root, ``root``) kept as edited by hand lacks of the licence the configuration names
    (``convert.licence``), in words that tell the editor what to change; None when its
    header gives that licence (or none, when none is configured). The converter writes the
    configured licence into every file it converts, but a file it keeps is the editor's: one
    converted before licences were written, or before the configuration changed, would
    otherwise be published (page, oai_dc) under other terms than the rest, and nothing
    would say so."""
    availability = f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc/{{{TEI_NS}}}publicationStmt/{{{TEI_NS}}}availability"
    targets = [(e.get("target") or "").strip() for e in root.iterfind(f"{availability}/{{{TEI_NS}}}licence")]
    wanted = publication.licence
    if targets == ([wanted] if wanted else []):
        return None
    if not wanted:
        return (f"its header gives the licence {', '.join(targets)}, but convert.licence names none: delete "
                f"publicationStmt/availability/licence, {FORCE_WAY_OUT}")
    element = f'<licence target="{wanted}">…</licence> (its words: convert.licence_statement)'
    if not targets:
        return (f"its header gives no licence of the edition's encoding, which convert.licence names for every "
                f"document: add {element} as the first child of publicationStmt/availability (an availability "
                f"after publicationStmt's idnos, if it has none), {FORCE_WAY_OUT}")
    return (f"its header gives the licence {', '.join(targets)}, not convert.licence's {wanted}: make it "
            f"publicationStmt/availability's one {element}, {FORCE_WAY_OUT}")

