"""What the edition-wide parts of a build need of each document, kept in SQLite.

The render workers derive from each document a small index record and its
facet values (see :mod:`edition.site_index`) and its catalog part (id, oai_dc
and OAI sets, see :func:`edition.catalog.document_part`). All are pure
functions of the TEI bytes under the build's fingerprint, so they are stored
by the TEI file's SHA-256. The index pages and the catalog are then assembled
from the store: a build holds in memory only the records of the page it is
rendering, whatever the size of the edition, and a rebuild after one
correction parses one document, not all of them.

The store is a cache beside the build manifest: made under another
fingerprint (code, stylesheets, configuration) it starts empty, and deleting
it costs only time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from edition.errors import EditionError

if TYPE_CHECKING:
    from edition.catalog import CatalogPart

FacetValue = tuple[str, str, str]  # facet, token, label

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    sha TEXT PRIMARY KEY,     -- SHA-256 of the TEI file
    record BLOB NOT NULL,     -- the index record (UTF-8 XML)
    record_sha TEXT NOT NULL, -- SHA-256 of the record: what the pages show of the document
    facets TEXT NOT NULL,     -- JSON array of [facet, token, label]
    doc_id TEXT,              -- the catalog part, when the build made one
    oai_dc BLOB,
    sets TEXT                 -- JSON array of [spec, name]
);
"""


class IndexStore:
    """Index records by TEI hash, valid under one fingerprint."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = self._open(path, fingerprint)
        except sqlite3.DatabaseError:
            # A cache that cannot be read is rebuilt, not reported.
            path.unlink(missing_ok=True)
            try:
                self._conn = self._open(path, fingerprint)
            except sqlite3.DatabaseError as exc:
                raise EditionError(f"cannot create the index record store: {exc}", path) from None

    @staticmethod
    def _open(path: Path, fingerprint: str) -> sqlite3.Connection:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.executescript(_SCHEMA)
        # The cache is rebuilt if lost: no need to pay for durability.
        conn.execute("PRAGMA synchronous = OFF")
        # One transaction from here to close(): a build that fails leaves the store as it was.
        conn.execute("BEGIN")
        row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != fingerprint:
            conn.execute("DELETE FROM documents")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        return conn

    def missing(self, shas: Iterable[str]) -> list[str]:
        """Those of ``shas`` the store has no record of (in their order)."""
        known = {row[0] for row in self._conn.execute("SELECT sha FROM documents")}
        return [s for s in shas if s not in known]

    def put(self, sha: str, record: bytes, record_sha: str, facets: Sequence[FacetValue], part: CatalogPart | None = None) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO documents (sha, record, record_sha, facets, doc_id, oai_dc, sets)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (sha, record, record_sha, json.dumps([list(f) for f in facets], ensure_ascii=False),
             part.id if part else None, part.oai_dc if part else None,
             json.dumps([[i.spec, i.name] for i in part.sets], ensure_ascii=False) if part else None),
        )

    def catalog_part(self, sha: str) -> CatalogPart | None:
        """The catalog part made from the TEI bytes with hash ``sha``, if the build made one."""
        from edition.catalog import CatalogPart, SetInfo

        row = self._conn.execute("SELECT doc_id, oai_dc, sets FROM documents WHERE sha = ?", (sha,)).fetchone()
        if row is None or row[0] is None:
            return None
        return CatalogPart(row[0], sha, bytes(row[1]), tuple(SetInfo(spec, name) for spec, name in json.loads(row[2])))

    def summaries(self, shas: Sequence[str]) -> list[tuple[str, list[FacetValue]]]:
        """(record hash, facet values) of each TEI hash, in the order given."""
        found = {
            sha: (record_sha, [tuple(f) for f in json.loads(facets)])
            for sha, record_sha, facets in self._conn.execute("SELECT sha, record_sha, facets FROM documents")
        }
        return [found[s] for s in shas]  # type: ignore[misc]

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

    def keep_only(self, shas: Iterable[str]) -> None:
        """Forget the records of documents no longer in the edition."""
        self._conn.execute("CREATE TEMP TABLE IF NOT EXISTS live (sha TEXT PRIMARY KEY)")
        self._conn.execute("DELETE FROM live")
        self._conn.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((s,) for s in shas))
        self._conn.execute("DELETE FROM documents WHERE sha NOT IN (SELECT sha FROM live)")

    def close(self, *, commit: bool = True) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT" if commit else "ROLLBACK")
        self._conn.close()
