"""Citations of documents held outside the Russian archives, read as a scholar would paste them.

Each test writes a markdown export (the shape of seeds 003 and 004) whose citation names
another archive, converts it with the real converter, and cites the TEI through the real
stylesheets and formatters: the CSL item, BibLaTeX, RIS and Chicago.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from edition import citations
from edition.convert import convert_source

BASE = "https://edition.example.org/"
NS = {"t": "http://www.tei-c.org/ns/1.0"}

EXPORT = """

**{date}**

**{title}**

**Citation:**

"{title}", {cited_date}, Wilson Center Digital Archive, {reference} Obtained by Jamil Hasanli and translated by Gary Goldberg.

<https://wilson-center-digital-archive.dvincitest.com/document/{record}>

**Summary:**

A note on the refugees from Iranian Azerbaijan.

**Original Language:**

Russian

**Contents:**

Original Scan

Translation - English

СПРАВКА

Из Иранского Азербайджана прибыло около семи тысяч беженцев.

NOTE

About seven thousand refugees have arrived from Iranian Azerbaijan.
"""


@dataclass
class Cited:
    tei: bytes
    item: dict
    files: dict[str, str]  # the citation files' text, by suffix (".bib", ".ris", ".chicago.txt", ...)


def cite_export(tmp_path: Path, reference: str, *, title: str = "Note on the Azerbaijani Refugees",
                date: str = "March 3, 1947", cited_date: str | None = None, record: str = "700011") -> Cited:
    """An export citing ``reference`` (its closing full stop included), converted and cited;
    ``cited_date``: the date as the citation line prints it, when not as the header does."""
    source = tmp_path / "export.md"
    source.write_text(EXPORT.format(title=title, date=date, cited_date=cited_date or date, reference=reference,
                                    record=record), encoding="utf-8")
    doc, tei = convert_source(source, "wilson")
    path = tmp_path / f"{doc.id}.xml"
    path.write_bytes(tei)
    cited = citations.cite_document(path, BASE)
    files = {suffix: data.decode("utf-8") for suffix, data in citations.document_outputs(cited).items()}
    return Cited(tei, cited.item, files)


def render(tei: bytes) -> tuple[lxml_html.HtmlElement, str]:
    """The reading page (parsed) and the plain text of a TEI document, as the build makes them."""
    from edition.transform import transformer

    t = transformer()
    node = t.parse(tei, "cited.xml")
    return lxml_html.fromstring(t.apply("html.xsl", node, {}, "cited.xml")), t.apply("text.xsl", node, {}, "cited.xml")


def test_a_reference_naming_no_repository_is_cited_whole(tmp_path: Path) -> None:
    # TEI has no msIdentifier without a repository, so the parts were in the verbatim line
    # only, and every citation ended at the date: the location of the document was lost.
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112, ll. 3-5.")
    assert b"<msIdentifier>" not in c.tei
    assert c.item["archive_location"] == "f. 1, op. 89, d. 112, ll. 3-5"
    assert "archive" not in c.item  # nothing invented
    assert "library      = {f. 1, op. 89, d. 112, ll. 3-5}," in c.files[".bib"]
    assert "AN  - f. 1, op. 89, d. 112, ll. 3-5\r\n" in c.files[".ris"]
    note = c.files[".chicago.txt"].split("\n\n")[0]
    assert note.endswith(", March 3, 1947, f. 1, op. 89, d. 112, ll. 3-5, https://edition.example.org/documents/wilson-700011.html.")
    # The reading page and the plain text give it too, from the same function.
    page, text = render(c.tei)
    assert [" ".join(td.text_content().split()) for td in page.xpath("//div[dt = 'Reference']/dd")] == [
        "f. 1, op. 89, d. 112, ll. 3-5"]
    assert "Archive:        f. 1, op. 89, d. 112, ll. 3-5\n" in text


def test_a_reference_ending_in_an_abbreviation_keeps_its_points(tmp_path: Path) -> None:
    # The Hungarian storage unit ("ő.e.") ends the reference: its point is not the sentence's.
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112, a.e.")
    assert c.item["archive_location"] == "f. 1, op. 89, d. 112, a.e."


def test_a_reference_in_an_archive_the_edition_does_not_know_is_cited_whole(tmp_path: Path) -> None:
    # No fond and no repository the edition knows: the reference was read nowhere, the header
    # kept only the citation line, and every citation gave the document no location at all.
    for reference in ("Diplomatic Archive, Sofia, op. 10, a.e. 123, l. 4.",
                      # (A presidential library is known: see test_a_presidential_library_is_the_repository_…)
                      'Hoover Institution Archives, Boris I. Nicolaevsky Collection, Box 29, Folder "Iran (2)".',
                      "Private collection of Jamil Hasanli, Baku."):
        c = cite_export(tmp_path, reference)
        assert etree.fromstring(c.tei).xpath("string(//t:bibl[@type = 'archival'])", namespaces=NS) == reference
        location = reference.removesuffix(".")
        assert c.item["archive_location"] == location
        assert "archive" not in c.item and "archive-place" not in c.item  # nothing invented
        assert f"AN  - {location}\r\n" in c.files[".ris"]
        assert f"library      = {{{location}}}," in c.files[".bib"]
        note, bibliography = c.files[".chicago.txt"].split("\n\n")
        assert f", March 3, 1947, {location}, https://" in note and f". March 3, 1947. {location}. https://" in bibliography


def test_a_source_field_without_title_is_all_reference_before_its_credits(tmp_path: Path) -> None:
    seed = Path(__file__).resolve().parent.parent / "seeds" / "000_30e4ef367cf143dd.txt"
    text = seed.read_text(encoding="utf-8")
    cited = "RGANI, f. 5, op. 30, d. 189. General Department of the Central Committee, 1953-1966, microfilm, reel 44."
    for reference, read in (("Diplomatic Archive, Sofia, op. 10, a.e. 123.", "Diplomatic Archive, Sofia, op. 10, a.e. 123"),
                            # A sentence that runs into its credits is no reference.
                            ("This copy was", None)):
        source = tmp_path / "export.txt"
        source.write_text(text.replace(cited, reference), encoding="utf-8")
        doc, tei = convert_source(source, "wilson")
        path = tmp_path / f"{doc.id}.xml"
        path.write_bytes(tei)
        item = citations.cite_document(path, BASE).item
        assert item.get("archive_location") == read
        assert (b'<bibl type="archival">' in tei) is (read is not None)


def test_the_city_after_the_repository_is_its_place_not_the_reference(tmp_path: Path) -> None:
    # "Central State Archive, Sofia, f. 1B, …": the city was the first unit of a shelfmark,
    # the fond and opis were split into nothing, and Chicago named Sofia twice.
    c = cite_export(tmp_path, "Central State Archive, Sofia, f. 1B, op. 5, a.e. 123, l. 4-6.")
    assert (c.item["archive"], c.item["archive-place"]) == ("Central State Archive (TsDA)", "Sofia")
    assert c.item["archive_location"] == "f. 1B, op. 5, a.e. 123, l. 4-6"
    note = c.files[".chicago.txt"].split("\n\n")[0]
    assert note.count("Sofia") == 1 and ", f. 1B, op. 5, a.e. 123, l. 4-6, Central State Archive (TsDA), Sofia, " in note
    assert validation_errors(tmp_path, c.tei) == []


def test_a_name_two_archives_share_is_placed_by_its_city_or_by_none(tmp_path: Path) -> None:
    # "Central State Archive" is Albania's too: an Albanian document was placed in Sofia.
    c = cite_export(tmp_path, "Central State Archive, Tirana, F. 14/AP, M-PPSH, V. 1959, Dos. 3, fl. 1-5.")
    assert (c.item["archive"], c.item["archive-place"]) == ("Central State Archive (AQSh)", "Tirana")
    assert c.item["archive_location"] == "F. 14/AP, M-PPSH, V. 1959, Dos. 3, fl. 1-5"
    assert "Sofia" not in c.files[".chicago.txt"] and "CY  - Tirana\r\n" in c.files[".ris"]
    assert validation_errors(tmp_path, c.tei) == []
    # Without its city the name is either archive's: named, and placed nowhere.
    c = cite_export(tmp_path, "Central State Archive, f. 1B, op. 5, a.e. 123.")
    assert (c.item["archive"], c.item["archive_location"]) == ("Central State Archive", "f. 1B, op. 5, a.e. 123")
    assert "archive-place" not in c.item and "Sofia" not in c.files[".bib"]
    assert validation_errors(tmp_path, c.tei) == []


def test_the_city_after_a_repository_cited_without_fond_is_its_place(tmp_path: Path) -> None:
    c = cite_export(tmp_path, "National Archives and Records Administration, College Park, RG 59, Central Decimal File "
                              "1955-59, Box 3456, 761.00/2-1456.")
    assert c.item["archive_location"] == "RG 59, Central Decimal File 1955-59, Box 3456, 761.00/2-1456"
    assert (c.item["archive"], c.item["archive-place"]) == (
        "National Archives and Records Administration (NARA)", "College Park")
    # A city that is not the repository's stays in the reference: nothing is dropped.
    c = cite_export(tmp_path, "RGANI, Kyiv, f. 5, op. 28.")
    assert c.item["archive_location"] == "Kyiv, f. 5, op. 28" and c.item["archive-place"] == "Moscow"


def test_the_national_archives_at_kew_is_the_tna(tmp_path: Path) -> None:
    # "National Archives, Kew" named no archive the edition knows: the whole line, the
    # short name and the place with it, was the reference, and the citations named no archive.
    c = cite_export(tmp_path, "National Archives, Kew, FO 371/128456, EA 1015/23.")
    assert (c.item["archive"], c.item["archive-place"]) == ("National Archives (TNA)", "Kew")
    assert c.item["archive_location"] == "FO 371/128456, EA 1015/23"
    assert "CY  - Kew\r\n" in c.files[".ris"] and "DB  - National Archives (TNA)\r\n" in c.files[".ris"]
    assert ", FO 371/128456, EA 1015/23, National Archives (TNA), Kew, " in c.files[".chicago.txt"].split("\n\n")[0]
    assert b'<repository key="TNA">National Archives</repository>' in c.tei
    assert validation_errors(tmp_path, c.tei) == []
    # Its full name with the place: Kew was the first unit of the shelfmark, and TNA in London.
    c = cite_export(tmp_path, "The National Archives, Kew, FO 371/128456.")
    assert (c.item["archive-place"], c.item["archive_location"]) == ("Kew", "FO 371/128456")
    # London, the city around Kew, is its place too, and no unit of the reference.
    c = cite_export(tmp_path, "TNA, London, FO 371/128456.")
    assert (c.item["archive-place"], c.item["archive_location"]) == ("Kew", "FO 371/128456")
    # The short name is NARA's too: its place tells which, and without one it is neither's.
    c = cite_export(tmp_path, "National Archives, College Park, RG 59, Box 3456.")
    assert (c.item["archive"], c.item["archive-place"]) == ("National Archives (NARA)", "College Park")
    c = cite_export(tmp_path, "National Archives, RG 59, Box 3456.")
    assert (c.item["archive"], c.item["archive_location"]) == ("National Archives", "RG 59, Box 3456")
    assert "archive-place" not in c.item and "Kew" not in c.files[".bib"]
    assert validation_errors(tmp_path, c.tei) == []

def validation_errors(tmp_path: Path, tei: bytes) -> list[str]:
    """The errors of the edition's RELAX NG and Schematron on ``tei``."""
    from edition.validate import get_validator

    path = tmp_path / "validated" / "wilson-700011.xml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(tei)
    return [f.format() for f in get_validator(("edition", "schematron")).validate_file(path) if f.severity == "error"]


