"""The harvesting catalog: one SQLite file recording every document the edition ever published.

For each document the catalog keeps what an OAI-PMH harvester needs and what must
stay stable between builds: the OAI datestamp, a hash of everything disseminated
about the record (its TEI as served, oai_dc bytes, set membership), the sets, a deleted
flag, and the disseminated metadata itself, so that the endpoint serves a
consistent snapshot even while ``tei/`` is being edited.

Rules (OAI-PMH 2.0, sections 2.5.1 and 2.7.1):

* a datestamp changes only when the hash changes, so a rebuild without change
  keeps every datestamp and incremental harvests stay empty;
* a document that disappears from ``tei/`` becomes a deleted record and stays one
  (``deletedRecord`` is ``persistent``); if it comes back it is a new change;
* a new repository identifier renames every record; the old names stay as deleted
  records (table ``retired``), for the same reason;
* one update is one SQLite transaction: an interrupted build leaves the previous
  catalog as it was;
* every change bumps the catalog ``version``, which resumption tokens carry, so a
  harvester paging through a list that changed under it is told so.

Sets form a hierarchy by prefix (``type`` > ``type:letter``); a record belongs to
the parents of its sets too, so selecting ``type`` selects every typed record.

What each document contributes (its entry: oai_dc, sets, hash) is read by
:mod:`edition.catalog_entries`; this module keeps the file: it writes the entries
(:func:`update`, and :func:`catalog_stage` for the build) and reads consistent
snapshots for the OAI-PMH endpoint (:func:`snapshot`).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, overload

from lxml import etree

from edition import xmlsafe
from edition.catalog_entries import (HASH_SCHEME, SET_ROOTS, CatalogError, CatalogPart, Entry, SetInfo, Unchanged,
                                     derive_sets, document_part, document_url, plan_entries, planned_entries,
                                     record_hash, served_digest)
from edition.config import Config
from edition.incremental import code_fingerprint

SCHEMA_VERSION = "1"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS records (
    id TEXT PRIMARY KEY,
    datestamp TEXT NOT NULL,
    hash TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    sets TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    tei BLOB,
    oai_dc BLOB,
    tei_sha TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_datestamp ON records (datestamp, id);
CREATE TABLE IF NOT EXISTS record_sets (
    spec TEXT NOT NULL,
    id TEXT NOT NULL REFERENCES records (id),
    PRIMARY KEY (spec, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sets (spec TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS retired (
    identifier TEXT PRIMARY KEY,
    datestamp TEXT NOT NULL,
    sets TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
"""
_STATE_INDEX = "CREATE INDEX IF NOT EXISTS records_state ON records (id, hash, deleted, tei_sha, source)"
# The queries that index serves (tests check that SQLite answers them from it alone).
LIVE_SOURCES_SQL = "SELECT source, id, tei_sha FROM records WHERE deleted = 0 AND tei_sha != ''"
LIVE_SHAS_SQL = "SELECT id, tei_sha FROM records WHERE deleted = 0 AND tei_sha != ''"
RECORD_STATE_SQL = "SELECT id, hash, deleted, tei_sha FROM records"


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int = 0
    datestamp: str = ""
    # OAI identifiers under a former repository identifier that this update made deleted records.
    retired: list[str] = field(default_factory=list)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.deleted or self.retired)

    def summary(self) -> str:
        return (
            f"catalog: {len(self.added)} added, {len(self.changed)} changed, "
            f"{len(self.deleted)} deleted, {self.unchanged} unchanged (version {self.version})"
        )


@dataclass(frozen=True)
class Record:
    id: str
    datestamp: str
    deleted: bool
    sets: tuple[str, ...]
    metadata: bytes | None = None  # the requested format's XML, None when deleted or not asked
    # The whole OAI identifier of a record retired with a former repository identifier
    # (see _retire); "" for the catalog's records, named oai:<repository_identifier>:<id>.
    identifier: str = ""

    @property
    def key(self) -> str:
        """Its place in a list: record ids (no colon) first, then retired identifiers."""
        return self.identifier or self.id


def format_datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATESTAMP_FORMAT)


# ---------------------------------------------------------------------------
# Writing


