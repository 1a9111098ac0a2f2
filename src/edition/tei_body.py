"""TEI for the document text: parts, blocks and editorial marks.

One ``div`` per part (``type`` original/translation/transcription, ``xml:lang``)
in source order. Blocks map to TEI by kind and zone: opener-zone blocks go to
the top of a division (``head``, ``opener`` with ``address``/``byline``/
``dateline``/``salute``), body blocks to ``p``/``list``/``ab``, closer-zone
blocks into ``closer`` (``signed``, ``dateline``, notes). Prose that resumes
after a closer (a covering letter followed by its enclosure) starts a new
section, written as a nested ``div``. Whatever the block sequence, the result
stays inside the TEI content model: blocks that cannot stand where they are
fall back to a neutral element of the same text (``ab`` with a ``type``), never
to nothing.
"""

from __future__ import annotations

from lxml import etree

from edition.model import Block, Inline, Part, Span

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"

_TOP, _BODY, _BOTTOM = 0, 1, 2
_OPENER_KINDS = {"address", "dateline", "salute"}
_GLOBAL_KINDS = {"note", "registry", "fw", "pb"}
_BODY_KINDS = {"p", "list", "ab", "item", "postscript"}

# Span attributes that are TEI attributes, per span kind; others are internal.
_SPAN_ATTRS = {
    "supplied": ("reason", "resp", "cert"),
    "sic": (),
    "del": ("rend", "hand"),
    "add": ("place", "hand"),
    "hi": ("rend",),
    "gap": ("reason", "extent"),
    "stamp": ("type",),
    "note": ("type", "n", "place", "hand", "resp", "xml:id", "xml:lang"),
    "date": ("when", "notBefore", "notAfter", "cert", "type"),
    "name": ("type",),
    "org": (),
    "fw": ("type", "place"),
    "pb": ("n",),
    "ptr": ("type", "target", "n"),
}
_SPAN_TAGS = {"name": "persName", "org": "orgName"}


def _tei(tag: str) -> str:
    return f"{{{TEI_NS}}}{tag}"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, _tei(tag))
    for key, value in attrs.items():
        if value:
            el.set(key, value)
    if text is not None:
        el.text = text
    return el


def inlines(el: etree._Element, items: list[Inline]) -> None:
    """Write model inlines as the mixed content of ``el``."""
    _mixed(el, items, False)


def block_inlines(el: etree._Element, items: list[Inline]) -> None:
    """:func:`inlines`, without the whitespace at the edges of the block (indentation in
    the export, not text)."""
    _mixed(el, items, True)


def _mixed(el: etree._Element, items: list[Inline], trimmed: bool) -> None:
    """Append ``items`` to the content of ``el``, each hard line break ("\\n") of their
    text an ``lb``; ``trimmed``: then strip the white space at the content's edges.

    The text of each node (``el.text``, each child's tail) is gathered here and set once:
    lxml encodes a string it is given and decodes one it is asked for, and appending
    piece by piece, then trimming, asked for and set each run of text again several
    times (a sixth of writing the body)."""
    count = len(el)
    last = el[count - 1] if count else None  # the node whose tail the text goes to (None: el.text)
    if trimmed and last is not None and el.text:
        el.text = el.text.lstrip() or None  # the content's start is before children already there
    before = last.tail if last is not None else el.text
    pending = [before] if before else []
    for item in items:
        if isinstance(item, str):
            if "\n" not in item:
                if item:
                    pending.append(item)
                continue
            for i, line in enumerate(item.split("\n")):
                if i:
                    _set_text(el, last, pending, trimmed, False)
                    last = etree.SubElement(el, _tei("lb"))
                    pending = []
                if line:
                    pending.append(line)
        else:
            _set_text(el, last, pending, trimmed, False)
            last = _span(el, item)
            pending = []
    _set_text(el, last, pending, trimmed, True)


def _set_text(el: etree._Element, last: etree._Element | None, pending: list[str], trimmed: bool, end: bool) -> None:
    """Set the text gathered (``pending``) as ``el``'s text (``last`` None) or ``last``'s
    tail; trimmed at the content's start and ``end`` as the block's edges are."""
    if not pending:
        return
    text: str | None = pending[0] if len(pending) == 1 else "".join(pending)
    if trimmed and text:
        if last is None:
            text = (text.strip() if end else text.lstrip()) or None
        elif end:
            text = text.rstrip() or None
    if last is None:
        el.text = text
    else:
        last.tail = text


