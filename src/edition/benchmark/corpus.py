"""A realistic synthetic corpus for benchmarks, derived from the seeds.

Copies of five files would measure caches, not the pipeline. Each generated
export takes a seed as its template and varies what real exports vary: the
record id (or its absence), the date, the people credited, the title, and the
length of the text (paragraphs dropped or repeated). Generation is
deterministic: document ``i`` of a corpus is always the same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from edition.convert import collect_sources
from edition.errors import EditionError
from edition.fsutil import atomic_write
from edition.model import Segment
from edition.sources import read_source_text, web_page

GIVEN = ["Anna", "Boris", "Clara", "David", "Elena", "Farid", "Galina", "Hasan", "Irina", "Jamal", "Katya", "Leyla"]
FAMILY = ["Petrova", "Sokolov", "Aliyev", "Novak", "Karimova", "Hughes", "Tanaka", "Moreau", "Kowalski", "Rahimi"]


@dataclass(frozen=True)
class Template:
    name: str
    text: str
    shape: str
    date_text: str | None
    title: str
    body_lines: tuple[int, ...]  # 1-based line numbers of body text
    record_id: str | None


def load_templates(seeds: Path) -> list[Template]:
    """Every export ``edition convert`` would take from ``seeds`` (``*.txt`` and ``*.md``,
    in whatever encoding it reads), as decoded: the body's line numbers are the decoded text's."""
    templates = []
    paths = collect_sources([seeds])
    if not paths:
        raise EditionError("no exports (*.txt, *.md) to derive a corpus from", seeds)
    for path in paths:
        doc, text = read_source_text(path)
        body = tuple(s.line for s in doc.segments if s.role == "body")
        templates.append(
            Template(
                name=path.stem,
                text=text,
                shape=doc.source.shape,
                date_text=doc.metadata.date.text if doc.metadata.date else None,
                title=doc.metadata.title,
                body_lines=body,
                record_id=doc.metadata.record_id,
            )
        )
    return templates


def _vary_body(lines: list[str], body_lines: tuple[int, ...], rng: random.Random) -> list[str]:
    """Drop some body lines and repeat others, keeping the export's layout."""
    if not body_lines:
        return lines
    out: list[str] = []
    body = set(body_lines)
    factor = rng.choice([0.5, 1, 1, 1, 2, 3])
    for number, line in enumerate(lines, start=1):
        if number not in body:
            out.append(line)
            continue
        # Only paragraphs go: short lines are datelines, headings and signatures,
        # which the edition's rules check against the header.
        if factor < 1 and rng.random() < 0.4 and number != body_lines[0] and len(line) > 60:
            continue
        out.append(line)
        if factor > 1 and rng.random() < 0.3:
            for _ in range(int(factor) - 1):
                out.append("")
                out.append(line)
    return out


def _move_year(text: str, old: str, new: str) -> str:
    """Every ``old`` year becomes ``new``, digit by digit, so a year printed with
    supplied digits ("[[195]]7") moves too and keeps its marks."""
    pattern = r"(?<!\d)" + r"(?:\[\[|\]\])?".join(old) + r"(?!\d)"

    def replace(match: re.Match[str]) -> str:
        digits = iter(new)
        return "".join(next(digits) if c.isdigit() else c for c in match.group(0))

    return re.sub(pattern, replace, text)


def generate_document(template: Template, index: int) -> str:
    rng = random.Random(index * 7919 + 17)
    year = rng.randint(1941, 1991)
    text = template.text
    lines = _vary_body(text.split("\n"), template.body_lines, rng)
    text = "\n".join(lines)
    old_year = re.search(r"\b(1[89]\d\d|20\d\d)\b", template.date_text or "")
    if template.date_text and old_year:
        # The header date and the datelines of the body move together (a dateline
        # that disagrees with the header is an error the edition's rules report),
        # and datelines are printed in many ways: the year moves, everywhere.
        text = _move_year(text, old_year.group(1), str(year))
        # Two-digit years of day.month.year datelines ("2.VIII.55 г.").
        text = re.sub(rf"(?<=\.){old_year.group(1)[2:]}\b", f"{year % 100:02d}", text)
    first, _, rest = template.title.partition(" ")
    # The number after the first word: that word tells the document type, and ids
    # made from date and title keep only the title's first words.
    new_title = f"{first} (no. {index}) {rest}".rstrip()
    # Every occurrence, however it is wrapped: exports repeat the title (heading,
    # citation line), and a heading may break across lines.
    pattern = r"\s+".join(re.escape(word) for word in template.title.split())
    text = re.sub(pattern, lambda _: new_title, text)
    translator = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    contributor = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    text = text.replace("Gary Goldberg", translator).replace("Roham Alvandi", contributor)
    record = str(900000 + index)
    if template.record_id:
        text = text.replace(template.record_id, record)
    elif index % 3:
        # Most captures carry a record id in their footer; a third do not. A web page's
        # fields are paragraphs, set off by a blank line: the label and the id on two
        # lines are one paragraph there, which the footer's empty field before it took.
        gap = "\n\n" if template.shape == web_page.NAME else "\n"
        text = re.sub(r"(?m)^Record ID[ \t]*$", f"Record ID{gap}{record}", text, count=1)
    return text


def generate_corpus(seeds: Path, out: Path, count: int) -> list[Path]:
    templates = load_templates(seeds)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        template = templates[index % len(templates)]
        path = out / f"{index:06d}_{template.name}.txt"
        atomic_write(path, generate_document(template, index))
        paths.append(path)
    return paths


def body_segments(segments: list[Segment]) -> list[Segment]:
    return [s for s in segments if s.role == "body"]
