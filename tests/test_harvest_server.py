"""The real server: harvested by sickle and oaipmh-scythe, attacked with hostile requests,
serving the static site without leaking anything outside it."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from harvest_support import NS, assert_valid, corpus, error_code, serving, write_config
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe.config import HTTPConfig
from sickle import Sickle

from edition.catalog import format_datestamp, update
from edition.catalog_entries import read_entries
from edition.config import Config, load_config
from edition.server import Server, create_server

T0 = datetime(2026, 2, 1, 9, 0, 0, tzinfo=UTC)
T1 = datetime(2026, 2, 5, 17, 45, 30, tzinfo=UTC)
CLONES = 12
ROOT = Path(__file__).resolve().parent.parent


class Live:
    def __init__(self, config: Config, server: Server, ids: list[str], secret_file: Path) -> None:
        self.config = config
        self.server = server
        self.ids = ids
        self.oai = server.url + "oai"
        self.prefix = f"oai:{config.repository_identifier}:"
        self.secret_file = secret_file

    def raw(self, request: bytes) -> tuple[int, dict[str, str], bytes]:
        """Send bytes as they are (http.client refuses to send malformed requests)."""
        with socket.create_connection((self.server.host, self.server.port), timeout=10) as sock:
            sock.sendall(request)
            chunks = []
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        return status, headers, body

    def get(self, target: str, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=10)
        try:
            conn.request(method, target, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()


def _site(directory: Path) -> Path:
    site = directory / "site"
    (site / "documents").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>Edition</title><p>index</p>", encoding="utf-8")
    (site / "documents" / "index.html").write_text("<!DOCTYPE html><title>Docs</title>", encoding="utf-8")
    (site / "documents" / "wilson-119711.html").write_text("<!DOCTYPE html><title>Letter</title>", encoding="utf-8")
    (site / "документ.txt").write_text("unicode name", encoding="utf-8")
    (site / ".hidden").write_text("hidden", encoding="utf-8")
    return site


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    directory = tmp_path_factory.mktemp("serve")
    config = write_config(directory, page_size=4)
    site = _site(directory)
    secret = directory / "outside-secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    (site / "link-out").symlink_to(secret)
    (site / "linked-index").mkdir()
    (site / "linked-index" / "index.html").symlink_to(secret)
    paths = corpus(config.tei_dir, clones=CLONES)
    update(paths, config.catalog, config=config, now=T0)
    changed = config.tei_dir / "clone-005.xml"
    changed.write_bytes(changed.read_bytes().replace(b"(copy 5)", b"(copy 5, corrected)"))
    (config.tei_dir / "clone-007.xml").unlink()
    update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config, now=T1)
    with serving(config, threads=4) as server:
        yield Live(config, server, sorted(p.stem for p in paths), secret)


# ---------------------------------------------------------------------------
# Real harvesters


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sickle_harvests_everything_through_pages(live: Live, method: str) -> None:
    sickle = Sickle(live.oai, http_method=method, max_retries=0, timeout=30)
    records = list(sickle.ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    assert [r.header.identifier for r in records] == [live.prefix + i for i in live.ids]
    assert [r.header.identifier for r in records if r.header.deleted] == [live.prefix + "clone-007"]
    live_records = [r for r in records if not r.header.deleted]
    assert all(r.metadata.get("title") for r in live_records)
    identify = sickle.Identify()
    assert identify.baseURL == live.oai
    assert identify.deletedRecord == "persistent"
    assert identify.earliestDatestamp == "2026-02-01T09:00:00Z"
    specs = [s.setSpec for s in sickle.ListSets()]
    assert "type:letter" in specs and "type" in specs


def test_sickle_incremental_harvest(live: Live) -> None:
    sickle = Sickle(live.oai, max_retries=0, timeout=30)
    for since in ("2026-02-05T17:45:30Z", "2026-02-02"):
        headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False, **{"from": since}))
        assert sorted(h.identifier for h in headers) == [live.prefix + "clone-005", live.prefix + "clone-007"]
        assert [h.deleted for h in sorted(headers, key=lambda h: h.identifier)] == [False, True]


def test_sickle_tei_records(live: Live) -> None:
    sickle = Sickle(live.oai, max_retries=0, timeout=30)
    record = sickle.GetRecord(identifier=live.prefix + "wilson-119711", metadataPrefix="tei")
    tei = record.xml.find(".//{http://www.tei-c.org/ns/1.0}TEI")
    assert tei is not None
    records = list(sickle.ListRecords(metadataPrefix="tei", set="type:letter", ignore_deleted=True))
    assert len(records) > 3
    assert all(r.xml.find(".//{http://www.tei-c.org/ns/1.0}TEI") is not None for r in records)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_scythe_harvests_everything_through_pages(live: Live, method: str) -> None:
    with Scythe(live.oai, http_config=HTTPConfig(http_method=method, timeout=30)) as scythe:
        records = list(scythe.list_records(metadata_prefix="oai_dc"))
        assert [r.header.identifier for r in records] == [live.prefix + i for i in live.ids]
        assert [r.header.identifier for r in records if r.deleted] == [live.prefix + "clone-007"]
        kept = list(scythe.list_records(metadata_prefix="oai_dc", ignore_deleted=True))
        assert len(kept) == len(live.ids) - 1
        assert scythe.identify().baseURL == live.oai
        formats = [f.metadataPrefix for f in scythe.list_metadata_formats()]
        assert formats == ["oai_dc", "tei"]


def test_scythe_incremental_and_selective_harvest(live: Live) -> None:
    with Scythe(live.oai, http_config=HTTPConfig(timeout=30)) as scythe:
        headers = list(scythe.list_identifiers(from_="2026-02-05T17:45:30Z", metadata_prefix="oai_dc"))
        assert sorted(h.identifier for h in headers) == [live.prefix + "clone-005", live.prefix + "clone-007"]
        letters = list(scythe.list_identifiers(set_="type:letter", metadata_prefix="oai_dc"))
        assert letters and all("type:letter" in h.setSpecs for h in letters)
        record = scythe.get_record(identifier=live.prefix + "clone-005", metadata_prefix="oai_dc")
        assert record.header.datestamp == "2026-02-05T17:45:30Z"
        assert "corrected" in record.metadata["title"][0]


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        # Years before 1000 are real dates, written with four digits; a bound made from one
        # must still sort before every datestamp of the repository.
        ({"from": "0999-01-01"}, "all"),
        ({"from": "0999-01-01", "until": "2026-02-01"}, "first"),
        ({"until": "0999-12-31"}, "none"),
    ],
)
def test_day_bounds_before_the_year_1000(live: Live, bounds: dict[str, str], expected: str) -> None:
    query = urllib.parse.urlencode({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **bounds})
    status, _, body = live.get(f"/oai?{query}")
    root = assert_valid(body)
    if expected == "none":
        assert error_code(root) == "noRecordsMatch"
        return
    assert status == 200 and error_code(root) is None, body[-300:]
    datestamps = {d.text for d in root.iterfind("oai:ListIdentifiers/oai:header/oai:datestamp", NS)}
    assert datestamps <= ({"2026-02-01T09:00:00Z", "2026-02-05T17:45:30Z"} if expected == "all"
                          else {"2026-02-01T09:00:00Z"})
    assert root.find("oai:ListIdentifiers/oai:resumptionToken", NS).get("completeListSize") == (
        str(len(live.ids)) if expected == "all" else str(len(live.ids) - 2))


def test_harvest_sees_updates_and_deletions_while_serving(tmp_path: Path) -> None:
    config = write_config(tmp_path, page_size=3)
    paths = corpus(config.tei_dir, clones=2)
    update(paths, config.catalog, config=config, now=T0)
    with serving(config) as server:
        sickle = Sickle(server.url + "oai", max_retries=0, timeout=30)
        first = {h.identifier: h for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")}
        assert len(first) == len(paths)
        (config.tei_dir / "clone-000.xml").unlink()
        target = config.tei_dir / "clone-001.xml"
        target.write_bytes(target.read_bytes().replace(b"(copy 1)", b"(copy 1, new reading)"))
        update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config, now=T1)
        prefix = f"oai:{config.repository_identifier}:"
        changed = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2026-02-05T17:45:30Z"}))
        assert {h.identifier: h.deleted for h in changed} == {prefix + "clone-000": True, prefix + "clone-001": False}
        again = {h.identifier: h for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")}
        assert set(again) == set(first)  # the deleted record never vanishes


def _oai_get(oai: str, **args: str) -> etree._Element:
    """One OAI-PMH request over real HTTP, its response checked against the schema."""
    with urllib.request.urlopen(f"{oai}?{urllib.parse.urlencode(args)}", timeout=30) as response:
        return assert_valid(response.read())


def test_a_token_from_a_catalog_that_a_clean_rebuild_replaced_is_refused(tmp_path: Path) -> None:
    """A configured token_secret signs the tokens of every catalog alike, and a new catalog
    (``make clean``, then a build) counts its versions from 1 again. A harvester mid-way
    through the old one's list must be told to restart (badResumptionToken), not be handed
    the new catalog's records under the old list's size."""
    config = write_config(tmp_path, page_size=4, extra='token_secret = "one-key-for-every-server"\n')
    paths = corpus(config.tei_dir, clones=8)
    assert update(paths, config.catalog, config=config, now=T0).version == 1
    with serving(config) as server:
        oai = server.url + "oai"
        first = _oai_get(oai, verb="ListIdentifiers", metadataPrefix="oai_dc")
        token = first.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
        assert token
        for suffix in ("", "-wal", "-shm"):
            Path(f"{config.catalog}{suffix}").unlink(missing_ok=True)
        for path in paths[-3:]:
            path.unlink()
        assert update(paths[:-3], config.catalog, config=config, now=T1).version == 1
        resumed = _oai_get(oai, verb="ListIdentifiers", resumptionToken=token)
        assert error_code(resumed) == "badResumptionToken"
        # A token of the new catalog goes on as before.
        fresh = _oai_get(oai, verb="ListIdentifiers", metadataPrefix="oai_dc")
        again = fresh.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
        assert error_code(_oai_get(oai, verb="ListIdentifiers", resumptionToken=again)) is None


def _headers(oai: str) -> dict[str, tuple[str, bool]]:
    """Every record's identifier with its datestamp and whether it is deleted, as sickle harvests them."""
    sickle = Sickle(oai, max_retries=0, timeout=30)
    return {h.identifier: (h.datestamp, h.deleted)
            for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False)}


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def _build(folder: Path) -> None:
    """`edition build` in ``folder``, as an editor runs it, with the edition.toml there."""
    done = subprocess.run([sys.executable, "-m", "edition", "build", "-j", "1"], capture_output=True, text=True,
                          cwd=folder, timeout=600)
    assert done.returncode == 0, done.stderr


