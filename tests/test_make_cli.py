"""`edition make`: the whole pipeline in one process, the same as its four commands."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "edition", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=600)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture()
def project(tmp_path: Path, seeds_dir: Path) -> Path:
    """A copy of the project's configuration and seeds (paths relative to it)."""
    d = tmp_path / "project"
    d.mkdir()
    shutil.copy(ROOT / "edition.toml", d / "edition.toml")
    shutil.copytree(seeds_dir, d / "seeds")
    return d


def test_make_equals_the_four_commands_and_then_has_nothing_to_do(project: Path, tmp_path: Path) -> None:
    separate = tmp_path / "separate"
    shutil.copytree(project, separate)
    for args in (["convert", "seeds", "--out", "tei"], ["check", "seeds", "--against", "tei"], ["validate", "tei"], ["build"]):
        done = run(*args, cwd=separate)
        assert done.returncode == 0, done.stderr

    made = run("make", cwd=project)
    assert made.returncode == 0, made.stderr
    assert "converted 5 of 5 sources (5 written" in made.stdout
    assert "checked 5 sources: 5 complete" in made.stdout
    assert ": ok " not in made.stdout  # quiet: only losses are listed
    assert "validate: 5 file(s), 0 error(s)" in made.stderr
    assert "built 5 documents" in made.stdout
    timing, cpu, peak = made.stdout.strip().splitlines()[-3:]
    for line, label in ((timing, "time"), (cpu, "cpu"), (peak, "peak-mb")):
        assert [item.partition("=")[0] for item in line.removeprefix(f"{label}: ").split()] == ["convert", "check", "validate", "build"], line
    figures = {label: {k: float(v) for k, _, v in (item.partition("=") for item in line.split()[1:])}
               for line, label in ((timing, "time"), (cpu, "cpu"), (peak, "peak-mb"))}
    # Validation and the build run pool workers or Saxon: their figures are theirs, not make's.
    assert figures["cpu"]["build"] > 0 and figures["peak-mb"]["build"] > figures["peak-mb"]["check"]
    assert files(project / "tei") == files(separate / "tei")
    assert files(project / "build" / "site") == files(separate / "build" / "site")

    again = run("make", cwd=project)
    assert again.returncode == 0, again.stderr
    assert "(0 written, 5 unchanged, 0 failed)" in again.stdout
    assert ": 0 files written" in again.stdout


def test_make_keeps_a_hand_edit_refuses_it_once_its_source_changes_and_takes_the_force_its_message_asks_for(
        project: Path) -> None:
    assert run("make", cwd=project).returncode == 0
    target = project / "tei" / "wilson-119711.xml"
    edited = target.read_bytes().replace(b"Gary Goldberg", b"G. Goldberg", 1)
    target.write_bytes(edited)
    kept = run("make", cwd=project)
    assert kept.returncode == 0, kept.stderr
    assert "kept as edited by hand" in kept.stderr
    assert target.read_bytes() == edited
    assert b"G. Goldberg" in (project / "build" / "site" / "documents" / "wilson-119711.html").read_bytes()
    source = project / "seeds" / "003_73142493423ae5fc.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Gary Goldberg", "Gary Goldberg Jr.", 1), encoding="utf-8")
    refused = run("make", cwd=project)
    assert refused.returncode == 1
    assert "edited by hand" in refused.stderr and "rerun with --force" in refused.stderr
    assert target.read_bytes() == edited
    forced = run("make", "--force", cwd=project)
    assert forced.returncode == 0, forced.stderr
    assert b"G. Goldberg" not in target.read_bytes() and b"Gary Goldberg Jr." in target.read_bytes()


