"""The teiHeader of every seed, field by field."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from edition.convert import convert_source

NS = {"t": "http://www.tei-c.org/ns/1.0"}
SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def header_of(name: str) -> etree._Element:
    _, data = convert_source(SEEDS / name, "wilson")
    return etree.fromstring(data)


@pytest.fixture(scope="module")
def seed000() -> etree._Element:
    return header_of("000_30e4ef367cf143dd.txt")


@pytest.fixture(scope="module")
def seed001() -> etree._Element:
    return header_of("001_3513ceab21f1a9d6.txt")


@pytest.fixture(scope="module")
def seed002() -> etree._Element:
    return header_of("002_5d82778ebed16f7f.txt")


@pytest.fixture(scope="module")
def seed003() -> etree._Element:
    return header_of("003_73142493423ae5fc.txt")


@pytest.fixture(scope="module")
def seed004() -> etree._Element:
    return header_of("004_3b0cce5735f809cf.txt")


def one(tree: etree._Element, path: str) -> str:
    found = tree.xpath(path, namespaces=NS)
    assert len(found) == 1, f"{path}: {len(found)} matches"
    item = found[0]
    return item if isinstance(item, str) else "".join(item.itertext())


def all_of(tree: etree._Element, path: str) -> list[str]:
    return [x if isinstance(x, str) else "".join(x.itertext()) for x in tree.xpath(path, namespaces=NS)]


MS = "//t:sourceDesc/t:msDesc"


def test_seed003_markdown_export(seed003: etree._Element) -> None:
    t = seed003
    assert t.get("{http://www.w3.org/XML/1998/namespace}id") == "wilson-119711"
    assert one(t, "//t:titleStmt/t:title") == "Letter to the CPSU Central Committee, Request from Radmanesh for Iskanderi and Rust"
    assert one(t, f"{MS}/t:history/t:origin/t:origDate/@when") == "1955-12-16"
    assert one(t, f"{MS}/t:history/t:origin/t:origDate") == "December 16, 1955"
    # The archive's record describes the source (TEI 2.2.7), not this edition's file (2.2.4).
    url = "https://wilson-center-digital-archive.dvincitest.com/document/119711"
    assert one(t, "//t:sourceDesc/t:bibl[@type='export']/t:idno[@type='record']") == "119711"
    assert one(t, "//t:sourceDesc/t:bibl[@type='export']/t:ref/@target") == url
    assert one(t, "//t:sourceDesc/t:bibl[@type='export']/t:ref") == url
    assert all_of(t, "//t:publicationStmt/t:idno[not(@type = 'edition')]") == []
    assert one(t, f"{MS}/t:msIdentifier/t:repository/@key") == "RGANI"
    assert one(t, f"{MS}/t:msIdentifier/t:repository") == "Russian State Archive of Contemporary History"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='fond']") == "5"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='opis']") == "28"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='delo']") == "347"
    assert one(t, f"{MS}//t:surrogates//t:idno[@type='reel']") == "83"
    assert one(t, "//t:respStmt[t:resp='Translated by']/t:persName") == "Gary Goldberg"
    assert one(t, "//t:respStmt[t:resp='Obtained by']/t:persName") == "Roham Alvandi"
    assert one(t, f"{MS}/t:msContents/t:textLang/@mainLang") == "ru"
    assert all_of(t, "//t:langUsage/t:language/@ident") == ["ru", "en"]
    assert one(t, "//t:textClass/t:keywords[@scheme='#edition-doctype']/t:term") == "letter"
    assert one(t, "//t:correspAction[@type='sent']/t:persName") == "Radmanesh"
    assert one(t, "//t:correspAction[@type='received']/t:orgName") == "CPSU Central Committee"
    assert one(t, "//t:sourceDesc/t:bibl[@type='citation']").startswith('"Letter to the CPSU Central Committee')
    assert one(t, "//t:sourceDesc/t:bibl[@type='archival']").startswith("RGANI, f. 5, op. 28, d. 347.")
    assert one(t, "//t:profileDesc/t:abstract/t:p").startswith("This letter states Radmanesh's request")
    assert one(t, "//t:bibl[@type='export']/t:publisher") == "Wilson Center Digital Archive"
    assert one(t, "//t:bibl[@type='export']/t:idno[@type='filename']") == "003_73142493423ae5fc.txt"
    assert len(one(t, "//t:bibl[@type='export']/t:idno[@type='sha256']")) == 64
    assert one(t, "//t:appInfo/t:application/@version")
    # The source states no classification, funder or rights: none are invented.
    assert all_of(t, "//t:funder") == []
    assert all_of(t, "//t:keywords[@scheme='#edition-classification']") == []
    assert all_of(t, "//t:availability") == []


def test_seed004_markdown_export(seed004: etree._Element) -> None:
    t = seed004
    assert t.get("{http://www.w3.org/XML/1998/namespace}id") == "wilson-119698"
    assert one(t, f"{MS}/t:history/t:origin/t:origDate/@when") == "1955-08-02"
    assert one(t, "//t:respStmt[t:resp='Contributed by']/t:persName") == "Roham Alvandi"
    assert one(t, "//t:respStmt[t:resp='Translated by']/t:persName") == "Gary Goldberg"
    # The office the title puts before a name is kept apart from the name, so the
    # name alone can be cited ("Azari, Mir Aga").
    assert one(t, "//t:correspAction[@type='received']/t:persName/t:roleName") == "CPSU Central Committee Secretary"
    assert t.xpath("normalize-space(//t:correspAction[@type='received']/t:persName/text())", namespaces=NS) == "Khrushchev"
    assert one(t, "//t:correspAction[@type='sent']/t:persName/t:roleName") == "Engineer and Political Émigré"
    assert t.xpath("normalize-space(//t:correspAction[@type='sent']/t:persName/text())", namespaces=NS) == "Mir Aga Azari"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='delo']") == "347"


def test_seed000_web_page_capture(seed000: etree._Element) -> None:
    t = seed000
    assert t.get("{http://www.w3.org/XML/1998/namespace}id") == "doc-1957-07-07-resolution-of-the-central-committee-of-the"
    assert one(t, "//t:titleStmt/t:title") == "Resolution of the Central Committee of the People's Party of Iran about the Anti-Party Group"
    assert one(t, f"{MS}/t:history/t:origin/t:origDate/@when") == "1957-07-07"
    assert one(t, "//t:textClass/t:keywords[@scheme='#edition-doctype']/t:term") == "resolution"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='opis']") == "30"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='delo']") == "189"
    assert one(t, f"{MS}//t:surrogates//t:idno[@type='reel']") == "44"
    assert one(t, f"{MS}/t:msIdentifier/t:collection") == "General Department of the Central Committee, 1953-1966"
    assert one(t, "//t:respStmt[t:resp='Translated by']/t:persName") == "Gary Goldberg"
    assert one(t, "//t:respStmt[t:resp='Contributed by']/t:persName") == "Roham Alvandi"
    assert one(t, "//t:correspAction[@type='sent']/t:orgName") == "Central Committee of the People's Party of Iran"
    assert "welcomes reuse of Digital Archive materials" in one(t, "//t:availability/t:p[1]")
    assert one(t, "//t:profileDesc/t:abstract/t:p").startswith('Following the "Anti-Party Group')
    # No record id in the export (the label is empty): none in the header.
    assert all_of(t, "//t:idno[@type='record']") == []


def test_seed001_line_capture(seed001: etree._Element) -> None:
    t = seed001
    assert one(t, "//t:titleStmt/t:title") == "Cable from Dimitrov to Stalin, Molotov, Beria, and Malenkov"
    # No archive named: no msDesc (TEI requires a repository there); the date is in creation.
    assert all_of(t, MS) == []
    assert one(t, "//t:profileDesc/t:creation/t:date/@when") == "1941-12-09"
    assert one(t, "//t:titleStmt/t:funder") == "Leon Levy Foundation"
    assert one(t, "//t:keywords[@scheme='#edition-classification']/t:term") == "Strictly Secret"
    assert one(t, "//t:textClass/t:keywords[@scheme='#edition-doctype']/t:term") == "cable"
    assert one(t, "//t:correspAction[@type='sent']/t:persName") == "Dimitrov"
    assert all_of(t, "//t:correspAction[@type='received']/t:persName") == ["Stalin", "Molotov", "Beria", "Malenkov"]
    assert "HAPP@wilsoncenter.org" in one(t, "//t:availability/t:p[2]")
    assert one(t, "//t:profileDesc/t:abstract/t:p").startswith("Cable to top Soviet officials")
    # Empty Source and Original Archive fields: no archive, no translator invented.
    assert all_of(t, "//t:respStmt") == []


def test_seed002_web_page_capture(seed002: etree._Element) -> None:
    t = seed002
    assert one(t, f"{MS}/t:history/t:origin/t:origDate/@when") == "1955-04-19"
    assert one(t, "//t:textClass/t:keywords[@scheme='#edition-doctype']/t:term") == "memorandum"
    assert one(t, "//t:correspAction[@type='sent']/t:persName") == "I. Kozlov"
    assert one(t, f"{MS}/t:msIdentifier/t:idno[@type='fond']") == "5"
    assert one(t, f"{MS}//t:surrogates//t:idno[@type='reel']") == "83"


def test_parse_date_reads_its_longest_forms_and_stops_early_on_sentences() -> None:
    from edition.dates import parse_date

    # The longest forms the patterns take, with a trailing full stop as its own word.
    assert parse_date("15 . XII . 1955 г. .").when == "1955-12-15"  # type: ignore[union-attr]
    assert parse_date("15th of December, 1955 года .").when == "1955-12-15"  # type: ignore[union-attr]
    assert parse_date("  15\n December\t1955 ").when == "1955-12-15"  # type: ignore[union-attr]
    # A paragraph that starts with a date is not one.
    assert parse_date("15 December 1955 the committee met again and decided to act at once") is None


def test_parse_date_reads_approximate_abbreviated_and_numeric_dates() -> None:
    from edition.dates import parse_date

    def read(text: str) -> tuple[str | None, str] | None:
        date = parse_date(text)
        return None if date is None else (date.when, date.cert)

    # An estimate is a date of low certainty, not "not a date".
    assert read("circa 1957") == ("1957", "low")
    assert read("c. 1957") == ("1957", "low")
    assert read("ca. July 1957") == ("1957-07", "low")
    assert read("около 1957 г.") == ("1957", "low")
    assert read("1957-?") == ("1957", "low")
    assert read("July 7, 1957?") == ("1957-07-07", "low")
    assert read("circa 9 July [[195]]7") == ("1957-07-09", "low")
    # Russian abbreviated months, and the numeric day.month.year of Soviet paperwork.
    assert read("16 дек. 1955") == ("1955-12-16", "high")
    assert read("5 сент. 1957 г.") == ("1957-09-05", "high")
    assert read("16.12.1955") == ("1955-12-16", "high")
    assert read("31.02.1955") is None
    assert read("circa") is None and read("Who? 1957?") is None


def test_parse_date_reads_periods_as_ranges_and_a_part_of_a_year_as_the_year() -> None:
    from edition.dates import parse_date

    def read(text: str) -> tuple[str | None, str | None, str | None, str] | None:
        date = parse_date(text)
        return None if date is None else (date.when, date.not_before, date.not_after, date.cert)

    assert read("1957-1958") == (None, "1957", "1958", "high")
    assert read("1957–58") == (None, "1957", "1958", "high")
    assert read("March–April 1953") == (None, "1953-03", "1953-04", "high")
    assert read("май - июнь 1956 г.") == (None, "1956-05", "1956-06", "high")
    assert read("Spring 1957") == (None, "1957-03", "1957-05", "high")
    assert read("the 1950s") == (None, "1950", "1959", "high")
    assert read("1950-е годы") == (None, "1950", "1959", "high")
    assert read("circa 1957-1958") == (None, "1957", "1958", "low")
    assert read("late 1957") == ("1957", None, None, "high")
    assert read("mid-1957") == ("1957", None, None, "high")
    # Not periods: the wrong way round, a month that is none, an ISO month.
    assert read("1958-1957") is None and read("Smarch–April 1953") is None
    assert read("1957-12") == ("1957-12", None, None, "high")


def test_a_capture_dated_by_a_period_keeps_its_title_and_valid_header(tmp_path: Path) -> None:
    from edition.convert import convert_all
    from edition.validate import get_validator

    source = tmp_path / "period.txt"
    source.write_text(
        "Skip to content\n\n1957-1958\n\nNotes on the Party School\n\n\nThe school opened.\n\n\n"
        "A summary.\n\n\nDocument Information\n\n\nRecord ID\n\n\n4711\n",
        encoding="utf-8",
    )
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None, outcome.error
    tree = etree.parse(str(outcome.target))
    dates = tree.xpath("//t:origDate | //t:correspAction/t:date | //t:creation/t:date", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert dates and all((d.get("when"), d.get("notBefore"), d.get("notAfter"), d.text) == (None, "1957", "1958", "1957-1958")
                         for d in dates)
    assert tree.xpath("string(//*[local-name()='titleStmt']/*[local-name()='title'])") == "Notes on the Party School"
    errors = [f for f in get_validator(("edition", "schematron")).validate_file(outcome.target) if f.severity == "error"]
    assert errors == []


def test_parse_date_reads_days_of_a_month_weekdays_slashes_and_a_supplied_date() -> None:
    from edition.dates import is_undated, parse_date

    def read(text: str) -> tuple[str | None, str | None, str | None, str] | None:
        date = parse_date(text)
        return None if date is None else (date.when, date.not_before, date.not_after, date.cert)

    assert read("December 16-17, 1955") == (None, "1955-12-16", "1955-12-17", "high")
    assert read("16–17 December 1955") == (None, "1955-12-16", "1955-12-17", "high")
    assert read("16-17 декабря 1955 г.") == (None, "1955-12-16", "1955-12-17", "high")
    assert read("December 17-16, 1955") is None
    assert read("Monday, December 16, 1955") == ("1955-12-16", None, None, "high")
    assert read("понедельник, 16 декабря 1955 г.") == ("1955-12-16", None, None, "high")
    assert read("Sunday 1955") is None  # a day of the week with a year alone is no date
    assert read("Dec.16,1955") == ("1955-12-16", None, None, "high")
    assert read("16/12/1955") == ("1955-12-16", None, None, "high")
    assert read("12/16/1955") == ("1955-12-16", None, None, "high")
    assert read("05/06/1955") is None  # the fifth of June or the sixth of May: not guessed
    # A date the editors supplied whole is theirs, as a supplied part of one is.
    assert read("[December 16, 1955]") == ("1955-12-16", None, None, "medium")
    # Azerbaijani months, Latin and Cyrillic, as printed and in the genitive; an English
    # word that only looks like one is none.
    assert read("2 avqust 1955") == ("1955-08-02", None, None, "high")
    assert read("3 martın 1956") == ("1956-03-03", None, None, "high")
    assert read("12 ијун 1955 г.") == ("1955-06-12", None, None, "high")
    assert read("5 Martin 1955") is None
    assert [is_undated(t) for t in ("Undated", "n.d.", "[undated]", "No date", "без даты", "б/д")] == [True] * 6
    assert not is_undated("Undated memorandum") and not is_undated("Notes")


@pytest.mark.parametrize("printed, attrs", [
    ("Monday, December 16, 1955", {"when": "1955-12-16"}),
    ("December 16-17, 1955", {"notBefore": "1955-12-16", "notAfter": "1955-12-17"}),
    ("[December 16, 1955]", {"when": "1955-12-16", "cert": "medium"}),
    ("Undated", {}),
])
def test_a_capture_keeps_its_title_whatever_its_date_line_says(tmp_path: Path, printed: str, attrs: dict[str, str]) -> None:
    # A date line the reader did not know became the title, and the title a paragraph of
    # the body: valid TEI, a lossless check, and a wrong header.
    from edition.convert import convert_all
    from edition.validate import get_validator

    source = tmp_path / "dated.txt"
    source.write_text(
        f"Skip to content\n\n{printed}\n\nNotes on the Party School\n\n\nThe school opened.\n\n\n"
        "A summary.\n\n\nDocument Information\n\n\nRecord ID\n\n\n4711\n",
        encoding="utf-8",
    )
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None, outcome.error
    tree = etree.parse(str(outcome.target))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert tree.xpath("string(//t:titleStmt/t:title)", namespaces=ns) == "Notes on the Party School"
    dates = tree.xpath("//t:origDate | //t:correspAction/t:date | //t:creation/t:date", namespaces=ns)
    assert dates and all((d.text, dict(d.attrib)) == (printed, attrs) for d in dates)
    assert tree.xpath("//t:body//t:p[. = 'Notes on the Party School']", namespaces=ns) == []
    errors = [f for f in get_validator(("edition", "schematron")).validate_file(outcome.target) if f.severity == "error"]
    assert errors == []


def test_dates_are_found_in_running_text_and_only_where_there_are_digits() -> None:
    """find_dates and parse_date skip text without a digit: every pattern needs one."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edition import dates
    from edition.dates import _SEARCH_PATTERNS, find_dates, parse_date

    whole = [dates._ISO, dates._NUMERIC, dates._DAY_MONTH_YEAR, dates._MONTH_DAY_YEAR, dates._NUMERIC_ROMAN, dates._MONTH_YEAR, dates._YEAR]

    found = find_dates("Sent 9 December 1941; received December 10, 1941 and filed 15.XII.1955 г.")
    assert [d.when for _, _, d in found] == ["1941-12-09", "1941-12-10", "1955-12-15"]
    # Words the patterns are made of, in any order, but no digit of any script.
    pieces = ["December", "декабря", "года", "г.", "XII", "IV", ".", ",", " ", "of", "th", "[", "]", "May", "1", "٣"]

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=14))
    def check(parts: list[str]) -> None:
        text = "".join(parts)
        searched = sorted((m.start(), m.end()) for p in _SEARCH_PATTERNS for m in p.finditer(text))
        if not any(c.isdigit() for c in text):
            assert searched == [] and find_dates(text) == []
            # parse_date answers None at once; none of its patterns could have said otherwise.
            assert parse_date(text) is None and not any(p.match(text.strip().rstrip(".").strip()) for p in whole)
        else:  # where there are digits, the patterns are searched as before
            assert {(s, e) for s, e, _ in find_dates(text)} <= set(searched)

    check()


