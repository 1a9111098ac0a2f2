"""What an archival citation says, split into its parts.

Russian and Soviet archives are cited as ``ACRONYM, f. 5, op. 28, d. 347,
ll. 1-3``: fond, opis (inventory), delo (file) and list (folio), the labels in any
case ("Fond 3, Opis 65, Delo 776, Listy 1-5"). Fond 89 of RGANI, the documents
declassified for the trial of the CPSU, is arranged in *perechni* and *dokumenty*
instead ("f. 89, per. 18, dok. 42"): they fill the places of opis and delo, and the
label the citation used is kept beside them. Exports add the collection's name and
a microfilm reel. The split keeps every part as printed; anything the pattern does
not recognise stays only in the verbatim citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from edition.model import ArchiveCitation
from edition.sources.layout import visible, visible_index


@dataclass(frozen=True)
class Repository:
    name: str
    country: str
    settlement: str
    # Names the repository is cited by besides its own, in English: several archives
    # share one ("Central State Archive" is Bulgaria's TsDA and Albania's AQSh).
    also: tuple[str, ...] = ()
    # Places a citation prints after it besides its settlement: the city around a district
    # ("London" for the TNA at Kew).
    also_at: tuple[str, ...] = ()
    # Cited by an acronym that exports also write for something else ("NA", not available, in
    # an empty field): the repository only where a fond follows it ("NA, f. KSČ-ÚV-02/1"),
    # never a clause alone.
    before_fond_only: bool = False
    # Cited by collection, box and folder ("Ann Whitman File, International Series, Box 52"),
    # as American libraries' papers are: the reference is split at its "Box" and "Folder".
    boxes: bool = False


# Repositories the edition's sources cite by acronym. Adding one here is all it
# takes for its full name and place to appear in headers and citations.
REPOSITORIES: dict[str, Repository] = {
    "RGANI": Repository("Russian State Archive of Contemporary History", "Russia", "Moscow"),
    "RGASPI": Repository("Russian State Archive of Socio-Political History", "Russia", "Moscow"),
    "GARF": Repository("State Archive of the Russian Federation", "Russia", "Moscow"),
    "AVPRF": Repository("Archive of Foreign Policy of the Russian Federation", "Russia", "Moscow"),
    "APRF": Repository("Archive of the President of the Russian Federation", "Russia", "Moscow"),
    "RGVA": Repository("Russian State Military Archive", "Russia", "Moscow"),
    "RGAE": Repository("Russian State Archive of the Economy", "Russia", "Moscow"),
    "TsAMO": Repository("Central Archive of the Ministry of Defence of the Russian Federation", "Russia", "Podolsk"),
    "ARAN": Repository("Archive of the Russian Academy of Sciences", "Russia", "Moscow"),
    "ARPA": Repository("Archive of the Republican Party of Azerbaijan", "Azerbaijan", "Baku"),
    "ARPIIA": Repository("Archive of Political Parties and Social Movements of the Azerbaijan Republic", "Azerbaijan", "Baku"),
    "TsDAHOU": Repository("Central State Archive of Public Organizations of Ukraine", "Ukraine", "Kyiv"),
    "AAN": Repository("Archiwum Akt Nowych", "Poland", "Warsaw"),
    "SAPMO": Repository("Stiftung Archiv der Parteien und Massenorganisationen der DDR im Bundesarchiv", "Germany", "Berlin"),
    # "National Archives" is each of these two's short name, which its place after it tells
    # apart ("National Archives, Kew", "National Archives, College Park").
    "NARA": Repository("National Archives and Records Administration", "United States", "College Park",
                       also=("National Archives",)),
    # Archives the same digital archive's exports cite beside the Soviet ones, outside the
    # fond system: their references are kept whole as shelfmarks ("TNA, FO 371/128456").
    # The TNA is at Kew, which British citations print ("The National Archives, Kew").
    "TNA": Repository("The National Archives", "United Kingdom", "Kew", also=("National Archives",),
                      also_at=("London",)),
    "BStU": Repository("Federal Commissioner for the Records of the State Security Service of the former GDR",
                       "Germany", "Berlin"),
    "IPN": Repository("Instytut Pamięci Narodowej", "Poland", "Warsaw"),
    "ANIC": Repository("Arhivele Naționale Istorice Centrale", "Romania", "Bucharest"),
    "TsDA": Repository("Central State Archive", "Bulgaria", "Sofia"),
    "AQSh": Repository("Arkivi Qendror Shtetëror", "Albania", "Tirana", also=("Central State Archive",)),
    # Hungary's (MNL OL) and China's Foreign Ministry (PRC FMA) archives, cited in their own
    # terms ("MNL OL, M-KS 288. f. 5/20. ő.e.", where "288. f." is the fond; "PRC FMA
    # 105-00601-01, 1-22"): kept whole as shelfmarks.
    "MNL OL": Repository("Magyar Nemzeti Levéltár Országos Levéltára", "Hungary", "Budapest",
                         also=("Hungarian National Archives",)),
    "PRC FMA": Repository("Archives of the Ministry of Foreign Affairs of the People's Republic of China",
                          "China", "Beijing"),
    # The Czech National Archives, which holds the Communist Party's central committee
    # ("NA, f. KSČ-ÚV-02/1, sv. 58, a.j. 94"): its svazek (a bundle of units) stands where the
    # AVP RF's papka does, its archivní jednotka (the unit) where a delo does.
    "NA": Repository("Národní archiv", "Czech Republic", "Prague",
                     also=("National Archives", "Czech National Archives"), also_at=("Praha",), before_fond_only=True),
}


def _presidential_library(names: tuple[str, ...], settlement: str) -> Repository:
    """The library of the president ``names`` names (the first as his library is named), in
    ``settlement``: cited as "<name> Library", "<name> Presidential Library" or "<name>
    Presidential Library and Museum", after any of his names ("Eisenhower Library")."""
    forms = [f"{name} {kind}" for name in names
             for kind in ("Presidential Library", "Library", "Presidential Library and Museum", "Library and Museum")]
    return Repository(forms[0], "United States", settlement, also=tuple(forms[1:]), boxes=True)


