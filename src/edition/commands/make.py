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
from edition.errors import EditionError


@click.command()
@click.option("--sources", "sources", type=click.Path(path_type=Path), default=None, help="Exports to convert, a file or folder [default: paths.sources of the configuration].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--strict-tei-all", is_flag=True, help="Run tei_all's RELAX NG on every file, even those edition.rng (a proven subset of tei_all) accepts.")
@click.option("--full", is_flag=True, help="Redo every step for every document, ignoring what earlier runs recorded.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes (0: one per core).")
@click.option("-v", "--verbose", is_flag=True, help="List what the build wrote or removed, and where its time went.")
@click.pass_context
def make(ctx: click.Context, sources: Path | None, config_path: Path | None, strict_tei_all: bool, full: bool, jobs: int, verbose: bool) -> int:
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
    source = str(sources if sources is not None else config.sources_dir)
    tei = str(config.tei_dir)
    common = [*(["--config", str(config_path)] if config_path is not None else []), *(["--full"] if full else [])]
    # Each step is parsed as its own command line would be, so a bad folder gets the
    # same message (and exit status) as it would from that command.
    steps: list[tuple[str, click.Command, list[str]]] = [
        ("convert", convert, [source, "--out", tei, *common]),
        # Quiet: ten thousand "ok" reports would bury the one loss.
        ("check", check, [source, "--against", tei, "--quiet", *common]),
        ("validate", validate, [tei, "--jobs", str(jobs), *(["--strict-tei-all"] if strict_tei_all else []), *common]),
        ("build", build, ["--jobs", str(jobs), *(["--verbose"] if verbose else []), *common]),
    ]
    seconds: dict[str, float] = {}
    for name, command, args in steps:
        started = time.perf_counter()
        try:
            with command.make_context(name, args, parent=ctx) as step:
                status = command.invoke(step)
        except click.ClickException as exc:
            exc.show()
            status = exc.exit_code
        except EditionError as exc:
            # What the step alone would have printed, then which step it was.
            click.echo(f"edition: error: {exc}", err=True)
            status = 1
        seconds[name] = time.perf_counter() - started
        if status:
            click.echo(f"edition: make stopped: {name} failed (exit status {status})", err=True)
            return int(status)
    click.echo("time: " + " ".join(f"{name}={s:.2f}" for name, s in seconds.items()))
    return 0
