"""``edition validate``: the line format, exit status, JSON and line numbers of real problems."""

from __future__ import annotations

import codecs
import json
import re
import shutil
from pathlib import Path

import pytest

from edition import validate as validate_module
from edition.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONTRACT = ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<rule>\S+): (?P<msg>.+)$")
FAST = "--layers=edition,schematron"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", *args])
    out, err = capsys.readouterr()
    return exit_info.value.code, out, err


def _good(tmp_path: Path) -> Path:
    """The contract, made clean of the warnings and pointer errors it has as a hand-written sample."""
    text = CONTRACT.read_text(encoding="utf-8")
    text = text.replace('<application ident="edition" version="0.1.0">', '<application ident="edition" version="0.1.0" xml:id="edition">')
    path = tmp_path / "wilson-119711.xml"
    path.write_text(text, encoding="utf-8")
    return path


# The contract's original: the tests that give it another language tag write theirs here.
_ORIGINAL_DIV = '<div type="original" xml:lang="ru">'


def _good_with(tmp_path: Path, *edits: tuple[str, str]) -> Path:
    """The clean contract (:func:`_good`) with the first occurrence of each ``before``
    written as its ``after``, in order."""
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8")
    for before, after in edits:
        text = text.replace(before, after, 1)
    path.write_text(text, encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def _reported_once_at(capsys, tmp_path: Path, before: str, after: str, at: str, says: str, *,
                      only_line: bool = False) -> None:
    """The edition's schema, given the contract with ``before`` written as ``after``, reports
    ``says`` on one line (``only_line``: and reports nothing else), at the line and column
    where ``at`` begins."""
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert text.count(before) == 1
    text = text.replace(before, after)
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "--layers=edition", str(path))
    assert status == 1
    found = [m for m in map(LINE.match, out.splitlines()) if m and (only_line or says in m["msg"])]
    assert len(found) == 1 and says in found[0]["msg"], out
    line = _line_of(path, after)
    assert int(found[0]["line"]) == line
    assert text.splitlines()[line - 1][int(found[0]["col"]) - 1 :].startswith(at), out


def test_a_clean_file_exits_0_and_warnings_do_not_fail(capsys, tmp_path):
    status, out, err = run(capsys, FAST, str(_good(tmp_path)))
    assert status == 0
    lines = out.splitlines()
    assert all(LINE.match(line) and LINE.match(line)["sev"] == "warning" for line in lines)
    assert "1 file(s), 0 error(s)" in err


def test_a_broken_file_gives_file_line_col_severity_rule_message(capsys, tmp_path):
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace('<origDate when="1955-12-16">', '<origDate when="1955-13-16">')
    text = text.replace('<div type="translation" xml:lang="en">', '<div xml:lang="en">')
    text = text.replace("<funder>Leon Levy Foundation</funder>", "<funder>Leon Levy Foundation</funder><sponsor>X</sponsor>")
    text = text.replace('<title type="main">', '<title type="bogus">')
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, FAST, str(path))
    assert status == 1
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    found = {(m["rule"], int(m["line"])) for m in parsed}
    assert ("ed-date-iso", _line_of(path, "1955-13-16")) in found
    assert ("ed-div-type", _line_of(path, '<div xml:lang="en">')) in found
    assert ("edition-rng", _line_of(path, "<sponsor>")) in found
    assert all(int(m["line"]) > 0 and int(m["col"]) > 0 for m in parsed)
    # Columns point at the offending attribute or start tag.
    date = next(m for m in parsed if m["rule"] == "ed-date-iso")
    source_line = text.splitlines()[int(date["line"]) - 1]
    assert source_line[int(date["col"]) - 1 :].startswith('when="1955-13-16"')
    # RELAX NG messages say where in the ODD the allowed content is documented.
    sponsor = next(m for m in parsed if m["rule"] == "edition-rng" and "sponsor" in m["msg"])
    assert "elementSpec of titleStmt in schema/edition.odd" in sponsor["msg"]
    # A bad attribute value is reported at the attribute.
    bad_type = next(m for m in parsed if m["rule"] == "edition-rng" and "attribute type" in m["msg"])
    assert int(bad_type["line"]) == _line_of(path, 'type="bogus"')
    assert text.splitlines()[int(bad_type["line"]) - 1][int(bad_type["col"]) - 1 :].startswith('type="bogus"')
    keys = [(m["file"], int(m["line"]), int(m["col"]), m["sev"], m["rule"], m["msg"]) for m in parsed]
    assert keys == sorted(keys)