# The presidential libraries of the National Archives (NARA), by the short forms NARA gives
# them, with the names citations print for each president. A surname that names another
# library too ("Hoover Library" is the Hoover Institution's as well) is left out.
REPOSITORIES.update({
    "HHPL": _presidential_library(("Herbert Hoover",), "West Branch"),
    "FDRL": _presidential_library(("Franklin D. Roosevelt", "Franklin Delano Roosevelt", "FDR", "Roosevelt"), "Hyde Park"),
    "HSTL": _presidential_library(("Harry S. Truman", "Harry S Truman", "Truman"), "Independence"),
    "DDEL": _presidential_library(("Dwight D. Eisenhower", "Eisenhower"), "Abilene"),
    "JFKL": _presidential_library(("John F. Kennedy", "JFK", "Kennedy"), "Boston"),
    "LBJL": _presidential_library(("Lyndon Baines Johnson", "Lyndon B. Johnson", "LBJ", "Johnson"), "Austin"),
    "RNPL": _presidential_library(("Richard Nixon", "Richard M. Nixon", "Nixon"), "Yorba Linda"),
    "GRFL": _presidential_library(("Gerald R. Ford", "Ford"), "Ann Arbor"),
    "JCPL": _presidential_library(("Jimmy Carter", "Carter"), "Atlanta"),
    "RRPL": _presidential_library(("Ronald Reagan", "Reagan"), "Simi Valley"),
    "GBPL": _presidential_library(("George Bush", "George H. W. Bush", "George H.W. Bush", "Bush"), "College Station"),
})

# Russian finding aids and Russian-language sources cite the same archives in Cyrillic:
# "РГАНИ, ф. 5, оп. 28, д. 347, л. 12", or with full stops, "РГАНИ. Ф. 5. Оп. 28. Д. 347.".
_CYRILLIC_ACRONYMS = {
    "РГАНИ": "RGANI", "РГАСПИ": "RGASPI", "ГАРФ": "GARF", "АВПРФ": "AVPRF", "АВП РФ": "AVPRF",
    "АПРФ": "APRF", "АП РФ": "APRF", "РГВА": "RGVA", "РГАЭ": "RGAE", "ЦАМО": "TsAMO", "АРАН": "ARAN",
    # Transliterated with the Russian spacing, as English citations often print them.
    "AVP RF": "AVPRF", "AP RF": "APRF",
    # The Bundesarchiv's own form, which German citations print.
    "SAPMO-BArch": "SAPMO",
    # The IPN's archive, as Polish citations print it ("AIPN, BU 0296/1, t. 2, k. 45").
    "AIPN": "IPN",
}

# Exports now and then print a reference in full-width forms ("ｄ. ３４７", from East
# Asian input methods and some PDF text layers) or with Arabic-Indic digits (Persian
# typing). A reference is read through them, and its parts are given, in ASCII; the
# verbatim citation keeps the printed form. One character for one, so a place in the
# text is the same in both. schema/edition.sch's ed:narrow maps the same characters
# when it compares the parts with the verbatim citation: keep the two in step.
_NARROW = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20} \
    | {0x660 + d: 0x30 + d for d in range(10)} | {0x6F0 + d: 0x30 + d for d in range(10)}


def narrow(text: str) -> str:
    """``text`` with full-width forms and Arabic-Indic digits as ASCII, one for one."""
    return text if text.isascii() else text.translate(_NARROW)


# A part is letters and digits of any script, with hyphens and slashes between them: Czech
# and Romanian fonds are named, not numbered ("f. KSČ-ÚV-02/2"), and a part read in Latin
# and Cyrillic letters only ended at the "Č", leaving the fond "KS", which the citation
# does not give. Combining marks go on a part (a decomposed "Č" is "C" and a caron).
# A full stop with a digit right after it is inside a number ("d. 189.1"); between parts
# a full stop is followed by a space or a label ("Д. 347. Л. 12", "Ф.5.Оп.28").
_PART = r"[^\W_](?:[^\W_]|[\u0300-\u036f\-/–]|\.(?=[0-9]))*"
# Between parts a comma, the full stop of the Russian style, or a semicolon; a space
# may stand before it ("f. 5 , op. 28").
_SEP = r"\s?[,.;]?\s*"
# A label printed without its full stop ("f 5 op 28 d 347", "f5"): only where the number
# follows at once, so that a word beginning with the letter is never taken for one. The
# Schematron's ed-archival-parts-missing reads labels so, and would otherwise find an
# opis or delo in the citation that the header does not give.
_ND = r"(?=\s?[0-9])"
# What ends the clause a repository is named in; a repository holds none of them.
_SEPARATORS = ',.;:"“”()'
_NOT_SEPARATOR = "[^" + re.escape(_SEPARATORS) + "]"
# The label of a fond, which every reference has. Labels are read in any case: the
# Russian style's full stops capitalise them ("RGANI. F. 5. Op. 28. D. 347. L. 3").
_FOND = rf"\b(?i:f\.|f{_ND}|fond|ф\.|ф{_ND}|фонд)"
# Fond 89's perechen stands where an opis does, its dokument where a delo does; the
# groups say which label the citation used. Azerbaijani archives (ARDA, ARPİİSSA) label
# the opis siyahı ("siy. 89"), the delo iş ("iş 123") and the leaves vərəq ("v. 4-5"),
# and their groups too keep the labels, which the citations made from the parts print
# (they gave "op. 89, d. 123, l. 5" for "siy. 89, iş 123, v. 5").
_OPIS = (rf"(?:(?P<perechen>(?i:per\.|per{_ND}|perechen['’ʹ]?|пер\.|пер{_ND}|перечень))"
         rf"|(?P<siyahi>(?i:siy\.|siy{_ND}|siyahı))|(?i:op\.|op{_ND}|opis|оп\.|оп{_ND}|опись))")
