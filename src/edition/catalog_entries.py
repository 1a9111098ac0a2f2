"""What the harvesting catalog records of each document, read from its TEI file before
anything is written: its id, its oai_dc (from ``xslt/dc.xsl``), its OAI sets and the
hash of all three (:class:`Entry`), or that it is unchanged (:class:`Unchanged`).

The build's render workers make each document's part (:func:`document_part`) while
they hold its trees; :func:`plan_entries` and :func:`read_entries` make the rest,
``BATCH`` documents to a run of the stylesheet. :mod:`edition.catalog` writes them.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from edition import lxmltypes, xmlsafe
from edition.config import Config
from edition.errors import EditionError
from edition.model import DOCUMENT_PAGE

TEI_NS = "http://www.tei-c.org/ns/1.0"
ED_NS = "https://edition.example/ns"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"tei": TEI_NS}

# A record id becomes part of an OAI identifier (an anyURI) and of URLs. \Z, not $, which
# would let a final newline through.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}\Z")
# OAI-PMH setSpecType: [A-Za-z0-9\-_\.!~\*'\(\)]+(:[A-Za-z0-9\-_\.!~\*'\(\)]+)*
_SPEC_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")

# Top-level sets: spec -> name.
SET_ROOTS: dict[str, str] = {
    "type": "Document type",
    "lang": "Original language",
    "archive": "Holding archive",
}


class CatalogError(EditionError):
    """The catalog file or one of the documents going into it is unusable."""


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


# What a record's hash is made of (see record_hash); the catalog recomputes the hashes it
# holds when this changes (edition.catalog._rehash), so that no datestamp moves for it.
HASH_SCHEME = "2"


def served_digest(root: etree._Element) -> str:
    """The SHA-256 of a TEI document as the OAI-PMH ``tei`` format disseminates it: its
    root element, without what lies outside it in the file (the XML declaration, the
    xml-model processing instructions, comments) and however its tags were spelled,
    none of which a harvester receives. (Whitespace and text inside it are served.)"""
    return hashlib.sha256(etree.tostring(root, encoding="UTF-8")).hexdigest()


def record_hash(served: str, oai_dc: bytes, specs: str) -> str:
    """The hash of everything disseminated about a record: its TEI as served (``served``,
    see :func:`served_digest`), its oai_dc and its sets (space-separated specs). Its
    datestamp moves when, and only when, this does (OAI-PMH 2.0, section 2.7.1)."""
    digest = hashlib.sha256()
    for part in (served.encode(), oai_dc, specs.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """What the catalog stores about one TEI document, computed before any write."""

    id: str
    source: str
    tei: bytes
    oai_dc: bytes
    sets: tuple[SetInfo, ...]
    hash: str = field(init=False)
    # The SHA-256 of ``tei``, when the caller has just checked the bytes against it (the
    # catalog stage does, for every document: a third hash of each was a tenth of its time).
    tei_sha: str = ""
    # served_digest() of ``tei``, from a caller that holds its parsed tree; else ``tei`` is
    # parsed for it.
    served: str = ""

    def __post_init__(self) -> None:
        if not self.tei_sha:
            object.__setattr__(self, "tei_sha", hashlib.sha256(self.tei).hexdigest())
        if not self.served:
            object.__setattr__(self, "served", served_digest(xmlsafe.parse_bytes(self.tei, self.source).getroot()))
        object.__setattr__(self, "hash", record_hash(self.served, self.oai_dc, " ".join(s.spec for s in self.sets)))


@dataclass(frozen=True)
class Unchanged:
    """A document whose TEI bytes are those the catalog already holds, read under the
    same mapping and code: nothing about its record can have changed, so it is
    neither parsed nor transformed again (a rebuild of 10,000 documents after one
    correction touches one record)."""

    id: str
    source: str


def document_url(config: Config, doc_id: str) -> str:
    """Public URL of a document's reading page (as ``BuildContext.page_url`` makes it)."""
    return f"{config.base_url}{DOCUMENT_PAGE.format(id=doc_id)}"


def _slug(text: str, *, lower: bool = True) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if lower:
        ascii_text = ascii_text.lower()
    return re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.")


def _text(node: etree._Element) -> str:
    return " ".join(lxmltypes.text(node).split())


