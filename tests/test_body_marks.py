"""Editorial marks: one test per mark, on the fixture written for them, then robustness."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from body_support import encode, text_of, xp
from edition.body.marks import MarkContext, parse_inline
from edition.model import Span

CTX = MarkContext(resp="#translator-1")


@pytest.fixture(scope="module")
def marks():
    return encode("marks_en.txt")[1]


def spans(items, kind):
    found = []
    for item in items:
        if isinstance(item, Span):
            if item.kind == kind:
                found.append(item)
            found += spans(item.content, kind)
    return found


def test_double_brackets_are_the_editors_supplement_and_the_date_is_still_read(marks):
    (date,) = xp(marks, "//tei:dateline/tei:date")
    assert date.get("when") == "1957-07-09"
    assert date.get("cert") == "medium"  # digits not in the source
    assert xp(date, "tei:supplied/text()") == ["195"]


def test_handwritten_note_across_lines_keeps_place_hand_and_nested_marks(marks):
    (note,) = xp(marks, "//tei:note[@type='handwritten'][@place='top']")
    assert note.get("hand") == "#handwritten"
    assert len(xp(note, "tei:lb")) == 2  # three lines of the export
    assert xp(note, "tei:supplied/text()") == ["V"]
    assert text_of(note).startswith("I agree. Send to Cde. Ivanov")
    assert '"' not in text_of(note)  # the quotes were the export's syntax


def test_unclosed_handwritten_mark_runs_over_the_following_lines(marks):
    (note,) = xp(marks, "//tei:note[@place='margin-left']")
    assert text_of(note).startswith("to the archive")
    assert xp(note, "tei:gap/@reason") == ["illegible"]


def test_abbreviation_with_translator_expansion_is_a_choice(marks):
    (choice,) = xp(marks, "//tei:choice")
    assert xp(choice, "tei:abbr/text()") == ["IKKI"]
    assert xp(choice, "tei:expan/text()") == ["Executive Committee of the Communist International"]
    assert xp(choice, "tei:expan/@resp") == ["#translator-1"]


def test_translator_insertions_are_supplied_with_resp(marks):
    supplied = {s.text: (s.get("reason"), s.get("resp")) for s in xp(marks, "//tei:p//tei:supplied")}
    assert supplied["NPI"] == ("expansion", "#translator-1")
    assert supplied["you"] == ("clarification", "#translator-1")


def test_sic_wraps_the_word_before_it(marks):
    (sic,) = xp(marks, "//tei:sic")
    assert sic.text == "Azeri"
    assert sic.tail.startswith(",")


def test_struck_text_is_del(marks):
    assert xp(marks, "//tei:del/text()") == ["not"]


def test_italic_is_hi_and_superscript_is_hi(marks):
    assert xp(marks, "//tei:p/tei:hi[@rend='italic']/text()") == ["approved"]
    assert xp(marks, "//tei:hi[@rend='superscript']/text()") == ["12"]


def test_translators_note_is_a_note_with_resp(marks):
    (note,) = xp(marks, "//tei:note[@type='translator']")
    assert note.get("resp") == "#translator-1"
    assert text_of(note) == "the annex is missing from the file."


def test_stamp(marks):
    assert xp(marks, "//tei:stamp/text()") == ["draft destroyed"]


def test_signature_marks_become_signed_with_gap(marks):
    signed = xp(marks, "//tei:closer/tei:signed")
    assert xp(signed[0], "tei:gap/@reason") == ["signature"]
    assert xp(signed[0], "tei:persName/text()") == ["I. Kozlov"]
    assert xp(signed[1], "tei:gap/tei:desc/text()") == ["illegible signature"]


def test_unbalanced_brackets_and_stray_symbols_stay_as_text(marks):
    (p,) = xp(marks, "//tei:p[contains(., 'never closes')]")
    assert "[ bracket that never closes, a lone * star and ~~ tildes." in text_of(p)
    (p2,) = xp(marks, "//tei:p[contains(., 'stray')]")
    assert text_of(p2).startswith("A stray ] bracket")
    assert len(xp(p2, ".//tei:supplied")) == 2  # nested marks stay nested


def test_signature_illegible_is_a_gap_not_the_translators_words():
    # "[signature illegible]" is one of the illegible labels, but the shorter "signature"
    # was tried first, so it read as "[signature]" with a qualifier and became
    # <supplied resp="#translator-1">, words the translator supplied.
    items = parse_inline("Kozlov [signature illegible]", CTX)
    assert spans(items, "supplied") == []
    (gap,) = spans(items, "gap")
    assert (gap.attrs, gap.content) == ({"reason": "illegible"}, ["signature illegible"])


def test_illegible_with_a_description_keeps_it_in_the_gap():
    # "[illegible: two words]" became <gap><desc>illegible</desc></gap>: the editor's
    # words after the colon were dropped from the edition.
    (gap,) = spans(parse_inline("approve the program [illegible: two words] and", CTX), "gap")
    assert gap.content == ["illegible: two words"]
    (gap,) = spans(parse_inline("x [illegible]", CTX), "gap")
    assert gap.content == ["illegible"]


def test_signed_label_inside_a_sentence_stays_text():
    assert parse_inline("He said [signed] was printed", CTX) == ["He said [signed] was printed"]


def test_expansion_needs_an_abbreviation_before_it():
    items = parse_inline("the committee [of the Party] met", CTX)
    assert [s.kind for s in items if isinstance(s, Span)] == ["supplied"]


def test_sic_after_a_mark_wraps_the_mark():
    (sic,) = spans(parse_inline("*Azeri* [sic]", CTX), "sic")
    assert isinstance(sic.content[0], Span) and sic.content[0].kind == "hi"


def test_sic_with_an_exclamation_or_question_mark_is_sic():
    # "[sic!]" (common in Russian editions) and "[sic?]" became <supplied>sic!</supplied>,
    # words the translator supplied, and the word they mark was not marked.
    for mark in ("[sic!]", "[sic?]", "[Sic !]"):
        items = parse_inline(f"the newspaper Azerbaijan {mark} printed it", CTX)
        assert spans(items, "supplied") == [], mark
        (sic,) = spans(items, "sic")
        assert sic.content == ["Azerbaijan"], mark
    assert parse_inline("[sic!] The committee met.", CTX) == ["[sic!] The committee met."]
    assert spans(parse_inline("word [sic transit]", CTX), "sic") == []


@pytest.mark.parametrize(("text", "before", "marked", "after"), [
    # Chinese and Japanese have no spaces: the sic took the run back to the last space,
    # the whole sentence (its commas and a date too). It marks the character before it.
    ("代表团抵达莫斯科，我们请求批准名单的同志们[sic]。", "代表团抵达莫斯科，我们请求批准名单的同志", "们", "。"),
    ("党の中央委員会は書簡を受け取り[sic]、", "党の中央委員会は書簡を受け取", "り", "、"),
    # Korean spaces its words: the word, as in English.
    ("중앙위원회는 편지를 받았습니다[sic].", "중앙위원회는 편지를 ", "받았습니다", "."),
])
def test_sic_after_chinese_or_japanese_marks_one_character(text, before, marked, after):
    items = parse_inline(text, CTX)
    (sic,) = spans(items, "sic")
    assert items[0] == before and items[-1] == after
    assert sic.content == [marked]


def test_sic_with_no_word_before_it_stays_as_printed():
    # "[sic]" opening a paragraph marks nothing: an empty <sic/> would drop the export's
    # mark and claim an error where there is no text.
    assert parse_inline("[sic] The committee met.", CTX) == ["[sic] The committee met."]
    assert spans(parse_inline("  [sic]", CTX), "sic") == []


def test_label_without_its_colon_keeps_its_words():
    # "[Stamp]" alone is a stamp whose words the export does not give, as "[seal]" is (the
    # ODD's table of marks): a stamp holding a gap that keeps the label, not the
    # translator's supplied word it was, nor (on a line of its own) a registry note
    # reading "Stamp" as if the document printed it.
    items = parse_inline("[Stamp] and [Handwritten across the top of", CTX)
    assert [s.kind for s in items if isinstance(s, Span)] == ["stamp"]
    (stamp,) = spans(items, "stamp")
    assert [(g.kind, g.content, g.attrs) for g in stamp.content] == [("gap", ["Stamp"], {"reason": "omitted"})]
    assert "".join(x for x in items if isinstance(x, str)).endswith("[Handwritten across the top of")
    for printed in ("[Stamp]", "[[Stamp]]", "[штамп]", "[Stamp of the CC General Department]"):
        (stamp,) = spans(parse_inline(f"filed {printed} today", CTX), "stamp")
        assert [(g.kind, g.content) for g in stamp.content] == [("gap", [printed.strip("[]")])], printed
    # "[handwritten]" needs its colon to mark text: alone it is the translator's word.
    assert [s.kind for s in parse_inline("[handwritten] 12 July", CTX) if isinstance(s, Span)] == ["supplied"]


def test_a_bare_stamp_label_in_an_export_is_a_stamp_with_its_label_kept(tmp_path):
    from pathlib import Path

    from lxml import etree

    from edition import fidelity
    from edition.convert import convert_source

    seed = Path(__file__).resolve().parent.parent / "seeds" / "001_3513ceab21f1a9d6.txt"
    text = seed.read_text(encoding="utf-8").replace("[Stamp: draft and cipher text destroyed]", "[Stamp]")
    text = text.replace("\nCABLE\n", "\n[Stamp]\nCABLE\n")
    path = tmp_path / "stamps.txt"
    path.write_text(text, encoding="utf-8")
    doc, tei = convert_source(path)
    root = etree.fromstring(tei)
    assert xp(root, "//tei:body//tei:supplied[. = 'Stamp']") == []
    assert xp(root, "//tei:body//tei:note[@type = 'registry'][normalize-space() = 'Stamp'][not(tei:stamp)]") == []
    assert xp(root, "//tei:body//tei:stamp/tei:gap[@reason = 'omitted']/tei:desc/text()") == ["Stamp", "Stamp"]
    report = fidelity.check_document(doc, text, root, path, path)
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))


def test_handwritten_note_label_variants():
    for text in ("[Hand-written note in the left margin: approve]", "[handwritten note in the left margin: approve]", "[Written by hand in the left margin: approve]"):
        (add,) = spans(parse_inline(text, CTX), "add")
        assert add.content == ["approve"] and add.attrs["place"] == "margin-left", text


def test_question_mark_makes_a_supplement_uncertain():
    (s,) = spans(parse_inline("signed by [Ivanov?]", CTX), "supplied")
    assert s.attrs["cert"] == "low"


def test_ellipsis_in_brackets_is_an_omission():
    (gap,) = spans(parse_inline("text [...] more", CTX), "gap")
    assert gap.attrs == {"reason": "omitted"}



@pytest.fixture(scope="module")
def labels_en():
    return encode("labels_en.txt")[1]


def test_struck_and_underlined_labels_are_del_and_hi_not_the_translators_words(labels_en):
    # "[crossed out: old]" is text of the original, struck out: not words the translator supplied.
    assert xp(labels_en, "//tei:supplied") == []
    assert [(d.get("rend"), d.text) for d in xp(labels_en, "//tei:del")] == [("strikethrough", "old"), ("strikethrough", "first"), (None, "not")]
    assert xp(labels_en, "//tei:hi[@rend='underline']/text()") == ["meeting"]
    (gap,) = xp(labels_en, "//tei:p/tei:gap")
    assert gap.get("reason") == "cancelled" and xp(gap, "tei:desc/text()") == ["crossed out"]


def test_signature_and_seal_labels_are_gaps_in_signed_and_stamps(labels_en):
    signed = xp(labels_en, "//tei:closer/tei:signed")
    assert [xp(s, "tei:gap/@reason") for s in signed] == [["signature"], ["signature"]]
    assert [xp(s, "tei:gap/tei:desc/text()") for s in signed] == [["handwritten signature"], ["signature and seal"]]
    stamps = xp(labels_en, "//tei:stamp")
    assert [(xp(s, "tei:gap/@reason"), xp(s, "tei:gap/tei:desc/text()")) for s in stamps] == [
        (["illegible"], ["stamp illegible"]),
        (["omitted"], ["seal"]),
    ]


def test_handwritten_signature_with_its_text_is_an_addition():
    (add,) = spans(parse_inline("[handwritten signature: I. Kozlov]", CTX), "add")
    assert add.content == ["I. Kozlov"] and add.attrs == {"hand": "#handwritten"}



@pytest.fixture(scope="module")
def labels_ru():
    return encode("labels_ru.txt")[1]


def test_russian_labels_of_a_russian_transcription_are_marks(labels_ru):
    # "[от руки: копию]", "[так в тексте]", "[зачеркнуто: приеме]": the transcription's own
    # labels, in Russian, mean what their English counterparts mean.
    assert xp(labels_ru, "//tei:supplied") == []
    assert xp(labels_ru, "//tei:p/tei:add[@hand='#handwritten']/text()") == ["копию"]
    assert xp(labels_ru, "//tei:sic/text()") == ["Азери"]
    assert xp(labels_ru, "//tei:del[@rend='strikethrough']/text()") == ["приеме"]
    assert xp(labels_ru, "//tei:hi[@rend='underline']/text()") == ["которое поступило"]
    assert xp(labels_ru, "//tei:note[@type='handwritten']/text()") == ["В архив."]
    assert [" ".join(s.itertext()).split() for s in xp(labels_ru, "//tei:stamp")] == [["штамп", "неразборчив"], ["ЦК", "КПСС", "Общий", "отдел"], ["печать"]]


def test_russian_signature_labels_are_gaps_in_signed(labels_ru):
    signed = xp(labels_ru, "//tei:closer/tei:signed")
    assert [(xp(s, "tei:gap/@reason"), xp(s, "tei:gap/tei:desc/text()")) for s in signed] == [
        (["signature"], ["подпись"]),
        (["illegible"], ["подпись неразборчива"]),
    ]



def test_a_label_with_nothing_after_its_colon_marks_nothing():
    # "the [handwritten:] y" gave an empty <add/>, "[Stamp:]" an empty <stamp/>: marks
    # claiming text that is not there. The label stays as printed.
    text = "The text [handwritten:] was approved at the meeting [Stamp:] held then."
    assert parse_inline(text, CTX) == [text]
    assert parse_inline("a note [handwritten in the margin:", CTX) == ["a note [handwritten in the margin:"]


def test_a_second_sic_marks_nothing_new():
    # "the [sic] [sic]" gave <sic><sic>the</sic></sic>.
    items = parse_inline("by all the [sic] [sic] members", CTX)
    assert items == ["by all ", Span("sic", ["the"]), " [sic] members"]
    items = parse_inline("*Azeri* [sic] [sic!] and", CTX)
    (outer,) = spans(items, "sic")
    assert spans(outer.content, "sic") == [] and items[-1] == " [sic!] and"


def test_empty_marks_in_a_document_stay_as_printed():
    root = encode("empty_marks_en.txt")[1]
    assert xp(root, "//tei:add") == [] and xp(root, "//tei:stamp") == [] and xp(root, "//tei:sic//tei:sic") == []
    assert xp(root, "//tei:note[@type='handwritten']") == []  # "[handwritten:]" with no line under it
    assert text_of(xp(root, "//tei:div/tei:p")[-1]) == "[handwritten:]"


_WORDS = ["alpha", "Beta", "IKKI", "gamma", "195", "delta", "Molotov", "x"]
_SYNTAX = ["[", "]", "[[", "]]", "*", "**", "~~", "<sup>", "</sup>", "\n", " ", ", ", ".", '"', "[handwritten: ", "[Stamp: ", "[illegible]"]


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def _text_nodes(items) -> list[str]:
    """The strings of the inlines one by one: in TEI each is its own text node."""
    out: list[str] = []
    for item in items:
        if isinstance(item, str):
            out.append(item)
        else:
            if item.kind == "expan":
                out.append(item.attrs["abbr"])
            out += _text_nodes(item.content)
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS + _SYNTAX), max_size=40))
def test_parser_never_loses_a_word(pieces):
    """Any mix of marks, balanced or not: every word of the input is in the output, in order."""
    text = "".join(pieces)
    items = parse_inline(text, CTX)
    expected = [t for t in _tokens(text) if t.lower() not in {"handwritten", "stamp", "sup"}]
    # An unmatched <sup> stays as literal text, and so does a label that marks nothing ("[Stamp: ]"):
    # the fidelity check reads tags and such labels the same way on both sides.
    assert [t for node in _text_nodes(items) for t in _tokens(node) if t.lower() not in {"handwritten", "stamp", "sup"}] == expected


CONVERT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"
# The marks of web_polish_marks_translation.txt (handwritten, signature, illegible signature)
# in each language whose archives' translations carry them, and in English.
FOREIGN_MARKS = {
    "en": ("[handwritten:", "[signature]", "[illegible signature]"),
    "pl": ("[odręcznie:", "[podpis]", "[podpis nieczytelny]"),
    "hu": ("[kézírással:", "[aláírás]", "[aláírás olvashatatlan]"),
    "de": ("[handschriftlich:", "[Unterschrift]", "[Unterschrift unleserlich]"),
    "cs": ("[rukou:", "[podpis]", "[podpis nečitelný]"),
}


def _body_of(tei: bytes) -> str:
    """The body's markup with the descriptions of its gaps (the labels as printed) left out."""
    from lxml import etree

    root = etree.fromstring(tei)
    body = root.find(".//{http://www.tei-c.org/ns/1.0}body")
    for desc in body.iter("{http://www.tei-c.org/ns/1.0}desc"):
        desc.text = ""
    return etree.tostring(body, encoding="unicode")