def test_a_body_named_with_for_is_cited_by_its_whole_name(tmp_path: Path) -> None:
    # "for" ended the name the title gives: the Stasi's reports were cited as the
    # "Ministry"'s, and the KGB's cables as the "Committee"'s.
    c = cite_export(tmp_path, "BStU, MfS, HA XX, Nr. 4567, Bl. 12-15.",
                    title="Information of the Ministry for State Security on the Tudeh Party in the GDR")
    assert c.item["author"] == [{"literal": "Ministry for State Security"}]
    assert c.files[".chicago.txt"].startswith("Ministry for State Security, “Information of the Ministry")
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112, ll. 3-5.",
                    title="Cable from the Committee for State Security to the Department for Relations with Foreign "
                          "Communist Parties")
    assert c.item["author"] == [{"literal": "Committee for State Security"}]
    assert c.item["recipient"] == [{"literal": "Department for Relations with Foreign Communist Parties"}]
    assert "AU  - Committee for State Security\r\n" in c.files[".ris"]
    # A "for" that does not go on a body's name still ends it.
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112.", title="Report of the Embassy for 1956")
    assert c.item["author"] == [{"literal": "Embassy"}]


def test_the_hungarian_chinese_and_polish_archives_are_named_and_placed(tmp_path: Path) -> None:
    # MNL OL and PRC FMA were unknown, and AIPN (the IPN's archive) was not the IPN: the
    # citations named no place, and the Hungarian reference lost the point of its "ő.e.".
    for reference, archive, place, location in (
            ("MNL OL, M-KS 288. f. 5/20. ő.e.", "Magyar Nemzeti Levéltár Országos Levéltára (MNL OL)", "Budapest",
             "M-KS 288. f. 5/20. ő.e."),
            ("PRC FMA 105-00601-01, 1-22.",
             "Archives of the Ministry of Foreign Affairs of the People's Republic of China (PRC FMA)", "Beijing",
             "105-00601-01, 1-22"),
            ("Archiwum Instytutu Pamięci Narodowej (AIPN), BU 0296/1, t. 2, k. 45-47.",
             "Instytut Pamięci Narodowej (IPN)", "Warsaw", "BU 0296/1, t. 2, k. 45-47")):
        c = cite_export(tmp_path, reference)
        assert (c.item["archive"], c.item["archive-place"], c.item["archive_location"]) == (archive, place, location)
        note = c.files[".chicago.txt"].split("\n\n")[0]
        assert f", March 3, 1947, {location}, {archive}, {place}, https://" in note
        assert validation_errors(tmp_path, c.tei) == []


