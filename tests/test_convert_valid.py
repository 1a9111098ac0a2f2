"""Every shape fixture converts to TEI that passes all validation layers and the fidelity check."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.convert import collect_sources, convert_all
from edition.fidelity import check_source
from edition.validate import get_validator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("convert-valid")
    outcomes = convert_all(collect_sources([FIXTURES]), out, id_prefix="wilson")
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
    return out


def test_fixtures_pass_every_validation_layer(converted: Path) -> None:
    findings, count = get_validator().validate_paths([converted])
    assert count == len(list(FIXTURES.iterdir()))
    assert [f.format() for f in findings] == []


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixtures_lose_no_word(converted: Path, name: str) -> None:
    report = check_source(FIXTURES / name, converted, id_prefix="wilson")
    assert report.ok, report


def test_fond_89_reference_keeps_its_labels_on_the_page_and_in_citations(converted: Path, tmp_path: Path) -> None:
    """per. and dok. reach every output through the real XSLT: the header's idno/@subtype,
    the reading page, the plain text and the CSL item the citation formats are made from."""
    import json

    from lxml import etree
    from lxml import html as lxml_html

    from edition.build import build_site
    from edition.render import BuildContext

    tei = etree.parse(str(converted / "wilson-330003.xml"))
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert [(i.get("type"), i.get("subtype"), i.text) for i in tei.iterfind(".//t:msIdentifier/t:idno", ns)] == [
        ("fond", None, "89"), ("opis", "perechen", "18"), ("delo", "dokument", "42")]
    # The leaves are a location within the file, not part of its identifier (TEI 10.3.5).
    (locus,) = tei.iterfind(".//t:msContents/t:msItem/t:locus", ns)
    assert (locus.text, locus.get("from"), locus.get("to")) == ("1-3", "1", "3")
    assert tei.find(".//t:msIdentifier/t:repository", ns).get("key") == "RGANI"
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=converted, out_dir=site, base_url="https://edition.example.org/"))
    reference = "f. 89, per. 18, dok. 42, ll. 1-3"
    page = lxml_html.parse(str(site / "documents" / "wilson-330003.html"))
    row = page.xpath("//div[@class='meta-row'][dt='Reference']/dd")[0]
    assert " ".join(row.text_content().split()) == "RGANI, " + reference
    text = " ".join((site / "text" / "wilson-330003.txt").read_text(encoding="utf-8").split())
    assert f"Archive: Russian State Archive of Contemporary History (Moscow, Russia); RGANI, {reference}" in text
    item = json.loads((site / "cite" / "wilson-330003.json").read_text(encoding="utf-8"))[0]
    assert item["archive_location"] == reference
    assert reference in (site / "cite" / "wilson-330003.bib").read_text(encoding="utf-8")


SEED_003 = Path(__file__).resolve().parent.parent / "seeds" / "003_73142493423ae5fc.txt"


@pytest.mark.parametrize("citation", [
    "РГАНИ, ф. 5, оп. 28, д. 347, л. 12 об.",
    "РГАНИ. Ф. 5. Оп. 28. Д. 347. Л. 12.",
    "РГАНИ, фонд 5, опись 28, дело 347, листы 3-4.",
    "RGANI, fond 5, opis 28, delo 347, list 3.",
    "RGANI, f. 5, op. 28, d. 347, p. 3.",
    "RGANI, f. 89, op. 28, dok. 3.",
    "AVP RF, f. 06, op. 10, p. 56, d. 765, l. 12.",
])
def test_every_form_of_reference_the_reader_splits_is_valid(tmp_path: Path, citation: str) -> None:
    """The reader split these (the acronym printed in Cyrillic or spaced, the labels
    "фонд", "list", "p.", "dok."), and ed-archival-parts then rejected the header:
    its labels and acronyms were fewer than the reader's."""
    text = SEED_003.read_text(encoding="utf-8")
    assert "RGANI, f. 5, op. 28, d. 347." in text
    source = tmp_path / "src" / "export.md"
    source.parent.mkdir()
    source.write_text(text.replace("RGANI, f. 5, op. 28, d. 347.", citation), encoding="utf-8")
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None and outcome.target is not None, outcome.error
    findings = get_validator(("edition", "schematron")).validate_file(outcome.target)
    assert [f.format() for f in findings if f.severity == "error"] == []


def test_the_schematron_knows_every_printed_form_of_an_acronym() -> None:
    """ed-archival-parts keeps its own list of the acronyms' printed forms (XPath has no
    access to the reader's table): every form the reader maps must be in it."""
    from edition.sources.archives import _CYRILLIC_ACRONYMS
    from edition.validate import EDITION_SCH

    schematron = EDITION_SCH.read_text(encoding="utf-8")
    assert [printed for printed in _CYRILLIC_ACRONYMS if f"'{printed}'" not in schematron] == []


@pytest.mark.parametrize(("printed", "cited"), [
    ("pp. 3-4", "pp. 3-4"),
    ("p. 3", "p. 3"),
    ("ll. 3-4", "ll. 3-4"),
    ("л. 12 об.", "l. 12 об."),
])
def test_pages_are_cited_as_pages_and_leaves_as_leaves(tmp_path: Path, printed: str, cited: str) -> None:
    """The reader takes "p."/"pp." at the end of a reference for pages (a papka stands
    before a delo); the citations, the page and the plain text called them leaves, "ll. 3-4",
    a reference the archive never printed."""
    import json

    from lxml import html as lxml_html

    from edition.build import build_site
    from edition.render import BuildContext

    text = SEED_003.read_text(encoding="utf-8")
    source = tmp_path / "src" / "export.md"
    source.parent.mkdir()
    source.write_text(text.replace("RGANI, f. 5, op. 28, d. 347.", f"RGANI, f. 5, op. 28, d. 347, {printed}."), encoding="utf-8")
    (outcome,) = convert_all([source], tmp_path / "tei", id_prefix="wilson")
    assert outcome.error is None and outcome.target is not None, outcome.error
    assert [f.format() for f in get_validator(("edition", "schematron")).validate_file(outcome.target)
            if f.severity == "error"] == []
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=tmp_path / "tei", out_dir=site, base_url="https://edition.example.org/"))
    reference = f"f. 5, op. 28, d. 347, {cited}"
    item = json.loads((site / "cite" / "wilson-119711.json").read_text(encoding="utf-8"))[0]
    assert item["archive_location"] == reference + ", reel 83"
    page = lxml_html.parse(str(site / "documents" / "wilson-119711.html"))
    row = page.xpath("//div[@class='meta-row'][dt='Reference']/dd")[0]
    assert " ".join(row.text_content().split()) == "RGANI, " + reference
    assert f"RGANI, {reference}" in " ".join((site / "text" / "wilson-119711.txt").read_text(encoding="utf-8").split())
