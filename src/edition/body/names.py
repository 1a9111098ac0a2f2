"""Whether a word is a person's surname by its shape, for the two modules that ask.

:mod:`edition.body.language` (which line of a text heads the next one) and
:mod:`edition.body.structure` (which line of a closing is its signer) both need it, and
structure imports language, so the test lives here, below both.
"""

from __future__ import annotations

import re

# The endings of the surnames the archive's documents are signed with: Russian and
# Azerbaijani (Мамедов, Алиева, Калинин, Мамедзаде), Ukrainian, Belarusian and Polish
# (Шевченко, Ковальчук, Kowalski), Armenian (Ованесян), Georgian (Орджоникидзе,
# Джугашвили) and the patronymic-like -ович, in Cyrillic and in their Latin
# transliterations. The words that title a document ("Ариза.", "Справка.", "Заявление.",
# "Petition.") end otherwise. Latin "-in" is left out: "Bulletin." is a title.
_SURNAME_END = re.compile(
    r"(?:ов|ев|ёв|ова|ева|ёва|ин|ын|ина|ына|ский|ская|цкий|цкая|ян|янц|дзе|швили|енко|ук|юк|ович|евич|заде|"
    r"ov|ev|ova|eva|yan|ian|dze|shvili|enko|ski|sky|skiy|ovich|evich|zade)$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^[^\W\d_]{4,}$")


def surname_shaped(text: str) -> bool:
    """Whether ``text`` is one capitalised word, its full stop aside, that ends as a surname
    does ("Мамедов.", "Алиева", "Ovanesyan."): a name, not a document's title."""
    word = text.strip().removesuffix(".")
    return bool(_WORD.match(word)) and word[:1].isupper() and _SURNAME_END.search(word) is not None


# The surnames written without a vowel: Ng (吳, 伍 in Cantonese), alone among the archive's
# names. In capitals ("NG") it has the shape of an abbreviation ("ЦК", "MGB").
VOWELLESS_SURNAMES = frozenset({"ng"})
