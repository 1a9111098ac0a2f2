"""Resident memory as the system reports it in ``getrusage`` and ``wait4``."""

from __future__ import annotations

import sys


def maxrss_mb(ru_maxrss: int) -> float:
    """``ru_maxrss`` in MB (MiB): Linux counts it in KiB, macOS in bytes."""
    return ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
