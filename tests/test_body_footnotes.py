"""Footnotes referred to more than once: from the original and the translation, or twice
in one text. Each is converted, checked, validated and built, as `edition make` does."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from edition.build import build_site
from edition.convert import convert_source
from edition.render import BuildContext
from robust_support import NS, ROOT, check_fidelity, check_tei

FOOTNOTES = ROOT / "tests" / "fixtures" / "body" / "export-footnotes.md"
PARAGRAPHS = ROOT / "tests" / "fixtures" / "body" / "export-footnote-paragraphs.md"
LABELS = ROOT / "tests" / "fixtures" / "body" / "export-footnote-labels.md"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture(scope="module")
def edition_validator():
    """The edition's own layers (its RELAX NG and Schematron, which checks that pointers resolve)."""
    from edition.validate import Validator

    return Validator(layers=("edition", "schematron"))


def made(tmp_path: Path, replacements: list[tuple[str, str]], validators: list[object],
         source: Path = FOOTNOTES) -> tuple[etree._Element, Path]:
    """The footnotes export (or ``source``) edited by ``replacements``, converted, checked
    against its source, valid, and built: its TEI root and the site's folder."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "footnotes.md"
    path.write_text(text, encoding="utf-8")
    doc, data = convert_source(path, "doc")
    for validator in validators:
        root = check_tei(data, path, validator)
    check_fidelity(path, doc, root)
    tei = tmp_path / "tei"
    tei.mkdir()
    (tei / f"{doc.id}.xml").write_bytes(data)
    out = tmp_path / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition", base_url="", edition_version="1"))
    return root, out


def test_a_footnote_referred_to_from_the_original_and_the_translation_is_encoded_once(
        tmp_path: Path, tei_all_validator, edition_validator) -> None:
    """The original's "[^1]", whose note the export lists after the translation (which refers
    to it too), stayed in the TEI as text, and the check reported an added "1"."""
    root, out = made(tmp_path, [("Делегация прибудет", "Делегация[^1] прибудет")], [tei_all_validator, edition_validator])
    assert b"[^" not in etree.tostring(root)
    (note,) = root.xpath("//tei:note[@type='footnote'][@n='1']", namespaces=NS)
    assert note.xpath("string(ancestor::tei:div/@type)", namespaces=NS) == "translation"  # where it is defined
    (ptr,) = root.xpath("//tei:div[@type='original']//tei:ptr", namespaces=NS)
    assert ptr.get("type") == "footnote" and ptr.get("target") == "#" + note.get(XML_ID)
    assert ptr.getparent().text == "Делегация"
    doc_id = root.get(XML_ID)
    page = lxml_html.parse(str(out / "documents" / f"{doc_id}.html"))
    refs = page.xpath("//sup[@class='noteref']/a")
    # The translation first (1 and 2), then the original's pointer: the same note 1.
    assert [(a.text, a.get("href")) for a in refs] == [("1", "#note-1"), ("2", "#note-2"), ("1", "#note-1")]
    assert len(page.xpath("//section[@class='notes']//li")) == 2
    assert len(page.xpath("//*[@id='noteref-1']")) == 1  # the note's back link goes to one place
    plain = (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert "Делегация[1] прибудет" in plain and plain.count("[1] The Russian text") == 1


def test_a_footnote_referred_to_twice_in_one_text_and_from_the_original_out_of_order(
        tmp_path: Path, tei_all_validator) -> None:
    """The second "[^1]" of the translation stayed as text; and with the original referring
    to note 2 first, the check expected note 2 before note 1 (it stands in the translation,
    after note 1) and reported the notes' words reordered."""
    root, out = made(tmp_path, [("Делегация прибудет", "Делегация[^2] прибудет"),
                                ("of the visit[^2]", "of the visit[^1][^2]")], [tei_all_validator])
    assert b"[^" not in etree.tostring(root)
    assert [(p.get("n"), p.get("target")) for p in root.xpath("//tei:ptr", namespaces=NS)] == [("2", "#fn-2"), ("1", "#fn-1")]
    assert root.xpath("//tei:note[@type='footnote']/@xml:id", namespaces=NS) == ["fn-1", "fn-2"]
    doc_id = root.get(XML_ID)
    plain = (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert "of the\nvisit[1][2]." in plain or "visit[1][2]." in plain
    assert "Делегация[2] прибудет" in plain


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        # a reference to a label no line defines: it stays "[^3]" in the text
        ([("the visit[^2]", "the visit[^3]")],
         ["line 43: footnote [^3] is referred to, but no line defines it",
          "line 53: footnote [^2] is defined, but nothing refers to it"]),
        # a label defined twice (the second a slip for 2): one of the two is a note on no word
        ([("[^2]: The list", "[^1]: The list")],
         ["line 43: footnote [^2] is referred to, but no line defines it",
          "line 53: footnote [^1] is defined again (first at line 51)"]),
        # every reference and definition in order: nothing to say
        ([], []),
        # each part numbering its notes from 1, the original's listed after it: each serves its own part
        ([("Делегация прибудет", "Делегация[^1] прибудет"), ("3 марта 1956 года\n", "3 марта 1956 года\n\n[^1]: Дата словами.\n")], []),
    ],
    ids=["undefined-and-unreferenced", "defined-twice", "sound", "each-part-its-own"],
)
def test_footnote_slips_of_the_export_are_warned_of_with_their_line(tmp_path: Path, replacements: list[tuple[str, str]],
                                                                     expected: list[str]) -> None:
    """A reference to no definition stayed in the edition as "[^3]", a second definition of a
    label and a definition nothing refers to became notes on no word, all without a word
    to the editor."""
    from edition.sources import read_source

    text = FOOTNOTES.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "footnotes.md"
    path.write_text(text, encoding="utf-8")
    warnings = [w for w in getattr(read_source(path), "warnings", []) if "footnote" in w]
    assert len(warnings) == len(expected), warnings
    for warning, start in zip(warnings, expected):
        assert warning.startswith(start), warning


