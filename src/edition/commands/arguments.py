"""What the commands that read exports (convert, check) make of their SOURCES argument."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from edition.convert import collect_sources


def source_files(sources: Sequence[Path]) -> list[Path] | None:
    """The export files that SOURCES name (files, or folders of them), in order; None
    once it has said on standard error why there are none to read (a path that does
    not exist, or no ``*.txt`` / ``*.md`` file), which is a usage error (exit status 2)."""
    missing = [p for p in sources if not p.exists()]
    for p in missing:
        click.echo(f"edition: error: {p}: no such file or folder", err=True)
    if missing:
        return None
    paths = collect_sources(list(sources))
    if not paths:
        click.echo("edition: error: no source files (*.txt, *.md) found", err=True)
        return None
    return paths
