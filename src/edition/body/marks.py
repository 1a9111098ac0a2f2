"""Inline editorial marks: the bracket and typography syntax of the exports.

Exports carry editorial information as text: ``[signed]``, ``[sic]``,
``[[195]]7``, ``[handwritten: "..."]``, ``~~struck~~``, ``*italic*``,
``<sup>1</sup>``. :func:`parse_inline` turns one paragraph of such text into
model inlines (strings and :class:`~edition.model.Span`s).

The parser is written for the syntax, not for particular files: brackets nest
(``[Handwritten: "... [V]/ Molotov ..."]``), a label-form bracket may lack its
closing bracket (it then runs to the end of the text), and anything it cannot
read as a mark stays as literal text, so no character of the source is lost.
A hard line break inside a paragraph stays a ``"\\n"`` in the strings; the TEI
writer makes it an ``lb``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from edition.mark_labels import FOREIGN_LABEL_NAMES, FOREIGN_LABELS, LABEL_GAP
from edition.model import Inline, Span
from edition.scripts import UNSPACED

HANDWRITTEN_HAND = "#handwritten"

# The label of a bracket mark: a known word or phrase, an optional qualifier
# (where the note sits), then an optional ":" and the marked text.
# Longer names first: the first alternative that matches is taken, so "signature" before
# "signature illegible" would read "[signature illegible]" as "[signature]" with a qualifier.
# A name's words stand apart by any white space of one line ("[от<TAB>руки:"), as the
# fidelity check's patterns take them (edition.fidelity.LABELS): a label the check counts
# and the converter left as text would leave the other labels of its kind unaccounted for.
# The labels of other languages are edition.mark_labels.FOREIGN_LABELS: add one there.
_GAP = LABEL_GAP
_LABEL_NAMES = r"""handwritten\ signature|signature\ and\ (?:seal|stamp)
        |handwritten|handwriting|written\ by\ hand|hand-?written\ note|stamp\ illegible|illegible\ stamp|stamp|seal|signed
        |illegible\ signature|signature\ illegible|signature|illegible(?:\ (?:word|words|text|line|lines))?|unreadable|indecipherable
        |crossed\ out|struck\ (?:out|through)|deleted|underlined
        |sic|(?:translator|editor)['’]?s?\ note|note
        |рукописн\w*(?:\ (?:пометка|надпись|приписка|текст|резолюция))?|зач[её]ркнуто|подч[её]ркнуто
        |так\ в\ (?:тексте|оригинале|подлиннике|документе)""".replace("\\ ", _GAP) + "|" + FOREIGN_LABEL_NAMES
# The label, its qualifier and its ":" stand on one line (the marked text may run on): the
# check finds labels line by line, and "[Handwritten across the" / "top of the text: x"
# would hide one from it.
_LABEL = re.compile(
    r"""^[^\S\n]*(?P<label>""" + _LABEL_NAMES + r""")\b(?P<qual>[^:\[\]"“«\n]*?)[^\S\n]*(?::\s*(?P<body>.*))?$""",
    re.IGNORECASE | re.DOTALL | re.VERBOSE,
)
# The export's words naming a mark ("[handwritten in the left margin:", "[sic", "[illegible
# signature"), up to its ":" or "]": the editors' English, not words of the text they mark.
MARK_LABEL = re.compile(
    r"""\[\s*(?:""" + _LABEL_NAMES + r""")\b[^:\[\]"“«]*?(?::|(?=\]))""",
    re.IGNORECASE | re.VERBOSE,
)
# Labels that may open a mark whose closing bracket the export lost.
_OPEN_LABELS = {"handwritten", "handwriting", "written by hand", "handwritten note", "hand-written note", "stamp"}
_ILLEGIBLE = {"signature", "illegible signature", "signature illegible", "illegible", "illegible word", "illegible words",
              "illegible text", "illegible line", "illegible lines", "unreadable", "indecipherable",
              "handwritten signature", "signature and seal", "signature and stamp"}
# A signature shown in the scan and not transcribed (the others are gaps because they cannot be read).
_SIGNATURES = {"signature", "handwritten signature", "signature and seal", "signature and stamp"}
# A stamp or seal whose text the export does not give: the stamp is there, its words are not.
_BLANK_STAMPS = {"seal", "stamp illegible", "illegible stamp"}
# Text struck out in the original ("[crossed out: x]"), and how, where the label says.
_DELETIONS = {"crossed out": "strikethrough", "struck out": "strikethrough", "struck through": "strikethrough", "deleted": ""}
_UNDERLINED = {"underlined"}

# Where a handwritten note sits, from the export's wording to TEI @place values.
_PLACES = (
    (re.compile(r"left\s+margin", re.I), "margin-left"),
    (re.compile(r"right\s+margin", re.I), "margin-right"),
    (re.compile(r"margin", re.I), "margin"),
    (re.compile(r"\btop\b|\babove\b|\bheader\b", re.I), "top"),
    (re.compile(r"\bbottom\b|\bbelow\b|\bfoot", re.I), "bottom"),
    (re.compile(r"between\s+(the\s+)?lines|interlinear", re.I), "above"),
)
_ACRONYM = re.compile(r"^[A-ZА-ЯЁ][A-ZА-ЯЁ0-9()\-]{1,9}$")
_TRAILING_WORD = re.compile(r"(\S+?)([\s]*)$")
# Han and kana: Chinese and Japanese put no space between words, so the run of letters
# before a mark is a clause, not a word (Korean, which spaces its words, is not here).
_UNSPACED_LETTER = re.compile(f"[{UNSPACED}]")
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_ELLIPSIS = re.compile(r"^\s*(?:\.{3}|…)\s*$")
FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
FOOTNOTE_DEF = re.compile(r"^\s*\[\^([^\]\s]+)\]:\s*(.*)$", re.DOTALL)


@dataclass(frozen=True)
class MarkContext:
    """What the parser needs to know about the text it reads.

    ``resp`` points to whoever wrote the bracketed insertions (the translator
    in a translation), so ``supplied``/``expan`` can say whose words they are.
    """

    resp: str | None = None
    hand: str = HANDWRITTEN_HAND
    # Footnote texts by label ("[^1]: text" paragraphs), placed at their first reference.
    footnotes: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    placed: set[str] = field(default_factory=set, compare=False, hash=False)
    # The xml:id of each footnote referred to more than once, by label: the note is
    # encoded once, and every other reference (in this part or another one, whose
    # note is here, or whose note is in another part) points to it.
    note_ids: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # The language of a note defined in a part of another language, by label.
    note_langs: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # Whose bracketed insertions a note defined in another part holds, by label.
    note_resps: dict[str, str | None] = field(default_factory=dict, compare=False, hash=False)


class _Out:
    """Inline list under construction; adjacent strings are merged."""

    def __init__(self) -> None:
        self.items: list[Inline] = []

    def text(self, s: str) -> None:
        if not s:
            return
        if self.items and isinstance(self.items[-1], str):
            self.items[-1] += s
        else:
            self.items.append(s)

    def span(self, span: Span) -> None:
        self.items.append(span)

    def extend(self, items: list[Inline]) -> None:
        for item in items:
            self.text(item) if isinstance(item, str) else self.span(item)

    def ends_in_sic(self) -> bool:
        """Whether the text so far ends with a sic (a space after it aside)."""
        last = self.items[-1] if self.items else None
        if isinstance(last, str) and not last.strip() and len(self.items) > 1:
            last = self.items[-2]
        return isinstance(last, Span) and last.kind == "sic"

    def pop_references(self) -> list[Inline]:
        """Take the footnote references (a note placed at its reference, or a pointer to one)
        that end the text so far, with the space before a mark after them: they stand after
        a word, and are not the word a mark after them applies to ("Azeri[^1] [sic]")."""
        end = len(self.items)
        if end > 1 and isinstance(self.items[-1], str) and not self.items[-1].strip():
            end -= 1
        start = end
        while start > 0 and is_reference(self.items[start - 1]):
            start -= 1
        if start == end:
            return []
        held = self.items[start:end]
        del self.items[start:]
        return held

    def pop_word(self, *, acronym_only: bool = False) -> Inline | None:
        """Take the word (or span) just before a mark that applies to it.

        The space between the word and the bracket was only there to set the
        bracket apart; once the bracket is markup it goes too ("Azeri [sic],"
        becomes ``<sic>Azeri</sic>,``).
        """
        if not self.items:
            return None
        last = self.items[-1]
        if isinstance(last, str) and not last.strip() and len(self.items) > 1 and isinstance(self.items[-2], Span):
            # "*Azeri* [sic]": the word is the span before the space.
            self.items.pop()
            last = self.items[-1]
        if isinstance(last, Span):
            if acronym_only:
                return None
            self.items.pop()
            return last
        m = _TRAILING_WORD.search(last)
        if m is None or not m.group(1):
            return None
        word = m.group(1)
        if acronym_only and not _ACRONYM.match(word):
            return None
        head = last[: m.start()]
        if len(word) > 1 and _UNSPACED_LETTER.match(word[-1]):
            # "…名单的同志们[sic]": without word boundaries nothing says where the word in
            # error starts; the one character before the mark is the least it can be, where
            # the run back to the last space took the whole sentence (a date in it too).
            head, word = last[: m.start() + len(word) - 1], word[-1]
        if head:
            self.items[-1] = head
        else:
            self.items.pop()
        return word


def is_reference(item: Inline) -> bool:
    """Whether ``item`` is a footnote at its reference, or a pointer to one."""
    return isinstance(item, Span) and item.kind in {"note", "ptr"} and item.attrs.get("type") == "footnote"


def _match_bracket(text: str, start: int) -> int:
    """Index of the "]" closing the "[" at ``start`` (brackets nest), or -1."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _unquote(text: str) -> str:
    s = text.strip()
    if s and s[0] in _QUOTES:
        close = _QUOTES[s[0]]
        s = s[1:]
        if s.endswith(close):
            s = s[:-1]
    return s


def place_of(qualifier: str) -> str | None:
    for pattern, place in _PLACES:
        if pattern.search(qualifier):
            return place
    return None


def name_of(m: re.Match[str]) -> str:
    """The label of a label match, in English and lower case ("[Подпись]" is "signature")."""
    label = " ".join(m["label"].lower().split())
    if label in FOREIGN_LABELS:  # "podpis", "Unterschrift" are ASCII, and foreign all the same
        return FOREIGN_LABELS[label]
    if label.startswith("рукописн"):
        return "handwritten"
    if label.startswith("так в "):
        return "sic"
    return label


def label_of(inner: str) -> re.Match[str] | None:
    """The label match of a bracket's inner text, e.g. "handwritten in the left margin: x"."""
    m = _LABEL.match(inner)
    if m is None:
        return None
    label = name_of(m)
    # "[signed] X": the label stands alone; "[Signed copy of ...]" is not a label. "[sic!]"
    # and "[sic?]" are the same mark as "[sic]", with the editor's emphasis or doubt.
    qual = m["qual"].strip(" !?") if label == "sic" else m["qual"].strip()
    if label in {"signed", "sic", "signature"} and (qual or m["body"] is not None):
        return None
    return m


def open_label(text: str) -> bool:
    """Whether ``text`` leaves a label mark open ("[handwritten in the margin: ..." with no "]")."""
    stack: list[int] = []
    for i, c in enumerate(text):
        if c == "[":
            stack.append(i)
        elif c == "]" and stack:
            stack.pop()
    for pos in stack:
        m = label_of(text[pos + 1 :])
        if m is not None and name_of(m) in _OPEN_LABELS and m["body"] is not None:
            return True
    return False


def parse_inline(text: str, ctx: MarkContext | None = None) -> list[Inline]:
    """Parse one paragraph (or a line group) into strings and spans."""
    ctx = ctx or MarkContext()
    out = _Out()
    _parse_into(text, ctx, out)
    return out.items


_MARK_START = re.compile(r"[\[~*<]")


def _parse_into(text: str, ctx: MarkContext, out: _Out) -> None:
    i, n = 0, len(text)
    plain_start = 0

    def flush(upto: int) -> None:
        out.text(text[plain_start:upto])

    while i < n:
        c = text[i]
        if c not in "[~*<":
            # Plain text up to the next character that may start a mark.
            m = _MARK_START.search(text, i)
            i = m.start() if m else n
            continue
        if c == "[" and (ref := FOOTNOTE_REF.match(text, i)):
            label = ref.group(1)
            if label in ctx.footnotes and label not in ctx.placed:
                # A footnote goes where it is referred to; the reference mark was only syntax.
                flush(i)
                ctx.placed.add(label)
                attrs = {"type": "footnote", "n": label}
                if label in ctx.note_ids:
                    attrs["xml:id"] = ctx.note_ids[label]
                if label in ctx.note_langs:
                    attrs["xml:lang"] = ctx.note_langs[label]
                # Read as in the part it was written in: the translator's "[the]" stays theirs.
                note_ctx = replace(ctx, resp=ctx.note_resps[label]) if label in ctx.note_resps else ctx
                out.span(Span("note", parse_inline(ctx.footnotes[label], note_ctx), attrs))
                i = plain_start = ref.end()
                continue
            if label in ctx.note_ids:
                # One more reference to a note encoded once, here or in another part: a
                # pointer to it (TEI 3.9.1, 16.1), which the page and the text number as the note.
                flush(i)
                out.span(Span("ptr", [], {"type": "footnote", "target": "#" + ctx.note_ids[label], "n": label}))
                i = plain_start = ref.end()
                continue
            i = ref.end()  # a reference to no footnote stays as printed
            continue
        if c == "[":
            close = _match_bracket(text, i)
            if close != -1:
                flush(i)
                _bracket(text[i + 1 : close], ctx, out)
                i = plain_start = close + 1
                continue
            m = label_of(text[i + 1 :])
            if m is not None and name_of(m) in _OPEN_LABELS and m["body"] is not None:
                # The export lost the closing bracket: the mark runs to the end.
                flush(i)
                _labelled(m, ctx, out, unclosed=True)
                i = plain_start = n
                continue
            i += 1
            continue
        if text.startswith("~~", i):
            close = text.find("~~", i + 2)
            if close > i + 2:
                flush(i)
                out.span(Span("del", parse_inline(text[i + 2 : close], ctx)))
                i = plain_start = close + 2
                continue
            i += 2
            continue
        if c == "*":
            stars = 2 if text.startswith("**", i) else 1
            close = _closing_stars(text, i + stars, stars)
            if close != -1:
                flush(i)
                rend = "bold" if stars == 2 else "italic"
                out.span(Span("hi", parse_inline(text[i + stars : close], ctx), {"rend": rend}))
                i = plain_start = close + stars
                continue
            i += stars
            continue
        if c == "<":
            m = re.match(r"<(sup|sub)>", text[i:], re.I)
            if m:
                tag = m.group(1).lower()
                close = text.lower().find(f"</{tag}>", i + len(m.group(0)))
                if close != -1:
                    flush(i)
                    rend = "superscript" if tag == "sup" else "subscript"
                    out.span(Span("hi", parse_inline(text[i + len(m.group(0)) : close], ctx), {"rend": rend}))
                    i = plain_start = close + len(tag) + 3
                    continue
        i += 1
    flush(n)


def _closing_stars(text: str, start: int, stars: int) -> int:
    """Where ``*italic*`` (or ``**bold**``) closes: text must hug the stars, no blank line inside."""
    if start >= len(text) or text[start].isspace():
        return -1
    marker = "*" * stars
    j = start
    while True:
        j = text.find(marker, j)
        if j == -1 or "\n\n" in text[start:j]:
            return -1
        if stars == 1 and text.startswith("**", j):
            j += 2
            continue
        if j > start and not text[j - 1].isspace():
            return j
        j += stars


def _bracket(inner: str, ctx: MarkContext, out: _Out) -> None:
    # "[[195]]": the editor's supplement, written as a bracket inside a bracket.
    if inner.startswith("[") and _match_bracket(inner, 0) == len(inner) - 1:
        core = inner[1:-1]
        m = label_of(core)
        if m is not None:
            _labelled(m, ctx, out)
        else:
            # "[[195]]7": digits the writer left out of a number; other words: the editors'.
            reason = "omitted" if core.strip().isdigit() else "editorial"
            out.span(Span("supplied", parse_inline(core, ctx), {"reason": reason}))
        return
    if _ELLIPSIS.match(inner):
        out.span(Span("gap", [], {"reason": "omitted"}))
        return
    m = label_of(inner)
    if m is not None and (m["body"] is not None or name_of(m) not in _OPEN_LABELS - {"stamp"}):
        # "[handwritten: x]" needs its colon: "[handwritten]" alone is the translator's word.
        # "[Stamp]" alone is a stamp whose words the export does not give, as "[seal]" is.
        _labelled(m, ctx, out)
        return
    _insertion(inner, ctx, out)


def _as_printed(m: re.Match[str], out: _Out, unclosed: bool = False) -> None:
    """The mark as the export prints it, brackets and all: a label with nothing to mark."""
    out.text("[" + m.group(0) + ("" if unclosed else "]"))


def _labelled(m: re.Match[str], ctx: MarkContext, out: _Out, unclosed: bool = False) -> None:
    label = name_of(m)
    body = m["body"]
    if body is not None and not body.strip() and (label not in _ILLEGIBLE | _BLANK_STAMPS or label == "handwritten signature"):
        # "the [handwritten:] y", "[Stamp:]": a label of marked text with no text marks
        # nothing, and an empty add or stamp would claim one; the mark stays as printed.
        _as_printed(m, out, unclosed)
        return
    if label == "sic":
        # "Azeri[^1] [sic]": the word is before the footnote, which stays after it (TEI
        # 3.5.1: sic holds the text in error, not a note on it).
        before = list(out.items)
        held = out.pop_references()
        # "the [sic] [sic]": the word is marked already; a sic inside a sic would say
        # nothing new, so the second mark stays as printed. Nothing before it to mark (a
        # paragraph's start): an empty <sic/> would claim an error with no text and drop
        # the export's mark, so it stays as printed too.
        word = None if out.ends_in_sic() else out.pop_word()
        if word is None:
            out.items[:] = before
            _as_printed(m, out)
            return
        out.span(Span("sic", [word]))
        out.extend(held)
        return
    if label == "handwritten signature" and body is not None:
        # "[handwritten signature: I. Kozlov]": the export transcribes it, so it is words in a hand.
        out.span(Span("add", parse_inline(_unquote(body), ctx), {"hand": ctx.hand}))
        return
    blank_stamp = label in _BLANK_STAMPS or (label == "stamp" and body is None)
    if label in _ILLEGIBLE or blank_stamp:
        # The export's description ("illegible signature") is kept as the gap's description;
        # "[signature]" alone is a signature shown in the scan but not transcribed.
        desc = " ".join((m["label"] + m["qual"]).split())
        if body and body.strip():
            # "[illegible: two words]": what the editor says of the gap is part of its description.
            desc += ": " + " ".join(body.split())
        if blank_stamp:
            # "[seal]", "[Stamp]", "[stamp illegible]": a stamp whose words are not given. Not
            # the translator's words (a supplied would say so): a stamp with a gap.
            reason = "illegible" if "illegible" in label else "omitted"
            out.span(Span("stamp", [Span("gap", [desc], {"reason": reason})]))
            return
        out.span(Span("gap", [desc], {"reason": "signature" if label in _SIGNATURES else "illegible"}))
        return
    if label in _DELETIONS:
        if body is None:
            # "[crossed out]": something struck out so that it cannot be read.
            out.span(Span("gap", [" ".join((m["label"] + m["qual"]).split())], {"reason": "cancelled"}))
            return
        rend = {"rend": _DELETIONS[label]} if _DELETIONS[label] else {}
        out.span(Span("del", parse_inline(_unquote(body), ctx), rend))
        return
    if label in _UNDERLINED:
        if body is None:
            _as_printed(m, out)  # what was underlined the export does not say
            return
        out.span(Span("hi", parse_inline(_unquote(body), ctx), {"rend": "underline"}))
        return
    if label == "signed":
        # "[signed]" is meaningful only at the start of a signature line, which
        # edition.body.structure handles; anywhere else it stays as text.
        _as_printed(m, out)
        return
    if label.endswith("note") and "written" not in label:
        if body is None:
            _as_printed(m, out)
            return
        who = "editorial" if label.startswith("editor") else "translator" if label.startswith("translator") or ctx.resp else "editorial"
        attrs = {"type": who}
        if who == "translator" and ctx.resp:
            attrs["resp"] = ctx.resp
        out.span(Span("note", parse_inline(_unquote(body), ctx), attrs))
        return
    if label == "stamp":
        out.span(Span("stamp", parse_inline(_unquote(body or ""), ctx)))
        return
    # handwritten, with an optional place
    attrs = {"hand": ctx.hand}
    place = place_of(m["qual"])
    if place:
        attrs["place"] = place
    if unclosed:
        attrs["unclosed"] = "yes"
    out.span(Span("add", parse_inline(_unquote(body or ""), ctx), attrs))


def _insertion(inner: str, ctx: MarkContext, out: _Out) -> None:
    """A translator's or editor's bracketed words: an expansion or a supplement."""
    words = inner.split()
    resp = {"resp": ctx.resp} if ctx.resp else {}
    if len(words) >= 2 and not _ACRONYM.match(inner.strip()):
        abbr = out.pop_word(acronym_only=True)
        if isinstance(abbr, str):
            # "IKKI [Executive Committee of the Communist International]"
            out.span(Span("expan", parse_inline(inner, ctx), {"abbr": abbr, **resp}))
            return
    # "People's Party of Iran [NPI]": the translator gives the abbreviation of what precedes.
    reason = "expansion" if _ACRONYM.match(inner.strip()) else "clarification"
    attrs = {"reason": reason, **resp}
    if inner.strip().endswith("?"):
        attrs["cert"] = "low"
    out.span(Span("supplied", parse_inline(inner, ctx), attrs))


def plain_text(items: list[Inline]) -> str:
    """The text of inlines without markup (for classifying blocks). A footnote placed at its
    reference is not the line's text: "*П. Иванов*[^1] (П. Иванов)" is a signature."""
    parts: list[str] = []
    for item in items:
        if isinstance(item, str):
            parts.append(item)
        elif is_reference(item):
            continue
        else:
            if item.kind == "expan":
                parts.append(item.attrs.get("abbr", "") + " ")
            parts.append(plain_text(item.content))
    return "".join(parts)
