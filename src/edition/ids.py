"""Stable document identifiers.

An id names the TEI file, ``TEI/@xml:id``, the site's URLs and the OAI
identifier, so it must be stable across runs, an XML NCName, and safe as a file
name. The archive's record id is preferred (``wilson-119711``); without one the
id is derived from the date and the title, which do not change between exports.
"""

from __future__ import annotations

import re
import unicodedata

from edition.model import Metadata

MAX_ID_LENGTH = 80
DERIVED_TITLE_LENGTH = 48

# Russian transliteration for ids only (BGN/PCGN-like, ASCII).
_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәөүғқңһҹ",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch  y  e yu ya a o u g q n h j".split(" "),
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


def document_id(meta: Metadata, prefix: str = "doc") -> str:
    prefix = slugify(prefix, 20) or "doc"
    if meta.record_id:
        record = slugify(meta.record_id, 40)
        if record:
            return f"{prefix}-{record}"
    # Without a record id the archive prefix would claim an identity the archive
    # never gave; "doc-" marks the id as the edition's own.
    date = meta.date.when if meta.date and meta.date.when else "undated"
    title = slugify(meta.title, DERIVED_TITLE_LENGTH) or "untitled"
    return f"doc-{date}-{title}"