def connect(db_path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        if not db_path.is_file():
            raise CatalogError("no catalog here; run 'edition build' first", db_path)
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None,
                               check_same_thread=False)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            if "readonly" not in str(exc):
                conn.close()
                raise CatalogError(f"not a usable SQLite catalog: {exc}", db_path) from None
            # A build killed inside its write transaction leaves a WAL that only a
            # read-write connection may recover (which rolls the unfinished
            # transaction back); recover it once, then read as before.
            conn.close()
            recovery = sqlite3.connect(db_path, timeout=30)
            try:
                recovery.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                recovery.close()
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, isolation_level=None,
                                   check_same_thread=False)
    else:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        if not readonly:
            # WAL: the server keeps reading the old snapshot while a build writes.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise CatalogError(f"not a usable SQLite catalog: {exc}", db_path) from None
    return conn


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta").fetchall())


def mapping_fingerprint(config: Config) -> str:
    """What the oai_dc of an unchanged TEI file depends on: dc.xsl (with whatever it
    imports or includes) and the site URL."""
    from edition.transform import XSLT_DIR, stylesheet_digest

    key = f"{SCHEMA_VERSION}\0{document_url(config, '')}\0{stylesheet_digest(XSLT_DIR / 'dc.xsl')}"
    return hashlib.sha256(key.encode()).hexdigest()


def _known_sources(db_path: Path, fingerprint: str) -> dict[str, tuple[str, str]]:
    """Source file name -> (record id, TEI hash) of the live records, when the catalog
    was made by the same mapping and the same code (which derives the sets)."""
    if not db_path.is_file():
        return {}
    try:
        conn = connect(db_path, readonly=True)
    except CatalogError:
        return {}
    try:
        meta = _meta(conn)
        if meta.get("mapping") != fingerprint or meta.get("code") != code_fingerprint():
            return {}
        rows = conn.execute(LIVE_SOURCES_SQL).fetchall()
        return {row[0]: (row[1], row[2]) for row in rows}
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()


class _StoredDublinCore(Mapping[str, tuple[str, bytes]]):
    """The catalog's oai_dc by record id (with the TEI hash it was made from), read
    one record at a time: an update reuses a few of them, and holding all of
    50,000 would not keep memory flat."""

    def __init__(self, db_path: Path) -> None:
        self._db_path = db_path
        self._shas: dict[str, str] = {}
        try:
            conn = connect(db_path, readonly=True)
        except CatalogError:
            return
        try:
            self._shas = dict(conn.execute(LIVE_SHAS_SQL).fetchall())
        except sqlite3.DatabaseError:
            self._shas = {}
        finally:
            conn.close()

    def __getitem__(self, doc_id: str) -> tuple[str, bytes]:
        sha = self._shas[doc_id]
        conn = connect(self._db_path, readonly=True)
        try:
            row = conn.execute("SELECT oai_dc FROM records WHERE id = ? AND tei_sha = ?", (doc_id, sha)).fetchone()
        finally:
            conn.close()
        if row is None or row[0] is None:
            raise KeyError(doc_id)
        return (sha, bytes(row[0]))

    @overload
    def get(self, doc_id: str) -> tuple[str, bytes] | None: ...
    @overload
    def get[T](self, doc_id: str, default: T) -> tuple[str, bytes] | T: ...

    def get(self, doc_id: str, default: object = None) -> object:
        try:
            return self[doc_id]
        except (KeyError, sqlite3.DatabaseError, CatalogError):
            return default

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._shas

    def __iter__(self) -> Iterator[str]:
        return iter(self._shas)

    def __len__(self) -> int:
        return len(self._shas)


def _reusable(db_path: Path, fingerprint: str) -> Mapping[str, tuple[str, bytes]]:
    """oai_dc already in the catalog, when it was made by the same mapping."""
    if not db_path.is_file():
        return {}
    try:
        conn = connect(db_path, readonly=True)
    except CatalogError:
        return {}  # update() reports an unusable catalog itself
    try:
        if _meta(conn).get("mapping") != fingerprint:
            return {}
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()
    return _StoredDublinCore(db_path)