def test_the_digital_archive_is_named_when_the_citation_prints_the_date_otherwise(tmp_path: Path) -> None:
    # The header's "[1947]" is "1947" in the citation line: the year was taken for the
    # publisher's clause, and the Wilson Center was named in no citation.
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112, ll. 3-5.", date="[1947]", cited_date="1947")
    assert c.item["source"] == "Wilson Center Digital Archive"
    assert "addendum     = {Wilson Center Digital Archive: https://" in c.files[".bib"]
    c = cite_export(tmp_path, "f. 1, op. 89, d. 112, ll. 3-5.", date="March 1947", cited_date="March 1947")
    assert c.item["source"] == "Wilson Center Digital Archive"


def test_the_original_archive_field_names_an_archive_the_reference_does_not(tmp_path: Path) -> None:
    # A web-page capture's Original Archive field was on no page and in no citation: a
    # document whose Source gives only its credits was cited with no archive at all.
    fixture = Path(__file__).resolve().parent / "fixtures" / "convert" / "web_all_fields.txt"
    text = fixture.read_text(encoding="utf-8-sig")
    source_line = "AVPRF, f. 0138, op. 43, d. 12, ll. 4-6. Obtained and translated for CWIHP by Anna Petrova."
    for source_field, archive_field, archive, location in (
            ("Obtained by Jamil Hasanli.", "Private collection of Jamil Hasanli", "Private collection of Jamil Hasanli",
             None),
            # Named in the reference already, as a repository the edition knows: named once, as the
            # header's repository (the field is not named beside it).
            ("John F. Kennedy Presidential Library, National Security Files, Box 116. Obtained by Malcolm Byrne.",
             "John F. Kennedy Presidential Library", "John F. Kennedy Presidential Library (JFKL)", "box 116")):
        source = tmp_path / "export.txt"
        source.write_text(text.replace(source_line, source_field).replace(
            "Archive of Foreign Policy of the Russian Federation", archive_field), encoding="utf-8")
        doc, tei = convert_source(source, "wilson")
        path = tmp_path / f"{doc.id}.xml"
        path.write_bytes(tei)
        item = citations.cite_document(path, BASE).item
        assert (item.get("archive"), item.get("archive_location")) == (archive, location)
        page, text_page = render(tei)
        rows = [" ".join(dd.text_content().split()) for dd in page.xpath("//div[dt = 'Archive']/dd")]
        assert len(rows) == 1 and rows[0].startswith(archive.removesuffix(" (JFKL)"))


