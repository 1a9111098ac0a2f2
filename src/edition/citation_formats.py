"""BibLaTeX and RIS records of a CSL-JSON item (an item as :func:`edition.citation_item.csl_item`
makes it): ``cite/<id>.bib`` and ``cite/<id>.ris``, and their entries in the edition's files.

BibLaTeX: one entry per item, its fields escaped for LaTeX, the title's words that
must keep their capitals braced, the language as a babel name. RIS: one record
per item, CRLF-terminated as reference managers expect.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


# --------------------------------------------------------------------------- names and dates


def _name_inverted(name: Mapping[str, str]) -> str:
    """"Goldberg, Gary" (the order reference managers import)."""
    if "literal" in name:
        return name["literal"]
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    rest = [p for p in (name.get("given"), name.get("suffix")) if p]
    return ", ".join([family, *rest])


def _date_parts(item: Mapping[str, Any]) -> list[list[int]]:
    issued = item.get("issued") or {}
    return [[int(x) for x in part] for part in issued.get("date-parts", [])]


def _iso(parts: Sequence[int]) -> str:
    return "-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(parts))


def _circa(item: Mapping[str, Any]) -> bool:
    """The date is approximate (CSL ``circa``: the TEI date's low or medium @cert)."""
    return bool((item.get("issued") or {}).get("circa"))


# --------------------------------------------------------------------------- BibLaTeX

_BIB_TYPES = {"personal_communication": "letter", "manuscript": "unpublished"}

# Characters that TeX or BibTeX read as markup. Braces become text commands rather than
# \{ \}: BibTeX counts every brace, escaped or not, when it finds the end of a field.
_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_RE = re.compile("|".join(re.escape(c) for c in _TEX_ESCAPES))

# ISO 639 code -> babel/polyglossia language name, the values biblatex's langid accepts.
BABEL_LANGUAGES = {
    "ar": "arabic", "az": "azerbaijani", "be": "belarusian", "bg": "bulgarian", "cs": "czech",
    "da": "danish", "de": "ngerman", "el": "greek", "en": "english", "es": "spanish",
    "et": "estonian", "fa": "persian", "fi": "finnish", "fr": "french", "he": "hebrew",
    "hr": "croatian", "hu": "magyar", "hy": "armenian", "it": "italian", "ja": "japanese",
    "ka": "georgian", "kk": "kazakh", "ko": "korean", "lt": "lithuanian", "lv": "latvian",
    "mn": "mongolian", "nl": "dutch", "no": "norsk", "pl": "polish", "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sk": "slovak", "sl": "slovene", "sq": "albanian",
    "sr": "serbian", "sv": "swedish", "tr": "turkish", "uk": "ukrainian", "vi": "vietnamese",
    "zh": "chinese",
}


def tex_escape(text: str) -> str:
    """Make text safe inside a brace-delimited BibTeX field (UTF-8 letters stay as they are)."""
    return _tex_escape_raw(" ".join(text.split()))


def _tex_escape_raw(text: str) -> str:
    return _TEX_RE.sub(lambda m: _TEX_ESCAPES[m.group(0)], text)


_WORD_RE = re.compile(r"[^\W\d_](?:[\w'’.-]*\w)?", re.UNICODE)


def protect_title(title: str) -> str:
    """Escape a title and brace its proper nouns so styles that change case leave them alone.

    The edition's titles are in sentence case, so a capital letter after the first word
    marks a proper noun or acronym ("CPSU", "Radmanesh"); the first word is braced only
    when it is an acronym or has inner capitals.
    """
    out: list[str] = []
    pos = 0
    first = True
    for m in _WORD_RE.finditer(title):
        word = m.group(0)
        out.append(_tex_escape_raw(title[pos:m.start()]))
        has_capital = any(c.isupper() for c in word)
        inner_capital = any(c.isupper() for c in word[1:])
        if has_capital and (not first or inner_capital):
            out.append("{" + _tex_escape_raw(word) + "}")
        else:
            out.append(_tex_escape_raw(word))
        first = False
        pos = m.end()
    out.append(_tex_escape_raw(title[pos:]))
    # Whitespace inside the title was kept by the slices; normalise it once at the end.
    return " ".join("".join(out).split())


def _bib_name(name: Mapping[str, str]) -> str:
    if "literal" in name:
        # Double braces: one unit, never split into given and family, never abbreviated.
        return "{" + tex_escape(name["literal"]) + "}"
    family = " ".join(p for p in (name.get("non-dropping-particle"), name.get("family")) if p)
    parts = [tex_escape(family)]
    if name.get("suffix"):
        parts.append(tex_escape(name["suffix"]))
    if name.get("given"):
        parts.append(tex_escape(name["given"]))
    return ", ".join(parts)


def _bib_names(names: Iterable[Mapping[str, str]]) -> str:
    return " and ".join(_bib_name(n) for n in names)


def _bib_url(url: str) -> str:
    # url is a verbatim field: only the characters that would unbalance the entry are encoded.
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20").replace("\\", "%5C")


def bib_key(item_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_:.\-]", "-", item_id)


def to_biblatex(item: Mapping[str, Any]) -> str:
    """One BibLaTeX entry (@letter for correspondence, @unpublished otherwise)."""
    fields: list[tuple[str, str]] = []

    def add(name: str, value: str) -> None:
        if value:
            fields.append((name, value))

    add("author", _bib_names(item.get("author", [])))
    add("title", protect_title(item.get("title", "")))
    add("recipient", _bib_names(item.get("recipient", [])))
    add("translator", _bib_names(item.get("translator", [])))
    parts = _date_parts(item)
    if parts:
        # EDTF level 1, which biblatex reads: "1955-12~" is circa December 1955.
        approximate = "~" if _circa(item) else ""
        add("date", "/".join(_iso(p) + approximate for p in parts))
    literal_date = (item.get("issued") or {}).get("literal", "")
    add("type", tex_escape(item.get("genre", "")))
    custom = item.get("custom", {})
    title_lang = str(custom.get("title-language", "")).split("-")[0]
    original_lang = str(item.get("language", "")).split("-")[0]
    add("langid", BABEL_LANGUAGES.get(title_lang, ""))
    if original_lang and original_lang != title_lang:
        add("origlanguage", BABEL_LANGUAGES.get(original_lang, tex_escape(original_lang)))
    # Chicago's order for an archival source: reference, collection, archive, place.
    add("library", tex_escape(", ".join(
        item[k] for k in ("archive_location", "archive_collection", "archive", "archive-place") if item.get(k)
    )))
    add("note", tex_escape(" ".join(x for x in (item.get("note", ""), literal_date) if x)))
    source_url = custom.get("source-url", "")
    if source_url and source_url != item.get("URL"):
        where = item.get("source") or "Source record"
        # Plain escaped text, not \url{}: inside a field \url breaks on "%", "#" and "&".
        add("addendum", tex_escape(f"{where}: {source_url}"))
    add("url", _bib_url(item.get("URL", "")))
    add("abstract", tex_escape(item.get("abstract", "")))
    entry_type = _BIB_TYPES.get(item["type"], "unpublished")
    width = max(len(k) for k, _ in fields) if fields else 0
    body = ",\n".join(f"  {k.ljust(width)} = {{{v}}}" for k, v in fields)
    return f"@{entry_type}{{{bib_key(item['id'])},\n{body}\n}}\n"


# --------------------------------------------------------------------------- RIS

_RIS_TYPES = {"personal_communication": "PCOMM", "manuscript": "MANSCPT"}


def _ris_value(text: str) -> str:
    # One line per tag: RIS has no continuation lines.
    return " ".join(str(text).split())


def to_ris(item: Mapping[str, Any]) -> str:
    """One RIS record, CRLF line ends (the RIS specification's)."""
    lines: list[tuple[str, str]] = [("TY", _RIS_TYPES.get(item["type"], "MANSCPT")), ("ID", item["id"])]

    def add(tag: str, value: Any) -> None:
        value = _ris_value(value) if value else ""
        if value:
            lines.append((tag, value))

    add("TI", item.get("title"))
    for n in item.get("author", []):
        add("AU", _name_inverted(n))
    for n in item.get("recipient", []):
        add("A2", _name_inverted(n))
    for n in item.get("translator", []):
        add("A4", _name_inverted(n))
    parts = _date_parts(item)
    if parts:
        first = parts[0]
        # RIS DA: YYYY/MM/DD/other, empty slots kept so partial dates stay partial.
        slots = [f"{first[0]:04d}"] + [f"{p:02d}" for p in first[1:]]
        slots += [""] * (3 - len(slots))
        # A range goes, readable, into the free-text fourth slot.
        other = f"{_iso(parts[0])} to {_iso(parts[1])}" if len(parts) > 1 else ""
        # RIS has no mark for an approximate date; the free-text slot says so.
        if _circa(item):
            other = " ".join(x for x in ("circa", other) if x)
        add("DA", "/".join(slots) + "/" + other)
        add("PY", f"{first[0]:04d}")
    elif (item.get("issued") or {}).get("literal"):
        add("DA", "///" + item["issued"]["literal"])
    add("M3", item.get("genre"))
    add("DB", item.get("archive"))
    add("AN", item.get("archive_location"))
    add("CY", item.get("archive-place"))
    add("LA", item.get("language"))
    add("UR", item.get("URL"))
    source_url = item.get("custom", {}).get("source-url", "")
    if source_url != item.get("URL"):
        add("UR", source_url)
    add("N1", item.get("note"))
    if item.get("archive_collection"):
        add("N1", f"Collection: {item['archive_collection']}")
    add("AB", item.get("abstract"))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines) + "ER  - \r\n"
