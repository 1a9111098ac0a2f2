"""The fidelity check: proof that the TEI carries every word of its source.

The source is re-read with the converter's own reader, which records every
line of the export with a role (:class:`edition.model.Segment`). For each role
the check compares the word tokens of those lines with the tokens of the
matching place in the TEI, in order:

========== =========================================================
role       where its words must be
========== =========================================================
title      ``teiHeader/fileDesc/titleStmt/title``
date       ``msDesc/history/origin/origDate`` (``profileDesc/creation/date``
           when there is no msDesc)
body       ``text/body`` (exactly: nothing missing, moved or added), each of the
           reader's parts in the divs of its type (original, translation)
summary    ``teiHeader/profileDesc/abstract``
citation   ``teiHeader/fileDesc/sourceDesc/bibl[@type='citation']``
field:*    the field's element in ``teiHeader`` (:data:`FIELD_PLACES`)
furniture  nowhere (navigation and empty labels, declared by the reader)
========== =========================================================

Tokens are runs of letters and digits, compared case-folded and NFC
normalised, so punctuation and markdown do not count but every word and number
does. Bracket syntax counts as removed only where it became markup: the label
of ``[signed]``, ``[sic]``, ``[handwritten ...:``, ``[Stamp:``, ``[crossed out:`` and
``[underlined:`` may be absent from the TEI only if the body has as many ``signed``, ``sic``,
``add``/handwritten ``note``, ``stamp``, ``del`` and underlining ``hi`` elements as the
source has labels.
The same holds for a field written as the export's template sentence around
its value ("This document was made possible with support from X"): the
template words may be absent only if the header has the element (``funder``),
and a field's label written before its value on one line ("Record ID: 119711",
"**Original Language:** Russian") counts as the export's, as the label standing
on a line of its own does.
Every non-blank line of the source must be recorded by exactly one segment,
with its text as in the file.
"""

from __future__ import annotations

import bisect
import difflib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lxml import etree

from edition import lxmltypes, xmlsafe
from edition.errors import EditionError
from edition.mark_labels import FOREIGN_HANDWRITTEN_NAMES
from edition.model import Document, Segment
from edition.scripts import UNSPACED as _UNSPACED

if TYPE_CHECKING:
    from edition.incremental import RecordStore

TEI = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI}
# A word is a run of letters and digits; but Chinese and Japanese put no space between
# words, so each Han or kana character is a token of its own: a run of them is a clause,
# which the TEI cuts wherever a date or a sic inside it starts (element boundaries
# separate words), and a clause compared whole was then reported lost. The pattern that
# cuts them is slower by a tenth, so it is used only on a text that has one (_tokens_of).
_TOKEN = re.compile(r"[^\W_]+")
_UNSPACED_LETTER = re.compile(f"[{_UNSPACED}]")
_UNSPACED_TOKEN = re.compile(rf"[{_UNSPACED}]|[^\W_{_UNSPACED}]+")
_TAGS = re.compile(r"</?(?:sup|sub)\s*>", re.IGNORECASE)
_FOOTNOTE_DEF = re.compile(r"^\s*\[\^([^\]\s]+)\]:")
_FOOTNOTE_XPATH = ".//tei:note[@type='footnote']"

# role -> (XPath of the TEI places its words must be in, description, strict)
PLACES: dict[str, tuple[str, str, bool]] = {
    "title": ("/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", "titleStmt/title", False),
    # The date's own element, not the whole header: the citation and correspDesc repeat the
    # date, and would hide an origDate that lost it.
    "date": (
        "/tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate"
        " | /tei:TEI/tei:teiHeader/tei:profileDesc/tei:creation/tei:date",
        "origDate", False,
    ),
    "body": ("/tei:TEI/tei:text/tei:body", "text/body", True),
    "summary": ("/tei:TEI/tei:teiHeader/tei:profileDesc/tei:abstract", "profileDesc/abstract", False),
    # The verbatim citation alone: the archival bibl repeats its reference, and a word the
    # citation lost could otherwise be matched there.
    "citation": ("/tei:TEI/tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='citation']",
                 "sourceDesc/bibl[@type='citation']", False),
    "field": ("/tei:TEI/tei:teiHeader", "teiHeader", False),  # each field in its element: FIELD_PLACES
}

# Compiled once: compiling an expression at each call was a third of evaluating it.
_PLACE_PATHS = {xpath: etree.XPath(xpath, namespaces=NS) for xpath, _, _ in PLACES.values()}
_FOOTNOTES = etree.XPath(_FOOTNOTE_XPATH, namespaces=NS)

_HEADER = "/tei:TEI/tei:teiHeader"
# field label -> XPath of the header elements its value goes into (edition.sources.fields.apply_field,
# edition.tei_header.build_header). Each field is compared with its own element, not the whole
# header: the record id is also in the edition id and the URL, a date or a number anywhere, so a
# value lost from its element would be found elsewhere.
_TEXT_LANG = f"{_HEADER}/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:textLang"
_EXPORT = f"{_HEADER}/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='export']"
_PUBLICATION = f"{_HEADER}/tei:fileDesc/tei:publicationStmt"
FIELD_PLACES: dict[str, str] = {
    # The source's record id and URL are the export bibl's (files converted before 2026-12-08,
    # which convert keeps when edited by hand, have them in publicationStmt: rule ed-record-idno).
    "Record ID": f"{_EXPORT}/tei:idno[@type='record'] | {_PUBLICATION}/tei:idno[@type='record']",
    "URL": f"{_EXPORT}/tei:ref | {_PUBLICATION}/tei:idno[@type='source-url']",
    "Rights": f"{_HEADER}/tei:fileDesc/tei:publicationStmt/tei:availability",
    "Source": f"{_HEADER}/tei:fileDesc/tei:sourceDesc/tei:bibl[@type='citation']",
    "Original Uploaded Date": f"{_EXPORT}/tei:date[@type='uploaded']",
    "Original Archive": f"{_EXPORT}/tei:note[@type='archive']",
    "Original Classification": f"{_HEADER}/tei:profileDesc/tei:textClass/tei:keywords/tei:term[@type='classification']",
    "Author(s)": f"{_HEADER}/tei:fileDesc/tei:titleStmt/tei:author",
    "Authors": f"{_HEADER}/tei:fileDesc/tei:titleStmt/tei:author",
    "Author": f"{_HEADER}/tei:fileDesc/tei:titleStmt/tei:author",
    # The printed Type is the doctype's evidence, not a keyword.
    "Type": f"{_HEADER}/tei:encodingDesc/tei:editorialDecl/tei:p[@n='doctype']",
    # textLang as printed; without one (no msDesc, or a language without a code), langUsage
    # names the language, and the language evidence quotes the export's declaration.
    "Original Language": f"{_TEXT_LANG} | ({_HEADER}/tei:profileDesc/tei:langUsage/tei:language"
                         f" | {_HEADER}/tei:encodingDesc/tei:editorialDecl/tei:p)[not({_TEXT_LANG})]",
    # A page's funder sentence and a labelled Funder field become titleStmt/funder.
    "Funder": f"{_HEADER}/tei:fileDesc/tei:titleStmt/tei:funder",
}
FIELD_PLACES["Language"] = FIELD_PLACES["Original Language"]
FIELD_PLACES["Funders"] = FIELD_PLACES["Funder"]
# Every other field is kept as keywords, as printed (apply_field's last case).
FIELD_KEYWORDS = f"{_HEADER}/tei:profileDesc/tei:textClass"
# Compiled once, as the places' paths are.
_FIELD_PATHS = {xpath: etree.XPath(xpath, namespaces=NS) for xpath in (*FIELD_PLACES.values(), FIELD_KEYWORDS)}

