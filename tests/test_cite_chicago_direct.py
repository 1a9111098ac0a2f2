"""The direct Chicago renderings (edition.chicago) against citeproc-py, the oracle:
the same bytes for every item the direct path accepts, on the edition's own items,
on a synthetic corpus and on generated items, and a fallback for everything else.
An item without an author goes to citeproc-py with a stand-in author, taken out of
the result (chicago_citeproc.ChicagoRenderer._by_processor)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edition import chicago, chicago_citeproc, citation_item
from edition.benchmark.corpus import generate_corpus
from edition.convert import convert_all
from edition.executor import SerialExecutor

ROOT = Path(__file__).resolve().parent.parent
CITE_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cite"


@pytest.fixture(scope="module")
def renderer() -> chicago_citeproc.ChicagoRenderer:
    return chicago_citeproc.ChicagoRenderer()


def _both(renderer: chicago_citeproc.ChicagoRenderer, item: dict[str, Any]) -> tuple[chicago_citeproc.Chicago | None, chicago_citeproc.Chicago]:
    direct = chicago.render(chicago_citeproc._processor_item(item, html=True))
    made = None
    if direct is not None:
        made = renderer.render(item)
        assert (made.note_html, made.bibliography_html) == direct
    return made, renderer.render_by_processor(item)


def _tei_files() -> list[Path]:
    return sorted((ROOT / "tei").glob("*.xml")) + sorted(
        p for p in CITE_FIXTURES.glob("*.xml") if p.name != "no-id.xml"
    )


@pytest.mark.parametrize("path", _tei_files(), ids=lambda p: p.stem)
def test_edition_items_render_as_citeproc_renders_them(path: Path, renderer: chicago_citeproc.ChicagoRenderer) -> None:
    item = citation_item.csl_item(path, "https://edition.example.org/")
    made, oracle = _both(renderer, item)
    if made is not None:
        assert made == oracle


def test_a_synthetic_corpus_renders_directly_and_as_citeproc_does(
    tmp_path: Path, renderer: chicago_citeproc.ChicagoRenderer
) -> None:
    # 60 documents derived from every seed: every export shape and document type.
    sources = generate_corpus(ROOT / "seeds", tmp_path / "src", 60)
    outcomes = convert_all(sources, tmp_path / "tei", executor=SerialExecutor())
    assert [o.status for o in outcomes if o.status == "failed"] == []
    direct = 0
    for path in sorted((tmp_path / "tei").glob("*.xml")):
        item = citation_item.csl_item(path, "https://edition.example.org/")
        made, oracle = _both(renderer, item)
        if made is not None:
            direct += 1
            assert made == oracle, path.name
    # The point of the direct path: the edition's usual items take it.
    assert direct == 60


# --------------------------------------------------------------------------- generated items

# Letters with and without case, digits, spaces and the marks that meet citeproc-py's
# seam, quote and escaping rules.
_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZéßŉ019 .,;:!?()'\"&<>“”’-") + [" "] * 4),
    min_size=1,
    max_size=24,
)
_WORDY = st.lists(st.sampled_from(["memo", "of", "the", "Letter", "to", "no.", "(no.", "a:", "and", "USSR", "up"]),
                  min_size=1, max_size=8).map(" ".join)
_STRING = st.one_of(_TEXT, _WORDY)

_NAME = st.one_of(
    st.fixed_dictionaries({"family": _STRING}, optional={"given": st.one_of(_STRING, st.just("I."))}),
    st.fixed_dictionaries({"literal": _STRING}),
    st.fixed_dictionaries({"family": _STRING, "given": _STRING, "non-dropping-particle": st.just("de")}),
    st.fixed_dictionaries({"family": _STRING, "suffix": st.just("Jr.")}),
)
_NAMES = st.lists(_NAME, min_size=1, max_size=12)

_DATE = st.one_of(
    st.builds(lambda y: {"date-parts": [[y]]}, st.integers(1900, 1999)),
    st.builds(lambda y, m: {"date-parts": [[y, m]]}, st.integers(1900, 1999), st.integers(1, 12)),
    st.builds(lambda y, m, d: {"date-parts": [[y, m, d]]}, st.integers(1900, 1999), st.integers(1, 12),
              st.integers(1, 28)),
    st.builds(lambda y, m, d: {"date-parts": [[y, m, d]], "circa": True}, st.integers(1900, 1999),
              st.integers(1, 12), st.integers(1, 28)),
    st.builds(lambda y: {"date-parts": [[y, 1, 2], [y + 1, 3, 4]]}, st.integers(1900, 1999)),
    st.builds(lambda s: {"literal": s}, _STRING),
)

_OPTIONAL = {
    "title": _STRING,
    "author": _NAMES,
    "recipient": _NAMES,
    "translator": _NAMES,
    "issued": _DATE,
    "genre": _STRING,
    "archive": _STRING,
    "archive_collection": _STRING,
    "archive_location": _STRING,
    "archive-place": _STRING,
    "language": st.sampled_from(["en", "ru", "en-US", "az", "fr"]),
    "abstract": _STRING,
    "source": _STRING,
    "URL": st.sampled_from(["https://edition.example.org/documents/a.html", "http://x.org/?a=1&b=2"]),
    "note": _STRING,
}

_ITEMS = st.fixed_dictionaries(
    {"id": st.just("item-1"), "type": st.sampled_from(["manuscript", "personal_communication", "report"])},
    optional=_OPTIONAL,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=_ITEMS)
def test_generated_items_render_as_citeproc_renders_them_or_fall_back(
    item: dict[str, Any], renderer: chicago_citeproc.ChicagoRenderer
) -> None:
    made, oracle = _both(renderer, item)
    if made is not None:
        assert made == oracle, json.dumps(item, ensure_ascii=False)
    else:
        assert renderer.render(item) == oracle


def _names(value: st.SearchStrategy[str], initials: list[str]) -> st.SearchStrategy[dict[str, str]]:
    return st.one_of(
        st.fixed_dictionaries({"family": value}, optional={"given": st.one_of(value, st.sampled_from(initials))}),
        st.fixed_dictionaries({"literal": value}),
    )


def _edition_shaped(value: st.SearchStrategy[str], name: st.SearchStrategy[dict[str, str]], most: int,
                    issued: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Items in the shape xslt/csl.xsl makes (a letter with its addressees; the test
    may turn it into a manuscript), with ``value`` for every string."""
    return st.fixed_dictionaries(
        {
            "id": st.just("item-1"),
            "type": st.just("personal_communication"),
            "author": st.lists(name, min_size=1, max_size=most),
            "recipient": st.lists(name, min_size=1, max_size=most),
            "genre": value,
            "issued": issued,
        },
        optional={
            **{k: value for k in ("title", "archive", "archive-place", "archive_location", "archive_collection")},
            "translator": st.lists(name, min_size=1, max_size=most),
            "language": _OPTIONAL["language"],
            "URL": _OPTIONAL["URL"],
            "abstract": _OPTIONAL["abstract"],
        },
    )


