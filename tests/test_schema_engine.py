"""The Schematron engine on its own: the ISO features it claims, on small schemas and documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from saxonche import PySaxonProcessor

from edition.errors import EditionError
from edition.schematron import Schematron, compile_schema, extract_embedded

SCHEMA = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:f="urn:f">
  <sch:ns prefix="t" uri="urn:t"/>
  <sch:let name="limit" value="3"/>
  <xsl:function name="f:twice" as="xs:integer" xmlns:xs="http://www.w3.org/2001/XMLSchema">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:sequence select="2 * $n"/>
  </xsl:function>
  <sch:pattern id="first-match">
    <sch:rule context="t:item[@special]">
      <sch:report id="special" test="true()" role="warning">special <sch:value-of select="@n"/></sch:report>
    </sch:rule>
    <sch:rule context="t:item">
      <sch:assert id="small" test="xs:integer(@n) le $limit" diagnostics="d1" xmlns:xs="http://www.w3.org/2001/XMLSchema">item <sch:name/> n=<sch:value-of select="@n"/> is over <sch:emph>the limit</sch:emph></sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="lets">
    <sch:let name="count" value="count(//t:item)"/>
    <sch:rule context="t:list">
      <sch:let name="double" value="f:twice($count)"/>
      <sch:assert id="even" test="$double = count(t:item)">double is <sch:value-of select="$double"/></sch:assert>
      <sch:report id="count" test="$count gt 2">list has <sch:value-of select="$count"/> items</sch:report>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="abstract-rules">
    <sch:rule abstract="true" id="has-n">
      <sch:assert id="has-n" test="@n">missing n on <sch:name/></sch:assert>
    </sch:rule>
    <sch:rule context="t:item"><sch:extends rule="has-n"/></sch:rule>
  </sch:pattern>
  <sch:pattern abstract="true" id="required">
    <sch:rule context="$element">
      <sch:assert id="required-attribute" test="$attribute">needs <sch:value-of select="'$attribute'"/></sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="list-needs-type" is-a="required">
    <sch:param name="element" value="t:list"/>
    <sch:param name="attribute" value="@type"/>
  </sch:pattern>
  <sch:pattern id="attributes">
    <sch:rule context="@n">
      <sch:assert id="numeric" test=". castable as xs:integer" xmlns:xs="http://www.w3.org/2001/XMLSchema">n must be a number, not "<sch:value-of select="."/>"</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics>
    <sch:diagnostic id="d1">Use a value of at most <sch:value-of select="$limit"/>.</sch:diagnostic>
  </sch:diagnostics>
</sch:schema>"""

DOC = """<list xmlns="urn:t">
  <item n="1"/>
  <item n="7"/>
  <item n="2" special="yes"/>
  <item n="x"/>
  <item/>
</list>"""


@pytest.fixture(scope="module")
def processor():
    return PySaxonProcessor(license=False)


def _run(processor, schema: str, doc: str, params=None):
    compiled = compile_schema(etree.fromstring(schema), "test")
    return Schematron(compiled, processor, "test").run(doc, "file:///doc.xml", params)


def test_iso_features(processor):
    found = {(f.rule_id, f.role, f.message, f.path.split("/")[-1]) for f in _run(processor, SCHEMA, DOC)}
    item = "Q{urn:t}item"
    assert ("special", "warning", "special 2", f"{item}[3]") in found
    # First matching rule only: the special item is not checked by the "small" assertion.
    assert not any(rule == "small" and where == f"{item}[3]" for rule, _, _, where in found)
    assert ("small", "error", "item item n=7 is over the limit Use a value of at most 3.", f"{item}[2]") in found
    assert ("even", "error", "double is 10", "Q{urn:t}list[1]") in found
    assert ("count", "error", "list has 5 items", "Q{urn:t}list[1]") in found
    assert ("has-n", "error", "missing n on item", f"{item}[5]") in found
    assert ("required-attribute", "error", "needs @type", "Q{urn:t}list[1]") in found
    assert ("numeric", "error", 'n must be a number, not "x"', "@n") in found
    # A dynamic error in a test is reported at the node, not raised.
    assert any(
        rule == "small" and message.startswith("this rule could not be evaluated here") and where == f"{item}[4]"
        for rule, _, message, where in found
    )