def test_a_chinese_name_keeps_its_family_name_first(tmp_path: Path) -> None:
    # "Mao Zedong" was split as a Western name: "Zedong, Mao" in the bibliography, BibLaTeX
    # and RIS of every document from the Chinese archives.
    c = cite_export(tmp_path, "PRC FMA 105-00601-01, 1-22.", title="Telegram from Mao Zedong to Zhou Enlai")
    assert (c.item["author"], c.item["recipient"]) == ([{"literal": "Mao Zedong"}], [{"literal": "Zhou Enlai"}])
    assert "author       = {{Mao Zedong}}," in c.files[".bib"] and "AU  - Mao Zedong\r\n" in c.files[".ris"]
    assert c.files[".chicago.txt"].split("\n\n")[1].startswith("Mao Zedong. “Telegram from Mao Zedong to Zhou Enlai.”")
    # A Western name after a family name of the list is still split.
    c = cite_export(tmp_path, "PRC FMA 105-00601-01, 1-22.", title="Letter from Kim Philby to Lin Carter")
    assert c.item["author"] == [{"family": "Philby", "given": "Kim"}]
    assert c.item["recipient"] == [{"family": "Carter", "given": "Lin"}]


FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"


def test_the_original_archive_field_tells_the_two_national_archives_apart(tmp_path: Path) -> None:
    # "National Archives" without a place is NARA's short name and the TNA's: the header named
    # a repository with no key or place, and the citations no place, though the export's
    # Original Archive field (before the Source in one export, after it in the other) said which.
    for name, key, place, location in (
            ("web_nara_circa_vietnamese.txt", "NARA", "College Park",
             "RG 59, Central Foreign Policy Files 1964-66, Box 2945, POL 27 VIET S"),
            ("line_tna_original_archive.txt", "TNA", "Kew", "FO 371/119080, JE 14211/12")):
        doc, tei = convert_source(FIXTURES / name, "wilson")
        assert f'<repository key="{key}">National Archives</repository>'.encode() in tei
        path = tmp_path / f"{doc.id}.xml"
        path.write_bytes(tei)
        cited = citations.cite_document(path, BASE)
        assert (cited.item["archive"], cited.item["archive-place"], cited.item["archive_location"]) == (
            f"National Archives ({key})", place, location)
        files = {suffix: data.decode("utf-8") for suffix, data in citations.document_outputs(cited).items()}
        assert f"CY  - {place}\r\n" in files[".ris"]
    # (tests/test_convert_valid.py validates and checks both fixtures with the others.)


