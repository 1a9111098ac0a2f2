"""The tei_all layer: the edition's files, the ODD and random documents of the edition's schema.

tei_all takes lxml about 15 s to compile, so one validator serves the whole module.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from lxml import etree

from edition import refschemas
from edition.validate import Validator, get_validator

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
R = f"{{{RNG_NS}}}"


@pytest.fixture(scope="module")
def full() -> Validator:
    return get_validator()


def _errors(findings):
    return [f.format() for f in findings if f.severity == "error"]


def test_tei_all_comes_from_the_reference_location():
    path = refschemas.tei_all()
    assert path.name == "tei_all.rng" and path.is_file()
    assert b"TEI Edition" in path.read_bytes()[:2000]


def test_every_file_in_tei_passes_all_three_layers(full):
    files = sorted(TEI_DIR.glob("*.xml"))
    assert files, "tei/ is empty: run edition convert seeds/ --out tei/"
    findings, count = full.validate_paths([TEI_DIR])
    assert count == len(files)
    assert _errors(findings) == []


def test_the_contract_passes_tei_all(full):
    findings = full.validate_file(ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml")
    assert [f for f in findings if f.layer == "tei_all"] == []


def test_the_odd_is_itself_valid_tei(full):
    findings = full.validate_file(ROOT / "schema" / "edition.odd")
    assert [f.format() for f in findings if f.layer == "tei_all"] == []


def test_embedded_schematron_runs_and_maps_to_the_line(full, tmp_path):
    # @when with @notBefore is legal RELAX NG but tei_all's embedded Schematron reports it.
    source = (ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml").read_text(encoding="utf-8")
    broken = source.replace('<origDate when="1955-12-16">', '<origDate when="1955-12-16" notBefore="1955-01-01">')
    path = tmp_path / "wilson-119711.xml"
    path.write_text(broken, encoding="utf-8")
    line = next(i for i, text in enumerate(broken.splitlines(), 1) if "notBefore" in text)
    findings = [f for f in full.validate_file(path) if f.layer == "tei_all"]
    assert [(f.rule, f.line, f.severity) for f in findings] == [
        ("tei_all/tei_all-att.datable.w3c-att-datable-w3c-when-constraint-rule-1", line, "warning")
    ]


def test_tei_all_relax_ng_errors_are_reported(full, tmp_path):
    source = (ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml").read_text(encoding="utf-8")
    path = tmp_path / "wilson-119711.xml"
    path.write_text(source.replace("<funder>", "<bogus/><funder>"), encoding="utf-8")
    rules = {f.rule for f in full.validate_file(path) if f.severity == "error"}
    assert {"tei_all-rng", "edition-rng"} <= rules


# ---------------------------------------------------------------------------
# The edition's schema is a subset of tei_all: documents generated at random from
# edition.rng must be valid tei_all (RELAX NG and embedded Schematron).


class Generator:
    """Random instances of a simple RELAX NG grammar (the constructs odd2rng writes)."""

    SAMPLES = {
        "date": ["1955-12-16", "1941-02-28"],
        "gYear": ["1957"],
        "gYearMonth": ["1955-07"],
        "gMonthDay": ["--07-12"],
        "dateTime": ["1955-12-16T10:30:00"],
        "anyURI": ["https://example.org/doc/1", "#n1"],
        "language": ["ru", "en", "az-Cyrl"],
        "Name": ["edition"],
        "string": ["Radmanesh", "16 декабря"],
        "nonNegativeInteger": ["3"],
        "token": ["abc", "x1"],
    }
    WORDS = ["Moscow", "ЦК КПСС", "1955", "Kozlov", "text"]

    def __init__(self, grammar: etree._Element, seed: int, depth: int = 7) -> None:
        self.defines = {d.get("name"): d for d in grammar.iter(f"{R}define")}
        self.start = grammar.find(f"{R}start")
        self.rand = random.Random(seed)
        self.depth = depth
        self.ids = 0
        self.cost: dict[str, float] = {}
        self._costs()

    def _costs(self) -> None:
        self.cost = {name: float("inf") for name in self.defines}
        for _ in range(50):
            changed = False
            for name, define in self.defines.items():
                c = self._cost_group(list(define))
                if c < self.cost[name]:
                    self.cost[name], changed = c, True
            if not changed:
                return

    def _cost_group(self, patterns) -> float:
        return max([self._cost(p) for p in patterns if isinstance(p.tag, str)] or [0])

    def _cost(self, p) -> float:
        tag = etree.QName(p).localname
        if p.tag.startswith("{http://relaxng.org/ns/compatibility"):
            return 0
        if tag == "element":
            return 1 + self._cost_group([c for c in p if etree.QName(c).localname != "attribute"])
        if tag == "ref":
            return self.cost[p.get("name")]
        if tag == "choice":
            return min([self._cost(c) for c in p if isinstance(c.tag, str) and c.tag.startswith(R)] or [0])
        if tag in {"group", "oneOrMore"}:
            return self._cost_group([c for c in p if isinstance(c.tag, str) and c.tag.startswith(R)])
        return 0  # optional, zeroOrMore, text, value, data, empty, attribute, list

    def document(self) -> etree._Element:
        holder = etree.Element("holder")
        self._fill(holder, list(self.start), 0)
        return holder[0]

    def _fill(self, parent, patterns, depth) -> None:
        for p in patterns:
            if isinstance(p.tag, str) and p.tag.startswith(R):
                self._gen(parent, p, depth)

    def _gen(self, parent, p, depth) -> None:
        tag = etree.QName(p).localname
        deep = depth >= self.depth
        if tag == "element":
            el = etree.SubElement(parent, f"{{{TEI_NS}}}{p.get('name')}")
            self._fill(el, list(p), depth + 1)
        elif tag == "attribute":
            name = p.get("name")
            key = f"{{{XML_NS}}}{name[4:]}" if name.startswith("xml:") else name
            parent.set(key, self._value(p))
        elif tag == "ref":
            self._fill(parent, list(self.defines[p.get("name")]), depth)
        elif tag == "group":
            self._fill(parent, list(p), depth)
        elif tag == "choice":
            options = [c for c in p if isinstance(c.tag, str) and c.tag.startswith(R)]
            if deep:
                best = min(self._cost(o) for o in options)
                options = [o for o in options if self._cost(o) == best]
            self._gen(parent, self.rand.choice(options), depth)
        elif tag in {"optional", "zeroOrMore", "oneOrMore"}:
            low = 1 if tag == "oneOrMore" else 0
            high = low if deep else (1 if tag == "optional" else low + 2)
            for _ in range(self.rand.randint(low, high)):
                self._fill(parent, list(p), depth)
        elif tag in {"text", "value", "data"}:
            self._text(parent, p.text if tag == "value" else self.rand.choice(self.WORDS))

    def _text(self, parent, text: str) -> None:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def _value(self, attribute) -> str:
        content = [c for c in attribute if isinstance(c.tag, str) and c.tag.startswith(R)]
        return self._sample(content[0]) if content else self.rand.choice(self.WORDS)

    def _sample(self, p) -> str:
        tag = etree.QName(p).localname
        if tag == "value":
            return p.text or ""
        if tag == "choice":
            return self._sample(self.rand.choice([c for c in p if isinstance(c.tag, str) and c.tag.startswith(R)]))
        if tag == "list":
            inner = [c for c in p.iter() if isinstance(c.tag, str) and etree.QName(c).localname in {"data", "value", "choice"}][0]
            return " ".join(self._sample(inner) for _ in range(self.rand.randint(1, 2)))
        if tag == "data":
            if p.get("type") == "ID":
                self.ids += 1
                return f"id{self.ids}"
            pattern = p.findtext(f"{R}param[@name='pattern']") or ""
            if r"[\d]+" in pattern:  # teidata.versionNumber
                return "0.1.0"
            return self.rand.choice(self.SAMPLES[p.get("type")])
        if tag == "text":
            return self.rand.choice(self.WORDS)
        raise AssertionError(f"unexpected attribute pattern {tag}")


def test_random_documents_of_the_edition_schema_are_valid_tei_all(full, tmp_path):
    grammar = etree.parse(str(ROOT / "schema" / "edition.rng")).getroot()
    edition_rng = full._edition_rng
    problems = []
    seen: set[str] = set()
    defined = {el.get("name") for el in grammar.iter(f"{R}element")}
    # 120 documents, and more while some element of the schema has not come up yet: which
    # seeds reach a rare element (origPlace) shifts with every change to the schema.
    seed = -1
    while (seed := seed + 1) < 120 or (defined - seen and seed < 400):
        doc = Generator(grammar, seed, depth=5 + seed % 6).document()
        seen |= {etree.QName(el).localname for el in doc.iter(etree.Element)}
        # Pointers are checked by the edition's Schematron, not here: keep '#n1' resolvable.
        doc.set(f"{{{XML_NS}}}id", "n1")
        data = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        tree = etree.ElementTree(etree.fromstring(data))
        assert edition_rng.validate(tree), f"generator produced an invalid document (seed {seed}): {edition_rng.error_log}"
        path = tmp_path / f"random-{seed}.xml"
        path.write_bytes(data)
        errors = [f for f in full.validate_bytes(data, str(path)) if f.layer == "tei_all" and f.severity == "error"]
        if errors:
            problems.append((seed, [e.format() for e in errors][:3]))
    assert problems == []
    # Every element of the schema was generated, so every content model was exercised.
    assert defined <= seen, sorted(defined - seen)


# ---------------------------------------------------------------------------
# Where tei_all's RELAX NG is implied (the default), so is most of its embedded
# Schematron: a document edition.rng accepts uses only the edition's vocabulary,
# and a pattern whose rule contexts need anything else cannot fire on it.


@pytest.fixture(scope="module")
def implied(full) -> Validator:
    validator = Validator(tei_all_rng="implied")
    assert validator._tei_all_pruned, "the pruned tei_all Schematron is not in use"
    return validator


def _same_findings(a, b):
    return [f.format() for f in a] == [f.format() for f in b]


def test_pruned_tei_all_schematron_drops_what_cannot_fire():
    from edition.schematron import SCH, extract_embedded, prune_to_vocabulary
    from edition.validate import rng_vocabulary

    vocabulary = rng_vocabulary(ROOT / "schema" / "edition.rng")
    assert vocabulary is not None
    elements, attributes = vocabulary
    assert f"{{{TEI_NS}}}p" in elements and f"{{{TEI_NS}}}lg" not in elements and "when" in attributes
    schema = extract_embedded(etree.parse(str(refschemas.tei_all())).getroot())
    pruned, dropped = prune_to_vocabulary(schema, elements, attributes)
    kept = [p.get("id") for p in pruned.iter(f"{{{SCH}}}pattern")]
    assert len(dropped) > len(kept) > 0
    assert any("lg" in d for d in dropped) and any("when" in k for k in kept)
    assert set(dropped).isdisjoint(kept)


def test_pruned_tei_all_reports_what_the_full_one_reports(full, implied, tmp_path):
    files = sorted(TEI_DIR.glob("*.xml")) + [ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml"]
    for path in files:
        assert _same_findings(implied.validate_file(path), full.validate_file(path)), path
    # A kept pattern still fires: @when with @notBefore.
    source = (ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml").read_text(encoding="utf-8")
    path = tmp_path / "wilson-119711.xml"
    path.write_text(source.replace('<origDate when="1955-12-16">', '<origDate when="1955-12-16" notBefore="1955-01-01">'),
                    encoding="utf-8")
    found = implied.validate_file(path)
    assert any(f.rule.startswith("tei_all/tei_all-att.datable.w3c") for f in found)
    assert _same_findings(found, full.validate_file(path))


def test_a_document_outside_the_edition_vocabulary_gets_every_tei_all_pattern(full, implied, tmp_path):
    # An empty lg: outside edition.rng, and only a pattern the pruned copy drops reports it.
    source = (ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml").read_text(encoding="utf-8")
    path = tmp_path / "wilson-119711.xml"
    path.write_text(source.replace("</body>", "<lg/></body>", 1), encoding="utf-8")
    found = implied.validate_file(path)
    assert any("edition-rng" == f.rule for f in found)
    assert any(f.rule.startswith("tei_all/") and "lg" in f.rule for f in found), [f.format() for f in found]
    assert _same_findings(found, full.validate_file(path))


def test_random_documents_get_the_same_findings_from_the_pruned_tei_all(full, implied):
    grammar = etree.parse(str(ROOT / "schema" / "edition.rng")).getroot()
    for seed in range(40):
        doc = Generator(grammar, 1000 + seed, depth=5 + seed % 6).document()
        doc.set(f"{{{XML_NS}}}id", "n1")
        data = etree.tostring(doc, xml_declaration=True, encoding="UTF-8", pretty_print=True)
        name = f"random-{seed}.xml"
        assert _same_findings(implied.validate_bytes(data, name), full.validate_bytes(data, name)), seed
