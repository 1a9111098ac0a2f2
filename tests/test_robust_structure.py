"""Regressions found by fuzzing the structure of whole exports (lines joined and split,
fields removed, moved and doubled, white space and line ends changed).

Each test is the smallest source that showed one cause; each must convert into TEI
that is valid and faithful (robust_support.check_source), or fail naming the file.
"""

from __future__ import annotations

from pathlib import Path

from robust_support import check_source

LINE_EXPORT = (
    "March 12, 1953\n"
    "Report on the Funeral Commission\n"
    "The commission met at 11 a.m. and agreed on the order of the ceremony.\n"
    "A report on the funeral arrangements.\n"
    "Document Information\n"
    "Type: Report\n"
    "Record ID: 221140\n"
    "Original Classification: Secret\n"
)


def test_a_label_with_a_tab_or_two_spaces_between_its_words_is_still_the_export_s(tmp_path: Path, tei_all_validator) -> None:
    """The reader took "Record  ID: 221140" as the Record ID (it reads the line with its
    spaces collapsed) while the check read the label words as the value's and lost them."""
    path = tmp_path / "spaced-labels.txt"
    path.write_text(LINE_EXPORT.replace("Record ID", "Record  ID").replace("Original Classification", "Original\tClassification"),
                    encoding="utf-8")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None
    assert result.doc is not None and result.doc.metadata.record_id == "221140"