def test_make_clean_keeps_what_harvesters_were_told(tmp_path: Path) -> None:
    """Identify says deletedRecord persistent. After ``make clean`` and a build of the same
    TEI, a record deleted before is still served as deleted, and no datestamp moves (an
    incremental harvest finds nothing new): the catalog in build/ is history, not output."""
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "edition.toml").write_text(
        '[site]\nbase_url = "https://edition.example.org/"\n[oai]\nrepository_identifier = "test.example.org"\n'
        'page_size = 4\n[paths]\ntei = "tei"\nbuild = "build"\nsite = "build/site"\ncatalog = "build/catalog.sqlite"\n',
        encoding="utf-8")
    config = load_config(tmp_path / "edition.toml")
    corpus(config.tei_dir, clones=2)

    _build(tmp_path)
    (config.tei_dir / "clone-000.xml").unlink()
    _build(tmp_path)
    with serving(config) as server:
        oai = server.url + "oai"
        before = _headers(oai)
        deleted = f"oai:{config.repository_identifier}:clone-000"
        assert before[deleted][1] is True
        earliest = _oai_get(oai, verb="Identify").findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS)
        time.sleep(1.1)  # a catalog made anew would stamp its records with a later second
        clean = subprocess.run(["make", "clean"], capture_output=True, text=True, cwd=tmp_path,
                               env=dict(os.environ, MAKEFLAGS=""), timeout=60)
        assert clean.returncode == 0, clean.stderr
        assert not config.site_dir.exists()
        _build(tmp_path)
        assert _headers(oai) == before
        identify = _oai_get(oai, verb="Identify")
        assert identify.findtext("oai:Identify/oai:deletedRecord", namespaces=NS) == "persistent"
        assert identify.findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS) == earliest
        record = _oai_get(oai, verb="GetRecord", identifier=deleted, metadataPrefix="oai_dc")
        assert record.find("oai:GetRecord/oai:record/oai:header", NS).get("status") == "deleted"