# Bracket labels that become markup, and the TEI elements that must stand for them.
LABELS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("signed", re.compile(r"\[\s*signed\s*\]", re.I), ".//tei:signed"),
    # "[sic!]" and "[sic?]" are the same mark as "[sic]" (edition.body.marks.label_of).
    ("sic", re.compile(r"\[\s*(?:sic|так\s+в\s+(?:тексте|оригинале|подлиннике|документе))\s*[!?]?\s*\]", re.I), ".//tei:sic"),
    (
        "handwritten",
        re.compile(r"\[\s*(?:hand-?written|handwriting|written\s+by\s+hand|рукописн\w*|" + FOREIGN_HANDWRITTEN_NAMES
                   + r")\b[^:\[\]\"“«]*:", re.I),
        ".//tei:add | .//tei:note[@type='handwritten']",
    ),
    ("stamp", re.compile(r"\[\s*(?:stamp|seal|штамп|печать)\s*:", re.I), ".//tei:stamp"),
    ("del", re.compile(r"\[\s*(?:crossed\s+out|struck\s+(?:out|through)|deleted|зач[её]ркнуто)\b[^:\[\]\"“«]*:", re.I), ".//tei:del"),
    ("underline", re.compile(r"\[\s*(?:underlined|подч[её]ркнуто)\b[^:\[\]\"“«]*:", re.I), ".//tei:hi[@rend='underline']"),
    (
        "note",
        re.compile(r"\[\s*(?:(?:translator|editor)['’]?s?\s+)?note\s*:", re.I),
        ".//tei:note[@type='translator' or @type='editorial']",
    ),
)

# Compiled once: Element.xpath() compiles its expression on every call.
_LABEL_PATHS = {xpath: etree.XPath(xpath, namespaces=NS) for _, _, xpath in LABELS}


# Field lines whose wording is the export's template around a value: the template words count as
# removed only where the header has the element the value went into.
FIELD_TEMPLATES: dict[str, tuple[re.Pattern[str], str]] = {
    "field:Funder": (
        re.compile(r"^\s*this\s+document\s+was\s+made\s+possible\s+(?:with|by|through)\s+(?:the\s+)?(?:generous\s+)?support\s+(?:from|of)\b", re.I),
        "/tei:TEI/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:funder",
    ),
}


class Token(NamedTuple):
    """One word. A tuple, not a dataclass: a check makes thousands per document."""

    text: str  # normalised (NFC, case-folded)
    shown: str  # as printed
    line: int  # source line, 0 for TEI tokens


@dataclass
class RoleResult:
    role: str
    place: str
    source: int = 0
    tei: int = 0
    missing: list[Token] = field(default_factory=list)
    reordered: list[Token] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    # The TEI file's line of each added word (None where it is not known), in the order of
    # ``added``: set only when some word was added (see _place_added).
    added_lines: list[int | None] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)  # labels counted as markup

    @property
    def ok(self) -> bool:
        return self.kept and not self.added

    @property
    def kept(self) -> bool:
        """Every source token is in the TEI, in order (words may have been added)."""
        return not (self.missing or self.reordered)

    @property
    def matched(self) -> int:
        return self.source - len(self.missing) - len(self.reordered)


@dataclass
class Report:
    source: Path
    tei: Path | None
    doc_id: str | None = None
    roles: list[RoleResult] = field(default_factory=list)
    uncovered: list[tuple[int, str]] = field(default_factory=list)  # (line, text) no segment accounts for
    misrecorded: list[tuple[int, str]] = field(default_factory=list)  # segment text differs from the line
    error: str | None = None
    # The TEI file was edited by hand after conversion (its checksum no longer matches).
    # The editor may add words to it (a note, a correction beside the source's reading);
    # the converter may not. Either way no source word may go missing or move.
    hand_edited: bool = False

    @property
    def ok(self) -> bool:
        return (self.error is None and not self.uncovered and not self.misrecorded
                and all(r.kept if self.hand_edited else r.ok for r in self.roles))

    @property
    def source_tokens(self) -> int:
        return sum(r.source for r in self.roles)

    @property
    def matched_tokens(self) -> int:
        return sum(r.matched for r in self.roles)

    @property
    def percent(self) -> float:
        return 100.0 * self.matched_tokens / self.source_tokens if self.source_tokens else 100.0


def normalise(word: str) -> str:
    return unicodedata.normalize("NFC", word).casefold()


def tokens(text: str, line: int = 0) -> list[Token]:
    out = []
    text = unicodedata.normalize("NFC", text)
    for match in _tokens_of(text).finditer(text):
        word = match.group()
        # ASCII is already NFC: case-folding is all it needs.
        out.append(Token(word.casefold() if word.isascii() else normalise(word), word, line))
    return out


def words(text: str) -> list[str]:
    """The normalised text of :func:`tokens` alone: what the comparison needs when
    nothing is lost, which is nearly always (a document has thousands of words, and
    building a Token for each was most of a check's time)."""
    text = unicodedata.normalize("NFC", text)
    if text.isascii() or _all_fold_in_place(text):
        # No letter or digit is a combining character, so a word cut from NFC text is
        # NFC as it stands; and when folding keeps each character a word character or
        # not (it does for all but 28, such as "İ", whose fold ends in a combining dot),
        # the text can be folded whole instead of word by word.
        return _tokens_of(text).findall(text.casefold())
    return [word.casefold() if word.isascii() else normalise(word) for word in _tokens_of(text).findall(text)]


