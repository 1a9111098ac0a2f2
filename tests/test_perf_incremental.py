"""Incremental convert, validate and build: the manifest redoes exactly what changed,
and an incremental build gives the same bytes as a clean one."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from edition import build as build_mod
from edition import build_documents, render, render_pool
from edition.build import build_site
from edition.render import BuildContext
from edition.convert import collect_sources, convert_all, convert_manifest
from edition.model import Publication
from edition.incremental import Manifest, RecordStore, validate_incremental
from edition.sources import read_source
from edition.validate import Validator
from folder_support import snapshot

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
PREFIX, PUBLISHER = "wilson", "Test Edition"


def convert(sources: Path, work: Path, *, incremental: bool = True) -> list:
    manifest = convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER)) if incremental else None
    outcomes = convert_all(collect_sources([sources]), work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER), manifest=manifest)
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
    return outcomes


def context(work: Path, xslt: Path) -> BuildContext:
    return BuildContext(tei_dir=work / "tei", out_dir=work / "build" / "site", site_title="Test Edition", edition_version="9.9", xslt_dir=xslt)


def retitle(source: Path) -> None:
    """Change a source's title: its page, its neighbours' links and the index all show it."""
    title = read_source(source).metadata.title
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace(title, title + " (revised)"), encoding="utf-8")


def built_once(sources: Path, xslt: Path, tmp_path: Path) -> Path:
    """``sources`` converted and built in the folder ``tmp_path / "w"`` (returned), as
    an edition stands before the change a test makes."""
    work = tmp_path / "w"
    convert(sources, work)
    build_site(context(work, xslt))
    return work


def revise(stylesheet: Path, mark: str = "revised") -> None:
    """Change a stylesheet without changing what it does: a comment before its end tag."""
    text = stylesheet.read_text(encoding="utf-8")
    stylesheet.write_text(text.replace("</xsl:stylesheet>", f"<!-- {mark} -->\n</xsl:stylesheet>"), encoding="utf-8")


def differences(one: Path, other: Path) -> list[str]:
    """The files, by relative path, that only one of two folders has or that differ."""
    a, b = snapshot(one), snapshot(other)
    return [rel for rel in sorted(set(a) | set(b)) if a.get(rel) != b.get(rel)]


def against_clean_build(sources: Path, site: Path, tmp_path: Path, ctx: Callable[[Path], BuildContext]) -> list[str]:
    """:func:`differences` between ``site`` and a clean conversion and build of ``sources``
    in a fresh folder ``w`` (built with ``ctx(w)``)."""
    clean = tmp_path / "clean"
    convert(sources, clean, incremental=False)
    build_site(ctx(clean), incremental=False)
    return differences(clean / "build" / "site", site)


@pytest.fixture()
def applied(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The stylesheets Transformer.apply runs in this process from now on, by name, in order."""
    from edition.transform import Transformer

    names: list[str] = []
    original = Transformer.apply
    monkeypatch.setattr(Transformer, "apply", lambda self, name, *a, **k: names.append(name) or original(self, name, *a, **k))
    return names


@pytest.fixture()
def sources(tmp_path: Path) -> Path:
    d = tmp_path / "sources"
    shutil.copytree(SEEDS, d)
    return d


@pytest.fixture()
def xslt(tmp_path: Path) -> Path:
    d = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", d)
    return d


def test_incremental_build_equals_clean_build(sources: Path, xslt: Path, tmp_path: Path) -> None:
    inc = tmp_path / "incremental"
    convert(sources, inc)
    first = build_site(context(inc, xslt))
    assert first.documents == 5

    # One source corrected: only its document, its neighbours and the index are redone.
    changed = sorted(sources.glob("*.txt"))[2]
    retitle(changed)
    outcomes = convert(sources, inc)
    assert [o.status for o in outcomes].count("written") == 1
    assert [o.status for o in outcomes].count("unchanged") == 4
    second = build_site(context(inc, xslt))
    rewritten = {p.relative_to(inc / "build" / "site").as_posix() for p in second.written}
    pages = {r for r in rewritten if r.startswith("documents/")}
    assert 1 <= len(pages) <= 3, pages  # the document and at most its two neighbours
    assert "index.html" in rewritten

    # One stylesheet changed: every page depends on it.
    css = xslt / "site" / "edition.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* revised */\n", encoding="utf-8")
    revise(xslt / "text.xsl")
    third = build_site(context(inc, xslt))
    assert third.render_seconds > 0 and any(p.name == "edition.css" for p in third.written)

    clean = tmp_path / "clean"
    convert(sources, clean, incremental=False)
    build_site(context(clean, xslt), incremental=False)
    a, b = snapshot(clean / "build" / "site"), snapshot(inc / "build" / "site")
    assert sorted(a) == sorted(b)
    assert [rel for rel in a if a[rel] != b[rel]] == []
    assert snapshot(clean / "tei") == snapshot(inc / "tei")