def test_a_translators_note_placed_in_the_original_keeps_its_language(tmp_path: Path, tei_all_validator) -> None:
    """The note the export lists after the English translation, referred to only from the
    Russian original, was placed in the original's div with no xml:lang of its own: the
    TEI said its English words were Russian, and the page's list of notes said lang="ru"."""
    root, out = made(tmp_path, [("Делегация прибудет", "Делегация[^1] прибудет"), ("1956[^1] and", "1956 and")], [tei_all_validator])
    (note,) = root.xpath("//tei:div[@type='original']//tei:note[@type='footnote']", namespaces=NS)
    assert note.text == "The Russian text has the date in words."
    assert note.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.xpath("//tei:div[@type='translation']//tei:note/@xml:lang", namespaces=NS) == []  # in its own part's language
    page = lxml_html.parse(str(out / "documents" / f"{root.get(XML_ID)}.html"))
    (item,) = page.xpath("//section[@class='notes']//li[contains(., 'date in words')]/div")
    assert item.get("lang") == "en"


def test_a_pointer_to_a_footnote_on_a_handwritten_note_shows_the_note_not_number_0(tmp_path: Path, tei_all_validator) -> None:
    """A footnote inside a handwritten note has no number (a note inside a note is shown in
    its place); the original's reference to it was shown as note "0", linking to no note."""
    root, out = made(tmp_path, [
        ("Просим утвердить программу и список участников визита.", "Просим утвердить программу и список участников визита.\n\n[handwritten: Согласен[^3]]"),
        ("list of participants of the visit[^2].", "list of participants of the visit[^2].\n\n[handwritten: Agreed[^3]]"),
        ("[^2]: The list is not in the file.", "[^2]: The list is not in the file.\n\n[^3]: In the margin."),
    ], [tei_all_validator])
    (note,) = root.xpath("//tei:note[@type='handwritten']/tei:note[@type='footnote']", namespaces=NS)
    (ptr,) = root.xpath("//tei:div[@type='original']//tei:note[@type='handwritten']/tei:ptr", namespaces=NS)
    assert ptr.get("target") == "#" + note.get(XML_ID)
    page = lxml_html.parse(str(out / "documents" / f"{root.get(XML_ID)}.html"))
    notes = {"#" + li.get("id") for li in page.xpath("//section[@class='notes']//li")}
    assert {a.get("href") for a in page.xpath("//sup[@class='noteref']/a")} <= notes
    shown = [" ".join(s.text_content().split()) for s in page.xpath("//span[@class='nested-note']")]
    assert shown == ["(In the margin.)", "(In the margin.)"]
    (in_original,) = page.xpath("//span[@class='nested-note'][@lang]")
    assert in_original.get("lang") == "en"
    plain = (out / "text" / f"{root.get(XML_ID)}.txt").read_text(encoding="utf-8")
    assert "[0]" not in plain and "Согласен (In the margin.)" in plain