def update(
    tei_paths: Iterable[Path],
    db_path: Path,
    *,
    config: Config | None = None,
    now: datetime | None = None,
    entries: Sequence[Entry | Unchanged] | None = None,
    contents: dict[Path, bytes] | None = None,
    shas: dict[Path, str] | None = None,
    parts: Mapping[Path, CatalogPart] | None = None,
    settled: Sequence[Unchanged] = (),
) -> UpdateReport:
    """Bring the catalog at ``db_path`` in line with the TEI files ``tei_paths``
    and the ``settled`` records (see :func:`plan_entries`; a caller that matched
    them itself passes only the other files as ``tei_paths``).

    All documents are read and transformed before the database is opened for
    writing, and all writes happen in one transaction. ``contents`` may give
    the files' bytes (the build has read them already).
    """
    if config is None:
        from edition.config import load_config

        config = load_config()
    fingerprint = mapping_fingerprint(config)
    stream: Iterable[Entry | Unchanged]
    if entries is None:
        reuse = _reusable(db_path, fingerprint)
        # Every file is checked (and every id claimed once) before the database is
        # opened; the entries themselves are made batch by batch inside the write
        # transaction, so memory does not grow with the edition, and a failure
        # there rolls the whole update back.
        plan = plan_entries(tei_paths, contents, reuse, _known_sources(db_path, fingerprint), shas, parts, settled)
        stream = planned_entries(plan, config, parts)
    else:
        stream = entries
    stamp_time = now if now is not None else datetime.now(UTC)
    report = UpdateReport()
    # A new catalog is made beside its place and moved there whole: a build killed while
    # making it leaves no catalog, never a database without its tables.
    fresh = not db_path.exists()
    target = _new_catalog_path(db_path) if fresh else db_path
    conn = connect(target)
    if fresh:
        # Nobody reads the new file before it is moved into place, and a failure removes
        # it: it needs no journal, and no sync until it is complete. In write-ahead mode
        # every page went to the log and then again into the file when it closed (the
        # TEI of every document: 170 MB at 10,000).
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            # Statement by statement: executescript() would commit the open transaction.
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(records)")}
            if "tei_sha" not in columns:  # catalogs from before the oai_dc cache
                conn.execute("ALTER TABLE records ADD COLUMN tei_sha TEXT NOT NULL DEFAULT ''")
            # What an update compares, in an index of its own: scanning the table itself
            # would read every record's TEI and Dublin Core to reach tei_sha, stored after
            # them (200 MB at 10,000 documents, for 1 MB of ids and hashes).
            conn.execute(_STATE_INDEX)
            meta = _meta(conn)
            if meta.get("schema", SCHEMA_VERSION) != SCHEMA_VERSION:
                raise CatalogError(
                    f"catalog schema {meta['schema']} is not {SCHEMA_VERSION}; it was made by another "
                    "version of edition", db_path)
            if "secret" not in meta:
                conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                conn.execute("INSERT INTO meta VALUES ('secret', ?)", (secrets.token_hex(32),))
                conn.execute("INSERT INTO meta VALUES ('version', '0')")
                conn.execute("INSERT INTO meta VALUES ('created', ?)", (format_datestamp(stamp_time),))
                meta = _meta(conn)
            if meta.get("hash") != HASH_SCHEME:
                _rehash(conn)
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('hash', ?)", (HASH_SCHEME,))
            # Datestamps never go backwards, even if the clock does.
            stamp = max(format_datestamp(stamp_time), meta.get("last_change", ""))
            _retire(conn, meta.get("repository_identifier"), config.repository_identifier, stamp, report)
            _apply(conn, stream, stamp, report)
            _rename(conn, meta.get("repository_identifier"), config.repository_identifier, stamp, report)
            if now is None and not fresh:
                stamp = _restamp(conn, report, stamp)
            version = int(meta["version"])
            if report.touched:
                version += 1
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(version),))
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_change', ?)", (stamp,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('repository_identifier', ?)", (config.repository_identifier,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('mapping', ?)", (fingerprint,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_fingerprint(),))
            report.version = version
            report.datestamp = stamp
            conn.execute("COMMIT")
            if now is None and not fresh and report.touched:
                _settle(conn, report)
            if fresh:
                conn.execute("PRAGMA journal_mode = WAL")  # as every later writer and reader expects
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except BaseException as exc:
        conn.close()
        if fresh:
            _remove_database(target)
        if isinstance(exc, sqlite3.DatabaseError):
            raise CatalogError(f"catalog update failed: {exc}", db_path) from None
        raise
    finally:
        conn.close()
    if fresh:
        _fsync_file(target)  # on disk before it takes the catalog's name
        os.replace(target, db_path)
    return report


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_catalog_path(db_path: Path) -> Path:
    """Where a new catalog is made before it takes ``db_path``'s place; what a killed
    run left there before is removed."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for old in db_path.parent.glob(f".{db_path.name}.new*"):
        old.unlink(missing_ok=True)
    return db_path.parent / f".{db_path.name}.new"


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _apply(conn: sqlite3.Connection, entries: Iterable[Entry | Unchanged], stamp: str, report: UpdateReport) -> None:
    existing = {
        row[0]: (row[1], bool(row[2]), row[3])
        for row in conn.execute(RECORD_STATE_SQL)
    }
    present = set()
    # Sets whose members changed, and for each the name its first member by id among
    # the records written now gives it (see _name_sets).
    affected: set[str] = set()
    named: dict[str, tuple[str, str]] = {}
    for entry in entries:
        present.add(entry.id)
        if isinstance(entry, Unchanged):
            report.unchanged += 1
            continue
        specs = " ".join(s.spec for s in entry.sets)
        old = existing.get(entry.id)
        if old is not None and old[0] == entry.hash and not old[1]:
            report.unchanged += 1
            if old[2] != entry.tei_sha:
                # Bytes that disseminate as before (an xml-model line changed, say): the
                # catalog keeps the file as it is now, under the same datestamp.
                conn.execute("UPDATE records SET tei = ?, tei_sha = ?, source = ? WHERE id = ?",
                             (entry.tei, entry.tei_sha, entry.source, entry.id))
            continue
        for info in entry.sets:
            affected.add(info.spec)
            if info.spec not in named or entry.id < named[info.spec][0]:
                named[info.spec] = (entry.id, info.name)
        if old is None:
            report.added.append(entry.id)
            conn.execute(
                "INSERT INTO records (id, datestamp, hash, deleted, sets, source, tei, oai_dc, tei_sha)"
                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
                (entry.id, stamp, entry.hash, specs, entry.source, entry.tei, entry.oai_dc, entry.tei_sha),
            )
        else:
            report.changed.append(entry.id)
            affected.update(_specs_of(conn, entry.id))  # the sets it may leave
            conn.execute(
                "UPDATE records SET datestamp = ?, hash = ?, deleted = 0, sets = ?, source = ?,"
                " tei = ?, oai_dc = ?, tei_sha = ? WHERE id = ?",
                (stamp, entry.hash, specs, entry.source, entry.tei, entry.oai_dc, entry.tei_sha, entry.id),
            )
            conn.execute("DELETE FROM record_sets WHERE id = ?", (entry.id,))
        conn.executemany(
            "INSERT INTO record_sets (spec, id) VALUES (?, ?)", [(s.spec, entry.id) for s in entry.sets]
        )
        for info in entry.sets:
            conn.execute(
                "INSERT INTO sets (spec, name) VALUES (?, ?) ON CONFLICT (spec) DO UPDATE SET name = excluded.name",
                (info.spec, info.name),
            )
    _deleted_documents(conn, existing, present, stamp, report)
    for doc_id in report.deleted:
        affected.update(_specs_of(conn, doc_id))
    _name_sets(conn, affected, named)
    # A set whose last member (live or deleted) moved elsewhere is no longer listed, unless a
    # retired identifier's header names it (a few distinct lists of specs, read once).
    named_by_retired = {spec for (specs,) in conn.execute("SELECT DISTINCT sets FROM retired") for spec in specs.split()}
    conn.executemany("DELETE FROM sets WHERE spec = ?", [
        (spec,) for (spec,) in conn.execute("SELECT spec FROM sets WHERE spec NOT IN (SELECT spec FROM record_sets)")
        if spec not in named_by_retired])


def _specs_of(conn: sqlite3.Connection, doc_id: str) -> list[str]:
    """The sets the catalog lists the record ``doc_id`` in (a deleted one keeps them)."""
    row = conn.execute("SELECT sets FROM records WHERE id = ?", (doc_id,)).fetchone()
    return str(row[0]).split() if row is not None else []


def _name_sets(conn: sqlite3.Connection, specs: Iterable[str], named: Mapping[str, tuple[str, str]]) -> None:
    """Name each set of ``specs`` as its first live member by id names it.

    Each document names the sets it is in from its own header (the archive's full
    name, the language's), and two documents may disagree (a header corrected by
    hand): the name must not depend on which of them an update happened to write
    last, or an incremental build's ListSets differs from a clean build's. ``named``
    holds the first member by id among the records written now, with its name; a
    first member written before is read back from its stored TEI (one per set at
    most, and only when that set's members changed).
    """
    for spec in sorted(specs):
        if spec in SET_ROOTS:
            continue  # named by the edition, not by its documents
        first = conn.execute(
            "SELECT rs.id FROM record_sets rs JOIN records r ON r.id = rs.id"
            " WHERE rs.spec = ? AND r.deleted = 0 ORDER BY rs.id LIMIT 1", (spec,)).fetchone()
        if first is None:
            continue  # only deleted members (or none): the name it had stays
        doc_id = str(first[0])
        written = named.get(spec)
        if written is not None and written[0] == doc_id:
            name = written[1]
        else:
            stored = conn.execute("SELECT tei FROM records WHERE id = ?", (doc_id,)).fetchone()[0]
            root = xmlsafe.parse_bytes(bytes(stored), doc_id).getroot()
            name = next((info.name for info in derive_sets(root) if info.spec == spec), "")
        if name:
            conn.execute("UPDATE sets SET name = ? WHERE spec = ? AND name != ?", (name, spec, name))


def _rename(conn: sqlite3.Connection, was: str | None, now: str, stamp: str, report: UpdateReport) -> None:
    """Stamp every record anew when the repository identifier changed since the last update.

    The identifier is part of every record's OAI identifier (oai:<identifier>:<id>), so a
    new one renames them all, though no metadata changed: without a new datestamp an
    incremental harvest (from its last responseDate) would find nothing, and a harvester
    would never learn the new names. (Catalogs from before the identifier was kept say
    nothing of it, and are taken to have the current one.)
    """
    if was is None or was == now:
        return
    touched = {*report.added, *report.changed, *report.deleted}
    others = [row[0] for row in conn.execute("SELECT id FROM records ORDER BY id") if row[0] not in touched]
    conn.executemany("UPDATE records SET datestamp = ? WHERE id = ?", [(stamp, doc_id) for doc_id in others])
    report.changed.extend(others)


def _rehash(conn: sqlite3.Connection) -> None:
    """Recompute the hash of every live record the way this version makes it, from what
    the catalog holds, without touching a datestamp.

    A catalog made by an earlier version hashed its records another way (the whole TEI
    file, until HASH_SCHEME 2): compared with the new hashes, every record would look
    changed and be stamped anew, though nothing a harvester receives changed. Run once,
    in the update's transaction, the first time a version with another scheme updates
    the catalog (it parses every stored TEI document once: about a quarter of a
    millisecond each, 2 to 3 s at 10,000). A record whose metadata did change since is
    then found changed by the update as usual.
    """
    ids = [row[0] for row in conn.execute("SELECT id FROM records WHERE deleted = 0 ORDER BY id")]
    for doc_id in ids:
        tei, oai_dc, specs = conn.execute("SELECT tei, oai_dc, sets FROM records WHERE id = ?", (doc_id,)).fetchone()
        if tei is None or oai_dc is None:
            continue  # nothing disseminated to hash: the update writes this record anew
        served = served_digest(xmlsafe.parse_bytes(bytes(tei), doc_id).getroot())
        conn.execute("UPDATE records SET hash = ? WHERE id = ?",
                     (record_hash(served, bytes(oai_dc), str(specs)), doc_id))


def _retire(conn: sqlite3.Connection, was: str | None, now: str, stamp: str, report: UpdateReport) -> None:
    """Keep every record's identifier under the former repository identifier as a deleted record.

    A harvester that holds oai:<was>:<id> must learn that it is gone (spec 2.5.1: Identify
    says deletedRecord is persistent), or it keeps a stale copy beside the record under its
    new name for good. So each record the catalog held becomes, under its old name, a
    deleted record stamped now (one deleted before keeps the moment it was deleted), with
    the sets it was in. Called before the update's own changes, so the old names carry
    what the old identifier served. Names under ``now`` that an earlier change retired
    are the records' own again.
    """
    if was is None or was == now:
        return
    prefix = f"oai:{now}:"
    conn.execute("DELETE FROM retired WHERE substr(identifier, 1, ?) = ?", (len(prefix), prefix))
    retired: list[tuple[str, str, str]] = []
    for doc_id, datestamp, deleted, sets in conn.execute("SELECT id, datestamp, deleted, sets FROM records"):
        identifier = f"oai:{was}:{doc_id}"
        retired.append((identifier, datestamp if deleted else stamp, sets))
        if not deleted:
            report.retired.append(identifier)  # stamped again with the update (_restamp)
    conn.executemany("INSERT OR REPLACE INTO retired (identifier, datestamp, sets) VALUES (?, ?, ?)", retired)


def _restamp(conn: sqlite3.Connection, report: UpdateReport, stamp: str) -> str:
    """Give the records this update touched the time it is about to commit, not the time it began.

    Entries stream in (and may be transformed) inside the write transaction, which can take
    minutes. A harvest answered meanwhile reads the previous catalog, and its responseDate,
    which the harvester passes as ``from`` next time, is later than the update's start:
    changes stamped with that start would never be harvested incrementally (spec 2.7.1).
    What is left between this moment and the commit is a few writes and one sync.
    (A new catalog needs none of this: nobody can harvest before it takes its place.)
    """
    late = max(format_datestamp(datetime.now(UTC)), stamp)
    if late != stamp and report.touched:
        touched = (*report.added, *report.changed, *report.deleted)
        conn.executemany("UPDATE records SET datestamp = ? WHERE id = ?", [(late, doc_id) for doc_id in touched])
        conn.executemany("UPDATE retired SET datestamp = ? WHERE identifier = ?",
                         [(late, identifier) for identifier in report.retired])
    return late


def _settle(conn: sqlite3.Connection, report: UpdateReport) -> None:
    """Stamp the records an update touched again while its commit ended in a later second
    than their stamp.

    _restamp stamps them just before COMMIT, which syncs and may take a while. A harvest
    answered between that moment and the commit's end read the previous catalog, yet its
    responseDate may already be in the next second: the changes, stamped a second earlier,
    would never reach a harvester that passes it as ``from`` (spec 2.7.1). A commit ending
    in its stamp's second leaves no such harvest. Usually one clock reading; in the rare
    other case one small transaction (a new version: datestamps moved under open lists).
    """
    while format_datestamp(datetime.now(UTC)) > report.datestamp:
        # (update() rolls this transaction back if it fails; the first one stays, as stamped.)
        conn.execute("BEGIN IMMEDIATE")
        stamp = _restamp(conn, report, report.datestamp)
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(report.version + 1),))
        conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_change', ?)", (stamp,))
        conn.execute("COMMIT")
        report.version += 1
        report.datestamp = stamp


def _deleted_documents(conn: sqlite3.Connection, existing: dict, present: set[str], stamp: str,
                       report: UpdateReport) -> None:
    for doc_id, (_, deleted, _) in sorted(existing.items()):
        if doc_id not in present and not deleted:
            report.deleted.append(doc_id)
            # The header (identifier, datestamp, sets) stays; the metadata goes.
            conn.execute(
                "UPDATE records SET deleted = 1, datestamp = ?, hash = '', tei = NULL, oai_dc = NULL, tei_sha = ''"
                " WHERE id = ?",
                (stamp, doc_id),
            )


def stage_config(ctx) -> Config:  # noqa: ANN001 - edition.render.BuildContext
    """The configuration the build's catalog is made under (the site's base URL wins)."""
    from dataclasses import replace

    from edition.config import load_config

    config = ctx.config if ctx.config is not None else load_config()
    if ctx.base_url and ctx.base_url != config.base_url:
        config = replace(config, base_url=ctx.base_url)
    return config


def stage_catalog(ctx, config: Config) -> Path:  # noqa: ANN001 - edition.render.BuildContext
    """Where the build's catalog is: the configured one when the site goes to the
    configured folder, else ``catalog.sqlite`` beside the site."""
    if Path(ctx.out_dir).resolve() == config.site_dir.resolve():
        return config.catalog
    return Path(ctx.out_dir).parent / "catalog.sqlite"


def current_files(ctx) -> dict[str, str]:  # noqa: ANN001 - edition.render.BuildContext
    """TEI file name -> hash of the bytes the build's catalog holds for it, when they were
    catalogued under the present mapping and code: those files need no catalog part."""
    config = stage_config(ctx)
    return {name: sha for name, (_, sha) in _known_sources(stage_catalog(ctx, config), mapping_fingerprint(config)).items()}


def document_stage(doc, ctx, root: etree._Element | None = None, tree: Any = None) -> CatalogPart:  # noqa: ANN001 - edition.build types
    """The build's per-document part of the catalog (run in its render workers, which
    give the ``root`` and Saxon ``tree`` they parsed)."""
    return document_part(doc.tei_path, doc.data, stage_config(ctx), root, tree)


class _PreparedParts(Mapping[Path, CatalogPart]):
    """The catalog parts the build's workers made, by TEI path, read one at a time."""

    def __init__(self, shas: Mapping[Path, str], lookup) -> None:  # noqa: ANN001
        self._shas = shas
        self._lookup = lookup

    def __getitem__(self, path: Path) -> CatalogPart:
        part = self._lookup(self._shas[path])
        if part is None:
            raise KeyError(path)
        return part

    def __iter__(self) -> Iterator[Path]:
        return iter(self._shas)

    def __len__(self) -> int:
        return len(self._shas)