def test_make_keeps_a_hand_edit_once_the_editor_carries_the_source_change_over_as_the_message_says(
        project: Path) -> None:
    # The README's promise: once the source changes, make fails "until the editor carries
    # the change into it by hand". Carrying the words over is not enough on its own (the
    # header still names the old export), so the refusal must say what else to do.
    assert run("make", cwd=project).returncode == 0
    target = project / "tei" / "wilson-119711.xml"
    target.write_bytes(target.read_bytes().replace(b"Gary Goldberg", b"G. Goldberg", 1))
    source = project / "seeds" / "003_73142493423ae5fc.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Волошин Ф.Ф.", "Волошин Ф. Ф.", 1), encoding="utf-8")
    refused = run("make", cwd=project)
    assert refused.returncode == 1
    found = re.search(r"set its bibl\[@type='export'\]/idno\[@type='sha256'\] to ([0-9a-f]{64})", refused.stderr)
    assert found, refused.stderr
    assert found[1] == hashlib.sha256(source.read_bytes()).hexdigest()
    # The editor does what the message says: the change by hand, the SHA-256 in the header.
    edited = target.read_text(encoding="utf-8").replace("Волошин Ф.Ф.", "Волошин Ф. Ф.", 1)
    edited = re.sub(r'(<idno type="sha256">)[0-9a-f]{64}', lambda m: m[1] + found[1], edited, count=1)
    target.write_text(edited, encoding="utf-8")
    done = run("make", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "kept as edited by hand" in done.stderr
    assert target.read_text(encoding="utf-8") == edited
    assert "G. Goldberg" in (project / "build" / "site" / "documents" / "wilson-119711.html").read_text(encoding="utf-8")


def test_make_stops_at_the_first_failing_step(project: Path) -> None:
    (project / "seeds" / "broken.txt").write_bytes(b"\xff\xfe not an export at all")
    done = run("make", cwd=project)
    assert done.returncode == 1
    assert "broken.txt" in done.stderr
    assert "make stopped: convert failed" in done.stderr
    assert not (project / "build" / "site").exists()  # nothing built from a partial conversion


def test_make_takes_sources_from_the_configuration(project: Path) -> None:
    (project / "seeds").rename(project / "exports")
    config = project / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('sources = "seeds"', 'sources = "exports"'), encoding="utf-8")
    done = run("make", cwd=project)
    assert done.returncode == 0, done.stderr
    assert len(list((project / "tei").glob("*.xml"))) == 5


def test_make_names_the_key_of_a_sources_folder_that_does_not_exist(project: Path) -> None:
    # The editor typed no folder: "seedz: no such file or folder" from convert did not
    # say that it came from paths.sources, the line of edition.toml to correct.
    config = project / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('sources = "seeds"', 'sources = "seedz"'), encoding="utf-8")
    done = run("make", cwd=project)
    assert done.returncode == 2
    assert done.stderr.startswith(f"edition: error: {config}: paths.sources names seedz, which does not exist: "), done.stderr
    assert not (project / "tei").exists()


def test_make_names_the_step_an_error_stopped(project: Path) -> None:
    config = project / "edition.toml"
    # A folder where a TEI file goes: convert cannot write there. (A TEI folder that is
    # a file stops make before any step: test_make_names_the_key_of_a_folder_that_is_a_file.)
    (project / "tei" / "wilson-119711.xml").mkdir(parents=True)
    done = run("make", cwd=project)
    assert done.returncode != 0
    assert "make stopped: convert failed" in done.stderr, done.stderr
    assert "wilson-119711.xml" in done.stderr
    assert config.is_file()


@pytest.mark.parametrize("key", ["tei", "build", "site"])
def test_make_names_the_key_of_a_folder_that_is_a_file(project: Path, key: str) -> None:
    # Each command failed its own way (make: a usage error about an --out the editor
    # never gave, of an "edition make convert" that does not exist; convert: "File
    # exists"), and none named the configuration key to correct.
    config = project / "edition.toml"
    text = config.read_text(encoding="utf-8")
    line = re.search(rf'^{key} = ".*"$', text, re.M)
    assert line, key
    config.write_text(text.replace(line[0], f'{key} = "afile"', 1), encoding="utf-8")
    (project / "afile").write_text("not a folder", encoding="utf-8")
    for command in (["make"], ["convert", "seeds"], ["check", "seeds"], ["validate"], ["build"]):
        done = run(*command, cwd=project)
        assert done.returncode == 1, (command, done.stderr)
        assert done.stderr == (f"edition: error: {config}: paths.{key} names afile, which is a file, not a folder: "
                               f"move the file away or set paths.{key} to a folder\n"), (command, done.stderr)
    assert (project / "afile").read_text(encoding="utf-8") == "not a folder"