def test_make_clean_keeps_the_catalog_where_the_configuration_puts_it(tmp_path: Path) -> None:
    """paths.catalog may name a catalog in a folder of its own under the build folder:
    make clean keeps it there (its datestamps and deletions are the edition's history),
    and empties the rest of the configured build folder."""
    shutil.copy2(ROOT / "Makefile", tmp_path / "Makefile")
    # The environment `make` sets up: this interpreter, which has the edition installed.
    venv_bin = tmp_path / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    (venv_bin / "python").chmod(0o755)
    (tmp_path / "edition.toml").write_text(
        '[oai]\nrepository_identifier = "test.example.org"\n'
        '[paths]\ntei = "tei"\nbuild = "out"\nsite = "out/site"\ncatalog = "out/oai/catalog.sqlite"\n',
        encoding="utf-8")
    config = load_config(tmp_path / "edition.toml")
    corpus(config.tei_dir, clones=2)

    def rows() -> list[tuple[object, ...]]:
        with sqlite3.connect(config.catalog) as db:
            return db.execute("SELECT id, datestamp, hash, deleted FROM records ORDER BY id").fetchall()

    _build(tmp_path)
    (config.tei_dir / "clone-000.xml").unlink()
    _build(tmp_path)
    before = rows()
    assert any(row[0] == "clone-000" and row[3] == 1 for row in before)
    (tmp_path / "out" / "oai" / "notes.txt").write_text("made by a build", encoding="utf-8")
    time.sleep(1.1)  # a catalog made anew would stamp its records with a later second
    clean = subprocess.run(["make", "clean"], capture_output=True, text=True, cwd=tmp_path,
                           env=dict(os.environ, MAKEFLAGS=""), timeout=60)
    assert clean.returncode == 0, clean.stderr
    left = {p.relative_to(tmp_path).as_posix() for p in (tmp_path / "out").rglob("*")}
    assert left - {"out/oai/catalog.sqlite-wal", "out/oai/catalog.sqlite-shm"} == {"out/oai", "out/oai/catalog.sqlite"}
    _build(tmp_path)
    assert rows() == before
    # A build folder that holds what no build makes again is not emptied.
    (tmp_path / "edition.toml").write_text('[paths]\nbuild = "."\ncatalog = "out/oai/catalog.sqlite"\n', encoding="utf-8")
    refused = subprocess.run(["make", "clean"], capture_output=True, text=True, cwd=tmp_path,
                             env=dict(os.environ, MAKEFLAGS=""), timeout=60)
    assert refused.returncode != 0 and "paths.build" in refused.stderr and "nothing was removed" in refused.stderr
    assert (config.tei_dir / "clone-001.xml").is_file() and (tmp_path / "out" / "site").is_dir()


def _list_identifiers(oai: str, **args: str) -> tuple[str, set[str]]:
    """One unpaged ListIdentifiers over real HTTP: its responseDate and identifiers."""
    query = urllib.parse.urlencode({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **args})
    with urllib.request.urlopen(f"{oai}?{query}", timeout=30) as response:
        root = assert_valid(response.read())
    assert root.find("oai:ListIdentifiers/oai:resumptionToken", NS) is None
    ids = {h.text for h in root.iterfind("oai:ListIdentifiers/oai:header/oai:identifier", NS)}
    assert ids or error_code(root) == "noRecordsMatch"
    return root.findtext("oai:responseDate", namespaces=NS), ids


