"""One edition run at a time on a build folder.

Two runs on one project (``make`` started twice, from two terminals, or by an
editor while a scheduled rebuild runs) would each read the other's half-written
records and staging, fail with errors that name no cause, and could leave
records that no longer match the site. Every command that writes a build folder
takes an exclusive lock on ``<build folder>/.lock`` for as long as it runs; a
second run says that it waits, and waits. The lock is ``flock``'s: the system
releases it when the process ends, however it ends, so a killed run leaves
nothing stale behind.

``edition make`` takes the lock once; the steps it forks inherit it (they find
its path in :data:`HELD_ENV`) and do not ask again, which would wait forever on
their own parent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

LOCK_NAME = ".lock"
HELD_ENV = "EDITION_BUILD_LOCK"  # the lock file this process (or the run that forked it) holds

try:
    import fcntl
except ImportError:  # pragma: no cover - not a POSIX system: no lock to take
    fcntl = None  # type: ignore[assignment]


@contextmanager
def build_lock(build_dir: Path) -> Iterator[None]:
    """Hold the lock of ``build_dir`` (made if missing) for the ``with`` block."""
    path = os.path.realpath(os.path.join(build_dir, LOCK_NAME))
    if fcntl is None or os.environ.get(HELD_ENV) == path:
        yield
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    previous = os.environ.get(HELD_ENV)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 100, 0).decode("utf-8", "replace").strip() or "a process"
            click.echo(f"edition: {build_dir} is in use by another edition run ({holder}); waiting for it to finish",
                       err=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}\n".encode(), 0)
        os.environ[HELD_ENV] = path
        yield
    finally:
        if previous is None:
            os.environ.pop(HELD_ENV, None)
        else:
            os.environ[HELD_ENV] = previous
        os.close(fd)  # and with it the lock
