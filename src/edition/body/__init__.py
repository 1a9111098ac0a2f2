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
from edition.body.structure import BodyContext, encode_paragraphs
from edition.model import Part

__all__ = ["BodyContext", "encode", "segment"]


def encode(part: Part, context: BodyContext) -> None:
    """Fill ``part.blocks`` from ``part.paragraphs``."""
    part.blocks = encode_paragraphs(part.paragraphs, context, part.role)
