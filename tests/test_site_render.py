"""What the reading page and the plain text say: header, metadata, text versions,
editorial marks, notes. Rendered through the real build from the site fixtures."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from lxml import html as lxml_html

from edition.build import build_site
from edition.render import BuildContext

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "site"
CONTRACT = ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tei = tmp_path_factory.mktemp("tei")
    for p in sorted(FIXTURES.glob("*.xml")) + [CONTRACT]:
        shutil.copy(p, tei / p.name)
    out = tmp_path_factory.mktemp("build") / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition",
                            base_url="https://edition.example.org/pub/", edition_version="1.2.3"))
    return out


def page(site: Path, doc_id: str) -> etree._ElementTree:
    return lxml_html.parse(str(site / "documents" / f"{doc_id}.html"))


def text_of(el: etree._Element) -> str:
    return " ".join(el.text_content().split())


def meta(tree: etree._ElementTree) -> dict[str, str]:
    return {text_of(row.find("dt")): text_of(row.find("dd")) for row in tree.xpath("//section[@class='metadata']//div[@class='meta-row']")}


def build_edited(tmp_path: Path, files: dict[str, str]) -> Path:
    """Build a site of TEI files given by name and text (a seed's TEI edited by hand)."""
    tei = tmp_path / "tei"
    tei.mkdir()
    for name, text in files.items():
        (tei / name).write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition", base_url="", edition_version="1"))
    return out


def test_header_title_date_type_and_formats(site: Path) -> None:
    tree = page(site, "site-marks")
    assert tree.xpath("string(//title)") == "Memorandum on the Supply of Paper to the Regional Committee · Test Edition"
    assert tree.xpath("string(//h1)") == "Memorandum on the Supply of Paper to the Regional Committee"
    kicker = tree.xpath("//p[@class='kicker']")[0]
    assert kicker.xpath("string(span[@class='doctype'])") == "Memorandum"
    assert kicker.xpath("time/@datetime") == ["1956-03-04"] and kicker.xpath("string(time)") == "March 4, 1956"
    assert kicker.xpath("string(span[@class='classification'])") == "Secret"
    assert tree.xpath("//link[@rel='canonical']/@href") == ["https://edition.example.org/pub/documents/site-marks.html"]
    hrefs = tree.xpath("//nav[@class='formats']//a/@href")
    assert hrefs[:2] == ["../tei/site-marks.xml", "../text/site-marks.txt"]
    assert tree.xpath("//html/@lang") == ["en"]


def test_metadata_panel(site: Path) -> None:
    m = meta(page(site, "site-marks"))
    assert m["Document type"] == "Memorandum"
    assert m["From"] == "P. Petrov" and m["To"] == "Regional Committee" and m["Place"] == "Moscow"
    assert m["Archive"] == "State Archive of Tests (Moscow, Russia)"
    assert m["Collection"] == "Fond of Examples, 1950-1960"
    assert m["Reference"] == "GAT, f. 12, op. 3, d. 45"
    assert m["Surrogate"] == "microfilm, reel 7"
    assert m["Classification"] == "Secret"
    assert m["Languages"] == "English, Russian"
    assert m["Translated by"] == "Anna Translator" and m["Contributed by"] == "Boris Contributor"
    assert m["Funding"] == "Test Foundation"
    # The source's publisher (the export's), not this edition, names the link.
    assert m["Source"] == "Test Archive, record 900001"
    assert meta(page(site, "wilson-119711"))["Source"] == "wilson-center-digital-archive.dvincitest.com, record 119711"
    assert page(site, "site-marks").xpath("//div[@class='meta-row'][dt='Source']//a/@href") == ["https://archive.example.org/document/900001"]
    assert m["Rights"] == "Reuse for research and teaching is welcome."
    assert m["Archive citation"].startswith('"Memorandum on the Supply of Paper')
    assert "site-marks.txt" in m["Encoding"]
    # Empty fields are left out rather than shown blank.
    sparse = meta(page(site, "site-rtl"))
    assert "Translated by" not in sparse and "Source" not in sparse and sparse["Date"] == "Undated"
    assert sparse["Reference"] == "Box 3, folder 9"


def test_versions_translation_first_each_with_its_language(site: Path) -> None:
    tree = page(site, "site-rtl")
    versions = tree.xpath("//section[contains(@class, 'version ')]")
    assert [v.xpath("string(h3)") for v in versions] == ["English translation", "Original (Persian)", "Transcription, Azerbaijani (Cyrillic)"]
    assert [v.xpath("div/@lang")[0] for v in versions] == ["en", "fa", "az-Cyrl"]
    assert [v.xpath("div/@dir")[0] for v in versions] == ["ltr", "rtl", "ltr"]
    empty = page(site, "site-partial")
    assert "No transcription or translation" not in text_of(empty.getroot())  # it has an (empty) translation div
    assert empty.xpath("string(//p[@class='kicker']/time)") == "September 1956"


def test_editorial_marks_render_visibly(site: Path) -> None:
    tree = page(site, "site-marks")
    en = tree.xpath("//div[contains(@class, 'version-text')][@lang='en']")[0]
    ru = tree.xpath("//div[contains(@class, 'version-text')][@lang='ru']")[0]
    assert [text_of(e) for e in en.xpath(".//span[@class='ed-supplied']")] == ["[st]"]
    assert [text_of(e) for e in en.xpath(".//del[contains(@class, 'ed-del')]")] == ["one hundred"]
    hand = en.xpath(".//ins[contains(@class, 'ed-hand')]")
    assert text_of(hand[0]) == "handwritten above the line two hundred"
    assert hand[0].xpath("string(span[@class='ed-label'])") == "handwritten above the line"
    assert text_of(en.xpath(".//ins[@class='ed-add']")[0]) == "⸢Typed later: urgent.⸣"
    assert [text_of(e) for e in en.xpath(".//span[@class='ed-gap']")] == ["[illegible, 2 words]", "[signature]"]
    assert "empy [sic]" in text_of(en) and "has [sic; read have]" in text_of(en)
    assert "RC [Regional Committee]" in text_of(en) and "1956[?]" in text_of(en)
    assert text_of(en.xpath(".//span[@class='ed-stamp']")[0]) == "stamp RECEIVED 6 MAR 1956"
    assert text_of(en.xpath(".//span[contains(@class, 'ed-pb')]")[0]) == "[p. 13]"
    assert text_of(en.xpath(".//*[contains(@class, 'ed-fw')]")[0]) == "[archival marking Sheet 12]"
    signed = en.xpath(".//p[@class='ed-signed']")
    # The header's handNote names the writer: @scribe, or its persName.
    assert [text_of(s) for s in signed] == ["signed handwritten (Petrov) P. Petrov (P. Petrov)", "signed [signature] (I. Sidorov)"]
    docnote = en.xpath(".//p[contains(@class, 'ed-docnote')]")[0]
    assert "ed-hand" in docnote.get("class")
    assert text_of(docnote) == "handwritten note (Ivanov) in the left margin To the archive"
    assert en.xpath(".//ol[@class='tei-list']/li/text()")[0].startswith("Writing paper")
    assert en.xpath(".//h4[@class='tei-head']/text()") == ["On paper"]
    assert "a superscript" in en.xpath(".//sup/text()")
    assert en.xpath(".//span[contains(@class, 'rend-italic')]/text()") == ["word in italics"]
    assert en.xpath(".//br") and en.xpath(".//blockquote[@class='tei-quote']") and en.xpath(".//table[@class='tei-table']//th")
    assert en.xpath(".//a[@class='tei-ref']/@href") == ["https://archive.example.org/document/900001"]
    assert text_of(ru.xpath(".//del")[0]) == "сто" and "ed-hand" in ru.xpath(".//ins")[0].get("class")


def test_a_deletion_and_an_unlabelled_addition_are_put_into_words_for_screen_readers(site: Path) -> None:
    """Struck-out text and the half brackets of an addition are seen, not heard: hidden
    words (class ed-sr) say where each starts and ends, in English inside an original,
    and outside del and ins, which keep only the source's text."""
    tree = page(site, "site-marks")
    en = tree.xpath("//div[contains(@class, 'version-text')][@lang='en']")[0]
    ru = tree.xpath("//div[contains(@class, 'version-text')][@lang='ru']")[0]

    def spoken_around(el: etree._Element) -> tuple[str, str]:
        before, after = el.getprevious(), el.getnext()
        assert before is not None and after is not None
        assert before.get("class") == after.get("class") == "ed-sr"
        return text_of(before), text_of(after)

    for version, lang in ((en, None), (ru, "en")):
        deleted = version.xpath(".//del[contains(@class, 'ed-del')]")
        assert deleted
        for el in deleted:
            assert spoken_around(el) == ("deleted:", "(end of deletion)")
            assert el.getprevious().get("lang") == el.getnext().get("lang") == lang
            assert not el.xpath(".//*[@class='ed-sr']")
    added = en.xpath(".//ins[@class='ed-add']")[0]
    assert spoken_around(added) == ("added:", "(end of addition)")
    # A labelled addition already says so in words it shows.
    hand = en.xpath(".//ins[contains(@class, 'ed-hand')]")[0]
    assert text_of(hand.getprevious()) == "(end of deletion)"  # the deletion before it
    assert hand.getnext() is None or hand.getnext().get("class") != "ed-sr"
    # The legend's samples show the marks as they look, without words for the ear.
    assert not tree.xpath("//*[contains(@class, 'legend')]//*[@class='ed-sr']")


def test_marks_drawn_only_by_style_also_say_what_they_are(site: Path) -> None:
    # A stamp's box and a handwritten addition's colour and slant are not read out by a
    # screen reader (and <ins> alone is announced as an insertion, not as handwriting):
    # each says what it is in words, as a signature or an archival marking does.
    for doc_id in ("site-marks", "wilson-119711"):
        tree = page(site, doc_id)
        for stamp in tree.xpath("//main//span[@class='ed-stamp']"):
            assert stamp.xpath("string(span[@class='ed-label'][1])") == "stamp", doc_id
        hands = tree.xpath("//div[contains(@class, 'version-text')]//ins[contains(@class, 'ed-hand')]")
        assert hands, doc_id
        for ins in hands:
            assert ins.xpath("string(span[@class='ed-label'][1])").startswith("handwritten"), (doc_id, text_of(ins))
    # The contract seed's signatures are handwritten, in a hand nobody identified.
    ru = page(site, "wilson-119711").xpath("//div[contains(@class, 'version-text')][@lang='ru']")[0]
    assert "signed handwritten И. Козлов (И. Козлов)" in [text_of(s) for s in ru.xpath(".//p[@class='ed-signed']")]


def test_the_editions_english_labels_in_another_language_say_they_are_english(edition_site: tuple[Path, Path]) -> None:
    # "signed", "registry mark", "[illegible]", "[p. 2]" are the edition's English words: inside
    # a Russian or Azerbaijani original a screen reader would read them with that language's
    # voice unless they carry lang="en" (WCAG 3.1.2), and inside a right-to-left text dir="ltr".
    _, out = edition_site
    checked = 0
    for path in sorted((out / "documents").glob("*.html")):
        tree = lxml_html.parse(str(path))
        for version in tree.xpath("//div[contains(@class, 'version-text')][not(starts-with(@lang, 'en'))]"):
            labels = version.xpath(".//span[@class='ed-label'] | .//span[contains(@class, 'ed-pb')]"
                                   " | .//span[@class='ed-gap'] | .//span[@class='ed-choice-label']")
            # A gap's description from the source ("[подпись]") is the text's own words.
            for label in [e for e in labels if not re.search("[\u0400-\u06ff]", text_of(e))]:
                assert label.xpath("ancestor-or-self::*[@lang][1]/@lang") == ["en"], (path.name, text_of(label))
                checked += 1
    assert checked > 30
    # Words of the source inside such a mark keep the text's language.
    tree = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    ru = tree.xpath("//div[contains(@class, 'version-text')][@lang='ru']")[0]
    signed = ru.xpath(".//p[@class='ed-signed']")[0]
    assert signed.xpath("ins/span[@class='ed-label']/@lang") == ["en"]
    assert signed.xpath("ins/text()[normalize-space()]/ancestor::*[@lang][1]/@lang") == ["ru"]


def test_an_english_label_in_a_right_to_left_text_runs_left_to_right() -> None:
    from edition.transform import transformer

    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="rtl-marks" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Marks in Persian</title></titleStmt></fileDesc></teiHeader>
  <text><body>
    <div type="original" xml:lang="fa"><p>کمیته <gap reason="illegible"/> تبریز<pb n="2"/> <stamp>مهر</stamp></p></div>
    <div type="translation" xml:lang="en"><p>The committee <gap reason="illegible"/> of Tabriz<pb n="2"/></p></div>
  </body></text>
</TEI>""".encode()
    t = transformer()
    tree = lxml_html.fromstring(t.apply("html.xsl", t.parse(tei, "rtl-marks.xml"), {}, "rtl-marks.xml"))
    fa = tree.xpath("//div[contains(@class, 'version-text')][@lang='fa']")[0]
    labels = fa.xpath(".//span[@class='ed-gap'] | .//span[contains(@class, 'ed-pb')] | .//span[@class='ed-label']")
    assert [(text_of(e), e.get("lang"), e.get("dir")) for e in labels] == [
        ("[illegible]", "en", "ltr"), ("[p. 2]", "en", "ltr"), ("stamp", "en", "ltr")]
    # In the English translation the labels need no attribute of their own.
    en = tree.xpath("//div[contains(@class, 'version-text')][@lang='en']")[0]
    assert en.xpath(".//span[@class='ed-gap']/@lang | .//span[contains(@class, 'ed-pb')]/@lang") == []


def test_a_salutation_is_a_line_of_its_own(edition_site: tuple[Path, Path]) -> None:
    # The converter writes TEI's salute; a template for a "salutation" element, which TEI
    # does not have, left it bare text in the opener, without its class, spacing or language.
    _, out = edition_site
    tree = lxml_html.parse(str(out / "documents" / "wilson-119698.html"))
    assert [text_of(p) for p in tree.xpath("//div[@class='tei-opener']/p[@class='tei-salute']")] == [
        "Dear Cde. Khrushchev,", "Уважаемый тов. Хрущев,"]
    assert [t for t in tree.xpath("//div[@class='tei-opener']/text()") if t.strip()] == []


def test_the_editors_changes_are_shown_with_their_date_and_editor(tmp_path: Path) -> None:
    # An editor who corrects a TEI file by hand records it in revisionDesc; the reader of
    # the page should learn that the text was corrected, when and by whom, not only from the
    # TEI download. The converter's own change is already the Encoding row.
    source = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    edited = source.replace("<respStmt>", '<respStmt><resp>Edited by</resp><persName xml:id="editor-1">Clara Editor</persName></respStmt><respStmt>', 1)
    edited = edited.replace("</revisionDesc>", '<change when="2026-11-03" who="#editor-1">Corrected the date of the dateline.</change>'
                            '<change when="2026-11-20T10:15:00">Added a note on the stamp.</change></revisionDesc>')
    assert edited.count("<change") == 3
    out = build_edited(tmp_path, {"wilson-119711.xml": edited,
                                  "wilson-119698.xml": (ROOT / "tei" / "wilson-119698.xml").read_text(encoding="utf-8")})
    tree = lxml_html.parse(str(out / "documents" / "wilson-119711.html"))
    rows = tree.xpath("//div[@class='meta-row'][dt='Revisions']//li")
    assert [text_of(li) for li in rows] == [
        "November 3, 2026: Corrected the date of the dateline. (Clara Editor)",
        "November 20, 2026: Added a note on the stamp.",
    ]
    assert [li.xpath("string(time/@datetime)") for li in rows] == ["2026-11-03", "2026-11-20"]
    # A file only the converter changed has no such row.
    assert "Revisions" not in meta(lxml_html.parse(str(out / "documents" / "wilson-119698.html")))


def test_the_original_language_names_every_language_of_the_originals(edition_site: tuple[Path, Path]) -> None:
    # wilson-119698's originals are a Russian letter and an Azerbaijani text (textLang
    # mainLang="ru" otherLangs="az-Cyrl"); the export's field says only "Russian".
    _, out = edition_site
    m = meta(lxml_html.parse(str(out / "documents" / "wilson-119698.html")))
    assert m["Original language"] == "Russian, Azerbaijani (Cyrillic script)"
    assert meta(lxml_html.parse(str(out / "documents" / "wilson-119711.html")))["Original language"] == "Russian"


def test_notes_are_numbered_without_gaps_when_a_note_holds_a_note(tmp_path: Path) -> None:
    # The schema lets a note hold a note (an editor's footnote on a translator's note, on a
    # handwritten annotation). The inner one is shown in its place, in parentheses, and has
    # no number; the numbers of the notes after it must not count it either.
    source = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    # In the Russian original, which comes first in the file: every later number counted it.
    edited = source.replace('<note type="registry">№ 25-С-2461</note>',
                            '<note type="registry">№ 25-С-2461<note type="editorial">The registry number.</note></note>', 1)
    edited = edited.replace("<p>Cde. Radmanesh,", '<p><note type="translator">Kept as in the original.</note>Cde. Radmanesh,', 1)
    edited = edited.replace("<p>The expenses", '<p>The expenses<note type="editorial">First footnote, with <note type="editorial">a remark</note>.</note>'
                            '<note type="editorial">Second footnote.</note>', 1)
    assert edited.count("<note type=\"editorial\">") == source.count("<note type=\"editorial\">") + 4
    out = build_edited(tmp_path, {"wilson-119711.xml": edited})
    tree = lxml_html.parse(str(out / "documents" / "wilson-119711.html"))
    assert [a.text for a in tree.xpath("//sup[@class='noteref']/a")] == ["1", "2", "3"]
    assert [li.get("id") for li in tree.xpath("//section[@class='notes']//li")] == ["note-1", "note-2", "note-3"]
    assert "(The registry number.)" in text_of(tree.getroot())
    plain = (out / "text" / "wilson-119711.txt").read_text(encoding="utf-8")
    assert "[3] Second footnote." in plain and "[4]" not in plain and "[5]" not in plain


def test_notes_are_numbered_in_the_order_the_page_shows_the_versions(tmp_path: Path) -> None:
    # The original comes first in the file, the translation first on the page and in the
    # plain text: numbered in file order, a reader of the translation would meet 2 and 3
    # before 1, and the list under Notes would start with a note of the column beside.
    source = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    edited = source.replace("<p>Генеральный секретарь", '<p><note type="editorial" xml:lang="en">In the original.</note>Генеральный секретарь', 1)
    edited = edited.replace("<p>The expenses", '<p>The expenses<note type="editorial">Translation, first.</note>'
                            '<note type="editorial">Translation, second.</note>', 1)
    assert edited.index("In the original.") < edited.index("Translation, first.")
    out = build_edited(tmp_path, {"wilson-119711.xml": edited})
    tree = lxml_html.parse(str(out / "documents" / "wilson-119711.html"))
    versions = tree.xpath("//section[starts-with(@class, 'version ')]")
    assert [v.get("class") for v in versions] == ["version version-translation", "version version-original"]
    assert [v.xpath(".//sup[@class='noteref']/a/text()") for v in versions] == [["1", "2"], ["3"]]
    notes = tree.xpath("//section[@class='notes']//li")
    assert [(li.get("id"), text_of(li).split(".")[0]) for li in notes] == [
        ("note-1", "Translation, first"), ("note-2", "Translation, second"), ("note-3", "In the original")]
    plain = (out / "text" / "wilson-119711.txt").read_text(encoding="utf-8")
    assert plain.index("[1] Translation, first.") < plain.index("[2] Translation, second.") < plain.index("[3] In the original.")


def test_legend_lists_exactly_the_marks_used(site: Path) -> None:
    legend = [text_of(dd) for dd in page(site, "site-marks").xpath("//aside[@class='legend']//dd")]
    assert legend == [
        "Supplied by the editor or translator", "Handwritten in the original", "Added later in the original",
        "Deleted in the original", "Left out: illegible, damaged or omitted", "So in the original", "Uncertain reading",
        "Abbreviation with its expansion", "Signature", "Stamp", "Page break, foliation or other archival marking",
        "Note (listed under Notes)",
    ]
    assert page(site, "site-rtl").xpath("//aside[@class='legend']") == []


def test_notes_are_numbered_and_linked_both_ways(site: Path) -> None:
    tree = page(site, "site-marks")
    refs = tree.xpath("//sup[@class='noteref']/a")
    assert [(a.get("id"), a.get("href"), a.text) for a in refs] == [("noteref-1", "#note-1", "1"), ("noteref-2", "#note-2", "2")]
    notes = tree.xpath("//section[@class='notes']//li")
    assert [n.get("id") for n in notes] == ["note-1", "note-2"]
    assert text_of(notes[0]).startswith("The abbreviation is the translator's reading of ОК.")
    assert notes[0].xpath(".//span[@class='tei-foreign']/@lang") == ["ru"]
    assert notes[1].xpath("a[@class='backref']/@href") == ["#noteref-2"]


def test_headings_never_skip_a_level(site: Path) -> None:
    for path in sorted((site / "documents").glob("*.html")) + [site / "index.html"]:
        levels = [int(h.tag[1]) for h in lxml_html.parse(str(path)).xpath("//h1|//h2|//h3|//h4|//h5|//h6")]
        assert levels[0] == 1 and levels.count(1) == 1, path
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path, levels)


def test_landmarks_and_no_script_needed_to_read(site: Path) -> None:
    tree = page(site, "site-marks")
    assert len(tree.xpath("//header[@class='site-header']")) == 1
    assert len(tree.xpath("//main[@id='main']")) == 1 and tree.xpath("//a[@class='skip-link']/@href") == ["#main"]
    assert len(tree.xpath("//footer[@class='site-footer']")) == 1
    # Nothing rooted at "/": the site works from disk and under any base path.
    assert not [h for h in tree.xpath("//@href | //@src") if h.startswith("/")]
    assert tree.xpath("//link[@rel='stylesheet']/@href") == ["../assets/edition.css"]


def test_plain_text(site: Path) -> None:
    raw = (site / "text" / "site-marks.txt").read_bytes()
    text = raw.decode("utf-8")
    lines = text.split("\n")
    assert lines[0] == "Memorandum on the Supply of Paper to the Regional Committee"
    assert lines[1] == "=" * len(lines[0])
    assert "Date:           March 4, 1956" in lines
    assert any(line.startswith('Citation:       "Memorandum on the Supply') for line in lines)
    assert "TEI:            https://edition.example.org/pub/tei/site-marks.xml" in lines
    # Translation first, then the original.
    assert text.index("ENGLISH TRANSLATION") < text.index("ORIGINAL (RUSSIAN)")
    for mark in ("⟦one hundred⟧", "[handwritten above the line: two hundred]", "1[st]", "empy [sic]",
                 "has [sic; read have]", "RC [Regional Committee][1]", "[illegible, 2 words]", "[stamp: RECEIVED 6 MAR 1956]",
                 "[p. 13]", "[signed] [signature] (I. Sidorov)", "[handwritten note (Ivanov) in the left margin: To the archive]",
                 "[signed] [handwritten (Petrov): P. Petrov] (P. Petrov)",
                 "1956[?]", "⸢Typed later: urgent.⸣", "[archival marking: Sheet 12]"):
        assert mark in " ".join(text.split()), mark
    assert "TO THE REGIONAL COMMITTEE\nCde. Ivanov" in text  # address lines kept
    assert "\n[1] The abbreviation is the translator's reading of ОК.\n" in text
    assert "1. Writing paper, 100 packs;" in text
    # Wrapped: no line longer than 72 characters unless it is one unbreakable word after its label.
    for line in lines:
        assert len(line) <= 72 or len(line.split()[-1]) > 40, line
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\u2028" not in text


def test_plain_text_marks_a_superscript(site: Path) -> None:
    # The page sets it as <sup>; the plain text ran it into the line, so a raised number
    # joined the word before it ("Коммунист<sup>121</sup>" read "Коммунист121", seed 004).
    text = " ".join((site / "text" / "site-marks.txt").read_text(encoding="utf-8").split())
    assert "with a word in italics, ^{a superscript} and spaced underlined text." in text
    assert "^{text} superscript" in text  # in the key of marks
    assert "_{text}" not in text  # which names only the marks the document uses


def test_an_uncertain_date_says_so_wherever_it_is_shown(site: Path) -> None:
    # site-partial's date is a range with cert="low" ("September 1956" printed from its
    # ISO values): the citations date it circa, so the page, its index entry and the
    # plain text must not show it as certain. site-marks' date is certain.
    doubtful = page(site, "site-partial")
    assert text_of(doubtful.xpath("//p[@class='kicker']")[0]).startswith("Report · September 1956 (uncertain)")
    assert meta(doubtful)["Date"] == "September 1956 (uncertain)"
    assert "Date:           September 1956 (uncertain)" in (site / "text" / "site-partial.txt").read_text(encoding="utf-8").split("\n")
    entries = {e.xpath("string(.//h3/a/@href)"): text_of(e.xpath(".//p[@class='entry-meta']")[0])
               for e in lxml_html.parse(str(site / "index.html")).xpath("//li[@class='entry']")}
    assert entries["documents/site-partial.html"].startswith("September 1956 (uncertain) ·")
    assert entries["documents/site-marks.html"].startswith("March 4, 1956 ·")
    assert "uncertain" not in text_of(page(site, "site-marks").xpath("//p[@class='kicker']")[0])
    assert "uncertain" not in meta(page(site, "site-marks"))["Date"]


@pytest.mark.parametrize("printed, said", [("circa 1957", False), ("1957?", False), ("July 1957", True)])
def test_an_uncertain_date_that_says_so_itself_is_not_qualified_twice(printed: str, said: bool) -> None:
    from edition.transform import transformer

    tei = f"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doubt" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Doubtful</title></titleStmt>
    <sourceDesc><msDesc><msIdentifier/><history><origin>
      <origDate when="1957" cert="low">{printed}</origDate></origin></history></msDesc></sourceDesc>
  </fileDesc></teiHeader>
  <text><body><div type="translation"><p>Text.</p></div></body></text>
</TEI>""".encode()
    t = transformer()
    node = t.parse(tei, "doubt.xml")
    kicker = text_of(lxml_html.fromstring(t.apply("html.xsl", node, {}, "doubt.xml")).xpath("//p[@class='kicker']")[0])
    text = t.apply("text.xsl", node, {}, "doubt.xml")
    assert (f"{printed} (uncertain)" in kicker) is said and printed in kicker
    assert (f"Date:           {printed} (uncertain)" in text) is said and f"Date:           {printed}" in text


def test_a_title_in_another_language_says_so(site: Path) -> None:
    # The pages are English; a title kept in Persian is marked as such where it is shown.
    from edition.transform import transformer

    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="fa-title" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title type="main" xml:lang="fa">نامه به کمیته</title></titleStmt></fileDesc></teiHeader>
  <text><body><div type="original" xml:lang="fa"><p>متن.</p></div></body></text>
</TEI>""".encode()
    t = transformer()
    node = t.parse(tei, "fa-title.xml")
    h1 = lxml_html.fromstring(t.apply("html.xsl", node, {}, "fa-title.xml")).xpath("//h1")[0]
    assert (h1.get("lang"), h1.get("dir"), text_of(h1)) == ("fa", "rtl", "نامه به کمیته")
    # English titles (every fixture's) carry nothing: the page's lang is theirs.
    assert page(site, "site-marks").xpath("//h1")[0].get("lang") is None
    assert lxml_html.parse(str(site / "index.html")).xpath("//li[@class='entry']//h3/a[@lang]") == []


def test_plain_text_versions_and_undated(site: Path) -> None:
    text = (site / "text" / "site-rtl.txt").read_text(encoding="utf-8")
    order = [text.index(h) for h in ("ENGLISH TRANSLATION", "ORIGINAL (PERSIAN)", "TRANSCRIPTION, AZERBAIJANI (CYRILLIC)")]
    assert order == sorted(order)
    assert "Date:           Undated" in text and "Type:           Document" in text
    assert "کمیته تبریز از رفقا درخواست کاغذ دارد." in text


def test_a_body_with_paragraphs_of_its_own_is_shown_whole() -> None:
    from edition.transform import transformer

    tei = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="loose" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Loose body</title></titleStmt></fileDesc></teiHeader>
  <text><body>
    <p>Opening paragraph outside any div.</p>
    <div type="original" xml:lang="de"><p>Ein Absatz.</p></div>
  </body></text>
</TEI>"""
    t = transformer()
    node = t.parse(tei, "loose.xml")
    tree = lxml_html.fromstring(t.apply("html.xsl", node, {}, "loose.xml"))
    versions = tree.xpath("//section[contains(@class, 'version ')]")
    assert len(versions) == 1 and versions[0].xpath("string(h3)") == "Text (English)"
    assert "Opening paragraph outside any div." in text_of(versions[0])
    assert versions[0].xpath(".//div[@lang='de']//p/text()") == ["Ein Absatz."]
    text = t.apply("text.xsl", node, {}, "loose.xml")
    assert "Opening paragraph outside any div." in text and "Ein Absatz." in text


@pytest.fixture(scope="module")
def edition_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The edition's real TEI files (as the converter writes them) plus the fixtures."""
    tei = tmp_path_factory.mktemp("edition-tei")
    for p in sorted((ROOT / "tei").glob("*.xml")) + sorted(FIXTURES.glob("*.xml")):
        shutil.copy(p, tei / p.name)
    out = tmp_path_factory.mktemp("edition-build") / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition", base_url="", edition_version="1"))
    return tei, out


def test_no_text_of_the_body_is_lost(edition_site: tuple[Path, Path]) -> None:
    """Every piece of text in every TEI body reaches both the page and the plain text."""
    tei, out = edition_site
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    checked = 0
    for path in sorted(tei.glob("*.xml")):
        root = etree.parse(str(path))
        pieces = [" ".join(t.split()) for t in root.xpath("//tei:text/tei:body//text()", namespaces=ns) if t.strip()]
        html_text = " ".join(lxml_html.parse(str(out / "documents" / f"{path.stem}.html")).getroot().text_content().split())
        plain = " ".join((out / "text" / f"{path.stem}.txt").read_text(encoding="utf-8").split())
        for piece in pieces:
            assert piece in html_text, (path.name, piece)
            assert piece.casefold() in plain.casefold(), (path.name, piece)  # headings are upper-cased there
            checked += 1
    assert checked > 100


def _xslt_function(name: str, *args: object) -> list[str]:
    """Call a public function of text.xsl (the compiled stylesheet the build uses)."""
    from edition.transform import transformer

    t = transformer()
    proc = t._proc
    values = [proc.make_integer_value(a) if isinstance(a, int) else proc.make_string_value(str(a)) for a in args]
    result = t.stylesheet("text.xsl").call_function_returning_value(f"{{https://edition.example/ns}}{name}", values)
    return [result.item_at(i).string_value for i in range(result.size)] if result is not None else []


@settings(max_examples=150, deadline=None)
@given(
    words=st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=30), max_size=40),
    width=st.integers(min_value=10, max_value=80),
)
def test_wrap_keeps_every_word_in_order_within_the_width(words: list[str], width: int) -> None:
    text = " ".join(words)
    lines = _xslt_function("wrap", text, width)
    assert " ".join(lines).split() == text.split()
    assert all(lines) or lines == [""]  # no empty line, unless there are no words at all
    for line in lines:
        assert len(line) <= width or " " not in line, (line, width)
    # Greedy: the next line's first word would not have fitted.
    for line, following in zip(lines, lines[1:]):
        assert len(line) + 1 + len(following.split(" ")[0]) > width