def test_validate_runs_beside_check_and_a_failure_stops_the_build(project: Path) -> None:
    """Check and validate run side by side; validate's report still reaches its own
    stream, and the build does not publish from TEI that failed validation."""
    assert run("make", cwd=project).returncode == 0
    site = files(project / "build" / "site")
    # A TEI file with no source: convert and check leave it alone, validation rejects it.
    (project / "tei" / "stray.xml").write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text/></TEI>\n', encoding="utf-8")
    done = run("make", cwd=project)
    assert done.returncode == 1
    assert "checked 5 sources: 5 complete" in done.stdout
    assert "stray.xml:1:" in done.stdout and "validate: 6 file(s)" in done.stderr
    assert done.stderr.rstrip().endswith("make stopped: validate failed (exit status 1)")
    assert "built " not in done.stdout and "time:" not in done.stdout
    assert files(project / "build" / "site") == site


def test_make_names_the_files_as_the_commands_run_alone_name_them(project: Path) -> None:
    """An editor who hand-edits tei/X.xml and runs `make` reads `tei/X.xml:LINE:COL: ...`,
    as `edition validate` and convert's note name it, not the file's absolute path."""
    assert run("make", cwd=project).returncode == 0
    target = project / "tei" / "wilson-119711.xml"
    target.write_text(target.read_text(encoding="utf-8").replace("<persName>Radmanesh</persName>", "<persname>Radmanesh</persname>", 1),
                      encoding="utf-8")
    done = run("make", cwd=project)
    assert done.returncode == 1
    assert "edition: note: tei/wilson-119711.xml: kept as edited by hand (its source seeds/" in done.stderr, done.stderr
    findings = [line for line in done.stdout.splitlines() if "edition-rng" in line]
    assert findings and all(line.startswith("tei/wilson-119711.xml:") for line in findings), done.stdout
    alone = run("validate", "--layers=edition", cwd=project)
    assert [line for line in alone.stdout.splitlines() if "edition-rng" in line] == findings
    assert str(project) not in done.stdout + done.stderr