def test_schema_level_lets_are_parameters(processor):
    found = {(f.rule_id, f.path.split("/")[-1]) for f in _run(processor, SCHEMA, DOC, {"limit": 10})}
    assert ("small", "Q{urn:t}item[2]") not in found  # n=7 is within a limit of 10
    found = {(f.rule_id, f.path.split("/")[-1]) for f in _run(processor, SCHEMA, DOC, {"limit": 5})}
    assert ("small", "Q{urn:t}item[2]") in found


def test_include(tmp_path, processor):
    (tmp_path / "part.sch").write_text(
        '<sch:pattern xmlns:sch="http://purl.oclc.org/dsdl/schematron" id="inc">'
        '<sch:rule context="*"><sch:report id="seen" test="true()">seen</sch:report></sch:rule></sch:pattern>',
        encoding="utf-8",
    )
    main = tmp_path / "main.sch"
    main.write_text(
        '<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2">'
        '<sch:include href="part.sch"/></sch:schema>',
        encoding="utf-8",
    )
    compiled = compile_schema(etree.parse(str(main)).getroot(), "main", main)
    found = Schematron(compiled, processor, "main").run("<a><b/></a>", "file:///x.xml")
    assert [f.rule_id for f in found] == ["seen", "seen"]


def test_xpath1_binding_is_refused():
    with pytest.raises(EditionError, match="query binding"):
        compile_schema(etree.fromstring('<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron"/>'))


def test_a_broken_expression_is_reported(processor):
    bad = SCHEMA.replace('test="true()" role="warning"', 'test="true((" role="warning"')
    with pytest.raises(EditionError, match="does not compile"):
        Schematron(compile_schema(etree.fromstring(bad), "bad"), processor, "bad")


def test_extract_embedded_schematron_from_tei_all():
    from edition import refschemas

    rng = etree.parse(str(refschemas.tei_all())).getroot()
    schema = extract_embedded(rng)
    sch = "{http://purl.oclc.org/dsdl/schematron}"
    patterns = schema.findall(f"{sch}pattern")
    assert len(patterns) >= 25
    assert {ns.get("prefix") for ns in schema.findall(f"{sch}ns")} >= {"tei"}
    compile_schema(schema, "tei_all", Path("tei_all.rng"))  # compiles without error


# --- pruning a schema to a vocabulary ------------------------------------------

PRUNE_SCHEMA = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <sch:ns prefix="t" uri="urn:t"/>
  <sch:ns prefix="o" uri="urn:other"/>
  <sch:pattern id="absent-name"><sch:rule context="t:lg"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="absent-parent-of-attribute"><sch:rule context="t:lg/@type"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="absent-namespace"><sch:rule context="o:spec | t:lg[@n]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="absent-attribute"><sch:rule context="t:*[not(self::t:p)][@calendar]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="absent-in-conjunction"><sch:rule context="*[ @minOccurs and @n ]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="present-name"><sch:rule context="t:p"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="one-branch-present"><sch:rule context="t:lg | t:p[@n]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="present-attribute"><sch:rule context="t:*[@n]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="axis"><sch:rule context="ancestor::t:lg"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="unprefixed"><sch:rule context="lg"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="disjunction"><sch:rule context="*[@calendar or @n]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="variable"><sch:rule context="t:lg[$x]"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="second-rule-present">
    <sch:rule context="t:lg"><sch:assert test="false()">x</sch:assert></sch:rule>
    <sch:rule context="t:p"><sch:assert test="false()">x</sch:assert></sch:rule>
  </sch:pattern>
