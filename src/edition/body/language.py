"""Which language each stretch of an original is in, from evidence.

The export declares one "Original Language" for a document, but a file may
hold more than one original (a Russian letter followed by an Azerbaijani text
in Cyrillic script). Each paragraph is scored on what it shows: the script,
letters that only some orthographies use (Azerbaijani ә ө ү ғ ҹ һ ј қ,
Ukrainian і ї є ґ, ...), the substitutes an OCR engine trained on Russian
produces for them (a text full of "э" is not Russian), and function words.
Short paragraphs with no evidence (numbers, stamps, fragments) take the
language of the text around them, and a language change must be sustained
before a part is split. The decision and its grounds are written to
``Part.lang_evidence`` for the TEI header.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from typing import NamedTuple, cast

from edition.body import lexicon
from edition.body.marks import MARK_LABEL
from edition.body.names import surname_shaped
from edition.model import Part

# Declared names (as exports print them) -> BCP 47.
DECLARED: dict[str, str] = {
    "russian": "ru", "english": "en", "azerbaijani": "az", "azeri": "az", "azerbaijanian": "az",
    "persian": "fa", "farsi": "fa", "ukrainian": "uk", "belarusian": "be", "byelorussian": "be",
    "kazakh": "kk", "uzbek": "uz", "tajik": "tg", "armenian": "hy", "georgian": "ka", "german": "de",
    "french": "fr", "chinese": "zh", "polish": "pl", "czech": "cs", "hungarian": "hu", "romanian": "ro",
    "bulgarian": "bg", "serbian": "sr", "mongolian": "mn", "turkish": "tr", "arabic": "ar", "spanish": "es",
    "italian": "it", "korean": "ko", "japanese": "ja", "vietnamese": "vi", "hebrew": "he",
    "croatian": "hr", "bosnian": "bs",
}
NAMES = {code: name.capitalize() for name, code in DECLARED.items()} | {"az": "Azerbaijani", "be": "Belarusian"}

_SCRIPTS = (
    ("Cyrl", "CYRILLIC"), ("Latn", "LATIN"), ("Arab", "ARABIC"), ("Armn", "ARMENIAN"), ("Geor", "GEORGIAN"),
    ("Hebr", "HEBREW"), ("Hang", "HANGUL"), ("Hani", "CJK"), ("Grek", "GREEK"),
    ("Kana", "HIRAGANA"), ("Kana", "KATAKANA"), ("Kana", "HALFWIDTH KATAKANA"),
)
SCRIPT_NAMES = {"Cyrl": "Cyrillic", "Latn": "Latin", "Arab": "Arabic", "Armn": "Armenian", "Geor": "Georgian",
                "Hebr": "Hebrew", "Hang": "Hangul", "Hani": "Han", "Grek": "Greek",
                "Kana": "Kana", "Jpan": "Japanese (Han and kana)", "Kore": "Korean (Hangul and Han)"}
# The script a language is written in when nothing says otherwise (so the tag needs no script subtag).
DEFAULT_SCRIPT = {"ru": "Cyrl", "uk": "Cyrl", "be": "Cyrl", "bg": "Cyrl", "kk": "Cyrl", "tg": "Cyrl", "mn": "Cyrl",
                  "en": "Latn", "de": "Latn", "fr": "Latn", "pl": "Latn", "cs": "Latn", "hu": "Latn", "ro": "Latn",
                  "tr": "Latn", "es": "Latn", "it": "Latn", "vi": "Latn", "fa": "Arab", "ar": "Arab", "hy": "Armn",
                  "ka": "Geor", "he": "Hebr", "ko": "Kore", "zh": "Hani", "ja": "Jpan"}
# Japanese writes Han and kana together, Korean Hangul and Han (hanja): a paragraph of
# either alone (a heading all in kanji, a letter all in Hangul) is in their script too.
SCRIPT_PARTS = {"Jpan": frozenset({"Hani", "Kana"}), "Kore": frozenset({"Hani", "Hang"})}

# Letters that mark a Cyrillic orthography other than Russian's.
SPECIAL_LETTERS: dict[str, str] = {
    "az": "әөүғҹһјқ",  # Azerbaijani Cyrillic (1958 alphabet; ә ғ ө ү ҹ һ ј қ)
    "uk": "іїєґ",
    "be": "ўі",
    "kk": "әғқңөұүһі",
    "uz": "ўқғҳ",
    "tg": "ғӣқӯҳҷ",
    "sr": "ђћџљњј",
    "mn": "өү",
}
FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "ru": frozenset("и в не на что с по к от для это как из за о у же но а я он она они его их был была было были так то все при или только во со".split()),
    "az": frozenset("вә вэ бу бир илә илэ ки дә дэ да үчүн учун олан мән мэн сиз биз ән эн вэ һәм һэм ја јә ичиндә дэн дан вар јох".split()),
    "uk": frozenset("і та не на що з до від для це як із за у але я він вона вони його їх був".split()),
    "en": frozenset("the of and to in a is that for it as was with by on this be are from at which".split()),
    "de": frozenset("der die das und zu den von mit ist nicht sich des ein eine auf für im dem".split()),
    "fr": frozenset("le la les de des et en un une du est que qui pour dans par sur pas".split()),
    # The other languages of the archive's originals. Each list holds the words it shares
    # with Russian or English too, so that a text is scored on all its common words.
    "bg": frozenset("и в не на с по от за о но а я той тя те то при или само във със да се е са ще към които който която което това този тази тези че като между през след беше бяха ни ги му им ние".split()),
    "sr": frozenset("и у на је да се за од су не са о као из који која које али што по а то до при или ће би већ још само све због "
                    "i u na je da se za od su ne sa o kao iz koji koja koje ali što po a to do pri ili će bi već još samo sve zbog".split()),
    "mn": frozenset("нь ба бол энэ тэр бид байна юм болон дээр гэж байгаа бөгөөд ч хоёр оны сарын улмаар".split()),
    "pl": frozenset("i w z na do nie się że to jest o od po dla przez oraz jak ale a jego ich był była było były który która które tym także we ze".split()),
    "cs": frozenset("a v ve na se je že do z o od po pro k ke s by byl byla bylo jako ale které který která jejich to také bude".split()),
    "hu": frozenset("a az és hogy nem is egy van meg de csak már mint el ki be ez azt volt vagy pedig".split()),
    "ro": frozenset("și în de la a cu pe din că nu se care este o un pentru al ale mai sau prin fost".split()),
    "vi": frozenset("và của các là những có được trong cho với một đã không này để người chúng tôi ở từ về đến".split()),
}
# Languages whose function words are another's list: the words tell the list, the
# declaration which of them (a Croatian text scores as Serbian).
SAME_WORDS = {"hr": "sr", "bs": "sr"}
# Which of them a text in each script is weighed for (ties go to the first).
LATIN_CANDIDATES = ("en", "de", "fr", "pl", "cs", "hu", "ro", "vi", "sr")
# Cyrillic orthographies besides Russian's, Azerbaijani's and Ukrainian's, weighed
# against those three: a share of their function words, a bonus for their letters
# (SPECIAL_LETTERS), and for a frequent "э", which Mongolian writes as Azerbaijani OCR does.
OTHER_CYRILLIC: dict[str, bool] = {"bg": False, "sr": False, "mn": True}
# The language a script tells when nothing else does, and the declared language does
# not share the script (a script says nothing of which of its languages a text is in).
SCRIPT_LANGUAGES = {"Arab": "fa", "Armn": "hy", "Geor": "ka", "Hebr": "he", "Hang": "ko", "Hani": "zh", "Grek": "el",
                    "Jpan": "ja", "Kana": "ja", "Kore": "ko"}
# Scripts whose letters are counted, not their words: Han and kana are written without
# spaces (a "word" of _WORD is a clause, from one punctuation mark to the next), and a
# Hangul word between spaces carries its particles and endings. One word per two
# letters makes their evidence and run lengths comparable with other scripts': an
# English translation runs about one word per 1.5 Chinese characters or Hangul syllables
# and per 1.9 Japanese letters; the upper end keeps a heading or a signature from
# weighing more than it says.
CHARACTER_SCRIPTS = frozenset({"Hani", "Kana", "Jpan", "Hang", "Kore"})
LETTERS_PER_WORD = 2
# Kana tell Japanese from Chinese, and Hangul Korean written with hanja (a South Korean
# note whose Han characters outnumber its Hangul endings and particles); the Han and
# they are then one script. Each counts from a share of it and the Han letters: an OCR
# engine reads 口 力 工 二 of a Chinese text as the katakana ロ カ エ ニ, so a few kana are
# Han misread (Japanese prose has a third and more, a kanji heading with one particle a
# twelfth); a Chinese text may name a Korean in Hangul (three syllables), where every
# word of Korean prose ends in Hangul (a third and more of a hanja-heavy note).
HAN_PARTNERS = {"Kana": ("Jpan", 0.05), "Hang": ("Kore", 0.2)}
# A run of at least this many words in a script other than that of the neighbour it
# would join is a text of its own (a Russian cover note before a Chinese letter): a change
# of script is certain where a change of language within one is a guess from a few
# function words. Shorter, it is a stamp or a signature, and smoothed over as before.
MIN_SCRIPT_RUN_WORDS = 10
_SPECIAL = frozenset("".join(SPECIAL_LETTERS.values()) + "ə")
_NO_FUNCTION_WORDS = dict.fromkeys(FUNCTION_WORDS, 0)
# Each function word and the languages it is one of: one look-up per word of a text.
_FUNCTION_LANGUAGES: dict[str, tuple[str, ...]] = {
    word: tuple(lang for lang, words in FUNCTION_WORDS.items() if word in words)
    for word in sorted(set().union(*FUNCTION_WORDS.values()))
}
# Word endings frequent in Azerbaijani (case and plural suffixes), rare at the end of Russian words.
_AZ_SUFFIXES = ("лар", "лэр", "ләр", "ларын", "ләрин", "нын", "нин", "нун", "нүн", "дан", "дэн", "дән", "ындэ", "индэ", "ында", "ләри", "лары", "гэ", "ға")

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Every letter of this block is of the Cyrillic script (a test checks it against
# script_of): a paragraph whose letters all match needs no letter looked up.
_CYRILLIC_LETTERS = re.compile("[\u0400-\u052f]*")
_SPECIAL_LETTER = re.compile("[" + "".join(sorted(_SPECIAL)) + "]")
_TAG = re.compile(r"</?[A-Za-z]+>")
# A word broken by a hyphen at the end of a line (or of a paragraph): OCR of a page's
# columns leaves many; the body encoder joins a paragraph so broken across a page break.
HYPHEN_BREAK = re.compile(r"[^\W\d_]-\s*$")
MIN_WORDS = 4  # fewer words than this: no evidence either way
MIN_RUN_WORDS = 40  # a language change this short is smoothed over
E_RATE_OCR = 0.012  # "э" per letter above which Cyrillic text is not Russian (Russian: ~0.3%)


@functools.lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    for code, prefix in _SCRIPTS:
        if name.startswith(prefix):
            return code
    return None


def writes(lang: str, script: str | None) -> bool:
    """Whether ``lang`` is written in ``script`` when nothing says otherwise."""
    default = DEFAULT_SCRIPT.get(lang)
    return default is not None and (script == default or script in SCRIPT_PARTS.get(default, ()))


def declared_code(declared: str | None) -> str | None:
    if not declared:
        return None
    first = re.split(r"[,;/(]| and ", declared.strip().lower())[0].strip()
    return DECLARED.get(first)


class Evidence(NamedTuple):
    """What one stretch of text shows about its language.

    A tuple, so that no reader of it can rebind a field: one paragraph's evidence is
    gathered once a document (gather_once) and read by the reader that asked first and by
    ``segment``, and neither writes into its Counter or dict (``merge`` makes new ones). (A
    frozen dataclass would do as well, at a tenth more of gather's time to make.) Every
    field is given, so that no two share a default Counter."""

    script: str | None
    words: int
    letters: int
    special: Counter[str]  # special letters seen
    function: dict[str, int]
    e_rate: float
    az_suffix_share: float
    mixed_script_words: int
    kana: int  # letters of the Japanese syllabaries, counted where they make the text Japanese
    foreign_words: int  # lower-case words in a script other than the text's
    hyphen_breaks: int
    fragment_lines: int
    lines: int

    def guess(self, declared: str | None = None) -> str | None:
        """The language this evidence points to, or None when there is too little.

        ``declared`` is the export's Original Language: where the script is all the
        evidence there is (Arabic script is Persian's and Arabic's), it names the language.
        """
        if self.words < MIN_WORDS or self.script is None:
            return None
        if self.lines >= 3 and self.fragment_lines / self.lines >= 0.5:
            return None  # lines cut off at a column edge: the word stubs say nothing
        if self.script == "Cyrl":
            found = self._cyrillic()
        elif self.script == "Latn":
            if self.special["ə"] * 200 >= self.letters:
                return "az-Latn"  # ə is written only in Azerbaijani (among the archive's languages)
            scores = {lang: self.function.get(lang, 0) for lang in LATIN_CANDIDATES}
            best = max(scores, key=lambda k: scores[k])
            found = best if scores[best] > 0 else None
        elif declared is not None and writes(declared, self.script):
            return declared
        else:
            return SCRIPT_LANGUAGES.get(self.script)
        # Only a language the words found stands for the declared one that shares its list
        # (SAME_WORDS): no evidence is no evidence, whatever was declared (None would
        # equal the .get of a language without a list, and tag a Russian signature Chinese).
        if declared is not None and found is not None and found == SAME_WORDS.get(declared):
            return declared
        return found

    def _cyrillic(self) -> str | None:
        share = {lang: self.function.get(lang, 0) / self.words for lang in ("ru", "az", "uk", *OTHER_CYRILLIC)}
        # Special letters are in few paragraphs, and a Counter answers a letter it lacks
        # through Python (__missing__): twelve calls for nothing in nearly every paragraph.
        special = self.special
        az_letters = sum(special[c] for c in SPECIAL_LETTERS["az"]) if special else 0
        uk_letters = sum(special[c] for c in "іїєґ") if special else 0
        ocr_e = self.e_rate > E_RATE_OCR
        az_score = 2 * share["az"] + self.az_suffix_share + (0.2 if az_letters else 0) + (0.3 if ocr_e else 0)
        ru_score = 2 * share["ru"]
        if uk_letters and share["uk"] > share["ru"]:
            return "uk"
        others = {lang: 2 * share[lang] + (0.2 if special and any(special[c] for c in SPECIAL_LETTERS.get(lang, "")) else 0)
                  + (0.3 if e_frequent and ocr_e else 0) for lang, e_frequent in OTHER_CYRILLIC.items()}
        best = max(others, key=lambda k: others[k])
        if others[best] > max(ru_score, az_score):
            return best
        if az_score > ru_score:
            return "az-Cyrl"
        # No word or letter of any language the evidence knows: Cyrillic is not Russian
        # by itself (a Bulgarian signature line, a Mongolian heading).
        return "ru" if ru_score > 0 else None


def gather(text: str) -> Evidence:
    if "<" in text:
        text = _TAG.sub(" ", text)  # <sup> and the like are markup, not words
    if "[" in text:
        # "[handwritten in the left margin: ...]", "[sic]", "[illegible signature]": the
        # labels are the editors' English in any text; the marked words still count.
        text = MARK_LABEL.sub(" ", text)
    raw_words = _WORD.findall(text)
    letters = "".join(raw_words)  # the words are runs of letters, so this is every letter
    characters = kana = 0  # letters counted as such (CHARACTER_SCRIPTS), and kana among them
    # A paragraph is a hundred-odd characters, so the fixed cost of each step counts as
    # much as its length: the steps below run in C wherever they can.
    ascii_letters = letters.isascii()
    if ascii_letters:
        # ASCII letters are all Latin and none is special: no script to look up.
        distinct: dict[str, str | None] = {}
        known = {"Latn"} if letters else set()
    elif _CYRILLIC_LETTERS.fullmatch(letters) is not None:
        # All Cyrillic, as most of an original's paragraphs are: no letter to look up
        # (the look-ups were a fifth of this function).
        distinct = {}
        known = {"Cyrl"}
    else:
        # Scripts by distinct letter: a paragraph has a few dozen, and its letters are
        # nearly always all of one script, where no word can be mixed or foreign.
        distinct = {c: script_of(c) for c in set(letters)}
        # Without None only the scripts are left; mypy does not narrow a set difference (a
        # comprehension would, at a cost on every paragraph).
        known = cast("set[str]", set(distinct.values()) - {None})
        if not known.isdisjoint(CHARACTER_SCRIPTS):
            characters, kana = _characters(letters, distinct, known)
            known = cast("set[str]", set(distinct.values()) - {None})
    mixed_text = len(known) > 1
    if mixed_text:
        scripts = Counter(map(distinct.__getitem__, letters))
        scripts.pop(None, None)
        script = scripts.most_common(1)[0][0] if scripts else None
    else:
        script = next(iter(known), None)
    lower = letters.lower()
    # Each distinct word once, with its count: a paragraph repeats its words. The words
    # are lower-cased in one call: a newline, which no word holds, keeps each apart (and
    # ends a word for the final-sigma rule as the word's own end does).
    tokens = Counter("\n".join(raw_words).lower().split("\n")) if raw_words else Counter()
    words = len(raw_words)
    if characters:
        # Words of other scripts one each, letters of CHARACTER_SCRIPTS by their weight.
        other_words = 0 if characters == len(letters) else sum(
            1 for w in raw_words if all(distinct[c] not in CHARACTER_SCRIPTS for c in w))
        words = other_words + -(-characters // LETTERS_PER_WORD)
    # Special letters are rare: one search finds whether there are any to count.
    special: Counter[str] = Counter(found) if not ascii_letters and (found := _SPECIAL_LETTER.findall(lower)) else Counter()
    function = _NO_FUNCTION_WORDS.copy()  # a copy is cheaper than building the dict again
    for t in _FUNCTION_LANGUAGES.keys() & tokens.keys():
        for lang in _FUNCTION_LANGUAGES[t]:
            function[lang] += tokens[t]
    az_suffix_share = 0.0
    if not ascii_letters:  # the suffixes are Cyrillic: an ASCII text's share is 0
        long_words = suffixed = 0
        for t, k in tokens.items():
            if len(t) >= 4:
                long_words += k
                if t.endswith(_AZ_SUFFIXES):
                    suffixed += k
        az_suffix_share = suffixed / long_words if long_words else 0.0
    mixed_script_words = foreign_words = 0
    if mixed_text:
        word_scripts = [(w, {distinct[c] for c in w} - {None}) for w in raw_words]
        # A script written without spaces abuts the words of any other ("用NATO的", a
        # Hangul ending after Han): only a word of two others is mixed.
        mixed_script_words = sum(1 for _, s in word_scripts if len(s) > 1 and not (characters and len(s - CHARACTER_SCRIPTS) <= 1))
        # Cyrillic and Latin are the pair an OCR engine confuses (a Russian "с" read in
        # a Latin word): a Russian word quoted in Chinese is a word, not a misreading.
        other = {_other(script)} if script in {"Cyrl", "Latn"} else None
        foreign_words = sum(1 for w, s in word_scripts if w.islower() and len(w) >= 3 and s == other)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    # Most paragraphs are one line, which no hyphen breaks.
    hyphen_breaks = sum(1 for ln in lines[:-1] if HYPHEN_BREAK.search(ln)) if len(lines) > 1 else 0
    # The length first: splitting a line of prose into its words only to count them
    # cost more than the rest of this test.
    fragment_lines = sum(1 for ln in lines if len(ln.strip()) <= 6 and len(ln.split()) <= 1)
    if characters and fragment_lines:
        # Two Han characters or Hangul syllables are a word (a name in a list), not the
        # stub of one a column edge left.
        fragment_lines -= sum(1 for ln in lines if len(ln.strip()) <= 6 and len(ln.split()) <= 1
                              and any(distinct.get(c) in CHARACTER_SCRIPTS for c in ln))
    return Evidence(script=script, words=words, letters=len(letters), special=special, function=function,
                    e_rate=lower.count("э") / len(lower) if lower else 0.0, az_suffix_share=az_suffix_share,
                    mixed_script_words=mixed_script_words, kana=kana if characters else 0,
                    foreign_words=foreign_words, hyphen_breaks=hyphen_breaks, fragment_lines=fragment_lines,
                    lines=len(lines))


def gather_once(text: str, known: dict[str, Evidence]) -> Evidence:
    """``gather(text)``, or the evidence gathered before for the same text, kept in ``known``
    (a document repeats paragraphs, signatures and stamps, and its reader and ``segment``
    may both ask of one)."""
    ev = known.get(text)
    if ev is None:
        ev = known[text] = gather(text)
    return ev


def _characters(letters: str, distinct: dict[str, str | None], known: set[str]) -> tuple[int, int]:
    """The letters of CHARACTER_SCRIPTS, and the kana among them when they make the text
    Japanese. ``distinct`` is relabelled: a Japanese text's Han and kana are one script,
    Jpan, a Korean text's Han and Hangul Kore (no word of either is mixed), and a Chinese
    text's stray kana (OCR's ロ for 口) Han (HAN_PARTNERS)."""

    def count(script: str) -> int:
        # Each distinct letter counted by str.count: a Counter of the letters' scripts
        # cost as much as the rest of gather.
        return sum(map(letters.count, [c for c, s in distinct.items() if s == script]))

    # A paragraph all of these scripts, as nearly every one with any is: nothing to count.
    characters = len(letters) if known <= CHARACTER_SCRIPTS else sum(map(count, known & CHARACTER_SCRIPTS))
    if "Kana" in known:
        partner = "Kana"
    elif "Hang" in known and "Hani" in known:
        partner = "Hang"
    else:
        return characters, 0  # Han alone is Chinese's, Hangul alone Korean's own script
    han, mate = count("Hani"), count(partner)
    joined_script, share = HAN_PARTNERS[partner]
    joined = mate >= share * (han + mate)
    if not joined and partner == "Hang":
        return characters, 0  # a Korean name in a Chinese text: two scripts
    to = joined_script if joined else "Hani"
    for c, s in distinct.items():
        if s == "Hani" or s == partner:
            distinct[c] = to
    return characters, mate if to == "Jpan" else 0


def _other(script: str) -> str:
    return "Latn" if script == "Cyrl" else "Cyrl"


def merge(evs: list[Evidence]) -> Evidence:
    scripts: Counter[str] = Counter()
    special: Counter[str] = Counter()
    # Every language's count, as gather gives them, so that only the words found need adding.
    function: dict[str, int] = _NO_FUNCTION_WORDS.copy() if evs else {}
    words = letters = mixed_script_words = kana = foreign_words = hyphen_breaks = fragment_lines = lines = 0
    for ev in evs:
        if ev.script:
            scripts[ev.script] += ev.letters
        words += ev.words
        letters += ev.letters
        if ev.special:  # empty in nearly every paragraph, and Counter.update is Python's
            special.update(ev.special)
        for k, v in ev.function.items():
            if v:  # most of a paragraph's fifteen counts are nought
                function[k] = function.get(k, 0) + v
        mixed_script_words += ev.mixed_script_words
        kana += ev.kana
        foreign_words += ev.foreign_words
        hyphen_breaks += ev.hyphen_breaks
        fragment_lines += ev.fragment_lines
        lines += ev.lines
    e_rate = az_suffix_share = 0.0
    if letters:
        e_rate = sum(ev.e_rate * ev.letters for ev in evs) / letters
        long_total = sum(ev.words for ev in evs) or 1
        az_suffix_share = sum(ev.az_suffix_share * ev.words for ev in evs) / long_total
    return Evidence(script=scripts.most_common(1)[0][0] if scripts else None, words=words, letters=letters,
                    special=special, function=function, e_rate=e_rate, az_suffix_share=az_suffix_share,
                    mixed_script_words=mixed_script_words, kana=kana, foreign_words=foreign_words,
                    hyphen_breaks=hyphen_breaks, fragment_lines=fragment_lines, lines=lines)


def _tag(lang: str, script: str | None) -> str:
    """BCP 47 with a script subtag where the language is written in more than one script."""
    base = lang.split("-")[0]
    if "-" in lang or script is None:
        return lang
    if base in {"az", "uz", "sr", "mn", "kk", "tg"} or (base in DEFAULT_SCRIPT and not writes(base, script)):
        return f"{base}-{script}"
    return base


def ocr_signals(ev: Evidence, lang: str) -> list[str]:
    """Signs that a text is uncorrected OCR of a scan rather than a transcription."""
    signals: list[str] = []
    if lang.startswith("az") and ev.script == "Cyrl" and ev.e_rate > E_RATE_OCR and ev.special["ә"] * 4 < ev.e_rate * ev.letters:
        signals.append("'э' where Azerbaijani has 'ә', as an OCR engine trained on Russian reads it")
    if ev.lines >= 6 and ev.hyphen_breaks / max(ev.lines, 1) >= 0.15:
        signals.append(f"scan line breaks kept with {ev.hyphen_breaks} words hyphenated across lines")
    if ev.mixed_script_words or ev.foreign_words:
        signals.append(f"{ev.mixed_script_words + ev.foreign_words} word(s) in the wrong script")
    families = [lang for lang, letters in SPECIAL_LETTERS.items() if lang in {"az", "uk", "uz"} and any(ev.special[c] for c in letters if c not in "қғі")]
    if len(families) > 1:
        signals.append("letters of several orthographies (" + ", ".join(NAMES.get(f, f) for f in families) + ")")
    if ev.fragment_lines >= 10 and ev.fragment_lines / max(ev.lines, 1) >= 0.15:
        signals.append(f"{ev.fragment_lines} lines cut to a fragment of a word")
    return signals


def describe(lang: str, ev: Evidence, declared: str | None, declared_lang: str | None) -> str:
    parts: list[str] = []
    if declared:
        parts.append(f"declared Original Language: {declared}")
    if ev.script:
        parts.append(f"{SCRIPT_NAMES.get(ev.script, ev.script)} script")
    base = lang.split("-")[0]
    if ev.script == "Cyrl" and base in OTHER_CYRILLIC:
        # Its own letters, not Azerbaijani's it shares (Serbian ј, Mongolian ө ү).
        own = "".join(c for c in SPECIAL_LETTERS.get(base, "") if ev.special[c])
        if own:
            parts.append(f"{NAMES.get(base, base)} letters {' '.join(own)} ({sum(ev.special[c] for c in own)})")
        if ev.e_rate > E_RATE_OCR and OTHER_CYRILLIC[base]:
            parts.append(f"'э' is {ev.e_rate:.1%} of letters (Russian text: about 0.3%)")
        parts.append(f"{ev.function.get(base, 0)} {NAMES.get(base, base)} function words in {ev.words} words")
    elif ev.script == "Cyrl":
        az = "".join(c for c in SPECIAL_LETTERS["az"] if ev.special[c])
        if az:
            parts.append(f"Azerbaijani letters {' '.join(az)} ({sum(ev.special[c] for c in az)})")
        else:
            parts.append("no Azerbaijani letters")
        if ev.e_rate > E_RATE_OCR:
            parts.append(f"'э' is {ev.e_rate:.1%} of letters (Russian text: about 0.3%), the usual OCR reading of 'ә'")
        fw = ev.function.get(base if base in FUNCTION_WORDS else "ru", 0)
        if base in FUNCTION_WORDS:
            parts.append(f"{fw} {NAMES.get(base, base)} function words in {ev.words} words")
    elif base in FUNCTION_WORDS:
        parts.append(f"{ev.function.get(base, 0)} {NAMES.get(base, base)} function words in {ev.words} words")
    elif ev.script in {"Hani", "Jpan"}:
        # Kana are what tells Japanese from Chinese.
        parts.append(f"kana {ev.kana} of {ev.letters} letters" if ev.kana else "no kana")
    if declared_lang and declared_lang != base:
        parts.append(f"differs from the declared language, so tagged {lang} from the evidence")
    return "; ".join(parts)


def segment(parts: list[Part], declared_language: str | None) -> list[Part]:
    """Split originals where the language changes; set ``lang``, ``lang_evidence`` and ``ocr``."""
    declared_lang = declared_code(declared_language)
    out: list[Part] = []
    known: dict[str, Evidence] = {}  # each distinct paragraph's evidence, the readers' included
    for part in parts:
        known.update(part.evidence)
        if part.role == "translation" or not part.paragraphs:
            if part.lang and part.lang_evidence:
                out.append(part)  # the reader knows the translation's language and says how
                continue
            ev = merge([gather_once(p, known) for p in part.paragraphs])
            lang = part.lang or ev.guess() or "und"
            out.append(replace(part, lang=lang, lang_evidence=part.lang_evidence or describe(lang, ev, None, None)))
            continue
        evs = [gather_once(p, known) for p in part.paragraphs]
        guesses = [ev.guess(declared_lang) for ev in evs]
        labels = _titles_forward(_smooth(guesses, evs, declared_lang, part.lang), guesses, part.paragraphs, evs)
        if ((whole := merge(evs)).words < MIN_RUN_WORDS and len(_scripts(evs)) <= 1
                and (found := whole.guess(declared_lang))):
            # A text too short for any change of language in it (MIN_RUN_WORDS) is in one: the
            # language of its words together. Smoothed run by run, a German protocol's last
            # lines ("Die Lage in Berlin.", an "in" read as English) carried it into English.
            # Two scripts are two texts however short (a Russian line over its English one).
            labels = [found] * len(labels)
        start = 0
        for end in range(1, len(labels) + 1):
            if end == len(labels) or labels[end] != labels[start]:
                paras = part.paragraphs[start:end]
                ev = merge(evs[start:end])
                lang = _tag(labels[start], ev.script)
                signals = ocr_signals(ev, lang)
                evidence = describe(lang, ev, declared_language, declared_lang)
                # What the reader saw in the export's layout ("the export labels it the original scan").
                extra = [f for f in part.lang_evidence.split("; ") if f and not f.startswith("declared") and "script" not in f]
                if extra:
                    evidence += "; " + "; ".join(extra)
                if signals:
                    evidence += "; uncorrected OCR: " + ", ".join(signals)
                out.append(Part(role=part.role, lang=lang, lang_evidence=evidence, paragraphs=paras, ocr=len(signals) >= 2))
                start = end
    return out


def _smooth(guesses: list[str | None], evs: list[Evidence], declared: str | None, reader_lang: str | None) -> list[str]:
    """Fill paragraphs without evidence from their neighbours; absorb changes too short to be a text."""
    fallback = next((g for g in guesses if g), None) or _tag(declared or (reader_lang or "und"), None)
    labels: list[str] = []
    for g in guesses:
        labels.append(g or (labels[-1] if labels else fallback))
    # Leading paragraphs without evidence take the first real language.
    first = next((g for g in guesses if g), fallback)
    for i, g in enumerate(guesses):
        if g:
            break
        labels[i] = first
    # Absorb runs too short to be a text into a neighbour; each pass is linear, and a
    # few passes settle what merging changed (a merged run may now be long enough).
    weight = [evs[k].words if guesses[k] else 0 for k in range(len(labels))]

    def script(start: int, end: int) -> str | None:
        """The script of a stretch's paragraphs with evidence (Han and kana as one)."""
        scripts: Counter[str] = Counter()
        for k in range(start, end):
            if weight[k] and (name := evs[k].script) is not None:  # a guess has a script
                scripts[_FAMILY.get(name, name)] += weight[k]
        return scripts.most_common(1)[0][0] if scripts else None

    for _ in range(4):
        runs = _runs(labels)
        if len(runs) <= 1:
            break
        changed = False
        stretch_start = 0  # where the stretch of labels[s - 1] begins, as relabelled in this pass
        for idx, (s, e, lang) in enumerate(runs):
            prev = labels[s - 1] if s > 0 else None
            if (length := sum(weight[s:e])) < MIN_RUN_WORDS:
                nxt = runs[idx + 1] if idx + 1 < len(runs) else None
                # A neighbour this run may join: any, unless the run is long enough to be
                # a text in a script of its own (MIN_SCRIPT_RUN_WORDS), then one in its script.
                own = script(s, e) if length >= MIN_SCRIPT_RUN_WORDS else None
                prev_ok = prev is not None and (own is None or script(stretch_start, s) in {own, None})
                nxt_ok = nxt is not None and (own is None or script(nxt[0], nxt[1]) in {own, None})
                target = prev if prev_ok else (nxt[2] if nxt is not None and nxt_ok else None)
                if not prev_ok and nxt is not None and nxt_ok and sum(weight[nxt[0]:nxt[1]]) < length:
                    # The first run, followed by a shorter one: that one joins this, not
                    # this that (a short letter ending in a shorter note keeps its language).
                    target = None
                if prev_ok and nxt is not None and nxt_ok and prev != nxt[2]:
                    # Between two different texts: join the longer neighbour.
                    target = prev if s - stretch_start >= nxt[1] - nxt[0] else nxt[2]
                if target is not None and target != lang:
                    labels[s:e] = [target] * (e - s)
                    changed = True
            if labels[s] != prev:
                stretch_start = s
        if not changed:
            break
    return labels


