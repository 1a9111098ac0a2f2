"""Conversion's hot paths: each shortcut asks the costly question only where its answer
can differ, and answers as the full question did."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from body_support import encode, text_of, xp
from edition.body import structure


class _Counted:
    """A compiled pattern whose calls are recorded (the pattern still answers them)."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.asked: list[str] = []

    def match(self, text: str) -> re.Match[str] | None:
        self.asked.append(text)
        return self.pattern.match(text)


def test_a_line_not_ending_in_a_bracket_is_not_tried_as_name_then_signed(monkeypatch: pytest.MonkeyPatch) -> None:
    """"P. Ivanov [signed]" was tried on the last line of every paragraph, the label after
    each character of it: a twentieth of conversion. Only lines ending in "]" are tried
    now, and the two signatures of the fixture are still found."""
    counted = _Counted(structure._SIGNED_AFTER)
    monkeypatch.setattr(structure, "_SIGNED_AFTER", counted)
    root = encode("signed_after_name_en.txt")[1]
    assert [text_of(x) for x in xp(root, "//tei:closer/tei:signed/tei:persName")] == ["Radmanesh", "Ivanov"]
    assert counted.asked and all(line.rstrip().endswith("]") for line in counted.asked)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["P. Ivanov", " ", "\t", "\u2003", "\u00a0", "\x1f", "\x85", "[signed]", "[ SIGNED ]", "[^1]", "]", "[",
                                 "x", "\u017figned", "Radmanesh"]), max_size=12).map("".join))
def test_every_line_the_pattern_takes_ends_in_a_bracket(text: str) -> None:
    """What the shortcut stands on: white space as rstrip strips it is the pattern's \\s."""
    if structure._SIGNED_AFTER.match(text) is not None:
        assert text.rstrip().endswith("]")


def test_merging_evidence_adds_only_what_a_paragraph_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """merge() added every paragraph's special letters through Counter.update (Python's,
    empty in nearly every paragraph) and its fifteen function-word counts, most nought:
    0.34 ms a document. It now adds what was found, and gives what the sum of every
    field gives."""
    from collections import Counter

    from edition.body import language

    texts = ["Москва, 7 июля 1957 г.", "Һөрмәтли јолдаш, мән Сизә вә бу", "The delegation will arrive in Moscow.",
             "Die Lage in Berlin und der Bericht.", "17105", "[signed] Radmanesh", "中国共产党中央委员会"]
    evs = [language.gather(t) for t in texts]
    updates: list[object] = []

    class Watched(Counter[str]):
        def update(self, *args: object, **kwargs: int) -> None:  # type: ignore[override]
            if args and args[0] is not None:  # not the call every Counter() makes of itself
                updates.append(args[0])
            super().update(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(language, "Counter", Watched)
    merged = language.merge(evs)
    assert len(updates) == sum(1 for ev in evs if ev.special) < len(evs)
    special: Counter[str] = Counter()
    for ev in evs:
        special += ev.special
    assert merged.special == special
    assert merged.function == {lang: sum(ev.function[lang] for ev in evs) for lang in language.FUNCTION_WORDS}
    for name in ("words", "letters", "mixed_script_words", "kana", "foreign_words", "hyphen_breaks", "fragment_lines", "lines"):
        assert getattr(merged, name) == sum(getattr(ev, name) for ev in evs), name
    assert language.merge([]).function == {}


def test_a_cyrillic_guess_without_special_letters_looks_none_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evidence._cyrillic looked up twelve letters among a paragraph's special letters, and
    a Counter answers each letter it lacks by __missing__ (Python's): twelve calls for
    nothing in nearly every paragraph, a third of the guesses' time. It looks only in a
    paragraph that has some, and guesses as before."""
    from collections import Counter

    from edition.body import language

    plain = language.gather("Президиум ЦК КПСС рассмотрел вопрос и постановил принять предложение.")
    marked = language.gather("Һөрмәтли јолдаш, мән Сизә вә бу мәктубу ҝөндәрирәм.")
    missing: list[object] = []
    real = Counter.__missing__

    def counted(self: Counter[str], key: str) -> int:
        missing.append(key)
        return real(self, key)

    monkeypatch.setattr(Counter, "__missing__", counted)
    assert plain.guess() == "ru" and missing == []
    assert marked.guess() == "az-Cyrl" and missing
