"""Errors a user can act on.

Every failure the pipeline expects carries the file and, where known, the
place in it, so the CLI can print one line such as
``seeds/x.txt:12: no known export shape`` instead of a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class EditionError(Exception):
    """A problem with an input or an output that the user must fix."""

    message: str
    path: Path | str | None = None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = str(self.path)
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        return f"{where}{self.message}"


class SourceError(EditionError):
    """An export that cannot be read or converted."""


class OutputConflict(EditionError):
    """Writing would overwrite something it must not (hand edits, another document's id)."""


# The way out of every refusal to overwrite a TEI file, and of every warning on one kept as
# edited by hand, in one wording: an editor who has read it once knows what --force costs.
FORCE_WAY_OUT = "or rerun with --force to replace the file with the source's conversion, losing what it holds now"
