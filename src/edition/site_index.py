"""The index pages of the site: ``index.html`` and ``browse/<facet>-<token>.html``.

The index reads little of each document (title, date, type, languages,
summary), so each document contributes a small *index record*: a TEI element
with just those parts of its header, at their usual places so that
``xslt/common.xsl`` reads them as it reads a whole file. :func:`index_record`
and :func:`facet_values` (what the document counts under in the type,
language and year filters, decided by ``xslt/index.xsl``) are pure functions
of the document: the build computes them in its workers and keeps them
between builds in :class:`edition.build_state.BuildState`.

The pages are planned here (:func:`plan_pages`): one listing of every
document and one per facet value, each split into pages of at most
``page_size`` documents (``index.html``, ``index.2.html``, ...; the dot cannot
occur in a facet token, so no page name can collide with another). Each page
is then rendered on its own from an ``ed:index-page`` document holding its
records, every facet group (for the filter links) and the links to the other
pages of its listing: memory follows the page size, not the edition's.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lxml import etree

from edition import lxmltypes
from edition.errors import EditionError
from edition.build_state import FacetValue
from edition.transform import transformer

if TYPE_CHECKING:
    from saxonche import PyXdmNode

    from edition.build_documents import DocumentInput
    from edition.render import BuildContext

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ED_NS = "https://edition.example/ns"
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


_INDEX_XPATHS = tuple(etree.XPath(path, namespaces=NS) for path in INDEX_PATHS)
_TEXT_DIVS = etree.XPath("tei:text/tei:body/tei:div", namespaces=NS)


def index_record(doc: DocumentInput, root: etree._Element | None = None) -> bytes:
    """The parts of ``doc`` the index shows, as a small TEI element (UTF-8 bytes).
    ``root``: the document already parsed (it is not changed)."""
    if root is None:
        root = doc.tree()
    # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
    record = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})  # type: ignore[dict-item]
    record.set(XML_ID, doc.id)
    # The document's language, which a title without its own xml:lang is in (common.xsl's
    # title-lang reads it from the title's ancestors, as the document's page does).
    lang = root.get(XML_LANG)
    if lang is not None:
        record.set(XML_LANG, lang)
    copies: dict[etree._Element, etree._Element] = {root: record}
    for xpath in _INDEX_XPATHS:
        for el in lxmltypes.elements(xpath(root)):
            parent = record
            # Rebuild the ancestors (shallow, with their attributes) once each,
            # so the record keeps the header's shape.
            for ancestor in reversed(list(el.iterancestors())):
                if ancestor is root:
                    continue
                made = copies.get(ancestor)
                if made is None:
                    made = etree.SubElement(parent, ancestor.tag, lxmltypes.attributes(ancestor))
                    copies[ancestor] = made
                parent = made
            kept = copy.deepcopy(el)
            kept.tail = None
            parent.append(kept)
    # The text versions' types and languages (not their text): the language facet
    # counts the languages the texts are in as well as those the header declares.
    body = etree.SubElement(etree.SubElement(record, f"{{{TEI_NS}}}text"), f"{{{TEI_NS}}}body")
    for div in lxmltypes.elements(_TEXT_DIVS(root)):
        etree.SubElement(body, f"{{{TEI_NS}}}div", {k: v for k, v in sorted(lxmltypes.attributes(div).items())})
    return etree.tostring(record, encoding="UTF-8")


def facet_values(source: bytes | PyXdmNode, ctx: BuildContext) -> list[FacetValue]:
    """The facet values of one document as ``xslt/index.xsl`` decides them, each
    (facet, token) once, in the stylesheet's order.

    ``source``: the document's index record, or the document itself as a Saxon tree
    of this process's transformer. The facets read only what the record keeps, at
    the same places, so both give the same values; a render worker already holds the
    tree, and spares parsing the record twice (lxml and Saxon).
    """
    t = transformer(ctx.xslt_dir)
    node = t.parse(source, ctx.tei_dir, keep=False) if isinstance(source, bytes) else source
    text = t.call_template_value("index.xsl", "facet-values", node, ctx.params, ctx.tei_dir)
    seen: set[tuple[str, str]] = set()
    out: list[FacetValue] = []
    for facet, token, label in json.loads(text):
        if (facet, token) not in seen:
            seen.add((facet, token))
            out.append((facet, token, label))
    return out


FACETS = ("type", "language", "year")


@dataclass
class FacetGroup:
    facet: str
    token: str
    label: str  # the first document's (documents may name one language differently)
    members: list[int] = field(default_factory=list)  # positions in the build order

    @property
    def base(self) -> str:
        return f"browse/{self.facet}-{self.token}"


def facet_groups(values: Sequence[Sequence[FacetValue]]) -> list[FacetGroup]:
    """Every facet value with its documents (``values`` in build order), facet by facet,
    each facet's values sorted by label (years by number), ties in order of first use."""
    groups: dict[tuple[str, str], FacetGroup] = {}
    for position, doc_values in enumerate(values):
        for facet, token, label in doc_values:
            group = groups.get((facet, token))
            if group is None:
                group = groups[(facet, token)] = FacetGroup(facet, token, label)
            group.members.append(position)
    ordered: list[FacetGroup] = []
    for facet in FACETS:
        mine = [g for g in groups.values() if g.facet == facet]
        ordered += sorted(mine, key=(lambda g: g.token) if facet == "year" else (lambda g: g.label.lower()))
    return ordered


