"""``edition make``: the whole pipeline from one start (what ``make`` runs).

Convert, check, validate and build, in that order, each exactly as its own
command would run it with the configuration's folders; the first step that
fails stops the run with its exit status. One start instead of four saves what
every command pays before it does anything (starting Python, importing lxml,
Saxon and the rest), which is most of a rebuild that has little to do. Each
step runs in a fork of the started process, so it keeps that saving while its
memory goes when it ends.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import time
from collections.abc import Callable
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
    # The modules every step needs, imported once here: each step's fork has them.
    import edition.build
    import edition.fidelity
    import edition.incremental
    import edition.validate  # noqa: F401
    from edition.commands.build import build
    from edition.commands.check import check
    from edition.commands.convert import convert
    from edition.commands.validate import validate
    from edition.convert import collect_sources

    config = load_config(config_path)
    source = str(sources if sources is not None else config.sources_dir)
    # Listed here, the listing reaches both steps that read the sources (see fsutil).
    with contextlib.suppress(EditionError):
        collect_sources([Path(source)])
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
    debug = bool((ctx.find_root().obj or {}).get("debug"))
    for name, command, args in steps:
        started = time.perf_counter()
        status = _in_child(functools.partial(_run, ctx, name, command, args, debug))
        seconds[name] = time.perf_counter() - started
        if status:
            click.echo(f"edition: make stopped: {name} failed (exit status {status})", err=True)
            return status
    click.echo("time: " + " ".join(f"{name}={s:.2f}" for name, s in seconds.items()))
    return 0


def _run(ctx: click.Context, name: str, command: click.Command, args: list[str], debug: bool) -> int:
    """One step, parsed, run and reported as its own command line would be; its exit status."""
    from edition.cli import failure_status

    try:
        with command.make_context(name, args, parent=ctx) as step:
            return int(command.invoke(step) or 0)
    except KeyboardInterrupt:
        return 130  # make itself got the interrupt too, and says so
    except Exception as exc:  # noqa: BLE001 - ends this step as it would end the command
        return failure_status(exc, debug)


def _in_child(run: Callable[[], int]) -> int:
    """``run`` in a forked copy of this process, where available.

    The copy starts with every module already imported, so a step costs no start-up;
    and whatever memory the step grew to goes back to the system when it exits, so
    the pipeline's peak is that of its largest step, not what four steps leave behind
    in one heap. Nothing here has started Saxon or a thread, which makes forking safe.
    """
    if not hasattr(os, "fork"):
        return run()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the step
        status = 70
        try:
            status = run()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    try:
        _, wait_status = os.waitpid(pid, 0)
    except KeyboardInterrupt:
        os.waitpid(pid, 0)  # the step got the interrupt too: let it clean up first
        raise
    code = os.waitstatus_to_exitcode(wait_status)
    return code if code >= 0 else 128 - code  # killed by a signal: as a shell reports it
