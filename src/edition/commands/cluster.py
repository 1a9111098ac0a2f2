"""``--scheduler``: a command's per-document work on a Dask cluster instead of local processes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from edition.executor import Executor

scheduler_option = click.option(
    "--scheduler", metavar="ADDRESS", default=None,
    help="Run the per-document work on the Dask cluster whose scheduler is at ADDRESS "
         "(tcp://host:8786) instead of local processes; needs the 'distributed' package, "
         "and this folder at the same path on every worker (see the README).")


@contextmanager
def cluster_executor(address: str | None) -> Iterator[Executor | None]:
    """An executor on the cluster at ``address`` for the block, closed after it; None
    (the command's own local processes) without an address."""
    if not address:
        yield None
        return
    from edition.executor import DaskExecutor

    executor = DaskExecutor.connect(address)
    try:
        yield executor
    finally:
        executor.close()