def _tokens_of(text: str) -> re.Pattern[str]:
    """The pattern that cuts ``text`` into tokens (see _UNSPACED_TOKEN)."""
    return _TOKEN if text.isascii() or _UNSPACED_LETTER.search(text) is None else _UNSPACED_TOKEN


_FOLDS_IN_PLACE: dict[str, bool] = {}

# Any character not yet known to fold in place. ASCII does; each character found to
# is added as texts bring it, so that a text of known characters is vetted by one
# search of it, not by making the set of its characters (which cost as much as
# cutting its words). A corpus's alphabet is learnt in its first few documents; the
# pattern stops growing after _MAX_LEARNT rounds, in case every text brings new ones.
_UNVETTED = re.compile(r"[^\x00-\x7f]")
_VETTED: set[str] = set()
_MAX_LEARNT = 64
_learnt = 0


def _all_fold_in_place(text: str) -> bool:
    """Whether every character of ``text`` folds in place (see :func:`_folds_in_place`)."""
    global _UNVETTED, _learnt
    if _UNVETTED.search(text) is None:
        return True
    fresh = set(_UNVETTED.findall(text))
    good = set(filter(_folds_in_place, fresh))
    if good and _learnt < _MAX_LEARNT:
        _learnt += 1
        _VETTED.update(good)
        _UNVETTED = re.compile("[^\\x00-\\x7f" + "".join(map(re.escape, sorted(_VETTED))) + "]")
    return len(good) == len(fresh)


def _folds_in_place(char: str) -> bool:
    """Whether case folding ``char`` gives characters that are all word characters
    when it is one, and none when it is not (so no word boundary moves)."""
    known = _FOLDS_IN_PLACE.get(char)
    if known is None:
        folded = char.casefold()
        is_word = _TOKEN.fullmatch(char) is not None
        known = folded == char or (folded != "" and all((_TOKEN.fullmatch(c) is not None) == is_word for c in folded))
        _FOLDS_IN_PLACE[char] = known
    return known


_TEXT_NODES = {
    None: etree.XPath(".//text()", smart_strings=False),
    True: etree.XPath(".//text()[ancestor::tei:note[@type='footnote']]", namespaces=NS, smart_strings=False),
    False: etree.XPath(".//text()[not(ancestor::tei:note[@type='footnote'])]", namespaces=NS, smart_strings=False),
}


def tei_words(elements: list[etree._Element], footnotes: bool | None = None, strip: tuple[re.Pattern[str], ...] = ()) -> list[str]:
    """The normalised words of the text nodes under ``elements``; element boundaries
    separate words.

    ``footnotes`` True takes only text inside footnotes, False only text outside
    them, None all of it. ``strip``: label patterns removed from the text first
    (labels the TEI kept as text, compared as on the source side).
    """
    out: list[str] = []
    for el in elements:
        texts = lxmltypes.strings(_TEXT_NODES[footnotes](el))
        if strip:  # per node: a label pattern must not match across an element boundary
            for pattern in strip:  # every label opens with "[": few nodes can hold one
                texts = [pattern.sub(" ", text) if "[" in text else text for text in texts]
        # NUL, which XML text cannot hold, keeps the nodes' words apart and stops a
        # tag pattern matching across two nodes; a tag the parser left as text reads
        # as on the source side.
        out.extend(words(_TAGS.sub(" ", "\x00".join(texts))))
    return out


_TEXT_NODES_ON_LINES = {
    None: etree.XPath(".//text()"),
    True: etree.XPath(".//text()[ancestor::tei:note[@type='footnote']]", namespaces=NS),
    False: etree.XPath(".//text()[not(ancestor::tei:note[@type='footnote'])]", namespaces=NS),
}


def tei_word_lines(elements: list[etree._Element], footnotes: bool | None = None,
                   strip: tuple[re.Pattern[str], ...] = ()) -> list[tuple[str, int | None]]:
    """:func:`tei_words`, each word with the line of the element its text node is in."""
    out: list[tuple[str, int | None]] = []
    for el in elements:
        for node in lxmltypes.strings(_TEXT_NODES_ON_LINES[footnotes](el)):
            text = str(node)
            for pattern in strip:
                text = pattern.sub(" ", text) if "[" in text else text
            # With smart strings (the default) a text node knows its element.
            parent = node.getparent() if isinstance(node, etree._ElementUnicodeResult) else None
            line = lxmltypes.sourceline(parent) if parent is not None else None
            out.extend((word, line) for word in words(_TAGS.sub(" ", text)))
    return out


def _split_footnotes(segments: list[Segment], part_lines: list[int] | None = None) -> tuple[list[Segment], list[Segment]]:
    """Body lines and footnote lines ("[^1]: ..." and the lines that continue it).

    Footnotes stand at their point of reference in the TEI, so they are compared
    as a stream of their own, and their "[^1]" marks are syntax. ``part_lines``: the
    first source line of each of the reader's parts, which decide where a note stands.
    """
    main: list[Segment] = []
    notes: list[Segment] = []
    for seg in segments:
        # A line indented under a footnote continues it, after a blank line too (Markdown's
        # footnote paragraphs; edition.body.structure._continued_notes reads them so).
        if _FOOTNOTE_DEF.match(seg.text) or (notes and (not main or main[-1].line < notes[-1].line)
                                             and seg.text.startswith((" ", "\t"))):
            notes.append(seg)
        else:
            main.append(seg)
    labels = {m.group(1) for s in notes if (m := _FOOTNOTE_DEF.match(s.text))}
    ref = re.compile(r"\[\^(" + "|".join(re.escape(x) for x in sorted(labels)) + r")\]") if labels else None
    if ref is not None and len(labels) > 1:
        notes = _in_reference_order(notes, main, ref, part_lines or [])
    notes = [Segment(s.role, s.line, _FOOTNOTE_DEF.sub(" ", s.text)) for s in notes]
    if ref is not None:
        # Only references to a footnote the source has are syntax; "[^9]" with no note stays text.
        main = [Segment(s.role, s.line, ref.sub(" ", s.text)) for s in main]
    return main, notes


