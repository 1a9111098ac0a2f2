"""Running the edition's XSLT 3.0 stylesheets with saxonche.

Saxon's start-up and stylesheet compilation cost far more than applying a
compiled stylesheet to one document, so a process holds exactly one
:class:`Transformer` (see :func:`transformer`), which owns the single
``PySaxonProcessor`` and compiles each stylesheet the first time it is asked
for it. A process pool gives every worker its own instance: saxonche objects
cannot cross process boundaries.

Parameters are plain Python values (``str``, ``int``, ``bool`` or a sequence
of strings) keyed by the stylesheet's parameter name; they are cleared before
every run so one document's parameters never leak into the next.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Union

from saxonche import PySaxonApiError, PyXdmNode, PyXdmValue, PyXsltExecutable

from edition import saxon, xmlsafe
from edition.errors import EditionError
from edition.locations import data_dir

# EDITION_XSLT_DIR lets a benchmark or a fork render with a copy of the stylesheets.
XSLT_DIR = Path(os.environ.get("EDITION_XSLT_DIR") or data_dir("xslt"))

ParamValue = Union[str, int, bool, Sequence[str]]


SAXON_DISALLOW_DOCTYPE = "http://saxon.sf.net/feature/parserFeature?uri=http%3A//apache.org/xml/features/disallow-doctype-decl"
SAXON_ALLOWED_PROTOCOLS = "http://saxon.sf.net/feature/allowedProtocols"

# Trees a transformer keeps (see Transformer.parse): one per document of the
# build's largest batch (edition.render_pool.RENDER_BATCH), with room to spare.
RECENT_TREES = 32



def _as_text(data: bytes) -> str:
    """A document's bytes (already checked by :mod:`edition.xmlsafe`) as the string
    Saxon parses. Saxon's parser of a string refuses a byte order mark (U+FEFF before
    the prolog) and cannot honour an encoding declaration, while validation (lxml)
    accepts both: a hand-edited file saved with a BOM, in UTF-16 or in a declared
    Latin-1 must build as it validated. UTF-8 without a mark, what the converter
    writes, costs one prefix test."""
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        from lxml import etree

        # lxml reads the mark or the declaration; the tree is the document.
        return etree.tostring(xmlsafe.parse_bytes(data), encoding="unicode")

class TransformError(EditionError):
    """A stylesheet failed to compile or to run on a document."""


_STDERR_SWAP = threading.RLock()


class _SaxonStderr:
    """What Saxon writes to the process's standard error while it compiles or runs a
    stylesheet, caught so that it reaches the user inside the edition's own message.

    Saxon (a native image of Java) reports a dynamic error on file descriptor 2, in
    several lines with the stylesheet's line and column, before raising an exception
    that has neither: an editor saw Saxon's text, then the edition's line, on the
    terminal. While a call runs, descriptor 2 points at a scratch file (unlinked at
    once); what lands there is read back, and given back to standard error when the
    call succeeds (a thread of the process may have written it).
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="edition-saxon-")

    @contextmanager
    def caught(self) -> Iterator[list[str]]:
        # Descriptor 2 is the process's, not this transformer's: two threads swapping it at
        # once (two transformers, a Dask worker's threads, a compile beside a run) would each
        # restore what the other had put there, and leave standard error in a scratch file.
        with _STDERR_SWAP:
            with self._caught() as said:
                yield said

    @contextmanager
    def _caught(self) -> Iterator[list[str]]:
        said: list[str] = []
        fd = self._file.fileno()
        start = os.lseek(fd, 0, os.SEEK_END)
        sys.stderr.flush()
        try:
            saved = os.dup(2)
        except OSError:  # no standard error to stand in for (closed by the caller)
            yield said
            return
        os.dup2(fd, 2)
        failed = True
        try:
            yield said
            failed = False
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            size = os.lseek(fd, 0, os.SEEK_END)
            text = os.pread(fd, size - start, start) if size > start else b""
            if size > 1 << 20:
                self._file.truncate(0)  # a long build must not fill the disk with what it has read
            if text and not failed:
                os.write(2, text)
            said.append(text.decode("utf-8", "replace"))