def test_wrap_sets_a_word_longer_than_the_line_on_a_line_of_its_own() -> None:
    assert _xslt_function("wrap", "a " + "x" * 30 + " b", 10) == ["a", "x" * 30, "b"]
    assert _xslt_function("wrap", "ab cd " + "y" * 12, 10) == ["ab cd", "y" * 12]  # and nothing after it
    assert _xslt_function("wrap", "  ", 10) == [""]


def test_wrap_takes_a_paragraph_of_tens_of_thousands_of_lines() -> None:
    # An OCR transcription without line breaks is one paragraph of thousands of lines
    # (200,000 words, some 10,900 lines here): wrapped line by line over the text's offset,
    # every word kept, in order, within the width.
    words = [f"w{i % 97}" for i in range(200_000)]
    lines = _xslt_function("wrap", " ".join(words), 72)
    assert " ".join(lines).split() == words
    assert max(map(len, lines)) <= 72 and len(lines) > 10_000
    # Words longer than the line, many of them (a table rule of dashes on every row).
    rule = "-" * 150
    lines = _xslt_function("wrap", " ".join([rule, "a"] * 3_000), 72)
    assert lines == [rule, "a"] * 3_000


def test_hostile_text_stays_text() -> None:
    from edition.transform import transformer

    tei = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="hostile" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title></titleStmt>
  <publicationStmt><idno type="source-url">javascript:alert(2)</idno></publicationStmt></fileDesc></teiHeader>
  <text><body><div type="translation" xml:lang="en">
    <p>See <ref target="javascript:alert(3)">this</ref> and <ptr target="data:text/html,x"/> &lt;img src=x onerror=alert(4)&gt;</p>
  </div></body></text>
