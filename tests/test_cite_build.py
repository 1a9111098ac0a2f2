"""The citation stages as the site build calls them (edition.render.DOCUMENT_STAGES, edition.build.EDITION_STAGES)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from edition import build, build_documents, chicago_citeproc, citation_item, citations, render
from edition.citation_item import CitationError

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "tei"
BASE = "https://edition.example.org/"


@pytest.fixture()
def ctx(tmp_path: Path) -> render.BuildContext:
    return render.BuildContext(tei_dir=TEI_DIR, out_dir=tmp_path / "site", base_url=BASE)


def test_document_stage_writes_the_files_and_returns_the_chicago_params(ctx: render.BuildContext) -> None:
    doc = build_documents.load_document(TEI_DIR / "wilson-119711.xml")
    returned = citations.document_stage(doc, ctx)
    params = {k: v for k, v in returned.items() if not k.startswith(render.MEMO_PREFIX)}
    assert set(params) == {"chicago-note", "chicago-bibliography", "csl-item-json"}
    assert all(isinstance(v, str) and chicago_citeproc.html_fragment_is_wellformed(params[k])
               for k, v in params.items() if k.startswith("chicago-"))
    # What it keeps for the next render: the rendering, and the item it was made from.
    assert returned["memo:chicago-note"] == params["chicago-note"] and len(returned["memo:chicago-item"]) == 64
    assert "trans. Gary Goldberg" in params["chicago-note"]
    cite = ctx.out_dir / "cite"
    assert sorted(p.name for p in cite.iterdir()) == sorted(f"wilson-119711{s}" for s in citations.DOCUMENT_SUFFIXES)
    # The page reads the item the file holds, not a second mapping of the header.
    assert params["csl-item-json"] == (cite / "wilson-119711.json").read_text(encoding="utf-8")
    item = json.loads((cite / "wilson-119711.json").read_text(encoding="utf-8"))[0]
    assert item["URL"] == BASE + "documents/wilson-119711.html"


def test_edition_stage_collects_every_document_and_drops_removed_ones(ctx: render.BuildContext) -> None:
    docs = build_documents.load_documents(TEI_DIR)
    for doc in docs:
        citations.document_stage(doc, ctx)
    cite = ctx.out_dir / "cite"
    (cite / "gone-document.json").write_text("[]", encoding="utf-8")
    (cite / "gone-document.chicago.txt").write_text("old", encoding="utf-8")
    citations.edition_stage(docs, ctx)
    edition = json.loads((cite / "edition.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in edition] == sorted(d.id for d in docs)
    assert not (cite / "gone-document.json").exists() and not (cite / "gone-document.chicago.txt").exists()
    assert (cite / "edition.bib").is_file() and (cite / "edition.ris").is_file()


def test_edition_files_put_together_as_text_equal_the_items_written_afresh(ctx: render.BuildContext, tmp_path: Path) -> None:
    # The stage joins the documents' files without parsing them; the result must be
    # exactly what write_edition makes of the items themselves.
    docs = build_documents.load_documents(TEI_DIR)
    items = []
    for doc in docs:
        citations.document_stage(doc, ctx)
        items.append(citation_item.csl_item(doc.tei_path, ctx.base_url, data=doc.data, xslt_dir=ctx.xslt_dir))
    citations.edition_stage(docs, ctx)
    citations.write_edition(items, tmp_path)
    for suffix in (".json", ".bib", ".ris"):
        name = f"edition{suffix}"
        assert (ctx.out_dir / "cite" / name).read_bytes() == (tmp_path / name).read_bytes(), name
    # A document file that is not one item in this layout is mapped again, not copied.
    victim = ctx.out_dir / "cite" / f"{docs[0].id}.json"
    victim.write_text("[]\n", encoding="utf-8")
    citations.edition_stage(docs, ctx)
    assert (ctx.out_dir / "cite" / "edition.json").read_bytes() == (tmp_path / "edition.json").read_bytes()
    citations.document_stage(docs[0], ctx)


def test_edition_stage_maps_a_document_whose_file_is_missing(ctx: render.BuildContext) -> None:
    docs = build_documents.load_documents(TEI_DIR)
    citations.edition_stage(docs, ctx)  # no document stage ran: items are mapped afresh
    edition = json.loads((ctx.out_dir / "cite" / "edition.json").read_text(encoding="utf-8"))
    assert len(edition) == len(docs)


def test_the_id_edition_is_reserved(ctx: render.BuildContext, tmp_path: Path) -> None:
    tei = tmp_path / "edition.xml"
    data = (TEI_DIR / "wilson-119711.xml").read_text(encoding="utf-8").replace(
        'xml:id="wilson-119711"', 'xml:id="edition"'
    )
    tei.write_text(data, encoding="utf-8")
    with pytest.raises(CitationError, match="reserved"):
        citations.document_stage(build_documents.load_document(tei), ctx)


def test_a_failing_document_leaves_no_partial_files(ctx: render.BuildContext, tmp_path: Path) -> None:
    bad_dir = tmp_path / "tei"
    bad_dir.mkdir()
    shutil.copy(TEI_DIR / "wilson-119711.xml", bad_dir / "wilson-119711.xml")
    doc = build_documents.load_document(bad_dir / "wilson-119711.xml")
    broken = build_documents.DocumentInput(**{**doc.__dict__, "data": doc.data.replace(b"<teiHeader>", b"<teiHeader><oops>")})
    with pytest.raises(CitationError) as err:
        citations.document_stage(broken, ctx)
    assert "wilson-119711.xml" in str(err.value)
    assert not (ctx.out_dir / "cite").exists()


def test_the_site_build_writes_citations_and_links_them_from_every_page(tmp_path: Path) -> None:
    from lxml import html

    assert citations.document_stage in render.DOCUMENT_STAGES
    assert citations.edition_stage in build.EDITION_STAGES
    ctx = render.BuildContext(tei_dir=TEI_DIR, out_dir=tmp_path / "site", base_url=BASE)
    report = build.build_site(ctx)
    docs = build_documents.load_documents(TEI_DIR)
    assert report.documents == len(docs)
    cite = ctx.out_dir / "cite"
    for doc in docs:
        page = html.parse(str(ctx.out_dir / "documents" / f"{doc.id}.html")).getroot()
        links = {link.get("type"): link.get("href") for link in page.xpath("/html/head/link[@rel='alternate']")}
        for ext, media in (("json", "application/vnd.citationstyles.csl+json"), ("bib", "application/x-bibtex"),
                           ("ris", "application/x-research-info-systems")):
            assert links[media] == f"../cite/{doc.id}.{ext}"
            assert (ctx.out_dir / "documents" / links[media]).resolve() == (cite / f"{doc.id}.{ext}").resolve()
        note = page.get_element_by_id("chicago-note").text_content()
        assert note == (cite / f"{doc.id}.chicago.txt").read_text(encoding="utf-8").split("\n\n")[0].strip()
    assert len(json.loads((cite / "edition.json").read_text(encoding="utf-8"))) == len(docs)
    before = {p.name: p.read_bytes() for p in cite.iterdir()}
    build.build_site(ctx)
    assert {p.name: p.read_bytes() for p in cite.iterdir()} == before


def test_edition_stage_skips_work_when_no_document_file_changed(ctx: render.BuildContext, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = build_documents.load_documents(TEI_DIR)
    for doc in docs:
        citations.document_stage(doc, ctx)
    citations.edition_stage(docs, ctx)
    cut = []
    original = citations._single_item_block
    monkeypatch.setattr(citations, "_single_item_block", lambda text: cut.append(1) or original(text))
    citations.edition_stage(docs, ctx)
    assert cut == []  # nothing read again
    # A document file that changed is noticed, and the edition files follow it.
    bib = ctx.out_dir / "cite" / f"{docs[0].id}.bib"
    bib.write_text(bib.read_text(encoding="utf-8").replace("@", "@", 1) + "% corrected\n", encoding="utf-8")
    citations.edition_stage(docs, ctx)
    assert len(cut) == len(docs)
    assert "% corrected" in (ctx.out_dir / "cite" / "edition.bib").read_text(encoding="utf-8")
    # So is an edition file edited behind the build's back.
    (ctx.out_dir / "cite" / "edition.ris").write_text("edited", encoding="utf-8")
    citations.edition_stage(docs, ctx)
    assert (ctx.out_dir / "cite" / "edition.ris").read_text(encoding="utf-8") != "edited"
    citations.document_stage(docs[0], ctx)


def test_a_reused_citation_passes_the_page_the_item_of_its_kept_file(ctx: render.BuildContext, tmp_path: Path) -> None:
    # After a change to the page stylesheet the citation files are taken from the site as
    # they are: the page still gets the item, from the kept cite/<id>.json.
    from dataclasses import replace

    doc = build_documents.load_document(TEI_DIR / "wilson-119711.xml")
    ctx = replace(ctx, citation_inputs=citations.citation_inputs(ctx.xslt_dir))
    first = citations.document_stage(doc, ctx)
    kept = {k: v for k, v in first.items() if k.startswith(render.MEMO_PREFIX)}
    again = citations.document_stage(doc, replace(ctx, out_dir=tmp_path / "slot", memo=kept, built=ctx.out_dir))
    # Taken from the site (linked), not made again.
    assert (tmp_path / "slot" / "cite" / "wilson-119711.json").samefile(ctx.out_dir / "cite" / "wilson-119711.json")
    assert again["csl-item-json"] == first["csl-item-json"]
    assert again["csl-item-json"] == (ctx.out_dir / "cite" / "wilson-119711.json").read_text(encoding="utf-8")