# The Czech archival unit, archivní jednotka ("a.j. 94", "a. j. 94"), is a delo too.
_DELO_LABEL = rf"(?i:dok\.|dok{_ND}|dokument|док\.|док{_ND}|документ|d\.|d{_ND}|delo|д\.|д{_ND}|дело|[iİ]ş\.?|a\.\s?j\.)"
_DELO = (rf"(?:(?P<dokument>(?i:dok\.|dok{_ND}|dokument|док\.|док{_ND}|документ))"
         rf"|(?P<is>(?i:[iİ]ş\.?))|(?P<jednotka>(?i:a\.\s?j\.))|(?i:d\.|d{_ND}|delo|д\.|д{_ND}|дело))")
# Between opis and delo some archives (the AVP RF) have a papka, a folder: "op. 10,
# p. 56, d. 765". It is a part of the reference like the others: read past, it was in
# the verbatim citation only, and the CSL, RIS, BibTeX and Chicago citations, made from
# the parts, left it out. Only a delo after it makes "p." a papka: "op. 3, p. 12" at
# the end is a page. The Czech svazek ("sv. 58"), the bundle the units are kept in, stands
# there too, before an a.j.
_PAPKA = (rf"(?:{_SEP}(?:(?P<svazek>(?i:sv\.))|(?i:p\.|papka|п\.|папка))\s*(?P<papka>{_PART})"
          rf"(?={_SEP}{_DELO_LABEL}))?")
# A delo in several volumes is cited with its tom after it: "d. 189, t. 1, l. 3". Read as a
# unit without a label, it took the leaves after it into the shelfmark ("t. 1, l. 3"), and
# the document had no locus. Only after a delo, and before a number, is "t." a tom: "d. 189.
# T. G. Masaryk Papers" is the collection's, and "Tomsk" a word.
_TOM = rf"(?(delo)(?:{_SEP}(?i:t\.|tom\b|т\.|том\b)\s*(?P<tom>(?=[0-9]){_PART}))?)"
# The leaves are a number, a range or a list, its last item after "and" in English
# ("ll. 3, 45-46 and 50"): read to the "and", the last leaves were left out of the locus.
# A leaf is its number, with the letter of a leaf inserted later ("l. 12a", "л. 45а":
# read as "12", a leaf the citation does not give, which the Schematron rejects) and
# "ob." (oborot, the verso), its full stop left out at times ("12ob-13ob").
_LEAF = r"[0-9]+(?:[a-zа-яё](?!\w)|[a-zа-яё](?=ob|об))?(?:\s*(?:ob|об)(?:\.|\b))?"
# The repository is whatever stands between the previous comma (or full stop) and
# the fond: an acronym ("RGANI"), a full name ("National Archives of Georgia"), or
# nothing at all ("f. 1, op. 2, d. 3").
_ARCHIVAL = re.compile(
    rf"""(?:(?P<repository>(?!\s){_NOT_SEPARATOR}{_NOT_SEPARATOR}*?)(?P<comma>[,.]?)\s+)?
        (?P<f>{_FOND})\s*(?P<fond>{_PART})
        (?:{_SEP}{_OPIS}\s*(?P<opis>{_PART}))?
        {_PAPKA}
        (?:{_SEP}{_DELO}\s*(?P<delo>{_PART}))?
        {_TOM}
        (?:{_SEP}(?:(?P<vereq>(?i:v\.|vər\.|vərəq(?:lər)?))|(?P<pages>(?i:pp?\.|pp?{_ND}))|(?i:ll?\.|ll?{_ND}|listy?|лл?\.|лл?{_ND}|листы?))\s*
           (?P<folio>{_LEAF}(?:(?:\s*[-–,]\s*|\s+and\s+){_LEAF})*))?
    """,
    re.VERBOSE,
)
_FOND_LABEL = re.compile(_FOND)
# An acronym has two capitals or more ("RGANI", "TsAMO", "AMVnR", "РГАНИ", Azerbaijani
# "ARPİİSSA"); "Georgia" is a name.
_ACRONYM = re.compile(r"(?=(?:[a-zа-яёəışçöüğ]*[A-ZА-ЯЁƏİŞÇÖÜĞ]){2})[A-ZА-ЯЁƏİŞÇÖÜĞ][A-Za-zА-Яа-яЁёƏİŞÇÖÜĞəışçöüğ]{1,9}")
# Each name (lower-cased) with the repositories cited by it: one, or several that share it.
_NAMED: dict[str, tuple[str, ...]] = {}
for _key, _repo in REPOSITORIES.items():
    for _name in (_repo.name, *_repo.also):
        _NAMED[_name.lower()] = (*_NAMED.get(_name.lower(), ()), _key)
# A name several repositories share names none of them alone: "Central State Archive" was
# Bulgaria's, and an Albanian document's citations placed it in Sofia. Its place, printed
# after it ("Central State Archive, Tirana"), says which (see _placed).
_BY_NAME = {name: keys[0] for name, keys in _NAMED.items() if len(keys) == 1}


