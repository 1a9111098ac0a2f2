"""Source export -> model -> TEI file, for many sources at once.

A run converts every source it can and reports every one it cannot; it never
writes a file for a source whose id collides with another's, and never
overwrites a TEI file edited by hand unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any, BinaryIO

from edition.config import as_given
from edition.errors import FORCE_WAY_OUT, EditionError, OutputConflict, SourceError
from edition.executor import Executor, make_executor
from edition.fsutil import atomic_write, batched_sync, contained_path, listed_files
from edition.incremental import (RecordStore, code_fingerprint, digest, file_digest, record_names, record_store,
                                 signatures_digest, stat_signature)
from edition.model import Publication

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
    status: str = "failed"  # written, unchanged, kept (edited by hand, its source unchanged), failed
    error: EditionError | None = None
    shape: str | None = None
    warnings: list[str] = field(default_factory=list)
    # Of the source as it was read for this conversion (the stat taken before reading,
    # so a change made while it was converted shows at the next run).
    source_sha256: str | None = None
    source_stat: list[int] | None = None


def encode_document(doc: Document) -> None:
    """Fill the document's parts with encoded blocks (languages split, marks parsed)."""
    from edition import body

    doc.parts = body.segment(doc.parts, doc.metadata.original_language)
    body.encode_parts(doc.parts, body.BodyContext.for_document(doc))


def convert_source(path: Path, id_prefix: str = "doc", publication: Publication = Publication()) -> tuple[Document, bytes]:
    doc, data, _ = _convert_source(path, id_prefix, publication)
    return doc, data


def _convert_source(path: Path, id_prefix: str, publication: Publication) -> tuple[Document, bytes, str]:
    """The document, its TEI bytes and the source's decoded text."""
    from edition.sources import read_source_text
    from edition.tei import build_tei, serialize

    doc, text = read_source_text(path, id_prefix)
    encode_document(doc)
    return doc, serialize(build_tei(doc, publication)), text


def collect_sources(inputs: list[Path]) -> list[Path]:
    """Files named and the ``*.txt``/``*.md`` files of folders named, sorted, without duplicates."""
    return listed_files(inputs, _is_source_name)


def _is_source_name(name: str) -> bool:
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in {".txt", ".md"}


@dataclass(frozen=True)
class _Job:
    path: Path
    id_prefix: str
    publication: Publication
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
    source_sha256: str | None = None
    source_stat: list[int] | None = None


def _convert_job(job: _Job) -> _JobResult:
    stat = stat_signature(job.path)
    try:
        doc, data, text = _convert_source(job.path, job.id_prefix, job.publication)
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
            check = check_converted(doc, job.path, data, job.check_against, text=text)
        except Exception:  # noqa: BLE001 - then `edition check` checks this source itself
            check = None
    return _JobResult(doc.id, doc.source.shape, data, tuple(getattr(doc, "warnings", ())), check=check,
                      source_sha256=doc.source.sha256, source_stat=stat)


