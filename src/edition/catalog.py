"""The harvesting catalog: one SQLite file recording every document the edition ever published.

For each document the catalog keeps what an OAI-PMH harvester needs and what must
stay stable between builds: the OAI datestamp, a hash of everything disseminated
about the record (TEI bytes, oai_dc bytes, set membership), the sets, a deleted
flag, and the disseminated metadata itself, so that the endpoint serves a
consistent snapshot even while ``tei/`` is being edited.

Rules (OAI-PMH 2.0, sections 2.5.1 and 2.7.1):

* a datestamp changes only when the hash changes, so a rebuild without change
  keeps every datestamp and incremental harvests stay empty;
* a document that disappears from ``tei/`` becomes a deleted record and stays one
  (``deletedRecord`` is ``persistent``); if it comes back it is a new change;
* one update is one SQLite transaction: an interrupted build leaves the previous
  catalog as it was;
* every change bumps the catalog ``version``, which resumption tokens carry, so a
  harvester paging through a list that changed under it is told so.

Sets form a hierarchy by prefix (``type`` > ``type:letter``); a record belongs to
the parents of its sets too, so selecting ``type`` selects every typed record.
"""

from __future__ import annotations

import copy
import hashlib
import os
import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from edition import xmlsafe
from edition.config import Config
from edition.errors import EditionError
from edition.incremental import code_fingerprint

TEI_NS = "http://www.tei-c.org/ns/1.0"
ED_NS = "https://edition.example/ns"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS = {"tei": TEI_NS}
SCHEMA_VERSION = "1"
DATESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# A record id becomes part of an OAI identifier (an anyURI) and of URLs.
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
# OAI-PMH setSpecType: [A-Za-z0-9\-_\.!~\*'\(\)]+(:[A-Za-z0-9\-_\.!~\*'\(\)]+)*
_SPEC_PART = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")

# Top-level sets: spec -> name.
SET_ROOTS: dict[str, str] = {
    "type": "Document type",
    "lang": "Original language",
    "archive": "Holding archive",
}

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
"""
_STATE_INDEX = "CREATE INDEX IF NOT EXISTS records_state ON records (id, hash, deleted, tei_sha, source)"
# The queries that index serves (tests check that SQLite answers them from it alone).
LIVE_SOURCES_SQL = "SELECT source, id, tei_sha FROM records WHERE deleted = 0 AND tei_sha != ''"
LIVE_SHAS_SQL = "SELECT id, tei_sha FROM records WHERE deleted = 0 AND tei_sha != ''"
RECORD_STATE_SQL = "SELECT id, hash, deleted, tei_sha FROM records"


class CatalogError(EditionError):
    """The catalog file or one of the documents going into it is unusable."""


@dataclass(frozen=True)
class SetInfo:
    spec: str
    name: str


@dataclass(frozen=True)
class Entry:
    """What the catalog stores about one TEI document, computed before any write."""

    id: str
    source: str
    tei: bytes
    oai_dc: bytes
    sets: tuple[SetInfo, ...]
    hash: str = field(init=False)
    # The SHA-256 of ``tei``, when the caller has just checked the bytes against it (the
    # catalog stage does, for every document: a third hash of each was a tenth of its time).
    tei_sha: str = ""

    def __post_init__(self) -> None:
        if not self.tei_sha:
            object.__setattr__(self, "tei_sha", hashlib.sha256(self.tei).hexdigest())
        digest = hashlib.sha256()
        for part in (self.tei, self.oai_dc, " ".join(s.spec for s in self.sets).encode()):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        object.__setattr__(self, "hash", digest.hexdigest())


@dataclass(frozen=True)
class Unchanged:
    """A document whose TEI bytes are those the catalog already holds, read under the
    same mapping and code: nothing about its record can have changed, so it is
    neither parsed nor transformed again (a rebuild of 10,000 documents after one
    correction touches one record)."""

    id: str
    source: str


@dataclass
class UpdateReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    version: int = 0
    datestamp: str = ""

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.deleted)

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


# ---------------------------------------------------------------------------
# Reading TEI into entries


def format_datestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(DATESTAMP_FORMAT)


def document_url(config: Config, doc_id: str) -> str:
    """Public URL of a document's reading page (as ``BuildContext.page_url`` makes it)."""
    return f"{config.base_url}documents/{doc_id}.html"


