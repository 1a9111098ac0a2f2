"""Validate edition TEI in three layers and report every problem at its file and line.

Layers (each can be chosen with ``layers=``):

``edition``     the edition's own RELAX NG (``schema/edition.rng``, derived from the ODD);
``schematron``  the edition's Schematron (``schema/edition.sch``): conventions and cross-references;
``tei_all``     the TEI Consortium's ``tei_all`` RELAX NG and the Schematron embedded in it.

Schemas are compiled once per :class:`Validator` (``tei_all`` takes lxml about 15 s);
each document then costs a few milliseconds. :meth:`Validator.validate_paths` adds the
collection-level checks (record ids unique across the files) and can spread files over
a process pool.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from edition import lxmltypes, refschemas, rng_attributes, xmlsafe
from edition.errors import EditionError
from edition.locations import data_dir
from edition.schematron import RawFinding, Schematron, compile_schema, extract_embedded, prune_to_vocabulary

SCHEMA_DIR = data_dir("schema")  # the checkout's schema/, or the installed package's copy
EDITION_RNG = SCHEMA_DIR / "edition.rng"
EDITION_SCH = SCHEMA_DIR / "edition.sch"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_ID = f"{{{XML_NS}}}id"

LAYERS: tuple[str, ...] = ("edition", "schematron", "tei_all")
POOL_THRESHOLD = 40


@dataclass(frozen=True, order=True)
class Finding:
    """One problem: sorts by file, then position, then severity and rule."""

    file: str
    line: int
    column: int
    severity: str  # "error" | "warning"
    rule: str
    message: str
    layer: str

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.rule}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def parse_layers(spec: str | Iterable[str]) -> tuple[str, ...]:
    names = [n.strip() for n in (spec.split(",") if isinstance(spec, str) else spec) if n.strip()]
    unknown = [n for n in names if n not in LAYERS]
    if unknown or not names:
        raise EditionError(f"unknown validation layer(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(LAYERS)}")
    return tuple(n for n in LAYERS if n in names)


# ---------------------------------------------------------------------------
# From a node to its place in the file


_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE(?:[^\[>]|\[.*?\])*>|<([^\s/>!?][^\s/>]*)",
    re.DOTALL,
)
_STEP = re.compile(r"(@?)(?:Q\{([^}]*)\})?([^\[/{]+)(?:\[(\d+)\])?")
def _schema_hint(el: etree._Element, message: str) -> str:
    """Where in schema/edition.odd an editor finds what is allowed instead (libxml2 does not say)."""
    parent = el.getparent()
    if ("Did not expect element" in message or "extra content" in message) and parent is not None:
        return f" (the elementSpec of {etree.QName(parent).localname} in schema/edition.odd lists what it may contain)"
    here = etree.QName(el).localname
    if "attribute" in message:
        return f" (the elementSpec of {here} in schema/edition.odd lists its attributes and their values)"
    return f" (see the elementSpec of {here} in schema/edition.odd)"


def _duplicate_id(el: etree._Element, locator: Locator) -> str:
    """What to add to libxml2's "Invalid attribute id" when ``el``'s xml:id is one an
    earlier element already has ("" when it is not: the value is then not an NCName)."""
    value = el.get(XML_ID)
    first = next((e for e in el.getroottree().getroot().iter(etree.Element) if e.get(XML_ID) == value), el)
    if first is el:
        return ""
    line, _ = locator.element(first)
    return (f': xml:id "{value}" is already that of the {etree.QName(first).localname} on line {line}; '
            "each xml:id must be unique in its file, so rename one of them and the pointers (#id) to it")


_BAD_ATTRIBUTE = re.compile(r"Invalid attribute (\S+) for element ")
_UNEXPECTED = re.compile(r"Did not expect element (\S+) there$")
_GENERIC = re.compile(r"Element \S+ failed to validate (?:attributes|content)")
_NAMELESS = re.compile(r"Error validating value *$|Value element \S+ has child elements$")
_NAMED = re.compile(r"(?:Value element|Element) (\S+) (?:has child elements|failed to validate content)")
_REFUSED_VALUE = re.compile(r"Type \S+ doesn't allow value '(.*)'$", re.DOTALL)
_STEPS = re.compile(r"/(@?(?:Q\{[^}]*\})?[^/\[{]+(?:\[\d+\])?)")


def _encoding(data: bytes, declared: str | None) -> str | None:
    """The encoding of a document's bytes: the one lxml reports, except for a UTF-16
    file whose byte order mark alone says so (no XML declaration), which lxml
    reports as UTF-8."""
    if (declared or "").lower().replace("-", "").startswith("utf32"):
        return declared  # a UTF-32 mark begins like a UTF-16 one
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return declared


class Locator:
    """Maps nodes of one parsed document to 1-based (line, column) of their start tags.

    lxml's ``sourceline`` is the line where a start tag *ends* and carries no column, so
    the start tags are found in the bytes themselves: the n-th start tag in the file is
    the n-th element in document order.
    """

    def __init__(self, data: bytes, root: etree._Element, encoding: str | None = None) -> None:
        if encoding and encoding.lower().replace("-", "").startswith(("utf16", "utf32", "ucs")):
            # The scan below needs an ASCII-compatible encoding; lines and columns do not change.
            data = data.decode(encoding).lstrip("\ufeff").encode("utf-8")
        self.data = data
        self.root = root
        self._elements: list[etree._Element] | None = None
        self._index: dict[etree._Element, int] = {}
        self._offsets: list[int] = []
        self._line_starts: list[int] = []

    def _prepare(self) -> None:
        if self._elements is not None:
            return
        self._elements = list(self.root.iter(etree.Element))
        self._index = {el: i for i, el in enumerate(self._elements)}
        start = self.data.find(b"<" + self._source_name(self.root).encode())
        self._offsets = [m.start() for m in _TOKEN.finditer(self.data, max(start, 0)) if m.group(1)]
        self._line_starts = [0] + [m.end() for m in re.finditer(rb"\n", self.data)]

    def _source_name(self, el: etree._Element) -> str:
        q = etree.QName(el)
        prefix = el.prefix
        return f"{prefix}:{q.localname}" if prefix else q.localname

    def _position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._line_starts, offset)
        column = len(self.data[self._line_starts[line - 1] : offset].decode("utf-8", "replace")) + 1
        return line, column

    def element(self, el: etree._Element, attribute: str | None = None) -> tuple[int, int]:
        self._prepare()
        i = self._index.get(el)
        if i is None or i >= len(self._offsets):
            return (lxmltypes.sourceline(el) or 1), 1
        offset = self._offsets[i]
        if attribute is not None:
            end = self.data.find(b">", offset)
            tag = self.data[offset : end if end != -1 else None]
            m = re.search(rb"\s" + re.escape(attribute.encode()) + rb"\s*=", tag)
            if m:
                offset += m.start() + 1
        return self._position(offset)

    def path(self, path: str | None, fallback_line: int | None = None) -> tuple[int, int]:
        """Locate an XPath from ``fn:path()`` (``/Q{ns}a[1]/@b``) or libxml2 (``/*/*[2]``)."""
        if not path or path == "/":
            return self.element(self.root) if fallback_line is None else (fallback_line, 1)
        node, attribute = self.node(path)
        return self.element(node, attribute)

    def node(self, path: str) -> tuple[etree._Element, str | None]:
        """The element a path leads to (as far as it resolves) and the attribute it names, if any."""
        node = self.root
        attribute: str | None = None
        # Namespace URIs in fn:path() steps contain slashes, so steps are matched, not split.
        steps = _STEPS.findall(path)
        for k, step in enumerate(steps):
            m = _STEP.fullmatch(step)
            if not m:
                break
            is_attr, ns, local, pos = m.group(1), m.group(2), m.group(3), int(m.group(4) or 1)
            if is_attr:
                attribute = self._attr_source_name(node, ns or "", local)
                break
            if local.endswith("()"):  # text(), comment(), processing-instruction()
                break
            if k == 0:
                continue  # the root element itself
            if local == "*":
                candidates = [c for c in node if isinstance(c.tag, str)]
            elif ":" in local and not ns:
                # libxml2 writes prefix:name with the element's own prefix, which may be
                # declared on that element (xmlns:xi on an xi:include), not on its parent.
                prefix, local = local.split(":", 1)
                candidates = [c for c in node if isinstance(c.tag, str) and c.prefix == prefix and etree.QName(c).localname == local]
            else:
                tag = f"{{{ns}}}{local}" if ns else local
                candidates = [c for c in node if c.tag == tag]
            if len(candidates) < pos:
                break
            node = candidates[pos - 1]
        return node, attribute

    def _attr_source_name(self, el: etree._Element, ns: str, local: str) -> str:
        if not ns:
            return local
        if ns == XML_NS:
            return f"xml:{local}"
        for prefix, uri in el.nsmap.items():
            if uri == ns and prefix:
                return f"{prefix}:{local}"
        return local


# ---------------------------------------------------------------------------
# The validator


_RNG_CACHE: dict[tuple[str, int, int], etree.RelaxNG] = {}
_EMBEDDED_CACHE: dict[tuple[str, int, int], etree._ElementTree] = {}
_PRUNED_CACHE: dict[tuple[tuple[str, int, int], ...], etree._ElementTree] = {}
RNG_NS = "http://relaxng.org/ns/structure/1.0"


def _embedded_schematron(path: Path) -> etree._ElementTree:
    """The XSLT for the Schematron embedded in a RELAX NG file (parsing tei_all takes a while)."""
    key = _file_key(path)
    if key not in _EMBEDDED_CACHE:
        _EMBEDDED_CACHE[key] = compile_schema(extract_embedded(_read_rng(path)), "tei_all", path)
    return _EMBEDDED_CACHE[key]


def _read_rng(path: Path) -> etree._Element:
    """A RELAX NG schema file's root: the edition's own, or a reference schema."""
    try:
        return etree.parse(str(path)).getroot()
    except (OSError, etree.XMLSyntaxError) as exc:
        raise EditionError(f"cannot read RELAX NG schema: {exc}", path) from exc


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def rng_vocabulary(path: Path) -> tuple[frozenset[str], frozenset[str]] | None:
    """(Clark names of every element, names of every attribute in no namespace) that a
    RELAX NG grammar allows; None when it is open-ended (a name class such as anyName or
    nsName, an element or attribute named by a name class, or another grammar pulled in),
    so that no document valid against it can hold any other element or such attribute."""
    grammar = _read_rng(path)
    r = f"{{{RNG_NS}}}"
    # (Not any(): an lxml element without children is false.)
    if next(grammar.iter(f"{r}anyName", f"{r}nsName", f"{r}include", f"{r}externalRef"), None) is not None:
        return None
    elements: set[str] = set()
    attributes: set[str] = set()
    for el in grammar.iter(f"{r}element", f"{r}attribute"):
        name = el.get("name")
        if name is None:
            return None
        if el.tag == f"{r}attribute":
            if ":" not in name and not el.get("ns"):
                attributes.add(name)  # prefixed or namespaced attributes are not judged by pruning
            continue
        if ":" in name:
            prefix, local = name.split(":", 1)
            uri = el.nsmap.get(prefix)
            if uri is None:
                return None
        else:
            # The namespace of an unprefixed name is the nearest ns attribute, the element's own first.
            local = name
            uri = next((a.get("ns") for a in (el, *el.iterancestors()) if a.get("ns") is not None), "")
        elements.add(f"{{{uri}}}{local}" if uri else local)
    return frozenset(elements), frozenset(attributes)


def _pruned_schematron(tei_all: Path, edition_rng: Path) -> etree._ElementTree | None:
    """The XSLT for tei_all's embedded Schematron without the patterns that cannot fire on
    a document valid against ``edition_rng`` (see :func:`prune_to_vocabulary`); None when
    that grammar's vocabulary is open-ended."""
    key = (_file_key(tei_all), _file_key(edition_rng))
    if key not in _PRUNED_CACHE:
        vocabulary = rng_vocabulary(edition_rng)
        if vocabulary is None:
            return None
        pruned, _ = prune_to_vocabulary(extract_embedded(_read_rng(tei_all)), *vocabulary)
        _PRUNED_CACHE[key] = compile_schema(pruned, "tei_all", tei_all)
    return _PRUNED_CACHE[key]


def _relax_ng(path: Path) -> etree.RelaxNG:
    """Compile a RELAX NG schema once per process: every Validator of tei_all shares the ~15 s."""
    try:
        key = _file_key(path)
        if key not in _RNG_CACHE:
            _RNG_CACHE[key] = etree.RelaxNG(etree.parse(str(path)))
        return _RNG_CACHE[key]
    except (OSError, etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
        raise EditionError(f"cannot load RELAX NG schema: {exc}", path) from exc


def _record_ids(root: etree._Element) -> tuple[list[str], list[str]]:
    """(document ids, archive record ids) that must be unique across a collection."""
    doc_id = root.get(f"{{{XML_NS}}}id")
    doc_ids = [doc_id] if doc_id else []
    # The export bibl's record id; files converted before 2026-12-08 have it in
    # publicationStmt (rule ed-record-idno), and it must be unique there too.
    file_desc = f"{{{TEI_NS}}}teiHeader/{{{TEI_NS}}}fileDesc"
    records = [
        " ".join((el.text or "").split())
        for path in (f"{file_desc}/{{{TEI_NS}}}sourceDesc/{{{TEI_NS}}}bibl[@type='export']/{{{TEI_NS}}}idno[@type='record']",
                     f"{file_desc}/{{{TEI_NS}}}publicationStmt/{{{TEI_NS}}}idno[@type='record']")
        for el in root.iterfind(path)
    ]
    return doc_ids, list(dict.fromkeys(r for r in records if r))  # one record in both places is one claim


class Validator:
    """All chosen layers, compiled once; call :meth:`validate_file` for each document."""

    def __init__(
        self,
        layers: Sequence[str] = LAYERS,
        *,
        edition_rng: Path = EDITION_RNG,
        edition_sch: Path = EDITION_SCH,
        tei_all: Path | None = None,
        tei_all_rng: str = "always",
    ) -> None:
        """``tei_all_rng="implied"`` skips tei_all's RELAX NG for a document that
        edition.rng accepts: the edition's schema is a subset of tei_all (the schema
        tests prove it on random documents of edition.rng), so the answer is known.
        tei_all's RELAX NG (about 15 s to compile) is then compiled only if some
        document fails edition.rng. Its embedded Schematron always runs."""
        self.layers = parse_layers(layers)
        if tei_all_rng not in ("always", "implied"):
            raise EditionError(f"tei_all_rng must be 'always' or 'implied', not {tei_all_rng!r}")
        self._edition_sch = edition_sch
        self._edition_rng_path = edition_rng
        self._edition_rng = _relax_ng(edition_rng) if "edition" in self.layers else None
        self._tei_all_path = (tei_all or refschemas.tei_all()) if "tei_all" in self.layers else None
        self.tei_all_implied = tei_all_rng == "implied" and self._edition_rng is not None
        self._tei_all_compiled: etree.RelaxNG | None = None
        if self._tei_all_path is not None and not self.tei_all_implied:
            self._tei_all_compiled = _relax_ng(self._tei_all_path)
        # In a pool worker, a document that needs tei_all's RELAX NG is handed back
        # to the parent, which compiles it once, instead of once per worker.
        self.defer_tei_all = False
        self._sch_sources: dict[str, etree._ElementTree] = {}
        if "schematron" in self.layers:
            try:
                sch = etree.parse(str(edition_sch))
            except (OSError, etree.XMLSyntaxError) as exc:
                raise EditionError(f"cannot load Schematron: {exc}", edition_sch) from exc
            self._sch_sources["schematron"] = compile_schema(sch.getroot(), "edition", edition_sch)
        # With tei_all's RELAX NG implied, its Schematron is implied in part too: on a
        # document edition.rng accepts, only the patterns whose rule contexts can match
        # the edition's vocabulary run (16 of tei_all's 83). The rest cannot fire there;
        # a document edition.rng rejects gets every pattern (compiled when first needed).
        self._tei_all_pruned = False
        if self._tei_all_path is not None:
            pruned = _pruned_schematron(self._tei_all_path, edition_rng) if self.tei_all_implied else None
            self._tei_all_pruned = pruned is not None
            self._sch_sources["tei_all"] = pruned if pruned is not None else _embedded_schematron(self._tei_all_path)
        self._saxon: dict[str, Schematron] = {}
        self._saxon_pid: int | None = None
        self._compile_saxon()
        self._pool: Any = None  # a worker pool forked by :meth:`workers`
        self._pool_jobs = 0

    @contextmanager
    def workers(self, jobs: int) -> Iterator[None]:
        """Fork ``jobs`` workers now and let :meth:`validate_tasks` use them.

        A forked worker keeps every page its parent held at the fork. A caller
        that is about to read what it knows of thousands of files forks first,
        while it is small: at 50,000 documents, workers forked after that
        bookkeeping were 90 MB larger each.
        """
        if jobs <= 1 or self._pool is not None:
            yield
            return
        global _POOL_VALIDATOR
        _POOL_VALIDATOR = self
        from edition.executor import forked_pool

        # fork, so children inherit the compiled RELAX NG (tei_all costs ~15 s to compile).
        # Children never touch the parent's Saxon objects (see _compile_saxon), which is
        # what makes forking safe here.
        pool = forked_pool(jobs)
        self._pool, self._pool_jobs = pool, jobs
        try:
            yield
        finally:
            self._pool = None
            pool.shutdown()

    @property
    def _tei_all_rng(self) -> etree.RelaxNG | None:
        if self._tei_all_compiled is None and self._tei_all_path is not None:
            self._tei_all_compiled = _relax_ng(self._tei_all_path)
        return self._tei_all_compiled

    @property
    def fingerprint(self) -> str:
        """What this validator's findings depend on besides the document and its shared ids."""
        return validator_fingerprint(self.layers, self.tei_all_implied, self._edition_rng_path, self._edition_sch, self._tei_all_path)

    def _compile_saxon(self) -> None:
        # Saxon's native runtime does not survive fork(): each process compiles its own copy,
        # once, shared by every Validator of that process.
        if self._saxon_pid == os.getpid():
            return
        saxon: dict[str, Schematron] = {}
        for name, xsl in self._sch_sources.items():
            try:
                saxon[name] = _schematron_for(name, xsl)
            except EditionError as exc:
                if exc.path is None:  # Saxon compiled text: the file it came from is named here
                    exc.path = self._edition_sch if name == "schematron" else self._tei_all_path
                raise
        self._saxon = saxon
        self._saxon_pid = os.getpid()

    # -- one document --------------------------------------------------------------

    def validate_file(
        self,
        path: Path | str,
        *,
        other_doc_ids: Iterable[str] = (),
        other_record_ids: Iterable[str] = (),
        display: str | None = None,
    ) -> list[Finding]:
        path = Path(path)
        name = display or str(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            return [Finding(name, 1, 1, "error", "io", f"cannot read the file: {exc.strerror}", "io")]
        return self.validate_bytes(
            data, name, stem=path.stem, other_doc_ids=other_doc_ids, other_record_ids=other_record_ids
        )

    def validate_bytes(
        self,
        data: bytes,
        name: str,
        *,
        stem: str | None = None,
        other_doc_ids: Iterable[str] = (),
        other_record_ids: Iterable[str] = (),
        tree: etree._ElementTree | None = None,
    ) -> list[Finding]:
        """Findings of one document's bytes; ``tree``: those bytes as
        :func:`edition.xmlsafe.parse_bytes` parsed them, when the caller already has it."""
        if tree is None:
            try:
                # Hand-edited TEI is untrusted; a DTD would also reach Saxon's parser (Schematron).
                tree = xmlsafe.parse_bytes(data, name)
            except EditionError as exc:
                rule = "well-formed" if isinstance(exc, xmlsafe.MalformedXMLError) else "unsafe-xml"
                return [Finding(name, exc.line or 1, max(exc.column or 1, 1), "error", rule, exc.message, "xml")]
        root = tree.getroot()
        encoding = _encoding(data, tree.docinfo.encoding)
        locator = Locator(data, root, encoding)
        findings: list[Finding] = []
        if root.tag != f"{{{TEI_NS}}}TEI":
            line, column = locator.element(root)
            findings.append(
                Finding(name, line, column, "error", "root", f"the root element is {root.tag}, expected a TEI element in {TEI_NS}", "xml")
            )
        edition_valid = True
        if self._edition_rng is not None:
            found = self._rng(self._edition_rng, tree, locator, name, "edition-rng", "edition")
            edition_valid = not found
            findings += found
        if self._tei_all_path is not None and not (self.tei_all_implied and edition_valid):
            if self.defer_tei_all and self._tei_all_compiled is None:
                findings.append(Finding(name, 0, 0, "error", TEI_ALL_PENDING, "", "tei_all"))
            else:
                findings += self._rng(self._tei_all_rng, tree, locator, name, "tei_all-rng", "tei_all")
        if self._sch_sources:
            self._compile_saxon()
            first = next(iter(self._saxon.values()))
            try:
                # A UTF-8 byte order mark survives decoding as U+FEFF, which Saxon's
                # parser of a string refuses as content before the prolog.
                source = data.decode(encoding or "utf-8").removeprefix("\ufeff")
            except (LookupError, UnicodeDecodeError):
                source = etree.tostring(root, encoding="unicode")  # same structure, so same paths
            try:
                text = first.parse(source)  # one Saxon tree for both Schematron layers
            except Exception as exc:  # noqa: BLE001 - lxml accepted it, so report rather than crash
                message = " ".join(str(exc).split())
                return sorted(set(findings + [Finding(name, 1, 1, "error", "schematron-failed", f"Saxon cannot read the file: {message}", "schematron")]))
            if "schematron" in self._saxon:
                params = {
                    "file-stem": stem or "",
                    "other-doc-ids": list(other_doc_ids),
                    "other-record-ids": list(other_record_ids),
                }
                findings += self._schematron(self._saxon["schematron"], text, name, locator, params, "", "schematron")
            if "tei_all" in self._saxon:
                tei_all = self._saxon["tei_all"]
                if self._tei_all_pruned and not edition_valid:
                    tei_all = _schematron_for("tei_all", _embedded_schematron(self._tei_all_path))  # type: ignore[arg-type]
                findings += self._schematron(tei_all, text, name, locator, {}, "tei_all/", "tei_all")
        return sorted(set(findings))

    def _rng(self, schema, tree, locator: Locator, name: str, rule: str, layer: str) -> list[Finding]:
        if schema.validate(tree):
            return []
        out = []
        entries = list(schema.error_log)
        # libxml2 precedes "Element X failed to validate content" for a wrong value with
        # "Error validating value ", which names nothing: one slip, two lines, and the
        # generic one is the one explained below. It also follows a wrong value that a
        # line of its own names ("Type language doesn't allow value ''") with "Element X
        # failed to validate attributes", which then says nothing more.
        generic_at = {e.path for e in entries if _GENERIC.match(e.message or "")}
        named_at = Counter(e.path for e in entries if not _GENERIC.match(e.message or "") and not _NAMELESS.match(e.message or ""))
        for entry in entries:
            path = entry.path
            message = entry.message or ""
            element = locator.node(path)[0] if path else None
            if _NAMELESS.match(message) and entry.path in generic_at:
                continue
            if element is not None and (holder := _NAMED.match(message)) and etree.QName(element).localname != holder.group(1):
                # libxml2 gives the path of the child an element holds where it should hold a value.
                element = next((a for a in element.iterancestors() if etree.QName(a).localname == holder.group(1)), element)
                path = element.getroottree().getpath(element)
            at: str | None = None  # the attribute at fault, as an element's attrib key
            why = ""  # what libxml2 leaves out: which attribute, which values
            duplicate = ""
            if element is not None and (bad := _BAD_ATTRIBUTE.match(message)):
                # libxml2 names a bad attribute only in the message: point at the attribute itself.
                at = bad.group(1)
                if element.get(at) is None and element.get(f"{{{XML_NS}}}{at}") is not None:
                    # libxml2 calls xml:lang "lang" and xml:id "id": the editor wrote xml:lang.
                    message = message.replace(f"attribute {at} ", f"attribute xml:{at} ", 1)
                    at = f"{{{XML_NS}}}{at}"
                if at == XML_ID:
                    # The same message for a value that is not a name and for one an
                    # earlier element already has.
                    duplicate = _duplicate_id(element, locator)
                if not duplicate and rule == "edition-rng":
                    why = rng_attributes.why_attribute_is_invalid(self._attribute_specs, element, rng_attributes.source_name(at))
            elif element is not None and (refused := _REFUSED_VALUE.match(message)):
                # "Type language doesn't allow value 'x'": of which attribute, if one has that value.
                holders = [a for a, v in lxmltypes.attributes(element).items() if v == refused.group(1)]
                if len(holders) == 1:
                    at = holders[0]
                    message += f" (the value of {rng_attributes.source_name(at)})"
            elif element is not None and (unexpected := _UNEXPECTED.match(message)) and unexpected.group(1) == etree.QName(element).localname:
                why = self._misplaced(element, rule)
            elif element is not None and rule == "edition-rng" and message.startswith("Element ") and message.endswith(" failed to validate attributes"):
                named, why = rng_attributes.why_attributes_fail(self._attribute_specs, element)
                at = next((a for a in lxmltypes.attributes(element) if rng_attributes.source_name(a) == named), None)
            elif element is not None and rule == "edition-rng" and message.startswith("Element ") and message.endswith(" failed to validate content"):
                named, why = rng_attributes.why_content_fails(self._attribute_specs, element)
                at = next((a for a in lxmltypes.attributes(element) if rng_attributes.source_name(a) == named), None)
            if at is not None:
                q = etree.QName(at)
                path = f"{path}/@" + (f"Q{{{q.namespace}}}{q.localname}" if q.namespace else q.localname)
            line, column = locator.path(path, entry.line) if path else (entry.line or 1, 1)
            if why:
                message += f": {why}"
            elif _GENERIC.match(message) and named_at[entry.path]:
                continue
            if duplicate:
                message += duplicate  # the elementSpec would not help here
            elif rule == "edition-rng" and path:
                message += _schema_hint(locator.node(path)[0], entry.message or "")
            out.append(Finding(name, line, column, "error", rule, message, layer))
        return out

    def _misplaced(self, element: etree._Element, rule: str) -> str:
        """What "Did not expect element X there" leaves out when X is not what it looks
        like: a TEI name in another namespace, or a misspelt name."""
        q = etree.QName(element)
        if q.namespace != TEI_NS:
            # libxml2 names the element without its namespace, so a p an xmlns put
            # elsewhere reads as a p refused where p belongs.
            where = f"in the namespace {q.namespace}" if q.namespace else "in no namespace"
            return (f"this {q.localname} is {where}, not TEI's ({TEI_NS}): "
                    "remove or correct the xmlns declaration that puts it there")
        if rule != "edition-rng" or q.localname in self._attribute_specs:
            return ""
        names = list(self._attribute_specs)
        same = [n for n in names if n.lower() == q.localname.lower()]
        close = same or difflib.get_close_matches(q.localname, names, n=1, cutoff=0.8)
        return f"the edition has no element {q.localname}" + (f"; did you mean {close[0]}?" if close else "")

    @property
    def _attribute_specs(self) -> rng_attributes.Specs:
        """What edition.rng lets each element carry (read once, and only for a file it rejects)."""
        return rng_attributes.attribute_specs(self._edition_rng_path)

    def _schematron(self, sch: Schematron, text, name, locator, params, prefix, layer) -> list[Finding]:
        try:
            raw: list[RawFinding] = sch.run(text, Path(name).resolve().as_uri(), params)
        except Exception as exc:  # noqa: BLE001 - Saxon's errors; one bad file must not stop the run
            message = " ".join(str(exc).split())
            return [Finding(name, 1, 1, "error", f"{prefix}schematron-failed", f"the Schematron could not run: {message}", layer)]
        out = []
        for f in raw:
            line, column = locator.path(f.path)
            out.append(Finding(name, line, column, f.role, prefix + f.rule_id, f.message, layer))
        return out

    # -- a collection --------------------------------------------------------------

    def validate_paths(self, paths: Sequence[Path | str], jobs: int = 1) -> tuple[list[Finding], int]:
        """Validate every file (directories: their ``*.xml``), with cross-file checks.

        Returns the sorted findings and the number of files checked.
        """
        files = collect(paths)
        ids = [ids_of_file(f) for f in files]
        return self.validate_tasks(collection_tasks(files, ids), jobs), len(files)

    def validate_tasks(
        self,
        tasks: Sequence[tuple[Path, list[str], list[str]]],
        jobs: int = 1,
        on_result: Callable[[tuple[Path, list[str], list[str]], list[Finding]], None] | None = None,
    ) -> list[Finding]:
        """Validate each ``(file, shared doc ids, shared record ids)`` of a collection
        (see :func:`collection_tasks`); ``on_result`` sees each file's findings."""
        findings: list[Finding] = []
        pending: list[tuple[Path, list[str], list[str]]] = []

        def collect_result(task: tuple[Path, list[str], list[str]], result: list[Finding]) -> None:
            if any(f.rule == TEI_ALL_PENDING for f in result):
                pending.append(task)
                return
            findings.extend(result)
            if on_result is not None:
                on_result(task, result)

        # A worker compiles its own Saxon stylesheets (about a second), so small runs stay serial.
        if self._pool is None and jobs > 1 and len(tasks) >= POOL_THRESHOLD:
            with self.workers(jobs):
                self._run_pool(tasks, collect_result)
        elif self._pool is not None:
            self._run_pool(tasks, collect_result)
        else:
            for task in tasks:
                collect_result(task, _run_task(self, task))
        # Documents edition.rng rejected, handed back by the workers: tei_all's
        # RELAX NG is compiled here, once, for all of them.
        deferred, self.defer_tei_all = self.defer_tei_all, False
        try:
            for task in pending:
                collect_result(task, _run_task(self, task))
        finally:
            self.defer_tei_all = deferred
        return sorted(findings)

    def map_files[T, R](self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``function`` (a module-level function) of each item, in order, as each is done:
        in the workers of :meth:`workers` while they run, else here."""
        if self._pool is None:
            return map(function, items)
        from edition.executor import chunk_size

        return self._pool.map(function, items, chunksize=chunk_size(len(items), self._pool_jobs))

    def _run_pool(self, tasks: Sequence[tuple[Path, list[str], list[str]]], collect_result: Callable[..., None]) -> None:
        from edition.executor import chunk_size

        chunk = chunk_size(len(tasks), self._pool_jobs)
        for task, result in zip(tasks, self._pool.map(_pool_task, tasks, chunksize=chunk)):
            collect_result(task, result)


def collection_tasks(files: Sequence[Path], ids: Sequence[tuple[list[str], list[str]]]) -> list[tuple[Path, list[str], list[str]]]:
    """Per file: the file, and those of its document and record ids another file also
    has; ``ids`` holds each file's (document ids, record ids), in the order of ``files``."""
    all_docs = Counter(i for d, _ in ids for i in d)
    all_records = Counter(i for _, r in ids for i in r)
    tasks = []
    for f, (docs, records) in zip(files, ids, strict=True):
        # Only the ids this file shares with another matter to the rules, and passing just
        # those keeps the whole run linear in the number of files. (A file holds one or
        # two ids: list.count beats building a Counter per file.)
        others_d = sorted(i for i in set(docs) if all_docs[i] > docs.count(i))
        others_r = sorted(i for i in set(records) if all_records[i] > records.count(i))
        tasks.append((f, others_d, others_r))
    return tasks


TEI_ALL_PENDING = "tei_all-rng-pending"  # internal: a worker left tei_all's RELAX NG to the parent


def ids_of_file(path: Path) -> tuple[list[str], list[str]]:
    """(document ids, record ids) of one file; none when it cannot be read (validation reports why)."""
    try:
        return _record_ids(xmlsafe.parse_file(path).getroot())
    except EditionError:
        return ([], [])


def file_facts(path: Path) -> tuple[str, tuple[list[str], list[str]]]:
    """The SHA-256 of one file's bytes ("" when it cannot be read) and its ids as
    :func:`ids_of_file` gives them, from one read."""
    sha, ids, _data, _tree = _read_facts(path)
    return sha, ids


def _read_facts(path: Path) -> tuple[str, tuple[list[str], list[str]], bytes | None, etree._ElementTree | None]:
    """:func:`file_facts` of one file, with the bytes they come from (None when it
    cannot be read) and their parse (None when not well-formed or unsafe)."""
    try:
        data = path.read_bytes()
    except OSError:
        return "", ([], []), None, None
    try:
        tree: etree._ElementTree | None = xmlsafe.parse_bytes(data, path)
    except EditionError:
        tree = None
    return hashlib.sha256(data).hexdigest(), _record_ids(tree.getroot()) if tree is not None else ([], []), data, tree


def facts_and_findings(task: tuple[Path, str | None]) -> tuple[str, tuple[list[str], list[str]], list[Finding] | None]:
    """In a worker of :meth:`Validator.workers`: :func:`file_facts` of one file and, unless
    its bytes are still those hashed ``known`` (a file touched, not changed), its findings
    as a file that shares no id with another, which nearly every file is: one read and
    one parse for both, instead of one to learn the ids the cross-file rules need and
    one to validate. The findings are None when not made (the bytes known, no worker's
    validator here, or tei_all's RELAX NG left to the parent); the caller validates such
    a file, and one that does share an id, again."""
    path, known = task
    # A tree of None (bytes not well-formed or unsafe): the validation below reports why.
    sha, ids, data, tree = _read_facts(path)
    if data is None or sha == known or _POOL_VALIDATOR is None:
        return sha, ids, None
    _POOL_VALIDATOR.defer_tei_all = True
    findings = _POOL_VALIDATOR.validate_bytes(data, str(path), stem=path.stem, tree=tree)
    if any(f.rule == TEI_ALL_PENDING for f in findings):
        return sha, ids, None
    return sha, ids, findings


def validator_fingerprint(layers: Sequence[str], tei_all_implied: bool, edition_rng: Path = EDITION_RNG,
                          edition_sch: Path = EDITION_SCH, tei_all: Path | None = None) -> str:
    """What findings depend on besides a document and its shared ids: code, layers, schema files."""
    from edition.incremental import code_fingerprint, digest, tree_digest

    schemas = [edition_rng, edition_sch] + ([tei_all] if tei_all is not None else [])
    return digest(code_fingerprint(), list(layers), tei_all_implied, tree_digest([p for p in schemas if p.is_file()]))


_POOL_VALIDATOR: Validator | None = None
_SAXON: dict[int, object] = {}  # pid -> PySaxonProcessor
_SCHEMATRON_CACHE: dict[tuple[int, str, str], Schematron] = {}


def _schematron_for(name: str, stylesheet: etree._ElementTree) -> Schematron:
    """The compiled Schematron for this stylesheet in this process (compiled on first use)."""
    pid = os.getpid()
    if pid not in _SAXON:
        from edition import saxon

        # A forked child keeps (and never uses) its parent's entries: dropping them would
        # run Saxon's destructors on objects of the parent's runtime.
        _SAXON[pid] = saxon.processor()
    text = etree.tostring(stylesheet)
    key = (pid, name, hashlib.sha256(text).hexdigest())
    if key not in _SCHEMATRON_CACHE:
        _SCHEMATRON_CACHE[key] = Schematron(stylesheet, _SAXON[pid], name)
    return _SCHEMATRON_CACHE[key]
_SHARED: dict[tuple[str, ...], Validator] = {}


def get_validator(layers: Sequence[str] = LAYERS) -> Validator:
    """The process's validator for these layers, compiled on first use and then reused."""
    key = parse_layers(layers)
    if key not in _SHARED:
        _SHARED[key] = Validator(key)
    return _SHARED[key]


def _run_task(validator: Validator, task: tuple[Path, list[str], list[str]]) -> list[Finding]:
    path, docs, records = task
    return validator.validate_file(path, other_doc_ids=docs, other_record_ids=records)


def _pool_task(task: tuple[Path, list[str], list[str]]) -> list[Finding]:
    assert _POOL_VALIDATOR is not None
    _POOL_VALIDATOR.defer_tei_all = True
    return _run_task(_POOL_VALIDATOR, task)


def collect(paths: Sequence[Path | str]) -> list[Path]:
    """The files to validate: each file given, and every ``*.xml`` under each directory, sorted."""
    from edition.fsutil import listed_files

    return listed_files(paths, _is_xml_name)


def _is_xml_name(name: str) -> bool:
    return name.endswith(".xml")
