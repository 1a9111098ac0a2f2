"""Property-based and mutation tests of the converter (issue 8, item 1).

Every generated source either converts into TEI that is well-formed, valid
against tei_all (and faithful, once the fidelity check exists), or fails with
an EditionError naming the file. Examples are bounded so the whole module
runs in well under a minute on two cores; the counts are the ``max_examples``
below (the report of the issue quotes them).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from edition.convert import convert_all, convert_source
from edition.errors import EditionError
from robust_support import ROOT, check_source, label_blocks, seed_texts
from robust_support import bounded as robust_bounded

SEED_TEXTS = seed_texts()
SEED_NAMES = sorted(SEED_TEXTS)

# Marks the body parser gives meaning to, and characters XML and Markdown care about.
MARKS = [
    "[", "]", "[[", "]]", "[[195]]", "[signed]", "[signed] ", "[handwritten: ", "[handwritten: note]",
    "[illegible signature]", "[illegible]", "[sic]", "[?]", "[...]", "[Stamp: ", "~~", "~~x~~", "**", "*",
    "_", "__", "#", "## ", "> ", "- ", "* ", "1. ", "`", "```", "<", ">", "&", "&amp;", "]]>", "<!--",
    "-->", "<?xml", "\\", "|", "<br>", "[^1]", "[1]", "(", ")", "\u00a0", "\u200b", "\u2028", "\ufeff",
    "\u202e", "\x85", "\r", "\t", "\n", "\n\n",
]  # fmt: skip

FOUND: Counter[str] = Counter()
LOST: dict[str, str] = {}


def bounded(n: int) -> settings:
    # Mutated exports may be large: Hypothesis's data_too_large check is not ours to keep.
    return robust_bounded(n, HealthCheck.data_too_large)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("robust-props")


def _write(workdir: Path, name: str, data: bytes | str) -> Path:
    path = workdir / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# Fidelity defects the mutation tests found and that are reported to their owners
# (see the report on issue 8); until fixed, a lossy conversion of such an input
# marks its test xfailed instead of failing CI. Crashes, invalid TEI and errors
# that do not name the file still fail.
KNOWN_LOSS: dict[str, str] = {}  # none at present: the three the tests found are fixed


def _run(workdir: Path, validator, text: str | bytes, kind: str, suffix: str = ".txt") -> None:
    path = _write(workdir, f"{kind}{suffix}", text)
    result = check_source(path, validator, known_loss=KNOWN_LOSS.get(kind))
    outcome = "refused" if result.error is not None else "lost words (known)" if result.lost else "converted"
    FOUND[f"{kind}: {outcome}"] += 1
    if result.lost:
        LOST.setdefault(kind, result.lost)


def xfail_if_lost(kind: str) -> None:
    """After all examples ran: a known fidelity defect seen marks the test xfailed."""
    if kind in LOST:
        pytest.xfail(LOST[kind])


@bounded(120)
@given(text=st.text(min_size=0, max_size=3000))
def test_random_text(workdir: Path, tei_all_validator, text: str) -> None:
    _run(workdir, tei_all_validator, text, "random-text")


@bounded(60)
@given(data=st.binary(min_size=0, max_size=3000))
def test_random_bytes(workdir: Path, tei_all_validator, data: bytes) -> None:
    _run(workdir, tei_all_validator, data, "random-bytes")


@bounded(80)
@given(name=st.sampled_from(SEED_NAMES), cut=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_seeds(workdir: Path, tei_all_validator, name: str, cut: float) -> None:
    raw = SEED_TEXTS[name].encode("utf-8")
    # Cut bytes, not characters: a truncated download can split a UTF-8 sequence.
    _run(workdir, tei_all_validator, raw[: int(len(raw) * cut)], "truncated")


@bounded(80)
@given(name=st.sampled_from(SEED_NAMES), seed=st.integers(0, 2**32 - 1), share=st.floats(0.0, 1.0))
def _line_shuffled_seeds(workdir: Path, tei_all_validator, name: str, seed: int, share: float) -> None:
    lines = SEED_TEXTS[name].split("\n")
    rng = random.Random(seed)
    picked = sorted(rng.sample(range(len(lines)), int(len(lines) * share)))
    moved = [lines[i] for i in picked]
    rng.shuffle(moved)
    for i, line in zip(picked, moved):
        lines[i] = line
    _run(workdir, tei_all_validator, "\n".join(lines), "shuffled")


def test_line_shuffled_seeds(workdir: Path, tei_all_validator) -> None:
    _line_shuffled_seeds(workdir, tei_all_validator)
    xfail_if_lost("shuffled")


@bounded(100)
@given(name=st.sampled_from(SEED_NAMES), data=st.data())
def _fields_deleted_or_duplicated(workdir: Path, tei_all_validator, name: str, data: st.DataObject) -> None:
    text = SEED_TEXTS[name]
    blocks = label_blocks(text)
    assume(blocks)
    lines = text.split("\n")
    # Several edits, applied from the end so earlier ranges stay valid.
    edits = data.draw(
        st.lists(st.tuples(st.sampled_from(blocks), st.sampled_from(["delete", "duplicate", "empty", "label-only"])), min_size=1, max_size=4, unique_by=lambda e: e[0])
    )
    for (start, end), action in sorted(edits, reverse=True):
        block = lines[start:end]
        if action == "delete":
            lines[start:end] = []
        elif action == "duplicate":
            lines[end:end] = block
        elif action == "empty":
            lines[start:end] = [block[0]]
        else:  # the label with its value joined onto the same line
            lines[start:end] = [" ".join(x.strip() for x in block if x.strip())]
    _run(workdir, tei_all_validator, "\n".join(lines), "fields")


def test_fields_deleted_or_duplicated(workdir: Path, tei_all_validator) -> None:
    _fields_deleted_or_duplicated(workdir, tei_all_validator)
    xfail_if_lost("fields")


@bounded(120)
@given(
    name=st.sampled_from(SEED_NAMES),
    marks=st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from(MARKS) | st.text(max_size=8)), min_size=1, max_size=25),
)
def _marks_injected(workdir: Path, tei_all_validator, name: str, marks: list[tuple[float, str]]) -> None:
    text = SEED_TEXTS[name]
    for where, mark in sorted(marks, reverse=True):
        i = int(len(text) * where)
        text = text[:i] + mark + text[i:]
    _run(workdir, tei_all_validator, text, "marks")


def test_marks_injected(workdir: Path, tei_all_validator) -> None:
    _marks_injected(workdir, tei_all_validator)
    xfail_if_lost("marks")


@bounded(12)
@given(name=st.sampled_from(SEED_NAMES), where=st.floats(0.0, 1.0), length=st.integers(10_000, 120_000), chunk=st.sampled_from(["word ", "x", "[signed] ", "Ж", "**b** ", "\u00a0"]))
def test_very_long_lines(workdir: Path, tei_all_validator, name: str, where: float, length: int, chunk: str) -> None:
    lines = SEED_TEXTS[name].split("\n")
    i = int(len(lines) * where)
    lines.insert(i, (chunk * (length // len(chunk) + 1))[:length])
    _run(workdir, tei_all_validator, "\n".join(lines), "long-line")


@bounded(15)
@given(name=st.sampled_from(SEED_NAMES))
def test_all_on_one_line(workdir: Path, tei_all_validator, name: str) -> None:
    _run(workdir, tei_all_validator, " ".join(SEED_TEXTS[name].split("\n")), "one-line")


def test_ten_megabyte_input(workdir: Path, tei_all_validator) -> None:
    """A 10 MB export (a seed whose body is repeated) converts or is refused cleanly."""
    text = SEED_TEXTS[SEED_NAMES[-1]]
    head, _, body = text.partition("**Contents:**")
    assert body, "the last seed is a Markdown export with a Contents block"
    reps = 10 * 1024 * 1024 // len(body.encode("utf-8")) + 1
    big = head + "**Contents:**" + body * reps
    assert len(big.encode("utf-8")) >= 10 * 1024 * 1024
    path = _write(workdir, "ten-megabytes.md", big)
    result = check_source(path, tei_all_validator, twice=False)  # twice costs 20 s more
    FOUND[f"10 MB: {'converted' if result.error is None else 'refused'}"] += 1


def test_convert_all_keeps_going_and_stays_inside(tmp_path: Path) -> None:
    """A folder of mixed good and hostile sources: the good are written, the bad named, nothing outside."""
    src = tmp_path / "src"
    src.mkdir()
    out = tmp_path / "tei"
    for name in SEED_NAMES:
        (src / name).write_text(SEED_TEXTS[name], encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (src / "noise.md").write_text("}{" * 500, encoding="utf-8")
    outcomes = convert_all(sorted(src.iterdir()), out)
    bad = {o.source.name: o.error for o in outcomes if o.error is not None}
    assert set(bad) == {"empty.txt", "binary.txt", "noise.md"}
    for name, err in bad.items():
        assert isinstance(err, EditionError) and str(err).startswith(str(src / name))
    written = sorted(p.name for p in out.iterdir())
    assert len(written) == len(SEED_NAMES) and all(n.endswith(".xml") for n in written)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["src", "tei"]


CLI_CASES = {
    "empty.txt": b"",
    "bom-only.txt": b"\xef\xbb\xbf",
    "binary.txt": bytes(range(256)) * 8,
    "latin1.txt": "Caf\u00e9 r\u00e9sum\u00e9 na\u00efve d\u00e9j\u00e0 vu \u00e0 la carte".encode("latin-1") * 20,
    "utf16-odd.txt": b"\xff\xfe" + b"a\x00b",
    "brackets.txt": b"[[[[[[[[ ]]]]]]]] **** ~~~~ [signed] [sic]" * 50,
    "nul-in-seed.txt": SEED_TEXTS[SEED_NAMES[0]].encode("utf-8").replace(b"\n\n", b"\n\x00\x07\n", 3),
}


@pytest.mark.parametrize("name", sorted(CLI_CASES))
def test_cli_never_shows_a_traceback(tmp_path: Path, name: str) -> None:
    src = tmp_path / name
    src.write_bytes(CLI_CASES[name])
    out = tmp_path / "tei"
    proc = subprocess.run(
        [sys.executable, "-m", "edition", "convert", str(src), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr, proc.stderr
    assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode == 1:
        assert f"edition: error: {src}" in proc.stderr, proc.stderr
        assert not out.exists() or not any(out.iterdir()), "a failed source wrote something"
    else:
        assert len(list(out.glob("*.xml"))) == 1
    if name == "nul-in-seed.txt":
        assert proc.returncode == 0 and f"edition: warning: {src}: line" in proc.stderr


def test_report_counts(capsys: pytest.CaptureFixture[str]) -> None:
    """Not a check: prints how many generated cases ran and what became of them (pytest -s shows it)."""
    with capsys.disabled():
        total = sum(FOUND.values())
        print(f"\nrobustness: {total} generated sources; " + "; ".join(f"{k} {v}" for k, v in sorted(FOUND.items())))


def test_missing_contents_label_is_an_error_not_a_silent_loss(tmp_path: Path) -> None:
    """Found by the field mutations: without **Contents:** the whole text became a 'language' value."""
    text = (ROOT / "tests" / "fixtures" / "robust" / "russian_letter.md").read_text(encoding="utf-8")
    path = tmp_path / "no-contents.md"
    path.write_text(text.replace("**Contents:**\n", ""), encoding="utf-8")
    with pytest.raises(EditionError) as info:
        convert_source(path)
    assert info.value.path == path and "Original Language" in str(info.value) and "missing" in str(info.value)


def test_unconverted_label_beside_converted_ones_passes_fidelity(tmp_path: Path, tei_all_validator) -> None:
    """Found by the mark injections: one '[signed]' left as text upset the count of the converted ones."""
    text = SEED_TEXTS[SEED_NAMES[0]]
    at = text.index("has found out about")
    path = tmp_path / "label.txt"
    path.write_text(text[:at] + "has[signed] found out about" + text[at + len("has found out about") :], encoding="utf-8")
    result = check_source(path, tei_all_validator)
    assert result.error is None and result.lost is None


def test_a_field_with_a_value_too_many_is_named_with_the_line_of_that_value(tmp_path: Path) -> None:
    """Found by the field mutations: the error named the file but not where to look."""
    text = (ROOT / "tests" / "fixtures" / "robust" / "russian_letter.md").read_text(encoding="utf-8")
    path = tmp_path / "no-contents.md"
    path.write_text(text.replace("**Contents:**\n", ""), encoding="utf-8")
    with pytest.raises(EditionError) as info:
        convert_source(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    label = next(i for i, line in enumerate(lines) if line.startswith("**Original Language:**"))
    surplus = [i + 1 for i, line in enumerate(lines) if i > label and line.strip()][1]  # after the one value
    assert info.value.line == surplus and str(info.value).startswith(f"{path}:{surplus}: markdown export, but ")

    # A capture's footer: a second paragraph under "Record ID" (its label lost after it).
    seed = SEED_TEXTS[SEED_NAMES[0]]
    assert seed.rstrip().endswith("Record ID")
    path = tmp_path / "two-values.txt"
    path.write_text(seed.rstrip() + "\n\n119711\n\nTop Secret\n", encoding="utf-8")
    with pytest.raises(EditionError) as info:
        convert_source(path)
    top_secret = path.read_text(encoding="utf-8").split("\n").index("Top Secret") + 1
    assert info.value.line == top_secret and "Record ID field holds one value" in str(info.value)
