"""Encodings, line ends and illegal characters (issue 8, item 2).

The same export saved in every supported encoding and with every line end
must give the same TEI apart from the header's record of how it was read
(the source file's checksum and the encoding note). What cannot be read with
confidence is an error naming the file.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from edition.convert import convert_source
from edition.errors import EditionError
from edition.model import Document
from edition.sources.decode import decode_source
from robust_support import NS, ROBUST_FIXTURES, SEEDS, check_tei

RUSSIAN = ROBUST_FIXTURES / "russian_letter.md"
ENCODING_NOTE = "string(//tei:sourceDesc/tei:bibl[@type='export']/tei:note[@type='encoding'])"


def encodable(text: str, codec: str) -> str:
    """``text`` with the characters ``codec`` lacks replaced by ASCII look-alikes."""
    out = []
    for ch in text:
        try:
            ch.encode(codec)
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode() or "?"
            out.append(plain)
    return "".join(out)


def comparable(data: bytes) -> bytes:
    """The TEI without what legitimately depends on the bytes of the source."""
    root = etree.fromstring(data)
    for xpath in (
        "//tei:sourceDesc/tei:bibl[@type='export']/tei:note[@type='encoding']",
        "//tei:sourceDesc/tei:bibl[@type='export']/tei:idno[@type='sha256']",
        "//tei:sourceDesc/tei:bibl[@type='export']/tei:idno[@type='filename']",
    ):
        for el in root.xpath(xpath, namespaces=NS):
            el.text = ""
    # The checksum PI follows the root element, so tostring(root) leaves it out.
    text = etree.tostring(root, encoding="unicode")
    return text.replace("source.txt", "").replace("source.md", "").encode()


def convert_bytes(tmp_path: Path, data: bytes, name: str = "source.md") -> tuple[bytes, etree._Element]:
    path = tmp_path / name
    path.write_bytes(data)
    _, tei = convert_source(path)
    return tei, etree.fromstring(tei)


ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "byte-order mark"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    # Without a byte-order mark: the NULs on one side of the pairs of bytes tell it.
    ("utf-16-le", b"", "UTF-16-LE without a byte-order mark"),
    ("utf-16-be", b"", "UTF-16-BE without a byte-order mark"),
    ("cp1251", b"", "windows-1251"),
    ("koi8_r", b"", "koi8-r"),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """UTF-8/LF conversions of each test text, per legacy code page's repertoire."""
    tmp = tmp_path_factory.mktemp("enc-ref")
    out = {}
    for codec in ("utf-8", "cp1251", "koi8_r"):
        text = encodable(RUSSIAN.read_text(encoding="utf-8"), codec)
        out[codec] = comparable(convert_bytes(tmp, text.encode("utf-8"))[0])
    return out


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"], ids=["LF", "CRLF", "CR"])
@pytest.mark.parametrize(("codec", "bom", "recorded"), ENCODINGS, ids=[f"{c}{'+bom' if b else ''}" for c, b, _ in ENCODINGS])
def test_every_encoding_and_line_end_gives_the_same_tei(
    tmp_path: Path, reference: dict[str, bytes], tei_all_validator, codec: str, bom: bytes, recorded: str, eol: str
) -> None:
    repertoire = codec if codec in ("cp1251", "koi8_r") else "utf-8"
    text = encodable(RUSSIAN.read_text(encoding="utf-8"), repertoire).replace("\n", eol)
    tei, root = convert_bytes(tmp_path, bom + text.encode(codec))
    check_tei(tei, tmp_path / "source.md", tei_all_validator)
    note = root.xpath(ENCODING_NOTE, namespaces=NS)
    assert recorded in note, note
    assert comparable(tei) == reference[repertoire]
    assert "МИНИСТЕРСТВО" in "".join(root.itertext())