</TEI>"""
    t = transformer()
    html = t.apply("html.xsl", t.parse(tei, "hostile.xml"), {}, "hostile.xml")
    tree = lxml_html.fromstring(html)
    # Scripts the page itself ships (the citation box's) are fine; none may come from the text.
    assert not [s for s in tree.xpath("//script") if "alert" in (s.text or "") or s.get("src")] and tree.xpath("//img") == []
    assert not [h for h in tree.xpath("//@href | //@src") if h.lower().startswith(("javascript:", "data:"))]
    assert tree.xpath("string(//h1)") == "</title><script>alert(1)</script>"


def test_the_direction_of_a_text_follows_its_script_subtag_before_its_language() -> None:
    # "lad-Hebr" (Ladino in Hebrew letters) runs right to left though Ladino is not one of
    # the right-to-left languages; "fa-Latn" (Persian in Latin letters) runs left to right.
    from edition.transform import transformer

    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="scripts" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Scripts</title></titleStmt></fileDesc></teiHeader>
  <text><body>
    <div type="translation" xml:lang="en"><p>The committee of Tabriz.</p></div>
    <div type="original" xml:lang="lad-Hebr"><p>אל קומיטי</p></div>
    <div type="original" xml:lang="fa-Latn"><p>Komite-ye Tabriz</p></div>
    <div type="original" xml:lang="az-Arab"><p>تبریز کمیته‌سی</p></div>
  </body></text>
</TEI>""".encode()
    t = transformer()
    tree = lxml_html.fromstring(t.apply("html.xsl", t.parse(tei, "scripts.xml"), {}, "scripts.xml"))
    texts = tree.xpath("//div[contains(@class, 'version-text')]")
    assert [(d.get("lang"), d.get("dir")) for d in texts] == [
        ("en", "ltr"), ("lad-Hebr", "rtl"), ("fa-Latn", "ltr"), ("az-Arab", "rtl")]


