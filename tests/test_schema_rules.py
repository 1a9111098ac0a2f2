"""Every rule of schema/edition.sch: a document that triggers it and one that passes.

Fixtures live in tests/fixtures/schema/rules/<rule-id>.fail.xml and .pass.xml. A processing
instruction ``<?edition-test stem="..." other-doc-ids="..." other-record-ids="..."?>`` sets the
collection parameters; ``<!--expect-->`` ends the line where a failing fixture's finding must be
reported.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from edition.schematron import SCH
from edition.validate import EDITION_SCH, Validator, get_validator

RULES_DIR = Path(__file__).resolve().parent / "fixtures" / "schema" / "rules"


def _schema_checks() -> list[etree._Element]:
    tree = etree.parse(str(EDITION_SCH))
    return tree.xpath("//sch:assert | //sch:report", namespaces={"sch": SCH})


RULE_IDS = sorted(check.get("id") for check in _schema_checks())


@pytest.fixture(scope="module")
def schematron() -> Validator:
    return get_validator(("schematron",))


def _run(validator: Validator, path: Path):
    data = path.read_bytes()
    params = {}
    pi = re.search(rb"<\?edition-test (.*?)\?>", data)
    if pi:
        params = dict(re.findall(r'([\w-]+)="([^"]*)"', pi.group(1).decode()))
    return validator.validate_bytes(
        data,
        str(path),
        stem=params.get("stem", ""),
        other_doc_ids=params.get("other-doc-ids", "").split(),
        other_record_ids=params.get("other-record-ids", "").split(),
    )


def test_every_check_has_a_stable_id_role_and_message():
    checks = _schema_checks()
    ids = [c.get("id") for c in checks]
    assert all(ids) and len(ids) == len(set(ids))
    for check in checks:
        assert check.get("role") in {"error", "warning"}, check.get("id")
        message = " ".join("".join(check.itertext()).split())
        assert ":" in message and len(message) > 40, f"{check.get('id')}: say what is wrong and how to fix it"


def test_every_rule_has_a_failing_and_a_passing_fixture():
    fixtures = {p.name for p in RULES_DIR.glob("*.xml")}
    expected = {f"{rule}.{kind}.xml" for rule in RULE_IDS for kind in ("fail", "pass")}
    assert expected <= fixtures, sorted(expected - fixtures)
    assert fixtures <= expected, f"fixtures for unknown rules: {sorted(fixtures - expected)}"


def test_the_odd_lists_every_rule():
    odd = (Path(__file__).resolve().parent.parent / "schema" / "edition.odd").read_text(encoding="utf-8")
    listed = set(re.findall(r"<ident>(ed-[a-z0-9-]+)</ident>", odd))
    assert set(RULE_IDS) <= listed, sorted(set(RULE_IDS) - listed)
    assert listed <= set(RULE_IDS), f"the ODD names rules that do not exist: {sorted(listed - set(RULE_IDS))}"


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_fires_on_its_failing_fixture_at_the_marked_line(schematron, rule):
    path = RULES_DIR / f"{rule}.fail.xml"
    findings = [f for f in _run(schematron, path) if f.rule == rule]
    assert findings, f"{rule} did not fire on {path.name}"
    lines = path.read_text(encoding="utf-8").splitlines()
    marked = [i for i, line in enumerate(lines, 1) if line.rstrip().endswith("<!--expect-->")]
    assert marked, f"{path.name} has no <!--expect--> marker"
    # The finding is reported where the offending element or attribute starts.
    assert {f.line for f in findings} <= set(range(marked[0] - 1, marked[0] + 1)) | set(marked)
    check = next(c for c in _schema_checks() if c.get("id") == rule)
    assert {f.severity for f in findings} == {check.get("role")}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_rule_is_silent_on_its_passing_fixture(schematron, rule):
    path = RULES_DIR / f"{rule}.pass.xml"
    findings = [f.format() for f in _run(schematron, path) if f.rule == rule]
    assert findings == []


def test_a_file_from_disk_is_checked_against_its_own_name(schematron, tmp_path):
    source = (RULES_DIR / "ed-id-filename.pass.xml").read_bytes()
    (tmp_path / "wilson-1.xml").write_bytes(source)
    (tmp_path / "wilson-3.xml").write_bytes(source)
    assert [f.rule for f in schematron.validate_file(tmp_path / "wilson-1.xml") if f.rule == "ed-id-filename"] == []
    assert [f.rule for f in schematron.validate_file(tmp_path / "wilson-3.xml") if f.rule == "ed-id-filename"] == ["ed-id-filename"]


def test_duplicate_record_ids_across_a_collection(schematron, tmp_path):
    source = (RULES_DIR / "ed-record-unique.pass.xml").read_text(encoding="utf-8")
    (tmp_path / "a.xml").write_text(source.replace('xml:id="t"', 'xml:id="a"'), encoding="utf-8")
    (tmp_path / "b.xml").write_text(source.replace('xml:id="t"', 'xml:id="b"'), encoding="utf-8")
    (tmp_path / "c.xml").write_text(
        source.replace('xml:id="t"', 'xml:id="c"').replace(">119711<", ">119698<"), encoding="utf-8"
    )
    findings, count = schematron.validate_paths([tmp_path])
    assert count == 3
    assert sorted(Path(f.file).name for f in findings if f.rule == "ed-record-unique") == ["a.xml", "b.xml"]


def test_a_record_id_where_files_converted_before_2026_12_08_have_it_is_still_one_claim(schematron, tmp_path):
    # The export bibl holds the record id now; a file edited by hand before the move (convert
    # keeps it) has it in publicationStmt, and claims the record there just the same.
    source = (RULES_DIR / "ed-record-unique.pass.xml").read_text(encoding="utf-8")
    (tmp_path / "new.xml").write_text(source.replace('xml:id="t"', 'xml:id="new"'), encoding="utf-8")
    old = source.replace('xml:id="t"', 'xml:id="old"').replace(
        '<publisher>edition</publisher>', '<publisher>edition</publisher><idno type="record">119711</idno>').replace(
        '<idno type="record">119711</idno>\n  </bibl>', '</bibl>')
    assert old.count(">119711<") == 1
    (tmp_path / "old.xml").write_text(old, encoding="utf-8")
    findings, count = schematron.validate_paths([tmp_path])
    assert count == 2
    assert sorted(Path(f.file).name for f in findings if f.rule == "ed-record-unique") == ["new.xml", "old.xml"]
    moved = [f for f in findings if f.rule == "ed-record-idno"]
    assert [(Path(f.file).name, f.severity) for f in moved] == [("old.xml", "warning")]
    assert 'bibl[@type="export"] as <idno type="record">119711</idno>' in moved[0].message


def test_the_leaves_in_msitem_locus_agree_with_the_citation_and_are_no_dates(schematron, tmp_path):
    # The converter writes the leaves as msItem's locus (TEI 10.3.5); they are checked against
    # the verbatim line as the folio idno was, and a locus's from and to are leaves, not dates.
    doc = (RULES_DIR / "ed-folio-idno.pass.xml").read_text(encoding="utf-8")
    path = tmp_path / "t.xml"
    path.write_text(doc, encoding="utf-8")
    fixture_gaps = {"ed-doctype-once"}  # a rule fixture is a header fragment
    assert [f.format() for f in schematron.validate_file(path) if f.severity == "error" and f.rule not in fixture_gaps] == []
    path.write_text(doc.replace(">12-14 об.</locus>", ">12-15</locus>"), encoding="utf-8")
    wrong = [f for f in schematron.validate_file(path) if f.severity == "error" and f.rule not in fixture_gaps]
    assert [f.rule for f in wrong] == ["ed-archival-parts"] and 'msItem/locus is "12-15"' in wrong[0].message


def test_a_keywords_scheme_that_names_no_taxonomy_is_a_dangling_pointer(schematron, tmp_path):
    # keywords/@scheme is a pointer like @ref: "#edition-doctype" must name an element of the file.
    doc = (RULES_DIR / "ed-doctype-once.pass.xml").read_text(encoding="utf-8")
    path = tmp_path / "t.xml"
    path.write_text(doc, encoding="utf-8")
    dangling = [f for f in schematron.validate_file(path) if f.rule == "ed-pointer-resolves"]
    assert dangling and all("@scheme" in f.message for f in dangling)
    declared = doc.replace(
        "<teiHeader>",
        '<teiHeader><encodingDesc><classDecl><taxonomy xml:id="edition-doctype"><desc>Types.</desc></taxonomy>'
        '<taxonomy xml:id="edition-classification"><desc>Classifications.</desc></taxonomy></classDecl></encodingDesc>',
    )
    path.write_text(declared, encoding="utf-8")
    assert [f for f in schematron.validate_file(path) if f.rule == "ed-pointer-resolves"] == []


def test_a_citation_may_name_the_repository_in_full_instead_of_its_key(schematron, tmp_path):
    # "Russian State Archive of Contemporary History, f. 5, ...": the citation names the
    # archive the key stands for, in full; ed-archival-parts asked for "RGANI" in it.
    doc = (RULES_DIR / "ed-archival-parts.fail.xml").read_text(encoding="utf-8").replace(
        '<idno type="delo">34</idno><!--expect-->', '<idno type="delo">347</idno>')
    path = tmp_path / "t.xml"
    path.write_text(doc.replace("<bibl type=\"archival\">RGANI,",
                                "<bibl type=\"archival\">Russian State Archive of Contemporary History,"), encoding="utf-8")
    assert [f.format() for f in schematron.validate_file(path) if f.rule.startswith("ed-archival")] == []
    # A key the citation names neither by acronym nor by the header's name is still wrong.
    path.write_text(doc.replace('key="RGANI"', 'key="GARF"'), encoding="utf-8")
    assert [f.rule for f in schematron.validate_file(path) if f.rule.startswith("ed-archival")] == ["ed-archival-parts"]


def test_fond_89s_perechen_and_dokument_are_reference_parts(schematron, tmp_path):
    # "per. 18, dok. 42" stand where an opis and a delo do: the parts must be in msIdentifier,
    # and the idnos must agree with the line, as for "op." and "d.".
    doc = (RULES_DIR / "ed-archival-parts-missing.fail.xml").read_text(encoding="utf-8")
    doc = doc.replace("RGANI, f. 5, op. 28, d. 347.", "RGANI, f. 5, per. 28, dok. 347, listy 1-3.")
    path = tmp_path / "t.xml"
    path.write_text(doc, encoding="utf-8")
    missing = [f.message for f in schematron.validate_file(path) if f.rule == "ed-archival-parts-missing"]
    assert len(missing) == 1 and "gives a delo" in missing[0]
    path.write_text(doc.replace('<idno type="opis">28</idno>',
                                '<idno type="opis" subtype="perechen">28</idno><idno type="delo" subtype="dokument">347</idno>'
                                '<idno type="folio">1-3</idno>'), encoding="utf-8")
    assert [f.format() for f in schematron.validate_file(path) if f.rule.startswith("ed-archival")] == []


def _schema_functions_stylesheet(body: str) -> str:
    """A stylesheet holding every xsl:function of schema/edition.sch, and ``body``."""
    tree = etree.parse(str(EDITION_SCH))
    xsl = "http://www.w3.org/1999/XSL/Transform"
    functions = "".join(etree.tostring(f, encoding="unicode") for f in tree.getroot().iter(f"{{{xsl}}}function"))
    return (f'<xsl:stylesheet version="3.0" xmlns:xsl="{xsl}" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            f'xmlns:ed="https://edition.example/ns" xmlns:tei="http://www.tei-c.org/ns/1.0">{functions}{body}</xsl:stylesheet>')


def test_cutting_the_collection_out_of_a_citation_is_the_pattern_it_replaced():
    """ed:cut-last, by which the archival rule drops the collection's last occurrence from the
    citation, gives what the regular expression it replaced gave, on citations drawn at
    random from a few letters (so that occurrences repeat and overlap), the characters a
    pattern treats as special, Cyrillic and wide spaces; an empty collection fails as the
    pattern did."""
    import random

    from edition import saxon

    body = """<xsl:param name="pairs" as="xs:string"/>
      <xsl:template name="main" expand-text="yes">
        <xsl:for-each select="tokenize($pairs, '&#xE001;')">
          <xsl:variable name="value" select="substring-before(., '&#xE002;')"/>
          <xsl:variable name="part" select="substring-after(., '&#xE002;')"/>
          <xsl:variable name="old" select="replace($value, '^(.*)' || ed:literal($part), '$1 ')"/>
          <xsl:variable name="new" select="ed:cut-last($value, $part)"/>
          <xsl:if test="$old ne $new">[{$value}|{$part}|{$old}|{$new}]</xsl:if>
        </xsl:for-each>
      </xsl:template>"""
    processor = saxon.processor()
    executable = processor.new_xslt30_processor().compile_stylesheet(stylesheet_text=_schema_functions_stylesheet(body))
    rng = random.Random(9)
    alphabet = "ab a.*(|)[]^$-\\?+{}дф\u3000"
    pairs = []
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        start = rng.randint(0, len(value))
        part = value[start:start + rng.randint(1, 4)] if value and rng.random() < 0.7 else "".join(rng.choice("ab.") for _ in range(rng.randint(1, 3)))
        part = " ".join(part.split())  # the rule hands over the collection normalized
        if part:
            pairs.append(f"{value}\ue002{part}")
    pairs += ["aaa\ue002aa", "abab ab\ue002ab", "x.y\ue002.", "General Dept, 1953-1966, d. 5 General Dept, 1953-1966\ue002General Dept, 1953-1966"]
    executable.set_parameter("pairs", processor.make_string_value("\ue001".join(pairs)))
    assert executable.call_template_returning_string("main").split("?>")[-1] == ""

    empty = processor.new_xslt30_processor().compile_stylesheet(stylesheet_text=_schema_functions_stylesheet(
        """<xsl:template name="main"><xsl:sequence select="ed:cut-last('RGANI, f. 5', '')"/></xsl:template>"""))
    with pytest.raises(Exception, match="FORX0003"):
        empty.call_template_returning_string("main")


@pytest.mark.parametrize("collection, ids", [("\u3000", ("fond", "opis", "delo")), ("\u3000", ("fond",)), ("Fond 3", ("fond", "opis", "delo"))])
def test_the_missing_parts_rule_reads_a_collection_of_wide_spaces_as_it_did(schematron, tmp_path, collection, ids):
    """The rule that names parts the citation gives and msIdentifier lacks searches only for
    the parts missing from msIdentifier; a collection of nothing but (wide) spaces still
    reaches the pattern that refuses it, whether or not a part is missing, and the layer
    fails as it did when the rule searched for every part."""
    numbers = {"fond": "3", "opis": "65", "delo": "26"}
    path = tmp_path / "t.xml"
    path.write_text(f"""<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="t">
  <teiHeader><fileDesc><sourceDesc>
    <msDesc><msIdentifier>
      <repository key="APRF">Archive of the President of the Russian Federation</repository>
      <collection>{collection}</collection>
      {"".join(f'<idno type="{i}">{numbers[i]}</idno>' for i in ids)}
    </msIdentifier></msDesc>
    <bibl type="archival">APRF, Fond 3, Opis 65, Delo 26, listy 1-4. Edited by the archive.</bibl>
  </sourceDesc></fileDesc></teiHeader>
</TEI>
""", encoding="utf-8")
    failed = [f.message for f in _run(schematron, path) if f.rule == "schematron-failed"]
    if collection.strip():
        assert failed == []
    else:
        assert failed == ["the Schematron could not run: The regular expression must not be one that matches a zero-length string"]
