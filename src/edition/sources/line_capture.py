"""Line capture: the page's text with one paragraph per line and no blank lines.

Recognised by the absence of blank lines, a date on the first line, and the
labelled-field footer standing one label per line (often empty).
"""

from __future__ import annotations

from edition.dates import slot_date
from edition.sources.capture import read_capture
from edition.sources.layout import LineEvidence, line_paragraphs
from edition.sources.result import ReadResult

NAME = "line-per-paragraph"


def detect(text: str) -> float:
    ev = LineEvidence.of(text)
    if not ev.nonblank:
        return 0.0
    score = 0.0
    if ev.blank_share < 0.1:
        score += 0.4
    if slot_date(ev.nonblank[0]) is not None:
        score += 0.3
    if ev.footer_labels >= 2:
        score += 0.3
    if ev.bold_lines > 2:
        score -= 0.5
    return max(0.0, min(score, 1.0))


def read(text: str) -> ReadResult:
    return read_capture(line_paragraphs(text), NAME)
