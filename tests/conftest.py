"""Shared fixtures for the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def tei_all_validator():
    """edition.validate's tei_all layer (RELAX NG + embedded Schematron), compiled once per session (~15 s)."""
    from edition.validate import Validator

    return Validator(layers=("tei_all",))


# The browser tests' (tests/test_*_browser.py): each module builds its own site in a
# module-scoped fixture named `site`, which `server` serves on loopback.
@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    from browser_support import serve_folder

    with serve_folder(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """A headless Chromium (Debian's, under Playwright), one per test module."""
    from browser_support import chromium

    with chromium() as b:
        yield b
