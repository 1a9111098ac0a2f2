"""``edition validate``: check TEI files against the edition's schemas and tei_all."""

from __future__ import annotations

import json
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
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: one line per problem and a summary on stderr; json: one object with the counts and every finding.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True,
              help="Worker processes (0: one per CPU when there are many files).")
@click.option("--strict-tei-all", is_flag=True, help="Run tei_all's RELAX NG and all of its embedded Schematron on every file, even those edition.rng (a proven subset of tei_all) accepts.")
@click.option("--full", is_flag=True, help="Ignore the validation manifest: validate every file again.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file (for the TEI folder and the build folder holding the manifest).")
def validate(paths: tuple[Path, ...], layers: str, fmt: str, jobs: int, strict_tei_all: bool, full: bool, config_path: Path | None) -> int:
    """Validate TEI files (default: paths.tei of the configuration, tei/), one line per problem:

    FILE:LINE:COL: SEVERITY: RULE: MESSAGE

    Exits 1 when any error is found, 0 when there are only warnings, 2 for
    usage errors (a path that names nothing, no *.xml file to validate).
    """
    from edition.config import as_given, load_config
    from edition.executor import default_workers
    from edition.incremental import validate_incremental
    from edition.progress import Progress
    from edition.runlock import build_lock
    from edition.validate import parse_layers

    try:
        chosen = parse_layers(layers)
    except EditionError as exc:
        raise click.UsageError(str(exc)) from exc
    config = load_config(config_path)
    targets = list(paths) or [as_given(config.tei_dir)]
    # As for convert and check: a path that names nothing, or nothing to validate, is
    # the caller's mistake (exit 2), not a finding about a file.
    missing = [p for p in targets if not p.exists()]
    for p in missing:
        click.echo(f"edition: error: {p}: no such file or folder", err=True)
    if missing:
        return 2
    if jobs <= 0:
        jobs = default_workers()
    build_dir = config.build_dir
    with build_lock(build_dir):  # its records are in the build folder
        findings, count = validate_incremental(
            targets,
            chosen,
            jobs=jobs,
            build_dir=build_dir,
            tei_all_rng="always" if strict_tei_all else "implied",
            use_manifest=not full,
            progress=Progress("validating", 0),
        )
    if count == 0:
        click.echo(f"edition: error: no TEI files (*.xml) in {', '.join(map(str, targets))}", err=True)
        return 2
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
