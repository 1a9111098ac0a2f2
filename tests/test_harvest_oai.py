"""OAI-PMH 2.0 protocol rules, checked on the response documents (every one schema-validated)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from harvest_support import (
    HARVEST_FIXTURES,
    NS,
    TEI_NS,
    assert_valid,
    corpus,
    error_code,
    write_config,
)
from lxml import etree

from edition.catalog import update
from edition.config import Config
from edition.oai import make_token, respond

T0 = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
T1 = datetime(2026, 1, 3, 8, 30, 0, tzinfo=UTC)
BASE = "http://harvest.test:8123/oai"
CLONES = 9


class Repo:
    def __init__(self, config: Config, ids: list[str]) -> None:
        self.config = config
        self.ids = ids
        self.prefix = f"oai:{config.repository_identifier}:"

    def ask(self, **args: str) -> etree._Element:
        return self.ask_pairs(list(args.items()))

    def ask_pairs(self, pairs: list[tuple[str, str]], malformed: str | None = None) -> etree._Element:
        body = respond(pairs, config=self.config, catalog_path=self.config.catalog, base_url=BASE,
                       malformed=malformed)
        return assert_valid(body)

    def collect(self, verb: str, item: str, **args: str) -> tuple[list[etree._Element], list[etree._Element]]:
        """Follow resumption tokens to the end; return the items and every token element."""
        items, tokens = [], []
        root = self.ask(verb=verb, **args)
        while True:
            assert error_code(root) is None, etree.tostring(root)
            node = root.find(f"oai:{verb}", NS)
            items += node.findall(f"oai:{item}", NS)
            token = node.find("oai:resumptionToken", NS)
            if token is None:
                return items, tokens
            tokens.append(token)
            if not token.text:
                return items, tokens
            root = self.ask(verb=verb, resumptionToken=token.text)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    """A catalog built at T0; at T1 one record changed and one was deleted."""
    directory = tmp_path_factory.mktemp("oai")
    config = write_config(directory, page_size=4)
    paths = corpus(config.tei_dir, clones=CLONES)
    update(paths, config.catalog, config=config, now=T0)
    changed = config.tei_dir / "clone-003.xml"
    changed.write_bytes(changed.read_bytes().replace(b"(copy 3)", b"(copy 3, revised)"))
    (config.tei_dir / "fixture-bare.xml").unlink()
    update(sorted(config.tei_dir.glob("*.xml")), config.catalog, config=config, now=T1)
    return Repo(config, sorted(p.stem for p in paths))


def identifiers(headers: list[etree._Element]) -> list[str]:
    return [h.findtext("oai:identifier", namespaces=NS) for h in headers]


# ---------------------------------------------------------------------------
# The six verbs


def test_identify(repo: Repo) -> None:
    root = repo.ask(verb="Identify")
    node = root.find("oai:Identify", NS)
    assert node.findtext("oai:baseURL", namespaces=NS) == BASE
    assert root.findtext("oai:request", namespaces=NS) == BASE
    assert node.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert node.findtext("oai:earliestDatestamp", namespaces=NS) == "2026-01-01T12:00:00Z"
    assert node.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert node.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert [e.text for e in node.iterfind("oai:adminEmail", NS)] == ["a@example.org", "b@example.org"]
    ns = {"i": "http://www.openarchives.org/OAI/2.0/oai-identifier"}
    assert node.findtext(".//i:repositoryIdentifier", namespaces=ns) == "test.example.org"
    assert node.findtext(".//i:sampleIdentifier", namespaces=ns).startswith(repo.prefix)


def test_list_metadata_formats(repo: Repo) -> None:
    for args in ({}, {"identifier": repo.prefix + "wilson-119711"}):
        node = repo.ask(verb="ListMetadataFormats", **args).find("oai:ListMetadataFormats", NS)
        formats = {f.findtext("oai:metadataPrefix", namespaces=NS): f.findtext("oai:metadataNamespace", namespaces=NS)
                   for f in node}
        assert formats == {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/", "tei": TEI_NS}


def test_list_identifiers_pages_through_everything(repo: Repo) -> None:
    headers, tokens = repo.collect("ListIdentifiers", "header", metadataPrefix="oai_dc")
    assert identifiers(headers) == [repo.prefix + i for i in repo.ids]
    total = len(repo.ids)
    assert len(tokens) == -(-total // 4)
    assert [t.get("cursor") for t in tokens] == [str(4 * n) for n in range(len(tokens))]
    assert {t.get("completeListSize") for t in tokens} == {str(total)}
    assert tokens[-1].text is None and all(t.text for t in tokens[:-1])


def test_list_records_carries_metadata_and_deletions(repo: Repo) -> None:
    records, _ = repo.collect("ListRecords", "record", metadataPrefix="oai_dc")
    assert len(records) == len(repo.ids)
    deleted = [r for r in records if r.find("oai:header", NS).get("status") == "deleted"]
    assert identifiers([r.find("oai:header", NS) for r in deleted]) == [repo.prefix + "fixture-bare"]
    assert deleted[0].find("oai:metadata", NS) is None
    live = [r for r in records if r not in deleted]
    assert all(r.find("oai:metadata/oai_dc:dc/dc:title", NS) is not None for r in live)


def test_tei_format_is_the_whole_document(repo: Repo) -> None:
    root = repo.ask(verb="GetRecord", identifier=repo.prefix + "fixture-memcon-az", metadataPrefix="tei")
    tei = root.find("oai:GetRecord/oai:record/oai:metadata/tei:TEI", NS)
    source = etree.parse(str(repo.config.tei_dir / "fixture-memcon-az.xml")).getroot()
    assert etree.tostring(tei, method="c14n", exclusive=True) == etree.tostring(source, method="c14n", exclusive=True)


def test_tei_pages_never_repeat_an_xml_id(repo: Repo) -> None:
    # Every TEI file names its translator "translator-1"; a page holding two such documents
    # would not even parse (XML ID uniqueness), so pages end before a clash.
    records, tokens = repo.collect("ListRecords", "record", metadataPrefix="tei")
    assert identifiers([r.find("oai:header", NS) for r in records]) == [repo.prefix + i for i in repo.ids]
    assert len(tokens) > 1
    assert sum(r.find("oai:metadata/tei:TEI", NS) is not None for r in records) == len(repo.ids) - 1


def test_get_record_oai_dc(repo: Repo) -> None:
    root = repo.ask(verb="GetRecord", identifier=repo.prefix + "wilson-119711", metadataPrefix="oai_dc")
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.findtext("oai:header/oai:datestamp", namespaces=NS) == "2026-01-01T12:00:00Z"
    specs = [e.text for e in record.iterfind("oai:header/oai:setSpec", NS)]
    # Only the sets that give the membership: type is implied by type:letter (spec 2.6).
    assert {"type:letter", "lang:ru", "archive:rgani"} <= set(specs) and "type" not in specs
    assert "Radmanesh" in record.findtext("oai:metadata/oai_dc:dc/dc:title", namespaces=NS)


def test_get_record_of_a_deleted_item(repo: Repo) -> None:
    root = repo.ask(verb="GetRecord", identifier=repo.prefix + "fixture-bare", metadataPrefix="oai_dc")
    header = root.find("oai:GetRecord/oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2026-01-03T08:30:00Z"


def test_list_sets_hierarchy_across_pages(repo: Repo) -> None:
    sets, tokens = repo.collect("ListSets", "set")
    specs = [s.findtext("oai:setSpec", namespaces=NS) for s in sets]
    assert specs == sorted(specs) and len(specs) == len(set(specs)) > 4
    assert len(tokens) >= 2
    for spec in specs:  # every child's parent is a set too
        if ":" in spec:
            assert spec.rsplit(":", 1)[0] in specs
    assert {"type", "type:letter", "lang", "lang:az-Cyrl", "archive", "archive:rgani"} <= set(specs)


# ---------------------------------------------------------------------------
# Selective harvesting


def test_set_selection_follows_the_hierarchy(repo: Repo) -> None:
    typed, _ = repo.collect("ListIdentifiers", "header", metadataPrefix="oai_dc", set="type")
    letters, _ = repo.collect("ListIdentifiers", "header", metadataPrefix="oai_dc", set="type:letter")
    assert set(identifiers(letters)) < set(identifiers(typed))
    assert repo.prefix + "fixture-memcon-az" in identifiers(typed)
    assert repo.prefix + "fixture-memcon-az" not in identifiers(letters)
    for header in letters:
        assert "type:letter" in [e.text for e in header.iterfind("oai:setSpec", NS)]


def test_incremental_harvest_returns_exactly_the_changes(repo: Repo) -> None:
    for since in ("2026-01-03T08:30:00Z", "2026-01-02"):
        headers, _ = repo.collect("ListIdentifiers", "header", metadataPrefix="oai_dc", **{"from": since})
        assert sorted(identifiers(headers)) == [repo.prefix + "clone-003", repo.prefix + "fixture-bare"]


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"until": "2026-01-01T12:00:00Z"}, "unchanged"),  # inclusive upper bound, seconds
        ({"until": "2026-01-01"}, "unchanged"),  # a day covers its last second
        ({"from": "2026-01-01", "until": "2026-01-01"}, "unchanged"),
        ({"from": "2026-01-01T12:00:01Z", "until": "2026-01-03T08:30:00Z"}, "changed"),
        ({"from": "2026-01-03", "until": "2026-01-03"}, "changed"),
    ],
)
def test_from_and_until_are_inclusive(repo: Repo, bounds: dict[str, str], expected: str) -> None:
    headers, _ = repo.collect("ListIdentifiers", "header", metadataPrefix="oai_dc", **bounds)
    changed = {repo.prefix + "clone-003", repo.prefix + "fixture-bare"}
    got = set(identifiers(headers))
    if expected == "changed":
        assert got == changed
    else:
        assert got == {repo.prefix + i for i in repo.ids} - changed


def test_resumption_token_is_idempotent_and_keeps_the_query(repo: Repo) -> None:
    first = repo.ask(verb="ListRecords", metadataPrefix="tei", set="type")
    token = first.findtext("oai:ListRecords/oai:resumptionToken", namespaces=NS)
    assert token
    again = [etree.tostring(repo.ask(verb="ListRecords", resumptionToken=token).find("oai:ListRecords", NS))
             for _ in range(2)]
    assert again[0] == again[1]
    page = etree.fromstring(again[0])
    assert page.find("oai:record/oai:metadata/tei:TEI", NS) is not None
    for header in page.iterfind("oai:record/oai:header", NS):
        assert any(e.text.startswith("type:") for e in header.iterfind("oai:setSpec", NS))  # in type (spec 2.6)


def test_echoed_request_arguments(repo: Repo) -> None:
    root = repo.ask(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type", **{"from": "2026-01-01"})
    assert dict(root.find("oai:request", NS).attrib) == {
        "verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "type", "from": "2026-01-01"}


# ---------------------------------------------------------------------------
# Errors: one test per code, every response still valid


def test_bad_verb(repo: Repo) -> None:
    for pairs in ([], [("verb", "Frobnicate")], [("verb", "Identify"), ("verb", "Identify")], [("verb", "")],
                  [("verb", "identify")]):
        root = repo.ask_pairs(pairs)
        assert error_code(root) == "badVerb", pairs
        assert dict(root.find("oai:request", NS).attrib) == {}


@pytest.mark.parametrize(
    "pairs",
    [
        [("verb", "Identify"), ("metadataPrefix", "oai_dc")],  # not an argument of Identify
        [("verb", "ListRecords")],  # metadataPrefix missing
        [("verb", "GetRecord"), ("metadataPrefix", "oai_dc")],  # identifier missing
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("metadataPrefix", "tei")],  # repeated
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("resumptionToken", "x.y")],  # not exclusive
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2026-13-01")],  # no such date
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2026-01-01T00:00Z")],  # minutes
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2026-01-01T00:00:00+01:00")],
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2026-01-01"),
         ("until", "2026-01-02T00:00:00Z")],  # mixed granularities
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("from", "2026-01-02"), ("until", "2026-01-01")],
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "")],  # empty value
        [("verb", "ListRecords"), ("metadataPrefix", "oai_dc"), ("set", "type::x")],  # not a setSpec
        [("verb", "ListSets"), ("set", "type")],
        [("verb", "Identify"), ("x", "1")] * 12,  # too many arguments
        [("verb", "GetRecord"), ("metadataPrefix", "oai_dc"), ("identifier", "oai:a.b:\x01")],
        [("verb", "GetRecord"), ("metadataPrefix", "oai_dc"), ("identifier", "oai:a.b:" + "x" * 5000)],
    ],
)
def test_bad_argument(repo: Repo, pairs: list[tuple[str, str]]) -> None:
    root = repo.ask_pairs(pairs)
    assert error_code(root) == "badArgument"
    assert dict(root.find("oai:request", NS).attrib) == {}


def test_undecodable_request_is_a_bad_argument(repo: Repo) -> None:
    root = repo.ask_pairs([], malformed="not UTF-8")
    assert error_code(root) == "badArgument"


def _token(repo: Repo) -> str:
    root = repo.ask(verb="ListIdentifiers", metadataPrefix="oai_dc")
    return root.findtext("oai:ListIdentifiers/oai:resumptionToken", namespaces=NS)


def test_bad_resumption_token(repo: Repo) -> None:
    good = _token(repo)
    payload, signature = good.split(".")
    forged_payload = make_token("guessed-secret", {"verb": "ListIdentifiers", "args": {"metadataPrefix": "oai_dc"},
                                                   "after": "a", "offset": 4, "version": 2})
    for token in (
        "garbage",
        "a.b",
        payload + "." + signature[::-1],  # signature tampered
        forged_payload,  # signed with another key
        payload[:-2] + "AA." + signature,  # payload tampered
        "x" * 900,
    ):
        root = repo.ask(verb="ListIdentifiers", resumptionToken=token)
        assert error_code(root) == "badResumptionToken", token
    # A genuine token used with another verb.
    assert error_code(repo.ask(verb="ListRecords", resumptionToken=good)) == "badResumptionToken"
    assert error_code(repo.ask(verb="ListSets", resumptionToken=good)) == "badResumptionToken"


def test_stale_resumption_token_after_the_catalog_changed(tmp_path: Path) -> None:
    config = write_config(tmp_path, page_size=2)
    paths = corpus(config.tei_dir, clones=3)
    update(paths, config.catalog, config=config, now=T0)
    local = Repo(config, [])
    token = _token(local)
    assert error_code(local.ask(verb="ListIdentifiers", resumptionToken=token)) is None
    paths[0].unlink()
    update(paths[1:], config.catalog, config=config, now=T1)
    root = local.ask(verb="ListIdentifiers", resumptionToken=token)
    assert error_code(root) == "badResumptionToken"
    assert "changed" in root.findtext("oai:error", namespaces=NS)
    # Echoed as sent, since the request itself was well-formed.
    assert root.find("oai:request", NS).get("resumptionToken") == token


def test_cannot_disseminate_format(repo: Repo) -> None:
    for args in (
        {"verb": "GetRecord", "identifier": repo.prefix + "wilson-119711", "metadataPrefix": "marc21"},
        {"verb": "ListRecords", "metadataPrefix": "mods"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc "},
    ):
        root = repo.ask(**args)
        assert error_code(root) == "cannotDisseminateFormat", args


def test_id_does_not_exist(repo: Repo) -> None:
    for identifier in (repo.prefix + "no-such-document", "oai:other.example.org:wilson-119711",
                       "wilson-119711", repo.prefix, "not a uri at all"):
        for verb_args in ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, {"verb": "ListMetadataFormats"}):
            root = repo.ask(identifier=identifier, **verb_args)
            assert error_code(root) == "idDoesNotExist", identifier


def test_no_records_match(repo: Repo) -> None:
    for args in ({"from": "2030-01-01"}, {"until": "2000-01-01"}, {"set": "type:nonexistent"}):
        root = repo.ask(verb="ListRecords", metadataPrefix="oai_dc", **args)
        assert error_code(root) == "noRecordsMatch", args


def test_no_metadata_formats_for_a_deleted_item(repo: Repo) -> None:
    root = repo.ask(verb="ListMetadataFormats", identifier=repo.prefix + "fixture-bare")
    assert error_code(root) == "noMetadataFormats"


def test_no_set_hierarchy(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    update([HARVEST_FIXTURES / "bare.xml"], config.catalog, config=config, now=T0)
    local = Repo(config, [])
    assert error_code(local.ask(verb="ListSets")) == "noSetHierarchy"
    assert error_code(local.ask(verb="ListIdentifiers", metadataPrefix="oai_dc", set="type")) == "noSetHierarchy"
    # Without sets everything else still works.
    assert error_code(local.ask(verb="ListRecords", metadataPrefix="oai_dc")) is None


def test_empty_repository_still_identifies(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    update([], config.catalog, config=config, now=T0)
    local = Repo(config, [])
    root = local.ask(verb="Identify")
    assert root.findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS) == "2026-01-01T12:00:00Z"
    assert error_code(local.ask(verb="ListRecords", metadataPrefix="oai_dc")) == "noRecordsMatch"


def test_response_date_is_now(repo: Repo) -> None:
    stamp = repo.ask(verb="Identify").findtext("oai:responseDate", namespaces=NS)
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - moment) < timedelta(minutes=1)


def test_protocol_rules_the_schema_does_not_express(repo: Repo) -> None:
    earliest = repo.ask(verb="Identify").findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS)
    sets, _ = repo.collect("ListSets", "set")
    listed = {s.findtext("oai:setSpec", namespaces=NS) for s in sets}
    for verb, item, prefix in (("ListIdentifiers", "header", "oai_dc"), ("ListRecords", "record", "tei")):
        root = repo.ask(verb=verb, metadataPrefix=prefix)
        seen: list[str] = []
        cursor = 0
        while True:
            node = root.find(f"oai:{verb}", NS)
            page = node.findall(f"oai:{item}", NS)
            token = node.find("oai:resumptionToken", NS)
            if token is not None:
                # cursor counts what came before this page; pages follow each other without gaps
                assert int(token.get("cursor")) == cursor
            cursor += len(page)
            for element in page:
                header = element if item == "header" else element.find("oai:header", NS)
                stamp = header.findtext("oai:datestamp", namespaces=NS)
                assert len(stamp) == 20 and stamp >= earliest  # seconds granularity, never before earliest
                assert {e.text for e in header.iterfind("oai:setSpec", NS)} <= listed
                deleted = header.get("status") == "deleted"
                if item == "record":  # deleted records have no metadata, others exactly one
                    assert (element.find("oai:metadata", NS) is None) == deleted
                seen.append(header.findtext("oai:identifier", namespaces=NS))
            if token is None or not token.text:
                break
            root = repo.ask(verb=verb, resumptionToken=token.text)
        assert len(seen) == len(set(seen)) == len(repo.ids)  # every record exactly once


def test_configured_token_secret_signs_tokens(tmp_path: Path) -> None:
    config = write_config(tmp_path, page_size=2, extra='token_secret = "first key"\n')
    update(corpus(config.tei_dir), config.catalog, config=config, now=T0)
    token = _token(Repo(config, []))
    assert error_code(Repo(config, []).ask(verb="ListIdentifiers", resumptionToken=token)) is None
    rotated = write_config(tmp_path, page_size=2, extra='token_secret = "second key"\n')
    assert error_code(Repo(rotated, []).ask(verb="ListIdentifiers", resumptionToken=token)) == "badResumptionToken"


# ---------------------------------------------------------------------------
# Whatever arrives, the answer is a valid OAI-PMH document (property-based)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_KEYS = st.sampled_from(["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken", "x"])
_VALUES = st.one_of(
    st.sampled_from(["Identify", "ListRecords", "ListIdentifiers", "ListSets", "GetRecord", "ListMetadataFormats",
                     "oai_dc", "tei", "type", "type:letter", "2026-01-01", "2026-01-03T08:30:00Z",
                     "oai:test.example.org:wilson-119711", "oai:test.example.org:clone-001"]),
    st.text(max_size=40),
    st.text(alphabet="abc:%.-_~*'()/?#[]@!$&+,;=0123456789TZ<>\"\\ ", max_size=30),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.lists(st.tuples(_KEYS, _VALUES), max_size=6))
def test_any_request_gets_a_valid_response(repo: Repo, pairs: list[tuple[str, str]]) -> None:
    root = repo.ask_pairs(pairs)  # validates against the schema
    code = error_code(root)
    if code in {"badVerb", "badArgument"}:
        assert dict(root.find("oai:request", NS).attrib) == {}


def test_pages_of_large_documents_end_early(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    import edition.oai

    monkeypatch.setattr(edition.oai, "MAX_PAGE_BYTES", 1)  # every record with metadata is "large"
    root = repo.ask(verb="ListRecords", metadataPrefix="oai_dc")
    pages = 1
    while True:
        node = root.find("oai:ListRecords", NS)
        assert len(node.findall("oai:record/oai:metadata", NS)) <= 1
        token = node.findtext("oai:resumptionToken", namespaces=NS)
        if not token:
            break
        root = repo.ask(verb="ListRecords", resumptionToken=token)
        pages += 1
    assert pages >= len(repo.ids) - 1  # one deleted record (no metadata) may share a page
