"""The one way to parse XML the edition did not write itself.

Hand-edited TEI, registers, harvested records and downloaded schemas are
untrusted: a document type declaration can pull in local files
(``<!ENTITY x SYSTEM "file:///etc/passwd">``), fetch from the network, or
expand a few hundred bytes into gigabytes (the "billion laughs"), and a
hundred thousand nested elements can exhaust the stack of whatever walks the
tree next. None of that has a place in a TEI edition, so this module refuses
DTDs outright rather than trying to tame them, never resolves entities or
touches the network, and caps size and nesting depth. Every refusal is an
:class:`~edition.errors.EditionError` naming the file and line.

Use :func:`parse_file` / :func:`parse_bytes` (or :func:`parser` where an
lxml API wants a parser object) instead of ``etree.parse``/``etree.fromstring``
with lxml's defaults. :func:`checked_bytes` vets a document before it is handed
to another XML engine (Saxon), which has its own, more permissive, defaults.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from pathlib import Path

from lxml import etree

from edition import lxmltypes
from edition.errors import EditionError

# TEI documents of this edition nest about 15 levels; 200 leaves room for any
# real document and stays under libxml2's own ceiling (256 without huge_tree),
# so the error is always ours and says what to do.
MAX_DEPTH = 200
MAX_BYTES = 64 * 1024 * 1024

# What may precede the root element: white space, the XML declaration, PIs,
# comments, and (refused) a DTD.
_PROLOG_TOKEN = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->|<!(DOCTYPE|ENTITY)\b", re.DOTALL)
_PROLOG_SCAN = 1 << 20


class UnsafeXMLError(EditionError):
    """XML that tries to declare a DTD, nests too deeply or is too large."""


class MalformedXMLError(EditionError):
    """XML that is not well-formed."""


def parser(*, remove_blank_text: bool = False, remove_comments: bool = False) -> etree.XMLParser:
    """An lxml parser that resolves nothing, loads nothing and fetches nothing.

    On its own it still accepts an inert internal DTD subset; the functions of
    this module also reject those, so prefer them to a bare parser.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_blank_text=remove_blank_text,
        remove_comments=remove_comments,
        collect_ids=False,
    )


def _as_text(data: bytes) -> str:
    """The start of the document as text, enough to read its prolog."""
    head = data[:_PROLOG_SCAN]
    if head.startswith(codecs.BOM_UTF8):
        return head[3:].decode("utf-8", "replace")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.decode("utf-16", "replace")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "replace")
    return head.decode("utf-8", "replace")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _refuse_dtd(data: bytes, origin: Path | str | None) -> None:
    # Only the prolog can hold a DTD ("<!DOCTYPE" in a comment of the body is
    # harmless text), so the scan walks the prolog token by token and stops at
    # the root element.
    text = _as_text(data)
    pos = 0
    while m := _PROLOG_TOKEN.match(text, pos):
        if m.group(1):
            raise UnsafeXMLError(
                f"document type declaration (<!{m.group(1)}) found; DTDs and entity declarations are not "
                "allowed in edition XML (they can read local files or expand without bound); remove it",
                origin,
                _line_of(text, m.start()),
            )
        pos = m.end()


def _check_depth(root: etree._Element, origin: Path | str | None, max_depth: int) -> None:
    # One XPath of max_depth + 1 steps finds the elements nested deeper, walked
    # in libxml2 rather than in Python: a tenth of the cost, on every parse.
    deeper = lxmltypes.elements(_deeper_than(max_depth)(root))
    if deeper:
        raise UnsafeXMLError(
            f"elements nested more than {max_depth} levels deep; this is not a document the edition can hold",
            origin,
            lxmltypes.sourceline(deeper[0]),
        )


@cache
def _deeper_than(max_depth: int) -> etree.XPath:
    return etree.XPath("/" + "/".join(["*"] * (max_depth + 1)))


