"""Source export -> model -> TEI file, for many sources at once.

A run converts every source it can and reports every one it cannot; it never
writes a file for a source whose id collides with another's, and never
overwrites a TEI file edited by hand unless forced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from edition import body
from edition.errors import EditionError, OutputConflict, SourceError
from edition.executor import Executor, make_executor
from edition.fsutil import atomic_write, contained_path
from edition.model import Document
from edition.sources import read_source
from edition.tei import build_tei, checksum_state, serialize
from edition.tei_header import EDITION_PUBLISHER


@dataclass
class Outcome:
    source: Path
    doc_id: str | None = None
    target: Path | None = None
    status: str = "failed"  # written, unchanged, failed
    error: EditionError | None = None
    shape: str | None = None
    warnings: list[str] = field(default_factory=list)


def encode_document(doc: Document) -> None:
    """Fill the document's parts with encoded blocks (languages split, marks parsed)."""
    doc.parts = body.segment(doc.parts, doc.metadata.original_language)
    context = body.BodyContext.for_document(doc)
    for part in doc.parts:
        body.encode(part, context)


def convert_source(path: Path, id_prefix: str = "doc", publisher: str = EDITION_PUBLISHER) -> tuple[Document, bytes]:
    doc = read_source(path, id_prefix)
    encode_document(doc)
    return doc, serialize(build_tei(doc, publisher))


def collect_sources(inputs: list[Path]) -> list[Path]:
    """Files named and the ``*.txt``/``*.md`` files of folders named, sorted, without duplicates."""
    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found += sorted(p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in {".txt", ".md"} and not p.name.startswith("."))
        else:
            found.append(item)
    unique: dict[Path, Path] = {}
    for p in found:
        unique.setdefault(p.resolve(), p)
    return list(unique.values())


@dataclass(frozen=True)
class _Job:
    path: Path
    id_prefix: str
    publisher: str


@dataclass(frozen=True)
class _JobResult:
    """What a worker sends back: plain data, so it crosses process boundaries."""

    doc_id: str | None = None
    shape: str | None = None
    data: bytes = b""
    warnings: tuple[str, ...] = ()
    error: tuple[str, int | None] | None = None  # message, line


def _convert_job(job: _Job) -> _JobResult:
    try:
        doc, data = convert_source(job.path, job.id_prefix, job.publisher)
    except EditionError as exc:
        return _JobResult(error=(exc.message, exc.line))
    except RecursionError:
        return _JobResult(error=("text nested too deeply to encode", None))
    except Exception as exc:  # noqa: BLE001 - one bad source must not stop the run
        return _JobResult(error=(f"internal error while converting ({type(exc).__name__}: {exc}); please report it", None))
    return _JobResult(doc.id, doc.source.shape, data, tuple(getattr(doc, "warnings", ())))


def convert_all(
    sources: list[Path],
    out_dir: Path,
    *,
    force: bool = False,
    id_prefix: str = "doc",
    publisher: str = EDITION_PUBLISHER,
    executor: Executor | None = None,
) -> list[Outcome]:
    """Convert ``sources`` into ``out_dir``; per-source work runs on ``executor``."""
    outcomes: list[Outcome] = []
    converted: dict[str, list[tuple[Outcome, bytes]]] = {}
    own = executor is None
    runner = executor or make_executor(len(sources))
    try:
        jobs = [_Job(path, id_prefix, publisher) for path in sources]
        for path, result in zip(sources, runner.map(_convert_job, jobs, chunksize=16)):
            outcome = Outcome(source=path)
            outcomes.append(outcome)
            if result.error is not None:
                outcome.error = SourceError(result.error[0], path, result.error[1])
                continue
            assert result.doc_id is not None
            outcome.doc_id, outcome.shape = result.doc_id, result.shape
            outcome.warnings = list(result.warnings)
            converted.setdefault(result.doc_id, []).append((outcome, result.data))
    finally:
        if own:
            runner.close()

    for doc_id, items in converted.items():
        if len(items) > 1:
            names = ", ".join(str(o.source) for o, _ in items)
            for o, _ in items:
                o.error = OutputConflict(f"id {doc_id!r} is claimed by several sources ({names}); nothing written", o.source)
            continue
        outcome, data = items[0]
        try:
            target = contained_path(out_dir, doc_id, ".xml")
        except EditionError as exc:
            outcome.error = EditionError(exc.message, outcome.source)
            continue
        outcome.target = target
        if target.exists():
            existing = target.read_bytes()
            if existing == data:
                outcome.status = "unchanged"
                continue
            state = checksum_state(existing)
            if state != "intact" and not force:
                why = "was edited by hand after conversion" if state == "edited" else "was not written by the converter"
                outcome.error = OutputConflict(
                    f"{target} {why}; keep the edits (do not re-convert this source) or rerun with --force to overwrite them",
                    outcome.source,
                )
                continue
        atomic_write(target, data)
        outcome.status = "written"
    return outcomes
