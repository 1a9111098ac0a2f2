"""Build the reading edition: ``tei/*.xml`` to the static site in ``build/site/``.

Output layout (every link between pages is relative, so the site works from
disk and under any base path)::

    index.html                  every document by date, with filter links
    browse/<facet>-<value>.html one page per document type, language and year
    documents/<id>.html         the reading page of one document
    text/<id>.txt               its plain text
    tei/<id>.xml                a copy of its TEI file, for download
    assets/                     CSS (from xslt/site/)
    cite/<id>.{json,bib,ris}    written by the citations stage, if registered

The build runs in three steps, and nothing is written until the first two have
succeeded for every document, so a bad TEI file leaves the previous site
intact:

1. :func:`load_documents` reads and checks every TEI file into a
   :class:`DocumentInput` and orders them by date (then id).
2. :func:`render_document` turns one document into its outputs. It is a pure
   function of ``(DocumentInput, BuildContext, Neighbours)``: a process pool
   or an incremental build can run it anywhere, for any subset.
3. The outputs are written atomically, files the build no longer produces are
   removed, and the edition-wide stages run.

Extension points (append one line each, here or from the owning module)
-----------------------------------------------------------------------
``DOCUMENT_STAGES``
    Callables ``(doc: DocumentInput, ctx: BuildContext) -> Mapping[str, str]``
    run for each document before its HTML transform. The mappings are merged
    (later stages win) into the parameters of ``xslt/html.xsl``; for example
    the citations stage writes ``cite/<id>.*`` and returns ``{"chicago-note":
    ..., "chicago-bibliography": ...}``. A stage may write its own files under
    ``ctx.out_dir`` with :func:`edition.fsutil.atomic_write`.
``EDITION_STAGES``
    Callables ``(docs: Sequence[DocumentInput], ctx: BuildContext) -> None``
    run once after every document was written (edition-wide citation files,
    the OAI catalog).

Data types
----------
:class:`DocumentInput`
    ``id`` (the TEI ``xml:id``, equal to the file name's stem), ``tei_path``,
    ``data`` (the file's bytes: the only thing rendering reads), ``sha256`` of
    those bytes, and what ordering and neighbour links need: ``title``,
    ``date_key`` (ISO date or range start, for sorting; undated sort last),
    ``date_label`` (the date as printed, may be '') and ``date_iso``.
    :meth:`DocumentInput.tree` parses ``data`` with lxml on demand.
:class:`BuildContext`
    ``tei_dir``, ``out_dir`` (the site folder), ``site_title``, ``base_url``
    (public URL of the site, ending in ``/``; may be empty), ``edition_version``,
    ``config`` (the loaded :class:`edition.config.Config`, or None) and
    ``xslt_dir``. :attr:`BuildContext.params` gives the stylesheet parameters
    every transform shares.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from edition import __version__, xmlsafe
from edition.errors import EditionError
from edition.fsutil import atomic_write, contained_path, sha256_bytes
from edition.transform import XSLT_DIR, ParamValue, transformer

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}

ASSETS_SOURCE = "site"  # xslt/site/ holds the static assets
CITE_FORMATS = ("json", "bib", "ris")

# Folders of the site this module owns: files in them that a build does not
# produce are left-overs of removed documents and are deleted.
OWNED_DIRS = {"documents": ".html", "text": ".txt", "tei": ".xml", "browse": ".html"}


class BuildError(EditionError):
    """A TEI file or a stage that stops the build."""


@dataclass(frozen=True)
class DocumentInput:
    """One TEI document as the build sees it (picklable: plain data only)."""

    id: str
    tei_path: Path
    data: bytes
    sha256: str
    title: str
    date_key: str
    date_label: str
    date_iso: str

    def tree(self) -> etree._Element:
        """The TEI root element, parsed from :attr:`data`."""
        return xmlsafe.parse_bytes(self.data, self.tei_path).getroot()


@dataclass(frozen=True)
class BuildContext:
    """Everything about the build that is the same for every document."""

    tei_dir: Path
    out_dir: Path
    site_title: str = "Digital Edition"
    base_url: str = ""
    edition_version: str = __version__
    config: Any = None
    xslt_dir: Path = XSLT_DIR

    @property
    def params(self) -> dict[str, ParamValue]:
        """Parameters every stylesheet of the site takes."""
        return {
            "site-title": self.site_title,
            "base-url": self.base_url,
            "edition-version": self.edition_version,
        }

    def page_url(self, doc_id: str) -> str:
        """Public URL of a document's page ('' when no base URL is configured)."""
        return f"{self.base_url}documents/{doc_id}.html" if self.base_url else ""


@dataclass(frozen=True)
class Neighbours:
    """The documents before and after one document in date order."""

    prev: DocumentInput | None = None
    next: DocumentInput | None = None

    def params(self) -> dict[str, ParamValue]:
        out: dict[str, ParamValue] = {}
        for key, doc in (("prev", self.prev), ("next", self.next)):
            out[f"{key}-id"] = doc.id if doc else ""
            out[f"{key}-title"] = doc.title if doc else ""
            out[f"{key}-date"] = doc.date_label if doc else ""
            out[f"{key}-when"] = doc.date_iso if doc else ""
        return out


