"""PDF/Markdown export: the archive's PDF rendition converted to Markdown.

The export opens with the date and title in bold, then bold labelled blocks
(``**Citation:**``, the source URL, ``**Summary:**``, ``**Original Language:**``,
any other ``**Label:**``) and finally ``**Contents:**``: viewer tab names
("Original Scan", "Translation - English"), the original-language
transcription and the translation. Lines ending in two spaces are Markdown hard
line breaks inside one paragraph.
"""

from __future__ import annotations

import re

from edition.body.language import SAME_WORDS, Evidence, gather_once, merge
from edition.body.marks import MARK_LABEL
from edition.dates import date_line, find_dates, parse_date
from edition.model import Metadata, Part, Segment
from edition.sources.fields import FieldError, apply_citation, apply_field, apply_url
from edition.sources.layout import LineEvidence, Para, blank_line_paragraphs, trimmed, visible, visible_match
from edition.sources.metadata import language_code
from edition.sources.result import ReadResult

NAME = "markdown"

_BOLD = re.compile(r"^\*\*(?P<inner>.+?)\*\*$", re.DOTALL)
# "**Label:**", or "**Label**:" as some converters set it; a value may follow on its line.
_BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*:\n]{1,60})(?::\*\*|\*\*:)\s*(?P<value>.*)$")
_TAB = re.compile(
    r"^(?:original(?:\s+scan)?|scan|transcript(?:ion)?(?:\s*-\s*(?P<tlang>[A-Za-z ]+))?|translation(?:\s*-\s*(?P<lang>[A-Za-z ]+))?)$",
    re.IGNORECASE,
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Kana and Hangul too: a Japanese or Korean paragraph that names "TASS" is not in the
# translation's script for its only Latin letters. The kana's block holds the CJK
# punctuation (U+3000-U+303F), text of Han or kana as much.
_SCRIPTS = {"Cyrl": _CYRILLIC, "Latn": _LATIN, "Arab": re.compile(r"[\u0600-\u06ff]"), "Hani": re.compile(r"[\u4e00-\u9fff]"),
            "Kana": re.compile(r"[\u3000-\u30ff]"), "Hang": re.compile(r"[\uac00-\ud7ff]")}
# The same classes by runs: counting a run's length, not each letter found, spares a
# string object per letter outside Latin-1 (a fifth of the count on a Russian original).
_SCRIPT_RUNS = {name: re.compile(rx.pattern + "+") for name, rx in _SCRIPTS.items()}
# Any letter of a script other than Latin: a paragraph without one is Latin or has no
# letters, which one search of it tells (a translation's paragraphs are all such).
_NON_LATIN = re.compile("[" + "".join(rx.pattern[1:-1] for name, rx in _SCRIPTS.items() if name != "Latn") + "]")
_LATIN_SCRIPT_LANGS = {"en", "de", "fr", "pl", "cs", "sk", "hu", "ro", "hr", "es", "pt", "it", "tr", "vi", "sq"}
# The script a translation's language is written in, which its paragraphs at the end of
# the contents are told by. Japanese is left out: its text leads in Han or in kana.
_TRANSLATION_SCRIPTS = {"Latn": _LATIN_SCRIPT_LANGS, "Cyrl": {"ru", "uk", "bg", "sr", "mn", "be", "mk"},
                        "Hani": {"zh"}, "Hang": {"ko"}, "Arab": {"fa", "ar"}}


def _script_of(lang: str) -> str | None:
    return next((script for script, langs in _TRANSLATION_SCRIPTS.items() if lang in langs), None)


def detect(text: str) -> float:
    # The evidence the other readers' detectors took of this text: its visible form
    # and its first line are there, not made again.
    ev = LineEvidence.of(text)
    text = ev.visible_text  # a zero-width character before a label must not hide it
    if "**" not in text:
        return 0.0  # no bold at all (the other exports): no pattern below can match
    # A label alone on its line or with its value after it ("**Original Language:** Russian").
    labels = len(re.findall(r"^\*\*[^*\n]{1,60}(?::\*\*|\*\*:)", text, re.MULTILINE))
    score = min(0.9, 0.3 * labels)
    first = ev.nonblank[0] if ev.nonblank else ""
    if first.startswith("**") and first.endswith("**"):
        score += 0.2
    if re.search(r"^\*\*Contents(?::\*\*|\*\*:)", text, re.MULTILINE):
        score += 0.2
    return min(score, 1.0)


def _bold_label(flat: str) -> tuple[str, str] | None:
    """(label, value on its line) of a ``**Label:**`` paragraph (white space collapsed),
    seen through invisible characters; the value keeps those inside it."""
    found = visible_match(_BOLD_LABEL, flat)
    if found is None:
        return None
    m, value = found
    return " ".join(m["label"].split()), value


def value_role(label: str) -> str:
    """The role of the lines holding a field's value (for the fidelity check)."""
    return {"citation": "citation", "summary": "summary", "contents": "body"}.get(label.lower(), f"field:{label}")


def inline_label(line: str) -> tuple[str, str] | None:
    """(label, value) of a line that holds a label and its value ("**Original Language:**
    Russian"): the label is the export's, the value must be where the field's go."""
    found = _bold_label(" ".join(line.split())) if "**" in line else None
    return found if found and found[1] else None


def _labels_apart(paras: list[Para]) -> list[Para]:
    """The header's paragraphs with each label line a paragraph of its own.

    An export may set labels on consecutive lines ("**Original Language:** Russian",
    then "**Type:** Letter"), or a label and its value on two; read as one paragraph,
    the labels after the first would be its value. The contents are left as they are.
    """
    out: list[Para] = []
    for idx, para in enumerate(paras):
        found = [(k, f) for k, ln in enumerate(para.lines) if (f := _bold_label(" ".join(ln.split())))]
        if not found or len(para.lines) == 1:
            out.append(para)
        else:
            starts = [k for k, _ in found]
            cuts = sorted({0, *starts, *(k + 1 for k in starts)} - {len(para.lines)})
            out += [Para(para.line + a, para.lines[a:b]) for a, b in zip(cuts, [*cuts[1:], len(para.lines)])]
        if any(f[0].lower() == "contents" for _, f in found):
            return out + paras[idx + 1:]
    return out


def _unbreak(para: Para) -> Para:
    """Drop Markdown's hard-break marker (two trailing spaces); keep the line break."""
    return Para(para.line, [ln.rstrip() for ln in para.lines])


# The scripts of _SCRIPTS but Latin fill whole blocks of 256 code points: their letters
# are the UTF-16 code units with the block's high byte (a test checks every code point).
_BLOCK_HIGH_BYTES = {"Cyrl": bytes([0x04]), "Arab": bytes([0x06]), "Hani": bytes(range(0x4E, 0xA0)), "Kana": bytes([0x30]),
                     "Hang": bytes(range(0xAC, 0xD8))}
_NOT_IN_BLOCK = {name: bytes(b for b in range(256) if b not in high) for name, high in _BLOCK_HIGH_BYTES.items()}
_NOT_BELOW_U0300 = bytes(range(0x03, 256))  # Latin letters are all below U+0250


def dominant_script(text: str) -> str | None:
    if _NON_LATIN.search(text) is None:
        return "Latn" if _LATIN.search(text) else None
    # A whole original is thousands of characters, and a regular expression scanned
    # it once per script (7 ns a character each, 0.15 ms a document of the benchmark's
    # corpus): the block scripts' letters are counted by the code units' high bytes, and
    # the Latin letters only when the code units below U+0300, which bound them, are
    # as many as the letters of the leading script (else Latin cannot lead or tie).
    high = text.encode("utf-16-le", "surrogatepass")[1::2]
    counts = {name: len(high.translate(None, _NOT_IN_BLOCK[name])) if name in _NOT_IN_BLOCK else 0 for name in _SCRIPTS}
    if len(high.translate(None, _NOT_BELOW_U0300)) >= max(counts.values()):
        counts["Latn"] = sum(map(len, _SCRIPT_RUNS["Latn"].findall(text)))
    name, count = max(counts.items(), key=lambda kv: kv[1])
    return name if count else None


def _split_original_translation(paras: list[Para], translation_lang: str | None, known: dict[str, Evidence],
                                declared: str | None = None, named: bool = False) -> int:
    """Index where the translation starts: the longest tail in the translation's script.

    Paragraphs without letters (folio numbers, registry numbers) belong to
    whichever side they stand in; at the boundary they stay with the original,
    where the scan puts archival numbering. An original in the translation's
    script (German before English) is told from it by its words instead: the declared
    language's, or where the export names none (``named`` false), those of the language
    the words themselves lead to. The evidence of the words read is kept in ``known``.

    The export's English mark labels ("[handwritten: согласен]", "[illegible signature]")
    are not letters of the text: read as such, the original's last lines went to the
    translation (edition.body.language.gather reads a paragraph's language without them too).
    """
    target = _script_of(translation_lang or "en")
    if target is None:
        return len(paras)
    start = len(paras)
    for idx in range(len(paras) - 1, -1, -1):
        text = paras[idx].text
        script = dominant_script(MARK_LABEL.sub(" ", text) if "[" in text else text)
        if script is None:
            continue
        if script != target:
            break
        start = idx
    if start != 0:
        return start
    translation_lang = translation_lang or "en"
    if declared is None and not named:
        # The Original Language field empty or missing, as exports may leave it: the
        # original's words name its language (a Czech original before its English
        # translation was read whole as the translation, tagged en).
        declared = _original_by_words(paras, translation_lang, known)
    if declared is not None and declared != translation_lang:
        return _split_by_words(paras, declared, translation_lang, known)
    return start


def _original_by_words(paras: list[Para], translation_lang: str, known: dict[str, Evidence]) -> str | None:
    """The language of an original in the translation's script that the export does not
    name: the one whose function words lead in the paragraphs that lean away from the
    translation's language, if those are a text (MIN_WORDS) the evidence reads as it."""
    evs = [gather_once(para.text, known) for para in paras]
    leaning = [ev for ev in evs if ev.guess() not in {None, translation_lang}]
    found = merge(leaning).guess() if leaning else None
    return found if found is not None and found != translation_lang else None


def _split_by_words(paras: list[Para], original_lang: str, translation_lang: str, known: dict[str, Evidence]) -> int:
    """Where the translation starts in contents all in one script: after the paragraphs
    whose function words are more the original's than the translation's.

    Each paragraph scores its original-language words less its translation-language
    words; the boundary is where the running sum peaks (nothing before it leans to the
    translation on balance, nothing after it to the original). Paragraphs between the
    two that lean neither way (a place and date, a signature, a heading) go where the
    two sides come out nearest in paragraphs, then in length, as a translation follows
    its original paragraph by paragraph. Without any word of the original's (a language the evidence has no words
    for) everything stays the translation, as before.
    """
    # Croatian and Bosnian words are counted as Serbian's (SAME_WORDS): under their own
    # code none was found, and a Croatian original was taken for the translation's start.
    original_lang = SAME_WORDS.get(original_lang, original_lang)
    scores = []
    for para in paras:
        function = gather_once(para.text, known).function
        scores.append(function.get(original_lang, 0) - function.get(translation_lang, 0))
    best, total, peaks = 0, 0, [0]
    for k, score in enumerate(scores, start=1):
        total += score
        if total > best:
            best, peaks = total, [k]
        elif total == best:
            peaks.append(k)
    if best <= 0:
        return 0
    lengths = [len(para.text) for para in paras]
    whole = sum(lengths)
    return min(peaks, key=lambda k: (abs(2 * k - len(paras)), abs(2 * sum(lengths[:k]) - whole)))


def read(text: str) -> ReadResult:
    paras = _labels_apart([_unbreak(p) for p in blank_line_paragraphs(text)])
    meta = Metadata(title="")
    segments: list[Segment] = []
    i = 0
    title_lines: list[str] = []
    while i < len(paras):
        para = paras[i]
        if _bold_label(para.flat):
            break
        bold = _BOLD.match(trimmed(para.text))
        inner = bold["inner"] if bold else para.text
        flat = trimmed(" ".join(inner.split()))
        if meta.date is None and not title_lines and (date := date_line(visible(flat), flat)) is not None:
            # The printed form keeps any invisible character inside it (the date was read without).
            meta.date = date
            segments += para.segments("date")
        else:
            title_lines.append(flat)
            segments += para.segments("title")
        i += 1
    meta.title = " ".join(title_lines)
    if not meta.title:
        raise FieldError("no title before the first labelled block", paras[i].line if i < len(paras) else None)

    label: str | None = None
    contents_start: int | None = None
    # The text on the line of the Contents label: the first of the contents, recorded as
    # that line (label and all) in whatever role it takes.
    first_content: tuple[Para, Para] | None = None
    values: dict[str, list[Para]] = {}
    while i < len(paras):
        para = paras[i]
        if found := _bold_label(para.flat):
            label, value = found
            if label.lower() == "contents":
                contents_start = i + 1
                if value:
                    first_content = (Para(para.line, [value]), para)
                else:
                    segments += para.segments("furniture")
                break
            # A value on the label's line is checked where the field's values go; the
            # fidelity check knows the label is the export's (inline_label).
            segments += para.segments(value_role(label) if value else "furniture")
            values.setdefault(label, [])
            if value:
                values[label].append(Para(para.line, [value]))
            i += 1
            continue
        if apply_url(meta, para.flat):
            segments += para.segments("field:URL")
        else:
            values.setdefault(label or "Preamble", []).append(para)
            segments += para.segments(value_role(label or "Preamble"))
        i += 1

    for name, paras_of in values.items():
        flat_values = [trimmed(p.flat) for p in paras_of]
        key = name.lower()
        if key == "citation":
            meta.citation = " ".join(flat_values)
            apply_citation(meta, meta.citation)
            _publisher_from_citation(meta)
        elif key == "summary":
            meta.summary = " ".join(flat_values) or None
        else:
            apply_field(meta, name, flat_values, [p.line for p in paras_of])

    parts: list[Part] = []
    if contents_start is not None:
        content = paras[contents_start:]
        recorded: dict[int, Para] = {}  # id of a paragraph made of a label's value -> the label's paragraph
        if first_content is not None:
            content.insert(0, first_content[0])
            recorded[id(first_content[0])] = first_content[1]
        # Every translation's tab, in the order the export lists them ("Translation - English",
        # "Translation - Russian"): only the last was kept, and the translations before it
        # were read as the original.
        translation_langs: list[str] = []
        has_original_tab = False
        j = 0
        while j < len(content) and (tab := _TAB.match(trimmed(visible(content[j].flat)))):
            if tab["lang"] and (code := language_code(tab["lang"]) or tab["lang"].strip()) not in translation_langs:
                translation_langs.append(code)
            if trimmed(visible(content[j].flat)).lower().startswith(("original", "scan", "transcript")):
                has_original_tab = True
            segments += recorded.get(id(content[j]), content[j]).segments("furniture")
            j += 1
        content = content[j:]
        for para in content:
            segments += recorded.get(id(para), para).segments("body")
        parts = _parts(content, meta, translation_langs, has_original_tab)
    return ReadResult(shape=NAME, metadata=meta, parts=parts, segments=segments)


def _parts(content: list[Para], meta: Metadata, translation_langs: list[str], has_original_tab: bool) -> list[Part]:
    declared = language_code(meta.original_language)
    if not translation_langs or translation_langs == [declared]:
        lang = declared or _guess_lang(content)
        return [
            Part(
                role="transcription",
                lang=lang,
                lang_evidence=f"declared Original Language: {meta.original_language}" if declared else "script of the text",
                paragraphs=[p.text for p in content],
            )
        ] if content else []
    # The translations follow the original in the order of their tabs: each is the tail of
    # what precedes it, cut from the last; the one before it (or the original) is the
    # language it is told from where the two share a script.
    translations: list[tuple[str, list[Para]]] = []
    original = content
    # The evidence of paragraphs read to find where the original ends, which segment()
    # reads again for the original's.
    known: dict[str, Evidence] = {}
    for k in range(len(translation_langs) - 1, -1, -1):
        lang = translation_langs[k]
        if k == 0:
            split = _split_original_translation(original, lang, known, declared, named=bool(meta.original_language))
        else:
            split = _split_original_translation(original, lang, known, translation_langs[k - 1], named=True)
        translations.insert(0, (lang, original[split:]))
        original = original[:split]
    parts: list[Part] = []
    if original:
        script = dominant_script(" ".join(p.text for p in original))
        parts.append(
            Part(
                role="original",
                lang=declared or "und",
                lang_evidence=(
                    (f"declared Original Language: {meta.original_language}; " if declared else "")
                    + f"{script or 'unknown'} script"
                    + ("; the export labels it the original scan" if has_original_tab else "")
                ),
                paragraphs=[p.text for p in original],
                evidence=known,
            )
        )
    for lang, translation in translations:
        if not translation:
            continue
        script = _script_of(lang)
        parts.append(
            Part(
                role="translation",
                lang=lang,
                lang_evidence=f"the export labels it \"Translation - {_lang_label(lang)}\"; "
                              + ({"Latn": "Latin", "Cyrl": "Cyrillic", "Hani": "Han", "Hang": "Hangul", "Arab": "Arabic"}
                                 .get(script or "", "unknown") + " script"),
                paragraphs=[p.text for p in translation],
            )
        )
    return parts


def _lang_label(code: str) -> str:
    from edition.sources.metadata import language_name

    return language_name(code)


def _guess_lang(content: list[Para]) -> str:
    script = dominant_script(" ".join(p.text for p in content[:20]))
    return {"Latn": "en", "Cyrl": "ru"}.get(script or "", "und")


# The longest date the citation may open with that is looked for ("15th of September, 1955").
_CITATION_DATE_CHARS = 40


def _publisher_from_citation(meta: Metadata) -> None:
    """'"Title", December 16, 1955, Wilson Center Digital Archive, RGANI, ...' -> the publisher."""
    assert meta.citation is not None
    rest = meta.citation
    if meta.title and meta.title in rest:
        rest = rest.split(meta.title, 1)[1]
    rest = rest.lstrip('"”“ ,')
    if meta.date is not None and rest.startswith(meta.date.text):
        rest = rest[len(meta.date.text):].lstrip(" ,")
    elif (dates := find_dates(rest[:_CITATION_DATE_CHARS])) and dates[0][0] == 0:
        # The citation prints the date otherwise than the header's slot does ("December
        # 16, 1955" beside "December 16, 1955Moscow", a word glued to it there).
        rest = rest[dates[0][1]:].lstrip(" ,")
    elif "," in rest and parse_date(rest.split(",", 1)[0].strip()) is not None:
        # A date without a day, printed otherwise than the header's slot ("1947" beside
        # "[1947]", "March 1947" beside "March 1947?"), which find_dates does not look for:
        # it was taken for the publisher's clause, which names no archive, and the
        # Wilson Center was named nowhere (the CSL source, BibLaTeX, the page's source link).
        rest = rest.split(",", 1)[1].lstrip(" ,")
    first = rest.split(",", 1)[0].strip()
    if first and re.search(r"\b(Archive|Library|Center|Centre|Institute|Project|Collection|Museum)\b", first):
        meta.publisher = first
