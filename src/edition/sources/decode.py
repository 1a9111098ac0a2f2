"""From the bytes of an export to clean text.

Exports arrive with or without a BOM, in UTF-8 or UTF-16, now and then in a
legacy Cyrillic code page or (English ones) in Windows-1252, with CR, CRLF or
LF line ends, and sometimes with control characters that XML cannot carry. Everything downstream sees plain
``str`` with LF line ends and no XML-illegal characters; what was done is
recorded so the TEI header can say how the text was read.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path

from edition.errors import SourceError

# C0 controls other than TAB, LF, CR, plus DEL and the non-characters XML 1.0 forbids.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
MIN_LEGACY_LETTERS = 20
# What a high byte of an English Windows-1252 export stands for: typographic
# punctuation and symbols, or a Western letter in a loanword or name ("émigré").
# Ð ð Ý ý Þ þ are left out: they are where Windows-1254 has the Turkish and
# Azerbaijani ğ ı ş, which that code page's texts are full of.
_CP1252_SYMBOLS = frozenset("\u00a0‘’‚“”„–—…•†‡‰‹›€™°±§¶©®«»¢£¥¤¦¨¬¯²³´µ·¸¹º¼½¾¿¡×÷ˆ˜ƒ\u00ad")
_CP1252_LETTERS = frozenset("ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜßàáâãäåæçèéêëìíîïñòóôõöøùúûüÿŠšŽžŒœŸ")
# A word with a non-ASCII letter in at most one word of ten: English with names and
# loanwords, not a text in another Western language (whose code page may differ).
MAX_CP1252_WORD_SHARE = 0.1
# A well-formed UTF-8 sequence of two bytes or more: a file that has them and also
# bytes UTF-8 rejects mixes encodings, and no single code page reads it.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclass
class DecodedText:
    text: str
    encoding: str
    note: str = ""  # how the encoding was determined, when it was not plain UTF-8
    warnings: list[str] = field(default_factory=list)


def _legacy_cyrillic(data: bytes, path: Path) -> tuple[str, str, str]:
    """Choose between Windows-1251 and KOI8-R by which yields more plausible Russian.

    Both decode any byte string, so the choice rests on evidence: the share of
    common lower-case Cyrillic letters among all Cyrillic letters is high for the
    right code page and low for the wrong one (which yields mostly capitals).
    """
    scores: dict[str, float] = {}
    texts: dict[str, str] = {}
    common = set("оеаинтсрвлкмдпуяыьгзбчйхжшюцщэфъё")
    for enc in ("cp1251", "koi8_r"):
        text = data.decode(enc, errors="strict") if enc == "koi8_r" else data.decode(enc, errors="replace")
        letters = _CYRILLIC.findall(text)
        # A Latin text with accented letters also "decodes" as Cyrillic, but into
        # words that mix scripts ("Dйjа"); real Cyrillic text has whole words.
        words = [w for w in re.findall(r"\w+", text) if _CYRILLIC.search(w)]
        mixed = sum(1 for w in words if re.search(r"[A-Za-z]", w))
        # A handful of stray high bytes always "decodes" into a few plausible
        # letters; without real evidence (a few words' worth) nothing is chosen.
        if len(letters) < MIN_LEGACY_LETTERS or mixed > len(words) / 10:
            scores[enc] = 0.0
        else:
            scores[enc] = sum(ch in common for ch in letters) / len(letters)
        texts[enc] = text
    best = max(scores, key=scores.__getitem__)
    other = min(scores, key=scores.__getitem__)
    if scores[best] < 0.5 or scores[best] - scores[other] < 0.2:
        raise SourceError(
            "text is not UTF-8 and no legacy encoding could be determined with confidence "
            f"(Windows-1251 {scores['cp1251']:.0%}, KOI8-R {scores['koi8_r']:.0%} plausible Cyrillic); "
            "convert the file to UTF-8",
            path,
        )
    name = {"cp1251": "windows-1251", "koi8_r": "koi8-r"}[best]
    note = (
        f"not valid UTF-8; decoded as {name}, which gives {scores[best]:.0%} common Russian "
        f"lower-case letters against {scores[other]:.0%} for the alternative"
    )
    return texts[best], name, note


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, "utf-16-le" or "utf-16-be") for UTF-16 saved without a byte-order mark, else None.

    Its tell is a NUL in every code unit of Latin text, and in the spaces, digits and
    punctuation of any other: on one side of the pairs of bytes, and on the other
    only for the rare character whose code ends in 00 ("─", U+2500). Binary data has
    NULs on both sides, or does not decode, or decodes into control characters; a
    text export has none but tab and line ends.
    """
    if len(data) % 2:
        return None
    low, high = data[0::2].count(0), data[1::2].count(0)
    # A NUL in one code unit of twenty at least (a Russian text's spaces give more).
    if min(low, high) > max(low, high) // 20 or max(low, high) < len(data) // 40:
        return None
    codec = "utf-16-le" if high else "utf-16-be"
    try:
        text = data.decode(codec, errors="strict")
    except UnicodeDecodeError:
        return None
    if _ILLEGAL_XML.search(text):
        return None
    return text, codec


