"""What each output was made from, so a rebuild redoes only what changed.

Convert, check and validate keep one record per input in a :class:`RecordStore`
(rows of one SQLite file per command and target, in ``build/.manifest/``); the
build keeps its own in ``edition.build_state``, and a small JSON
:class:`Manifest` for what the edition-wide outputs were made from. Each is
written at the end of a successful run. A record holds, for an
input file, its stat signature (size, modification time in nanoseconds, inode)
and the SHA-256 of its bytes, plus whatever the command derived from it that
later runs need without reading the file again (a TEI file's id, title and
date for ordering and neighbour links; a validation's findings; a
conversion's output). A file whose stat signature is unchanged is taken to
have the recorded hash, as git and make do; any other file is hashed again.

Each record is valid only under a *fingerprint*: a hash of everything else
the derived result depends on (package version and code, stylesheets,
schemas, configuration, parameters). A fingerprint that differs throws the
record away, so a changed stylesheet or schema redoes every document it
affects, never fewer. The manifest is a cache: deleting it only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edition import __version__
from edition.fsutil import atomic_write
from edition.progress import Progress

MANIFEST_FORMAT = 1
MANIFEST_DIR = ".manifest"
PACKAGE_DIR = Path(__file__).resolve().parent


def stat_signature(path: Path | str) -> list[int] | None:
    """(size, mtime in ns, inode) of a file, or None when it is not a readable file."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def signature_text(sig: Sequence[int]) -> str:
    """A :func:`stat_signature` as text, ``"size\\0mtime_ns\\0inode"``: the form in which
    :func:`folder_signatures` gives each file's, so that a signature the build recorded and
    one a walk found compare equal as strings."""
    return "\0".join(map(str, sig))


def folder_signatures(root: Path | str, known: Mapping[str, str] | None = None) -> dict[str, str]:
    """Every file under ``root`` by its path relative to it (``/``-separated), with its
    stat signature as ``"size\\0mtime_ns\\0inode"``; a folder as ``"rel/"`` with an empty
    signature. In one fixed order (each folder's files by name, then its folders, depth
    first), so two walks of a tree that did not change give equal dicts, items in the same
    order. A file whose signature ``known`` holds is not asked again (a missing ``root``
    gives nothing)."""
    found: dict[str, str] = {}
    base = os.path.join(os.fspath(root), "")
    pending = [""]
    while pending:
        prefix = pending.pop()
        # Names in two lists, not an entry object per file: at 80,000 files the walk is
        # mostly its stat calls (5 microseconds each here), and anything per file shows.
        files: list[str] = []
        folders: list[str] = []
        try:
            with os.scandir(base + prefix) as it:
                for entry in it:
                    (folders if entry.is_dir(follow_symlinks=False) else files).append(entry.name)
        except OSError:
            continue
        files.sort()
        folders.sort()
        for name in files:
            rel = prefix + name
            sig = known.get(rel) if known is not None else None
            if sig is None:
                try:
                    st = os.stat(base + rel)
                except OSError:  # gone while listed
                    continue
                # signature_text's form, made here without the call: the walk asks 80,000 files.
                sig = f"{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}"
            found[rel] = sig
        for name in folders:
            found[prefix + name + "/"] = ""
        pending.extend(prefix + name + "/" for name in reversed(folders))
    return found


def signatures_digest(*parts: Mapping[str, str] | Iterable[str]) -> str:
    """A hash of :func:`folder_signatures` dicts (their keys, then their values, in order)
    and lists of strings."""
    h = hashlib.sha256()
    for part in parts:
        # Keys and values joined apart, each in one call: no string made per item.
        for lines in ((part, part.values()) if isinstance(part, Mapping) else (part,)):
            h.update("\n".join(lines).encode("utf-8", "surrogateescape"))
            h.update(b"\0\1")
    return h.hexdigest()