def test_an_original_archive_field_naming_neither_leaves_the_shared_name_unplaced(tmp_path: Path) -> None:
    text = (FIXTURES / "line_tna_original_archive.txt").read_text(encoding="utf-8")
    for field in ("National Archives", "NA", "Archiwum Akt Nowych"):
        source = tmp_path / "export.txt"
        source.write_text(text.replace("Original Archive\nThe National Archives\n", f"Original Archive\n{field}\n"),
                          encoding="utf-8")
        doc, tei = convert_source(source, "wilson")
        assert doc.metadata.archive is not None and doc.metadata.archive.repository_acronym is None
        assert b"<repository>National Archives</repository>" in tei and b"<settlement>" not in tei


def test_the_czech_national_archives_are_named_placed_and_split(tmp_path: Path) -> None:
    # "NA, f. KSČ-ÚV-02/1, sv. 58, a.j. 94" gave a repository "NA" with no name or place, and
    # the svazek and the archival unit were one shelfmark the citations could not label.
    for name, location in (("markdown_czech_presidium.md", "f. KSČ-ÚV-02/1, sv. 59, a.j. 96, ll. 2-3"),
                           ("web_czech_national_archives.txt", "f. KSČ-ÚV-02/1, sv. 58, a.j. 94")):
        doc, tei = convert_source(FIXTURES / name, "wilson")
        root = etree.fromstring(tei)
        ident = root.find(".//t:msIdentifier", NS)
        assert [(e.tag.split("}")[1], e.get("type"), e.get("subtype"), e.text) for e in ident] == [
            ("country", None, None, "Czech Republic"), ("settlement", None, None, "Prague"),
            ("repository", None, None, "Národní archiv"), ("idno", "fond", None, "KSČ-ÚV-02/1"),
            ("idno", "papka", "svazek", location.split(", ")[1][4:]),
            ("idno", "delo", "jednotka", location.split(", ")[2][5:])]
        assert ident.find("t:repository", NS).get("key") == "NA"
        path = tmp_path / f"{doc.id}.xml"
        path.write_bytes(tei)
        cited = citations.cite_document(path, BASE)
        assert (cited.item["archive"], cited.item["archive-place"], cited.item["archive_location"]) == (
            "Národní archiv (NA)", "Prague", location)
        page, text = render(tei)
        assert f"NA, {location}" in " ".join(text.split())
    # (tests/test_convert_valid.py validates and checks both fixtures with the others.)


