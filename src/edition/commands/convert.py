"""``edition convert``: exports to TEI files."""

from __future__ import annotations

from pathlib import Path

import click

from edition.commands.arguments import id_prefix_option, source_files
from edition.commands.cluster import cluster_executor, scheduler_option
from edition.config import as_given, load_config
from edition.convert import convert_all, convert_manifest
from edition.errors import FORCE_WAY_OUT
from edition.runlock import build_lock


@click.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder for the TEI files [default: paths.tei of the configuration, tei/].")
@click.option("--force", is_flag=True, help="Overwrite TEI files even if they were edited by hand.")
@id_prefix_option
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--full", is_flag=True, help="Convert every source again, even those unchanged since the last run.")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes (0: one per core).")
@scheduler_option
@click.option("-v", "--verbose", is_flag=True, help="Say which export shape each file is and what was written.")
def convert(sources: tuple[Path, ...], out_dir: Path | None, force: bool, id_prefix: str | None, config_path: Path | None, full: bool, jobs: int,
            scheduler: str | None, verbose: bool) -> int:
    """Convert export files (or folders of them) into TEI files in OUT.

    SOURCES default to paths.sources of the configuration (seeds/), as `edition make`
    and `make convert` take them.

    A TEI file edited by hand is kept as it is while its source is the export it
    was converted from; once the source changes, converting it fails (naming the
    file) until the editor carries the change over or gives --force.

    Exit status: 0 when every source was converted (or its hand-edited TEI file
    kept), 1 when any failed (the others are still converted), 2 for usage errors.
    """
    config = load_config(config_path)
    paths = source_files(sources or (as_given(config.sources_dir),))
    if paths is None:
        return 2
    out_dir = out_dir or as_given(config.tei_dir)
    prefix = id_prefix if id_prefix is not None else config.record_id_prefix
    from functools import partial

    from edition.fidelity import check_store

    # Each source converted is checked where it is in hand, for `edition check` to find.
    checks = None if full else partial(check_store, config.build_dir, out_dir, prefix)
    # The manifest is read under the lock: another run may be writing it.
    with build_lock(config.build_dir), cluster_executor(scheduler) as executor:
        # --force must look at every TEI file again (hand edits are what it overrides).
        manifest = None if full or force else convert_manifest(config.build_dir, out_dir, prefix, config.publication)
        outcomes = convert_all(
            paths,
            out_dir,
            force=force,
            id_prefix=prefix,
            publication=config.publication,
            executor=executor,
            manifest=manifest,
            checks=checks,
            workers=jobs or None,
        )
    failed = 0
    for o in outcomes:
        for warning in o.warnings:
            click.echo(f"edition: warning: {o.source}: {warning}", err=True)
        if o.error is not None:
            failed += 1
            click.echo(f"edition: error: {o.error}", err=True)
        elif verbose:
            click.echo(f"{o.source}: {o.shape} export -> {out_dir / o.target.name if o.target else o.target} ({o.status})")
    written = sum(o.status == "written" for o in outcomes)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    kept = [o for o in outcomes if o.status == "kept"]
    for o in kept:  # on every run: these files no longer follow the converter
        # The target is resolved (fsutil.contained_path); named under --out, as the
        # editor gave the folder (or as_given names the configured one), like validate does.
        click.echo(f"edition: note: {out_dir / o.target.name if o.target else o.target}: kept as edited by hand (its source {o.source} is unchanged): "
                   f"leave it so, {FORCE_WAY_OUT}", err=True)
    counts = f"{written} written, {unchanged} unchanged, " + (f"{len(kept)} kept as edited by hand, " if kept else "")
    click.echo(f"converted {len(outcomes) - failed} of {len(outcomes)} sources ({counts}{failed} failed)", err=not verbose and failed > 0)
    return 1 if failed else 0