def convert_all(
    sources: list[Path],
    out_dir: Path,
    *,
    force: bool = False,
    id_prefix: str = "doc",
    publication: Publication = Publication(),
    executor: Executor | None = None,
    manifest: RecordStore | None = None,
    checks: Callable[[], RecordStore] | None = None,
    workers: int | None = None,
) -> list[Outcome]:
    """Convert ``sources`` into ``out_dir``; per-source work runs on ``executor``.

    With a ``manifest`` (see :func:`convert_manifest`), a source whose bytes are
    unchanged since it was converted, and whose TEI file is still the one written
    then, is not converted again. With ``checks`` (opening the store of
    :func:`edition.fidelity.check_store`, called only when some source is
    converted), each source converted is also checked for fidelity where it is
    in hand, and the result is kept for ``edition check``, which then need not
    read the source again. ``workers``: processes of the default executor (None:
    one per core).
    """
    outcomes: list[Outcome] = []
    # doc id -> (outcome, its converted TEI in the spool, None when unchanged) per source claiming it
    converted: dict[str, list[tuple[Outcome, tuple[int, int, int] | None]]] = {}
    todo: list[int] = []
    kept: list[int] = []
    # By position, not by Path: hashing a Path formats its string, which alone cost
    # a run with nothing to convert a tenth of a second per 10,000 sources.
    names = record_names(sources)
    signatures = [stat_signature(name) for name in names]
    recorded: dict[int, tuple[dict[str, Any], list[int] | None]] = {}  # source -> its record, its stat
    if manifest is not None:
        replayed = _replayed(manifest, sources, names, signatures)
        if replayed is not None:
            manifest.keep_all()
            manifest.save()
            return replayed
    for i, path in enumerate(sources):
        name = names[i]
        old = manifest.get(name) if manifest is not None else None
        sig = signatures[i]
        if manifest is None or old is None or sig is None:
            todo.append(i)
            continue
        sha = manifest.sha_if_unchanged(name, sig, old) or _sha_or_none(path)
        target = old.get("target")
        if sha != old.get("sha") or not isinstance(target, str) or not target or stat_signature(target) != old.get("out_stat"):
            todo.append(i)
            continue
        doc_id = str(old["doc_id"])
        outcome = Outcome(source=path, doc_id=doc_id, target=Path(target),
                          status="kept" if old.get("kept") else "unchanged", shape=old.get("shape"))
        outcome.warnings = list(old.get("warnings", []))
        outcomes.append(outcome)
        kept.append(i)
        recorded[i] = (old, sig)
        if old.get("stat") == sig:
            manifest.keep(name)
        else:  # touched, not changed: the new signature spares the next run a hash
            manifest.put(name, {**old, "stat": sig, "sha": sha})
        converted.setdefault(doc_id, []).append((outcome, None))
    own = executor is None
    runner = executor or make_executor(len(todo), workers)
    # Opened only when a source is converted: a store holds its rows in memory.
    check_store = checks() if checks is not None and todo else None
    try:
        # Converted TEI waits on disk, not in memory, until every id is known to be
        # unique (50,000 documents' bytes held at once would not keep memory flat).
        with batched_sync(), _Spool(out_dir.parent if todo else None) as spool:
            _collect_and_write([sources[i] for i in todo], runner, spool, outcomes, converted, out_dir, force, id_prefix,
                               publication, check_store)
    finally:
        if own:
            runner.close()
    positions = kept + todo  # where each outcome's source is in ``sources``
    order = sorted(range(len(outcomes)), key=positions.__getitem__)
    outcomes[:] = [outcomes[k] for k in order]
    positions = [positions[k] for k in order]
    if manifest is not None:
        converted_now = set(todo)
        for i, o in zip(positions, outcomes):
            if i in converted_now and o.error is None and o.target is not None and o.doc_id is not None:
                previous = manifest.get(names[i])
                record = {
                    "stat": o.source_stat,
                    "sha": o.source_sha256,
                    "doc_id": o.doc_id,
                    "target": str(o.target),
                    "out_stat": stat_signature(o.target),
                    "shape": o.shape,
                    "warnings": list(o.warnings),
                    **({"kept": True} if o.status == "kept" else {}),
                }
                manifest.put(names[i], record)
                recorded[i] = (record, o.source_stat)
                _warn_if_superseded(o, previous)  # this run's news, not kept with the record
        if len(recorded) == len(names) and all(o.error is None for o in outcomes):  # none failed
            _summarise(manifest, names, [recorded[i] for i in range(len(names))])
        manifest.save()
    if check_store is not None:
        check_store.save(prune=False)  # the sources not converted keep their records
    return outcomes


def _sources_key(names: Sequence[str], signatures: Sequence[list[int] | None]) -> str:
    return signatures_digest(f"{n}\0{sig}" for n, sig in zip(names, signatures))


def _targets_key(targets: Sequence[str], signatures: Sequence[list[int] | None]) -> str:
    return signatures_digest(f"{t}\0{sig}" for t, sig in zip(targets, signatures))


