"""Conversion and rendering on a real Dask cluster: a LocalCluster of worker processes,
reached through its scheduler's address as a remote one is. The README's promise, kept:
the same bytes as a local run, from Python and from `edition make --scheduler`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from distributed import LocalCluster

from edition.build import build_site
from edition.convert import convert_all
from edition.errors import EditionError
from edition.executor import DaskExecutor
from engine_support import runs_as_here, site_context
from folder_support import snapshot

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    """A two-worker cluster, one thread each (one Saxon processor per worker)."""
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


@pytest.fixture()
def scheduler(cluster: LocalCluster) -> str:
    return str(cluster.scheduler_address)


def new_project(folder: Path, seeds_dir: Path) -> Path:
    """A copy of the project's configuration and seeds in ``folder``, as `edition make` expects."""
    folder.mkdir()
    shutil.copy(ROOT / "edition.toml", folder / "edition.toml")
    shutil.copytree(seeds_dir, folder / "seeds")
    return folder


def tasks_done(cluster: LocalCluster) -> int:
    """How many tasks of DaskExecutor's (each a chunk of items) the cluster has run."""
    prefix = cluster.scheduler.task_prefixes.get("apply_each")
    return prefix.state_counts["memory"] if prefix is not None else 0


class Counting(DaskExecutor):
    """A DaskExecutor that notes which functions went to the cluster, and how many items."""

    def __init__(self, client: Any, *, owned: bool = False) -> None:
        super().__init__(client, owned=owned)
        self.functions: set[str] = set()
        self.items = 0

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], *, chunksize: int = 1) -> Iterator[Any]:
        listed = list(items)
        self.functions.add(fn.__qualname__)
        self.items += len(listed)
        return super().map(fn, listed, chunksize=chunksize)


