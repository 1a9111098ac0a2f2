"""``make clean``: empty the configured build folder, except the harvesting catalog.

Everything a build writes is made from ``tei/`` again, except the catalog: its datestamps
and deleted records are the edition's history, which Identify promises harvesters
(deletedRecord persistent) and no build can make again. The catalog's place is
configuration (``paths.catalog``, ``paths.build``), so the folders are read from
``edition.toml`` here rather than written into the Makefile: a catalog configured in a
folder of its own under the build folder was deleted with that folder.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from edition.config import load_config
from edition.errors import EditionError

# SQLite's write-ahead log and its index go with the database.
_CATALOG_SUFFIXES = ("", "-wal", "-shm")


def clean(build_dir: Path, catalog: Path) -> None:
    """Remove everything under ``build_dir`` but ``catalog`` (with its log) and the folders
    that lead to it."""
    keep = {catalog.with_name(catalog.name + suffix) for suffix in _CATALOG_SUFFIXES}
    leading = set(catalog.parents)

    def empty(folder: Path) -> None:
        for entry in sorted(folder.iterdir()):
            if entry in keep:
                continue
            if entry in leading and entry.is_dir() and not entry.is_symlink():
                empty(entry)
            elif entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()

    if build_dir.is_dir():
        empty(build_dir)


def main(argv: list[str] | None = None) -> int:
    # It takes no arguments, but one may be tried ("--help"): argparse answers it and
    # refuses the others before anything is removed.
    argparse.ArgumentParser(
        prog="python -m edition.clean",
        description="Empty the build folder of edition.toml (paths.build) but the harvesting catalog: make clean.",
    ).parse_args(argv)
    try:
        config = load_config()
    except EditionError as exc:
        print(f"edition: error: {exc}", file=sys.stderr)
        return 2
    # What no build makes again must not be in the folder emptied: a build folder set to the
    # edition's own folder (paths.build = ".") would take the sources and the TEI with it.
    for key, path in (("paths.sources", config.sources_dir), ("paths.tei", config.tei_dir),
                      ("the configuration", config.source), ("the current folder", Path.cwd().resolve())):
        if path is not None and path.resolve().is_relative_to(config.build_dir):
            print(f"edition: error: paths.build ({config.build_dir}) holds {key} ({path}): nothing was removed; "
                  "set paths.build to a folder of its own", file=sys.stderr)
            return 2
    clean(config.build_dir, config.catalog)
    return 0


if __name__ == "__main__":
    sys.exit(main())