def _summarise(manifest: RecordStore, names: Sequence[str],
               recorded: Sequence[tuple[dict[str, Any], list[int] | None]]) -> None:
    """Leave with the records what the next run needs to say without them that nothing
    changed: a hash of each source's and TEI file's stat signature as recorded, and what
    each source's outcome then is (its id, TEI file, shape and warnings, kept or not)."""
    rows = [[r["doc_id"], r["target"], r.get("shape"), list(r.get("warnings", [])), bool(r.get("kept"))]
            for r, _ in recorded]
    # The sources' hash on a line before the rest: a run after a correction reads no further.
    manifest.set_summary(_sources_key(names, [sig for _, sig in recorded]) + "\n" + json.dumps(
        {"targets": _targets_key([row[1] for row in rows], [r.get("out_stat") for r, _ in recorded]), "outcomes": rows},
        ensure_ascii=False, separators=(",", ":")))


def _replayed(manifest: RecordStore, sources: Sequence[Path], names: Sequence[str],
              signatures: Sequence[list[int] | None]) -> list[Outcome] | None:
    """The outcomes of the last run, as this run's, when every source and the TEI file it
    gave have the stat signatures recorded then (and the sources are the same); else None."""
    sources_key, _, rest = (manifest.summary or "").partition("\n")
    # The sources first: after a correction they differ, and neither the rest of the
    # summary nor the TEI files need be read.
    if not rest or sources_key != _sources_key(names, signatures):
        return None
    try:
        summary = json.loads(rest)
        if not isinstance(summary, dict) or len(summary["outcomes"]) != len(names):
            return None
        rows = summary["outcomes"]
        targets = [row[1] for row in rows]
        if summary["targets"] != _targets_key(targets, [stat_signature(t) for t in targets]):
            return None
        outcomes = []
        for path, (doc_id, target, shape, warnings, kept) in zip(sources, rows):
            outcome = Outcome(source=path, doc_id=doc_id, target=Path(target), status="kept" if kept else "unchanged",
                              shape=shape)
            outcome.warnings = list(warnings)
            outcomes.append(outcome)
        return outcomes
    except (ValueError, TypeError, KeyError):
        return None


def _warn_if_superseded(outcome: Outcome, old: dict[str, object] | None) -> None:
    """Say so when a source now gives another id than at its last conversion (a
    corrected title or date of a document without a record id) while the file it
    gave then is still there: that file, left alone as every TEI file is, would
    otherwise be published beside the new one as a second copy of the document."""
    before = old.get("target") if old is not None else None
    if isinstance(before, str) and before and Path(before) != outcome.target and os.path.exists(before):
        now = as_given(outcome.target) if outcome.target is not None else None
        outcome.warnings.append(f"its id changed: now {now}, before {as_given(Path(before))}, which is still there "
                                "and is still published beside it; delete it unless it should stay")


