"""Every shape fixture converts to TEI that passes all validation layers and the fidelity check."""

from __future__ import annotations

from pathlib import Path

import pytest

from edition.convert import collect_sources, convert_all
from edition.fidelity import check_source
from edition.validate import get_validator

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("convert-valid")
    outcomes = convert_all(collect_sources([FIXTURES]), out, id_prefix="wilson")
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
    return out


def test_fixtures_pass_every_validation_layer(converted: Path) -> None:
    findings, count = get_validator().validate_paths([converted])
    assert count == len(list(FIXTURES.iterdir()))
    assert [f.format() for f in findings] == []


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()))
def test_fixtures_lose_no_word(converted: Path, name: str) -> None:
    report = check_source(FIXTURES / name, converted, id_prefix="wilson")
    assert report.ok, report