def catalog_stage(docs: Sequence, ctx) -> UpdateReport:  # noqa: ANN001 - edition.build types
    """The build's edition-wide stage: bring the catalog in line with the documents just built.

    The catalog sits beside the site: the configured one when the site goes to
    the configured folder, ``<out>/catalog.sqlite`` when ``edition build --out``
    moved it. The parts its render workers made (``ctx.catalog_parts``, TEI hash
    to :class:`CatalogPart`) are used as they are; any other file is read here.
    """
    config = stage_config(ctx)
    db_path = stage_catalog(ctx, config)
    lookup = getattr(ctx, "catalog_parts", None)
    # Documents whose file name and hash the catalog holds are settled here, from the
    # build's names and hashes: after one correction that is all but one, and their
    # paths are never looked at (hashing a Path formats it: 10,000 of them cost a tenth
    # of a second). The rest go through update()'s checks.
    known = _known_sources(db_path, mapping_fingerprint(config))
    settled: list[Unchanged] = []
    shas: dict[Path, str] = {}
    for d in docs:
        name = getattr(d, "file", None) or d.tei_path.name
        seen = known.get(name)
        if seen is not None and seen[1] == d.sha256:
            settled.append(Unchanged(seen[0], name))
        else:
            shas[d.tei_path] = d.sha256
    # Hashes, not contents: the build knows them, and 50,000 documents' bytes held at
    # once would not keep memory flat. update() reads only files that changed.
    return update(list(shas), db_path, config=config, shas=shas, settled=settled,
                  parts=_PreparedParts(shas, lookup) if lookup is not None else None)


