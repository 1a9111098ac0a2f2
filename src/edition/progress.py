"""Progress of a long per-document run: a bar on a terminal, silence otherwise.

Logs and pipes get only the command's final summary line, so output stays
parseable; a person at a terminal sees the bar redrawn in place on stderr.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, label: str, total: int, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled if enabled is not None else _isatty(self.stream)
        self._started = time.perf_counter()
        self._last_draw = 0.0

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = time.perf_counter()
        # Redrawing costs a write per document; ten times a second is enough to read.
        if now - self._last_draw >= 0.1 or self.done >= self.total:
            self._last_draw = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        width = 30
        frac = self.done / self.total if self.total else 1.0
        filled = int(width * frac)
        rate = self.done / (now - self._started) if now > self._started else 0.0
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total} ({rate:.0f}/s)")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.total:
            self._draw(time.perf_counter())
            self.stream.write("\n")
            self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
