"""Export readers: one module per export shape.

Each shape module exposes ``NAME``, ``detect(text) -> float`` (confidence in
0..1) and ``read(text) -> ReadResult``. :func:`read_source` decodes a file,
asks every reader, and uses the most confident one; a file no reader is
confident about is an error naming it, never a guess. To add a shape, write a
module with those three names and list it in ``READERS``.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from edition.dates import impossible_date
from edition.errors import SourceError
from edition.fsutil import sha256_bytes
from edition.ids import document_id
from edition.model import Document, SourceFile
from edition.sources import line_capture, markdown, web_page
from edition.sources.archives import named_by_its_archive
from edition.sources.decode import decode_source
from edition.sources.footnotes import footnote_warnings
from edition.sources.metadata import correspondents_from_title, doctype_from_text, doctype_name

READERS: tuple[ModuleType, ...] = (web_page, line_capture, markdown)
MIN_CONFIDENCE = 0.5
MAX_SOURCE_BYTES = 64 * 1024 * 1024


def detect_shape(text: str) -> tuple[ModuleType | None, dict[str, float]]:
    scores = {reader.NAME: reader.detect(text) for reader in READERS}
    best = max(READERS, key=lambda r: scores[r.NAME])
    return (best if scores[best.NAME] >= MIN_CONFIDENCE else None), scores


def read_source(path: Path, id_prefix: str = "doc") -> Document:
    """Read one export into a :class:`Document` (body not yet encoded)."""
    return read_source_text(path, id_prefix)[0]


def read_source_text(path: Path, id_prefix: str = "doc") -> tuple[Document, str]:
    """:func:`read_source`, and the export's decoded text (for a caller that checks
    the document against it without reading the file again)."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise SourceError(f"file is {size} bytes, over the {MAX_SOURCE_BYTES}-byte limit for one export", path)
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from None
    decoded = decode_source(data, path)
    reader, scores = detect_shape(decoded.text)
    if reader is None:
        tried = ", ".join(f"{name} {score:.2f}" for name, score in sorted(scores.items()))
        raise SourceError(f"no known export shape (confidence: {tried}; need {MIN_CONFIDENCE})", path, 1)
    try:
        result = reader.read(decoded.text)
    except ValueError as exc:  # a reader's FieldError says on which line
        raise SourceError(f"{reader.NAME} export, but {exc}", path, getattr(exc, "line", None)) from None
    if not any(para.strip() for part in result.parts for para in part.paragraphs):
        # A header with no text would publish an empty edition page; the export
        # was most likely cut short or is a search-result page, not a document.
        # Named with the title's line: what the reader found last before the text should start.
        title_line = next((seg.line for seg in result.segments if seg.role == "title"), None)
        raise SourceError(f"{reader.NAME} export with a title but no document text", path, title_line)
    meta = result.metadata
    if meta.archive is not None and meta.original_archive:
        # The field may stand before or after the Source it tells apart: read once both are.
        meta.archive = named_by_its_archive(meta.archive, meta.original_archive)
    if meta.doc_type is None and (doctype := doctype_from_text(meta.title)):
        meta.doc_type, meta.doc_type_evidence = doctype, "title"
        meta.doc_type_name = doctype_name(meta.title)
    if meta.doc_type is None:
        # The schema wants exactly one document type; "other" is its word for a
        # source that names none (no Type field, no type word in the title).
        meta.doc_type, meta.doc_type_evidence = "other", "absence of a Type field or a type word in the title"
    if not meta.senders and not meta.addressees:
        meta.senders, meta.addressees = correspondents_from_title(meta.title, meta.doc_type)
    source = SourceFile(
        name=path.name,
        sha256=sha256_bytes(data),
        shape=reader.NAME,
        encoding=decoded.encoding,
        encoding_note=decoded.note,
    )
    doc = Document(
        id=document_id(result.metadata, id_prefix),
        metadata=result.metadata,
        parts=result.parts,
        source=source,
        segments=result.segments,
    )
    doc.warnings = [*decoded.warnings, *result.warnings, *footnote_warnings(result.segments, result.parts)]  # type: ignore[attr-defined]
    date = meta.date
    if date is not None and date.when is None and date.not_before is None and (why := impossible_date(date.text)):
        line = next((seg.line for seg in result.segments if seg.role == "date"), None)
        doc.warnings.append(f"line {line}: {why}; the document is left undated: correct the date in the export")  # type: ignore[attr-defined]
    return doc, decoded.text
