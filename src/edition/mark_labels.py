"""The labels of editorial marks in the archives' languages other than English.

A module of its own, outside edition.body, so that the fidelity check (edition.fidelity)
reads them without importing the body encoder, which a run that converts nothing never uses.
"""

from __future__ import annotations

import re

# A label's words stand apart by any white space of one line ("[от<TAB>руки:").
LABEL_GAP = r"[^\S\n]+"
# The labels of the archives' other languages, by the English label they mean: the
# transcriptions of Russian originals, and the translations from Hungarian, Polish, German
# and Czech, whose translators keep the editors' marks of the original's edition. A label
# added here is read, encoded and checked as its English one is. Russian labels with
# endings of their own (рукописн-, "так в ...") are patterns of edition.body.marks.
FOREIGN_LABELS: dict[str, str] = {
    # Russian
    "от руки": "handwritten", "штамп": "stamp", "печать": "seal", "штамп неразборчив": "stamp illegible",
    "подпись": "signature", "подпись неразборчива": "illegible signature", "неразборчиво": "illegible",
    "зачеркнуто": "crossed out", "зачёркнуто": "crossed out", "подчеркнуто": "underlined", "подчёркнуто": "underlined",
    # Hungarian
    "kézírással": "handwritten", "aláírás": "signature", "aláírás olvashatatlan": "illegible signature",
    "olvashatatlan aláírás": "illegible signature", "olvashatatlan": "illegible",
    # Polish
    "odręcznie": "handwritten", "podpis": "signature", "podpis nieczytelny": "illegible signature",
    "nieczytelny podpis": "illegible signature", "nieczytelne": "illegible",
    # German
    "handschriftlich": "handwritten", "unterschrift": "signature", "unterschrift unleserlich": "illegible signature",
    "unleserliche unterschrift": "illegible signature", "unleserlich": "illegible",
    # Czech ("podpis" is the Polish word too)
    "rukou": "handwritten", "podpis nečitelný": "illegible signature", "nečitelný podpis": "illegible signature",
    "nečitelné": "illegible",
}


def _alternatives(labels: list[str]) -> str:
    """``labels`` as alternatives of a pattern, longer ones first (the first alternative that
    matches is taken), their words standing apart by any white space of one line."""
    return "|".join(LABEL_GAP.join(map(re.escape, label.split(" "))) for label in sorted(labels, key=len, reverse=True))


# The foreign labels, and those of them that mark handwriting (edition.fidelity reads them).
FOREIGN_LABEL_NAMES = _alternatives(list(FOREIGN_LABELS))
FOREIGN_HANDWRITTEN_NAMES = _alternatives([k for k, v in FOREIGN_LABELS.items() if v == "handwritten"])
