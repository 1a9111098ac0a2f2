"""TEI for the document text: parts, blocks and editorial marks.

First version: one ``div`` per part, one ``p`` per paragraph. The body
encoding work (issue 3) replaces this with the full mapping of
:mod:`edition.model` blocks and spans.
"""

from __future__ import annotations

from lxml import etree

from edition.model import Part

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, f"{{{TEI_NS}}}{tag}")
    for key, value in attrs.items():
        el.set(key, value)
    if text is not None:
        el.text = text
    return el


def build_text(parts: list[Part]) -> etree._Element:
    """Return the TEI ``text`` element for the document's parts, in source order."""
    text = etree.Element(f"{{{TEI_NS}}}text")
    body = _el(text, "body")
    for part in parts:
        div = _el(body, "div", type=part.role)
        div.set(f"{{{XML_NS}}}lang", part.lang)
        for para in part.paragraphs:
            _el(div, "p", para)
    return text
