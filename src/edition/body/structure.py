"""Paragraphs of one part -> model blocks: opener, paragraphs, lists, closer, marks.

Works in three passes over the reader's paragraphs:

1. *grouping*: paragraphs that belong together become one group (a bracket
   mark left open runs on over the next paragraphs; a short line ending in
   "of the" continues on the next; a word split across a page break with folio
   numbers between is joined; "[handwritten:]" takes the lines after it);
2. *classification*: what each group is by itself (prose, list item, date,
   signature, registry mark, folio number, addressee line, ...);
3. *placement*: where it stands decides its zone. Lines before the first
   prose paragraph form the opener; a run of non-prose lines after the prose
   that holds a signature (or is the end of the text and holds a date) forms
   the closer; prose after a closer starts a new section. The TEI writer turns
   zones into ``opener``/``closer`` and sections into nested ``div``s.

Nothing is dropped: every group becomes a block, and a line whose function is
unknown becomes a paragraph or an annotation note, never nothing.
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field

from edition.body import lexicon
from edition.body.language import HYPHEN_BREAK, LETTERS_PER_WORD
from edition.body.names import VOWELLESS_SURNAMES, surname_shaped
from edition.body.marks import FOOTNOTE_DEF, FOOTNOTE_REF, MarkContext, is_reference, open_label, parse_inline, place_of, plain_text
from edition.dates import find_dates, month_number, parse_date
from edition.model import Block, DocDate, Document, Inline, Span, SpanKind, Zone
from edition.scripts import HANGUL, UNSPACED

_WORD = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")
_LIST_ITEM = re.compile(r"^\s*(\d{1,2})([.)])\s+(\S.*)$", re.DOTALL)
_PAGE_NUMBER = re.compile(r"^\s*[-–—]\s*(\d{1,4})\s*[-–—]\s*$")
_FOLIO = re.compile(r"^\s*(\d{1,4})\s*$")
_PAGE_DOT = re.compile(r"^\s*(\d{1,3})\.\s*$")
_ARCHIVAL_NUMBER = re.compile(r"^\s*\d[\d./\-–]*\s?[^\W\d_]{0,3}\s*$")
# Letters of language.CHARACTER_SCRIPTS: kana (and halfwidth katakana), Han (with the
# extension A and compatibility blocks) and Hangul syllables.
_CHARACTER_LETTER = re.compile(f"[{UNSPACED}{HANGUL}]")
# Han (or kana) alone on a line, two to four of them: a word of its own, as a capitalised
# word alone is in a script with capitals ("周恩来" under the closing, "通知" over the text).
_HAN_WORD = re.compile(f"^\\s*[{UNSPACED}]{{2,4}}\\s*$")
_LETTER_SPACED = re.compile(r"^\s*(?:[^\W\d_]\s){2,}[^\W\d_]\s*$")
_SINGLE_WORD = re.compile(r"^\s*[^\W\d_][^\W\d_'’\-]*(?:['’\-][^\W\d_]+)*\s*$")
_NAME = re.compile(
    r"^\s*(?:(?:[^\W\d_]{1,2}\.\s*){1,2}[^\W\d_][\w'’\-]+|[^\W\d_][\w'’\-]+(?:\s+(?:[^\W\d_]{1,2}\.\s*){1,2})?)\s*$"
)
_SIGNED_LABEL = re.compile(r"^\s*\[\s*signed\s*\]\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# "P. Ivanov [signed]": the label after the name, on a line of its own (a footnote reference aside).
_SIGNED_AFTER = re.compile(r"^\s*(?P<name>(?:[^\[\]\n]|\[\^[^\]\s]+\])+?)\s*\[\s*signed\s*\]\s*$", re.IGNORECASE)
_HAND_SCOPE = re.compile(r"^\s*\[\s*(?:handwritten|handwriting|written by hand)(?P<qual>[^:\]]*):\s*\]\s*$", re.IGNORECASE)
_ITALIC_SIGNATURE = re.compile(r"^\s*\*[^*\n]+\*\s*\(\s*[^()]+\)\s*$")
_PAREN_NAME = re.compile(r"\((\s*(?:[^\W\d_]{1,2}\.\s*){0,3}[^\W\d_][\w'’\-]+(?:\s+[^\W\d_][\w'’\-]+)?\s*)\)")
# Vowel letters of the archive's scripts, for telling a short surname from an abbreviation.
_VOWELS = frozenset("aeiouyàáâäåæèéêëìíîïòóôöøùúûüýəıаеёиоуыэюяіїє")
_YEARLESS_DM = re.compile(r"^\s*(\d{1,2})\s+([^\W\d_]+)\.?\s*$")
_YEARLESS_MD = re.compile(r"^\s*([^\W\d_]+)\.?\s+(\d{1,2})\s*$")
_POSTSCRIPT = re.compile(r"^\s*(?:P\.\s?S\.|PS:|P\.\s?P\.\s?S\.|П\.\s?С\.|Р\.\s?S\.|N\.\s?B\.)", re.UNICODE)
_ITEM_END = re.compile(r"[.;!?]\s*$")  # a list item's line that ends its item
_TERMINAL = re.compile(r"[.!?:;…»\"”)。！？：；」』]\s*$")

MAX_OPEN_MARK_PARAGRAPHS = 6  # how far an unclosed "[handwritten: ..." may run on
MAX_SCOPE_WORDS = 25  # a "[handwritten:]" scope ends at real prose


@dataclass(frozen=True)
class BodyContext:
    """What encoding a part needs to know about its document.

    ``date`` lets a dateline be recognised (and two-digit years be read in the
    right century); ``translator`` points to the translator's id in the header
    so bracketed insertions in a translation say whose they are.
    """

    date: DocDate | None = None
    translator: str | None = None  # e.g. "#translator-1"
    hand: str = "#handwritten"

    @classmethod
    def for_document(cls, doc: Document) -> BodyContext:
        meta = doc.metadata
        # The header gives the first translator this id (edition.tei_header).
        translator = "#translator-1" if meta.translators else None
        return cls(date=meta.date, translator=translator)

    # Cached: every paragraph's classification asks, a few times each.
    @functools.cached_property
    def year(self) -> int | None:
        when = (self.date.when or self.date.not_before) if self.date else None
        if when and when[:4].isdigit():
            return int(when[:4])
        return None

    @functools.cached_property
    def century(self) -> int | None:
        return (self.year // 100) * 100 if self.year else None


@dataclass
class Group:
    text: str
    cls: str = ""
    words: int = 0
    content: list[Inline] = field(default_factory=list)
    scope: list[Group] = field(default_factory=list)  # lines under a "[handwritten:]" label
    extra: dict[str, str] = field(default_factory=dict)
    joined: list[Span] = field(default_factory=list)  # page-break furniture inside a joined paragraph
    tail: str = ""  # text after the page break, when joined


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def _weight(found: list[str]) -> int:
    """How many words ``found`` are as a line's length counts them: Han, kana and Hangul run
    their words together, so a run of them counts by its letters (LETTERS_PER_WORD), as
    language.gather counts them; a Chinese sentence from comma to comma is not one word."""
    return sum(-(-len(_CHARACTER_LETTER.findall(w)) // LETTERS_PER_WORD) if _CHARACTER_LETTER.search(w) else 1 for w in found)


# --- pass 1: grouping ---------------------------------------------------------


_BRACKETS = re.compile(r"[\[\]]")


def _depth(text: str) -> int:
    """How many "[" are still open at the end of ``text`` (a "]" with none open is text)."""
    if "[" not in text:  # most paragraphs: found at C speed, not character by character
        return 0
    depth = 0
    for c in _BRACKETS.findall(text):
        if c == "[":
            depth += 1
        elif depth > 0:
            depth -= 1
    return depth


# A footnote's label in the text ("[^1]", "[1]", "^1", "<sup>1</sup>"): a mark, no word of it.
_NOTE_LABEL = re.compile(r"\[\^[^\]\s]+\]|\[\d{1,3}\]|\^\d{1,3}\b|<sup>\s*\d{1,3}\s*</sup>", re.IGNORECASE)


def _reach_words(text: str) -> int:
    """The words of a paragraph, as the reach of a mark over paragraphs counts them: a
    handwritten note of 24 words with two footnotes is not prose of 26."""
    return len(words(_NOTE_LABEL.sub("", text)))


def _group(paragraphs: list[str]) -> list[Group]:
    paras = [p for p in paragraphs if p.strip()]
    groups: list[Group] = []
    i = 0
    while i < len(paras):
        text = paras[i]
        if _HAND_SCOPE.match(text):
            group = Group(text, cls="hand-scope")
            j = i + 1
            # A footnote definition ends the scope: it is the editors' note, not the hand's
            # (an export lists its footnotes after the text, under the last handwritten block).
            # A "[signed]" line ends it too: the typed signature under the note, whose label
            # would otherwise stay as printed inside the note.
            while (j < len(paras) and _reach_words(paras[j]) < MAX_SCOPE_WORDS and not FOOTNOTE_DEF.match(paras[j])
                   and _signed_line(paras[j]) is None and _signed_after(paras[j]) is None):
                group.scope.append(Group(paras[j]))
                j += 1
            if group.scope:
                groups.append(group)
                i = j
                continue
            # Nothing under it (the end of the text, or prose): an empty handwritten note
            # would claim a note that is not there, so the label stays as printed.
        head, sep, rest = text.partition("\n")
        if sep and rest.strip() and _HAND_SCOPE.match(head):
            # "[handwritten:]" over lines of its own paragraph: those lines are its scope (the
            # paragraph's end ends it), not typed text after an empty add.
            group = Group(head, cls="hand-scope")
            group.scope.append(Group(rest))
            groups.append(group)
            i += 1
            continue
        if _depth(text) > 0 and open_label(text):
            # A bracket left open: look for its close in the next paragraphs.
            depth, j = _depth(text), i + 1
            while depth > 0 and j < len(paras) and j - i <= MAX_OPEN_MARK_PARAGRAPHS and not FOOTNOTE_DEF.match(paras[j]):
                depth = _depth("[" * depth + paras[j])
                j += 1
            # Never closed, it may run to the end of the text (a margin note and the
            # signature under it), but not over prose: a scope ends at real prose, and a
            # sentence is prose however short ("The comrades left in January, as ...").
            if depth == 0 or (j == len(paras) and not any(_is_prose(p, _reach_words(p)) for p in paras[i + 1 : j])):
                groups.append(Group("\n".join(paras[i:j])))
                i = j
                continue
        groups.extend(Group(t) for t in _split_list(text))
        i += 1
    return groups


def _split_list(text: str) -> list[str]:
    """A numbered list written with hard line breaks, one text per item; else the text whole.

    "1. ...\n2. ...\n3. ...", also under a lead-in line ending in ":" ("The delegates
    are:") and with an item running on to the next line (its sentence, or a bracket, is
    not closed at the line's end): the lead-in stays a paragraph of its own.
    """
    if "\n" not in text:
        return [text]
    lines = text.split("\n")
    first = next((k for k, ln in enumerate(lines) if _LIST_ITEM.match(ln)), None)
    if first is None or (first and not lines[first - 1].rstrip().endswith(":")):
        return [text]
    items: list[str] = []
    numbers: list[int] = []
    for ln in lines[first:]:
        if m := _LIST_ITEM.match(ln):
            items.append(ln)
            numbers.append(int(m.group(1)))
        elif _depth(items[-1]) > 0 or not _ITEM_END.search(items[-1]):
            items[-1] += "\n" + ln  # the item's text runs on
        else:
            return [text]
    if len(numbers) < 2 or any(b != a + 1 for a, b in zip(numbers, numbers[1:])):
        return [text]
    lead = "\n".join(lines[:first])
    return ([lead] if lead.strip() else []) + items


# --- pass 2: classification ---------------------------------------------------


def _is_caps(text: str) -> bool:
    letters = list(filter(str.isalpha, text))
    return len(letters) >= 4 and sum(map(str.isupper, letters)) / len(letters) >= 0.8


def _date_of(text: str, ctx: BodyContext) -> DocDate | None:
    """The date a whole line states, or None. Bare years far from the document's are numbers."""
    clean = text.strip()
    date = parse_date(clean, ctx.century)
    if date is not None:
        # A bare year, or a span of bare years ("1941-1945"), far from the document's is
        # a number or a period spoken of, not the date of a line.
        year = date.when or date.not_before or ""
        if len(year) == 4 and ctx.year is not None and abs(int(year) - ctx.year) > 30:
            return None
        return date
    for pattern, order in ((_YEARLESS_DM, (1, 2)), (_YEARLESS_MD, (2, 1))):
        m = pattern.match(clean)
        if m:
            day, month = int(m.group(order[0])), month_number(m.group(order[1]))
            if month and 1 <= day <= 31:
                # No year is printed: the document's year, with less certainty; none without one.
                when = f"{ctx.year:04d}-{month:02d}-{day:02d}" if ctx.year and day <= calendar.monthrange(ctx.year, month)[1] else None
                return DocDate(text=" ".join(clean.split()), when=when, cert="medium")
    return None


def _sole(items: list[Inline]) -> Span | None:
    """The single span that is the whole content (whitespace and , . ; aside)."""
    spans = [x for x in items if isinstance(x, Span)]
    if len(spans) != 1:
        return None
    rest = "".join(x for x in items if isinstance(x, str))
    return None if rest.strip(" \t\n.,;") else spans[0]


def _only(items: list[Inline], kind: str) -> Span | None:
    """The single span of ``kind`` that is the whole content (whitespace aside)."""
    sole = _sole(items)
    return sole if sole is not None and sole.kind == kind else None


def _unplace(items: list[Inline], mctx: MarkContext) -> None:
    """Free the footnotes ``items`` placed, before their text is parsed again (joined to
    the next line, cut at a salutation, read as a signature): the parser places a note
    once, so the second reading left its "[^1]" as text and the note nowhere."""
    for item in items:
        if isinstance(item, Span):
            if item.kind == "note" and item.attrs.get("type") == "footnote":
                mctx.placed.discard(item.attrs["n"])
            _unplace(item.content, mctx)


def _classify(group: Group, ctx: BodyContext, mctx: MarkContext) -> None:
    # What the line is is read without its footnote references ("[^1]" is the export's
    # syntax for a note, not a word): with them a signature, a date or a name was prose.
    text = _without_references(group.text)
    # A Chinese letter's sentences, each a "word" or three by its commas, were too short for
    # prose: the whole text stayed short lines, and its closing opened a section of its own.
    group.words = _weight(words(text)) if _CHARACTER_LETTER.search(text) else len(words(text))
    if group.cls == "hand-scope":
        return
    group.content = parse_inline(group.text.strip(), mctx)
    flat = plain_text(group.content)
    stripped = text.strip()
    n = group.words
    # Asked once: whether one mark is the whole line decides four of the classes below.
    sole = _sole(group.content)
    sole_kind = sole.kind if sole is not None else None
    if (fn := FOOTNOTE_DEF.match(group.text.strip())) is not None:
        group.cls = "footnote"  # a footnote nothing refers to stays where it is
        group.content = parse_inline(fn.group(2), mctx)
        group.extra = {"n": fn.group(1)}
    elif sole_kind == "add":
        group.cls = "note-hand"
    elif sole_kind == "stamp":
        group.cls = "registry"
    elif _signed_line(text) is not None or _signed_after(text) is not None or _ITALIC_SIGNATURE.match(text) or (
        n <= 10 and lexicon.SIGNATURE_WORD.search(text) is not None and _signature_gap(group.content)
    ):
        group.cls = "signature"
    elif sole_kind == "supplied" and stripped.startswith("["):
        group.cls = "registry"  # "[to the archives]": the translator describing a mark
    elif _POSTSCRIPT.match(text):
        group.cls = "postscript"
    elif (m := _LIST_ITEM.match(text)) and len(words(m.group(3))) >= 1:
        group.cls = "item"
        group.extra = {"n": m.group(1), "label": m.group(1) + m.group(2)}
    # The plain text is asked only when it differs from the line (most lines have no
    # mark): _date_of reads its text stripped, so the answer would be the same.
    elif (date := _date_of(text, ctx) or (_date_of(flat, ctx) if flat.strip() != stripped else None)) is not None:
        group.cls = "date"
        group.extra = {"when": date.when or ""}
    elif _PAGE_NUMBER.match(stripped):
        group.cls = "page"
    elif _FOLIO.match(stripped):
        group.cls, group.extra = "fw", {"type": "folio"}
    elif _PAGE_DOT.match(stripped):
        group.cls, group.extra = "fw", {"type": "pageNum"}
    elif _ARCHIVAL_NUMBER.match(stripped) and len(stripped) <= 16:
        group.cls, group.extra = "fw", {"type": "archival"}
    elif _is_fragment(text):
        group.cls = "fragment"
    elif n <= 6 and (lexicon.DOCUMENT_KIND.match(flat.strip()) or lexicon.TRANSLATION_HEADING.match(flat.strip())):
        # "PROTOKOLL Nr. 31/61" in capitals at the top was a line of the address, and
        # "Перевод с английского" over the translation a paragraph of it.
        group.cls = "head"
    elif n <= 16 and (lexicon.REGISTRY.match(stripped) or lexicon.REGISTRY_ANYWHERE.search(stripped)) and not _telegraphic(stripped):
        group.cls = "registry"
    elif n <= 8 and (
        (lexicon.SALUTATION.match(stripped) and stripped[-1:] in {",", "!", ":"})
        or (lexicon.CLOSING_SALUTATION.match(stripped) and stripped[-1:] in {",", "!", ".", "，", "！", "。"})
    ):
        group.cls = "salute"
    elif n <= 25 and lexicon.ADDRESSEE.search(stripped) and (n <= 12 or _is_caps(text)) and not _about_a_comrade(stripped):
        group.cls = "address"
    elif n <= 40 and lexicon.SENDER.match(stripped):
        group.cls = "sender"
    elif n <= 12 and _place_and_date(group.content, ctx):
        group.cls = "dateline"  # "Moscow, 9 July 1957": where and when, not a sentence
    elif _is_prose(flat, n):
        group.cls = "prose"
    elif n == 1 and stripped.endswith(".") and surname_shaped(flat):
        # "Мамедов." has a title's shape ("Ариза."), but ends as a surname does: where it
        # stands after the text it is the signer, not the heading of a section of nothing.
        group.cls = "name"
    elif _LETTER_SPACED.match(flat) or (n <= 3 and stripped.endswith(".") and not any(c.isdigit() for c in stripped) and n == 1):
        group.cls = "head"
    elif sole_kind == "hi":
        group.cls = "short"  # a word in italics (handwriting in the scan) is not a heading or a name
    elif (_SINGLE_WORD.match(flat) and flat.strip()[:1].isupper() and len(flat.strip()) >= 2) or _HAN_WORD.match(flat):
        group.cls = "word"
    elif _NAME.match(flat) and flat.strip()[:1].isupper():
        group.cls = "name"
    elif _is_caps(text) and n <= 15:
        group.cls = "caps"
    else:
        group.cls = "short"


def _telegraphic(text: str) -> bool:
    """Whether a line that opens with a registry's verb is a sentence of the text ("Arrived
    safely.", "Получено благополучно Ваше указание"): a lower-case word after the verb
    that is no preposition or article (:data:`lexicon.REGISTRY_VERB_NEXT`). A line the
    registry marks otherwise too (a copy count, "to return") stays a registry line."""
    m = lexicon.REGISTRY_VERB.match(text)
    if m is None or lexicon.REGISTRY_ANYWHERE.search(text):
        return False
    after = m["next"]
    return after is not None and after.islower() and lexicon.REGISTRY_VERB_NEXT.match(after) is None


def _signature_gap(items: list[Inline]) -> bool:
    """Whether a signature gap ("[illegible signature]", "[подпись]") is the signature of its
    line: under or beside the signer's title, a date, a name or a word such as "done", or
    after "Копия верна:", with nothing after it but a name ("(I. Kozlov)"). In running text
    ("The copy bears [illegible signature] in red pencil.", "Резолюцию наложил [подпись].")
    it is a gap in a sentence, and the line is text."""
    for k, item in enumerate(items):
        if not (isinstance(item, Span) and item.kind == "gap" and item.attrs.get("reason") in {"illegible", "signature"}):
            continue
        before = plain_text(items[:k]).rpartition("\n")[2].strip()
        after = plain_text(items[k + 1 :]).partition("\n")[0].strip(" \t.,;:")
        if after and not (_NAME.match(after) or _PAREN_NAME.fullmatch(after)):
            continue
        if lexicon.TITLE_WORDS.search(before) or lexicon.ATTESTED.search(before):
            return True
        found = words(before)
        if len(found) >= 2 and found[-1].islower() and lexicon.GAP_SENTENCE_END.match(found[-1]):
            # "Резолюцию наложил [подпись].", "Resolution by [signature]": the gap ends a
            # sentence about whose the mark is (a verb, a preposition before it), where a
            # signer's line is an office, a name or a date over or beside the signature.
            continue
        if len(found) < 3 or _NAME.match(before) or find_dates(before, None):
            return True
    return False


def _name_and_notes(items: list[Inline]) -> tuple[list[Inline], list[Inline]]:
    """A signer's name (or a dateline's date) and the footnote references after it ("P.
    Ivanov[^1]", "3 March 1956[^1]"): the note is on the name, not a part of it, so it
    follows the persName (or date) rather than stand in it."""
    k = len(items)
    while k > 0 and is_reference(items[k - 1]):
        k -= 1
    return items[:k], items[k:]


def _signed_after(text: str) -> tuple[str, re.Match[str]] | None:
    """"P. Ivanov [signed]": a name, then the label, on the group's last line, under a line
    or two of the signer's title as :func:`_signed_line` takes them; the lines above and
    the match, or None."""
    above, _, last = text.rpartition("\n")
    # The label ends the line: a line not ending in "]", as nearly every line of prose,
    # is not matched, which tried the label after each of its characters (a twentieth of
    # conversion's time). White space is the same to rstrip and the pattern's \s.
    if not last.rstrip().endswith("]"):
        return None
    m = _SIGNED_AFTER.match(last)
    if m is None or not _NAME.match(_without_references(m["name"])):
        return None
    return (above, m) if len(words(above)) <= 14 and above.count("\n") < 3 and _depth(above) == 0 else None


def _without_references(text: str) -> str:
    """``text`` without its footnote references ("[^1]"), but for a definition ("[^1]: ...")."""
    if "[^" not in text or FOOTNOTE_DEF.match(text):
        return text
    return FOOTNOTE_REF.sub("", text)


def _signed_line(text: str) -> int | None:
    """Which line of a group is its "[signed] X" line, or None.

    The first line, or a later one under a line or two of the signer's title
    ("Chief of the Department" / "[signed] Radmanesh", one paragraph with hard breaks).
    """
    if _SIGNED_LABEL.match(text):
        return 0
    lines = text.split("\n")
    for k, line in enumerate(lines[1:4], start=1):
        if _SIGNED_LABEL.match(line):
            before = "\n".join(lines[:k])
            return k if len(words(before)) <= 14 and _depth(before) == 0 else None
    return None


def _place_and_date(items: list[Inline], ctx: BodyContext) -> bool:
    """A place and a date and little else ("Moscow, 9 July 1957", "г. Баку, 2.VIII.55").

    A note written beside it ("[handwritten: received]") is not part of the line's wording;
    a lower-case word longer than a preposition or "г." makes it a sentence
    ("Adopted at the 7 July 1957 meeting."), except the word for "on the day"
    (:data:`lexicon.BEFORE_DATE`: "Warszawa, dnia 7 lipca 1957 r.").
    """
    flat = plain_text([x for x in items if isinstance(x, str) or x.kind not in {"add", "note", "stamp", "gap"}])
    found = find_dates(flat, ctx.century)
    if not found:
        return False
    rest, pos = [], 0
    for start, end, _ in found:
        rest.append(flat[pos:start])
        pos = end
    rest.append(flat[pos:])
    left = words(" ".join(rest))
    # Han, kana and Hangul run their words together: a run counts by its letters, as
    # _is_fragment counts them ("北京" is one word; a Chinese sentence around a date, one
    # "word" from comma to comma, was a place and a date: a dateline).
    weight = _weight(left)
    return weight <= 4 and not any(w.islower() and len(w) > 3 and not lexicon.BEFORE_DATE.match(w) for w in left)


_COMRADE = re.compile(r"^(?i:cdes?\.|comrades?|тов\.|товарищ\w*)\s")


def _about_a_comrade(text: str) -> bool:
    """Whether a line opening "Comrade ..." is a sentence about the comrade ("Comrade
    Gomułka opened the meeting."), not a line of the address ("Comrade Gomułka", "Тов.
    Иванову И.И."): it ends as a sentence does, with words in small letters after the name."""
    if not text.endswith((".", "!", "?")) or _COMRADE.match(text) is None:
        return False
    return sum(1 for w in text.split()[1:] if len(w) >= 3 and w[0].isalpha() and w[0].islower()) >= 2


def _is_prose(text: str, n: int) -> bool:
    return n >= 15 or (n >= 6 and bool(_TERMINAL.search(text)))


def _is_fragment(text: str) -> bool:
    """Lines cut off at a column edge or a stamp's lines: many lines, a word or two each."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 3:
        return False
    counts = [len(ln.split()) for ln in lines]
    if sum(counts) / len(counts) > 2.0:
        return False
    if _CHARACTER_LETTER.search(text) is None:
        return True
    # Han and kana are written without spaces, and a Hangul word carries its endings: a
    # line of them counts its letters by language's weight (a Chinese paragraph with its
    # scan's line breaks is prose, where each line was one "word").
    counts = [max(k, len(_CHARACTER_LETTER.findall(ln)) // LETTERS_PER_WORD) for k, ln in zip(counts, lines)]
    return sum(counts) / len(counts) <= 2.0


# --- pass 1b: joins that need classes -------------------------------------------


def _join_continuations(groups: list[Group], ctx: BodyContext, mctx: MarkContext) -> list[Group]:
    """A short line ending "of the" (or a comma) continues on the next short line."""
    out: list[Group] = []
    for g in groups:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.cls in {"registry", "short", "caps", "address", "name"}
            and g.cls in {"short", "caps", "name", "word", "registry", "address"}
            and prev.words <= 12
            and g.words <= 12
            and lexicon.CONTINUES.search(prev.text)
            and not prev.text.rstrip().endswith("-")
        ):
            merged = Group(prev.text + "\n" + g.text)
            _unplace(prev.content + g.content, mctx)
            _classify(merged, ctx, mctx)
            if prev.cls in {"registry", "address"}:
                merged.cls = prev.cls
            elif merged.cls in {"prose", "date", "item"}:
                merged.cls = "short"
            out[-1] = merged
            continue
        out.append(g)
    return out


def _join_place_above_date(groups: list[Group]) -> list[Group]:
    """"Moscow" / "9 July 1957": a place on its own line above the date is the dateline's
    place, not a heading (one dateline, the place and the date on lines of their own)."""
    out: list[Group] = []
    for g in groups:
        place = out[-1] if out else None
        if (g.cls == "date" and place is not None and place.cls in {"word", "head", "name", "caps", "short"}
                and "\n" not in place.text.strip() and lexicon.PLACE_LINE.match(place.text.strip())):
            out[-1] = Group(place.text + "\n" + g.text, cls="dateline", words=place.words + g.words,
                            content=[*place.content, "\n", *g.content])
            continue
        out.append(g)
    return out


def _join_page_breaks(groups: list[Group]) -> list[Group]:
    """"...слу-" / "120" / "4." / "жит ...": one paragraph across a page break."""
    out: list[Group] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        # The pattern needs a hyphen as the last character but whitespace: asked only
        # then, as searching every paragraph for it was 2 % of a conversion.
        if g.cls == "prose" and g.text.rstrip().endswith("-") and HYPHEN_BREAK.search(g.text):
            j = i + 1
            while j < len(groups) and groups[j].cls in {"fw", "page"}:
                j += 1
            if j > i + 1 and j < len(groups) and groups[j].text.lstrip()[:1].islower():
                furniture: list[Span] = [Span("pb")]
                for f in groups[i + 1 : j]:
                    furniture.append(Span("fw", [f.text.strip()], attrs={"type": f.extra.get("type", "pageNum")}))
                g.joined = furniture
                g.tail = groups[j].text
                out.append(g)
                i = j + 1
                continue
        out.append(g)
        i += 1
    return out


# --- pass 3: placement ----------------------------------------------------------

_CLOSING_START = {"word", "name"}
_FURNITURE = {"registry", "fw", "page", "fragment", "note-hand", "hand-scope", "footnote"}
_NON_PROSE = {"footnote", "signature", "date", "dateline", "registry", "fw", "page", "fragment", "note-hand", "hand-scope", "salute", "address",
              "sender", "head", "word", "name", "caps", "short"}


def _note_pieces(paragraph: str) -> list[str]:
    """``paragraph`` cut where a line opens a footnote ("[^1]: ...") and where a line that
    does not continue one (not indented) follows it.

    A lost blank line or indent leaves a definition inside a paragraph; the fidelity
    check reads footnotes by these lines (edition.fidelity._split_footnotes), so a note
    read by paragraphs would take, or leave, words the check puts on the other side."""
    if "[^" not in paragraph or "\n" not in paragraph:  # most paragraphs: nothing to cut
        return [paragraph]
    pieces: list[list[str]] = []
    in_note = False
    for line in paragraph.split("\n"):
        if FOOTNOTE_DEF.match(line):
            pieces.append([line])
            in_note = True
        elif pieces and (not in_note or line.startswith((" ", "\t"))):
            pieces[-1].append(line)
        else:
            pieces.append([line])
            in_note = False
    return ["\n".join(piece) for piece in pieces]


def _continued_notes(pieces: list[str]) -> list[str]:
    """``pieces`` with a footnote's indented paragraphs after a blank line joined to it.

    "[^1]: text" / "" / "    more": Markdown continues a footnote over an indented
    paragraph, which read alone was a line of the text after the notes (an annotation of
    the closer). Only its indented lines are the note's; a line after them that is not
    indented is the text's again (as edition.fidelity._split_footnotes reads them)."""
    out: list[str] = []
    in_note = False
    for piece in pieces:
        if FOOTNOTE_DEF.match(piece):
            out.append(piece)
            in_note = True
            continue
        lines = piece.split("\n")
        k = 0
        while in_note and k < len(lines) and lines[k].startswith((" ", "\t")) and lines[k].strip():
            k += 1
        if k:
            out[-1] += "\n" + "\n".join(line.lstrip() for line in lines[:k])  # the indent is the syntax
        if k < len(lines):
            out.append("\n".join(lines[k:]))
            in_note = False
    return out


def _footnotes(paragraphs: list[str]) -> PartNotes:
    """Take out "[^1]: text" paragraphs that the text refers to; they are placed at the reference."""
    return part_footnotes([paragraphs])[0]


@dataclass
class PartNotes:
    """One part's paragraphs once the footnotes placed at a reference are taken out, those
    footnotes by label, and the xml:id of each note a second reference points to (by label:
    a note of this part, or one placed in another part this part refers to)."""

    paragraphs: list[str]
    notes: dict[str, str]
    note_ids: dict[str, str] = field(default_factory=dict)
    # The language of each note defined in a part of another language (the translator's
    # note, listed after the translation, on a word only the original refers to).
    note_langs: dict[str, str] = field(default_factory=dict)
    # Whose bracketed insertions such a note's are, where that differs from this part's
    # (the translator's, in a note of the translation placed in the original).
    note_resps: dict[str, str | None] = field(default_factory=dict)


_ID_SAFE = re.compile(r"[A-Za-z0-9]+")


def _note_id(label: str) -> str:
    """The xml:id of the footnote labelled ``label``: "fn-1", "fn-a"; a label of other
    characters ("*", "†", the Cyrillic "а", "1.1") spells each of them out by its code
    point under a prefix of its own ("fnx-_2020_", "fnx-1_2e_1"): a number counted in
    their place gave "†" the id "fn-1" beside the note labelled "1" (then "fn-1-2"), and
    no two labels share an id, nor an id and another's with a "-2" added for a second part."""
    if _ID_SAFE.fullmatch(label):
        return "fn-" + label
    return "fnx-" + "".join(c if c.isascii() and c.isalnum() else f"_{ord(c):x}_" for c in label)


def part_footnotes(parts: list[list[str]], langs: list[str] | None = None,
                   resps: list[str | None] | None = None) -> list[PartNotes]:
    """For each part's paragraphs: those left once the footnotes placed at a reference are
    taken out, and those footnotes by label.

    A part's own definition serves its references. One no reference in its part asks for
    goes to the first other part that refers to its label and defines none: an export
    lists every footnote after the translation, while the original may hold a reference
    (edition.fidelity expects the note at the document's first reference to it).

    A note is encoded once, at its part's first reference to it; every other reference
    to its label (a second one in its part, or one in a part with no note of that label:
    the original referring to the translator's note) points to it (TEI 3.9.1), so each
    such note gets an xml:id. ``langs``: each part's language, which a note placed in a
    part of another language keeps (its own xml:lang); ``resps``: whose each part's
    bracketed insertions are (MarkContext.resp), which such a note keeps too."""
    pieces = [_continued_notes([piece for p in paragraphs for piece in _note_pieces(p)]) for paragraphs in parts]
    defined: list[dict[str, tuple[int, str]]] = []  # label -> first definition (index, text), per part
    referenced: list[dict[str, int]] = []  # label -> how many references, per part
    for paragraphs in pieces:
        defs: dict[str, tuple[int, str]] = {}
        refs: dict[str, int] = {}
        for k, p in enumerate(paragraphs):
            if m := FOOTNOTE_DEF.match(p):
                defs.setdefault(m.group(1), (k, m.group(2)))
            elif "[^" in p:
                for m in FOOTNOTE_REF.finditer(p):
                    refs[m.group(1)] = refs.get(m.group(1), 0) + 1
        defined.append(defs)
        referenced.append(refs)
    notes: list[dict[str, str]] = [{} for _ in pieces]
    note_langs: list[dict[str, str]] = [{} for _ in pieces]
    note_resps: list[dict[str, str | None]] = [{} for _ in pieces]
    taken: list[set[int]] = [set() for _ in pieces]
    for n, defs in enumerate(defined):
        for label, (k, text) in defs.items():
            if label in referenced[n]:
                target = n
            else:
                target = next((t for t, refs in enumerate(referenced) if label in refs and label not in defined[t]
                               and label not in notes[t]), -1)
                if target < 0:
                    continue  # nothing refers to it: it stays where it stands
            notes[target][label] = text
            taken[n].add(k)
            if langs is not None and langs[n] != langs[target]:
                note_langs[target][label] = langs[n]
            if resps is not None and resps[n] != resps[target]:
                note_resps[target][label] = resps[n]
    note_ids: list[dict[str, str]] = [{} for _ in pieces]
    used: set[str] = set()
    first_holder: dict[str, int] = {}
    for t, held in enumerate(notes):
        for label in held:
            first_holder.setdefault(label, t)
    for t, held in enumerate(notes):
        for label in held:
            # Parts referring to the label with no note of their own point to its first note.
            others = [s for s, refs in enumerate(referenced)
                      if label in refs and label not in notes[s] and first_holder[label] == t]
            if referenced[t][label] < 2 and not others:
                continue
            base = _note_id(label)
            xml_id, k = base, 1
            while xml_id in used:  # a label defined again in another part, say
                k += 1
                xml_id = f"{base}-{k}"
            used.add(xml_id)
            for s in (t, *others):
                note_ids[s][label] = xml_id
    return [PartNotes([p for k, p in enumerate(paragraphs) if k not in taken[n]], notes[n], note_ids[n], note_langs[n], note_resps[n])
            for n, paragraphs in enumerate(pieces)]


def encode_paragraphs(paragraphs: list[str], ctx: BodyContext, role: str, found: PartNotes | None = None) -> list[Block]:
    """``found``: the part's paragraphs and footnotes, when :func:`part_footnotes` took them
    out of ``paragraphs`` with the document's other parts; otherwise they are taken from
    this part alone."""
    if found is None:
        found = _footnotes(paragraphs)
    paragraphs = found.paragraphs
    mctx = MarkContext(resp=ctx.translator if role == "translation" else None, hand=ctx.hand, footnotes=found.notes,
                       note_ids=found.note_ids, note_langs=found.note_langs, note_resps=found.note_resps)
    groups = _group(paragraphs)
    for g in groups:
        _classify(g, ctx, mctx)
    groups = _join_continuations(groups, ctx, mctx)
    groups = _join_page_breaks(groups)
    groups = _join_place_above_date(groups)
    return _Placer(ctx, mctx).place(groups)


class _Placer:
    def __init__(self, ctx: BodyContext, mctx: MarkContext) -> None:
        self.ctx, self.mctx = ctx, mctx
        self.blocks: list[Block] = []

    def emit(self, block: Block, zone: Zone) -> None:
        block.zone = zone
        self.blocks.append(block)

    def place(self, groups: list[Group]) -> list[Block]:
        for k, g in enumerate(groups):
            if g.cls == "item" and not _in_list(groups, k):
                # "13. I 562" alone is not a list: a numbered line needs a neighbour numbered next to it.
                g.cls = "prose" if _is_prose(g.text, g.words) else "short"
        prose = [k for k, g in enumerate(groups) if g.cls in {"prose", "item"}]
        for k in range((prose[0] if prose else len(groups)) - 2, -1, -1):
            g = groups[k]
            if (g.cls == "short" and groups[k + 1].cls == "address" and g.words <= 8 and groups[k + 1].words <= 8
                    and g.text.strip()[:1].isupper() and not _TERMINAL.search(g.text) and not re.search(r"[\d\[\]*~<]", g.text)):
                # "ЦК КП Азербайджана" over "тов. Мустафаеву И.Д.": the addressee's body, a line
                # of the address; taken for text, it put the address in a second section.
                g.cls = "address"
        after = next((g for g in groups[prose[-1] + 1 :] if g.cls not in _FURNITURE), None) if prose else None
        if after is not None and after.cls in {"short", "caps"} and _signers_block(after):
            # Right under the last prose of the text: the signer's office and name, or the
            # signatories, with no signature mark: a signature, not an annotation.
            after.cls, after.extra = "signature", {"unmarked": "yes"}
        state = "top"
        text_seen = False  # has this section any prose yet (a salutation opens only the first)
        short_text = False  # has it short lines taken as text while the opener stayed open
        i = 0
        while i < len(groups):
            g = groups[i]
            if g.cls in {"prose", "item"} or (g.cls == "short" and state == "top"):
                if state == "closer" and g.cls == "prose" and g.words < 12:
                    self._closer(g, groups[i + 1 :])
                    i += 1
                    continue
                if state != "body" and g.cls == "prose" and not text_seen:
                    self._maybe_salute(g)
                i = self._body(groups, i)
                if g.cls != "short":  # an unknown short line before the text leaves the opener open
                    state, text_seen = "body", True
                else:
                    short_text = True
                continue
            if state == "top" and short_text and (
                g.cls == "signature"
                or (g.cls in _CLOSING_START and not any(x.cls in {"prose", "item", "short"} for x in groups[i + 1 :]))
            ):
                # The short lines before it were the whole text ("The talks resumed on
                # Monday."): a signature after text closes it, as after prose, and so does
                # a name with nothing of the text after it (addressees come before the text).
                state = "body"
            if g.cls == "postscript":
                self.emit(Block("postscript", self._content(g)), "closer")
                state = "closer"
                i += 1
                continue
            if state == "body" and g.cls in {"short", "head"} and _closing_sentence(g, groups[i + 1 :]):
                # "Прошу помочь." / "[подпись] А. Мамедов": a sentence of a word or two that
                # ends the text above its signature is the text's last line, not a note of the
                # closer or the heading of a new section.
                self.emit(Block("p", self._content(g)), "body")
                i += 1
                continue
            if g.cls == "head" and state != "top" and all(x.cls in _FURNITURE for x in groups[i + 1 :]):
                # A heading with nothing of a text under it ends its part (the title of a
                # text the export left out, or of the next part the language could not tell):
                # the last line of this text, not a section of nothing.
                if state == "body":
                    self.emit(Block("p", self._content(g)), "body")
                else:
                    self._closer(g, groups[i + 1 :])
                i += 1
                continue
            if g.cls == "head" and state != "top":
                state, text_seen, short_text = "top", False, False  # a heading after text opens a new section
            if state == "top":
                self._top(g)
                i += 1
                continue
            if state == "body" and g.cls == "short" and self._sentence(g):
                # "Adopted at the meeting.": a short sentence is still text.
                self.emit(Block("p", self._content(g)), "body")
                i += 1
                continue
            if state == "body":
                j = i
                while j < len(groups) and groups[j].cls in _NON_PROSE and not (
                    groups[j].cls == "head"
                ):
                    j += 1
                run = groups[i:j]
                closing = (
                    any(x.cls == "signature" for x in run)
                    or (run[0].cls in _CLOSING_START
                        and (not _two_letter_word(run[0]) or (len(run) > 1 and run[1].cls in {"date", "dateline"})))
                    or (j == len(groups) and any(x.cls in {"date", "dateline"} for x in run))
                    or (j == len(groups) and _closing_lines(run))
                )
                if not closing:
                    for x in run:
                        self._in_body(x)
                    i = j
                    continue
                state, text_seen = "closer", False
            self._closer(g, groups[i + 1 :])
            i += 1
        return self.blocks

    # -- content helpers

    def _dated(self, items: list[Inline]) -> list[Inline]:
        """Tag the dates printed in plain text runs."""
        out: list[Inline] = []
        for item in items:
            if isinstance(item, Span):
                if item.kind not in {"date", "gap"}:
                    item.content = self._dated(item.content)
                out.append(item)
                continue
            pos = 0
            for start, end, date in find_dates(item, self.ctx.century):
                if start > pos:
                    out.append(item[pos:start])
                out.append(Span("date", [item[start:end]], _date_attrs(date)))
                pos = end
            if pos < len(item):
                out.append(item[pos:])
        return out

    def _content(self, g: Group) -> list[Inline]:
        content = self._dated(g.content)
        if g.joined:
            content = content + [Span(b.kind, b.content, dict(b.attrs)) for b in g.joined]
            content += self._dated(parse_inline(g.tail, self.mctx))
        return content

    def _maybe_salute(self, g: Group) -> None:
        """"Dear Cde. Khrushchev, I wrote you ...": the salutation opens the letter."""
        m = re.match(r"^(\s*[^,!:\n]{2,60}?[,!:])\s+(?=\S)", g.text)
        if not m or not lexicon.SALUTATION.match(g.text.strip()) or len(words(m.group(1))) > 6:
            return
        if "[" in m.group(1) or "*" in m.group(1):
            return
        self.emit(Block("salute", [m.group(1).strip()]), "opener")
        g.text = g.text[m.end() :]
        _unplace(g.content, self.mctx)
        g.content = parse_inline(g.text, self.mctx)

    # -- zones

    def _body(self, groups: list[Group], i: int) -> int:
        g = groups[i]
        if g.cls == "item":
            j = i
            items: list[Block] = []
            expected = int(g.extra["n"])
            while j < len(groups) and groups[j].cls == "item" and int(groups[j].extra["n"]) == expected:
                item = groups[j]
                body = re.sub(r"^\s*\d{1,2}[.)]\s+", "", item.text, count=1)
                items.append(
                    Block("item", self._dated(parse_inline(body, self.mctx)), attrs={"n": item.extra["n"], "label": item.extra["label"]})
                )
                expected += 1
                j += 1
            if len(items) >= 2:
                self.emit(Block("list", items=items, attrs={"type": "ordered"}), "body")
                return j
        self.emit(Block("p", self._content(g)), "body")
        return i + 1

    def _top(self, g: Group) -> None:
        c = g.cls
        if c in {"address", "caps"}:
            self.emit(Block("address", self._content(g)), "opener")
        elif c == "salute":
            self.emit(Block("salute", self._content(g)), "opener")
        elif c == "date":
            self.emit(self._dateline(g), "opener")
        elif c == "dateline" or (c in {"sender", "caps"} and find_dates(plain_text(g.content), self.ctx.century)):
            # "from KUYBYSHEV sent at 2325 9 December 1941": where and when the text was sent.
            self.emit(Block("dateline", self._content(g)), "opener")
        elif c == "sender":
            self.emit(Block("address", self._content(g), attrs={"type": "sender"}), "opener")
        elif c in {"head", "word"}:
            self.emit(Block("head", self._content(g)), "opener")
        elif c == "signature":
            self.emit(self._signed(g, []), "opener")
        elif c == "name":
            self.emit(Block("address", self._content(g)), "opener")
        else:
            self._global(g, "opener")

    def _in_body(self, g: Group) -> None:
        if g.cls in {"registry", "fw", "page", "fragment", "note-hand", "hand-scope", "footnote"}:
            self._global(g, "body")
        else:
            self.emit(Block("p", self._content(g)), "body")

    def _closer(self, g: Group, following: list[Group]) -> None:
        c = g.cls
        if c == "signature":
            self.emit(self._signed(g, self._take_titles()), "closer")
        elif _organisation_line(g) and (self._after_text() or self._after_closing() or (following and following[0].cls in {"date", "dateline"})):
            # "ЦК КПСС" under the closing salutation, "NATO" above the date: the body signs,
            # and its name is no person's.
            self.emit(Block("signed", self._take_titles() + [Span("org", self._content(g))]), "closer")
        elif (c in {"word", "name"} and ((self._after_text() and not _two_letter_word(g)) or (following and following[0].cls in {"date", "dateline"}))) or (
            _person(g, signer=True) and self._after_closing()
        ):
            # A bare name right after the text, under a closing salutation or the signer's
            # title, or above a date, is the signature. A word of two letters ("Ли", "Wu")
            # is one only there, not merely after the text ("Ok", "Да").
            self.emit(self._signed(g, self._take_titles(), bare_name=True), "closer")
        elif c == "date":
            self.emit(self._dateline(g), "closer")
        elif c == "dateline":
            self.emit(Block("dateline", self._content(g)), "closer")
        elif c == "salute":
            self.emit(Block("salute", self._content(g)), "closer")
        elif c in {"registry", "fw", "page", "fragment", "note-hand", "hand-scope", "footnote"}:
            self._global(g, "closer")
        elif following and (
            (following[0].cls == "signature" and self._title_like(g))
            or (_person(following[0], signer=True) and g.words <= 14 and lexicon.TITLE_WORDS.search(g.text) is not None)
        ):
            # The signer's title, printed above the signature: held for the signature.
            self.emit(Block("note", self._content(g), attrs={"type": "pending-title"}), "closer")
        else:
            self.emit(Block("note", self._content(g), attrs={"type": "annotation"}), "closer")

    @staticmethod
    def _sentence(g: Group) -> bool:
        t = g.text.strip()
        return g.words >= 3 and t[:1].isupper() and t.endswith((".", "!", "?")) and not lexicon.TITLE_WORDS.search(t)

    def _after_text(self) -> bool:
        return bool(self.blocks) and self.blocks[-1].zone == "body" and self.blocks[-1].kind in {"p", "list", "ab"}

    def _after_closing(self) -> bool:
        """Whether the closer so far is a closing salutation ("With comradely greetings,")
        or the signer's title held for the signature."""
        last = self.blocks[-1] if self.blocks else None
        return last is not None and last.zone == "closer" and (last.kind == "salute" or last.attrs.get("type") == "pending-title")

    def _title_like(self, g: Group) -> bool:
        return g.words <= 14 and (bool(lexicon.TITLE_WORDS.search(g.text)) or (g.words >= 3 and not g.text.rstrip().endswith(".")))

    def _take_titles(self) -> list[Inline]:
        titles: list[Inline] = []
        while self.blocks and self.blocks[-1].attrs.get("type") == "pending-title":
            block = self.blocks.pop()
            titles = block.content + ["\n"] + titles
        return titles

    def _global(self, g: Group, zone: Zone) -> None:
        c = g.cls
        if c == "page":
            self.emit(Block("pb", attrs={"n": g.text.strip(" -–—")}), zone)
            self.emit(Block("fw", [g.text.strip()], attrs={"type": "pageNum"}), zone)
        elif c == "fw":
            self.emit(Block("fw", [g.text.strip()], attrs={"type": g.extra.get("type", "folio")}), zone)
        elif c == "fragment":
            self.emit(Block("ab", self._content(g), attrs={"type": "fragment"}), zone)
        elif c == "footnote":
            self.emit(Block("note", self._content(g), attrs={"type": "footnote", "n": g.extra["n"]}), zone)
        elif c == "note-hand":
            add = _only(g.content, "add")
            assert add is not None
            attrs = {"type": "handwritten", **{k: v for k, v in add.attrs.items() if k in {"place", "hand"}}}
            rest = [x for x in g.content if x is not add]
            self.emit(Block("note", self._dated(add.content) + rest, attrs=attrs), zone)
        elif c == "hand-scope":
            m = _HAND_SCOPE.match(g.text)
            attrs = {"type": "handwritten", "hand": self.ctx.hand}
            if m and (place := place_of(m.group("qual"))):
                attrs["place"] = place
            items = []
            for sub in g.scope:
                _classify(sub, self.ctx, self.mctx)
                items.append(Block("p", self._content(sub)))
            self.emit(Block("note", items=items, attrs=attrs), zone)
        else:
            content = self._content(g)
            supplied = _only(content, "supplied")
            if supplied is not None and g.text.strip().startswith("["):
                content = supplied.content  # "[to the archives]": the brackets were the mark
            self.emit(Block("registry", content), zone)

    # -- blocks

    def _dateline(self, g: Group) -> Block:
        date = _date_of(g.text, self.ctx) or _date_of(plain_text(g.content), self.ctx)
        attrs = _date_attrs(date) if date else {}
        content, notes = _name_and_notes(g.content)
        return Block("dateline", [Span("date", content, attrs), *notes])

    def _signed(self, g: Group, titles: list[Inline], bare_name: bool = False) -> Block:
        k = _signed_line(g.text)
        if k is not None:
            lines = g.text.split("\n")
            m = _SIGNED_LABEL.match("\n".join(lines[k:]))
            assert m is not None
            rest, after = m.group("rest"), ""
            if _depth(lines[k]) == 0:
                # The name is the rest of its line; the lines under it (the signer's title)
                # follow the name, not inside it.
                rest, _, after = rest.partition("\n")
            _unplace(g.content, self.mctx)
            name, notes = _name_and_notes(parse_inline(rest, self.mctx))
            # "[signed]" with no name after it: the document was signed, and the export
            # does not say by whom; a signed element must hold a name or a gap.
            signer: Inline = Span("name", name) if name else Span("gap", [], {"reason": "signature"})
            content: list[Inline] = [signer, *notes]
            if k:
                content = parse_inline("\n".join(lines[:k]), self.mctx) + ["\n"] + content
            if after.strip():
                content += ["\n", *parse_inline(after, self.mctx)]
        elif (signed_after := _signed_after(g.text)) is not None:
            # The label said the name is signed; the signed element says so now (TEI 4.2.2).
            above, m = signed_after
            _unplace(g.content, self.mctx)
            name, notes = _name_and_notes(parse_inline(m["name"], self.mctx))
            content = [Span("name", name), *notes]
            if above:
                content = parse_inline(above, self.mctx) + ["\n"] + content
        elif bare_name:
            name, stop = g.content, []
            if surname_shaped(g.text) and isinstance(name[-1], str) and name[-1].endswith("."):
                # "Мамедов.": the full stop ends the line, and is no letter of the name (as
                # that of an initial is, "Gromyko A.A.").
                name, stop = [*name[:-1], name[-1][:-1]], ["."]
            content = [Span("name", [x for x in name if x != ""]), *stop]
        elif g.extra.get("unmarked"):
            # Each line that is a name is a signer's persName; the others their office.
            _unplace(g.content, self.mctx)
            content = []
            for line in g.text.strip().split("\n"):
                if content:
                    content.append("\n")
                items = self._dated(parse_inline(line, self.mctx))
                if _person_line(line, signer=True):
                    name, notes = _name_and_notes(items)
                    content += [Span("name", name), *notes]
                else:
                    content += items
        else:
            content = _mark_signature(g.content, self.ctx.hand)
        return Block("signed", titles + content)


def _closing_sentence(g: Group, following: list[Group]) -> bool:
    """Whether ``g`` is a sentence of one or two words ("Согласен.", "Прошу помочь.") with
    the signature, or the end of the text, under it and no prose between.

    Two words are a sentence when the second is not capitalised: "A. Gromyko." is a name.
    A line naming an office ("Secretary of the CC.") is the signer's title.
    """
    text = plain_text(g.content).strip()
    found = words(text)
    if not 1 <= len(found) <= 2 or not text.endswith((".", "!", "?")) or not text[:1].isupper():
        return False
    if _LETTER_SPACED.match(text) or lexicon.TITLE_WORDS.search(text) or (len(found) == 2 and not found[1][:1].islower()):
        return False
    # Under it: the signer's title and name, or a date, a few lines at most (page and
    # registry furniture aside), down to the signature or the end of the text.
    lines = [x for x in following if x.cls not in _FURNITURE]
    for x in lines[:4]:
        if x.cls == "signature":
            return True
        if x.cls not in {"short", "caps", "name", "word", "date", "dateline", "salute"}:
            return False
    # No signature: only a closing under it (the signer's name and title, a date), as
    # "Согласен." / "Kozlov" / "9 July 1957"; short lines of text under it make it their heading.
    return 0 < len(lines) <= 3 and all(
        x.cls in {"name", "word", "date", "dateline", "salute"} or lexicon.TITLE_WORDS.search(x.text) for x in lines
    )


def _person(g: Group, signer: bool = False) -> bool:
    """Whether ``g`` is a person's name alone: "А. Мамедов", "Gromyko A.A.", a first name
    and a surname ("Ardashes Ovanesyan"; no office, no sentence), or a surname alone
    ("Kozlov", "TITO"; a "word" to the classifier) that :func:`_person_line` takes."""
    if g.cls == "name":
        return True
    return g.cls in {"short", "caps", "word"} and "\n" not in g.text.strip() and _person_line(g.text, signer)


def _person_line(line: str, signer: bool = False) -> bool:
    """Whether one line is a person's name and nothing else (see :func:`_person`).

    ``signer``: the line stands where a signer's name does (under the closing salutation
    or the signer's office), where a surname of two letters ("Ли", "Wu") is one too."""
    text = plain_text(parse_inline(_without_references(line.strip()))).strip()
    if _organisation(text):
        return False  # "ЦК КПСС", "NATO": a body, not a person
    if _NAME.match(text) and text[:1].isupper() and lexicon.TITLE_WORDS.search(text) is None:
        # A word alone is a surname of five letters or more ("DIMITROV"), or a short one
        # spelt as a word is ("TITO", "Ким"), not an abbreviation ("КПСС", "ИККИ", "ЦК").
        return len(words(text)) > 1 or len(text) >= 5 or _short_name(text) or (signer and _two_letter_name(text))
    found = words(text)
    return (2 <= len(found) <= 3 and all(w[:1].isupper() for w in found)
            and not text.endswith((".", ",", ":", ";")) and lexicon.TITLE_WORDS.search(text) is None)


def _abbreviation(word: str) -> bool:
    """Whether ``word`` is a body's abbreviation: one the lexicon lists ("NATO", "ООН"), or
    capitals no name is spelt with: no vowel ("ЦК", "CC") or, in three or four letters,
    two consonants together ("КПСС", "USSR")."""
    return _sure_abbreviation(word) or (
        3 <= len(word) <= 4 and word.isupper() and word.isalpha() and not _short_name(word))


def _sure_abbreviation(word: str) -> bool:
    """Whether ``word`` is a body's abbreviation whatever stands beside it: listed, or capitals
    without a vowel ("ЦК", "MGB") but a surname's ("NG"). Two consonants together are no such sign: the capitals of
    "JOHN", "RUSK", "ZHOU", "DENG" and "SUNG" have them too."""
    if lexicon.ORGANISATION.fullmatch(word):
        return True
    return (len(word) >= 2 and word.isupper() and word.isalpha() and not any(c in _VOWELS for c in word.lower())
            and word.lower() not in VOWELLESS_SURNAMES)


def _organisation(text: str) -> bool:
    """Whether ``text`` names a body by its abbreviation ("ЦК КПСС", "NATO", "ЦК КП Азербайджана")."""
    return any(_sure_abbreviation(w) for w in words(text))


def _organisation_line(g: Group) -> bool:
    """Whether ``g`` is a line naming a body and nothing else, all its words abbreviations
    ("ЦК КПСС", "NATO"), one of them sure to be one: where the signer's name stands, the body
    that signs. A surname in capitals ("RUSK") has an abbreviation's shape but is none."""
    text = plain_text(g.content).strip()
    found = words(text)
    return ("\n" not in text and 0 < len(found) <= 4 and all(_abbreviation(w) for w in found)
            and any(_sure_abbreviation(w) for w in found) and text[-1:].isalpha())


def _two_letter_name(text: str) -> bool:
    """Whether ``text`` may be a surname of two letters ("Ли", "Wu", "Ng", "HO"): capitalised,
    and in capitals with a vowel ("ЦК" is an abbreviation) or "NG" (the one surname without
    one, names.VOWELLESS_SURNAMES). Whether it is one its place
    decides (:func:`_person_line`'s ``signer``): most words of two letters are no names."""
    return (len(text) == 2 and text.isalpha() and text[0].isupper()
            and (text[1].islower() or any(c in _VOWELS for c in text.lower()) or text.lower() in VOWELLESS_SURNAMES))


def _two_letter_word(g: Group) -> bool:
    """Whether ``g`` is a word of two letters alone ("Ok", "Да.", "Ли"), which signs only
    where a signer's name stands (:func:`_two_letter_name`), not merely after the text."""
    return len(plain_text(g.content).strip().rstrip(".")) == 2


def _short_name(text: str) -> bool:
    """Whether ``text`` is a surname of three or four letters ("TITO", "Ким", "Mao"): its
    vowels and consonants take turns, no two consonants together, as the abbreviations of
    the archive's bodies do not ("КПСС", "ИККИ", "CPSU", "USSR"). Two letters ("ЦК", "ИВ")
    are an abbreviation or OCR debris as often as a name, and are left out."""
    if not 3 <= len(text) <= 4 or not text.isalpha():
        return False
    vowel = [c in _VOWELS for c in text.lower()]
    return any(vowel) and not any(not a and not b for a, b in zip(vowel, vowel[1:]))


def _signers_block(g: Group) -> bool:
    """Whether ``g``, lines of one paragraph, is a signature without a signature mark: the
    signer's office over the name ("Secretary of the IKKI" / "G. Dimitrov"), or the names of
    several signatories, one a line ("DIMITROV" / "MANUILSKY")."""
    lines = [ln for ln in g.text.strip().split("\n") if ln.strip()]
    # Under the signer's office, a surname of two letters is the signer's ("Chairman" / "Wu").
    titled = any(lexicon.TITLE_WORDS.search(ln) for ln in lines[:-1])
    if not 2 <= len(lines) <= 4 or not _person_line(lines[-1], signer=titled) or _depth(g.text) > 0:
        return False
    return all(_person_line(ln) or (len(words(ln)) <= 14 and lexicon.TITLE_WORDS.search(ln) is not None) for ln in lines[:-1])


def _closing_lines(run: list[Group]) -> bool:
    """Whether the lines that end a text are a letter's closing without a signature mark:
    a closing salutation or the signer's title (a line or two), then the signer's name,
    and perhaps a date or registry marks ("With comradely greetings," / "A. Ovanesyan";
    "Министр сельского хозяйства" / "А. Мамедов")."""
    lines = [x for x in run if x.cls not in _FURNITURE and x.cls not in {"date", "dateline"}]
    if not 2 <= len(lines) <= 3 or not (_person(lines[-1], signer=True) or _organisation_line(lines[-1])):
        return False
    return all(
        (x.cls == "salute" and lexicon.CLOSING_SALUTATION.match(x.text.strip()) is not None)
        or (x.cls in {"short", "caps"} and x.words <= 14 and lexicon.TITLE_WORDS.search(x.text) is not None)
        for x in lines[:-1]
    )


def _in_list(groups: list[Group], k: int) -> bool:
    n = int(groups[k].extra["n"])
    prev = groups[k - 1] if k > 0 else None
    nxt = groups[k + 1] if k + 1 < len(groups) else None
    return (prev is not None and prev.cls == "item" and int(prev.extra["n"]) == n - 1) or (
        nxt is not None and nxt.cls == "item" and int(nxt.extra["n"]) == n + 1
    )


def _is_gap(item: Inline | None) -> bool:
    return isinstance(item, Span) and item.kind == "gap"


def _name_by_gap(text: str, before_gap: bool) -> list[Inline] | None:
    """"Азери [illegible signature]", "[подпись] И. Козлов": the name on the gap's line, as persName.

    Only the line the gap stands on, and only a name (not the signer's title, "Secretary").
    """
    lines = text.split("\n")
    line = lines[-1] if before_gap else lines[0]
    if not _NAME.match(line) or not line.strip()[:1].isupper() or lexicon.TITLE_WORDS.search(line):
        return None
    kind: SpanKind = "org" if _organisation(line) else "name"  # "ООН [подпись]": signed for the body
    head = "\n".join(lines[:-1]) + "\n" if before_gap and len(lines) > 1 else ""
    tail = "\n" + "\n".join(lines[1:]) if not before_gap and len(lines) > 1 else ""
    core = line.strip()
    lead, trail = line[: len(line) - len(line.lstrip())], line[len(line.rstrip()) :]
    return [x for x in (head + lead, Span(kind, [core]), trail + tail) if x != ""]


def _mark_signature(items: list[Inline], hand: str) -> list[Inline]:
    """In a signature line: italics are the handwritten signature, "(I. Kozlov)" the typed name,
    and a name beside a signature gap the signer's."""
    out: list[Inline] = []
    for k, item in enumerate(items):
        if isinstance(item, Span):
            if item.kind == "hi" and item.attrs.get("rend") == "italic":
                out.append(Span("add", item.content, {"hand": hand}))
            else:
                out.append(item)
            continue
        if not _PAREN_NAME.search(item):
            after = _is_gap(items[k + 1] if k + 1 < len(items) else None)
            named = _name_by_gap(item, before_gap=True) if after else None
            if named is None and k > 0 and _is_gap(items[k - 1]):
                named = _name_by_gap(item, before_gap=False)
            if named is not None:
                out.extend(named)
                continue
        pos = 0
        for m in _PAREN_NAME.finditer(item):
            out.append(item[pos : m.start(1)])
            out.append(Span("name", [m.group(1)]))
            pos = m.end(1)
        out.append(item[pos:])
    return [x for x in out if x != ""]


def _date_attrs(date: DocDate) -> dict[str, str]:
    attrs: dict[str, str] = {}
    if date.when:
        attrs["when"] = date.when
    if date.not_before:
        attrs["notBefore"] = date.not_before
    if date.not_after:
        attrs["notAfter"] = date.not_after
    if date.cert != "high":
        attrs["cert"] = date.cert
    return attrs