</sch:schema>"""


def test_pruning_drops_only_patterns_that_cannot_fire():
    from edition.schematron import SCH, prune_to_vocabulary

    pruned, dropped = prune_to_vocabulary(etree.fromstring(PRUNE_SCHEMA), frozenset({"{urn:t}p", "{urn:t}div"}), frozenset({"n", "type"}))
    assert dropped == ["absent-name", "absent-parent-of-attribute", "absent-namespace", "absent-attribute", "absent-in-conjunction"]
    assert [p.get("id") for p in pruned.iter(f"{{{SCH}}}pattern")] == [
        "present-name", "one-branch-present", "present-attribute", "axis", "unprefixed", "disjunction", "variable",
        "second-rule-present",
    ]


def test_a_pruned_schema_reports_as_the_whole_one_on_a_document_of_the_vocabulary():
    from edition.schematron import prune_to_vocabulary

    proc = PySaxonProcessor(license=False)
    # Without the two patterns an XSLT match pattern cannot hold (a variable, an ancestor axis).
    text = PRUNE_SCHEMA.replace('context="t:lg[$x]"', 'context="t:div"').replace('context="ancestor::t:lg"', 'context="t:div//t:lg"')
    schema = etree.fromstring(text)
    pruned, _ = prune_to_vocabulary(schema, frozenset({"{urn:t}p", "{urn:t}div"}), frozenset({"n", "type"}))
    doc = '<t:div xmlns:t="urn:t" n="1"><t:p n="2" type="x"/><t:p/></t:div>'
    whole = Schematron(compile_schema(schema), proc, "whole").run(doc, "file:///d.xml")
    part = Schematron(compile_schema(pruned), proc, "part").run(doc, "file:///d.xml")
    assert whole == part and len(whole) > 3


def test_the_vocabulary_of_a_relax_ng_grammar(tmp_path):
    from edition.validate import rng_vocabulary

    closed = tmp_path / "closed.rng"
    closed.write_text("""<grammar xmlns="http://relaxng.org/ns/structure/1.0" xmlns:o="urn:other" ns="urn:t">
  <start><element name="doc"><attribute name="n"/><attribute name="xml:id"/><attribute name="k" ns="urn:k"/>
    <element name="o:note"><text/></element>
    <div ns=""><element name="plain"><empty/></element></div>
    <element name="item" ns="urn:i"><empty/></element>
  </element></start>
</grammar>""", encoding="utf-8")
    assert rng_vocabulary(closed) == (
        frozenset({"{urn:t}doc", "{urn:other}note", "plain", "{urn:i}item"}),
        frozenset({"n"}),  # xml:id and the namespaced k are not judged by pruning
    )
    for open_part in ('<element><anyName/><empty/></element>', '<element><nsName/><empty/></element>',
                      '<element><name>x</name><empty/></element>', '<externalRef href="other.rng"/>',
                      '<attribute><anyName><except><name>n</name></except></anyName></attribute>',
                      '<element name="x"><attribute><nsName ns="urn:a"/></attribute></element>'):
        grammar = tmp_path / "open.rng"
        grammar.write_text(f"""<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><element name="doc">{open_part}</element></start></grammar>""", encoding="utf-8")
        assert rng_vocabulary(grammar) is None, open_part


def test_pruning_judges_a_prefix_bound_to_no_namespace():
    from edition.schematron import prune_to_vocabulary

    schema = etree.fromstring("""<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt3">
  <sch:ns prefix="e" uri=""/>
  <sch:pattern id="any-plain"><sch:rule context="e:*"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
  <sch:pattern id="plain-name"><sch:rule context="e:plain"><sch:assert test="false()">x</sch:assert></sch:rule></sch:pattern>
</sch:schema>""")
    _, dropped = prune_to_vocabulary(schema, frozenset({"{urn:t}p"}), frozenset())
    assert dropped == ["any-plain", "plain-name"]
    _, dropped = prune_to_vocabulary(schema, frozenset({"{urn:t}p", "plain"}), frozenset())
    assert dropped == []


@pytest.mark.parametrize(("before", "after", "check", "says"), [
    ('<sch:assert id="ed-div-type" role="error" test="@type">', '<sch:assert id="ed-div-type" role="error" test="@type and $nope">',
     "ed-div-type (xsl:if/@test)", "XPST0008 Variable $nope has not been declared"),
    ('<sch:rule context="tei:signed">', '<sch:rule context="tei:signed[ed:nope()]">',
     "ed-signed-name (xsl:template/@match)", "XPST0017 Cannot find a 0-argument function"),
])
def test_a_schematron_that_does_not_compile_names_its_file_and_check(tmp_path, before, after, check, says):
    # Saxon named a line and column of the generated stylesheet (line 30, column 11421:
    # it is one line) "of file:///...", over several lines, and the message no file.
    from edition.validate import EDITION_SCH, Validator

    broken = tmp_path / "edition.sch"
    text = EDITION_SCH.read_text(encoding="utf-8")
    assert text.count(before) == 1
    broken.write_text(text.replace(before, after), encoding="utf-8")
    with pytest.raises(EditionError) as raised:
        Validator(("schematron",), edition_sch=broken)
    message = str(raised.value)
    assert message.startswith(f"{broken}: the Schematron does not compile: in the check {check}: {says}"), message
    assert "\n" not in message and "file:" not in message, message
