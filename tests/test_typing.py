"""The package type-checks: mypy over src/edition with the [tool.mypy] configuration
of pyproject.toml (the package ships py.typed, so its annotations are a promise).

mypy and the stubs it needs are in the test extra; without mypy the test is skipped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _mypy(cwd: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    api = pytest.importorskip("mypy.api", reason="mypy is not installed (pip install -e '.[test]' installs it)")
    # files = ["src/edition"] in the configuration is relative to the working folder.
    monkeypatch.chdir(cwd)
    stdout, stderr, status = api.run(["--config-file", str(cwd / "pyproject.toml"), "--cache-dir", str(cache)])
    return stdout + stderr, status


def test_package_type_checks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report, status = _mypy(ROOT, tmp_path / "mypy-cache", monkeypatch)
    assert status == 0, f"mypy found errors (run `mypy` in the checkout to see them):\n{report}"
    assert "Success: no issues found" in report


def test_a_type_error_fails_the_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check can fail: a copy of the package with one wrong type is reported."""
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT / "src" / "edition", copy / "src" / "edition",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    broken = copy / "src" / "edition" / "lxmltypes.py"
    broken.write_text(broken.read_text(encoding="utf-8") + "\n\n_LINE: int = sourceline\n", encoding="utf-8")
    report, status = _mypy(copy, tmp_path / "mypy-cache", monkeypatch)
    assert status == 1, report
    assert "edition/lxmltypes.py" in report and "[assignment]" in report, report