def _is_acronym(named: str) -> bool:
    """Whether ``named`` is an acronym: one word ("RGANI"), or several, each an acronym
    ("MNL OL", "PA AA", "PRC FMA"), as Hungarian, German and Chinese archives are cited.
    A space refused them, and "MNL OL, f. 3" gave a repository without its key, and "PA AA,
    f. 3" no archive at all. "RG 59" is no acronym: its number is not."""
    return all(_ACRONYM.fullmatch(word) for word in named.split(" "))


# The digital archive the Wilson Center's citations name before the reference: where the
# clauses before a reference stop being the archive's, and never the repository itself (it
# publishes the scan and the translation, not the original: '"Letter", July 7, 1957, Wilson
# Center Digital Archive, f. 5, op. 30' named it the archive that holds the document).
_PUBLISHER = re.compile(r"\bDigital Archive\b")


def _repository(m: re.Match[str]) -> str | None:
    """The repository a reference names: an acronym, or a name set off by a comma
    ("see f. 1" names none; nor does the sentence before "… 1957. f. 1"). A clause with a
    number in it is the rest of a reference or a date, unless it names a repository for
    certain: "Bl. 12-15, f. 3" named the repository "12-15", "XYZ Archive, Box 3, f. 3, d. 4"
    the repository "Box 3", and '"Letter", Moscow, 12 July 1957, f. 3' "12 July 1957"."""
    named = (m["repository"] or "").strip()
    if _names_for_certain(named):
        return named
    if not any(c.isalpha() for c in named) or any(c.isdigit() for c in named) or _PUBLISHER.search(named):
        return None
    return named if m["comma"] == "," else None


def _names_for_certain(named: str) -> bool:
    """Whether ``named`` is a repository for certain: an acronym, or a full name the edition
    knows. A known full name is as certain as an acronym: after the Russian style's full stop
    ("Russian State Archive of Contemporary History. F. 5. Op. 30.") it was taken for the
    sentence before the reference, and the header named no archive."""
    return named in _CYRILLIC_ACRONYMS or _is_acronym(named) or named.lower() in _NAMED


def _acronym(named: str | None) -> str | None:
    """The Latin acronym of a repository named by acronym (Latin or Cyrillic) or by its full name."""
    if not named:
        return None
    if named in _CYRILLIC_ACRONYMS:
        return _CYRILLIC_ACRONYMS[named]
    return named if _is_acronym(named) else _BY_NAME.get(named.lower())


def _placed(named: str, place: str) -> str | None:
    """The acronym of the repository ``named`` (an acronym or a name) whose city, or country,
    ``place`` is: the clause a citation often prints after the repository ("RGANI, Moscow",
    "Central State Archive, Sofia"). It was taken for the first unit of the reference: the
    city stood in the shelfmark and the citations ("Moscow, f. 5, op. 28, d. 347, …, RGANI,
    Moscow"), and the fond, opis and delo after it were split into nothing."""
    keys = _NAMED.get(named.lower(), ()) or tuple(k for k in (_acronym(named),) if k)
    place = place.strip().rstrip(".").lower()
    for key in keys:
        repo = REPOSITORIES.get(key)
        if repo is not None and place in (p.lower() for p in (repo.settlement, repo.country, *repo.also_at)):
            return key
    return None


def _name_of(repo: Repository, named: str | None) -> str:
    """The name a header gives ``repo``: its own, or the other name the citation printed
    ("Central State Archive" for the AQSh), which the header's key must be read beside."""
    return named if named is not None and named.lower() in (n.lower() for n in repo.also) else repo.name


def _names_a_repository(m: re.Match[str]) -> bool:
    """Whether what stands before a fond named alone is a repository for certain: an
    acronym or a name the edition knows. Any clause set off by a comma was taken for
    one, so a folio cited "f." at the end of another archive's reference (the Romanian
    fila: "ANIC, CC al PCR, dosar 12/1957, f. 3-5"; "NARA, RG 59, Box 3456, f. 3") became
    the fond of a repository "dosar 12/1957" or "Box 3456"."""
    named = _repository(m)
    return named is not None and _names_for_certain(named)


def _reference(text: str) -> re.Match[str] | None:
    """The first archival reference in ``text``: a fond with an opis or delo, or a fond
    alone with a repository named for certainty ("f. 1" alone in prose is not a reference)."""
    # Every paragraph of a capture is asked whether it is a citation, and the pattern's
    # open-ended repository, tried from each character, would cost a scan of the rest of
    # its clause at every one. A reference has the label of a fond, and its repository
    # stands after the separator before it: the pattern is tried from there, label by label.
    for label in _FOND_LABEL.finditer(text):
        m = _ARCHIVAL.search(text, _clause_start(text, label.start()))
        if m is not None and (m["opis"] or m["delo"] or _names_a_repository(m) or _bracketed(text, m.start("f"))):
            return m
    return None


@dataclass(frozen=True)
class _Bracketed:
    """A repository named with its acronym in brackets: "Archive of the President of
    the Russian Federation (APRF), fond 3", the way finding aids introduce an archive."""

    name: str  # "" when the brackets stand alone: "(APRF), f. 3"
    acronym: str
    start: int  # where the name (or the bracket) begins in the text


def _bracketed(text: str, label: int) -> _Bracketed | None:
    """The bracketed acronym, and the name before it, that end just before the fond's
    label at ``label``."""
    end = len(text[:label].rstrip())
    if end and text[end - 1] in ",.":
        end = len(text[:end - 1].rstrip())
    if not end or text[end - 1] != ")":
        return None
    opening = text.rfind("(", 0, end)
    acronym = text[opening + 1:end - 1].strip()
    if opening < 0 or not (acronym in _CYRILLIC_ACRONYMS or _is_acronym(acronym)):
        return None
    start = max(text.rfind(c, 0, opening) for c in _SEPARATORS) + 1
    name = text[start:opening].strip()
    if not name:
        return _Bracketed(name, acronym, opening)
    start = _name_start(text, text.index(name, start))
    return _Bracketed(text[start:opening].strip(), acronym, start)



