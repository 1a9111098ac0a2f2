"""What a build knows of each document between runs, kept in SQLite.

Three tables, valid under the build's fingerprint:

* ``tei``: each TEI file's stat signature, hash and the facts the build orders
  and links documents by, so an unchanged file is neither read nor parsed
  (valid under the code and the TEI folder alone: reading facts uses no
  stylesheet or setting);
* ``renders``: what each document's outputs were made from (its render key)
  and their stat signatures, so an unchanged document is not rendered again;
* ``documents``: what the edition-wide parts need of each document.

Rows, not one JSON manifest: a rebuild reads the row of each document as it
comes to it and writes only the rows that changed, so neither its memory nor
its time grows with a whole manifest to load and rewrite (at 50,000
documents that JSON was 70 MB on disk and a quarter of a gigabyte in memory).

The render workers derive from each document a small index record and its
facet values (see :mod:`edition.site_index`) and its catalog part (id, oai_dc
and OAI sets, see :func:`edition.catalog_entries.document_part`). All are pure
functions of the TEI bytes under the build's fingerprint, so they are stored
by the TEI file's SHA-256. The index pages and the catalog are then assembled
from the store: a build holds in memory only the records of the page it is
rendering, whatever the size of the edition, and a rebuild after one
correction parses one document, not all of them.

The state is a cache beside the build manifest: made under another
fingerprint (code, stylesheets, configuration) it starts empty, and deleting
it costs only time.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from edition.errors import EditionError

if TYPE_CHECKING:
    from edition.catalog_entries import CatalogPart

FacetValue = tuple[str, str, str]  # facet, token, label

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tei (
    name TEXT PRIMARY KEY,    -- file name in the TEI folder
    size INTEGER NOT NULL,    -- stat signature when it was read
    mtime_ns INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    sha TEXT NOT NULL,
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    date_key TEXT NOT NULL,
    date_label TEXT NOT NULL,
    date_iso TEXT NOT NULL,
    title_lang TEXT NOT NULL  -- the title's xml:lang, or its nearest ancestor's ('en' without one)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS renders (
    id TEXT PRIMARY KEY,      -- document id
    key TEXT NOT NULL,        -- what its outputs were made from (edition.build._render_key)
    counted INTEGER NOT NULL, -- how many of its outputs are the build's own (the rest are stages')
    outputs TEXT NOT NULL     -- path, size, mtime_ns, inode of each output, NUL-separated (see encode_outputs)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents (
    sha TEXT PRIMARY KEY,     -- SHA-256 of the TEI file
    record BLOB NOT NULL,     -- the index record (UTF-8 XML)
    record_sha TEXT NOT NULL, -- SHA-256 of the record: what the pages show of the document
    facets TEXT NOT NULL,     -- JSON array of [facet, token, label]
    doc_id TEXT,              -- the catalog part, when the build made one
    oai_dc BLOB,
    sets TEXT,                -- JSON array of [spec, name]
    served TEXT               -- its TEI as the catalog serves it (catalog_entries.served_digest)
);
"""


def encode_outputs(outputs: dict[str, list[int]]) -> str:
    """Output paths with their stat signatures as one string: path, size, mtime_ns and
    inode of each, NUL-separated (a NUL cannot be in a path). A no-op build checks
    every document's outputs, and splitting this is several times cheaper than JSON."""
    return "\0".join(f"{rel}\0{size}\0{mtime}\0{ino}" for rel, (size, mtime, ino) in sorted(outputs.items()))


