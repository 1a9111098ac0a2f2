"""Regressions found by fuzzing the structure of whole exports (lines joined and split,
fields removed, moved and doubled, white space and line ends changed).

Each test is the smallest source that showed one cause; each must convert into TEI
that is valid and faithful (robust_support.check_source), or fail naming the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.convert import convert_source
from edition.errors import EditionError
from robust_support import NS, ROOT, check_source

LINE_EXPORT = (
    "March 12, 1953\n"
    "Report on the Funeral Commission\n"
    "The commission met at 11 a.m. and agreed on the order of the ceremony.\n"
    "A report on the funeral arrangements.\n"
    "Document Information\n"
    "Type: Report\n"
    "Record ID: 221140\n"
    "Original Classification: Secret\n"
)


def test_a_label_with_a_tab_or_two_spaces_between_its_words_is_still_the_export_s(tmp_path: Path, tei_all_validator) -> None:
    """The reader took "Record  ID: 221140" as the Record ID (it reads the line with its
    spaces collapsed) while the check read the label words as the value's and lost them."""
    path = tmp_path / "spaced-labels.txt"
    path.write_text(LINE_EXPORT.replace("Record ID", "Record  ID").replace("Original Classification", "Original\tClassification"),
                    encoding="utf-8")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None
    assert result.doc is not None and result.doc.metadata.record_id == "221140"


FOOTNOTES = ROOT / "tests" / "fixtures" / "body" / "export-footnotes.md"


def edited(source: Path, old: str, new: str, target: Path) -> Path:
    """``target``, a copy of the export ``source`` with ``old`` (which it must hold) made ``new``."""
    text = source.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # the blank line before a definition lost: it ends the paragraph of the date above it
        ("3 March 1956\n\n[^1]:", "3 March 1956\n[^1]:"),
        # the blank line between two definitions lost: two notes, not one holding the other
        ("words.\n\n[^2]:", "words.\n[^2]:"),
        # a definition's line broken without its indent: the check reads the rest as text
        ("The Russian text has the date", "The Russian text\nhas the date"),
    ],
    ids=["after-a-line", "two-in-one-paragraph", "unindented-continuation"],
)
def test_a_footnote_definition_is_cut_from_its_paragraph_where_its_line_starts(
    tmp_path: Path, tei_all_validator, old: str, new: str
) -> None:
    """The check reads a footnote as the line "[^1]: ..." and the indented lines after it;
    the converter read it as a whole paragraph, so a lost blank line or indent moved words
    between the notes and the text (reported as lost and added), or left "[^1]" as text."""
    result = check_source(edited(FOOTNOTES, old, new, tmp_path / "footnotes.md"), tei_all_validator)
    assert result.error is None and result.lost is None
    assert result.data is not None and b"[^" not in result.data


LABELS = ROOT / "tests" / "fixtures" / "body" / "export-labels.md"


@pytest.mark.parametrize(
    ("old", "new"),
    [("[от руки: копию]", "[от\tруки: копию]"), ("[так в тексте]", "[так  в\tтексте]"), ("[crossed out: old]", "[crossed\tout: old]")],
    ids=["handwritten-ru", "sic-ru", "crossed-out"],
)
def test_a_bracket_label_with_a_tab_or_two_spaces_between_its_words_is_the_mark(
    tmp_path: Path, tei_all_validator, old: str, new: str
) -> None:
    """The check took "[от<TAB>руки:" for a label, as it takes any white space between a
    label's words; the converter only a space, and read the bracket as a translator's
    (supplied) words: the labels of the other marks of its kind were then lost."""
    result = check_source(edited(LABELS, old, new, tmp_path / "labels.md"), tei_all_validator)
    assert result.error is None and result.lost is None
    assert result.data is not None and new.encode("utf-8")[:-1] not in result.data  # the label is markup, not text


def test_a_bracket_label_broken_over_two_lines_stays_text(tmp_path: Path, tei_all_validator) -> None:
    """Seed 001 with "[Handwritten across the top of the text: ..." split after "the": the
    two lines were joined as a continuation and read as one label, which the check,
    reading line by line, could not see: its words were reported lost."""
    path = edited(ROOT / "seeds" / "001_3513ceab21f1a9d6.txt", "[Handwritten across the top of the text:",
                  "[Handwritten across the\ntop of the text:", tmp_path / "split-label.txt")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None


@pytest.mark.parametrize("case", ["definitions-in-another-order", "a-reference-lost"])
def test_footnotes_are_expected_where_the_text_refers_to_them(tmp_path: Path, tei_all_validator, case: str) -> None:
    """The TEI has each footnote at its first reference (one nothing refers to where it
    stands); the check expected them in the order of their definitions, so a Markdown
    export listing them in another order, or one whose line holding "[^1]" was lost,
    was reported as reordering the notes' words."""
    text = FOOTNOTES.read_text(encoding="utf-8")
    one, two = "[^1]: The Russian text has the date in words.", "[^2]: The list is not in the file."
    ref = "The delegation will arrive in Moscow on 12 March 1956[^1] and will stay"
    assert one in text and two in text and ref in text
    if case == "definitions-in-another-order":
        text = text.replace(one, "\x00").replace(two, one).replace("\x00", two)
    else:
        text = text.replace(ref, "The delegation will arrive in Moscow on 12 March 1956 and will stay")
    path = tmp_path / "footnotes.md"
    path.write_text(text, encoding="utf-8")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None


