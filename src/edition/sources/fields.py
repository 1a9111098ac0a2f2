"""Turning labelled field values into metadata, the same way for every shape."""

from __future__ import annotations

import re
from collections.abc import Sequence

from edition.model import Metadata
from edition.sources.archives import (
    CREDIT_START,
    find_archive_reference,
    find_reference_after_publisher,
    find_repository_reference,
    split_archive_citation,
)
from edition.sources.layout import trimmed
from edition.sources.metadata import doctype_from_text, doctype_name, parse_credits

_RIGHTS_WORDS = re.compile(r"\b(copyright|reuse|permission|rights|licen[cs]e|public domain)\b", re.IGNORECASE)
_URL = re.compile(r"<?(?P<url>https?://[^\s>]+)>?")
_RECORD_IN_URL = re.compile(r"/(?:document|record|item|documents)/(?P<id>[A-Za-z0-9_-]+)/?$")


def looks_like_citation(text: str) -> bool:
    return find_archive_reference(text) is not None or CREDIT_START.search(text) is not None


def looks_like_rights(text: str) -> bool:
    return _RIGHTS_WORDS.search(text) is not None


def apply_citation(meta: Metadata, text: str) -> None:
    """Read an archive citation line: the archival reference and the credits."""
    flat = " ".join(text.split())
    # A reference without a fond is looked for only here, in what is known to be a citation.
    span = find_archive_reference(flat) or find_repository_reference(flat) or find_reference_after_publisher(flat)
    if span is not None and meta.archive is None:
        meta.archive = split_archive_citation(flat[span[0]:span[1]].strip())
    contributors, translators, verb = parse_credits(flat)
    for name in contributors:
        if name not in meta.contributors:
            meta.contributors.append(name)
    for name in translators:
        if name not in meta.translators:
            meta.translators.append(name)
    if contributors:
        meta.contribution_verb = verb


def apply_url(meta: Metadata, text: str) -> bool:
    m = _URL.fullmatch(trimmed(text))
    if m is None:
        return False
    meta.source_url = m["url"]
    if meta.record_id is None and (rid := _RECORD_IN_URL.search(m["url"])):
        meta.record_id = rid["id"]
    return True


# Fields whose value is one short item (the reader keeps only the first).
SINGLE_VALUED = frozenset({"Language", "Original Language", "Record ID"})


class FieldError(ValueError):
    """A field the reader cannot take as it stands; ``line`` is where the editor should look."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def apply_field(meta: Metadata, label: str, values: list[str], lines: Sequence[int] = ()) -> None:
    """Store the values of one labelled field; empty fields leave the metadata alone.

    ``lines``: the line of each value in the export, for an error to name."""
    kept = [(flat, lines[i] if i < len(lines) else None)
            for i, flat in enumerate(trimmed(" ".join(v.split())) for v in values) if flat]
    values = [v for v, _ in kept]
    if not values:
        return
    if label in SINGLE_VALUED and len(values) > 1:
        # Only the first value would be kept: the rest of the text would vanish
        # from the edition. Most often a label after this one (**Contents:**) is
        # missing or lines are out of place; the editor must look.
        raise FieldError(
            f"the {label} field holds one value but is followed by {len(values) - 1} more paragraph(s) "
            f"(starting {values[1][:60]!r}); is the label of the next field or of the contents missing?",
            kept[1][1],
        )
    joined = " ".join(values)
    match label:
        case "Source":
            meta.citation = meta.citation or joined
            apply_citation(meta, joined)
        case "Original Archive":
            meta.original_archive = "; ".join(values)
        case "Rights":
            meta.rights = "\n".join(values)
        case "Type":
            meta.doc_type = doctype_from_text(joined) or "other"
            meta.doc_type_evidence = f"Type field: {joined}"
            meta.doc_type_name = doctype_name(joined)
            meta.keywords.setdefault("type", []).append(joined)
        case "Language" | "Original Language":
            meta.original_language = values[0]
        case "Funder" | "Funders":
            # "funder specifies the name of an individual, institution, or organization
            # responsible for the funding of a project or text" (TEI 2.2.1): as a keyword it
            # was a subject of the document, and oai_dc's dc:subject.
            meta.funders.extend(values)
        case "Original Uploaded Date":
            meta.uploaded = joined
        case "Record ID":
            meta.record_id = values[0]
        case "Original Classification":
            meta.classification = joined
        case "Author(s)" | "Authors" | "Author":
            meta.authors.extend(values)
        case "Associated People & Organizations" | "Associated People and Organizations":
            meta.keywords.setdefault("people", []).extend(values)
        case "Associated Topics":
            meta.keywords.setdefault("topics", []).extend(values)
        case "Associated Places":
            meta.keywords.setdefault("places", []).extend(values)
        case _:
            meta.keywords.setdefault(label.lower(), []).extend(values)
