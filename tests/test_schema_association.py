"""The TEI files name their schemas (the W3C's xml-model lines), and the names resolve.

An editor who opens a file of ``tei/`` in an XML editor, or a scholar who opens a
download from the site, is checked against the edition's own RELAX NG and Schematron
as they edit, without setting anything up.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from lxml import etree

from edition.build import build_site
from edition.convert import collect_sources, convert_all
from edition.render import BuildContext
from edition.validate import get_validator

ROOT = Path(__file__).resolve().parent.parent
RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCH_NS = "http://purl.oclc.org/dsdl/schematron"


def schema_models(path: Path) -> dict[str, Path]:
    """The schemas a file's xml-model lines name, by schema language, resolved against it."""
    root = etree.parse(str(path)).getroot()
    models = [pi for pi in root.itersiblings(preceding=True)
              if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"]
    assert all(pi.get("type") == "application/xml" for pi in models)
    return {str(pi.get("schematypens")): (path.parent / str(pi.get("href"))).resolve() for pi in reversed(models)}


def assert_valid_against_its_rng(path: Path) -> None:
    rng = etree.RelaxNG(etree.parse(str(schema_models(path)[RNG_NS])))
    assert rng.validate(etree.parse(str(path))), rng.error_log


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("models") / "tei"
    outcomes = convert_all(collect_sources([seeds_dir]), out)
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
    return out


def test_each_converted_file_names_the_edition_schemas_where_this_repository_keeps_them(converted: Path) -> None:
    # Laid out as the repository is: tei/ beside schema/.
    for path in sorted(converted.glob("*.xml")):
        models = schema_models(path)
        assert list(models) == [RNG_NS, SCH_NS]
        assert [p.relative_to(converted.parent).as_posix() for p in models.values()] == ["schema/edition.rng",
                                                                                          "schema/edition.sch"]


def test_the_committed_tei_files_resolve_to_the_repository_schemas_and_are_valid_against_them() -> None:
    files = sorted((ROOT / "tei").glob("*.xml"))
    assert files
    for path in files:
        assert schema_models(path) == {RNG_NS: ROOT / "schema" / "edition.rng", SCH_NS: ROOT / "schema" / "edition.sch"}
        assert_valid_against_its_rng(path)


def test_the_site_publishes_the_schemas_its_tei_downloads_name(converted: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=converted, out_dir=site))
    downloads = sorted((site / "tei").glob("*.xml"))
    assert len(downloads) == 5
    for path in downloads:
        models = schema_models(path)
        assert models == {RNG_NS: site / "schema" / "edition.rng", SCH_NS: site / "schema" / "edition.sch"}
        assert_valid_against_its_rng(path)
    for name in ("edition.rng", "edition.sch", "edition.odd"):
        assert (site / "schema" / name).read_bytes() == (ROOT / "schema" / name).read_bytes()

    # A file the build no longer publishes goes, as an old asset does; a rebuild keeps the rest.
    (site / "schema" / "old.rng").write_bytes(b"<grammar/>")
    report = build_site(BuildContext(tei_dir=converted, out_dir=site))
    assert not (site / "schema" / "old.rng").exists()
    assert site / "schema" / "old.rng" in report.removed
    assert sorted(p.name for p in (site / "schema").iterdir()) == ["edition.odd", "edition.rng", "edition.sch"]


def test_a_file_without_the_lines_still_validates_and_builds(converted: Path, tmp_path: Path) -> None:
    """Files converted before the lines were written (or whose editor removed them) are
    as good as ever: the lines are a help to editors, not part of the document."""
    tei = tmp_path / "tei"
    shutil.copytree(converted, tei)
    path = sorted(tei.glob("*.xml"))[0]
    path.write_bytes(re.sub(rb"<\?xml-model [^?]*\?>\n", b"", path.read_bytes()))
    assert b"xml-model" not in path.read_bytes()
    findings, count = get_validator().validate_paths([path])
    assert count == 1 and [f.format() for f in findings] == []
    site = tmp_path / "site"
    build_site(BuildContext(tei_dir=tei, out_dir=site))
    assert (site / "tei" / path.name).read_bytes() == path.read_bytes()
