"""``edition build``: the orchestrator, its registries, determinism and failure modes."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from lxml import html as lxml_html

from edition import build as build_mod
from edition import build_documents, fsutil, render, render_pool
from edition.build import build_site
from edition.build_documents import BuildError, DocumentInput, load_documents
from edition.render import BuildContext
from edition.executor import LocalExecutor, SerialExecutor
from edition.transform import TransformError, transformer
from folder_support import snapshot

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "site"
CONTRACT = ROOT / "tests" / "fixtures" / "contract" / "wilson-119711.xml"


@pytest.fixture
def tei_dir(tmp_path: Path) -> Path:
    d = tmp_path / "tei"
    d.mkdir()
    for p in sorted(FIXTURES.glob("*.xml")) + [CONTRACT]:
        shutil.copy(p, d / p.name)
    return d


def ctx_for(tei: Path, out: Path, **kw: object) -> BuildContext:
    return BuildContext(tei_dir=tei, out_dir=out, site_title="Test Edition", base_url="", edition_version="1.2.3", **kw)  # type: ignore[arg-type]


def test_builds_every_output_in_date_order(tei_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    report = build_site(ctx_for(tei_dir, out))
    ids = ["wilson-119711", "site-marks", "site-partial", "site-rtl"]  # 1955-12-16, 1956-03-04, 1956-09, undated
    assert report.documents == 4
    for doc_id in ids:
        assert (out / "documents" / f"{doc_id}.html").is_file()
        assert (out / "text" / f"{doc_id}.txt").read_text(encoding="utf-8").endswith("\n")
        assert (out / "tei" / f"{doc_id}.xml").read_bytes() == (tei_dir / f"{doc_id}.xml").read_bytes()
    assert (out / "assets" / "edition.css").is_file()
    index = lxml_html.parse(str(out / "index.html"))
    listed = [a.get("href") for a in index.xpath("//li[@class='entry']//h3/a")]
    assert listed == [f"documents/{i}.html" for i in ids]
    assert index.xpath("//section[@class='year']/h2/text()") == ["1955", "1956", "Undated"]
    # Previous/next follow the same order.
    page = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    assert page.xpath("//a[@rel='prev']/@href") == ["wilson-119711.html"]
    assert page.xpath("//a[@rel='next']/@href") == ["site-partial.html"]
    assert "September 1956" in page.xpath("string(//a[@rel='next'])")
    first = lxml_html.parse(str(out / "documents" / "wilson-119711.html"))
    assert first.xpath("//a[@rel='prev']") == []


def test_a_title_in_another_language_says_so_in_the_neighbours_links_and_the_cite_box(tei_dir: Path, tmp_path: Path) -> None:
    # The page's h1 said lang="ru" for a Russian title, but the next document's
    # "Previous document" link and the page's own Chicago citations showed the title in
    # an English voice (the page is lang="en"); so did the CSL item's title-language.
    import json

    from lxml import etree

    path = tei_dir / "wilson-119711.xml"
    root = etree.parse(str(path)).getroot()
    title = root.find(".//{http://www.tei-c.org/ns/1.0}titleStmt/{http://www.tei-c.org/ns/1.0}title")
    assert title is not None
    title.text = "Письмо в ЦК КПСС"
    title.set("{http://www.w3.org/XML/1998/namespace}lang", "ru")
    path.write_bytes(etree.tostring(root, encoding="UTF-8"))
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out))
    page = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    (shown,) = page.xpath("//a[@rel='prev']/span[@class='neighbour-title']")
    assert (shown.text, shown.get("lang"), shown.get("dir")) == ("Письмо в ЦК КПСС", "ru", "ltr")
    assert page.xpath("//a[@rel='next']/span[@class='neighbour-title']/@lang") == []  # an English title
    own = lxml_html.parse(str(out / "documents" / "wilson-119711.html"))
    cited = own.xpath("//section[@class='cite-box']//p[@class='citation']")
    assert len(cited) == 2
    for p in cited:
        assert [(s.text, s.get("lang")) for s in p.xpath(".//span[@lang]")] == [("Письмо в ЦК КПСС", "ru")]
        assert p.get("lang") is None
    item = json.loads((out / "cite" / "wilson-119711.json").read_text(encoding="utf-8"))
    assert (item[0] if isinstance(item, list) else item)["custom"]["title-language"] == "ru"
    # So does the standalone fragment other sites embed.
    fragment = lxml_html.fromstring((out / "cite" / "wilson-119711.chicago.html").read_text(encoding="utf-8"))
    for p in fragment.xpath("//p"):
        assert [(s.text, s.get("lang"), s.get("dir")) for s in p.xpath(".//span[@lang]")] == [("Письмо в ЦК КПСС", "ru", "ltr")]
    english = lxml_html.fromstring((out / "cite" / "site-marks.chicago.html").read_text(encoding="utf-8"))
    assert english.xpath("//span[@lang]") == []
    # Only the title's language changes: the neighbour's page follows it on the next build.
    title.set("{http://www.w3.org/XML/1998/namespace}lang", "az-Cyrl")
    path.write_bytes(etree.tostring(root, encoding="UTF-8"))
    build_site(ctx_for(tei_dir, out))
    page = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    assert page.xpath("//a[@rel='prev']/span[@class='neighbour-title']/@lang") == ["az-Cyrl"]


def test_facet_pages_filter_by_type_language_and_year(tei_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out))
    browse = sorted(p.name for p in (out / "browse").iterdir())
    assert browse == [
        "language-az-cyrl.html", "language-en.html", "language-fa.html", "language-ru.html",
        "type-document.html", "type-letter.html", "type-memorandum.html", "type-report.html",
        "year-1955.html", "year-1956.html",
    ]

    def listed(name: str) -> list[str]:
        tree = lxml_html.parse(str(out / "browse" / name))
        return [a.get("href") for a in tree.xpath("//li[@class='entry']//h3/a")]

    assert listed("language-ru.html") == ["../documents/wilson-119711.html", "../documents/site-marks.html"]
    assert listed("year-1956.html") == ["../documents/site-marks.html", "../documents/site-partial.html"]
    assert listed("type-document.html") == ["../documents/site-rtl.html"]
    page = lxml_html.parse(str(out / "browse" / "language-fa.html"))
    assert page.xpath("string(//h1)") == "Documents in Persian"
    assert page.xpath("//a[@aria-current='page']/span[@class='facet-label']/text()") == ["Persian"]


def test_same_input_gives_byte_identical_site(tei_dir: Path, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(ctx_for(tei_dir, a))
    build_site(ctx_for(tei_dir, b))
    assert snapshot(a) == snapshot(b)
    before = snapshot(a)
    again = build_site(ctx_for(tei_dir, a))
    # The build's own files (cite/ belongs to the citation stage) are left alone.
    assert again.written == [] and again.unchanged == len([k for k in before if not k.startswith("cite/")])
    assert snapshot(a) == before


def test_process_pool_in_windows_gives_the_same_bytes(tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_pool, "RENDER_WINDOW", 3)  # documents reach the pool in windows of three
    build_site(ctx_for(tei_dir, tmp_path / "serial"), jobs=1)
    build_site(ctx_for(tei_dir, tmp_path / "windows"), jobs=2)
    assert snapshot(tmp_path / "windows") == snapshot(tmp_path / "serial")


def test_fresh_workers_take_over_and_give_the_same_bytes(tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pools: list[object] = []
    real_pool = render_pool.worker_pool

    def counted(*args):  # type: ignore[no-untyped-def]
        pools.append(real_pool(*args))
        return pools[-1]

    monkeypatch.setattr(render_pool, "worker_pool", counted)  # the documents' pools
    monkeypatch.setattr(build_mod, "worker_pool", counted)  # the index pages'
    monkeypatch.setattr(render_pool, "RENDER_WINDOW", 1)
    monkeypatch.setattr(render_pool, "RECYCLE_DOCUMENTS", 2)  # a new pool every two documents
    build_site(ctx_for(tei_dir, tmp_path / "serial"), jobs=1)
    pools.clear()
    build_site(ctx_for(tei_dir, tmp_path / "recycled"), jobs=2)
    count = len(list(tei_dir.glob("*.xml")))
    assert any(isinstance(p, LocalExecutor) for p in pools)
    assert len(pools) == (count + 1) // 2 + 1  # the render pools, and the index pages' own
    assert snapshot(tmp_path / "recycled") == snapshot(tmp_path / "serial")


def test_one_ahead_draws_the_next_item_before_handing_out_the_last() -> None:
    from edition.executor import one_ahead

    drawn: list[int] = []

    def source():  # type: ignore[no-untyped-def]
        for n in range(3):
            drawn.append(n)
            yield n

    handed = [(n, list(drawn)) for n in one_ahead(source())]
    assert handed == [(0, [0, 1]), (1, [0, 1, 2]), (2, [0, 1, 2])]
    assert list(one_ahead(iter(()))) == []


def test_the_next_window_goes_to_the_workers_before_the_last_is_collected(
        tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []

    class Recording(SerialExecutor):
        def map(self, fn, items, *, chunksize=1):  # type: ignore[no-untyped-def]
            if fn is not render_pool.render_batch:
                return super().map(fn, items, chunksize=chunksize)
            window = len([e for e in events if e.startswith("submit")])
            events.append(f"submit {window}")
            done = list(super().map(fn, items, chunksize=chunksize))  # the work, done when submitted

            def collect():  # type: ignore[no-untyped-def]
                events.append(f"collect {window}")
                yield from done
            return collect()

    monkeypatch.setattr(render_pool, "RENDER_WINDOW", 1)
    build_site(ctx_for(tei_dir, tmp_path / "site"), executor=Recording())
    assert events == ["submit 0", "submit 1", "collect 0", "submit 2", "collect 1", "submit 3", "collect 2", "collect 3"]
    build_site(ctx_for(tei_dir, tmp_path / "serial"), jobs=1, incremental=False)
    assert snapshot(tmp_path / "site") == snapshot(tmp_path / "serial")


def test_facts_read_in_worker_processes_are_those_read_here(tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many TEI files are read (facts: id, title, date, hash) in forked processes; the facts,
    their order and the site are those of reading them here, and a bad file is still the first
    one named, in name order."""
    monkeypatch.setattr(build_documents, "FACTS_POOL_THRESHOLD", 10_000)
    here = build_documents.load_facts(tei_dir)
    build_site(ctx_for(tei_dir, tmp_path / "here"), jobs=1)
    monkeypatch.setattr(build_documents, "FACTS_POOL_THRESHOLD", 2)
    monkeypatch.setattr("edition.executor.default_workers", lambda: 2)
    pids: list[int] = []
    real = build_documents.load_document
    monkeypatch.setattr(build_documents, "load_document", lambda path: (pids.append(os.getpid()), real(path))[1])
    assert build_documents.load_facts(tei_dir) == here
    assert pids == []  # none of them was read in this process
    build_site(ctx_for(tei_dir, tmp_path / "pooled"), jobs=1)
    assert snapshot(tmp_path / "pooled") == snapshot(tmp_path / "here")
    (tei_dir / "zz-late.xml").write_text("<TEI", encoding="utf-8")
    (tei_dir / "aa-early.xml").write_text("<TEI/>", encoding="utf-8")
    with pytest.raises(BuildError) as failed:
        build_documents.load_facts(tei_dir)
    assert Path(str(failed.value.path)).name == "aa-early.xml"


