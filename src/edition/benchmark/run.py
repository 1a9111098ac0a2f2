"""The benchmark: the real commands on a synthetic corpus, each in a fresh process.

Scenarios follow an editor's day: a full build from sources, a rebuild with
nothing changed, a rebuild after one source was corrected, a rebuild after a
stylesheet changed, and validating the whole edition. A build is what
``make`` runs, ``edition make`` (convert, check, validate, build), in a fresh
``python -m edition`` process measured with ``wait4`` (wall and CPU seconds,
peak resident memory), so start-up and compile-once costs are counted as a
user pays them; the seconds of each step inside it are kept as its phases.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from edition import __version__
from edition.benchmark.corpus import generate_corpus
from edition.errors import EditionError
from edition.executor import default_workers
from edition.fsutil import atomic_write
from edition.locations import data_dir
from edition.rusage import maxrss_mb

PROJECT_XSLT = data_dir("xslt")


@dataclass
class Step:
    command: list[str]
    wall: float
    cpu: float
    peak_rss_mb: float
    status: int
    # Per step of `edition make` (convert, check, validate, build), as it reports them:
    # wall seconds, CPU seconds (its workers included) and its largest process's peak MB.
    phases: dict[str, float] = field(default_factory=dict)
    phase_cpu: dict[str, float] = field(default_factory=dict)
    phase_peak_mb: dict[str, float] = field(default_factory=dict)


@dataclass
class Scenario:
    name: str
    documents: int
    steps: list[Step] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return sum(s.wall for s in self.steps)

    @property
    def cpu(self) -> float:
        return sum(s.cpu for s in self.steps)

    @property
    def peak_rss_mb(self) -> float:
        return max((s.peak_rss_mb for s in self.steps), default=0.0)

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.wall if self.wall else 0.0

    @property
    def cpu_ms_per_document(self) -> float:
        return ms_per_document(self.cpu, self.documents)

    @property
    def ok(self) -> bool:
        return all(s.status == 0 for s in self.steps)


def ms_per_document(cpu: float, documents: int) -> float:
    """CPU seconds spread over ``documents``, in milliseconds a document (0 for none)."""
    return cpu / documents * 1000 if documents else 0.0


def measure(args: list[str], cwd: Path, env: dict[str, str]) -> Step:
    """Run one command in a fresh process; wall, CPU (user+sys of it and its children) and peak RSS."""
    # Output to a file, read once the process is reaped: wait4 must be the one to reap it.
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "edition", *args],
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.PIPE,
        )
        assert proc.stderr is not None
        err = proc.stderr.read()
        _, status, usage = os.wait4(proc.pid, 0)
        out.seek(0)
        reported = _reported(out.read().decode("utf-8", "replace"))
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    # Worker processes of a pool are children too: their CPU shows in RUSAGE_CHILDREN
    # of this process only after they are reaped, which wait4 of the parent covers.
    cpu = usage.ru_utime + usage.ru_stime
    if proc.returncode != 0:
        sys.stderr.write(err.decode("utf-8", "replace")[-2000:])
    return Step(["edition", *args], wall, cpu, maxrss_mb(usage.ru_maxrss), proc.returncode,
                reported.get("time", {}), reported.get("cpu", {}), reported.get("peak-mb", {}))


def _reported(stdout: str) -> dict[str, dict[str, float]]:
    """The last ``time:``, ``cpu:`` and ``peak-mb:`` lines of ``edition make``
    (``time: convert=0.52 check=0.18 ...``), by their label."""
    found: dict[str, dict[str, float]] = {}
    for line in reversed(stdout.splitlines()):
        label, colon, rest = line.partition(": ")
        if colon and label in ("time", "cpu", "peak-mb") and label not in found:
            pairs = (item.partition("=") for item in rest.split())
            found[label] = {name: float(value) for name, _, value in pairs if value}
    return found


def pipeline(work: Path, scheduler: str | None = None) -> list[list[str]]:
    """What ``make`` runs after its set-up, with the corpus as the sources (and its
    conversion and rendering on the Dask cluster at ``scheduler``, when given)."""
    return [["make", "--sources", "src", *(["--scheduler", scheduler] if scheduler else [])]]


def run_benchmark(
    count: int,
    work: Path,
    seeds: Path,
    out_json: Path | None,
    progress: Callable[[Scenario], None] | None = None,
    *,
    full_only: bool = False,
    scheduler: str | None = None,
) -> list[Scenario]:
    work.mkdir(parents=True, exist_ok=True)
    sources = generate_corpus(seeds, work / "src", count)
    xslt = work / "xslt"
    if xslt.exists():
        shutil.rmtree(xslt)
    shutil.copytree(PROJECT_XSLT, xslt)
    env = dict(os.environ, EDITION_XSLT_DIR=str(xslt))
    # Measured as installed: pip compiles a package's bytecode, and a command that must
    # compile every module from source at each start (as some sandboxes ask) pays a
    # tenth of a second that no user does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    scenarios: list[Scenario] = []

    def scenario(name: str, steps: list[list[str]]) -> None:
        sc = Scenario(name, count)
        for args in steps:
            sc.steps.append(measure(args, work, env))
        scenarios.append(sc)
        # Figures so far, after every scenario: a long run stopped half-way
        # (10,000 documents take a while) still leaves what it measured.
        if out_json is not None:
            write_report(scenarios, count, out_json, complete=False, scheduler=scheduler)
        if progress is not None:
            progress(sc)

    scenario("full build from sources", pipeline(work, scheduler))
    if full_only:
        if out_json is not None:
            write_report(scenarios, count, out_json, complete=True, scheduler=scheduler)
        return scenarios
    scenario("no-op rebuild", pipeline(work, scheduler))
    correct_one_word(sources)
    scenario("one source changed", pipeline(work, scheduler))
    revise_page_stylesheet(xslt)
    scenario("XSLT changed", pipeline(work, scheduler))
    # --full: the whole corpus, every layer, not the manifest's answers.
    scenario("validate all layers", [["validate", "tei", "--format", "json", "--full"]])
    if out_json is not None:
        write_report(scenarios, count, out_json, complete=True, scheduler=scheduler)
    return scenarios


# The benchmark's correction of one source: a word an editor might put right.
CORRECTION = (" the ", " this ")


def correct_one_word(sources: Sequence[Path]) -> Path:
    """Correct one word of the body of one source (the middle one that has it) and return
    it: its TEI, page and plain text all change, as after an editor's correction. (A doubled
    space, the change before, altered only the hash of the source named in the header.)"""
    old, new = CORRECTION
    middle = len(sources) // 2
    for index in sorted(range(len(sources)), key=lambda i: abs(i - middle)):
        source = sources[index]
        text = source.read_text(encoding="utf-8")
        # The first occurrence past the middle of the export: a word of the body, which is
        # most of every export (the first one is often the title's, which the index pages
        # and the edition-wide citation files show: a rarer and larger change).
        at = text.find(old, len(text) // 2)
        if at < 0:
            at = text.rfind(old)
        if at >= 0:
            atomic_write(source, text[:at] + new + text[at + len(old):])
            return source
    raise EditionError(f"no source of the benchmark's corpus has {old.strip()!r} to correct; edit CORRECTION in {__name__}")


# What the page stylesheet's change changes: the generator named in every page's head.
PAGE_REVISION = ("'edition ' || $edition-version", "'edition (revised) ' || $edition-version")


def revise_page_stylesheet(xslt: Path) -> None:
    """Change ``html.xsl`` the way an editor's change does: every document page comes out
    different. (A comment, which changes no page, measured the rendering but none of the
    writing: since the build compares a page with the site's before writing it, such a
    rebuild writes nothing.)"""
    page = xslt / "html.xsl"
    text = page.read_text(encoding="utf-8")
    old, new = PAGE_REVISION
    if old not in text:
        raise EditionError(f"{page}: the benchmark's change to the page stylesheet no longer applies "
                           f"(no {old}); edit PAGE_REVISION in {__name__}")
    page.write_text(text.replace(old, new, 1), encoding="utf-8")


def write_report(scenarios: list[Scenario], count: int, out_json: Path, *, complete: bool,
                 scheduler: str | None = None) -> None:
    report = {
        "edition_version": __version__,
        "documents": count,
        "workers": default_workers(),
        # Where conversion and rendering ran: this machine's processes (None) or a Dask
        # cluster, whose workers' CPU and memory the figures then leave out.
        "scheduler": scheduler,
        "python": sys.version.split()[0],
        "complete": complete,
        "scenarios": [
            {
                "name": sc.name,
                "ok": sc.ok,
                "wall_s": round(sc.wall, 3),
                "cpu_s": round(sc.cpu, 3),
                "peak_rss_mb": round(sc.peak_rss_mb, 1),
                "docs_per_s": round(sc.docs_per_second, 1),
                "cpu_ms_per_doc": round(sc.cpu_ms_per_document, 2),
                "steps": [_step_report(s, count) for s in sc.steps],
            }
            for sc in scenarios
        ],
    }
    atomic_write(out_json, json.dumps(report, indent=2) + "\n")


def _step_report(step: Step, count: int) -> dict[str, object]:
    """A step as measured, with the CPU milliseconds per document the table prints for it
    and for each of its phases (so the JSON holds every figure of the table)."""
    return {
        **asdict(step),
        "cpu_ms_per_doc": round(ms_per_document(step.cpu, count), 2),
        "phase_cpu_ms_per_doc": {name: round(ms_per_document(cpu, count), 2) for name, cpu in step.phase_cpu.items()},
    }


def format_table(scenarios: list[Scenario]) -> str:
    """The figures as a table: each scenario, its commands and the steps of each
    ``edition make`` (wall and CPU seconds, CPU milliseconds per document, peak MB)."""
    rows = [f"{'scenario':<26} {'docs/s':>9} {'wall s':>8} {'cpu s':>8} {'cpu ms/doc':>10} {'peak MB':>8}  ok"]

    def per_doc(cpu: float, sc: Scenario) -> str:
        return f"{ms_per_document(cpu, sc.documents):>10.2f}" if sc.documents else f"{'':>10}"

    for sc in scenarios:
        rows.append(f"{sc.name:<26} {sc.docs_per_second:>9.1f} {sc.wall:>8.2f} {sc.cpu:>8.2f} {per_doc(sc.cpu, sc)} "
                    f"{sc.peak_rss_mb:>8.1f}  {'yes' if sc.ok else 'NO'}")
        for step in sc.steps:
            rows.append(f"    {' '.join(step.command[:2]):<22} {'':>9} {step.wall:>8.2f} {step.cpu:>8.2f} {per_doc(step.cpu, sc)} "
                        f"{step.peak_rss_mb:>8.1f}  {step.status}")
            for phase, seconds in step.phases.items():
                cpu = step.phase_cpu.get(phase)
                peak = step.phase_peak_mb.get(phase)
                rows.append(f"      {phase:<20} {'':>9} {seconds:>8.2f} "
                            + (f"{cpu:>8.2f} {per_doc(cpu, sc)} " if cpu is not None else f"{'':>8} {'':>10} ")
                            + (f"{peak:>8.1f}" if peak is not None else ""))
    return "\n".join(row.rstrip() for row in rows)