# A heading's shapes: a word alone, capitalised, with its full stop ("Эриза.", "Справка."),
# or letters spaced out ("С п р а в к а"); a line with no letter (a folio, "17105") may
# stand between it and the text it heads.
_TITLE_WORD = re.compile(r"^\s*[^\W\d_][^\W\d_'’\-]*\.\s*$")
_SPACED_TITLE = re.compile(r"^\s*(?:[^\W\d_]\s){2,}[^\W\d_]\s*$")


def _titles_forward(labels: list[str], guesses: list[str | None], paragraphs: list[str], evs: list[Evidence]) -> list[str]:
    """``labels`` with the title of a text in another language given to that text.

    A title ("Эриза." over an Azerbaijani petition after a Russian letter) has too few
    words to be evidence, so it took the language of the text before it, whose part it
    then ended as a heading over nothing. A paragraph of a title's shape without evidence,
    last but for letterless lines before a change of language, heads what follows it;
    so does a heading of more words in the script of the text under it and not of the
    text above ("Перевод с английского" between an English text and its Russian one). A
    line of any other shape there (a signature, a date, a decision such as "Согласен.",
    a surname with its full stop such as "Мамедов.") stays with the text it ends."""
    out = list(labels)
    for s in range(1, len(labels)):
        if labels[s] == labels[s - 1]:
            continue
        above = next((_script_family(evs[k]) for k in range(s - 1, -1, -1) if guesses[k] is not None), None)
        below = next((_script_family(evs[k]) for k in range(s, len(labels)) if guesses[k] is not None), None)
        k, title = s - 1, None
        while k >= 0 and guesses[k] is None and labels[k] == labels[s - 1]:
            text = paragraphs[k]
            if ((_TITLE_WORD.match(text) or _SPACED_TITLE.match(text)) and not lexicon.RESOLUTION.match(text)
                    and not surname_shaped(text)):
                title = k
            elif below is not None and below != above and _script_family(evs[k]) == below and _heading_words(text):
                title = k
            elif any(c.isalpha() for c in text):
                break
            k -= 1
        if title is not None:
            out[title:s] = [labels[s]] * (s - title)
    return out