@pytest.mark.parametrize("batch", [1, 3])
def test_documents_rendered_in_batches_give_the_same_bytes(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:
    # A worker runs each step (stages, page, plain text, facets, catalog part) over
    # its batch before the next step; no document may see another's parameters,
    # memos, stage files or trees. Three of four documents leave a short batch.
    build_site(ctx_for(tei_dir, tmp_path / "whole"), jobs=1)
    monkeypatch.setattr(render_pool, "RENDER_BATCH", batch)
    build_site(ctx_for(tei_dir, tmp_path / "batched"), jobs=1)
    assert snapshot(tmp_path / "batched") == snapshot(tmp_path / "whole")


def test_a_batch_parses_each_document_once(tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Saxon's trees of a batch are kept from the stages to the catalog part: the
    # transformer must hold a batch's worth of them.
    from edition import transform

    assert transform.RECENT_TREES >= render_pool.RENDER_BATCH
    t = transformer()
    parsed: list[int] = []
    monkeypatch.setattr(t, "_proc", _CountingProcessor(t._proc, parsed))
    count = len(list(tei_dir.glob("*.xml")))
    build_site(ctx_for(tei_dir, tmp_path / "site"), jobs=1)
    # One tree per document for its render; the index pages parse their own page documents.
    assert parsed.count(1) == count


def test_a_first_build_does_not_look_for_citation_files_the_site_cannot_hold(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A render worker's citation stage hard-links a file the built site already holds;
    # before a first build's install the site has no cite/ folder, so no file of it is
    # looked for.
    from edition import citations

    out = tmp_path / "site"
    looked: list[Path] = []
    holds = citations.holds

    def looking(path: Path, data: bytes) -> bool:
        looked.append(Path(path))
        return holds(path, data)

    monkeypatch.setattr(citations, "holds", looking)
    build_site(ctx_for(tei_dir, out), jobs=1)
    count = len(list(tei_dir.glob("*.xml")))
    assert len(list((out / "cite").glob("*.chicago.html"))) == count
    assert looked and not [p for p in looked if p.parent == out.resolve() / "cite"]


def test_render_workers_make_a_folder_only_when_it_is_missing(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker writes each file of a document into a folder that is nearly always
    # there (its render slot's, the staged site's): it makes the folder when it is
    # missing, and never asks for one that is there.
    there: list[str] = []
    mkdir = os.mkdir

    def making(path: str | os.PathLike[str], *args: int) -> None:
        try:
            mkdir(path, *args)
        except FileExistsError:
            there.append(os.fspath(path))
            raise

    monkeypatch.setattr(os, "mkdir", making)
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out), jobs=1)
    assert len(list((out / "documents").glob("*.html"))) == len(list(tei_dir.glob("*.xml")))
    assert not [p for p in there if f"{os.sep}.site.staging{os.sep}" in p]


class _CountingProcessor:
    """A Saxon processor that counts the TEI documents it parses."""

    def __init__(self, proc: object, parsed: list[int]) -> None:
        self._proc, self._parsed = proc, parsed

    def parse_xml(self, **kw: str) -> object:
        self._parsed.append(1 if "<TEI" in kw.get("xml_text", "")[:2000] and "teiCorpus" not in kw.get("xml_text", "")[:2000] else 0)
        return self._proc.parse_xml(**kw)

    def __getattr__(self, name: str) -> object:
        return getattr(self._proc, name)


def test_process_pool_gives_the_same_bytes(tei_dir: Path, tmp_path: Path) -> None:
    serial, pooled = tmp_path / "serial", tmp_path / "pooled"
    build_site(ctx_for(tei_dir, serial), jobs=1)
    build_site(ctx_for(tei_dir, pooled), jobs=2)
    assert snapshot(serial) == snapshot(pooled)


def test_removed_document_disappears_and_neighbours_follow(tei_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out))
    (tei_dir / "site-partial.xml").unlink()
    report = build_site(ctx_for(tei_dir, out))
    for rel in ("documents/site-partial.html", "text/site-partial.txt", "tei/site-partial.xml", "browse/type-report.html"):
        assert not (out / rel).exists(), rel
        assert out / rel in report.removed
    page = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    assert page.xpath("//a[@rel='next']/@href") == ["site-rtl.html"]


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("broken.xml", b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="broken">\n<teiHeader>\n</TEI>\n', "", 4),
        ("noid.xml", b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', "no xml:id", 1),
        ("other.xml", b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="different"><teiHeader/></TEI>', "does not match the file name", 1),
        ("html.xml", b'<html xml:id="html"/>', "expected a TEI element", 1),
        ("untitled.xml", b'<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="untitled"><teiHeader/></TEI>', "no title", 1),
        ("dtd.xml", b'<?xml version="1.0"?>\n<!DOCTYPE TEI [<!ENTITY x "y">]>\n<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="dtd"/>', "", 2),
    ],
)
def test_bad_tei_names_file_and_line_and_leaves_the_site_alone(
    tei_dir: Path, tmp_path: Path, name: str, content: bytes, message: str, line: int
) -> None:
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out))
    before = snapshot(out)
    (tei_dir / name).write_bytes(content)
    with pytest.raises(Exception) as info:
        build_site(ctx_for(tei_dir, out))
    text = str(info.value)
    assert f"{tei_dir / name}:{line}" in text
    assert message in text
    assert snapshot(out) == before


