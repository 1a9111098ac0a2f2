"""The TEI files as the site build reads them: each checked once, the documents in
date order, and the neighbours each page links to.

:func:`load_documents` reads every file whole into a :class:`DocumentInput`;
:func:`load_facts` keeps only what ordering, linking and deciding what to redo
need (:class:`DocumentFacts`), reusing the build state's record of a file whose
stat signature is unchanged, and :meth:`DocumentFacts.load` reads the bytes again
where a document is rendered.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import TYPE_CHECKING, Any, overload

from lxml import etree

from edition import lxmltypes, xmlsafe
from edition.errors import EditionError
from edition.fsutil import contained_path, sha256_bytes
from edition.transform import ParamValue

if TYPE_CHECKING:
    from edition.build_state import BuildState

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
NS = {"tei": TEI_NS}


class BuildError(EditionError):
    """A TEI file or a stage that stops the build."""


@dataclass(frozen=True)
class DocumentInput:
    """One TEI document as the build sees it (picklable: plain data only)."""

    id: str
    tei_path: Path
    data: bytes
    sha256: str
    title: str
    date_key: str
    date_label: str
    date_iso: str
    # The language of the title (its xml:lang, or the nearest ancestor's: common.xsl's
    # ed:title-lang): the neighbours' links show the title, in that language.
    title_lang: str = "en"

    def tree(self) -> etree._Element:
        """The TEI root element, parsed from :attr:`data`."""
        return xmlsafe.parse_bytes(self.data, self.tei_path).getroot()


@dataclass(frozen=True)
class Neighbours:
    """The documents before and after one document in date order."""

    prev: DocumentInput | DocumentFacts | None = None
    next: DocumentInput | DocumentFacts | None = None

    def params(self) -> dict[str, ParamValue]:
        out: dict[str, ParamValue] = {}
        for key, doc in (("prev", self.prev), ("next", self.next)):
            out[f"{key}-id"] = doc.id if doc else ""
            out[f"{key}-title"] = doc.title if doc else ""
            out[f"{key}-date"] = doc.date_label if doc else ""
            out[f"{key}-when"] = doc.date_iso if doc else ""
            out[f"{key}-title-lang"] = doc.title_lang if doc else ""
        return out


def load_document(path: Path) -> DocumentInput:
    """Read one TEI file and check what the build relies on."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read: {exc.strerror}", path) from None
    # Refuses DTDs, entities and absurd nesting too: the same bytes go to Saxon.
    tree, data = xmlsafe.parse_vetted(data, path)
    root = tree.getroot()
    if root.tag != f"{{{TEI_NS}}}TEI":
        raise BuildError(f"root element is {root.tag!r}, expected a TEI element in the TEI namespace", path, lxmltypes.sourceline(root))
    doc_id = root.get(f"{{{XML_NS}}}id", "")
    if not doc_id:
        raise BuildError("the TEI element has no xml:id (it names the document's pages)", path, lxmltypes.sourceline(root))
    if doc_id != path.stem:
        raise BuildError(f"xml:id {doc_id!r} does not match the file name {path.name!r}", path, lxmltypes.sourceline(root))
    contained_path(Path("."), doc_id)  # the id becomes file names: refuse anything unsafe
    titles = lxmltypes.elements(root.xpath("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", namespaces=NS))
    main = [t for t in titles if t.get("type") == "main"] or titles
    title = " ".join(lxmltypes.text(main[0]).split()) if main else ""
    if not title:
        raise BuildError("no title in teiHeader/fileDesc/titleStmt", path, lxmltypes.sourceline(root))
    title_lang = next((lang for el in (main[0], *main[0].iterancestors()) if (lang := el.get(XML_LANG))), "en")
    date_iso, date_label = _date_of(root)
    return DocumentInput(
        id=doc_id,
        tei_path=path,
        data=data,
        sha256=sha256_bytes(data),
        title=title,
        date_key=date_iso or UNDATED,
        date_label=date_label,
        date_iso=date_iso,
        title_lang=title_lang,
    )


# Where a document's date is, in order of preference (the same order as
# ed:date in xslt/common.xsl, which shows it).
_DATE_PATHS = (
    "tei:teiHeader/tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:history/tei:origin/tei:origDate",
    "tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']/tei:date",
    "tei:teiHeader/tei:profileDesc/tei:creation/tei:date",
)
UNDATED = "9999"  # undated documents sort after every dated one


