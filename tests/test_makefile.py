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


def fake(bin_dir: Path, name: str, script: str) -> None:
    (bin_dir / name).write_text("#!/bin/bash\n" + script)
    (bin_dir / name).chmod(0o755)


def setup_with_fake_python(clone: Path, tmp_path: Path, python: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """`make setup` with a fake python3.13 (its answers in ``python``), a fake apt-get that
    records what it would install, and sudo; the result and the record's path."""
    (clone / ".venv" / ".installed").unlink()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    fake(bin_dir, "python3.13", python)
    fake(bin_dir, "apt-get", f'echo "$*" >> {log}\n')
    fake(bin_dir, "sudo", 'exec "$@"\n')
    env = dict(os.environ, MAKEFLAGS="", PATH=f"{bin_dir}:{os.environ['PATH']}")
    done = subprocess.run(["make", "setup", f"PYTHON={bin_dir / 'python3.13'}"], capture_output=True, text=True, cwd=clone, env=env, timeout=60)
    return done, log


def test_a_python_without_ensurepip_gets_its_venv_package_from_apt(clone: Path, tmp_path: Path) -> None:
    # Debian's python3.13 without python3.13-venv: `import ensurepip` fails, and so would venv.
    # The fake Python then stops the set-up.
    done, log = setup_with_fake_python(clone, tmp_path, 'case "$*" in\n  "-c import ensurepip") exit 1;;\n'
                                       '  "-c import sys;"*) echo 3.13;;\n  --version) echo "Python 3.13.5";;\n  *) exit 3;;\nesac\n')
    assert done.returncode != 0  # the fake Python's venv
    assert "installing python3.13-venv" in done.stdout, done.stdout + done.stderr
    assert log.read_text().splitlines() == ["update -qq", "install -y -qq python3.13-venv"]


def test_a_python_with_ensurepip_installs_nothing(clone: Path, tmp_path: Path) -> None:
    done, log = setup_with_fake_python(clone, tmp_path, 'case "$*" in\n  "-c import ensurepip") exit 0;;\n'
                                       '  --version) echo "Python 3.13.5";;\n  *) exit 3;;\nesac\n')
    assert done.returncode != 0
    assert "-m venv .venv" in done.stdout and not log.exists()


def test_ci_installs_make_when_the_machine_has_none_then_runs_make_and_make_test(tmp_path: Path) -> None:
    # A PATH with no make: the fake apt-get "installs" one that records its arguments.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "chmod", "dirname", "id"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    log = tmp_path / "calls.log"
    fake(bin_dir, "apt-get", f'echo "apt-get $*" >> {log}\n[ "$1" = install ] && printf \'#!/bin/bash\\necho "make $*" >> {log}\\n\' > {bin_dir}/make && chmod +x {bin_dir}/make\nexit 0\n')
    fake(bin_dir, "sudo", 'exec "$@"\n')
    done = subprocess.run([str(ROOT / ".ci" / "run")], capture_output=True, text=True, env={"PATH": str(bin_dir)}, timeout=60)
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == ["apt-get update -qq", "apt-get install -y -qq make", "make ", "make test"]
