"""Ids and file names taken from sources never write outside the output folder (issue 8, item 4).

The hostile names go through the real converter, as the Record ID field of a
web-page export, and through ``contained_path`` directly.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition.convert import convert_all
from edition.errors import EditionError
from edition.fsutil import contained_path
from edition.ids import MAX_ID_LENGTH, slugify
from robust_support import ROBUST_FIXTURES, ROOT

TEMPLATE = (ROBUST_FIXTURES / "web_record_template.txt").read_text(encoding="utf-8")
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

HOSTILE_IDS = [
    "../../etc/passwd",
    "..",
    ".",
    "/etc/passwd",
    "/tmp/evil",
    "C:\\Windows\\system32",
    "..\\..\\boot.ini",
    "~/.ssh/authorized_keys",
    "CON",
    "nul",
    "COM1",
    "LPT9.txt",
    "aux.",
    "...",
    "-rf",
    "x" * 5000,
    "ab/" * 300,
    "％２ｅ％２ｅ／etc",  # full-width look-alikes of %2e%2e/
    "\u2024\u2024\u2215etc\u2215passwd",  # one-dot leaders and division slash
    "\uff0e\uff0e\uff0fetc",  # full-width full stops and solidus
    "\u202e\u0433\u043f\u0440.xml",  # right-to-left override
    "ѕеcrеt",  # Cyrillic look-alikes of Latin letters
    "a\u0000b",
    "%00",
    "%2e%2e%2f%2e%2e%2fetc",
    "file:///etc/passwd",
    "$(touch pwned)",
    "`id`",
    "<script>",
    "a:b",
    "\u0301\u0301",
    "🙂",
    "   ",
]


def convert_with_record_id(tmp_path: Path, record_id: str, prefix: str = "wilson") -> tuple[Path, list]:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    source = src / "export.txt"
    source.write_text(TEMPLATE.replace("@@RECORD_ID@@", record_id), encoding="utf-8")
    out = tmp_path / "out" / "tei"
    return out, convert_all([source], out, id_prefix=prefix)


def files_under(path: Path) -> set[Path]:
    return {p for p in path.rglob("*")} if path.exists() else set()


def assert_contained(tmp_path: Path, out: Path, outcomes: list) -> None:
    everything = files_under(tmp_path)
    allowed = {tmp_path / "src", tmp_path / "src" / "export.txt", tmp_path / "out", out}
    written = everything - allowed
    assert all(p.parent == out for p in written), f"written outside {out}: {sorted(written)}"
    for o in outcomes:
        if o.error is None:
            assert o.target is not None and o.target.parent == out.resolve()
            name = o.target.name
            assert len(name.encode()) <= 255, "file names over 255 bytes fail on every common file system"
            stem = name.split(".")[0].lower()
            assert stem not in WINDOWS_RESERVED
            assert name.isascii() and not name.startswith((".", "-"))
        else:
            assert str(o.error).startswith(str(o.source))


@pytest.mark.parametrize("record_id", HOSTILE_IDS, ids=[repr(x)[:30] for x in HOSTILE_IDS])
def test_hostile_record_ids_stay_inside(tmp_path: Path, record_id: str) -> None:
    out, outcomes = convert_with_record_id(tmp_path, record_id)
    assert_contained(tmp_path, out, outcomes)
    assert not Path("/tmp/evil.xml").exists()


@pytest.mark.parametrize("prefix", ["../..", "/etc", "CON", "a/b", "..\\x", "x" * 500])
def test_hostile_prefixes_stay_inside(tmp_path: Path, prefix: str) -> None:
    out, outcomes = convert_with_record_id(tmp_path, "123456", prefix=prefix)
    assert_contained(tmp_path, out, outcomes)


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record_id=st.text(min_size=1, max_size=300).filter(lambda s: "\n" not in s and "\r" not in s and s.strip()))
def test_any_record_id_gives_a_safe_id(record_id: str) -> None:
    """The id made from any record id is a safe, short, single path component (or none)."""
    slug = slugify(record_id, 40)
    assert len(slug) <= 40
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert not slug.startswith("-") and not slug.endswith("-")


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(name=st.text(min_size=0, max_size=80))
def test_contained_path_never_escapes(name: str) -> None:
    base = Path("/tmp/robust-base")
    try:
        target = contained_path(base, name, ".xml")
    except EditionError:
        return
    assert target.parent == base.resolve()
    assert target.name == f"{name}.xml"


def test_contained_path_refuses_a_symlink_out(tmp_path: Path) -> None:
    """An output folder holding a link to elsewhere: writing through it is refused."""
    out = tmp_path / "tei"
    out.mkdir()
    outside = tmp_path / "outside.xml"
    (out / "doc-1.xml").symlink_to(outside)
    with pytest.raises(EditionError):
        contained_path(out, "doc-1", ".xml")


def test_converter_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    """A planted link named like the next output must not redirect the write."""
    out = tmp_path / "out" / "tei"
    out.mkdir(parents=True)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (out / "wilson-555.xml").symlink_to(victim)
    _, outcomes = convert_with_record_id(tmp_path, "555")
    assert victim.read_text(encoding="utf-8") == "precious"
    assert outcomes[0].error is not None or not (out / "wilson-555.xml").is_symlink()


def test_long_derived_ids_are_bounded(tmp_path: Path) -> None:
    title = "Memorandum " + "on a very long subject " * 40
    text = TEMPLATE.replace("@@RECORD_ID@@", "").replace(
        "Telegram from the Soviet Embassy in Prague to the Ministry of Foreign Affairs", title.strip()
    )
    src = tmp_path / "long.txt"
    src.write_text(text, encoding="utf-8")
    outcomes = convert_all([src], tmp_path / "tei")
    assert outcomes[0].error is None, outcomes[0].error
    assert outcomes[0].doc_id is not None and len(outcomes[0].doc_id) <= MAX_ID_LENGTH


def test_cli_with_hostile_record_id_writes_only_inside(tmp_path: Path) -> None:
    src = tmp_path / "export.txt"
    src.write_text(TEMPLATE.replace("@@RECORD_ID@@", "../../../../tmp/robust-escape"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "edition", "convert", str(src), "--out", str(tmp_path / "tei")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert "Traceback" not in proc.stderr
    assert not Path("/tmp/robust-escape.xml").exists()
    # tei/ for the documents, build/ for the converter's own bookkeeping (its manifest); nothing else.
    assert {p.name for p in tmp_path.iterdir()} <= {"export.txt", "tei", "build"}
    assert all(p.parent == tmp_path / "tei" for p in (tmp_path / "tei").rglob("*"))


def test_a_listing_is_reused_only_while_its_folders_are_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from edition import fsutil
    from edition.convert import collect_sources

    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("a", encoding="utf-8")
    (src / "sub" / "b.md").write_text("b", encoding="utf-8")
    first = collect_sources([src])
    assert [p.name for p in first] == ["a.txt", "b.md"]
    scans = []
    real = fsutil._files_in_tree
    monkeypatch.setattr(fsutil, "_files_in_tree", lambda *a: scans.append(a[0]) or real(*a))
    assert collect_sources([src]) == first and scans == []  # nothing changed: not listed again
    (src / "sub" / "c.txt").write_text("c", encoding="utf-8")  # a new file in a sub-folder
    assert [p.name for p in collect_sources([src])] == ["a.txt", "b.md", "c.txt"] and scans
    (src / "a.txt").rename(src / "z.txt")
    assert [p.name for p in collect_sources([src])] == ["b.md", "c.txt", "z.txt"]


def test_replacing_writer_keeps_an_unchanged_file_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    from edition.fsutil import ReplacingWriter

    target = tmp_path / "edition.bib"
    with ReplacingWriter(target) as out:
        out.write("one\n")
        out.write("two\n")
    assert out.changed and target.read_text(encoding="utf-8") == "one\ntwo\n"
    before = target.stat()
    with ReplacingWriter(target) as out:
        out.write("one\ntwo\n")  # the same bytes, in other pieces
    assert not out.changed
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    with pytest.raises(RuntimeError), ReplacingWriter(target) as out:
        out.write("half of a new file")
        raise RuntimeError("stopped")
    assert target.read_text(encoding="utf-8") == "one\ntwo\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["edition.bib"]  # no temporary file left


def test_scratch_writes_write_in_place_only_under_their_folder_and_only_within(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    from edition import fsutil

    temporaries: list[str] = []
    real_mkstemp = tempfile.mkstemp

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        fd, name = real_mkstemp(*args, **kwargs)
        temporaries.append(name)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", spy)
    scratch, beside = tmp_path / "slot", tmp_path / "slot-other"
    with fsutil.scratch_writes(scratch):
        fsutil.atomic_write(scratch / "cite" / "a.json", "[]")  # in place
        fsutil.atomic_write(beside / "b.json", "[]")  # a sibling whose name starts the same: atomic
        fsutil.atomic_write(tmp_path / "c.json", b"{}")  # elsewhere: atomic
    assert [Path(t).parent for t in temporaries] == [beside, tmp_path]
    assert (scratch / "cite" / "a.json").read_text() == "[]" and (beside / "b.json").is_file()
    assert (scratch / "cite" / "a.json").stat().st_mode & 0o777 == fsutil.FILE_MODE
    # The mode ends with its block, also when the block fails.
    with pytest.raises(RuntimeError), fsutil.scratch_writes(scratch):
        raise RuntimeError
    fsutil.atomic_write(scratch / "d.json", "[]")
    assert len(temporaries) == 3


def test_titles_in_other_scripts_give_distinct_readable_ids(tmp_path: Path) -> None:
    """Georgian and Armenian titles are transliterated; a script the slug cannot spell
    (Persian) gets a hash of the title. Before, each such title gave "doc-DATE-untitled",
    so two of one date claimed one id and both were refused."""
    titles = {
        "ka.txt": "წერილი ცენტრალურ კომიტეტს",
        "hy.txt": "Նամակ Կենտրոնական կոմիտեին",
        "fa1.txt": "نامه به کمیته مرکزی",
        "fa2.txt": "گزارش به سفارت",
    }
    sources = []
    for name, title in titles.items():
        src = tmp_path / name
        src.write_text(
            TEMPLATE.replace("@@RECORD_ID@@", "").replace(
                "Telegram from the Soviet Embassy in Prague to the Ministry of Foreign Affairs", title
            ),
            encoding="utf-8",
        )
        sources.append(src)
    outcomes = convert_all(sources, tmp_path / "tei")
    assert [o.error for o in outcomes] == [None] * len(titles)
    ids = {o.source.name: o.doc_id for o in outcomes}
    assert ids["ka.txt"].endswith("-tserili-tsentralur-komitets")
    assert ids["hy.txt"].endswith("-namak-kentronakan-komitein")
    assert len(set(ids.values())) == len(titles) and not any(i.endswith("untitled") for i in ids.values())