def _clause_start(text: str, label: int) -> int:
    """Where the repository before the fond's label at ``label`` can begin: after the
    separator before it, passing over the comma or full stop that may set it off."""
    end = label
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end > 0 and text[end - 1] in ",.":
        end -= 1
    return max(text.rfind(c, 0, end) for c in _SEPARATORS) + 1


# A repository's name may hold a comma ("Archives of the President, Russian Federation
# (APRF)", "Archiv, Berlin"): the clause next to the fond was taken for all of it, and the
# rest was cut from the header's repository and the verbatim reference. The clauses before
# it are part of the name while they are words only, a capital first: not the title
# (quoted), the date (digits), the digital archive, nor a repository named for certain.
_NAME_CLAUSE = re.compile(rf"[^\W\d_](?:(?![\d_]){_NOT_SEPARATOR})*")


def _clause_before(text: str, start: int) -> tuple[int, str] | None:
    """The clause set off by a comma just before ``start``: where it begins, and its words."""
    before = text[:start].rstrip()
    if not before.endswith(","):
        return None
    comma = len(before) - 1
    begin = max(text.rfind(c, 0, comma) for c in ',;"“”') + 1
    words = text[begin:comma].strip()
    if words[:1] in ("(", "[") and not any(c in words for c in ")]"):
        # The bracket a reference bracketed whole opens with: "(Archiv, Berlin, f. 3, …)".
        words = words[1:].lstrip()
    return (text.index(words, begin), words) if words else None


def _repository_at_its_place(text: str, begin: int, m: re.Match[str]) -> tuple[str, str | None, str] | None:
    """The repository named for certain at ``begin`` when the clause between it and the fond
    of ``m`` is only its place ("RGANI, Moscow, f. 5"): as printed, the name given beside a
    bracketed acronym, and its acronym (see _placed)."""
    comma = text.find(",", begin)
    named = _repository_clause(text[begin:comma]) if comma >= 0 else None
    if named is None or m["repository"] is None or text[comma + 1:m.start("repository")].strip():
        return None
    shown, given_name = named
    key = _placed(shown, m["repository"])
    return (shown, given_name, key) if key is not None else None


def _repository_before(text: str, m: re.Match[str]) -> int | None:
    """Where a repository named for certain begins before the clause next to the fond of
    ``m``, when that clause is no certain repository itself (see _certain_repository_before)."""
    clause = (m["repository"] or "").strip()
    return _certain_repository_before(text, m.start()) if clause and not _names_for_certain(clause) else None


def _name_start(text: str, start: int) -> int:
    """Where the repository's name whose last clause begins at ``start`` begins."""
    while (clause := _clause_before(text, start)) is not None:
        begin, words = clause
        if not (words[0].isupper() and _NAME_CLAUSE.fullmatch(words)) or _PUBLISHER.search(words) \
                or _repository_clause(words) is not None:
            break
        start = begin
    return start


def _certain_repository_before(text: str, start: int) -> int | None:
    """Where a clause naming a repository for certain begins, before the clause at ``start``
    that was taken for the repository only because a comma sets it off: "IPN, RG 59, f. 3-5,
    d. 4" named the repository "RG 59". The reference is then that repository's, in its own
    terms, kept whole as its shelfmark (see _split_by_repository)."""
    # The clause runs back to the comma before it: a full stop only ends the repository's
    # ("AQSh, Bl. 12-15, f. 3-5, op. 2" named "12-15").
    start = max(text.rfind(c, 0, start) for c in ',;"“”') + 1
    while (clause := _clause_before(text, start)) is not None:
        begin, words = clause
        if _repository_clause(words) is not None:
            return begin
        if _PUBLISHER.search(words):
            return None
        start = begin
    return None


# A reel's number, with the points of a numbered series: the Hoover Institution's film of
# RGANI's fond 89 numbers its reels "1.993". Read to the first point, the reel was "1", and
# the rest of the reference and the collection kept "microfilm, reel 1.993" as a part.
_REEL_NUMBER = r"[0-9A-Za-z\-]+(?:\.[0-9A-Za-z\-]+)*"
_REEL = re.compile(rf"\breel\s+(?P<reel>{_REEL_NUMBER})", re.IGNORECASE)
# "RGANI, f. 5, op. 28, d. 347. Department for ..., 1953-1957, microfilm, reel 83."
# Parts the pattern has no label for, after those it split: the Bulgarian a.e. (archival
# unit), the Czech sv. and a.j., the Albanian Dos. and fl. ("TsDA, f. 1B, op. 5, a.e. 123,
# l. 4"). They were in the verbatim citation only, and the citations made from the parts
# ended at "op. 5". They run from the separator after the last part split to the end, or
# to the collection (". Department ..."), and are kept as printed: the shelfmark.
_UNITS = r"(?P<more>.+?)(?=\.\s+[A-ZА-ЯЁ]|\.?$)"
# A note in brackets after a part ("d. 189 (copy), l. 3", "l. 3 (original in Russian)")
# follows it without a comma: it was read past, and lost from the citations made from the
# parts, with the leaves after it. It is kept with what follows, as printed.
_MORE_PARTS = re.compile(rf"(?:\s*[,;]\s*|\s+(?=\())" + _UNITS, re.DOTALL)
_FROM_FOND = re.compile(_UNITS, re.DOTALL)
# A fond named in words runs on after its first word ("fond CC al PCR, Secția ...").
_WORD_AFTER = re.compile(r"\s+[^\W\d_]")
_MICROFILM_REEL = re.compile(rf"(?:,?\s*microfilm)?,?\s*\breel\s+{_REEL_NUMBER}\.?$", re.IGNORECASE)
_COLLECTION = re.compile(rf"^\.\s*(?P<collection>.+?)(?:,\s*microfilm)?(?:,\s*reel\s+{_REEL_NUMBER})?\.?$", re.DOTALL)