def derive_sets(root: etree._Element) -> tuple[SetInfo, ...]:
    """Set membership from the TEI header: document type, original language, archive."""
    found: dict[str, str] = {}

    def add(root_spec: str, value: str, name: str, *, lower: bool = True) -> None:
        slug = _slug(value, lower=lower)
        if not slug or not _SPEC_PART.match(slug):
            return
        found.setdefault(root_spec, SET_ROOTS[root_spec])
        found.setdefault(f"{root_spec}:{slug}", name)

    header = root.find("tei:teiHeader", NS)
    if header is None:
        return ()
    for term in header.iterfind("tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='doctype']", NS):
        label = _text(term)
        if label:
            add("type", label, label[:1].upper() + label[1:])

    language_names = {
        lang.get("ident"): _text(lang)
        for lang in header.iterfind("tei:profileDesc/tei:langUsage/tei:language", NS)
        if lang.get("ident")
    }
    originals: list[str] = []
    for text_lang in header.iterfind(".//tei:msContents/tei:textLang", NS):
        originals += [text_lang.get("mainLang", "")] + text_lang.get("otherLangs", "").split()
        if text_lang.get("mainLang") and _text(text_lang):
            language_names.setdefault(text_lang.get("mainLang"), _text(text_lang))
    if not any(originals):
        originals = [
            div.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            for div in root.iterfind("tei:text/tei:body//tei:div[@type='original']", NS)
        ]
    for code in originals:
        if code:
            add("lang", code, language_names.get(code) or code, lower=False)

    for ident in header.iterfind("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier", NS):
        repository = ident.find("tei:repository", NS)
        repo_name = _text(repository) if repository is not None else ""
        # The acronym is the repository's key; the archive: setSpecs are named from it. Files
        # converted before 2026-12-07 have it as an idno (ed-acronym-idno warns of it).
        short = " ".join((repository.get("key") or "").split()) if repository is not None else ""
        if not short and (old_style := ident.find("tei:idno[@type='acronym']", NS)) is not None:
            short = _text(old_style)
        if short:
            add("archive", short, f"{repo_name} ({short})" if repo_name else short)
        elif repo_name:
            add("archive", repo_name, repo_name)
    return tuple(SetInfo(spec, found[spec]) for spec in sorted(found))


@dataclass(frozen=True)
class _Document:
    """A TEI file read and checked, waiting for its Dublin Core."""

    path: Path
    data: bytes
    root: etree._Element
    id: str


# Documents per Saxon call: one transform per document costs more in start-up than
# in work, so the catalog sends the headers of many documents at once.
BATCH = 200


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None


def _load(path: Path, data: bytes | None, root: etree._Element | None = None) -> _Document:
    if root is not None and data is not None:
        return _checked(path, data, root)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    try:
        # TEI files may be edited by hand: no DTDs, entities or bombs (and the
        # bytes go on to Saxon, whose parser would honour a DTD).
        root = xmlsafe.parse_bytes(data, path).getroot()
    except EditionError as exc:
        raise CatalogError(exc.message, path, exc.line) from None
    return _checked(path, data, root)


def _checked(path: Path, data: bytes, root: etree._Element) -> _Document:
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise CatalogError(f"root element is {root.tag}, not TEI", path, lxmltypes.sourceline(root))
    doc_id = root.get(XML_ID, "")
    if not _ID.match(doc_id):
        raise CatalogError(
            f"TEI/@xml:id {doc_id!r} is missing or not usable as a record id "
            "(letters, digits, '.', '_' and '-', starting with a letter or digit)",
            path,
            lxmltypes.sourceline(root),
        )
    if root.find("tei:teiHeader", NS) is None:
        raise CatalogError("the TEI element has no teiHeader", path, lxmltypes.sourceline(root))
    return _Document(path, data, root, doc_id)


def _corpus(docs: Sequence[_Document]) -> bytes:
    """What dc.xsl reads of each document: the TEI element's attributes, the header,
    the textLang elements elsewhere (their attributes, in document order) and the types
    and languages of the text's divisions (not their text). dc.xsl gives the same
    record for this copy as for the whole document (tests/test_harvest_catalog.py)."""
    # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
    corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})  # type: ignore[dict-item]
    for doc in docs:
        tei = etree.SubElement(corpus, f"{{{TEI_NS}}}TEI", lxmltypes.attributes(doc.root))
        header = doc.root.find("tei:teiHeader", NS)
        assert header is not None, "_checked refuses a TEI element without a teiHeader"
        tei.append(copy.deepcopy(header))
        text = etree.SubElement(tei, f"{{{TEI_NS}}}text")
        for lang in doc.root.iter(f"{{{TEI_NS}}}textLang"):
            if header not in lang.iterancestors():
                etree.SubElement(text, lang.tag, lxmltypes.attributes(lang))
        body = etree.SubElement(text, f"{{{TEI_NS}}}body")
        for div in doc.root.iterfind("tei:text//tei:div", NS):
            etree.SubElement(body, f"{{{TEI_NS}}}div", {k: v for k, v in lxmltypes.attributes(div).items()
                                                       if k in {"type", XML_LANG}})
    return etree.tostring(corpus, encoding="UTF-8")


