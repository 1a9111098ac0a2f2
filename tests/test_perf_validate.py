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
                        lambda self, i, store, sha, ids: read.append(i) or real_read(self, i, store, sha, ids))
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
