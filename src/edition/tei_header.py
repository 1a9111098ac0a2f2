"""The ``teiHeader`` of one document, from its metadata.

The house style follows DESIGN.md and is documented for editors in
``schema/edition.odd``: a field the source does not state is left out, never
invented or filled with a placeholder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from edition import __version__
from edition.dates import parse_date
from edition.header_languages import is_original_text, language_note, languages_used, unnamed_language_note, value_lang
from edition.model import Agent, DocDate, Document, Metadata, Part, Publication
from edition.sources.metadata import language_code, language_name
from edition.tei_body import TEI_NS, XML_NS


_XML_ATTRS = {"xml_id": f"{{{XML_NS}}}id", "xml_lang": f"{{{XML_NS}}}lang"}


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
    for key, value in attrs.items():
        if value is not None:
            el.set(_XML_ATTRS.get(key) or key.rstrip("_").replace("_", "-"), value)
    if text is not None:
        el.text = text
    return el


def _date_attrs(date: DocDate) -> dict[str, str | None]:
    return {
        "when": date.when,
        "notBefore": date.not_before,
        "notAfter": date.not_after,
        "cert": None if date.cert == "high" else date.cert,
    }


def _printed_date_attrs(printed: str) -> dict[str, str | None]:
    """ISO attributes for a date the export prints in a field (the house style gives
    every date its ISO form); none when the printed form is not a date."""
    date = parse_date(printed)
    return _date_attrs(date) if date is not None else {}


def _agent(parent: etree._Element, agent: Agent) -> None:
    if agent.kind == "office":  # "the Ambassador": an office, not a person's name
        _el(parent, "roleName", agent.name)
        return
    if agent.role_name:
        el = _el(parent, "persName")
        _el(el, "roleName", agent.role_name).tail = f" {agent.name}"
        return
    _el(parent, "persName" if agent.kind == "person" else "orgName", agent.name)


@dataclass(frozen=True)
class KeywordScheme:
    """One ``textClass/keywords`` and the ``classDecl/taxonomy`` its ``@scheme`` points at."""

    ident: str  # the taxonomy's xml:id, an NCName
    description: str
    term_type: str
    terms: tuple[str, ...]
    # The terms' n: the source's own name of the document type when its class does not say
    # it ("Memorandum of Conversation" for "conversation"), as a citation gives its genre.
    label: str | None = None


_NOT_NAME_CHARS = re.compile(r"[^a-z0-9]+")


def keyword_schemes(meta: Metadata) -> list[KeywordScheme]:
    """The keyword sets of the header, each with a taxonomy id of its own.

    ``keywords/@scheme`` is a pointer (TEI 2.3.7): a local one must name a
    ``taxonomy`` of the file. Field labels come from the export ("Donor's Note"),
    so the id is reduced to letters, digits and hyphens, and kept unique.
    """
    wanted: list[tuple[str, str, str, list[str], str | None]] = []
    if meta.doc_type:
        wanted.append(("doctype", "The document type, from the edition's closed list (schema/edition.odd, edition.doctype).",
                       "doctype", [meta.doc_type], meta.doc_type_name))
    if meta.classification:
        wanted.append(("classification", "The security classification of the original, as the export gives it.",
                       "classification", [meta.classification], None))
    for kind, terms in sorted(meta.keywords.items()):
        if kind == "type":  # the printed Type field is the doctype's evidence (editorialDecl)
            continue
        wanted.append((kind, f"Terms of the export's {kind} field, as printed.", "subject", terms, None))
    schemes: list[KeywordScheme] = []
    used: set[str] = set()
    for kind, description, term_type, terms, label in wanted:
        base = "edition-" + (_NOT_NAME_CHARS.sub("-", kind.lower()).strip("-") or "keywords")
        ident, n = base, 1
        while ident in used:
            n += 1
            ident = f"{base}-{n}"
        used.add(ident)
        schemes.append(KeywordScheme(ident, description, term_type, tuple(terms), label))
    return schemes


def build_header(doc: Document, publication: Publication = Publication()) -> etree._Element:
    meta = doc.metadata
    header = etree.Element(f"{{{TEI_NS}}}teiHeader")
    file_desc = _el(header, "fileDesc")

    title_stmt = _el(file_desc, "titleStmt")
    _el(title_stmt, "title", meta.title, type="main", xml_lang=value_lang(meta.title, doc))
    for name in meta.authors:
        _el(title_stmt, "author", name)
    for funder in meta.funders:
        _el(title_stmt, "funder", funder)
    for i, name in enumerate(meta.translators, start=1):
        resp = _el(title_stmt, "respStmt")
        _el(resp, "resp", "Translated by")
        _el(resp, "persName", name, xml_id=f"translator-{i}", role="translator")
    for i, name in enumerate(meta.contributors, start=1):
        resp = _el(title_stmt, "respStmt")
        _el(resp, "resp", meta.contribution_verb)
        _el(resp, "persName", name, xml_id=f"contributor-{i}", role="contributor")

    pub = _el(file_desc, "publicationStmt")
    _el(pub, "publisher", publication.publisher)
    _el(pub, "idno", doc.id, type="edition")
    if url := publication.document_url(doc.id):
        # The file's own address, so that a copy downloaded or harvested says where the
        # edition publishes it (TEI 2.2.4: idno in publicationStmt identifies this text).
        _el(pub, "idno", url, type="edition-url")
    if publication.licence or meta.rights:
        availability = _el(pub, "availability")
        # The edition's licence covers its own work, the encoding; the source's rights
        # statement, its terms for the document and translation, follows as printed.
        if publication.licence:
            _el(availability, "licence", publication.licence_statement or publication.licence,
                target=publication.licence)
        for para in (meta.rights or "").split("\n") if meta.rights else ():
            _el(availability, "p", para)

    source_desc = _el(file_desc, "sourceDesc")
    _ms_desc(source_desc, doc)
    if meta.citation:
        _el(source_desc, "bibl", meta.citation, type="citation")
    if meta.archive:
        _el(source_desc, "bibl", meta.archive.verbatim, type="archival")
    export = _el(source_desc, "bibl", type="export")
    _el(export, "title", f"{meta.publisher} export" if meta.publisher else "Source export")
    if meta.publisher:
        _el(export, "publisher", meta.publisher)
    # The archive's record id and the record's URL identify the source, not this edition's
    # file, which is all publicationStmt describes (TEI 2.2.4); they belong with the archive
    # that publishes the record (TEI 2.2.7, 3.12.2.4). The URL is a ref, not a ptr: the
    # export prints it, and the printed form stays the element's text (as a date's does),
    # where edition check finds its words; target is the link (TEI 3.7).
    if meta.record_id:
        _el(export, "idno", meta.record_id, type="record")
    if meta.source_url:
        _el(export, "ref", meta.source_url, target=meta.source_url)
    if meta.uploaded:
        _el(export, "date", meta.uploaded, type="uploaded", **_printed_date_attrs(meta.uploaded))
    if meta.original_archive:
        # What the export's record says of the original's archive. keywords "identify the
        # topic or nature of a text": the archive that holds it is neither, and oai_dc would
        # make it a dc:subject. The archive's structured name is msIdentifier/repository.
        _el(export, "note", meta.original_archive, type="archive")
    _el(export, "idno", doc.source.name, type="filename")
    _el(export, "idno", doc.source.sha256, type="sha256")
    _el(export, "note", doc.source.shape, type="shape")
    encoding_note = doc.source.encoding + (f" ({doc.source.encoding_note})" if doc.source.encoding_note else "")
    _el(export, "note", encoding_note, type="encoding")

    encoding = _el(header, "encodingDesc")
    app_info = _el(encoding, "appInfo")
    app = _el(app_info, "application", ident="edition", version=__version__, xml_id="edition")
    _el(app, "label", "edition TEI converter")
    # editorialDecl needs content: a document without text or type has none to give.
    if meta.doc_type or doc.parts:
        lang_decl = _el(encoding, "editorialDecl")
        if meta.doc_type:
            _el(lang_decl, "p", f"Document type {meta.doc_type}, from the {meta.doc_type_evidence}.", n="doctype")
        for part in doc.parts:
            _el(lang_decl, "p", language_note(part, meta), n=part.lang)
        if (unnamed := unnamed_language_note(doc)) is not None:
            _el(lang_decl, "p", unnamed, n="original-language")
    schemes = keyword_schemes(meta)
    if schemes:  # what textClass/keywords/@scheme points at
        class_decl = _el(encoding, "classDecl")
        for scheme in schemes:
            _el(_el(class_decl, "taxonomy", xml_id=scheme.ident), "desc", scheme.description)

    _profile_desc(header, doc, schemes)

    revision = _el(header, "revisionDesc")
    _el(
        revision,
        "change",
        f"Converted from {doc.source.name} ({doc.source.shape} export) by edition {__version__}.",
        n=__version__,
        who="#edition",
    )
    return header


def _ms_desc(parent: etree._Element, doc: Document) -> None:
    """The archival document as held by its repository.

    Written only when the source names the archive: TEI requires a repository
    (or location) in ``msIdentifier``, and the converter does not invent one.
    Without it the date goes to ``profileDesc/creation`` instead.
    """
    meta = doc.metadata
    archive = meta.archive
    if archive is None or not (archive.repository_name or archive.repository_acronym):
        return
    ms = _el(parent, "msDesc")
    ident = _el(ms, "msIdentifier")
    if archive.country:
        _el(ident, "country", archive.country)
    if archive.settlement:
        _el(ident, "settlement", archive.settlement)
    # The acronym names the repository, not the document: an idno of msIdentifier is a way
    # "of identifying the manuscript within its holding institution" (TEI 10.4), so a
    # harvester read "RGANI" as the shelfmark. repository is in att.canonical, whose key
    # holds "a coded value" for the entity named: the archive's acronym, in its Latin form.
    _el(ident, "repository", archive.repository_name or archive.repository_acronym, key=archive.repository_acronym)
    if archive.collection:
        _el(ident, "collection", archive.collection)
    for kind in ("fond", "opis", "papka", "delo", "tom", "box", "folder", "shelfmark"):
        value = getattr(archive, kind)
        if value:
            _el(ident, "idno", value, type=kind, subtype=getattr(archive, f"{kind}_subtype", None))
    contents = _el(ms, "msContents")
    if meta.summary:
        _el(contents, "summary", meta.summary)
    originals = [p for p in doc.parts if is_original_text(p, meta)]
    main_lang = originals[0].lang if originals else language_code(meta.original_language)
    # textLang describes the archival document, so every language of its originals
    # (a Russian letter with an Azerbaijani enclosure: ru, then az-Cyrl); the
    # archive's translation is not part of it, nor is an English text the export does
    # not call the original (it may be the translation): with no original's language
    # known, there is no textLang.
    other_langs = " ".join(dict.fromkeys(p.lang for p in originals[1:] if p.lang != main_lang))
    if main_lang:
        _el(contents, "textLang", meta.original_language or language_name(main_lang), mainLang=main_lang,
            otherLangs=other_langs or None)
    if archive.folio:
        # The leaves the document takes up in its file (the delo) are a place within the
        # object msIdentifier identifies, not part of its identifier (TEI 10.4): a locus,
        # which stands at the head of the msItem describing the document (TEI 10.3.5,
        # 10.6.1). An msItem must say more than where it is: its title, the document's.
        item = _el(contents, "msItem")
        # type="pages": the citation gives pages ("pp. 3-4"), which are cited as pages, not leaves.
        _el(item, "locus", archive.folio, type=archive.folio_subtype, **_locus_range(archive.folio))
        _el(item, "title", meta.title, xml_lang=value_lang(meta.title, doc))
    if meta.date is not None:
        origin = _el(_el(ms, "history"), "origin")
        _el(origin, "origDate", meta.date.text, **_date_attrs(meta.date))
    if archive.reel:
        surrogates = _el(_el(ms, "additional"), "surrogates")
        bibl = _el(surrogates, "bibl", "microfilm, reel ", type="microfilm")
        _el(bibl, "idno", archive.reel, type="reel")


# One leaf as archives print it: its number, and "ob." (oborot, the verso) where it is the back.
_LEAF = r"([0-9]+)\s*((?:ob|об)\.?)?"
_LEAVES = re.compile(rf"{_LEAF}(?:\s*[-–]\s*{_LEAF})?")


def _locus_range(folio: str) -> dict[str, str | None]:
    """``from`` and ``to`` of a locus, "in a normalized form" (TEI 10.3.5): "12-14" gives
    12 and 14, "12 об." 12v and 12v. A list ("1, 3-5") has none: its text says it."""
    m = _LEAVES.fullmatch(folio.strip())
    if m is None:
        return {}
    first = m[1] + ("v" if m[2] else "")
    last = m[3] + ("v" if m[4] else "") if m[3] else first
    return {"from": first, "to": last}


def _has_ms_desc(doc: Document) -> bool:
    archive = doc.metadata.archive
    return archive is not None and bool(archive.repository_name or archive.repository_acronym)


def _profile_desc(header: etree._Element, doc: Document, schemes: list[KeywordScheme]) -> None:
    """``schemes``: the keyword sets, whose taxonomies classDecl declares."""
    meta = doc.metadata
    profile = _el(header, "profileDesc")
    if meta.summary:
        _el(_el(profile, "abstract"), "p", meta.summary)
    if meta.date is not None and not _has_ms_desc(doc):
        _el(_el(profile, "creation"), "date", meta.date.text, **_date_attrs(meta.date))
    if meta.senders or meta.addressees:
        corresp = _el(profile, "correspDesc")
        if meta.senders or meta.date is not None:  # an empty correspAction is invalid TEI
            sent = _el(corresp, "correspAction", type="sent")
            for agent in meta.senders:
                _agent(sent, agent)
            if meta.date is not None:
                _el(sent, "date", meta.date.text, **_date_attrs(meta.date))
        if meta.addressees:
            received = _el(corresp, "correspAction", type="received")
            for agent in meta.addressees:
                _agent(received, agent)
    codes = languages_used(doc.parts)
    if not codes:
        original = language_code(meta.original_language)
        codes = [original] if original else []
    if codes:  # TEI requires a language in langUsage; a document without text has none
        lang_usage = _el(profile, "langUsage")
        for code in codes:
            _el(lang_usage, "language", language_name(code), ident=code)
    if schemes:
        text_class = _el(profile, "textClass")
        for scheme in schemes:
            kw = _el(text_class, "keywords", scheme=f"#{scheme.ident}")
            for term in scheme.terms:
                _el(kw, "term", term, type=scheme.term_type, n=scheme.label)