def test_sic_after_a_footnote_reference_marks_the_word_not_the_note(tmp_path: Path, tei_all_validator) -> None:
    """"vizit[^2] [sic]": the sic held the footnote (<sic><note>The list is not in the
    file.</note></sic>), saying the editors' note was the error, and the misspelt word was
    left unmarked; a second "[sic]" after it then nested a sic in the sic."""
    root, out = made(tmp_path, [("the visit[^2].", "the vizit[^2] [sic] [sic].")], [tei_all_validator])
    (sic,) = root.xpath("//tei:sic", namespaces=NS)
    assert sic.text == "vizit" and len(sic) == 0
    (note,) = sic.itersiblings()
    assert note.get("n") == "2" and note.text == "The list is not in the file."
    assert note.tail == " [sic]."  # the second mark stays as printed
    plain = (out / "text" / f"{root.get(XML_ID)}.txt").read_text(encoding="utf-8")
    assert "vizit [sic][2] [sic]." in plain


def test_a_translators_note_placed_in_the_original_keeps_the_translators_insertions(tmp_path: Path, tei_all_validator) -> None:
    """The translation's note, referred to only from the original, was read as the original's
    text: its "[Russian]" and "IKKI [Executive Committee ...]" lost resp="#translator-1", so
    the TEI no longer said whose insertions they are."""
    root, _ = made(tmp_path, [
        ("Делегация прибудет", "Делегация[^1] прибудет"), ("1956[^1] and", "1956 and"),
        ("[^1]: The Russian text", "[^1]: The [Russian] text of IKKI [Executive Committee of the Communist International]"),
    ], [tei_all_validator])
    (note,) = root.xpath("//tei:div[@type='original']//tei:note[@type='footnote']", namespaces=NS)
    assert note.xpath("tei:supplied/@resp | tei:choice/tei:expan/@resp", namespaces=NS) == ["#translator-1", "#translator-1"]
    # The original's own brackets are no one's in particular, as before.
    assert root.xpath("//tei:div[@type='original']//tei:*[@resp][not(ancestor::tei:note)]", namespaces=NS) == []


@pytest.mark.parametrize("line", ["*П. Иванов*[^1] (П. Иванов)", "*П. Иванов* (П. Иванов)[^1]"])
def test_a_signature_with_a_footnote_reference_is_still_a_signature(tmp_path: Path, tei_all_validator, line: str) -> None:
    """The line's "[^1]" was read as a word of it: "*П. Иванов*[^1] (П. Иванов)" was no
    longer a signature, and it and the signer's title above it became two
    note type="annotation" in the body, with no closer."""
    root, _ = made(tmp_path, [("*П. Иванов* (П. Иванов)", line)], [tei_all_validator])
    original = root.xpath("//tei:div[@type='original']", namespaces=NS)[0]
    assert original.xpath(".//tei:note[@type='annotation']", namespaces=NS) == []
    (signed,) = original.xpath("tei:closer/tei:signed", namespaces=NS)
    assert signed.xpath("string(tei:add)", namespaces=NS) == "П. Иванов"
    assert signed.xpath("tei:ptr/@target", namespaces=NS) == ["#fn-1"]
    assert signed.xpath("string(tei:persName)", namespaces=NS) == "П. Иванов"


def test_no_whitespace_is_put_before_a_footnote_after_a_mark(tmp_path: Path, tei_all_validator) -> None:
    """"[illegible signature][^2]": the signed element held only elements (the gap, the
    note), so the writer indented it as element-only content, putting a line break and
    spaces between the gap and the note: the page and the text read
    "[illegible signature] [2]", a space the source does not have."""
    root, out = made(tmp_path, [("the visit[^2].", "the visit."),
                                ("Sector Chief of the CPSU CC Department\n\n[signature] (P. Ivanov)", "[illegible signature][^2]")],
                     [tei_all_validator])
    (signed,) = root.xpath("//tei:div[@type='translation']//tei:signed", namespaces=NS)
    gap, note = signed
    assert gap.tail is None and note.get("n") == "2"
    plain = (out / "text" / f"{root.get(XML_ID)}.txt").read_text(encoding="utf-8")
    assert "[illegible signature][2]" in plain


@pytest.mark.parametrize("line", ["[signed] P. Ivanov[^2]", "P. Ivanov[^2] [signed]"])
def test_a_footnote_on_a_signers_name_follows_the_name(tmp_path: Path, tei_all_validator, line: str) -> None:
    """"[signed] P. Ivanov[^2]": the note stood inside persName, so the name's text was
    "P. IvanovThe list is not in the file." for anything reading the name."""
    root, _ = made(tmp_path, [("the visit[^2].", "the visit."), ("[signature] (P. Ivanov)", line)], [tei_all_validator])
    (signed,) = root.xpath("//tei:div[@type='translation']//tei:signed", namespaces=NS)
    (name,) = signed.xpath("tei:persName", namespaces=NS)
    assert name.xpath("string()") == "P. Ivanov" and len(name) == 0
    (note,) = name.itersiblings()
    assert note.get("n") == "2" and name.tail is None


