"""One test per export shape, on small fixtures written for the variations."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.errors import SourceError
from edition.model import Document
from edition.sources import detect_shape, read_source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"
ROOT = Path(__file__).resolve().parent.parent


# Seed 000's archival citation: its reference, and the reference with the collection and
# reel after it. Tests of other archives' citations put theirs in its place.
SEED_000 = ROOT / "seeds" / "000_30e4ef367cf143dd.txt"
SEED_000_REFERENCE = "RGANI, f. 5, op. 30, d. 189."
SEED_000_CITATION = SEED_000_REFERENCE + " General Department of the Central Committee, 1953-1966, microfilm, reel 44."


def seed_000_citing(tmp_path: Path, reference: str, replacing: str = SEED_000_CITATION) -> tuple[Document, bytes, Path]:
    """Seed 000 with ``replacing`` (its whole citation) replaced by ``reference``, converted
    with the prefix wilson: the document, its TEI, and the TEI written to ``tmp_path``."""
    text = SEED_000.read_text(encoding="utf-8")
    assert replacing in text
    path = tmp_path / "cited.txt"
    path.write_text(text.replace(replacing, reference), encoding="utf-8")
    return converted(path, tmp_path)


def converted(source: Path, tmp_path: Path) -> tuple[Document, bytes, Path]:
    """``source`` converted with the prefix wilson: the document, its TEI, and the TEI
    written to ``tmp_path`` (where the Schematron and the CSL mapping read it)."""
    from edition.convert import convert_source

    doc, tei = convert_source(source, "wilson")
    out = tmp_path / f"{doc.id}.xml"
    out.write_bytes(tei)
    return doc, tei, out


def schematron_errors(tei: Path) -> list[str]:
    """The errors of the edition's RELAX NG and Schematron on the TEI file ``tei``."""
    from edition.validate import get_validator

    return [f.format() for f in get_validator(("edition", "schematron")).validate_file(tei) if f.severity == "error"]


def test_web_page_with_every_field_crlf_and_bom() -> None:
    doc = read_source(FIXTURES / "web_all_fields.txt", "wilson")
    m = doc.metadata
    assert doc.source.shape == "web-page"
    assert doc.source.encoding_note == "UTF-8 with byte-order mark"
    assert doc.id == "wilson-221133"
    assert m.record_id == "221133"
    assert m.date is not None and m.date.when == "1962-03-03"
    assert m.doc_type == "telegram" and m.doc_type_evidence == "Type field: Telegram"
    assert m.classification == "Top Secret"
    assert m.original_language == "Russian"
    assert m.uploaded == "2019-05-14"
    assert m.authors == ["Zimyanin, Mikhail"]
    assert m.keywords["places"] == ["Prague (Czechoslovakia)"]
    assert m.keywords["topics"] == ["Soviet-Czechoslovak relations"]
    assert m.rights is not None and m.rights.startswith("Reuse is welcome")
    assert m.archive is not None
    assert (m.archive.repository_acronym, m.archive.fond, m.archive.opis, m.archive.delo, m.archive.folio) == (
        "AVPRF", "0138", "43", "12", "4-6",
    )
    # "Obtained and translated by X": one person, both roles.
    assert m.translators == ["Anna Petrova"] and m.contributors == ["Anna Petrova"]
    assert [a.name for a in m.senders] == ["Soviet Embassy in Prague"]
    assert [a.name for a in m.addressees] == ["Ministry of Foreign Affairs"]
    assert m.summary == "A telegram on talks in Prague."
    (part,) = doc.parts
    assert part.role == "translation" and part.lang == "en"
    assert part.paragraphs[-1] == "Ambassador [signed] A. Zimyanin"
    # No carriage return survives decoding.
    assert all("\r" not in p for p in part.paragraphs)


def test_line_capture_with_footer_cut_short() -> None:
    doc = read_source(FIXTURES / "line_cut_footer.txt")
    m = doc.metadata
    assert doc.source.shape == "line-per-paragraph"
    assert doc.id == "doc-1950-05-01-report-on-the-may-day-parade-in-beijing"
    assert m.doc_type == "report"
    assert m.summary == "A short report on the parade."
    assert doc.parts[0].paragraphs == [
        "The parade began at 10 a.m. and lasted three hours.",
        "About half a million people took part.",
    ]
    assert m.record_id is None and m.archive is None and m.rights is None


def test_line_capture_with_values_beside_their_labels() -> None:
    """"Record ID: 221140" on one line: the value is read, and the fidelity check
    (tests/test_convert_valid.py runs it on every fixture) does not look for the
    label's words in the header, as it does not for a label on a line of its own."""
    doc = read_source(FIXTURES / "line_inline_fields.txt", "wilson")
    m = doc.metadata
    assert doc.source.shape == "line-per-paragraph"
    assert doc.id == "wilson-221140" and m.record_id == "221140"
    assert m.doc_type == "report" and m.original_language == "Russian" and m.uploaded == "2019-05-14"
    assert m.classification == "Secret"
    assert m.archive is not None and (m.archive.repository_acronym, m.archive.fond, m.archive.delo) == ("GARF", "5446", "12")


def test_credited_names_with_middle_initials_are_whole(tmp_path: Path) -> None:
    """"Obtained by Hope M. Harrison": the full stop of the initial ended the names, and
    the header, the catalog and the citations credited "Hope M"."""
    from lxml import etree

    from edition import citation_item

    doc, tei, out = converted(FIXTURES / "line_credit_initials.txt", tmp_path)
    m = doc.metadata
    assert m.contributors == ["Hope M. Harrison"] and m.translators == ["Christian F. Ostermann"]
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert etree.fromstring(tei).xpath("//t:titleStmt/t:respStmt/t:persName/text()", namespaces=ns) == [
        "Christian F. Ostermann", "Hope M. Harrison"]
    assert schematron_errors(out) == []
    item = citation_item.csl_item(out, "https://edition.example.org/")
    assert item["translator"] == [{"family": "Ostermann", "given": "Christian F."}]


def test_a_capture_showing_the_original_alone_is_the_original(tmp_path: Path) -> None:
    """A German protocol under "Language: German", with no translation on the page, was
    the English translation: a div of type translation tagged en over German words."""
    from lxml import etree

    doc, tei, out = converted(FIXTURES / "line_german_original_alone.txt", tmp_path)
    assert [(p.role, p.lang) for p in doc.parts] == [("original", "de")]
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.fromstring(tei)
    (div,) = root.xpath("//t:body/t:div", namespaces=ns)
    assert (div.get("type"), div.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("original", "de")
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=ns) == ["de"]
    assert schematron_errors(out) == []
    # The English text of a page whose original is declared German is still its translation.
    english = read_source(FIXTURES / "web_all_fields.txt", "wilson")
    assert [(p.role, p.lang) for p in english.parts] == [("translation", "en")]


@pytest.mark.parametrize("title, senders", [
    ("Minutes of the Meeting of the Presidium of the Hungarian Working People's Party",
     ["Presidium of the Hungarian Working People's Party"]),
    ("Notes from the Meeting of the Polish United Workers' Party Politburo", ["Polish United Workers' Party Politburo"]),
    ("Minutes of an Expanded Meeting of the CC Presidium", ["CC Presidium"]),
    ("Minutes of the Session between Mao Zedong and N. S. Khrushchev", []),
    # A name that begins with the word is no meeting.
    ("Letter from the Meeting Organizers to Khrushchev", ["Meeting Organizers"]),
])
def test_the_body_that_met_is_the_sender_of_its_minutes(tmp_path: Path, title: str, senders: list[str]) -> None:
    """The minutes of a meeting were sent by "Meeting of the Presidium of ...": a meeting is
    no correspondent, and the citations named it their author."""
    from lxml import etree

    from edition import citation_item

    fixture = FIXTURES / "markdown_hungarian_minutes.md"
    old = "Minutes of the Meeting of the Presidium of the Hungarian Working People's Party"
    path = tmp_path / "minutes.md"
    path.write_text(fixture.read_text(encoding="utf-8").replace(old, title), encoding="utf-8")
    doc, tei, out = converted(path, tmp_path)
    assert [a.name for a in doc.metadata.senders] == senders
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    sent = etree.fromstring(tei).xpath("//t:correspAction[@type='sent']/*[not(self::t:date)]", namespaces=ns)
    assert ["".join(e.itertext()) for e in sent] == senders
    assert schematron_errors(out) == []
    item = citation_item.csl_item(out, "https://edition.example.org/")
    authors = [" ".join(str(v) for v in a.values()) for a in item.get("author", [])]
    assert not any(word in author for author in authors for word in ("Meeting of", "Session"))
    if senders and "Presidium" in senders[0]:
        assert authors == senders