def _slug(text: str, *, lower: bool = True) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if lower:
        ascii_text = ascii_text.lower()
    return re.sub(r"[^A-Za-z0-9_.]+", "-", ascii_text).strip("-.")


def _text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())


def derive_sets(root: etree._Element) -> tuple[SetInfo, ...]:
    """Set membership from the TEI header: document type, original language, archive."""
    found: dict[str, str] = {}

    def add(root_spec: str, value: str, name: str, *, lower: bool = True) -> None:
        slug = _slug(value, lower=lower)
        if not slug or not _SPEC_PART.match(slug):
            return
        found.setdefault(root_spec, SET_ROOTS[root_spec])
        found.setdefault(f"{root_spec}:{slug}", name)

    header = root.find("tei:teiHeader", NS)
    if header is None:
        return ()
    for term in header.iterfind("tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='doctype']", NS):
        label = _text(term)
        if label:
            add("type", label, label[:1].upper() + label[1:])

    language_names = {
        lang.get("ident"): _text(lang)
        for lang in header.iterfind("tei:profileDesc/tei:langUsage/tei:language", NS)
        if lang.get("ident")
    }
    originals: list[str] = []
    for text_lang in header.iterfind(".//tei:msContents/tei:textLang", NS):
        originals += [text_lang.get("mainLang", "")] + text_lang.get("otherLangs", "").split()
        if text_lang.get("mainLang") and _text(text_lang):
            language_names.setdefault(text_lang.get("mainLang"), _text(text_lang))
    if not any(originals):
        originals = [
            div.get("{http://www.w3.org/XML/1998/namespace}lang", "")
            for div in root.iterfind("tei:text/tei:body//tei:div[@type='original']", NS)
        ]
    for code in originals:
        if code:
            add("lang", code, language_names.get(code) or code, lower=False)

    for ident in header.iterfind("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier", NS):
        acronym = ident.find("tei:idno[@type='acronym']", NS)
        repository = ident.find("tei:repository", NS)
        repo_name = _text(repository) if repository is not None else ""
        if acronym is not None and _text(acronym):
            short = _text(acronym)
            add("archive", short, f"{repo_name} ({short})" if repo_name else short)
        elif repo_name:
            add("archive", repo_name, repo_name)
    return tuple(SetInfo(spec, found[spec]) for spec in sorted(found))


@dataclass(frozen=True)
class _Document:
    """A TEI file read and checked, waiting for its Dublin Core."""

    path: Path
    data: bytes
    root: etree._Element
    id: str


# Documents per Saxon call: one transform per document costs more in start-up than
# in work, so the catalog sends the headers of many documents at once.
BATCH = 200


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", path) from None


def _load(path: Path, data: bytes | None, root: etree._Element | None = None) -> _Document:
    if root is not None and data is not None:
        return _checked(path, data, root)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CatalogError(f"cannot read: {exc.strerror}", path) from None
    try:
        # TEI files may be edited by hand: no DTDs, entities or bombs (and the
        # bytes go on to Saxon, whose parser would honour a DTD).
        root = xmlsafe.parse_bytes(data, path).getroot()
    except EditionError as exc:
        raise CatalogError(exc.message, path, exc.line) from None
    return _checked(path, data, root)


def _checked(path: Path, data: bytes, root: etree._Element) -> _Document:
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise CatalogError(f"root element is {root.tag}, not TEI", path, root.sourceline)
    doc_id = root.get(XML_ID, "")
    if not _ID.match(doc_id):
        raise CatalogError(
            f"TEI/@xml:id {doc_id!r} is missing or not usable as a record id "
            "(letters, digits, '.', '_' and '-', starting with a letter or digit)",
            path,
            root.sourceline,
        )
    if root.find("tei:teiHeader", NS) is None:
        raise CatalogError("the TEI element has no teiHeader", path, root.sourceline)
    return _Document(path, data, root, doc_id)


