"""Index records, facet groups and the index pages, one page at a time (edition.site_index)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from edition.build_documents import load_documents
from edition.render import BuildContext
from edition.site_index import XML_ID, facet_groups, facet_values, index_record, plan_pages, render_index, render_records

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "site"
CONTRACT = ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml"
NS = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> BuildContext:
    tei = tmp_path_factory.mktemp("tei")
    for p in sorted(FIXTURES.glob("*.xml")) + [CONTRACT]:
        shutil.copy(p, tei / p.name)
    return BuildContext(tei_dir=tei, out_dir=tmp_path_factory.mktemp("out") / "site", site_title="Test Edition")


def test_index_record_keeps_what_the_index_shows_and_nothing_else(ctx: BuildContext) -> None:
    doc = next(d for d in load_documents(ctx.tei_dir) if d.id == "site-marks")
    record = etree.fromstring(index_record(doc))
    assert record.get("{http://www.w3.org/XML/1998/namespace}id") == "site-marks"
    assert record.xpath("string(tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title)", namespaces=NS).startswith("Memorandum on the Supply")
    assert record.xpath("tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate/@when", namespaces=NS) == ["1956-03-04"]
    assert record.xpath("tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction/@type", namespaces=NS) == ["sent"]
    assert record.xpath("tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident", namespaces=NS) == ["en", "ru"]
    assert record.xpath("tei:teiHeader/tei:profileDesc/tei:textClass//tei:term/text()", namespaces=NS) == ["memorandum", "Secret"]
    assert [(d.get("type"), d.get("{http://www.w3.org/XML/1998/namespace}lang")) for d in record.xpath("tei:text/tei:body/tei:div", namespaces=NS)] == [("original", "ru"), ("translation", "en")]
    # Not the archive's identifiers, the responsibility statements or any text of the body.
    for absent in ("msIdentifier", "respStmt", "publicationStmt", "text//tei:p", "handNotes", "correspAction[@type='received']"):
        assert not record.xpath(f"//tei:{absent}", namespaces=NS), absent


def entry_hrefs(page: bytes) -> list[str]:
    return [a.get("href") for a in lxml_html.fromstring(page).xpath("//li[@class='entry']//h3/a")]


def test_one_page_per_listing_when_the_edition_fits(ctx: BuildContext) -> None:
    pages = render_index(load_documents(ctx.tei_dir), ctx)
    assert sorted(pages) == [
        "browse/language-az-cyrl.html", "browse/language-en.html", "browse/language-fa.html", "browse/language-ru.html",
        "browse/type-document.html", "browse/type-letter.html", "browse/type-memorandum.html", "browse/type-report.html",
        "browse/year-1955.html", "browse/year-1956.html", "index.html",
    ]
    assert pages["index.html"].startswith(b"<!DOCTYPE HTML>")
    assert entry_hrefs(pages["index.html"]) == [
        "documents/wilson-119711.html", "documents/site-marks.html", "documents/site-partial.html", "documents/site-rtl.html",
    ]
    assert entry_hrefs(pages["browse/language-ru.html"]) == ["../documents/wilson-119711.html", "../documents/site-marks.html"]
    browse = lxml_html.fromstring(pages["browse/language-ru.html"])
    assert browse.xpath("string(//h1)") == "Documents in Russian"
    assert browse.xpath("normalize-space(//p[@class='count'])").startswith("2 documents of 4 in the edition")
    index = lxml_html.fromstring(pages["index.html"])
    # The whole edition on one page: the script can combine filters, and there is no pager.
    assert index.xpath("//form[@class='combined-filter']") and not index.xpath("//nav[@class='pager']")
    facet_links = index.xpath("//nav[@class='filters']//a/@href")
    assert set(facet_links) == {p for p in pages if p.startswith("browse/")}


def test_long_listings_are_split_into_linked_pages(ctx: BuildContext) -> None:
    docs = load_documents(ctx.tei_dir)
    pages = render_index(docs, ctx, page_size=3)
    assert {"index.html", "index.2.html"} <= set(pages)
    assert "browse/language-en.2.html" in pages  # four documents have an English text
    assert "browse/language-ru.2.html" not in pages
    # Every document once, in date order, across the pages of the index.
    assert entry_hrefs(pages["index.html"]) + entry_hrefs(pages["index.2.html"]) == [f"documents/{d.id}.html" for d in docs]
    first, second = (lxml_html.fromstring(pages[p]) for p in ("index.html", "index.2.html"))
    assert first.xpath("string(//p[@class='pager-status'])") == "Page 1 of 2"
    assert first.xpath("//link[@rel='next']/@href") == ["index.2.html"] and not first.xpath("//link[@rel='prev']")
    assert len(second.xpath("//nav[@class='pager']")) == 2  # above and below the list
    assert second.xpath("(//nav[@class='pager'])[1]//li[@class='pager-prev']/a/@href") == ["index.html"]
    assert second.xpath("(//nav[@class='pager'])[1]//a[@aria-current='page']/text()") == ["2"]
    # Counts are the listing's, not the page's; combining filters needs the whole list.
    assert first.xpath("normalize-space(//p[@class='count'])").startswith("4 documents")
    assert not first.xpath("//form[@class='combined-filter']")
    browse = lxml_html.fromstring(pages["browse/language-en.2.html"])
    assert browse.xpath("(//nav[@class='pager'])[1]//li[@class='pager-prev']/a/@href") == ["../browse/language-en.html"]
    assert browse.xpath("string(//title)").startswith("Documents in English · page 2 of 2")
    # The index's pages say what they list before which page they are, as a facet's do; a
    # title of "page 2 of 2 · <site>" names neither (WCAG 2.4.2) and reads alike in every tab.
    assert first.xpath("string(//title)").startswith("All documents · page 1 of 2 · ")
    assert second.xpath("string(//title)").startswith("All documents · page 2 of 2 · ")


def test_facet_groups_follow_the_stylesheets_values_and_order(ctx: BuildContext) -> None:
    docs = load_documents(ctx.tei_dir)
    values = [facet_values(index_record(d), ctx) for d in docs]
    groups = facet_groups(values)
    assert [(g.facet, g.token) for g in groups if g.facet == "year"] == [("year", "1955"), ("year", "1956")]
    labels = [g.label for g in groups if g.facet == "type"]
    assert labels == sorted(labels, key=str.lower)
    for g in groups:
        assert g.members == [i for i, v in enumerate(values) if (g.facet, g.token) in {(f, t) for f, t, _ in v}]
    pages = plan_pages(len(docs), groups, 500)
    assert len(pages) == 1 + len(groups) and {p.path for p in pages} == {"index.html", *(g.base + ".html" for g in groups)}
    with pytest.raises(Exception, match="at least 1"):
        plan_pages(len(docs), groups, 0)


def test_language_names_come_from_each_documents_own_header(ctx: BuildContext) -> None:
    # Two documents declare the same code under different names: each entry
    # shows its own, and the facet takes the first document's.
    docs = load_documents(ctx.tei_dir)
    records = [index_record(d) for d in docs]
    other = records[0].replace(b'<language ident="ru">Russian</language>', b'<language ident="ru">Russian (pre-1918 spelling)</language>')
    pages = render_records([other, *records[1:]], ctx)
    index = lxml_html.fromstring(pages["index.html"])
    languages = index.xpath("//li[@class='entry']//span[@class='languages']/text()")
    assert languages[0] == "English, Russian (pre-1918 spelling)" and languages[1] == "English, Russian"


def test_index_pages_and_records_leave_no_tree_behind(ctx: BuildContext) -> None:
    # A transformer keeps the trees of the documents it renders, for the next
    # stylesheet over the same batch; a page of 500 records, or a record parsed for
    # its facets, is used once, and kept it only weighs on the worker.
    from edition.transform import transformer

    t = transformer(ctx.xslt_dir)
    records = [index_record(d) for d in load_documents(ctx.tei_dir)]
    kept = list(t._recent)
    render_records(records, ctx)
    for record in records:
        facet_values(record, ctx)
    assert list(t._recent) == kept


# Header parts the facets read, each taken away in turn from every fixture.
_FACET_SOURCES = (
    "//tei:textClass",
    "//tei:langUsage",
    "//tei:origDate",
    "//tei:correspAction[@type = 'sent']/tei:date",
    "//tei:creation/tei:date",
    "//tei:text/tei:body/tei:div[1]",
)


def test_facets_of_the_whole_document_equal_those_of_its_index_record(ctx: BuildContext, tmp_path: Path) -> None:
    # The build's workers read the facets off the document's own tree; its record
    # must give the same values, or the index would count documents differently
    # after a rebuild that reused records. Every TEI fixture that the build renders,
    # whole and with each part the facets read taken away.
    from edition.build_documents import BuildError, load_document
    from edition.transform import transformer

    t = transformer(ctx.xslt_dir)
    ns = {"tei": "http://www.tei-c.org/ns/1.0"}
    checked = 0
    sources = sorted((ROOT / "tests" / "fixtures").rglob("*.xml")) + sorted((ROOT / "tei").glob("*.xml"))
    for n, source in enumerate(sources):
        root = etree.parse(str(source)).getroot()
        if root.tag != "{http://www.tei-c.org/ns/1.0}TEI" or not root.get(XML_ID):
            continue
        variants = [root]
        for path in _FACET_SOURCES:
            variant = copy.deepcopy(root)
            for el in variant.xpath(path, namespaces=ns):
                el.getparent().remove(el)
            variants.append(variant)
        for m, variant in enumerate(variants):
            target = tmp_path / f"{n}-{m}" / f"{root.get(XML_ID)}.xml"
            target.parent.mkdir()
            target.write_bytes(etree.tostring(variant, encoding="UTF-8"))
            try:
                doc = load_document(target)
            except BuildError:
                continue  # not a document the build would render
            whole = facet_values(t.parse(doc.data, doc.tei_path), ctx)
            assert whole == facet_values(index_record(doc), ctx), (source, _FACET_SOURCES[m - 1] if m else None)
            checked += 1
    assert checked >= 80


def test_an_entry_title_has_the_language_the_document_gives_it(ctx: BuildContext, tmp_path: Path) -> None:
    # A document in Russian only declares its language on the TEI element. Its page's
    # h1 says lang="ru" (title-lang reads the title's nearest xml:lang); the index
    # record kept only the root's xml:id, so its entry in the index and the browse
    # pages was read in an English voice.
    from edition.build_documents import load_document

    root = etree.parse(str(CONTRACT)).getroot()
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "ru")
    root.find(".//tei:titleStmt/tei:title", NS).text = "Письмо в ЦК КПСС"
    target = tmp_path / CONTRACT.name
    target.write_bytes(etree.tostring(root, encoding="UTF-8"))
    pages = render_records([index_record(load_document(target))], ctx)
    for name in ("index.html", "browse/language-ru.html"):
        link = lxml_html.fromstring(pages[name]).xpath("//li[@class='entry']//h3/a")[0]
        assert (link.text, link.get("lang")) == ("Письмо в ЦК КПСС", "ru"), name


def test_an_entry_is_filtered_by_what_it_shows(ctx: BuildContext, tmp_path: Path) -> None:
    # An entry's data attributes, which assets/filter.js combines, name the year its
    # section heads ('' under "Undated") and the type and languages it shows. The entry
    # takes its year from its section's grouping and reads its type and languages once.
    from edition.build_documents import load_document

    root = etree.parse(str(CONTRACT)).getroot()
    root.set(XML_ID, "undated-copy")
    for date in root.xpath("//tei:origDate | //tei:correspAction/tei:date | //tei:creation/tei:date", namespaces=NS):
        date.getparent().remove(date)
    undated = tmp_path / "undated-copy.xml"
    undated.write_bytes(etree.tostring(root, encoding="UTF-8"))
    records = [index_record(d) for d in load_documents(ctx.tei_dir)] + [index_record(load_document(undated))]
    pages = render_records(records, ctx)
    seen = set()
    for name, page in pages.items():
        for section in lxml_html.fromstring(page).xpath("//section[@class='year']"):
            heading = section.findtext("h2")
            for entry in section.xpath("ol/li[@class='entry']"):
                meta = entry.xpath("article/p[@class='entry-meta']")[0]
                assert entry.get("data-year") == ("" if heading == "Undated" else heading), name
                assert entry.get("data-type") == meta.findtext("span[@class='doctype']").lower(), name
                assert len(entry.get("data-language").split()) == len(meta.findtext("span[@class='languages']").split(", ")), name
                seen.add((entry.get("data-year"), entry.get("data-type")))
    assert ("", "letter") in seen and ("1955", "letter") in seen