def test_a_footnote_on_a_closing_date_follows_the_date(tmp_path: Path, tei_all_validator) -> None:
    """"3 March 1956[^2]": the note stood inside the date element, so the date's text was
    "3 March 1956The list is not in the file."."""
    root, out = made(tmp_path, [("the visit[^2].", "the visit."), ("\n3 March 1956\n", "\n3 March 1956[^2]\n")], [tei_all_validator])
    (date,) = root.xpath("//tei:div[@type='translation']/tei:closer/tei:dateline/tei:date", namespaces=NS)
    assert date.get("when") == "1956-03-03" and date.xpath("string()") == "3 March 1956" and len(date) == 0
    (note,) = date.itersiblings()
    assert note.get("n") == "2" and date.tail is None
    plain = (out / "text" / f"{root.get(XML_ID)}.txt").read_text(encoding="utf-8")
    assert "3 March 1956[2]" in plain


def test_a_footnote_continued_in_indented_paragraphs_after_a_blank_line_keeps_them(
        tmp_path: Path, tei_all_validator, edition_validator) -> None:
    """A note's indented paragraphs after a blank line (Markdown's way to continue one) were
    read as lines of the text: annotation notes of the closer, away from their note."""
    root, out = made(tmp_path, [], [tei_all_validator, edition_validator], PARAGRAPHS)
    first, second = root.xpath("//tei:note[@type='footnote']", namespaces=NS)
    assert [" ".join(t.split()) for t in first.xpath("text()")] == [
        'The original has "grain".', "The figure was corrected by hand from forty thousand.", "The correction is initialled."]
    assert len(first.xpath("tei:lb", namespaces=NS)) == 2
    assert first.getparent().text.endswith("fifty thousand tons of wheat")
    assert second.text == "By the Caspian route."
    assert root.xpath("//tei:closer/tei:note", namespaces=NS) == []
    assert root.xpath("//tei:closer/tei:signed/tei:persName/text()", namespaces=NS) == ["N. Pegov"]
    doc_id = root.get(XML_ID)
    plain = (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8")
    assert plain.count("The correction is initialled.") == 1


def test_the_check_counts_a_footnotes_indented_paragraphs_as_the_notes(tmp_path: Path) -> None:
    """The check read a note's indented paragraph after a blank line as body text, so TEI
    that had lost it from the note (a line of the closer instead) passed."""
    from edition import fidelity

    doc, data = convert_source(PARAGRAPHS, "doc")
    root = etree.fromstring(data)
    first = root.xpath("//tei:note[@type='footnote']", namespaces=NS)[0]
    for lb in first.xpath("tei:lb", namespaces=NS):
        lb.tail = ""
    closer = root.xpath("//tei:closer", namespaces=NS)[0]
    etree.SubElement(closer, f"{{{NS['tei']}}}note", type="annotation").text = (
        "The figure was corrected by hand from forty thousand. The correction is initialled.")
    text = PARAGRAPHS.read_text(encoding="utf-8")
    report = fidelity.check_document(doc, text, root, PARAGRAPHS, PARAGRAPHS)
    assert not report.ok
    (notes,) = [r for r in report.roles if r.role == "notes"]
    assert [m.text for m in notes.missing][:3] == ["the", "figure", "was"]


def test_footnotes_labelled_by_signs_get_ids_of_their_own(tmp_path: Path, tei_all_validator, edition_validator) -> None:
    """"[^*]" and "[^†]" referred to twice were given ids by count ("fn-1", "fn-2"), so the
    translation's asterisk note held "fn-1" and the note labelled "1" took "fn-1-2"."""
    root, out = made(tmp_path, [], [tei_all_validator, edition_validator], LABELS)
    notes = root.xpath("//tei:note[@type='footnote']", namespaces=NS)
    assert [(n.get("n"), n.get(XML_ID)) for n in notes] == [
        ("*", "fnx-_2a_"), ("*", "fnx-_2a_-2"), ("†", "fnx-_2020_"), ("1", "fn-1")]
    by_id = {n.get(XML_ID): n for n in notes}
    ptrs = root.xpath("//tei:ptr[@type='footnote']", namespaces=NS)
    assert len(ptrs) == 4
    for ptr in ptrs:
        note = by_id[ptr.get("target")[1:]]
        assert note.get("n") == ptr.get("n")
        assert note.xpath("string(ancestor::tei:div/@type)", namespaces=NS) == ptr.xpath("string(ancestor::tei:div/@type)", namespaces=NS)
    page = lxml_html.parse(str(out / "documents" / f"{root.get(XML_ID)}.html"))
    assert len(page.xpath("//section[@class='notes']//li")) == 4