class Transformer:
    """One Saxon processor and the stylesheets compiled with it."""

    def __init__(self, xslt_dir: Path = XSLT_DIR, stylesheets: str = "") -> None:
        self.xslt_dir = xslt_dir
        # A digest of the stylesheets as they were when this transformer was asked for
        # (see transformer()); '' when the caller did not say.
        self.stylesheets = stylesheets
        self._proc = saxon.processor()
        self._stderr = _SaxonStderr()
        # Document content is untrusted: Saxon's parser refuses DTDs (no external
        # entities), and before the first transform runs the processor is locked
        # down (see _lock_down) so that no doc(), document() or unparsed-text()
        # fed by a TEI value can read a local file or the network.
        self._proc.set_configuration_property(SAXON_DISALLOW_DOCTYPE, "true")
        self._locked_down = False
        self._xslt = self._proc.new_xslt30_processor()
        self._compiled: dict[str, PyXsltExecutable] = {}
        # Why a stylesheet failed to compile at the lock-down (see _lock_down): asked
        # for again afterwards, Saxon could only say that it may not read the file.
        self._failed: dict[str, TransformError] = {}
        # saxonche executables keep parameters as state; a lock keeps one
        # thread's parameters from mixing with another's.
        self._lock = threading.Lock()
        # The trees of the last few documents parsed, newest last (see parse).
        self._recent: deque[tuple[bytes, PyXdmNode]] = deque(maxlen=RECENT_TREES)

    @property
    def saxon_version(self) -> str:
        return str(self._proc.version)

    def stylesheet(self, name: str) -> PyXsltExecutable:
        """The compiled stylesheet ``xslt/<name>``, compiled once per process."""
        executable = self._compiled.get(name)
        if executable is None:
            failed = self._failed.get(name)
            if failed is not None:
                raise TransformError(failed.message, failed.path, failed.line, failed.column)
            path = self.xslt_dir / name
            if not path.is_file():
                raise TransformError("stylesheet not found", path)
            try:
                with self._stderr.caught() as said:
                    executable = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as exc:
                raise _does_not_compile(path, _saxon_says(said, exc)) from exc
            if executable is None:  # pragma: no cover - saxonche reports most failures by raising
                raise TransformError("stylesheet does not compile", path)
            # Keep xsl:message output for the error report instead of stderr.
            executable.set_save_xsl_message(True)
            self._compiled[name] = executable
        return executable

    def _lock_down(self) -> None:
        """Compile every stylesheet, then forbid Saxon every URI scheme.

        Saxon cannot lift the restriction once set, and compiling needs to read
        the stylesheets and their imports, so all of them are compiled first
        (about 0.4 s); a stylesheet that does not compile on its own (a module)
        is skipped here and reported if it is ever asked for.
        """
        with self._lock:
            if self._locked_down:
                return
            for path in sorted(self.xslt_dir.glob("*.xsl")):
                try:
                    self.stylesheet(path.name)
                except TransformError as exc:
                    self._failed[path.name] = exc
            self._proc.set_configuration_property(SAXON_ALLOWED_PROTOCOLS, "")
            self._locked_down = True

    def parse(self, data: bytes, origin: Path | str, *, keep: bool = True) -> PyXdmNode:
        """Parse XML bytes into a Saxon tree; ``origin`` names the file in errors.

        The build hands the same bytes object to several stylesheets (citation,
        page, plain text), a batch of documents at a time; the trees of the last
        :data:`RECENT_TREES` bytes objects are kept, so each document is checked
        and parsed once. ``keep=False`` for a document parsed for one transform
        (an index page, a batch of catalog records): their trees are large, and
        kept they made each index-page worker 50 MB heavier.
        """
        # A copy, made in one step: another thread may parse meanwhile.
        for seen, tree in tuple(self._recent):
            if seen is data:
                return tree
        try:  # a DTD, bomb or depth attack named as such before Saxon sees it
            xmlsafe.checked_bytes(data, origin)
        except EditionError as exc:
            raise TransformError(exc.message, origin, exc.line, exc.column) from None
        try:
            node = self._proc.parse_xml(xml_text=_as_text(data))
        except (PySaxonApiError, UnicodeDecodeError) as exc:
            raise TransformError(f"not well-formed XML: {_clean(exc)}", origin) from exc
        if node is None:  # pragma: no cover
            raise TransformError("not well-formed XML", origin)
        if keep:
            self._recent.append((data, node))
        return node

    def apply(
        self,
        name: str,
        source: PyXdmNode,
        params: Mapping[str, ParamValue] | None = None,
        origin: Path | str | None = None,
    ) -> str:
        """Apply stylesheet ``name`` to ``source`` and return the serialised result."""
        result = self._run(name, params, origin, lambda ex: ex.transform_to_string(xdm_node=source))
        if result is None:
            raise TransformError(f"{name}: the transform produced no output", origin)
        return str(result)

    def call_template(
        self,
        name: str,
        template: str,
        context: PyXdmNode,
        params: Mapping[str, ParamValue] | None = None,
        origin: Path | str | None = None,
    ) -> str:
        """Call named template ``template`` of stylesheet ``name`` with ``context`` as
        the global context item; return its result serialised by the stylesheet's
        xsl:output."""

        def run(ex: PyXsltExecutable) -> object:
            ex.set_global_context_item(xdm_item=context)
            return ex.call_template_returning_string(template)

        return str(self._run(name, params, origin, run) or "")

    def call_template_value(
        self,
        name: str,
        template: str,
        context: PyXdmNode,
        params: Mapping[str, ParamValue] | None = None,
        origin: Path | str | None = None,
    ) -> str:
        """Like :meth:`call_template`, for a template that returns one string: that
        string as it is, not serialised (a JSON text stays JSON, unescaped)."""

        def run(ex: PyXsltExecutable) -> object:
            ex.set_global_context_item(xdm_item=context)
            value = ex.call_template_returning_value(template)
            return value.head.string_value if value is not None and value.size else ""

        return str(self._run(name, params, origin, run))

    def _run(
        self,
        name: str,
        params: Mapping[str, ParamValue] | None,
        origin: Path | str | None,
        run: Callable[[PyXsltExecutable], object],
    ) -> object:
        executable = self.stylesheet(name)
        if not self._locked_down:
            self._lock_down()
        with self._lock:
            executable.clear_parameters()
            # saxonche does not keep the Python objects of parameter values
            # alive: if they are collected before the transform runs, Saxon
            # reads freed handles (and crashes). ``keep`` holds them, and every
            # item of a sequence, until the transform has finished.
            keep: list[object] = []
            for key, value in sorted((params or {}).items()):
                executable.set_parameter(key, self._value(value, keep))
            try:
                with self._stderr.caught() as said:
                    return run(executable)
            except PySaxonApiError as exc:
                raise TransformError(f"{name}: {_explain(executable, exc, said)}", origin) from exc
            finally:
                executable.clear_parameters()
                executable.clear_xsl_messages()
                del keep

    def _value(self, value: ParamValue, keep: list[object]) -> PyXdmValue:
        result: PyXdmValue
        if isinstance(value, bool):
            result = self._proc.make_boolean_value(value)
        elif isinstance(value, int):
            result = self._proc.make_integer_value(value)
        elif isinstance(value, str):
            result = self._proc.make_string_value(value)
        else:
            result = self._proc.empty_sequence()
            for item in value:
                atom = self._proc.make_string_value(str(item))
                keep.append(atom)
                result.add_xdm_item(atom)
        keep.append(result)
        return result