def _corpus(docs: Sequence[_Document]) -> bytes:
    """What dc.xsl reads of each document: the TEI element's attributes, the header,
    the textLang elements elsewhere (their attributes, in document order) and the types
    and languages of the text's divisions (not their text). dc.xsl gives the same
    record for this copy as for the whole document (tests/test_harvest_catalog.py)."""
    corpus = etree.Element(f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})
    for doc in docs:
        tei = etree.SubElement(corpus, f"{{{TEI_NS}}}TEI", dict(doc.root.attrib))
        header = doc.root.find("tei:teiHeader", NS)
        tei.append(copy.deepcopy(header))
        text = etree.SubElement(tei, f"{{{TEI_NS}}}text")
        for lang in doc.root.iter(f"{{{TEI_NS}}}textLang"):
            if header not in lang.iterancestors():
                etree.SubElement(text, lang.tag, dict(lang.attrib))
        body = etree.SubElement(text, f"{{{TEI_NS}}}body")
        for div in doc.root.iterfind("tei:text//tei:div", NS):
            etree.SubElement(body, f"{{{TEI_NS}}}div", {k: v for k, v in div.attrib.items()
                                                       if k in {"type", XML_LANG}})
    return etree.tostring(corpus, encoding="UTF-8")


def _dublin_core_of(doc: _Document, config: Config, tree: Any, transform: Any = None) -> bytes:
    """oai_dc of one document from Saxon's tree of all of it (``tree``, parsed from
    ``doc.data``), where a build has that tree already: the bytes the batch path of
    :func:`_dublin_core` gives, without copying and parsing the header again."""
    if transform is None:
        from edition.transform import transformer

        transform = transformer()
    result = transform.apply("dc.xsl", tree, {"document-url-template": document_url(config, "{id}")}, origin=doc.path)
    dc = etree.fromstring(result.encode("utf-8"))
    etree.cleanup_namespaces(dc)
    return etree.tostring(dc, encoding="UTF-8")


def _dublin_core(docs: Sequence[_Document], config: Config, transform=None) -> dict[str, bytes]:
    """oai_dc of each document (by id), ``BATCH`` documents per run of dc.xsl."""
    if transform is None:
        from edition.transform import transformer

        transform = transformer()
    from edition.transform import TransformError

    params = {"document-url-template": document_url(config, "{id}")}
    found: dict[str, bytes] = {}
    for start in range(0, len(docs), BATCH):
        batch = docs[start:start + BATCH]
        try:
            result = transform.apply("dc.xsl", transform.parse(_corpus(batch), batch[0].path, keep=False), params,
                                     origin=batch[0].path)
        except TransformError:
            if len(batch) == 1:
                raise
            # Find the document at fault, so the error names its file.
            for doc in batch:
                found.update(_dublin_core([doc], config, transform))
            continue
        for record in etree.fromstring(result.encode("utf-8")).iterfind(f"{{{ED_NS}}}record"):
            dc = copy.deepcopy(record[0])
            etree.cleanup_namespaces(dc)
            # Stored without an XML declaration: it is spliced into responses as an element.
            found[record.get("id")] = etree.tostring(dc, encoding="UTF-8")
    return found


def read_entry(path: Path, config: Config, transform=None, data: bytes | None = None) -> Entry:
    """Everything the catalog stores about the TEI file at ``path`` (whose bytes may be given)."""
    doc = _load(path, data)
    oai_dc = _dublin_core([doc], config, transform)[doc.id]
    return Entry(id=doc.id, source=path.name, tei=doc.data, oai_dc=oai_dc, sets=derive_sets(doc.root))


@dataclass(frozen=True)
class CatalogPart:
    """What the catalog derives from one TEI file's bytes (its id, oai_dc and sets),
    made where the file is already parsed (a build's render worker) so that the
    edition-wide update only assembles (picklable)."""

    id: str
    sha: str  # SHA-256 of the bytes it was made from
    oai_dc: bytes
    sets: tuple[SetInfo, ...]


def document_part(path: Path, data: bytes, config: Config, root: etree._Element | None = None,
                  tree: Any = None) -> CatalogPart:
    """The :class:`CatalogPart` of one TEI file; raises :class:`CatalogError` as an update would.
    ``root``: the file already parsed from ``data`` by lxml (it is not changed); ``tree``:
    by Saxon, with the default stylesheets' transformer."""
    doc = _load(path, data, root)
    oai_dc = _dublin_core_of(doc, config, tree) if tree is not None else _dublin_core([doc], config)[doc.id]
    return CatalogPart(doc.id, hashlib.sha256(data).hexdigest(), oai_dc, derive_sets(doc.root))