def test_a_sentence_opening_with_comrade_is_no_address(tmp_path: Path) -> None:
    """"Comrade Gomułka opened the meeting." at the top of the notes was the opener's
    address (addrLine), as "Comrade Gomułka" alone would be."""
    from lxml import etree

    doc, tei, out = converted(FIXTURES / "web_polish_notes_range.txt", tmp_path)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.fromstring(tei)
    assert root.xpath("//t:body//t:address", namespaces=ns) == []
    assert [p.text for p in root.xpath("//t:body/t:div/t:p", namespaces=ns)] == [
        "Comrade Gomułka opened the meeting.", "The situation in Hungary was discussed at length."]
    # The three days of the meeting are the date's range.
    (date,) = root.xpath("//t:origDate", namespaces=ns)
    assert (date.get("notBefore"), date.get("notAfter")) == ("1956-11-03", "1956-11-05")
    assert schematron_errors(out) == []


def test_a_short_original_is_in_the_language_of_its_words_together(tmp_path: Path) -> None:
    """A German protocol of 23 words, one paragraph of them "Die Lage in Berlin." (its
    "in" read as English): smoothed paragraph by paragraph, the whole became English,
    a div of type original tagged en, though its words together are German."""
    from lxml import etree

    doc, tei, out = converted(FIXTURES / "line_german_short_protocol.txt", tmp_path)
    assert [(p.role, p.lang) for p in doc.parts] == [("original", "de")]
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.fromstring(tei)
    assert root.xpath("//t:body/t:div/@xml:lang", namespaces=ns) == ["de"]
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=ns) == ["de"]
    assert schematron_errors(out) == []


def test_export_naming_no_document_type_is_typed_other() -> None:
    # No Type field and a title without a type word: the schema still wants one type.
    doc = read_source(FIXTURES / "web_untyped_german.txt", "wilson")
    assert doc.metadata.doc_type == "other"
    assert doc.metadata.doc_type_evidence == "absence of a Type field or a type word in the title"


def test_archive_cited_by_full_name_or_without_repository() -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    def split(text: str) -> tuple[str | None, ...]:
        span = find_archive_reference(text)
        assert span is not None, text
        a = split_archive_citation(text[span[0] : span[1]])
        return a.verbatim, a.repository_acronym, a.repository_name, a.fond, a.opis, a.delo, a.folio

    # The last word of a name is not an acronym ("Georgia" was written as one).
    assert split("National Archives of Georgia, f. 14, op. 2, d. 5") == (
        "National Archives of Georgia, f. 14, op. 2, d. 5", None, "National Archives of Georgia", "14", "2", "5", None
    )
    assert split("Russian State Archive of Contemporary History, f. 5, op. 30, d. 189")[1] == "RGANI"
    # A reference without a repository is still one; a one-digit folio is still a folio.
    assert split("f. 1, op. 2, d. 3") == ("f. 1, op. 2, d. 3", None, None, "1", "2", "3", None)
    assert split("RGASPI, f. 17, op. 3, d. 1, l. 5.")[1:] == (
        "RGASPI", "Russian State Archive of Socio-Political History", "17", "3", "1", "5"
    )
    assert find_archive_reference("see f. 1 here") is None
    # A sentence before a full stop is not a repository; an acronym before one is.
    assert split("Found in 1992. f. 3, op. 1, d. 2")[1:4] == (None, None, "3")
    assert split("RGANI. f. 5, op. 28, d. 347")[1:4] == ("RGANI", "Russian State Archive of Contemporary History", "5")


@pytest.mark.parametrize("text, parts", [
    # The AVP RF's papka (folder) between opis and delo: its "p." was taken for the pages,
    # and the delo after it was lost (the header then failed ed-archival-parts-missing).
    ("AVPRF, f. 0100, op. 46, p. 362, d. 12, ll. 53-54", ("0100", "46", "12", "53-54")),
    ("AVPRF, f. 0138, op. 43, papka 228, d. 12, l. 4", ("0138", "43", "12", "4")),
    ("АВПРФ. Ф. 06. Оп. 10. П. 56. Д. 765. Л. 12", ("06", "10", "765", "12")),
    ("RGANI, f. 5, op. 30, p. 12", ("5", "30", None, "12")),  # no delo after it: a page
    # Labels capitalised, as the Russian style's full stops make them.
    ("RGANI. F. 5. Op. 30. D. 189. L. 3", ("5", "30", "189", "3")),
    ("RGANI, Fond 5, Opis 30, Delo 189", ("5", "30", "189", None)),
])
def test_archive_reference_with_a_papka_or_capitalised_labels(text: str, parts: tuple[str | None, ...]) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.fond, a.opis, a.delo, a.folio) == parts and a.repository_acronym in {"AVPRF", "RGANI"}


@pytest.mark.parametrize("reference, papka, location", [
    # The papka was read past but not kept: in the verbatim citation only, so the CSL,
    # RIS, BibTeX and Chicago citations, made from the parts, cited the delo without it.
    ("AVP RF, f. 06, op. 9, p. 45, d. 678, ll. 12-15ob.", "45", "f. 06, op. 9, p. 45, d. 678, ll. 12-15ob."),
    ("АВПРФ. Ф. 06. Оп. 10. П. 56. Д. 765. Л. 12", "56", "f. 06, op. 10, p. 56, d. 765, l. 12"),
])
def test_the_avp_rfs_papka_is_a_part_of_the_reference_and_of_its_citation(
        tmp_path: Path, reference: str, papka: str, location: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    assert doc.metadata.archive is not None and doc.metadata.archive.papka == papka
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert etree.fromstring(tei).xpath("//t:msIdentifier/t:idno/@type", namespaces=ns) == ["fond", "opis", "papka", "delo"]
    assert len(etree.fromstring(tei).xpath("//t:msContents/t:msItem/t:locus", namespaces=ns)) == 1
    assert schematron_errors(out) == []
    assert citation_item.csl_item(out, "https://edition.example.org/")["archive_location"] == location


@pytest.mark.parametrize("text", [
    "РГАНИ, ф. 5, оп. 28, д. 347, л. 12 об.",
    "РГАНИ. Ф. 5. Оп. 28. Д. 347. Л. 12 об.",
])
def test_archive_cited_in_russian(text: str) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.repository_acronym, a.repository_name, a.settlement) == (
        "RGANI", "Russian State Archive of Contemporary History", "Moscow")
    assert (a.fond, a.opis, a.delo, a.folio) == ("5", "28", "347", "12 об.")


def test_web_page_citing_an_archive_by_name() -> None:
    doc = read_source(FIXTURES / "web_named_archive.txt", "wilson")
    a = doc.metadata.archive
    assert a is not None and a.repository_name == "National Archives of Georgia" and a.repository_acronym is None
    assert (a.fond, a.opis, a.delo, a.folio) == ("14", "2", "5", "7")
    assert doc.metadata.contributors == ["Roham Alvandi"]


def test_markdown_export_of_an_english_original() -> None:
    doc = read_source(FIXTURES / "markdown_english.md", "example")
    m = doc.metadata
    assert doc.source.shape == "markdown"
    assert doc.id == "example-300001"
    assert m.date is not None and m.date.when == "1953-06" and m.date.text == "June 1953"
    assert m.title == "Memorandum for the Record on the Armistice Talks"
    assert m.publisher == "Example Digital Archive"
    assert m.contributors == ["Jane Roe"] and m.translators == []
    # NARA, a repository the splitter knows, cited without a fond: the repository, and the
    # reference within it kept whole as printed (before, no archive at all).
    assert m.citation is not None and "NARA, RG 59, Box 12" in m.citation
    assert m.archive is not None and (m.archive.verbatim, m.archive.repository_acronym, m.archive.shelfmark) == (
        "NARA, RG 59, Box 12.", "NARA", "RG 59, Box 12")
    (part,) = doc.parts
    assert part.role == "transcription" and part.lang == "en"


