"""lxml values with the types they have, where lxml-stubs says less.

XPath results: lxml types the result of every XPath evaluation (``_Element.xpath``,
a compiled ``etree.XPath``) as the union of everything XPath can return: a
boolean, a number, a string, or a list of elements, strings and namespace tuples.
Which of these a call returns is fixed by its expression, not by the document: a
location path that ends in elements always gives a list of elements, one that ends
in ``text()`` or an attribute a list of strings. :func:`elements` and
:func:`strings` say so once, where the result is read. Each checks that the result
is a list at all (one ``isinstance``, whatever the size of the node-set), which
catches an expression that returns a scalar, and trusts the expression for the type
of the items: checking every node would cost a pass over thousands of nodes per
document on the conversion, validation and rendering paths, for a fact the
expression already fixes.

Places where lxml-stubs (0.5.1) is wrong rather than broad: ``itertext()`` and the
names and values of ``attrib`` are typed ``str | bytes`` (Python 2's lxml could
give bytes; on Python 3 they are always ``str``), and ``_Element.sourceline`` has
no type at all (the stub says ``sourceline = ...  # Optional[int]``, a plain
comment, so the attribute reads as ``...``). :func:`text`, :func:`attributes` and
:func:`sourceline` give them their real types.

Elsewhere, ``nsmap={None: ...}`` carries a targeted ``type: ignore[dict-item]``:
lxml's key for the default namespace is None (an empty prefix raises ValueError),
and lxml-stubs types ``nsmap`` as ``Mapping[str, str]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import cast

from lxml import etree


def _node_set(result: object) -> list[object]:
    if not isinstance(result, list):
        raise TypeError(f"XPath returned a {type(result).__name__}, not a node-set")
    return result


def elements(result: object) -> list[etree._Element]:
    """``result``, the node-set of an expression that selects only elements."""
    # The expression selects elements, so lxml gives only _Element items (see the module docstring).
    return cast("list[etree._Element]", _node_set(result))


def strings(result: object) -> list[str]:
    """``result``, the node-set of an expression that selects only text nodes or attribute
    values (plain ``str`` with ``smart_strings=False``, else lxml's ``str`` subclass)."""
    # The expression selects text or attribute values, so lxml gives only str items.
    return cast("list[str]", _node_set(result))


def text(el: etree._Element) -> str:
    """All the text in ``el``: its own, and its descendants' with their tails."""
    # lxml-stubs types itertext() as Iterator[str | bytes]; on Python 3 lxml yields str only.
    return "".join(cast("Iterator[str]", el.itertext()))


def attributes(el: etree._Element) -> dict[str, str]:
    """``dict(el.attrib)``: a copy of ``el``'s attributes, in document order."""
    # lxml-stubs types attribute names and values str | bytes, and _Attrib as no Mapping; lxml gives str.
    return dict(cast("Mapping[str, str]", el.attrib))


def sourceline(el: etree._Element) -> int | None:
    """The line ``el`` was parsed from, None for an element built in memory."""
    # lxml-stubs declares sourceline with a comment instead of a type; lxml gives int | None.
    return cast("int | None", el.sourceline)
