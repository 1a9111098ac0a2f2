"""``edition make``: the whole pipeline in one process (what ``make`` runs).

Convert, check, validate and build, in that order, each exactly as its own
command would run it with the configuration's folders; the first step that
fails stops the run with its exit status. One process instead of four saves
what every command pays before it does anything (starting Python, importing
lxml, Saxon and the rest), which is most of a rebuild that has little to do.
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from edition.config import load_config


@click.command()
@click.option("--sources", "sources", type=click.Path(path_type=Path), default=None, help="Exports to convert, a file or folder [default: paths.sources of the configuration].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--strict-tei-all", is_flag=True, help="Run tei_all's RELAX NG on every file, even those edition.rng (a proven subset of tei_all) accepts.")
@click.option("--full", is_flag=True, help="Redo every step for every document, ignoring what earlier runs recorded.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes (0: one per core).")
@click.pass_context
def make(ctx: click.Context, sources: Path | None, config_path: Path | None, strict_tei_all: bool, full: bool, jobs: int) -> int:
    """Convert the sources, check every word, validate and build the site.

    Prints each step's summary and, last, the seconds each step took
    (``time: convert=… check=… validate=… build=…``). Exit status: that of
    the first step that failed, else 0.
    """
    from edition.commands.build import build
    from edition.commands.check import check
    from edition.commands.convert import convert
    from edition.commands.validate import validate

    config = load_config(config_path)
    source = sources if sources is not None else config.sources_dir
    steps: list[tuple[str, click.Command, dict[str, object]]] = [
        ("convert", convert, {"sources": (source,), "out_dir": config.tei_dir, "config_path": config_path, "full": full}),
        # Quiet: ten thousand "ok" reports would bury the one loss.
        ("check", check, {"sources": (source,), "against": config.tei_dir, "config_path": config_path, "full": full, "quiet": True}),
        ("validate", validate, {"paths": (config.tei_dir,), "config_path": config_path, "full": full,
                                "strict_tei_all": strict_tei_all, "jobs": jobs}),
        ("build", build, {"config_path": config_path, "full": full, "jobs": jobs}),
    ]
    seconds: dict[str, float] = {}
    for name, command, params in steps:
        started = time.perf_counter()
        status = ctx.invoke(command, **params)
        seconds[name] = time.perf_counter() - started
        if status:
            click.echo(f"edition: make stopped: {name} failed (exit status {status})", err=True)
            return int(status)
    click.echo("time: " + " ".join(f"{name}={s:.2f}" for name, s in seconds.items()))
    return 0
