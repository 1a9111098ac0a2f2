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
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from edition.commands.cluster import scheduler_option
from edition.config import as_given, load_config
from edition.errors import EditionError
from edition.runlock import build_lock
from edition.rusage import maxrss_mb


@click.command()
@click.option("--sources", "sources", type=click.Path(path_type=Path), default=None, help="Exports to convert, a file or folder [default: paths.sources of the configuration].")
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Configuration file [default: ./edition.toml if present].")
@click.option("--strict-tei-all", is_flag=True, help="Run tei_all's RELAX NG and all of its embedded Schematron on every file, even those edition.rng (a proven subset of tei_all) accepts.")
@click.option("--full", is_flag=True, help="Redo every step for every document, ignoring what earlier runs recorded.")
@click.option("--force", is_flag=True, help="Let convert overwrite TEI files edited by hand (what its refusal tells you to rerun with).")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0, show_default=True, help="Worker processes (0: one per core).")
@scheduler_option
@click.option("-v", "--verbose", is_flag=True, help="List what the build wrote or removed, and where its time went.")
@click.pass_context
def make(ctx: click.Context, sources: Path | None, config_path: Path | None, strict_tei_all: bool, full: bool, force: bool,
         jobs: int, scheduler: str | None, verbose: bool) -> int:
    """Convert the sources, check every word, validate and build the site.

    Prints each step's summary and, last, what each step took: wall seconds
    (``time: convert=… check=… validate=… build=…``), then CPU seconds (``cpu:``,
    its worker processes included) and the peak resident memory of its largest
    process in MB (``peak-mb:``), where the system reports them. Exit status:
    that of the first step that failed, else 0.
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
    if sources is None and not config.sources_dir.exists():
        # Convert would name the folder alone, and the editor who typed no folder would
        # not know where it came from: the configuration's key is what to correct.
        where = f"{config.source}: " if config.source is not None else ""
        click.echo(f"edition: error: {where}paths.sources names {as_given(config.sources_dir)}, which does not exist: "
                   "put the exports there, set paths.sources to their folder, or give --sources", err=True)
        return 2
    # The configured folders as each command names them when run on its own (relative
    # to the current folder when inside it): an editor who runs `make` and then
    # `edition validate` finds the same file named the same way, not once by its
    # absolute path.
    source = str(sources if sources is not None else as_given(config.sources_dir))
    # Listed here, the listing reaches both steps that read the sources (see fsutil).
    with contextlib.suppress(EditionError):
        collect_sources([Path(source)])
    tei = str(as_given(config.tei_dir))
    common = [*(["--config", str(config_path)] if config_path is not None else []), *(["--full"] if full else [])]
    # Conversion and rendering are what a cluster can take; check and validation stay here.
    cluster = ["--scheduler", scheduler] if scheduler else []
    # Each step is parsed as its own command line would be, so a bad folder gets the
    # same message (and exit status) as it would from that command.
    steps: list[tuple[str, click.Command, list[str]]] = [
        # --force: convert's refusal to overwrite a hand edit says "rerun with --force",
        # and the editor who ran `make` reruns `make`.
        ("convert", convert, [source, "--out", tei, "--jobs", str(jobs), *cluster, *(["--force"] if force else []), *common]),
        # Quiet: ten thousand "ok" reports would bury the one loss.
        ("check", check, [source, "--against", tei, "--quiet", *common]),
        ("validate", validate, [tei, "--jobs", str(jobs), *(["--strict-tei-all"] if strict_tei_all else []), *common]),
        ("build", build, ["--jobs", str(jobs), *cluster, *(["--verbose"] if verbose else []), *common]),
    ]
    seconds: dict[str, float] = {}
    usage: dict[str, _Usage] = {}
    debug = bool((ctx.find_root().obj or {}).get("debug"))
    # Check and validate only read what convert wrote and do not depend on each
    # other, so validate runs beside check (its output held back and shown after
    # check's, so the log reads in order). The build waits for both: nothing is
    # published from TEI that failed either.
    stages = [[steps[0]], [steps[1], steps[2]], [steps[3]]]
    # One run at a time on the build folder; the steps, forked from here, share the lock.
    with build_lock(config.build_dir):
        for stage in stages:
            status, failed = _run_stage(ctx, stage, debug, seconds, usage)
            if status:
                click.echo(f"edition: make stopped: {failed} failed (exit status {status})", err=True)
                return status
    click.echo("time: " + " ".join(f"{name}={seconds[name]:.2f}" for name, _, _ in steps))
    if all(name in usage for name, _, _ in steps):  # not where steps cannot be forked
        click.echo("cpu: " + " ".join(f"{name}={usage[name].cpu:.2f}" for name, _, _ in steps))
        click.echo("peak-mb: " + " ".join(f"{name}={usage[name].peak_mb:.0f}" for name, _, _ in steps))
    return 0


@dataclass(frozen=True)
class _Usage:
    """What a step's process and every process it waited for used, as wait4 reports it."""

    cpu: float  # user + system seconds
    peak_mb: float  # the largest resident set among them

    @classmethod
    def of(cls, rusage: Any) -> _Usage:
        return cls(rusage.ru_utime + rusage.ru_stime, maxrss_mb(rusage.ru_maxrss))