class _Spool:
    """One scratch file holding every converted document's TEI bytes and check until
    they are written. One file, appended to, not a file per document: creating and
    removing two files per document cost a tenth of a conversion on some file systems."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder
        self._file: BinaryIO | None = None

    def __enter__(self) -> _Spool:
        if self._folder is not None:
            self._folder.mkdir(parents=True, exist_ok=True)
            # Unlinked at once by the system: nothing is left behind, even by a killed run.
            self._file = tempfile.TemporaryFile(dir=self._folder, prefix=".convert-spool-")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._file is not None:
            self._file.close()

    def add(self, data: bytes, check: str) -> tuple[int, int, int]:
        assert self._file is not None
        self._file.seek(0, os.SEEK_END)
        at = self._file.tell()
        encoded = check.encode("utf-8")
        self._file.write(data)
        self._file.write(encoded)
        return at, len(data), len(encoded)

    def get(self, entry: tuple[int, int, int]) -> tuple[bytes, str]:
        assert self._file is not None
        at, size, check_size = entry
        self._file.seek(at)
        data = self._file.read(size)
        return data, self._file.read(check_size).decode("utf-8")


def _collect_and_write(
    todo: list[Path],
    runner: Executor,
    spool: _Spool,
    outcomes: list[Outcome],
    converted: dict[str, list[tuple[Outcome, tuple[int, int, int] | None]]],
    out_dir: Path,
    force: bool,
    id_prefix: str,
    publication: Publication,
    checks: RecordStore | None,
) -> None:
    from edition.fidelity import as_named, payload

    # The workers are given absolute paths: an engine's may run in another folder (a
    # cluster's workers do). What they report is named as the caller named the source.
    against = Path(os.path.abspath(out_dir)) if checks is not None else None
    jobs = [_Job(Path(os.path.abspath(path)), id_prefix, publication, against) for path in todo]
    for path, result in zip(todo, runner.map(_convert_job, jobs, chunksize=16)):
        outcome = Outcome(source=path)
        outcomes.append(outcome)
        if result.error is not None:
            outcome.error = SourceError(result.error[0], path, result.error[1])
            continue
        assert result.doc_id is not None
        outcome.doc_id, outcome.shape = result.doc_id, result.shape
        outcome.warnings = list(result.warnings)
        outcome.source_sha256, outcome.source_stat = result.source_sha256, result.source_stat
        check = as_named(result.check, str(path)) if result.check is not None else None
        staged = spool.add(result.data, payload(check) if check is not None else "")
        converted.setdefault(result.doc_id, []).append((outcome, staged))

    for doc_id, items in converted.items():
        if len(items) > 1:
            names = ", ".join(str(o.source) for o, _ in items)
            for o, _ in items:
                # A source the manifest skipped was made "unchanged" (or "kept"): it is
                # neither now, and the summary would count it twice.
                o.status = "failed"
                o.error = OutputConflict(
                    f"id {doc_id!r} is claimed by several sources ({names}); nothing written: remove the export "
                    "that is a copy of another, or correct the record id (or, without one, the date or title) "
                    "that makes them one document", o.source)
            continue
        outcome, entry = items[0]
        if entry is None:  # unchanged since the manifest's run
            continue
        data, check_payload = spool.get(entry)
        try:
            target = contained_path(out_dir, doc_id, ".xml")
        except EditionError as exc:
            outcome.error = EditionError(exc.message, outcome.source)
            continue
        outcome.target = target
        # Messages name the file under the folder as the editor gave it (target is resolved),
        # relative to the current folder when a configured (absolute) folder is inside it.
        shown = as_given(out_dir / target.name)
        try:
            existing: bytes | None = target.read_bytes()
        except FileNotFoundError:
            existing = None
        except OSError as exc:
            if not force or target.is_dir():
                outcome.error = OutputConflict(_unreadable(shown, exc), outcome.source)
                continue
            existing = None  # --force replaces what it cannot read, as it replaces an edit
        if existing is not None:
            if existing == data:
                outcome.status = "unchanged"
                _record_check(checks, outcome, check_payload, data)
                continue
            from edition.tei import address_drift, checksum_state, converted_from, licence_drift

            state = checksum_state(existing)
            if state == "foreign" and not force:
                state, why = _foreign_state(existing, shown)
                if why:
                    outcome.error = OutputConflict(why, outcome.source)
                    continue
            if state == "edited" and not force:
                from edition.xmlsafe import parse_bytes

                try:
                    edited = parse_bytes(existing, shown).getroot()
                except EditionError as exc:
                    # A slip of the editor's (a tag left open, an entity): the file no
                    # longer says which export it came from. Told as it is, with its
                    # line, not as a change of the source, which may be as it was.
                    outcome.error = OutputConflict(
                        f"{exc}; the file was edited by hand and can no longer be read: correct it and run "
                        f"again, {FORCE_WAY_OUT}",
                        outcome.source,
                    )
                    continue
                if converted_from(edited) == outcome.source_sha256:
                    # The editor edited the conversion of this very export, which has not
                    # changed since: the edit is the newer work, and is kept as it is.
                    outcome.status = "kept"
                    # Said with the conversion's other warnings, which the manifest replays
                    # on every run; a changed licence or address converts (and so looks) again.
                    for drift in (licence_drift(edited, publication), address_drift(edited, publication)):
                        if drift is not None:
                            outcome.warnings.append(f"{shown}: kept as edited by hand, but {drift}")
                    continue
            if state != "intact" and not force:
                if state == "edited":
                    # Carrying the change over is not enough: the file is kept only while
                    # its header names the source as it is now, which only the editor can
                    # vouch for, so the message gives the value to put there.
                    what = (f"was edited by hand, and its source is no longer the export it was converted from; "
                            f"carry the source's changes into it by hand and set its "
                            f"bibl[@type='export']/idno[@type='sha256'] to {outcome.source_sha256}, the source's "
                            f"SHA-256 now, {FORCE_WAY_OUT}")
                else:
                    what = f"was not written by the converter (it has no edition-checksum line); move it away, {FORCE_WAY_OUT}"
                outcome.error = OutputConflict(f"{shown} {what}", outcome.source)
                continue
        atomic_write(target, data)
        outcome.status = "written"
        _record_check(checks, outcome, check_payload, data)


def _unreadable(shown: Path, exc: OSError) -> str:
    """Why a TEI file in the way of a conversion was left alone: it could not be read,
    so whether the editor changed it is unknown."""
    if isinstance(exc, IsADirectoryError):
        return f"{shown} is a folder, where this source's TEI file goes; nothing was written: move the folder away"
    return (f"{shown} cannot be read ({exc.strerror or exc}), so whether it was edited by hand is unknown; nothing "
            f"was written: make it readable and run again, {FORCE_WAY_OUT}")


def _foreign_state(existing: bytes, shown: Path) -> tuple[str, str]:
    """A TEI file whose bytes end in no checksum line: ("edited", "") when it is the
    converter's file saved again in another encoding (an XML editor's UTF-16), its
    checksum instruction still at its end; else ("foreign", why it was left alone),
    saying why it cannot be read when it cannot."""
    from lxml import etree

    from edition.tei import CHECKSUM_PI
    from edition.xmlsafe import parse_bytes

    try:
        tree = parse_bytes(existing, shown)
    except EditionError as exc:
        return "foreign", (f"{exc}; the file cannot be read as XML and has no edition-checksum line, so it was left "
                           f"as it is: correct it or move it away, {FORCE_WAY_OUT}")
    last = tree.getroot().getnext()
    while last is not None and last.getnext() is not None:
        last = last.getnext()
    if isinstance(last, etree._ProcessingInstruction) and last.target == CHECKSUM_PI:
        return "edited", ""
    return "foreign", ""


def _record_check(checks: RecordStore | None, outcome: Outcome, check: str, data: bytes) -> None:
    """Keep the fidelity check the worker ran for ``edition check``, now that its TEI
    file holds ``data``."""
    if checks is None or not check:
        return  # not checked (the worker's check failed): edition check checks it
    from edition.fidelity import from_payload, record_result

    try:
        result = from_payload(check)
    except (ValueError, TypeError):
        return
    sha = outcome.source_sha256
    if sha is not None:
        record_result(checks, record_names([outcome.source])[0], outcome.source, result, sha, hashlib.sha256(data).hexdigest(),
                      source_stat=outcome.source_stat)


def convert_manifest(build_dir: Path, out_dir: Path, id_prefix: str, publication: Publication) -> RecordStore:
    """The records of conversions into ``out_dir``: valid for this code, id prefix and publication."""
    return record_store(build_dir, "convert", out_dir, digest(code_fingerprint(), id_prefix, publication.publisher,
                                                             publication.licence, publication.licence_statement,
                                                             publication.base_url))


def _sha_or_none(path: Path) -> str | None:
    try:
        return file_digest(path)
    except OSError:
        return None
