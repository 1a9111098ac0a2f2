"""One document's site files: the document stages, its reading page and its plain text.

:func:`render_document` is a pure function of ``(DocumentInput, BuildContext,
Neighbours)``: a process pool or an incremental build can run it anywhere, for any
subset of the documents. :func:`render_documents` gives the same outputs for a
batch, one step at a time over all of it. The build runs them through
:mod:`edition.render_pool`.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from edition import __version__, citations
from edition.build_documents import BuildError, DocumentInput, Neighbours
from edition.fsutil import bytes_if_unchanged, sha256_bytes
from edition.model import DOCUMENT_PAGE
from edition.transform import XSLT_DIR, ParamValue, transformer

CITE_FORMATS = ("json", "bib", "ris")


@dataclass(frozen=True)
class BuildContext:
    """Everything about the build that is the same for every document."""

    tei_dir: Path
    out_dir: Path
    site_title: str = "Digital Edition"
    base_url: str = ""
    edition_version: str = __version__
    config: Any = None
    xslt_dir: Path = XSLT_DIR
    index_page_size: int = 500  # documents per index or browse page
    # For the edition-wide stages of a build: TEI hash -> the catalog part its render
    # worker made (edition.catalog_entries.CatalogPart), or None. Not set in workers.
    catalog_parts: Any = None
    # In a render worker, for the document stages: what they kept of the document at
    # its last render (the ``memo:`` keys they returned), or None.
    memo: Mapping[str, str] | None = None
    # SHA-256 of text.xsl, and of html.xsl, with what each includes (set by build_site
    # for its workers): with the TEI bytes and the parameters, all a plain-text file, or
    # a page, is made from.
    text_stylesheet: str = ""
    page_stylesheet: str = ""
    # SHA-256 of csl-json.xsl with what it includes and of the CSL-JSON schema (set by
    # build_site for its workers): with the TEI bytes and the base URL, all a document's
    # citation files are made from (see edition.citations.document_stage).
    citation_inputs: str = ""
    # In a render worker, for the document stages: the site as the last build left it,
    # where a stage may find the outputs its memo describes; None elsewhere.
    built: Path | None = None
    # A digest of the stylesheets of xslt_dir (set by build_site): a worker that
    # compiled them for an earlier build compiles them again when they changed.
    stylesheets: str = ""

    @property
    def params(self) -> dict[str, ParamValue]:
        """Parameters every stylesheet of the site takes."""
        return {
            "site-title": self.site_title,
            "base-url": self.base_url,
            "edition-version": self.edition_version,
        }

    def page_url(self, doc_id: str) -> str:
        """Public URL of a document's page ('' when no base URL is configured)."""
        return f"{self.base_url}{DOCUMENT_PAGE.format(id=doc_id)}" if self.base_url else ""


@dataclass
class RenderedDocument:
    """The files of one document, by path relative to the site folder."""

    id: str
    files: dict[str, bytes]
    seconds: float
    memo: dict[str, str] = field(default_factory=dict)  # what the stages keep for the next render


DocumentStage = Callable[[DocumentInput, BuildContext], Mapping[str, str]]

# Registered here, where the list is: a worker that starts afresh (a spawned process,
# a distributed engine) imports this module to render, and must find every stage.
DOCUMENT_STAGES: list[DocumentStage] = [
    citations.document_stage,  # cite/<id>.*; Chicago params for the page
]
MEMO_PREFIX = "memo:"  # what a document stage returns to keep, not to pass to html.xsl


def render_document(doc: DocumentInput, ctx: BuildContext, near: Neighbours, site: Path | None = None) -> RenderedDocument:
    """The site files of one document; runs the document stages first. ``site``: the
    site as last built, whose page and plain-text file are reused when they were made
    from the same inputs (see :func:`_memoised`)."""
    return render_documents([(doc, ctx, near)], site)[0]