def _syntax_error(exc: etree.XMLSyntaxError, origin: Path | str | None, max_depth: int) -> EditionError:
    message = " ".join(str(exc.msg or exc).split())
    line, column = (exc.position if exc.position else (exc.lineno, None))
    if "Excessive depth" in message:
        return UnsafeXMLError(
            f"elements nested more than {max_depth} levels deep; this is not a document the edition can hold",
            origin,
            line,
        )
    if "amplification" in message or ("entity" in message.lower() and "loop" in message.lower()):
        return UnsafeXMLError(f"entity expansion refused: {message}", origin, line)
    # libxml2 appends its own ", line N, column M" to the message; we say it once.
    message = re.sub(r",? line \d+, column \d+.*$", "", message)
    if message.startswith("Resource limit exceeded") or re.search(r"\b(too long|too big)\b", message):
        # Well-formed, but one text, value, comment or name is over libxml2's limit
        # (huge_tree is off: 10,000,000 characters, 50,000 for a name): not a syntax error, and
        # libxml2's advice (XML_PARSE_HUGE) is for programmers.
        what = re.sub(r"^Resource limit exceeded: |,? try XML_PARSE_HUGE.*$", "", message)
        return UnsafeXMLError(
            f"{what}: a single text, attribute value, comment or name this long is more than the edition's XML parser "
            "accepts; no real document has one, so split it or remove it",
            origin,
            line,
            column,
        )
    return MalformedXMLError(f"not well-formed XML: {message}", origin, line, column)


def parse_bytes(data: bytes | str, origin: Path | str | None = None, *, max_depth: int = MAX_DEPTH) -> etree._ElementTree:
    """Parse untrusted XML, or raise an :class:`EditionError` naming ``origin`` and the line."""
    if isinstance(data, str):
        # A str with an encoding declaration is rejected by lxml; bytes are what a file holds.
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise UnsafeXMLError(f"XML is {len(data)} bytes, over the {MAX_BYTES}-byte limit", origin)
    _refuse_dtd(data, origin)
    try:
        # Our parser has no target, so lxml gives an element (the stub allows Any for parsers that do).
        root: etree._Element = etree.fromstring(data, parser())  # no base URL: lxml's default
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, origin, max_depth) from None
    tree = root.getroottree()
    # An encoding _as_text could not see through (a declared EBCDIC, say) still
    # cannot sneak a DTD in: libxml2 reports what it parsed.
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:  # type: ignore[attr-defined]  # lxml-stubs: DocInfo lacks doctype
        raise UnsafeXMLError("document type declaration found; DTDs are not allowed in edition XML; remove it", origin, 1)
    _check_depth(root, origin, max_depth)
    return tree


def read_file(path: Path) -> bytes:
    """The bytes of an untrusted XML file, refused unread when over the size limit."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise UnsafeXMLError(f"XML is {size} bytes, over the {MAX_BYTES}-byte limit", path)
        return path.read_bytes()
    except OSError as exc:
        raise EditionError(f"cannot read: {exc.strerror or exc}", path) from None


def parse_file(path: Path, *, max_depth: int = MAX_DEPTH) -> etree._ElementTree:
    """Read and parse an untrusted XML file (see :func:`parse_bytes`)."""
    return parse_bytes(read_file(path), path, max_depth=max_depth)


class Vetted(bytes):
    """Bytes that have passed :func:`parse_bytes`'s checks (at the default depth).

    Made by :func:`parse_vetted`, or by :func:`vetted_again` for bytes proved equal
    to bytes it vetted; :func:`checked_bytes` lets them through without parsing
    them again. The build reads each TEI file once and hands the same bytes
    to three stylesheets, so the proof travels with the bytes instead of the work
    being done again for each.
    """

    __slots__ = ()


def parse_vetted(data: bytes, origin: Path | str | None = None) -> tuple[etree._ElementTree, Vetted]:
    """:func:`parse_bytes`, and the bytes marked as checked."""
    tree = parse_bytes(data, origin)
    return tree, data if isinstance(data, Vetted) else Vetted(data)


def vetted_again(data: bytes) -> Vetted:
    """``data`` marked as checked, for a caller that has proved them the same bytes
    :func:`parse_vetted` accepted (the build compares their SHA-256 with that of
    the bytes it vetted when it read the file's facts)."""
    return data if isinstance(data, Vetted) else Vetted(data)


def checked_bytes(data: bytes, origin: Path | str | None = None, *, max_depth: int = MAX_DEPTH) -> bytes:
    """``data`` unchanged once it has passed :func:`parse_bytes`'s checks.

    For handing a document to an engine (Saxon) whose parser would honour a DTD.
    """
    if isinstance(data, Vetted) and max_depth >= MAX_DEPTH:
        return data
    parse_bytes(data, origin, max_depth=max_depth)
    return data