def test_all_layers_on_a_broken_file(capsys, tmp_path):
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        '<origDate when="1955-12-16">', '<origDate when="1955-12-16" notBefore="1955-12-01">'
    )
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, str(path))
    assert status == 0  # tei_all's embedded rule is "nonfatal": a warning
    line = _line_of(path, "notBefore")
    assert any(
        m and m["rule"].startswith("tei_all/") and int(m["line"]) == line for m in map(LINE.match, out.splitlines())
    ), out


def test_json_format(capsys, tmp_path):
    path = _good(tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace('xml:id="wilson-119711"', 'xml:id="wilson-9"'), encoding="utf-8")
    status, out, _ = run(capsys, FAST, "--format", "json", str(path))
    assert status == 1
    report = json.loads(out)
    assert report["files"] == 1 and report["errors"] >= 1
    rules = {f["rule"] for f in report["findings"]}
    assert "ed-id-filename" in rules
    finding = next(f for f in report["findings"] if f["rule"] == "ed-id-filename")
    assert set(finding) == {"file", "line", "column", "severity", "rule", "message", "layer"}
    assert finding["line"] == _line_of(path, 'xml:id="wilson-9"')


def test_malformed_xml_is_reported_at_its_line(capsys, tmp_path):
    path = _good(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[30] = lines[30] + "<unclosed>"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out, _ = run(capsys, FAST, str(path))
    assert status == 1
    m = LINE.match(out.splitlines()[0])
    assert m and m["rule"] == "well-formed"


def test_duplicate_ids_across_a_directory(capsys, tmp_path):
    good = _good(tmp_path)
    other = tmp_path / "wilson-119712.xml"
    shutil.copy(good, other)
    other.write_text(other.read_text(encoding="utf-8").replace('xml:id="wilson-119711"', 'xml:id="wilson-119712"'), encoding="utf-8")
    status, out, _ = run(capsys, FAST, str(tmp_path))
    assert status == 1
    hits = [m for m in map(LINE.match, out.splitlines()) if m and m["rule"] == "ed-record-unique"]
    assert sorted(Path(m["file"]).name for m in hits) == ["wilson-119711.xml", "wilson-119712.xml"]


def test_usage_errors(capsys, tmp_path):
    status, _, err = run(capsys, "--layers", "bogus", str(tmp_path))
    assert status == 2 and "unknown validation layer" in err
    status, _, err = run(capsys, FAST, str(tmp_path / "missing.xml"))
    assert status == 2 and err.strip() == f"edition: error: {tmp_path / 'missing.xml'}: no such file or folder"
    (tmp_path / "notes.txt").write_text("not TEI", encoding="utf-8")
    status, _, err = run(capsys, FAST, str(tmp_path))
    assert status == 2 and err.strip() == f"edition: error: no TEI files (*.xml) in {tmp_path}"


def test_schemas_are_compiled_once_per_process(capsys, tmp_path, monkeypatch):
    path = _good(tmp_path)
    run(capsys, "--full", "--strict-tei-all", str(path))
    compiled = []
    original_sch = validate_module.Schematron.__init__
    original_rng = validate_module.etree.RelaxNG

    def counting_sch(self, *args, **kwargs):
        compiled.append("schematron")
        original_sch(self, *args, **kwargs)

    def counting_rng(*args, **kwargs):
        compiled.append("relax-ng")
        return original_rng(*args, **kwargs)

    monkeypatch.setattr(validate_module.Schematron, "__init__", counting_sch)
    monkeypatch.setattr(validate_module.etree, "RelaxNG", counting_rng)
    # --full: no validation manifest, so both runs really validate, with the schemas compiled before.
    for _ in range(2):
        status, out, _ = run(capsys, "--full", "--strict-tei-all", str(path))
        assert status == 0
    assert compiled == []


def test_process_pool_gives_the_same_findings(tmp_path, monkeypatch):
    good = _good(tmp_path)
    for n in range(1, 6):
        text = good.read_text(encoding="utf-8").replace("wilson-119711", f"wilson-{n}").replace(">119711<", f">{n}<")
        if n == 3:
            text = text.replace('when="1955-12-16"', 'when="1955-12-36"')
        (tmp_path / f"wilson-{n}.xml").write_text(text, encoding="utf-8")
    good.unlink()
    validator = validate_module.get_validator(("edition", "schematron"))
    serial, count = validator.validate_paths([tmp_path], jobs=1)
    monkeypatch.setattr(validate_module, "POOL_THRESHOLD", 2)
    pooled, count2 = validator.validate_paths([tmp_path], jobs=2)
    assert count == count2 == 5
    assert pooled == serial
    assert any(f.rule == "ed-date-iso" and f.file.endswith("wilson-3.xml") for f in serial)


def test_a_utf16_file_is_located_like_its_utf8_twin(capsys, tmp_path):
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8").replace('when="1955-12-16">December', 'when="1955-12-61">December')
    path.write_text(text, encoding="utf-8")
    _, utf8, _ = run(capsys, FAST, str(path))
    path.write_bytes(text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    _, utf16, _ = run(capsys, FAST, str(path))
    assert "ed-date-iso" in utf8 and utf16 == utf8


def test_a_utf8_file_with_a_byte_order_mark_is_checked_like_its_twin(capsys, tmp_path):
    # Editors on Windows save UTF-8 with a BOM; every layer must still see the file.
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8").replace('when="1955-12-16">December', 'when="1955-12-61">December')
    path.write_text(text, encoding="utf-8")
    _, plain, _ = run(capsys, FAST, str(path))
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    _, with_bom, _ = run(capsys, FAST, str(path))
    assert "ed-date-iso" in plain and "schematron-failed" not in with_bom
    assert with_bom == plain


def test_an_element_that_declares_its_own_prefix_is_reported_at_its_line(capsys, tmp_path):
    # An XInclude pasted in from another project declares xmlns:xi on itself, so
    # its parent has no such prefix; the finding is still the include's, not the div's.
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8")
    head = '<div type="translation" xml:lang="en">'
    text = text.replace(head, head + '\n<p>x</p>\n<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="other.xml"/>')
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "--layers=edition", str(path))
    assert status == 1
    found = [m for m in map(LINE.match, out.splitlines()) if m and "include" in m["msg"]]
    assert found, out
    line = _line_of(path, "<xi:include")
    assert {int(m["line"]) for m in found} == {line}
    assert text.splitlines()[line - 1][int(found[0]["col"]) - 1 :].startswith("<xi:include")
    assert "elementSpec of div in schema/edition.odd" in found[0]["msg"]


def test_an_xml_id_used_twice_in_a_file_is_named_as_a_duplicate(capsys, tmp_path):
    # libxml2 says only "Invalid attribute id": the finding must say which id is
    # taken, and by what, and point at the second xml:id itself.
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8")
    second = '<persName xml:id="translator-1" role="contributor">'
    text = text.replace('<persName xml:id="contributor-1" role="contributor">', second)
    path.write_text(text, encoding="utf-8")
    status, out, _ = run(capsys, "--layers=edition", str(path))
    assert status == 1
    found = [m for m in map(LINE.match, out.splitlines()) if m and m["rule"] == "edition-rng"]
    assert len(found) == 1, out
    line = _line_of(path, second)
    assert int(found[0]["line"]) == line
    assert text.splitlines()[line - 1][int(found[0]["col"]) - 1 :].startswith('xml:id="translator-1"')
    first = _line_of(path, '<persName xml:id="translator-1" role="translator">')
    assert f'xml:id "translator-1" is already that of the persName on line {first}' in found[0]["msg"]
    # A value that is not a name is a different fault, and not called a duplicate.
    path.write_text(text.replace(second, '<persName xml:id="1x" role="contributor">'), encoding="utf-8")
    status, out, _ = run(capsys, "--layers=edition", str(path))
    assert status == 1 and "already" not in out and "elementSpec of persName" in out


def test_a_utf16_file_without_an_xml_declaration_is_located_like_its_utf8_twin(capsys, tmp_path):
    # Its byte order mark says UTF-16; lxml then reports the encoding as UTF-8, and
    # the lines were counted in the UTF-16 bytes as if they were ASCII.
    path = _good(tmp_path)
    text = path.read_text(encoding="utf-8").replace('when="1955-12-16">December', 'when="1955-12-61">December')
    path.write_text(text, encoding="utf-8")
    _, utf8, _ = run(capsys, FAST, str(path))
    body = text.split("?>\n", 1)[1]
    path.write_text(body, encoding="utf-8")  # no declaration: lines shift by one
    _, undeclared, _ = run(capsys, FAST, str(path))
    assert "ed-date-iso" in utf8 and undeclared != utf8
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        path.write_bytes(bom + body.encode(codec))
        _, utf16, _ = run(capsys, FAST, str(path))
        assert utf16 == undeclared, codec


def test_datelines_that_differ_from_the_header_date_warn_and_do_not_fail(capsys, tmp_path):
    """An archive may date a document by another event (receipt, registration) than its
    datelines show; the converter records both as printed, so the build must go on and the
    editor is told where they differ."""
    seed = next((ROOT / "seeds").glob("000_*.txt"))
    source = tmp_path / "src" / seed.name
    source.parent.mkdir()
    text = seed.read_text(encoding="utf-8")
    # The header says July 7, 1957; every dateline of the body now says another day.
    text = text.replace("9 July [[195]]7", "19 July [[195]]7").replace("\n7 July 1957\n", "\n17 July 1957\n")
    source.write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        main(["convert", str(source.parent), "--out", str(tmp_path / "tei")])
    assert exit_info.value.code == 0
    capsys.readouterr()
    status, out, err = run(capsys, FAST, str(tmp_path / "tei"))
    parsed = [LINE.match(line) for line in out.splitlines()]
    dateline = [m for m in parsed if m and m["rule"] == "ed-dateline-agrees"]
    assert dateline and all(m["sev"] == "warning" for m in dateline), out
    assert status == 0, out
    assert "0 error(s)" in err


def test_a_file_converted_before_the_acronym_moved_still_validates_and_builds_alike(capsys, tmp_path):
    """Files converted before 2026-12-07 name the archive with msIdentifier/idno[@type='acronym'];
    an editor's hand-edited copy is kept by convert, so it must stay valid (with a warning that
    says how to move it) and give the same citations and harvesting sets as a new file."""
    import json as json_module

    from edition.build import build_site
    from edition.catalog_entries import read_entry
    from edition.config import Config
    from edition.render import BuildContext

    new = (ROOT / "tei" / "wilson-119711.xml").read_text(encoding="utf-8")
    assert new.count('<repository key="RGANI">') == 1
    old = new.replace('<repository key="RGANI">', "<repository>").replace(
        '<idno type="fond">', '<idno type="acronym">RGANI</idno>\n            <idno type="fond">', 1)
    sites = {}
    for name, text in (("old", old), ("new", new)):
        tei = tmp_path / name / "tei"
        tei.mkdir(parents=True)
        (tei / "wilson-119711.xml").write_text(text, encoding="utf-8")
        status, out, err = run(capsys, FAST, str(tei))
        parsed = [m for m in (LINE.match(line) for line in out.splitlines()) if m]
        assert status == 0 and "0 error(s)" in err, out
        acronym_warnings = [m for m in parsed if m["rule"] == "ed-acronym-idno"]
        if name == "old":
            assert [m["sev"] for m in acronym_warnings] == ["warning"], out
            assert "<repository key=\"RGANI\">" in acronym_warnings[0]["msg"]
        else:
            assert acronym_warnings == []
        out_dir = tmp_path / name / "site"
        build_site(BuildContext(tei_dir=tei, out_dir=out_dir, site_title="T", base_url="", edition_version="1"))
        item = json_module.loads((out_dir / "cite" / "wilson-119711.json").read_text(encoding="utf-8"))[0]
        sets = [s.spec for s in read_entry(tei / "wilson-119711.xml", Config()).sets if s.spec.startswith("archive")]
        sites[name] = (item["archive"], item.get("archive_location"), sets)
    assert sites["old"] == sites["new"]
    assert "(RGANI)" in sites["new"][0] and "archive:rgani" in [s.lower() for s in sites["new"][2]]


@pytest.mark.parametrize(
    ("before", "after", "at", "says"),
    [
        # libxml2: "Element correspAction failed to validate attributes", naming neither.
        ('<correspAction type="sent">', "<correspAction>", "<correspAction>",
         "correspAction needs the attribute type (sent, received, forwarded, redirected, transmitted)"),
        ('<correspAction type="sent">', '<correspAction type="send">', 'type="send"',
         'type="send" is not one of the values it may take: sent, received'),
        # libxml2: "Invalid attribute cert", as for an attribute origDate does not take.
        ('<origDate when="1955-12-16">', '<origDate when="1955-12-16" cert="sure">', 'cert="sure"',
         'cert="sure" is not one of the values it may take: high, medium, low, unknown'),
        ('<origDate when="1955-12-16">', '<origDate when="1955-12-16" certainty="high">', 'certainty="high"',
         "origDate takes no attribute certainty (it takes: cert, "),
        # libxml2: "Invalid attribute lang", for the xml:lang the editor wrote.
        ('<note type="shape">', '<note type="shape" xml:lang="ru_RU">', 'xml:lang="ru_RU"',
         "Invalid attribute xml:lang for element note"),
        # libxml2: "Type language doesn't allow value 'ru_RU'", of no attribute.
        (_ORIGINAL_DIV, '<div type="original" xml:lang="ru_RU">', 'xml:lang="ru_RU"',
         "Type language doesn't allow value 'ru_RU' (the value of xml:lang)"),
    ],
)
def test_an_attribute_error_names_the_attribute_and_what_it_may_be(capsys, tmp_path, before, after, at, says):
    _reported_once_at(capsys, tmp_path, before, after, at, says)


@pytest.mark.parametrize(
    ("before", "after", "at", "says"),
    [
        # "Did not expect element persname there" alone sends the editor to correspAction's
        # content model, which lists persName: the slip is the spelling.
        ("<persName>Radmanesh</persName>", "<persname>Radmanesh</persname>", "<persname>",
         "the edition has no element persname; did you mean persName?"),
        # Valid TEI, but not an element of this edition.
        ("<p>Генеральный секретарь", "<p><emph>Генеральный</emph> секретарь", "<emph>",
         "the edition has no element emph"),
        # A p refused inside a div, where p belongs: an xmlns put it in another namespace.
        ("<p>Генеральный секретарь", '<p xmlns="http://example.org/x">Генеральный секретарь', "<p xmlns",
         "this p is in the namespace http://example.org/x, not TEI's (http://www.tei-c.org/ns/1.0)"),
        ("<p>Генеральный секретарь", '<p xmlns="">Генеральный секретарь', "<p xmlns",
         "this p is in no namespace, not TEI's"),
    ],
)
def test_an_unexpected_element_says_what_it_is_when_its_name_misleads(capsys, tmp_path, before, after, at, says):
    _reported_once_at(capsys, tmp_path, before, after, at, says)


@pytest.mark.parametrize("value", ["", "ru_RU", "r u"])
def test_a_wrong_value_is_one_line_not_two(capsys, tmp_path, value):
    # libxml2 follows "Type language doesn't allow value ''" with "Element div failed to
    # validate attributes", which says nothing more: one slip was two errors.
    after = f'<div type="original" xml:lang="{value}">'
    path = _good_with(tmp_path, (_ORIGINAL_DIV, after))
    status, out, _ = run(capsys, "--layers=edition", str(path))
    assert status == 1
    found = [m for m in map(LINE.match, out.splitlines()) if m]
    assert len(found) == 1, out
    assert f"doesn't allow value '{value}' (the value of xml:lang)" in found[0]["msg"]
    assert int(found[0]["line"]) == _line_of(path, after)
    # A second slip in the element is still its own line.
    path = _good_with(tmp_path, (_ORIGINAL_DIV, f'<div type="orignal" xml:lang="{value}">'))
    status, out, _ = run(capsys, "--layers=edition", str(path))
    messages = [m["msg"] for m in map(LINE.match, out.splitlines()) if m]
    assert len(messages) == 2 and any('type="orignal" is not one of the values' in m for m in messages), out


DOCTYPES = "cable, telegram, letter, memorandum, resolution, decree, report, minutes, conversation, statement, note, other"


@pytest.mark.parametrize(
    ("before", "after", "at", "says"),
    [
        # term's type is defined in each branch of a choice (its value decides the content):
        # libxml2 said "Element term failed to validate content", and the values of only
        # the last branch were known, so no line named the attribute or what it may be.
        ('<term type="doctype">letter</term>', '<term type="doctyp">letter</term>', 'type="doctyp"',
         'type="doctyp" is not one of the values it may take: doctype, classification, subject'),
        ('<term type="classification">', '<term type="clasification">', 'type="clasification"',
         'type="clasification" is not one of the values it may take: doctype, classification, subject'),
        ('<term type="doctype">letter</term>', "<term>letter</term>", "<term>",
         "term needs the attribute type (doctype, classification, subject), which decides what it holds"),
        # With "Error validating value ", naming nothing, on a line of its own.
        ('<term type="doctype">letter</term>', '<term type="doctype">lettre</term>', '<term type="doctype">lettre',
         f'a term of type="doctype" holds one of: {DOCTYPES}, not "lettre"'),
        ('<term type="classification">Strictly Secret', '<term type="doctype">Strictly Secret', '<term type="doctype">Strictly',
         f'a term of type="doctype" holds one of: {DOCTYPES}, not "Strictly Secret"'),
        # libxml2 gave the hi's place, and "Value element term has child elements" too.
        ('<term type="doctype">letter</term>', '<term type="doctype"><hi>letter</hi></term>', '<term type="doctype"><hi>',
         f'a term of type="doctype" holds one of: {DOCTYPES}, not the element hi'),
    ],
)
def test_a_term_says_which_type_and_content_it_may_have(capsys, tmp_path, before, after, at, says):
    _reported_once_at(capsys, tmp_path, before, after, at, says, only_line=True)  # one slip, one line


def test_langusage_names_the_language_tags_as_the_file_writes_them(capsys, tmp_path):
    # The tags are compared case-blind; an editor searching the file for the one the
    # message names must find it (the message once gave "ru-ru" for xml:lang="ru-RU").
    path = _good_with(tmp_path, (_ORIGINAL_DIV, '<div type="original" xml:lang="ru-RU">'),
                      ('<language ident="ru">', '<language ident="uk-UA">'))
    status, out, _ = run(capsys, "--layers=schematron", str(path))
    assert status == 1
    found = {m["rule"]: m["msg"] for m in map(LINE.match, out.splitlines()) if m and m["rule"].startswith("ed-langusage")}
    assert 'The text uses ru-RU, which langUsage does not list: add language ident="ru-RU"' in found["ed-langusage-missing"], out
    assert "langUsage lists uk-UA, which no part" in found["ed-langusage-extra"], out


@pytest.mark.parametrize("value", ["russian", "Russian", "", "ru_RU"])
def test_a_language_name_for_a_tag_is_named_once_with_what_to_write(capsys, tmp_path, value):
    # "russian" passes RELAX NG's language datatype; the Schematron then said "add
    # language ident="russian"" to langUsage and "remove ru", the tag it was meant to be.
    after = f'<div type="original" xml:lang="{value}">'
    path = _good_with(tmp_path, (_ORIGINAL_DIV, after))
    status, out, _ = run(capsys, "--layers=schematron", str(path))
    assert status == 1
    found = [m for m in map(LINE.match, out.splitlines()) if m and m["sev"] == "error"]
    assert [m["rule"] for m in found] == ["ed-lang-tag"], out
    assert f'xml:lang="{value}" is not a BCP 47 language tag' in found[0]["msg"] and "(ru, en, az-Cyrl" in found[0]["msg"]
    line = _line_of(path, after)
    assert int(found[0]["line"]) == line
    assert path.read_text(encoding="utf-8").splitlines()[line - 1][int(found[0]["col"]) - 1 :].startswith(f'xml:lang="{value}"')
