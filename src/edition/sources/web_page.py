"""Web-page capture: the page's text saved from a browser, paragraphs separated by blank lines.

Recognised by the navigation line a browser capture starts with ("Skip to
content") and by blank-line paragraphs followed by the labelled-field footer.
"""

from __future__ import annotations

from edition.sources.capture import read_capture
from edition.sources.layout import LineEvidence, blank_line_paragraphs
from edition.sources.result import ReadResult

NAME = "web-page"


def detect(text: str) -> float:
    ev = LineEvidence.of(text)
    if not ev.nonblank:
        return 0.0
    score = 0.0
    if " ".join(ev.nonblank[0].split()).lower() in {"skip to content", "skip to main content"}:  # "Skip\xa0to"
        score += 0.6
    if ev.blank_share > 0.3:
        score += 0.2
    if ev.footer_labels:
        score += 0.2
    if ev.bold_lines > 2:
        score -= 0.5
    return max(0.0, min(score, 1.0))


def read(text: str) -> ReadResult:
    return read_capture(blank_line_paragraphs(text), NAME)