def _date_of(root: etree._Element) -> tuple[str, str]:
    """(ISO date or range start, printed form); either may be ''."""
    for xpath in _DATE_PATHS:
        for el in lxmltypes.elements(root.xpath(xpath, namespaces=NS)):
            iso = next((el.get(a, "") for a in ("when", "notBefore", "from", "notAfter", "to") if el.get(a)), "")
            return (iso, " ".join(lxmltypes.text(el).split()))
    return ("", "")


def load_documents(tei_dir: Path) -> list[DocumentInput]:
    """Every ``*.xml`` in ``tei_dir``, checked, in date order (ties by id)."""
    if not tei_dir.is_dir():
        raise BuildError("no such folder of TEI files", tei_dir)
    docs = [load_document(p) for p in sorted(tei_dir.glob("*.xml"))]
    if not docs:
        raise BuildError("no TEI files (*.xml) to build from", tei_dir)
    return sorted(docs, key=lambda d: (d.date_key, d.id))


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """What the build knows of a TEI file without holding its bytes: enough to order
    the documents, link neighbours and decide what to redo (picklable)."""

    id: str
    tei_path: Path
    sha256: str
    stat: list[int] | None
    title: str
    date_key: str
    date_label: str
    date_iso: str
    title_lang: str
    # tei_path.name, known when the folder is listed: asking the Path for it parses
    # the path, ten thousand times per no-op build.
    file: str

    @classmethod
    def of(cls, doc: DocumentInput, stat: list[int] | None) -> DocumentFacts:
        return cls(doc.id, doc.tei_path, doc.sha256, stat, doc.title, doc.date_key, doc.date_label, doc.date_iso,
                   doc.title_lang, doc.tei_path.name)

    def load(self) -> DocumentInput:
        """The document with its bytes, read again; refuses a file changed since it was checked."""
        try:
            data = self.tei_path.read_bytes()
        except OSError as exc:
            raise BuildError(f"cannot read: {exc.strerror}", self.tei_path) from None
        if sha256_bytes(data) != self.sha256:
            raise BuildError("the file changed while the site was being built; build again", self.tei_path)
        # The facts were read from bytes with this hash by load_document, which vetted
        # them: Saxon's parse need not vet them again.
        return DocumentInput(self.id, self.tei_path, xmlsafe.vetted_again(data), self.sha256, self.title, self.date_key,
                             self.date_label, self.date_iso, self.title_lang)


def _state_rows(facts: list[DocumentFacts]) -> Iterator[tuple[str, int, int, int, str, str, str, str, str, str, str]]:
    """The rows :meth:`BuildState.put_tei` records for ``facts`` (those with a stat signature)."""
    for f in facts:
        if f.stat is not None:
            size, mtime_ns, inode = f.stat
            yield (f.file, size, mtime_ns, inode, f.sha256, f.id, f.title, f.date_key, f.date_label, f.date_iso, f.title_lang)


def tei_listing(tei_dir: Path) -> list[tuple[str, list[int]]]:
    """(name, stat signature) of every regular ``*.xml`` file in ``tei_dir``, by name."""
    if not tei_dir.is_dir():
        raise BuildError("no such folder of TEI files", tei_dir)
    listed: list[tuple[str, list[int]]] = []
    # Names, not Path.glob: sorting 10,000 Path objects alone costs a no-op build a third of a second.
    base = os.path.join(tei_dir, "")
    for name in sorted(n for n in os.listdir(tei_dir) if n.endswith(".xml")):
        try:
            st = os.stat(base + name)
        except OSError:
            continue
        if S_ISREG(st.st_mode):
            listed.append((name, [st.st_size, st.st_mtime_ns, st.st_ino]))
    return listed