def test_conversion_and_rendering_on_a_dask_cluster_give_the_local_bytes(
        scheduler: str, seeds_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sorted(seeds_dir.iterdir())
    cluster = Counting.connect(scheduler)
    assert isinstance(cluster, Counting)
    try:
        runs_as_here(cluster, sources, tmp_path, monkeypatch)
        assert cluster.functions == {"_convert_job", "render_batch", "render_page_job"}
        assert cluster.items > len(sources) + 2

        # A task that fails on a worker fails the build here, with the worker's error: a
        # document whose id the citation stage reserves is read fine, and refused there.
        first = sorted((tmp_path / "tei-here").glob("*.xml"))[0]
        reserved = first.read_text(encoding="utf-8").replace(f'xml:id="{first.stem}"', 'xml:id="edition"')
        (tmp_path / "tei-here" / "edition.xml").write_text(reserved, encoding="utf-8")
        with pytest.raises(EditionError, match="the id 'edition' is reserved"):
            build_site(site_context(tmp_path / "tei-here", tmp_path / "site-broken"), executor=cluster)
        assert not (tmp_path / "site-broken").exists()
    finally:
        cluster.close()
    assert cluster.client.status == "closed"  # connect() made it, so close() ends it


def test_workers_that_outlive_a_build_render_with_the_stylesheets_as_they_are_now(
        scheduler: str, seeds_dir: Path, tmp_path: Path) -> None:
    # A cluster's workers serve one build after another: a stylesheet changed between
    # two builds must not be rendered with what they compiled for the first.
    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    convert_all(sorted(seeds_dir.iterdir()), tmp_path / "tei", id_prefix="wilson")
    cluster = DaskExecutor.connect(scheduler)
    try:
        build_site(site_context(tmp_path / "tei", tmp_path / "out" / "site", xslt), executor=cluster)
        page = xslt / "html.xsl"
        page.write_text(page.read_text(encoding="utf-8").replace("'edition ' || $edition-version",
                                                                 "'edition (revised) ' || $edition-version"), encoding="utf-8")
        build_site(site_context(tmp_path / "tei", tmp_path / "out" / "site", xslt), executor=cluster)
    finally:
        cluster.close()
    build_site(site_context(tmp_path / "tei", tmp_path / "clean" / "site", xslt), jobs=1, incremental=False)
    assert snapshot(tmp_path / "out" / "site") == snapshot(tmp_path / "clean" / "site")
    assert b"edition (revised) 1.2.3" in next((tmp_path / "out" / "site" / "documents").glob("*.html")).read_bytes()


def test_make_on_a_dask_cluster_equals_a_local_make(cluster: LocalCluster, scheduler: str, seeds_dir: Path,
                                                    tmp_path: Path) -> None:
    runs = {}
    before = tasks_done(cluster)
    for name, extra in (("local", []), ("cluster", ["--scheduler", scheduler])):
        project = new_project(tmp_path / name, seeds_dir)
        done = subprocess.run([sys.executable, "-m", "edition", "make", "--sources", "seeds", *extra],
                              capture_output=True, text=True, cwd=project, timeout=600)
        assert done.returncode == 0, done.stderr
        runs[name] = project
    # The conversion's tasks and the build's (documents and index pages) ran there.
    assert tasks_done(cluster) - before >= 3
    for folder in ("tei", "build/site"):
        assert snapshot(runs["cluster"] / folder) == snapshot(runs["local"] / folder)


def test_relative_paths_reach_the_workers_whatever_folder_they_run_in(scheduler: str, seeds_dir: Path,
                                                                      tmp_path: Path) -> None:
    """A cluster's workers run in a folder of their own: the commands' relative paths
    (named here so that no such folder exists where the workers run) must reach them
    as the places they name."""
    local = new_project(tmp_path / "local", seeds_dir)
    assert subprocess.run([sys.executable, "-m", "edition", "make", "--sources", "seeds"],
                          capture_output=True, cwd=local, timeout=600).returncode == 0
    project = new_project(tmp_path / "cluster", seeds_dir)
    (project / "seeds").rename(project / "exports-here")
    for args in (["convert", "exports-here", "--out", "tei-made"], ["build", "--tei", "tei-made", "--out", "out-made"]):
        done = subprocess.run([sys.executable, "-m", "edition", *args, "--scheduler", scheduler],
                              capture_output=True, text=True, cwd=project, timeout=600)
        assert done.returncode == 0, done.stderr
    assert snapshot(project / "tei-made") == snapshot(local / "tei")
    assert snapshot(project / "out-made" / "site") == snapshot(local / "build" / "site")


def test_an_unreachable_scheduler_is_named_and_nothing_is_built(seeds_dir: Path, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{s.getsockname()[1]}"
    project = new_project(tmp_path / "project", seeds_dir)
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    done = subprocess.run([sys.executable, "-m", "edition", "convert", "seeds", "--out", "tei", "--scheduler", address],
                          capture_output=True, text=True, cwd=project, timeout=120, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith(f"edition: error: {address}: cannot reach the Dask scheduler"), done.stderr
    assert "Traceback" not in done.stderr and not (project / "tei").exists()


def test_the_benchmark_runs_its_builds_on_a_dask_cluster(cluster: LocalCluster, scheduler: str, seeds_dir: Path,
                                                         tmp_path: Path) -> None:
    out, before = tmp_path / "bench.json", tasks_done(cluster)
    done = subprocess.run([sys.executable, "-m", "edition", "bench", "-n", "6", "--seeds", str(seeds_dir),
                           "--json", str(out), "--scheduler", scheduler],
                          capture_output=True, text=True, cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["scheduler"] == scheduler and report["complete"]
    assert all(sc["ok"] for sc in report["scenarios"]) and len(report["scenarios"]) == 5
    assert all(step["command"][-2:] == ["--scheduler", scheduler]
               for sc in report["scenarios"][:4] for step in sc["steps"])
    assert tasks_done(cluster) - before >= 4  # conversion and rendering, at least
    assert f"ran on the Dask cluster at {scheduler}" in done.stdout