def test_hundreds_of_notes_are_numbered_in_reading_order_on_the_page_and_in_the_text() -> None:
    """ed:note-number reads each note's number from one map of the document's footnotes
    (it listed them again for every note, so a page's cost grew with the square of its
    notes: 1,200 notes took 6 s; the cost is measured in bench/RESULTS.md, not here)."""
    from edition.transform import Transformer

    source = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    notes_xml = "".join(f'<note type="editorial">Note {i}.</note>' for i in range(300))
    data = source.replace("<p>The expenses", "<p>The expenses" + notes_xml, 1).encode("utf-8")
    transformer = Transformer()
    node = transformer.parse(data, "notes.xml", keep=False)
    page = lxml_html.fromstring(transformer.apply("html.xsl", node))
    refs = [int(a.text) for a in page.xpath("//sup[@class='noteref']/a")]
    assert len(refs) >= 300 and refs == list(range(1, len(refs) + 1))
    listed = page.xpath("//section[contains(@class, 'notes')]//li/@id")
    assert listed == [f"note-{n}" for n in refs]
    text = transformer.apply("text.xsl", node)
    first = int(page.xpath("//section[contains(@class, 'notes')]//li[contains(., 'Note 0.')]/@id")[0].removeprefix("note-"))
    for i in range(300):
        assert f"[{first + i}] Note {i}." in text


