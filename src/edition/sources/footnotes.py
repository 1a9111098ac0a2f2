"""What an editor should hear about an export's footnotes ("[^1]" and "[^1]: text").

The encoder (edition.body.structure.part_footnotes) places a note at the reference to its
label, keeps a definition nothing refers to where it stands, and leaves a reference to no
definition as printed: each is a valid reading of a faulty export, so none is an error,
but each is most likely a slip of the export (a label mistyped, a definition lost), which
would otherwise pass silently into the edition. Each part (original, translation) may
number its notes from 1: a label defined in both, each referred to in its own, is sound.
"""

from __future__ import annotations

import bisect

from edition.body.marks import FOOTNOTE_DEF, FOOTNOTE_REF
from edition.model import Part, Segment


def each_part_start(parts: list[Part], body_segments: list[Segment]) -> list[int]:
    """The first source line of each of the reader's parts that has paragraphs, or an empty
    list when the parts' lines are not the body lines one for one."""
    lines: list[int] = []
    at = 0
    for part in parts:
        if not part.paragraphs:
            continue
        if at >= len(body_segments) or body_segments[at].text.strip() != part.paragraphs[0].split("\n", 1)[0].strip():
            return []
        lines.append(body_segments[at].line)
        at += sum(para.count("\n") + 1 for para in part.paragraphs)
    return lines if at == len(body_segments) else []


def footnote_warnings(segments: list[Segment], parts: list[Part]) -> list[str]:
    """One "line N: ..." warning for each reference to a label no definition gives, each
    definition of a label its part defined before, and each definition nothing refers to
    (neither its part nor a part without a note of that label)."""
    if not any("[^" in s.text for s in segments if s.role == "body"):  # most exports: no footnote syntax at all
        return []
    body = [s for s in segments if s.role == "body"]
    starts = each_part_start(parts, body)

    def part_of(line: int) -> int:
        return bisect.bisect_right(starts, line) - 1

    defined: dict[tuple[int, str], int] = {}  # (part, label) -> line of its first definition there
    again: list[tuple[str, int, int]] = []
    refs: dict[tuple[int, str], int] = {}  # (part, label) -> line of its first reference there
    for s in body:
        if "[^" not in s.text:
            continue
        if m := FOOTNOTE_DEF.match(s.text):
            key = (part_of(s.line), m.group(1))
            if key in defined:
                again.append((m.group(1), s.line, defined[key]))
            else:
                defined[key] = s.line
        else:
            for ref in FOOTNOTE_REF.finditer(s.text):
                refs.setdefault((part_of(s.line), ref.group(1)), s.line)
    labels = {label for _, label in defined}
    found = [(line, f"footnote [^{label}] is referred to, but no line defines it (\"[^{label}]: ...\"); "
                    "the reference stays in the text as printed") for (_, label), line in refs.items() if label not in labels]
    found += [(line, f"footnote [^{label}] is defined again (first at line {first}); the text's references take "
                     "the first, the other stands where it is: give each note a label of its own")
              for label, line, first in again]
    found += [(line, f"footnote [^{label}] is defined, but nothing refers to it; it stands where it is, "
                     "a note on no word of the text")
              for (part, label), line in defined.items()
              if (part, label) not in refs and not any(ref_label == label and (t, label) not in defined for t, ref_label in refs)]
    return [f"line {line}: {message}" for line, message in sorted(found)]