def split_archive_citation(verbatim: str) -> ArchiveCitation:
    """Split an archival reference; parts that are not stated stay ``None``."""
    printed = " ".join(verbatim.split())
    # Read through invisible characters too ("f.\u200b 3", "RGA\u00adNI"), which hide a
    # label or cut a number in two; the parts are given without them.
    text = " ".join(visible(narrow(printed)).split())
    # A reference cut from its credits ends with the comma before them ("…, reel 49,
    # Contributed by …"), and others with a semicolon or an exclamation mark. The patterns
    # for what comes last (the reel, the collection, the units) end at a full stop or the
    # end: the reel was read as units ("microfilm, reel 49"), and the collection and the
    # units kept the mark. It is read past, as a full stop is; the verbatim keeps it.
    text = text.rstrip(",;:! ")
    m = _reference(text)
    reel_m = _REEL.search(text)
    if m is None:
        return _split_by_repository(printed, text, reel_m["reel"] if reel_m else None)
    placed = None
    if (begin := _repository_before(text, m)) is not None:
        placed = _repository_at_its_place(text, begin, m)
        if placed is None:
            return _split_by_repository(printed, text[begin:], reel_m["reel"] if reel_m else None)
    named = _repository(m)
    given_name = None
    acronym: str | None
    if placed is not None:
        named, given_name, acronym = placed
    else:
        if named is not None and not _names_for_certain(named):
            named = text[_name_start(text, m.start()):m.end("repository")].strip()
        if named is None and (bracketed := _bracketed(text, m.start("f"))) is not None:
            given_name, named = bracketed.name or None, bracketed.acronym
        acronym = _acronym(named)
    repo = REPOSITORIES.get(acronym) if acronym else None
    # A repository cited by its full name keeps that name; an unknown acronym gives none,
    # unless the citation spelled it out before the acronym.
    name = _name_of(repo, named) if repo else (given_name or (named if acronym is None else None))
    fond, rest = m["fond"], text[m.end():]
    if m["opis"] is None and m["delo"] is None and m["folio"] is None and _WORD_AFTER.match(rest):
        # "ANIC, fond CC al PCR, Secția Relații Externe, dosar 12/1957, f. 3-5": a fond named
        # in words, whose end no label shows. Its first word was taken for the fond ("CC")
        # and the rest dropped from the citations: the reference from the fond's label on
        # is kept as printed instead.
        fond, rest = None, text[m.start("f"):]
    shelfmark = None
    if more := (_MORE_PARTS if fond else _FROM_FOND).match(rest):
        # "…, microfilm, reel 83" after the parts is the reel, a part of its own.
        shelfmark = _MICROFILM_REEL.sub("", more["more"]).strip(" ,;") or None
        rest = rest[more.end():]
    collection = None
    if cm := _COLLECTION.match(rest):
        candidate = cm["collection"].strip(" ,.")
        if candidate and not candidate.lower().startswith("microfilm"):
            collection = candidate
    folio = m["folio"].strip(" ,") if m["folio"] else None
    return ArchiveCitation(
        verbatim=printed,
        repository_acronym=acronym,
        repository_name=name,
        country=repo.country if repo else None,
        settlement=repo.settlement if repo else None,
        collection=collection,
        fond=fond,
        opis=m["opis"],
        opis_subtype="perechen" if m["perechen"] else "siyahi" if m["siyahi"] else None,
        papka=m["papka"],
        papka_subtype="svazek" if m["papka"] and m["svazek"] else None,
        delo=m["delo"],
        delo_subtype="dokument" if m["dokument"] else "is" if m["is"] else "jednotka" if m["jednotka"] else None,
        tom=m["tom"],
        folio=folio,
        folio_subtype="vereq" if folio and m["vereq"] else "pages" if folio and m["pages"] else None,
        shelfmark=shelfmark,
        reel=reel_m["reel"] if reel_m else None,
    )


# Archives outside the fond system (NARA's record groups, the British FO 371 files, the
# German Bestände) are cited as the repository, then the reference within it in the
# archive's own terms: "NARA, RG 59, Central Decimal File 1955-59, Box 3456". No label
# says where such a reference starts, so only a clause that names a repository with
# certainty begins one: an acronym or full name of REPOSITORIES, or a name with its
# acronym in brackets ("The National Archives (TNA)", "Politisches Archiv des Auswärtigen
# Amts (PA AA)"). What follows it is kept whole as the shelfmark, never split by guess.
_NAMED_WITH_ACRONYM = re.compile(r"(?P<name>[^()]*[^\s()])\s*\((?P<acronym>[^()]+)\)")
_CLAUSE = re.compile(r"(?:^|(?<=,)\s+)(?P<clause>[^,]+)")


def _repository_clause(clause: str) -> tuple[str, str | None] | None:
    """The acronym (or full name) and the name given beside it, of a clause that names a
    repository the edition knows, or one with its acronym in brackets."""
    clause = clause.strip().rstrip(".")
    if clause in REPOSITORIES and REPOSITORIES[clause].before_fond_only:
        return None
    if clause in REPOSITORIES or clause in _CYRILLIC_ACRONYMS:
        return clause, None
    if clause.lower() in _NAMED:
        return clause, None
    if (m := _NAMED_WITH_ACRONYM.fullmatch(clause)) is not None:
        acronym = " ".join(m["acronym"].split())
        if all(_ACRONYM.fullmatch(word) for word in re.split(r"[\s-]", acronym)):
            return acronym, m["name"]
    return None


