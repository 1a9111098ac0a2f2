"""A folder's files as data, for the tests that compare whole builds byte for byte
(incremental against clean, killed against finished, local against a cluster's)."""

from __future__ import annotations

from pathlib import Path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative POSIX path, with its bytes;
    empty when ``folder`` does not exist (a build that never started)."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
