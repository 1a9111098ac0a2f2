"""Where the edition's own files are, in a checkout and in an installed copy.

The stylesheets (``xslt/``) and the edition's schemas (``schema/``) sit at the top of the
repository, where editors change them; a checkout, and the editable install that ``make``
makes, reads them there. A wheel holds only packages, so ``setup.py`` copies those two
folders into the package (``edition/xslt``, ``edition/schema``), and a copy installed with
``pip install .`` (not editable) reads them there: it has no repository above it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
# The repository in a checkout (src/edition/..); in an installed copy a folder of the
# Python installation (lib/python3.x), which holds nothing of the edition's.
CHECKOUT = PACKAGE.parent.parent


def in_checkout() -> bool:
    """True when the package runs from ``src/edition`` of a repository (editable install)."""
    return PACKAGE.parent.name == "src" and (CHECKOUT / "pyproject.toml").is_file()


def data_dir(name: str) -> Path:
    """The folder ``xslt`` or ``schema``: the checkout's, or the installed package's copy."""
    return (CHECKOUT if in_checkout() else PACKAGE) / name


def project_dir() -> Path:
    """The edition's folder, under which ``.cache/`` is kept: the checkout, or for an
    installed copy the folder it is run in (where ``edition.toml`` is looked for too)."""
    return CHECKOUT if in_checkout() else Path.cwd()
