"""The SQLite catalog: datestamps follow content, deletions persist, updates are all-or-nothing."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from harvest_support import (
    CONTRACT,
    DC_NS,
    HARVEST_FIXTURES,
    NS,
    OAI_DC_NS,
    clone,
    corpus,
    write_config,
)
from lxml import etree

from edition import catalog, catalog_entries, refschemas
from edition.catalog import CatalogError, Query, snapshot, update
from edition.catalog_entries import derive_sets

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)
T2 = T0 + timedelta(hours=2)

DCMES = {
    "title", "creator", "subject", "description", "publisher", "contributor", "date", "type",
    "format", "identifier", "source", "language", "relation", "coverage", "rights",
}


@pytest.fixture
def edition_dir(tmp_path: Path):
    config = write_config(tmp_path)
    paths = corpus(config.tei_dir)
    return config, paths


def rows(db: Path) -> dict[str, tuple[str, int, str]]:
    with sqlite3.connect(db) as conn:
        return {r[0]: (r[1], r[2], r[3]) for r in conn.execute("SELECT id, datestamp, deleted, hash FROM records")}


def test_first_build_catalogues_every_document(edition_dir) -> None:
    config, paths = edition_dir
    report = update(paths, config.catalog, config=config, now=T0)
    assert len(report.added) == len(paths) >= 3
    assert report.version == 1
    with snapshot(config.catalog) as snap:
        assert snap.count(Query()) == len(paths)
        assert snap.earliest_datestamp() == "2026-01-01T12:00:00Z"
        record = snap.get("wilson-119711", "tei")
        assert record is not None and not record.deleted
        assert record.metadata == (config.tei_dir / "wilson-119711.xml").read_bytes()
    # Made without a journal, it is moved into place whole and in write-ahead mode, which
    # lets the server read while a later build writes.
    with sqlite3.connect(config.catalog) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_rebuild_without_change_keeps_datestamps_and_version(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    report = update(paths, config.catalog, config=config, now=T1)
    assert not report.touched and report.unchanged == len(paths)
    assert report.version == 1
    assert rows(config.catalog) == before


def test_change_moves_only_that_datestamp(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    target = config.tei_dir / "fixture-memcon-az.xml"
    target.write_bytes(target.read_bytes().replace(b"Excerpt", b"Full text"))
    report = update(paths, config.catalog, config=config, now=T1)
    assert report.changed == ["fixture-memcon-az"] and not report.added and not report.deleted
    assert report.version == 2
    after = rows(config.catalog)
    assert after["fixture-memcon-az"][0] == "2026-01-01T13:00:00Z"
    assert {v[0] for k, v in after.items() if k != "fixture-memcon-az"} == {"2026-01-01T12:00:00Z"}


def test_removed_document_becomes_a_persistent_deleted_record(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    gone = config.tei_dir / "fixture-bare.xml"
    gone.unlink()
    remaining = [p for p in paths if p != gone]
    report = update(remaining, config.catalog, config=config, now=T1)
    assert report.deleted == ["fixture-bare"]
    # Later builds keep it, deleted, with the datestamp of its deletion.
    update(remaining, config.catalog, config=config, now=T2)
    with snapshot(config.catalog) as snap:
        record = snap.get("fixture-bare", "oai_dc")
        assert record is not None and record.deleted and record.metadata is None
        assert record.datestamp == "2026-01-01T13:00:00Z"
        assert snap.count(Query()) == len(paths)


def test_deleted_record_keeps_its_sets_and_can_come_back(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    source = config.tei_dir / "fixture-memcon-az.xml"
    saved = source.read_bytes()
    source.unlink()
    update([p for p in paths if p != source], config.catalog, config=config, now=T1)
    with snapshot(config.catalog) as snap:
        deleted = snap.get("fixture-memcon-az")
        assert deleted.deleted and "lang:az-Cyrl" in deleted.sets
        # Selective harvesters of the set learn about the deletion.
        assert "fixture-memcon-az" in [r.id for r in snap.page(Query(set_spec="lang:az-Cyrl"), None, 10)]
    source.write_bytes(saved)
    report = update(paths, config.catalog, config=config, now=T2)
    assert report.changed == ["fixture-memcon-az"]
    assert rows(config.catalog)["fixture-memcon-az"][:2] == ("2026-01-01T14:00:00Z", 0)


def test_interrupted_update_leaves_previous_catalog(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    original = catalog._apply

    def crash_halfway(conn, entries, stamp, report):  # noqa: ANN001
        original(conn, list(entries)[:2], stamp, report)  # writes happen (and deletions of the rest)...
        raise KeyboardInterrupt  # ...then the build is interrupted

    monkeypatch.setattr(catalog, "_apply", crash_halfway)
    with pytest.raises(KeyboardInterrupt):
        update(paths[:1], config.catalog, config=config, now=T1)
    assert rows(config.catalog) == before
    with snapshot(config.catalog) as snap:
        assert snap.version == 1


def fail_dublin_core_on_call(n: int, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the n-th run of dc.xsl (one document per batch) fail; the sizes of the
    batches it was asked for, as they come."""
    monkeypatch.setattr(catalog_entries, "BATCH", 1)
    original = catalog_entries._dublin_core
    calls: list[int] = []

    def failing(docs, config, transform=None):  # noqa: ANN001
        calls.append(len(docs))
        if len(calls) == n:
            raise catalog.CatalogError("dc.xsl failed", docs[0].path)
        return original(docs, config, transform)

    monkeypatch.setattr(catalog_entries, "_dublin_core", failing)
    return calls