def _run_stage(ctx: click.Context, stage: list[tuple[str, click.Command, list[str]]], debug: bool,
               seconds: dict[str, float], usage: dict[str, _Usage]) -> tuple[int, str]:
    """The steps of one stage, the first in the foreground and the rest beside it;
    the first non-zero exit status in step order, and that step's name. Each step's
    wall seconds go to ``seconds`` and, where it ran in a child, what it used to ``usage``."""
    if len(stage) == 1 or not hasattr(os, "fork"):
        statuses = []
        for name, command, args in stage:
            started = time.perf_counter()
            run = functools.partial(_run, ctx, name, command, args, debug)
            if hasattr(os, "fork"):
                status, _, usage[name] = _wait_all([_start(run)]).popitem()[1]
            else:
                status = run()
            statuses.append(status)
            seconds[name] = time.perf_counter() - started
    else:
        with tempfile.TemporaryDirectory(prefix="edition-make-") as held:
            started = time.perf_counter()
            pids = [_start(functools.partial(_run, ctx, name, command, args, debug), Path(held) / name if i else None)
                    for i, (name, command, args) in enumerate(stage)]
            ended = _wait_all(pids)
            statuses = []
            for i, ((name, _, _), pid) in enumerate(zip(stage, pids)):
                status, at, usage[name] = ended[pid]
                statuses.append(status)
                seconds[name] = at - started
                if i:
                    _replay(Path(held) / name)
    for (n, _, _), status in zip(stage, statuses):
        if status:
            return status, n
    return 0, ""


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


def _start(run: Callable[[], int], held: Path | None = None) -> int:
    """Fork a child that runs ``run`` and exits with its status; its pid.

    The copy starts with every module already imported, so a step costs no start-up;
    and whatever memory the step grew to goes back to the system when it exits, so
    the pipeline's peak is that of its largest step, not what four steps leave behind
    in one heap. Nothing here has started Saxon or a thread, which makes forking safe.

    With ``held``, the child's standard output and error go to ``held.out`` and
    ``held.err`` (see :func:`_replay`) instead of the terminal.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the step
        status = 70
        try:
            if held is not None:
                for stream, suffix in ((sys.stdout, ".out"), (sys.stderr, ".err")):
                    fd = os.open(held.with_suffix(suffix), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    os.dup2(fd, stream.fileno())
                    os.close(fd)
            status = run()
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(status)
    return pid


def _wait_all(pids: list[int]) -> dict[int, tuple[int, float, _Usage]]:
    """Each child's exit status (as a shell reports it), when it ended and what it used
    (with the processes it waited for: its pool's workers), taken as each ends."""
    ended: dict[int, tuple[int, float, _Usage]] = {}
    pending = set(pids)
    try:
        while pending:
            pid, wait_status, rusage = os.wait4(-1, 0)
            if pid in pending:
                pending.discard(pid)
                code = os.waitstatus_to_exitcode(wait_status)
                # a signal: 128 + its number
                ended[pid] = (code if code >= 0 else 128 - code, time.perf_counter(), _Usage.of(rusage))
    except KeyboardInterrupt:
        for pid in pending:
            os.waitpid(pid, 0)  # the steps got the interrupt too: let them clean up first
        raise
    return ended


def _replay(held: Path) -> None:
    """Show what a step run beside another wrote, on the streams it wrote it to."""
    for stream, suffix in ((sys.stdout, ".out"), (sys.stderr, ".err")):
        with contextlib.suppress(FileNotFoundError):
            data = held.with_suffix(suffix).read_bytes()
            if data:
                stream.flush()
                binary = getattr(stream, "buffer", None)
                if binary is not None:
                    binary.write(data)
                    binary.flush()
                else:
                    stream.write(data.decode("utf-8", "replace"))
