"""The executor seam: conversion and rendering run on any engine that provides ``map``.

A cluster's workers (Dask, Ray) share nothing with the process that runs the build: no
pool initializer has compiled anything there, no module state was inherited by fork, and
functions, items and results cross as pickles. FreshInterpreters stands in for them, so
that what the README promises is exercised: the same bytes as a local run.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from edition import render_pool
from edition.build import build_site
from edition.render import BuildContext
from edition.convert import convert_all
from edition.executor import SerialExecutor
from folder_support import snapshot

ROOT = Path(__file__).resolve().parent.parent


class FreshInterpreters:
    """Every task in a new interpreter, started by spawn, with no initializer."""

    def __init__(self) -> None:
        self.tasks = 0
        self.functions: set[str] = set()
        self._pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=1)

    def map(self, fn: Callable[[Any], Any], items: Iterable[Any], *, chunksize: int = 1) -> Iterator[Any]:
        items = list(items)
        self.tasks += len(items)
        self.functions.add(fn.__qualname__)
        return self._pool.map(fn, items)  # one item a task: each lands in a fresh process

    def close(self) -> None:
        self._pool.shutdown()


@pytest.fixture
def fresh() -> Iterator[FreshInterpreters]:
    engine = FreshInterpreters()
    yield engine
    engine.close()


def test_conversion_and_rendering_on_fresh_interpreters_give_the_local_bytes(
        seeds_dir: Path, tmp_path: Path, fresh: FreshInterpreters, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = sorted(seeds_dir.iterdir())
    here = convert_all(sources, tmp_path / "tei-here", id_prefix="wilson", executor=SerialExecutor())
    there = convert_all(sources, tmp_path / "tei-there", id_prefix="wilson", executor=fresh)
    assert [o.status for o in there] == [o.status for o in here] == ["written"] * len(sources)
    assert snapshot(tmp_path / "tei-there") == snapshot(tmp_path / "tei-here")
    assert fresh.functions == {"_convert_job"} and fresh.tasks == len(sources)

    monkeypatch.setattr(render_pool, "RENDER_BATCH", 2)  # several render tasks, not one

    def ctx(out: Path) -> BuildContext:
        return BuildContext(tei_dir=tmp_path / "tei-here", out_dir=out, site_title="Test Edition",
                            base_url="https://edition.example.org/", edition_version="1.2.3")

    build_site(ctx(tmp_path / "site-here"), jobs=1)
    fresh.tasks = 0
    build_site(ctx(tmp_path / "site-there"), executor=fresh)
    assert "render_batch" in fresh.functions and fresh.tasks > 2
    assert snapshot(tmp_path / "site-there") == snapshot(tmp_path / "site-here")