def read_entries(
    paths: Iterable[Path],
    config: Config,
    contents: dict[Path, bytes] | None = None,
    reuse: Mapping[str, tuple[str, bytes]] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
    shas: dict[Path, str] | None = None,
) -> list[Entry | Unchanged]:
    """Entries of the files; with ``known`` (source file name -> record id and TEI
    hash, see :func:`_known_sources`), files whose hash matches become :class:`Unchanged`.
    ``shas`` may give the files' hashes (the build knows them). ``reuse`` maps record
    ids to the TEI hash and oai_dc of the catalog: unchanged bytes under an unchanged
    mapping keep their stored oai_dc instead of running the stylesheet again."""
    return list(_entries(plan_entries(paths, contents, reuse, known, shas), config))


@dataclass(frozen=True)
class _Planned:
    """A TEI file that was read and checked and will become an :class:`Entry`; it keeps
    no bytes unless the caller gave them, so a plan of 50,000 files stays small."""

    path: Path
    id: str
    sha: str
    data: bytes | None  # the caller's bytes, if it gave them
    oai_dc: bytes | None  # the catalog's, reusable for these bytes
    prepared: bool = False  # its CatalogPart was made beforehand (by the build) from these bytes


def plan_entries(
    paths: Iterable[Path],
    contents: dict[Path, bytes] | None = None,
    reuse: Mapping[str, tuple[str, bytes]] | None = None,
    known: dict[str, tuple[str, str]] | None = None,
    shas: dict[Path, str] | None = None,
    parts: Mapping[Path, CatalogPart] | None = None,
    settled: Iterable[Unchanged] = (),
) -> list[Unchanged | _Planned]:
    """Check every file and decide what the catalog must do with it (see
    :func:`read_entries`), in record id order. Fails on the first file that cannot be
    catalogued or whose id another file claims, before anything is transformed.

    ``settled`` are records the caller already found unchanged (by file name and hash,
    against :func:`_known_sources`); they are claimed first and their files not looked at.
    """
    entries: dict[str, Unchanged | _Planned] = {}
    for done in settled:
        # From the catalog's live records, whose ids are unique: no two can collide.
        entries[done.id] = done
    # Sorted by their strings, which every path has once hashed: comparing Path objects
    # splits each into its parts again, a tenth of a second per 10,000 documents. (The
    # order only decides which of two files claiming one id is named; entries are
    # returned in id order.)
    for path in sorted(paths, key=os.fspath):
        entry: Unchanged | _Planned
        seen = (known or {}).get(path.name)
        data = (contents or {}).get(path)
        sha = (shas or {}).get(path)
        if seen is not None and sha is None:
            try:
                data = path.read_bytes() if data is None else data
            except OSError as exc:
                raise CatalogError(f"cannot read: {exc.strerror}", path) from None
            sha = hashlib.sha256(data).hexdigest()
        if seen is not None and seen[1] == sha:
            entries[seen[0]] = _claim(entries, Unchanged(seen[0], path.name), path)
            continue
        # Looked up only now: a part carries the document's Dublin Core, and after one
        # correction every other document is unchanged.
        part = (parts or {}).get(path)
        if part is not None and sha is not None and part.sha == sha:
            # Checked and derived already, from these very bytes: nothing to parse here.
            entry = _Planned(path, part.id, sha, data, None, prepared=True)
        else:
            doc = _load(path, data)
            doc_sha = hashlib.sha256(doc.data).hexdigest()
            stored = reuse.get(doc.id) if reuse is not None and doc.id in reuse else None
            reusable = stored[1] if stored is not None and stored[0] == doc_sha else None
            entry = _Planned(path, doc.id, doc_sha, data, reusable)
        entries[entry.id] = _claim(entries, entry, path)
    return [entries[key] for key in sorted(entries)]


def _claim(entries: dict[str, Unchanged | _Planned], entry: Unchanged | _Planned, path: Path) -> Unchanged | _Planned:
    """``entry``, unless another file already claimed its record id."""
    other = entries.get(entry.id)
    if other is not None:
        other_source = other.path.name if isinstance(other, _Planned) else other.source
        raise CatalogError(f"record id {entry.id!r} is also claimed by {other_source}", path)
    return entry