@contextmanager
def _catalog_with_a_revision_pending(tmp_path: Path) -> Iterator[tuple[Config, str]]:
    """A catalog of two clones, clone-001's TEI revised since, and a live server on it
    (its configuration and OAI address) for the ``with`` block."""
    config = write_config(tmp_path, page_size=50)
    paths = corpus(config.tei_dir, clones=2)
    update(paths, config.catalog, config=config, now=T0)
    target = config.tei_dir / "clone-001.xml"
    target.write_bytes(target.read_bytes().replace(b"(copy 1)", b"(copy 1, revised)"))
    with serving(config) as server:
        yield config, server.url + "oai"


def _harvest_in_the_next_second(oai: str) -> tuple[str, set[str]]:
    """ListIdentifiers once the clock has passed the second it is called in."""
    began = format_datestamp(datetime.now(UTC))
    while format_datestamp(datetime.now(UTC)) == began:
        time.sleep(0.02)
    return _list_identifiers(oai)


def _the_next_harvest_returns_the_revision(config: Config, oai: str, during: tuple[str, set[str]]) -> None:
    response_date, seen = during
    assert f"oai:{config.repository_identifier}:clone-001" in seen  # the old version
    _, since = _list_identifiers(oai, **{"from": response_date})
    assert since == {f"oai:{config.repository_identifier}:clone-001"}


def test_a_harvest_during_an_update_misses_none_of_its_changes_next_time(tmp_path: Path) -> None:
    """Spec 2.7.1: a harvester that passes the last responseDate as ``from`` gets every change
    since. A harvest answered while an update is under way cannot see its changes yet; they
    must not be stamped with a time before that harvest's responseDate."""
    with _catalog_with_a_revision_pending(tmp_path) as (config, oai):
        entries = read_entries(sorted(config.tei_dir.glob("*.xml")), config)
        during: dict[str, tuple[str, set[str]]] = {}

        def slow_entries() -> Iterator:
            # The update has begun: harvest once the clock is past the second it began in.
            during["harvest"] = _harvest_in_the_next_second(oai)
            yield from entries

        report = update([], config.catalog, config=config, entries=slow_entries())
        assert report.changed == ["clone-001"]
        _the_next_harvest_returns_the_revision(config, oai, during["harvest"])


class _SlowCommit:
    """A catalog connection whose COMMIT is slow (a sync on a busy disk): before the commit
    goes through, the clock passes into the next second and a harvest is answered."""

    def __init__(self, conn: sqlite3.Connection, before_commit: Callable[[], None]) -> None:
        self._conn = conn
        self._before_commit = before_commit

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
        if sql == "COMMIT":
            self._before_commit()
            self._before_commit = lambda: None
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str) -> object:
        return getattr(self._conn, name)


