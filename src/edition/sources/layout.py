"""Paragraphs with their line numbers, and the labelled fields of archive pages.

Readers work on :class:`Para` objects so that every piece of text they keep or
drop can be traced to its line in the export (for error messages and for the
fidelity check's account of every line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from edition.model import Segment


# Characters that take no room on the page: zero-width spaces and joiners, the word
# joiner, a byte-order mark inside the text, direction marks and embeddings, the soft
# hyphen. Web pages and word processors leave them in exports, often in a heading or a
# field label, where they would hide the line's structure from a pattern. Structure is
# matched on the text without them; the text kept (and checked) keeps every one.
_INVISIBLES = "".join(chr(c) for c in (0xAD, 0x61C, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                                        *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF))
_INVISIBLE = re.compile("[" + re.escape(_INVISIBLES) + "]")
_EDGES = re.compile(r"^[\s" + re.escape(_INVISIBLES) + r"]+|[\s" + re.escape(_INVISIBLES) + r"]+$")


def visible(text: str) -> str:
    """``text`` without its invisible characters: what structural patterns are matched against."""
    return _INVISIBLE.sub("", text) if not text.isascii() else text


def trimmed(text: str) -> str:
    """``text`` without white space or invisible characters at either end."""
    return _EDGES.sub("", text)


def visible_match(pattern: re.Pattern[str], text: str) -> tuple[re.Match[str], str] | None:
    """``pattern`` (with a ``value`` group) matched on :func:`visible` of ``text``, and the
    value as ``text`` prints it (invisible characters inside kept, none at its ends)."""
    plain = visible(text)
    m = pattern.match(plain)
    if m is None:
        return None
    value = m["value"] or ""
    if value and plain != text:
        value = from_visible(text, m.start("value"))
    return m, trimmed(value)


def from_visible(text: str, start: int) -> str:
    """The rest of ``text`` from the character that stands at ``start`` in :func:`visible`
    of it, invisible characters inside kept: a value read after a label seen through them."""
    return text[visible_index(text, start):]


def visible_index(text: str, at: int) -> int:
    """Where the character that stands at ``at`` in :func:`visible` of ``text`` stands in
    ``text`` (``len(text)`` for the end of it): a place found in what structure sees,
    in the text as printed."""
    seen = 0
    for i, ch in enumerate(text):
        if _INVISIBLE.match(ch) is None:
            if seen == at:
                return i
            seen += 1
    return len(text)


@dataclass
class Para:
    line: int  # 1-based line number of the first line
    lines: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def flat(self) -> str:
        return " ".join(" ".join(self.lines).split())

    def segments(self, role: str) -> list[Segment]:
        return [Segment(role, self.line + i, ln) for i, ln in enumerate(self.lines) if ln.strip()]


def blank_line_paragraphs(text: str) -> list[Para]:
    """Paragraphs separated by one or more blank lines."""
    paras: list[Para] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.rstrip())
        elif current:
            paras.append(Para(start, current))
            current = []
    if current:
        paras.append(Para(start, current))
    return paras


def line_paragraphs(text: str) -> list[Para]:
    """One paragraph per non-blank line."""
    return [Para(n, [line.rstrip()]) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


# Labels of the archive's document pages. A label may stand alone ("Record ID"),
# carry a colon ("Author(s):") or its value on the same line ("Type: Letter").
FIELD_LABELS = (
    "Document Information",
    "Author(s)",
    "Authors",
    "Author",
    "Associated People & Organizations",
    "Associated People and Organizations",
    "Associated Places",
    "Associated Topics",
    "Associated Documents",
    "Source",
    "Original Archive",
    "Rights",
    "Original Uploaded Date",
    "Type",
    "Language",
    "Record ID",
    "Original Classification",
    "Theme",
    "Themes",
    "Subject",
    "Keywords",
    "Collection",
    "Collections",
)
# The readers match a paragraph with its spaces collapsed, the fidelity check the line as
# printed: a label's words may stand apart by any white space ("Record\tID: 4711"), or the
# check would take the label of a line the reader read as one for words of the value.
_LABEL = re.compile(
    r"^\s*(?P<label>"
    + "|".join(r"\s+".join(map(re.escape, lbl.split(" "))) for lbl in sorted(FIELD_LABELS, key=len, reverse=True))
    + r")\s*(?::\s*(?P<value>.*))?$",
    re.IGNORECASE,
)
_CANONICAL = {lbl.lower(): lbl for lbl in FIELD_LABELS}


def cut_label(text: str) -> str | None:
    """The label ``text`` is the cut-off start of ("Reco" of "Record ID"), or None.

    A capture cut short can end in the middle of a label; read as the value of the
    field before it, "Reco" would become the document's original language."""
    start = visible(text).strip().lower()
    if len(start) < 2:
        return None
    return next((lbl for low, lbl in _CANONICAL.items() if low.startswith(start) and low != start), None)
# Labels that only ever open the metadata footer, never a line of a document.
FOOTER_OPENERS = {
    "Document Information",
    "Author(s)",
    "Associated People & Organizations",
    "Associated People and Organizations",
    "Associated Places",
    "Associated Topics",
    "Original Uploaded Date",
    "Record ID",
    "Original Classification",
    "Original Archive",
}


def match_label(text: str) -> tuple[str, str] | None:
    """(canonical label, value on the same line) for a label line, else None."""
    if len(text) > 80:
        return None
    found = visible_match(_LABEL, text)
    if found is None:
        return None
    m, value = found
    return _CANONICAL[" ".join(m["label"].split()).lower()], value


@dataclass(frozen=True)
class LineEvidence:
    """What shape detectors look at: the non-blank lines and how the text is spaced."""

    nonblank: list[str]
    blank_share: float  # blank lines among all lines, leading and trailing ones excluded
    footer_labels: int  # label lines among the last 40 non-blank lines
    bold_lines: int  # lines opening with Markdown bold: a sign of the Markdown export
    visible_text: str  # the text without its invisible characters (:func:`visible`)

    @classmethod
    def of(cls, text: str) -> LineEvidence:
        """The evidence of ``text``; asked again of the same text, the same evidence.

        Every reader's ``detect`` asks for it, one after the other, of the one export
        being read: made once, not once per reader (it was two fifths of detecting
        the shape). Kept for the last text alone, by identity: no hash of the text, and
        a text held is a text alive, whose identity no other text can take."""
        global _LAST_EVIDENCE
        last = _LAST_EVIDENCE
        if last is not None and last[0] is text:
            return last[1]
        plain = visible(text)
        lines = [ln.strip() for ln in plain.strip().split("\n")]
        nonblank = [ln for ln in lines if ln]
        ev = cls(
            nonblank=nonblank,
            blank_share=1 - len(nonblank) / max(1, len(lines)),
            footer_labels=sum(1 for ln in nonblank[-40:] if match_label(ln)),
            bold_lines=sum(ln.startswith("**") for ln in nonblank),
            visible_text=plain,
        )
        _LAST_EVIDENCE = (text, ev)
        return ev


_LAST_EVIDENCE: tuple[str, LineEvidence] | None = None