def _in_reference_order(notes: list[Segment], main: list[Segment], ref: re.Pattern[str], part_lines: list[int]) -> list[Segment]:
    """The footnotes' lines in the order the TEI has the notes, not in the order the export
    lists the definitions: as edition.body.structure.part_footnotes places them, each at its
    part's first reference to it, or, when its part has none, at the first reference of a
    part that defines no note of that label (the original referring to a note listed after
    the translation); one nothing refers to (or a second with its label in its part) where
    it stands. Without the parts' lines (``part_lines`` empty) the body is one part."""
    def part_of(line: int) -> int:
        return bisect.bisect_right(part_lines, line) - 1

    first_ref: dict[tuple[int, str], tuple[int, int]] = {}  # (part, label) -> (line, column)
    for s in main:
        for found in ref.finditer(s.text):
            first_ref.setdefault((part_of(s.line), found.group(1)), (s.line, found.start()))
    defined = {(part_of(s.line), m.group(1)) for s in notes if (m := _FOOTNOTE_DEF.match(s.text))}
    placed: set[tuple[int, str]] = set()  # (part the note stands in, label)
    seen: set[tuple[int, str]] = set()  # (part of the definition, label)
    keyed: list[tuple[tuple[int, int], list[Segment]]] = []
    for s in notes:
        m = _FOOTNOTE_DEF.match(s.text)
        if m is None:  # a line continuing the note above
            keyed[-1][1].append(s)
            continue
        label, part = m.group(1), part_of(s.line)
        at: tuple[int, int] | None = None
        if (part, label) not in seen:
            seen.add((part, label))
            if (part, label) in first_ref:
                at, target = first_ref[(part, label)], part
            else:
                target, at = next(((t, pos) for (t, found), pos in sorted(first_ref.items(), key=lambda k: k[1])
                                   if found == label and (t, label) not in defined and (t, label) not in placed), (-1, None))
            if at is not None:
                placed.add((target, label))
        keyed.append((at if at is not None else (s.line, 0), [s]))
    keyed.sort(key=lambda k: k[0])  # stable: notes at one place keep their order
    return [s for _, segs in keyed for s in segs]


def _role_key(role: str) -> str:
    return "field" if role.startswith("field:") else role


def _strip_labels(segments: list[Segment], body: etree._Element | None) -> tuple[list[Segment], dict[str, int]]:
    """Remove the bracket labels the TEI body turned into markup."""
    texts = [s.text for s in segments]
    counted: dict[str, int] = {}
    # Every label starts with "[": the other lines (most of them) cannot hold one.
    marked = [i for i, t in enumerate(texts) if "[" in t]
    body_text: str | None = None
    for name, pattern, xpath in LABELS:
        in_source = sum(len(pattern.findall(texts[i])) for i in marked)
        if not in_source:
            continue
        in_tei = len(lxmltypes.elements(_LABEL_PATHS[xpath](body))) if body is not None else 0
        # A label the body kept as text (one the encoder did not recognise in its
        # place) is stripped from the TEI side too (see tei_tokens); only the
        # others must have become markup.
        if body_text is None:
            body_text = " ".join(lxmltypes.strings(_TEXT_NODES[None](body))) if body is not None else ""  # plain strings: half the time
        literal = len(pattern.findall(body_text))
        if in_tei >= in_source - literal:
            for i in marked:
                texts[i] = pattern.sub(" ", texts[i])
            counted[name] = in_source - literal
    # A segment whose text is unchanged is kept, not made again: most lines hold no label,
    # and a (frozen) Segment costs a microsecond to make, a tenth of a millisecond a document.
    return [s if t == s.text else Segment(s.role, s.line, t) for s, t in zip(segments, texts)], counted


def _is_subsequence(a: list[str], b: list[str]) -> bool:
    it = iter(b)
    return all(any(x == y for y in it) for x in a)


def _strip_templates(segments: list[Segment], tei_root: etree._Element) -> tuple[list[Segment], dict[str, int]]:
    from edition.sources.layout import match_label  # the readers' own labels (imported where a check runs)

    out: list[Segment] = []
    counted: dict[str, int] = {}
    for s in segments:
        template = FIELD_TEMPLATES.get(s.role)
        if template is not None and template[0].match(s.text) and tei_root.xpath(template[1], namespaces=NS):
            out.append(Segment(s.role, s.line, template[0].sub(" ", s.text)))
            counted[s.role] = counted.get(s.role, 0) + 1
        elif ":" in s.text and (found := match_label(s.text)) is not None and found[1] and s.role == f"field:{found[0]}":
            # "Record ID: 119711": the label is the export's, as it is on a line of its own
            # (furniture there); only the value on its line must be in the header.
            out.append(Segment(s.role, s.line, found[1]))
        else:
            out.append(s)
    return out, counted


def _without_bold_label(seg: Segment) -> Segment:
    """A Markdown line holding a label and its value ("**Original Language:** Russian")
    as its value: the label is the export's, as it is on a line of its own (furniture
    there); only the value must be where the reader put it (the role it gave the line)."""
    from edition.sources.markdown import inline_label, value_role  # imported where a check runs

    found = inline_label(seg.text)
    if found is None or seg.role != value_role(found[0]):
        return seg
    return Segment(seg.role, seg.line, found[1])


def compare(source: list[Token], target: list[str], strict: bool) -> tuple[list[Token], list[Token], list[str]]:
    """(missing, reordered, added) between source tokens and the TEI's words, in order.

    A source token not matched in order is *reordered* if the TEI has it
    elsewhere unmatched, *missing* otherwise. ``added`` (TEI tokens with no
    source) only counts when ``strict``: a header holds more than any one role.
    """
    a = [t.text for t in source]
    b = target
    if a == b or (not strict and _is_subsequence(a, b)):
        return [], [], []  # the usual case, in linear time
    matched_a, matched_b = _matched(a, b)
    spare = Counter(b[j] for j in range(len(b)) if j not in matched_b)
    missing: list[Token] = []
    reordered: list[Token] = []
    for i, tok in enumerate(source):
        if i in matched_a:
            continue
        if spare[tok.text] > 0:
            spare[tok.text] -= 1
            reordered.append(tok)
        else:
            missing.append(tok)
    added = list(spare.elements()) if strict else []
    return missing, reordered, sorted(added)


def _matched(a: list[str], b: list[str]) -> tuple[set[int], set[int]]:
    """The indices of ``a`` and of ``b`` that match in order."""
    # The common prefix and suffix match as they stand; difflib, quadratic on
    # long runs of repeated words, only sees what lies between them.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    matched_a: set[int] = set(range(head)) | set(range(len(a) - tail, len(a)))
    matched_b: set[int] = set(range(head)) | set(range(len(b) - tail, len(b)))
    matcher = difflib.SequenceMatcher(None, a[head : len(a) - tail], b[head : len(b) - tail], autojunk=False)
    for block in matcher.get_matching_blocks():
        matched_a.update(range(head + block.a, head + block.a + block.size))
        matched_b.update(range(head + block.b, head + block.b + block.size))
    return matched_a, matched_b