def find_repository_reference(text: str) -> tuple[int, int] | None:
    """Where a reference that names its repository but no fond starts and ends in a
    citation (one already known to be a citation: a paragraph of prose that names an
    archive is not asked). A quoted title at its start is passed over."""
    start = 0
    if text and text[0] in "\"“":  # ("" is in every string: an empty citation is one too)
        close = text.find("”" if text[0] == "“" else "\"", 1)
        start = close + 1 if close > 0 else len(text)
    credit = CREDIT_START.search(text, start)
    end = credit.start() if credit else len(text)
    for clause in _CLAUSE.finditer(text, start, end):
        if _repository_clause(clause["clause"]) is not None:
            return clause.start("clause"), end
    return None


# The digital archive's clause in its citation line ('"Title", May 12, 1960, Wilson Center
# Digital Archive, PRC FMA 105-00601-01, 1-22. Obtained by ...'): what follows it is the original's
# archival reference, whatever archive holds it.
_AFTER_PUBLISHER = re.compile(r"\bDigital Archive\s*,\s*")


def find_reference_after_publisher(text: str) -> tuple[int, int] | None:
    """Where the archival reference starts and ends in a citation (one known to be a citation)
    that neither find_archive_reference nor find_repository_reference reads one in: a
    reference without a fond, in an archive the edition does not know ("Hoover Institution
    Archives, Nicolaevsky Collection, Box 29", "Private collection of Jamil Hasanli"). Such a
    reference was in no citation: the header kept only the citation line, and the CSL,
    BibTeX, RIS and Chicago citations gave no location. It is
    what follows the digital archive's clause, up to the credits; a citation line without a
    title or that clause (a Source field) is all reference before the credits. Kept whole, as
    printed: the edition has no labels to split it by."""
    credit = CREDIT_START.search(text)
    end = credit.start() if credit else len(text)
    publisher = _AFTER_PUBLISHER.search(text, 0, end)
    if publisher is not None:
        start = publisher.end()
    elif text[:1] in "\"“" or _PUBLISHER.search(text, 0, end):
        return None  # a title, or the digital archive, and no clause after it: no reference to read
    else:
        start = len(text) - len(text.lstrip())
    reference = text[start:end].rstrip()
    if credit is not None and not reference.endswith((".", ",", ";")):
        return None  # a sentence running into its credits ("This copy was obtained by ..."), no reference
    return (start, start + len(reference)) if any(c.isalnum() for c in reference) else None


def _opening_repository(text: str) -> tuple[int, str | None, str, str | None] | None:
    """The repository ``text``'s first clause names (see _repository_clause): where the
    clause ends, the repository's acronym (None for a name the edition does not know), the
    clause as printed, and the name given beside a bracketed acronym; None if it names none."""
    clause = _CLAUSE.match(text)
    if clause is None:
        return None
    named = _repository_clause(clause["clause"])
    if named is None:
        return _acronym_before_number(text, clause["clause"])
    shown, given_name = named
    return clause.end(), _acronym(shown) if given_name is None else _CYRILLIC_ACRONYMS.get(shown, shown), shown, given_name


def _acronym_before_number(text: str, clause: str) -> tuple[int, str | None, str, str | None] | None:
    """A clause that opens with the acronym of a repository the edition knows, and a number
    after it with no comma between ("PRC FMA 105-00601-01", "AIPN BU 0296/1"): the acronym,
    as _opening_repository gives it. Only a known acronym: "RG 59" is a record group."""
    words = clause.split(" ")
    for k in range(len(words) - 1, 0, -1):
        shown = " ".join(words[:k])
        if shown in REPOSITORIES and REPOSITORIES[shown].before_fond_only:
            continue
        if (shown in REPOSITORIES or shown in _CYRILLIC_ACRONYMS) and any(c.isdigit() for c in " ".join(words[k:k + 2])):
            return text.index(shown) + len(shown), _acronym(shown), shown, None
    return None


def opens_with_known_repository(text: str) -> bool:
    """Whether ``text`` opens with a clause naming a repository of REPOSITORIES: by its
    acronym (Latin or Cyrillic) or full name, or a name with that acronym in brackets.

    For a paragraph not known to be a citation (a footer line may be a subject): a name
    with any acronym in brackets is as often a subject ("North Atlantic Treaty
    Organization (NATO)") as an archive, which find_repository_reference takes it for
    only in a citation."""
    opening = _opening_repository(text)
    return opening is not None and opening[1] in REPOSITORIES


def _split_by_repository(printed: str, text: str, reel: str | None) -> ArchiveCitation:
    """A reference that names its repository but no fond: the repository, and the rest as
    its shelfmark (without the reel, which is a part of its own)."""
    opening = _opening_repository(text)
    if opening is None:
        return ArchiveCitation(verbatim=printed, reel=reel)
    end, acronym, shown, given_name = opening
    rest = text[end:].lstrip(" ,")
    if (place := _CLAUSE.match(rest)) is not None and (key := _placed(shown, place["clause"])) is not None:
        acronym, rest = key, rest[place.end():].lstrip(" ,")
    repo = REPOSITORIES.get(acronym) if acronym else None
    if reel is not None:
        rest = _MICROFILM_REEL.sub("", rest)
    shelfmark = _without_full_stop(rest.strip(" ,;")) or None
    collection = box = folder = None
    if repo is not None and repo.boxes and shelfmark is not None and (boxed := _in_boxes(shelfmark)) is not None:
        collection, box, folder, shelfmark = boxed
    return ArchiveCitation(
        verbatim=printed,
        repository_acronym=acronym,
        repository_name=_name_of(repo, shown) if repo else (given_name or (shown if acronym is None else None)),
        country=repo.country if repo else None,
        settlement=repo.settlement if repo else None,
        collection=collection,
        box=box,
        folder=folder,
        shelfmark=shelfmark,
        reel=reel,
    )