def render_documents(
    batch: Sequence[tuple[DocumentInput, BuildContext, Neighbours]], site: Path | None = None
) -> list[RenderedDocument]:
    """:func:`render_document` for each ``(doc, ctx, near)`` of ``batch``, step by step:
    the document stages of every document, then every page, then every plain text.

    The result is the same as one document at a time, but each stylesheet runs over
    the whole batch before the next one starts: Saxon keeps its code and data for one
    stylesheet in the processor's caches, and going from stylesheet to stylesheet for
    each document cost a fifth more time in the transforms.
    """
    seconds = [0.0] * len(batch)
    params_of: list[dict[str, ParamValue]] = []
    memos: list[dict[str, str]] = []
    for i, (doc, ctx, near) in enumerate(batch):
        started = time.perf_counter()
        params: dict[str, ParamValue] = {**ctx.params, **near.params()}
        memo: dict[str, str] = {}
        for stage in DOCUMENT_STAGES:
            extra = stage(doc, ctx)
            for key, value in (extra or {}).items():
                if not isinstance(key, str) or not isinstance(value, str):
                    raise BuildError(f"document stage {stage_name(stage)} returned a non-string parameter {key!r}", doc.tei_path)
                if key.startswith(MEMO_PREFIX):
                    memo[key] = value
                else:
                    params[key] = value
        params["cite-formats"] = [ext for ext in CITE_FORMATS if (ctx.out_dir / "cite" / f"{doc.id}.{ext}").is_file()]
        params_of.append(params)
        memos.append(memo)
        seconds[i] += time.perf_counter() - started

    pages: list[bytes] = []
    for i, (doc, ctx, _near) in enumerate(batch):
        started = time.perf_counter()
        page_rel = DOCUMENT_PAGE.format(id=doc.id)
        pages.append(_memoised(_MEMO_PAGE, _inputs_key(doc, ctx.page_stylesheet, params_of[i]), ctx,
                               site / page_rel if site is not None else None, memos[i],
                               functools.partial(_transform, "html.xsl", doc, ctx, params_of[i])))
        seconds[i] += time.perf_counter() - started

    rendered: list[RenderedDocument] = []
    for i, (doc, ctx, _near) in enumerate(batch):
        started = time.perf_counter()
        text_rel = f"text/{doc.id}.txt"
        text = _memoised(_MEMO_TEXT, _inputs_key(doc, ctx.text_stylesheet, ctx.params), ctx,
                         site / text_rel if site is not None else None, memos[i],
                         functools.partial(_transform, "text.xsl", doc, ctx, ctx.params))
        files = {
            DOCUMENT_PAGE.format(id=doc.id): pages[i],
            text_rel: text,
            f"tei/{doc.id}.xml": doc.data,
        }
        seconds[i] += time.perf_counter() - started
        rendered.append(RenderedDocument(doc.id, files, seconds[i], memos[i]))
    return rendered


# "<inputs key> <SHA-256 of the file made from them>", kept for each document's next render.
_MEMO_PAGE = MEMO_PREFIX + "page"
_MEMO_TEXT = MEMO_PREFIX + "text"


def _transform(stylesheet: str, doc: DocumentInput, ctx: BuildContext, params: Mapping[str, ParamValue]) -> bytes:
    t = transformer(ctx.xslt_dir)
    return t.apply(stylesheet, t.parse(doc.data, doc.tei_path), params, doc.tei_path).encode("utf-8")


def _inputs_key(doc: DocumentInput, stylesheet: str, params: Mapping[str, ParamValue]) -> str:
    """A hash of what a transform of ``doc`` sees: its TEI bytes, the stylesheet with
    what it includes (``stylesheet``, a digest; '' when unknown, and then no key) and
    the parameters. The code and Saxon are the memos' fingerprint (_memo_fingerprint)."""
    if not stylesheet:
        return ""
    return hashlib.sha256("\x1f".join([doc.sha256, stylesheet, json.dumps(params, sort_keys=True)]).encode("utf-8")).hexdigest()


def _memoised(name: str, key: str, ctx: BuildContext, built: Path | None, memo: dict[str, str],
              make: Callable[[], bytes]) -> bytes:
    """The file the last build made from inputs ``key`` (memo ``name``), read from the
    site at ``built`` when it is still as it was made; else what ``make`` makes.

    A change to one stylesheet renders every document again, but leaves the outputs of
    the others as they were: after a change to the page stylesheet (the most frequent
    one) the plain texts are read back instead of made, after one to the text
    stylesheet the pages; each transform is about half of a document's work.
    """
    kept = (ctx.memo or {}).get(name, "").split(" ")
    if key and built is not None and len(kept) == 2 and kept[0] == key:
        data = bytes_if_unchanged(built, kept[1])
        if data is not None:
            memo[name] = f"{key} {kept[1]}"
            return data
    data = make()
    if key:
        memo[name] = f"{key} {sha256_bytes(data)}"
    return data


def stage_name(fn: Callable[..., Any]) -> str:
    """A stage's (or any function's) qualified name, for messages and fingerprints."""
    return f"{getattr(fn, '__module__', '?')}.{getattr(fn, '__qualname__', repr(fn))}"
