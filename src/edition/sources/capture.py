"""Captures of an archive's document page, whatever separates their paragraphs.

A page capture reads top to bottom: site navigation, the document date, the
title, an optional funding line, the document text, the editors' summary, and a
footer of labelled fields ("Document Information", "Source", "Rights",
"Record ID", ...). Captures differ only in how paragraphs are delimited, so the
shape readers split the text and hand the paragraphs here.
"""

from __future__ import annotations

import re

from edition.body.language import Evidence, gather_once, merge
from edition.dates import date_line
from edition.model import Metadata, Part, Segment
from edition.sources.archives import opens_with_known_repository
from edition.sources.fields import FieldError, apply_citation, apply_field, looks_like_citation, looks_like_rights
from edition.sources.layout import FOOTER_OPENERS, Para, cut_label, match_label, trimmed, visible
from edition.sources.metadata import language_code, parse_funder
from edition.sources.result import ReadResult

# Navigation a capture picks up before the document: never part of the text.
_NAVIGATION = re.compile(r"^(skip to (main )?content|menu|search|main navigation|toggle navigation|home)$", re.IGNORECASE)


def _footer_start(paras: list[Para], first_body: int) -> int:
    """Index of the first paragraph of the labelled-field footer, or len(paras)."""
    for i in range(first_body, len(paras)):
        found = match_label(paras[i].flat)
        if found is None:
            continue
        label, _ = found
        nxt = match_label(paras[i + 1].flat) if i + 1 < len(paras) else None
        if label in FOOTER_OPENERS or nxt is not None:
            return i
    return len(paras)


def _labels_apart(paras: list[Para]) -> list[Para]:
    """The footer's paragraphs with a label that stands alone on the first line of one
    ("Record ID" over "4711", "Author(s):" over a name, no blank line between) a paragraph
    of its own, as it is when a blank line follows it: read whole, "Record ID 4711" is no
    label, and went to the field before it."""
    out: list[Para] = []
    for para in paras:
        while len(para.lines) > 1 and (found := match_label(para.lines[0])) is not None and not found[1]:
            out.append(Para(para.line, para.lines[:1]))
            para = Para(para.line + 1, para.lines[1:])
        out.append(para)
    return out


