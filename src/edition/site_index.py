"""The index pages of the site: ``index.html`` and ``browse/<facet>-<value>.html``.

The index reads little of each document (title, date, type, languages,
summary), so each document contributes a small *index record*: a TEI element
with just those parts of its header, at their usual places so that
``xslt/common.xsl`` reads them as it reads a whole file. :func:`index_record`
is a pure function of the document (a build can compute it in a worker, or
keep it between builds by the document's hash). The records, in date order,
make one ``teiCorpus``; ``xslt/index.xsl`` turns it into every page in a
single run (named template ``all-pages``), so the facet groups are worked out
once and the cost grows with the size of the pages, not with pages times
documents.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from lxml import etree

from edition.errors import EditionError
from edition.transform import transformer

if TYPE_CHECKING:
    from edition.build import BuildContext, DocumentInput

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI_NS}

# What the index shows, where common.xsl looks for it.
INDEX_PATHS = (
    "tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:summary",
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate",
    "tei:teiHeader/tei:profileDesc/tei:abstract",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date",
    "tei:teiHeader/tei:profileDesc/tei:creation/tei:date",
    "tei:teiHeader/tei:profileDesc/tei:langUsage",
    "tei:teiHeader/tei:profileDesc/tei:textClass",
)


def index_record(doc: DocumentInput) -> bytes:
    """The parts of ``doc`` the index shows, as a small TEI element (UTF-8 bytes)."""
    root = doc.tree()
    record = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    record.set(XML_ID, doc.id)
    copies: dict[etree._Element, etree._Element] = {root: record}
    for path in INDEX_PATHS:
        for el in root.xpath(path, namespaces=NS):
            parent = record
            # Rebuild the ancestors (shallow, with their attributes) once each,
            # so the record keeps the header's shape.
            for ancestor in reversed(list(el.iterancestors())):
                if ancestor is root:
                    continue
                made = copies.get(ancestor)
                if made is None:
                    made = etree.SubElement(parent, ancestor.tag, dict(ancestor.attrib))
                    copies[ancestor] = made
                parent = made
            kept = copy.deepcopy(el)
            kept.tail = None
            parent.append(kept)
    # The text versions' types and languages (not their text): the language facet
    # counts the languages the texts are in as well as those the header declares.
    body = etree.SubElement(etree.SubElement(record, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body")
    for div in root.xpath("tei:text/tei:body/tei:div", namespaces=NS):
        etree.SubElement(body, f"{{{TEI_NS}}}div", {k: v for k, v in sorted(div.attrib.items())})
    return etree.tostring(record, encoding="UTF-8")


def corpus_xml(records: Iterable[bytes]) -> bytes:
    """One teiCorpus of index records (already in date order)."""
    parts = [b'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">']
    for record in records:
        # Each record is a complete element; re-parsing it checks that and drops
        # its XML declaration.
        parts.append(etree.tostring(etree.fromstring(record), encoding="UTF-8"))
    parts.append(b"</teiCorpus>\n")
    return b"".join(parts)


def render_index_pages(records: Sequence[bytes], ctx: BuildContext) -> dict[str, bytes]:
    """Every index page, by path relative to the site folder."""
    t = transformer(ctx.xslt_dir)
    corpus = t.parse(corpus_xml(records), ctx.tei_dir)
    text = t.call_template_value("index.xsl", "all-pages", corpus, ctx.params, ctx.tei_dir)
    try:
        pages = json.loads(text)
    except json.JSONDecodeError as exc:  # pragma: no cover - the stylesheet writes the JSON
        raise EditionError(f"index.xsl: all-pages returned no JSON object: {exc}", ctx.xslt_dir / "index.xsl") from None
    return {path: html.encode("utf-8") for path, html in sorted(pages.items())}


def render_index(docs: Sequence[DocumentInput], ctx: BuildContext) -> dict[str, bytes]:
    """index.html and the browse/ pages of ``docs`` (in date order)."""
    return render_index_pages([index_record(d) for d in docs], ctx)
