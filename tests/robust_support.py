"""Helpers shared by the robustness tests (tests/test_robust_*.py).

The one invariant every robustness test checks: a source either becomes TEI
that is well-formed, valid against tei_all and faithful to its source, or the
converter raises an EditionError that names the file. Anything else (another
exception, invalid TEI, an error that does not say which file) is a defect.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, Phase, settings
from lxml import etree

from edition import xmlsafe
from edition.convert import convert_source
from edition.errors import EditionError
from edition.model import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ROBUST_FIXTURES = ROOT / "tests" / "fixtures" / "robust"
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS}

# Derandomized so CI is reproducible (a red run can be replayed exactly); set
# ROBUST_SCALE=10 (or more) locally to explore ten times as many cases at random.
SCALE = float(os.environ.get("ROBUST_SCALE", "1"))


def bounded(n: int, *suppress: HealthCheck) -> settings:
    """Hypothesis settings for ``n`` examples (times ROBUST_SCALE), besides the health
    checks every property here trips (each example converts a whole export) ``suppress``."""
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        derandomize=SCALE == 1,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, *suppress],
        # No shrinking: one example costs up to a second, shrinking a failure would cost
        # many minutes, and the failing source is reported as it was drawn.
        phases=[Phase.explicit, Phase.generate],
        report_multiple_bugs=False,
    )

# Field labels the export shapes use; mutation tests delete and duplicate them.
FIELD_LABELS = (
    "Source", "Original Archive", "Rights", "Type", "Language", "Original Language",
    "Original Uploaded Date", "Record ID", "Original Classification", "Author(s)",
    "Associated People & Organizations", "Associated Topics", "Associated Places",
    "Citation", "Summary", "Contents", "Document Information",
)  # fmt: skip
_LABEL_LINE = re.compile(r"^\s*(?:\*\*)?(?P<label>[^*:]{2,60}?):?(?:\*\*)?:?\s*$")
_SAFE_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")


def seed_texts() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in SEEDS}


def label_blocks(text: str) -> list[tuple[int, int]]:
    """(start, end) line ranges of each labelled field: the label line up to the next label."""
    lines = text.split("\n")
    starts = [
        i for i, line in enumerate(lines)
        if (m := _LABEL_LINE.match(line)) and m["label"].strip() in FIELD_LABELS
    ]  # fmt: skip
    return [(s, (starts[k + 1] if k + 1 < len(starts) else len(lines))) for k, s in enumerate(starts)]


@dataclass
class Checked:
    doc: Document | None
    data: bytes | None
    error: EditionError | None
    lost: str | None = None


def check_fidelity(path: Path, doc: Document, root: etree._Element) -> None:
    """Every source line accounted for and every word in its place (edition.fidelity's report)."""
    from edition import fidelity
    from edition.sources.decode import decode_source

    text = decode_source(path.read_bytes(), path).text
    report = fidelity.check_document(doc, text, root, path, path)
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))


def check_tei(data: bytes, origin: Path, validator) -> etree._Element:
    """Well-formed (through xmlsafe), valid against tei_all, and a safe id."""
    root = xmlsafe.parse_bytes(data, origin).getroot()
    assert root.tag == f"{{{TEI_NS}}}TEI"
    doc_id = root.get(f"{{{XML_NS}}}id")
    assert doc_id and _SAFE_ID.match(doc_id), f"{origin}: unsafe id {doc_id!r}"
    findings = [f for f in validator.validate_bytes(data, str(origin)) if f.severity == "error"]
    if findings:
        lines = data.decode("utf-8").split("\n")
        shown = "\n".join(f"{f.format()}\n    " + "\n    ".join(lines[max(0, f.line - 3) : f.line + 1]) for f in findings[:5])
        raise AssertionError(f"{origin}: converter wrote invalid TEI:\n{shown}")
    return root


def check_source(path: Path, validator, *, id_prefix: str = "doc", twice: bool = True, known_loss: str | None = None) -> Checked:
    """Convert ``path`` and check the invariant; returns what happened.

    ``known_loss``: the reason a fidelity failure of this kind of input is a known,
    reported defect; such a failure then marks the test xfailed (with the report),
    while a crash, invalid TEI or an error that does not name the file still fails.
    """
    try:
        doc, data = convert_source(path, id_prefix)
    except EditionError as exc:
        assert exc.path is not None and Path(exc.path) == path, f"error does not name the file: {exc!r}"
        assert str(exc).startswith(str(path)), str(exc)
        return Checked(None, None, exc)
    root = check_tei(data, path, validator)
    # Deterministic: the same source gives the same bytes.
    if twice:
        assert convert_source(path, id_prefix)[1] == data, f"{path}: output differs between two runs"
    try:
        check_fidelity(path, doc, root)
    except AssertionError as exc:
        if known_loss is None:
            raise
        return Checked(doc, data, None, lost=f"known defect ({known_loss}): {str(exc).splitlines()[0]}")
    return Checked(doc, data, None)
