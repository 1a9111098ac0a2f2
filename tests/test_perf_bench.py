"""The benchmark cannot rot: a small run through the real commands (no timing assertions)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edition.benchmark.corpus import generate_corpus, generate_document, load_templates
from edition.sources import read_source

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SCENARIOS = ["full build from sources", "no-op rebuild", "one source changed", "XSLT changed", "validate all layers"]


def test_bench_smoke_run(tmp_path: Path) -> None:
    work, out = tmp_path / "work", tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "edition", "bench", "-n", "12", "--seeds", str(SEEDS), "--keep", str(work), "--json", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["documents"] == 12
    assert [s["name"] for s in report["scenarios"]] == SCENARIOS
    for scenario in report["scenarios"]:
        assert scenario["ok"], scenario
        assert scenario["wall_s"] > 0 and scenario["peak_rss_mb"] > 0
        assert all(step["status"] == 0 for step in scenario["steps"])
    for name in SCENARIOS:
        assert name in done.stdout  # the table
    assert len(list((work / "tei").glob("*.xml"))) == 12
    pages = list((work / "build" / "site" / "documents").glob("*.html"))
    assert len(pages) == 12
    # "XSLT changed" changed what every page shows, so the rebuild wrote every page again.
    assert all(b"edition (revised) " in page.read_bytes() for page in pages)


def test_bench_keeps_out_of_a_folder_that_holds_anything(tmp_path: Path) -> None:
    # `--keep .` in an edition's folder replaced its xslt/ (and would have converted the
    # synthetic corpus into its tei/); a folder a bench left measured a no-op as a full build.
    edition = tmp_path / "edition"
    (edition / "xslt").mkdir(parents=True)
    (edition / "xslt" / "html.xsl").write_text("mine", encoding="utf-8")
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "edition", "bench", "-n", "1", "--seeds", str(SEEDS), "--keep", str(edition), "--json", str(out)],
        capture_output=True, text=True, cwd=tmp_path, timeout=900,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert "--keep" in done.stderr and "not empty" in done.stderr
    assert (edition / "xslt" / "html.xsl").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in edition.iterdir()) == ["xslt"] and not out.exists()


def test_bench_stylesheet_change_that_no_longer_applies_fails(tmp_path: Path) -> None:
    from edition.benchmark.run import revise_page_stylesheet
    from edition.errors import EditionError

    (tmp_path / "html.xsl").write_text("<xsl:stylesheet/>", encoding="utf-8")
    with pytest.raises(EditionError, match="no longer applies"):
        revise_page_stylesheet(tmp_path)
    shutil.copy(ROOT / "xslt" / "html.xsl", tmp_path / "html.xsl")
    revise_page_stylesheet(tmp_path)
    assert (tmp_path / "html.xsl").read_bytes() != (ROOT / "xslt" / "html.xsl").read_bytes()


def test_corpus_is_deterministic_and_varied(tmp_path: Path) -> None:
    templates = load_templates(SEEDS)
    assert generate_document(templates[0], 7) == generate_document(templates[0], 7)
    paths = generate_corpus(SEEDS, tmp_path / "c", 15)
    docs = [read_source(p) for p in paths]
    titles = {d.metadata.title for d in docs}
    assert len(titles) == 15  # distinct documents, not copies
    sizes = {p.stat().st_size for p in paths}
    assert len(sizes) > 5


def test_corpus_takes_every_export_convert_takes(tmp_path: Path) -> None:
    # Only *.txt read as UTF-8 were templates: seeds in *.md, or in UTF-16, ended the bench
    # with "internal error: ZeroDivisionError" (no template) or a UnicodeDecodeError.
    from edition.errors import EditionError

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    with pytest.raises(EditionError, match="no exports"):
        load_templates(seeds)
    markdown, capture = SEEDS / "003_73142493423ae5fc.txt", SEEDS / "000_30e4ef367cf143dd.txt"
    (seeds / "a.md").write_bytes(markdown.read_bytes())
    (seeds / "b.txt").write_bytes(capture.read_text(encoding="utf-8").encode("utf-16"))
    templates = load_templates(seeds)
    assert [(t.name, t.shape) for t in templates] == [("a", "markdown"), ("b", "web-page")]
    assert templates[1].text == capture.read_text(encoding="utf-8")
    for path in generate_corpus(seeds, tmp_path / "c", 4):
        assert read_source(path).metadata.title


def test_corpus_gives_two_captures_in_three_a_record_id(tmp_path: Path) -> None:
    # Web-page captures had the id run into their footer's last field as one paragraph:
    # no record id, and "Record ID 9000nn" for the document's uploaded date.
    paths = generate_corpus(SEEDS, tmp_path / "c", 30)
    for index, path in enumerate(paths):
        doc = read_source(path)
        if doc.source.shape != "markdown" and index % 3:
            assert doc.metadata.record_id == str(900000 + index), (path.name, doc.source.shape)
        assert "Record ID" not in str(doc.metadata.uploaded or ""), path.name


def test_bench_full_build_only(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, "-m", "edition", "bench", "-n", "3", "--seeds", str(SEEDS), "--json", str(out), "--full-build-only"],
        capture_output=True, text=True, cwd=tmp_path, timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert [s["name"] for s in report["scenarios"]] == SCENARIOS[:1] and report["complete"]
    (step,) = report["scenarios"][0]["steps"]
    assert step["command"][1] == "make"  # what `make` runs
    steps = ["convert", "check", "validate", "build"]
    assert list(step["phases"]) == list(step["phase_cpu"]) == list(step["phase_peak_mb"]) == steps
    # The steps' CPU is the command's, but for what make's own process spends between them.
    assert 0 < sum(step["phase_cpu"].values()) <= step["cpu"]
    assert sum(step["phase_cpu"].values()) > 0.5 * step["cpu"]
    assert max(step["phase_peak_mb"].values()) <= step["peak_rss_mb"] + 1
    assert report["scenarios"][0]["cpu_ms_per_doc"] == round(step["cpu"] / 3 * 1000, 2)
    table = done.stdout.splitlines()
    convert_row = next(row.split() for row in table if row.split()[:1] == ["convert"])
    assert float(convert_row[2]) == round(step["phase_cpu"]["convert"], 2)  # wall, CPU, ms/doc, MB
    assert float(convert_row[3]) == round(step["phase_cpu"]["convert"] / 3 * 1000, 2)
    # Every figure of the table is in the JSON, the CPU per document of each step and phase too.
    make_row = next(row.split() for row in table if row.split()[:2] == ["edition", "make"])
    assert float(make_row[4]) == step["cpu_ms_per_doc"]
    for phase in steps:
        row = next(row.split() for row in table if row.split()[:1] == [phase])
        assert float(row[3]) == step["phase_cpu_ms_per_doc"][phase]


def test_peak_memory_is_read_in_the_unit_each_system_reports(monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import rusage

    monkeypatch.setattr(rusage.sys, "platform", "linux")
    assert rusage.maxrss_mb(3 * 1024) == 3.0  # KiB
    monkeypatch.setattr(rusage.sys, "platform", "darwin")
    assert rusage.maxrss_mb(3 * 1024 * 1024) == 3.0  # bytes


def test_bench_correction_changes_one_word_of_one_source(tmp_path: Path) -> None:
    from edition.benchmark.run import correct_one_word
    from edition.errors import EditionError

    paths = generate_corpus(SEEDS, tmp_path / "c", 5)
    before = {p: p.read_text(encoding="utf-8") for p in paths}
    changed = correct_one_word(paths)
    after = {p: p.read_text(encoding="utf-8") for p in paths}
    assert [p for p in paths if before[p] != after[p]] == [changed]
    old, new = before[changed].split(), after[changed].split()
    assert len(old) == len(new) and sum(a != b for a, b in zip(old, new)) == 1  # a word, not a space
    # A word of the body: the title and summary, which index pages and citations show, stay.
    original = tmp_path / "original" / changed.name
    original.parent.mkdir()
    original.write_text(before[changed], encoding="utf-8")
    was, now = read_source(original).metadata, read_source(changed).metadata
    assert (now.title, now.summary) == (was.title, was.summary)
    (tmp_path / "ru.txt").write_text("Совершенно секретно", encoding="utf-8")
    with pytest.raises(EditionError, match="to correct"):
        correct_one_word([tmp_path / "ru.txt"])
