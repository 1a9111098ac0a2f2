"""Citations of every document: the files in ``cite/`` and the build stages that make them.

Data flow, one direction and one mapping::

    tei/<id>.xml --xslt/csl-json.xsl--> CSL item --> cite/<id>.json   (validated, official schema)
                                                 --> cite/<id>.bib    (BibLaTeX)
                                                 --> cite/<id>.ris    (RIS)
                                                 --> cite/<id>.chicago.txt|.html (Chicago note + bibliography)

Only ``xslt/csl.xsl`` reads the TEI header. The item is :mod:`edition.citation_item`'s;
BibLaTeX and RIS are its translations (:mod:`edition.citation_formats`), so a field
fixed in the mapping is fixed in every format; Chicago is written directly for the
edition's common shapes (:mod:`edition.chicago`) and by citeproc-py for the rest
(:mod:`edition.chicago_citeproc`). This module puts them into files, per document and
for the whole edition, and runs as two build stages.
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edition.chicago_citeproc import Chicago, chicago_renderer, html_fragment_is_wellformed, html_text
from edition.citation_formats import to_biblatex, to_ris
from edition.citation_item import CSL_SCHEMA, CitationError, CslItem, checked_csl_item, csl_item, csl_json, validate_csl
from edition.fsutil import ReplacingWriter, atomic_write, bytes_if_unchanged, contained_path, contained_paths, hard_link, holds


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class DocumentCitation:
    item: CslItem
    chicago: Chicago
    published: str  # the item as cite/<id>.json holds it (csl_json), made once
    item_key: str  # its SHA-256: what a kept Chicago rendering is checked against
    valid: str = ""  # the key of its validity (citation_item.validity_key): found valid


def cite_document(
    tei_path: Path, base_url: str = "", *, data: bytes | None = None, xslt_dir: Path | None = None,
    kept: Mapping[str, str] | None = None,
) -> DocumentCitation:
    """Map one TEI file to its CSL item and render it in Chicago.

    ``kept``: what :func:`document_stage` kept of this document at its last
    render (see :func:`chicago_memo`); its Chicago rendering is reused when it
    was made from the same item, since it depends on nothing else (the style,
    the processor and this code are the memo's fingerprint).
    """
    item, valid = checked_csl_item(tei_path, base_url, data=data, xslt_dir=xslt_dir, valid=(kept or {}).get(_MEMO_VALID, ""))
    published = csl_json([item])
    key = hashlib.sha256(published.encode("utf-8")).hexdigest()
    if kept and kept.get(_MEMO_ITEM) == key:
        note, bibliography = kept.get(_MEMO_NOTE, ""), kept.get(_MEMO_BIBLIOGRAPHY, "")
        return DocumentCitation(item, Chicago(html_text(note), note, html_text(bibliography), bibliography), published, key,
                                valid)
    try:
        chicago = chicago_renderer().render(item)
    except CitationError:
        raise
    except Exception as exc:  # citeproc-py raises bare errors on data it cannot handle
        raise CitationError(f"Chicago rendering failed: {type(exc).__name__}: {exc}", tei_path) from exc
    for html in (chicago.note_html, chicago.bibliography_html):
        if not html_fragment_is_wellformed(html):
            raise CitationError("citeproc-py produced HTML that is not well-formed", tei_path)
    return DocumentCitation(item, _with_title_marked(chicago, item), published, key, valid)


def write_document(citation: DocumentCitation, out_dir: Path) -> list[Path]:
    """Write cite/<id>.json|.bib|.ris|.chicago.txt|.chicago.html; return the paths written."""
    item_id = citation.item["id"]
    return _write_changed({contained_path(out_dir, item_id, suffix): data for suffix, data in document_outputs(citation).items()})


def document_outputs(citation: DocumentCitation) -> dict[str, bytes]:
    """The bytes of a document's citation files, by suffix (:data:`DOCUMENT_SUFFIXES`)."""
    return {
        ".json": citation.published.encode("utf-8"),
        ".bib": to_biblatex(citation.item).encode("utf-8"),
        ".ris": to_ris(citation.item).encode("utf-8"),
        ".chicago.txt": ("\n\n".join(t for t in (citation.chicago.note_text, citation.chicago.bibliography_text) if t) + "\n").encode("utf-8"),
        ".chicago.html": _chicago_html(citation.chicago).encode("utf-8"),
    }


def _write_changed(outputs: Mapping[Path, bytes]) -> list[Path]:
    """Write each file atomically unless it already holds exactly these bytes; return those written."""
    written = []
    for path, data in outputs.items():
        if holds(path, data):
            continue
        atomic_write(path, data)
        written.append(path)
    return written


# Kept in step with ed:language-dir in xslt/common.xsl (tests/test_cite_formats.py).
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi", "ckb", "dv", "sd", "ug"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "samr", "mand", "rohg"})


def language_dir(tag: str) -> str:
    """'rtl' or 'ltr' for a BCP 47 tag: its script subtag decides ("fa-Latn", "lad-Hebr"),
    else its language's usual script."""
    subtags = tag.split("-")
    script = next((t for t in subtags[1:] if len(t) == 4 and t.isascii() and t.isalpha()), None)
    if script is not None:
        return "rtl" if script.lower() in RTL_SCRIPTS else "ltr"
    return "rtl" if subtags[0].lower() in RTL_LANGUAGES else "ltr"


def _with_title_marked(chicago: Chicago, item: CslItem) -> Chicago:
    """``chicago`` with a title in another language than English marked as such in its
    HTML, which both the page's cite box and ``cite/<id>.chicago.html`` show: on an English
    page a Russian title would be read with an English voice. The plain text is as it was."""
    from dataclasses import replace

    title = str(item.get("title", ""))
    lang = str(item.get("custom", {}).get("title-language", ""))
    if not (title and lang) or lang.split("-")[0].lower() == "en":
        return chicago
    return replace(chicago, note_html=_title_marked(chicago.note_html, title, lang),
                   bibliography_html=_title_marked(chicago.bibliography_html, title, lang))


def _title_marked(fragment: str, title: str, lang: str) -> str:
    """``fragment`` with the title it quotes in a span saying its language, where the title
    stands whole in the text, as printed."""
    from html import escape

    shown = escape(title, quote=False)
    if not shown or shown not in fragment:
        return fragment
    marked = fragment.replace(shown, f'<span lang="{escape(lang)}" dir="{language_dir(lang)}">{shown}</span>')
    return marked if html_fragment_is_wellformed(marked) else fragment


def _chicago_html(chicago: Chicago) -> str:
    """A small standalone fragment: the note and the bibliography entry, each in its own element."""
    from lxml import etree, html as lxml_html

    root = etree.Element("div", {"class": "citation-chicago"})
    for cls, fragment in (("chicago-note", chicago.note_html), ("chicago-bibliography", chicago.bibliography_html)):
        if not fragment:
            continue
        p = etree.SubElement(root, "p", {"class": cls})
        wrapper = etree.fromstring(f"<span>{fragment}</span>")
        p.text = wrapper.text
        for child in wrapper:
            p.append(child)
    return lxml_html.tostring(root, encoding="unicode") + "\n"


def write_edition(
    items: Sequence[CslItem],
    out_dir: Path,
    origin: Path | str = "edition",
    *,
    validated: bool = False,
    texts: Mapping[str, tuple[str, str]] | None = None,
) -> list[Path]:
    """Write cite/edition.json|.bib|.ris with every item, in id order.

    ``validated``: every item was checked against the CSL schema already (each
    document's item is, when it is mapped), so checking the array again is
    skipped: at 10,000 items that check alone takes minutes. ``texts`` may give
    an item's BibLaTeX and RIS as :func:`write_document` wrote them (by id).
    """
    ordered = sorted(items, key=lambda i: i["id"])
    ids = [i["id"] for i in ordered]
    counts: dict[str, int] = {}
    for i in ids:
        counts[i] = counts.get(i, 0) + 1
    dupes = sorted(i for i, n in counts.items() if n > 1)
    if dupes:
        raise CitationError(f"two documents share the citation id {dupes[0]!r}", origin)
    if not validated:
        validate_csl(ordered, origin)
    known = texts or {}
    outputs = {
        ".json": csl_json(ordered),
        ".bib": "\n".join(known[i["id"]][0] if i["id"] in known else to_biblatex(i) for i in ordered),
        ".ris": "\r\n".join(known[i["id"]][1] if i["id"] in known else to_ris(i) for i in ordered),
    }
    return _write_changed({out_dir / f"{EDITION_NAME}{suffix}": text.encode("utf-8") for suffix, text in outputs.items()})


# --------------------------------------------------------------------------- build stages

CITE_DIR = "cite"
EDITION_NAME = "edition"


# What the stage keeps for a document's next render (edition.render.DOCUMENT_STAGES):
# citeproc-py is a third of the work of rendering a document, and a change to the
# page stylesheets, which renders every document again, leaves every item as it was.
_MEMO_ITEM = "memo:chicago-item"
_MEMO_NOTE = "memo:chicago-note"
_MEMO_BIBLIOGRAPHY = "memo:chicago-bibliography"
# The validity key of the item found valid at the last render: a correction of the body
# leaves the item as it was, and checking it again imported jsonschema for one item.
_MEMO_VALID = "memo:csl-valid"


def chicago_memo(citation: DocumentCitation) -> dict[str, str]:
    """The ``memo:`` entries :func:`cite_document` can reuse the Chicago rendering (and
    the item's validity) from."""
    return {_MEMO_ITEM: citation.item_key, _MEMO_NOTE: citation.chicago.note_html,
            _MEMO_BIBLIOGRAPHY: citation.chicago.bibliography_html, _MEMO_VALID: citation.valid}


# "<inputs key> <SHA-256 of each citation file, in DOCUMENT_SUFFIXES order>"
_MEMO_FILES = "memo:cite-files"
DOCUMENT_SUFFIXES = (".json", ".bib", ".ris", ".chicago.txt", ".chicago.html")


def citation_inputs(xslt_dir: Path) -> str:
    """SHA-256 of what a document's citation files are made from besides its TEI
    bytes and the base URL: csl-json.xsl with what it includes, and the CSL-JSON
    schema the item is checked against (this code and citeproc-py are the memos'
    fingerprint, edition.build._memo_fingerprint)."""
    from edition import refschemas
    from edition.transform import stylesheet_digest

    schema = refschemas.path(CSL_SCHEMA).read_bytes()
    return hashlib.sha256(f"{stylesheet_digest(xslt_dir / 'csl-json.xsl')} {hashlib.sha256(schema).hexdigest()}".encode()).hexdigest()


def document_stage(doc: Any, ctx: Any) -> dict[str, str]:
    """Build stage (edition.render.DOCUMENT_STAGES): write cite/<id>.* and return the
    Chicago renderings as the HTML page's ``chicago-note`` / ``chicago-bibliography``,
    the CSL item as ``csl-item-json`` (the text of ``cite/<id>.json``, which the page's
    meta tags read instead of mapping the header again), and what to keep for the
    document's next render.

    When the document's citation files were made from the same inputs (its TEI bytes,
    the base URL, :func:`citation_inputs`) and the site still holds them as they were
    made, they are copied as they are: a change to the page stylesheet, the most
    frequent change to the stylesheets, renders every page again, and mapping the
    item and writing its formats was a third of that.
    """
    if doc.id == EDITION_NAME:
        raise CitationError(f"the id {EDITION_NAME!r} is reserved for the edition-wide citation files", doc.tei_path)
    kept = getattr(ctx, "memo", None) or {}
    inputs = getattr(ctx, "citation_inputs", "")
    key = hashlib.sha256(f"{doc.sha256}\x1f{inputs}\x1f{ctx.base_url}".encode()).hexdigest() if inputs else ""
    out_dir = ctx.out_dir / CITE_DIR
    built = getattr(ctx, "built", None)
    reused = _kept_files(doc.id, key, kept, built)
    if reused is not None and _MEMO_NOTE in kept and _MEMO_BIBLIOGRAPHY in kept:
        files = dict(zip(DOCUMENT_SUFFIXES, reused))
        _put_files(doc.id, files, out_dir, built, checked=True)
        memo = {k: v for k, v in kept.items() if k in (_MEMO_ITEM, _MEMO_NOTE, _MEMO_BIBLIOGRAPHY, _MEMO_VALID, _MEMO_FILES)}
        return {"chicago-note": kept[_MEMO_NOTE], "chicago-bibliography": kept[_MEMO_BIBLIOGRAPHY],
                "csl-item-json": files[".json"].decode("utf-8"), **memo}
    citation = cite_document(doc.tei_path, ctx.base_url, data=doc.data, xslt_dir=ctx.xslt_dir, kept=kept)
    outputs = document_outputs(citation)
    _put_files(doc.id, outputs, out_dir, built)
    memo = chicago_memo(citation)
    if key:
        memo[_MEMO_FILES] = " ".join([key, *(hashlib.sha256(outputs[s]).hexdigest() for s in DOCUMENT_SUFFIXES)])
    return {"chicago-note": citation.chicago.note_html, "chicago-bibliography": citation.chicago.bibliography_html,
            "csl-item-json": citation.published, **memo}


def _put_files(doc_id: str, outputs: Mapping[str, bytes], out_dir: Path, built: Path | None, *,
               checked: bool = False) -> None:
    """Write a document's citation files (suffix -> bytes) into ``out_dir``. In a
    build's render slot, ``built`` is the site as it stands: a file it holds with
    these very bytes is hard-linked from there instead (``checked``: the caller has
    compared them), so the build finds it unchanged without a file made and deleted."""
    twins = built / CITE_DIR if built is not None else None
    if twins is not None and not twins.is_dir():
        # A first build: the site holds no citation file yet. Looking for each of them
        # resolved the missing folder again (it cannot be remembered) and failed to open
        # the file, five times a document.
        twins = None
    paths = contained_paths(out_dir, doc_id, outputs)
    twin_paths = contained_paths(twins, doc_id, outputs) if twins is not None else [None] * len(paths)
    for data, path, twin in zip(outputs.values(), paths, twin_paths):
        if twin is not None and (checked or holds(twin, data)) and hard_link(twin, path):
            continue
        _write_changed({path: data})


def _kept_files(doc_id: str, key: str, kept: Mapping[str, str], built: Path | None) -> list[bytes] | None:
    """The bytes of the document's citation files in the built site, when the memo says
    they were made from inputs ``key`` and each is still what was made; else None."""
    recorded = kept.get(_MEMO_FILES, "").split(" ")
    if not key or built is None or len(recorded) != 1 + len(DOCUMENT_SUFFIXES) or recorded[0] != key:
        return None
    found = []
    for suffix, sha in zip(DOCUMENT_SUFFIXES, recorded[1:]):
        data = bytes_if_unchanged(contained_path(built / CITE_DIR, doc_id, suffix), sha)
        if data is None:
            return None
        found.append(data)
    return found


def edition_stage(docs: Sequence[Any], ctx: Any) -> None:
    """Build stage (edition.build.EDITION_STAGES): cite/edition.json|.bib|.ris from the
    documents' citation files, and removal of the citation files of documents that are gone.

    The edition files are the documents' own files put together as text, in id
    order: each ``cite/<id>.json`` is a one-item array in :func:`csl_json`'s
    layout, so its item is cut out, not parsed and written again. At 10,000
    documents that is the difference between a fraction of a second and
    several seconds for every rebuild after a correction.
    """
    cite_dir = ctx.out_dir / CITE_DIR
    ordered = sorted(docs, key=lambda d: d.id)
    # The document files are rewritten only when their bytes change (_write_changed),
    # so their stat signatures say whether the edition files can be what they are.
    manifest = _edition_manifest(ctx)
    key = _files_key(cite_dir, [d.id for d in ordered])
    edition_files = {suffix: cite_dir / f"{EDITION_NAME}{suffix}" for suffix in (".json", ".bib", ".ris")}
    if key is not None and manifest.extra.get("key") == key and manifest.extra.get("outputs") == [_stat(p) for p in edition_files.values()]:
        remove_stale(cite_dir, {doc.id for doc in docs})
        return
    # Streamed into place document by document: joined in memory, the three files of
    # 50,000 documents held a few hundred megabytes at once.
    with (ReplacingWriter(edition_files[".json"]) as json_out, ReplacingWriter(edition_files[".bib"]) as bib_out,
          ReplacingWriter(edition_files[".ris"]) as ris_out):
        if not ordered:
            json_out.write(csl_json([]))
        for n, doc in enumerate(ordered):
            path = contained_path(cite_dir, doc.id, ".json")
            try:
                json_text = path.read_text(encoding="utf-8")
                # Bytes, not text mode: RIS lines end in CRLF, which text mode would translate.
                texts = (path.with_suffix(".bib").read_bytes().decode("utf-8"), path.with_suffix(".ris").read_bytes().decode("utf-8"))
                block = _single_item_block(json_text)
            except (FileNotFoundError, ValueError):
                block = None
            if block is None:
                # No document stage ran for it (or its file is not this code's): map it afresh.
                item = csl_item(doc.tei_path, ctx.base_url, data=doc.data, xslt_dir=ctx.xslt_dir)
                block = _single_item_block(csl_json([item]))
                assert block is not None
                texts = (to_biblatex(item), to_ris(item))
            # As the joins were: "[\n" + ",\n".join(blocks) + "\n]\n", "\n".join(bib), "\r\n".join(ris).
            json_out.write(("[\n" if n == 0 else ",\n") + block)
            bib_out.write(("" if n == 0 else "\n") + texts[0])
            ris_out.write(("" if n == 0 else "\r\n") + texts[1])
        if ordered:
            json_out.write("\n]\n")
    remove_stale(cite_dir, {doc.id for doc in docs})
    # The documents' files were only read here, so the key taken before still holds.
    manifest.extra = {"key": key, "outputs": [_stat(p) for p in edition_files.values()]}
    manifest.save()


def _stat(path: Path) -> list[int] | None:
    from edition.incremental import stat_signature

    return stat_signature(path)


def _files_key(cite_dir: Path, ids: Sequence[str]) -> str | None:
    """A hash of the stat signatures of every document's .json, .bib and .ris; None when
    one is missing (the stage then maps that document afresh)."""
    base = os.path.join(cite_dir, "")
    # Hashed as they come: joined first, 150,000 signatures held 40 MB at once.
    h = hashlib.sha256()
    for doc_id in ids:
        for suffix in (".json", ".bib", ".ris"):
            try:
                st = os.stat(base + doc_id + suffix)
            except OSError:
                return None
            h.update(f"{doc_id}{suffix}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    return h.hexdigest()


def _edition_manifest(ctx: Any) -> Any:
    from edition.incremental import Manifest, code_fingerprint, digest, manifest_path

    return Manifest.load(manifest_path(ctx.out_dir.parent, "citations", ctx.out_dir), digest(code_fingerprint(), ctx.base_url))


def _single_item_block(text: str) -> str | None:
    """The item of a one-item array written by :func:`csl_json`, as it sits inside a
    longer array in the same layout; None for anything else."""
    if not (text.startswith("[\n  {") and text.endswith("\n  }\n]\n")):
        return None
    block = text[2:-3]
    # One item: no line of the block may close an item and open another.
    if "\n  },\n  {" in block:
        return None
    return block


def remove_stale(cite_dir: Path, ids: set[str]) -> list[Path]:
    """Delete cite/<id>.* of ids no longer in the edition; return what was removed."""
    if not cite_dir.is_dir():
        return []
    # Each name's id looked up in ``ids``, the folder read as it is listed: a set of every
    # expected name and a list of every file (five per document) weighed 45 MB at 50,000.
    stale: list[str] = []
    with os.scandir(cite_dir) as entries:
        for entry in entries:
            name = entry.name
            suffix = next((s for s in DOCUMENT_SUFFIXES if name.endswith(s)), None)
            if suffix is None:
                continue
            stem = name[: -len(suffix)]
            if stem not in ids and stem != EDITION_NAME and entry.is_file():
                stale.append(name)
    removed: list[Path] = []
    for name in sorted(stale):
        path = cite_dir / name
        path.unlink()
        removed.append(path)
    return removed