def file_digest(path: Path | str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def digest(*parts: object) -> str:
    """A hash of plain data (strings, numbers, lists, dicts), independent of dict order."""
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def tree_digest(roots: Iterable[Path], suffixes: tuple[str, ...] | None = None, exclude: tuple[Path, ...] = ()) -> str:
    """A hash of every file under ``roots`` (names and bytes), in a stable order;
    files under a folder of ``exclude`` do not count."""
    h = hashlib.sha256()
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for p in files:
            if suffixes is not None and p.suffix not in suffixes:
                continue
            if "__pycache__" in p.parts or any(p.is_relative_to(folder) for folder in exclude):
                continue
            rel = p.name if root.is_file() else p.relative_to(root).as_posix()
            data = p.read_bytes()
            h.update(f"{rel}\x00{len(data)}\x00".encode())
            h.update(data)
    return h.hexdigest()


_CODE: str | None = None


def code_fingerprint() -> str:
    """The package version and its Python code: a development checkout changes
    behaviour without changing the version number."""
    global _CODE
    if _CODE is None:
        _CODE = digest(__version__, tree_digest([PACKAGE_DIR], (".py",)))
    return _CODE


def record_names(paths: Sequence[Path | str]) -> list[str]:
    """The names manifests keep ``paths`` under: absolute, so a file recorded when a
    folder was given one way (``tei``) is found when it is given another
    (``/home/ed/edition/tei``, as ``edition make`` passes it). Not resolved:
    a name only has to be stable, and resolving costs system calls per file."""
    from edition.fsutil import names_of

    cwd = os.getcwd()
    return [os.path.normpath(os.path.join(cwd, p)) for p in names_of(paths)]


def manifest_path(build_dir: Path, command: str, target: Path) -> Path:
    """Where the manifest of ``command`` for ``target`` (its output or input folder) lives."""
    key = hashlib.sha256(str(target.resolve()).encode()).hexdigest()[:16]
    return build_dir / MANIFEST_DIR / f"{command}-{key}.json"


@dataclass
class Manifest:
    """Records keyed by an input's name, each valid under one fingerprint."""

    path: Path
    fingerprint: str
    records: dict[str, dict[str, Any]]
    extra: dict[str, Any]
    # What was read, to skip rewriting it: the records as loaded (callers build a new
    # dict and assign it, so comparing the two is one C-level walk, no JSON).
    loaded: tuple[dict[str, Any], dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def load(cls, path: Path, fingerprint: str) -> Manifest:
        """The manifest at ``path``; empty when missing, unreadable or made under another fingerprint."""
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return cls(path, fingerprint, {}, {})
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT or data.get("fingerprint") != fingerprint:
            return cls(path, fingerprint, {}, {})
        records = data.get("records")
        extra = data.get("extra")
        records = records if isinstance(records, dict) else {}
        extra = extra if isinstance(extra, dict) else {}
        # extra is small and callers may change it in place: keep a copy of it.
        return cls(path, fingerprint, records, extra, (records, json.loads(json.dumps(extra))))

    def save(self) -> None:
        if self.loaded is not None and self.records == self.loaded[0] and self.extra == self.loaded[1]:
            return  # a run that changed nothing does not rewrite (and sync) megabytes
        body = {"format": MANIFEST_FORMAT, "fingerprint": self.fingerprint, "extra": self.extra, "records": self.records}
        # Compact: at 50,000 documents indentation alone would be megabytes to read back.
        text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write(self.path, text)
            self.loaded = (self.records, json.loads(json.dumps(self.extra)))
        except OSError as exc:
            # A cache that cannot be written costs the next run time, nothing else.
            print(f"edition: warning: {self.path}: cannot write the manifest ({exc.strerror}); the next run redoes everything", file=sys.stderr)

    def sha_if_unchanged(self, name: str, path: Path, signature: list[int] | None) -> str | None:
        """The recorded hash of ``path`` when its stat signature still matches the record."""
        record = self.records.get(name)
        if record is None or signature is None or record.get("stat") != signature:
            return None
        sha = record.get("sha")
        return sha if isinstance(sha, str) else None


_RECORDS_LAYOUT = "3"  # of the tables: a store of another layout starts afresh


class RecordStore:
    """Records keyed by an input's name, valid under one fingerprint, kept as rows of
    one SQLite file (``<command>-<key>.sqlite``): what convert, check and validate
    know of each input between runs.

    Rows are read once as text, when a record is first asked for, and a record is
    parsed only when asked for, so a run holds the edition's records at their size on
    disk, not as Python objects five times that; and a run that changed one record
    writes one row. The callers say, for each input of this run, :meth:`keep` (the
    stored record stands) or :meth:`put`; :meth:`save` then deletes the rows of inputs
    this run did not see, and commits. A run may also leave a :attr:`summary` of
    itself, which the next run reads without a row: a run that finds from it that its
    inputs are all as they were reads no record at all. A store that cannot be read or
    written only costs the next run time.
    """

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        # name -> (record, payload), as stored: JSON text, and text the caller reads itself;
        # read at the first use of a record (see :attr:`summary`)
        self._rows: dict[str, tuple[str, str]] | None = None
        self._changed: dict[str, tuple[str, str]] = {}
        self._reset = True
        self._conn: sqlite3.Connection | None = None  # this run's write transaction, once opened
        self._failed = False
        self._all_kept = False
        # The last successful run's summary of itself, and the one this run leaves (see summary).
        self._summary: str | None = None
        self._new_summary: str | None = None
        # The JSON manifest this store replaced, one file beside it.
        path.with_suffix(".json").unlink(missing_ok=True)
        try:
            conn = sqlite3.connect(path)
            try:
                meta = dict(conn.execute("SELECT key, value FROM meta").fetchall()) if self._tables(conn) else {}
                if meta.get("fingerprint") == fingerprint and meta.get("layout") == _RECORDS_LAYOUT:
                    self._reset = False
                    self._summary = meta.get("summary")
            finally:
                conn.close()
        except sqlite3.Error:
            self._reset, self._summary = True, None
        # Names not yet kept or put this run: their rows go at save().
        self._unseen: set[str] = set()

    @property
    def _stored(self) -> dict[str, tuple[str, str]]:
        return self._rows if self._rows is not None else self._read_rows()

    def _read_rows(self) -> dict[str, tuple[str, str]]:
        if self._rows is None:
            self._rows = {}
            if not self._reset:
                try:
                    conn = sqlite3.connect(self.path)
                    try:
                        self._rows = {name: (record, payload) for name, record, payload
                                      in conn.execute("SELECT name, record, payload FROM records")}
                    finally:
                        conn.close()
                except sqlite3.Error:
                    self._rows, self._reset, self._summary = {}, True, None
            self._unseen = set(self._rows)
        return self._rows

    @property
    def summary(self) -> str | None:
        """What the last successful run said of itself as a whole (:meth:`set_summary`),
        read without a record: a caller that finds in it that none of its inputs changed
        says :meth:`keep_all` and reads no record. A run that changes a record and sets
        no summary of its own leaves none."""
        return self._summary

    def set_summary(self, text: str) -> None:
        """This run's summary of itself, saved with the records."""
        self._new_summary = text

    def keep_all(self) -> None:
        """Every stored record stands (a run that found its inputs as the summary says)."""
        self._all_kept = True
        self._unseen = set()

    @staticmethod
    def _tables(conn: sqlite3.Connection) -> bool:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return {"meta", "records"} <= names

    def __len__(self) -> int:
        return len(self._stored)

    def get(self, name: str) -> dict[str, Any] | None:
        """The stored record of ``name`` (as the last run left it), or None."""
        # The rows without the property: asked once per input, its call showed.
        stored = (self._rows if self._rows is not None else self._read_rows()).get(name)
        if stored is None:
            return None
        try:
            record = json.loads(stored[0])
        except ValueError:
            return None
        return record if isinstance(record, dict) else None

    def sha_if_unchanged(self, name: str, signature: list[int] | None, record: dict[str, Any] | None = None) -> str | None:
        """The stored hash of ``name`` when its stat signature still matches the record."""
        record = self.get(name) if record is None else record
        if record is None or signature is None or record.get("stat") != signature:
            return None
        sha = record.get("sha")
        return sha if isinstance(sha, str) else None

    def payload(self, name: str) -> str | None:
        """The stored payload of ``name``: text kept beside its record, read only when
        wanted (the record decides whether the payload still holds)."""
        stored = (self._rows if self._rows is not None else self._read_rows()).get(name)
        return None if stored is None else stored[1]

    def keep(self, name: str) -> None:
        """``name`` is an input of this run and its stored record stands."""
        if self._rows is None:  # read first: reading sets which names are not yet seen
            self._read_rows()
        self._unseen.discard(name)

    def put(self, name: str, record: dict[str, Any], payload: str = "") -> None:
        """``name`` is an input of this run, with this record (and payload)."""
        stored = (self._rows if self._rows is not None else self._read_rows()).get(name)
        self._unseen.discard(name)
        row = (json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")), payload)
        if stored != row:
            self._changed[name] = row
            if len(self._changed) >= _FLUSH_ROWS:
                self._flush()

    def _flush(self) -> None:
        """Write the rows put so far into this run's transaction (which :meth:`save`
        commits): a first run over 50,000 inputs would otherwise hold them all."""
        if self._failed:
            self._changed = {}
            return
        try:
            self._open().executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)",
                                     ((name, record, payload) for name, (record, payload) in sorted(self._changed.items())))
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
        self._changed = {}

    def _open(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self._reset:
                # Another fingerprint, another layout, or not a store at all: start afresh.
                self.path.unlink(missing_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None)
            try:
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("BEGIN IMMEDIATE")
                if self._reset:
                    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                    # A rowid table: a record of a kilobyte or more would overflow the pages
                    # of a WITHOUT ROWID table (each spilling onto a page of its own).
                    conn.execute("CREATE TABLE records (name TEXT PRIMARY KEY, record TEXT NOT NULL, payload TEXT NOT NULL)")
                    conn.execute("INSERT INTO meta VALUES ('fingerprint', ?), ('layout', ?)", (self.fingerprint, _RECORDS_LAYOUT))
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _fail(self, exc: BaseException) -> None:
        """Give up writing for this run: nothing of it is committed."""
        self._failed = True
        if self._conn is not None:
            try:
                self._conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._conn = None
        if type(exc) is sqlite3.DatabaseError:  # not a database (a lock is an OperationalError)
            self.path.unlink(missing_ok=True)  # the next run starts afresh
        print(f"edition: warning: {self.path}: cannot write the records ({exc}); the next run redoes everything", file=sys.stderr)

    def save(self, prune: bool = True) -> None:
        """Write the records put, delete those of inputs not seen (unless not ``prune``:
        a run that adds records for another command, which sees only some of its
        inputs), and commit: the end of a run (the store is not used after it). A run
        that failed before this commits nothing, and the store stays as the last run
        left it."""
        if not prune or self._all_kept:
            self._unseen = set()
        elif self._rows is None and not self._reset:
            self._stored  # noqa: B018 - the rows, to know which inputs this run did not see
        rows_changed = bool(self._reset or self._changed or self._unseen or self._conn is not None)
        # A summary holds only for the rows it was made with: one that changed them without
        # a summary of its own (convert adding check results) leaves none.
        summary = self._new_summary if self._new_summary is not None else (None if rows_changed else self._summary)
        if self._failed or not (rows_changed or summary != self._summary):
            return  # a run that changed nothing writes nothing
        try:
            self._flush()
            if self._failed:
                return
            conn = self._open()
            conn.executemany("DELETE FROM records WHERE name = ?", ((n,) for n in sorted(self._unseen)))
            if summary is None:
                conn.execute("DELETE FROM meta WHERE key = 'summary'")
            else:
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('summary', ?)", (summary,))
            conn.execute("COMMIT")
        except (OSError, sqlite3.Error) as exc:
            self._fail(exc)
            return
        conn.close()  # self._conn: _open() returned it
        self._conn = None
        self._unseen, self._reset, self._summary = set(), False, summary


_FLUSH_ROWS = 2000  # rows a store holds before writing them into its open transaction


def record_store(build_dir: Path, command: str, target: Path, fingerprint: str) -> RecordStore:
    """The record store of ``command`` for ``target`` (its output or input folder)."""
    return RecordStore(manifest_path(build_dir, command, target).with_suffix(".sqlite"), fingerprint)


def outputs_intact(out_dir: Path, outputs: Mapping[str, list[int]]) -> bool:
    """Every recorded output still exists exactly as it was written (same stat signature)."""
    # os.stat on strings: a no-op build checks ten files per document, and pathlib's
    # object overhead would cost more than the system calls.
    base = os.fspath(out_dir) + os.sep
    for rel, sig in outputs.items():
        try:
            st = os.stat(base + rel)
        except OSError:
            return False
        if [st.st_size, st.st_mtime_ns, st.st_ino] != sig:
            return False
    return True


# --------------------------------------------------------------------------- validation


def validate_incremental(
    paths: Sequence[Path | str],
    layers: Sequence[str],
    *,
    jobs: int = 1,
    build_dir: Path = Path("build"),
    tei_all_rng: str = "implied",
    use_manifest: bool = True,
    progress: Progress | None = None,
) -> tuple[list[Any], int]:
    """``edition validate`` with a manifest: a file is validated again only when its
    bytes, the ids it shares with other files of the collection (the only thing
    the cross-file rules look at), the schemas, the layers or the code changed.
    Schemas are compiled only when some file needs validating. Returns the
    findings (sorted) and the number of files."""
    from edition import refschemas
    from edition.validate import (EDITION_RNG, EDITION_SCH, POOL_THRESHOLD, Validator, collect, facts_and_findings,
                                  file_facts, parse_layers, validator_fingerprint)

    chosen = parse_layers(layers)
    files = collect(paths)
    tei_all = refschemas.tei_all() if "tei_all" in chosen else None
    implied = tei_all_rng == "implied" and "edition" in chosen
    fingerprint = validator_fingerprint(chosen, implied, EDITION_RNG, EDITION_SCH, tei_all) if use_manifest else "-"
    target = "\0".join(sorted(str(Path(p).resolve()) for p in paths))
    key = hashlib.sha256(target.encode()).hexdigest()[:16]
    store = RecordStore(build_dir / MANIFEST_DIR / f"validate-{key}.sqlite", fingerprint) if use_manifest else None

    def make_validator() -> Validator:
        return Validator(chosen, tei_all=tei_all, tei_all_rng="implied" if implied else "always")

    gathered = _Gathered(files, record_names(files))
    # Each file asked for its stat signature once: for the run's summary, then its record.
    signatures = [stat_signature(name) for name in gathered.names]
    summary_key = signatures_digest(f"{name}\0{sig}" for name, sig in zip(gathered.names, signatures))
    if store is not None:
        kept = _kept_findings(store, summary_key, files)
        if kept is not None:
            store.keep_all()
            store.save()
            return kept, len(files)
    validator: Validator | None = None
    with contextlib.ExitStack() as workers:
        # Files whose stat signature changed are read (hash and ids) before any is
        # validated: the cross-file rules need every file's ids.
        unread = [i for i in range(len(files)) if not gathered.keep(i, store, signatures[i])]
        facts: Iterable[tuple[str, tuple[list[str], list[str]], list[Any] | None]]
        reading = None  # the progress of reading (and so validating) the files, when that is the run's work
        if len(unread) >= POOL_THRESHOLD and jobs > 1:
            # Enough work for a pool: the workers are forked now, before this process holds
            # a record per file, and they read the files (a correction or two is read here).
            # A worker that reads a changed file validates it too, as sharing no id with
            # another file; the few that do share one are validated again below.
            validator = make_validator()
            workers.enter_context(validator.workers(jobs))
            facts = validator.map_files(facts_and_findings, [(files[i], gathered.known_sha(i)) for i in unread])
            if progress is not None:
                reading = progress
                reading.total = len(unread)
        else:
            facts = ((*file_facts(files[i]), None) for i in unread)
        fresh = 0
        for i, (sha, ids, made) in zip(unread, facts):
            fresh += gathered.read(i, store, sha, ids, made)
            if reading is not None:
                reading.advance()
        if fresh and validator is None:
            validator = make_validator()  # the schemas are needed after all
        findings = gathered.validate(store, validator, jobs, use_manifest, progress, make_validator, summary_key)
    return findings, len(files)


def _kept_findings(store: RecordStore, key: str, files: Sequence[Path]) -> list[Any] | None:
    """The findings of the last run, named as this run names the files, when it was
    given the same files with the same stat signatures (``key``); else None."""
    from edition.fsutil import names_of
    from edition.validate import Finding

    try:
        summary = json.loads(store.summary or "null")
        if not isinstance(summary, dict) or summary.get("key") != key:
            return None
        shown = names_of(files)
        return sorted(Finding(**{**finding, "file": shown[i]}) for i, finding in summary["findings"])
    except (ValueError, TypeError, KeyError, IndexError):
        return None


class _Gathered:
    """What :func:`validate_incremental` knows of each file: its record (kept or new)
    and its ids, in the order of the files."""

    def __init__(self, files: Sequence[Path], names: Sequence[str]) -> None:
        self.files = files
        self.names = names
        self.records: dict[str, dict[str, Any]] = {}
        self.changed: set[str] = set()  # the records this run made or altered; the rest are kept
        self.validated: set[str] = set()  # the records whose findings this run made as it read the file
        self.ids: list[tuple[list[str], list[str]]] = [([], []) for _ in files]
        self._unread: dict[int, tuple[Any, dict[str, Any] | None]] = {}  # file -> (stat signature, old record)

    def keep(self, i: int, store: RecordStore | None, sig: list[int] | None) -> bool:
        """Take file ``i``'s record as the store has it, if the file is as it was
        recorded (same stat signature ``sig``, taken now); False when the file must be read."""
        name = self.names[i]
        old = store.get(name) if store is not None else None
        sha = store.sha_if_unchanged(name, sig, old) if store is not None and old is not None else None
        if sha is not None and old is not None and isinstance(old.get("ids"), list):
            self.ids[i] = (list(old["ids"][0]), list(old["ids"][1]))
            self.records[name] = old
            return True
        self._unread[i] = (sig, old)
        return False

    def known_sha(self, i: int) -> str | None:
        """The hash file ``i``'s record holds, for a file that must be read again."""
        old = self._unread[i][1]
        sha = old.get("sha") if old is not None else None
        return sha if isinstance(sha, str) and sha else None

    def read(self, i: int, store: RecordStore | None, sha: str, ids: tuple[list[str], list[str]],
             made: list[Any] | None = None) -> bool:
        """Record file ``i`` from its bytes' hash and ids (:func:`edition.validate.file_facts`),
        and ``made``, the findings of those bytes as a file sharing no id with another
        (:func:`edition.validate.facts_and_findings`), if made; True when its findings
        must be made (a new file, or changed bytes, not yet validated)."""
        name = self.names[i]
        sig, old = self._unread.pop(i)
        self.changed.add(name)
        self.ids[i] = ids
        record = self.records[name] = {"stat": sig, "sha": sha, "ids": [ids[0], ids[1]]}
        if old is not None and old.get("sha") == sha and sha:
            # Touched, not changed: the findings still hold.
            record["shared"] = old.get("shared")
            record["findings"] = old.get("findings")
            return False
        if made is not None:
            # They hold while the file shares no id: validate() compares, as for any record.
            record["shared"] = [[], []]
            record["findings"] = [f.as_dict() for f in made]
            self.validated.add(name)
            return False
        return True

    def validate(self, store: RecordStore | None, validator: Any, jobs: int, use_manifest: bool,
                 progress: Progress | None, make_validator: Callable[[], Any], summary_key: str = "") -> list[Any]:
        """Findings of every file: kept ones, and those of the files to check again
        (their own bytes or the ids they share changed); records saved, with a summary
        of the run under ``summary_key`` (the files' stat signatures as recorded)."""
        from edition.fsutil import names_of
        from edition.validate import Finding, collection_tasks

        findings: list[Any] = []
        check = []
        record_of: dict[Path, dict[str, Any]] = {}  # the files to check: their records
        for task, name, shown in zip(collection_tasks(self.files, self.ids), self.names, names_of(self.files)):
            record = self.records[name]
            if ((use_manifest or name in self.validated) and record.get("shared") == [task[1], task[2]]
                    and isinstance(record.get("findings"), list)):
                # Named as this run names the file (the record may come from a run given the folder another way).
                findings += [Finding(**{**d, "file": shown}) for d in record["findings"]]
            else:
                record.pop("findings", None)
                record["shared"] = [task[1], task[2]]
                check.append(task)
                record_of[task[0]] = record
                self.changed.add(name)

        if check:
            bar = progress or Progress("validating", len(check), enabled=False)
            bar.total = bar.done + len(check)  # after the files validated as they were read

            def record_result(task: tuple[Path, list[str], list[str]], result: list[Any]) -> None:
                record_of[task[0]]["findings"] = [f.as_dict() for f in result]
                bar.advance()

            if validator is None:  # only the ids shared with other files changed: schemas after all
                validator = make_validator()
            findings += validator.validate_tasks(check, jobs, on_result=record_result)
            bar.close()
        elif progress is not None and progress.done:
            progress.close()  # every file was validated as it was read
        findings.sort()
        if store is not None:
            for name, record in self.records.items():
                if name in self.changed:
                    store.put(name, record)
                else:
                    store.keep(name)
            # Each file's findings by its place among the files, to be named as a later run names them.
            place = {shown: i for i, shown in enumerate(names_of(self.files))}
            recorded = signatures_digest(f"{name}\0{self.records[name].get('stat')}" for name in self.names)
            if use_manifest and recorded == summary_key and all(f.file in place for f in findings):
                store.set_summary(json.dumps({"key": summary_key, "findings": [
                    [place[f.file], {k: v for k, v in f.as_dict().items() if k != "file"}] for f in findings]},
                    ensure_ascii=False, separators=(",", ":")))
            store.save()
        return findings