def _windows_1252(data: bytes) -> str | None:
    """The text as Windows-1252 when that is the plausible reading of an English
    export, else None.

    Any byte string but five decodes as Windows-1252, so the reading must make
    sense: every character outside ASCII is typographic punctuation, a symbol or a
    Western letter; a letter stands in a word that is mostly ASCII ("émigré" in an
    English text, never a whole word of accents as Cyrillic read in the wrong code
    page gives); and few words have one at all.
    """
    if _UTF8_SEQUENCE.search(data):
        return None
    try:
        text = data.decode("cp1252", errors="strict")
    except UnicodeDecodeError:
        return None
    words = re.findall(r"\w+", text)
    accented = [w for w in words if not w.isascii()]
    for ch in set(text):
        if ch.isascii() or ch in _CP1252_SYMBOLS:
            continue
        if ch not in _CP1252_LETTERS:
            return None
    ascii_letters = sum(c.isascii() and c.isalpha() for w in accented for c in w)
    other_letters = sum(not c.isascii() for w in accented for c in w)
    if other_letters and ascii_letters < other_letters:
        return None
    if len(accented) > MAX_CP1252_WORD_SHARE * len(words):
        return None
    return text


def decode_source(data: bytes, path: Path) -> DecodedText:
    """Decode an export, or raise :class:`SourceError` naming the file and the reason."""
    if not data.strip():
        raise SourceError("empty file", path)
    note = ""
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8"
        note = "UTF-8 with byte-order mark"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text, encoding = data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise SourceError(f"UTF-16 byte-order mark but invalid UTF-16 at byte {exc.start}", path) from None
        note = "UTF-16 with byte-order mark"
    elif data.count(b"\x00") > max(1, len(data) // 100):
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise SourceError("binary file (NUL bytes), not a text export", path)
        text, encoding = utf16
        note = f"{encoding.upper()} without a byte-order mark (NUL bytes on one side of the pairs of bytes only)"
        warnings.append(f"read as {encoding.upper()} without a byte-order mark; save the file as UTF-8, "
                        "or with a byte-order mark, so that its encoding is not a guess")
    else:
        try:
            text, encoding = data.decode("utf-8", errors="strict"), "utf-8"
        except UnicodeDecodeError as exc:
            if _looks_binary(data):
                raise SourceError("binary file, not a text export", path) from None
            line = data[: exc.start].count(b"\n") + 1
            try:
                text, encoding, note = _legacy_cyrillic(data, path)
            except SourceError:
                western = _windows_1252(data)
                if western is None:
                    raise SourceError(
                        f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}) and not a recognisable "
                        "legacy Cyrillic or English Windows-1252 encoding",
                        path,
                        line,
                    ) from None
                text, encoding = western, "windows-1252"
                note = ("not valid UTF-8; decoded as windows-1252, in which every character outside ASCII is "
                        "punctuation, a symbol or a Western letter in a mostly English word")
                # A guess, however safe: the editor should look at the characters, or save the export as UTF-8.
                warnings.append(
                    f"line {line}: not valid UTF-8; read as Windows-1252 (byte 0x{data[exc.start]:02x} as "
                    f"{data[exc.start:exc.start + 1].decode('cp1252')!r}); check its special characters, or save the file as UTF-8"
                )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    illegal = _ILLEGAL_XML.findall(text)
    if illegal:
        first = _ILLEGAL_XML.search(text)
        assert first is not None
        line = text.count("\n", 0, first.start()) + 1
        warnings.append(
            f"line {line}: removed {len(illegal)} control character(s) that XML cannot hold "
            f"(first U+{ord(illegal[0]):04X})"
        )
        text = _ILLEGAL_XML.sub("", text)
    if not text.strip():
        raise SourceError("no text after decoding", path)
    return DecodedText(text=text, encoding=encoding, note=note, warnings=warnings)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    control = sum(b < 0x09 or 0x0E <= b < 0x20 for b in sample)
    return control > len(sample) // 20