def _script_family(ev: Evidence) -> str | None:
    return _FAMILY.get(ev.script, ev.script) if ev.script is not None else None


_HEADING_WORD = re.compile(r"[^\W\d_]+")
_INITIAL = re.compile(r"(?:^|\s)[^\W\d_]\.")


def _heading_words(text: str) -> bool:
    """Whether a line of more than one word is a heading's phrase ("Перевод с английского",
    "TRANSLATION FROM RUSSIAN"), not a name ("Ardashes Ovanesyan", "И. Козлов"): a word in
    small letters, or all in capitals, and no initial."""
    found = _HEADING_WORD.findall(text)
    if len(found) < 2 or "\n" in text.strip() or _INITIAL.search(text):
        return False
    return any(w.islower() for w in found) or all(w.isupper() for w in found)


# Han and kana are the one script of Japanese as well as Chinese's: a kanji heading in a
# Japanese letter is no text of its own by its script; Korean is Hangul with or without Han.
_FAMILY = {"Jpan": "Hani", "Kana": "Hani", "Kore": "Hang"}


def _scripts(evs: list[Evidence]) -> set[str]:
    """The scripts of the paragraphs with words, Han and kana counted as one."""
    return {_FAMILY.get(ev.script, ev.script) for ev in evs if ev.words and ev.script is not None}


def _runs(labels: list[str]) -> list[tuple[int, int, str]]:
    runs: list[tuple[int, int, str]] = []
    start = 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            runs.append((start, i, labels[start]))
            start = i
    return runs