def _place_added(result: RoleResult, segments: list[Segment], elements: list[etree._Element], footnotes: bool | None = None,
                 strip: tuple[re.Pattern[str], ...] = ()) -> None:
    """Give ``result``'s added words their lines in the TEI file, in the file's order.

    The comparison keeps words only; their elements are found again here, and only for a
    role with added words (a file edited by hand, mostly), so a check that finds none
    costs nothing more. Each word's line is that of the element holding its text (for a
    tail, the element before it, which starts on that line unless it spans several)."""
    located = tei_word_lines(elements, footnotes, strip)
    target = [w for w, _ in located]
    texts = [_TAGS.sub(" ", s.text) if "<" in s.text else s.text for s in segments]
    _, matched_b = _matched(words("\n".join(texts)), target)
    remaining = Counter(result.added)
    placed: list[tuple[int | None, str]] = []
    for j, (word, line) in enumerate(located):
        if j not in matched_b and remaining[word] > 0:
            remaining[word] -= 1
            placed.append((line, word))
    # Any not found again (the two readings of the file disagree) are listed without a line.
    placed += [(None, word) for word in remaining.elements()]
    result.added = [word for _, word in placed]
    result.added_lines = [line for line, _ in placed]


def _compared(segments: list[Segment], target: list[str], strict: bool) -> tuple[int, list[Token], list[Token], list[str]]:
    """How many words ``segments`` have, and :func:`compare`'s answer for them against
    ``target``. Tokens, which say where each word stands, are made only when some
    word is not where it should be."""
    texts = [(_TAGS.sub(" ", s.text) if "<" in s.text else s.text, s.line) for s in segments]  # a tag needs a "<"
    # One call for all the segments: a line break is no part of a word, and neither
    # normalisation nor case folding carries across it.
    source = words("\n".join(text for text, _ in texts))
    if source == target or (not strict and _is_subsequence(source, target)):
        return len(source), [], [], []
    return (len(source), *compare([tok for text, line in texts for tok in tokens(text, line)], target, strict))


def _part_starts(doc: Document, body_segments: list[Segment]) -> list[tuple[str, int]] | None:
    """(role, first source line) of each run of the reader's parts with one role
    (original, translation, transcription), or None when the parts' lines are not the
    body lines one for one (then the body is compared as one stream).

    The reader splits the body into parts; the encoder must keep each part's words in
    a div of its role. The whole body in order does not show a paragraph moved across
    the boundary, from the end of the original to the start of the translation."""
    starts: list[tuple[str, int]] = []
    at = 0
    for part in doc.parts:
        if not part.paragraphs:
            continue
        if not starts or starts[-1][0] != part.role:
            first = part.paragraphs[0].split("\n", 1)[0]
            if at >= len(body_segments) or body_segments[at].text.strip() != first.strip():
                return None
            starts.append((part.role, body_segments[at].line))
        at += sum(para.count("\n") + 1 for para in part.paragraphs)
    return starts if at == len(body_segments) else None


def _div_words(body: etree._Element, strip: tuple[re.Pattern[str], ...]) -> list[tuple[str, list[str]]] | None:
    """(type, words) of each run of the body's divs with one type, or None when the body
    holds anything but divs (then it is compared as one stream)."""
    if (body.text or "").strip():
        return None
    runs: list[tuple[str, list[etree._Element]]] = []
    for child in body:
        if not isinstance(child.tag, str) or child.tag != f"{{{TEI}}}div" or (child.tail or "").strip():
            return None
        role = child.get("type") or ""
        if runs and runs[-1][0] == role:
            runs[-1][1].append(child)
        else:
            runs.append((role, [child]))
    # As for the whole body: with no footnote in it, a run's text outside footnotes is all its text.
    outside = False if _FOOTNOTES(body) else None
    return [(role, tei_words(divs, footnotes=outside, strip=strip)) for role, divs in runs]


def _compared_by_part(segments: list[Segment], starts: list[tuple[str, int]], divs: list[tuple[str, list[str]]],
                      strict: bool) -> tuple[int, list[Token], list[Token], list[str]]:
    """:func:`_compared` for each role of the body on its own: the source lines of its
    parts with the words of its divs. A word missing from one part and added to another
    was moved across the boundary: reordered, as :func:`compare` says of a moved word."""
    by_role: dict[str, tuple[list[Segment], list[str]]] = {}
    bounds = [line for _, line in starts[1:]]
    run = 0
    for seg in segments:
        while run < len(bounds) and seg.line >= bounds[run]:
            run += 1
        by_role.setdefault(starts[run][0], ([], []))[0].append(seg)
    for role, words_of_run in divs:
        by_role.setdefault(role, ([], []))[1].extend(words_of_run)
    count = 0
    missing: list[Token] = []
    reordered: list[Token] = []
    added: list[str] = []
    for segs, target in by_role.values():
        n, m, r, a = _compared(segs, target, True)
        count += n
        missing += m
        reordered += r
        added += a
    spare = Counter(added)
    kept: list[Token] = []
    for tok in missing:
        if spare[tok.text] > 0:
            spare[tok.text] -= 1
            reordered.append(tok)
        else:
            kept.append(tok)
    return count, kept, sorted(reordered, key=lambda t: t.line), sorted(spare.elements()) if strict else []


