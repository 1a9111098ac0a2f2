"""`edition convert` end to end: identity, safety, determinism and bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from edition import fsutil
from edition.convert import convert_all
from edition.tei import checksum_state


ROOT = Path(__file__).resolve().parent.parent
# The one way out every refusal to overwrite a TEI file, and every warning on a file kept
# as edited by hand, ends with, as the editor reads it.
WAY_OUT = "or rerun with --force to replace the file with the source's conversion, losing what it holds now"


def run(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The real command line, from the project folder so its edition.toml applies."""
    return subprocess.run(
        [sys.executable, "-m", "edition", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture()
def seeds_copy(tmp_path: Path, seeds_dir: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(seeds_dir, target)
    return target


def test_convert_folder_verbose_names_shapes(seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    result = run("convert", seeds_copy, "--out", out, "--verbose", "--id-prefix", "wilson")
    assert result.returncode == 0, result.stderr
    assert "003_73142493423ae5fc.txt: markdown export" in result.stdout
    assert "001_3513ceab21f1a9d6.txt: line-per-paragraph export" in result.stdout
    assert "000_30e4ef367cf143dd.txt: web-page export" in result.stdout
    assert sorted(p.name for p in out.glob("*.xml")) == [
        "doc-1941-12-09-cable-from-dimitrov-to-stalin-molotov-beria-and.xml",
        "doc-1955-04-19-memo-from-i-kozlov-regarding-mir-agara-azari.xml",
        "doc-1957-07-07-resolution-of-the-central-committee-of-the.xml",
        "wilson-119698.xml",
        "wilson-119711.xml",
    ]


def test_sources_are_never_modified(seeds_copy: Path, tmp_path: Path) -> None:
    before = {p.name: p.read_bytes() for p in seeds_copy.iterdir()}
    assert run("convert", seeds_copy, "--out", tmp_path / "tei").returncode == 0
    assert {p.name: p.read_bytes() for p in seeds_copy.iterdir()} == before


def test_identical_inputs_give_identical_bytes(seeds_copy: Path, tmp_path: Path) -> None:
    assert run("convert", seeds_copy, "--out", tmp_path / "a").returncode == 0
    assert run("convert", seeds_copy, "--out", tmp_path / "b").returncode == 0
    for a in (tmp_path / "a").iterdir():
        assert a.read_bytes() == (tmp_path / "b" / a.name).read_bytes(), a.name


def test_two_sources_claiming_one_id_fail_and_write_nothing(seeds_copy: Path, tmp_path: Path) -> None:
    twin = seeds_copy / "twin.txt"
    shutil.copy(seeds_copy / "003_73142493423ae5fc.txt", twin)
    out = tmp_path / "tei"
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 1
    assert "wilson-119711" in result.stderr
    assert "003_73142493423ae5fc.txt" in result.stderr and "twin.txt" in result.stderr
    assert "remove the export that is a copy of another, or correct the record id" in result.stderr
    assert not (out / "wilson-119711.xml").exists()
    # The other sources of the run are still converted.
    assert (out / "wilson-119698.xml").exists()


def test_a_hand_edit_is_kept_while_its_source_is_unchanged_and_never_overwritten_silently(
        seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out).returncode == 0
    target = out / "wilson-119711.xml"
    edited = target.read_bytes().replace(b"Gary Goldberg", b"G. Goldberg", 1)
    target.write_bytes(edited)
    assert checksum_state(edited) == "edited"
    # The source is the export the file was converted from: the edit is kept, and said so
    # on every run (the second from the manifest), which succeeds.
    for _ in range(2):
        result = run("convert", seeds_copy, "--out", out)
        assert result.returncode == 0, result.stderr
        assert (f"edition: note: {target}: kept as edited by hand (its source {seeds_copy / '003_73142493423ae5fc.txt'} "
                f"is unchanged): leave it so, {WAY_OUT}\n") in result.stderr, result.stderr
        assert "(0 written, 4 unchanged, 1 kept as edited by hand, 0 failed)" in result.stdout
        assert target.read_bytes() == edited
    # The source changes: the edit and the change must be reconciled by the editor.
    source = seeds_copy / "003_73142493423ae5fc.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Gary Goldberg", "Gary Goldberg Jr.", 1), encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 1
    assert f"{target} was edited by hand, and its source is no longer the export it was converted from" in result.stderr
    assert f"the source's SHA-256 now, {WAY_OUT}\n" in result.stderr, result.stderr
    assert target.read_bytes() == edited
    result = run("convert", seeds_copy, "--out", out, "--force")
    assert result.returncode == 0, result.stderr
    assert checksum_state(target.read_bytes()) == "intact"
    assert b"G. Goldberg" not in target.read_bytes() and b"Gary Goldberg Jr." in target.read_bytes()


def test_a_hand_edit_that_breaks_the_xml_is_named_with_its_line_not_as_a_changed_source(
        seeds_copy: Path, tmp_path: Path) -> None:
    # A tag left open by the editor: the file no longer says which export it came from,
    # and convert said its source "is no longer the export it was converted from" (the
    # source had not changed) and asked for the SHA-256 the header already held.
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out).returncode == 0
    target = out / "wilson-119711.xml"
    made = target.read_text(encoding="utf-8")
    line = made[: made.index('<title type="main">')].count("\n") + 1
    broken = made.replace('<title type="main">', '<title type="main"><hi>', 1)
    target.write_text(broken, encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 1
    assert f"{target}:{line}:" in result.stderr and "not well-formed" in result.stderr, result.stderr
    assert f"edited by hand and can no longer be read: correct it and run again, {WAY_OUT}\n" in result.stderr, result.stderr
    assert "no longer the export" not in result.stderr and "sha256" not in result.stderr, result.stderr
    assert target.read_text(encoding="utf-8") == broken
    # Corrected, the edit is kept again.
    target.write_text(made.replace("Gary Goldberg", "G. Goldberg", 1), encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    assert "kept as edited by hand" in result.stderr


def test_a_tei_file_convert_cannot_read_is_named_as_given_and_left_alone(seeds_copy: Path, tmp_path: Path) -> None:
    # Named by the folder as typed (relative stays relative), not as the resolved path
    # the converter writes to; a folder in the file's place stopped the whole run with
    # the system's "Is a directory", and an empty file or one that is not XML was "not
    # written by the converter", without saying what was wrong with it.
    assert run("convert", "seeds", "--out", "tei", "--id-prefix", "wilson", cwd=tmp_path).returncode == 0
    target = tmp_path / "tei" / "wilson-119711.xml"
    made = target.read_bytes()
    target.unlink()
    target.mkdir()
    result = run("convert", "seeds", "--out", "tei", "--id-prefix", "wilson", cwd=tmp_path)
    assert result.returncode == 1
    assert ("edition: error: seeds/003_73142493423ae5fc.txt: tei/wilson-119711.xml is a folder, where this "
            "source's TEI file goes; nothing was written: move the folder away") in result.stderr, result.stderr
    assert "converted 4 of 5 sources" in result.stdout + result.stderr
    assert target.is_dir()
    target.rmdir()
    for bad, where in ((b"", "tei/wilson-119711.xml:1:1: not well-formed XML: Document is empty"),
                       (b"hello\n", "tei/wilson-119711.xml:1:1: not well-formed XML: Start tag expected")):
        target.write_bytes(bad)
        result = run("convert", "seeds", "--out", "tei", "--id-prefix", "wilson", cwd=tmp_path)
        assert result.returncode == 1
        assert f"edition: error: seeds/003_73142493423ae5fc.txt: {where}" in result.stderr, result.stderr
        assert ("cannot be read as XML and has no edition-checksum line, so it was left as it is: correct it or move it "
                f"away, {WAY_OUT}\n") in result.stderr, result.stderr
        assert str(tmp_path) not in result.stderr
        assert target.read_bytes() == bad
    target.write_bytes(made)
    if os.geteuid() != 0:  # the superuser reads any file
        target.write_bytes(made.replace(b"Gary Goldberg", b"G. Goldberg", 1))
        target.chmod(0)
        try:
            result = run("convert", "seeds", "--out", "tei", "--id-prefix", "wilson", "--full", cwd=tmp_path)
        finally:
            target.chmod(0o644)
        assert result.returncode == 1
        assert ("tei/wilson-119711.xml cannot be read (Permission denied), so whether it was edited by hand is unknown; "
                f"nothing was written: make it readable and run again, {WAY_OUT}\n") in result.stderr
        assert b"G. Goldberg" in target.read_bytes()


def test_a_hand_edit_saved_again_in_utf16_is_kept_as_edited(seeds_copy: Path, tmp_path: Path) -> None:
    # An XML editor may save in UTF-16: the checksum line is still there, in other bytes,
    # and the file was refused as one "not written by the converter".
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out).returncode == 0
    target = out / "wilson-119711.xml"
    resaved = target.read_text(encoding="utf-8").replace("Gary Goldberg", "G. Goldberg", 1).encode("utf-16")
    target.write_bytes(resaved)
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"edition: note: {target}: kept as edited by hand" in result.stderr
    assert target.read_bytes() == resaved


@pytest.mark.parametrize(("source", "printed", "impossible", "why"), [
    ("003_73142493423ae5fc.txt", "December 16, 1955", "February 30, 1955", "February 1955 has 28 days"),
    ("000_30e4ef367cf143dd.txt", "July 7, 1957", "July 32, 1957", "July 1957 has 31 days"),
    ("001_3513ceab21f1a9d6.txt", "December 9, 1941", "1941-13-09", 'month 13 of "1941-13-09" does not exist'),
])
def test_a_date_the_calendar_does_not_have_is_warned_of_and_kept_as_printed(
        seeds_copy: Path, tmp_path: Path, source: str, printed: str, impossible: str, why: str) -> None:
    # Read as no date, the line became the first words of the title ("February 30,
    # 1955 Letter to ..."), the document undated, and nothing was said.
    path = seeds_copy / source
    text = path.read_text(encoding="utf-8")
    line = text[: text.index(printed)].count("\n") + 1
    path.write_text(text.replace(printed, impossible, 1), encoding="utf-8")
    out = tmp_path / "tei"
    result = run("convert", path, "--out", out)
    assert result.returncode == 0, result.stderr
    assert f"edition: warning: {path}: line {line}: " in result.stderr and why in result.stderr, result.stderr
    assert "left undated: correct the date in the export" in result.stderr
    tei = next(out.glob("*.xml")).read_text(encoding="utf-8")
    title = re.search(r'<title type="main">(.*?)</title>', tei)
    assert title is not None and impossible not in title.group(1), title
    assert re.search(rf"<(?:origDate|date)>{re.escape(impossible)}</", tei), tei
    assert run("check", path, "--against", out, "-q").returncode == 0


def test_check_lets_a_hand_edit_add_words_but_not_lose_one(seeds_copy: Path, tmp_path: Path) -> None:
    # An editor's note in a file edited by hand adds words the source lacks: listed, not
    # failed. The converter may add none (test_body_fidelity), and nobody may drop one.
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out).returncode == 0
    target = out / "wilson-119711.xml"
    made = target.read_text(encoding="utf-8")
    end = made.index("</p>", made.index("<body>"))
    target.write_text(made[:end] + '<note type="editorial">The editors comment here.</note>' + made[end:], encoding="utf-8")
    result = run("check", seeds_copy, "--against", out, "--full")
    assert result.returncode == 0, result.stdout
    assert "ok (edited by hand) wilson-119711" in result.stdout
    # With the line of the TEI file the word stands on, as every other line of the report.
    line = made[:end].count("\n") + 1
    assert f"{target}:{line}: added by hand body token 'comment' not in the source" in result.stdout
    # The same edit also dropping a word of the source: a loss, whoever made it.
    body = made.index("<body>")
    word = next(w for w in (" Central ", " Committee ", " the ") if w in made[body:])
    at = made.index(word, body)
    target.write_text(made[:at] + " " + made[at + len(word):], encoding="utf-8")
    result = run("check", seeds_copy, "--against", out, "--full")
    assert result.returncode == 1
    assert "LOST (edited by hand) wilson-119711" in result.stdout and "missing body token" in result.stdout


def test_a_file_the_converter_did_not_write_is_never_overwritten_silently(seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    out.mkdir()
    target = out / "wilson-119711.xml"
    target.write_bytes(b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n')
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 1
    assert (f"{target} was not written by the converter (it has no edition-checksum line); move it away, "
            f"{WAY_OUT}\n") in result.stderr, result.stderr
    # Carrying a change "into it by hand" cannot make convert take such a file: not offered.
    assert "carry the source's changes" not in result.stderr and "move it away" in result.stderr
    assert target.read_bytes() == b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>\n'


def test_a_source_whose_id_changes_warns_of_the_file_it_leaves_behind(seeds_copy: Path, tmp_path: Path) -> None:
    # A document without a record id takes its id from date and title: correcting the
    # title makes a new file, and the old one (left alone, like every TEI file) would
    # be published beside it as a second copy without a word.
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out, cwd=tmp_path).returncode == 0
    old = out / "doc-1941-12-09-cable-from-dimitrov-to-stalin-molotov-beria-and.xml"
    assert old.exists()
    source = seeds_copy / "001_3513ceab21f1a9d6.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Cable from Dimitrov", "Telegram from Dimitrov", 1),
                      encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [ln for ln in result.stderr.splitlines() if ln.startswith("edition: warning:")]
    assert len(warnings) == 1 and str(source) in warnings[0] and str(old.name) in warnings[0], result.stderr
    assert "doc-1941-12-09-telegram-from-dimitrov" in warnings[0]
    assert old.exists()  # the editor decides
    # Said once, for the run that changed the id: not again once the old file is gone.
    old.unlink()
    assert "edition: warning:" not in run("convert", seeds_copy, "--out", out, cwd=tmp_path).stderr


def test_unchanged_rerun_rewrites_nothing(seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out).returncode == 0
    mtimes = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 0
    assert "5 unchanged" in result.stderr + result.stdout
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == mtimes


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"\n\n  \n", "empty file"),
        ("binary.txt", bytes(range(256)) * 8, "binary file"),
        ("latin.txt", "Déjà vu - naïve café".encode("latin-1") * 3, "not valid UTF-8"),
        ("shapeless.txt", b"hello\nworld\n", "no known export shape"),
    ],
)
def test_bad_input_names_file_and_reason_and_others_convert(
    seeds_copy: Path, tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    bad = seeds_copy / name
    bad.write_bytes(content)
    out = tmp_path / "tei"
    result = run("convert", seeds_copy, "--out", out)
    assert result.returncode == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("edition: error:")]
    assert len(lines) == 1, result.stderr
    assert str(bad) in lines[0] and reason in lines[0]
    assert "Traceback" not in result.stderr
    assert len(list(out.glob("*.xml"))) == 5


