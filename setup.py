"""Puts the stylesheets and the edition's schemas into the wheel; pyproject.toml says the rest.

``xslt/`` and ``schema/`` live at the top of the repository, where editors change them, and a
checkout (the editable install ``make`` makes) reads them there. A wheel holds only what is
under its packages, so a copy installed with ``pip install .`` would have neither: they are
copied into it as ``edition/xslt`` and ``edition/schema``, where ``edition.locations`` looks
when the package is not in a checkout. (Mapping them as packages in pyproject.toml instead
would make setuptools give up the plain ``src`` path of the editable install.) MANIFEST.in
puts them into the sdist, from which ``python -m build`` makes the wheel.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("xslt", "schema")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        here = Path(__file__).resolve().parent
        for name in DATA:
            target = Path(self.build_lib, "edition", name)
            shutil.rmtree(target, ignore_errors=True)  # a file removed since the last build goes too
            shutil.copytree(here / name, target, ignore=shutil.ignore_patterns("__pycache__", "*~", ".*"))


setup(cmdclass={"build_py": BuildPyWithData})
