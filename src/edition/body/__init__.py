"""Body encoding entry points (first version; the body work replaces the internals).

The converter calls :func:`segment`, then :func:`encode` for every part, with a
:class:`BodyContext` made by :meth:`BodyContext.for_document`.
"""

from __future__ import annotations

from dataclasses import dataclass

from edition.model import Block, DocDate, Document, Part


@dataclass(frozen=True)
class BodyContext:
    date: DocDate | None = None

    @classmethod
    def for_document(cls, doc: Document) -> "BodyContext":
        return cls(date=doc.metadata.date)


def segment(parts: list[Part], declared_language: str | None) -> list[Part]:
    return parts


def encode(part: Part, context: BodyContext) -> None:
    part.blocks = [Block("p", [para]) for para in part.paragraphs]
