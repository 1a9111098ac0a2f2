"""The TEI header -> CSL item mapping (xslt/csl.xsl), on the real TEI files and on variations."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from edition import citation_item, refschemas
from edition.citation_item import CitationError

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
CITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cite"
CONTRACT = Path(__file__).resolve().parent / "fixtures" / "contract" / "wilson-119711.xml"
BASE = "https://edition.example.org/"
TEI = "{http://www.tei-c.org/ns/1.0}"


def tei_for_seed(seed_name: str) -> Path:
    """The TEI file the converter made from a seed, found by the export file name it records."""
    for path in sorted(TEI_DIR.glob("*.xml")):
        names = etree.parse(str(path)).findall(f".//{TEI}bibl[@type='export']/{TEI}idno[@type='filename']")
        if any((n.text or "").strip() == seed_name for n in names):
            return path
    pytest.fail(f"no TEI file in tei/ records the seed {seed_name}; run 'edition convert seeds/ --out tei/'")


@pytest.fixture(scope="session")
def items() -> dict[str, dict]:
    """CSL item of every real TEI file and every citation fixture, mapped once."""
    paths = sorted(TEI_DIR.glob("*.xml")) + [CONTRACT] + sorted(
        p for p in CITE_FIXTURES.glob("*.xml") if p.name != "no-id.xml"
    )
    return {str(p): citation_item.csl_item(p, BASE) for p in paths}


def item_of(items: dict[str, dict], path: Path) -> dict:
    return items[str(path)]


def names(item: dict, key: str) -> list[str]:
    return [n.get("literal") or " ".join(filter(None, (n.get("given"), n.get("family")))) for n in item.get(key, [])]


def test_every_item_validates_against_the_official_csl_schema(items: dict[str, dict]) -> None:
    schema = json.loads(refschemas.path("csl-data.json").read_text(encoding="utf-8"))
    for origin, item in items.items():
        jsonschema.validate([item], schema)
        assert item["id"], origin


@pytest.mark.parametrize("path", [CONTRACT, TEI_DIR / "wilson-119711.xml"], ids=["contract", "tei"])
def test_seed_003_letter_with_translator_archive_and_date(items: dict[str, dict], path: Path) -> None:
    item = item_of(items, path)
    assert item["id"] == "wilson-119711"
    assert item["type"] == "personal_communication"
    assert item["title"] == "Letter to the CPSU Central Committee, Request from Radmanesh for Iskanderi and Rust"
    assert item["translator"] == [{"family": "Goldberg", "given": "Gary"}]
    assert names(item, "author") == ["Radmanesh"]
    assert names(item, "recipient") == ["CPSU Central Committee"]
    assert item["issued"] == {"date-parts": [[1955, 12, 16]]}
    assert item["genre"] == "Letter"
    assert "f. 5, op. 28, d. 347" in item["archive_location"]
    assert item["archive_location"].endswith("reel 83")
    assert item["archive"] == "Russian State Archive of Contemporary History (RGANI)"
    assert item["archive-place"] == "Moscow"
    assert item["archive_collection"].startswith("Department for Relations with Foreign Communist Parties")
    assert item["language"] == "ru"
    assert item["URL"] == BASE + "documents/wilson-119711.html"
    assert item["custom"]["source-url"] == "https://wilson-center-digital-archive.dvincitest.com/document/119711"
    assert "Roham Alvandi" in item["note"]


def test_seed_000_resolution_is_a_manuscript_by_an_organisation(items: dict[str, dict]) -> None:
    item = item_of(items, tei_for_seed("000_30e4ef367cf143dd.txt"))
    assert item["type"] == "manuscript"
    assert item["genre"] == "Resolution"
    assert names(item, "author") == ["Central Committee of the People's Party of Iran"]
    assert "literal" in item["author"][0]  # an organisation is never split into given/family
    assert names(item, "translator") == ["Gary Goldberg"]
    assert item["issued"] == {"date-parts": [[1957, 7, 7]]}
    assert item["archive_location"] == "f. 5, op. 30, d. 189, reel 44"


def test_seed_001_cable_names_all_four_addressees(items: dict[str, dict]) -> None:
    item = item_of(items, tei_for_seed("001_3513ceab21f1a9d6.txt"))
    assert item["type"] == "personal_communication"
    assert item["genre"] == "Cable"
    assert names(item, "author") == ["Dimitrov"]
    assert names(item, "recipient") == ["Stalin", "Molotov", "Beria", "Malenkov"]
    assert item["issued"] == {"date-parts": [[1941, 12, 9]]}
    # The export gives no archive: nothing is invented.
    assert not {"archive", "archive_location", "archive-place"} & item.keys()
    # Nor a language: Dimitrov's cable, in English with no translator named, may be the
    # archive's translation, and its header records no original's language.
    assert "language" not in item


def test_seed_002_memo_is_a_manuscript_with_its_sender(items: dict[str, dict]) -> None:
    item = item_of(items, tei_for_seed("002_5d82778ebed16f7f.txt"))
    assert item["type"] == "manuscript"
    assert item["author"] == [{"family": "Kozlov", "given": "I."}]
    assert names(item, "translator") == ["Gary Goldberg"]
    assert item["issued"] == {"date-parts": [[1955, 4, 19]]}
    assert item["archive_location"] == "f. 5, op. 28, d. 347, reel 83"
    assert "recipient" not in item
    # A translation whose original language the export does not state: no language,
    # rather than the translation's English.
    assert "language" not in item


def test_seed_004_letter_to_khrushchev(items: dict[str, dict]) -> None:
    item = item_of(items, tei_for_seed("004_3b0cce5735f809cf.txt"))
    assert item["type"] == "personal_communication"
    assert any("Azari" in n for n in names(item, "author"))
    assert any("Khrushchev" in n for n in names(item, "recipient"))
    assert names(item, "translator") == ["Gary Goldberg"]
    assert item["issued"] == {"date-parts": [[1955, 8, 2]]}
    assert item["archive_location"] == "f. 5, op. 28, d. 347, reel 83"
    assert item["language"] == "ru"
    assert item["source"] == "Wilson Center Digital Archive"


def test_structured_names_partial_date_folios_and_script_subtag(items: dict[str, dict]) -> None:
    item = item_of(items, CITE_FIXTURES / "variant-letter.xml")
    assert item["type"] == "personal_communication"
    assert item["genre"] == "Telegram"
    assert item["author"] == [{"family": "Ibrahimov", "given": "Mirza"}]
    assert item["recipient"] == [{"family": "Gaulle", "given": "Charles", "non-dropping-particle": "de"}]
    assert item["translator"] == [{"family": "Petrova", "given": "Anna"}, {"family": "Rostami", "given": "Kian"}]
    assert item["issued"] == {"date-parts": [[1957, 7]]}  # partial stays partial
    assert item["archive_location"] == "f. 1, op. 89, d. 90, ll. 12-14"
    assert item["language"] == "az-Cyrl"
    assert item["note"] == "Contributed by Jane Roe and John Doe."
    assert item["custom"]["title-language"] == "en"


def test_a_transcription_not_in_english_is_its_own_original(tmp_path: Path) -> None:
    source = (CITE_FIXTURES / "range-memo.xml").read_text(encoding="utf-8")
    assert '<div type="transcription" xml:lang="en">' in source
    edited = tmp_path / "range-memo-ru.xml"
    edited.write_text(source.replace('<div type="transcription" xml:lang="en">', '<div type="transcription" xml:lang="ru">'),
                      encoding="utf-8")
    assert citation_item.csl_item(edited, BASE)["language"] == "ru"


def test_letter_without_addressee_is_a_manuscript_and_ranges_stay_ranges(items: dict[str, dict]) -> None:
    item = item_of(items, CITE_FIXTURES / "range-memo.xml")
    assert item["type"] == "manuscript"
    assert "recipient" not in item
    assert item["author"] == [{"literal": "Presidium of the CC CPSU"}]
    assert item["issued"] == {"date-parts": [[1953, 3, 1], [1953, 4, 15]]}
    assert item["custom"]["issued-text"] == "March–April 1953"
    # Parts that already carry their label are not labelled twice.
    assert item["archive_location"] == "f. 17, op. 3, d. 1045"
    assert item["archive-place"] == "Russia"
    assert "translator" not in item and "note" not in item
    # An English transcription with no translator and no Original Language may be the
    # archive's translation (a letter of the CPSU Presidium, in English): the header records
    # no original's language (edition.header_languages.is_original_text), nor does the item.
    assert "language" not in item


@pytest.mark.parametrize("author, expected", [
    ("Central Committee", {"literal": "Central Committee"}),
    ("Soviet Embassy", {"literal": "Soviet Embassy"}),
    ("Nikita Khrushchev", {"family": "Khrushchev", "given": "Nikita"}),
    # With a comma it read as inverted "Family, Given": a person named USSR, filed in a
    # Chicago note as "USSR Ministry of Foreign Affairs" and abbreviated "U." by APA.
    ("Ministry of Foreign Affairs, USSR", {"literal": "Ministry of Foreign Affairs, USSR"}),
    ("Khrushchev, Nikita", {"family": "Khrushchev", "given": "Nikita"}),
])
def test_an_organisation_named_without_orgname_is_not_split_like_a_person(
        tmp_path: Path, author: str, expected: dict) -> None:
    # A hand-written titleStmt/author is plain text: "Central Committee" must not become
    # family "Committee", given "Central", which would file it under C in a bibliography.
    tree = etree.parse(str(CITE_FIXTURES / "undated-note.xml"))
    title = tree.find(f".//{TEI}titleStmt/{TEI}title")
    title.addnext(etree.Element(f"{TEI}author"))
    title.getnext().text = author
    path = tmp_path / "undated-note.xml"
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    assert citation_item.csl_item(path, BASE)["author"] == [expected]


def test_printed_date_without_attributes_becomes_a_literal(items: dict[str, dict]) -> None:
    item = item_of(items, CITE_FIXTURES / "undated-note.xml")
    assert item["issued"] == {"literal": "Undated, probably spring 1956"}
    assert "author" not in item and "archive" not in item


def test_url_is_the_source_without_a_base_url_and_absent_without_either() -> None:
    with_source = citation_item.csl_item(TEI_DIR / "wilson-119711.xml", "")
    assert with_source["URL"] == "https://wilson-center-digital-archive.dvincitest.com/document/119711"
    assert "edition-url" not in with_source["custom"]
    bare = citation_item.csl_item(CITE_FIXTURES / "range-memo.xml", "")
    assert "URL" not in bare


def test_base_url_without_trailing_slash() -> None:
    item = citation_item.csl_item(CITE_FIXTURES / "range-memo.xml", "https://example.org/edition")
    assert item["URL"] == "https://example.org/edition/documents/fixture-range-memo.html"


def test_a_document_without_xml_id_is_refused_naming_the_file() -> None:
    path = CITE_FIXTURES / "no-id.xml"
    with pytest.raises(CitationError) as err:
        citation_item.csl_item(path, BASE)
    assert str(path) in str(err.value)
    assert "xml:id" in str(err.value)


def test_not_tei_and_not_xml_are_refused(tmp_path: Path) -> None:
    other = tmp_path / "other.xml"
    other.write_text("<doc xml:id='x'/>", encoding="utf-8")
    with pytest.raises(CitationError, match="not a TEI element"):
        citation_item.csl_item(other)
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>", encoding="utf-8")
    with pytest.raises(CitationError) as err:
        citation_item.csl_item(broken)
    assert str(broken) in str(err.value)


def test_schema_violations_name_the_file_and_the_place() -> None:
    bad = [{"id": "x", "type": "manuscript", "issued": "1955-12-16"}]
    with pytest.raises(CitationError) as err:
        citation_item.validate_csl(bad, "some.xml")
    assert str(err.value).startswith("some.xml: ")
    assert "0/issued" in str(err.value)
