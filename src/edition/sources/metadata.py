"""Metadata every export shape states in prose: credits, titles, types, languages.

The shapes differ in layout, not in how an archive words its credits
("Contributed by X and translated by Y") or its titles ("Cable from X to Y").
These readers of wording are shared by all shapes.
"""

from __future__ import annotations

import re

from edition.model import Agent

# --- credits ------------------------------------------------------------

# The names run to the end of the clause: a full stop after a lone letter is an initial's
# ("Hope M. Harrison", "F. F. Voloshin"), not the clause's end, which left "Hope M".
_CREDIT = re.compile(
    r"\b(?P<verb>Contributed|Obtained|Donated|Provided|Translated)(?:\s+and\s+(?P<also>translated|contributed|obtained|provided))?"
    r"\s+(?:for\s+(?P<for>\S+)\s+)?by\s+"
    r"(?P<names>.+?)(?=(?:,?\s+and\s+(?:translated|contributed|obtained|donated|provided)\b)|(?<!\b[^\W\d_])[.;]\s|[.;]?$)",
    re.IGNORECASE,
)


def split_names(text: str) -> list[str]:
    """'A, B, and C' -> ['A', 'B', 'C']; initials such as 'F. F. Voloshin' stay whole."""
    text = text.strip().rstrip(".")
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", text)
    return [p.strip() for p in parts if p.strip()]


def parse_credits(text: str) -> tuple[list[str], list[str], str]:
    """(contributors, translators, contribution verb) stated in a citation line."""
    contributors: list[str] = []
    translators: list[str] = []
    verb = "Contributed by"
    for m in _CREDIT.finditer(text):
        names = split_names(m["names"])
        roles = {m["verb"].lower(), (m["also"] or "").lower()} - {""}
        # "Obtained and translated by X": X is both contributor and translator.
        if "translated" in roles:
            translators.extend(names)
        if roles - {"translated"}:
            contributors.extend(names)
            verb = f"{m['verb'].capitalize()} by"
    return contributors, translators, verb


_FUNDER = re.compile(r"made possible (?:with|by|through) (?:the )?(?:generous )?support (?:from|of)\s+(?:the\s+)?(?P<funder>.+?)\.?$", re.IGNORECASE)


def parse_funder(line: str) -> str | None:
    m = _FUNDER.search(line.strip())
    return m["funder"].strip() if m else None


# --- document types -----------------------------------------------------

# The edition's closed list of document types (kept in step with schema/edition.odd),
# with the words that name each in titles and Type fields.
DOCTYPES: dict[str, tuple[str, ...]] = {
    "cable": ("cable", "cipher cable", "ciphered cable"),
    "telegram": ("telegram", "telegramme"),
    "letter": ("letter", "note verbale", "message"),
    "memorandum": ("memorandum", "memo", "aide-memoire", "aide-mémoire"),
    "resolution": ("resolution",),
    "decree": ("decree", "decision", "order", "directive", "instruction"),
    "report": ("report", "information", "intelligence report", "bulletin"),
    "minutes": ("minutes", "protocol", "transcript", "stenographic record"),
    "conversation": ("record of conversation", "memorandum of conversation", "conversation"),
    "statement": ("statement", "declaration", "appeal", "speech"),
    "note": ("note", "notes", "cover note", "draft"),
}


# Each name of a type, with what may come before it: made once, not per title (every
# source asks, and building the patterns was most of the question's cost).
# A compound name may have an article after its "of" ("Record of a Conversation").
_DOCTYPE_PATTERNS: tuple[tuple[int, str, str, re.Pattern[str]], ...] = tuple(
    (len(word), doctype, word,
     re.compile(r"(?:the\s+|a\s+|an\s+)?(?:draft\s+|secret\s+|top secret\s+|urgent\s+)?"
                + r"\s+of\s+(?:the\s+|a\s+|an\s+)?".join(re.escape(w) for w in word.split(" of ")) + r"\b"))
    for doctype, words in DOCTYPES.items()
    for word in words
)


# What a type's name says the document records or conveys, after "of": with it the name
# is a kind of document of its own, which archives and catalogues cite whole ("Memorandum
# of Conversation", "Minutes of Meeting", "Letter of Credence"), not by its head word.
_RECORDS = ("conversation", "conversations", "meeting", "meetings", "talks", "discussion", "discussions",
            "negotiations", "credence", "recall", "understanding", "intent", "agreement", "instructions")
_COMPOUND = re.compile(rf"\s+of\s+(?:the\s+|a\s+|an\s+)?(?P<what>{'|'.join(_RECORDS)})\b")
_MINOR_WORDS = frozenset({"of", "a", "an", "the"})


