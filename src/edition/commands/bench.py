"""``edition bench``: the benchmark (also ``make bench``)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import click

from edition.commands.cluster import scheduler_option


@click.command()
@click.option("-n", "--documents", "count", type=click.IntRange(min=1), default=10_000, show_default=True, help="Size of the synthetic corpus.")
@click.option("--seeds", type=click.Path(file_okay=False, exists=True, path_type=Path), default=Path("seeds"), show_default=True, help="Exports the corpus is derived from.")
@click.option("--json", "out_json", type=click.Path(dir_okay=False, path_type=Path), default=Path("build/bench.json"), show_default=True, help="Where to write the figures.")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None, help="Work in this folder, which must be new or empty, and keep it (default: a temporary folder, removed).")
@click.option("--full-build-only", is_flag=True, help="Measure only the full build from sources (for memory at large N).")
@scheduler_option
def bench(count: int, seeds: Path, out_json: Path, keep: Path | None, full_build_only: bool, scheduler: str | None) -> int:
    """Measure full, no-op and incremental builds and validation on N synthetic documents.

    A benchmark, not a test: it prints a table and writes OUT_JSON; it fails
    only when a command of the pipeline fails. With --scheduler the builds run
    their conversion and rendering on that Dask cluster; CPU and memory then
    count this machine's processes only.
    """
    from edition.benchmark.run import Scenario, format_table, run_benchmark

    out_json = out_json.resolve()
    seeds = seeds.resolve()
    # The bench replaces the folder's xslt/ with the edition's and runs `edition make` there
    # (its tei/, build/ and edition.toml): an edition's own folder would lose its stylesheets
    # and TEI, and a previous bench's folder would make the "full build" a no-op rebuild.
    if keep is not None and keep.is_dir() and any(keep.iterdir()):
        raise click.BadParameter(f"{keep} is not empty; give a new or empty folder", param_hint="--keep")

    def done(sc: Scenario) -> None:
        # Each scenario as it ends, on stderr: the table on stdout stays whole.
        click.echo(f"bench: {sc.name}: {sc.wall:.1f} s wall, {sc.cpu:.1f} s cpu, {sc.peak_rss_mb:.0f} MB", err=True)

    if keep is not None:
        scenarios = run_benchmark(count, keep.resolve(), seeds, out_json, done, full_only=full_build_only, scheduler=scheduler)
    else:
        with tempfile.TemporaryDirectory(prefix="edition-bench-") as tmp:
            scenarios = run_benchmark(count, Path(tmp), seeds, out_json, done, full_only=full_build_only, scheduler=scheduler)
    click.echo(format_table(scenarios))
    if scheduler:
        click.echo(f"conversion and rendering ran on the Dask cluster at {scheduler}: "
                   "CPU and peak MB count this machine's processes only")
    click.echo(f"figures written to {out_json}")
    return 0 if all(sc.ok for sc in scenarios) else 1
