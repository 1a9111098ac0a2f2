"""Citation files: CSL-JSON against the official schema, BibLaTeX through bibtexparser,
RIS through rispy, Chicago through citeproc-py; per document and edition-wide."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware

from edition import chicago_citeproc, citation_item, citations, refschemas
from edition.citation_item import CitationError

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
CITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cite"
BASE = "https://edition.example.org/"
SEED_003 = "wilson-119711"


@dataclass
class Written:
    out: Path
    cited: dict[str, citations.DocumentCitation]


def sources() -> list[Path]:
    return sorted(TEI_DIR.glob("*.xml")) + sorted(p for p in CITE_FIXTURES.glob("*.xml") if p.name != "no-id.xml")


@pytest.fixture(scope="session")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    out = tmp_path_factory.mktemp("cite")
    cited = {}
    for path in sources():
        c = citations.cite_document(path, BASE)
        citations.write_document(c, out)
        cited[c.item["id"]] = c
    citations.write_edition([c.item for c in cited.values()], out)
    return Written(out, cited)


@pytest.fixture(scope="session")
def csl_schema() -> dict:
    return json.loads(refschemas.path("csl-data.json").read_text(encoding="utf-8"))


def ids(w: Written) -> list[str]:
    return sorted(w.cited)


# --------------------------------------------------------------------------- CSL-JSON


def test_every_json_file_validates_and_is_the_item(written: Written, csl_schema: dict) -> None:
    for doc_id, cited in written.cited.items():
        raw = (written.out / f"{doc_id}.json").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf") and raw.endswith(b"\n")
        data = json.loads(raw.decode("utf-8"))
        jsonschema.validate(data, csl_schema)
        assert data == [cited.item]


def test_edition_json_holds_every_item_in_id_order(written: Written, csl_schema: dict) -> None:
    data = json.loads((written.out / "edition.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, csl_schema)
    assert [i["id"] for i in data] == ids(written)


# --------------------------------------------------------------------------- BibLaTeX


def parse_bib(path: Path, decode: bool = False) -> bibtexparser.Library:
    middlewares = [LatexDecodingMiddleware()] if decode else []
    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"), append_middleware=middlewares)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library


def test_every_bib_parses_with_the_fields_of_its_item(written: Written) -> None:
    for doc_id, cited in written.cited.items():
        item = cited.item
        entries = parse_bib(written.out / f"{doc_id}.bib").entries
        assert len(entries) == 1
        entry = entries[0]
        assert entry.key == doc_id
        assert entry.entry_type == ("letter" if item["type"] == "personal_communication" else "unpublished")
        fields = entry.fields_dict
        assert fields["langid"].value == "english"
        assert fields["url"].value == item["URL"]
        if "date-parts" in item.get("issued", {}):
            first = item["issued"]["date-parts"][0]
            assert fields["date"].value.startswith("-".join(f"{p:02d}" for p in first).zfill(4))
        if "genre" in item:
            assert fields["type"].value == item["genre"]
        if "translator" in item:
            assert "translator" in fields
        if "archive_location" in item:
            assert item["archive_location"] in fields["library"].value
            assert item["archive"] in fields["library"].value


def test_seed_003_bib(written: Written) -> None:
    entry = parse_bib(written.out / f"{SEED_003}.bib", decode=True).entries[0]
    assert entry.entry_type == "letter"
    assert entry["translator"] == "Goldberg, Gary"
    assert entry["date"] == "1955-12-16"
    assert entry["type"] == "Letter"
    assert entry["origlanguage"] == "russian"
    assert "f. 5, op. 28, d. 347, reel 83" in entry["library"]
    assert "Russian State Archive of Contemporary History (RGANI)" in entry["library"]
    assert entry["addendum"] == (
        "Wilson Center Digital Archive: https://wilson-center-digital-archive.dvincitest.com/document/119711"
    )
    # Proper nouns braced so a sentence-casing style cannot lower them; the decoded
    # title is the title.
    raw = parse_bib(written.out / f"{SEED_003}.bib").entries[0]["title"]
    assert "{CPSU}" in raw and "{Radmanesh}" in raw and not raw.startswith("{Letter}")
    assert entry["title"].replace("{", "").replace("}", "") == written.cited[SEED_003].item["title"]


def test_tex_specials_are_escaped_and_the_entry_stays_balanced(written: Written) -> None:
    raw = (written.out / "fixture-variant-letter.bib").read_text(encoding="utf-8")
    entry = parse_bib(written.out / "fixture-variant-letter.bib").entries[0]
    title = entry["title"]
    for escaped in (r"50\%", r"\$", r"\&", r"\#3", r"file\_7", r"\textbraceleft{}draft\textbraceright{}",
                    r"\textasciitilde{}", r"\textasciicircum{}", r"\textbackslash{}"):
        assert escaped in title
    assert raw.count("{") == raw.count("}")
    assert entry["recipient"] == "de Gaulle, Charles"
    assert entry["translator"] == "Petrova, Anna and Rostami, Kian"
    assert entry["date"] == "1957-07"
    assert entry["origlanguage"] == "azerbaijani"
    decoded = parse_bib(written.out / "fixture-variant-letter.bib", decode=True).entries[0]
    assert "50% of the $ fund & item #3 (file_7)" in decoded["title"]


def test_literal_names_are_one_unit_and_ranges_are_iso_intervals(written: Written) -> None:
    entry = parse_bib(written.out / "fixture-range-memo.bib").entries[0]
    assert entry["author"] == "{Presidium of the CC CPSU}"
    assert entry["date"] == "1953-03-01/1953-04-15"
    undated = parse_bib(written.out / "fixture-undated-note.bib").entries[0]
    assert "date" not in undated.fields_dict
    assert undated["note"] == "Undated, probably spring 1956"


def test_edition_bib_has_every_entry(written: Written) -> None:
    library = parse_bib(written.out / "edition.bib")
    assert [e.key for e in library.entries] == ids(written)


# --------------------------------------------------------------------------- RIS


def test_every_ris_is_crlf_utf8_without_bom_and_parses(written: Written) -> None:
    for doc_id, cited in written.cited.items():
        raw = (written.out / f"{doc_id}.ris").read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        raw.decode("utf-8")
        assert raw.endswith(b"ER  - \r\n")
        assert b"\n" not in raw.replace(b"\r\n", b"")
        records = rispy.loads(raw.decode("utf-8"))
        assert len(records) == 1
        record = records[0]
        item = cited.item
        assert record["type_of_reference"] == ("PCOMM" if item["type"] == "personal_communication" else "MANSCPT")
        assert record["id"] == doc_id
        assert record["title"] == item["title"]
        assert item["URL"] in record["urls"]
        if "archive_location" in item:
            assert record["accession_number"] == item["archive_location"]
            assert record["name_of_database"] == item["archive"]
        if "translator" in item:
            assert len(record["subsidiary_authors"]) == len(item["translator"])
        if "recipient" in item:
            assert len(record["secondary_authors"]) == len(item["recipient"])


def test_seed_003_ris(written: Written) -> None:
    record = rispy.loads((written.out / f"{SEED_003}.ris").read_text(encoding="utf-8"))[0]
    assert record["type_of_reference"] == "PCOMM"
    assert record["authors"] == ["Radmanesh"]
    assert record["secondary_authors"] == ["CPSU Central Committee"]
    assert record["subsidiary_authors"] == ["Goldberg, Gary"]
    assert record["date"] == "1955/12/16/"
    assert record["year"] == "1955"
    assert record["type_of_work"] == "Letter"
    assert record["name_of_database"] == "Russian State Archive of Contemporary History (RGANI)"
    assert record["accession_number"] == "f. 5, op. 28, d. 347, reel 83"
    assert record["place_published"] == "Moscow"
    assert record["language"] == "ru"
    assert record["urls"] == [
        BASE + "documents/wilson-119711.html",
        "https://wilson-center-digital-archive.dvincitest.com/document/119711",
    ]
    assert any("Roham Alvandi" in n for n in record["notes"])


def test_partial_and_range_dates_in_ris(written: Written) -> None:
    partial = rispy.loads((written.out / "fixture-variant-letter.ris").read_text(encoding="utf-8"))[0]
    assert partial["date"] == "1957/07//"
    ranged = rispy.loads((written.out / "fixture-range-memo.ris").read_text(encoding="utf-8"))[0]
    assert ranged["date"] == "1953/03/01/1953-03-01 to 1953-04-15"


def test_edition_ris_has_every_record(written: Written) -> None:
    records = rispy.loads((written.out / "edition.ris").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == ids(written)


# --------------------------------------------------------------------------- Chicago


def test_every_item_renders_a_chicago_note(written: Written) -> None:
    for doc_id, cited in written.cited.items():
        assert cited.chicago.note_text.endswith("."), doc_id
        assert chicago_citeproc.html_fragment_is_wellformed(cited.chicago.note_html)
        txt = (written.out / f"{doc_id}.chicago.txt").read_text(encoding="utf-8")
        assert txt.startswith(cited.chicago.note_text)


def test_seed_003_chicago_keeps_translator_recipient_and_archive(written: Written) -> None:
    chicago = written.cited[SEED_003].chicago
    note = chicago.note_text
    assert note.startswith("Radmanesh, “Letter to the CPSU Central Committee, Request from Radmanesh for Iskanderi and Rust,”")
    assert "Letter to CPSU Central Committee" in note
    assert "trans. Gary Goldberg" in note  # not "G. Goldberg": citeproc-py's initialising is worked around
    assert "December 16, 1955" in note
    assert "f. 5, op. 28, d. 347, reel 83" in note
    assert "Russian State Archive of Contemporary History (RGANI), Moscow" in note
    assert note.endswith(BASE + "documents/wilson-119711.html.")
    bib = chicago.bibliography_text
    assert bib.startswith("Radmanesh. “Letter to the CPSU Central Committee")
    assert "Translated by Gary Goldberg." in bib


def test_chicago_inverts_the_first_author_only_in_the_bibliography(written: Written) -> None:
    chicago = written.cited["fixture-variant-letter"].chicago
    assert chicago.note_text.startswith("Mirza Ibrahimov, ")
    assert chicago.bibliography_text.startswith("Ibrahimov, Mirza. ")
    assert "trans. Anna Petrova and Kian Rostami" in chicago.note_text
    assert "Telegram to Charles de Gaulle" in chicago.note_text
    assert "July 1957" in chicago.note_text
    # The processor's HTML is escaped text: the title's "&" cannot break the page.
    assert "&amp; item #3" in chicago.note_html


def test_chicago_date_range_within_a_year(written: Written) -> None:
    note = written.cited["fixture-range-memo"].chicago.note_text
    assert "March–April 1953" in note and "1,–" not in note


def test_chicago_html_file_is_one_element_per_rendering(written: Written) -> None:
    from lxml import html

    root = html.fromstring((written.out / f"{SEED_003}.chicago.html").read_text(encoding="utf-8"))
    note = root.find_class("chicago-note")[0].text_content()
    assert note == written.cited[SEED_003].chicago.note_text


# --------------------------------------------------------------------------- files


def test_writing_again_gives_identical_bytes_and_writes_nothing(written: Written, tmp_path: Path) -> None:
    cited = written.cited[SEED_003]
    first = citations.write_document(cited, tmp_path)
    snapshot = {p.name: p.read_bytes() for p in first}
    again = citations.cite_document(TEI_DIR / f"{SEED_003}.xml", BASE)
    assert citations.write_document(again, tmp_path) == []
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == snapshot
    for name, data in snapshot.items():
        assert data == (written.out / name).read_bytes()


def test_csl_validation_skips_only_shapes_it_found_valid(written: Written, monkeypatch: pytest.MonkeyPatch) -> None:
    item = written.cited[SEED_003].item
    validator = citation_item._csl_validator()
    checked: list[object] = []
    real = type(validator).iter_errors
    monkeypatch.setattr(type(validator), "iter_errors", lambda self, inst, *a, **k: checked.append(inst) or real(self, inst, *a, **k))
    citation_item.validate_csl([item], "seed")
    checked.clear()
    # Other words, dates and names in the same shape: valid without a second look.
    citation_item.validate_csl([{**item, "title": "Other words", "issued": {"date-parts": [[1999, 1, 2]]}}], "seed")
    assert checked == []
    # What the schema does look at is checked: the enum's value, list lengths, types, keys.
    for bad in ({**item, "type": "letter"}, {**item, "issued": {"date-parts": [[1955, 1, 2, 3]]}},
                {**item, "title": 5}, {**item, "author": "Kozlov"}):
        with pytest.raises(CitationError, match="does not match the CSL schema"):
            citation_item.validate_csl([bad], "seed")
    assert len(checked) == 4


def test_a_schema_that_looks_at_values_is_applied_to_every_item(monkeypatch: pytest.MonkeyPatch) -> None:
    import jsonschema

    schema = {"type": "array", "items": {"type": "object", "properties": {"title": {"type": "string", "pattern": "^[A-Z]"}}}}
    monkeypatch.setattr(citation_item, "_csl_schema", lambda: (schema, "a schema that looks at values"))
    monkeypatch.setattr(citation_item, "_csl_validator", lambda: jsonschema.Draft7Validator(schema))
    citation_item._valid_shapes.cache_clear()
    try:
        assert citation_item._valid_shapes() is None
        citation_item.validate_csl([{"title": "Upper"}], "x")
        with pytest.raises(CitationError, match="does not match"):
            citation_item.validate_csl([{"title": "lower"}], "x")
    finally:
        citation_item._valid_shapes.cache_clear()


def test_duplicate_ids_in_the_edition_are_an_error(written: Written, tmp_path: Path) -> None:
    item = written.cited[SEED_003].item
    with pytest.raises(CitationError, match="share the citation id"):
        citations.write_edition([item, item], tmp_path)
    assert not list(tmp_path.iterdir())


def test_stale_citation_files_are_removed(tmp_path: Path, written: Written) -> None:
    citations.write_document(written.cited[SEED_003], tmp_path)
    citations.write_document(written.cited["fixture-range-memo"], tmp_path)
    citations.write_edition([written.cited[SEED_003].item], tmp_path)
    removed = citations.remove_stale(tmp_path, {SEED_003})
    assert sorted(p.name for p in removed) == sorted(
        f"fixture-range-memo{s}" for s in citations.DOCUMENT_SUFFIXES
    )
    assert (tmp_path / "edition.json").is_file() and (tmp_path / f"{SEED_003}.bib").is_file()


def test_author_less_bibliography_names_the_title_once(written: Written) -> None:
    # An unsigned document is cited by its title, then as an authored one (CMOS
    # 14.75-76, 14.232): the style's cs:substitute made citeproc-py print the title
    # twice in the bibliography ("“Notes.” “Notes.” ...").
    chicago = written.cited["fixture-undated-note"].chicago
    title = "“Notes on the Conversation with the Ambassador"
    url = BASE + "documents/fixture-undated-note.html"
    assert chicago.note_text == f"{title},” Undated, probably spring 1956, {url}."
    assert chicago.bibliography_text == f"{title}.” Undated, probably spring 1956. {url}."
    assert (written.out / "fixture-undated-note.chicago.txt").read_text(encoding="utf-8") == (
        f"{chicago.note_text}\n\n{chicago.bibliography_text}\n")


_ANONYMOUS = {
    "id": "anonymous", "type": "manuscript", "title": "Record of conversation", "genre": "Memorandum",
    "translator": [{"family": "Goldberg", "given": "Gary"}], "issued": {"date-parts": [[1953, 3]]},
    "archive": "Archive", "archive_location": "f. 1",
}


@pytest.mark.xfail(strict=True, reason=(
    "citeproc-py 0.11 itself: with no author, Chicago's cs:substitute moves the translator into "
    "the author position, and citeproc-py drops the 'trans.' label there and prints the "
    "translator again after the title. The edition never gives it such an item "
    "(test_author_less_items_are_cited_by_their_title). Strict: this fails once it is fixed."
))
def test_author_less_translated_note_labels_the_translator_once() -> None:
    renderer = chicago_citeproc.ChicagoRenderer()
    note_html, _ = renderer._render_html(chicago_citeproc._processor_item(_ANONYMOUS, html=True))
    note = chicago_citeproc.html_text(note_html)
    assert note.count("Gary Goldberg") == 1 and "trans." in note


@pytest.mark.parametrize(("item", "note", "bibliography"), [
    # CMOS 14.75-76: the title first; 14.104: "trans." in a note, "Translated by" in
    # the bibliography, after the title; 14.232: then date, the place in the file, the
    # collection, the archive and its city, as for an authored document.
    (_ANONYMOUS,
     "“Record of Conversation,” Memorandum, trans. Gary Goldberg, March 1953, f. 1, Archive.",
     "“Record of Conversation.” Memorandum. Translated by Gary Goldberg. March 1953. F. 1. Archive."),
    ({**_ANONYMOUS, "translator": [{"family": "Goldberg", "given": "Gary"}, {"literal": "Anna Petrova"}],
      "issued": {"date-parts": [[1961, 2, 3]]}, "archive_collection": "Fond 5", "archive-place": "Moscow",
      "URL": "https://edition.example.org/documents/anonymous.html"},
     "“Record of Conversation,” Memorandum, trans. Gary Goldberg and Anna Petrova, February 3, 1961, f. 1,"
     " Fond 5, Archive, Moscow, https://edition.example.org/documents/anonymous.html.",
     "“Record of Conversation.” Memorandum. Translated by Gary Goldberg and Anna Petrova. February 3, 1961."
     " F. 1. Fond 5. Archive, Moscow. https://edition.example.org/documents/anonymous.html."),
    ({"id": "cable", "type": "personal_communication", "title": "On the talks", "genre": "Cable",
      "recipient": [{"literal": "Foreign Ministry"}], "issued": {"date-parts": [[1955]]},
      "URL": "https://edition.example.org/documents/cable.html"},
     "“On the Talks,” Cable to Foreign Ministry, 1955, https://edition.example.org/documents/cable.html.",
     "“On the Talks.” Cable to Foreign Ministry. 1955. https://edition.example.org/documents/cable.html."),
    # Without an archive or a URL a personal communication is cited in notes only (CMOS 14.111).
    ({"id": "cable", "type": "personal_communication", "title": "On the talks", "genre": "Cable",
      "recipient": [{"literal": "Foreign Ministry"}], "issued": {"date-parts": [[1955]]}},
     "“On the Talks,” Cable to Foreign Ministry, 1955.", ""),
    # A guessed-at date (CMOS 14.44) is set off as a certain one is.
    ({**_ANONYMOUS, "issued": {"date-parts": [[1961]], "circa": True}},
     "“Record of Conversation,” Memorandum, trans. Gary Goldberg, [1961?], f. 1, Archive.",
     "“Record of Conversation.” Memorandum. Translated by Gary Goldberg. [1961?]. F. 1. Archive."),
], ids=["translated", "two-translators", "addressed", "addressed-unlisted", "uncertain-date"])
def test_author_less_items_are_cited_by_their_title(item: dict, note: str, bibliography: str) -> None:
    renderer = chicago_citeproc.ChicagoRenderer()
    chicago = renderer.render(item)
    assert (chicago.note_text, chicago.bibliography_text) == (note, bibliography)
    # Written directly: the style, which only citeproc-py needs, was never loaded.
    assert renderer._loaded is None
    # And citeproc-py, given the item with a stand-in author, agrees.
    assert renderer.render_by_processor(item) == chicago


def _seed_003_dated(tmp_path: Path, printed: str | None = None, **attributes: str) -> Path:
    """Seed 003 with its document date's attributes (and printed form) replaced, every copy."""
    from lxml import etree

    tree = etree.parse(str(TEI_DIR / f"{SEED_003}.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    for date in tree.xpath("//t:origDate | //t:correspAction/t:date", namespaces=ns):
        for name in ("when", "notBefore", "notAfter", "cert"):
            date.attrib.pop(name, None)
        for name, value in attributes.items():
            date.set(name, value)
        if printed is not None:
            date.text = printed
    path = tmp_path / f"{SEED_003}.xml"
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path


def test_a_circa_date_stays_approximate_in_biblatex_and_ris(tmp_path: Path) -> None:
    # An uncertain date (@cert low) is "circa" in the CSL item and "[December 1955?]" in
    # Chicago; BibLaTeX and RIS made from the same item must not present it as certain.
    cited = citations.cite_document(_seed_003_dated(tmp_path, when="1955-12", cert="low"), BASE)
    assert cited.item["issued"] == {"date-parts": [[1955, 12]], "circa": True}
    assert "[December 1955?]" in cited.chicago.note_text
    citations.write_document(cited, tmp_path)
    # EDTF level 1 approximate date, as biblatex's date field reads it.
    assert parse_bib(tmp_path / f"{SEED_003}.bib").entries[0]["date"] == "1955-12~"
    assert rispy.loads((tmp_path / f"{SEED_003}.ris").read_text(encoding="utf-8"))[0]["date"] == "1955/12//circa"

    ranged = citations.cite_document(
        _seed_003_dated(tmp_path, notBefore="1955-12-01", notAfter="1956-01-15", cert="medium"), BASE)
    citations.write_document(ranged, tmp_path)
    assert parse_bib(tmp_path / f"{SEED_003}.bib").entries[0]["date"] == "1955-12-01~/1956-01-15~"
    assert rispy.loads((tmp_path / f"{SEED_003}.ris").read_text(encoding="utf-8"))[0]["date"] == (
        "1955/12/01/circa 1955-12-01 to 1956-01-15")

    # A certain date is unchanged.
    certain = citations.cite_document(_seed_003_dated(tmp_path, when="1955-12-16"), BASE)
    citations.write_document(certain, tmp_path)
    assert parse_bib(tmp_path / f"{SEED_003}.bib").entries[0]["date"] == "1955-12-16"
    assert rispy.loads((tmp_path / f"{SEED_003}.ris").read_text(encoding="utf-8"))[0]["date"] == "1955/12/16/"


def test_an_uncertain_range_within_a_year_is_uncertain_in_chicago(tmp_path: Path) -> None:
    # Such a range is fed to citeproc-py as its printed form (its own rendering of the
    # range is wrong); the circa went missing with it, so Chicago presented as certain
    # what BibLaTeX and RIS mark approximate.
    path = _seed_003_dated(tmp_path, "March–April 1955", notBefore="1955-03-01", notAfter="1955-04-15", cert="low")
    cited = citations.cite_document(path, BASE)
    assert cited.item["issued"]["circa"] is True
    assert ", [March–April 1955?], " in cited.chicago.note_text
    assert " [March–April 1955?]. " in cited.chicago.bibliography_text
    certain = citations.cite_document(_seed_003_dated(tmp_path, "March–April 1955", notBefore="1955-03-01", notAfter="1955-04-15"), BASE)
    assert ", March–April 1955, " in certain.chicago.note_text and "?" not in certain.chicago.note_text


def _range_memo_dated(tmp_path: Path, printed: str, **attributes: str) -> Path:
    """The range memo (a manuscript: no addressee) with its date replaced."""
    from lxml import etree

    tree = etree.parse(str(CITE_FIXTURES / "range-memo.xml"))
    date = tree.xpath("//t:origDate", namespaces={"t": "http://www.tei-c.org/ns/1.0"})[0]
    date.attrib.clear()
    date.attrib.update(attributes)
    date.text = printed
    path = tmp_path / "range-memo.xml"
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path


@pytest.mark.parametrize(("printed", "attributes", "shown"), [
    ("March 1953", {"when": "1953-03"}, "March 1953"),
    ("4 March 1953", {"when": "1953-03-04"}, "March 4, 1953"),
    ("March–April 1953", {"notBefore": "1953-03-01", "notAfter": "1953-04-15"}, "March–April 1953"),
    ("1953–1954", {"notBefore": "1953-03", "notAfter": "1954-02"}, "March 1953–February 1954"),
], ids=["month", "day", "range-in-a-year", "range"])
def test_an_uncertain_date_is_punctuated_as_a_certain_one(
    tmp_path: Path, printed: str, attributes: dict[str, str], shown: str
) -> None:
    # The style set a manuscript's uncertain date off by a space ("Presidium of the CC
    # CPSU [March 1953?], f. 3"), CMOS 18's rule for a book's facts of publication;
    # in a note on a manuscript the date is one element among the others (CMOS 14.232).
    certain = citations.cite_document(_range_memo_dated(tmp_path, printed, **attributes), BASE).chicago
    assert certain.note_text.count(f", {shown}, ") == 1
    uncertain = citations.cite_document(_range_memo_dated(tmp_path, printed, cert="low", **attributes), BASE).chicago
    assert uncertain.note_text == certain.note_text.replace(f", {shown}, ", f", [{shown}?], ")
    assert uncertain.bibliography_text == certain.bibliography_text.replace(f". {shown}. ", f". [{shown}?]. ")
    assert uncertain.bibliography_text != certain.bibliography_text


def _seed_003_titled(tmp_path: Path, title: str) -> Path:
    """Seed 003 with its main title replaced."""
    from lxml import etree

    tree = etree.parse(str(TEI_DIR / f"{SEED_003}.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree.xpath("//t:titleStmt/t:title[@type = 'main']", namespaces=ns)[0].text = title
    path = tmp_path / f"{SEED_003}.xml"
    tree.write(str(path), encoding="UTF-8", xml_declaration=True)
    return path


def test_a_quotation_in_the_title_takes_inner_quotes_in_chicago(tmp_path: Path) -> None:
    # Chicago puts the title in double quotes; a quotation inside it in the source's
    # straight quotes stood as straight quotes inside curly ones, with the full stop
    # outside the inner quote ("Iran'.”). CMOS: single quotes within double, the
    # full stop inside both.
    title = """Memo on the "Anti-Party Group" and People's 'Hands off Iran'"""
    cited = citations.cite_document(_seed_003_titled(tmp_path, title), BASE)
    assert cited.item["title"] == title  # the published item keeps the source's marks
    assert "“Memo on the ‘Anti-Party Group’ and People's ‘Hands off Iran,’” Letter" in cited.chicago.note_text
    assert "“Memo on the ‘Anti-Party Group’ and People's ‘Hands off Iran.’” Letter" in cited.chicago.bibliography_text
    assert "“Memo on the ‘Anti-Party Group’" in cited.chicago.note_html
    # A locale whose outer quotes are single has double inner ones.
    british = chicago_citeproc.ChicagoRenderer(locale="en-GB").render(cited.item)
    assert "‘Memo on the “Anti-Party Group” and People's “Hands off Iran”’" in british.note_text
    # An inch mark after a number is no opening quote: the pair is the one around "Big".
    inches = citations.cite_document(_seed_003_titled(tmp_path, 'On the 12" guns, "Big" and small'), BASE)
    assert "“On the 12\" guns, ‘Big’ and small,” Letter" in inches.chicago.note_text


def test_the_fragments_text_direction_agrees_with_the_stylesheets(tmp_path: Path) -> None:
    """citations.language_dir is ed:language-dir (xslt/common.xsl) for the fragments the
    build writes in Python; the two tables must not drift apart."""
    import shutil

    from edition.citations import language_dir
    from edition.transform import XSLT_DIR, Transformer

    tags = ["en", "ru", "az-Cyrl", "fa", "ar", "he", "yi", "ur", "fa-Latn", "az-Arab", "lad-Hebr", "uz-Arab",
            "syr-Syrc", "dv-Thaa", "ckb", "ug", "zh-Hant", "ja", "und", ""]
    shutil.copy(XSLT_DIR / "common.xsl", tmp_path / "common.xsl")
    (tmp_path / "dirs.xsl").write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" '
        'xmlns:ed="https://edition.example/ns" expand-text="yes">'
        '<xsl:import href="common.xsl"/>'
        '<xsl:output method="text"/>'
        '<xsl:template match="/">{string-join(/tags/tag ! ed:language-dir(string(.)), " ")}</xsl:template>'
        "</xsl:stylesheet>", encoding="utf-8")
    t = Transformer(tmp_path)
    source = "<tags>" + "".join(f"<tag>{tag}</tag>" for tag in tags) + "</tags>"
    assert t.apply("dirs.xsl", t.parse(source.encode(), "tags.xml")).split() == [language_dir(tag) for tag in tags]
