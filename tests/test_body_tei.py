"""The body's TEI stays inside tei_all, whatever sequence of blocks the encoder produces."""

from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from body_support import assert_valid, convert_seeds, encode, wrap, xp
from edition.model import Block, Part, Span
from edition.tei_body import TEI_NS, build_text

FIXTURES = ["letter_en.txt", "letter_ru.txt", "marks_en.txt", "covering_en.txt", "ru_az.txt", "ru_az_ocr.txt", "ru_only.txt",
            "dateline_place_en.txt", "signed_block_en.txt", "list_leadin_en.txt", "ru_marks.txt",
            "hand_scope_lines_en.txt", "dateline_place_az.txt", "labels_en.txt", "labels_ru.txt", "empty_marks_en.txt",
            "signed_gap_name_ru.txt", "address_lines_ru.txt", "place_above_date_en.txt",
            # closings and notes of the structure audit
            "closing_sentence_ru.txt", "agreed_ru.txt", "short_cable_name_en.txt", "gap_in_sentence_ru.txt",
            "hand_scope_footnotes_en.txt", "hand_scope_labels_en.txt", "closing_unsigned_en.txt", "title_over_name_ru.txt",
            "signatories_cable_en.txt", "title_name_lines_ru.txt", "address_organ_ru.txt",
            "hand_scope_signed_en.txt", "member_name_lines_en.txt", "member_over_name_ru.txt",
            "short_name_office_ru.txt", "short_signatories_en.txt", "office_abbreviation_ru.txt",
            "office_over_surname_en.txt",
            # edge cases of body classification
            "title_second_original_ru.txt", "resolution_gap_ru.txt", "resolution_gap_en.txt", "telegraphic_cable_en.txt",
            "telegraphic_cable_ru.txt", "organisation_signer_ru.txt", "organisation_signer_en.txt", "two_letter_signer_ru.txt",
            "two_letter_signer_en.txt", "two_letter_office_en.txt", "two_letter_word_en.txt", "title_at_part_end_ru.txt",
            "title_after_text_en.txt", "protocol_heading_ru.txt", "protocol_heading_de.txt", "protocol_heading_hu.txt", "language_heading_ru_en.txt"]


@pytest.mark.parametrize("name", FIXTURES)
def test_fixtures_are_valid_tei_all(tei_all_validator, name):
    assert_valid(tei_all_validator, encode(name)[1], name)


def test_seed_bodies_are_valid_tei_all(tei_all_validator, seeds_dir, tmp_path):
    for name, root in convert_seeds(seeds_dir, tmp_path).items():
        text = root.find(f"{{{TEI_NS}}}text")
        assert_valid(tei_all_validator, wrap(copy.deepcopy(text)), name)


def test_same_input_gives_identical_bytes():
    first = etree.tostring(encode("marks_en.txt")[1])
    assert etree.tostring(encode("marks_en.txt")[1]) == first


def test_parts_in_source_order_with_type_and_language():
    parts = [Part("original", "ru", "", ["Текст."]), Part("original", "az-Cyrl", "", ["Мәтн."], ocr=True), Part("translation", "en", "", ["Text."])]
    root = wrap(build_text(parts))
    assert [(d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang"), d.get("subtype")) for d in xp(root, "//tei:body/tei:div")] == [
        ("original", "ru", None),
        ("original", "az-Cyrl", "uncorrected-ocr"),
        ("translation", "en", None),
    ]


_TEXT = st.sampled_from(["word", "two words", "line\nbreak", " 12 ", "Name"])
_SPANS = st.builds(
    Span,
    kind=st.sampled_from(["supplied", "expan", "sic", "del", "add", "hi", "gap", "stamp", "note", "date", "name", "fw", "pb"]),
    content=st.lists(_TEXT, max_size=2),
    attrs=st.sampled_from([{}, {"abbr": "IKKI", "resp": "#t"}, {"rend": "italic"}, {"when": "1955-12-16"}, {"reason": "illegible"}, {"hand": "#h", "place": "top"}]),
)
_INLINES = st.lists(st.one_of(_TEXT, _SPANS), max_size=3)
_KINDS = ["p", "head", "address", "dateline", "salute", "signed", "note", "postscript", "registry", "fw", "pb", "ab", "list"]


@st.composite
def _blocks(draw):
    kind = draw(st.sampled_from(_KINDS))
    zone = draw(st.sampled_from(["opener", "body", "closer"]))
    attrs = draw(st.sampled_from([{}, {"type": "sender"}, {"type": "handwritten", "place": "top", "hand": "#h"}, {"type": "folio"}]))
    items = []
    if kind == "list":
        items = [Block("item", draw(_INLINES), attrs={"n": str(i + 1), "label": f"{i + 1}."}) for i in range(draw(st.integers(1, 3)))]
    elif kind == "note" and draw(st.booleans()):
        items = [Block("p", draw(_INLINES))]
    return Block(kind, draw(_INLINES), items=items, attrs=attrs, zone=zone)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.lists(_blocks(), max_size=10), min_size=1, max_size=2))
