"""The same inputs give the same bytes whatever the environment of the run (its locale)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from folder_support import snapshot
from robust_support import ROOT

LOCALE_SOURCES = Path("/usr/share/i18n/locales")


def compiled_locale(folder: Path, name: str) -> str:
    """``name``.UTF-8 compiled into ``folder`` (for LOCPATH), or a skip where glibc's
    locale sources or ``localedef`` are missing (Debian's ``locales`` package has them)."""
    localedef = shutil.which("localedef")
    if localedef is None or not (LOCALE_SOURCES / name).is_file():
        pytest.skip(f"no localedef or no locale source for {name}")
    made = subprocess.run([localedef, "-i", name, "-f", "UTF-8", str(folder / f"{name}.UTF-8")], capture_output=True, text=True)
    if not (folder / f"{name}.UTF-8").is_dir():
        pytest.skip(f"localedef could not compile {name}: {made.stderr}")
    return f"{name}.UTF-8"


def make(folder: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """``edition make`` over a copy of the seeds and the configuration, in ``folder``."""
    folder.mkdir()
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    shutil.copy(ROOT / "edition.toml", folder / "edition.toml")
    run_env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), **env}
    return subprocess.run([sys.executable, "-m", "edition", "make"], cwd=folder, env=run_env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


@pytest.mark.parametrize("name", ["tr_TR", "az_AZ"])
def test_a_locale_whose_i_upper_cases_to_dotted_i_builds_the_same_edition(tmp_path: Path, name: str) -> None:
    """Saxon reads the attributes of a stylesheet through Java's default locale, which it
    takes from the environment: under Turkish or Azerbaijani, text.xsl's
    visibility="public" was refused and the build failed."""
    locales = tmp_path / "locales"
    locales.mkdir()
    wanted = compiled_locale(locales, name)
    neutral = make(tmp_path / "neutral", LC_ALL="C.UTF-8")
    assert neutral.returncode == 0, neutral.stderr
    local = make(tmp_path / "local", LOCPATH=str(locales), LC_ALL=wanted, LANG=wanted)
    assert local.returncode == 0, local.stdout + local.stderr
    for part in ("tei", "build/site"):
        a, b = snapshot(tmp_path / "neutral" / part), snapshot(tmp_path / "local" / part)
        assert sorted(a) == sorted(b)
        assert [rel for rel in a if a[rel] != b[rel]] == []