def _entries(
    plan: Sequence[Unchanged | _Planned], config: Config, parts: Mapping[Path, CatalogPart] | None = None
) -> Iterator[Entry | Unchanged]:
    """The entries of a plan, in its order, made ``BATCH`` documents at a time: each
    batch is read and parsed again (and transformed together), so no more than one
    batch of documents is ever held at once."""
    for start in range(0, len(plan), BATCH):
        batch = plan[start:start + BATCH]
        docs: dict[str, _Document] = {}
        for want in batch:
            if isinstance(want, Unchanged) or want.prepared:
                continue
            doc = _load(want.path, want.data)
            if doc.id != want.id or hashlib.sha256(doc.data).hexdigest() != want.sha:
                raise CatalogError("the file changed while the catalog was being updated; build again", doc.path)
            docs[doc.id] = doc
        needed = [docs[w.id] for w in batch if isinstance(w, _Planned) and not w.prepared and w.oai_dc is None]
        dublin_core = _dublin_core(needed, config) if needed else {}
        for want in batch:
            if isinstance(want, Unchanged):
                yield want
                continue
            if want.prepared:
                part = (parts or {}).get(want.path)
                data = want.data if want.data is not None else _read(want.path)
                if part is None or part.sha != want.sha or hashlib.sha256(data).hexdigest() != want.sha:
                    raise CatalogError("the file changed while the catalog was being updated; build again", want.path)
                yield Entry(id=want.id, source=want.path.name, tei=data, oai_dc=part.oai_dc, sets=part.sets, tei_sha=want.sha)
                continue
            doc = docs[want.id]
            yield Entry(id=doc.id, source=doc.path.name, tei=doc.data,
                        oai_dc=want.oai_dc if want.oai_dc is not None else dublin_core[doc.id],
                        sets=derive_sets(doc.root), tei_sha=want.sha)


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

    def get(self, doc_id: str, default=None):  # type: ignore[no-untyped-def, override]
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
        stream = _entries(plan, config, parts)
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
            # Datestamps never go backwards, even if the clock does.
            stamp = max(format_datestamp(stamp_time), meta.get("last_change", ""))
            _apply(conn, stream, stamp, report)
            version = int(meta["version"])
            if report.touched:
                version += 1
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (str(version),))
                conn.execute("INSERT OR REPLACE INTO meta VALUES ('last_change', ?)", (stamp,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('mapping', ?)", (fingerprint,))
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code_fingerprint(),))
            report.version = version
            report.datestamp = stamp
            conn.execute("COMMIT")
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
                conn.execute("UPDATE records SET tei_sha = ? WHERE id = ?", (entry.tei_sha, entry.id))
            continue
        if old is None:
            report.added.append(entry.id)
            conn.execute(
                "INSERT INTO records (id, datestamp, hash, deleted, sets, source, tei, oai_dc, tei_sha)"
                " VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?)",
                (entry.id, stamp, entry.hash, specs, entry.source, entry.tei, entry.oai_dc, entry.tei_sha),
            )
        else:
            report.changed.append(entry.id)
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
    # A set whose last member (live or deleted) moved elsewhere is no longer listed.
    conn.execute("DELETE FROM sets WHERE spec NOT IN (SELECT spec FROM record_sets)")


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
        clauses, args = [], []
        if self.start is not None:
            clauses.append("r.datestamp >= ?")
            args.append(self.start)
        if self.end is not None:
            clauses.append("r.datestamp <= ?")
            args.append(self.end)
        if self.set_spec is not None:
            clauses.append("EXISTS (SELECT 1 FROM record_sets s WHERE s.spec = ? AND s.id = r.id)")
            args.append(self.set_spec)
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

    def earliest_datestamp(self) -> str:
        row = self._conn.execute("SELECT MIN(datestamp) FROM records").fetchone()
        return row[0] or self.created

    def get(self, doc_id: str, column: str | None = None) -> Record | None:
        select = f", {_column(column)}" if column else ""
        row = self._conn.execute(
            f"SELECT id, datestamp, deleted, sets{select} FROM records WHERE id = ?", (doc_id,)
        ).fetchone()
        return _record(row, column) if row else None

    def count(self, query: Query) -> int:
        where, args = query.where()
        return self._conn.execute(f"SELECT COUNT(*) FROM records r WHERE {where}", args).fetchone()[0]

    def page(self, query: Query, after: str | None, limit: int, column: str | None = None) -> list[Record]:
        """Up to ``limit`` records with ids greater than ``after`` (keyset paging by id)."""
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
        return [_record(row, column) for row in rows]

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