def read_capture(paras: list[Para], shape: str) -> ReadResult:
    meta = Metadata(title="")
    segments: list[Segment] = []
    i = 0
    while i < len(paras) and _NAVIGATION.match(visible(paras[i].flat)):
        segments += paras[i].segments("furniture")
        i += 1
    if i < len(paras) and (date := date_line(visible(paras[i].flat), trimmed(paras[i].flat))) is not None:
        # The printed form keeps any invisible character inside it (the date was read without).
        meta.date = date
        segments += paras[i].segments("date")
        i += 1
    if i >= len(paras):
        # The line of the last paragraph read (the date, or the site's navigation) is where it stops.
        raise FieldError("no title after the date", paras[i - 1].line if i else None)
    meta.title = trimmed(paras[i].flat)
    segments += paras[i].segments("title")
    i += 1
    if i < len(paras) and (funder := parse_funder(trimmed(paras[i].flat))) is not None:
        meta.funders.append(funder)
        segments += paras[i].segments("field:Funder")
        i += 1

    footer = _footer_start(paras, i)
    body_end = footer
    # The editors' summary is the last paragraph before the footer; without a
    # footer (a capture cut short) nothing marks it, so none is claimed.
    if footer < len(paras) and footer - 1 > i:
        summary = paras[footer - 1]
        meta.summary = summary.flat
        body_end = footer - 1
    body = paras[i:body_end]
    for para in body:
        segments += para.segments("body")
    if meta.summary is not None:
        segments += paras[body_end].segments("summary")

    label: str | None = None
    values: dict[str, list[str]] = {}
    value_lines: dict[str, list[int]] = {}  # the line of each value, for an error to name
    warnings: list[str] = []
    fields = _labels_apart(paras[footer:])
    for para in fields:
        found = match_label(para.flat)
        if found is None and para is fields[-1] and label is not None and (cut := cut_label(para.flat)) is not None:
            # The export ends in the middle of a label: a footer cut short, not a value.
            warnings.append(f"line {para.line}: the export ends in the middle of a field label "
                            f"({para.flat!r}, as of {cut!r}); its footer was cut short")
            segments += para.segments("furniture")
            continue
        if found is not None:
            label, inline_value = found
            values.setdefault(label, [])
            value_lines.setdefault(label, [])
            if inline_value:
                values[label].append(inline_value)
                value_lines[label].append(para.line)
                segments += [Segment(f"field:{label}", para.line, para.lines[0])] + para.segments(f"field:{label}")[1:]
            else:
                segments += para.segments("furniture")
            continue
        target = label
        if label in (None, "Document Information"):
            # Unlabelled text under "Document Information": the page shows the
            # citation and the rights statement without their labels. A citation line of an
            # archive cited without a fond and without credits has only its repository to
            # show it: it was a "Document Information" keyword, a subject of the document.
            # Only a repository the edition knows says so: a subject may be a name with an
            # acronym in brackets too ("North Atlantic Treaty Organization (NATO)").
            if looks_like_citation(para.flat) or opens_with_known_repository(para.flat):
                target = "Source"
            elif looks_like_rights(para.flat):
                target = "Rights"
            else:
                target = "Document Information"
        assert target is not None
        values.setdefault(target, []).append(para.flat)
        value_lines.setdefault(target, []).append(para.line)
        role = "citation" if target == "Source" else f"field:{target}"
        segments += para.segments(role)
    for name, vals in values.items():
        apply_field(meta, name, vals, value_lines[name])
    if meta.citation:
        apply_citation(meta, meta.citation)

    texts = [p.text for p in body]
    declared = language_code(meta.original_language)
    translated = bool(meta.translators) or (declared not in (None, "en"))
    known: dict[str, Evidence] = {}  # the evidence read here, which segment() reads again
    shown = _shown_language(texts, declared, known) if translated else None
    if shown is not None:
        # The page shows the original alone (a German protocol, "Language: German", no
        # translation): the declared language or a translator made it the English
        # translation, a div of type translation tagged en over German words. Which language
        # each paragraph is in, edition.body.language reads. (A page naming neither is a
        # transcription, whose language the words give already.)
        part = Part(
            role="original" if shown == declared else "transcription",
            lang=shown,
            lang_evidence="the page shows one text, whose words are not English"
            + (f"; declared original language: {meta.original_language}" if meta.original_language else ""),
            paragraphs=texts,
            evidence=known,
        )
        return ReadResult(shape=shape, metadata=meta, parts=[part] if body else [], segments=segments, warnings=warnings)
    part = Part(
        role="translation" if translated else "transcription",
        lang="en",
        lang_evidence=(
            # Which language a text without a translator is in, the evidence of its words says
            # (body/language.py), not the page: "the English text" contradicted a German one.
            ("the page shows the English text only" if translated else "the page shows one text and names no translator")
            + ("; translator named in the citation" if meta.translators else "")
            + (f"; declared original language: {meta.original_language}" if meta.original_language else "")
        ),
        paragraphs=texts,
    )
    return ReadResult(shape=shape, metadata=meta, parts=[part] if body else [], segments=segments, warnings=warnings)


def _shown_language(texts: list[str], declared: str | None, known: dict[str, Evidence]) -> str | None:
    """The language of a page's one text when its words say it is not English: the whole
    reads as another language, and paragraphs that read as English (a short one with an
    "in" may) are under a quarter of its words. None otherwise (an English text, an
    original beside its translation, or too few words to tell): the text is the English one.
    Each paragraph's evidence is kept in ``known``."""
    evs = [gather_once(text, known) for text in texts]
    whole = merge(evs)
    found = whole.guess(declared)
    if found in (None, "en"):
        return None
    english = sum(ev.words for ev in evs if ev.guess(declared) == "en")
    return found if 4 * english < whole.words else None
