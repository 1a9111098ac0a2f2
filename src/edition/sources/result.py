"""What a shape reader hands back: metadata, raw parts and the account of lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from edition.model import Metadata, Part, Segment


@dataclass
class ReadResult:
    shape: str
    metadata: Metadata
    parts: list[Part]
    segments: list[Segment] = field(default_factory=list)
    # What the editor should hear about the export itself (a footer cut short, say).
    warnings: list[str] = field(default_factory=list)