# A box and a folder, each a clause of its own: "Box 52", "Box 7A", 'Folder "Khrushchev Visit
# (3)"', "Folder: Cuba". A folder's title may hold commas: quoted, it ends at its closing
# quote; unquoted, it runs to the end.
_BOX = re.compile(r"(?:^|,\s*)Box\s+(?P<box>[0-9][^\s,;]*)(?=\s*(?:,|$))", re.IGNORECASE)
_FOLDER = re.compile(r"(?:^|,\s*)Folder\s*:?\s+(?P<folder>\"[^\"]*\"|“[^”]*”|\S.*)", re.IGNORECASE | re.DOTALL)


def _in_boxes(reference: str) -> tuple[str | None, str | None, str | None, str | None] | None:
    """A library's reference split into its collection (what comes before the box), box,
    folder and what follows them (kept as the shelfmark); None without a box or folder,
    where nothing says which clauses are the collection."""
    box = _BOX.search(reference)
    folder = _FOLDER.search(reference, box.end() if box else 0)
    if box is None and folder is None:
        return None
    first = box or folder
    assert first is not None
    collection = reference[:first.start()].strip(" ,;") or None
    # What follows them: a document number after a quoted folder ("…", Document 45).
    after = reference[folder.end():] if folder else reference[box.end():] if box else ""
    between = reference[box.end():folder.start()].strip(" ,;") if box and folder else ""
    rest = ", ".join(part for part in (between, after.strip(" ,;")) if part)
    return collection, box["box"] if box else None, folder["folder"].strip() if folder else None, rest or None


def named_by_its_archive(citation: ArchiveCitation, original_archive: str) -> ArchiveCitation:
    """``citation`` with its repository told apart by the export's Original Archive field,
    when the citation names it by a name several repositories share and gives no place that
    says which: "National Archives, RG 59, Box 2945" is NARA's or the TNA's, and its field
    says "National Archives and Records Administration". The field names the archive as the
    edition knows it (a full name, an acronym, the name with its acronym in brackets); one
    that names none of the candidates, or only the shared name again, changes nothing."""
    shown = citation.repository_name
    candidates = _NAMED.get(shown.lower(), ()) if shown and citation.repository_acronym is None else ()
    if len(candidates) < 2:
        return citation
    for value in original_archive.split(";"):
        opening = _opening_repository(" ".join(value.split()))
        key = opening[1] if opening is not None else None
        if key in candidates:
            repo = REPOSITORIES[key]
            return replace(citation, repository_acronym=key, repository_name=_name_of(repo, shown),
                           country=repo.country, settlement=repo.settlement)
    return citation


# An abbreviation of several points ending a reference: the Hungarian storage unit ("288. f.
# 5/20. ő.e."), the Czech archival unit ("a.j."). Its last point is the abbreviation's.
_POINTED_ABBREVIATION = re.compile(r"(?:^|\s)(?:[^\W\d_]{1,3}\.){2,}$")


def _without_full_stop(text: str) -> str:
    """``text`` without the full stop that ends the sentence it stood in, unless that closes
    an abbreviation: "M-KS 288. f. 5/20. ő.e." was kept as "… ő.e", a unit the archive does not give."""
    return text if _POINTED_ABBREVIATION.search(text) else text.rstrip(" .")


def find_archive_reference(text: str) -> tuple[int, int] | None:
    """Where an archival reference starts and ends in a longer citation."""
    printed = narrow(text)  # one character for one: the places are those of the text given
    text = visible(printed)  # the reference as split_archive_citation reads it
    m = _reference(text)
    if m is None:
        return None
    if (certain := _repository_before(text, m)) is not None:
        start = certain
    elif named := _repository(m):
        start = m.start() if _names_for_certain(named) else _name_start(text, m.start())
    else:
        bracketed = _bracketed(text, m.start("f"))
        start = bracketed.start if bracketed is not None else m.start("f")
    end = len(text)
    credit = CREDIT_START.search(text, m.end())
    if credit:
        end = credit.start()
    if (closing := _CLOSING_QUOTE.search(text, start, end)) and _unopened(text[start:closing.start() + 1]):
        # A reference quoted whole ("\"RGANI, f. 5, …, l. 3.\" Contributed by …") starts after
        # its opening quote (or, named in words, at its fond): it ended at the credits, so
        # with the closing one, which the collection then was ("\""), and the verbatim
        # reference held one quote of the two.
        end = closing.start()
    if text != printed:  # the places in the text given, invisible characters counted
        start, end = visible_index(printed, start), visible_index(printed, end)
    return start, end


# The closing quote (or bracket) of a reference quoted (or bracketed) whole, with what
# follows it up to the credits: "(RGANI, f. 5, op. 30, d. 189.)" gave the collection ")".
_CLOSING_QUOTE = re.compile(r"[\"”)\]][\s.,;]*$")
_OPENING = {"”": "“", ")": "(", "]": "["}


def _unopened(span: str) -> bool:
    """Whether the quote or bracket ending ``span`` closes one opened before it."""
    closing = span[-1]
    if closing in _OPENING:
        return span.count(_OPENING[closing]) < span.count(closing)
    return span.count('"') % 2 == 1

CREDIT_START = re.compile(
    r"\b(?:Contributed|Obtained|Donated|Provided|Translated)(?:\s+and\s+(?:translated|contributed|obtained|provided))?"
    r"\s+(?:for\s+\S+\s+)?by\b",
    re.IGNORECASE,
)