def test_a_harvest_while_an_update_commits_misses_none_of_its_changes_next_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Spec 2.7.1 at the commit: the update's changes are stamped just before it commits;
    a harvest answered after the clock passed that second, but before the commit became
    visible, has a later responseDate and did not see them. Passing that responseDate as
    ``from`` must still return them."""
    from edition import catalog

    with _catalog_with_a_revision_pending(tmp_path) as (config, oai):
        during: dict[str, tuple[str, set[str]]] = {}

        def harvest_in_the_next_second() -> None:
            during["harvest"] = _harvest_in_the_next_second(oai)

        real_connect = catalog.connect
        monkeypatch.setattr(catalog, "connect", lambda path, *, readonly=False: (
            real_connect(path, readonly=readonly) if readonly
            else _SlowCommit(real_connect(path), harvest_in_the_next_second)))
        report = update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config)
        assert report.changed == ["clone-001"]
        _the_next_harvest_returns_the_revision(config, oai, during["harvest"])


# ---------------------------------------------------------------------------
# Hostile requests: a protocol error or a 4xx, never a 500, never a traceback or a path


def _harmless(live: Live, status: int, body: bytes) -> etree._Element | None:
    assert status < 500, body[:500]
    text = body.decode("utf-8", "replace")
    assert "Traceback" not in text and str(live.config.catalog.parent) not in text and "/work/" not in text
    if status == 200:
        return assert_valid(body)
    assert 400 <= status < 500
    return None


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("verb=Nonsense", "badVerb"),
        ("", "badVerb"),
        ("verb=%FF%FE", "badArgument"),  # percent-encoded bytes that are not UTF-8
        ("verb=Identify%00", "badVerb"),
        ("verb=%zz", "badVerb"),
        ("verb=ListRecords&metadataPrefix=oai_dc&set=" + "a" * 1500, "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=%01%02", "badArgument"),
        ("verb=Identify" + "&x=1" * 40, "badArgument"),
        ("verb=ListRecords&resumptionToken=" + "A" * 800 + "." + "B" * 100, "badResumptionToken"),
        ("verb=ListRecords&resumptionToken=%3Cscript%3E", "badResumptionToken"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&from=9999-99-99", "badArgument"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=-2026-01-01", "badArgument"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:test.example.org:../../etc/passwd", "idDoesNotExist"),
        ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:test.example.org:x'%20OR%20'1'='1", "idDoesNotExist"),
        # A trailing newline (which a regular expression's $ lets through) is not echoed in <request>.
        ("verb=ListIdentifiers&metadataPrefix=oai_dc%0A", "cannotDisseminateFormat"),
        ("verb=ListIdentifiers&metadataPrefix=oai_dc&set=type%0A", "badArgument"),
    ],
)
def test_hostile_queries_get_protocol_errors(live: Live, query: str, code: str) -> None:
    status, headers, body = live.get("/oai?" + query)
    assert status == 200 and headers["content-type"].startswith("text/xml")
    root = _harmless(live, status, body)
    assert error_code(root) == code


def test_raw_non_utf8_bytes_in_the_request_line(live: Live) -> None:
    status, _, body = live.raw(b"GET /oai?verb=Identify\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    root = _harmless(live, status, body)
    assert root is None or error_code(root) in {"badVerb", "badArgument"}


def test_garbage_host_header_is_not_echoed(live: Live) -> None:
    status, _, body = live.raw(b"GET /oai?verb=Identify HTTP/1.1\r\nHost: <evil>\"\r\nConnection: close\r\n\r\n")
    root = _harmless(live, status, body)
    if root is not None:
        assert "evil" not in root.findtext("oai:Identify/oai:baseURL", namespaces=NS)


def test_very_long_urls_are_refused_with_4xx(live: Live) -> None:
    status, _, body = live.raw(
        b"GET /oai?verb=Identify&x=" + b"a" * 9_000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status == 414
    _harmless(live, status, body)
    status, _, body = live.raw(b"GET /" + b"a/" * 3_000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert status == 414
    # Past the server's header limit (64 KiB) waitress answers 431 and drops the connection
    # while the client is still sending, so the client may only see the reset.
    for target in (b"/oai?verb=Identify&x=" + b"a" * 100_000, b"/" + b"a/" * 40_000):
        try:
            status, _, body = live.raw(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError):
            continue
        assert 400 <= status < 500, status
    # The server is still answering.
    assert live.get("/oai?verb=Identify")[0] == 200


def test_http_methods_and_bodies(live: Live) -> None:
    status, headers, _ = live.get("/oai?verb=Identify", method="PUT")
    assert status == 405 and "POST" in headers["allow"]
    status, _, _ = live.get("/oai", method="POST", body=b"verb=Identify", headers={"Content-Type": "application/json"})
    assert status == 415
    status, _, body = live.get("/oai", method="POST", body=b"verb=Identify&x=" + b"a" * 200_000,
                               headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    status, _, body = live.get("/oai", method="POST", body=b"verb=ListSets",
                               headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
    assert status == 200 and assert_valid(body).find("oai:ListSets", NS) is not None
    status, headers, body = live.get("/oai?verb=Identify", method="HEAD")
    assert status == 200 and body == b""


def test_missing_catalog_is_a_503_not_a_500(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    with serving(config, threads=1) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", "/oai?verb=Identify")
        response = conn.getresponse()
        body = response.read()
        assert response.status == 503 and str(tmp_path) not in body.decode()


# ---------------------------------------------------------------------------
# Static site


def test_static_files(live: Live) -> None:
    status, headers, body = live.get("/")
    assert status == 200 and b"index" in body and headers["content-type"] == "text/html; charset=utf-8"
    status, headers, body = live.get("/documents/wilson-119711.html")
    assert status == 200 and b"Letter" in body
    etag = headers["etag"]
    status, _, body = live.get("/documents/wilson-119711.html", headers={"If-None-Match": etag})
    assert status == 304 and body == b""
    status, headers, _ = live.get("/documents")
    assert status == 301 and headers["location"] == "/documents/"
    status, _, body = live.get("/documents/")
    assert status == 200 and b"Docs" in body
    status, _, body = live.get("/" + urllib.parse.quote("документ.txt"))
    assert status == 200 and body == "unicode name".encode()
    status, _, body = live.get("/documents/wilson-119711.html", method="HEAD")
    assert status == 200 and body == b""
    assert live.get("/", method="POST")[0] == 405



def test_the_published_schemas_are_served_as_xml(live: Live) -> None:
    """The site's schema/ (named by the TEI downloads' xml-model lines) is XML, not bytes of
    an unknown kind, whatever the system's table of file names says."""
    schema = live.config.site_dir / "schema"
    schema.mkdir(exist_ok=True)
    for name in ("edition.rng", "edition.sch", "edition.odd"):
        shutil.copy2(ROOT / "schema" / name, schema / name)
    types = {name: live.get(f"/schema/{name}")[1]["content-type"] for name in ("edition.rng", "edition.sch", "edition.odd")}
    assert types == {"edition.rng": "application/xml", "edition.sch": "application/xml",
                     "edition.odd": "application/tei+xml"}

