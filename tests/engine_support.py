"""The check every executor must pass: conversion and the build on it give the bytes
of a local run (tests/test_perf_executor.py, tests/test_perf_dask.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from edition import render_pool
from edition.build import build_site
from edition.convert import convert_all
from edition.executor import Executor, SerialExecutor
from edition.render import BuildContext
from folder_support import snapshot


def site_context(tei_dir: Path, out: Path, xslt_dir: Path | None = None) -> BuildContext:
    ctx = BuildContext(tei_dir=tei_dir, out_dir=out, site_title="Test Edition",
                       base_url="https://edition.example.org/", edition_version="1.2.3")
    return ctx if xslt_dir is None else replace(ctx, xslt_dir=xslt_dir)


def runs_as_here(engine: Executor, sources: list[Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Convert ``sources`` and build their site here and on ``engine``, in folders of
    ``tmp_path``; the outcomes, in input order, and every file must be the same."""
    here = convert_all(sources, tmp_path / "tei-here", id_prefix="wilson", executor=SerialExecutor())
    there = convert_all(sources, tmp_path / "tei-there", id_prefix="wilson", executor=engine)
    assert [o.status for o in there] == [o.status for o in here] == ["written"] * len(sources)
    assert [Path(o.source).name for o in there] == [p.name for p in sources]
    assert snapshot(tmp_path / "tei-there") == snapshot(tmp_path / "tei-here")

    monkeypatch.setattr(render_pool, "RENDER_BATCH", 2)  # several render tasks, not one
    build_site(site_context(tmp_path / "tei-here", tmp_path / "site-here"), jobs=1)
    build_site(site_context(tmp_path / "tei-here", tmp_path / "site-there"), executor=engine)
    assert snapshot(tmp_path / "site-there") == snapshot(tmp_path / "site-here")
