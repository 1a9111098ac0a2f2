"""``edition build``: the TEI files to the static reading edition."""

from __future__ import annotations

from pathlib import Path

import click

from edition.commands.cluster import cluster_executor, scheduler_option
from edition.config import as_given, load_config
from edition.runlock import build_lock


@click.command()
@click.option("--tei", "tei_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Folder of TEI files [default: paths.tei of the configuration].")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Build folder; the site goes to OUT/site [default: the site goes to paths.site of the configuration].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes rendering documents (0: one per core).")
@click.option("--full", is_flag=True, help="Ignore the build manifest and render every document again.")
@scheduler_option
@click.option("-v", "--verbose", is_flag=True, help="List every file written or removed.")
def build(tei_dir: Path | None, out_dir: Path | None, config_path: Path | None, jobs: int, full: bool,
          scheduler: str | None, verbose: bool) -> int:
    """Render every TEI document to HTML, plain text and the index pages.

    Exit status: 0 when the site was built, 1 when a TEI file or a stage
    failed (the previous site is left as it was), 2 for usage errors.
    """
    # Imported here: compiling XSLT is not the concern of `edition --help`.
    from edition.build import build_site, context_from_config
    from edition.executor import default_workers
    from edition.progress import Progress

    config = load_config(config_path)
    # The configured folder is named in messages as a folder typed here would be.
    ctx = context_from_config(config, tei_dir=tei_dir if tei_dir is not None else as_given(config.tei_dir),
                              out_dir=out_dir / "site" if out_dir is not None else None)
    if not ctx.tei_dir.is_dir():  # a usage error, as convert's and check's missing folders are
        click.echo(f"edition: error: {ctx.tei_dir}: no such folder of TEI files", err=True)
        return 2
    # The build folder holds the site and the build's records: one run at a time.
    with build_lock(ctx.out_dir.parent), cluster_executor(scheduler) as executor:
        report = build_site(ctx, jobs=jobs or default_workers(), incremental=not full, progress=Progress("rendering", 0),
                            executor=executor)
    if verbose:
        for path in report.written:
            click.echo(f"wrote {path}")
        for path in report.removed:
            click.echo(f"removed {path}")
        click.echo("time: " + ", ".join(f"{phase} {seconds:.2f} s" for phase, seconds in report.phases.items()))
        click.echo("peak memory so far (this process): " + ", ".join(f"{phase} {mb} MB" for phase, mb in report.peaks.items()))
    click.echo(
        f"built {report.documents} documents into {ctx.out_dir}: {len(report.written)} files written, "
        f"{report.unchanged} unchanged, {len(report.removed)} removed "
        f"({report.seconds_per_document * 1000:.0f} ms per document, {report.total_seconds:.1f} s in all)"
    )
    return 0