# ---------------------------------------------------------------------------
# Reading (the OAI-PMH endpoint)


@dataclass(frozen=True)
class Query:
    """A selective-harvesting request: bounds are full datestamps, inclusive."""

    start: str | None = None
    end: str | None = None
    set_spec: str | None = None

    def where(self) -> tuple[str, list[str]]:
        return self._where("r.datestamp", "EXISTS (SELECT 1 FROM record_sets s WHERE s.spec = ? AND s.id = r.id)")

    def retired_where(self) -> tuple[str, list[str]]:
        """The same selection among retired identifiers (table ``retired``), whose sets,
        parents included, are a space-separated list."""
        return self._where("datestamp", "instr(' ' || sets || ' ', ' ' || ? || ' ') > 0")

    def _where(self, datestamp: str, in_set: str) -> tuple[str, list[str]]:
        """The SQL condition and its arguments, given the datestamp's column and the
        condition (with one placeholder, the setSpec) that a row is in a set."""
        clauses, args = [], []
        for clause, value in ((f"{datestamp} >= ?", self.start), (f"{datestamp} <= ?", self.end), (in_set, self.set_spec)):
            if value is not None:
                clauses.append(clause)
                args.append(value)
        return (" AND ".join(clauses) or "1"), args


class Snapshot:
    """A consistent read of the catalog (one SQLite read transaction)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        meta = _meta(conn)
        if meta.get("schema") != SCHEMA_VERSION:
            raise CatalogError("catalog has no or another schema version")
        self.version = int(meta["version"])
        self.secret = meta["secret"]
        self.created = meta.get("created", "")
        # A catalog no update has touched since retired identifiers were kept has no table
        # for them (and a read-only connection cannot make one): it has none to serve.
        self._retired = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'retired'").fetchone() is not None

    def earliest_datestamp(self) -> str:
        union = " UNION ALL SELECT MIN(datestamp) FROM retired" if self._retired else ""
        row = self._conn.execute(f"SELECT MIN(d) FROM (SELECT MIN(datestamp) AS d FROM records{union})").fetchone()
        return row[0] or self.created

    def get(self, doc_id: str, column: str | None = None) -> Record | None:
        select = f", {_column(column)}" if column else ""
        row = self._conn.execute(
            f"SELECT id, datestamp, deleted, sets{select} FROM records WHERE id = ?", (doc_id,)
        ).fetchone()
        return _record(row, column) if row else None

    def get_retired(self, identifier: str) -> Record | None:
        """The deleted record an identifier under a former repository identifier names."""
        if not self._retired:
            return None
        row = self._conn.execute("SELECT identifier, datestamp, sets FROM retired WHERE identifier = ?",
                                 (identifier,)).fetchone()
        return _retired(row) if row else None

    def count(self, query: Query) -> int:
        where, args = query.where()
        total = self._conn.execute(f"SELECT COUNT(*) FROM records r WHERE {where}", args).fetchone()[0]
        if not self._retired:
            return total
        where, args = query.retired_where()
        return total + self._conn.execute(f"SELECT COUNT(*) FROM retired WHERE {where}", args).fetchone()[0]

    def page(self, query: Query, after: str | None, limit: int, column: str | None = None) -> list[Record]:
        """Up to ``limit`` records after the one whose :attr:`Record.key` is ``after``
        (keyset paging): the catalog's records by id, then the retired identifiers by
        identifier. A record id has no colon and a retired identifier has two, so
        ``after`` says which of the two lists it is in."""
        found: list[Record] = []
        if after is None or ":" not in after:
            where, args = query.where()
            if after is not None:
                where += " AND r.id > ?"
                args.append(after)
            select = f", r.{_column(column)}" if column else ""
            rows = self._conn.execute(
                f"SELECT r.id, r.datestamp, r.deleted, r.sets{select} FROM records r WHERE {where}"
                " ORDER BY r.id LIMIT ?",
                [*args, limit],
            ).fetchall()
            found = [_record(row, column) for row in rows]
            after = None
        if len(found) < limit and self._retired:
            where, args = query.retired_where()
            if after is not None:
                where += " AND identifier > ?"
                args.append(after)
            rows = self._conn.execute(
                f"SELECT identifier, datestamp, sets FROM retired WHERE {where} ORDER BY identifier LIMIT ?",
                [*args, limit - len(found)],
            ).fetchall()
            found += [_retired(row) for row in rows]
        return found

    def set_count(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM sets").fetchone()[0]

    def sets(self, after: str | None, limit: int) -> list[SetInfo]:
        rows = self._conn.execute(
            "SELECT spec, name FROM sets WHERE spec > ? ORDER BY spec LIMIT ?", (after or "", limit)
        ).fetchall()
        return [SetInfo(spec, name) for spec, name in rows]

    def has_set(self, spec: str) -> bool:
        return self._conn.execute("SELECT 1 FROM sets WHERE spec = ?", (spec,)).fetchone() is not None


def _column(name: str) -> str:
    # Only two columns hold metadata; never interpolate anything else.
    if name not in {"tei", "oai_dc"}:
        raise ValueError(f"no metadata column {name!r}")
    return name


def _record(row: tuple, column: str | None) -> Record:
    return Record(
        id=row[0],
        datestamp=row[1],
        deleted=bool(row[2]),
        sets=tuple(row[3].split()) if row[3] else (),
        metadata=row[4] if column and not row[2] else None,
    )


def _retired(row: tuple) -> Record:
    return Record(id=row[0], datestamp=row[1], deleted=True, sets=tuple(row[2].split()), identifier=row[0])


@contextmanager
def snapshot(db_path: Path) -> Iterator[Snapshot]:
    conn = connect(db_path, readonly=True)
    try:
        conn.execute("BEGIN")
        try:
            yield Snapshot(conn)
        finally:
            conn.execute("ROLLBACK")
    except sqlite3.DatabaseError as exc:
        raise CatalogError(f"cannot read catalog: {exc}", db_path) from None
    finally:
        conn.close()