HOLD_LOCK = """
import sys, time
from pathlib import Path
from edition.runlock import build_lock
with build_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def test_a_second_run_on_a_build_folder_waits_for_the_first(project: Path) -> None:
    # Two runs on one build folder (make started twice) read each other's half-written
    # records. Another process holds the folder's lock: the build says so, waits, then runs.
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(project / "build"), "3"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        done = run("make", cwd=project)
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[0] == (
        f"edition: {project / 'build'} is in use by another edition run (pid {holder.pid}); waiting for it to finish")
    assert waited >= 2  # not a timing target: proof that it did wait for the holder
    # The lock is the system's: released however its holder ended, it leaves nothing stale.
    assert "waiting" not in run("make", cwd=project).stderr


def test_two_makes_at_once_both_succeed_and_leave_a_clean_builds_site(project: Path, tmp_path: Path) -> None:
    clean = tmp_path / "clean"
    shutil.copytree(project, clean)
    assert run("make", cwd=clean).returncode == 0
    both = [subprocess.Popen([sys.executable, "-m", "edition", "make"], cwd=project, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for proc in both:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
    assert files(project / "tei") == files(clean / "tei")
    assert files(project / "build" / "site") == files(clean / "build" / "site")


def _oai_dc(catalog: Path) -> dict[str, bytes]:
    import sqlite3

    with sqlite3.connect(catalog) as db:
        return dict(db.execute("SELECT id, oai_dc FROM records ORDER BY id"))


def test_a_hand_edited_file_with_the_record_id_in_publication_stmt_builds_the_same_site(project: Path) -> None:
    """Files converted before 2026-12-08 give the archive's record id and URL as publicationStmt
    idnos; the export bibl has them now (TEI 2.2.4: publicationStmt describes this edition's
    file). Convert keeps such a file once an editor has touched it, so make must still check,
    validate (with the warning that says how to move them) and build it to the same pages,
    plain text, citations and oai_dc as the file convert writes now."""
    assert run("make", cwd=project).returncode == 0
    target = project / "tei" / "wilson-119711.xml"
    new = target.read_text(encoding="utf-8")
    url = "https://wilson-center-digital-archive.dvincitest.com/document/119711"
    moved = f'          <idno type="record">119711</idno>\n          <ref target="{url}">{url}</ref>\n'
    assert new.count(moved) == 1 and '<idno type="edition">wilson-119711</idno>\n' in new
    old = new.replace(moved, "").replace(
        '<idno type="edition">wilson-119711</idno>\n',
        '<idno type="edition">wilson-119711</idno>\n'
        f'        <idno type="record">119711</idno>\n        <idno type="source-url">{url}</idno>\n')
    site = project / "build" / "site"
    before = {k: v for k, v in files(site).items() if k != "tei/wilson-119711.xml"}
    dc_before = _oai_dc(project / "build" / "catalog.sqlite")
    target.write_text(old, encoding="utf-8")

    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "kept as edited by hand" in made.stderr and target.read_text(encoding="utf-8") == old
    assert "checked 5 sources: 5 complete" in made.stdout  # the record id and URL are found where they are
    warnings = [line for line in (made.stdout + made.stderr).splitlines() if "ed-record-idno" in line]
    assert len(warnings) == 2 and all(": warning: " in w and "wilson-119711.xml" in w for w in warnings), warnings
    assert any(f'<ref target="{url}">' in w for w in warnings) and any('<idno type="record">119711</idno>' in w for w in warnings)
    after = {k: v for k, v in files(site).items() if k != "tei/wilson-119711.xml"}
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []
    assert _oai_dc(project / "build" / "catalog.sqlite") == dc_before
    assert b"record 119711" in after["documents/wilson-119711.html"]


def test_a_hand_edited_file_with_the_leaves_as_an_msidentifier_idno_builds_the_same_site(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """Files converted before 2026-12-08 give the document's leaves in its file ("ll. 4-6")
    as msIdentifier/idno[@type='folio']; they are msItem's locus now (TEI 10.3.5: a location
    within the object msIdentifier identifies). Convert keeps such a file once an editor has
    touched it, so make must still check, validate (with the warning that says how to move
    it) and build it to the same pages, plain text, citations and oai_dc, the leaves kept."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    shutil.copy(ROOT / "edition.toml", project / "edition.toml")
    shutil.copy(fixtures_dir / "convert" / "web_all_fields.txt", project / "seeds")
    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    (target,) = (project / "tei").glob("*.xml")
    new = target.read_text(encoding="utf-8")
    title = "Telegram from the Soviet Embassy in Prague to the Ministry of Foreign Affairs"
    item = ('            <msItem>\n              <locus from="4" to="6">4-6</locus>\n'
            f'              <title>{title}</title>\n            </msItem>\n')
    assert new.count(item) == 1 and 'type="folio"' not in new
    old = new.replace(item, "").replace('<idno type="delo">12</idno>\n',
                                        '<idno type="delo">12</idno>\n            <idno type="folio">4-6</idno>\n')
    site = project / "build" / "site"
    copy = f"tei/{target.name}"
    before = {k: v for k, v in files(site).items() if k != copy}
    dc_before = _oai_dc(project / "build" / "catalog.sqlite")
    assert "f. 0138, op. 43, d. 12, ll. 4-6" in before[f"cite/{target.stem}.json"].decode()
    target.write_text(old, encoding="utf-8")

    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "kept as edited by hand" in made.stderr and target.read_text(encoding="utf-8") == old
    warnings = [line for line in (made.stdout + made.stderr).splitlines() if "ed-folio-idno" in line]
    assert len(warnings) == 1 and ": warning: " in warnings[0] and "<locus>4-6</locus>" in warnings[0], warnings
    after = {k: v for k, v in files(site).items() if k != copy}
    assert after.keys() == before.keys()
    assert [k for k in before if before[k] != after[k]] == []
    assert _oai_dc(project / "build" / "catalog.sqlite") == dc_before