HANDWRITTEN_THEN_NOTES = "3 March 1956\n\n[handwritten:]\n\nto the archive\n\nP. Ivanov\n\n[^3]: {note}\n\n[^1]:"


@pytest.mark.parametrize("refer", ["nothing-refers", "the-original-refers"])
def test_footnotes_after_a_closing_handwritten_block_are_notes_not_the_hand_s(tmp_path: Path, tei_all_validator, refer: str) -> None:
    """An export lists its footnotes after the text; after a "[handwritten:]" block that
    ends it, a definition no reference in the translation took out was read as one more
    line under the hand (the check reported the note's words lost, and make stopped)."""
    text = FOOTNOTES.read_text(encoding="utf-8")
    note = "The stamp is not legible."
    text = text.replace("3 March 1956\n\n[^1]:", HANDWRITTEN_THEN_NOTES.format(note=note))
    if refer == "the-original-refers":
        text = text.replace("Делегация прибудет в Москву", "Делегация[^3] прибудет в Москву")
    assert note in text
    path = tmp_path / "footnotes.md"
    path.write_text(text, encoding="utf-8")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None and result.data is not None
    root = etree.fromstring(result.data)
    (hand,) = root.xpath("//tei:note[@type='handwritten']", namespaces=NS)
    assert "".join(hand.itertext()).split() == ["to", "the", "archive", "P.", "Ivanov"]
    (placed,) = root.xpath("//tei:note[@type='footnote'][@n='3']", namespaces=NS)
    assert placed.text == note
    if refer == "the-original-refers":  # at its reference, in the original's first paragraph
        assert placed.xpath("string(..)", namespaces=NS).startswith("Делегация" + note + " прибудет")
    assert b"[^" not in result.data


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Skip to content\n\nApril 12, 1960\n", 3, "web-page export, but no title after the date"),
        ("Skip to content\n\nApril 12, 1960\n\nResolution on the Delegation\n", 5, "web-page export with a title but no document text"),
        ("**June 1953**\n\n**Memorandum on the Talks**\n\n**Citation:**\n\nRG 59, Box 12.\n\n**Summary:**\n\nNotes.\n\n**Contents:**\n",
         3, "markdown export with a title but no document text"),
    ],
    ids=["cut-after-the-date", "capture-without-text", "markdown-without-text"],
)
def test_an_export_cut_short_is_refused_with_the_line_where_it_stops(tmp_path: Path, text: str, line: int, message: str) -> None:
    """A footer or body cut off (a truncated export): the error named the file only."""
    path = tmp_path / ("cut.md" if text.startswith("**") else "cut.txt")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as info:
        convert_source(path)
    assert info.value.path == path and info.value.line == line
    assert str(info.value) == f"{path}:{line}: {message}"


def test_a_date_inside_a_chinese_clause_is_no_loss(tmp_path: Path, tei_all_validator) -> None:
    """Chinese runs its words together: the check read the clause from comma to comma as
    one word, and the TEI's clause, cut by the date element inside it, as three; a
    date in Chinese running text was reported lost (and added), and make stopped."""
    source = ROOT / "tests" / "fixtures" / "convert" / "markdown_chinese_original.md"
    path = edited(source, "收到了你们九月二十日的来信", "收到了你们一九五六年九月二十日的来信", tmp_path / "zh.md")
    result = check_source(path, tei_all_validator, id_prefix="wilson")
    assert result.error is None and result.lost is None and result.data is not None
    assert '<date when="1956-09-20">一九五六年九月二十日</date>' in result.data.decode("utf-8")


def test_a_sic_in_a_chinese_clause_marks_the_character_before_it(tmp_path: Path, tei_all_validator) -> None:
    """The sic took the run back to the last space: in Chinese, the whole paragraph
    before the mark."""
    source = ROOT / "tests" / "fixtures" / "convert" / "markdown_chinese_original.md"
    path = edited(source, "亲爱的同志们，", "亲爱的同志们[sic]，", tmp_path / "zh.md")
    result = check_source(path, tei_all_validator, id_prefix="wilson")
    assert result.error is None and result.lost is None and result.data is not None
    assert "亲爱的同志<sic>们</sic>，" in result.data.decode("utf-8")


def test_a_chinese_sentence_holding_a_date_is_a_paragraph_not_a_dateline(tmp_path: Path, tei_all_validator) -> None:
    """A place and a date with at most four words besides is a dateline; Chinese, with no
    spaces, counted a clause from comma to comma as one word, so the letter's first
    sentence ("..., 中国共产党中央委员会收到了你们一九五六年九月二十日的来信, ...") became a dateline."""
    source = ROOT / "tests" / "fixtures" / "convert" / "markdown_chinese_original.md"
    path = edited(source, "收到了你们九月二十日的来信", "收到了你们一九五六年九月二十日的来信", tmp_path / "zh.md")
    result = check_source(path, tei_all_validator, id_prefix="wilson")
    assert result.error is None and result.lost is None and result.data is not None
    root = etree.fromstring(result.data)
    (date,) = root.xpath("//tei:div[@type='original']//tei:date[@when='1956-09-20']", namespaces=NS)
    assert date.getparent().tag == "{http://www.tei-c.org/ns/1.0}p"
    # The dateline of the letter, a place and a date, is still one.
    assert root.xpath("//tei:div[@type='original']//tei:dateline/tei:date/@when", namespaces=NS) == ["1956-10-02"]