def test_failure_while_entries_stream_in_rolls_the_update_back(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    # Entries are made batch by batch inside the write transaction (memory stays
    # flat); a transform failing on a later batch must leave the previous catalog.
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    for path in paths:
        path.write_bytes(path.read_bytes().replace(b"</TEI>", b"<!-- corrected --></TEI>"))
    calls = fail_dublin_core_on_call(3, monkeypatch)
    with pytest.raises(catalog.CatalogError):
        update(paths, config.catalog, config=config, now=T1)
    assert len(calls) == 3 and rows(config.catalog) == before


def test_a_first_catalog_that_fails_half_way_leaves_no_catalog(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    # A new catalog is made beside its place and moved there whole: a failure (or a
    # kill) while making it leaves no file a server or the next build could take for
    # a catalog without its tables.
    config, paths = edition_dir
    original = catalog_entries._dublin_core
    calls = fail_dublin_core_on_call(2, monkeypatch)
    with pytest.raises(catalog.CatalogError):
        update(paths, config.catalog, config=config, now=T0)
    assert len(calls) == 2 and not config.catalog.exists()
    assert sorted(p.name for p in config.catalog.parent.iterdir() if p.name.startswith(f".{config.catalog.name}")) == []
    monkeypatch.setattr(catalog_entries, "_dublin_core", original)
    report = update(paths, config.catalog, config=config, now=T0)
    assert len(report.added) == len(paths) and set(rows(config.catalog)) == set(report.added)


def test_bad_document_aborts_before_any_write(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    broken = config.tei_dir / "broken.xml"
    broken.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="broken">\n<teiHeader>\n</TEI>\n')
    with pytest.raises(CatalogError) as info:
        update([*paths, broken], config.catalog, config=config, now=T1)
    assert "broken.xml:3" in str(info.value)
    assert rows(config.catalog) == before


def test_unusable_ids_and_duplicates_are_errors(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    config.tei_dir.mkdir()
    first = clone(CONTRACT, config.tei_dir, "same")
    second = config.tei_dir / "other-name.xml"
    shutil.copyfile(first, second)
    with pytest.raises(CatalogError, match="also claimed by"):
        update([first, second], config.catalog, config=config, now=T0)
    bad = clone(CONTRACT, tmp_path, "x")
    bad.write_bytes(bad.read_bytes().replace(b'xml:id="x"', b''))
    with pytest.raises(CatalogError, match="not usable as a record id"):
        update([bad], config.catalog, config=config, now=T0)
    # A character reference can end an id in a newline, which no OAI identifier or URL may hold.
    newline = clone(CONTRACT, tmp_path, "y")
    newline.write_bytes(newline.read_bytes().replace(b'xml:id="y"', b'xml:id="y&#10;"'))
    with pytest.raises(CatalogError, match="not usable as a record id"):
        update([newline], config.catalog, config=config, now=T0)
    assert not config.catalog.exists() or rows(config.catalog) == {}


def test_not_a_database_is_reported(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    config.catalog.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CatalogError) as info:
        update([CONTRACT], config.catalog, config=config, now=T0)
    assert str(config.catalog) in str(info.value)


def test_datestamps_never_go_backwards(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T1)
    (config.tei_dir / "fixture-bare.xml").unlink()
    report = update([p for p in paths if p.name != "fixture-bare.xml"], config.catalog, config=config, now=T0)
    assert report.datestamp == "2026-01-01T13:00:00Z"


def test_sets_from_the_header() -> None:
    contract = etree.parse(str(CONTRACT)).getroot()
    specs = {s.spec: s.name for s in derive_sets(contract)}
    assert specs == {
        "archive": "Holding archive",
        "archive:rgani": "Russian State Archive of Contemporary History (RGANI)",
        "lang": "Original language",
        "lang:ru": "Russian",
        "type": "Document type",
        "type:letter": "Letter",
    }
    varied = etree.parse(str(HARVEST_FIXTURES / "memcon-az.xml")).getroot()
    specs = {s.spec for s in derive_sets(varied)}
    # Language from the original div, archive from the repository name, multi-word type.
    assert {"lang:az-Cyrl", "type:memorandum-of-conversation",
            "archive:archive-of-the-political-parties-and-public-movements"} <= specs
    assert derive_sets(etree.parse(str(HARVEST_FIXTURES / "bare.xml")).getroot()) == ()


def test_oai_dc_has_only_the_fifteen_elements_and_validates(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    schema = etree.XMLSchema(etree.parse(str(refschemas.path("oai-pmh-with-dc.xsd"))))
    with snapshot(config.catalog) as snap:
        records = snap.page(Query(), None, 100, "oai_dc")
    assert len(records) == len(paths)
    for record in records:
        dc = etree.fromstring(record.metadata)
        assert dc.tag == f"{{{OAI_DC_NS}}}dc"
        assert schema.validate(dc), (record.id, schema.error_log)
        names = {etree.QName(child).localname for child in dc}
        assert names <= DCMES and all(etree.QName(c).namespace == DC_NS for c in dc)
        assert dc.findtext("dc:title", namespaces=NS)
        assert dc.findtext("dc:identifier", namespaces=NS) == f"https://edition.example.org/documents/{record.id}.html"


def test_oai_dc_mapping_of_the_contract(edition_dir) -> None:
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    with snapshot(config.catalog) as snap:
        dc = etree.fromstring(snap.get("fixture-memcon-az", "oai_dc").metadata)
    values = lambda name: [e.text for e in dc.iterfind(f"dc:{name}", NS)]  # noqa: E731
    assert values("creator") == ["M. D. Bagirov"]
    assert values("date") == ["1946-01-01/1946-03-31"]
    assert values("language") == ["az-Cyrl", "en"]
    assert values("description") == ["A conversation about the Iranian Azerbaijan crisis."]
    assert values("subject") == ["Iran crisis, 1946", "Soviet Union–Iran relations"]
    assert values("type") == ["Text", "memorandum of conversation"]
    assert values("coverage") == ["Baku"]
    assert "https://creativecommons.org/licenses/by/4.0/" in values("rights")


def test_change_of_dc_mapping_input_changes_the_hash(edition_dir) -> None:
    # The base URL goes into dc:identifier: a new base URL is a metadata change (spec 2.7.1).
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    moved = write_config(config.catalog.parent, extra="")
    moved = type(config)(**{**moved.__dict__, "base_url": "https://moved.example.org/"})
    report = update(paths, config.catalog, config=moved, now=T1)
    assert len(report.changed) == len(paths)


def test_build_runs_the_catalog_stage(edition_dir) -> None:
    from edition.build import EDITION_STAGES, context_from_config
    from edition.build_documents import load_documents

    assert catalog.catalog_stage in EDITION_STAGES
    config, paths = edition_dir
    docs = load_documents(config.tei_dir)
    ctx = context_from_config(config)
    catalog.catalog_stage(docs, ctx)
    assert set(rows(config.catalog)) == {p.stem for p in paths}
    # dc:identifier points at the page the site writes.
    assert catalog_entries.document_url(config, "x") == ctx.page_url("x")
    # `edition build --out DIR` keeps the catalog beside the moved site.
    moved = context_from_config(config, out_dir=config.build_dir / "elsewhere" / "site")
    catalog.catalog_stage(docs, moved)
    assert set(rows(config.build_dir / "elsewhere" / "catalog.sqlite")) == {p.stem for p in paths}


def test_unchanged_documents_are_not_transformed_again(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition.transform import Transformer

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    calls: list[str] = []
    real_apply = Transformer.apply

    def counting_apply(self, name, source, params=None, origin=None):  # noqa: ANN001
        calls.append(str(origin))
        return real_apply(self, name, source, params, origin)

    monkeypatch.setattr(Transformer, "apply", counting_apply)
    report = update(paths, config.catalog, config=config, now=T1)
    assert calls == [] and report.unchanged == len(paths)
    target = config.tei_dir / "fixture-memcon-az.xml"
    target.write_bytes(target.read_bytes().replace(b"Excerpt", b"Extract"))
    report = update(paths, config.catalog, config=config, now=T2)
    assert calls == [str(target)] and report.changed == ["fixture-memcon-az"]
    with snapshot(config.catalog) as snap:
        assert b"Extract" in snap.get("fixture-memcon-az", "oai_dc").metadata


def test_a_set_without_members_disappears_and_names_follow_the_header(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    config.tei_dir.mkdir()
    doc = clone(CONTRACT, config.tei_dir, "only-one")
    update([doc], config.catalog, config=config, now=T0)
    doc.write_bytes(doc.read_bytes()
                    .replace(b'<term type="doctype">letter</term>', b'<term type="doctype">telegram</term>')
                    .replace(b"Russian State Archive of Contemporary History", b"Russian State Archive (renamed)"))
    update([doc], config.catalog, config=config, now=T1)
    with snapshot(config.catalog) as snap:
        sets = {s.spec: s.name for s in snap.sets(None, 100)}
    assert "type:telegram" in sets and "type:letter" not in sets
    assert sets["archive:rgani"] == "Russian State Archive (renamed) (RGANI)"


def test_set_names_are_those_of_a_clean_catalog_whichever_records_an_update_wrote(tmp_path: Path) -> None:
    """Two documents name their archive differently (one header corrected by hand): the
    incremental catalog lists the set under the name a catalog made afresh from the same
    files gives it, after each change, not under the name of the record written last."""
    config = write_config(tmp_path)
    config.tei_dir.mkdir()
    first, second = clone(CONTRACT, config.tei_dir, "doc-a"), clone(CONTRACT, config.tei_dir, "doc-b")
    original = {doc: doc.read_bytes() for doc in (first, second)}
    renamed = {doc: data.replace(b"Russian State Archive of Contemporary History", b"Russian State Archive (renamed)")
               for doc, data in original.items()}
    assert renamed != original

    def names(db: Path) -> dict[str, str]:
        with snapshot(db) as snap:
            return {s.spec: s.name for s in snap.sets(None, 100)}

    update([first, second], config.catalog, config=config, now=T0)
    steps = [(second, renamed, [first, second]), (first, renamed, [first, second]), (second, original, [first, second]),
             (first, original, [second]), (first, renamed, [first, second])]
    for number, (doc, version, present) in enumerate(steps):
        doc.write_bytes(version[doc])
        update(present, config.catalog, config=config, now=T1 + timedelta(minutes=number))
        clean = tmp_path / f"clean-{number}.sqlite"
        update(present, clean, config=config, now=T1)
        assert names(config.catalog) == names(clean), number


def test_mapping_fingerprint_follows_dc_xsl_and_its_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import edition.transform

    xslt = tmp_path / "xslt"
    xslt.mkdir()
    (xslt / "dc.xsl").write_text('<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform" version="3.0">'
                                 '<xsl:import href="common.xsl"/></xsl:stylesheet>')
    (xslt / "common.xsl").write_text("<a/>")
    (xslt / "html.xsl").write_text("<a/>")
    monkeypatch.setattr(edition.transform, "XSLT_DIR", xslt)
    config = write_config(tmp_path)
    before = catalog.mapping_fingerprint(config)
    (xslt / "html.xsl").write_text("<b/>")  # not used by dc.xsl: cached oai_dc stays valid
    assert catalog.mapping_fingerprint(config) == before
    (xslt / "common.xsl").write_text("<b/>")
    assert catalog.mapping_fingerprint(config) != before


def test_killed_update_leaves_previous_catalog(edition_dir) -> None:
    """A build killed outright (SIGKILL) in the middle of writing: SQLite's journal restores the
    previous catalog on the next open."""
    import os
    import signal
    import subprocess
    import sys

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from edition import catalog\n"
        "from edition.config import load_config\n"
        "original = catalog._apply\n"
        "def stall(conn, entries, stamp, report):\n"
        "    original(conn, entries, stamp, report)\n"
        "    conn.execute(\"UPDATE records SET datestamp = 'x'\")\n"
        "    print('written', flush=True)\n"
        "    time.sleep(60)\n"
        "catalog._apply = stall\n"
        "config = load_config(sys.argv[1])\n"
        "catalog.update(sorted(config.tei_dir.glob('*.xml'))[:1], config.catalog, config=config)\n"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(config.source)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout.readline().strip() == "written"
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        process.stdout.close()
    assert rows(config.catalog) == before
    report = update(paths, config.catalog, config=config, now=T1)
    assert not report.touched


def test_batched_dublin_core_equals_one_document_at_a_time(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    config, paths = edition_dir
    monkeypatch.setattr(catalog_entries, "BATCH", 3)  # several batches, the last one short
    batched = {e.id: e.oai_dc for e in catalog_entries.read_entries(paths, config)}
    single = {}
    for path in paths:
        entry = catalog_entries.read_entry(path, config)
        single[entry.id] = entry.oai_dc
    assert batched == single and len(batched) == len(paths)
    assert all(b"xmlns:ed" not in dc and b"<?xml" not in dc for dc in batched.values())


def test_unchanged_bytes_keep_their_stored_dublin_core(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    # A new version of the code reads every file again (the sets may be derived
    # differently) but the oai_dc of unchanged bytes under the same mapping is
    # taken from the catalog, record by record, not made again.
    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    before = rows(config.catalog)
    monkeypatch.setattr(catalog, "code_fingerprint", lambda: "another version")
    made = []
    original = catalog_entries._dublin_core
    monkeypatch.setattr(catalog_entries, "_dublin_core", lambda docs, *a, **k: made.extend(docs) or original(docs, *a, **k))
    report = update(paths, config.catalog, config=config, now=T1)
    assert made == [] and report.unchanged == len(paths)
    assert rows(config.catalog) == before


def test_an_update_compares_records_from_their_index_not_their_documents(edition_dir) -> None:
    """Each update reads every record's id, hash and TEI hash; answered from the table
    it would read every stored TEI and Dublin Core document on the way (stored before
    tei_sha in each row)."""
    config, paths = edition_dir
    with sqlite3.connect(config.catalog) as conn:  # a catalog made before the index
        conn.executescript(catalog._SCHEMA)
    update(paths, config.catalog, config=config, now=T0)
    with sqlite3.connect(config.catalog) as conn:
        for sql in (catalog.LIVE_SOURCES_SQL, catalog.LIVE_SHAS_SQL, catalog.RECORD_STATE_SQL):
            plan = " ".join(str(row[-1]) for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "USING COVERING INDEX records_state" in plan, (sql, plan)


def test_a_document_s_own_tree_gives_the_record_a_batch_gives(tmp_path: Path) -> None:
    """The build makes each oai_dc from Saxon's tree of the whole document (which it has
    from rendering); a catalog update from a reduced copy, many documents per run. The
    bytes must be the same, or a record would depend on which path made it."""
    from edition.transform import transformer

    config = write_config(tmp_path)
    files = corpus(tmp_path / "tei")
    # Languages only in a textLang outside the header (and no langUsage): the reduced
    # copy must carry it, in its place among the others.
    source = etree.parse(str(files[0]))
    root = source.getroot()
    for usage in root.iter("{http://www.tei-c.org/ns/1.0}langUsage"):
        usage.getparent().remove(usage)
    body = root.find(".//{http://www.tei-c.org/ns/1.0}body")
    ab = etree.SubElement(body, "{http://www.tei-c.org/ns/1.0}ab")
    etree.SubElement(etree.SubElement(ab, "{http://www.tei-c.org/ns/1.0}msItem"), "{http://www.tei-c.org/ns/1.0}textLang",
                     mainLang="hy")
    root.set("{http://www.w3.org/XML/1998/namespace}id", "body-textlang")
    extra = tmp_path / "tei" / "body-textlang.xml"
    source.write(str(extra), xml_declaration=True, encoding="UTF-8")
    files.append(extra)

    t = transformer()
    docs = [catalog_entries._load(f, f.read_bytes()) for f in files]
    batch = catalog_entries._dublin_core(docs, config, t)
    for doc in docs:
        alone = catalog_entries._dublin_core_of(doc, config, t.parse(doc.data, doc.path), t)
        assert alone == batch[doc.id], doc.path.name
    assert b">hy<" in batch["body-textlang"]


def test_a_new_repository_identifier_stamps_every_record_anew(edition_dir) -> None:
    """Every OAI identifier holds the repository's (oai:<repository_identifier>:<id>): a new
    one renames every record, deleted ones too, and an incremental harvest must find them
    under their new names, although no metadata changed."""
    from dataclasses import replace

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    update(paths[1:], config.catalog, config=config, now=T1)  # one record deleted
    before = rows(config.catalog)
    assert sum(deleted for _, deleted, _ in before.values()) == 1
    renamed = replace(config, repository_identifier="archive.example.net")
    report = update(paths[1:], config.catalog, config=renamed, now=T2)
    assert sorted(report.changed) == sorted(before) and not report.added and not report.deleted
    assert report.version == 3
    after = rows(config.catalog)
    assert {doc_id: (stamp, deleted, digest) for doc_id, (stamp, deleted, digest) in after.items()} == {
        doc_id: ("2026-01-01T14:00:00Z", deleted, digest) for doc_id, (_, deleted, digest) in before.items()}
    with snapshot(config.catalog) as snap:
        # Every record under its new name, and under its old one each that was live, deleted.
        live = sum(not deleted for _, deleted, _ in before.values())
        assert snap.count(Query(start="2026-01-01T14:00:00Z")) == len(before) + live
    # Once renamed, an update under the same identifier moves nothing.
    again = update(paths[1:], config.catalog, config=renamed, now=T2 + timedelta(hours=1))
    assert not again.touched and rows(config.catalog) == after


def test_retired_identifiers_carry_the_stamp_the_update_commits_with(edition_dir, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rename keeps every old identifier as a deleted record, stamped like the records it
    renamed: with the moment the update commits (_restamp), not the one it began at."""
    from dataclasses import replace

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    clock = iter([T1, T1 + timedelta(seconds=5)])

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # noqa: ANN001, ANN206 - datetime.now's signature
            return next(clock, T1 + timedelta(seconds=5))  # the update began at T1 and commits 5 s later

    monkeypatch.setattr(catalog, "datetime", Clock)
    report = update(paths, config.catalog, config=replace(config, repository_identifier="archive.example.net"))
    assert report.datestamp == "2026-01-01T13:00:05Z"
    assert sorted(report.retired) == sorted(f"oai:{config.repository_identifier}:{i}" for i in rows(config.catalog))
    with sqlite3.connect(config.catalog) as conn:
        stamps = {row[0] for row in conn.execute("SELECT datestamp FROM retired")}
    assert stamps == {report.datestamp} == {stamp for stamp, _, _ in rows(config.catalog).values()}


def test_a_catalog_from_before_retired_identifiers_is_still_served(edition_dir) -> None:
    """The server reads a catalog read-only, so one no update has touched since the table of
    retired identifiers came has none: it is served as before, not answered with a 503."""
    from edition.oai import respond

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    with sqlite3.connect(config.catalog) as conn:
        conn.execute("DROP TABLE retired")
    for pairs in ([("verb", "ListIdentifiers"), ("metadataPrefix", "oai_dc")], [("verb", "Identify")],
                  [("verb", "GetRecord"), ("metadataPrefix", "oai_dc"), ("identifier", "oai:other.example.org:x")]):
        body = respond(pairs, config=config, catalog_path=config.catalog, base_url="http://localhost/oai")
        root = etree.fromstring(body)
        assert root.find("oai:error", NS) is None or root.find("oai:error", NS).get("code") == "idDoesNotExist"


def test_a_catalog_hashed_the_old_way_is_rehashed_once_without_moving_a_datestamp(edition_dir) -> None:
    """Catalogs made before HASH_SCHEME 2 hashed the whole TEI file. The first update by this
    version recomputes each record's hash from what it holds, silently: comparing the old
    hashes with the new would stamp every record anew, though no metadata changed."""
    import hashlib

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    with sqlite3.connect(config.catalog) as conn:  # as the previous version left it
        for doc_id, tei, oai_dc, specs in conn.execute("SELECT id, tei, oai_dc, sets FROM records").fetchall():
            digest = hashlib.sha256()
            for part in (bytes(tei), bytes(oai_dc), specs.encode()):
                digest.update(len(part).to_bytes(8, "big"))
                digest.update(part)
            conn.execute("UPDATE records SET hash = ? WHERE id = ?", (digest.hexdigest(), doc_id))
        conn.execute("DELETE FROM meta WHERE key = 'hash'")
        conn.execute("UPDATE meta SET value = 'an earlier version' WHERE key = 'code'")
    before = {doc_id: stamp for doc_id, (stamp, _, _) in rows(config.catalog).items()}
    target = config.tei_dir / "fixture-memcon-az.xml"
    target.write_bytes(target.read_bytes().replace(b"Excerpt", b"Full text"))
    report = update(paths, config.catalog, config=config, now=T1)
    assert report.changed == ["fixture-memcon-az"] and not report.added and not report.deleted
    after = {doc_id: stamp for doc_id, (stamp, _, _) in rows(config.catalog).items()}
    assert after == {**before, "fixture-memcon-az": "2026-01-01T13:00:00Z"}
    with sqlite3.connect(config.catalog) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'hash'").fetchone() == (catalog_entries.HASH_SCHEME,)
    assert not update(paths, config.catalog, config=config, now=T2).touched


def test_a_set_that_only_retired_identifiers_are_in_is_still_listed(edition_dir) -> None:
    """A retired identifier's header names the sets its record was in. When the record then
    leaves the only one it alone was in, that set stays in ListSets, as a deleted record's
    sets do: no header names a set the repository does not list."""
    from dataclasses import replace

    from edition.oai import respond

    config, paths = edition_dir
    update(paths, config.catalog, config=config, now=T0)
    renamed = replace(config, repository_identifier="archive.example.net")
    update(paths, config.catalog, config=renamed, now=T1)
    target = config.tei_dir / "fixture-memcon-az.xml"
    gone = "type:memorandum-of-conversation"
    with snapshot(config.catalog) as snap:  # that record alone is in it
        assert [r.id for r in snap.page(Query(set_spec=gone), None, 10) if not r.identifier] == ["fixture-memcon-az"]
    target.write_bytes(target.read_bytes().replace(b">memorandum of conversation<", b">letter<"))
    update(paths, config.catalog, config=renamed, now=T2)
    body = respond([("verb", "GetRecord"), ("metadataPrefix", "oai_dc"),
                    ("identifier", f"oai:{config.repository_identifier}:fixture-memcon-az")],
                   config=renamed, catalog_path=config.catalog, base_url="http://localhost/oai")
    named = {s.text for s in etree.fromstring(body).iterfind(".//oai:header/oai:setSpec", NS)}
    with snapshot(config.catalog) as snap:
        listed = {info.spec for info in snap.sets(None, 100)}
        assert gone not in snap.get("fixture-memcon-az").sets
    assert gone in named and named <= listed
