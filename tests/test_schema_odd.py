"""The ODD is the single source of the RELAX NG; its value lists are closed, glossed and in step."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition import odd
from edition.errors import EditionError

ROOT = Path(__file__).resolve().parent.parent
TEI = "http://www.tei-c.org/ns/1.0"
RNG = "http://relaxng.org/ns/structure/1.0"
NS = {"tei": TEI, "rng": RNG}


@pytest.fixture(scope="module")
def odd_tree() -> etree._ElementTree:
    return etree.parse(str(odd.ODD))


@pytest.fixture(scope="module")
def rng_tree() -> etree._ElementTree:
    return etree.parse(str(odd.RNG))


def test_committed_rng_is_what_the_odd_derives():
    assert odd.derive_rng() == odd.RNG.read_bytes(), "schema/edition.rng is stale: run make schema-rng"


def test_every_value_list_is_closed_and_every_value_glossed(odd_tree):
    val_lists = odd_tree.xpath("//tei:schemaSpec//tei:valList", namespaces=NS)
    assert len(val_lists) >= 10
    for val_list in val_lists:
        assert val_list.get("type") == "closed"
        for item in val_list.iterfind(f"{{{TEI}}}valItem"):
            assert (item.findtext(f"{{{TEI}}}gloss") or "").strip(), f"valItem {item.get('ident')} has no gloss"


def _rng_values(rng_tree, element: str, attribute: str) -> set[str]:
    found = rng_tree.xpath(
        f"//rng:element[@name='{element}']//rng:attribute[@name='{attribute}']//rng:value/text()", namespaces=NS
    )
    return set(found)


def _odd_values(odd_tree, element: str, attribute: str) -> set[str]:
    spec = odd_tree.xpath(f"//tei:elementSpec[@ident='{element}']", namespaces=NS)[0]
    own = spec.xpath(f"tei:attList/tei:attDef[@ident='{attribute}']/tei:valList/tei:valItem/@ident", namespaces=NS)
    if own:
        return set(own)
    classes = spec.xpath("tei:classes/tei:memberOf/@key", namespaces=NS)
    for key in classes:
        inherited = odd_tree.xpath(
            f"//tei:classSpec[@ident='{key}']//tei:attDef[@ident='{attribute}']/tei:valList/tei:valItem/@ident",
            namespaces=NS,
        )
        if inherited:
            return set(inherited)
    return set()


@pytest.mark.parametrize(
    ("element", "attribute", "required"),
    [
        ("div", "type", {"original", "translation", "transcription"}),
        ("idno", "type", {"record", "source-url", "fond", "opis", "delo", "folio", "reel", "filename", "sha256"}),
        ("gap", "reason", {"illegible", "damage", "omitted"}),
        ("correspAction", "type", {"sent", "received"}),
        ("bibl", "type", {"citation", "archival", "export", "microfilm"}),
        ("hi", "rend", {"superscript"}),
        ("supplied", "reason", {"expansion"}),
        ("add", "place", {"margin", "top"}),
    ],
)
def test_closed_lists_match_between_odd_and_rng(odd_tree, rng_tree, element, attribute, required):
    in_odd = _odd_values(odd_tree, element, attribute)
    assert required <= in_odd
    assert _rng_values(rng_tree, element, attribute) == in_odd


def test_document_types_are_the_converters(odd_tree, rng_tree):
    doctypes = set(odd_tree.xpath("//tei:dataSpec[@ident='edition.doctype']//tei:valItem/@ident", namespaces=NS))
    in_rng = set(rng_tree.xpath("//rng:define[@name='edition.doctype']//rng:value/text()", namespaces=NS))
    assert doctypes == in_rng
    assert {"cable", "letter", "memorandum", "resolution", "telegram", "report", "note", "minutes", "decree", "statement", "other"} <= doctypes
    metadata = pytest.importorskip("edition.sources.metadata")
    assert set(metadata.DOCTYPES) | {"other"} == doctypes


def test_every_element_of_the_contract_and_of_tei_has_an_element_spec(odd_tree):
    specs = set(odd_tree.xpath("//tei:schemaSpec/tei:elementSpec/@ident", namespaces=NS))
    files = [ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml", *sorted((ROOT / "tei").glob("*.xml"))]
    used = {etree.QName(el).localname for f in files for el in etree.parse(str(f)).iter(etree.Element)}
    assert used <= specs, sorted(used - specs)
    # the editorial marks of the house style (issue 3) are all defined
    marks = {"opener", "closer", "signed", "add", "gap", "sic", "supplied", "del", "hi", "stamp", "list", "note", "fw", "pb", "dateline", "choice", "abbr", "expan", "postscript", "unclear"}
    assert marks <= specs


def test_odd2rng_refuses_what_it_does_not_understand(tmp_path):
    text = odd.ODD.read_text(encoding="utf-8")
    broken = text.replace('<valList type="closed">', '<valList type="open">', 1)
    path = tmp_path / "open.odd"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(EditionError, match="open value list"):
        odd.derive_rng(path)


def test_the_body_encoders_fixtures_fit_the_edition_schema():
    """Every body the encoder writes for its own fixtures is valid under edition.rng (from e.text)."""
    body_support = pytest.importorskip("body_support")
    grammar = etree.parse(str(odd.RNG)).getroot()
    grammar.find(f"{{{RNG}}}start")[0].set("name", "e.text")
    text_schema = etree.RelaxNG(etree.ElementTree(grammar))
    fixtures = sorted(p.name for p in (ROOT / "tests" / "fixtures" / "body").glob("*.txt"))
    assert fixtures
    for name in fixtures:
        root = body_support.encode(name)[1]
        text = root if etree.QName(root).localname == "text" else root.find(f".//{{{TEI}}}text")
        assert text_schema.validate(etree.ElementTree(text)), (name, str(text_schema.error_log))