def test_static_files_are_revalidated_after_a_rebuild(live: Live) -> None:
    """Pages keep their URLs across rebuilds: caches must ask again each time (no heuristic
    freshness), and both validators a client may hold answer 304 while the file is unchanged."""
    page = "/documents/wilson-119711.html"
    status, headers, _ = live.get(page)
    assert status == 200 and "no-cache" in headers["cache-control"]
    etag, modified = headers["etag"], headers["last-modified"]
    for conditional in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'}, {"If-None-Match": "*"},
                        {"If-Modified-Since": modified}, {"If-Modified-Since": "Tue, 01 Jan 2999 00:00:00 GMT"}):
        for method in ("GET", "HEAD"):
            status, headers, body = live.get(page, method=method, headers=conditional)
            assert (status, body) == (304, b""), (conditional, method, status)
            assert headers["etag"] == etag and "no-cache" in headers["cache-control"]
    for current in ({"If-None-Match": '"other"'}, {"If-Modified-Since": "Thu, 01 Jan 1998 00:00:00 GMT"},
                    {"If-Modified-Since": "not a date"},
                    # If-None-Match decides alone when both are sent.
                    {"If-None-Match": '"other"', "If-Modified-Since": modified}):
        status, _, body = live.get(page, headers=current)
        assert status == 200 and b"Letter" in body, current


def test_a_file_replaced_with_one_of_its_size_and_time_is_not_answered_304(live: Live) -> None:
    # A rebuild writes a new file and renames it into place; on a file system whose clock
    # is coarse, it can have the old file's size and modification time.
    probe = live.config.site_dir / "etag-probe.txt"
    probe.write_text("version one", encoding="utf-8")
    _, headers, _ = live.get("/etag-probe.txt")
    old = probe.stat()
    replacement = probe.with_name("etag-probe.new")
    replacement.write_text("version two", encoding="utf-8")
    os.utime(replacement, ns=(old.st_atime_ns, old.st_mtime_ns))
    os.replace(replacement, probe)
    status, _, body = live.get("/etag-probe.txt", headers={"If-None-Match": headers["etag"]})
    assert (status, body) == (200, b"version two")