def test_the_move_the_folio_warning_asks_for_keeps_a_citation_in_pages_in_pages(
        tmp_path: Path, fixtures_dir: Path) -> None:
    """A file converted before 2026-12-08 from a citation in pages ("pp. 4-6") has them as
    idno type="folio", with no label: cited as leaves. The converter's locus now says
    type="pages"; ed-folio-idno must say so too, or the locus an editor makes by its words
    cites the pages as leaves, where the source's conversion cites them as pages."""
    project = tmp_path / "project"
    (project / "seeds").mkdir(parents=True)
    shutil.copy(ROOT / "edition.toml", project / "edition.toml")
    source = project / "seeds" / "web_all_fields.txt"
    text = (fixtures_dir / "convert" / "web_all_fields.txt").read_text(encoding="utf-8-sig")
    assert text.count("d. 12, ll. 4-6.") == 1  # the citation; the archival line is read from it
    source.write_text(text.replace("d. 12, ll. 4-6.", "d. 12, pp. 4-6."), encoding="utf-8")
    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    (target,) = (project / "tei").glob("*.xml")
    new = target.read_text(encoding="utf-8")
    title = "Telegram from the Soviet Embassy in Prague to the Ministry of Foreign Affairs"
    item = ('            <msItem>\n              <locus type="pages" from="4" to="6">4-6</locus>\n'
            f'              <title>{title}</title>\n            </msItem>\n')
    assert new.count(item) == 1
    site = project / "build" / "site"
    copy = f"tei/{target.name}"
    converted = {k: v for k, v in files(site).items() if k != copy}
    assert "f. 0138, op. 43, d. 12, pp. 4-6" in converted[f"cite/{target.stem}.json"].decode()
    # As the previous release wrote it, then touched by an editor.
    old = new.replace(item, "").replace('<idno type="delo">12</idno>\n',
                                        '<idno type="delo">12</idno>\n            <idno type="folio">4-6</idno>\n')
    target.write_text(old, encoding="utf-8")
    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    (warning,) = [line for line in (made.stdout + made.stderr).splitlines() if "ed-folio-idno" in line]
    assert '<msItem><locus type="pages">4-6</locus><title>…</title></msItem>' in warning, warning
    # Exactly what it says: the warning goes, no other finding comes, and the citations are
    # the conversion's.
    moved = old.replace('            <idno type="folio">4-6</idno>\n', "").replace(
        "</textLang>\n", f'</textLang>\n            <msItem><locus type="pages">4-6</locus><title>{title}</title></msItem>\n', 1)
    assert moved.count("<msItem>") == 1
    target.write_text(moved, encoding="utf-8")
    made = run("make", cwd=project)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "ed-folio-idno" not in made.stdout + made.stderr and ": error: " not in made.stdout + made.stderr
    after = {k: v for k, v in files(site).items() if k != copy}
    assert [k for k in converted if k.startswith("cite/") and converted[k] != after[k]] == []


