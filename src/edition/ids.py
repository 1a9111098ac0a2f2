"""Stable document identifiers.

An id names the TEI file, ``TEI/@xml:id``, the site's URLs and the OAI
identifier, so it must be stable across runs, an XML NCName, and safe as a file
name. The archive's record id is preferred (``wilson-119711``); without one the
id is derived from the date and the title, which do not change between exports.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from edition.model import Metadata

MAX_ID_LENGTH = 80
DERIVED_TITLE_LENGTH = 48

# Transliteration for ids only (ASCII): Russian and Azerbaijani Cyrillic (BGN/PCGN-like) here,
# Georgian and Armenian below.
_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәөүғқңһҹ",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya a o u g q n h j".split(" "),
    )
)

# Georgian (national system) and Armenian (lower case; str.lower() folds capitals),
# so that titles in the region's other scripts give readable ids too.
_CYR.update(
    zip(
        "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
        "a b g d e v z t i k l m n o p zh r s t u p k gh q sh ch ts dz ts ch kh j h".split(" "),
    )
)
_CYR.update(
    zip(
        "աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև",
        "a b g d e z e y t zh i l kh ts k h dz gh ch m y n sh o ch p j r s v t r ts w p k o f ev".split(" "),
    )
)


def slugify(text: str, limit: int = 60) -> str:
    out: list[str] = []
    for ch in text.lower():
        if ch in _CYR:
            out.append(_CYR[ch])
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        out.append("".join(c for c in decomposed if c.isascii()))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    return slug


PREFIX_LENGTH = 20


def prefix_problem(prefix: str) -> str | None:
    """Why ``prefix`` cannot open the ids made from record ids, or None when it can.

    An id opens with it as it is written (``wilson-119711``), so it must be what
    :func:`slugify` keeps: lower-case ASCII letters, digits and inner hyphens. Any
    other was rewritten without a word ("../evil" became "evil", "" or "Ω" the
    "doc" of ids the edition makes itself), and ids the editor did not choose named
    the files, the pages and the OAI identifiers.
    """
    slug = slugify(prefix, PREFIX_LENGTH)
    if prefix and prefix == slug and slug != "doc":
        return None
    if slug == "doc":
        return f"{prefix!r} is the prefix of the ids the edition makes for documents without a record id"
    hint = f" (such as {slug!r})" if slug and slug != "doc" else ""
    return (f"{prefix!r} is not a prefix an id can open with: use lower-case letters, digits and "
            f"hyphens, at most {PREFIX_LENGTH} characters{hint}")


def document_id(meta: Metadata, prefix: str = "doc") -> str:
    prefix = slugify(prefix, PREFIX_LENGTH) or "doc"
    if meta.record_id:
        record = slugify(meta.record_id, 40)
        if record:
            return f"{prefix}-{record}"
    # Without a record id the archive prefix would claim an identity the archive
    # never gave; "doc-" marks the id as the edition's own.
    date = (meta.date.when or meta.date.not_before or "undated") if meta.date else "undated"
    title = slugify(meta.title, DERIVED_TITLE_LENGTH) or _title_hash(meta.title)
    return f"doc-{date}-{title}"


def _title_hash(title: str) -> str:
    """A title with no letter the slug can spell (Persian, Chinese, ...): a short hash of it.

    "untitled" would give every such document of one date the same id, and
    documents that claim one id are refused together.
    """
    words = " ".join(title.split())
    if not words:
        return "untitled"
    return "t" + hashlib.sha256(words.encode("utf-8")).hexdigest()[:10]