def intact_outputs(out_dir: Path, encoded: str, signatures: Mapping[str, str] | None = None) -> list[str] | None:
    """The output paths of ``encoded`` when every one still has its recorded signature, else None.
    ``signatures``: the site's files as :func:`edition.incremental.folder_signatures` found
    them at the start of this build, asked instead of the file system."""
    if not encoded:
        return []
    rels = encoded.split("\0")[0::4]
    if signatures is not None:
        # A file missing from the walk has no signature and fails the comparison.
        return rels if "\0".join(f"{rel}\0{signatures.get(rel)}" for rel in rels) == encoded else None
    base = os.fspath(out_dir) + os.sep
    now: list[str] = []
    for rel in rels:
        try:
            st = os.stat(base + rel)
        except OSError:
            return None
        now.append(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    return rels if "\0".join(now) == encoded else None


class _Cache:
    """A SQLite file of rows valid under one fingerprint, written in one transaction
    that :meth:`close` commits (a build that fails leaves it as it was).

    ``fresh`` starts from nothing whatever the file holds (``edition build
    --full``); the rows then written are kept for the next build.
    """

    _name = "cache"

    def __init__(self, path: Path, fingerprint: str, *, fresh: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = self._open(path, fingerprint, fresh)
        except sqlite3.DatabaseError:
            # A cache that cannot be read is rebuilt, not reported.
            path.unlink(missing_ok=True)
            try:
                self._conn = self._open(path, fingerprint, fresh)
            except sqlite3.DatabaseError as exc:
                raise EditionError(f"cannot create the {self._name}: {exc}", path) from None

    @staticmethod
    def _open(path: Path, fingerprint: str, fresh: bool) -> sqlite3.Connection:
        raise NotImplementedError

    def _keep(self, table: str, column: str, values: Iterable[str]) -> None:
        """Delete the rows of ``table`` whose ``column`` is not among ``values``."""
        # The stale rows found in Python and deleted one by one: after a correction
        # there are none, and loading every live value into a temporary table to find
        # that out cost a rebuild a tenth of a second at 10,000 documents (four tables).
        live = set(values)
        stale = [value for (value,) in self._conn.execute(f"SELECT {column} FROM {table}") if value not in live]
        self._conn.executemany(f"DELETE FROM {table} WHERE {column} = ?", ((value,) for value in stale))

    def close(self, *, commit: bool = True) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT" if commit else "ROLLBACK")
        self._conn.close()


class BuildState(_Cache):
    """Per-document build records, valid under one fingerprint; the ``tei`` rows may
    be valid under a fingerprint of their own (``tei_fingerprint``: what reading a
    TEI file's facts depends on), so that a change of stylesheets, which every
    render depends on, does not make the build read and parse every TEI file again;
    and so may the ``documents`` rows (``records_fingerprint``: what an index record,
    its facets and a catalog part are made from), so that a change to the page
    stylesheet does not make them again."""

    _name = "build state"

    def __init__(self, path: Path, fingerprint: str, *, fresh: bool = False, tei_fingerprint: str | None = None,
                 records_fingerprint: str | None = None) -> None:
        self._tei_fingerprint = tei_fingerprint or fingerprint
        self._records_fingerprint = records_fingerprint or fingerprint
        super().__init__(path, fingerprint, fresh=fresh)

    def _open(self, path: Path, fingerprint: str, fresh: bool) -> sqlite3.Connection:  # type: ignore[override]
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(_SCHEMA)
        # The cache is rebuilt if lost: no need to pay for durability.
        conn.execute("PRAGMA synchronous = OFF")
        # One transaction from here to close(): a build that fails leaves the state as it was.
        conn.execute("BEGIN")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        stale = []
        if fresh or meta.get("fingerprint") != fingerprint:
            stale.append("renders")
        if fresh or meta.get("records-fingerprint") != self._records_fingerprint:
            stale.append("documents")
        if fresh or meta.get("tei-fingerprint") != self._tei_fingerprint:
            stale.append("tei")
        if stale:
            # Dropped, not emptied: other code may have made them with other columns
            # (a column's type decides how SQLite stores what goes into it).
            for table in stale:
                conn.execute(f"DROP TABLE {table}")
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                             [("fingerprint", fingerprint), ("tei-fingerprint", self._tei_fingerprint),
                              ("records-fingerprint", self._records_fingerprint)])
        return conn

    # -- TEI files

    def tei_rows(self) -> Iterator[tuple[str, int, int, int, str, str, str, str, str, str, str]]:
        """(name, size, mtime_ns, inode, sha, id, title, date_key, date_label, date_iso, title_lang) of
        every TEI file as last read, by name (as Python sorts str: SQLite compares UTF-8 bytes)."""
        return iter(self._conn.execute(
            "SELECT name, size, mtime_ns, ino, sha, id, title, date_key, date_label, date_iso, title_lang FROM tei ORDER BY name"))

    def put_tei(self, rows: Iterable[tuple[str, int, int, int, str, str, str, str, str, str, str]]) -> None:
        """Record TEI files as read: (name, size, mtime_ns, inode, sha, id, title, date_key, date_label, date_iso,
        title_lang)."""
        self._conn.executemany("INSERT OR REPLACE INTO tei VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def keep_tei(self, names: Iterable[str]) -> None:
        """Forget the TEI files no longer in the folder."""
        self._keep("tei", "name", names)

    # -- rendered documents

    def renders(self) -> Iterator[tuple[str, str, int, str]]:
        """(document id, render key, outputs of its own, encoded outputs) of every document, by id."""
        return iter(self._conn.execute("SELECT id, key, counted, outputs FROM renders ORDER BY id"))

    def put_render(self, doc_id: str, key: str, counted: int, outputs: dict[str, list[int]]) -> None:
        self._conn.execute("INSERT OR REPLACE INTO renders VALUES (?, ?, ?, ?)", (doc_id, key, counted, encode_outputs(outputs)))

    def keep_renders(self, doc_ids: Iterable[str]) -> None:
        """Forget the documents no longer in the edition."""
        self._keep("renders", "id", doc_ids)

    # -- what the index pages and the catalog need

    def missing(self, shas: Iterable[str]) -> list[str]:
        """Those of ``shas`` the store has no record of (in their order)."""
        known = self.recorded()
        return [s for s in shas if s not in known]

    def recorded(self) -> set[str]:
        """The TEI hashes the store has a record of."""
        return {row[0] for row in self._conn.execute("SELECT sha FROM documents")}

    def put(self, sha: str, record: bytes, record_sha: str, facets: Sequence[FacetValue], part: CatalogPart | None = None) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO documents (sha, record, record_sha, facets, doc_id, oai_dc, sets, served)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (sha, record, record_sha, json.dumps([list(f) for f in facets], ensure_ascii=False),
             part.id if part else None, part.oai_dc if part else None,
             json.dumps([[i.spec, i.name] for i in part.sets], ensure_ascii=False) if part else None,
             part.served if part else None),
        )

    def catalog_part(self, sha: str) -> CatalogPart | None:
        """The catalog part made from the TEI bytes with hash ``sha``, if the build made one."""
        from edition.catalog_entries import CatalogPart, SetInfo

        row = self._conn.execute("SELECT doc_id, oai_dc, sets, served FROM documents WHERE sha = ?", (sha,)).fetchone()
        if row is None or row[0] is None:
            return None
        return CatalogPart(row[0], sha, bytes(row[1]), tuple(SetInfo(spec, name) for spec, name in json.loads(row[2])),
                           row[3])

    def summaries(self, shas: Sequence[str]) -> list[tuple[str, list[FacetValue]]]:
        """(record hash, facet values) of each TEI hash, in the order given."""
        # One tuple per distinct facet value, shared by every document that has it: a
        # few hundred values, not five per document (tens of megabytes at 50,000).
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        found = {
            sha: (record_sha, [shared.setdefault(value, value) for value in map(tuple, json.loads(facets))])
            for sha, record_sha, facets in self._conn.execute("SELECT sha, record_sha, facets FROM documents")
        }
        return [found[s] for s in shas]  # type: ignore[misc]

    def record_shas(self, shas: Sequence[str]) -> list[str] | None:
        """The index record hash of each TEI hash, in the order given; None when one
        has no record yet. (A few hashes per document: cheap to compare whole.)"""
        found = dict(self._conn.execute("SELECT sha, record_sha FROM documents").fetchall())
        try:
            return [found[s] for s in shas]
        except KeyError:
            return None

    def records(self, shas: Sequence[str]) -> list[bytes]:
        """The index records of ``shas``, in the order given."""
        out: dict[str, bytes] = {}
        unique = sorted(set(shas))
        for start in range(0, len(unique), 500):  # SQLite's limit on bound parameters
            chunk = unique[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for sha, record in self._conn.execute(f"SELECT sha, record FROM documents WHERE sha IN ({marks})", chunk):
                out[sha] = bytes(record)
        return [out[s] for s in shas]

    def keep_documents(self, shas: Iterable[str]) -> None:
        """Forget the records of documents no longer in the edition."""
        self._keep("documents", "sha", shas)


class StageMemos(_Cache):
    """What the document stages kept of each document at its last render, for the
    next (see ``edition.render.DocumentStage``), in a SQLite file of its own.

    Unlike :class:`BuildState` it is not dropped when a stylesheet changes: a stage
    keeps here what does not depend on the stylesheets it is told changed (the
    citation stage keeps its Chicago rendering with the hash of the citation item
    it rendered, and reuses it only for the same item). Its fingerprint is the
    code, the stage list and the packages the stages use. Rows are read one
    document at a time, so a build holds none but the rendering one's.
    """

    _name = "stages' memos"

    @staticmethod
    def _open(path: Path, fingerprint: str, fresh: bool) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if fresh or row is None or row[0] != fingerprint:
            conn.execute("DROP TABLE IF EXISTS memos")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        conn.execute("CREATE TABLE IF NOT EXISTS memos (id TEXT PRIMARY KEY, memo TEXT NOT NULL) WITHOUT ROWID")
        return conn

    def get(self, doc_id: str) -> dict[str, str]:
        row = self._conn.execute("SELECT memo FROM memos WHERE id = ?", (doc_id,)).fetchone()
        try:
            memo = json.loads(row[0]) if row is not None else {}
        except ValueError:
            return {}
        return memo if isinstance(memo, dict) else {}

    def put(self, doc_id: str, memo: dict[str, str]) -> None:
        self._conn.execute("INSERT OR REPLACE INTO memos VALUES (?, ?)",
                           (doc_id, json.dumps(memo, ensure_ascii=False, sort_keys=True)))

    def keep(self, doc_ids: Iterable[str]) -> None:
        """Forget the documents no longer in the edition."""
        self._keep("memos", "id", doc_ids)