def test_convert_names_the_tei_files_under_the_folder_as_the_editor_names_it(project: Path) -> None:
    """Adding a source: `edition convert --verbose seeds/NEW.txt` says which tei/<id>.xml it
    became, and a changed id or a refused overwrite names tei/... too, not the absolute path."""
    assert run("convert", "seeds", cwd=project).returncode == 0
    source = project / "seeds" / "000_30e4ef367cf143dd.txt"
    old = "tei/doc-1957-07-07-resolution-of-the-central-committee-of-the.xml"
    shown = run("convert", "--verbose", "seeds/000_30e4ef367cf143dd.txt", cwd=project)
    assert shown.returncode == 0, shown.stderr
    assert f"seeds/000_30e4ef367cf143dd.txt: web-page export -> {old} (unchanged)" in shown.stdout, shown.stdout
    # A corrected title gives a document without a record id another id.
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Resolution of the Central Committee of the People's Party", "Resolution of the CC of the People's Party", 1),
                      encoding="utf-8")
    moved = run("convert", "seeds", cwd=project)
    assert moved.returncode == 0, moved.stderr
    new = "tei/doc-1957-07-07-resolution-of-the-cc-of-the-people-s-party-of.xml"
    assert f"its id changed: now {new}, before {old}, which is still there" in moved.stderr, moved.stderr
    # Edited by hand, then its source changed: the refusal names the file as tei/....
    target = project / new
    target.write_text(target.read_text(encoding="utf-8").replace("complete solidarity", "full solidarity", 1), encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace("complete solidarity", "entire solidarity", 1), encoding="utf-8")
    refused = run("convert", "seeds", cwd=project)
    assert refused.returncode == 1
    assert f"{new} was edited by hand, and its source is no longer the export" in refused.stderr, refused.stderr
    assert str(project) not in shown.stdout + moved.stderr + refused.stderr


def test_make_convert_and_check_take_the_configured_folders(project: Path) -> None:
    """`make convert` and `make check` run one step of `make` each: on the folders of
    edition.toml, as `edition make` does. They named seeds/ and tei/ whatever it said, and
    convert and check took no folders of their own from it."""
    config = project / "edition.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('sources = "seeds"', 'sources = "exports"')
                      .replace('tei = "tei"', 'tei = "data/tei"'), encoding="utf-8")
    (project / "seeds").rename(project / "exports")
    shutil.copy2(ROOT / "Makefile", project / "Makefile")
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, project / name)
    # The environment `make` sets up: this interpreter, which has the edition installed.
    venv_bin = project / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    (venv_bin / "edition").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m edition "$@"\n', encoding="utf-8")
    (venv_bin / "edition").chmod(0o755)
    (project / ".venv" / ".installed").touch()  # newer than pyproject.toml and the lock
    done = subprocess.run(["make", "convert", "check"], capture_output=True, text=True, cwd=project,
                          env=dict(os.environ, MAKEFLAGS=""), timeout=600)
    assert done.returncode == 0, done.stderr
    assert "converted 5 of 5 sources (5 written" in done.stdout + done.stderr
    assert "checked 5 sources: 5 complete" in done.stdout
    assert len(list((project / "data" / "tei").glob("*.xml"))) == 5 and not (project / "tei").exists()
    # Run alone, the commands take the same folders.
    alone = run("check", cwd=project)
    assert alone.returncode == 0 and "checked 5 sources: 5 complete" in alone.stdout, alone.stderr


def test_a_make_with_nothing_to_convert_imports_no_reader(project: Path) -> None:
    """Importing a module of edition.sources imports every reader, and their patterns
    are compiled at import: a seventh of a second of CPU at every start of `make` on the
    development machine, which a run that converts nothing (most runs) never uses."""
    assert run("make", cwd=project).returncode == 0
    # -X importtime reports every module each process imports, the steps' forks included.
    again = subprocess.run([sys.executable, "-X", "importtime", "-m", "edition", "make"], capture_output=True,
                           text=True, cwd=project, timeout=600)
    assert again.returncode == 0, again.stderr
    assert "(0 written, 5 unchanged, 0 failed)" in again.stdout
    imported = {line.rpartition("|")[2].strip() for line in again.stderr.splitlines() if line.startswith("import time:")}
    assert {"edition.fidelity", "edition.validate", "edition.build"} <= imported
    assert sorted(m for m in imported if m.startswith(("edition.sources", "edition.body", "edition.tei"))) == []
    # A correction imports them where a source is converted, and the check still runs.
    source = project / "seeds" / "003_73142493423ae5fc.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(" the ", " this ", 1), encoding="utf-8")
    changed = run("make", cwd=project)
    assert changed.returncode == 0, changed.stderr
    assert "(1 written, 4 unchanged, 0 failed)" in changed.stdout
    assert "checked 5 sources: 5 complete" in changed.stdout