def check_document(doc: Document, source_text: str, tei_root: etree._Element, source_path: Path, tei_path: Path) -> Report:
    report = Report(source=source_path, tei=tei_path, doc_id=doc.id)
    # Lines as the readers count them: LF only (str.splitlines would also split
    # at U+2028, U+0085 and other characters that are text in an export).
    lines = source_text.split("\n")
    seen: set[int] = set()
    for seg in doc.segments:
        if seg.line < 1 or seg.line > len(lines) or lines[seg.line - 1].strip() != seg.text.strip():
            report.misrecorded.append((seg.line, seg.text))
        seen.add(seg.line)
    report.uncovered = [(i, ln) for i, ln in enumerate(lines, start=1) if ln.strip() and i not in seen]

    body = tei_root.find(f"{{{TEI}}}text/{{{TEI}}}body")
    by_role: dict[str, list[Segment]] = {}
    # The place of each line among the lines that hold a segment, labels included: the
    # lines of one field are next to each other there.
    rank = {line: i for i, line in enumerate(sorted({seg.line for seg in doc.segments}))}
    for seg in sorted(doc.segments, key=lambda s: s.line):
        if seg.role == "furniture":
            continue
        if doc.source.shape == "markdown" and "**" in seg.text:
            seg = _without_bold_label(seg)
        by_role.setdefault(_role_key(seg.role), []).append(seg)
    notes_result: RoleResult | None = None
    # The words of each place, taken once: several fields may share one. (Read, never
    # changed, by the comparisons.)
    place_words: dict[str, list[str]] = {}

    def words_of(xpath: str) -> list[str]:
        found = place_words.get(xpath)
        if found is None:
            found = place_words[xpath] = tei_words(lxmltypes.elements(_FIELD_PATHS[xpath](tei_root)))
        return found

    for role in ("title", "date", "body", "summary", "citation", "field"):
        segs = by_role.pop(role, [])
        xpath, place, strict = PLACES[role]
        labels: dict[str, int] = {}
        if role == "field":
            segs, labels = _strip_templates(segs, tei_root)
            if not segs:
                continue
            result = RoleResult(role, "teiHeader, each field in its element", labels=labels)
            # Each field on its own, in the element its value goes into; the lines of one
            # field together, in order: compared one by one, a word lost from a later line
            # ("To" of the Rights' second paragraph) was found earlier in the same element.
            # A field printed twice (its label again, or other lines between) is one value
            # twice, which the header records once: each printing is compared on its own.
            fields: list[tuple[str, list[Segment]]] = []
            for s in segs:
                if fields and fields[-1][0] == s.role and rank[s.line] == rank[fields[-1][1][-1].line] + 1:
                    fields[-1][1].append(s)
                else:
                    fields.append((s.role, [s]))
            for field_role, field_segs in fields:
                place_xpath = FIELD_PLACES.get(field_role[len("field:"):], FIELD_KEYWORDS)
                count, missing, reordered, _ = _compared(field_segs, words_of(place_xpath), False)
                result.source += count
                result.missing += missing
                result.reordered += reordered
            result.tei = sum(map(len, place_words.values()))
            report.roles.append(result)
            continue
        targets = lxmltypes.elements(_PLACE_PATHS[xpath](tei_root))
        parts: tuple[list[tuple[str, int]], list[tuple[str, list[str]]]] | None = None
        if role == "body":
            starts = _part_starts(doc, segs)
            part_lines: list[int] = []
            if any("[^" in s.text for s in segs):
                # Importing any module of edition.sources imports every reader, which a
                # check that finds every pair unchanged (most runs of `make`) never needs.
                from edition.sources.footnotes import each_part_start

                part_lines = each_part_start(doc.parts, segs)
            segs, labels = _strip_labels(segs, body)
            segs, notes = _split_footnotes(segs, part_lines)
            if notes or (body is not None and _FOOTNOTES(body)):
                note_tgt = tei_words(targets, footnotes=True)
                notes_result = RoleResult("notes", "text/body//note[@type='footnote']", tei=len(note_tgt))
                notes_result.source, notes_result.missing, notes_result.reordered, notes_result.added = _compared(notes, note_tgt, True)
                if notes_result.added:
                    _place_added(notes_result, notes, targets, footnotes=True)
            strip = tuple(pattern for name, pattern, _ in LABELS if name in labels)
            # With more than one role on either side, each part is compared with its divs:
            # their words, taken div by div, are the body's, so this costs no more.
            divs = _div_words(body, strip) if body is not None and starts is not None else None
            if starts is not None and divs is not None and len({r for r, _ in starts} | {r for r, _ in divs}) > 1:
                parts = (starts, divs)
                tgt = [w for _, run_words in divs for w in run_words]
            elif divs is not None and len(targets) == 1 and targets[0] is body:
                # One role: the body is compared as one stream, and its words are the divs'
                # just taken, in order (its own text and the divs' tails are white space,
                # or _div_words gives None), not cut from its text nodes a second time.
                tgt = [w for _, run_words in divs for w in run_words]
            else:
                # Without a footnote under the body, its text outside footnotes is all its
                # text: asked without the ancestor test (which cost most of taking the text nodes).
                outside = False if any(_FOOTNOTES(t) for t in targets) else None
                tgt = tei_words(targets, footnotes=outside, strip=strip)
        else:
            tgt = tei_words(targets)
        if not segs and not (strict and tgt):
            continue
        result = RoleResult(role, place, tei=len(tgt), labels=labels)
        if parts is not None:
            result.source, result.missing, result.reordered, result.added = _compared_by_part(segs, *parts, strict)
        else:
            result.source, result.missing, result.reordered, result.added = _compared(segs, tgt, strict)
        if result.added:
            if role == "body":
                _place_added(result, segs, targets, False if any(_FOOTNOTES(t) for t in targets) else None, strip)
            else:
                _place_added(result, segs, targets)
        report.roles.append(result)
        if notes_result is not None:
            report.roles.append(notes_result)
            notes_result = None
    for role, segs in sorted(by_role.items()):
        report.error = f"segments with unknown role {role!r} (line {segs[0].line}): the check does not know where they belong"
    return report


def check_source(source_path: Path, against: Path, id_prefix: str = "doc") -> Report:
    """Re-read ``source_path`` and check it against its TEI file in ``against``."""
    from edition.fsutil import contained_path
    from edition.sources import read_source
    from edition.sources.decode import decode_source

    try:
        doc = read_source(source_path, id_prefix)
        text = decode_source(source_path.read_bytes(), source_path).text
        tei_path = contained_path(against, doc.id, ".xml")
    except EditionError as exc:
        return Report(source=source_path, tei=None, error=str(exc))
    if not tei_path.exists():
        return Report(source=source_path, tei=tei_path, doc_id=doc.id,
                      error=f"no TEI file {tei_path} for document {doc.id}: convert the source first "
                            f"(edition convert {source_path} --out {against}), or point --against at the TEI folder")
    from edition.tei import checksum_state

    try:
        # TEI files may have been edited by hand: read and parsed as untrusted XML. The
        # bytes are kept for the checksum, which says whether they were.
        data = xmlsafe.read_file(tei_path)
        root = xmlsafe.parse_bytes(data, tei_path).getroot()
    except EditionError as exc:
        return Report(source=source_path, tei=tei_path, doc_id=doc.id, error=str(exc))
    report = check_document(doc, text, root, source_path, tei_path)
    report.hand_edited = checksum_state(data) == "edited"
    return report


LIMIT = 50  # most problems of one kind listed per document, unless told otherwise


