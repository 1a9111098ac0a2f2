"""Filesystem helpers: atomic writes and safe output paths.

Every output of the pipeline goes through :func:`atomic_write` so that a crash
or Ctrl-C leaves either the old file or the new one, never half of either.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from edition.errors import EditionError

T = TypeVar("T")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bytes_if_unchanged(path: Path, sha: str) -> bytes | None:
    """The bytes of ``path`` when their SHA-256 is still ``sha``; None when they differ
    or the file cannot be read (an output a build reuses only as it made it)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if sha256_bytes(data) == sha else None


def holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` holds exactly ``data``."""
    try:
        with open(path, "rb") as fh:
            return os.fstat(fh.fileno()).st_size == len(data) and fh.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def hard_link(existing: Path, path: Path) -> bool:
    """Make ``path`` a hard link to ``existing``; False where none can be made (another
    file system, one without links, a name already taken)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(existing, path)
    except OSError:
        return False
    return True


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# Set by batched_sync(): a build writing thousands of files syncs once at the
# end instead of once per file (an fsync costs milliseconds on a busy disk).
_DEFER_FSYNC = False


def defer_fsync(on: bool) -> None:
    """Skip the per-file fsync of :func:`atomic_write` in this process (worker
    processes of a build whose parent syncs once when the batch is done)."""
    global _DEFER_FSYNC
    _DEFER_FSYNC = on


@contextmanager
def batched_sync() -> Iterator[None]:
    """Within the block, :func:`atomic_write` still renames atomically (a crash leaves
    the old file or the new one) but does not fsync each file; leaving the block
    normally flushes everything to disk with one ``sync()``."""
    before = _DEFER_FSYNC
    defer_fsync(True)
    try:
        yield
    finally:
        defer_fsync(before)
    os.sync()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates files 0600; published files must be readable like any other
# file the user creates (a web server often runs as another user).
FILE_MODE = 0o666 & ~_current_umask()


# Set by scratch_writes(): the folder (with a trailing separator) whose files
# atomic_write writes in place.
_SCRATCH: str | None = None


@contextmanager
def scratch_writes(folder: Path) -> Iterator[None]:
    """Within the block, :func:`atomic_write` writes a file under ``folder`` in place,
    without a temporary file and a rename. For a private scratch folder whose files
    are moved atomically to where they belong once complete (a build's render slots,
    where the document stages run): a crash there loses nothing, and the temporary
    file and its rename were two fifths of the cost of writing and staging each of
    a document's citation files."""
    global _SCRATCH
    before = _SCRATCH
    _SCRATCH = os.path.join(os.path.abspath(folder), "")
    try:
        yield
    finally:
        _SCRATCH = before


def in_folder(folder: Path, act: Callable[[], T]) -> T:
    """``act()``, which creates a file in ``folder``; the folder (with its parents) is
    made only if ``act`` finds it missing. A build creates a few files a document in
    folders that are nearly always there: making sure of the folder before each file
    cost a failed ``mkdir`` and its exception every time."""
    try:
        return act()
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        return act()


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename
    (in place within :func:`scratch_writes`)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if _SCRATCH is not None and os.path.abspath(path).startswith(_SCRATCH):
        try:
            with in_folder(path.parent, lambda: open(path, "wb")) as fh:
                fh.write(data)
        except OSError as exc:
            raise _naming(exc, path) from exc
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary_beside(path)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if not _DEFER_FSYNC:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise _naming(exc, path) from exc
        raise


def _temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file in ``path``'s folder, to be renamed over ``path``. A folder
    that refuses it (read-only, full) is named: the temporary file's random name, which
    the system's error gives, never existed, and an editor would look for it in vain."""
    try:
        return tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path.parent)) from exc


def _naming(exc: OSError, path: Path) -> OSError:
    """``exc`` with the file being written, where the system gave none: a full disk
    fails the write or the closing flush, whose errors name no file, and an error
    without one reaches the user as an internal error of edition (see cli)."""
    if exc.filename is not None:
        return exc
    return OSError(exc.errno, exc.strerror, str(path))


class ReplacingWriter:
    """Write a file in pieces, then put it in place atomically only if its bytes differ
    from the file already there (which then keeps its stat signature, so what depends
    on it is not redone). Nothing is replaced if writing fails.

    For outputs too large to hold in memory at once: the edition-wide citation files
    of 50,000 documents are some hundreds of megabytes together.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.changed = False
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _temporary_beside(path)
        os.fchmod(fd, FILE_MODE)
        self._tmp = tmp
        self._file = os.fdopen(fd, "wb")

    def write(self, text: str) -> None:
        self._file.write(text.encode("utf-8"))

    def __enter__(self) -> ReplacingWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                if not _DEFER_FSYNC:
                    self._file.flush()
                    os.fsync(self._file.fileno())
                self._file.close()
                import filecmp

                if self.path.is_file() and filecmp.cmp(self._tmp, self.path, shallow=False):
                    return
                os.replace(self._tmp, self.path)
                self.changed = True
        finally:
            self._file.close()
            if not self.changed:
                try:
                    os.unlink(self._tmp)
                except FileNotFoundError:
                    pass


def contained_path(base: Path, name: str, suffix: str = "") -> Path:
    """Return ``base/name+suffix``, refusing any name that could escape ``base``.

    Names come from sources (record ids, titles), so they are untrusted: only a
    single path component of safe characters is accepted. The path is returned
    resolved; a link in ``base`` is followed only to a file inside it.
    """
    return contained_paths(base, name, (suffix,))[0]


def contained_paths(base: Path, name: str, suffixes: Iterable[str]) -> list[Path]:
    """:func:`contained_path` of ``name`` with each of ``suffixes`` (a document's
    citation files): the name is checked and the folder looked up once for all."""
    if not name or name in {".", ".."} or "/" in name or "\\" in name or "\x00" in name:
        raise EditionError(f"unsafe output name {name!r}", base)
    real_base = _real_folder(base)
    paths = []
    for suffix in suffixes:
        candidate = os.path.join(real_base, f"{name}{suffix}")
        # A single component under a resolved folder is resolved already, unless it is
        # itself a link: only then is it worth resolving (a dozen system calls a path).
        if os.path.islink(candidate):
            resolved = Path(candidate).resolve()
            if str(resolved.parent) != real_base:
                raise EditionError(f"output name {name!r} would leave {base}", base)
            paths.append(resolved)
        else:
            paths.append(Path(candidate))
    return paths


_real_folders: dict[tuple[str, str], str] = {}


def _real_folder(base: Path) -> str:
    """``base`` resolved, remembered once it exists as a folder (a build asks for the
    same few folders for every document)."""
    key = (os.getcwd(), os.fspath(base))
    found = _real_folders.get(key)
    if found is None:
        found = os.path.realpath(base)
        if os.path.isdir(found):
            if len(_real_folders) > 256:
                _real_folders.clear()
            _real_folders[key] = found
    return found


class Listing(list[Path]):
    """Listed files, with ``names``: each one's ``str()``, as the listing made it.

    Asking a ``Path`` for its string parses and formats it again, about 10 µs; at
    10,000 files that is a tenth of a second each time a step names, keys or
    stats its inputs, so steps that only need names take them from here.
    """

    names: list[str]

    def __init__(self, paths: Iterable[Path] = (), names: Iterable[str] = ()) -> None:
        super().__init__(paths)
        self.names = list(names)
        if len(self.names) != len(self):
            raise ValueError("a listing needs one name per path")


def names_of(paths: Sequence[Path | str]) -> list[str]:
    """``str()`` of each path: a listing's names as it made them, others computed."""
    if isinstance(paths, Listing):
        return paths.names
    return [os.fspath(p) for p in paths]


def listed_files(inputs: Iterable[Path | str], accept: Callable[[str], bool]) -> Listing:
    """Each file named, and every regular file (or symlink to one) under each folder
    named whose name ``accept`` takes, sorted as paths sort (component by component);
    one file reached twice (by device and inode) is listed once, where first reached.
    A symlink so named that leads nowhere is listed too, for its reader to report.

    os.scandir rather than Path.rglob or os.walk: an edition folder holds tens of
    thousands of files, and a no-op run should cost little more than listing them.
    A directory entry carries its type and inode, so only symlinks cost a stat.
    """
    seen: set[tuple[int, int]] = set()
    out = Listing()
    for item in inputs:
        base = os.fspath(item)
        if os.path.isdir(base):
            found = _listing(base, accept)
        else:
            try:
                st = os.stat(base)
            except OSError:
                raise EditionError("no such file or folder", Path(base)) from None
            path = Path(base)
            found = [(path, str(path), (st.st_dev, st.st_ino))]
        for path, name, key in found:
            if key not in seen:
                seen.add(key)
                out.append(path)
                out.names.append(name)
    return out


# Listings made in this process, with the modification time of every folder they read:
# adding, removing or renaming an entry changes its folder's time, so a listing whose
# folders all kept theirs is still true (`edition make` lists the sources twice).
# Keyed by the working folder too: the paths listed are as given, relative or not.
_Found = list[tuple[Path, str, tuple[int, int]]]
_LISTINGS: dict[tuple[str, str, Callable[[str], bool]], tuple[list[tuple[str, int]], _Found]] = {}
_LISTINGS_KEPT = 4


def _listing(base: str, accept: Callable[[str], bool]) -> _Found:
    key = (os.getcwd(), base, accept)
    cached = _LISTINGS.get(key)
    if cached is not None and all(_mtime(folder) == mtime for folder, mtime in cached[0]):
        return cached[1]
    folders: list[tuple[str, int]] = []
    found = _files_in_tree(base, accept, folders)
    _LISTINGS.pop(key, None)
    while len(_LISTINGS) >= _LISTINGS_KEPT:
        del _LISTINGS[next(iter(_LISTINGS))]  # the oldest
    _LISTINGS[key] = (folders, found)
    return found


def _mtime(folder: str) -> int | None:
    try:
        return os.stat(folder).st_mtime_ns
    except OSError:
        return None


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether the entry is a regular file or a symlink to one (False for a symlink loop)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _files_in_tree(base: str, accept: Callable[[str], bool], folders: list[tuple[str, int]]) -> _Found:
    found: list[tuple[tuple[str, ...], str, tuple[int, int]]] = []
    todo: list[tuple[str, tuple[str, ...]]] = [(base, ())]
    while todo:
        folder, parts = todo.pop()
        try:
            st = os.stat(folder)
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable or vanished, as os.walk skips it
        device = st.st_dev
        folders.append((folder, st.st_mtime_ns))
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    todo.append((entry.path, (*parts, entry.name)))
                elif accept(entry.name):
                    if _is_file(entry):
                        if entry.is_symlink():
                            st = os.stat(entry.path)
                            key = (st.st_dev, st.st_ino)
                        else:
                            key = (device, entry.inode())
                    elif entry.is_symlink() and not os.path.exists(entry.path):
                        # A link to nothing (or a loop) named like an input is listed, so
                        # that the command reading it says it cannot; left out, the input
                        # it stands for would be missing from the edition without a word.
                        key = (device, entry.inode())
                    else:
                        continue  # a folder, or a link to one, named like an input
                    found.append(((*parts, entry.name), entry.path, key))
            except OSError:
                continue
    found.sort()
    # Each name as str() of its Path would give it: the folder as pathlib writes it,
    # then plain names from the folder entries (never "", "." or ".." or with a separator).
    top = str(Path(base))
    prefix = "" if top == "." else top if top.endswith(os.sep) else top + os.sep
    out: _Found = []
    for parts, full, key in found:
        name = prefix + os.sep.join(parts)
        out.append((Path(full), name, key))
    return out
