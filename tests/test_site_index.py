"""Index records and the index pages made in one run (edition.site_index)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from edition.build import BuildContext, load_documents
from edition.site_index import corpus_xml, index_record, render_index, render_index_pages
from edition.transform import transformer

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


def test_all_pages_in_one_run_match_the_page_by_page_transform(ctx: BuildContext) -> None:
    docs = load_documents(ctx.tei_dir)
    pages = render_index(docs, ctx)
    t = transformer(ctx.xslt_dir)
    corpus = t.parse(corpus_xml([index_record(d) for d in docs]), "corpus")
    listing = t.call_template("index.xsl", "facet-pages", corpus, ctx.params)
    expected = {"index.html": t.apply("index.xsl", corpus, ctx.params)}
    for line in listing.splitlines():
        facet, value, href = line.split("\t")
        expected[href] = t.apply("index.xsl", corpus, {**ctx.params, "facet": facet, "facet-value": value})
    assert {k: v.decode("utf-8") for k, v in pages.items()} == expected
    assert sorted(pages) == [
        "browse/language-az-cyrl.html", "browse/language-en.html", "browse/language-fa.html", "browse/language-ru.html",
        "browse/type-document.html", "browse/type-letter.html", "browse/type-memorandum.html", "browse/type-report.html",
        "browse/year-1955.html", "browse/year-1956.html", "index.html",
    ]
    index = lxml_html.fromstring(pages["index.html"])
    assert pages["index.html"].startswith(b"<!DOCTYPE HTML>")
    assert [a.get("href") for a in index.xpath("//li[@class='entry']//h3/a")] == [
        "documents/wilson-119711.html", "documents/site-marks.html", "documents/site-partial.html", "documents/site-rtl.html",
    ]
    browse = lxml_html.fromstring(pages["browse/language-ru.html"])
    assert [a.get("href") for a in browse.xpath("//li[@class='entry']//h3/a")] == [
        "../documents/wilson-119711.html", "../documents/site-marks.html",
    ]
    assert browse.xpath("string(//h1)") == "Documents in Russian"


def test_language_names_come_from_each_documents_own_header(ctx: BuildContext) -> None:
    # Two documents declare the same code under different names: each entry
    # shows its own, and the facet takes the first document's.
    docs = load_documents(ctx.tei_dir)
    records = [index_record(d) for d in docs]
    other = records[0].replace(b'<language ident="ru">Russian</language>', b'<language ident="ru">Russian (pre-1918 spelling)</language>')
    pages = render_index_pages([other, *records[1:]], ctx)
    index = lxml_html.fromstring(pages["index.html"])
    languages = index.xpath("//li[@class='entry']//span[@class='languages']/text()")
    assert languages[0] == "English, Russian (pre-1918 spelling)" and languages[1] == "English, Russian"