def test_the_edition_licence_is_linked_on_the_page_and_given_to_harvesters(tmp_path: Path) -> None:
    import sqlite3

    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    out = tmp_path / "build" / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition", base_url="", edition_version="1"))
    cc_by = "https://creativecommons.org/licenses/by/4.0/"
    for path in sorted((out / "documents").glob("*.html")):
        row = lxml_html.parse(str(path)).xpath("//div[@class='meta-row'][dt='Rights']/dd")[0]
        assert row.xpath("a[@rel='license']/@href") == [cc_by], path.name
        text = (out / "text" / f"{path.stem}.txt").read_text(encoding="utf-8")
        assert f"\nLicence:        {cc_by}\n" in text, path.name
    # Seed 001's rights statement follows the licence, outside its link.
    row = page(out, "doc-1941-12-09-cable-from-dimitrov-to-stalin-molotov-beria-and").xpath(
        "//div[@class='meta-row'][dt='Rights']/dd")[0]
    link = text_of(row.xpath("a")[0])
    assert link.startswith("The encoding of this edition")
    assert text_of(row).startswith(link + " The History and Public Policy Program welcomes reuse")
    with sqlite3.connect(out.parent / "catalog.sqlite") as db:
        for (dc,) in db.execute("SELECT oai_dc FROM records"):
            rights = etree.fromstring(dc).xpath("//dc:rights/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
            assert cc_by in rights and any(r.startswith("The encoding of this edition") for r in rights)


@pytest.mark.parametrize("target", ["javascript:alert(document.domain)", "data:text/html,<script>alert(1)</script>"])
def test_a_licence_target_that_is_not_a_web_address_is_not_a_link(target: str) -> None:
    """The Rights row linked availability/licence/@target as it stood: a file edited by
    hand with target="javascript:..." gave the page a script link (the page's other
    links out, the source's and the body's refs, are made only of http(s) addresses)."""
    from edition.transform import Transformer

    source = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    cc_by = 'target="https://creativecommons.org/licenses/by/4.0/"'
    assert cc_by in source
    data = source.replace(cc_by, f'target="{target.replace("<", "&lt;")}"', 1).encode("utf-8")
    transformer = Transformer()
    page = lxml_html.fromstring(transformer.apply("html.xsl", transformer.parse(data, "licence.xml", keep=False)))
    row = page.xpath("//div[@class='meta-row'][dt='Rights']/dd")[0]
    assert not row.xpath(".//a")
    assert text_of(row).startswith("The encoding of this edition")


def test_plain_text_folds_tabs_and_line_ends_inside_the_text_into_spaces() -> None:
    # Tabs, carriage returns and line ends of a text node read as one space wherever they
    # stand: between words, beside a forced line break, in an addition and in a note.
    from edition.transform import transformer

    tei = b"""<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="spaces" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Spaces</title></titleStmt></fileDesc></teiHeader>
  <text><body><div type="translation">
    <p>One&#9;two&#13;three
       four <add place="above">five&#9;&#13;six</add>&#9;<lb/>&#13;&#9;seven&#9;<note type="editorial">a&#9;b&#13;&#10;c</note>&#9;</p>
    <p>&#9;&#13;&#10;</p>
  </div></body></text>
</TEI>"""
    t = transformer()
    text = t.apply("text.xsl", t.parse(tei, "spaces.xml"), {}, "spaces.xml")
    body = text.split("ENGLISH TRANSLATION\n-------------------\n\n", 1)[1]
    assert body == "One two three four \u2e22five six\u2e23 [added above the line]\nseven [1]\n\nNotes\n-----\n\n[1] a b c\n"
    assert "\t" not in text and "\r" not in text


def test_the_pages_text_is_the_teis_text_escaped_as_html_needs() -> None:
    # The body's text nodes are copied by the mode's built-in rule: every character
    # arrives, markup characters escaped, white space as the TEI has it.
    from edition.transform import transformer

    tei = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="chars" xml:lang="en">
  <teiHeader><fileDesc><titleStmt><title>Characters</title></titleStmt></fileDesc></teiHeader>
  <text><body><div type="translation">
    <p>Fish &amp; chips &lt;b&gt; "quoted" 𝔄 Ǆ\u00a0no-break,  two spaces <hi rend="italic">it&amp;al</hi> end.</p>
  </div></body></text>
</TEI>""".encode()
    t = transformer()
    html = t.apply("html.xsl", t.parse(tei, "chars.xml"), {}, "chars.xml")
    assert ('<p class="tei-p">Fish &amp; chips &lt;b&gt; "quoted" 𝔄 Ǆ&nbsp;no-break,  two spaces '
            '<span class="tei-hi rend-italic">it&amp;al</span> end.</p>') in html
