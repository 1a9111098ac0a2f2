"""Body encoding: the document text as TEI-ready blocks.

The converter calls :func:`segment` once per document (splitting originals by
language), then :func:`encode` for every part with a :class:`BodyContext` made
by :meth:`BodyContext.for_document`. Language identification lives in
:mod:`edition.body.language`, the editorial-mark syntax in
:mod:`edition.body.marks`, and openers, closers, lists and registry marks in
:mod:`edition.body.structure`.
"""

from __future__ import annotations

from edition.body.language import segment
from edition.body.structure import BodyContext, encode_paragraphs, part_footnotes
from edition.model import Block, Inline, Part, Span

__all__ = ["BodyContext", "encode", "encode_parts", "hands_used", "segment"]


def encode(part: Part, context: BodyContext) -> None:
    """Fill ``part.blocks`` from ``part.paragraphs``."""
    part.blocks = encode_paragraphs(part.paragraphs, context, part.role)


def encode_parts(parts: list[Part], context: BodyContext) -> None:
    """:func:`encode` for each of a document's parts, with its footnotes taken from all of
    them: a definition after the translation may be the original's note."""
    resps = [context.translator if part.role == "translation" else None for part in parts]  # as encode_paragraphs has them
    for part, found in zip(parts, part_footnotes([part.paragraphs for part in parts], [part.lang for part in parts], resps)):
        part.blocks = encode_paragraphs(found.paragraphs, context, part.role, found)


def hands_used(parts: list[Part]) -> list[str]:
    """The ids the encoded body points to with ``@hand`` (e.g. ``["handwritten"]``), sorted.

    The header declares each as a ``handNote`` so the pointers resolve.
    """
    found: set[str] = set()

    def visit(items: list[Inline]) -> None:
        for item in items:
            if isinstance(item, Span):
                if item.attrs.get("hand", "").startswith("#"):
                    found.add(item.attrs["hand"][1:])
                visit(item.content)

    def visit_blocks(blocks: list[Block]) -> None:
        for block in blocks:
            if block.attrs.get("hand", "").startswith("#"):
                found.add(block.attrs["hand"][1:])
            visit(block.content)
            visit_blocks(block.items)

    for part in parts:
        visit_blocks(part.blocks)
    return sorted(found)