def _span(parent: etree._Element, span: Span) -> etree._Element:
    """Write ``span`` as the last child of ``parent``, and return that child."""
    attrs = {f"{{{XML_NS}}}{k[4:]}" if k.startswith("xml:") else k: v for k, v in span.attrs.items() if k in _SPAN_ATTRS.get(span.kind, ())}
    if span.kind == "expan":
        choice = _el(parent, "choice")
        _el(choice, "abbr", span.attrs.get("abbr", ""))
        expan = _el(choice, "expan", resp=span.attrs.get("resp", ""))
        inlines(expan, span.content)
        return choice
    if span.kind == "gap":
        gap = _el(parent, "gap", **attrs)
        desc = "".join(x for x in span.content if isinstance(x, str)).strip()
        if desc:
            _el(gap, "desc", desc)
        return gap
    if span.kind in {"pb", "ptr"}:  # empty elements
        return _el(parent, span.kind, **attrs)
    el = _el(parent, _SPAN_TAGS.get(span.kind, span.kind), **attrs)
    inlines(el, span.content)
    return el


def _lines(items: list[Inline]) -> list[list[Inline]]:
    """Inlines split at their hard line breaks (those in the text itself, not inside a mark).

    An addressee over two lines of one paragraph ("ПЕРВОМУ СЕКРЕТАРЮ ЦК КПСС" / "тов.
    ХРУЩЕВУ Н.С.") is two lines of the address, each an ``addrLine``, not one with an ``lb``.
    """
    lines: list[list[Inline]] = [[]]
    for item in items:
        if isinstance(item, str) and "\n" in item:
            first, *rest = item.split("\n")
            lines[-1].append(first)
            lines.extend([piece] for piece in rest)
        else:
            lines[-1].append(item)
    kept = [line for line in lines if any(x.strip() if isinstance(x, str) else True for x in line)]
    return kept or [items]


def _note(parent: etree._Element, block: Block, note_type: str | None = None) -> etree._Element:
    attrs = {k: v for k, v in block.attrs.items() if k in {"n", "place", "hand"}}
    el = _el(parent, "note", type=note_type or block.attrs.get("type", ""), **attrs)
    if block.items:
        for item in block.items:
            p = _el(el, "p")
            block_inlines(p, item.content)
    block_inlines(el, block.content)
    return el


def _global(parent: etree._Element, block: Block) -> None:
    """Blocks that TEI allows anywhere between divisions' parts (model.global)."""
    if block.kind == "pb":
        _el(parent, "pb", n=block.attrs.get("n", ""))
    elif block.kind == "fw":
        fw = _el(parent, "fw", type=block.attrs.get("type", ""))
        block_inlines(fw, block.content)
    elif block.kind == "registry":
        _note(parent, block, "registry")
    elif block.kind == "ab":
        # Text of unknown function inside an opener or closer: a note keeps it in place.
        _note(parent, block, block.attrs.get("type", "fragment"))
    else:
        _note(parent, block)


def _list(parent: etree._Element, block: Block) -> None:
    lst = _el(parent, "list", type=block.attrs.get("type", ""))
    for item in block.items:
        if item.attrs.get("label"):
            _el(lst, "label", item.attrs["label"])
        it = _el(lst, "item", n=item.attrs.get("n", ""))
        block_inlines(it, item.content)