@dataclass
class RenderedDocument:
    """The files of one document, by path relative to the site folder."""

    id: str
    files: dict[str, bytes]
    seconds: float


@dataclass
class BuildReport:
    documents: int = 0
    written: list[Path] = field(default_factory=list)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    render_seconds: float = 0.0
    total_seconds: float = 0.0

    @property
    def seconds_per_document(self) -> float:
        return self.render_seconds / self.documents if self.documents else 0.0


DocumentStage = Callable[[DocumentInput, BuildContext], Mapping[str, str]]
EditionStage = Callable[[Sequence[DocumentInput], BuildContext], None]

DOCUMENT_STAGES: list[DocumentStage] = []
EDITION_STAGES: list[EditionStage] = []

from edition.catalog import catalog_stage  # noqa: E402 - the OAI-PMH catalog follows every build

EDITION_STAGES.append(catalog_stage)

from edition import citations  # noqa: E402

DOCUMENT_STAGES.append(citations.document_stage)  # cite/<id>.*; Chicago params for the page
EDITION_STAGES.append(citations.edition_stage)  # cite/edition.json|.bib|.ris


# --------------------------------------------------------------------------- loading


def load_document(path: Path) -> DocumentInput:
    """Read one TEI file and check what the build relies on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read: {exc.strerror}", path) from None
    # Refuses DTDs, entities and absurd nesting too: the same bytes go to Saxon.
    root = xmlsafe.parse_bytes(data, path).getroot()
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise BuildError(f"root element is {root.tag!r}, expected a TEI element in the TEI namespace", path, root.sourceline)
    doc_id = root.get(f"{{{XML_NS}}}id", "")
    if not doc_id:
        raise BuildError("the TEI element has no xml:id (it names the document's pages)", path, root.sourceline)
    if doc_id != path.stem:
        raise BuildError(f"xml:id {doc_id!r} does not match the file name {path.name!r}", path, root.sourceline)
    contained_path(Path("."), doc_id)  # the id becomes file names: refuse anything unsafe
    titles = root.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS)
    main = [t for t in titles if t.get("type") == "main"] or titles
    title = " ".join("".join(main[0].itertext()).split()) if main else ""
    if not title:
        raise BuildError("no title in teiHeader/fileDesc/titleStmt", path, root.sourceline)
    date_iso, date_label = _date_of(root)
    return DocumentInput(
        id=doc_id,
        tei_path=path,
        data=data,
        sha256=sha256_bytes(data),
        title=title,
        date_key=date_iso or UNDATED,
        date_label=date_label,
        date_iso=date_iso,
    )


# Where a document's date is, in order of preference (the same order as
# ed:date in xslt/common.xsl, which shows it).
_DATE_PATHS = (
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date",
    "tei:teiHeader/tei:profileDesc/tei:creation/tei:date",
)
UNDATED = "9999"  # undated documents sort after every dated one


def _date_of(root: etree._Element) -> tuple[str, str]:
    """(ISO date or range start, printed form); either may be ''."""
    for xpath in _DATE_PATHS:
        for el in root.xpath(xpath, namespaces=NS):
            iso = next((el.get(a) for a in ("when", "notBefore", "from", "notAfter", "to") if el.get(a)), "")
            return (iso, " ".join("".join(el.itertext()).split()))
    return ("", "")


def load_documents(tei_dir: Path) -> list[DocumentInput]:
    """Every ``*.xml`` in ``tei_dir``, checked, in date order (ties by id)."""
    if not tei_dir.is_dir():
        raise BuildError("no such folder of TEI files", tei_dir)
    docs = [load_document(p) for p in sorted(tei_dir.glob("*.xml"))]
    if not docs:
        raise BuildError("no TEI files (*.xml) to build from", tei_dir)
    return sorted(docs, key=lambda d: (d.date_key, d.id))


def neighbours(docs: Sequence[DocumentInput]) -> list[Neighbours]:
    """Previous and next document of each document in ``docs`` (already in order)."""
    return [
        Neighbours(docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)
        for i in range(len(docs))
    ]


# --------------------------------------------------------------------------- rendering


def render_document(doc: DocumentInput, ctx: BuildContext, near: Neighbours) -> RenderedDocument:
    """The site files of one document; runs the document stages first."""
    started = time.perf_counter()
    params: dict[str, ParamValue] = {**ctx.params, **near.params()}
    for stage in DOCUMENT_STAGES:
        extra = stage(doc, ctx)
        for key, value in (extra or {}).items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise BuildError(f"document stage {_name(stage)} returned a non-string parameter {key!r}", doc.tei_path)
            params[key] = value
    params["cite-formats"] = [ext for ext in CITE_FORMATS if (ctx.out_dir / "cite" / f"{doc.id}.{ext}").is_file()]

    t = transformer(ctx.xslt_dir)
    node = t.parse(doc.data, doc.tei_path)
    html = t.apply("html.xsl", node, params, doc.tei_path)
    text = t.apply("text.xsl", node, ctx.params, doc.tei_path)
    files = {
        f"documents/{doc.id}.html": html.encode("utf-8"),
        f"text/{doc.id}.txt": text.encode("utf-8"),
        f"tei/{doc.id}.xml": doc.data,
    }
    return RenderedDocument(doc.id, files, time.perf_counter() - started)


def corpus_xml(docs: Sequence[DocumentInput]) -> bytes:
    """A teiCorpus of every document's header (and its text versions' types and
    languages, without their text), in date order: the input of the index."""
    corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})
    for doc in docs:
        root = doc.tree()
        tei = etree.SubElement(corpus, f"{{{TEI_NS}}}TEI")
        tei.set(f"{{{XML_NS}}}id", doc.id)
        for header in root.findall(f"{{{TEI_NS}}}teiHeader"):
            tei.append(header)
        body = etree.SubElement(etree.SubElement(tei, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body")
        for div in root.xpath("tei:text/tei:body/tei:div", namespaces=NS):
            skeleton = etree.SubElement(body, f"{{{TEI_NS}}}div")
            for name, value in sorted(div.attrib.items()):
                skeleton.set(name, value)
    return etree.tostring(corpus, encoding="UTF-8", xml_declaration=True)


def render_index(docs: Sequence[DocumentInput], ctx: BuildContext) -> dict[str, bytes]:
    """index.html and the browse/ pages."""
    t = transformer(ctx.xslt_dir)
    corpus = t.parse(corpus_xml(docs), ctx.tei_dir)
    files = {"index.html": t.apply("index.xsl", corpus, ctx.params, ctx.tei_dir).encode("utf-8")}
    listing = t.call_template("index.xsl", "facet-pages", corpus, ctx.params, ctx.tei_dir)
    for line in listing.splitlines():
        facet, value, href = line.split("\t")
        params = {**ctx.params, "facet": facet, "facet-value": value}
        files[href] = t.apply("index.xsl", corpus, params, ctx.tei_dir).encode("utf-8")
    return files


def asset_files(ctx: BuildContext) -> dict[str, bytes]:
    source = ctx.xslt_dir / ASSETS_SOURCE
    return {
        f"assets/{p.relative_to(source).as_posix()}": p.read_bytes()
        for p in sorted(source.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


# --------------------------------------------------------------------------- the build


def build_site(ctx: BuildContext, jobs: int = 1) -> BuildReport:
    """Build the whole site into ``ctx.out_dir``; see the module docstring."""
    started = time.perf_counter()
    report = BuildReport()
    docs = load_documents(ctx.tei_dir)
    report.documents = len(docs)

    rendered = _render_all(docs, ctx, jobs)
    report.render_seconds = sum(r.seconds for r in rendered)
    files: dict[str, bytes] = {}
    for r in rendered:
        files.update(r.files)
    files.update(render_index(docs, ctx))
    files.update(asset_files(ctx))

    for rel, data in sorted(files.items()):
        path = ctx.out_dir / rel
        if path.is_file() and path.read_bytes() == data:
            report.unchanged += 1
            continue
        atomic_write(path, data)
        # A site is for publishing: readable by the web server's user, whatever
        # the private mode of the temporary file it was renamed from.
        path.chmod(_PUBLIC_MODE)
        report.written.append(path)
    report.removed = _remove_stale(ctx.out_dir, set(files))

    for stage in EDITION_STAGES:
        stage(docs, ctx)
    report.total_seconds = time.perf_counter() - started
    return report


def _public_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


_PUBLIC_MODE = _public_mode()


def _render_all(docs: Sequence[DocumentInput], ctx: BuildContext, jobs: int) -> list[RenderedDocument]:
    near = neighbours(docs)
    if jobs <= 1:
        return [render_document(d, ctx, n) for d, n in zip(docs, near)]
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    # A fresh interpreter per worker ("spawn"): a Saxon processor must not be
    # inherited across fork.
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        return list(pool.map(render_document, docs, [ctx] * len(docs), near))


def _remove_stale(out_dir: Path, produced: set[str]) -> list[Path]:
    removed: list[Path] = []
    for folder, suffix in OWNED_DIRS.items():
        base = out_dir / folder
        if not base.is_dir():
            continue
        for path in sorted(base.glob(f"*{suffix}")):
            if f"{folder}/{path.name}" not in produced:
                path.unlink()
                removed.append(path)
    assets = out_dir / "assets"
    if assets.is_dir():
        for path in sorted(assets.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            if path.is_file() and rel not in produced:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    return removed


def _name(fn: Callable[..., Any]) -> str:
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"


def context_from_config(config: Any, tei_dir: Path | None = None, out_dir: Path | None = None) -> BuildContext:
    """A build context from the edition's configuration, with optional overrides."""
    return BuildContext(
        tei_dir=tei_dir if tei_dir is not None else config.tei_dir,
        out_dir=out_dir if out_dir is not None else config.site_dir,
        site_title=config.site_title,
        base_url=config.base_url,
        edition_version=__version__,
        config=config,
    )