def _dublin_core_of(doc: _Document, config: Config, tree: Any, transform: Any = None) -> bytes:
    """oai_dc of one document from Saxon's tree of all of it (``tree``, parsed from
    ``doc.data``), where a build has that tree already: the bytes the batch path of
    :func:`_dublin_core` gives, without copying and parsing the header again."""
    if transform is None:
        from edition.transform import transformer

        transform = transformer()
    result = transform.apply("dc.xsl", tree, {"document-url-template": document_url(config, "{id}")}, origin=doc.path)
    dc = etree.fromstring(result.encode("utf-8"))
    etree.cleanup_namespaces(dc)
    return etree.tostring(dc, encoding="UTF-8")


def _dublin_core(docs: Sequence[_Document], config: Config, transform=None) -> dict[str, bytes]:
    """oai_dc of each document (by id), ``BATCH`` documents per run of dc.xsl."""
    if transform is None:
        from edition.transform import transformer

        transform = transformer()
    from edition.transform import TransformError

    params = {"document-url-template": document_url(config, "{id}")}
    found: dict[str, bytes] = {}
    for start in range(0, len(docs), BATCH):
        batch = docs[start:start + BATCH]
        try:
            result = transform.apply("dc.xsl", transform.parse(_corpus(batch), batch[0].path, keep=False), params,
                                     origin=batch[0].path)
        except TransformError:
            if len(batch) == 1:
                raise
            # Find the document at fault, so the error names its file.
            for doc in batch:
                found.update(_dublin_core([doc], config, transform))
            continue
        for record in etree.fromstring(result.encode("utf-8")).iterfind(f"{{{ED_NS}}}record"):
            dc = copy.deepcopy(record[0])
            etree.cleanup_namespaces(dc)
            # Stored without an XML declaration: it is spliced into responses as an element.
            doc_id = record.get("id")
            assert doc_id is not None, "dc.xsl gives every ed:record the id of its document"
            found[doc_id] = etree.tostring(dc, encoding="UTF-8")
    return found


def read_entry(path: Path, config: Config, transform=None, data: bytes | None = None) -> Entry:
    """Everything the catalog stores about the TEI file at ``path`` (whose bytes may be given)."""
    doc = _load(path, data)
    oai_dc = _dublin_core([doc], config, transform)[doc.id]
    return Entry(id=doc.id, source=path.name, tei=doc.data, oai_dc=oai_dc, sets=derive_sets(doc.root),
                 served=served_digest(doc.root))


@dataclass(frozen=True)
class CatalogPart:
    """What the catalog derives from one TEI file's bytes (its id, oai_dc and sets),
    made where the file is already parsed (a build's render worker) so that the
    edition-wide update only assembles (picklable)."""

    id: str
    sha: str  # SHA-256 of the bytes it was made from
    oai_dc: bytes
    sets: tuple[SetInfo, ...]
    served: str  # served_digest() of the document


def document_part(path: Path, data: bytes, config: Config, root: etree._Element | None = None,
                  tree: Any = None) -> CatalogPart:
    """The :class:`CatalogPart` of one TEI file; raises :class:`CatalogError` as an update would.
    ``root``: the file already parsed from ``data`` by lxml (it is not changed); ``tree``:
    by Saxon, with the default stylesheets' transformer."""
    doc = _load(path, data, root)
    oai_dc = _dublin_core_of(doc, config, tree) if tree is not None else _dublin_core([doc], config)[doc.id]
    return CatalogPart(doc.id, hashlib.sha256(data).hexdigest(), oai_dc, derive_sets(doc.root), served_digest(doc.root))


def read_entries(
    paths: Iterable[Path],
    config: Config,
    contents: dict[Path, bytes] | None = None,
    reuse: Mapping[str, tuple[str, bytes]] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
    shas: dict[Path, str] | None = None,
) -> list[Entry | Unchanged]:
    """Entries of the files; with ``known`` (source file name -> record id and TEI
    hash, see :func:`_known_sources`), files whose hash matches become :class:`Unchanged`.
    ``shas`` may give the files' hashes (the build knows them). ``reuse`` maps record
    ids to the TEI hash and oai_dc of the catalog: unchanged bytes under an unchanged
    mapping keep their stored oai_dc instead of running the stylesheet again."""
    return list(planned_entries(plan_entries(paths, contents, reuse, known, shas), config))


@dataclass(frozen=True)
class _Planned:
    """A TEI file that was read and checked and will become an :class:`Entry`; it keeps
    no bytes unless the caller gave them, so a plan of 50,000 files stays small."""

    path: Path
    id: str
    sha: str
    data: bytes | None  # the caller's bytes, if it gave them
    oai_dc: bytes | None  # the catalog's, reusable for these bytes
    prepared: bool = False  # its CatalogPart was made beforehand (by the build) from these bytes


