"""Where per-document work runs.

Every per-document step of the pipeline (convert one source, validate one TEI
file, render one page) is a pure function of its inputs, so it can run
anywhere. This module is the one seam between the pipeline and the machinery
that runs those functions: a serial loop, a local process pool (the default), or
a distributed engine: :class:`DaskExecutor` runs them on a Dask cluster, and any
other engine (Ray...) only needs to provide ``map`` and ``close``.

Functions and items passed to an executor must be picklable: module-level
functions and plain data. Results come back in input order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, Protocol

from edition.errors import EditionError

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor


class Executor(Protocol):
    def map[T, R](self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]: ...

    def close(self) -> None: ...


class SerialExecutor:
    """Runs everything in this process: for small jobs and for debugging."""

    def map[T, R](self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        return map(fn, items)

    def close(self) -> None:
        pass


class LocalExecutor:
    """A process pool over this machine's cores.

    ``initializer`` runs once per worker process: that is where a worker
    compiles schemas and stylesheets, so each is compiled once per worker and
    reused for every document the worker handles.
    """

    def __init__(
        self,
        workers: int | None = None,
        initializer: Callable[..., None] | None = None,
        initargs: tuple[object, ...] = (),
        start_method: str | None = None,
    ) -> None:
        self.workers = workers or default_workers()
        # "spawn" gives each worker a fresh interpreter: needed when the parent may
        # already run a Saxon processor, whose native runtime does not survive fork().
        # Imported here: a run with nothing to do starts no pool, and these imports
        # cost every start of the command line a twentieth of a second.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        context = multiprocessing.get_context(start_method) if start_method else None
        # Two calls, as typeshed's overloads have them: initargs go with an initializer only.
        if initializer is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        else:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=initializer, initargs=initargs
            )

    def map[T, R](self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        return self._pool.map(fn, items, chunksize=chunksize)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)


class DaskExecutor:
    """Runs the tasks on a Dask cluster (the ``distributed`` package), for an edition
    larger than one machine's cores can build in good time.

    ``chunksize`` items go to each task, as with a process pool; results come back in
    input order, each task's as it is collected, so the caller holds one at a time.
    Every worker needs the same edition package, stylesheets and schemas, and must
    see the build's folders at the same paths (a shared file system): tasks read the
    sources and TEI files, and a render task writes into the build's staging folder.
    Workers are best started as a process per core with one thread each (``dask
    worker --nworkers -1 --nthreads 1``): each has one Saxon processor, which runs one
    transform at a time.
    """

    def __init__(self, client: Any, *, owned: bool = False) -> None:
        self.client = client
        self._owned = owned  # made by connect(): closed with this executor

    @classmethod
    def connect(cls, address: str) -> DaskExecutor:
        """An executor on the cluster whose scheduler is at ``address``
        (``tcp://host:8786``); a clear error when it cannot be reached within Dask's
        connect timeout (``distributed.comm.timeouts.connect``, 30 s unless configured)."""
        try:
            from distributed import Client
        except ImportError:
            raise EditionError("running on a Dask cluster needs the 'distributed' package "
                               "(pip install 'edition[dask]')", address) from None
        try:
            client = Client(address, set_as_default=False)
        except (OSError, TimeoutError, ValueError) as exc:
            raise EditionError(f"cannot reach the Dask scheduler: {exc}", address) from None
        return cls(client, owned=True)

    def map[T, R](self, fn: Callable[[T], R], items: Iterable[T], *, chunksize: int = 1) -> Iterator[R]:
        listed = list(items)
        size = max(1, chunksize)
        chunks = [listed[i:i + size] for i in range(0, len(listed), size)]
        # Submitted now, collected as the caller asks (see one_ahead).
        futures = self.client.map(functools.partial(_apply_each, fn), chunks, pure=False)
        return _collected(futures)

    def close(self) -> None:
        if self._owned:
            self.client.close()


def _apply_each[T, R](fn: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [fn(item) for item in chunk]


def _collected(futures: list[Any]) -> Iterator[Any]:
    for future in futures:
        yield from future.result()
        future.release()  # the cluster may forget the result once it is here


def default_workers() -> int:
    """Cores this process may use (respects CPU affinity and EDITION_WORKERS)."""
    configured = os.environ.get("EDITION_WORKERS")
    if configured and configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def forked_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes forked from this one, now: they inherit what it has
    compiled and loaded. Only for work that touches no Saxon object of this process:
    Saxon's runtime has threads and does not survive fork() (Python warns of that; the
    warning is silenced here, for the workers this makes)."""
    import multiprocessing  # here: most runs start no pool
    import warnings
    from concurrent.futures import ProcessPoolExecutor

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*use of fork\\(\\) may lead to deadlocks.*")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
        # A fork pool starts all its workers at its first task: that is now, under the filter.
        pool.submit(os.getpid).result()
    return pool


def one_ahead[T](items: Iterable[T]) -> Iterator[T]:
    """``items`` in order, each handed out only once the next has been drawn.

    For submissions to a pool (each item made by submitting work, e.g. an executor's
    ``map``): the next chunk is submitted before the caller collects the last one,
    so the workers do not wait at each hand-over, and at most two are queued."""
    pending: list[T] = []
    for item in items:
        if pending:
            yield pending.pop()
        pending.append(item)
    yield from pending


def chunk_size(items: int, workers: int) -> int:
    """Items per task for a pool: four tasks per worker, at most 64 items each."""
    return max(1, min(64, items // (workers * 4)))


def make_executor(
    jobs: int,
    workers: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[object, ...] = (),
    start_method: str | None = None,
) -> Executor:
    """A pool when there is enough work to pay for starting one, else a serial loop."""
    workers = workers or default_workers()
    if workers <= 1 or jobs < 2 * workers:
        if initializer is not None:
            initializer(*initargs)
        return SerialExecutor()
    return LocalExecutor(workers, initializer, initargs, start_method)