def format_report(report: Report, limit: int = LIMIT) -> list[str]:
    """Human-readable lines: one summary line, then every problem (up to ``limit`` per kind)."""
    name = report.source
    if report.error:
        return [f"{name}: error: {report.error}"]
    status = ("ok" if report.ok else "LOST") + (" (edited by hand)" if report.hand_edited else "")
    out = [f"{name}: {status} {report.doc_id}: {report.matched_tokens}/{report.source_tokens} source tokens in the TEI ({report.percent:.2f}%)"]
    for r in report.roles:
        labels = f"; labels as markup: {', '.join(f'{k}×{v}' for k, v in sorted(r.labels.items()))}" if r.labels else ""
        out.append(
            f"  {r.role:<8} -> {r.place}: source {r.source}, TEI {r.tei}, missing {len(r.missing)}, "
            f"reordered {len(r.reordered)}" + (f", added {len(r.added)}" if r.added else "") + labels
        )
        for kind, toks in (("missing", r.missing), ("reordered", r.reordered)):
            for tok in toks[:limit]:
                out.append(f"{name}:{tok.line}: {kind} {r.role} token {tok.shown!r}")
            if len(toks) > limit:
                out.append(f"{name}: ... and {len(toks) - limit} more {kind} {r.role} tokens")
        # In a file edited by hand, words the editor added are no fault: listed, not failed.
        added = "added by hand" if report.hand_edited else "added"
        lines = r.added_lines or [None] * len(r.added)
        for word, line in list(zip(r.added, lines))[:limit]:
            out.append(f"{report.tei}:{line}: {added} {r.role} token {word!r} not in the source" if line is not None
                       else f"{report.tei}: {added} {r.role} token {word!r} not in the source")
    for line, text in report.uncovered[:limit]:
        out.append(f"{name}:{line}: line not accounted for by the reader: {text.strip()[:80]!r}")
    for line, text in report.misrecorded[:limit]:
        out.append(f"{name}:{line}: reader recorded this line as {text.strip()[:80]!r}, which is not what the file says")
    return out


# --------------------------------------------------------------------------- many sources


@dataclass(frozen=True)
class CheckResult:
    """What ``edition check`` prints and counts for one source (picklable, and kept in
    the check manifest between runs)."""

    source: str
    lines: list[str]
    ok: bool
    source_tokens: int
    matched_tokens: int
    tei: str | None  # the TEI file compared with, when the source could be read


def result_of(report: Report, limit: int = LIMIT) -> CheckResult:
    return CheckResult(
        str(report.source), format_report(report, limit), report.ok, report.source_tokens, report.matched_tokens,
        str(report.tei) if report.tei is not None else None,
    )


def _check_one(task: tuple[Path, Path, str, int]) -> CheckResult:
    source, against, prefix, limit = task
    return result_of(check_source(source, against, prefix), limit)


def check_converted(doc: Document, source: Path, data: bytes, against: Path, limit: int = LIMIT,
                    *, text: str | None = None) -> CheckResult:
    """The check of a source just converted, against the TEI bytes made from it, as
    :func:`check_source` would find it once those bytes are its TEI file in
    ``against``: the converter checks where it has the document in hand, and keeps
    the result for ``edition check`` (see :func:`record_result`). ``doc`` is the
    document as read; encoding its body does not touch its segments. ``text``: the
    source as it was decoded for ``doc`` (else it is read again)."""
    from edition.fsutil import contained_path
    from edition.sources.decode import decode_source

    tei_path = contained_path(against, doc.id, ".xml")
    try:
        if text is None:
            text = decode_source(source.read_bytes(), source).text
        root = xmlsafe.parse_bytes(data, tei_path).getroot()
    except (EditionError, OSError) as exc:
        return result_of(Report(source=source, tei=tei_path, doc_id=doc.id, error=str(exc)), limit)
    return result_of(check_document(doc, text, root, source, tei_path), limit)


def check_store(build_dir: Path, against: Path, id_prefix: str, limit: int = LIMIT) -> RecordStore:
    """The records of checks against the TEI files in ``against``."""
    from edition.incremental import code_fingerprint, digest, record_store

    return record_store(build_dir, "check", against, digest(code_fingerprint(), id_prefix, limit))


def record_result(store: RecordStore, name: str, source: Path, result: CheckResult, source_sha: str, tei_sha: str,
                  *, source_stat: list[int] | None = None) -> None:
    """Keep ``result`` for ``edition check``: the source and TEI file, whose hashes the
    caller knows, are those it was made from. ``source_stat``: the source's stat
    signature when it was read (else it is taken now)."""
    from edition.incremental import stat_signature

    known = {str(source): source_sha, str(result.tei): tei_sha}

    def signature(path: Path | str) -> list[int] | None:
        if source_stat is not None and str(path) == str(source):
            return source_stat
        return stat_signature(path)

    store.put(name, _record(source, result, signature, lambda path: known[str(path)]), payload(result))


def check_sources(
    paths: Sequence[Path],
    against: Path,
    id_prefix: str,
    *,
    limit: int = LIMIT,
    jobs: int = 1,
    build_dir: Path | None = None,
    quiet: bool = False,
) -> list[CheckResult]:
    """:func:`iter_check_sources`, as a list."""
    return list(iter_check_sources(paths, against, id_prefix, limit=limit, jobs=jobs, build_dir=build_dir, quiet=quiet))