def test_a_source_name_that_leads_nowhere_is_reported_not_skipped(seeds_copy: Path, tmp_path: Path) -> None:
    # A symlink named like an export whose target is gone, and two that point at each
    # other: the folder's other sources convert, and each of these is named as failed.
    (seeds_copy / "moved.txt").symlink_to(tmp_path / "no-longer-here.txt")
    (seeds_copy / "loop-a.md").symlink_to("loop-b.md")
    (seeds_copy / "loop-b.md").symlink_to("loop-a.md")
    out = tmp_path / "tei"
    for command, target in (("convert", "--out"), ("check", "--against")):
        result = run(command, seeds_copy, target, out)
        assert result.returncode == 1, (command, result.stderr)
        for name in ("moved.txt", "loop-a.md", "loop-b.md"):
            assert f"{seeds_copy / name}: cannot read" in result.stdout + result.stderr, (command, result.stderr)
        assert "Traceback" not in result.stderr
    assert len(list(out.glob("*.xml"))) == 5


@pytest.mark.parametrize("command", ["convert", "build", "make"])
def test_an_output_folder_that_cannot_be_written_is_named_not_an_internal_error(
    command: str, seeds_copy: Path, tmp_path: Path
) -> None:
    # A plain file where the output folder must go: as root, the one refusal of the
    # file system a test can count on (permissions are not enforced for root).
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    config = tmp_path / "edition.toml"
    config.write_text(f'[paths]\nsources = "{seeds_copy}"\nbuild = "{blocker / "build"}"\n', encoding="utf-8")
    args = {
        "convert": ["convert", seeds_copy, "--out", blocker / "tei"],
        "build": ["build", "--tei", ROOT / "tei", "--out", blocker / "build"],
        "make": ["make", "--config", config, "-j", "1"],
    }[command]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    errors = [ln for ln in result.stderr.splitlines() if ln.startswith("edition: error:")]
    assert len(errors) == 1 and str(blocker) in errors[0], result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_full_or_read_only_disk_is_named_with_the_file_or_folder_not_an_internal_error(
        seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The system's errors for a full disk (the write, the flush, fsync) name no file, and
    # one without a file reached the editor as "internal error ... rerun with --debug",
    # exit 70; one for a read-only folder named the temporary file's random name, which
    # never existed. In process, to make the system refuse (tests run as root).
    import errno
    import tempfile

    from edition.cli import main

    out = tmp_path / "tei"

    class Full:
        """An open file on a full disk: the write fails, naming no file."""

        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            os.close(fd)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def write(self, data: bytes) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fdopen", Full)
    with pytest.raises(SystemExit) as ended:
        main(["convert", str(seeds_copy), "--out", str(out), "-j", "1"])
    err = capsys.readouterr().err
    assert ended.value.code == 1, err
    assert f"edition: error: {out}{os.sep}" in err and ".xml: No space left on device" in err, err
    assert "internal error" not in err and not list(out.glob(".*.tmp"))
    monkeypatch.undo()

    def read_only(*args: object, dir: str, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.path.join(dir, ".wilson-119711.xml.k3j2h1.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    with pytest.raises(SystemExit) as ended:
        main(["convert", str(seeds_copy), "--out", str(out), "-j", "1"])
    err = capsys.readouterr().err
    assert ended.value.code == 1, err
    assert f"edition: error: {out}: Read-only file system\n" in err and ".tmp" not in err, err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = run("convert", tmp_path / "missing", "--out", tmp_path / "tei")
    assert result.returncode == 2
    assert "no such file or folder" in result.stderr
    assert run("convert", "--no-such-option").returncode == 2


@pytest.mark.parametrize("command", ["convert", "check"])
def test_sources_that_name_nothing_to_read_are_usage_errors(command: str, tmp_path: Path, seeds_dir: Path) -> None:
    tei = tmp_path / "tei"
    tei.mkdir()
    target = ["--out", tei] if command == "convert" else ["--against", tei]
    empty = tmp_path / "empty"
    (empty / "notes").mkdir(parents=True)
    (empty / "notes" / "scan.pdf").write_bytes(b"%PDF-1.4")  # not an export
    for sources, said in (([seeds_dir, tmp_path / "gone.txt"], f"{tmp_path / 'gone.txt'}: no such file or folder"),
                          ([empty], "no source files (*.txt, *.md) found")):
        result = run(command, *sources, *target)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip() == f"edition: error: {said}"
        assert result.stdout == ""
        assert list(tei.iterdir()) == []  # nothing converted, nothing checked


def test_check_without_its_tei_folder_is_a_usage_error(tmp_path: Path, seeds_dir: Path) -> None:
    result = run("check", seeds_dir, "--against", tmp_path / "tei")
    assert result.returncode == 2
    assert result.stderr.strip() == f"edition: error: {tmp_path / 'tei'}: no such folder of TEI files"


def test_build_without_its_tei_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("build", "--tei", tmp_path / "tei", "--out", tmp_path / "build")
    assert result.returncode == 2
    assert result.stderr.strip() == f"edition: error: {tmp_path / 'tei'}: no such folder of TEI files"
    assert not (tmp_path / "build").exists()


def test_failed_write_leaves_previous_file_intact(monkeypatch: pytest.MonkeyPatch, seeds_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "tei"
    convert_all([seeds_copy / "003_73142493423ae5fc.txt"], out, id_prefix="wilson")
    target = out / "wilson-119711.xml"
    before = target.read_bytes()
    (seeds_copy / "003_73142493423ae5fc.txt").write_text(
        (seeds_copy / "003_73142493423ae5fc.txt").read_text(encoding="utf-8").replace("Gary Goldberg", "Gary Goldberg Jr."),
        encoding="utf-8",
    )

    def interrupted(src: str, dst: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        convert_all([seeds_copy / "003_73142493423ae5fc.txt"], out, id_prefix="wilson")
    assert target.read_bytes() == before
    assert [p.name for p in out.iterdir()] == ["wilson-119711.xml"], "temporary file left behind"


def test_contained_path_refuses_escapes(tmp_path: Path) -> None:
    for name in ["../x", "/etc/passwd", "..", "a/b", "a\\b", "x\x00y"]:
        with pytest.raises(Exception):
            fsutil.contained_path(tmp_path, name, ".xml")


def test_written_files_follow_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "out" / "x.xml"
    fsutil.atomic_write(target, b"<x/>")
    expected = 0o666 & ~fsutil._current_umask()
    assert target.stat().st_mode & 0o777 == expected


def test_committed_tei_is_what_the_converter_makes(seeds_dir: Path, tmp_path: Path) -> None:
    """tei/ is published: it must be exactly what the current converter makes of seeds/."""
    out = tmp_path / "tei"
    assert run("convert", seeds_dir, "--out", out).returncode == 0
    committed = ROOT / "tei"
    assert sorted(p.name for p in out.glob("*.xml")) == sorted(p.name for p in committed.glob("*.xml"))
    for made in out.glob("*.xml"):
        assert made.read_bytes() == (committed / made.name).read_bytes(), f"tei/{made.name} is stale: run make"


def test_jobs_sets_the_worker_processes_of_the_conversion(
    seeds_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from edition import convert as convert_module
    from edition.cli import cli

    asked: list[int | None] = []
    real = convert_module.make_executor

    def recording(jobs: int, workers: int | None = None, *args: object, **kwargs: object):  # noqa: ANN202
        asked.append(workers)
        return real(jobs, workers, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(convert_module, "make_executor", recording)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["convert", str(seeds_copy), "--out", str(tmp_path / "tei"), "-j", "1"])
    assert result.exit_code == 0, result.output
    assert asked == [1]
    assert len(list((tmp_path / "tei").glob("*.xml"))) == len(list(seeds_copy.iterdir()))
    # 0, the default, is one per core.
    asked.clear()
    result = CliRunner().invoke(cli, ["convert", str(seeds_copy), "--out", str(tmp_path / "tei2")])
    assert result.exit_code == 0, result.output
    assert asked == [None]


def test_convert_check_and_validate_take_the_tei_folder_from_the_configuration(seeds_copy: Path, tmp_path: Path) -> None:
    # As make and build do: an edition whose edition.toml puts its TEI elsewhere needs no
    # --out, --against or path on each command, and none of them writes or reads ./tei.
    (tmp_path / "edition.toml").write_text('[paths]\ntei = "edition/tei"\nbuild = "edition/build"\n', encoding="utf-8")
    converted = run("convert", "seeds", cwd=tmp_path)
    assert converted.returncode == 0, converted.stderr
    tei = tmp_path / "edition" / "tei"
    assert len(list(tei.glob("*.xml"))) == 5 and not (tmp_path / "tei").exists()
    checked = run("check", "seeds", "-q", cwd=tmp_path)
    assert checked.returncode == 0 and "5 complete" in checked.stdout, checked.stdout + checked.stderr
    validated = run("validate", "--layers", "edition,schematron", cwd=tmp_path)
    assert validated.returncode == 0 and "validate: 5 file(s), 0 error(s)" in validated.stderr, validated.stdout + validated.stderr
    # Messages name the folder as the editor would type it, relative to where they are.
    (tei / "broken.xml").write_text("<TEI", encoding="utf-8")
    broken = run("validate", "--layers", "edition", cwd=tmp_path)
    assert broken.returncode == 1 and broken.stdout.startswith("edition/tei/broken.xml:"), broken.stdout


@pytest.mark.parametrize("prefix", ["../evil", "", "Ω"])
def test_an_id_prefix_an_id_cannot_open_with_is_a_usage_error(seeds_copy: Path, tmp_path: Path, prefix: str) -> None:
    # "../evil" became "evil-119711", "" and "Ω" the "doc-119711" of an id the edition
    # makes itself; "" also fell back to the configuration's prefix without a word.
    for command in ("convert", "check"):
        extra = ("--out", tmp_path / "tei") if command == "convert" else ()
        result = run(command, seeds_copy, *extra, "--id-prefix", prefix)
        assert result.returncode == 2, (command, result.stderr)
        assert "--id-prefix" in result.stderr and "lower-case letters, digits and hyphens" in result.stderr
    assert not (tmp_path / "tei").exists()


def _licences(tei: Path) -> list[tuple[str | None, str]]:
    from lxml import etree

    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    found = []
    for path in sorted(tei.glob("*.xml")):
        availability = etree.parse(str(path)).find(".//t:publicationStmt/t:availability", ns)
        licence = None if availability is None else availability.find("t:licence", ns)
        found.append((None, "") if licence is None else (licence.get("target"), " ".join((licence.text or "").split())))
    return found


def test_every_header_gives_the_licence_of_the_edition_the_configuration_names(seeds_copy: Path, tmp_path: Path) -> None:
    """publicationStmt names this edition's licence (of its encoding) before the source's
    rights statement; the configuration chooses it, or none."""
    from lxml import etree

    result = run("convert", seeds_copy, "--out", tmp_path / "default", "--config", ROOT / "edition.toml")
    assert result.returncode == 0, result.stderr
    default = _licences(tmp_path / "default")
    assert len(default) == 5
    assert {target for target, _ in default} == {"https://creativecommons.org/licenses/by/4.0/"}
    assert all(text.startswith("The encoding of this edition") and "CC BY 4.0" in text for _, text in default)
    # The source's rights statement still follows it, paragraph by paragraph, and is checked.
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    with_rights = [p for p in sorted((tmp_path / "default").glob("*.xml"))
                   if etree.parse(str(p)).find(".//t:availability/t:p", ns) is not None]
    assert with_rights
    for path in with_rights:
        assert [etree.QName(e).localname for e in etree.parse(str(path)).find(".//t:availability", ns)][0] == "licence"
    checked = run("check", seeds_copy, "--against", tmp_path / "default", "--config", ROOT / "edition.toml")
    assert checked.returncode == 0, checked.stdout + checked.stderr

    own = tmp_path / "own.toml"
    own.write_text('[convert]\nrecord_id_prefix = "wilson"\nlicence = "https://creativecommons.org/publicdomain/zero/1.0/"\n'
                   'licence_statement = "Dedicated to the public domain (CC0 1.0)."\n', encoding="utf-8")
    assert run("convert", seeds_copy, "--out", tmp_path / "own", "--config", own).returncode == 0
    assert set(_licences(tmp_path / "own")) == {("https://creativecommons.org/publicdomain/zero/1.0/",
                                                 "Dedicated to the public domain (CC0 1.0).")}

    none = tmp_path / "none.toml"
    none.write_text('[convert]\nrecord_id_prefix = "wilson"\nlicence = ""\n', encoding="utf-8")
    assert run("convert", seeds_copy, "--out", tmp_path / "none", "--config", none).returncode == 0
    assert set(_licences(tmp_path / "none")) == {(None, "")}

    bad = tmp_path / "bad.toml"
    bad.write_text('[convert]\nlicence = "CC BY 4.0"\n', encoding="utf-8")
    refused = run("convert", seeds_copy, "--out", tmp_path / "bad", "--config", bad)
    assert refused.returncode != 0
    assert "convert.licence must be the licence's http(s) URL" in refused.stderr and str(bad) in refused.stderr
    assert not (tmp_path / "bad").exists()


def test_a_hand_edit_kept_without_the_configured_licence_is_told_what_to_change(seeds_copy: Path, tmp_path: Path) -> None:
    """A file kept as edited by hand is the editor's: the converter writes the licence
    convert.licence names into every other file, so a kept file converted before licences
    were written, or before the configuration changed, would be published (page, oai_dc)
    under other terms than the rest with nothing saying so. Convert says so on every run,
    and doing what it says ends the warning without any finding of validate."""
    cc0 = "https://creativecommons.org/publicdomain/zero/1.0/"
    config = tmp_path / "edition.toml"
    config.write_text('[convert]\nrecord_id_prefix = "wilson"\n', encoding="utf-8")
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out, "--config", config).returncode == 0
    target = out / "wilson-119711.xml"
    licence = re.compile(r"\n *<licence target=\"[^\"]*\">[^<]*</licence>")
    # The edit of an editor of the previous release, whose headers had no licence.
    target.write_text(licence.sub("", target.read_text(encoding="utf-8").replace("Gary Goldberg", "G. Goldberg", 1), count=1),
                      encoding="utf-8")
    for _ in range(2):  # the second run from the manifest
        result = run("convert", seeds_copy, "--out", out, "--config", config)
        assert result.returncode == 0, result.stderr
        assert (f"{target}: kept as edited by hand, but its header gives no licence of the edition's encoding"
                in result.stderr), result.stderr
        assert ('add <licence target="https://creativecommons.org/licenses/by/4.0/">…</licence>'
                " (its words: convert.licence_statement) as the first child of publicationStmt/availability"
                f" (an availability after publicationStmt's idnos, if it has none), {WAY_OUT}\n" in result.stderr)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("<availability>", '<availability>\n          <licence target='
                                   '"https://creativecommons.org/licenses/by/4.0/">CC BY 4.0.</licence>', 1), encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, "--config", config)
    assert result.returncode == 0 and "licence" not in result.stderr, result.stderr
    assert "kept as edited by hand" in result.stderr
    # The configuration names another licence: every other file takes it, the kept one is told.
    config.write_text(f'[convert]\nrecord_id_prefix = "wilson"\nlicence = "{cc0}"\n'
                      'licence_statement = "Dedicated to the public domain (CC0 1.0)."\n', encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, "--config", config)
    assert result.returncode == 0, result.stderr
    assert (f"{target}: kept as edited by hand, but its header gives the licence "
            f"https://creativecommons.org/licenses/by/4.0/, not convert.licence's {cc0}" in result.stderr), result.stderr
    target.write_text(licence.sub(f'\n          <licence target="{cc0}">Public domain (CC0 1.0).</licence>',
                                  target.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, "--config", config)
    assert result.returncode == 0 and "licence" not in result.stderr, result.stderr
    validated = run("validate", out, "--layers", "edition,schematron", "--config", config)
    assert validated.returncode == 0 and "error" not in validated.stdout, validated.stdout + validated.stderr


def _addresses(tei: Path) -> dict[str, list[str]]:
    from lxml import etree

    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    return {path.stem: [e.text or "" for e in etree.parse(str(path)).iterfind(".//t:publicationStmt/t:idno[@type='edition-url']", ns)]
            for path in sorted(tei.glob("*.xml"))}


def test_every_header_gives_its_address_in_the_published_edition(seeds_copy: Path, tmp_path: Path) -> None:
    """A TEI file downloaded from the site or harvested says where the edition publishes it
    (publicationStmt/idno type="edition-url", the design card's "edition URL"): the
    address of the reading page the build writes for it. The preview server's loopback
    address, the default, is no one's address, so no file names it."""
    site = tmp_path / "edition.toml"
    site.write_text('[site]\nbase_url = "https://edition.example.org/coldwar"\n[convert]\nrecord_id_prefix = "wilson"\n'
                    f'[paths]\nsources = "{seeds_copy}"\n', encoding="utf-8")
    made = run("make", "--config", site, cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    addresses = _addresses(tmp_path / "tei")
    assert len(addresses) == 5
    for doc_id, found in addresses.items():
        assert found == [f"https://edition.example.org/coldwar/documents/{doc_id}.html"]
        assert (tmp_path / "build" / "site" / "documents" / f"{doc_id}.html").is_file()
    validated = run("validate", tmp_path / "tei", "--full", "--config", site, cwd=tmp_path)
    assert validated.returncode == 0 and " 0 error(s), 0 warning(s)" in validated.stderr, validated.stdout + validated.stderr

    for loopback in ("http://127.0.0.1:8000/", "http://localhost:8000/", "http://[::1]/", "http://0.0.0.0:8000/",
                     "http://edition.localhost/"):
        config = tmp_path / "preview.toml"
        config.write_text(f'[site]\nbase_url = "{loopback}"\n[convert]\nrecord_id_prefix = "wilson"\n', encoding="utf-8")
        out = tmp_path / "preview"
        assert run("convert", seeds_copy, "--out", out, "--config", config, "--force").returncode == 0
        assert set(map(tuple, _addresses(out).values())) == {()}, loopback


def test_a_hand_edit_kept_at_another_address_is_told_what_to_change(seeds_copy: Path, tmp_path: Path) -> None:
    """The edition moves (site.base_url changes): every converted file takes the new
    address, and a file kept as edited by hand, which would send its readers and
    harvesters to the old site, is named with the element to put there."""
    config = tmp_path / "edition.toml"
    config.write_text('[site]\nbase_url = "https://old.example.org/"\n[convert]\nrecord_id_prefix = "wilson"\n', encoding="utf-8")
    out = tmp_path / "tei"
    assert run("convert", seeds_copy, "--out", out, "--config", config).returncode == 0
    target = out / "wilson-119711.xml"
    target.write_text(target.read_text(encoding="utf-8").replace("Gary Goldberg", "G. Goldberg", 1), encoding="utf-8")
    config.write_text('[site]\nbase_url = "https://new.example.org/"\n[convert]\nrecord_id_prefix = "wilson"\n', encoding="utf-8")
    wanted = "https://new.example.org/documents/wilson-119711.html"
    for _ in range(2):  # the second run from the manifest
        result = run("convert", seeds_copy, "--out", out, "--config", config)
        assert result.returncode == 0, result.stderr
        assert (f"{target}: kept as edited by hand, but its header gives the address "
                f"https://old.example.org/documents/wilson-119711.html, not {wanted} (from site.base_url): make it "
                f'publicationStmt\'s one <idno type="edition-url">{wanted}</idno>, {WAY_OUT}\n' in result.stderr), result.stderr
    addresses = _addresses(out)
    assert addresses.pop("wilson-119711") == ["https://old.example.org/documents/wilson-119711.html"]
    assert all(found == [f"https://new.example.org/documents/{doc_id}.html"] for doc_id, found in addresses.items())
    target.write_text(target.read_text(encoding="utf-8").replace("https://old.example.org/", "https://new.example.org/"),
                      encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, "--config", config)
    assert result.returncode == 0 and "address" not in result.stderr and "kept as edited by hand" in result.stderr, result.stderr
    # Back to the preview address: the kept file is told to drop its address.
    config.write_text('[convert]\nrecord_id_prefix = "wilson"\n', encoding="utf-8")
    result = run("convert", seeds_copy, "--out", out, "--config", config)
    assert ("site.base_url names no public address of the edition: delete publicationStmt/idno[@type='edition-url'], "
            f"{WAY_OUT}\n" in result.stderr), result.stderr
    assert _addresses(out)["wilson-119711"] == [wanted]
    assert sum(1 for found in _addresses(out).values() if found) == 1
