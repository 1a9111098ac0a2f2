"""The package as `pip install .` makes it (a wheel, not the editable install `make` makes).

A wheel holds only what is under its packages, while the stylesheets and schemas live at the
top of the repository: an installed copy must carry them and find them with no checkout above
it. The wheel is built offline (no build isolation, from a copy of the sources so the checkout's
`build/` is not touched) and run from its unpacked files; about 5 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from edition import refschemas

ROOT = Path(__file__).resolve().parent.parent

# What a wheel is built from: the sdist's contents (see MANIFEST.in and setup.py).
BUILD_INPUTS = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "src", "xslt", "schema")


def tree(root: Path, under: str) -> set[str]:
    return {
        f"{under}/{p.relative_to(root).as_posix()}"
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(item, src / name)
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(out), str(src)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("edition-*.whl")
    return built


def test_the_build_system_asks_for_a_setuptools_that_reads_this_pyproject() -> None:
    import tomllib

    from packaging.requirements import Requirement
    from packaging.version import Version

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floors = {Requirement(r).name: Requirement(r).specifier for r in project["build-system"]["requires"]}
    if isinstance(project["project"].get("license"), str):
        # A license expression (PEP 639): setuptools 69-76 refuse the whole file.
        assert not floors["setuptools"].contains(Version("76.1.0")), floors["setuptools"]


def test_the_wheel_holds_every_module_stylesheet_and_schema(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = tree(ROOT / "src" / "edition", "edition") | tree(ROOT / "xslt", "edition/xslt") | tree(ROOT / "schema", "edition/schema")
    assert wanted - names == set()


def test_an_installed_copy_builds_the_edition_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    site_packages = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(site_packages)
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "edition.toml", project / "edition.toml")
    shutil.copytree(ROOT / "seeds", project / "seeds")
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDITION_")}
    # The installed copy comes first on the path (before the editable install's src/); the
    # reference schemas are inputs from outside, given as a user without ../shared would.
    env["PYTHONPATH"] = str(site_packages)
    env["EDITION_SCHEMAS"] = str(refschemas.tei_all().parent)

    where = subprocess.run(
        [sys.executable, "-c", "import edition, edition.transform as t, edition.validate as v; print(edition.__file__, t.XSLT_DIR, v.SCHEMA_DIR, sep='\\n')"],
        capture_output=True, text=True, cwd=project, env=env, timeout=60,
    )
    assert where.returncode == 0, where.stderr
    assert all(Path(line).is_relative_to(site_packages) for line in where.stdout.split()), where.stdout

    made = subprocess.run([sys.executable, "-m", "edition", "make", "-j", "1"], capture_output=True, text=True, cwd=project, env=env, timeout=600)
    assert made.returncode == 0, made.stderr
    assert (project / "build" / "site" / "index.html").is_file()
    assert (project / "build" / "site" / "assets" / "edition.css").is_file()
    assert {p.name: p.read_bytes() for p in (project / "tei").glob("*.xml")} == {p.name: p.read_bytes() for p in (ROOT / "tei").glob("*.xml")}