def test_missing_or_empty_tei_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no such folder"):
        load_documents(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    with pytest.raises(BuildError, match="no TEI files"):
        load_documents(tmp_path / "empty")


def _citation_aware_xslt(tmp_path: Path) -> Path:
    """A copy of xslt/ whose citation templates show their parameters, to see
    what a document stage hands to html.xsl."""
    xslt = tmp_path / "xslt"
    shutil.copytree(ROOT / "xslt", xslt)
    (xslt / "citation-html.xsl").write_text(
        """<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tei="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">
  <xsl:param name="chicago-note" as="xs:string" select="''"/>
  <xsl:param name="chicago-bibliography" as="xs:string" select="''"/>
  <xsl:template name="citation-meta"><meta name="citation_title" content="{(tei:teiHeader//tei:title)[1]}"/></xsl:template>
  <xsl:template name="cite-box"><section class="cite-box" aria-label="Cite"><p>{$chicago-note}</p><p>{$chicago-bibliography}</p></section></xsl:template>
</xsl:stylesheet>
""",
        encoding="utf-8",
    )
    return xslt


def test_document_stages_feed_the_page_and_edition_stages_see_every_document(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    seen: list[list[str]] = []

    def cite(doc: DocumentInput, ctx: BuildContext) -> Mapping[str, str]:
        calls.append(doc.id)
        (ctx.out_dir / "cite").mkdir(parents=True, exist_ok=True)
        (ctx.out_dir / "cite" / f"{doc.id}.json").write_text("[]", encoding="utf-8")
        (ctx.out_dir / "cite" / f"{doc.id}.ris").write_text("TY  - LETTER\n", encoding="utf-8")
        return {"chicago-note": f"Note for {doc.id}", "chicago-bibliography": f"Bibliography of {doc.sha256[:8]}"}

    def catalog(docs: Sequence[DocumentInput], ctx: BuildContext) -> None:
        seen.append([d.id for d in docs])
        assert (ctx.out_dir / "index.html").is_file()  # runs after the site is written

    monkeypatch.setattr(render, "DOCUMENT_STAGES", [cite])
    monkeypatch.setattr(build_mod, "EDITION_STAGES", [catalog])
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out, xslt_dir=_citation_aware_xslt(tmp_path)))

    assert sorted(calls) == ["site-marks", "site-partial", "site-rtl", "wilson-119711"]
    assert seen == [["wilson-119711", "site-marks", "site-partial", "site-rtl"]]
    page = lxml_html.parse(str(out / "documents" / "site-marks.html"))
    assert page.xpath("//head/meta[@name='citation_title']/@content") == ["Memorandum on the Supply of Paper to the Regional Committee"]
    box = page.xpath("//article//section[@class='cite-box']")
    assert len(box) == 1 and "Note for site-marks" in box[0].text_content()
    # Only the formats the stage wrote are linked.
    assert page.xpath("//nav[@class='formats']//a/@href") == [
        "../tei/site-marks.xml", "../text/site-marks.txt", "../cite/site-marks.json", "../cite/site-marks.ris",
    ]


