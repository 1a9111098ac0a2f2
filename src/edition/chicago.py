"""Chicago notes and bibliography for the common shapes of the edition's items,
written directly instead of interpreted from the CSL style.

citeproc-py interprets the official 240 KB Chicago style for every item, which
takes about 5 ms, a fifth of the work of rendering a document. The edition's
items come in two types (``manuscript``, ``personal_communication``) from one
mapping (``xslt/csl.xsl``), so nearly all of them take the same few paths
through the style. :func:`render` writes those paths out and answers ``None``
for anything else (a range or a date in words, a name particle, a value ending in
punctuation, more than six names, a field it does not know...); citeproc-py
then renders the item as before.

The renderings are citeproc-py's, byte for byte, quirks included: that is
tested on every fixture item, on a synthetic corpus and on generated items
(``tests/test_cite_chicago_direct.py``), with citeproc-py as the oracle. An
item without an author is the exception: the style's cs:substitute moves its
title or translator into the author's place, and citeproc-py then prints it a
second time; it is written as Chicago cites an unsigned document, the authored
form without the author, which is what
:meth:`edition.chicago_citeproc.ChicagoRenderer.render_by_processor` makes of
it too (an author stands in for citeproc-py, and is taken out again). Input is
the item as :func:`edition.chicago_citeproc._processor_item` feeds citeproc-py with
``html=True``: strings already HTML-escaped, given names moved next to the
family name. Output is the note and the bibliography entry in HTML, with the
en-US locale's punctuation-in-quote rule applied as
:meth:`edition.chicago_citeproc.ChicagoRenderer._quote_punctuation` applies it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

TYPES = frozenset({"manuscript", "personal_communication"})

# Fields the style does not print for these types, and so may hold anything.
_UNPRINTED = frozenset({"id", "type", "abstract", "source", "note", "language", "custom"})
_PRINTED = frozenset({
    "title", "author", "recipient", "translator", "issued", "genre", "archive",
    "archive_collection", "archive_location", "archive-place", "URL",
})
_STRING_FIELDS = ("title", "genre", "archive", "archive_collection", "archive_location", "archive-place", "URL")

# The bibliography's et-al-min is 7: up to six names are all listed.
_MAX_NAMES = 6
# A value ending in one of these meets the next delimiter in citeproc-py's seam rules.
_SEAM = frozenset(".,;:!?")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# en-US: punctuation-in-quote="true"; its close-quote and close-inner-quote.
_AFTER_QUOTES = tuple((re.compile(quote + "([.,])"), "\\1" + quote) for quote in ("”", "’"))

# citeproc-py's list for text-case="title" (citeproc.model.TextCased).
_STOP_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "down", "for", "from", "in", "into", "nor", "of",
    "on", "onto", "or", "over", "so", "the", "till", "to", "up", "via", "with", "yet",
})


def render(item: Mapping[str, Any]) -> tuple[str, str] | None:
    """The (note, bibliography entry) of ``item`` in HTML, or None when the item is
    not of a shape this module is proven on."""
    if not _supported(item):
        return None
    translators = item.get("translator", [])
    # An unsigned document is cited by its title (CMOS 14.75-76): what the authored
    # form gives without its author, a translator still after the title (14.104).
    note_author = _note_names(item["author"]) if "author" in item else None
    bib_author = _bib_names(item["author"], invert_first=True) if "author" in item else None
    title = item.get("title")
    if title is not None and _language(item) == "en":
        title = _title_case(title)
    quoted = f"“{title}”" if title is not None else None
    date = _date(item["issued"]["date-parts"][0])
    if item["issued"].get("circa"):
        # A guessed-at date (CMOS 14.44), set off as a certain one is.
        date = f"[{date}?]"
    archive = ", ".join(v for v in (item.get("archive"), item.get("archive-place")) if v)
    genre = item.get("genre")
    recipients = item.get("recipient", []) if item["type"] == "personal_communication" else []

    note_genre = genre
    bib_genre = genre
    if recipients:
        note_genre = f"{genre} to {_note_names(recipients)}"
        bib_genre = f"{genre} to {_bib_names(recipients, invert_first=False)}"
    note = [
        note_author,
        quoted,
        note_genre,
        f"trans. {_note_names(translators)}" if translators else None,
        date,
        item.get("archive_location"),
        item.get("archive_collection"),
        archive,
        item.get("URL"),
    ]
    bibliography = [
        bib_author,
        quoted,
        _capitalize_first(bib_genre) if bib_genre else None,
        f"Translated by {_bib_names(translators, invert_first=False)}" if translators else None,
        date,
        _capitalize_first(item["archive_location"]) if item.get("archive_location") else None,
        item.get("archive_collection"),
        archive,
        item.get("URL"),
    ]
    # Chicago lists only what a reader can retrieve (CMOS 14.111, 14.114): these
    # types get a bibliography entry only with an archive, a place or a URL.
    listed = any(k in item for k in ("archive", "archive-place", "URL"))
    entry = _quote_punctuation(_joined(bibliography, ". ")) if listed else ""
    return _quote_punctuation(_joined(note, ", ")), entry


def _supported(item: Mapping[str, Any]) -> bool:
    if item.get("type") not in TYPES or not isinstance(item.get("id"), str):
        return False
    for key, value in item.items():
        if key in _UNPRINTED:
            continue
        if key not in _PRINTED:
            return False
        if key in _STRING_FIELDS and not _plain(value):
            return False
    if "language" in item and not isinstance(item["language"], str):
        return False
    if "author" in item and not _names_ok(item["author"], required=True):
        return False
    if "translator" in item and not _names_ok(item["translator"], required=True):
        return False
    if "author" not in item and "title" not in item:
        # Nothing would name the document where its author stands.
        return False
    # Without a genre the style describes the item itself ("unpublished manuscript").
    if "genre" not in item:
        return False
    if item["type"] == "personal_communication":
        if not _names_ok(item.get("recipient"), required=True):
            return False
    elif "recipient" in item:
        return False
    issued = item.get("issued")
    if not isinstance(issued, Mapping) or set(issued) - {"circa"} != {"date-parts"}:
        return False
    if issued.get("circa", True) is not True:
        return False
    parts = issued["date-parts"]
    if not isinstance(parts, list) or len(parts) != 1 or not isinstance(parts[0], list):
        return False
    date = parts[0]
    if not 1 <= len(date) <= 3 or not all(type(p) is int for p in date):
        return False
    if len(date) >= 2 and not 1 <= date[1] <= 12:
        return False
    return True


def _plain(value: object) -> bool:
    """A non-empty string with no seam at either end and no run of spaces."""
    return (
        isinstance(value, str)
        and value != ""
        and value == value.strip()
        and value[0] not in _SEAM
        and value[-1] not in _SEAM
        and "  " not in value
        and not any(c.isspace() and c != " " for c in value)
    )


def _names_ok(names: object, *, required: bool) -> bool:
    if not isinstance(names, list) or not names:
        return not required
    if len(names) > _MAX_NAMES:
        return False
    for name in names:
        if not isinstance(name, Mapping):
            return False
        keys = set(name)
        if keys == {"literal"}:
            if not _plain(name["literal"]):
                return False
        elif keys == {"family"} or keys == {"family", "dropping-particle"}:
            # edition.chicago_citeproc._uninitialisable moved the given name to the particle.
            if not _plain(name["family"]):
                return False
            given = name.get("dropping-particle")
            # A given name may end in a full stop ("I."): the one seam handled here.
            if given is not None and not (_plain(given.removesuffix(".")) and not given.endswith("..")):
                return False
        else:
            return False
    return True


def _language(item: Mapping[str, Any]) -> str:
    # citeproc-py reads the item's language, else the style's default locale (en-US).
    return str(item["language"])[:2] if "language" in item else "en"


def _title_case(text: str) -> str:
    """citeproc-py's text-case="title": lower-case words are capitalised, except
    stop words that do not follow a colon or a full stop; words joined by one space."""
    words = []
    prev = ":"
    for word in text.split():
        if word.islower():
            if word not in _STOP_WORDS or prev in (":", "."):
                word = word[0].upper() + word[1:]
            else:
                word = word.lower()
        prev = word[-1]
        words.append(word)
    return " ".join(words)


def _capitalize_first(text: str) -> str:
    return text[0].upper() + text[1:]


def _date(parts: Sequence[int]) -> str:
    year = str(parts[0])
    if len(parts) == 1:
        return year
    month = _MONTHS[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {year}"
    return f"{month} {parts[2]}, {year}"


def _name(name: Mapping[str, str], *, inverted: bool) -> str:
    if "literal" in name:
        return name["literal"]
    given = name.get("dropping-particle")
    if not given:
        return name["family"]
    return f"{name['family']}, {given}" if inverted else f"{given} {name['family']}"


def _note_names(names: Sequence[Mapping[str, str]]) -> str:
    shown = [_name(n, inverted=False) for n in names]
    if len(shown) >= 3:
        return f"{shown[0]} et al."
    return " and ".join(shown)


def _bib_names(names: Sequence[Mapping[str, str]], *, invert_first: bool) -> str:
    shown = [_name(n, inverted=invert_first and i == 0) for i, n in enumerate(names)]
    if len(shown) == 1:
        return shown[0]
    if len(shown) == 2:
        # The style's delimiter-precedes-last="always" applies where the first name is inverted.
        return f"{shown[0]}, and {shown[1]}" if invert_first else f"{shown[0]} and {shown[1]}"
    return ", ".join(shown[:-1]) + ", and " + shown[-1]


def _joined(parts: Sequence[str | None], delimiter: str) -> str:
    """The parts present, joined and closed by a full stop, with citeproc-py's seam
    rule: a part ending in a full stop swallows the next full stop."""
    out = ""
    for part in parts:
        if part is None or part == "":
            continue
        if out:
            out += delimiter[1:] if out.endswith(".") and delimiter.startswith(".") else delimiter
        out += part
    return out if out.endswith(".") else out + "."


def _quote_punctuation(text: str) -> str:
    """A full stop or comma after a closing quote goes inside it ("Rust," not "Rust",).

    Applied as the processor path applies it, one quote mark after the other, so
    the results agree even where the two marks follow each other."""
    for pattern, swapped in _AFTER_QUOTES:
        text = pattern.sub(swapped, text)
    return text
