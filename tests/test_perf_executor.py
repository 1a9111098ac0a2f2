"""The executor seam: conversion and rendering run on any engine that provides ``map``.

A cluster's workers (Dask, Ray) share nothing with the process that runs the build: no
pool initializer has compiled anything there, no module state was inherited by fork, and
functions, items and results cross as pickles. FreshInterpreters stands in for them, so
that what the README promises is exercised: the same bytes as a local run. (A real Dask
cluster: tests/test_perf_dask.py.)
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from engine_support import runs_as_here


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
    runs_as_here(fresh, sources, tmp_path, monkeypatch)
    assert fresh.functions == {"_convert_job", "render_batch", "render_page_job"}
    assert fresh.tasks > len(sources) + 2  # one a source, several render batches, the index pages