class _Section:
    """Writes one section's blocks into a division, keeping TEI's order top, body, bottom."""

    def __init__(self, div: etree._Element, has_body: bool) -> None:
        self.div = div
        self.phase = _TOP
        self.has_body = has_body
        self.opener: etree._Element | None = None
        self.address: etree._Element | None = None
        self.closer: etree._Element | None = None

    def write(self, block: Block) -> None:
        kind, zone = block.kind, block.zone
        if kind in _GLOBAL_KINDS or (kind == "ab" and self.phase != _BODY and zone != "body"):
            self._global(block)
        elif kind in _BODY_KINDS or zone == "body" or (zone == "closer" and not self.has_body):
            if zone == "closer" and not self.has_body and kind in {"signed", "dateline", "salute"}:
                self._top(block)  # a section with no text: its signature stands at its top
            else:
                self._body(block)
        elif zone == "closer":
            self._bottom(block)
        else:
            self._top(block)

    def _global(self, block: Block) -> None:
        target = self.closer if self.closer is not None else self.opener if self.opener is not None else self.div
        if self.address is not None and target is self.opener:
            self.address = None
        _global(target, block)

    def _top(self, block: Block) -> None:
        if self.phase != _TOP:
            self._fallback(block)
            return
        kind = block.kind
        if kind in _OPENER_KINDS:
            if self.opener is None:
                self.opener = _el(self.div, "opener")
            if kind == "address" and block.attrs.get("type") != "sender":
                if self.address is None:
                    self.address = _el(self.opener, "address")
                for line in _lines(block.content):
                    block_inlines(_el(self.address, "addrLine"), line)
                return
            self.address = None
            if kind == "address":
                block_inlines(_el(self.opener, "byline"), block.content)
            else:
                block_inlines(_el(self.opener, kind), block.content)
            return
        self.opener = self.address = None
        if kind in {"head", "signed"}:
            block_inlines(_el(self.div, kind), block.content)
        else:
            self._fallback(block)

    def _body(self, block: Block) -> None:
        if block.kind == "postscript" and self.phase != _TOP:
            self.phase = _BOTTOM
            self.opener = self.address = self.closer = None
            block_inlines(_el(_el(self.div, "postscript"), "p"), block.content)
            return
        if self.phase == _BOTTOM:
            # Text after the closer that is not a new section: a postscript.
            ps = _el(self.div, "postscript")
            self.closer = None
            self._write_body(ps, block)
            return
        self.phase = _BODY
        self.opener = self.address = None
        self._write_body(self.div, block)

    def _write_body(self, parent: etree._Element, block: Block) -> None:
        kind = block.kind
        if kind == "list":
            _list(parent, block)
        elif kind == "ab":
            block_inlines(_el(parent, "ab", type=block.attrs.get("type", "")), block.content)
        else:
            # A paragraph, or a line that cannot keep its function where it stands
            # (a postscript before any text, an opener line among paragraphs): its text as a paragraph.
            block_inlines(_el(parent, "p"), block.content)

    def _bottom(self, block: Block) -> None:
        self.phase = _BOTTOM
        self.opener = self.address = None
        if self.closer is None:
            self.closer = _el(self.div, "closer")
        kind = block.kind
        if kind in {"signed", "dateline", "salute"}:
            block_inlines(_el(self.closer, kind), block.content)
        else:
            _note(self.closer, block, block.attrs.get("type") or "annotation")

    def _fallback(self, block: Block) -> None:
        if self.phase == _BOTTOM:
            self._bottom(block)
        else:
            self.phase = _BODY
            self.opener = self.address = None
            self._write_body(self.div, block)


def _sections(blocks: list[Block]) -> list[list[Block]]:
    """Split where text starts again after a closer, or an opener follows text."""
    sections: list[list[Block]] = [[]]
    seen_body = seen_closer = False
    for block in blocks:
        starts_text = block.zone == "body" and block.kind in _BODY_KINDS
        if (starts_text and seen_closer) or (block.zone == "opener" and block.kind not in _GLOBAL_KINDS and (seen_body or seen_closer)):
            sections.append([])
            seen_body = seen_closer = False
        sections[-1].append(block)
        seen_body = seen_body or starts_text
        seen_closer = seen_closer or block.zone == "closer"
    return [s for s in sections if s]


def _write_section(div: etree._Element, blocks: list[Block]) -> None:
    has_body = any(b.zone == "body" and b.kind in _BODY_KINDS for b in blocks)
    section = _Section(div, has_body)
    for block in blocks:
        section.write(block)


def build_part(parent: etree._Element, part: Part) -> etree._Element:
    div = _el(parent, "div", type=part.role)
    div.set(f"{{{XML_NS}}}lang", part.lang)
    if part.ocr:
        div.set("subtype", "uncorrected-ocr")
    blocks = part.blocks or [Block("p", [p]) for p in part.paragraphs if p.strip()]
    sections = _sections(blocks)
    if len(sections) == 1:
        _write_section(div, sections[0])
    else:
        for blocks_of_section in sections:
            section = _el(div, "div", type="section")
            section.set(f"{{{XML_NS}}}lang", part.lang)
            _write_section(section, blocks_of_section)
    return div


def build_text(parts: list[Part]) -> etree._Element:
    """Return the TEI ``text`` element for the document's parts, in source order."""
    text = etree.Element(_tei("text"))
    body = _el(text, "body")
    for part in parts:
        build_part(body, part)
    if not len(body):
        # A document with no text still needs a body that TEI accepts.
        _el(body, "p")
    return text
