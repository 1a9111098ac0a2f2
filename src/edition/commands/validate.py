"""``edition validate``: check TEI files against the edition's schemas and tei_all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from edition.errors import EditionError


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--layers",
    default="edition,schematron,tei_all",
    show_default=True,
    help="Comma-separated layers to run: edition (RELAX NG), schematron (edition rules), tei_all (RELAX NG + embedded Schematron).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (0: one per CPU when there are many files).")
def validate(paths: tuple[Path, ...], layers: str, fmt: str, jobs: int) -> int:
    """Validate TEI files (default: tei/), one line per problem:

    FILE:LINE:COL: SEVERITY: RULE: MESSAGE

    Exits 1 when any error is found, 0 when there are only warnings.
    """
    from edition.validate import get_validator, parse_layers

    try:
        chosen = parse_layers(layers)
    except EditionError as exc:
        raise click.UsageError(str(exc)) from exc
    targets = list(paths) or [Path("tei")]
    validator = get_validator(chosen)
    if jobs <= 0:
        jobs = os.cpu_count() or 1
    findings, count = validator.validate_paths(targets, jobs=jobs)
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = len(findings) - errors
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "files": count,
                    "layers": list(chosen),
                    "errors": errors,
                    "warnings": warnings,
                    "findings": [f.as_dict() for f in findings],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for finding in findings:
            click.echo(finding.format())
        click.echo(
            f"validate: {count} file(s), {errors} error(s), {warnings} warning(s) [{', '.join(chosen)}]",
            err=True,
        )
    return 1 if errors else 0