# The shapes the edition makes, with any words: the direct path must take every one.
_PLAIN = st.lists(st.text(alphabet="abcdXYZé", min_size=1, max_size=8), min_size=1, max_size=5).map(" ".join)
_EDITION_ITEMS = _edition_shaped(
    _PLAIN, _names(_PLAIN, ["I."]), 4,
    _DATE.filter(lambda d: "date-parts" in d and len(d["date-parts"]) == 1),
)

# Words that meet citeproc-py's rules inside a value: stop words, colons and full
# stops before a word (title case), closing quotes before a comma (punctuation in
# quotes), characters HTML escapes, letters whose capital is longer than they are.
_TRICKY_WORDS = ["memo", "of", "the", "a:", "no.", "(no.", "on”,", "x’.", "&", "<b>", "USSR", "ßa", "ŉx",
                 "été", "top-down", "’s", "“q”", "i.", "to", "and", "up", "O'Neil", "x”.,", "5"]
_TRICKY = st.builds(
    lambda words, last: " ".join([*words, last]),
    st.lists(st.sampled_from(_TRICKY_WORDS), max_size=6),
    st.sampled_from(["memo", "Moscow", "Letter", "ussr", "of", "x”", "é"]),
)
_TRICKY_ITEMS = _edition_shaped(_TRICKY, _names(_TRICKY, ["I.", "A. B."]), 7, _DATE)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(item=_TRICKY_ITEMS, manuscript=st.booleans(), authorless=st.booleans())
def test_tricky_values_render_as_citeproc_renders_them(
    item: dict[str, Any], manuscript: bool, authorless: bool, renderer: chicago_citeproc.ChicagoRenderer
) -> None:
    if manuscript:
        item = {**item, "type": "manuscript"}
        del item["recipient"]
    if authorless and "translator" in item:
        del item["author"]
    made, oracle = _both(renderer, item)
    if made is not None:
        assert made == oracle, json.dumps(item, ensure_ascii=False)


@settings(max_examples=200, deadline=None)
@given(item=_EDITION_ITEMS, manuscript=st.booleans(), authorless=st.booleans())
def test_the_edition_shapes_take_the_direct_path(
    item: dict[str, Any], manuscript: bool, authorless: bool, renderer: chicago_citeproc.ChicagoRenderer
) -> None:
    if manuscript:
        item = {**item, "type": "manuscript"}
        del item["recipient"]
    # An unsigned document (no sender) too: every converted document has a title.
    if authorless and "title" in item:
        del item["author"]
    made, oracle = _both(renderer, item)
    assert made is not None
    assert made == oracle
    if authorless and "title" in item:
        assert made.note_html.startswith("“") and made.bibliography_html[:1] in ("“", "")


def test_another_style_or_locale_is_left_to_citeproc() -> None:
    item = citation_item.csl_item(_tei_files()[0], "")
    british = chicago_citeproc.ChicagoRenderer(locale="en-GB")
    assert british.render(item) == british.render_by_processor(item)
