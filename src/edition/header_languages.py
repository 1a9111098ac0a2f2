"""What the header says of languages: which texts are the archival original's, how each
text's language was settled (editorialDecl), and the language of a header value printed
in an original's language rather than the English its element inherits."""

from __future__ import annotations

from edition.body.language import DEFAULT_SCRIPT, gather, writes
from edition.model import Document, Metadata, Part
from edition.sources.metadata import language_code


def _script(tag: str) -> str | None:
    """The script a BCP 47 tag names, or its language's usual one."""
    subtags = tag.split("-")
    return next((t for t in subtags[1:] if len(t) == 4), None) or DEFAULT_SCRIPT.get(subtags[0])


def value_lang(text: str, doc: Document) -> str | None:
    """The language of a header value the export prints in an original's language
    (a title in Russian), where it is not the English the TEI element declares.

    xml:lang is inherited (TEI 1.3.1.1.3), so a value without one is declared
    English. A Latin-script value is tagged only when its words say it is in the
    language of one of the originals (a German title of a German letter); a value
    in another script is not English, and takes the language its words point to,
    else that of the original written in its script.
    """
    ev = gather(text)
    if ev.script is None:
        return None
    originals = [p.lang for p in doc.parts if p.role in ("original", "transcription")]
    declared = language_code(doc.metadata.original_language)
    candidates = list(dict.fromkeys([*originals, *([declared] if declared else [])]))
    if ev.script == "Hani" and not (declared and writes(declared, "Hani")):
        # Han alone, no kana or Hangul: Chinese writes it, and so do Japanese (a title all
        # in kanji) and Korean (hanja), which the letters cannot tell apart. The value is in
        # the language of an original written with Han; with none, nothing says which, and
        # it is tagged as of an undetermined language in Han script (not Chinese by default).
        return next((c for c in candidates if writes(c.split("-")[0], "Hani")), "und-Hani")
    guess = ev.guess(declared)
    if guess is not None and guess.split("-")[0] != "en":
        same = [c for c in candidates if c.split("-")[0] == guess.split("-")[0]]
        if same:
            return same[0]
        if ev.script != "Latn":
            return guess
    if ev.script == "Latn":
        return None
    return next((c for c in candidates if _script(c) == ev.script), None)


def is_original_text(part: Part, meta: Metadata) -> bool:
    """Whether a part's language is the archival original's.

    A transcription (the one text of an export without a translation) is the
    original's text only when the export says so (an Original Language field), or
    when it is not in English, the language the archive translates into. An English
    text with no translator and no original language named may be the original or
    the archive's translation: the original's language is then not known.
    """
    if part.role == "original":
        return True
    if part.role != "transcription":
        return False
    return language_code(meta.original_language) is not None or part.lang.split("-")[0] != "en"


def language_note(part: Part, meta: Metadata) -> str:
    """The editorialDecl paragraph on a part's language: the evidence, and what it settles."""
    note = f"Language of the {part.role} ({part.lang}): {part.lang_evidence}"
    if part.role == "transcription" and language_code(meta.original_language) is None:
        if is_original_text(part, meta):
            note += "; not in English, the language of the archive's translations, so in the original's"
        else:
            note += ("; the export does not say whether this is the original or a translation,"
                     " so the original's language is not known")
    return note + "."


def unnamed_language_note(doc: Document) -> str | None:
    """The editorialDecl paragraph keeping an Original Language the edition has no code
    (ISO 639) for, where no textLang can hold it: without it the export's words would
    vanish from the edition. None when there is no such language."""
    declared = doc.metadata.original_language
    if not declared or language_code(declared) is not None or any(is_original_text(p, doc.metadata) for p in doc.parts):
        return None
    return (f"The export names the original's language \"{' '.join(declared.split())}\", which the edition"
            " has no language code for: no textLang records it.")


def languages_used(parts: list[Part]) -> list[str]:
    seen: list[str] = []
    for part in parts:
        if part.lang not in seen:
            seen.append(part.lang)
    return seen