def test_na_for_not_available_is_no_archive(tmp_path: Path) -> None:
    # Exports write "NA" in fields they have no value for: with the Czech archive's key "NA"
    # known, such a field must not name it, alone or beside another archive's reference.
    fixture = FIXTURES / "line_not_available_fields.txt"
    doc, tei = convert_source(fixture, "wilson")
    assert doc.metadata.archive is not None and doc.metadata.archive.repository_acronym is None
    assert b"<msDesc>" not in tei and b"<settlement>" not in tei and b"key=\"NA\"" not in tei
    text = fixture.read_text(encoding="utf-8")
    for source_field, key in (("NA, FO 371/119080.", None), ("NA 2618.", None),
                              ("TNA, FO 371/119080, JE 14211/12.", "TNA"),
                              ("AAN, KC PZPR, sygn. 2618, k. 3-4.", "AAN")):
        source = tmp_path / "export.txt"
        source.write_text(text.replace("Source\nNA\n", f"Source\n{source_field}\n"), encoding="utf-8")
        doc, tei = convert_source(source, "wilson")
        archive = doc.metadata.archive
        assert archive is not None and archive.repository_acronym == key, source_field
        assert b"Czech Republic" not in tei


def test_a_presidential_library_is_the_repository_with_collection_box_and_folder(tmp_path: Path) -> None:
    # "Dwight D. Eisenhower Presidential Library, Ann Whitman File, …, Box 52" named no archive
    # the edition knew: the header had no msDesc, and the citations no archive or place.
    for name, key, library, place, collection, location in (
            ("web_presidential_library_crlf.txt", "DDEL", "Dwight D. Eisenhower Presidential Library", "Abilene",
             "Ann Whitman File, International Series", "box 52"),
            ("web_kennedy_library_folder.txt", "JFKL", "John F. Kennedy Presidential Library", "Boston",
             "National Security Files, Countries Series",
             'box 184, folder "USSR, Khrushchev Correspondence (Vol. II)"')):
        doc, tei = convert_source(FIXTURES / name, "wilson")
        ident = etree.fromstring(tei).find(".//t:msDesc/t:msIdentifier", NS)
        assert ident is not None
        assert ident.find("t:repository", NS).get("key") == key and ident.findtext("t:repository", namespaces=NS) == library
        assert (ident.findtext("t:country", namespaces=NS), ident.findtext("t:settlement", namespaces=NS),
                ident.findtext("t:collection", namespaces=NS)) == ("United States", place, collection)
        path = tmp_path / f"{doc.id}.xml"
        path.write_bytes(tei)
        cited = citations.cite_document(path, BASE)
        assert (cited.item["archive"], cited.item["archive-place"], cited.item["archive_collection"],
                cited.item["archive_location"]) == (f"{library} ({key})", place, collection, location)
        note = citations.document_outputs(cited)[".chicago.txt"].decode("utf-8").split("\n\n")[0]
        assert f", {location}, {collection}, {library} ({key}), {place}, https://" in note
    # (tests/test_convert_valid.py validates and checks both fixtures with the others.)


def test_a_presidential_library_by_its_other_names_and_without_box(tmp_path: Path) -> None:
    for reference, key, collection, box, folder, shelfmark in (
            ("Eisenhower Library, Abilene, Ann Whitman File.", "DDEL", None, None, None, "Ann Whitman File"),
            ("LBJ Library, NSF, Country File, Vietnam, Box 12.", "LBJL", "NSF, Country File, Vietnam", "12", None, None),
            ("Harry S. Truman Library, Papers of Dean Acheson, Folder: Cuba.", "HSTL", "Papers of Dean Acheson", None,
             "Cuba", None)):
        c = cite_export(tmp_path, reference)
        archive = etree.fromstring(c.tei).find(".//t:msIdentifier", NS)
        assert archive.find("t:repository", NS).get("key") == key, reference
        assert [(i.get("type"), i.text) for i in archive.iterfind("t:idno", NS)] == [
            (kind, value) for kind, value in (("box", box), ("folder", folder), ("shelfmark", shelfmark)) if value]
        assert archive.findtext("t:collection", namespaces=NS) == collection
        assert validation_errors(tmp_path, c.tei) == []