def _clean(exc: object) -> str:
    return " ".join(str(exc).split())


# Where Saxon places a static error: "Error in xsl:value-of/@select on line 49 column 57
# of html.xsl: XPST0008 ...", "Error on line 54 column 5 of common.xsl: SXXP0003 ...".
_STATIC_PLACE = re.compile(r"^(?:Static error|Syntax error|Error)(?P<what> in \S+)?(?: at char \d+ in \S+)? on line (?P<line>\d+) "
                           r"column (?P<column>\d+) of (?P<file>[^\s:]+):\s*")


def _does_not_compile(path: Path, said: str) -> TransformError:
    """A stylesheet's compile error, placed as FILE:LINE:COLUMN in the stylesheet Saxon
    names (the one compiled, or a module it imports), not inside Saxon's words."""
    place = _STATIC_PLACE.match(said)
    if place is None:
        return TransformError(f"stylesheet does not compile: {said}", path)
    module = path.parent / place["file"]
    what = f"{place['what'].strip()}: " if place["what"] else ""
    return TransformError(f"stylesheet does not compile: {what}{said[place.end():]}", module if module.is_file() else path,
                          int(place["line"]), int(place["column"]))


def _saxon_says(said: list[str], exc: BaseException) -> str:
    """Saxon's report of an error, in one line: what it wrote to standard error (with
    the error's code and its place in the stylesheet) when it wrote anything, else
    its exception's text."""
    written = _clean("".join(said))
    return written or _clean(exc)


