"""Findings point at the start tag (or attribute) of their node, whatever the file's layout."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from edition.validate import Locator

NAMES = ["p", "div", "tei:hi", "note", "x-y"]
SPACE = st.sampled_from([" ", "\n", "\n    ", "\t", "  \n  "])
TEXT = st.sampled_from(["", "text", "a < b", "Текст", "\n", "x > y", "&amp;"])


@st.composite
def element(draw, depth=0):
    name = draw(st.sampled_from(NAMES))
    attrs = draw(st.lists(st.sampled_from(["n", "type", "xml:lang", "rend"]), unique=True, max_size=3))
    head = f"<{name}"
    for attr in attrs:
        head += draw(SPACE) + f'{attr}="v{draw(st.integers(0, 9))}"'
    head += draw(st.sampled_from(["", " ", "\n"]))
    if depth >= 3 or draw(st.booleans()):
        return head + "/>"
    body = ""
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["el", "text", "comment", "cdata", "pi"]))
        if kind == "el":
            body += draw(element(depth + 1))
        elif kind == "text":
            text = draw(TEXT)
            body += text if text.startswith("&") else text.replace("<", "&lt;").replace(">", "&gt;")
        elif kind == "comment":
            body += "<!-- <p> in a comment -->"
        elif kind == "cdata":
            body += "<![CDATA[<div>not an element</div>]]>"
        else:
            body += "<?pi <note/>?>"
    return f"{head}>{body}</{name}>"


@settings(max_examples=150, deadline=None)
@given(element(), st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8"?>\n', "<!-- lead -->\n"]))
def test_every_element_and_attribute_is_located(root, prolog):
    source = _declare_prefix(prolog + root)  # so every tei:hi is well-formed
    data = source.encode("utf-8")
    tree = etree.fromstring(data)
    locator = Locator(data, tree)
    lines = source.split("\n")
    for el in tree.iter(etree.Element):
        line, column = locator.element(el)
        text = lines[line - 1][column - 1 :]
        qname = (el.prefix + ":" if el.prefix else "") + etree.QName(el).localname
        assert text.startswith("<" + qname), (line, column, text[:20])
        for attr in el.attrib:
            q = etree.QName(attr)
            shown = ("xml:" if q.namespace == "http://www.w3.org/XML/1998/namespace" else "") + q.localname
            line, column = locator.element(el, shown)
            assert lines[line - 1][column - 1 :].startswith(shown + "="), (shown, line, column)


def _declare_prefix(source: str) -> str:
    """Put xmlns:tei on the root element, wherever the prolog ends."""
    start = source.index("<", source.index("-->") + 3 if source.startswith("<!--") else (source.index("?>") + 2 if source.startswith("<?xml") else 0))
    end = start + 1
    while end < len(source) and source[end] not in " \n\t/>":
        end += 1
    return source[:end] + ' xmlns:tei="urn:tei"' + source[end:]