def test_any_block_sequence_is_valid_tei_all(tei_all_validator, parts_blocks):
    parts = [Part("original", "ru", "", blocks=blocks) for blocks in parts_blocks]
    root = wrap(build_text(parts))
    assert_valid(tei_all_validator, root, "generated")


def test_hands_used_lists_the_hand_pointers_for_the_header():
    from edition import body

    parts, _ = encode("marks_en.txt")
    assert body.hands_used(parts) == ["handwritten"]
    parts, _ = encode("covering_en.txt")
    assert body.hands_used(parts) == []


def test_seed_bodies_meet_the_editions_own_schema(seeds_dir, tmp_path):
    """The edition's RELAX NG and Schematron (stricter than tei_all) find nothing in the bodies."""
    from edition.validate import Validator

    convert_seeds(seeds_dir, tmp_path)
    validator = Validator(layers=("edition", "schematron"))
    for path in sorted(tmp_path.glob("*.xml")):
        data = path.read_bytes()
        text_line = next(i for i, line in enumerate(data.decode().splitlines(), start=1) if line.strip() == "<text>")
        in_body = [f for f in validator.validate_bytes(data, path.name) if f.line >= text_line]
        assert not in_body, "\n".join(f.format() for f in in_body)


def test_mixed_content_edges_lines_and_indentation_are_written_as_pinned():
    """What the TEI writer makes of white space at a block's edges (trimmed, also around
    children already there: a note's items), of hard line breaks (each an lb, in marks
    too) and of element-only content (indented): pinned, as the writer sets each text
    node once and visits each element once (tei_body._mixed, tei.indent)."""
    from edition.tei import indent

    blocks = [
        Block("p", ["  Lead ", "text\n  next line ", Span("hi", [" in\nside "], {"rend": "italic"}), "  ",
                    Span("gap", ["illegible"], {"reason": "illegible"}), "\n", "  end  "]),
        Block("p", ["   "]),
        Block("p", ["", "\n", "x"]),
        Block("p", [Span("add", ["  hand  "], {"hand": "#handwritten"}), "  "]),
        Block("note", ["  after the items  "], items=[Block("p", [" first "]), Block("p", ["second\n"])],
              attrs={"type": "annotation"}, zone="closer"),
        Block("note", [], items=[Block("p", ["only items "])], attrs={"type": "annotation"}, zone="closer"),
        Block("signed", ["\u00a0 Ivanov\u00a0", Span("expan", ["Nikolai"], {"abbr": "N."})], zone="closer"),
    ]
    text = build_text([Part("transcription", "en", "", ["x"], blocks=blocks)])
    indent(text)
    assert etree.tostring(text, encoding="unicode") == EXPECTED_EDGES


EXPECTED_EDGES = (
    '<ns0:text xmlns:ns0="http://www.tei-c.org/ns/1.0">\n'
    '  <ns0:body>\n'
    '    <ns0:div type="transcription" xml:lang="en">\n'
    '      <ns0:p>Lead text<ns0:lb/>  next line <ns0:hi rend="italic"> in<ns0:lb/>side </ns0:hi>  <ns0:gap reason="illegible"><ns0:desc>illegible</ns0:desc></ns0:gap><ns0:lb/>  end</ns0:p>\n'
    '      <ns0:p/>\n'
    '      <ns0:p><ns0:lb/>x</ns0:p>\n'
    '      <ns0:p>\n'
    '        <ns0:add hand="#handwritten">  hand  </ns0:add>\n'
    '      </ns0:p>\n'
    '      <ns0:note type="annotation"><ns0:p>first</ns0:p><ns0:p>second<ns0:lb/></ns0:p>  after the items</ns0:note>\n'
    '      <ns0:note type="annotation">\n'
    '        <ns0:p>only items</ns0:p>\n'
    '      </ns0:note>\n'
    '      <ns0:closer>\n'
    '        <ns0:signed>Ivanov\xa0<ns0:choice><ns0:abbr>N.</ns0:abbr><ns0:expan>Nikolai</ns0:expan></ns0:choice></ns0:signed>\n'
    '      </ns0:closer>\n'
    '    </ns0:div>\n'
    '  </ns0:body>\n'
    '</ns0:text>'
)