def _explain(executable: PyXsltExecutable, exc: BaseException, said: list[str]) -> str:
    """The stylesheet's own words (its xsl:message) before Saxon's."""
    messages = executable.get_xsl_messages()
    own = [" ".join(str(messages.item_at(i).string_value).split()) for i in range(messages.size)] if messages else []
    return "; ".join([*own, _saxon_says(said, exc)])


_transformers: dict[Path, Transformer] = {}
_transformers_lock = threading.Lock()


def transformer(xslt_dir: Path = XSLT_DIR, stylesheets: str = "") -> Transformer:
    """The transformer of this process for ``xslt_dir``, created on first use.

    ``stylesheets``: a digest of the folder's stylesheets as they are now (the build
    gives one, :attr:`edition.render.BuildContext.stylesheets`). A transformer made
    for other stylesheets, or without a digest, is replaced: a process that outlives
    a change to them (a program that builds twice, a cluster's worker) would
    otherwise go on rendering with what it compiled first.
    """
    with _transformers_lock:
        found = _transformers.get(xslt_dir)
        if found is None or (stylesheets and found.stylesheets != stylesheets):
            found = _transformers[xslt_dir] = Transformer(xslt_dir, stylesheets)
        return found


def forget_stale(xslt_dir: Path, stylesheets: str) -> None:
    """Drop this process's transformer for ``xslt_dir`` unless it was made for
    ``stylesheets``, without starting Saxon: the next :func:`transformer` call makes a
    new one from the stylesheets as they are then."""
    with _transformers_lock:
        found = _transformers.get(xslt_dir)
        if found is not None and found.stylesheets != stylesheets:
            del _transformers[xslt_dir]


def stylesheet_closure(start: Path) -> list[Path]:
    """``start`` and every stylesheet it imports or includes, at any depth (sorted):
    what a transform with it depends on (the stylesheets read no other files)."""
    xsl = "{http://www.w3.org/1999/XSL/Transform}"
    seen: list[Path] = []
    todo = [start.resolve()]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.append(path)
        try:
            root = xmlsafe.parse_file(path).getroot()
        except EditionError:
            continue  # compiling it will report the error
        for ref in root.iter(f"{xsl}import", f"{xsl}include"):
            href = ref.get("href")
            if href:
                todo.append((path.parent / href).resolve())
    return sorted(seen)


def stylesheet_digest(start: Path) -> str:
    """SHA-256 of the names and bytes of :func:`stylesheet_closure` of ``start``."""
    h = hashlib.sha256()
    for path in stylesheet_closure(start):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