@pytest.mark.parametrize(
    "target",
    [
        b"/../outside-secret.txt",
        b"/%2e%2e/outside-secret.txt",
        b"/documents/..%2f..%2foutside-secret.txt",
        b"/documents/%2e%2e%2f%2e%2e%2foutside-secret.txt",
        b"/..%5coutside-secret.txt",
        b"//etc/passwd",
        b"/link-out",
        b"/linked-index/",
        b"/linked-index",
        b"/.hidden",
        b"/%2ehidden",
        b"/documents/%00",
        b"/%ff%fe",
        b"/no-such-page.html",
        b"/documents/wilson-119711.html/",
        b"/site/index.html",
    ],
)
def test_no_traversal_out_of_the_site(live: Live, target: bytes) -> None:
    status, _, body = live.raw(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert status in {400, 404}, (target, status)
    assert b"TOP SECRET" not in body and b"root:" not in body and b"hidden" not in body
    assert str(live.config.site_dir).encode() not in body and b"/tmp/" not in body


# ---------------------------------------------------------------------------
# The command


def test_edition_serve_command(tmp_path: Path) -> None:
    config = write_config(tmp_path, page_size=5)
    paths = corpus(config.tei_dir)
    update(paths, config.catalog, config=config, now=T0)
    _site(tmp_path)
    command = [str(Path(sys.executable).with_name("edition")), "serve", "--config", str(config.source), "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = process.stdout.readline()
        assert "serving http://127.0.0.1:" in line, (line, process.stderr.read() if process.poll() is not None else "")
        url = line.split("serving ", 1)[1].split()[0]
        host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
        conn = http.client.HTTPConnection(host, port, timeout=10)
        conn.request("GET", "/oai?verb=Identify")
        root = assert_valid(conn.getresponse().read())
        assert root.findtext("oai:Identify/oai:baseURL", namespaces=NS) == f"{url}oai"
        conn.request("GET", "/")
        response = conn.getresponse()
        assert response.status == 200 and b"index" in response.read()
        conn.close()
        records = list(Sickle(f"{url}oai", max_retries=0, timeout=30).ListRecords(metadataPrefix="oai_dc"))
        assert len(records) == len(paths)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        process.stdout.close()
        process.stderr.close()


def test_edition_serve_without_catalog_says_what_to_do(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    result = subprocess.run(
        [str(Path(sys.executable).with_name("edition")), "serve", "--config", str(config.source), "--port", "0"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    assert "edition build" in result.stderr and "Traceback" not in result.stderr


def test_busy_port_is_a_clear_error(live: Live) -> None:
    from edition.errors import EditionError

    with pytest.raises(EditionError, match="cannot listen"):
        create_server(live.config, "127.0.0.1", live.server.port)


def test_serving_stops_the_server_however_the_block_ends(tmp_path: Path) -> None:
    # Every test stopped the server it started in a finally of its own, and one helper
    # started a server its callers had to stop: the one way now must free the port and
    # end the loop's thread when an assertion fails inside the block, too.
    config = write_config(tmp_path)
    with pytest.raises(AssertionError, match="a failed check"), serving(config, threads=1) as server:
        conn = http.client.HTTPConnection(server.host, server.port, timeout=10)
        conn.request("GET", "/oai?verb=Identify")
        assert conn.getresponse().status == 503  # answered at once: no catalog yet
        conn.close()
        raise AssertionError("a failed check")
    assert server.thread is not None and not server.thread.is_alive()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection((server.host, server.port), timeout=10).close()


def test_concurrent_harvesters_each_get_the_whole_list(live: Live) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def harvest(method: str) -> list[str]:
        sickle = Sickle(live.oai, http_method=method, max_retries=0, timeout=60)
        return [h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc")]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(harvest, ["GET", "POST"] * 4))
    expected = [live.prefix + i for i in live.ids]
    assert all(result == expected for result in results)


def _every_header(oai: str, **args: str) -> dict[str, tuple[str, bool, tuple[str, ...]]]:
    """Each header of a list followed through its resumption tokens over real HTTP, every
    page checked against the schema: identifier -> (datestamp, deleted, setSpecs)."""
    found: dict[str, tuple[str, bool, tuple[str, ...]]] = {}
    root = _oai_get(oai, verb="ListIdentifiers", metadataPrefix="oai_dc", **args)
    while True:
        if error_code(root) == "noRecordsMatch":
            return found
        assert error_code(root) is None
        for header in root.iterfind("oai:ListIdentifiers/oai:header", NS):
            identifier = header.findtext("oai:identifier", namespaces=NS)
            assert identifier not in found  # no page repeats one
            found[identifier] = (header.findtext("oai:datestamp", namespaces=NS), header.get("status") == "deleted",
                                 tuple(s.text for s in header.iterfind("oai:setSpec", NS)))
        token = root.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)
        if not token:
            return found
        root = _oai_get(oai, verb="ListIdentifiers", resumptionToken=token)


def test_identifiers_under_a_former_repository_identifier_are_served_as_deleted(tmp_path: Path) -> None:
    """Identify says deletedRecord persistent: a harvester that holds oai:<old>:<id> learns from
    its next incremental harvest that the record is gone, stamped with the change, and
    GetRecord of an old identifier answers a deleted record, not idDoesNotExist. A record
    deleted before keeps its moment of deletion; changing back makes the old names live again."""
    from dataclasses import replace

    config = write_config(tmp_path, page_size=4)
    paths = corpus(config.tei_dir, clones=3)
    update(paths, config.catalog, config=config, now=T0)
    (config.tei_dir / "clone-000.xml").unlink()
    update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config, now=T1)
    old = f"oai:{config.repository_identifier}:"
    renamed = replace(config, repository_identifier="archive.example.net")
    T2 = datetime(2026, 2, 6, 8, 0, 0, tzinfo=UTC)
    update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=renamed, now=T2)
    ids = sorted(p.stem for p in paths)
    with serving(renamed) as server:
        oai = server.url + "oai"
        since = _every_header(oai, **{"from": "2026-02-06T08:00:00Z"})
        new = "oai:archive.example.net:"
        assert {i for i in since if i.startswith(new)} == {new + i for i in ids}
        assert {i: since[i][:2] for i in since if i.startswith(old)} == {
            old + i: ("2026-02-06T08:00:00Z", True) for i in ids if i != "clone-000"}
        everything = _every_header(oai)
        assert everything[old + "clone-000"][:2] == ("2026-02-05T17:45:30Z", True)
        assert len(everything) == 2 * len(ids)
        record = _oai_get(oai, verb="GetRecord", identifier=old + "clone-001", metadataPrefix="tei")
        header = record.find("oai:GetRecord/oai:record/oai:header", NS)
        assert header.get("status") == "deleted" and record.find(".//oai:metadata", NS) is None
        assert header.findtext("oai:datestamp", namespaces=NS) == "2026-02-06T08:00:00Z"
        formats = _oai_get(oai, verb="ListMetadataFormats", identifier=old + "clone-001")
        assert error_code(formats) == "noMetadataFormats"
        # A set's harvester learns that its members left under their old names too.
        typed = _every_header(oai, set="type", **{"from": "2026-02-06T08:00:00Z"})
        assert old + "clone-001" in typed and "type:letter" in typed[old + "clone-001"][2]
        earliest = _oai_get(oai, verb="Identify").findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS)
        assert earliest == "2026-02-05T17:45:30Z"  # the retired deletion's: every record was stamped anew
        assert error_code(_oai_get(oai, verb="GetRecord", identifier=old + "no-such", metadataPrefix="oai_dc")) == (
            "idDoesNotExist")
    # Back to the first identifier: its names are live again, and the second's are retired.
    T3 = datetime(2026, 2, 7, 8, 0, 0, tzinfo=UTC)
    update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config, now=T3)
    with serving(config) as server:
        since = _every_header(server.url + "oai", **{"from": "2026-02-07T08:00:00Z"})
        assert {i: v[1] for i, v in since.items() if i.startswith(old)} == {
            old + i: i == "clone-000" for i in ids}
        assert {i for i, v in since.items() if v[1] and i.startswith("oai:archive.example.net:")} == {
            "oai:archive.example.net:" + i for i in ids if i != "clone-000"}


def test_a_change_no_format_disseminates_moves_no_datestamp(tmp_path: Path) -> None:
    """The datestamp is that of the metadata disseminated (spec 2.5, 2.7.1). The tei format
    serves a document's root element: its xml-model lines and XML declaration are not
    served, so pointing every file at another schema changes nothing a harvester receives,
    and an incremental harvest stays empty; a change inside the document still moves it."""
    config = write_config(tmp_path, page_size=4)
    paths = corpus(config.tei_dir, clones=3)
    update(paths, config.catalog, config=config, now=T0)
    with serving(config) as server:
        oai = server.url + "oai"
        identifier = f"oai:{config.repository_identifier}:clone-001"

        def served() -> bytes:
            record = _oai_get(oai, verb="GetRecord", identifier=identifier, metadataPrefix="tei")
            return etree.tostring(record.find("oai:GetRecord/oai:record/oai:metadata/*", NS))

        before, tei_before = _every_header(oai), served()
        assert b"xml-model" not in tei_before
        for path in paths:
            data = path.read_bytes()
            declaration, _, rest = data.partition(b"?>")
            rest = rest.replace(b"../schema/edition.rng", b"https://schemas.example.org/edition-2.rng")
            path.write_bytes(declaration + b'?>\n<?xml-model href="https://schemas.example.org/edition-2.sch"'
                             b' type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>'
                             + rest + b"\n<!-- edited -->\n")
        report = update(paths, config.catalog, config=config, now=T1)
        assert not report.touched and report.unchanged == len(paths)
        assert error_code(_oai_get(oai, verb="ListIdentifiers", metadataPrefix="tei",
                                   **{"from": "2026-02-05T17:45:30Z"})) == "noRecordsMatch"
        assert _every_header(oai) == before and served() == tei_before
        with sqlite3.connect(config.catalog) as conn:  # the catalog holds the files as they are now
            assert conn.execute("SELECT tei FROM records WHERE id = 'clone-001'").fetchone()[0] == (
                config.tei_dir / "clone-001.xml").read_bytes()
        target = config.tei_dir / "clone-001.xml"
        target.write_bytes(target.read_bytes().replace(b"(copy 1)", b"(copy 1, revised)"))
        update(paths, config.catalog, config=config, now=T1)
        assert set(_every_header(oai, **{"from": "2026-02-05T17:45:30Z"})) == {identifier}


def test_headers_name_no_set_that_another_of_their_sets_implies(live: Live) -> None:
    """Spec 2.6: a header lists only the minimum setSpecs that give the item's membership;
    one in type:letter does not also name type, which is implied. Selecting the parent
    still selects the record."""
    sickle = Sickle(live.oai, max_retries=0, timeout=30)
    headers = list(sickle.ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False))
    assert headers
    for header in headers:
        implied = {spec for spec in header.setSpecs for other in header.setSpecs if other.startswith(spec + ":")}
        assert not implied, (header.identifier, header.setSpecs)
    letter = live.prefix + "wilson-119711"
    record = _oai_get(live.oai, verb="GetRecord", identifier=letter, metadataPrefix="oai_dc")
    specs = {e.text for e in record.iterfind("oai:GetRecord/oai:record/oai:header/oai:setSpec", NS)}
    assert "type:letter" in specs and "type" not in specs
    typed = {h.identifier for h in sickle.ListIdentifiers(metadataPrefix="oai_dc", set="type", ignore_deleted=False)}
    assert letter in typed


