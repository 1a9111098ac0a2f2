"""Property-based tests of the archival-citation reader, through the real path.

Citations are built from realistic parts (repositories known and unknown, Latin,
Cyrillic and Azerbaijani labels with and without their full stops, numbers with
letters and slashes, leaves with "ob.", ranges and lists, a microfilm reel, a
collection sentence, a credit, quotes, full-width forms, invisible characters, a
mark at the end; and references outside the fond system, "TNA, FO 371/128456"), put into
the Source field of a copy of seed 000, and converted, checked for fidelity,
validated (every layer) and cited (the CSL item). Each example says what the
header and the CSL item must hold: every part, as printed, in the printed order,
with the printed labels, and nothing the citation does not say. Examples are
bounded (``max_examples`` below, times ROBUST_SCALE) so the module stays fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from edition import fidelity
from edition.citation_item import csl_item
from edition.convert import convert_source
from edition.sources.archives import narrow
from edition.sources.layout import visible
from robust_support import NS, ROOT, bounded

SEED = ROOT / "seeds" / "000_30e4ef367cf143dd.txt"
SEED_CITATION = (
    "RGANI, f. 5, op. 30, d. 189. General Department of the Central Committee, 1953-1966, "
    "microfilm, reel 44. Contributed by Roham Alvandi and translated by Gary Goldberg."
)
CREDIT = "Contributed by Roham Alvandi and translated by Gary Goldberg."


@dataclass(frozen=True)
class Part:
    kind: str  # fond, opis, papka, delo, tom, folio
    label: str  # as printed
    value: str  # as printed
    csl_label: str  # the label the CSL item must print ("" when it prints none)


# Known repositories (with their country) and unknown ones, by acronym and by name.
KNOWN = {"RGANI": "Russia", "GARF": "Russia", "AVP RF": "Russia", "РГАНИ": "Russia", "ГАРФ": "Russia",
         "TsDA": "Bulgaria", "SAPMO-BArch": "Germany", "Russian State Archive of Contemporary History": "Russia",
         "MNL OL": "Hungary"}
UNKNOWN = ["ARPİİSSA", "XYZA", "AMVnR", "ЦГАА", "Archive of the Ministry of Foreign Affairs", "PA AA",
           # Names with a comma in them, which were cut at it.
           "Archiv, Berlin", "Politisches Archiv, Auswärtiges Amt (PA AA)"]

INVISIBLE = ["\u00ad", "\u200b", "\u2060", "\u200e", "\ufeff", "\u2066"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# A whole part typed in full-width forms ("ｄ．３４７"), as East Asian input methods give it.
WIDE = {c: c + 0xFEE0 for c in range(0x21, 0x7F)} | {0x20: 0x3000}


@dataclass(frozen=True)
class Cited:
    line: str  # the Source field's citation
    reference: str  # the archival reference printed in it
    parts: list[Part]
    country: str | None  # of a known repository
    reel: str | None
    unsure: bool  # the repository may be read as the sentence before the reference
    units: str | None = None  # units after the parts, kept as the shelfmark


@st.composite
def numbers(draw: st.DrawFn, letters: bool = True) -> str:
    n = str(draw(st.integers(1, 9999)))
    if letters:
        n += draw(st.sampled_from(["", "", "", "a", "A", "б", "/2", "-1"]))
    if draw(st.integers(0, 9)) == 0:
        n = n.translate(draw(st.sampled_from([FULL_WIDTH, ARABIC_INDIC])))
    return n


@st.composite
def leaves(draw: st.DrawFn) -> str:
    def leaf(last: bool = False) -> str:
        # The verso, "ob." or "ob" ("12ob-13"); a last leaf's "ob" before the reference's own
        # full stop would be "ob." in either reading, so it is drawn with its stop there.
        n = str(draw(st.integers(1, 400))) + draw(st.sampled_from(["", "", "", "", "a", "а"]))
        return n + draw(st.sampled_from(["", "", "", " ob.", "ob.", " об."] + ([] if last else ["ob", " об"])))

    shape = draw(st.sampled_from(["one", "range", "range", "list"]))
    if shape == "one":
        return leaf(last=True)
    first = leaf()
    dash = draw(st.sampled_from(["-", "–", " - ", "–"]))
    if shape == "range":
        return f"{first}{dash}{leaf(last=True)}"
    if draw(st.booleans()):
        return f"{first}, {leaf()}{dash}{leaf()} and {leaf(last=True)}"
    return f"{first}, {leaf()}{dash}{leaf(last=True)}"


def _folio_label(value: str, kind: str) -> str:
    plural = re.search(r"[-–,]|\sand\s", value) is not None
    return {"folio": "ll." if plural else "l.", "pages": "pp." if plural else "p.", "vereq": "v."}[kind]


@st.composite
def citations(draw: st.DrawFn) -> Cited:
    russian_stops = draw(st.booleans())  # "RGANI. F. 5. Op. 30." instead of commas
    cyrillic = draw(st.integers(0, 4)) == 0
    azeri = not cyrillic and draw(st.integers(0, 4)) == 0
    known = draw(st.booleans())
    repository = draw(st.sampled_from(sorted(KNOWN) if known else UNKNOWN))
    sep = ". " if russian_stops else ", "

    capitals = russian_stops and draw(st.integers(0, 4)) > 0  # "RGANI. F. 5." and, now and then, "RGANI. f. 5."

    def label(latin: list[str], cyr: list[str]) -> str:
        got = draw(st.sampled_from(cyr if cyrillic else latin))
        return got.capitalize() if capitals else got

    fond89 = not azeri and draw(st.integers(0, 6)) == 0  # RGANI's fond 89: perechen and dokument
    parts = [Part("fond", label(["f.", "f.", "fond", "f"], ["ф.", "фонд"]), "89" if fond89 else draw(numbers()), "f.")]
    if draw(st.integers(0, 5)):
        if fond89:
            parts.append(Part("opis", label(["per.", "perechen"], ["пер.", "перечень"]), draw(numbers()), "per."))
        elif azeri:
            parts.append(Part("opis", draw(st.sampled_from(["siy.", "siyahı", "siy", "Siy.", "Siyahı"])), draw(numbers()),
                              "siy."))
        else:
            parts.append(Part("opis", label(["op.", "opis", "op"], ["оп.", "опись"]), draw(numbers()), "op."))
    has_delo = draw(st.integers(0, 5)) > 0
    if has_delo and not azeri and not fond89 and draw(st.integers(0, 3)) == 0:
        parts.append(Part("papka", label(["p."], ["п."]), draw(numbers()), "p."))
    if has_delo:
        if fond89:
            parts.append(Part("delo", label(["dok.", "dokument"], ["док.", "документ"]), draw(numbers()), "dok."))
        elif azeri:
            parts.append(Part("delo", draw(st.sampled_from(["iş", "İş"])), draw(numbers()), "iş"))
        else:
            parts.append(Part("delo", label(["d.", "delo", "d"], ["д.", "дело"]), draw(numbers()), "d."))
            if draw(st.integers(0, 5)) == 0:  # a delo in several volumes: its tom
                parts.append(Part("tom", label(["t.", "tom"], ["т.", "том"]), str(draw(st.integers(1, 12))), "t."))
    if draw(st.booleans()):
        value = draw(leaves())
        if azeri:
            kind, printed = "vereq", draw(st.sampled_from(["v.", "vərəq", "vər.", "vərəqlər", "V."]))
        elif cyrillic:
            kind, printed = "folio", ("лл." if re.search(r"[-–,]", value) else "л.")
        elif draw(st.integers(0, 4)) == 0:
            kind, printed = "folio", ("Listy" if re.search(r"[-–,]", value) else "List")
        else:
            kind = draw(st.sampled_from(["folio", "folio", "pages"]))
            printed = _folio_label(value, kind)
        parts.append(Part("folio", printed.capitalize() if capitals else printed, value,
                          _folio_label(value, kind)))
    space = draw(st.sampled_from([" ", " ", " ", "\u00a0", ""]))  # "f. 5", "f.\u00a05", "f.5"
    printed_parts = [f"{p.label}{space if p.label.endswith('.') else ' '}{p.value}" for p in parts]
    if draw(st.integers(0, 9)) == 0:
        wide = draw(st.integers(0, len(printed_parts) - 1))
        printed_parts[wide] = printed_parts[wide].translate(WIDE)
    body = sep.join(printed_parts)
    units = None
    if draw(st.integers(0, 4)) == 0:
        # A unit the reader has no label for (the Bulgarian a.e., the Czech sv.): the shelfmark.
        # Or a note in brackets after the parts ("(copy)"), which follows them without a comma.
        if draw(st.integers(0, 2)) == 0:
            units = draw(st.sampled_from(["(copy)", "(original in Russian)", "(excerpt)"]))
            body += f" {units}"
        else:
            units = f"{draw(st.sampled_from(['a.e.', 'sv.', 'a.j.']))} {draw(st.integers(1, 999))}"
            body += f", {units}"
    if draw(st.integers(0, 6)) == 0:  # an invisible character inside a label or a number
        at = draw(st.integers(1, len(body) - 1))
        if body[at - 1].isalnum() and body[at].isalnum():
            body = body[:at] + draw(st.sampled_from(INVISIBLE)) + body[at:]
    reference = f"{repository}{sep}{body}"
    reel = draw(st.sampled_from(["44", "83", "1.993", "2"])) if draw(st.booleans()) else None
    collection = draw(st.booleans())
    reel_first = draw(st.booleans())  # the seeds' order is the collection, then the reel
    if reel and reel_first:
        reference += f", microfilm, reel {reel}"
    if collection:
        reference += ". General Department of the Central Committee, 1953-1966"
    if reel and not reel_first:
        reference += f", microfilm, reel {reel}"
    reference += draw(st.sampled_from([".", ".", "", ";", ",", "!"]))
    if draw(st.integers(0, 5)) == 0:
        opening, closing = draw(st.sampled_from(['""', "“”", "()"]))
        reference = f"{opening}{reference}{closing}"
    if draw(st.integers(0, 6)) == 0:  # and one anywhere in the reference, at its ends too
        at = draw(st.integers(0, len(reference)))
        reference = reference[:at] + draw(st.sampled_from(INVISIBLE)) + reference[at:]
    credit = draw(st.sampled_from([" " + CREDIT, " " + CREDIT, "", " Obtained and translated by Roham Alvandi.",
                                   " Translated by Gary Goldberg.", " Donated by Roham Alvandi."]))
    # The Wilson Center's own form opens with the title, date and digital archive.
    prefix = draw(st.sampled_from(["", "", '"Resolution of the CC", July 7, 1957, Wilson Center Digital Archive, ']))
    # A repository named in words is one only when a comma or the edition's list says so:
    # after a full stop an unknown name may be the sentence before ("… in 1957. F. 1").
    # So is one before a fond alone: "Box 3456, f. 3" gives a folio, not a fond.
    named = repository in UNKNOWN and " " in repository and (
        russian_stops or all(p.kind in ("fond", "folio") for p in parts))
    return Cited(prefix + reference + credit, reference, parts, KNOWN.get(repository), reel, named, units)


@pytest.fixture(scope="module")
def validator():
    from edition.validate import get_validator

    return get_validator()


def _plain(text: str) -> str:
    """A part as the reader gives it: ASCII digits, no invisible characters."""
    return " ".join(visible(narrow(text)).split())


def _in_order(needles: list[str], haystack: str) -> bool:
    at = 0
    for needle in needles:
        found = haystack.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


def _unquoted(reference: str) -> str:
    """The reference without the quotes or brackets drawn around it (a note in brackets at
    its end, "(copy)", keeps its own), nor invisible characters at its ends."""
    invisible = "".join(INVISIBLE)
    text = reference.strip(invisible)
    closing = {'"': '"', "“": "”", "(": ")"}.get(text[:1])
    if closing is not None and text.rstrip(invisible).endswith(closing):
        text = text[1:].rstrip(invisible)[:-1]
    return text.strip(invisible)


def check_citation(workdir: Path, validator, cited: Cited) -> None:
    line, reference, parts, country, reel = cited.line, cited.reference, cited.parts, cited.country, cited.reel
    source = workdir / "000_cite.txt"
    source.write_text(SEED.read_text(encoding="utf-8").replace(SEED_CITATION, line), encoding="utf-8")
    tei = workdir / "tei"
    tei.mkdir(exist_ok=True)
    doc, data = convert_source(source, "doc")
    (tei / f"{doc.id}.xml").write_bytes(data)
    report = fidelity.check_source(source, tei, "doc")
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))
    errors = [f.format() for f in validator.validate_bytes(data, str(source)) if f.severity == "error"]
    assert not errors, "\n".join(errors)
    root = etree.fromstring(data)
    archival = root.xpath("string(//tei:sourceDesc/tei:bibl[@type='archival'])", namespaces=NS)
    # White space is the TEI's (a no-break space too); quotes and invisible characters at
    # the ends are not part of the reference.
    unquoted = " ".join(_unquoted(reference).split())
    archival = archival.strip("".join(INVISIBLE))  # one before the credits is kept, and harmless
    assert archival == unquoted or (cited.unsure and unquoted.endswith(archival)), archival
    ms = root.find(".//tei:msDesc", NS)
    if ms is None:
        assert cited.unsure, f"no msDesc for {reference!r}"
        return
    printed = _plain(reference)
    idnos = {i.get("type"): i.text or "" for i in ms.iterfind("tei:msIdentifier/tei:idno", NS)}
    loci = [loc.text or "" for loc in ms.iterfind("tei:msContents/tei:msItem/tei:locus", NS)]
    got = [idnos.get(p.kind) for p in parts if p.kind != "folio"] + loci + [idnos.get("shelfmark")]
    want = [_plain(p.value) for p in parts if p.kind != "folio"] + [_plain(p.value) for p in parts if p.kind == "folio"]
    want.append(cited.units)
    assert got == want, f"parts {got} for {want}"
    assert _in_order([g for g in got if g], printed)
    collection = root.xpath("string(//tei:msIdentifier/tei:collection)", namespaces=NS)
    assert collection in ("", "General Department of the Central Committee, 1953-1966"), f"collection {collection!r}"
    csl = csl_item(tei / f"{doc.id}.xml", data=data)
    location = csl.get("archive_location", "")
    expected = ", ".join(f"{p.csl_label} {_plain(p.value)}".strip() for p in parts)
    if cited.units:  # a note in brackets follows the part before it as printed, without a comma
        expected += (" " if cited.units.startswith("(") else ", ") + cited.units
    expected += f", reel {reel}" if reel else ""
    assert location == expected, f"archive_location {location!r}, expected {expected!r}"
    place = root.xpath("string(//tei:msIdentifier/tei:country)", namespaces=NS)
    assert place == (country or ""), f"country {place!r} for a repository of {country!r}"
    if country is None:
        assert not csl.get("archive-place") and not root.xpath("//tei:msIdentifier/tei:settlement", namespaces=NS)


@bounded(80)
@given(cited=citations())
def test_archival_citations_through_the_real_path(tmp_path_factory: pytest.TempPathFactory, validator, cited) -> None:
    check_citation(tmp_path_factory.mktemp("cite"), validator, cited)


def _cited(reference: str, parts: list[tuple[str, str, str, str]], country: str | None, reel: str | None = None,
           credit: str = " " + CREDIT) -> Cited:
    return Cited(reference + credit, reference, [Part(*p) for p in parts], country, reel, False)


# Examples the fuzzer found, shrunk by hand; each failed before its fix.
FOUND = {
    # The last leaf's "ob" without its full stop was cut off the locus ("12ob-13", to="13"),
    # which the Schematron then found the citation does not say.
    "verso-without-stop": _cited(
        "RGANI, f. 5, op. 30, d. 189, ll. 12ob-13ob, microfilm, reel 3.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d."),
         ("folio", "ll.", "12ob-13ob", "ll.")], "Russia", "3"),
    # A known repository by its full name, then the Russian style's full stops: the name was
    # taken for the sentence before the reference, and the header named no archive.
    "full-name-then-full-stop": _cited(
        "Russian State Archive of Contemporary History. F. 5. Op. 30. D. 189.",
        [("fond", "F.", "5", "f."), ("opis", "Op.", "30", "op."), ("delo", "D.", "189", "d.")], "Russia"),
    # A comma, semicolon or exclamation mark at the end (the comma before the credits, when
    # no full stop ends the reference): the reel became units, the collection kept the mark.
    "reel-then-comma": _cited(
        "RGANI, f 272, op 272, d. 272, p. 167, microfilm, reel 238,",
        [("fond", "f", "272", "f."), ("opis", "op", "272", "op."), ("delo", "d.", "272", "d."),
         ("folio", "p.", "167", "p.")], "Russia", "238"),
    "collection-then-semicolon": _cited(
        "RGANI, f. 5, op. 30, d. 189. General Department of the Central Committee, 1953-1966;",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d.")], "Russia"),
    # A reference quoted whole: the archival citation began after the opening quote and
    # ended after the closing one, which became the collection ("\"").
    "quoted-whole": Cited(
        '"RGANI, f. 5, op. 30, d. 189, l. 3." ' + CREDIT, '"RGANI, f. 5, op. 30, d. 189, l. 3."',
        [Part("fond", "f.", "5", "f."), Part("opis", "op.", "30", "op."), Part("delo", "d.", "189", "d."),
         Part("folio", "l.", "3", "l.")], "Russia", None, False),
    # The same, the repository named in words before the Russian style's full stop: the
    # reference starts at its fond, well after the opening quote.
    "quoted-whole-from-the-fond": Cited(
        '“Archive of the Ministry of Foreign Affairs. F. 5. Op. 30.” ' + CREDIT,
        '“Archive of the Ministry of Foreign Affairs. F. 5. Op. 30.”',
        [Part("fond", "F.", "5", "f."), Part("opis", "Op.", "30", "op.")], None, None, True),
    # Units after the leaves (here a second file): the CSL location gave them before the
    # leaves ("…, d. 189, f. 5, op. 30, d. 190, l. 7, ll. 3-4"), the leaves the second file's.
    "units-after-the-leaves": Cited(
        "RGANI, f. 5, op. 30, d. 189, ll. 3-4; f. 5, op. 30, d. 190, l. 7. " + CREDIT,
        "RGANI, f. 5, op. 30, d. 189, ll. 3-4; f. 5, op. 30, d. 190, l. 7.",
        [Part("fond", "f.", "5", "f."), Part("opis", "op.", "30", "op."), Part("delo", "d.", "189", "d."),
         Part("folio", "ll.", "3-4", "ll.")], "Russia", None, False, "f. 5, op. 30, d. 190, l. 7"),
    # A reel numbered with a point (the Hoover Institution's film of fond 89): the reel was
    # "1", and "microfilm, reel 1.993" stayed in the shelfmark or the collection.
    "reel-with-a-point": _cited(
        "RGANI, f. 89, per. 18, dok. 42, microfilm, reel 1.993.",
        [("fond", "f.", "89", "f."), ("opis", "per.", "18", "per."), ("delo", "dok.", "42", "dok.")], "Russia", "1.993"),
    "reel-with-a-point-after-the-collection": _cited(
        "RGANI, f. 5, op. 30, d. 189. General Department of the Central Committee, 1953-1966, microfilm, reel 1.993.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d.")], "Russia", "1.993"),
    # Leaves listed with "and": the last were left out of the locus, and of every citation.
    "leaves-and": _cited(
        "RGASPI, f. 17, op. 3, d. 1074, ll. 3, 45-46 and 50.",
        [("fond", "f.", "17", "f."), ("opis", "op.", "3", "op."), ("delo", "d.", "1074", "d."),
         ("folio", "ll.", "3, 45-46 and 50", "ll.")], "Russia"),
    "pages-and": _cited(
        "RGANI, f. 5, op. 30, d. 189, pp. 12 and 15.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d."),
         ("folio", "pp.", "12 and 15", "pp.")], "Russia"),
    # A leaf inserted later, numbered with a letter: the locus was "12", which the citation
    # does not give (invalid TEI: ed-archival-parts).
    "leaf-with-a-letter": _cited(
        "RGANI, f. 5, op. 30, d. 189, ll. 12a-13.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d."),
         ("folio", "ll.", "12a-13", "ll.")], "Russia"),
    # A delo numbered with a point was cut at it: delo "189" and a collection "1, l. 3".
    "delo-with-a-point": _cited(
        "RGANI, f. 5, op. 30, d. 189.1, l. 3.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189.1", "d."),
         ("folio", "l.", "3", "l.")], "Russia"),
    # The same in brackets: the collection was ")".
    "bracketed-whole": Cited(
        "(RGANI, f. 5, op. 30, d. 189.) " + CREDIT, "(RGANI, f. 5, op. 30, d. 189.)",
        [Part("fond", "f.", "5", "f."), Part("opis", "op.", "30", "op."), Part("delo", "d.", "189", "d.")],
        "Russia", None, False),
    # A name with a comma was cut at it ("Berlin"); an acronym of two words had no key.
    "name-with-a-comma": _cited(
        "Archiv, Berlin, f. 5, op. 30, d. 189.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d.")], None),
    # The same bracketed whole: the clause before "Berlin" was "(Archiv", no name.
    "name-with-a-comma-bracketed-whole": Cited(
        "(Archiv, Berlin, f.\xa071б, op 234/2, d 105/2, tom 9. General Department of the Central Committee, "
        "1953-1966!) Donated by Roham Alvandi.",
        "(Archiv, Berlin, f.\xa071б, op 234/2, d 105/2, tom 9. General Department of the Central Committee, 1953-1966!)",
        [Part("fond", "f.", "71б", "f."), Part("opis", "op", "234/2", "op."), Part("delo", "d", "105/2", "d."),
         Part("tom", "tom", "9", "t.")], None, None, False),
    "acronym-of-two-words": _cited(
        "MNL OL. F. 5. Op. 30.", [("fond", "F.", "5", "f."), ("opis", "Op.", "30", "op.")], "Hungary"),
    # A note in brackets after the parts was lost from the CSL location, with what followed it.
    "note-in-brackets": Cited(
        "RGANI, f. 5, op. 30, d. 189 (copy). " + CREDIT, "RGANI, f. 5, op. 30, d. 189 (copy).",
        [Part("fond", "f.", "5", "f."), Part("opis", "op.", "30", "op."), Part("delo", "d.", "189", "d.")],
        "Russia", None, False, "(copy)"),
    # A delo's tom took the leaves after it into the shelfmark.
    "tom-then-leaves": _cited(
        "GARF, f. 5, op. 30, d. 189, t. 1, ll. 3-4.",
        [("fond", "f.", "5", "f."), ("opis", "op.", "30", "op."), ("delo", "d.", "189", "d."),
         ("tom", "t.", "1", "t."), ("folio", "ll.", "3-4", "ll.")], "Russia"),
    "units-then-exclamation-mark": Cited(
        "XYZA, f. 109a, op 23a, d 3120a, a.j. 42! " + CREDIT, "XYZA, f. 109a, op 23a, d 3120a, a.j. 42!",
        [Part("fond", "f.", "109a", "f."), Part("opis", "op", "23a", "op."), Part("delo", "d", "3120a", "d.")],
        None, None, False, "a.j. 42"),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_citations_the_fuzzer_found(tmp_path: Path, validator, name: str) -> None:
    check_citation(tmp_path, validator, FOUND[name])


# Archives outside the fond system, cited by acronym then the reference in their own terms.
SHELFMARK_REPOSITORIES = {"TNA": "United Kingdom", "BStU": "Germany", "IPN": "Poland", "ANIC": "Romania",
                          "AQSh": "Albania", "SAPMO-BArch": "Germany", "NARA": "United States"}
SHELFMARK_UNITS = ["FO 371/128456", "EA 1015/23", "DY 30/IV 2/2.035/45", "Bl. 12-15", "MfS, HA II, Nr. 1234",
                   "BU 0296/1", "t. 2", "k. 45", "CC al PCR", "dosar 12/1957", "f. 3-5", "RG 59", "Box 3456",
                   "Central Decimal File 1955-59", "761.00/5-1257", "Dos. 12", "fl. 3", "l. 7",
                   # With a fond before it, a reference in fond and delo after a clause the repository
                   # has no labels for ("IPN, RG 59, f. 3-5, d. 4"), which named the repository "RG 59".
                   "d. 4", "op. 2"]


@st.composite
def shelfmark_citations(draw: st.DrawFn) -> tuple[str, str, str, str, str | None]:
    """(citation line, printed reference, acronym, shelfmark, reel)."""
    acronym = draw(st.sampled_from(sorted(SHELFMARK_REPOSITORIES)))
    units = draw(st.lists(st.sampled_from(SHELFMARK_UNITS), min_size=1, max_size=4, unique=True))
    if units[0] == "f. 3-5":  # right after the repository, that is a fond ("IPN, f. 3")
        units = units[1:] + ["f. 3-5"] if len(units) > 1 else ["RG 59"]
    shelfmark = ", ".join(units)
    reference = f"{acronym}, {shelfmark}"
    reel = draw(st.sampled_from(["7", "1.993"])) if draw(st.booleans()) else None
    if reel:
        reference += f", microfilm, reel {reel}"
    reference += draw(st.sampled_from([".", "", ";"]))
    return reference + draw(st.sampled_from([" " + CREDIT, ""])), reference, acronym, shelfmark, reel


@bounded(30)
@given(cited=shelfmark_citations())
def test_references_without_a_fond_through_the_real_path(tmp_path_factory: pytest.TempPathFactory, validator,
                                                        cited: tuple[str, str, str, str, str | None]) -> None:
    line, reference, acronym, shelfmark, reel = cited
    check_shelfmark(tmp_path_factory.mktemp("shelfmark"), validator, line, reference, acronym, shelfmark, reel)


def check_shelfmark(workdir: Path, validator, line: str, reference: str, acronym: str, shelfmark: str,
                    reel: str | None) -> None:
    source = workdir / "000_cite.txt"
    source.write_text(SEED.read_text(encoding="utf-8").replace(SEED_CITATION, line), encoding="utf-8")
    tei = workdir / "tei"
    tei.mkdir(exist_ok=True)
    doc, data = convert_source(source, "doc")
    (tei / f"{doc.id}.xml").write_bytes(data)
    report = fidelity.check_source(source, tei, "doc")
    assert report.ok, "\n".join(fidelity.format_report(report, limit=5))
    errors = [f.format() for f in validator.validate_bytes(data, str(source)) if f.severity == "error"]
    assert not errors, "\n".join(errors)
    root = etree.fromstring(data)
    assert root.xpath("string(//tei:sourceDesc/tei:bibl[@type='archival'])", namespaces=NS) == reference
    ident = root.find(".//tei:msIdentifier", NS)
    assert ident is not None
    assert [(i.get("type"), i.text) for i in ident.iterfind("tei:idno", NS)] == [("shelfmark", shelfmark)]
    assert root.xpath("string(//tei:msIdentifier/tei:country)", namespaces=NS) == SHELFMARK_REPOSITORIES[acronym]
    location = csl_item(tei / f"{doc.id}.xml", data=data).get("archive_location")
    assert location == shelfmark + (f", reel {reel}" if reel else "")


# References without a fond the fuzzer found, each failing before its fix: (line, reference,
# acronym, shelfmark, reel).
SHELFMARKS_FOUND = {
    # The clause before the fond ran back to the full stop of "Bl.": "12-15" was the repository.
    "full-stop-in-the-clause-before-the-fond": (
        "AQSh, Bl. 12-15, f. 3-5, op. 2 " + CREDIT, "AQSh, Bl. 12-15, f. 3-5, op. 2", "AQSh", "Bl. 12-15, f. 3-5, op. 2",
        None),
}


@pytest.mark.parametrize("name", sorted(SHELFMARKS_FOUND))
def test_references_without_a_fond_the_fuzzer_found(tmp_path: Path, validator, name: str) -> None:
    check_shelfmark(tmp_path, validator, *SHELFMARKS_FOUND[name])