def test_markdown_export_with_two_translations_has_a_div_for_each(tmp_path: Path) -> None:
    """Tabs "Translation - English" and "Translation - Russian" after a Chinese original:
    only the last tab was kept, so the English translation and the Russian one's first
    line were read as originals, in a div of type original tagged en."""
    from lxml import etree

    doc, tei, out = converted(FIXTURES / "markdown_two_translations.md", tmp_path)
    assert [(p.role, p.lang) for p in doc.parts] == [("original", "zh"), ("translation", "en"), ("translation", "ru")]
    assert doc.parts[1].paragraphs[0] == "Ministry of Foreign Affairs:"
    assert doc.parts[2].paragraphs[0] == "Министерству иностранных дел:"
    ns = {"t": "http://www.tei-c.org/ns/1.0", "xml": "http://www.w3.org/XML/1998/namespace"}
    root = etree.fromstring(tei)
    assert [(d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang"))
            for d in root.xpath("//t:body/t:div", namespaces=ns)] == [
        ("original", "zh"), ("translation", "en"), ("translation", "ru")]
    # The translations are not the manuscript's languages.
    assert root.xpath("//t:msContents/t:textLang/@otherLangs", namespaces=ns) == []
    assert schematron_errors(out) == []


def test_every_line_of_every_seed_is_accounted_for(seeds_dir: Path) -> None:
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = read_source(path)
        lines = path.read_text(encoding="utf-8").split("\n")
        covered = {s.line for s in doc.segments}
        expected = {n for n, line in enumerate(lines, start=1) if line.strip()}
        assert covered == expected, f"{path.name}: unaccounted lines {sorted(expected - covered)[:5]}"


@pytest.mark.parametrize(
    ("name", "shape"),
    [
        ("000_30e4ef367cf143dd.txt", "web-page"),
        ("001_3513ceab21f1a9d6.txt", "line-per-paragraph"),
        ("002_5d82778ebed16f7f.txt", "web-page"),
        ("003_73142493423ae5fc.txt", "markdown"),
        ("004_3b0cce5735f809cf.txt", "markdown"),
    ],
)
def test_seed_shapes(seeds_dir: Path, name: str, shape: str) -> None:
    reader, _ = detect_shape((seeds_dir / name).read_text(encoding="utf-8"))
    assert reader is not None and reader.NAME == shape


@pytest.mark.parametrize("name", ["000_30e4ef367cf143dd.txt", "001_3513ceab21f1a9d6.txt", "003_73142493423ae5fc.txt"])
def test_shape_detection_reads_the_export_once(seeds_dir: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every reader's detector looks at the same lines of the same export: the visible
    text and its lines are made once, not once per reader (three times, a tenth of a
    conversion's reading)."""
    from edition.sources import layout

    text = (seeds_dir / name).read_text(encoding="utf-8")
    seen: list[str] = []
    real = layout.visible

    def counting(value: str) -> str:
        if value is text:
            seen.append(value)
        return real(value)

    monkeypatch.setattr(layout, "visible", counting)
    reader, scores = detect_shape(text)
    assert len(seen) == 1
    # Asked again of an equal text that is another string, the answer is the same.
    assert detect_shape("".join(text)) == (reader, scores) and detect_shape(text[:]) == (reader, scores)


def test_markdown_detection_reads_its_first_line_through_blank_lines_and_invisibles() -> None:
    from edition.sources import markdown

    text = "\n \n\u200b**July 7, 1974**  \n\n**Title**\n\n**Citation:** x\n\n**Contents:**\n\ntext\n"
    assert markdown.detect(text) == pytest.approx(0.3 * 2 + 0.2 + 0.2)
    assert markdown.detect("July 7, 1974\n\nno bold here\n") == 0.0


def test_unknown_shape_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\nwith no date, no title and no fields\n")
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert str(path) in str(err.value) and "no known export shape" in str(err.value)


def test_windows_1251_export_is_detected_and_recorded(tmp_path: Path, seeds_dir: Path) -> None:
    text = (seeds_dir / "003_73142493423ae5fc.txt").read_text(encoding="utf-8")
    legacy = text.encode("cp1251", errors="replace")
    path = tmp_path / "legacy.txt"
    path.write_bytes(legacy)
    doc = read_source(path)
    assert doc.source.encoding == "windows-1251"
    assert "windows-1251" in doc.source.encoding_note
    assert doc.parts[0].paragraphs[0] == "В ЦЕНТРАЛЬНЫЙ КОМИТЕТ КПСС"


@pytest.mark.parametrize("printed", ["circa 1957", "1957-?"])
def test_capture_with_an_approximate_date_keeps_its_title(tmp_path: Path, printed: str) -> None:
    # An unread date line used to become the title, and the title the first body paragraph.
    path = tmp_path / "approximate.txt"
    path.write_text(
        f"Skip to content\n\n{printed}\n\nNote on the Party School\n\n\nThe school opened.\n\n\n"
        "A summary.\n\n\nDocument Information\n\n\nRecord ID\n\n\n4711\n",
        encoding="utf-8",
    )
    doc = read_source(path)
    m = doc.metadata
    assert m.title == "Note on the Party School"
    assert m.date is not None and (m.date.text, m.date.when, m.date.cert) == (printed, "1957", "low")
    assert doc.parts[0].paragraphs == ["The school opened."]


def test_a_capture_cut_in_the_middle_of_a_label_is_warned_of_not_read_as_a_value(tmp_path: Path) -> None:
    # Seed 000 ends in its footer's "Record ID" label: cut four characters into it, the
    # export must not give "Reco" as the value of the field before.
    from edition.convert import convert_all

    text = (ROOT / "seeds" / "000_30e4ef367cf143dd.txt").read_text(encoding="utf-8")
    assert text.rstrip().endswith("Record ID")
    whole, cut = tmp_path / "whole.txt", tmp_path / "cut.txt"
    whole.write_text(text, encoding="utf-8")
    cut.write_text(text.rstrip()[: -len("rd ID")], encoding="utf-8")
    read_whole, read_cut = read_source(whole, "wilson"), read_source(cut, "wilson")
    assert "Reco" not in repr(read_cut.metadata)
    assert read_cut.metadata == read_whole.metadata
    (outcome,) = convert_all([cut], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None
    assert [w for w in outcome.warnings if "middle of a field label" in w] == [
        f"line {len(text.rstrip().splitlines())}: the export ends in the middle of a field label ('Reco', as of "
        "'Record ID'); its footer was cut short"]
    assert outcome.target is not None and b"Reco" not in outcome.target.read_bytes().split(b"<text")[0].replace(b"Record", b"")


def test_export_without_document_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "empty-body.md"
    path.write_text(
        "**May 1, 1950**\n\n**Report on nothing**\n\n**Summary:**\n\nA summary.\n\n**Contents:**\n\nTranslation - English\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as err:
        read_source(path)
    assert str(path) in str(err.value) and "no document text" in str(err.value)


def test_dominant_script_counts_every_letter_of_each_script() -> None:
    """dominant_script counts runs of a script's letters; the answer is that of counting
    the letters one by one (ties going to the first script listed)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edition.sources.markdown import _SCRIPTS, dominant_script

    def one_by_one(text: str) -> str | None:
        counts = {name: len(rx.findall(text)) for name, rx in _SCRIPTS.items()}
        name, count = max(counts.items(), key=lambda kv: kv[1])
        return name if count else None

    alphabet = st.sampled_from(list("abZé ЖжЁё ش中.,1-\n") + ["\u0400", "\u04ff", "\u024f", "\u0250", "\u0100", "\u02ff", "\u0300",
                                                            "\u03ff", "\u0500", "\u05ff", "\u0600", "\u06ff", "\u0700", "\u4dff",
                                                            "\u4e00", "\u9fff", "\ua000", "\u00bf", "\u00c0", "\u00d7", "\U0001d400",
                                                            "\U00020000", "\ud800", "\udc04", "\ufffd", "\u2fff", "\u3000",
                                                            "の", "カ", "\u30ff", "\u3100", "\uabff", "한", "\ud7ff", "\ud7a3"])

    @settings(max_examples=600, deadline=None)
    @given(st.text(alphabet=alphabet, max_size=40))
    def check(text: str) -> None:
        assert dominant_script(text) == one_by_one(text)

    check()
    assert dominant_script("Съезд партии, 1956") == "Cyrl" and dominant_script("The Congress") == "Latn"
    assert dominant_script("ab жж") == "Cyrl" and dominant_script("1956") is None  # a tie goes to Cyrillic
    assert dominant_script("ab ش") == "Latn" and dominant_script("a ش") == "Latn" and dominant_script("a شش") == "Arab"


def test_the_block_scripts_are_the_high_bytes_dominant_script_counts() -> None:
    """dominant_script counts a block script's letters by the high byte of their UTF-16
    code units, and Latin letters are bounded by the code units below U+0300: true of
    every code point, as the script classes of _SCRIPTS define them."""
    from edition.sources.markdown import _BLOCK_HIGH_BYTES, _SCRIPTS

    assert set(_SCRIPTS) == {*_BLOCK_HIGH_BYTES, "Latn"}
    for code in range(0x10000):
        c = chr(code)
        for name, high in _BLOCK_HIGH_BYTES.items():
            assert (_SCRIPTS[name].match(c) is not None) == ((code >> 8) in high), (name, hex(code))
        if _SCRIPTS["Latn"].match(c):
            assert code < 0x300, hex(code)
    assert not any(_SCRIPTS[name].match(chr(code)) for name in _SCRIPTS for code in range(0x10000, 0x30000, 7))


@pytest.mark.parametrize("text, parts", [
    # Labels in capitals, as finding aids and many catalogues print them.
    ("APRF, Fond 3, Opis 65, Delo 776, Listy 1-5.", ("APRF", "3", "65", None, "776", None, "1-5")),
    # Fond 89 is arranged in perechni and dokumenty, which stand where opis and delo do.
    ("RGANI, f. 89, per. 18, dok. 42.", ("RGANI", "89", "18", "perechen", "42", "dokument", None)),
    ("RGANI, fond 89, perechen 18, dokument 42, l. 3", ("RGANI", "89", "18", "perechen", "42", "dokument", "3")),
    ("РГАНИ, ф. 89, пер. 18, док. 42", ("RGANI", "89", "18", "perechen", "42", "dokument", None)),
])
def test_archive_labels_in_any_case_and_fond_89s_units(text: str, parts: tuple[str | None, ...]) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.repository_acronym, a.fond, a.opis, a.opis_subtype, a.delo, a.delo_subtype, a.folio) == parts


@pytest.mark.parametrize("text, acronym, name", [
    ("Archive of the President of the Russian Federation (APRF), fond 3, opis 65, delo 776",
     "APRF", "Archive of the President of the Russian Federation"),
    # An acronym the edition does not know keeps the name the citation spells out.
    ("National Archives of Georgia (NAG), f. 14, op. 2, d. 5", "NAG", "National Archives of Georgia"),
    ("(RGANI), f. 5, op. 30, d. 189", "RGANI", "Russian State Archive of Contemporary History"),
])
def test_archive_named_with_its_acronym_in_brackets(text: str, acronym: str, name: str) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference("Source: " + text + ". Contributed by A. B.") == (8, 8 + len(text) + 2)
    a = split_archive_citation(text)
    assert (a.repository_acronym, a.repository_name) == (acronym, name)
    assert a.fond is not None and a.delo is not None
    # Brackets that hold no acronym name no repository.
    assert split_archive_citation("a letter (copy), f. 14, op. 2, d. 5").repository_name is None


def test_fond_89_reference_in_the_header() -> None:
    doc = read_source(FIXTURES / "web_fond89.txt", "wilson")
    a = doc.metadata.archive
    assert a is not None and (a.repository_acronym, a.repository_name) == (
        "RGANI", "Russian State Archive of Contemporary History")
    assert (a.fond, a.opis, a.opis_subtype, a.delo, a.delo_subtype, a.folio) == (
        "89", "18", "perechen", "42", "dokument", "1-3")


@pytest.mark.parametrize("text, parts", [
    # Full-width forms (East Asian input, some PDF text layers) and Persian digits: the
    # parts in ASCII, the verbatim citation as printed.
    ("RGANI, f. 5, op. 28, d. ３４７", ("RGANI", "5", "28", "347", None)),
    ("ＲＧＡＮＩ, ｆ. ５, ｏｐ. ２８, ｄ. ３４７, ｌｌ. １２-１３", ("RGANI", "5", "28", "347", "12-13")),
    ("RGANI, f. 5, op. 30, d. ۱۸۹, l. ٣", ("RGANI", "5", "30", "189", "3")),
])
def test_archive_reference_in_full_width_or_arabic_indic_digits(text: str, parts: tuple[str | None, ...]) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.repository_acronym, a.fond, a.opis, a.delo, a.folio) == parts
    assert a.verbatim == text


@pytest.mark.parametrize("printed", ["d. ３４７", "ｄ. ３４７", "d. ٣٤٧"])
def test_full_width_delo_gives_a_valid_header(tmp_path: Path, printed: str) -> None:
    """The split part in ASCII and the verbatim citation as printed must satisfy the
    Schematron that compares them (it reads the citation the same way)."""
    text = (ROOT / "seeds" / "003_73142493423ae5fc.txt").read_text(encoding="utf-8").replace("d. 347", printed)
    path = tmp_path / "wide.md"
    path.write_text(text, encoding="utf-8")
    doc, tei, out = converted(path, tmp_path)
    assert doc.metadata.archive is not None and doc.metadata.archive.delo == "347"
    assert printed in doc.metadata.archive.verbatim
    assert schematron_errors(out) == []


@pytest.mark.parametrize("text, parts", [
    # Labels without their full stops, as a hurried editor types them.
    ("RGANI f 5 op 28 d 347", ("5", "28", "347", None)),
    ("RGANI, f 5, op 28, d 347, ll 1-3", ("5", "28", "347", "1-3")),
    ("RGANI f5 op28 d347", ("5", "28", "347", None)),
    ("РГАНИ ф 5 оп 28 д 347 л 3", ("5", "28", "347", "3")),
    # Semicolons between the parts, or a space before the comma.
    ("RGANI, f. 5; op. 28; d. 347", ("5", "28", "347", None)),
    ("RGANI, f. 5 , op. 28 , d. 347", ("5", "28", "347", None)),
])
def test_archive_reference_without_full_stops_or_with_other_separators(text: str, parts: tuple[str | None, ...]) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.fond, a.opis, a.delo, a.folio) == parts and a.repository_acronym == "RGANI"


def test_a_label_with_its_value_on_the_next_line_of_a_web_page_footer(tmp_path: Path) -> None:
    # "Record ID" over "4711" with no blank line between, read as one paragraph, was no
    # label: the record id (and so the wilson- id) was lost to a keyword "Record ID 4711",
    # the Type to "Type Resolution"; "Author(s):" over the name gave the author, but the
    # check then missed the label's words in the author element and stopped the build.
    from lxml import etree

    from edition import fidelity
    from edition.convert import convert_source

    text = (ROOT / "seeds" / "000_30e4ef367cf143dd.txt").read_text(encoding="utf-8")
    text = text.replace("Document Information", "Author(s):\nRadmanesh\n\n\nDocument Information")
    text = text.replace("Original Uploaded Date\n\n\n\n\n\nRecord ID", "Type\nResolution\n\n\nRecord ID\n4711")
    path = tmp_path / "tight.txt"
    path.write_text(text, encoding="utf-8")
    doc, tei = convert_source(path, "wilson")
    m = doc.metadata
    assert (doc.id, m.record_id, m.doc_type_evidence) == ("wilson-4711", "4711", "Type field: Resolution")
    assert m.authors == ["Radmanesh"]
    assert not any("Record ID" in v or "Type" in v for values in m.keywords.values() for v in values)
    report = fidelity.check_document(doc, text, etree.fromstring(tei), path, path)
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))


@pytest.mark.parametrize("text, parts", [
    # Azerbaijani archives label the opis siyahı, the delo iş and the leaves vərəq; their
    # acronyms have Azerbaijani capitals. Only the fond was split out ("siy." and "iş" were
    # not labels), and an acronym with "İ" in brackets after the name named no repository.
    ("ARPIİSSA, f. 1, siy. 89, iş 123", ("ARPIİSSA", None, "1", "89", "123", None)),
    ("ARDA, f. 411, siyahı 1, iş 12, v. 4-5", ("ARDA", None, "411", "1", "12", "4-5")),
    ("ARDA. F. 411. Siy. 1. İş 12. Vərəq 3.", ("ARDA", None, "411", "1", "12", "3")),
    ("Archive of Political Documents of the Office of the President of the Republic of Azerbaijan (ARPİİSSA), "
     "f. 1, siy. 89, iş 123", ("ARPİİSSA", "Archive of Political Documents of the Office of the President of the Republic "
                                "of Azerbaijan", "1", "89", "123", None)),
])
def test_azerbaijani_archival_references_are_split(text: str, parts: tuple[str | None, ...]) -> None:
    from edition.sources.archives import find_archive_reference, split_archive_citation

    assert find_archive_reference(text) == (0, len(text))
    a = split_archive_citation(text)
    assert (a.repository_acronym, a.repository_name, a.fond, a.opis, a.delo, a.folio) == parts


def test_an_azerbaijani_reference_gives_a_valid_header(tmp_path: Path) -> None:
    """The parts split by the Azerbaijani labels satisfy the Schematron that compares them
    with the verbatim citation (it knows the same labels)."""

    reference = "ARPIİSSA, f. 1, siy. 89, iş 123, v. 4-5."
    doc, tei, out = seed_000_citing(tmp_path, reference, replacing=SEED_000_REFERENCE)
    a = doc.metadata.archive
    assert a is not None and (a.fond, a.opis, a.delo, a.folio) == ("1", "89", "123", "4-5")
    assert a.collection == "General Department of the Central Committee, 1953-1966"
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference, subtypes, location", [
    # The Azerbaijani labels were split by but not kept: the CSL, RIS, BibTeX and Chicago
    # citations, made from the parts, printed the Russian ones ("op. 89, d. 123, l. 5").
    # The leaves are msItem's locus, its type the label's.
    ("ARPİİSSA, f. 1, siy. 89, iş 123, v. 5.", [None, "siyahi", "is", "vereq"], "f. 1, siy. 89, iş 123, v. 5"),
    ("ARDA. F. 411. Siyahı 1. İş 12. Vərəq 3-4.", [None, "siyahi", "is", "vereq"], "f. 411, siy. 1, iş 12, v. 3-4"),
    ("RGANI, f. 5, op. 28, d. 347, ll. 3-4.", [None, None, None, None], "f. 5, op. 28, d. 347, ll. 3-4"),
])
def test_azerbaijani_labels_are_kept_in_the_citations(tmp_path: Path, reference: str, subtypes: list[str | None],
                                                      location: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    idnos = etree.fromstring(tei).xpath("//t:msIdentifier/t:idno", namespaces=ns)
    loci = etree.fromstring(tei).xpath("//t:msContents/t:msItem/t:locus", namespaces=ns)
    assert [i.get("subtype") for i in idnos] + [locus.get("type") for locus in loci] == subtypes
    assert schematron_errors(out) == []
    assert citation_item.csl_item(out, "https://edition.example.org/")["archive_location"] == location


@pytest.mark.parametrize("reference, key", [
    # The citation names a known archive in full: the header's key was its acronym, which
    # the citation does not print, and ed-archival-parts failed the file.
    ("Russian State Archive of Contemporary History, f. 5, op. 30, d. 189.", "RGANI"),
    ("National Archives and Records Administration, RG 59, Box 3456.", "NARA"),
])
def test_a_repository_cited_by_its_full_name_gives_a_valid_header(tmp_path: Path, reference: str, key: str) -> None:
    doc, tei, out = seed_000_citing(tmp_path, reference)
    assert doc.metadata.archive is not None and doc.metadata.archive.repository_acronym == key
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference, fond", [
    # Czech and Romanian fonds are named in letters of their own: the part ended at the
    # first letter outside A-Z and А-Я, so the fond was "KS", which the citation does not
    # give, and ed-archival-parts failed the file.
    ("NA, f. KSČ-ÚV-02/2, sv. 45, a.j. 67.", "KSČ-ÚV-02/2"),
    ("NA, f. KSČ-ÚV-02/2, sv. 45, a.j. 67.", "KSČ-ÚV-02/2"),  # decomposed: C and a caron
    ("ANIC, f. Ședințe-CC, dosar 12/1957.", "Ședințe-CC"),
])
def test_a_fond_named_in_other_latin_letters_is_split_whole(tmp_path: Path, reference: str, fond: str) -> None:
    doc, tei, out = seed_000_citing(tmp_path, reference, replacing=SEED_000_REFERENCE)
    a = doc.metadata.archive
    assert a is not None and a.fond == fond and a.verbatim.startswith(reference)
    assert schematron_errors(out) == []


@pytest.mark.parametrize("citation, reference, acronym, name, shelfmark", [
    # Archives outside the fond system are cited as the repository, then the reference
    # within it in their own terms. Without a fond's label no reference was found: no
    # msDesc, no archival bibl, and the CSL, RIS, BibTeX and Chicago citations named no
    # archive at all.
    ("National Archives and Records Administration (NARA), RG 59, Central Decimal File 1955-59, Box 3456, "
     "761.00/5-1257. Contributed by Jane Roe.",
     "National Archives and Records Administration (NARA), RG 59, Central Decimal File 1955-59, Box 3456, 761.00/5-1257.",
     "NARA", "National Archives and Records Administration", "RG 59, Central Decimal File 1955-59, Box 3456, 761.00/5-1257"),
    ('"A Memo, on Talks", June 1953, Example Digital Archive, The National Archives (TNA), FO 371/128456, '
     "EA 1015/23. Obtained by Jane Roe.",
     "The National Archives (TNA), FO 371/128456, EA 1015/23.", "TNA", "The National Archives",
     "FO 371/128456, EA 1015/23"),
    ("Politisches Archiv des Auswärtigen Amts (PA AA), B 12, Bd. 345. Contributed by Jane Roe.",
     "Politisches Archiv des Auswärtigen Amts (PA AA), B 12, Bd. 345.", "PA AA", "Politisches Archiv des Auswärtigen Amts",
     "B 12, Bd. 345"),
    ("AAN, KC PZPR, XI A/12, k. 34-36, microfilm, reel 7. Contributed by Jane Roe.",
     "AAN, KC PZPR, XI A/12, k. 34-36, microfilm, reel 7.", "AAN", "Archiwum Akt Nowych", "KC PZPR, XI A/12, k. 34-36"),
])
def test_a_repository_cited_without_a_fond_keeps_its_reference_as_printed(
        citation: str, reference: str, acronym: str, name: str, shelfmark: str) -> None:
    from edition.model import Metadata
    from edition.sources.fields import apply_citation

    meta = Metadata(title="A memo")
    apply_citation(meta, citation)
    a = meta.archive
    assert a is not None
    assert (a.verbatim, a.repository_acronym, a.repository_name, a.shelfmark) == (reference, acronym, name, shelfmark)
    assert (a.fond, a.opis, a.delo, a.folio) == (None, None, None, None)


@pytest.mark.parametrize("citation, verbatim", [
    # Only a repository named with certainty is a repository: one the edition knows, or a
    # name with its acronym in brackets (the presidential libraries are known). Another
    # library named alone and an unknown acronym are not; the reference is kept whole, as
    # printed, for the citations to give (tests/test_cite_archives.py), and split into nothing. The publisher of the export
    # with no clause after it, and a bracket in the quoted title, give no reference at all.
    ("Hoover Institution Archives, Boris I. Nicolaevsky Collection, Box 12. Contributed by Jane Roe.",
     "Hoover Institution Archives, Boris I. Nicolaevsky Collection, Box 12."),
    ("PRO, PREM 11/1234. Contributed by Jane Roe.", "PRO, PREM 11/1234."),
    ('"Letter from the Embassy (USSR), on Talks", June 1953, Wilson Center Digital Archive. Obtained by Jane Roe.', None),
])
def test_a_citation_naming_no_known_repository_has_no_archive(citation: str, verbatim: str | None) -> None:
    from edition.model import ArchiveCitation, Metadata
    from edition.sources.fields import apply_citation, looks_like_citation

    meta = Metadata(title="A memo")
    apply_citation(meta, citation)
    assert meta.archive == (ArchiveCitation(verbatim) if verbatim else None)
    meta.archive = None
    apply_citation(meta, "")  # a Citation field left empty
    assert meta.archive is None
    # Prose that names an archive is not taken for a citation.
    assert not looks_like_citation("NARA, the archive in College Park, holds RG 59, Box 3456.")


@pytest.mark.parametrize("citation, acronym, shelfmark", [
    # "f." ending another archive's reference is a folio (the Romanian fila) or a folder:
    # the clause before it was taken for the repository, "dosar 12/1957" or "Box 3456",
    # and the folios for its fond.
    ("ANIC, CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5. Contributed by Jane Roe.",
     "ANIC", "CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5"),
    ("Some Archive, CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5. Contributed by Jane Roe.", None, None),
    ("Arhivele Naționale Istorice Centrale (ANIC), CC al PCR, dosar 12/1957, f. 3-5. Contributed by Jane Roe.",
     "ANIC", "CC al PCR, dosar 12/1957, f. 3-5"),
    ("National Archives and Records Administration (NARA), RG 59, Box 3456, f. 3. Contributed by Jane Roe.",
     "NARA", "RG 59, Box 3456, f. 3"),
])
def test_a_folio_cited_f_after_other_units_is_no_fond(citation: str, acronym: str | None, shelfmark: str | None) -> None:
    from edition.model import Metadata
    from edition.sources.archives import find_archive_reference, split_archive_citation
    from edition.sources.fields import apply_citation

    meta = Metadata(title="A memo")
    apply_citation(meta, citation)
    a = meta.archive
    assert (a.repository_acronym, a.shelfmark, a.fond) == (acronym, shelfmark, None) if a else acronym is None
    # A fond alone still makes a reference where an acronym or a known name stands before it.
    assert find_archive_reference("RGANI, f. 5.") is not None
    assert split_archive_citation("Russian State Archive of Contemporary History, f. 5").repository_acronym == "RGANI"
    assert split_archive_citation("National Archives of Georgia, f. 14, op. 2").repository_name == "National Archives of Georgia"


@pytest.mark.parametrize("reference, location, collection", [
    # Units the splitter has no label for, after those it split (the Bulgarian a.e., the
    # Czech sv. and a.j., the Albanian Dos. and fl.), were in the verbatim citation only:
    # the citations made from the parts ended at the last part split ("f. 1B, op. 5").
    ("TsDA, f. 1B, op. 5, a.e. 123, l. 4.", "f. 1B, op. 5, a.e. 123, l. 4", None),
    ("NA, f. KSČ-ÚV-02/2, sv. 45, a.j. 67.", "f. KSČ-ÚV-02/2, sv. 45, a.j. 67", None),
    ("AQSH, F. 14/AP, M-PKSH, V. 1957, Dos. 12, fl. 3-5.", "f. 14/AP, M-PKSH, V. 1957, Dos. 12, fl. 3-5", None),
    ("TsDA, f. 1B, op. 5, a.e. 123. Politburo, 1956-1960, microfilm, reel 9.", "f. 1B, op. 5, a.e. 123, reel 9",
     "Politburo, 1956-1960"),
    # The reel after the parts is the reel, not more of the reference.
    ("RGANI, f. 5, op. 28, d. 347, microfilm, reel 83.", "f. 5, op. 28, d. 347, reel 83", None),
    # Units after the leaves follow them: the shelfmark (msIdentifier) was cited before the
    # leaves (msContents' locus), which the citation gives first.
    ("GARF, f. R-9401, op. 2, d. 65, ll. 310-311, copy 1.", "f. R-9401, op. 2, d. 65, ll. 310-311, copy 1", None),
    # A fond named in words: its first word was the fond ("f. CC"), and the rest was lost.
    ("ANIC, fond CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5.",
     "fond CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5", None),
])
def test_units_after_the_parts_split_stay_in_the_citation(tmp_path: Path, reference: str, location: str,
                                                          collection: str | None) -> None:
    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    assert doc.metadata.archive is not None and doc.metadata.archive.collection == collection
    assert schematron_errors(out) == []
    assert citation_item.csl_item(out, "https://edition.example.org/")["archive_location"] == location


def test_a_capture_citing_a_repository_without_fond_or_credits_has_it_as_its_citation(tmp_path: Path) -> None:
    """The citation line under Document Information was found by its fond or its credits:
    "NARA, RG 59, ..." with neither became a keyword, a subject of the document."""
    reference = "National Archives and Records Administration (NARA), RG 59, Central Decimal File 1955-59, Box 3456."
    text = (ROOT / "seeds" / "000_30e4ef367cf143dd.txt").read_text(encoding="utf-8")
    path = tmp_path / "nara.txt"
    path.write_text(text.replace("RGANI, f. 5, op. 30, d. 189. General Department of the Central Committee, 1953-1966, "
                                 "microfilm, reel 44. Contributed by Roham Alvandi and translated by Gary Goldberg.",
                                 reference), encoding="utf-8")
    m = read_source(path, "wilson").metadata
    assert m.citation == reference
    assert m.archive is not None and (m.archive.repository_acronym, m.archive.shelfmark) == (
        "NARA", "RG 59, Central Decimal File 1955-59, Box 3456")
    assert m.keywords == {}


@pytest.mark.parametrize("subject", ["North Atlantic Treaty Organization (NATO)", "Communist Party of the Soviet Union (CPSU)"])
def test_a_subject_with_an_acronym_in_brackets_stays_a_subject(tmp_path: Path, subject: str) -> None:
    """A footer paragraph was taken for the citation when it opened with any name with an
    acronym in brackets: a subject under Document Information is often written so, and it
    was appended to the citation (bibl type="citation") instead of being a keyword. Only a
    repository the edition knows makes such a paragraph the citation."""
    text = (ROOT / "seeds" / "000_30e4ef367cf143dd.txt").read_text(encoding="utf-8")
    path = tmp_path / "subject.txt"
    path.write_text(text.replace("Original Uploaded Date", f"{subject}\n\nOriginal Uploaded Date", 1), encoding="utf-8")
    m = read_source(path, "wilson").metadata
    assert m.keywords == {"document information": [subject]}
    assert m.citation is not None and subject not in m.citation


def test_a_shelfmark_with_a_folder_f_gives_a_valid_header(tmp_path: Path) -> None:
    """ed-archival-parts-missing read the shelfmark's "f. 3" as a fond msIdentifier lacks."""
    doc, tei, out = seed_000_citing(tmp_path, "National Archives and Records Administration (NARA), RG 59, "
                                         "Box 3456, f. 3.")
    assert doc.metadata.archive is not None and doc.metadata.archive.shelfmark == "RG 59, Box 3456, f. 3"
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference, key, archive, shelfmark", [
    ("National Archives and Records Administration (NARA), RG 59, Central Decimal File 1955-59, Box 3456, 761.00/5-1257.",
     "NARA", "National Archives and Records Administration (NARA)", "RG 59, Central Decimal File 1955-59, Box 3456, 761.00/5-1257"),
    # The archives most cited beside the Soviet ones, by their acronyms alone: each gave no
    # archive at all, in the header or in any citation format.
    ("TNA, FO 371/128456, EA 1015/23.", "TNA", "The National Archives (TNA)", "FO 371/128456, EA 1015/23"),
    ("SAPMO-BArch, DY 30/IV 2/2.035/45, Bl. 12-15.", "SAPMO",
     "Stiftung Archiv der Parteien und Massenorganisationen der DDR im Bundesarchiv (SAPMO)", "DY 30/IV 2/2.035/45, Bl. 12-15"),
    ("BStU, MfS, HA II, Nr. 1234.", "BStU",
     "Federal Commissioner for the Records of the State Security Service of the former GDR (BStU)", "MfS, HA II, Nr. 1234"),
    ("IPN, BU 0296/1, t. 2, k. 45.", "IPN", "Instytut Pamięci Narodowej (IPN)", "BU 0296/1, t. 2, k. 45"),
])
def test_a_reference_without_a_fond_gives_a_valid_header_and_citation(
        tmp_path: Path, reference: str, key: str, archive: str, shelfmark: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    tree = etree.fromstring(tei)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert tree.xpath("//t:msIdentifier/t:repository/@key", namespaces=ns) == [key]
    assert tree.xpath("//t:msIdentifier/t:idno[@type='shelfmark']/text()", namespaces=ns) == [shelfmark]
    assert tree.xpath("//t:sourceDesc/t:bibl[@type='archival']/text()", namespaces=ns) == [reference]
    assert schematron_errors(out) == []
    item = citation_item.csl_item(out, "https://edition.example.org/")
    assert (item["archive"], item["archive_location"]) == (archive, shelfmark)


@pytest.mark.parametrize("text", ["see f 5 and d 3", "Found in folder f 5 of the files", "the fifth of 5 op-eds"])
def test_a_letter_before_a_number_in_prose_is_no_reference(text: str) -> None:
    from edition.sources.archives import find_archive_reference

    assert find_archive_reference(text) is None


@pytest.mark.parametrize("printed", ["RGANI, f. 5; op. 28; d. 347", "RGANI, f. 5, op 28, d 347", "RGANI, f. 5 , op. 28 , d. 347"])
def test_every_part_the_schematron_sees_is_in_the_header(tmp_path: Path, printed: str) -> None:
    """A part the splitter misses but ed-archival-parts-missing finds made the TEI invalid."""
    from edition.validate import get_validator

    text = (ROOT / "seeds" / "003_73142493423ae5fc.txt").read_text(encoding="utf-8").replace("RGANI, f. 5, op. 28, d. 347", printed)
    path = tmp_path / "sep.md"
    path.write_text(text, encoding="utf-8")
    doc, tei, out = converted(path, tmp_path)
    assert [f.format() for f in get_validator(("edition", "schematron")).validate_file(out) if f.severity == "error"] == []
    a = doc.metadata.archive
    assert a is not None and (a.fond, a.opis, a.delo) == ("5", "28", "347")


_MD_SEED = ROOT / "seeds" / "003_73142493423ae5fc.txt"


def _inline(text: str) -> str:
    for label in ("Citation", "Summary", "Original Language"):
        text = text.replace(f"**{label}:**\n\n", f"**{label}:** ", 1)
    return text


@pytest.mark.parametrize("variant", [
    # Every label with its value on its line, the contents' first tab too: no label stood
    # alone, and the shape went unrecognised.
    lambda t: _inline(t).replace("**Contents:**\n\nOriginal Scan", "**Contents:** Original Scan"),
    # Labels on consecutive lines: those after the first were read as its value.
    lambda t: t.replace("**Original Language:**\n\nRussian", "**Original Language:** Russian\n**Type:** Letter\n**Record ID:** 119711"),
    lambda t: t.replace("**Original Language:**\n\nRussian", "**Original Language:** Russian  \n**Type:** Letter"),
    # The colon after the bold, as some converters set it.
    lambda t: t.replace("**Original Language:**", "**Original Language**:").replace("**Citation:**", "**Citation**:"),
    # Text on the line of the Contents label: it was dropped from the body, unseen by the check.
    lambda t: t.replace("Original Scan\n\nTranslation - English\n\n", "").replace("**Contents:**\n\nВ ЦЕНТРАЛЬНЫЙ", "**Contents:** В ЦЕНТРАЛЬНЫЙ"),
], ids=["all-inline", "label-block", "label-block-hard-breaks", "colon-after-bold", "contents-inline-text"])
def test_markdown_labels_with_their_values_on_their_lines(tmp_path: Path, tei_all_validator, variant) -> None:
    from robust_support import check_source

    path = tmp_path / "inline.md"
    path.write_text(variant(_MD_SEED.read_text(encoding="utf-8")), encoding="utf-8")
    checked = check_source(path, tei_all_validator, id_prefix="wilson")  # valid TEI, every word in its place
    assert checked.error is None and checked.doc is not None, checked.error
    doc = checked.doc
    m = doc.metadata
    assert doc.source.shape == "markdown" and doc.id == "wilson-119711"
    assert m.original_language == "Russian" and m.archive is not None and m.archive.delo == "347"
    assert m.summary is not None and m.summary.startswith("This letter states")
    assert doc.parts[0].paragraphs[0].startswith("В ЦЕНТРАЛЬНЫЙ КОМИТЕТ КПСС")
    if "Type" in path.read_text(encoding="utf-8"):
        assert m.doc_type_evidence == "Type field: Letter"


def test_the_fidelity_check_strips_only_the_label_of_a_markdown_line() -> None:
    """"**Original Language:** Russian" is checked as "Russian"; a bold label that is not
    the one whose values the line's role holds is checked whole."""
    from edition.fidelity import _without_bold_label
    from edition.model import Segment

    assert _without_bold_label(Segment("field:Original Language", 3, "**Original Language:** Russian")).text == "Russian"
    assert _without_bold_label(Segment("body", 9, "**Contents:** В ЦЕНТРАЛЬНЫЙ")).text == "В ЦЕНТРАЛЬНЫЙ"
    assert _without_bold_label(Segment("body", 9, "**Note:** in the margin")).text == "**Note:** in the margin"


@pytest.mark.parametrize(("name", "lang", "first", "last"), [
    ("markdown_german_original.md", "de", "An das Zentralkomitee der KPdSU", "Mit sozialistischem Gruß, W. Ulbricht"),
    ("markdown_polish_original.md", "pl", "NOTATKA", "Dyrektor Departamentu J. Kowalski"),
])
def test_markdown_original_in_the_translations_script_is_told_from_it_by_its_words(name: str, lang: str, first: str, last: str) -> None:
    # A German or Polish original before its English translation: both Latin script, so
    # the script cannot say where the translation starts. Each side keeps its own five
    # paragraphs, including the place and date and the signature, which lean neither way.
    from lxml import etree

    from edition.convert import convert_source

    doc, data = convert_source(FIXTURES / name, "wilson")
    original, translation = doc.parts
    assert (original.role, original.lang, len(original.paragraphs)) == ("original", lang, 5)
    assert original.paragraphs[0] == first and original.paragraphs[-1] == last
    assert (translation.role, translation.lang, len(translation.paragraphs)) == ("translation", "en", 5)
    root = etree.fromstring(data.rsplit(b"<?edition-checksum", 1)[0])
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert root.xpath("//t:body/t:div/@xml:lang", namespaces=ns) == [lang, "en"]
    assert root.xpath("//t:langUsage/t:language/@ident", namespaces=ns) == [lang, "en"]


@pytest.mark.parametrize("field", ["empty", "missing"])
@pytest.mark.parametrize(("name", "lang", "declared"), [
    ("markdown_german_original.md", "de", "German"),
    ("markdown_polish_original.md", "pl", "Polish"),
])
def test_markdown_original_in_the_translations_script_needs_no_declared_language(
        tmp_path: Path, name: str, lang: str, declared: str, field: str) -> None:
    # Exports leave labelled fields empty or out. Without Original Language, a German or
    # Polish original and its English translation were read as one translation tagged
    # en; the original's function words say where it ends and what it is.
    from lxml import etree

    text = (FIXTURES / name).read_text(encoding="utf-8")
    label = f"**Original Language:**\n\n{declared}\n\n"
    assert label in text
    path = tmp_path / name
    path.write_text(text.replace(label, "**Original Language:**\n\n" if field == "empty" else ""), encoding="utf-8")
    doc, data, out = converted(path, tmp_path)
    assert doc.metadata.original_language is None
    assert [(p.role, p.lang, len(p.paragraphs)) for p in doc.parts] == [("original", lang, 5), ("translation", "en", 5)]
    root = etree.fromstring(data.rsplit(b"<?edition-checksum", 1)[0])
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert root.xpath("//t:body/t:div/@xml:lang", namespaces=ns) == [lang, "en"]
    assert "declared" not in root.xpath(f"string(//t:editorialDecl/t:p[@n='{lang}'])", namespaces=ns)
    assert schematron_errors(out) == []


@pytest.mark.parametrize("field", ["empty", "missing"])
def test_markdown_english_alone_without_a_declared_language_stays_the_translation(tmp_path: Path, field: str) -> None:
    text = (FIXTURES / "markdown_german_original.md").read_text(encoding="utf-8")
    head, _, tail = text.partition("Translation - English\n\n")
    english = tail.split("To the CPSU Central Committee", 1)[1]
    head = head.replace("**Original Language:**\n\nGerman\n\n", "**Original Language:**\n\n" if field == "empty" else "")
    path = tmp_path / "only_english.md"
    path.write_text(head + "Translation - English\n\nTo the CPSU Central Committee" + english, encoding="utf-8")
    doc = read_source(path, "wilson")
    assert [(p.role, p.lang) for p in doc.parts] == [("translation", "en")]


def test_markdown_english_translation_alone_is_not_split_under_another_declared_language(tmp_path: Path) -> None:
    # Declared German, but the contents hold only the English translation: no word of
    # the original's, so nothing is moved into an original.
    text = (FIXTURES / "markdown_german_original.md").read_text(encoding="utf-8")
    head, _, tail = text.partition("Translation - English\n\n")
    english = tail.split("To the CPSU Central Committee", 1)[1]
    path = tmp_path / "only_english.md"
    path.write_text(head + "Translation - English\n\nTo the CPSU Central Committee" + english, encoding="utf-8")
    doc = read_source(path, "wilson")
    assert [(p.role, p.lang) for p in doc.parts] == [("translation", "en")]


@pytest.mark.parametrize(("name", "old", "new"), [
    ("markdown_chinese_original.md", "一九五六年十月二日", "ソビエト・ニュースによると、そのとおりです。TASS"),
    ("markdown_russian_cover_korean.md", "1956년 10월 2일", "조선로동당 중앙위원회 CC WPK"),
])
def test_markdown_kana_or_hangul_with_a_latin_word_stays_in_the_original(tmp_path: Path, name: str, old: str, new: str) -> None:
    # The reader knew no kana or Hangul: a paragraph of them naming "TASS" or "WPK" was
    # in Latin script, the translation's, and the original's last paragraph was moved
    # into the English translation (a div tagged en holding Korean).
    path = tmp_path / name
    path.write_text((FIXTURES / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    doc = read_source(path, "wilson")
    original = [p for p in doc.parts if p.role == "original"]
    (translation,) = [p for p in doc.parts if p.role == "translation"]
    assert original[-1].paragraphs[-1] == new
    assert all(new not in para for para in translation.paragraphs)


@pytest.mark.parametrize("last", ["[handwritten: согласен]", "[illegible signature]", "[signed]"])
def test_markdown_original_ending_in_a_mark_label_keeps_its_last_paragraph(tmp_path: Path, last: str) -> None:
    # The export's mark labels are English: the original's last paragraph, a Russian word
    # under "[handwritten: ...]" or a bare "[illegible signature]", had more Latin letters
    # than Cyrillic and was moved into the English translation (a div tagged en holding
    # "согласен", the original's signature at the translation's top).
    source = ROOT / "tests" / "fixtures" / "body" / "export-footnotes.md"
    before = "3 марта 1956 года\n\n"
    text = source.read_text(encoding="utf-8")
    assert before in text
    path = tmp_path / "ends-in-a-mark.md"
    path.write_text(text.replace(before, before + last + "\n\n", 1), encoding="utf-8")
    doc = read_source(path, "wilson")
    (original,) = [p for p in doc.parts if p.role == "original"]
    (translation,) = [p for p in doc.parts if p.role == "translation"]
    assert original.paragraphs[-1] == last
    assert translation.paragraphs[0] == "TO THE CPSU CC"


@pytest.mark.parametrize("reference, key, location, archive", [
    # Acronyms of several words, each an acronym (the Hungarian National Archives, the German
    # Foreign Office's archive): the space refused them, and "MNL OL" was a repository without
    # its key, "PA AA" before a fond alone no archive at all. (MNL OL and PRC FMA are known
    # repositories now, named in full.)
    ("MNL OL, f. 3, op. 2, d. 1.", "MNL OL", "f. 3, op. 2, d. 1", "Magyar Nemzeti Levéltár Országos Levéltára (MNL OL)"),
    ("PA AA, f. 3.", "PA AA", "f. 3", "PA AA"),
    ("PRC FMA, f. 109, op. 1, d. 1234.", "PRC FMA", "f. 109, op. 1, d. 1234",
     "Archives of the Ministry of Foreign Affairs of the People's Republic of China (PRC FMA)"),
])
def test_an_acronym_of_several_words_names_the_repository(tmp_path: Path, reference: str, key: str,
                                                          location: str, archive: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree = etree.fromstring(tei)
    assert tree.xpath("//t:msIdentifier/t:repository/@key", namespaces=ns) == [key]
    assert tree.xpath("//t:sourceDesc/t:bibl[@type='archival']/text()", namespaces=ns) == [reference]
    assert schematron_errors(out) == []
    item = citation_item.csl_item(out, "https://edition.example.org/")
    assert (item["archive"], item["archive_location"]) == (archive, location)
    # A number is no acronym: "RG 59" before a fond alone is a folder, "Box 3456, f. 3".
    from edition.sources.archives import find_archive_reference

    assert find_archive_reference("RG 59, f. 3.") is None


@pytest.mark.parametrize("reference", [
    "RGANI, f. 5, op. 30. Materials on d. 12 of the Presidium, 1953.",
    "RGANI, f. 5. Protocols of op. 3 and d. 12, 1953-1956, microfilm, reel 44.",
])
def test_a_label_in_the_collection_is_no_part_the_header_lacks(tmp_path: Path, reference: str) -> None:
    """ed-archival-parts-missing read the whole citation for labels: the collection's "d. 12"
    was a delo msIdentifier did not give, and the converter's own TEI was invalid."""
    doc, tei, out = seed_000_citing(tmp_path, reference)
    archive = doc.metadata.archive
    assert archive is not None and archive.collection is not None and " d. 12" in archive.collection
    assert archive.delo is None
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference, key, shelfmark", [
    # The clause before the fond was the repository because a comma set it off, though the
    # citation had named one for certain before it: "RG 59" was the archive, Poland lost.
    ("IPN, RG 59, f. 3-5, d. 4.", "IPN", "RG 59, f. 3-5, d. 4"),
    ("Instytut Pamięci Narodowej (IPN), RG 59, Box 3, f. 3-5, d. 4.", "IPN", "RG 59, Box 3, f. 3-5, d. 4"),
])
def test_a_clause_after_a_named_repository_is_no_repository(tmp_path: Path, reference: str, key: str,
                                                            shelfmark: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree = etree.fromstring(tei)
    assert tree.xpath("//t:msIdentifier/t:repository/@key", namespaces=ns) == [key]
    assert tree.xpath("//t:msIdentifier/t:idno[@type='shelfmark']/text()", namespaces=ns) == [shelfmark]
    assert tree.xpath("//t:sourceDesc/t:bibl[@type='archival']/text()", namespaces=ns) == [reference]
    assert schematron_errors(out) == []
    item = citation_item.csl_item(out, "https://edition.example.org/")
    assert (item["archive_location"], item["archive-place"]) == (shelfmark, "Warsaw")


@pytest.mark.parametrize("prefix", ["", '"Letter", July 7, 1957, Wilson Center Digital Archive, '])
@pytest.mark.parametrize("reference, key, name", [
    # A name with a comma in it was cut at the comma: the header's repository was "Berlin",
    # and the verbatim reference began there, without "Archiv,".
    ("Archiv, Berlin, f. 3, op. 2, d. 1.", None, "Archiv, Berlin"),
    ("Politisches Archiv, Auswärtiges Amt (PA AA), f. 3, op. 2, d. 1.", "PA AA", "Politisches Archiv, Auswärtiges Amt"),
    ("Archives of the President, Russian Federation (APRF), f. 3, op. 65, d. 776, l. 4.", "APRF",
     "Archive of the President of the Russian Federation"),
])
def test_a_repository_named_with_a_comma_is_named_whole(tmp_path: Path, prefix: str, reference: str, key: str | None,
                                                        name: str) -> None:
    from lxml import etree

    doc, tei, out = seed_000_citing(tmp_path, prefix + reference)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree = etree.fromstring(tei)
    assert tree.xpath("//t:sourceDesc/t:bibl[@type='archival']/text()", namespaces=ns) == [reference]
    assert tree.xpath("//t:msIdentifier/t:repository/text()", namespaces=ns) == [name]
    assert tree.xpath("//t:msIdentifier/t:repository/@key", namespaces=ns) == ([key] if key else [])
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference, location", [
    # A note in brackets after a part was read past: "(copy)" and the leaves after it, and
    # "(original in Russian)", were in the TEI's verbatim citation only, and every citation
    # made from the parts (CSL, BibTeX, RIS, Chicago, the page's panel) lost them.
    ("RGANI, f. 5, op. 30, d. 189 (copy), l. 3.", "f. 5, op. 30, d. 189 (copy), l. 3"),
    ("RGANI, f. 5, op. 30, d. 189, l. 3 (original in Russian).", "f. 5, op. 30, d. 189, l. 3 (original in Russian)"),
    ("RGANI, f. 5, op. 30, d. 189, ll. 3-4 (copy). General Department, 1953-1966, microfilm, reel 44.",
     "f. 5, op. 30, d. 189, ll. 3-4 (copy), reel 44"),
])
def test_a_note_in_brackets_stays_in_the_citations(tmp_path: Path, reference: str, location: str) -> None:
    from edition.citations import cite_document, document_outputs
    from edition.transform import transformer

    doc, tei, out = seed_000_citing(tmp_path, reference)
    assert schematron_errors(out) == []
    cited = cite_document(out, "https://edition.example.org/")
    assert cited.item["archive_location"] == location
    files = {suffix: data.decode("utf-8") for suffix, data in document_outputs(cited).items()}
    assert f"AN  - {location}" in files[".ris"]
    assert location in files[".bib"] and location in files[".chicago.txt"]
    t = transformer()
    text = str(t.apply("text.xsl", t.parse(tei, out), {}, out.name))
    assert f"RGANI, {location.removesuffix(', reel 44')}" in text


@pytest.mark.parametrize("reference, tom, locus, location", [
    # The tom (volume) of a delo was a unit without a label: it took the leaves after it into
    # the shelfmark ("t. 1, l. 3"), and the document had no locus.
    ("GARF, f. 5, op. 30, d. 189, t. 1, l. 3.", "1", "3", "f. 5, op. 30, d. 189, t. 1, l. 3"),
    ("ГАРФ, ф. 5, оп. 30, д. 189, т. 2, лл. 3-4.", "2", "3-4", "f. 5, op. 30, d. 189, t. 2, ll. 3-4"),
    ("GARF. F. 5. Op. 30. D. 189. Tom 2. L. 3.", "2", "3", "f. 5, op. 30, d. 189, t. 2, l. 3"),
])
def test_a_delos_tom_is_a_part(tmp_path: Path, reference: str, tom: str, locus: str, location: str) -> None:
    from lxml import etree

    from edition import citation_item

    doc, tei, out = seed_000_citing(tmp_path, reference)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    tree = etree.fromstring(tei)
    assert tree.xpath("//t:msIdentifier/t:idno/@type", namespaces=ns) == ["fond", "opis", "delo", "tom"]
    assert tree.xpath("//t:msIdentifier/t:idno[@type='tom']/text()", namespaces=ns) == [tom]
    assert tree.xpath("//t:msItem/t:locus/text()", namespaces=ns) == [locus]
    assert schematron_errors(out) == []
    assert citation_item.csl_item(out, "https://edition.example.org/")["archive_location"] == location
    # A tom the header gives but the citation does not is caught.
    out.write_bytes(tei.replace(f'<idno type="tom">{tom}</idno>'.encode(), b'<idno type="tom">9</idno>'))
    assert any("ed-archival-parts" in e for e in schematron_errors(out))


@pytest.mark.parametrize("reference", ["RGANI, f. 5, op. 30, d. 189. T. G. Masaryk Papers, 1953.",
                                       "RGANI, f. 5, op. 30, d. 189. Tomsk Regional Committee, 1953."])
def test_a_collection_opening_with_t_has_no_tom(reference: str) -> None:
    from edition.sources.archives import split_archive_citation

    a = split_archive_citation(reference)
    assert a.tom is None and a.collection == reference.split("d. 189. ", 1)[1].rstrip(".")


def test_a_reference_bracketed_whole_names_its_repository_whole(tmp_path: Path) -> None:
    """The clause before the one next to the fond began with the bracket the reference opens
    with ("(Archiv", "(IPN"): it was no name, and no repository for certain."""
    from edition.sources.archives import find_archive_reference, split_archive_citation

    line = "(Archiv, Berlin, f. 3, op. 2, d. 1.) Donated by A. B."
    assert find_archive_reference(line) == (1, line.index(")"))
    assert split_archive_citation("Archiv, Berlin, f. 3, op. 2, d. 1.").repository_name == "Archiv, Berlin"
    doc, tei, out = seed_000_citing(tmp_path, "(IPN, RG 59, f. 3-5, d. 4.)")
    archive = doc.metadata.archive
    assert archive is not None and (archive.repository_acronym, archive.shelfmark) == ("IPN", "RG 59, f. 3-5, d. 4")
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference", ['"Letter", July 7, 1957, f. 3, op. 2.', "XYZ Archive, Bl. 12-15, f. 3-5, op. 2.",
                                       '"Letter", July 7, 1957, Wilson Center Digital Archive, f. 3, op. 2.'])
def test_a_number_or_the_digital_archive_before_the_fond_names_no_repository(tmp_path: Path, reference: str) -> None:
    """The clause before the fond, set off by a comma, was the repository though it was a
    number: the date ("1957") or the rest of a unit ("Bl. 12-15" gave "12-15"); or the
    digital archive that publishes the scan, which does not hold the original."""
    from lxml import etree

    doc, tei, out = seed_000_citing(tmp_path, reference)
    archive = doc.metadata.archive
    assert archive is not None and (archive.repository_name, archive.repository_acronym) == (None, None)
    assert archive.fond is not None and archive.opis == "2"
    assert etree.fromstring(tei).find(".//{http://www.tei-c.org/ns/1.0}msDesc") is None
    assert schematron_errors(out) == []


@pytest.mark.parametrize("reference", ["XYZ Archive, Box 3, f. 3, d. 4.", '"Letter", Moscow, 12 July 1957, f. 3, op. 2.',
                                       "Archive of X, RG 59, f. 3, op. 2."])
def test_a_clause_with_a_number_before_the_fond_names_no_repository(tmp_path: Path, reference: str) -> None:
    """The clause next to the fond, set off by a comma, was the repository though it held a
    number, a unit of the reference or a date ("Box 3", "12 July 1957"), and a name with a
    comma was read back from it ("XYZ Archive, Box 3"): no repository the export gives."""
    from lxml import etree

    doc, tei, out = seed_000_citing(tmp_path, reference)
    archive = doc.metadata.archive
    assert archive is not None and (archive.repository_name, archive.repository_acronym) == (None, None)
    assert archive.fond == "3"
    assert etree.fromstring(tei).find(".//{http://www.tei-c.org/ns/1.0}msDesc") is None
    assert schematron_errors(out) == []