def test_the_date_search_patterns_find_what_their_word_boundary_forms_find() -> None:
    """The search patterns open with a character class and a lookbehind (the engine skips
    to candidates); they match exactly where the plain "\\b" forms match."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edition.dates import _SEARCH_PATTERNS

    plain = [
        re.compile(r"\b(?:\d{4}\.\s+[^\W\d_]+\.?\s+\d{1,2}|"
                   r"\d{1,2}(?:\.(?!\s*[IVX]{1,4}\s))?\s+(?:tháng\s+\d{1,2}|[^\W\d_]+\.?),?\s+(?:năm\s+)?(?:\[\[?\d+\]\]?)?\d{1,4}"
                   r"(?:\s*(?:года|г\.?|roku|r\.?|року|р\.?|میلادی|م)|\.?\s+(?:године|godine))?)(?![^\W_])"),
        re.compile(r"\b[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}\b"),
        re.compile(r"\b\d{1,2}\s*\.\s*[IVX]{1,4}\s*\.\s*\d{2,4}(?:\s*г\.?)?(?![^\W_])"),
    ]
    pieces = ["December", "Dec", "декабря", "года", "г.", "XII", "IV", ".", ",", " ", "\n", "of", "th", "[", "]", "[[", "]]",
              "May", "1", "9", "12", "1955", "٣", "a", "_", "Ж", "-", "x1"]

    def spans(patterns: list[re.Pattern[str]], text: str) -> list[list[tuple[int, int]]]:
        return [[m.span() for m in p.finditer(text)] for p in patterns]

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.sampled_from(pieces), max_size=16).map("".join))
    def check(text: str) -> None:
        assert spans(_SEARCH_PATTERNS, text) == spans(plain, text)

    check()
    for text in ("9 December 1941", "a9 December 1941", "_9 December 1941", "Sent December 10, 1941", "xDecember 10, 1941",
                 "15.XII.1955 г.", "115.XII.1955", "Ж15.XII.1955", "٣9 May 1955", "7. Juli 1957", "a7. Juli 1957",
                 "13. I 56", "1957. július 7.", "a1957. július 7.", "ngày 7 tháng 7 năm 1957", "7 tháng 7",
                 "٧ يوليو ١٩٥٧م", "٧ يوليو ١٩٥٧ من"):
        assert spans(_SEARCH_PATTERNS, text) == spans(plain, text), text


@pytest.mark.parametrize("text, found", [
    # A space lost after the year: a date element ending inside "1957Moscow" cut the word.
    ("Moscow, 7 July 1957Moscow", []),
    ("adopted on 7 July 1957by the plenum", []),
    ("filed 15.XII.1955to the archive", []),
    # The Russian year's letter, with or without its full stop, belongs to the date.
    ("Москва, 7 июля 1957г", ["7 июля 1957г"]),
    ("Москва, 7 июля 1957 г., 12 ч.", ["7 июля 1957 г."]),
    ("Москва, 7.VII.1957г", ["7.VII.1957г"]),
    ("Moscow, 7 July 1957.", ["7 July 1957"]),
])
def test_a_date_found_in_text_ends_where_a_word_does(text: str, found: list[str]) -> None:
    from edition.dates import find_dates

    assert [text[s:e] for s, e, _ in find_dates(text)] == found


@pytest.mark.parametrize("line", ["Moscow, 7 July 1957Moscow", "Москва, 7 июля 1957г", "Resolution adopted on 7 July 1957by the plenum"])
def test_a_date_glued_to_a_word_in_the_body_loses_no_word(tmp_path: Path, line: str) -> None:
    from edition import fidelity
    from edition.convert import convert_source

    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_30e4ef367cf143dd.txt"
    text = seed.read_text(encoding="utf-8").replace("7 July 1957\n\n[to the archives]", f"{line}\n\n[to the archives]")
    path = tmp_path / "glued.txt"
    path.write_text(text, encoding="utf-8")
    doc, tei = convert_source(path)
    report = fidelity.check_document(doc, text, etree.fromstring(tei), path, path)
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))


@pytest.mark.parametrize("seed, date, glued, when, title", [
    ("000_30e4ef367cf143dd.txt", "July 7, 1957", "Moscow", "1957-07-07",
     "Resolution of the Central Committee of the People's Party of Iran about the Anti-Party Group"),
    ("001_3513ceab21f1a9d6.txt", "December 9, 1941", "Kuybyshev", "1941-12-09",
     "Cable from Dimitrov to Stalin, Molotov, Beria, and Malenkov"),
    ("003_73142493423ae5fc.txt", "December 16, 1955", "Moscow", "1955-12-16",
     "Letter to the CPSU Central Committee, Request from Radmanesh for Iskanderi and Rust"),
])
def test_a_date_glued_to_a_word_in_the_header_date_slot_is_the_date(tmp_path: Path, seed: str, date: str, glued: str,
                                                                    when: str, title: str) -> None:
    # "July 7, 1957Moscow" (a space lost) in the slot of the document's date was no date:
    # the line became the title, and the title a paragraph of the body (or, in the Markdown
    # export, the title's first words). The slot's whole line is the date's printed form.
    from edition import fidelity

    text = (SEEDS / seed).read_text(encoding="utf-8").replace(date, date + glued, 1)
    path = tmp_path / ("glued.md" if seed.startswith("003") else "glued.txt")
    path.write_text(text, encoding="utf-8")
    doc, tei = convert_source(path, "wilson")
    tree = etree.fromstring(tei)
    assert one(tree, "//t:titleStmt/t:title") == title
    dates = tree.xpath("//t:origDate | //t:creation/t:date", namespaces=NS)
    assert [(d.text, d.get("when")) for d in dates] == [(date + glued, when)]
    assert tree.xpath("//t:body//t:p[starts-with(., $t)]", t=title[:30], namespaces=NS) == []
    report = fidelity.check_document(doc, text, tree, path, path)
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))
    if seed.startswith("003"):  # the citation, printing the date without the word, still names the publisher
        assert one(tree, "//t:sourceDesc/t:bibl[@type='export']/t:publisher") == "Wilson Center Digital Archive"


def test_only_a_capitalised_word_glued_to_a_date_leaves_it_a_date() -> None:
    from edition.dates import slot_date

    assert slot_date("July 7, 1957Moscow") is not None
    assert slot_date("16 декабря 1955 г.Москва") is not None
    assert slot_date("July 7, 1957moscow") is None  # a word of the date's own, for all anyone can tell
    assert slot_date("Resolution of 1957") is None


XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_every_keywords_scheme_names_a_taxonomy_of_the_file(seed001: etree._Element) -> None:
    # keywords/@scheme is a pointer (TEI 2.3.7): "#edition-doctype" must name a taxonomy
    # that encodingDesc/classDecl declares, or it points at nothing.
    schemes = all_of(seed001, "//t:textClass/t:keywords/@scheme")
    assert schemes == ["#edition-doctype", "#edition-classification"]
    taxonomies = seed001.xpath("//t:encodingDesc/t:classDecl/t:taxonomy", namespaces=NS)
    assert [f"#{t.get(XML_ID)}" for t in taxonomies] == schemes
    assert all(one(t, "t:desc").strip() for t in taxonomies)


def test_a_field_label_becomes_a_taxonomy_id_that_is_an_xml_name(tmp_path: Path) -> None:
    # Markdown field labels are free text; the taxonomy id made from one must be an NCName,
    # and unique even when a label repeats the name of the edition's own vocabularies.
    source = (Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_english.md").read_text(encoding="utf-8")
    source = source.replace(
        "**Contents:**",
        "**Donor's Note (1990):**\n\nGiven by the family.\n\n**Classification:**\n\nUnclassified\n\n"
        "**Original Classification:**\n\nSecret\n\n**Contents:**",
    )
    path = tmp_path / "labels.md"
    path.write_text(source, encoding="utf-8")
    _, data = convert_source(path, "wilson")
    tree = etree.fromstring(data)
    ids = [t.get(XML_ID) for t in tree.xpath("//t:classDecl/t:taxonomy", namespaces=NS)]
    assert all(re.fullmatch(r"[a-z][a-z0-9-]*", i) for i in ids), ids
    assert len(ids) == len(set(ids))
    assert [s[1:] for s in all_of(tree, "//t:textClass/t:keywords/@scheme")] == ids
    assert one(tree, "//t:keywords[t:term='Given by the family.']/@scheme") == "#edition-donor-s-note-1990"
    assert one(tree, "//t:keywords[t:term='Secret']/@scheme") == "#edition-classification"
    assert one(tree, "//t:keywords[t:term='Unclassified']/@scheme") == "#edition-classification-2"


def test_text_lang_names_every_language_of_the_originals(seed004: etree._Element, seed003: etree._Element) -> None:
    # msContents/textLang describes the archival document: the Russian letter of 119698 has an
    # Azerbaijani (Cyrillic) enclosure, which langUsage lists and textLang must not leave out.
    assert all_of(seed004, "//t:body/t:div[@type='original']/@xml:lang") == ["ru", "az-Cyrl"]
    assert one(seed004, f"{MS}/t:msContents/t:textLang/@mainLang") == "ru"
    assert one(seed004, f"{MS}/t:msContents/t:textLang/@otherLangs") == "az-Cyrl"
    # One original: no otherLangs; the English translation is the archive's, not the document's.
    assert one(seed003, f"{MS}/t:msContents/t:textLang/@mainLang") == "ru"
    assert all_of(seed003, f"{MS}/t:msContents/t:textLang/@otherLangs") == []


def test_the_uploaded_date_has_its_iso_form(tmp_path: Path) -> None:
    # DESIGN: every date keeps its printed form as text and gives its ISO form in @when,
    # the export's Original Uploaded Date (bibl type="export") included.
    source = (Path(__file__).resolve().parent / "fixtures" / "convert" / "web_all_fields.txt").read_text(encoding="utf-8-sig")
    for printed, iso in (("2019-05-14", "2019-05-14"), ("May 14, 2019", "2019-05-14")):
        path = tmp_path / "uploaded.txt"
        path.write_text(source.replace("\n2019-05-14\n", f"\n{printed}\n"), encoding="utf-8")
        _, data = convert_source(path, "wilson")
        tree = etree.fromstring(data)
        assert one(tree, "//t:bibl[@type='export']/t:date[@type='uploaded']") == printed
        assert one(tree, "//t:bibl[@type='export']/t:date[@type='uploaded']/@when") == iso


def test_a_date_in_persian_digits_with_a_hijri_year_is_not_read_as_gregorian(tmp_path: Path) -> None:
    from edition.convert import convert_all
    from edition.dates import parse_date
    from edition.validate import get_validator

    # 16.4.1336 of Iran's solar calendar is 7 July 1957; read as Gregorian it was 1336.
    for printed in ("۱۶.۴.۱۳۳۶", "۱۶/۴/۱۳۳۶", "۱۳۳۶", "۱۳۳۵-۱۳۳۶", "١٦.٤.١٣٧٦"):
        assert parse_date(printed) is None, printed
    # Arabic-Indic digits of a Gregorian date are still read.
    assert parse_date("٧/٧/١٩٥٧").when == "1957-07-07"  # type: ignore[union-attr]
    assert parse_date("١٩٥٧").when == "1957"  # type: ignore[union-attr]
    # The Persian letter's closing date line made its dateline disagree with the header's
    # 1957-07-07, so the document failed validation and `make` stopped.
    source = Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_persian_original.md"
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None, outcome.error
    tree = etree.parse(str(outcome.target))
    assert tree.xpath("//t:body//t:date[starts-with(@when, '13')]", namespaces={"t": "http://www.tei-c.org/ns/1.0"}) == []
    errors = [f for f in get_validator(("edition", "schematron")).validate_file(outcome.target) if f.severity == "error"]
    assert errors == []


def _seed003_titled(tmp_path: Path, title: str) -> bytes:
    """Seed 003 (a Markdown export) converted with its title line replaced by ``title``."""
    source = (SEEDS / "003_73142493423ae5fc.txt").read_text(encoding="utf-8")
    old = "**Letter to the CPSU Central Committee, Request from  \nRadmanesh for Iskanderi and Rust**"
    assert old in source
    path = tmp_path / "titled.md"
    path.write_text(source.replace(old, f"**{title}**"), encoding="utf-8")
    return convert_source(path, "wilson")[1]


def test_a_title_in_the_originals_language_says_so(tmp_path: Path, seed003: etree._Element) -> None:
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.validate import get_validator

    # xml:lang is inherited (TEI 1.3.1.1.3): a title without one on a TEI element with
    # xml:lang="en" is declared English, and oai_dc said dc:title xml:lang="en" of Russian.
    title = "Письмо в ЦК КПСС о поездке Искандери и Руста"
    data = _seed003_titled(tmp_path, title)
    tree = etree.fromstring(data)
    assert one(tree, "//t:titleStmt/t:title[@type='main']") == title
    assert one(tree, "//t:titleStmt/t:title[@type='main']/@xml:lang") == "ru"
    tei = tmp_path / "wilson-119711.xml"
    tei.write_bytes(data)
    assert [f for f in get_validator(("edition", "schematron")).validate_file(tei) if f.severity == "error"] == []
    dc = etree.fromstring(read_entry(tei, Config()).oai_dc)
    dc_title = dc.find("{http://purl.org/dc/elements/1.1/}title")
    assert dc_title is not None and dc_title.text == title
    assert dc_title.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    # A German title of a German letter: its words say so, and the original is German.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "web_untyped_german.txt"
    _, data = convert_source(fixture, "wilson")
    assert one(etree.fromstring(data), "//t:titleStmt/t:title/@xml:lang") == "de"
    # An English title of a Russian letter keeps the English the TEI element declares.
    assert all_of(seed003, "//t:titleStmt/t:title/@xml:lang") == []


def test_an_english_title_without_function_words_is_not_tagged_the_originals_language(tmp_path: Path) -> None:
    # No English function word says nothing of the language: the Latin-script title is
    # the English the TEI element declares, not the declared Russian of the original.
    title = "Radmanesh Request: Iskanderi, Rust, Stalinabad Visit"
    data = _seed003_titled(tmp_path, title)
    tree = etree.fromstring(data)
    assert one(tree, "//t:titleStmt/t:title[@type='main']") == title
    assert all_of(tree, "//t:titleStmt/t:title/@xml:lang") == []


@pytest.mark.parametrize(("original", "title_lang"), [("japanese", "ja"), ("none", "und-Hani")])
def test_a_title_all_in_han_is_not_chinese_by_default(tmp_path: Path, original: str, title_lang: str) -> None:
    # Han alone is written by Chinese, Japanese (kanji) and Korean (hanja): with no Original
    # Language, an all-kanji title of a Japanese letter was tagged zh. It takes the language
    # of the original written with Han; with none, an undetermined language in Han script.
    from edition.validate import get_validator

    source = (Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_chinese_original.md").read_text(encoding="utf-8")
    start, end = source.index("苏联共产党中央委员会："), source.index("To the Central Committee of")
    japanese = ("ソ連共産党中央委員会御中\n\n親愛なる同志諸君、わが党の中央委員会は貴党からの書簡を受け取り、その中で提起された問題を"
                "慎重に検討しました。\n\nわれわれは、両党の代表団がまず東京で予備的な協議を行うことを提案します。\n\n日本共産党中央委員会\n\n")
    text = source[:start] + (japanese if original == "japanese" else "") + source[end:]
    if original == "none":
        text = text.replace("Original Scan\n\nTranslation - English\n\n", "")
    title = "日本共産党中央委員会書簡"
    old = "Letter from the Central Committee of the Chinese Communist Party to the CPSU Central Committee"
    text = text.replace("**Original Language:**\n\nChinese\n\n", "").replace(f"**{old}**", f"**{title}**").replace(f'"{old}"', f'"{title}"')
    path = tmp_path / "kanji-title.md"
    path.write_text(text, encoding="utf-8")
    _, data = convert_source(path, "wilson")
    tree = etree.fromstring(data)
    assert one(tree, "//t:titleStmt/t:title[@type='main']") == title
    assert one(tree, "//t:titleStmt/t:title[@type='main']/@xml:lang") == title_lang
    tei = tmp_path / "wilson-500033.xml"
    tei.write_bytes(data)
    assert [f for f in get_validator(("edition", "schematron")).validate_file(tei) if f.severity == "error"] == []


def test_the_original_archive_field_is_not_a_subject(tmp_path: Path) -> None:
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.fidelity import check_source

    # keywords "contains a list of keywords or phrases identifying the topic or nature of a
    # text" (TEI 2.4.3): the archive holding the original is neither, and oai_dc made it a
    # dc:subject. It is the export's statement about its record, kept as printed.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "web_all_fields.txt"
    archive = "Archive of Foreign Policy of the Russian Federation"
    _, data = convert_source(fixture, "wilson")
    tree = etree.fromstring(data)
    assert all_of(tree, "//t:textClass//t:term") == [
        "telegram", "Top Secret", "Prague (Czechoslovakia)", "Soviet-Czechoslovak relations"]
    assert all_of(tree, "//t:classDecl/t:taxonomy/@xml:id") == [
        "edition-doctype", "edition-classification", "edition-places", "edition-topics"]
    assert one(tree, "//t:sourceDesc/t:bibl[@type='export']/t:note[@type='archive']") == archive
    assert one(tree, f"{MS}/t:msIdentifier/t:repository") == archive
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    tei = tei_dir / "wilson-221133.xml"
    tei.write_bytes(data)
    assert check_source(fixture, tei_dir, "wilson").ok
    dc = etree.fromstring(read_entry(tei, Config()).oai_dc)
    subjects = [e.text for e in dc.iterfind("{http://purl.org/dc/elements/1.1/}subject")]
    assert subjects == ["Prague (Czechoslovakia)", "Soviet-Czechoslovak relations"]


@pytest.mark.parametrize(
    ("title", "senders", "addressees"),
    [
        # "to Baku" is where the delegation goes: Baku was a persName to whom it was sent.
        ("Resolution of the CPSU CC Presidium on the Delegation to Baku", ["CPSU CC Presidium"], []),
        # "from Iran" is where the troops leave: Iran was the report's sender.
        ("Report on the Withdrawal of Soviet Troops from Iran", [], []),
        # Correspondents named before the subject are still read.
        ("Letter from Kozlov to Khrushchev on the Delegation to Baku", ["Kozlov"], ["Khrushchev"]),
    ],
)
def test_a_place_in_the_titles_subject_is_no_correspondent(tmp_path: Path, title: str, senders: list[str],
                                                          addressees: list[str]) -> None:
    # correspAction "contains a structured description of the place, the name of a person/
    # organization and the date related to the sending/receiving of a message" (TEI 2.4.6):
    # correspondence aggregators harvest its names as the letter's writer and recipient.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "web_fond89.txt"
    source = fixture.read_text(encoding="utf-8")
    printed = "Resolution of the CPSU CC Presidium on the Delegation to Baku"
    assert printed in source
    path = tmp_path / "fond89.txt"
    path.write_text(source.replace(printed, title), encoding="utf-8")
    _, data = convert_source(path, "wilson")
    tree = etree.fromstring(data)
    agents = "*[self::t:persName or self::t:orgName]"
    assert all_of(tree, f"//t:correspAction[@type='sent']/{agents}") == senders
    assert all_of(tree, f"//t:correspAction[@type='received']/{agents}") == addressees


def test_a_labelled_funder_field_is_the_funder_not_a_subject(tmp_path: Path, seed001: etree._Element) -> None:
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.fidelity import check_source

    # funder "specifies the name of an individual, institution, or organization responsible
    # for the funding of a project or text" (TEI 2.2.1). A Funder field became a keywords
    # term, a subject of the document (and oai_dc's dc:subject); the page's funder sentence
    # of seed 001 was already titleStmt/funder.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_english.md"
    source = fixture.read_text(encoding="utf-8")
    path = tmp_path / "funder.md"
    path.write_text(source.replace("**Contents:**", "**Funder:**\n\nLeon Levy Foundation\n\n**Contents:**"), encoding="utf-8")
    _, data = convert_source(path, "wilson")
    tree = etree.fromstring(data)
    assert all_of(tree, "//t:titleStmt/t:funder") == ["Leon Levy Foundation"]
    assert all_of(tree, "//t:textClass//t:term") == ["memorandum"]
    assert all_of(seed001, "//t:titleStmt/t:funder") == ["Leon Levy Foundation"]
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    tei = tei_dir / "wilson-300001.xml"
    tei.write_bytes(data)
    assert check_source(path, tei_dir, "wilson").ok
    dc = etree.fromstring(read_entry(tei, Config()).oai_dc)
    assert [e.text for e in dc.iterfind("{http://purl.org/dc/elements/1.1/}subject")] == []


def test_the_archives_acronym_names_the_repository_not_the_document(tmp_path: Path) -> None:
    import json

    from lxml import html as lxml_html

    from edition.build import build_site
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.render import BuildContext
    from edition.validate import get_validator

    # idno, collection, altIdentifier and msName "provide different ways of identifying the
    # manuscript within its holding institution" (TEI 10.4): idno type="acronym" told a
    # harvester the letter's shelfmark was "RGANI". The acronym is the repository's key.
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    _, data = convert_source(SEEDS / "003_73142493423ae5fc.txt", "wilson")
    tei = tei_dir / "wilson-119711.xml"
    tei.write_bytes(data)
    tree = etree.fromstring(data)
    assert all_of(tree, f"{MS}/t:msIdentifier/t:idno/@type") == ["fond", "opis", "delo"]
    assert all_of(tree, f"{MS}/t:msIdentifier/t:repository/@key") == ["RGANI"]
    assert one(tree, f"{MS}/t:msIdentifier/t:repository") == "Russian State Archive of Contemporary History"
    assert [f.format() for f in get_validator(("edition", "schematron")).validate_file(tei)] == []
    # ed-archival-parts holds the key to the verbatim citation as it did the idno.
    wrong = tmp_path / "wrong" / "wilson-119711.xml"
    wrong.parent.mkdir()
    wrong.write_bytes(data.replace(b'key="RGANI"', b'key="GARF"'))
    assert [f.rule for f in get_validator(("schematron",)).validate_file(wrong)] == ["ed-archival-parts"]
    # Every output reads the acronym where it now is, and says what it said.
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=tei_dir, out_dir=site, base_url="https://edition.example.org/"))
    page = lxml_html.parse(str(site / "documents" / "wilson-119711.html"))
    row = page.xpath("//div[@class='meta-row'][dt='Reference']/dd")[0]
    assert " ".join(row.text_content().split()) == "RGANI, f. 5, op. 28, d. 347"
    text = " ".join((site / "text" / "wilson-119711.txt").read_text(encoding="utf-8").split())
    assert "Archive: Russian State Archive of Contemporary History (Moscow, Russia); RGANI, f. 5, op. 28, d. 347" in text
    item = json.loads((site / "cite" / "wilson-119711.json").read_text(encoding="utf-8"))[0]
    assert (item["archive"], item["archive_location"]) == (
        "Russian State Archive of Contemporary History (RGANI)", "f. 5, op. 28, d. 347, reel 83")
    sets = {s.spec: s.name for s in read_entry(tei, Config()).sets}
    assert sets["archive:rgani"] == "Russian State Archive of Contemporary History (RGANI)"


@pytest.mark.parametrize("name, text_lang, note", [
    # The page shows an English text, names no translator and no original language: it may
    # be the archive's translation of a Russian or Georgian original, so no textLang.
    ("web_fond89.txt", [], "Language of the transcription (en): Latin script; 5 English function words in 11 words;"
     " the page shows one text and names no translator; the export does not say whether this is the original"
     " or a translation, so the original's language is not known."),
    ("web_named_archive.txt", [], "Language of the transcription (en): Latin script; 3 English function words in 9"
     " words; the page shows one text and names no translator; the export does not say whether this is the"
     " original or a translation, so the original's language is not known."),
    # A German text is not the archive's English translation: the original's language. Its
    # note said "the page shows the English text only".
    ("web_untyped_german.txt", ["de"], "Language of the transcription (de): Latin script; 3 German function words"
     " in 13 words; the page shows one text and names no translator; not in English, the language of the"
     " archive's translations, so in the original's."),
])
def test_a_text_the_export_does_not_call_the_original_claims_no_original_language(
        tmp_path: Path, name: str, text_lang: list[str], note: str) -> None:
    from edition.catalog_entries import read_entry
    from edition.config import Config

    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / name
    doc, data = convert_source(fixture, "wilson")
    tree = etree.fromstring(data)
    assert all_of(tree, f"{MS}/t:msContents/t:textLang/@mainLang") == text_lang
    assert all_of(tree, "//t:editorialDecl/t:p[not(@n='doctype')]") == [note]
    tei = tmp_path / f"{doc.id}.xml"
    tei.write_bytes(data)
    # The catalog's lang: sets are the original's languages.
    assert [s.spec for s in read_entry(tei, Config()).sets if s.spec.startswith("lang")] == (
        ["lang", *(f"lang:{code}" for code in text_lang)] if text_lang else [])


def test_a_declared_or_translated_original_keeps_its_language(seed002: etree._Element) -> None:
    # The export that names its original's language (English here) or a translator says
    # what the text is; their notes and textLang are as they were.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "web_all_fields.txt"
    _, data = convert_source(fixture, "wilson")
    tree = etree.fromstring(data)
    assert all_of(tree, f"{MS}/t:msContents/t:textLang/@mainLang") == ["ru"]
    assert all_of(seed002, "//t:editorialDecl/t:p[@n='en']") == [
        "Language of the translation (en): the page shows the English text only; translator named in the citation."]
    path = Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_english.md"
    _, data = convert_source(path, "wilson")
    assert all_of(etree.fromstring(data), "//t:editorialDecl/t:p[@n='en']") == [
        "Language of the transcription (en): declared Original Language: English; Latin script;"
        " 5 English function words in 12 words."]


def test_an_office_without_a_name_is_a_role_name_not_a_persname(tmp_path: Path) -> None:
    import json

    from edition.build import build_site
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.render import BuildContext
    from edition.validate import get_validator

    # "Letter from the Ambassador to ...": persName "contains a proper noun or proper-noun
    # phrase referring to a person"; an office without a name is a roleName, which
    # "indicates that the referent has a particular role or position in society, such as an
    # official title or rank" (TEI 13.2.1), and correspAction may hold one (model.nameLike).
    fixture = Path(__file__).resolve().parent / "fixtures" / "robust" / "russian_letter.md"
    doc, data = convert_source(fixture, "wilson")
    tree = etree.fromstring(data)
    sent = "//t:correspAction[@type='sent']"
    assert all_of(tree, f"{sent}/t:roleName") == ["Ambassador"]
    assert all_of(tree, "//t:correspDesc//t:persName") == []
    assert all_of(tree, "//t:correspAction[@type='received']/t:orgName") == ["Ministry of Foreign Affairs"]
    tei_dir = tmp_path / "tei"
    tei_dir.mkdir()
    tei = tei_dir / f"{doc.id}.xml"
    tei.write_bytes(data)
    assert [f.format() for f in get_validator(("edition", "schematron")).validate_file(tei)] == []
    # The office stays the author and the creator, whole: not a person whose family name is
    # "Ambassador".
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=tei_dir, out_dir=site, base_url="https://edition.example.org/"))
    item = json.loads((site / "cite" / f"{doc.id}.json").read_text(encoding="utf-8"))[0]
    assert item["author"] == [{"literal": "Ambassador"}]
    assert "From</dt><dd>Ambassador</dd>" in (site / "documents" / f"{doc.id}.html").read_text(encoding="utf-8")
    dc = etree.fromstring(read_entry(tei, Config()).oai_dc)
    assert [e.text for e in dc.iterfind("{http://purl.org/dc/elements/1.1/}creator")] == ["Ambassador"]


@pytest.mark.parametrize("title, senders", [
    ("Letter from the Soviet Ambassador to the Ministry of Foreign Affairs", [("office", None, "Soviet Ambassador")]),
    ("Letter from the CPSU CC Secretary to the Embassy", [("office", None, "CPSU CC Secretary")]),
    # A name after the office: a person, the office kept apart (as before).
    ("Letter from Ambassador Ivanov to the Ministry", [("person", "Ambassador", "Ivanov")]),
    # A body whose name ends in "General" is a body.
    ("Cable from the Soviet Consulate General to the Ministry", [("org", None, "Soviet Consulate General")]),
])
def test_an_office_a_person_and_a_body_in_a_title(title: str, senders: list[tuple[str, str | None, str]]) -> None:
    from edition.sources.metadata import correspondents_from_title

    found, _ = correspondents_from_title(title, "letter")
    assert [(a.kind, a.role_name, a.name) for a in found] == senders


@pytest.mark.parametrize("declared", ["Klingon", "Polish\nPolish"])
def test_an_original_language_the_edition_cannot_name_is_kept_as_printed(tmp_path: Path, declared: str) -> None:
    # A language name the edition has no code for (or a value printed twice on its lines)
    # made no textLang and vanished from the TEI: `edition check` reported its words lost.
    from edition.convert import convert_all
    from edition.fidelity import check_source

    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "markdown_polish_original.md"
    text = fixture.read_text(encoding="utf-8")
    assert "**Original Language:**\n\nPolish\n" in text
    source = tmp_path / "src" / fixture.name
    source.parent.mkdir()
    source.write_text(text.replace("**Original Language:**\n\nPolish\n", f"**Original Language:**\n\n{declared}\n"), encoding="utf-8")
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None, outcome.error
    tree = etree.parse(str(tmp_path / "tei" / f"{outcome.doc_id}.xml")).getroot()
    printed = " ".join(declared.split())
    assert all_of(tree, "//t:editorialDecl/t:p[@n='original-language']") == [
        f"The export names the original's language \"{printed}\", which the edition has no language code for:"
        " no textLang records it."]
    report = check_source(source, tmp_path / "tei", id_prefix="wilson")
    assert report.ok, report.lines


@pytest.mark.parametrize(("printed", "bounds"), [
    ("12", {"from": "12", "to": "12"}),
    ("12-14", {"from": "12", "to": "14"}),
    ("3–4", {"from": "3", "to": "4"}),
    ("12 об.", {"from": "12v", "to": "12v"}),
    ("12-14 ob.", {"from": "12", "to": "14v"}),
    ("1, 3-5", {}),  # a list of leaves: the locus's text says it
])
def test_a_locus_gives_the_first_and_last_leaf_normalised(printed: str, bounds: dict[str, str]) -> None:
    from edition.tei_header import _locus_range

    assert _locus_range(printed) == bounds