def plan_entries(
    paths: Iterable[Path],
    contents: dict[Path, bytes] | None = None,
    reuse: Mapping[str, tuple[str, bytes]] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
    shas: dict[Path, str] | None = None,
    parts: Mapping[Path, CatalogPart] | None = None,
    settled: Iterable[Unchanged] = (),
) -> list[Unchanged | _Planned]:
    """Check every file and decide what the catalog must do with it (see
    :func:`read_entries`), in record id order. Fails on the first file that cannot be
    catalogued or whose id another file claims, before anything is transformed.

    ``settled`` are records the caller already found unchanged (by file name and hash,
    against :func:`_known_sources`); they are claimed first and their files not looked at.
    """
    entries: dict[str, Unchanged | _Planned] = {}
    for done in settled:
        # From the catalog's live records, whose ids are unique: no two can collide.
        entries[done.id] = done
    # Sorted by their strings, which every path has once hashed: comparing Path objects
    # splits each into its parts again, a tenth of a second per 10,000 documents. (The
    # order only decides which of two files claiming one id is named; entries are
    # returned in id order.)
    for path in sorted(paths, key=os.fspath):
        entry: Unchanged | _Planned
        seen = (known or {}).get(path.name)
        data = (contents or {}).get(path)
        sha = (shas or {}).get(path)
        if seen is not None and sha is None:
            try:
                data = path.read_bytes() if data is None else data
            except OSError as exc:
                raise CatalogError(f"cannot read: {exc.strerror}", path) from None
            sha = hashlib.sha256(data).hexdigest()
        if seen is not None and seen[1] == sha:
            entries[seen[0]] = _claim(entries, Unchanged(seen[0], path.name), path)
            continue
        # Looked up only now: a part carries the document's Dublin Core, and after one
        # correction every other document is unchanged.
        part = (parts or {}).get(path)
        if part is not None and sha is not None and part.sha == sha:
            # Checked and derived already, from these very bytes: nothing to parse here.
            entry = _Planned(path, part.id, sha, data, None, prepared=True)
        else:
            doc = _load(path, data)
            doc_sha = hashlib.sha256(doc.data).hexdigest()
            stored = reuse.get(doc.id) if reuse is not None and doc.id in reuse else None
            reusable = stored[1] if stored is not None and stored[0] == doc_sha else None
            entry = _Planned(path, doc.id, doc_sha, data, reusable)
        entries[entry.id] = _claim(entries, entry, path)
    return [entries[key] for key in sorted(entries)]


def _claim(entries: dict[str, Unchanged | _Planned], entry: Unchanged | _Planned, path: Path) -> Unchanged | _Planned:
    """``entry``, unless another file already claimed its record id."""
    other = entries.get(entry.id)
    if other is not None:
        other_source = other.path.name if isinstance(other, _Planned) else other.source
        raise CatalogError(f"record id {entry.id!r} is also claimed by {other_source}", path)
    return entry


def planned_entries(
    plan: Sequence[Unchanged | _Planned], config: Config, parts: Mapping[Path, CatalogPart] | None = None
) -> Iterator[Entry | Unchanged]:
    """The entries of a plan, in its order, made ``BATCH`` documents at a time: each
    batch is read and parsed again (and transformed together), so no more than one
    batch of documents is ever held at once."""
    for start in range(0, len(plan), BATCH):
        batch = plan[start:start + BATCH]
        docs: dict[str, _Document] = {}
        for want in batch:
            if isinstance(want, Unchanged) or want.prepared:
                continue
            doc = _load(want.path, want.data)
            if doc.id != want.id or hashlib.sha256(doc.data).hexdigest() != want.sha:
                raise CatalogError("the file changed while the catalog was being updated; build again", doc.path)
            docs[doc.id] = doc
        needed = [docs[w.id] for w in batch if isinstance(w, _Planned) and not w.prepared and w.oai_dc is None]
        dublin_core = _dublin_core(needed, config) if needed else {}
        for want in batch:
            if isinstance(want, Unchanged):
                yield want
                continue
            if want.prepared:
                part = (parts or {}).get(want.path)
                data = want.data if want.data is not None else _read(want.path)
                if part is None or part.sha != want.sha or hashlib.sha256(data).hexdigest() != want.sha:
                    raise CatalogError("the file changed while the catalog was being updated; build again", want.path)
                yield Entry(id=want.id, source=want.path.name, tei=data, oai_dc=part.oai_dc, sets=part.sets,
                            tei_sha=want.sha, served=part.served)
                continue
            doc = docs[want.id]
            yield Entry(id=doc.id, source=doc.path.name, tei=doc.data,
                        oai_dc=want.oai_dc if want.oai_dc is not None else dublin_core[doc.id],
                        sets=derive_sets(doc.root), tei_sha=want.sha, served=served_digest(doc.root))