@pytest.mark.parametrize("seed", SEEDS, ids=[p.name for p in SEEDS])
@pytest.mark.parametrize("eol", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_seeds_with_other_line_ends_are_unchanged(tmp_path: Path, seed: Path, eol: str) -> None:
    raw = seed.read_bytes()
    lf = convert_bytes(tmp_path, raw, "source.txt")[0]
    other = convert_bytes(tmp_path, raw.replace(b"\n", eol.encode()), "source.txt")[0]
    assert comparable(other) == comparable(lf)


def test_mixed_line_ends_are_normalised() -> None:
    decoded = decode_source(b"a\r\nb\rc\nd\r\n\r\ne", Path("mixed.txt"))
    assert decoded.text == "a\nb\nc\nd\n\ne"


def test_nul_and_c0_controls_are_removed_with_a_warning(tmp_path: Path, tei_all_validator) -> None:
    seed = SEEDS[0].read_bytes()
    lines = seed.split(b"\n")
    controls = bytes([0, 1, 7, 8, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F])
    lines[4] = lines[4][:3] + controls + lines[4][3:]
    lines[9] += b"\x00"
    path = tmp_path / "with-controls" / "source.txt"
    path.parent.mkdir()
    path.write_bytes(b"\n".join(lines))
    doc, tei = convert_source(path)
    assert not any(chr(c).encode() in tei for c in controls if c not in (0x09, 0x0A, 0x0D))
    check_tei(tei, path, tei_all_validator)
    assert doc.warnings and "line 5" in doc.warnings[0] and "10 control character" in doc.warnings[0]  # type: ignore[attr-defined]
    assert comparable(tei) == comparable(convert_bytes(tmp_path, seed, "source.txt")[0])


def test_utf16_controls_and_noncharacters_are_removed(tmp_path: Path) -> None:
    text = RUSSIAN.read_text(encoding="utf-8").replace("Сегодня", "Сег\x00од\ufffeня\uffff", 1)
    tei, _ = convert_bytes(tmp_path, codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert "\ufffe".encode() not in tei and b"\x00" not in tei
    assert "Сегодня".encode() in tei


def test_tab_and_unusual_spaces_survive_as_text(tmp_path: Path) -> None:
    text = RUSSIAN.read_text(encoding="utf-8").replace("Сегодня состоялась", "Сегодня\tсостоялась\u00a0\u2009\u200b", 1)
    tei, root = convert_bytes(tmp_path, text.encode("utf-8"))
    assert "Сегодня" in "".join(root.itertext())


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("empty", b"", "empty file"),
        ("blank", b" \n\r\n\t \n", "empty file"),
        ("bom-only", codecs.BOM_UTF8, "no text"),
        ("utf16-bom-only", codecs.BOM_UTF16_LE, "no text"),
        ("utf16-odd-length", codecs.BOM_UTF16_LE + "Да".encode("utf-16-le") + b"\x00", "invalid UTF-16"),
        ("utf16-lone-surrogate", codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", "invalid UTF-16"),
        # Read as UTF-16 (no byte-order mark), it is a line of text, not an export.
        ("utf16-without-bom", "Письмо послу о поставках зерна".encode("utf-16-le") * 10, "no known export shape"),
        ("utf32", "Письмо послу о поставках зерна".encode("utf-32-le") * 10, "binary"),
        ("utf16-odd-length-without-bom", "Письмо послу".encode("utf-16-le") * 10 + b"x", "binary"),
        ("binary", bytes(range(256)) * 16, "binary"),
        ("latin-1", ("Déjà vu: le café où la réunion a eu lieu. Été, naïve, façade. " * 20).encode("latin-1"), "not valid UTF-8"),
        ("few-cyrillic-bytes", b"Report \xc4\xe0 on the talks, " * 3, "not valid UTF-8"),
        ("invalid-utf8-in-ascii", b"Skip to content\n\nMarch 3, 1962\n\nA \xff\xfe\xfd telegram\n", "not valid UTF-8"),
    ],
)
def test_unreadable_bytes_are_a_clear_error(tmp_path: Path, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    with pytest.raises(EditionError) as info:
        convert_source(path)
    assert info.value.path == path
    assert expected in str(info.value), str(info.value)


def test_undecidable_legacy_text_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Skip to content\n\nMarch 3, 1962\n\nle caf\xe9 o\xf9 la r\xe9union\n")
    with pytest.raises(EditionError) as info:
        convert_source(path)
    assert info.value.line == 5
    assert str(info.value).startswith(f"{path}:5: ")


def test_legacy_detection_is_recorded_with_its_evidence(tmp_path: Path) -> None:
    for codec, name in (("cp1251", "windows-1251"), ("koi8_r", "koi8-r")):
        text = encodable(RUSSIAN.read_text(encoding="utf-8"), codec)
        _, root = convert_bytes(tmp_path, text.encode(codec))
        note = root.xpath(ENCODING_NOTE, namespaces=NS)
        assert note.startswith(name) and "not valid UTF-8" in note and "%" in note, note


def test_ascii_only_legacy_file_is_plain_utf8(tmp_path: Path) -> None:
    """ASCII is valid UTF-8: no guess is recorded for a file without any high byte."""
    raw = SEEDS[0].read_bytes()
    if any(b > 0x7F for b in raw):
        raw = encodable(raw.decode("utf-8"), "ascii").encode("ascii")
    _, root = convert_bytes(tmp_path, raw, "source.txt")
    assert root.xpath(ENCODING_NOTE, namespaces=NS) == "utf-8"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x1c"], ids=["LS", "PS", "NEL", "FS"])
def test_unicode_line_separators_are_text_not_line_ends(tmp_path: Path, tei_all_validator, separator: str) -> None:
    """Exports count lines at LF only; a U+2028 inside a paragraph must not shift the fidelity check's lines."""
    text = RUSSIAN.read_text(encoding="utf-8").replace("Today a conversation", f"Today{separator} a conversation", 1)
    path = tmp_path / "sep" / "source.md"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    from robust_support import check_source

    result = check_source(path, tei_all_validator)
    assert result.error is None, result.error


def test_english_windows_1252_export_is_read_with_a_warning(tmp_path: Path, tei_all_validator) -> None:
    """An English export saved by a Windows editor: curly quotes, dashes and é as single bytes."""
    seed = next(p for p in SEEDS if "émigré" in p.read_text(encoding="utf-8"))
    text = seed.read_text(encoding="utf-8").replace("'", "\u2019").replace(" - ", " \u2013 ")
    text = text.replace("Democratic Party", "\u201cDemocratic Party\u201d", 1)
    path = tmp_path / "cp1252" / "source.txt"
    path.parent.mkdir()
    path.write_bytes(text.encode("cp1252"))
    doc, tei = convert_source(path)
    check_tei(tei, path, tei_all_validator)
    from robust_support import check_fidelity

    check_fidelity(path, doc, etree.fromstring(tei))
    assert doc.source.encoding == "windows-1252"
    line = text[: text.index("é")].count("\n") + 1
    assert any(w.startswith(f"line {line}: ") and "Windows-1252" in w for w in doc.warnings), doc.warnings  # type: ignore[attr-defined]
    assert "émigré" in tei.decode("utf-8") and "\u201cDemocratic Party\u201d" in tei.decode("utf-8")
    assert comparable(tei) == comparable(convert_bytes(tmp_path, text.encode("utf-8"), "source.txt")[0])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        # Windows-1254 Turkish/Azerbaijani: ş ğ ı would read as þ ð ý.
        ("cp1254", ("Bu mektup Ba\u015fkan\u0131n de\u011fil, s\u0131n\u0131r\u0131n i\u015fidir. " * 10).encode("cp1254")),
        # UTF-8 with one byte of another encoding: no single code page reads it.
        ("mixed", "The émigré wrote “at once”.\n".encode("utf-8") * 5 + b"A caf\xe9 in Baku.\n"),
        # A text dense with accents is not English; its code page cannot be told.
        ("french", ("Le comité a décidé à l'unanimité, réunion d'été. " * 10).encode("cp1252")),
    ],
)
def test_windows_1252_is_not_guessed_without_evidence(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    with pytest.raises(EditionError) as info:
        convert_source(path)
    assert info.value.path == path and "not valid UTF-8" in str(info.value), str(info.value)


# The structural lines of the seeds: navigation, the date, labels (alone, with a
# colon, in Markdown bold) and the Markdown viewer's tab names.
_STRUCTURAL = re.compile(
    r"^(?:Skip to content|\*\*[^*]+:\*\*|\*\*[A-Z][a-z]+ \d+, \d{4}\*\*|[A-Z][a-z]+ \d+, \d{4}|Translation - English"
    r"|Original Scan|Document Information|Source|Rights|Record ID|Original Uploaded Date|Original Archive|Type"
    r"|Language|Author\(s\):|Associated \w+|Original Classification)$"
)


def _reading(doc: Document) -> tuple[object, ...]:
    m = doc.metadata
    return (doc.id, doc.source.shape, m.title, m.date and m.date.when, m.record_id, m.original_language, m.archive,
            m.citation, m.summary, m.rights, m.doc_type, m.keywords, m.source_url, m.funders,
            [(p.role, p.lang) for p in doc.parts])


@pytest.mark.parametrize("char", ["\u200b", "\u200d", "\ufeff", "\u2060", "\u200e", "\u00ad", "\u00a0"],
                         ids=["ZWSP", "ZWJ", "BOM", "WJ", "LRM", "SHY", "NBSP"])
@pytest.mark.parametrize("seed", SEEDS, ids=[p.name[:3] for p in SEEDS])
def test_invisible_characters_in_structural_lines_are_seen_through(
    tmp_path: Path, tei_all_validator, seed: Path, char: str
) -> None:
    """A zero-width space, joiner, BOM or the like around (or a no-break space
    inside) a label, the date or the navigation line reads as without it, and the
    text keeps the character: every word is still in its place."""
    lines = seed.read_text(encoding="utf-8").split("\n")
    changed = 0
    for i, line in enumerate(lines):
        if _STRUCTURAL.match(line.strip()):
            lines[i] = line.replace(" ", "\u00a0", 1) if char == "\u00a0" else char + line + char
            changed += 1
    assert changed > 2
    path = tmp_path / seed.name
    path.write_text("\n".join(lines), encoding="utf-8")
    doc, tei = convert_source(path, "wilson")
    assert _reading(doc) == _reading(convert_source(seed, "wilson")[0])
    from robust_support import check_fidelity

    check_fidelity(path, doc, check_tei(tei, path, tei_all_validator))


@pytest.mark.parametrize("char", ["\u200b", "\u00ad", "\u2060", "\ufeff"], ids=["ZWSP", "SHY", "WJ", "BOM"])
@pytest.mark.parametrize("printed", ["RGANI, f.{c} 5, op. 30, d. 189.", "RGA{c}NI, f. 5, op. 30, d. 189.",
                                     "RGANI, f. 5, op. 3{c}0, d. 189.", "RGANI, f. 5, op. 30, d.{c} 189{c}."])
def test_invisible_characters_inside_an_archival_citation_are_seen_through(tmp_path: Path, printed: str, char: str) -> None:
    """A zero-width space, soft hyphen, word joiner or BOM after a label, inside the
    acronym or a number left the reference unsplit (or split short: "3\\u200b0" gave the
    opis 3); the parts are read through it, the verbatim citation keeps it, and the
    Schematron that compares the two reads it the same way."""
    from edition.validate import get_validator
    from robust_support import check_fidelity

    seed = SEEDS[0]
    assert seed.name.startswith("000")
    reference = printed.format(c=char)
    path = tmp_path / seed.name
    path.write_text(seed.read_text(encoding="utf-8").replace("RGANI, f. 5, op. 30, d. 189.", reference), encoding="utf-8")
    doc, tei = convert_source(path, "wilson")
    archive, expected = doc.metadata.archive, convert_source(seed, "wilson")[0].metadata.archive
    assert archive is not None and expected is not None
    assert archive.verbatim.startswith(reference)
    assert (archive.repository_acronym, archive.repository_name, archive.collection, archive.fond, archive.opis,
            archive.delo, archive.reel) == (expected.repository_acronym, expected.repository_name, expected.collection,
                                            expected.fond, expected.opis, expected.delo, expected.reel)
    root = etree.fromstring(tei)
    check_fidelity(path, doc, root)
    out = tmp_path / f"{doc.id}.xml"
    out.write_bytes(tei)
    findings = [f.format() for f in get_validator(("edition", "schematron")).validate_file(out) if f.severity == "error"]
    assert findings == []


def test_the_schematron_sees_through_the_invisible_characters_the_readers_do() -> None:
    from edition.sources.layout import _INVISIBLES
    from edition.validate import EDITION_SCH

    sch = EDITION_SCH.read_text(encoding="utf-8")
    cls = re.search(r'<xsl:function name="ed:visible".*?replace\(\$value, \'\[([^\]]*)\]\'', sch, re.DOTALL)
    assert cls is not None
    ranges = re.findall(r"&#x([0-9A-F]+);(?:-&#x([0-9A-F]+);)?", cls[1])
    listed = {chr(c) for a, b in ranges for c in range(int(a, 16), int(b or a, 16) + 1)}
    assert listed == set(_INVISIBLES)


def test_utf16_without_a_byte_order_mark_is_read_with_a_warning(tmp_path: Path) -> None:
    utf8 = comparable(convert_bytes(tmp_path, SEEDS[1].read_bytes(), "source.txt")[0])
    path = tmp_path / "source.txt"
    path.write_bytes(SEEDS[1].read_text(encoding="utf-8").encode("utf-16-le"))
    doc, tei = convert_source(path)
    assert doc.source.encoding == "utf-16-le"
    assert any("UTF-16-LE without a byte-order mark" in w for w in doc.warnings)  # type: ignore[attr-defined]
    assert comparable(tei) == utf8