@pytest.mark.parametrize("lang", sorted(set(FOREIGN_MARKS) - {"en"}))
def test_the_marks_of_translations_from_other_languages_are_encoded_as_the_english(tmp_path: Path, lang: str) -> None:
    # "[podpis] W. Gomułka", "[aláírás olvashatatlan]", "[handschriftlich: sofort]" stayed
    # text: no signed, no gap, no add, and the language guesser read them as words.
    from edition.convert import convert_source
    from edition.fidelity import check_source
    from edition.validate import get_validator

    text = (CONVERT_FIXTURES / "web_polish_marks_translation.txt").read_text(encoding="utf-8")
    encoded = {}
    for code in ("en", lang):
        source = tmp_path / code / "export.txt"
        source.parent.mkdir()
        marked = text
        for polish, other in zip(FOREIGN_MARKS["pl"], FOREIGN_MARKS[code], strict=True):
            marked = marked.replace(polish, other)
        source.write_text(marked, encoding="utf-8")
        doc, tei = convert_source(source, "wilson")
        out = tmp_path / code / "tei"
        out.mkdir()
        (out / f"{doc.id}.xml").write_bytes(tei)
        report = check_source(source, out, id_prefix="wilson")
        assert report.ok, report
        findings, _ = get_validator(("edition", "schematron")).validate_paths([out])
        assert [f.format() for f in findings if f.severity == "error"] == []
        encoded[code] = tei
    from lxml import etree

    tei = encoded[lang]
    assert _body_of(tei) == _body_of(encoded["en"])
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    root = etree.fromstring(tei)
    assert [(g.get("reason"), g.findtext("t:desc", namespaces=ns)) for g in root.iterfind(".//t:closer/t:signed/t:gap", ns)] \
        == [("signature", FOREIGN_MARKS[lang][1].strip("[]")), ("illegible", FOREIGN_MARKS[lang][2].strip("[]"))]
    assert root.xpath("//t:signed/t:persName/text()", namespaces=ns) == ["W. Gomułka"]
    assert root.xpath("//t:p/t:add[@hand = '#handwritten']/text()", namespaces=ns) == ["at once"]
    assert root.xpath("//t:body/t:div/@xml:lang", namespaces=ns) == ["en"]
