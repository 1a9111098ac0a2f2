"""Helpers for the body tests: load the body fixtures, encode them, wrap them as TEI."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from edition import body
from edition.dates import parse_date
from edition.model import Part
from edition.tei_body import TEI_NS, build_text

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "body"
NS = {"tei": TEI_NS}


def load(name: str) -> tuple[list[Part], dict[str, str]]:
    """A fixture's parts (one, as a reader would give it) and its settings."""
    meta: dict[str, str] = {}
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    while lines and lines[0].startswith("%%"):
        key, _, value = lines.pop(0)[2:].partition(":")
        meta[key.strip()] = value.strip()
    paragraphs: list[str] = []
    current: list[str] = []
    for line in lines + [""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    part = Part(role=meta.get("role", "translation"), lang=meta.get("lang", "en"), lang_evidence="fixture", paragraphs=paragraphs)  # type: ignore[arg-type]
    return [part], meta


def context(meta: dict[str, str]) -> body.BodyContext:
    date = None
    if meta.get("date"):
        date = parse_date(meta["date"])
    return body.BodyContext(date=date, translator="#translator-1" if meta.get("translator") == "yes" else None)


def encode(name: str) -> tuple[list[Part], etree._Element]:
    """Segment and encode a fixture; return its parts and a whole TEI document around them."""
    parts, meta = load(name)
    parts = body.segment(parts, meta.get("declared"))
    ctx = context(meta)
    for part in parts:
        body.encode(part, ctx)
    return parts, wrap(build_text(parts))


def wrap(text: etree._Element) -> etree._Element:
    """The smallest TEI document around a ``text`` element (for validating the body on its own)."""
    tei = etree.Element(f"{{{TEI_NS}}}TEI", nsmap={None: TEI_NS})
    header = etree.SubElement(tei, f"{{{TEI_NS}}}teiHeader")
    file_desc = etree.SubElement(header, f"{{{TEI_NS}}}fileDesc")
    title_stmt = etree.SubElement(file_desc, f"{{{TEI_NS}}}titleStmt")
    etree.SubElement(title_stmt, f"{{{TEI_NS}}}title").text = "body test"
    etree.SubElement(etree.SubElement(file_desc, f"{{{TEI_NS}}}publicationStmt"), f"{{{TEI_NS}}}p").text = "test"
    etree.SubElement(etree.SubElement(file_desc, f"{{{TEI_NS}}}sourceDesc"), f"{{{TEI_NS}}}p").text = "test"
    tei.append(text)
    return tei


def xp(root: etree._Element, path: str) -> list:
    return root.xpath(path, namespaces=NS)


def text_of(el: etree._Element) -> str:
    """The text of an element with each text node apart (an ``lb`` separates words)."""
    return " ".join(" ".join(el.itertext()).split())


def assert_valid(validator, root: etree._Element, name: str) -> None:
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    findings = [f for f in validator.validate_bytes(data, name) if f.severity == "error"]
    assert not findings, "\n".join(f.format() for f in findings[:10]) + "\n" + data.decode()[:3000]


def id_prefix() -> str:
    """The record-id prefix ``edition convert`` uses here (from edition.toml when present)."""
    from edition.config import load_config

    return load_config(None).record_id_prefix


def convert_seeds(seeds: Path, out: Path) -> dict[str, etree._Element]:
    """Convert every seed with ``edition convert`` into ``out``; parsed TEI by source file name."""
    from click.testing import CliRunner

    from edition.cli import cli
    from edition.sources import read_source

    result = CliRunner().invoke(cli, ["convert", str(seeds), "--out", str(out)], standalone_mode=False)
    assert result.exception is None and result.return_value == 0, result.output
    prefix = id_prefix()
    return {p.name: etree.parse(str(out / f"{read_source(p, prefix).id}.xml")).getroot() for p in sorted(seeds.glob("*.txt"))}