def test_a_page_stylesheet_change_keeps_the_text_files_and_index_pages(
        sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, applied: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    applied.clear()
    loaded: list[Path] = []
    load = build_documents.load_document
    monkeypatch.setattr(build_documents, "load_document", lambda path: loaded.append(path) or load(path))

    # The page stylesheet changed: every page is made again, no text file, no index page,
    # and no TEI file is read for its facts again.
    revise(xslt / "html.xsl", "revised")
    assert build_site(context(work, xslt)).render_seconds > 0
    assert applied.count("html.xsl") == 5 and applied.count("text.xsl") == 0 and applied.count("index.xsl") == 0
    assert loaded == []

    # A text file that is not what was made from those inputs is made again.
    tampered = sorted((site / "text").glob("*.txt"))[1]
    made = tampered.read_bytes()
    tampered.write_bytes(made + b"tampered\n")
    applied.clear()
    revise(xslt / "html.xsl", "again")
    build_site(context(work, xslt))
    assert applied.count("text.xsl") == 1 and tampered.read_bytes() == made

    # What the text is made from changed: text.xsl (or what it includes), the parameters.
    # The pages are not made from text.xsl: they are read back as the texts were above.
    applied.clear()
    revise(xslt / "text.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("text.xsl") == 5 and applied.count("html.xsl") == 0
    assert applied.count("index.xsl") == 0
    # A page that is not what was made from those inputs is made again.
    page = sorted((site / "documents").glob("*.html"))[2]
    made_page = page.read_bytes()
    page.write_bytes(made_page.replace(b"</body>", b"<p>tampered</p></body>"))
    applied.clear()
    revise(xslt / "text.xsl", "again")
    build_site(context(work, xslt))
    assert applied.count("html.xsl") == 1 and page.read_bytes() == made_page
    applied.clear()
    revise(xslt / "common.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("text.xsl") == 5
    index_pages = applied.count("index.xsl")
    assert index_pages > 0  # index.xsl includes common.xsl
    applied.clear()
    revise(xslt / "index.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("index.xsl") == index_pages and applied.count("text.xsl") == 0
    applied.clear()
    build_site(replace(context(work, xslt), site_title="Another Title"))
    assert applied.count("text.xsl") == 5 and applied.count("html.xsl") == 5
    assert "Another Title" in tampered.read_text(encoding="utf-8") and b"Another Title" in page.read_bytes()
    # Other code reads every file's facts again.
    assert loaded == []
    monkeypatch.setattr(build_mod, "code_fingerprint", lambda: "other code")
    build_site(replace(context(work, xslt), site_title="Another Title"))
    assert len(loaded) == 5

    # The same bytes as a clean build's.
    assert against_clean_build(sources, site, tmp_path,
                               lambda w: replace(context(w, xslt), site_title="Another Title")) == []


def test_the_citation_files_are_copied_when_what_they_are_made_from_is_unchanged(
        sources: Path, xslt: Path, tmp_path: Path, applied: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    cite = work / "build" / "site" / "cite"
    made = snapshot(cite)
    applied.clear()

    # The page stylesheet changed: every page is made again, no citation item is mapped.
    revise(xslt / "html.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("html.xsl") == 5 and applied.count("csl-json.xsl") == 0
    assert snapshot(cite) == made

    # A citation file that is not what was made, or is gone: its document's files are made again.
    ids = sorted({rel.partition(".")[0] for rel in made} - {"edition"})
    doc_id = ids[0]
    for n, spoil in enumerate((lambda: (cite / f"{ids[0]}.bib").write_bytes(b"@misc{edited}\n"),
                               lambda: (cite / f"{ids[1]}.chicago.html").unlink())):
        spoil()
        applied.clear()
        revise(xslt / "html.xsl", f"again {n}")
        build_site(context(work, xslt))
        assert applied.count("csl-json.xsl") == 1 and snapshot(cite) == made

    # What the citations are made from changed: csl.xsl (csl-json.xsl includes it), the base URL.
    applied.clear()
    revise(xslt / "csl.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("csl-json.xsl") == 5 and snapshot(cite) == made
    applied.clear()
    moved = replace(context(work, xslt), base_url="https://elsewhere.example/")
    build_site(moved)
    assert applied.count("csl-json.xsl") == 5
    assert "https://elsewhere.example/documents/" in (cite / f"{doc_id}.json").read_text(encoding="utf-8")

    # The same bytes as a clean build's.
    elsewhere = "https://elsewhere.example/"
    assert against_clean_build(sources, work / "build" / "site", tmp_path,
                               lambda w: replace(context(w, xslt), base_url=elsewhere)) == []


@pytest.fixture()
def staged_writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the build writes into its staging folder from now on (its own files with
    Path.write_bytes, the citation stage's with _write_changed), relative to the slot. A
    write counts once it is done: one that found no folder, made it and went again
    (fsutil.in_folder) wrote one file."""
    from edition import citations

    written: list[str] = []

    def note(path: Path) -> None:
        parts = Path(path).parts
        if ".site.staging" in parts:  # .site.staging/work/<process>/<slot>/<rel>
            written.append("/".join(parts[parts.index(".site.staging") + 4:]))

    def wrote(self: Path, data: bytes) -> int:
        size = write_bytes(self, data)
        note(self)
        return size

    write_bytes, write_changed = Path.write_bytes, citations._write_changed
    monkeypatch.setattr(Path, "write_bytes", wrote)
    monkeypatch.setattr(citations, "_write_changed", lambda outputs: [note(p) for p in outputs] and write_changed(outputs))
    return written


def test_a_correction_that_leaves_the_citation_item_as_it_was_does_not_check_it_again(
        sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking an item against the CSL-JSON schema imports jsonschema (a fifth of a
    second of CPU in a rebuild that maps one item); an item found valid at a document's
    last render, against the same schema, is valid still."""
    from edition import citation_item

    work = built_once(sources, xslt, tmp_path)
    checked: list[str] = []
    real = citation_item.validate_csl
    monkeypatch.setattr(citation_item, "validate_csl", lambda items, origin: checked.append(Path(origin).stem) or real(items, origin))
    tei = sorted((work / "tei").glob("*.xml"))[0]

    def correct(old: str, new: str) -> None:
        text = tei.read_text(encoding="utf-8")
        body = text.index("<body>")
        tei.write_text(text[:body] + text[body:].replace(old, new, 1), encoding="utf-8")

    correct("<p>", "<p>Corrected: ")
    report = build_site(context(work, xslt))
    assert f"documents/{tei.stem}.html" in {p.relative_to(work / "build" / "site").as_posix() for p in report.written}
    assert checked == []
    clean = tmp_path / "clean"
    shutil.copytree(work / "tei", clean / "tei")
    build_site(context(clean, xslt), incremental=False)
    assert differences(clean / "build" / "site", work / "build" / "site") == []
    checked.clear()  # the clean build's
    # Another schema: the item is checked again, once.
    schema, _ = citation_item._csl_schema()
    monkeypatch.setattr(citation_item, "_csl_schema", lambda: (schema, "another schema's digest"))
    correct("Corrected: ", "Corrected twice: ")
    build_site(context(work, xslt))
    assert checked == [tei.stem]
    # An item that changed is checked, whatever was kept.
    checked.clear()
    text = tei.read_text(encoding="utf-8")
    title = text[text.index('<title type="main">'):text.index("</title>")]
    tei.write_text(text.replace(title, title + " (revised)", 1), encoding="utf-8")
    build_site(context(work, xslt))
    assert checked == [tei.stem]


def test_a_process_that_builds_again_renders_with_the_stylesheets_as_they_are_now(
        sources: Path, xslt: Path, tmp_path: Path) -> None:
    # A process that outlives a change to the stylesheets (a program that builds twice,
    # a cluster's worker) must not render with what it compiled before.
    work = built_once(sources, xslt, tmp_path)
    page = xslt / "html.xsl"
    page.write_text(page.read_text(encoding="utf-8").replace("'edition ' || $edition-version", "'edition (revised) ' || $edition-version"),
                    encoding="utf-8")
    build_site(context(work, xslt))
    assert b"edition (revised) 9.9" in next((work / "build" / "site" / "documents").glob("*.html")).read_bytes()
    assert against_clean_build(sources, work / "build" / "site", tmp_path, lambda w: context(w, xslt)) == []


def test_a_rebuild_writes_no_file_the_site_already_holds(sources: Path, xslt: Path, tmp_path: Path,
                                                          applied: list[str], staged_writes: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    made = snapshot(site)
    pages = sorted(rel for rel in made if rel.startswith("documents/"))
    staged_writes.clear()
    applied.clear()

    # The page stylesheet changed (not what it makes): each page is made again; it, the
    # plain texts, the TEI copies and the citation files are what the site holds, so none
    # is written only to be compared and deleted (the citation files are linked instead).
    revise(xslt / "html.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("html.xsl") == 5
    assert staged_writes == []
    assert snapshot(site) == made

    # What the citations are made from changed, but not what they say: mapped again, and
    # found to be what the site holds before they are written.
    staged_writes.clear()
    applied.clear()
    revise(xslt / "csl.xsl", "revised")
    build_site(context(work, xslt))
    assert applied.count("csl-json.xsl") == 5 and staged_writes == []
    assert snapshot(site) == made and not [p for p in site.rglob("*") if p.is_file() and p.stat().st_nlink > 1]

    # A page and a citation file edited by hand are written again, and nothing else.
    page, bib = site / pages[0], sorted((site / "cite").glob("*.bib"))[1]
    page.write_bytes(page.read_bytes().replace(b"</body>", b"<p>edited</p></body>"))
    bib.write_bytes(b"@misc{edited}\n")
    revise(xslt / "html.xsl", "again")
    staged_writes.clear()
    build_site(context(work, xslt))
    assert sorted(staged_writes) == sorted([pages[0], bib.relative_to(site).as_posix()]) and snapshot(site) == made


def test_without_hard_links_the_citation_files_are_written_and_compared(
        sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, staged_writes: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    made = snapshot(site)

    def refuse(src: object, dst: object, **kwargs: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)  # a file system without hard links
    staged_writes.clear()
    revise(xslt / "html.xsl", "revised")
    report = build_site(context(work, xslt))
    assert len([rel for rel in staged_writes if rel.startswith("cite/")]) == 5 * 5
    assert snapshot(site) == made and report.written == []
    assert against_clean_build(sources, site, tmp_path, lambda w: context(w, xslt)) == []


def test_index_records_and_facets_are_kept_when_only_the_page_stylesheet_changes(
        sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import site_index

    work = built_once(sources, xslt, tmp_path)
    made: list[str] = []
    record, facets = site_index.index_record, site_index.facet_values
    monkeypatch.setattr(site_index, "index_record", lambda doc, *a, **k: made.append("record") or record(doc, *a, **k))
    monkeypatch.setattr(site_index, "facet_values", lambda *a, **k: made.append("facets") or facets(*a, **k))

    # The page and text stylesheets: every document rendered again, no record or facet made again.
    for name in ("html.xsl", "text.xsl"):
        revise(xslt / name)
        assert build_site(context(work, xslt)).render_seconds > 0
        assert made == [], name
    # What they are made from: the facets' stylesheet (index.xsl), the catalog's (dc.xsl), the configuration.
    for name in ("index.xsl", "dc.xsl"):
        revise(xslt / name)
        build_site(context(work, xslt))
        assert made.count("record") == 5 and made.count("facets") == 5, name
        made.clear()
    build_site(replace(context(work, xslt), index_page_size=2))
    assert made.count("record") == 5
    # The same bytes as a clean build's.
    assert against_clean_build(sources, work / "build" / "site", tmp_path,
                               lambda w: replace(context(w, xslt), index_page_size=2)) == []


def test_a_change_to_the_css_installs_it_and_renders_nothing_again(
        sources: Path, xslt: Path, tmp_path: Path, applied: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    applied.clear()
    css = xslt / "site" / "edition.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { margin: 0 }\n", encoding="utf-8")
    report = build_site(context(work, xslt))
    assert applied == [] and report.render_seconds == 0
    assert (work / "build" / "site" / "assets" / "edition.css").read_bytes() == css.read_bytes()
    # A stylesheet is not an asset: changed, every page is made again.
    revise(xslt / "html.xsl")
    build_site(context(work, xslt))
    assert applied.count("html.xsl") == 5
    assert against_clean_build(sources, work / "build" / "site", tmp_path, lambda w: context(w, xslt)) == []


def test_a_stylesheet_change_reuses_the_chicago_rendering_of_unchanged_items(sources: Path, xslt: Path, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import chicago_citeproc

    work = built_once(sources, xslt, tmp_path)
    rendered: list[str] = []
    original = chicago_citeproc.ChicagoRenderer.render
    monkeypatch.setattr(chicago_citeproc.ChicagoRenderer, "render", lambda self, item: rendered.append(item["id"]) or original(self, item))

    # The page stylesheet changed: every page is made again, but no citation item changed.
    html_xsl = xslt / "html.xsl"
    revise(html_xsl)
    assert build_site(context(work, xslt)).render_seconds > 0
    assert rendered == []

    # One document's title corrected: its item changed, so it alone is rendered in Chicago again.
    changed = sorted(sources.glob("*.txt"))[2]
    retitle(changed)
    convert(sources, work)
    revise(html_xsl, "revised again")
    build_site(context(work, xslt))
    assert rendered == [read_source(changed, PREFIX).id]
    chicago = (work / "build" / "site" / "cite" / f"{rendered[0]}.chicago.txt").read_text(encoding="utf-8")
    assert "(revised)" in chicago

    # Other code or another citeproc-py: nothing kept holds.
    rendered.clear()
    monkeypatch.setattr(build_mod, "_memo_fingerprint", lambda: "another processor")
    revise(html_xsl, "and again")
    build_site(context(work, xslt))
    assert len(rendered) == 5

    # A full build keeps nothing from before; and the result is a clean build's.
    rendered.clear()
    build_site(context(work, xslt), incremental=False)
    assert len(rendered) == 5
    clean = tmp_path / "clean"
    convert(sources, clean, incremental=False)
    build_site(context(clean, xslt), incremental=False)
    assert snapshot(clean / "build" / "site") == snapshot(work / "build" / "site")


def test_noop_build_renders_nothing_and_repairs_what_was_touched(sources: Path, xslt: Path, tmp_path: Path) -> None:
    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    before = snapshot(site)
    with pytest.MonkeyPatch.context() as mp:
        # Nothing to render: no worker set up, no stylesheet compiled.
        mp.setattr(render_pool, "init_worker", lambda *a: pytest.fail("a no-op build compiled stylesheets"))
        again = build_site(context(work, xslt), jobs=2)
    assert again.written == [] and again.render_seconds == 0 and again.removed == []
    assert snapshot(site) == before
    # Outputs removed or edited behind the build's back are made again.
    victim = next((site / "documents").glob("*.html"))
    victim.unlink()
    (site / "index.html").write_text("edited", encoding="utf-8")
    cite = next((site / "cite").glob("*.bib"))
    cite.write_text("edited", encoding="utf-8")
    build_site(context(work, xslt))
    assert snapshot(site) == before


def test_an_edition_as_built_is_not_read_again_but_any_one_file_changed_is_noticed(
        sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = built_once(sources, xslt, tmp_path)
    site, tei = work / "build" / "site", work / "tei"
    before = snapshot(site)
    read: list[Path] = []  # the builds that read the TEI folder's facts and the state
    real_load_facts = build_mod.load_facts
    monkeypatch.setattr(build_mod, "load_facts", lambda tei_dir, *a: read.append(tei_dir) or real_load_facts(tei_dir, *a))

    def build_and_count() -> tuple[int, build_mod.BuildReport]:
        reads = len(read)
        report = build_site(context(work, xslt))
        return len(read) - reads, report

    # Nothing changed since the last build: its record of the site stands, and no
    # state, TEI fact or output list is read; the report counts what a reading build does.
    reads, again = build_and_count()
    assert reads == 0 and again.written == [] and again.removed == [] and again.documents == 5
    os.utime(sorted(tei.glob("*.xml"))[0])  # touched, not changed: read again, nothing written
    reads, touched = build_and_count()
    assert reads == 1 and touched.written == [] and touched.unchanged == again.unchanged
    assert build_and_count()[0] == 0

    page = sorted((site / "documents").glob("*.html"))[1]
    text = page.read_text(encoding="utf-8")
    changes: list[tuple[str, Callable[[], None]]] = [
        # an edit that keeps the file's size (and inode): only its time tells
        ("page edited", lambda: page.write_text("X" + text[1:], encoding="utf-8")),
        ("citation deleted", lambda: next((site / "cite").glob("*.ris")).unlink()),
        ("index page edited", lambda: (site / "index.html").write_text("edited", encoding="utf-8")),
        ("stray page added", lambda: (site / "documents" / "stray.html").write_text("stray", encoding="utf-8")),
        ("schema copy deleted", lambda: (site / "schema" / "edition.sch").unlink()),
        ("catalog deleted", lambda: (work / "build" / "catalog.sqlite").unlink()),
    ]
    for what, change in changes:
        change()
        reads, repaired = build_and_count()
        assert reads == 1, what
        assert snapshot(site) == before, what
        assert (work / "build" / "catalog.sqlite").is_file(), what
        assert build_and_count()[0] == 0, what  # and the repaired site is the record again

    retitle(sorted(sources.glob("*.txt"))[3])
    convert(sources, work)
    reads, corrected = build_and_count()
    assert reads == 1 and corrected.written
    assert build_and_count()[0] == 0
    assert against_clean_build(sources, site, tmp_path, lambda w: context(w, xslt)) == []


def test_a_first_build_moves_the_folders_the_site_lacks_whole(sources: Path, xslt: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "w"
    convert(sources, work)
    site = work / "build" / "site"
    (site / "text").mkdir(parents=True)  # a folder the site already has: its files go in one by one
    renamed: list[Path] = []
    real_replace = os.replace

    def replace_spy(src: str | Path, dst: str | Path) -> None:
        renamed.append(Path(dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_spy)
    report = build_site(context(work, xslt))
    monkeypatch.undo()
    # (cite/edition.* are written after the install, by their stage.)
    into = {folder: [p for p in renamed if p.parent == site / folder and not p.name.startswith("edition.")]
            for folder in ("documents", "text", "tei", "cite")}
    assert into["documents"] == into["tei"] == into["cite"] == []
    assert len(into["text"]) == 5
    assert len(list((site / "documents").glob("*.html"))) == 5 and len(list((site / "cite").glob("*.bib"))) == 6  # and edition.bib
    assert {p.relative_to(site).as_posix() for p in report.written} >= {f"documents/{p.stem}.html" for p in (work / "tei").glob("*.xml")}
    # The signatures recorded are those of the files in place: nothing to redo.
    before = snapshot(site)
    again = build_site(context(work, xslt))
    assert again.written == [] and again.render_seconds == 0
    clean = tmp_path / "clean"
    convert(sources, clean, incremental=False)
    build_site(context(clean, xslt), incremental=False)
    assert snapshot(clean / "build" / "site") == before == snapshot(site)


def test_a_full_build_leaves_its_state_and_the_state_forgets_removed_documents(sources: Path, xslt: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    convert(sources, work)
    build_site(context(work, xslt), incremental=False)
    # --full redoes everything once, and the next build finds nothing to redo.
    again = build_site(context(work, xslt))
    assert again.written == [] and again.render_seconds == 0
    (state,) = (work / "build" / ".manifest").glob("build-state-*.sqlite")

    def rows(sql: str) -> list[str]:
        conn = sqlite3.connect(state)
        try:
            return sorted(r[0] for r in conn.execute(sql))
        finally:
            conn.close()

    stems = sorted(p.stem for p in (work / "tei").glob("*.xml"))
    assert rows("SELECT id FROM renders") == stems
    assert rows("SELECT name FROM tei") == [f"{s}.xml" for s in stems]
    victim = sorted((work / "tei").glob("*.xml"))[1]
    victim.unlink()
    build_site(context(work, xslt))
    assert rows("SELECT id FROM renders") == [s for s in stems if s != victim.stem]
    assert victim.name not in rows("SELECT name FROM tei")
    assert len(rows("SELECT sha FROM documents")) == len(stems) - 1


def test_a_new_neighbour_rerenders_the_pages_that_link_to_it(sources: Path, xslt: Path, tmp_path: Path,
                                                            applied: list[str]) -> None:
    work = built_once(sources, xslt, tmp_path)
    # Removing a document changes its neighbours' previous/next links: their pages are
    # made again (what a page is made from includes its neighbours), the others read back.
    victim = sorted((work / "tei").glob("*.xml"))[1]
    victim.unlink()
    applied.clear()
    report = build_site(context(work, xslt))
    assert any(p.name == f"{victim.stem}.html" for p in report.removed)
    assert applied.count("html.xsl") == 2
    clean = tmp_path / "clean"
    shutil.copytree(work / "tei", clean / "tei")
    build_site(context(clean, xslt), incremental=False)
    assert snapshot(clean / "build" / "site") == snapshot(work / "build" / "site")


def test_a_failed_render_leaves_site_and_manifest_as_they_were(sources: Path, xslt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    before = snapshot(site)
    retitle(sorted(sources.glob("*.txt"))[0])
    convert(sources, work)
    manifests = snapshot(work / "build" / ".manifest")

    def broken(doc, ctx):  # noqa: ANN001, ANN202
        raise build_documents.BuildError("stage failed", doc.tei_path)

    monkeypatch.setattr(render, "DOCUMENT_STAGES", [broken])
    with pytest.raises(build_documents.BuildError, match="stage failed"):
        build_site(context(work, xslt))
    assert snapshot(site) == before
    assert snapshot(work / "build" / ".manifest") == manifests
    assert not list((work / "build").glob(".*staging*"))


def test_convert_skips_unchanged_sources_but_still_guards_hand_edits(sources: Path, tmp_path: Path) -> None:
    work = tmp_path / "w"
    convert(sources, work)
    assert {o.status for o in convert(sources, work)} == {"unchanged"}
    tei = sorted((work / "tei").glob("*.xml"))[0]
    tei.write_text(tei.read_text(encoding="utf-8").replace("</TEI>", "<!-- editor -->\n</TEI>"), encoding="utf-8")
    manifest = convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER))
    outcomes = convert_all(collect_sources([sources]), work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER), manifest=manifest)
    edited = [o for o in outcomes if o.target == tei.resolve() or o.target == tei]
    # Its source is unchanged: the edit is kept, and the next run knows it from the manifest.
    assert len(edited) == 1 and edited[0].error is None and edited[0].status == "kept"
    assert "<!-- editor -->" in tei.read_text(encoding="utf-8")
    manifest = convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER))
    again = convert_all(collect_sources([sources]), work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER), manifest=manifest)
    assert sorted(o.status for o in again) == sorted(["kept"] + ["unchanged"] * (len(again) - 1))
    # Its source changes: the converter will not overwrite the edit.
    source = next(o.source for o in again if o.status == "kept")
    source.write_text(source.read_text(encoding="utf-8") + "\nA late addition.\n", encoding="utf-8")
    manifest = convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER))
    outcomes = convert_all(collect_sources([sources]), work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER), manifest=manifest)
    edited = [o for o in outcomes if o.source == source]
    assert len(edited) == 1 and edited[0].error is not None and "edited by hand" in str(edited[0].error)
    assert "<!-- editor -->" in tei.read_text(encoding="utf-8")


def test_convert_of_sources_as_last_converted_reads_no_record_yet_notices_one_file_changed(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    work = tmp_path / "w"
    convert(sources, work)
    tei = sorted((work / "tei").glob("*.xml"))
    # A hand edit kept, so that the outcomes differ in status.
    tei[0].write_text(tei[0].read_text(encoding="utf-8").replace("</TEI>", "<!-- editor -->\n</TEI>"), encoding="utf-8")
    reading = convert(sources, work)
    assert sorted(o.status for o in reading) == ["kept"] + ["unchanged"] * (len(reading) - 1)

    read: list[str] = []  # the records a run parsed
    real_get = RecordStore.get
    monkeypatch.setattr(RecordStore, "get", lambda self, name: read.append(name) or real_get(self, name))
    replayed = convert(sources, work)
    assert read == []
    assert [(o.source, o.doc_id, o.target, o.status, o.shape, o.warnings) for o in replayed] == \
        [(o.source, o.doc_id, o.target, o.status, o.shape, o.warnings) for o in reading]

    # One TEI file touched (same bytes), then one edited by hand, then one source corrected:
    # each run reads the records and does what a reading run does.
    os.utime(tei[1])
    assert {o.status for o in convert(sources, work)} == {"kept", "unchanged"} and read
    read.clear()
    assert convert(sources, work) and read == []
    edited = tei[2].read_text(encoding="utf-8")
    tei[2].write_text(edited.replace("</TEI>", "<!-- ed -->\n</TEI>"), encoding="utf-8")
    assert sorted(o.status for o in convert(sources, work)).count("kept") == 2 and read
    read.clear()
    retitle(sorted(sources.glob("*.txt"))[4])
    assert [o.status for o in convert(sources, work)].count("written") == 1 and read


def test_a_source_claiming_the_id_of_an_unchanged_one_fails_both_as_a_clean_run_does(sources: Path, tmp_path: Path) -> None:
    """The source the manifest skips is counted once, as failed, not also as unchanged
    (the summary said "0 written, 5 unchanged, 2 failed" of 6 sources)."""
    work = tmp_path / "w"
    convert(sources, work)
    shutil.copy(sources / "003_73142493423ae5fc.txt", sources / "twin.txt")
    runs = {}
    for name, folder in (("incremental", work), ("clean", tmp_path / "clean")):
        manifest = convert_manifest(folder / "build", folder / "tei", PREFIX, Publication(PUBLISHER)) if name == "incremental" else None
        outcomes = convert_all(collect_sources([sources]), folder / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER), manifest=manifest)
        runs[name] = {o.source.name: (o.status, o.error is not None) for o in outcomes}
    assert runs["incremental"]["twin.txt"] == runs["incremental"]["003_73142493423ae5fc.txt"] == ("failed", True)
    assert [s for s, _ in runs["incremental"].values()].count("unchanged") == 4
    assert {k: v[1] for k, v in runs["incremental"].items()} == {k: v[1] for k, v in runs["clean"].items()}


LAYERS = ("edition", "schematron")


def test_validation_reuses_findings_and_redoes_what_changed(tmp_path: Path) -> None:
    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    build = tmp_path / "build"
    fresh, count = validate_incremental([tei], LAYERS, build_dir=build, use_manifest=False)
    first, _ = validate_incremental([tei], LAYERS, build_dir=build)
    assert first == fresh and count == len(list(tei.glob("*.xml")))
    manifest_file = next((build / ".manifest").glob("validate-*.sqlite"))
    stored = manifest_file.read_bytes()
    assert validate_incremental([tei], LAYERS, build_dir=build)[0] == fresh
    assert manifest_file.read_bytes() == stored

    # A second file claiming another's record id: both files' findings change.
    from lxml import etree

    record_path = ".//{http://www.tei-c.org/ns/1.0}bibl[@type='export']/{http://www.tei-c.org/ns/1.0}idno[@type='record']"
    with_records = [(f, etree.parse(str(f)).find(record_path)) for f in sorted(tei.glob("*.xml"))]
    with_records = [(f, r.text) for f, r in with_records if r is not None]
    if len(with_records) < 2:
        pytest.skip("fewer than two TEI files with record ids")
    (victim, mine), (other, theirs) = with_records[:2]
    data = victim.read_text(encoding="utf-8")
    victim.write_text(data.replace(f'<idno type="record">{mine}<', f'<idno type="record">{theirs}<', 1), encoding="utf-8")
    cached, _ = validate_incremental([tei], LAYERS, build_dir=build)
    direct, _ = Validator(LAYERS).validate_paths([tei])
    assert cached == direct
    assert {f.file for f in cached if f.rule == "ed-record-unique"} == {str(victim), str(other)}


def test_validation_of_files_as_last_validated_reads_no_record_yet_notices_one_changed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import etree

    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    build = tmp_path / "build"
    # Two files claiming one record id: findings in both, which the cross-file rule makes.
    record_path = ".//{http://www.tei-c.org/ns/1.0}bibl[@type='export']/{http://www.tei-c.org/ns/1.0}idno[@type='record']"
    with_records = [(f, etree.parse(str(f)).find(record_path)) for f in sorted(tei.glob("*.xml"))]
    (victim, mine), (other, theirs) = [(f, r.text) for f, r in with_records if r is not None][:2]
    original = victim.read_text(encoding="utf-8")
    victim.write_text(original.replace(f'<idno type="record">{mine}<', f'<idno type="record">{theirs}<', 1), encoding="utf-8")
    first, _ = validate_incremental([tei], LAYERS, build_dir=build)
    assert {f.file for f in first if f.rule == "ed-record-unique"} == {str(victim), str(other)}

    read: list[str] = []  # the records a run parsed
    real_get = RecordStore.get
    monkeypatch.setattr(RecordStore, "get", lambda self, name: read.append(name) or real_get(self, name))
    assert validate_incremental([tei], LAYERS, build_dir=build)[0] == first and read == []
    # Named as this run names the files.
    monkeypatch.chdir(tmp_path)
    relative, _ = validate_incremental([Path("tei")], LAYERS, build_dir=build)
    assert read == [] and relative == [replace(f, file=os.path.relpath(f.file, tmp_path)) for f in first]

    os.utime(other)  # touched, not changed: every record read, the same findings
    assert validate_incremental([tei], LAYERS, build_dir=build)[0] == first and read
    read.clear()
    assert validate_incremental([tei], LAYERS, build_dir=build)[0] == first and read == []
    # One file put right (its size may be the same): its record and findings are made again.
    victim.write_text(original, encoding="utf-8")
    now, _ = validate_incremental([tei], LAYERS, build_dir=build)
    assert read and now == Validator(LAYERS).validate_paths([tei])[0]
    assert not [f for f in now if f.rule == "ed-record-unique"]


def test_validation_records_are_found_whichever_way_the_folder_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`edition make` passes absolute folders, an editor types `tei`: both find the
    same records, and kept findings name the file as this run names it."""
    from edition.validate import Validator

    tei = tmp_path / "tei"
    shutil.copytree(ROOT / "tei", tei)
    (tei / "stray.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>\n', encoding="utf-8")
    build = tmp_path / "build"
    monkeypatch.chdir(tmp_path)
    relative, _ = validate_incremental([Path("tei")], LAYERS, build_dir=build)
    assert relative and {f.file for f in relative} == {"tei/stray.xml"}
    manifest_file = next((build / ".manifest").glob("validate-*.sqlite"))
    stored = manifest_file.read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(Validator, "validate_tasks", refuse)
    absolute, _ = validate_incremental([tei], LAYERS, build_dir=build)
    assert absolute == [replace(f, file=str(tei / "stray.xml")) for f in relative]
    assert manifest_file.read_bytes() == stored


def test_check_records_are_found_whichever_way_the_folders_are_given(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import fidelity

    work = tmp_path / "w"
    convert(sources, work)
    monkeypatch.chdir(work)
    absolute = collect_sources([sources])
    relative = [Path(os.path.relpath(p, work)) for p in absolute]
    first = fidelity.check_sources(relative, Path("tei"), PREFIX, build_dir=Path("build"))
    assert all(r.ok for r in first) and [r.source for r in first] == [str(p) for p in relative]
    monkeypatch.setattr(fidelity, "check_source", lambda *a: pytest.fail("checked again"))
    again = fidelity.check_sources(absolute, work / "tei", PREFIX, build_dir=work / "build")
    assert [r.source for r in again] == [str(p) for p in absolute]
    assert [r.tei for r in again] == [r.tei for r in first]
    assert all(line.startswith(r.source + ":") for r in again for line in r.lines if not line.startswith(" "))


def test_manifest_from_another_fingerprint_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    m = Manifest.load(path, "a")
    m.records = {"x": {"sha": "1"}}
    m.save()
    assert Manifest.load(path, "a").records == {"x": {"sha": "1"}}
    assert Manifest.load(path, "b").records == {}
    path.write_text("{not json", encoding="utf-8")
    assert Manifest.load(path, "a").records == {}


def test_record_store_keeps_rows_of_one_fingerprint_and_drops_inputs_not_seen(tmp_path: Path) -> None:
    path = tmp_path / ".manifest" / "check-x.sqlite"
    (tmp_path / ".manifest").mkdir()
    path.with_suffix(".json").write_text("{}", encoding="utf-8")  # the manifest the store replaced
    store = RecordStore(path, "a")
    assert not path.with_suffix(".json").exists()
    store.put("one", {"sha": "1"})
    store.put("two", {"sha": "2"})
    store.save()
    written = path.read_bytes()

    again = RecordStore(path, "a")
    assert again.get("one") == {"sha": "1"} and again.sha_if_unchanged("one", None) is None
    again.keep("one")
    again.put("two", {"sha": "2"})  # the same record: nothing to write
    again.save()
    assert path.read_bytes() == written

    third = RecordStore(path, "a")
    third.keep("two")  # "one" was not seen: its row goes
    third.save()
    assert RecordStore(path, "a").get("one") is None and RecordStore(path, "a").get("two") == {"sha": "2"}
    assert RecordStore(path, "b").get("two") is None  # another fingerprint: nothing holds

    path.write_bytes(b"not a database at all" * 100)
    broken = RecordStore(path, "a")
    assert broken.get("two") is None
    broken.put("three", {"sha": "3"})
    broken.save()
    assert RecordStore(path, "a").get("three") == {"sha": "3"}


def test_record_store_writes_as_it_goes_and_commits_only_at_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import incremental

    monkeypatch.setattr(incremental, "_FLUSH_ROWS", 3)  # a first run over many inputs, in small
    path = tmp_path / "validate-x.sqlite"
    first = RecordStore(path, "a")
    for i in range(10):
        first.put(f"n{i}", {"sha": str(i)})
        assert len(first._changed) < 3  # written into the open transaction, not held
    first.save()
    assert [RecordStore(path, "a").get(f"n{i}") for i in range(10)] == [{"sha": str(i)} for i in range(10)]

    # A run that stops before save() (an error, ^C) leaves the store as the last run left it,
    # even after it wrote rows into its transaction.
    broken = RecordStore(path, "a")
    for i in range(10):
        broken.put(f"n{i}", {"sha": f"changed {i}"})
    del broken
    assert RecordStore(path, "a").get("n9") == {"sha": "9"}
    # A new fingerprint starts afresh, also when its rows are written as it goes.
    other = RecordStore(path, "b")
    for i in range(4):
        other.put(f"m{i}", {"sha": str(i)})
    other.save()
    assert RecordStore(path, "b").get("m3") == {"sha": "3"} and RecordStore(path, "b").get("n0") is None


def test_a_correction_the_index_does_not_show_leaves_the_index_pages(sources: Path, xslt: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import site_index

    work = built_once(sources, xslt, tmp_path)
    site = work / "build" / "site"
    index_before = {p: p.read_bytes() for p in [site / "index.html", *sorted((site / "browse").glob("*.html"))]}
    tei = sorted((work / "tei").glob("*.xml"))[0]
    text = tei.read_text(encoding="utf-8")
    body = text.index("<body>")
    tei.write_text(text[:body] + text[body:].replace("<p>", "<p>Corrected: ", 1), encoding="utf-8")
    # No index record changed: the pages are not even planned.
    monkeypatch.setattr(site_index, "plan_pages", lambda *a, **k: pytest.fail("index pages planned again"))
    report = build_site(context(work, xslt))
    monkeypatch.undo()
    rewritten = {p.relative_to(site).as_posix() for p in report.written}
    assert f"documents/{tei.stem}.html" in rewritten
    assert not any(r == "index.html" or r.startswith("browse/") for r in rewritten)
    assert {p: p.read_bytes() for p in index_before} == index_before
    clean = tmp_path / "clean"
    shutil.copytree(work / "tei", clean / "tei")
    build_site(context(clean, xslt), incremental=False)
    assert snapshot(clean / "build" / "site") == snapshot(site)


def test_paged_index_redoes_only_the_pages_that_show_a_change(sources: Path, xslt: Path, tmp_path: Path) -> None:
    from dataclasses import replace

    work = tmp_path / "w"
    convert(sources, work)
    paged = replace(context(work, xslt), index_page_size=2)
    build_site(paged)
    site = work / "build" / "site"
    assert {p.name for p in site.glob("index*.html")} == {"index.html", "index.2.html", "index.3.html"}

    # A correction in the body of one document: its index record is unchanged, so no
    # index or browse page is made again.
    tei = sorted((work / "tei").glob("*.xml"))[0]
    text = tei.read_text(encoding="utf-8")
    source = next(p for p in sorted(sources.glob("*")) if read_source(p).metadata.title in text)
    assert " the " in source.read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace(" the ", " the  the ", 1), encoding="utf-8")
    convert(sources, work)
    report = build_site(paged)
    rewritten = {p.relative_to(site).as_posix() for p in report.written}
    assert not any(r.startswith(("index", "browse/")) for r in rewritten), rewritten

    # A new title shows on the index page that lists the document and on its browse
    # pages, not on the other index pages.
    retitle(source)
    convert(sources, work)
    report = build_site(paged)
    rewritten = {p.relative_to(site).as_posix() for p in report.written}
    index_pages = {r for r in rewritten if r.startswith("index")}
    assert len(index_pages) == 1, rewritten

    # Fewer documents, fewer pages: the left-over page goes.
    for victim in sorted((work / "tei").glob("*.xml"))[:2]:
        victim.unlink()
    report = build_site(paged)
    assert not (site / "index.3.html").exists() and any(p.name == "index.3.html" for p in report.removed)
    clean = tmp_path / "clean"
    shutil.copytree(work / "tei", clean / "tei")
    build_site(replace(context(clean, xslt), index_page_size=2), incremental=False)
    assert snapshot(clean / "build" / "site") == snapshot(site)


def test_check_reuses_results_of_unchanged_pairs_and_rechecks_a_changed_tei(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    from edition import fidelity

    work = tmp_path / "w"
    convert(sources, work)
    paths = collect_sources([sources])
    first = fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build")
    assert all(r.ok for r in first) and len(first) == len(paths)

    checked: list[Path] = []
    original = fidelity.check_source
    monkeypatch.setattr(fidelity, "check_source", lambda p, *a: checked.append(p) or original(p, *a))
    # Nothing changed; a file touched without a change does not count either.
    tei = Path(first[1].tei or "")
    os.utime(tei, ns=(1, 1))
    assert fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build") == first
    assert checked == []
    # A word lost from one TEI file: that pair alone is checked again, and fails.
    text = tei.read_text(encoding="utf-8")
    word = next(w for w in ("Central", "Committee", "the") if f" {w} " in text.split("<text", 1)[1])
    head, body = text.split("<text", 1)
    tei.write_text(head + "<text" + body.replace(f" {word} ", " ", 1), encoding="utf-8")
    again = fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build")
    assert checked == [paths[1]]
    assert not again[1].ok and [r.ok for i, r in enumerate(again) if i != 1] == [True] * (len(paths) - 1)


def test_check_of_pairs_as_last_checked_reads_no_record_yet_notices_one_file_changed(
        sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import fidelity

    work = tmp_path / "w"
    convert(sources, work)
    paths = collect_sources([sources])

    def check() -> list:
        return fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build")

    first = check()  # reads the results convert kept, and leaves its summary
    read: list[str] = []  # the records a run parsed
    real_get = RecordStore.get
    monkeypatch.setattr(RecordStore, "get", lambda self, name: read.append(name) or real_get(self, name))
    assert check() == first and read == []
    # Named as this run names the sources.
    monkeypatch.chdir(sources.parent)
    relative = fidelity.check_sources([Path(sources.name) / p.name for p in paths], work / "tei", PREFIX,
                                      build_dir=work / "build")
    assert read == [] and [r.lines for r in relative] == [
        [line.replace(str(p), f"{sources.name}/{p.name}") for line in r.lines] for p, r in zip(paths, first)]
    # A word lost from one TEI file (which keeps its size: a letter for a space), then
    # a source touched: each run reads the records, and finds what a reading run finds.
    tei = Path(first[2].tei or "")
    text = tei.read_text(encoding="utf-8")
    head, body = text.split("<text", 1)
    word = next(w for w in ("Central", "Committee", "the") if f" {w} " in body)
    tei.write_text(head + "<text" + body.replace(f" {word} ", f" {'x' * len(word)} ", 1), encoding="utf-8")
    lost = check()
    assert read and not lost[2].ok and [r.ok for r in lost] == [i != 2 for i in range(len(paths))]
    read.clear()
    assert check() == lost and read == []
    # Quiet, as `edition make` runs it: the lines of complete results are not wanted.
    quiet = fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build", quiet=True)
    assert read == [] and quiet[2] == lost[2] and [(r.ok, r.lines) for r in quiet[:2]] == [(True, [])] * 2
    os.utime(paths[0])
    assert check() == lost and read


def test_conversion_keeps_check_results_that_check_reuses(sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import fidelity

    work = tmp_path / "w"
    paths = collect_sources([sources])

    def convert_checked() -> list:
        return convert_all(paths, work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER),
                           manifest=convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER)),
                           checks=lambda: fidelity.check_store(work / "build", work / "tei", PREFIX))

    assert all(o.error is None for o in convert_checked())
    assert len(fidelity.check_store(work / "build", work / "tei", PREFIX)) == len(paths)  # a result for each
    # Nothing to convert: the check's store is not even opened (it would load every row).
    nothing = convert_all(paths, work / "tei", id_prefix=PREFIX, publication=Publication(PUBLISHER),
                          manifest=convert_manifest(work / "build", work / "tei", PREFIX, Publication(PUBLISHER)),
                          checks=lambda: pytest.fail("check store opened"))
    assert [o.status for o in nothing] == ["unchanged"] * len(paths)
    fresh = fidelity.check_sources(paths, work / "tei", PREFIX)  # no records: every source read again
    checked: list[Path] = []
    original = fidelity.check_source
    monkeypatch.setattr(fidelity, "check_source", lambda p, *a: checked.append(p) or original(p, *a))
    # What the converter found is what the check would have found, and nothing is read again.
    assert fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build") == fresh
    assert checked == [] and all(r.ok for r in fresh)

    # A TEI file edited by hand after conversion (a word lost) is checked again, and fails.
    tei = Path(fresh[0].tei or "")
    head, body = tei.read_text(encoding="utf-8").split("<text", 1)
    word = next(w for w in ("Central", "Committee", "the") if f" {w} " in body)
    tei.write_text(head + "<text" + body.replace(f" {word} ", " ", 1), encoding="utf-8")
    again = fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build")
    assert checked == [paths[0]] and not again[0].ok and again[1:] == fresh[1:]

    # Its source revised: the converter will not overwrite the hand edit, so it keeps no
    # result for it, and the check compares the new source with the file as edited.
    retitle(paths[0])
    outcomes = convert_checked()
    assert outcomes[0].error is not None and all(o.error is None for o in outcomes[1:])
    checked.clear()
    last = fidelity.check_sources(paths, work / "tei", PREFIX, build_dir=work / "build")
    assert checked == [paths[0]] and not last[0].ok and last[1:] == fresh[1:]


def test_record_store_saved_without_pruning_keeps_rows_not_seen(tmp_path: Path) -> None:
    path = tmp_path / "check-x.sqlite"
    store = RecordStore(path, "a")
    store.put("one", {"sha": "1"})
    store.put("two", {"sha": "2"})
    store.save()
    adding = RecordStore(path, "a")
    adding.put("three", {"sha": "3"})
    adding.save(prune=False)
    assert [RecordStore(path, "a").get(n) for n in ("one", "two", "three")] == [{"sha": "1"}, {"sha": "2"}, {"sha": "3"}]


def test_a_record_store_summary_holds_only_for_the_rows_it_was_saved_with(tmp_path: Path) -> None:
    path = tmp_path / "validate-x.sqlite"
    store = RecordStore(path, "a")
    store.put("one", {"sha": "1"})
    store.set_summary("all of one")
    store.save()
    kept = RecordStore(path, "a")
    assert kept.summary == "all of one"
    kept.keep_all()
    kept.save()
    assert RecordStore(path, "a").get("one") == {"sha": "1"}  # every row stands
    # Rows changed by a run that says nothing of itself (convert adding check results):
    # the summary goes, and the next run reads the records.
    adding = RecordStore(path, "a")
    adding.put("two", {"sha": "2"})
    adding.save(prune=False)
    assert RecordStore(path, "a").summary is None
    assert RecordStore(path, "b").summary is None  # nor under another fingerprint


def test_build_state_made_by_other_code_is_dropped_with_its_columns(tmp_path: Path) -> None:
    from edition.build_state import BuildState

    path = tmp_path / "state.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('fingerprint', 'older code');"
        "CREATE TABLE renders (id TEXT PRIMARY KEY, key TEXT, counted TEXT, outputs TEXT);"
        "INSERT INTO renders VALUES ('a', 'k', '[\"x\"]', '{}');"
    )
    conn.commit()
    conn.close()
    state = BuildState(path, "this code")
    assert list(state.renders()) == []
    state.put_render("a", "k", 3, {"documents/a.html": [1, 2, 3]})
    assert list(state.renders()) == [("a", "k", 3, "documents/a.html\x001\x002\x003")]  # an int, not the text '3'
    state.close()


def test_the_state_forgets_what_is_gone_without_a_statement_per_document_kept(tmp_path: Path) -> None:
    """Every rebuild that renders something tells the state which documents it still
    has (four tables, 10,000 values each in the benchmark); each value copied into a
    temporary table to find the few stale rows cost a rebuild after one correction a
    tenth of a second."""
    from edition.build_state import BuildState, StageMemos

    ids = [f"doc-{n:03d}" for n in range(200)]
    state = BuildState(tmp_path / "state.sqlite", "this code")
    memos = StageMemos(tmp_path / "memos.sqlite", "this code")
    for doc_id in ids:
        state.put_render(doc_id, "k", 3, {f"documents/{doc_id}.html": [1, 2, 3]})
        state.put_tei([(f"{doc_id}.xml", 1, 2, 3, f"sha-{doc_id}", doc_id, "T", "1950", "1950", "1950", "en")])
        state.put(f"sha-{doc_id}", b"<record/>", "record-sha", [("type", "memo", "Memo")])
        memos.put(doc_id, {"memo:x": doc_id})
    statements: list[str] = []
    for cache in (state, memos):
        cache._conn.set_trace_callback(statements.append)
    kept = [d for d in ids if d not in ("doc-007", "doc-150")]
    state.keep_renders(kept)
    state.keep_tei(f"{d}.xml" for d in kept)
    state.keep_documents(f"sha-{d}" for d in kept)
    memos.keep(kept)
    assert len(statements) <= 4 * 3, statements[:10]
    assert [r[0] for r in state.renders()] == kept
    assert [r[0] for r in state.tei_rows()] == [f"{d}.xml" for d in kept]
    assert state.recorded() == {f"sha-{d}" for d in kept}
    assert memos.get("doc-150") == {} and memos.get("doc-151") == {"memo:x": "doc-151"}
    state.close()
    memos.close()


def test_encoded_outputs_are_intact_only_while_every_signature_holds(tmp_path: Path) -> None:
    from edition.build_state import encode_outputs, intact_outputs
    from edition.incremental import folder_signatures, stat_signature

    for rel in ("documents/a.html", "text/a.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel, encoding="utf-8")
    encoded = encode_outputs({rel: stat_signature(tmp_path / rel) for rel in ("text/a.txt", "documents/a.html")})
    assert intact_outputs(tmp_path, encoded) == ["documents/a.html", "text/a.txt"]
    # The same answers from the build's walk of the site, taken as the file system's.
    assert intact_outputs(tmp_path, encoded, folder_signatures(tmp_path)) == ["documents/a.html", "text/a.txt"]
    (tmp_path / "text/a.txt").write_text("edited by hand", encoding="utf-8")
    assert intact_outputs(tmp_path, encoded) is None
    assert intact_outputs(tmp_path, encoded, folder_signatures(tmp_path)) is None
    (tmp_path / "text/a.txt").unlink()
    assert intact_outputs(tmp_path, encoded) is None
    assert intact_outputs(tmp_path, encoded, folder_signatures(tmp_path)) is None


def test_stage_memos_are_kept_per_document_pruned_and_rebuilt_when_unreadable(tmp_path: Path) -> None:
    from edition.build_state import StageMemos

    path = tmp_path / "stage-memos-x.sqlite"
    memos = StageMemos(path, "a")
    memos.put("one", {"memo:x": "1"})
    memos.put("two", {"memo:x": "2"})
    memos.close()
    again = StageMemos(path, "a")
    assert again.get("one") == {"memo:x": "1"} and again.get("three") == {}
    again.keep(["two"])  # "one" left the edition
    again.close()
    assert StageMemos(path, "a").get("one") == {} and StageMemos(path, "a").get("two") == {"memo:x": "2"}
    failed = StageMemos(path, "a")
    failed.put("two", {"memo:x": "changed"})
    failed.close(commit=False)  # a build that failed leaves them as they were
    assert StageMemos(path, "a").get("two") == {"memo:x": "2"}
    assert StageMemos(path, "b").get("two") == {}  # other code: nothing holds
    path.write_bytes(b"not a database" * 100)
    assert StageMemos(path, "a").get("two") == {}