def load_facts(tei_dir: Path, state: BuildState | None = None,
               listed: Sequence[tuple[str, list[int]]] | None = None) -> list[DocumentFacts]:
    """:func:`load_documents` without keeping the bytes, reusing the facts ``state``
    holds for files whose stat signature is unchanged and recording the others.
    ``listed``: the folder's :func:`tei_listing`, when the caller has it."""
    if listed is None:
        listed = tei_listing(tei_dir)
    facts: list[DocumentFacts] = []
    unknown: list[tuple[Path, list[int]]] = []
    base = os.path.join(tei_dir, "")
    # Both in name order: the state's rows are read alongside the folder, not looked up.
    rows = state.tei_rows() if state is not None else iter(())
    row = next(rows, None)
    for name, sig in listed:
        path = Path(base + name)  # the same Path as tei_dir / name, without joining objects
        while row is not None and row[0] < name:
            row = next(rows, None)
        if row is not None and row[0] == name and [row[1], row[2], row[3]] == sig:
            facts.append(DocumentFacts(row[5], path, row[4], sig, *row[6:], name))
        else:
            unknown.append((path, sig))
    for _ in rows:  # finish the statement before anything is written
        pass
    if unknown:
        fresh = _facts_of_files(unknown)
        if state is not None:
            state.put_tei(_state_rows(fresh))
        facts += fresh
    if not facts:
        raise BuildError("no TEI files (*.xml) to build from", tei_dir)
    return sorted(facts, key=lambda d: (d.date_key, d.id))


FACTS_POOL_THRESHOLD = 200  # files whose facts are read in worker processes, not here


def _facts_of(item: tuple[Path, list[int]]) -> DocumentFacts:
    return DocumentFacts.of(load_document(item[0]), item[1])


def _facts_of_files(files: list[tuple[Path, list[int]]]) -> list[DocumentFacts]:
    """The facts of each (file, stat signature), in order: so the first bad file (in name
    order) is the one reported.

    Many files are read in forked processes. Threads were slower than one thread (3.7 s
    against 2.5 s for 10,000 files, with 5.0 s of CPU): lxml gives up the GIL while it
    parses, but the rest of each file's work is Python, and the threads fought over the
    GIL. Two processes took 1.4 s. The workers touch no Saxon object of this process,
    which is what makes forking safe here (as for the validator's workers).
    """
    from edition.executor import chunk_size, default_workers, forked_pool

    workers = default_workers()
    if workers < 2 or len(files) < FACTS_POOL_THRESHOLD:
        return [_facts_of(item) for item in files]
    with forked_pool(workers) as pool:
        return list(pool.map(_facts_of, files, chunksize=chunk_size(len(files), workers)))


class LazyDocuments(Sequence[DocumentInput]):
    """The documents in build order, each read from disk when asked for, so that
    edition-wide work over 50,000 documents never holds them all."""

    def __init__(self, facts: Sequence[DocumentFacts]) -> None:
        self._facts = facts

    def __len__(self) -> int:
        return len(self._facts)

    @overload
    def __getitem__(self, i: int) -> DocumentInput: ...
    @overload
    def __getitem__(self, i: slice) -> list[DocumentInput]: ...

    def __getitem__(self, i: int | slice) -> DocumentInput | list[DocumentInput]:
        if isinstance(i, slice):
            return [_LazyInput(f) for f in self._facts[i]]
        return _LazyInput(self._facts[i])

    def __iter__(self) -> Iterator[DocumentInput]:
        for f in self._facts:
            yield _LazyInput(f)


class _LazyInput(DocumentInput):
    """A DocumentInput whose bytes are read only when a stage asks for them (most
    edition-wide stages need only ids, paths and hashes); ``file`` is the TEI file's
    name, as listed."""

    file: str
    _facts: DocumentFacts

    def __init__(self, facts: DocumentFacts) -> None:  # noqa: D107 - fields as DocumentInput's
        # Straight into the instance dict: the frozen dataclass's setattr, once per
        # field, cost a rebuild after one correction a third of a second at 10,000.
        self.__dict__.update(id=facts.id, tei_path=facts.tei_path, sha256=facts.sha256, title=facts.title,
                             date_key=facts.date_key, date_label=facts.date_label, date_iso=facts.date_iso,
                             title_lang=facts.title_lang, file=facts.file, _facts=facts)

    @property
    def data(self) -> bytes:
        return self._facts.load().data


def neighbours(docs: Sequence[Any]) -> list[Neighbours]:
    """Previous and next document of each document in ``docs`` (already in order)."""
    return [
        Neighbours(docs[i - 1] if i > 0 else None, docs[i + 1] if i + 1 < len(docs) else None)
        for i in range(len(docs))
    ]
