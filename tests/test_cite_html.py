"""Reference-manager tags and the "Cite this document" box, rendered by the real page
stylesheet (xslt/html.xsl includes xslt/citation-html.xsl)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from edition import citations
from edition.transform import transformer

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
CITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cite"
BASE = "https://edition.example.org/"


def render_page(path: Path, base_url: str = BASE, with_chicago: bool = True, **extra: str) -> html.HtmlElement:
    t = transformer()
    params: dict[str, str] = {"base-url": base_url, **extra}
    if with_chicago:
        cited = citations.cite_document(path, base_url)
        params["chicago-note"] = cited.chicago.note_html
        params["chicago-bibliography"] = cited.chicago.bibliography_html
    out = t.apply("html.xsl", t.parse(path.read_bytes(), path), params, path)
    return html.document_fromstring(out)


def meta(page: html.HtmlElement, name: str) -> list[str]:
    return [m.get("content") for m in page.xpath("/html/head/meta[@name=$n]", n=name)]


@pytest.fixture(scope="module")
def seed_003() -> html.HtmlElement:
    # One format, passed as a plain string (a one-item sequence).
    return render_page(TEI_DIR / "wilson-119711.xml", **{"cite-formats": "ris"})


def test_highwire_tags_for_seed_003(seed_003: html.HtmlElement) -> None:
    assert meta(seed_003, "citation_title") == [
        "Letter to the CPSU Central Committee, Request from Radmanesh for Iskanderi and Rust"
    ]
    assert meta(seed_003, "citation_author") == ["Radmanesh"]
    assert meta(seed_003, "citation_date") == ["1955/12/16"]
    assert meta(seed_003, "citation_language") == ["ru"]
    assert meta(seed_003, "citation_public_url") == [BASE + "documents/wilson-119711.html"]
    # Nothing that makes a reference manager think "journal article" or look for a PDF.
    assert not meta(seed_003, "citation_journal_title") and not meta(seed_003, "citation_pdf_url")


def test_dublin_core_type_and_archive(seed_003: html.HtmlElement) -> None:
    assert meta(seed_003, "DC.type") == ["letter"]
    assert seed_003.xpath("/html/head/link[@rel='schema.DC']/@href") == ["http://purl.org/dc/elements/1.1/"]
    assert meta(seed_003, "DC.creator") == ["Radmanesh"]
    assert meta(seed_003, "DC.contributor") == ["Goldberg, Gary", "CPSU Central Committee"]
    assert meta(seed_003, "DC.date") == ["1955-12-16"]
    source = meta(seed_003, "DC.source")[0]
    assert source.startswith("f. 5, op. 28, d. 347, reel 83, ")
    assert "Russian State Archive of Contemporary History (RGANI), Moscow" in source


def test_alternate_links_to_the_citation_files(seed_003: html.HtmlElement) -> None:
    links = seed_003.xpath("/html/head/link[@rel='alternate'][@type='application/x-research-info-systems']")
    assert [(link.get("href"), link.get("title")) for link in links] == [("../cite/wilson-119711.ris", "RIS")]
    downloads = seed_003.xpath("//section[@id='cite']//p[@class='cite-downloads']/a")
    assert [a.get("href") for a in downloads] == ["../cite/wilson-119711.ris"]


def test_cite_box_shows_the_processor_rendering_with_copy_buttons(seed_003: html.HtmlElement) -> None:
    cited = citations.cite_document(TEI_DIR / "wilson-119711.xml", BASE)
    box = seed_003.xpath("//section[@id='cite']")[0]
    assert box.xpath("string(h2)") == "Cite this document"
    assert box.get_element_by_id("chicago-note").text_content() == cited.chicago.note_text
    assert box.get_element_by_id("chicago-bibliography").text_content() == cited.chicago.bibliography_text
    buttons = box.xpath(".//button[@class='cite-copy']")
    assert [b.get("data-copy") for b in buttons] == ["chicago-note", "chicago-bibliography"]
    # Without JavaScript the buttons stay hidden and the text is there to select.
    assert all(b.get("hidden") is not None for b in buttons)
    assert "navigator.clipboard" in box.xpath("string(script)")


def test_manuscript_page_and_partial_date() -> None:
    memo = render_page(CITE_FIXTURES / "range-memo.xml", with_chicago=False)
    assert meta(memo, "DC.type") == ["manuscript"]
    assert meta(memo, "citation_author") == ["Presidium of the CC CPSU"]
    assert meta(memo, "citation_date") == ["1953/03/01"]
    partial = render_page(CITE_FIXTURES / "variant-letter.xml", with_chicago=False)
    assert meta(partial, "citation_date") == ["1957/07"]
    assert meta(partial, "citation_author") == ["Ibrahimov, Mirza"]
    assert meta(partial, "DC.type") == ["letter"]


def test_no_box_and_no_public_url_without_citations_or_base_url() -> None:
    page = render_page(CITE_FIXTURES / "undated-note.xml", base_url="", with_chicago=False)
    assert not page.xpath("//section[@id='cite']")
    assert not meta(page, "citation_public_url")
    assert not meta(page, "citation_date")
    assert meta(page, "citation_title") == ["Notes on the conversation with the Ambassador"]


def test_markup_in_titles_is_escaped_in_tags_and_box() -> None:
    page = render_page(CITE_FIXTURES / "variant-letter.xml")
    title = meta(page, "citation_title")[0]
    assert "50% of the $ fund & item #3" in title
    assert "& item #3" in page.get_element_by_id("chicago-note").text_content()


@pytest.mark.parametrize("fragment, text, children", [
    ("Plain note, 1955.", "Plain note, 1955.", []),  # no markup: taken as text
    ("A &amp; B &lt;c&gt;.", "A & B <c>.", []),  # references: parsed
    ("<i>Pravda</i>, 1955.", "Pravda, 1955.", ["i"]),  # markup: copied as elements
])
def test_the_cite_box_takes_a_rendering_as_text_or_as_markup(fragment: str, text: str, children: list[str]) -> None:
    page = render_page(CITE_FIXTURES / "range-memo.xml", with_chicago=False, **{"chicago-note": fragment})
    note = page.get_element_by_id("chicago-note")
    assert note.text_content() == text
    assert [child.tag for child in note] == children


def head_of(page: html.HtmlElement) -> list[tuple[str, str, str]]:
    return [(e.tag, e.get("name") or e.get("rel") or "", e.get("content") or e.get("href") or "")
            for e in page.xpath("/html/head/*")]


def test_the_page_reads_the_item_the_citation_stage_made() -> None:
    # The build passes the item of cite/<id>.json (csl-item-json): the tags are read from
    # it, not from a second mapping of the header, and say what that item says.
    path = TEI_DIR / "wilson-119711.xml"
    item = citations.cite_document(path, BASE).item
    changed = dict(item, title="A title only the item has", issued={"date-parts": [[1956, 2, 7]]})
    page = render_page(path, **{"csl-item-json": citations.csl_json([changed])})
    assert meta(page, "citation_title") == meta(page, "DC.title") == ["A title only the item has"]
    assert meta(page, "citation_date") == ["1956/02/07"] and meta(page, "DC.date") == ["1956-02-07"]


@pytest.mark.parametrize("name", sorted(p.name for p in TEI_DIR.glob("*.xml")))
def test_the_item_from_the_citation_stage_gives_the_tags_the_header_gives(name: str, tmp_path: Path) -> None:
    # The JSON's numbers are doubles, its maps unordered: the head is the same either way.
    from edition import build_documents, render

    path = TEI_DIR / name
    ctx = render.BuildContext(tei_dir=TEI_DIR, out_dir=tmp_path, base_url=BASE)
    params = citations.document_stage(build_documents.load_document(path), ctx)
    assert params["csl-item-json"] == (tmp_path / "cite" / f"{path.stem}.json").read_text(encoding="utf-8")
    alone = render_page(path, **{"cite-formats": "json"})
    passed = render_page(path, **{"cite-formats": "json", "csl-item-json": params["csl-item-json"]})
    assert head_of(passed) == head_of(alone) and len(head_of(alone)) > 15