def test_every_file_of_the_site_is_readable_as_the_umask_allows(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stage may leave its file private (a temporary file renamed into place is);
    # the render worker gives it the site's mode before the build installs it.
    def private(doc: DocumentInput, ctx: BuildContext) -> Mapping[str, str]:
        (ctx.out_dir / "cite").mkdir(parents=True, exist_ok=True)
        path = ctx.out_dir / "cite" / f"{doc.id}.json"
        path.write_text("[]", encoding="utf-8")
        path.chmod(0o600)
        return {}

    monkeypatch.setattr(render, "DOCUMENT_STAGES", [private])
    out = tmp_path / "site"
    build_site(ctx_for(tei_dir, out), jobs=1)
    modes = {p.relative_to(out).as_posix(): p.stat().st_mode & 0o777 for p in out.rglob("*") if p.is_file()}
    assert "cite/site-marks.json" in modes and "index.html" in modes and "documents/site-marks.html" in modes
    assert set(modes.values()) == {fsutil.FILE_MODE}


def test_the_build_own_files_win_over_a_stage_file_of_the_same_name(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def clobber(doc: DocumentInput, ctx: BuildContext) -> Mapping[str, str]:
        fsutil.atomic_write(ctx.out_dir / "documents" / f"{doc.id}.html", "stage")
        fsutil.atomic_write(ctx.out_dir / "notes" / f"{doc.id}.txt", f"notes of {doc.id}")
        return {}

    monkeypatch.setattr(render, "DOCUMENT_STAGES", [clobber])
    # A document a batch: the slot of one is the next one's, so a file left there
    # would be found again.
    monkeypatch.setattr(render_pool, "RENDER_BATCH", 1)
    out = tmp_path / "site"
    report = build_site(ctx_for(tei_dir, out), jobs=1)
    pages = sorted(out.glob("documents/*.html"))
    assert len(pages) == 4 and all(p.read_bytes().startswith(b"<!DOCTYPE HTML>") for p in pages)
    assert {p.name: p.read_text(encoding="utf-8") for p in out.glob("notes/*")} == {
        f"{p.stem}.txt": f"notes of {p.stem}" for p in tei_dir.glob("*.xml")}
    assert report.removed == []


def test_a_stage_returning_a_non_string_stops_the_build(tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render, "DOCUMENT_STAGES", [lambda doc, ctx: {"chicago-note": 3}])
    with pytest.raises(BuildError, match="non-string parameter"):
        build_site(ctx_for(tei_dir, tmp_path / "site"))
    assert not (tmp_path / "site" / "index.html").exists()


def test_each_stylesheet_compiles_once_per_process() -> None:
    t = transformer()
    assert transformer() is t
    assert t.stylesheet("html.xsl") is t.stylesheet("html.xsl")


def test_transform_errors_name_the_document(tmp_path: Path) -> None:
    t = transformer()
    node = t.parse(b"<notTEI/>", tmp_path / "x.xml")
    with pytest.raises(TransformError) as info:
        t.apply("html.xsl", node, {}, tmp_path / "x.xml")
    assert str(tmp_path / "x.xml") in str(info.value) and "Expected a TEI document" in str(info.value)
    with pytest.raises(TransformError, match="stylesheet not found"):
        t.stylesheet("absent.xsl")
    with pytest.raises(TransformError, match="not well-formed"):
        t.parse(b"<a>", tmp_path / "y.xml")


def test_command_line(tei_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    cmd = [sys.executable, "-m", "edition", "build", "--tei", str(tei_dir), "--out", str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "built 4 documents" in done.stdout
    assert (out / "site" / "documents" / "site-marks.html").is_file()
    (tei_dir / "zz-broken.xml").write_text("<TEI", encoding="utf-8")
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1
    assert f"{tei_dir / 'zz-broken.xml'}:1" in done.stderr


@pytest.mark.parametrize("encode", [
    lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),  # what Windows editors save
    lambda text: text.encode("utf-16"),  # with its byte order mark
    lambda text: text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1", "xmlcharrefreplace"),
], ids=["utf-8-bom", "utf-16", "latin-1"])
def test_a_hand_edited_file_that_validates_in_another_encoding_builds_the_same_site(tmp_path: Path, encode) -> None:
    """`edition validate` reads a BOM, UTF-16 and a declared encoding (lxml does); the
    build must read the same file, not stop at it with Saxon's "Content is not allowed
    in prolog" after validation passed."""
    # A letter outside ASCII that Latin-1 has: that file is then not UTF-8.
    text = CONTRACT.read_text(encoding="utf-8").replace("Gary Goldberg", "Gáry Goldberg")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    pages = {}
    for kind, data in (("plain", text.encode("utf-8")), ("edited", encode(text))):
        tei = tmp_path / kind / "tei"
        tei.mkdir(parents=True)
        (tei / CONTRACT.name).write_bytes(data)
        valid = subprocess.run([sys.executable, "-m", "edition", "validate", "--layers=edition", str(tei)],
                               capture_output=True, text=True, cwd=tmp_path / kind, timeout=120)
        assert valid.returncode == 0, valid.stdout + valid.stderr
        done = subprocess.run([sys.executable, "-m", "edition", "build", "--tei", str(tei), "--out", str(tmp_path / kind / "build")],
                              capture_output=True, text=True, cwd=tmp_path / kind, timeout=120)
        assert done.returncode == 0, done.stderr
        pages[kind] = (tmp_path / kind / "build" / "site" / "documents" / "wilson-119711.html").read_bytes()
    assert pages["edited"] == pages["plain"]


def test_catalog_is_assembled_from_the_workers_parts_and_equals_a_direct_update(
    tei_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from edition import catalog, catalog_entries
    from edition.config import Config

    config = Config(site_dir=tmp_path / "out" / "site", catalog=tmp_path / "out" / "catalog.sqlite")
    ctx = ctx_for(tei_dir, tmp_path / "out" / "site", config=config)
    loaded: list[Path] = []
    original_load = catalog_entries._load
    in_stage = []

    def counting_load(path, data, root=None):  # noqa: ANN001, ANN202
        if in_stage:
            loaded.append(path)
        return original_load(path, data, root)

    def staged(docs, stage_ctx):  # noqa: ANN001, ANN202
        in_stage.append(1)
        try:
            return catalog.catalog_stage(docs, stage_ctx)
        finally:
            in_stage.clear()

    monkeypatch.setattr(catalog_entries, "_load", counting_load)
    monkeypatch.setattr(build_mod, "EDITION_STAGES", [staged if s is catalog.catalog_stage else s for s in build_mod.EDITION_STAGES])
    monkeypatch.setattr(build_mod, "catalog_stage", staged)  # the workers' parts follow the registered stage
    build_site(ctx)
    assert loaded == []  # no TEI file parsed again by the edition-wide stage

    direct = tmp_path / "direct.sqlite"
    catalog.update(sorted(tei_dir.glob("*.xml")), direct, config=config)

    def rows(db: Path) -> list[tuple]:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT id, sets, source, tei, oai_dc, hash FROM records ORDER BY id").fetchall()

    assert rows(config.catalog) == rows(direct) and len(rows(direct)) == len(list(tei_dir.glob("*.xml")))


def test_stale_outputs_are_told_from_this_builds_outputs_without_listing_them_all(tmp_path: Path) -> None:
    from edition.build import _Produced, _remove_stale

    site = tmp_path / "site"
    made = ["documents/doc-a.html", "text/doc-a.txt", "tei/doc-a.xml", "documents/doc-a.print.html",
            "browse/year-1950.html", "index.2.html", "assets/edition.css"]
    stale = ["documents/doc-b.html", "tei/doc-b.xml", "browse/doc-a.html", "index.3.html", "assets/old.js"]
    for rel in made + stale:
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(rel, encoding="utf-8")
    produced = _Produced()
    produced.add(made[:4], "doc-a")  # a document's files, one of them a stage's
    produced.add(made[4:])  # index pages and assets
    removed = sorted(p.relative_to(site).as_posix() for p in _remove_stale(site, produced))
    assert removed == sorted(stale)
    assert all((site / rel).is_file() for rel in made)
    # The key of the set: the same paths in another order give the same key; one path more does not.
    again = _Produced()
    again.add(made[4:])
    again.add(reversed(made[:4]), "doc-a")
    assert again.digest() == produced.digest()
    again.add(["cite/doc-a.ris"])
    assert again.digest() != produced.digest()
