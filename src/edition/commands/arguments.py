"""What the commands that read exports (convert, check) make of their SOURCES argument
and their --id-prefix option."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from edition.convert import collect_sources
from edition.ids import prefix_problem


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


def _checked_prefix(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and (problem := prefix_problem(value)) is not None:
        raise click.BadParameter(problem, ctx, param)
    return value


id_prefix_option = click.option(
    "--id-prefix", default=None, callback=_checked_prefix,
    help="Prefix of ids made from an archive record id [default: convert.record_id_prefix of the configuration].",
)
