"""Crash safety: SIGKILL at random moments (issue 8, item 5).

The real ``edition convert`` and ``edition build`` run as child processes in
their own process group (so the build's workers die with it, as in a power
cut) and are killed after a random delay. After every kill each output file is
exactly its old version or its new one, no stray file would be published, and
the catalog is one consistent version. A final uninterrupted run from the
debris gives output byte-identical to a clean run.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from folder_support import snapshot
from robust_support import ROBUST_FIXTURES, ROOT, SEEDS

KILLS = int(os.environ.get("ROBUST_KILLS", "20"))
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "edition", *args], cwd=cwd, env=ENV, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    return proc


def run_and_kill(args: list[str], cwd: Path, delay: float) -> bool:
    """Start the command, SIGKILL its whole process group after ``delay``; True if it was still running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "edition", *args], cwd=cwd, env=ENV,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    time.sleep(delay)
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=60)
    # Workers of a process pool are in the same group; wait until none is left writing.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    return alive


class KillTimes:
    """Random moments to kill a run at, within the span one timed run took.

    The span is measured once, and a machine that was busier then than later (other
    work ending) finishes runs before the kill: each run that did shortens the span
    by a fifth, so the kills keep landing inside runs and the test keeps testing
    what it means to."""

    def __init__(self, duration: float, seed: int, stretch: float = 1.0) -> None:
        self.span = duration * stretch
        self.rng = random.Random(seed)

    def next(self) -> float:
        return self.rng.uniform(0.0, self.span)

    def ran(self, interrupted: bool) -> int:
        if not interrupted:
            self.span *= 0.8
        return int(interrupted)


def catalog_state(db: Path) -> frozenset[tuple]:
    """The catalog's records apart from datestamps (which are the time of a change)."""
    if not db.exists():
        return frozenset()
    # Read as the server reads it (edition.catalog.connect), recovery of a killed
    # writer's WAL included.
    from edition.catalog import connect

    conn = connect(db, readonly=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT id, hash, deleted, sets, source, tei_sha FROM records").fetchall()
        return frozenset(rows)
    finally:
        conn.close()


def assert_old_or_new(now: dict[str, bytes], before: dict[str, bytes], after: dict[str, bytes], what: str, delay: float) -> None:
    for name, data in now.items():
        hidden = any(part.startswith(".") for part in Path(name).parts)
        if name in after and data == after[name]:
            continue
        if name in before and data == before[name]:
            continue
        assert hidden, f"{what}: {name} is neither the old nor the new version after a kill at {delay:.2f} s"
        assert name.endswith(".tmp") or "/.staging" in f"/{name}" or name.startswith("."), f"{what}: unexpected file {name}"


def prepare_sources(work: Path) -> tuple[Path, Path]:
    """The current sources and an older edition of them (each with a word changed)."""
    src, old = work / "src", work / "old-src"
    src.mkdir()
    old.mkdir()
    for p in [*SEEDS, ROBUST_FIXTURES / "russian_letter.md"]:
        text = p.read_text(encoding="utf-8")
        (src / p.name).write_text(text, encoding="utf-8")
        at = text.rindex(" the ")  # near the end: in the body or the fields, never the title (the id)
        (old / p.name).write_text(text[:at] + " the" + text[at:], encoding="utf-8")
    return src, old


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("kill")
    shutil.copy(ROOT / "edition.toml", work / "edition.toml")
    prepare_sources(work)
    return work


def test_convert_killed_at_random_points(work: Path) -> None:
    src, old = work / "src", work / "old-src"
    reference = work / "reference-tei"
    run(["convert", str(src), "--out", str(reference)], work)
    after = snapshot(reference)
    run(["convert", str(old), "--out", str(work / "old-tei")], work)
    before = snapshot(work / "old-tei")
    assert before.keys() == after.keys() and before != after

    start = time.monotonic()
    run(["convert", str(src), "--out", str(work / "timing")], work)
    duration = time.monotonic() - start

    times = KillTimes(duration, seed=8, stretch=1.1)
    tei = work / "tei"
    interrupted = 0
    for i in range(KILLS):
        shutil.rmtree(tei, ignore_errors=True)
        if i % 4 != 3:  # mostly over the old edition; now and then into an empty folder
            shutil.copytree(work / "old-tei", tei)
        delay = times.next()
        interrupted += times.ran(run_and_kill(["convert", str(src), "--out", str(tei)], work, delay))
        assert_old_or_new(snapshot(tei), before, after, "tei", delay)
    assert interrupted >= KILLS // 2, f"only {interrupted} of {KILLS} runs were still going when killed"

    run(["convert", str(src), "--out", str(tei)], work)
    final = {k: v for k, v in snapshot(tei).items() if not k.startswith(".")}
    assert final == after, "a run after the kills differs from a clean run"


def test_build_killed_at_random_points(work: Path) -> None:
    src, old = work / "src", work / "old-src"
    # Two documents keep each build short enough to kill twenty times in a minute.
    for folder in (src, old):
        for p in sorted(folder.iterdir())[2:]:
            p.unlink()
    for name, source in (("tei-new", src), ("tei-old", old)):
        run(["convert", str(source), "--out", str(work / name)], work)

    def build(tei: str, out: str) -> list[str]:
        return ["build", "--tei", str(work / tei), "--out", str(work / out)]

    start = time.monotonic()
    run(build("tei-new", "reference"), work)
    duration = time.monotonic() - start
    after_site = snapshot(work / "reference" / "site")
    run(build("tei-old", "old-build"), work)
    before_site = snapshot(work / "old-build" / "site")
    catalogs = {catalog_state(work / "reference" / "catalog.sqlite"), catalog_state(work / "old-build" / "catalog.sqlite")}
    assert before_site != after_site

    times = KillTimes(duration, seed=9)
    interrupted = 0
    out = work / "build"
    shutil.copytree(work / "tei-new", work / "tei-build")
    for i in range(KILLS):
        shutil.rmtree(out, ignore_errors=True)
        if i % 4 != 3:
            shutil.copytree(work / "old-build", out)
        delay = times.next()
        interrupted += times.ran(run_and_kill(build("tei-build", "build"), work, delay))
        assert_old_or_new(snapshot(out / "site"), before_site, after_site, "site", delay)
        db = out / "catalog.sqlite"
        state = catalog_state(db)
        assert state in catalogs | {frozenset()}, f"catalog is neither old nor new after a kill at {delay:.2f} s"
    assert interrupted >= KILLS // 2, f"only {interrupted} of {KILLS} builds were still going when killed"

    run(build("tei-build", "build"), work)
    final = {k: v for k, v in snapshot(out / "site").items()}
    assert sorted(final) == sorted(after_site), "files differ from a clean build (stale temporary or partial files?)"
    assert final == after_site, "a build after the kills differs from a clean build"
    assert catalog_state(out / "catalog.sqlite") == catalog_state(work / "reference" / "catalog.sqlite")