def _read_doctype(text: str) -> tuple[str, str | None] | None:
    lowered = " ".join(text.lower().split())
    best: tuple[int, str, str, int] | None = None
    for length, doctype, word, pattern in _DOCTYPE_PATTERNS:
        if (m := pattern.match(lowered)) and (best is None or length > best[0]):
            best = (length, doctype, word, m.end())
    if best is None:
        return None
    _, doctype, name, end = best
    if " of " not in name and (m := _COMPOUND.match(lowered, end)):
        name = f"{name} of {m['what']}"
    if " of " not in name:
        # "Notes" (of a meeting, say) are a set of jottings, which an editor cites as the source
        # names them: the class's singular, "Note", called them one note. A singular name, or
        # another word for the class ("memo"), is cited by the class.
        return doctype, (name.capitalize() if name == f"{doctype}s" else None)
    return doctype, " ".join(w if w in _MINOR_WORDS else w[:1].upper() + w[1:] for w in name.split())


def doctype_from_text(text: str) -> str | None:
    """The document type a Type field or a title names, from its leading words: of the
    names that match, the longest (the first listed among equals)."""
    found = _read_doctype(text)
    return found[0] if found else None


def doctype_name(text: str) -> str | None:
    """The name of a compound type the text begins with ("Memorandum of Conversation"
    between ...), in title case with its article dropped, or a one-word type in the plural of its
    class ("Notes"); None for any other one-word type, whose name is its class's."""
    found = _read_doctype(text)
    return found[1] if found else None


# --- senders and addressees from titles ----------------------------------

_ORG_WORDS = re.compile(
    r"\b(Committee|Party|CC|CPSU|VKP|Department|Ministry|Embassy|Government|Bureau|Council|Presidium|"
    r"Politburo|Secretariat|Commission|Office|Section|Sector|Union|Front|Organization|Organisation|Congress|"
    r"Plenum|Command|Headquarters|Legation|Consulate|KGB|NKVD|MGB|MVD|Comintern|IKKI)\b"
)
# "for" ends a name ("Report of the Embassy for 1956") unless it goes on a body's name with
# a capital ("Ministry for State Security", "Committee for State Security"): the sender was
# "Ministry", and every citation named it so. "with" likewise after "Relations" ("Department
# for Relations with Foreign Communist Parties").
_NAMED_FOR = "".join(f"(?<!{word})" for word in (
    "Ministry", "Committee", "Commission", "Commissariat", "Department", "Office", "Council", "Bureau",
    "Directorate", "Administration", "Agency", "Institute", "Society", "Section", "Sector"))
_FOR = rf"\s+for\b(?!\s+[A-Z])|{_NAMED_FOR}\s+for\b"
_WITH = r"\s+with\b(?!\s+[A-Z])|(?<!Relations)\s+with\b"
_STOP = rf"(?=\s+(?:regarding|about|concerning|on|re|in|to|from|requesting|approving|informing)\b|{_FOR}|{_WITH}|,|;|:|$)"
_FROM = re.compile(rf"\bfrom\s+(?:the\s+)?(?P<who>.+?){_STOP}")
_TO = re.compile(rf"\bto\s+(?:the\s+)?(?P<who>.+?){_STOP}")
_OF = re.compile(rf"^(?:\w+\s+){{0,2}}(?:of|by)\s+(?:the\s+)?(?P<who>.+?){_STOP}")


_TITLES = (
    r"Secretary|Chairman|Minister|Ambassador|Comrade|Cde\.|Cdes\.|General|Marshal|President|Premier|Director|"
    r"Consul|Engineer|Deputy|Chief|Head|Political|First|Émigré|Emigre|Colonel|Professor|Dr\."
)
_PERSON_WITH_TITLE = re.compile(rf"\b(?:{_TITLES})\s+(?:[A-Z]\.\s*)*[A-Z][\w'’-]+$")


_TITLE_WORDS = {
    w.lower()
    for w in (
        "Secretary Chairman Minister Ambassador Comrade Cde. Cdes. General Marshal President Premier "
        "Director Consul Engineer Émigré Emigre Colonel Professor Dr. Chief Deputy Attaché Counsellor "
        "Counselor Envoy Commissar Academician Lieutenant Major Captain Admiral"
    ).split()
}


def split_role(name: str) -> tuple[str | None, str]:
    """('CPSU Central Committee Secretary', 'Khrushchev') from the title's wording.

    Only a plain name (one to four capitalised words, none of them an office)
    after the last office word is split off; anything else stays whole.
    """
    tokens = name.split()
    last = max((i for i, t in enumerate(tokens) if t.lower() in _TITLE_WORDS), default=None)
    if last is None or last == len(tokens) - 1:
        return None, name
    rest = tokens[last + 1:]
    if len(rest) > 4 or not all(t[:1].isupper() for t in rest):
        return None, name
    return " ".join(tokens[: last + 1]), " ".join(rest)


def _kind(name: str) -> str:
    if _PERSON_WITH_TITLE.search(name):
        return "person"
    return "org" if _ORG_WORDS.search(name) else "person"