def test_a_record_that_changes_sets_comes_in_the_incremental_harvests_of_its_new_sets(tmp_path: Path) -> None:
    """A corrected document type moves the record from type:letter to type:report: it is
    stamped anew and comes, through resumption tokens, in the incremental harvests of the
    repository, of type and of type:report; a harvester of type:letter alone is not told
    (OAI-PMH has no way to: the record is not deleted), as README says."""
    config = write_config(tmp_path, page_size=4)
    paths = corpus(config.tei_dir, clones=12)
    update(paths, config.catalog, config=config, now=T0)
    target = config.tei_dir / "clone-003.xml"
    target.write_bytes(target.read_bytes().replace(b'<term type="doctype">letter</term>',
                                                   b'<term type="doctype">report</term>'))
    update(paths, config.catalog, config=config, now=T1)
    with serving(config) as server:
        oai = server.url + "oai"
        moved = f"oai:{config.repository_identifier}:clone-003"
        since = {"from": "2026-02-05T17:45:30Z"}
        for spec in (None, "type", "type:report"):
            found = _every_header(oai, **since, **({"set": spec} if spec else {}))
            assert found == {moved: ("2026-02-05T17:45:30Z", False, ("archive:rgani", "lang:ru", "type:report"))}
        assert _every_header(oai, set="type:letter", **since) == {}
        assert moved not in _every_header(oai, set="type:letter")
        # Inclusive bounds at the second, whatever page a record falls on.
        everything = _every_header(oai, until="2026-02-05T17:45:30Z")
        assert len(everything) == len(paths)
        assert len(_every_header(oai, until="2026-02-05T17:45:29Z")) == len(paths) - 1
        assert set(_every_header(oai, **{"from": "2026-02-01T09:00:00Z", "until": "2026-02-01T09:00:00Z"})) == (
            set(everything) - {moved})


@pytest.mark.parametrize(("argument", "status"), [("--help", 0), ("--config", 2)])
def test_clean_asked_for_help_or_given_an_argument_removes_nothing(tmp_path: Path, argument: str, status: int) -> None:
    # `python -m edition.clean --help` emptied the build folder: it read no argument.
    (tmp_path / "edition.toml").write_text('[paths]\nbuild = "out"\n', encoding="utf-8")
    made = tmp_path / "out" / "site" / "index.html"
    made.parent.mkdir(parents=True)
    made.write_text("made by a build", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "edition.clean", argument], capture_output=True, text=True,
                         cwd=tmp_path, timeout=60)
    assert run.returncode == status, run.stderr
    assert "python -m edition.clean" in run.stdout + run.stderr
    assert made.is_file()
