"""Source export -> model -> TEI file, for many sources at once.

A run converts every source it can and reports every one it cannot; it never
writes a file for a source whose id collides with another's, and never
overwrites a TEI file edited by hand unless forced.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING

from edition.errors import EditionError, OutputConflict, SourceError
from edition.executor import Executor, make_executor
from edition.fsutil import atomic_write, batched_sync, contained_path, listed_files
from edition.incremental import RecordStore, code_fingerprint, digest, file_digest, record_names, record_store, stat_signature
from edition.model import EDITION_PUBLISHER

if TYPE_CHECKING:
    from edition.fidelity import CheckResult
    from edition.model import Document

# The readers, the body encoder and the TEI writers are imported where a source is
# converted: a run with nothing to convert (most runs of `make`) does without them.


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
    from edition import body

    doc.parts = body.segment(doc.parts, doc.metadata.original_language)
    context = body.BodyContext.for_document(doc)
    for part in doc.parts:
        body.encode(part, context)


def convert_source(path: Path, id_prefix: str = "doc", publisher: str = EDITION_PUBLISHER) -> tuple[Document, bytes]:
    from edition.sources import read_source
    from edition.tei import build_tei, serialize

    doc = read_source(path, id_prefix)
    encode_document(doc)
    return doc, serialize(build_tei(doc, publisher))


def collect_sources(inputs: list[Path]) -> list[Path]:
    """Files named and the ``*.txt``/``*.md`` files of folders named, sorted, without duplicates."""
    return listed_files(inputs, _is_source_name)


def _is_source_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in {".txt", ".md"}


@dataclass(frozen=True)
class _Job:
    path: Path
    id_prefix: str
    publisher: str
    check_against: Path | None = None  # run the fidelity check as if the TEI were in this folder


@dataclass(frozen=True)
class _JobResult:
    """What a worker sends back: plain data, so it crosses process boundaries."""

    doc_id: str | None = None
    shape: str | None = None
    data: bytes = b""
    warnings: tuple[str, ...] = ()
    error: tuple[str, int | None] | None = None  # message, line
    check: CheckResult | None = None  # the fidelity check, when the job asked for one


def _convert_job(job: _Job) -> _JobResult:
    try:
        doc, data = convert_source(job.path, job.id_prefix, job.publisher)
    except EditionError as exc:
        return _JobResult(error=(exc.message, exc.line))
    except RecursionError:
        return _JobResult(error=("text nested too deeply to encode", None))
    except Exception as exc:  # noqa: BLE001 - one bad source must not stop the run
        return _JobResult(error=(f"internal error while converting ({type(exc).__name__}: {exc}); please report it", None))
    check = None
    if job.check_against is not None:
        from edition.fidelity import check_converted

        try:
            check = check_converted(doc, job.path, data, job.check_against)
        except Exception:  # noqa: BLE001 - then `edition check` checks this source itself
            check = None
    return _JobResult(doc.id, doc.source.shape, data, tuple(getattr(doc, "warnings", ())), check=check)


def convert_all(
    sources: list[Path],
    out_dir: Path,
    *,
    force: bool = False,
    id_prefix: str = "doc",
    publisher: str = EDITION_PUBLISHER,
    executor: Executor | None = None,
    manifest: RecordStore | None = None,
    checks: Callable[[], RecordStore] | None = None,
) -> list[Outcome]:
    """Convert ``sources`` into ``out_dir``; per-source work runs on ``executor``.

    With a ``manifest`` (see :func:`convert_manifest`), a source whose bytes are
    unchanged since it was converted, and whose TEI file is still the one written
    then, is not converted again. With ``checks`` (opening the store of
    :func:`edition.fidelity.check_store`, called only when some source is
    converted), each source converted is also checked for fidelity where it is
    in hand, and the result is kept for ``edition check``, which then need not
    read the source again.
    """
    outcomes: list[Outcome] = []
    converted: dict[str, list[tuple[Outcome, Path | None]]] = {}
    todo: list[int] = []
    kept: list[int] = []
    # By position, not by Path: hashing a Path formats its string, which alone cost
    # a run with nothing to convert a tenth of a second per 10,000 sources.
    names = record_names(sources)
    for i, path in enumerate(sources):
        name = names[i]
        old = manifest.get(name) if manifest is not None else None
        sig = stat_signature(name)
        if manifest is None or old is None or sig is None:
            todo.append(i)
            continue
        sha = manifest.sha_if_unchanged(name, sig, old) or _sha_or_none(path)
        target = old.get("target")
        if sha != old.get("sha") or not isinstance(target, str) or not target or stat_signature(target) != old.get("out_stat"):
            todo.append(i)
            continue
        outcome = Outcome(source=path, doc_id=str(old["doc_id"]), target=Path(target), status="unchanged", shape=old.get("shape"))  # type: ignore[arg-type]
        outcome.warnings = list(old.get("warnings", []))  # type: ignore[call-overload]
        outcomes.append(outcome)
        kept.append(i)
        if old.get("stat") == sig:
            manifest.keep(name)
        else:  # touched, not changed: the new signature spares the next run a hash
            manifest.put(name, {**old, "stat": sig, "sha": sha})
        converted.setdefault(outcome.doc_id, []).append((outcome, None))  # type: ignore[arg-type]
    own = executor is None
    runner = executor or make_executor(len(todo))
    # Converted TEI waits on disk, not in memory, until every id is known to be
    # unique (50,000 documents' bytes held at once would not keep memory flat).
    staging = out_dir.parent / f".{out_dir.name}.convert-staging"
    if todo:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
    # Opened only when a source is converted: a store holds its rows in memory.
    check_store = checks() if checks is not None and todo else None
    try:
        with batched_sync():
            _collect_and_write([sources[i] for i in todo], runner, staging, outcomes, converted, out_dir, force, id_prefix,
                               publisher, check_store)
    finally:
        if own:
            runner.close()
        shutil.rmtree(staging, ignore_errors=True)
    positions = kept + todo  # where each outcome's source is in ``sources``
    order = sorted(range(len(outcomes)), key=positions.__getitem__)
    outcomes[:] = [outcomes[k] for k in order]
    positions = [positions[k] for k in order]
    if manifest is not None:
        converted_now = set(todo)
        for i, o in zip(positions, outcomes):
            if i in converted_now and o.error is None and o.target is not None and o.doc_id is not None:
                manifest.put(names[i], {
                    "stat": stat_signature(o.source),
                    "sha": _sha_or_none(o.source),
                    "doc_id": o.doc_id,
                    "target": str(o.target),
                    "out_stat": stat_signature(o.target),
                    "shape": o.shape,
                    "warnings": o.warnings,
                })
        manifest.save()
    if check_store is not None:
        check_store.save(prune=False)  # the sources not converted keep their records
    return outcomes


def _collect_and_write(
    todo: list[Path],
    runner: Executor,
    staging: Path,
    outcomes: list[Outcome],
    converted: dict[str, list[tuple[Outcome, Path | None]]],
    out_dir: Path,
    force: bool,
    id_prefix: str,
    publisher: str,
    checks: RecordStore | None,
) -> None:
    jobs = [_Job(path, id_prefix, publisher, out_dir if checks is not None else None) for path in todo]
    for path, result in zip(todo, runner.map(_convert_job, jobs, chunksize=16)):
        outcome = Outcome(source=path)
        outcomes.append(outcome)
        if result.error is not None:
            outcome.error = SourceError(result.error[0], path, result.error[1])
            continue
        assert result.doc_id is not None
        outcome.doc_id, outcome.shape = result.doc_id, result.shape
        outcome.warnings = list(result.warnings)
        staged = staging / f"{len(outcomes):08d}.xml"
        staged.write_bytes(result.data)
        if result.check is not None:  # beside the TEI, not in memory, until the TEI is written
            from edition.fidelity import payload

            staged.with_suffix(".check").write_text(payload(result.check), encoding="utf-8")
        converted.setdefault(result.doc_id, []).append((outcome, staged))

    for doc_id, items in converted.items():
        if len(items) > 1:
            names = ", ".join(str(o.source) for o, _ in items)
            for o, _ in items:
                o.error = OutputConflict(f"id {doc_id!r} is claimed by several sources ({names}); nothing written", o.source)
            continue
        outcome, staged = items[0]
        if staged is None:  # unchanged since the manifest's run
            continue
        data = staged.read_bytes()
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
                _record_check(checks, outcome, staged, data)
                continue
            from edition.tei import checksum_state

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
        _record_check(checks, outcome, staged, data)


def _record_check(checks: RecordStore | None, outcome: Outcome, staged: Path, data: bytes) -> None:
    """Keep the fidelity check the worker ran for ``edition check``, now that its TEI
    file holds ``data``."""
    if checks is None:
        return
    from edition.fidelity import from_payload, record_result

    try:
        result = from_payload(staged.with_suffix(".check").read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return  # not checked (the worker's check failed): edition check checks it
    sha = _sha_or_none(outcome.source)
    if sha is not None:
        record_result(checks, record_names([outcome.source])[0], outcome.source, result, sha, hashlib.sha256(data).hexdigest())


def convert_manifest(build_dir: Path, out_dir: Path, id_prefix: str, publisher: str) -> RecordStore:
    """The records of conversions into ``out_dir``: valid for this code, id prefix and publisher."""
    return record_store(build_dir, "convert", out_dir, digest(code_fingerprint(), id_prefix, publisher))


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None