def _agent(name: str, *, split: bool = True) -> Agent:
    """One agent a title names: a person (with the office before the name, if any), a body,
    or an office with no name after it ("the Ambassador", "CPSU CC Secretary").

    An office is not a name: TEI's roleName "indicates that the referent has a particular
    role or position in society, such as an official title or rank". A body whose name
    ends in "General" ("Soviet Consulate General") stays a body. ``split``: whether the
    office before a person's name is told apart from it.
    """
    kind = _kind(name)
    last = name.split()[-1].lower() if name.split() else ""
    if last in _TITLE_WORDS and not (kind == "org" and last == "general"):
        return Agent(name, "office")
    role, plain = split_role(name) if kind == "person" and split else (None, name)
    return Agent(plain, kind, role)  # type: ignore[arg-type]


def _agents(text: str) -> list[Agent]:
    """Agents a title names: "A, B, and C" is a list; "Engineer and Émigré X" is one person."""
    text = text.strip()
    if "," in text and re.search(r",\s*(?:and\s+)?[^,]+$", text) and re.search(r"\band\b|&", text):
        names = split_names(text)
    elif "," in text:
        names = [text.split(",", 1)[0]]
    elif m := re.fullmatch(r"(?P<a>.+?)\s+and\s+(?P<b>.+)", text):
        left_is_title = re.fullmatch(rf"(?:{_TITLES})", m["a"].strip()) is not None
        names = [text] if left_is_title else [m["a"], m["b"]]
    else:
        names = [text]
    return [_agent(n) for n in (n.strip() for n in names) if n]


_TO_STOP = rf"(?=\s+(?:regarding|about|concerning|on|re|from|requesting|approving|informing)\b|{_FOR}|;|:|$)"
_TO_LIST = re.compile(rf"\bto\s+(?:the\s+)?(?P<who>.+?){_TO_STOP}")


# Where a title turns to its subject ("... on the Delegation to Baku"): a "from" or "to"
# after it names where the subject goes or comes from, not who wrote to whom.
_SUBJECT = re.compile(r"\s(?:regarding|about|concerning|on|re)\s")


# A meeting is not who wrote its minutes or notes: the body that met is ("Minutes of the
# Meeting of the Presidium of ..." was sent by "Meeting of the Presidium of ..."), and a
# meeting between people names no sender ("Notes from the Session between Mao and ...").
_MEETING = re.compile(
    r"^(?:(?:\w+|[\w-]+)\s+){0,2}?(?:meeting|session|sitting)s?(?:\s+of\s+(?:the\s+)?(?P<body>.+)|\s+(?:between|with|at|in)\b.*)?$",
    re.IGNORECASE | re.DOTALL)


def _held_by(who: str) -> str | None:
    """The body a meeting's name says held it, ``who`` itself when it names no meeting."""
    m = _MEETING.match(who.strip())
    if m is None:
        return who
    return m["body"].strip() if m["body"] else None


def correspondents_from_title(title: str, doctype: str | None) -> tuple[list[Agent], list[Agent]]:
    """Senders and addressees a title names ("Cable from Dimitrov to Stalin and Molotov")."""
    senders: list[Agent] = []
    addressees: list[Agent] = []
    if subject := _SUBJECT.search(title):
        title = title[: subject.start()]
    if m := re.search(r"\bfrom\s+(?:the\s+)?(?P<who>.+?)" + _TO_STOP.replace("|from", "|to"), title):
        senders = _agents(who) if (who := _held_by(m["who"])) else []
    elif doctype in {"resolution", "decree", "report", "statement", "minutes"} and (m := _OF.search(title)):
        senders = [_agent(who.strip(), split=False)] if (who := _held_by(m["who"])) else []
    if m := _TO_LIST.search(title):
        addressees = _agents(m["who"])
    return senders, addressees


# --- languages ------------------------------------------------------------

LANGUAGE_CODES: dict[str, str] = {
    "english": "en",
    "russian": "ru",
    "azerbaijani": "az",
    "azeri": "az",
    "persian": "fa",
    "farsi": "fa",
    "german": "de",
    "french": "fr",
    "chinese": "zh",
    "korean": "ko",
    "japanese": "ja",
    "polish": "pl",
    "czech": "cs",
    "slovak": "sk",
    "hungarian": "hu",
    "romanian": "ro",
    "bulgarian": "bg",
    "serbian": "sr",
    "croatian": "hr",
    "ukrainian": "uk",
    "georgian": "ka",
    "armenian": "hy",
    "arabic": "ar",
    "turkish": "tr",
    "spanish": "es",
    "portuguese": "pt",
    "italian": "it",
    "vietnamese": "vi",
    "mongolian": "mn",
    "albanian": "sq",
    "hebrew": "he",
    "kurdish": "ku",
}

LANGUAGE_NAMES: dict[str, str] = {
    "en": "English",
    "ru": "Russian",
    "az": "Azerbaijani",
    "az-Cyrl": "Azerbaijani (Cyrillic script)",
    "az-Latn": "Azerbaijani (Latin script)",
    "az-Arab": "Azerbaijani (Arabic script)",
}


def language_code(name: str | None) -> str | None:
    if not name:
        return None
    return LANGUAGE_CODES.get(name.strip().lower())


def language_name(code: str) -> str:
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    base = code.split("-")[0]
    for name, c in LANGUAGE_CODES.items():
        if c == base:
            return name.capitalize()
    return code