def iter_check_sources(
    paths: Sequence[Path],
    against: Path,
    id_prefix: str,
    *,
    limit: int = LIMIT,
    jobs: int = 1,
    build_dir: Path | None = None,
    quiet: bool = False,
) -> Iterator[CheckResult]:
    """Check every source against its TEI file; the results, in the order given, as
    each comes (an edition's results are never all held at once).

    With ``build_dir`` a record store keeps each result with the stat signatures
    and hashes of the source and of the TEI file it was compared with: a pair that
    is unchanged since the last run (under the same code, id prefix and limit) keeps
    its result, so checking an edition after one correction re-reads one source.
    The rest run on ``jobs`` worker processes. The records are saved when the last
    result has been taken. ``quiet``: the lines of a complete result are not wanted, and
    may be left out (a run that finds every pair as the last run left it reads no record).
    """
    from edition.executor import make_executor
    from edition.fsutil import names_of
    from edition.incremental import file_digest, record_names, stat_signature

    store = check_store(build_dir, against, id_prefix, limit) if build_dir is not None else None
    names, shown = record_names(paths), names_of(paths)
    if store is not None:
        replayed = _replayed(store, names, shown, quiet)
        if replayed is not None:
            store.keep_all()
            store.save()
            yield from replayed
            return
    # First which pairs still hold (from the small records), then the results in
    # order: a kept result is read from its payload when its turn comes.
    held: list[bool | None] = []
    records: list[dict[str, Any] | None] = []  # each pair's record as it stands at the end
    results: list[CheckResult | None] = [None] * len(names)  # and its result
    for name in names:
        old = store.get(name) if store is not None else None
        records.append(old)
        held.append(_still_holds(old, name, stat_signature, file_digest) if old is not None else None)
    todo = [i for i, h in enumerate(held) if h is None]
    executor = make_executor(len(todo), jobs) if todo else None
    try:
        fresh = iter(executor.map(_check_one, [(paths[i], against, id_prefix, limit) for i in todo], chunksize=8)) if executor else iter(())
        for i, path in enumerate(paths):
            if held[i] is None:
                result = next(fresh)
                if store is not None:
                    records[i], results[i] = _record(path, result, stat_signature, file_digest), result
                    store.put(names[i], records[i] or {}, payload(result))
                yield result
                continue
            assert store is not None
            try:
                kept = from_payload(store.payload(names[i]) or "")
            except (ValueError, TypeError):  # a payload that does not read: check the pair again
                kept = _check_one((path, against, id_prefix, limit))
                held[i] = False
            if held[i]:
                store.keep(names[i])
            else:  # touched but not changed: record the new stat, so the next run need not hash again
                records[i] = _record(path, kept, stat_signature, file_digest)
                store.put(names[i], records[i] or {}, payload(kept))
            results[i] = kept
            yield as_named(kept, shown[i])
    finally:
        if executor is not None:
            executor.close()
    if store is not None:
        _summarise(store, names, records, results)
        store.save()


def _summary_key(names: Sequence[str], sources: Sequence[Any], teis: Sequence[str | None], tei_sigs: Sequence[Any]) -> str:
    """A hash of each pair's names and stat signatures."""
    from edition.incremental import signatures_digest

    return signatures_digest(f"{n}\0{s}\0{t}\0{ts}" for n, s, t, ts in zip(names, sources, teis, tei_sigs))


def _summarise(store: RecordStore, names: Sequence[str], records: Sequence[dict[str, Any] | None],
               results: Sequence[CheckResult | None]) -> None:
    """Leave with the records what the next run needs to give every result without them:
    a hash of each source's and TEI file's stat signature as recorded, and the results
    (the lines of those with losses only: a run that wants the others reads the records)."""
    complete = [r for r in records if r is not None]
    done = [r for r in results if r is not None]
    if len(complete) != len(names) or len(done) != len(names):
        return
    key = _summary_key(names, [(r.get("source") or [None])[0] for r in complete], [r.get("tei_path") for r in complete],
                       [(r.get("tei") or [None])[0] for r in complete])
    entries = [[r.ok, r.source_tokens, r.matched_tokens, r.tei] + ([] if r.ok else [r.source, r.lines]) for r in done]
    store.set_summary(json.dumps({"key": key, "results": entries}, ensure_ascii=False, separators=(",", ":")))


def _replayed(store: RecordStore, names: Sequence[str], shown: Sequence[str], quiet: bool) -> list[CheckResult] | None:
    """The results of the last run, named as this run names the sources, when every
    source and TEI file it compared has the stat signature recorded then (and the
    sources are the same); else None. Unless ``quiet``, the lines of complete results
    are read from the records."""
    from edition.incremental import stat_signature

    try:
        summary = json.loads(store.summary or "null")
        if not isinstance(summary, dict) or len(summary["results"]) != len(names):
            return None
        teis = [entry[3] for entry in summary["results"]]
        now = _summary_key(names, [stat_signature(n) for n in names], teis,
                           [stat_signature(t) if t else None for t in teis])
        if now != summary["key"]:
            return None
        replayed = []
        for name, given, entry in zip(names, shown, summary["results"]):
            ok, source_tokens, matched_tokens, tei = entry[:4]
            if not ok:
                replayed.append(as_named(CheckResult(entry[4], entry[5], ok, source_tokens, matched_tokens, tei), given))
            elif quiet:
                replayed.append(CheckResult(given, [], ok, source_tokens, matched_tokens, tei))
            else:
                replayed.append(as_named(from_payload(store.payload(name) or ""), given))
        return replayed
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def as_named(result: CheckResult, source: str) -> CheckResult:
    """``result`` with its source named ``source``: a kept result as this run names the
    source (the record is found by absolute name, whichever way the source was given
    when it was made), or a worker's, which was given the absolute path. The TEI file
    is always named absolute."""
    if result.source == source:
        return result
    old = result.source + ":"
    lines = [source + line[len(result.source):] if line.startswith(old) else line for line in result.lines]
    return CheckResult(source, lines, result.ok, result.source_tokens, result.matched_tokens, result.tei)


def _fingerprint_of(path: Path | None, stat_signature: Any, file_digest: Any) -> list[Any]:
    if path is None:
        return [None, None]
    sig = stat_signature(path)
    if sig is None:
        return [None, None]
    try:
        return [sig, file_digest(path)]
    except OSError:
        return [None, None]


def _record(source: Path, result: CheckResult, stat_signature: Any, file_digest: Any) -> dict[str, Any]:
    """What decides whether a kept result still holds: the files compared, as they were."""
    return {
        "source": _fingerprint_of(source, stat_signature, file_digest),
        "tei": _fingerprint_of(Path(result.tei) if result.tei else None, stat_signature, file_digest),
        "tei_path": result.tei,
    }


def payload(result: CheckResult) -> str:
    return json.dumps([result.source, result.lines, result.ok, result.source_tokens, result.matched_tokens, result.tei],
                      ensure_ascii=False, separators=(",", ":"))


def from_payload(text: str) -> CheckResult:
    source, lines, ok, source_tokens, matched_tokens, tei = json.loads(text)
    return CheckResult(source, lines, ok, source_tokens, matched_tokens, tei)


def _still_holds(record: dict[str, Any], source: str, stat_signature: Any, file_digest: Any) -> bool | None:
    """Whether the recorded source and TEI file are as they were: True when their stat
    signatures are, False when only their bytes are (touched, not changed), None when
    either changed."""
    try:
        tei = record["tei_path"]
        pairs = [(source, record["source"]), (tei or None, record["tei"])]
    except (KeyError, TypeError):
        return None
    untouched = True
    for path, (sig, sha) in pairs:
        if path is None:
            continue
        now = stat_signature(path)
        if now is None or sig is None:
            if now != sig:
                return None
            continue
        if now != sig:
            untouched = False
            try:
                if file_digest(path) != sha:
                    return None
            except OSError:
                return None
    return untouched
