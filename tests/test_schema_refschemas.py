"""Finding and fetching the reference schemas, with no network: downloads are replaced by a fake."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition import refschemas
from edition.errors import EditionError
from edition.validate import Validator

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas-ref"

TINY_TEI_ALL = """<?xml version="1.0"?>
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.tei-c.org/ns/1.0">
  <start><ref name="any"/></start>
  <define name="any">
    <element><anyName/><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></element>
    <pattern xmlns="http://purl.oclc.org/dsdl/schematron" id="tiny-no-funder">
      <rule context="tei:funder">
        <report test="true()" role="nonfatal">funder found</report>
      </rule>
    </pattern>
  </define>
  <sch:ns xmlns:sch="http://purl.oclc.org/dsdl/schematron" prefix="tei" uri="http://www.tei-c.org/ns/1.0"/>
</grammar>
"""


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for var in ("EDITION_TEI_ALL", "EDITION_SCHEMAS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("EDITION_SCHEMA_CACHE", str(tmp_path / "cache"))
    return tmp_path


def test_environment_override_wins(clean_env, monkeypatch):
    local = clean_env / "my_tei_all.rng"
    local.write_text(TINY_TEI_ALL, encoding="utf-8")
    monkeypatch.setenv("EDITION_TEI_ALL", str(local))
    assert refschemas.tei_all() == local


def test_a_missing_override_is_an_error_not_a_fallback(clean_env, monkeypatch):
    monkeypatch.setenv("EDITION_TEI_ALL", str(clean_env / "nowhere.rng"))
    with pytest.raises(EditionError, match="EDITION_TEI_ALL"):
        refschemas.tei_all()


def test_cache_then_shared(clean_env, monkeypatch):
    cache = clean_env / "cache"
    cache.mkdir()
    (cache / "tei_all.rng").write_text(TINY_TEI_ALL, encoding="utf-8")
    assert refschemas.tei_all() == cache / "tei_all.rng"
    (cache / "tei_all.rng").unlink()
    monkeypatch.setattr(refschemas, "shared_dir", lambda: clean_env / "no-shared")
    with pytest.raises(EditionError, match="make schemas"):
        refschemas.tei_all()


@pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/schemas-ref")
def test_fetch_copies_from_shared_and_is_idempotent(clean_env):
    dest = clean_env / "schemas"
    said: list[str] = []
    written = refschemas.fetch(dest, SHARED, download=False, log=said.append)
    names = {p.name for p in written}
    assert {"tei_all.rng", "OAI-PMH.xsd", "oai_dc.xsd", "csl-data.json", "oai-pmh-with-dc.xsd"} <= names
    assert (dest / "tei_all.rng").read_bytes() == (SHARED / "tei_all.rng").read_bytes()
    said.clear()
    refschemas.fetch(dest, SHARED, download=False, log=said.append)
    assert said == []  # nothing changed, nothing rewritten


def test_fetch_downloads_when_there_is_no_shared_copy(clean_env, monkeypatch):
    asked: list[str] = []

    def fake_download(url: str, timeout: float = 60.0) -> bytes:
        asked.append(url)
        if url.endswith(".json"):
            return b"{}"
        if url.endswith("oai_dc.xsd"):
            return (
                b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:import namespace="http://purl.org/dc/elements/1.1/"'
                b' schemaLocation="http://dublincore.org/schemas/xmls/simpledc20021212.xsd"/></xs:schema>'
            )
        return b"<grammar/>"

    monkeypatch.setattr(refschemas, "_download", fake_download)
    dest = clean_env / "schemas"
    refschemas.fetch(dest, None, log=lambda _m: None)
    assert "https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng" in asked
    oai_dc = etree.parse(str(dest / "oai_dc.xsd")).getroot()
    assert oai_dc[0].get("schemaLocation") == "simpledc20021212.xsd"  # works offline afterwards
    wrapper = etree.parse(str(dest / "oai-pmh-with-dc.xsd")).getroot()
    assert [i.get("schemaLocation") for i in wrapper][0] == "xml.xsd"
    # Already cached: no second download.
    asked.clear()
    refschemas.fetch(dest, None, log=lambda _m: None)
    assert asked == []


def test_fetch_refuses_an_error_page(clean_env, monkeypatch):
    monkeypatch.setattr(refschemas, "_download", lambda url, timeout=60.0: b"<html><body>502 Bad Gateway")
    with pytest.raises(EditionError, match="not well-formed"):
        refschemas.fetch(clean_env / "schemas", None, log=lambda _m: None)
    assert not (clean_env / "schemas" / "tei_all.rng").exists()


def test_a_failed_download_is_tried_once_and_says_what_to_do(clean_env, monkeypatch):
    asked: list[str] = []

    def offline(url: str, timeout: float = 60.0) -> bytes:
        asked.append(url)
        raise OSError("[Errno -2] Name or service not known")

    monkeypatch.setattr(refschemas, "_download", offline)
    absent = clean_env / "shared" / "schemas-ref"
    with pytest.raises(EditionError) as failure:
        refschemas.fetch(clean_env / "schemas", absent, log=lambda _m: None)
    message = str(failure.value)
    assert "https://www.tei-c.org/" in message and "Name or service not known" in message
    assert "run 'make schemas' again" in message and str(absent) in message
    assert len(asked) == 1  # no retries, no further files


def test_validator_runs_the_embedded_schematron_of_the_schema_it_is_given(clean_env, monkeypatch):
    local = clean_env / "tiny.rng"
    local.write_text(TINY_TEI_ALL, encoding="utf-8")
    monkeypatch.setenv("EDITION_TEI_ALL", str(local))
    validator = Validator(("tei_all",))
    contract = Path(__file__).resolve().parent / "fixtures" / "contract" / "wilson-119711.xml"
    findings = validator.validate_file(contract)
    assert [(f.rule, f.severity, f.message) for f in findings] == [("tei_all/tiny-no-funder", "warning", "funder found")]
    line = next(i for i, text in enumerate(contract.read_text(encoding="utf-8").splitlines(), 1) if "<funder>" in text)
    assert findings[0].line == line
