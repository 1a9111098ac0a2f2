"""tei_all's RELAX NG implied by edition.rng: the same findings as running it on every file.

edition.rng is a subset of tei_all (tests/test_schema_tei_all.py checks random documents
of it against tei_all), so a file edition.rng accepts needs no tei_all RELAX NG run; a
file it rejects still gets tei_all's own findings, also from pool workers, which hand it
back to the parent instead of compiling tei_all themselves.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from edition import validate as validate_mod
from edition.validate import LAYERS, Validator

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("tei")
    for p in sorted((ROOT / "tei").glob("*.xml")):
        shutil.copy(p, d / p.name)
    source = sorted(d.glob("*.xml"))[0]
    text = source.read_text(encoding="utf-8")
    body = text.index("<body>")
    broken = d / "zz-broken.xml"
    xml_id = f'xml:id="{source.stem}"'
    broken.write_text(text[:body].replace(xml_id, 'xml:id="zz-broken"') + text[body:].replace("<p>", "<p><unknownElement/>", 1), encoding="utf-8")
    return d


@pytest.mark.parametrize("jobs", [1, 2])
def test_implied_tei_all_gives_the_same_findings(collection: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate_mod, "POOL_THRESHOLD", 2)  # a pool even for a few files
    exact, count = Validator(LAYERS, tei_all_rng="always").validate_paths([collection])
    implied_validator = Validator(LAYERS, tei_all_rng="implied")
    implied, _ = implied_validator.validate_paths([collection], jobs=jobs)
    assert implied == exact and count == len(list(collection.glob("*.xml")))
    broken = str(collection / "zz-broken.xml")
    rules = {f.rule for f in implied if f.file == broken}
    assert {"edition-rng", "tei_all-rng"} <= rules
    assert not any(f.rule == validate_mod.TEI_ALL_PENDING for f in implied)


def test_valid_files_never_compile_tei_all(tmp_path: Path) -> None:
    for p in sorted((ROOT / "tei").glob("*.xml")):
        shutil.copy(p, tmp_path / p.name)
    validator = Validator(LAYERS, tei_all_rng="implied")
    findings, _ = validator.validate_paths([tmp_path])
    assert [f for f in findings if f.severity == "error"] == []
    assert validator._tei_all_compiled is None  # never needed, never compiled


def test_incremental_validation_forks_its_workers_before_gathering_the_files(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers forked after the run has read a record per file inherit all of them
    (at 50,000 documents, 90 MB more in each); they are forked as soon as the run
    knows that enough files must be read, read them (hash and ids) themselves, and
    find what a serial run finds."""
    from edition import incremental

    monkeypatch.setattr(validate_mod, "POOL_THRESHOLD", 2)
    read_at_fork: list[int] = []
    real_workers = Validator.workers

    def workers(self: Validator, jobs: int):  # type: ignore[no-untyped-def]
        read_at_fork.append(len(read))
        return real_workers(self, jobs)

    read: list[int] = []
    real_read = incremental._Gathered.read
    monkeypatch.setattr(incremental._Gathered, "read",
                        lambda self, i, store, sha, ids, made=None: read.append(i) or real_read(self, i, store, sha, ids, made))
    monkeypatch.setattr(Validator, "workers", workers)
    pooled, count = incremental.validate_incremental([collection], LAYERS, jobs=2, build_dir=tmp_path / "a")
    assert read_at_fork == [0] and count == len(read) > 2  # before any file was read
    serial, _ = incremental.validate_incremental([collection], LAYERS, jobs=1, build_dir=tmp_path / "b")
    assert pooled == serial and any(f.file.endswith("zz-broken.xml") for f in pooled)
    # Nothing changed: nothing is compiled, no worker is forked.
    again, _ = incremental.validate_incremental([collection], LAYERS, jobs=2, build_dir=tmp_path / "a")
    assert again == pooled and read_at_fork == [0]
    # One correction is validated here: no pool for one file.
    copy = tmp_path / "copy"
    shutil.copytree(collection, copy)
    incremental.validate_incremental([copy], LAYERS, jobs=2, build_dir=tmp_path / "c")
    first = sorted(copy.glob("*.xml"))[0]
    first.write_bytes(first.read_bytes() + b"<!-- corrected -->\n")
    read_at_fork.clear()
    incremental.validate_incremental([copy], LAYERS, jobs=2, build_dir=tmp_path / "c")
    assert read_at_fork == []


def test_a_worker_validates_each_file_it_reads_and_only_shared_ids_are_validated_again(
    collection: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's workers validate each changed file as they read it, as a file that
    shares no id with another: one read and one parse. Only files that do share an id
    (and those whose tei_all RELAX NG the parent must run) are validated again, and the
    findings are those of a serial run, with or without the manifest."""
    from edition import incremental

    copy = tmp_path / "tei"
    shutil.copytree(collection, copy)
    first = sorted(copy.glob("*.xml"))[0]
    (copy / "zz-twin.xml").write_bytes(first.read_bytes())  # the same xml:id and record id
    monkeypatch.setattr(validate_mod, "POOL_THRESHOLD", 2)
    again: list[str] = []
    real = Validator.validate_tasks

    def validate_tasks(self: Validator, tasks, jobs=1, on_result=None):  # type: ignore[no-untyped-def]
        again.extend(Path(t[0]).name for t in tasks)
        return real(self, tasks, jobs, on_result)

    monkeypatch.setattr(Validator, "validate_tasks", validate_tasks)
    for full in (True, False):
        again.clear()
        pooled, count = incremental.validate_incremental([copy], LAYERS, jobs=2, build_dir=tmp_path / "a",
                                                         use_manifest=not full)
        assert sorted(again) == sorted([first.name, "zz-twin.xml", "zz-broken.xml"]) and count > 3
    serial, _ = incremental.validate_incremental([copy], LAYERS, jobs=1, build_dir=tmp_path / "b", use_manifest=False)
    assert pooled == serial
    twins = {f.file for f in pooled if f.rule == "ed-doc-unique"}
    assert twins == {str(first), str(copy / "zz-twin.xml")}


def test_facts_and_findings_reads_and_parses_a_file_once(collection: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from edition import xmlsafe

    path = sorted(collection.glob("*.xml"))[0]
    validator = Validator(LAYERS)
    monkeypatch.setattr(validate_mod, "_POOL_VALIDATOR", validator)
    parses: list[object] = []
    real = xmlsafe.parse_bytes
    monkeypatch.setattr(xmlsafe, "parse_bytes", lambda data, origin, **kw: parses.append(origin) or real(data, origin, **kw))
    sha, ids, findings = validate_mod.facts_and_findings((path, None))
    assert len(parses) == 1 and sha == hashlib.sha256(path.read_bytes()).hexdigest()
    assert ids == validate_mod.ids_of_file(path) and findings == validator.validate_file(path)
    # A file touched, not changed (its bytes still those recorded): read, not validated.
    assert validate_mod.facts_and_findings((path, sha)) == (sha, ids, None)