def page_path(base: str, number: int) -> str:
    return f"{base}.html" if number == 1 else f"{base}.{number}.html"


@dataclass(frozen=True)
class IndexPage:
    """One page of one listing: the whole edition (facet '') or one facet value."""

    path: str
    facet: str
    token: str
    label: str
    number: int
    links: tuple[str, ...]  # the paths of every page of this listing, page 1 first
    listed: int  # documents in the whole listing
    members: tuple[int, ...]  # this page's documents: positions in the build order


def plan_pages(documents: int, groups: Sequence[FacetGroup], page_size: int) -> list[IndexPage]:
    """Every index page of an edition of ``documents`` documents, in a fixed order."""
    if page_size < 1:
        raise EditionError(f"index page size must be at least 1, not {page_size}")
    listings = [("", "", "", "index", list(range(documents)))]
    listings += [(g.facet, g.token, g.label, g.base, g.members) for g in groups]
    pages: list[IndexPage] = []
    for facet, token, label, base, members in listings:
        chunks = [members[i:i + page_size] for i in range(0, len(members), page_size)] or [[]]
        links = tuple(page_path(base, n) for n in range(1, len(chunks) + 1))
        for number, chunk in enumerate(chunks, start=1):
            pages.append(IndexPage(links[number - 1], facet, token, label, number, links, len(members), tuple(chunk)))
    return pages


# An empty teiCorpus as lxml writes it, and what takes its place in a page document.
_EMPTY_CORPUS = b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"/>'
_CORPUS_OPEN = b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0">'
_CORPUS_CLOSE = b"</teiCorpus>"


def page_document(page: IndexPage, groups: Sequence[FacetGroup], documents: int, records: Sequence[bytes]) -> bytes:
    """The ed:index-page that ``xslt/index.xsl`` renders as ``page``, as UTF-8 bytes.

    Its teiCorpus holds the documents' index records (already in date order) as the
    bytes :func:`index_record` made, copied in: parsing each record only to write it
    out again was most of what the build's own process spent on the index pages,
    while the workers waited for it. (The page's reader parses the whole.)"""
    root = etree.Element(f"{{{ED_NS}}}index-page", nsmap={"ed": ED_NS})
    for key, value in (("facet", page.facet), ("token", page.token), ("label", page.label), ("number", str(page.number)),
                       ("listed", str(page.listed)), ("documents", str(documents)), ("href", page.path)):
        root.set(key, value)
    for g in groups:
        etree.SubElement(root, f"{{{ED_NS}}}facet-group", facet=g.facet, token=g.token, label=g.label,
                         count=str(len(g.members)), href=page_path(g.base, 1))
    for number, link in enumerate(page.links, start=1):
        etree.SubElement(root, f"{{{ED_NS}}}page-link", number=str(number), href=link)
    # lxml-stubs bug: nsmap is typed Mapping[str, str], but None is lxml's key for the default namespace.
    etree.SubElement(root, f"{{{TEI_NS}}}teiCorpus", nsmap={None: TEI_NS})  # type: ignore[dict-item]
    head, empty, tail = etree.tostring(root, encoding="UTF-8").rpartition(_EMPTY_CORPUS)
    if not empty or tail != b"</ed:index-page>":  # pragma: no cover - lxml's own writing
        raise EditionError("cannot lay out an index page document", None)
    return b"".join((head, _CORPUS_OPEN, *records, _CORPUS_CLOSE, tail))


def render_page_bytes(page: bytes, ctx: BuildContext) -> bytes:
    """One index page (HTML bytes) from its ed:index-page, serialised."""
    t = transformer(ctx.xslt_dir)
    return t.apply("index.xsl", t.parse(page, ctx.tei_dir, keep=False), ctx.params, ctx.tei_dir).encode("utf-8")


def render_index(docs: Sequence[DocumentInput], ctx: BuildContext, page_size: int | None = None) -> dict[str, bytes]:
    """Every index page of ``docs`` (in build order), by path relative to the site folder;
    for callers that hold the documents (the build streams pages from its store)."""
    return render_records([index_record(d) for d in docs], ctx, page_size)


def render_records(records: Sequence[bytes], ctx: BuildContext, page_size: int | None = None) -> dict[str, bytes]:
    """Every index page of the documents whose index records are ``records`` (in build order)."""
    groups = facet_groups([facet_values(r, ctx) for r in records])
    pages = plan_pages(len(records), groups, page_size or ctx.index_page_size)
    return {
        p.path: render_page_bytes(page_document(p, groups, len(records), [records[i] for i in p.members]), ctx)
        for p in pages
    }
