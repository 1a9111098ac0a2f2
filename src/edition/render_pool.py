"""The documents' rendering spread over worker processes.

The build hands :func:`run_jobs` one :class:`RenderJob` per document to render;
workers take them a batch at a time (:func:`render_batch`), render each batch step
by step (:func:`edition.render.render_documents`) into a private scratch folder,
and stage what the site does not already hold for the build to install. The index
pages go to the same workers as :class:`PageJob`. Every function a worker runs is
a pure function of picklable inputs, so any :class:`edition.executor.Executor`
can run them (see the README on Dask and Ray).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from edition import site_index
from edition.build_documents import BuildError, DocumentFacts, Neighbours
from edition.build_state import FacetValue
from edition.catalog import document_stage as catalog_document_stage
from edition.executor import Executor, SerialExecutor, make_executor, one_ahead
from edition.fsutil import FILE_MODE, defer_fsync, holds, in_folder, scratch_writes
from edition.incremental import stat_signature
from edition.render import BuildContext, render_documents
from edition.transform import transformer

RENDER_WINDOW = 2000  # documents handed to the pool at a time
RENDER_BATCH = 16  # documents a worker renders step by step together (see render_documents)
RECYCLE_DOCUMENTS = 10_000  # documents one pool renders (a multiple of RENDER_WINDOW)


@dataclass(frozen=True)
class RenderJob:
    """One document to render, with what its worker needs to know (picklable)."""

    doc: DocumentFacts
    near: Neighbours
    ctx: BuildContext
    staging: Path  # the build's staging folder (see render_batch)
    key: str
    catalog_part: bool = False  # the catalog does not hold these bytes yet: make its part
    memo: Mapping[str, str] | None = None  # what the stages kept at the last render
    records: bool = True  # make the index record and facets (and catalog part): the state lacks them


@dataclass(frozen=True)
class RenderResult:
    """What a worker made of a :class:`RenderJob`, for the build to record and install."""

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
    # and its catalog part (edition.catalog_entries.CatalogPart): None for a job without ``records``
    # (the state has them); the part None too when no catalog stage runs or needs it.
    index_record: bytes | None
    facets: list[FacetValue] | None
    catalog_part: Any
    memo: dict[str, str]  # what the stages keep for the next render


def render_batch(batch: list[RenderJob]) -> list[RenderResult]:
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
    cost 8 % of that rebuild's CPU at 10,000 documents, and a quarter to a third
    when rebuilds follow each other: on ext4 without a journal each inode freed
    makes the next files slower to create for half a minute. The slots outlive the
    batch, empty: a folder per document cost ten directory operations each, a
    tenth of a 10,000-document build. (Writing the build's own files straight into
    staging was slower with two workers: both then create files in the same
    folders.)
    """
    scratch = _scratch(batch[0].staging)
    # Compiled from the stylesheets as they are (a worker may have served an earlier build).
    t = transformer(batch[0].ctx.xslt_dir, batch[0].ctx.stylesheets)
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
                    in_folder(path.parent, lambda: path.write_bytes(data))
            held.append(same)
            listed.append(sorted([*_listed(slot), *same]))
        records: list[bytes | None] = []
        facets: list[list[FacetValue] | None] = []
        parts: list[Any] = []
        # Saxon's trees of the documents, which rendering just made (``t`` keeps the
        # batch's), for the facets and the catalog parts: for the catalog only where its
        # stylesheets are this transformer's, as a tree must not cross Saxon processors.
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
                # A site is for publishing: readable by the web server's user, whatever
                # mode a stage gave its file.
                os.chmod(made, FILE_MODE)
                in_folder(target.parent, lambda: os.replace(made, target))
                # Installing moves the file again, which keeps its size, time and inode: its
                # signature is taken here, where its inode is at hand, not in the parent,
                # where 80,000 of them were most of a first build's install.
                signature = stat_signature(target)
                if signature is None:
                    raise BuildError("a staged output vanished", target)
                changed[rel] = signature
            results.append(RenderResult(docs[i].id, job.key, listed[i], changed, sorted(rendered[i].files),
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


def _same_file(made: Path, target: Path) -> bool:
    """Whether ``made`` is ``target`` (a hard link to it) or holds the same bytes."""
    try:
        if os.path.samefile(made, target):
            return True
    except OSError:
        return False
    return holds(target, made.read_bytes())


def init_worker(xslt_dir: Path, stylesheets: str = "") -> None:
    """Per worker: compile the page stylesheets once, and leave syncing to the parent."""
    from edition.transform import TransformError

    defer_fsync(True)
    t = transformer(xslt_dir, stylesheets)
    for name in ("html.xsl", "text.xsl", "index.xsl"):
        try:
            t.stylesheet(name)
        except TransformError:
            # Reported, naming the stylesheet, by the first document that needs it: an
            # initializer that raises only breaks the pool, and says nothing useful.
            pass


@dataclass(frozen=True)
class PageJob:
    """One index page to render."""

    page: bytes  # the ed:index-page document
    ctx: BuildContext


def render_page_job(job: PageJob) -> bytes:
    """One index page from its page document (in a worker process or here)."""
    transformer(job.ctx.xslt_dir, job.ctx.stylesheets)  # compiled from the stylesheets as they are
    return site_index.render_page_bytes(job.page, job.ctx)


def worker_pool(count: int, ctx: BuildContext, jobs: int, executor: Executor | None) -> Executor:
    """The given executor, or a pool of ``jobs`` workers when ``count`` tasks pay for one."""
    if executor is not None:
        return executor
    if jobs <= 1 or count == 0:
        return SerialExecutor()  # nothing to compile for: a no-op build never starts Saxon
    # A fresh interpreter per worker ("spawn"): a Saxon processor must not be
    # inherited across fork.
    return make_executor(count, jobs, init_worker, (ctx.xslt_dir, ctx.stylesheets), start_method="spawn")


def run_jobs(jobs_: list[RenderJob], ctx: BuildContext, jobs: int, executor: Executor | None,
              prepare: Callable[[list[RenderJob]], list[RenderJob]] = list) -> Iterator[RenderResult]:
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
        pool = worker_pool(len(jobs_) - first, ctx, jobs, executor)
        try:
            windows = (prepare(part[start:start + RENDER_WINDOW]) for start in range(0, len(part), RENDER_WINDOW))
            submitted = (pool.map(render_batch, [w[i:i + RENDER_BATCH] for i in range(0, len(w), RENDER_BATCH)])
                         for w in windows)
            for window_results in one_ahead(submitted):
                for results in window_results:
                    yield from results
        finally:
            if pool is not executor:
                pool.close()

