"""The Makefile's targets, as `make -n` plans them in a clean clone (nothing is run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def clone(tmp_path: Path) -> Path:
    """The Makefile and what its set-up depends on, with the set-up done and no schemas cached."""
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".installed").touch()  # newer than pyproject.toml and the lock
    return tmp_path


@pytest.mark.parametrize("target", ["all", "validate", "site", "test", "bench"])
def test_every_target_that_validates_or_builds_fetches_the_reference_schemas(clone: Path, target: str) -> None:
    # A clone without ../shared has no schema anywhere until `make schemas` downloads them:
    # a target that needs tei_all (validate) or the CSL-JSON schema (build) must fetch them.
    env = dict(os.environ, MAKEFLAGS="")
    plan = subprocess.run(["make", "-n", target], capture_output=True, text=True, cwd=clone, env=env, timeout=60)
    assert plan.returncode == 0, plan.stderr
    assert "edition.refschemas" in plan.stdout, plan.stdout
