"""Reading printed dates into ISO 8601.

Archival documents print dates in many ways: "December 16, 1955",
"16 December 1955", "16 декабря 1955 года", "16 дек. 1955", "2.VIII.55 г.",
"13. I 56", "16.12.1955", "9 July [[195]]7" (with an editor's supplement), or
only a month or year, perhaps approximate ("circa 1957", "1957-?"), or a period
("1957-1958", "March–April 1953", "Spring 1957", "the 1950s").
:func:`parse_date` returns the printed text with its ISO reading (``when``, partial
when the text is partial, or ``not_before``/``not_after`` for a period), and
``None`` when the text is not a date at all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace

from edition.model import DocDate

_EN_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_EN_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_EN_MONTHS["sept"] = 9

# Russian month names in the nominative and genitive ("декабрь", "декабря").
_RU_MONTH_STEMS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,  # май / мая: matched whole below to avoid prefix clashes
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
# Russian abbreviations that are not a prefix of a stem above ("дек." is, "сент." is not).
_RU_MONTH_ABBREVIATIONS = {
    "янв": 1, "фев": 2, "февр": 2, "мар": 3, "апр": 4, "авг": 8,
    "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}
# Azerbaijani month names, in the Latin alphabet and in the Cyrillic one of 1958-1991
# (where "ј" stands for "y": "ијун"), as printed and in the genitive ("avqustun",
# "mayın"). Cyrillic names the Russian stems already read ("август") are not repeated.
_AZ_MONTHS = {form: number for number, forms in enumerate((
    "yanvar yanvarın јанвар јанварын", "fevral fevralın", "mart martın", "aprel aprelin", "may mayın",
    "iyun iyunun ијун ијунун", "iyul iyulun ијул ијулун", "avqust avqustun", "sentyabr sentyabrın сентјабр сентјабрын",
    "oktyabr oktyabrın октјабр октјабрын", "noyabr noyabrın нојабр нојабрын", "dekabr dekabrın",
), start=1) for form in forms.split()}
# Month names of the originals in the archive's other languages, as their dates print
# them: one row per language, January to December, each month's forms (the nominative,
# and the genitive a day takes, "7 lipca", "7. července") apart by spaces. Exact forms,
# not stems: a stem of one language is another's word ("listopad" is November in Czech
# and October in Croatian, which is not read). A form two rows share means one month.
_OTHER_MONTH_ROWS = {
    "de": ("januar jänner jan", "februar feber febr", "märz mrz", "april", "mai", "juni", "juli", "august", "september",
           "oktober okt", "november", "dezember dez"),
    "cs": ("leden ledna", "únor února", "březen března", "duben dubna", "květen května", "červen června",
           "červenec července", "srpen srpna", "září", "říjen října", "listopad listopadu", "prosinec prosince"),
    "sr": ("јануар јануара januar januara", "фебруар фебруара februar februara", "март марта mart marta",
           "април априла april aprila", "мај маја maj maja", "јун јуна jun juna", "јул јула jul jula",
           "август августа avgust avgusta", "септембар септембра septembar septembra", "октобар октобра oktobar oktobra",
           "новембар новембра novembar novembra", "децембар децембра decembar decembra"),
    "pl": ("styczeń stycznia", "luty lutego", "marzec marca", "kwiecień kwietnia", "maj maja", "czerwiec czerwca",
           "lipiec lipca", "sierpień sierpnia", "wrzesień września", "październik października", "listopad listopada",
           "grudzień grudnia"),
    "uk": ("січень січня", "лютий лютого", "березень березня", "квітень квітня", "травень травня", "червень червня",
           "липень липня", "серпень серпня", "вересень вересня", "жовтень жовтня", "листопад листопада", "грудень грудня"),
    "bg": ("януари", "февруари", "март", "април", "май", "юни", "юли", "август", "септември", "октомври", "ноември",
           "декември"),
    "ro": ("ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august", "septembrie", "octombrie",
           "noiembrie", "decembrie"),
    "hu": ("január jan", "február febr", "március márc", "április ápr", "május máj", "június jún", "július júl",
           "augusztus aug", "szeptember szept", "október okt", "november nov", "december dec"),
    # Croatian, in the nominative and the genitive a day takes ("7. srpnja 1957."), but for
    # October: "listopad(a)" is November in Czech and Polish.
    "hr": ("siječanj siječnja", "veljača veljače", "ožujak ožujka", "travanj travnja", "svibanj svibnja", "lipanj lipnja",
           "srpanj srpnja", "kolovoz kolovoza", "rujan rujna", "", "studeni studenoga studenog", "prosinac prosinca"),
    # The Gregorian months only: a date with the Iranian solar months ("۱۶ تیر ۱۳۳۶") is of
    # a Hijri calendar, left unread (and its year below 1500 is, whatever its month).
    "fa": ("ژانویه", "فوریه", "مارس", "آوریل", "مه می", "ژوئن", "ژوئیه جولای", "اوت آگوست", "سپتامبر", "اکتبر",
           "نوامبر", "دسامبر"),
    # The Egyptian names and the Levant's; of these, January, October, November and
    # December are two words ("كانون الثاني"): _LEVANT_TWO_WORDS reads them.
    "ar": ("يناير", "فبراير شباط", "مارس آذار", "أبريل ابريل إبريل نيسان", "مايو أيار", "يونيو يونيه حزيران",
           "يوليو يوليه تموز", "أغسطس اغسطس آب", "سبتمبر أيلول", "أكتوبر اكتوبر", "نوفمبر", "ديسمبر"),
}
# The Levant's two-word months ("كانون الثاني", "the second Kanun", is January), with and
# without the hamza: read as the Egyptian name of the month, one word as the patterns want.
_LEVANT_TWO_WORDS = re.compile("(كانون|تشرين) ال(ثاني|أول|اول)")
_LEVANT_AS_ONE_WORD = {("كانون", "ثاني"): "يناير", ("كانون", "أول"): "ديسمبر", ("كانون", "اول"): "ديسمبر",
                       ("تشرين", "أول"): "أكتوبر", ("تشرين", "اول"): "أكتوبر", ("تشرين", "ثاني"): "نوفمبر"}
_LEVANT_SECOND_WORD = r"(?:\s+ال(?:ثاني|أول|اول))?"
_OTHER_MONTHS = {form: number for row in _OTHER_MONTH_ROWS.values()
                 for number, forms in enumerate(row, start=1) for form in forms.split()}
# English month names no language of _OTHER_MONTH_ROWS writes ("june", "may"; not
# "august", German's too): English prints no full stop after a day, so "1. June 1957" is a
# numbered paragraph opening with a month, not a date (a German one is "1. Juni 1957").
_ENGLISH_ONLY_MONTHS = frozenset(_EN_MONTHS) - frozenset(_OTHER_MONTHS)
_ROMAN = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6,
    "VII": 7, "VIII": 8, "IX": 9, "X": 10, "XI": 11, "XII": 12,
}

# Editors' supplements inside a printed date: "[[195]]7" or "[195]7".
_SUPPLIED = re.compile(r"\[\[?(\d+)\]\]?")

_MONTH_WORD = r"([^\W\d_]+)\.?"  # any alphabet's letters: month_number says which are months
# The word for "year" after a day's year: the Russian "года" or "г." (the Bulgarian "г."
# too), the Polish "r." or "roku", the Ukrainian "р." or "року", the Serbian "године" after
# the year's full stop ("7. јула 1957. године"), and the Persian "میلادی" or Arabic "م" (of
# the Christian era, "٧ يوليو ١٩٥٧م").
_YEAR_MARK = r"(?:\s*(?:года|г\.?|roku|r\.?|року|р\.?|میلادی|م)|\.?\s+(?:године|godine))?"
# The day may carry the full stop German, Czech and Serbian print after it ("7. Juli 1957"),
# but not before a Roman month: "13. I 56" is read by _NUMERIC_ROMAN, and in running text
# only with the month's full stop too ("15.XII.1955"), as before.
_DAY_STOP = r"\.(?!\s*[IVX]{1,4}\s)"
# A month by its number after the word for "month", and the word for "year" before the
# year: the Vietnamese "7 tháng 7 năm 1957" (its "ngày", "day", before the day is the
# dateline's word, lexicon.BEFORE_DATE).
_NUMBERED_MONTH = r"tháng\s+(\d{1,2})"
_YEAR_WORD_BEFORE = r"(?:năm\s+)?"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th|{_DAY_STOP})?\s+(?:of\s+)?(?:{_NUMBERED_MONTH}|{_MONTH_WORD}),?\s+"
                             rf"{_YEAR_WORD_BEFORE}(\d{{2,4}}){_YEAR_MARK}$")
# The year first: with its full stop and a month's name, "1957. július 7." (Hungarian; the
# day's full stop is stripped with the text's last), or each number with its character,
# "1957年7月7日" (Chinese, Japanese), "1957년 7월 7일" (Korean).
_YEAR_MONTH_DAY = re.compile(rf"^(\d{{4}})(?:\.\s+{_MONTH_WORD}\s+|\s*[年년]\s*(\d{{1,2}})\s*[月월]\s*)(\d{{1,2}})(?:\s*[日일])?$")
# Chinese numerals, as a date prints them: the year digit by digit ("一九五七年", with "〇"
# or "○" for nought), the month and day with "十" for ten ("十二月二十一日").
_HAN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"○": "0", "零": "0"}
_HAN_NUMBER = re.compile("[〇○零一二三四五六七八九十]+")
# A Japanese era's year: a year wholly within the era is certain (Shōwa 32 is 1957); its
# first and last years are shared with the eras before and after, and Meiji's before 6
# (1873) were of the old calendar, so those are not read.
_ERAS = {"明治": (1867, 6, 44), "大正": (1911, 2, 14), "昭和": (1925, 2, 63), "平成": (1988, 2, 30)}
_ERA_YEAR = re.compile(r"(明治|大正|昭和|平成)(\d{1,2})(?=\s*年)")

# Mongolian: "1957 оны 7 дугаар сарын 7" ("of the year 1957, of the 7th month, 7"), the
# ordinal's ending perhaps as "7-р" or left out, "сар" without its case ending.
_MN_ORDINAL_MONTH = r"\s*-?\s*(?:р|дугаар|дүгээр))?\s+сар(?:ын)?\s+"
_MONGOLIAN = re.compile(rf"^(\d{{4}})\s+оны\s+(\d{{1,2}})(?:{_MN_ORDINAL_MONTH}(\d{{1,2}})$")

# "December 16, 1955", and as typed in haste, "Dec.16,1955".
_MONTH_DAY_YEAR = re.compile(rf"^{_MONTH_WORD}\s*(\d{{1,2}})(?:st|nd|rd|th)?(?:,\s*|\s+)(\d{{4}})$")
_MONTH_YEAR = re.compile(rf"^{_MONTH_WORD},?\s+(\d{{4}})(?:\s*(?:года|г\.?))?$")
_YEAR = re.compile(r"^(\d{4})(?:\s*(?:года|г\.?))?$")
_NUMERIC_ROMAN = re.compile(r"^(\d{1,2})\s*[.\s]\s*([IVX]{1,4})\s*[.\s]\s*(\d{2,4})\s*(?:г\.?|года)?$")
_NUMERIC = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:года|г\.?))?$")
# "16/12/1955" or "12/16/1955": read only when the day is plain (above 12, or both
# numbers the same); "05/06/1955" may be either, and is not read at all.
_SLASHED = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
# "Monday, December 16, 1955": the day of the week says nothing the date does not.
_WEEKDAY = re.compile(r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun"
                      r"|понедельник|вторник|среда|четверг|пятница|суббота|воскресенье)\.?,?\s+", re.IGNORECASE)
_WEEKDAY_INITIALS = frozenset("MTWFSmtwfsПВСЧпвсч")
# A document the archive could not date says so where the date would stand.
_UNDATED = re.compile(r"^\[?(?:undated|not dated|no date|date unknown|n\.\s?d\.?|без даты|не датировано|б/д|б\.\s?д\.)\]?$",
                      re.IGNORECASE)
# A date the editors could only estimate: "circa 1957", "c. 1957", "около 1957 г.",
# "1957-?", "July 1957?". The estimate is read as a date of low certainty.
_APPROXIMATE = re.compile(r"^(?:circa|ca\.?|c\.|approx\.?|approximately|около|ок\.|примерно)\s*(?P<rest>\S.*)$", re.IGNORECASE)
_QUERIED = re.compile(r"^(?P<rest>.*\d)\s*-?\s*\?$")
_APPROXIMATE_INITIALS = frozenset("cCaAоОпП")  # circa, ca., c., approx(imately), около, ок., примерно
_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
# The Arabic script's letters and digits (Arabic-Indic and Persian, which \d reads as any
# other). A date with a year before 1500 printed with them, or in numbers alone (no month's
# name to say the calendar: "16.4.1336", in European digits, as a Persian original may
# print it), is counted in a Hijri calendar (Iran's solar one: 16.4.1336 is 7 July 1957),
# which is not converted: read as Gregorian it would be a wrong date, so it is left unread.
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_NUMBERS_ONLY = re.compile(r"^[\d\s./\-–—]+$")
_HIJRI_YEARS_BELOW = 1500
_MAX_DATE_WORDS = 8


def month_number(word: str) -> int | None:
    """The month a printed month name stands for, in English, Russian, Azerbaijani or a
    language of :data:`_OTHER_MONTH_ROWS`."""
    w = word.lower().rstrip(".")
    if w in _EN_MONTHS:
        return _EN_MONTHS[w]
    if w in _AZ_MONTHS:
        return _AZ_MONTHS[w]
    if w in _OTHER_MONTHS:
        return _OTHER_MONTHS[w]
    if w in {"май", "мая"}:
        return 5
    if w in _RU_MONTH_ABBREVIATIONS:
        return _RU_MONTH_ABBREVIATIONS[w]
    for stem, number in _RU_MONTH_STEMS.items():
        if stem != "ма" and w.startswith(stem):
            return number
    return None


def _year(text: str, century_hint: int | None) -> int:
    year = int(text)
    if len(text) == 2:
        year += century_hint if century_hint is not None else 1900
    return year


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# Every date pattern here needs a digit (\d, as they spell it): most runs of text
# have none, and one scan for a digit is cheaper than the patterns.
_DIGIT = re.compile(r"\d")


def parse_date(text: str, century_hint: int | None = None) -> DocDate | None:
    """Read ``text`` as one date; ``None`` if it is not (only) a date.

    ``century_hint`` (e.g. 1900) resolves two-digit years such as "55".
    A date with an editor's supplement ("[[195]]7") is read with the
    supplement and marked ``cert="medium"``: the digits are not in the source.
    """
    # No pattern below allows more than seven words (the longest: "15 . XII . 1955
    # г."), so a longer text is not split and joined whole only to fail: the body
    # encoder asks this of every paragraph. Nor does any of them match without a
    # digit, which most headings, names and salutations lack, but for a date in Chinese
    # numerals, which has the year's character ("一九五七年七月七日").
    if (_DIGIT.search(text) is None and "年" not in text) or len(text.split(maxsplit=_MAX_DATE_WORDS)) > _MAX_DATE_WORDS:
        return None
    printed = " ".join(text.split())
    if not printed:
        return None
    cert = "high"
    core = _western_numbers(printed) if _has_year_character(printed) else printed
    if _SUPPLIED.search(core):
        core = _SUPPLIED.sub(r"\1", core)
        cert = "medium"
    core = core.strip().rstrip(".").strip()
    if core[:1] == "[" and core[-1:] == "]" and core.count("[") == 1:
        # "[December 16, 1955]": the whole date is the editors', not the document's.
        core = core[1:-1].strip()
        cert = "medium"
    if core[:1] in _WEEKDAY_INITIALS and (weekday := _WEEKDAY.match(core)) is not None \
            and len(core[weekday.end():].split()) > 1:  # a day of the week names a day, not a year
        core = core[weekday.end():]
    # Nearly every text asked about is no estimate: its first letter and last character
    # rule both patterns out before either runs (the body encoder asks of every line).
    approximate = ((_APPROXIMATE.match(core) if core[:1] in _APPROXIMATE_INITIALS else None)
                   or (_QUERIED.match(core) if core.endswith("?") else None))
    if approximate:
        core = approximate["rest"].strip().rstrip(".").strip()
        if (q := _QUERIED.match(core)) is not None:  # "circa 1957?"
            core = q["rest"].strip()
        cert = "low"
    if "كانون" in core or "تشرين" in core:
        core = _LEVANT_TWO_WORDS.sub(lambda w: _LEVANT_AS_ONE_WORD[w[1], w[2]], core)
    when: str | None = None
    if m := _ISO.match(core):
        when = _iso(int(m[1]), int(m[2]), int(m[3]) if m[3] else None)
    elif m := _DAY_MONTH_YEAR.match(core):
        month = int(m[2]) if m[2] else month_number(m[3])
        if month and m[3] and core[m.end(1)] == "." and m[3].lower() in _ENGLISH_ONLY_MONTHS:
            month = None  # the day's full stop before an English month (_ENGLISH_ONLY_MONTHS)
        if month:
            when = _iso(_year(m[4], century_hint), month, int(m[1]))
    elif m := _MONTH_DAY_YEAR.match(core):
        month = month_number(m[1])
        if month:
            when = _iso(int(m[3]), month, int(m[2]))
    elif m := _YEAR_MONTH_DAY.match(core):
        # Hungarian writes the month in lower case after the year: "1957. May 12" is the end
        # of one English sentence and the start of the next, not a date.
        month = (month_number(m[2]) if m[2].islower() else None) if m[2] else int(m[3])
        if month:
            when = _iso(int(m[1]), month, int(m[4]))
    elif "оны" in core and (m := _MONGOLIAN.match(core)):
        when = _iso(int(m[1]), int(m[2]), int(m[3]))
    elif m := _NUMERIC.match(core):
        when = _iso(int(m[3]), int(m[2]), int(m[1]))
    elif "/" in core and (m := _SLASHED.match(core)):
        first, second = int(m[1]), int(m[2])
        if first > 12 or first == second:
            when = _iso(int(m[3]), second, first)
        elif second > 12:
            when = _iso(int(m[3]), first, second)
    elif m := _NUMERIC_ROMAN.match(core):
        when = _iso(_year(m[3], century_hint), _ROMAN.get(m[2]), int(m[1]))
    elif m := _YEAR.match(core) or _PART_OF_YEAR.match(core):  # before "<month> <year>": "late 1957"
        when = _iso(int(m[1]))
    elif m := _MONTH_YEAR.match(core):
        month = month_number(m[1])
        if month:
            when = _iso(int(m[2]), month)
    if when is None:
        span = _span(core, century_hint)
        if span is None or _hijri(span[0], core):
            return None
        return DocDate(text=printed, not_before=span[0], not_after=span[1], cert=cert)  # type: ignore[arg-type]
    if _hijri(when, core):
        return None
    return DocDate(text=printed, when=when, cert=cert)  # type: ignore[arg-type]


def _has_year_character(text: str) -> bool:
    """Whether ``text`` has the year's character of a Chinese, Japanese or Korean date."""
    # Two substring searches: a set's isdisjoint hashes every character of the line, and
    # doubled find_dates's cost on the seeds' lines.
    return "年" in text or "년" in text


def _han_number(run: re.Match[str]) -> str:
    digits, ten, units = run[0].partition("十")
    if not ten:
        return "".join(_HAN_DIGITS[c] for c in digits)
    if len(digits) > 1 or len(units) > 1 or "十" in units:
        return run[0]  # no number of a date: left as printed, and read as none
    return str(int(_HAN_DIGITS.get(digits, "1")) * 10 + int(_HAN_DIGITS.get(units, "0")))


def _era_year(m: re.Match[str]) -> str:
    offset, first, last = _ERAS[m[1]]
    return str(offset + int(m[2])) if first <= int(m[2]) <= last else m[0]


def _western_numbers(text: str) -> str:
    """A date written with the year's character ("一九五七年七月七日", "昭和32年7月7日") in
    the digits and the calendar the patterns read ("1957年7月7日")."""
    return _ERA_YEAR.sub(_era_year, _HAN_NUMBER.sub(_han_number, text))


def _hijri(iso: str, core: str) -> bool:
    """Whether a date read as ``iso`` is one of a Hijri calendar (see _ARABIC_SCRIPT)."""
    return int(iso[:4]) < _HIJRI_YEARS_BELOW and (_ARABIC_SCRIPT.search(core) is not None or _NUMBERS_ONLY.match(core) is not None)


# Periods rather than days: "1957-1958", "1957–58", "March–April 1953", "Spring 1957",
# "the 1950s", "1950-е годы". A part of a year ("late 1957") is read as that year: the
# printed form keeps what the source says of it.
_DASH = r"\s*[-–—]\s*"
_HAS_DASH = re.compile(r"[-–—]")
_YEAR_SPAN = re.compile(rf"^(\d{{4}}){_DASH}(\d{{2}}|\d{{4}})(?:\s*(?:гг?\.|годы|годов))?$")
# Days of one month: "December 16-17, 1955", "16–17 December 1955", "16-17 декабря 1955 г.".
_DAY_SPAN_MDY = re.compile(rf"^{_MONTH_WORD}\s*(\d{{1,2}}){_DASH}(\d{{1,2}}),?\s*(\d{{4}})$")
_DAY_SPAN_DMY = re.compile(rf"^(\d{{1,2}}){_DASH}(\d{{1,2}})\s+{_MONTH_WORD},?\s+(\d{{4}})(?:\s*(?:года|г\.?))?$")
_MONTH_SPAN = re.compile(rf"^{_MONTH_WORD}{_DASH}{_MONTH_WORD},?\s+(\d{{4}})(?:\s*(?:года|г\.?))?$")
_DECADE = re.compile(r"^(?:the\s+)?(\d{3})0(?:s|'s|’s|-е|-x)(?:\s*(?:гг\.|годы|годов))?$", re.IGNORECASE)
_SEASON = re.compile(r"^(spring|summer|autumn|fall)(?:\s+of)?,?\s+(\d{4})$", re.IGNORECASE)
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
_PART_OF_YEAR = re.compile(r"^(?:early|mid|mid-|late|the\s+end\s+of|end\s+of|the\s+beginning\s+of|beginning\s+of)\s*(\d{4})"
                           r"(?:\s*(?:года|г\.?))?$", re.IGNORECASE)


def is_undated(text: str) -> bool:
    """Whether ``text`` is what an archive prints where an undated document's date
    would stand: "Undated", "n.d.", "No date", "без даты", "б/д"."""
    return len(text) < 24 and _UNDATED.match(" ".join(text.split())) is not None


def date_line(seen: str, printed: str) -> DocDate | None:
    """The date a line standing where a document's date does states, or None: read from
    ``seen`` (the line as structure sees it, without invisible characters) and recorded
    with the ``printed`` form. "Undated" is a date with no reading, and so is a day the
    calendar does not have ("February 30, 1955", see :func:`impossible_date`): it is the
    document's date as printed, not the first words of its title."""
    date = slot_date(seen)
    if date is not None:
        return replace(date, text=printed)
    return DocDate(text=printed) if is_undated(seen) or impossible_date(seen) else None


def impossible_date(text: str) -> str | None:
    """Why ``text``, written as a day, a month and a year, names no day of the calendar
    ("February 1955 has 28 days"); None when it is a real day or not written so."""
    core = " ".join(text.split()).rstrip(".").strip()
    if _DIGIT.search(core) is None:
        return None
    year = month = day = None
    if m := _ISO.match(core):
        year, month, day = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    elif m := _DAY_MONTH_YEAR.match(core):
        year, month, day = _year(m[4], None), int(m[2]) if m[2] else month_number(m[3]), int(m[1])
    elif m := _MONTH_DAY_YEAR.match(core):
        year, month, day = int(m[3]), month_number(m[1]), int(m[2])
    elif m := _NUMERIC.match(core):
        year, month, day = int(m[3]), int(m[2]), int(m[1])
    if year is None or month is None or not 1 <= year <= 9999:
        return None
    if not 1 <= month <= 12:
        return f"month {month} of \"{core}\" does not exist"
    if day is not None and not 1 <= day <= (days := calendar.monthrange(year, month)[1]):
        return f"\"{core}\" is no day of the calendar: {calendar.month_name[month]} {year} has {days} days"
    return None


# Where a date may end glued to a capitalised word: after its year's last digit or a
# full stop ("1957Moscow", "1957 г.Москва"), before an upper-case letter.
_GLUE = re.compile(r"(?<=[\d.])(?=[^\W\d_])")


def slot_date(text: str) -> DocDate | None:
    """The date of a line standing where a document's date does: the whole line read as
    one, or a date the next word is glued to, a space or line break lost in the export
    ("July 7, 1957Moscow"). The slot holds a date, so the word after it cannot be what
    makes a line a date that reads as one without it; in running text a date ends where a
    word does (:data:`_SEARCH_PATTERNS`). The printed form is the whole line: the glued
    word is printed in the date's slot, and kept there."""
    date = parse_date(text)
    if date is not None or _DIGIT.search(text) is None:
        return date
    for glue in _GLUE.finditer(text):
        if text[glue.start()].isupper() and (date := parse_date(text[:glue.start()])) is not None:
            return replace(date, text=" ".join(text.split()))
    return None


def _span(core: str, century_hint: int | None) -> tuple[str, str] | None:
    """The first and last ISO dates of a printed period, or None."""
    # Every text that is no date at all ends here: a period has a dash, a decade's
    # ending or a season's first letter, and a text with none is answered at once.
    if not (_HAS_DASH.search(core) or core[-1:] in "sе" or core[:1] in "sSaAfF" or core[:4].lower() == "the "):
        return None
    if m := _YEAR_SPAN.match(core):
        first = int(m[1])
        last = int(m[2]) if len(m[2]) == 4 else first // 100 * 100 + int(m[2])
        return _ordered(_iso(first), _iso(last))
    if m := _DAY_SPAN_MDY.match(core):
        month = month_number(m[1])
        return _ordered(_iso(int(m[4]), month, int(m[2])), _iso(int(m[4]), month, int(m[3]))) if month else None
    if m := _DAY_SPAN_DMY.match(core):
        month = month_number(m[3])
        return _ordered(_iso(int(m[4]), month, int(m[1])), _iso(int(m[4]), month, int(m[2]))) if month else None
    if m := _MONTH_SPAN.match(core):
        start, end, year = month_number(m[1]), month_number(m[2]), int(m[3])
        return _ordered(_iso(year, start), _iso(year, end)) if start and end else None
    if m := _DECADE.match(core):
        return _ordered(_iso(int(m[1]) * 10), _iso(int(m[1]) * 10 + 9))
    if m := _SEASON.match(core):
        start, end = _SEASON_MONTHS[m[1].lower()]
        return _ordered(_iso(int(m[2]), start), _iso(int(m[2]), end))
    return None


def _ordered(first: str | None, last: str | None) -> tuple[str, str] | None:
    return (first, last) if first and last and first <= last else None


# Each pattern opens with a character class, not with "\b": the regex engine then skips
# straight to the next digit (or capital) of a text instead of trying the whole pattern
# at every character (3.5 of a paragraph's 8.3 us). The lookbehind after the first
# character is the "\b" before it: a digit or capital is a word character, so the
# boundary is there exactly when the character before it is not one.
# A date found inside a text ends where a word does: "7 July 1957Moscow" (a space lost)
# has none, for a date element ending inside "1957Moscow" would cut the word in two.
# The Russian year's "г" is read with or without its full stop ("1957г").
_WORD_ENDS = r"(?![^\W_])"
_SEARCH_PATTERNS = [
    # "16 December 1955", "16 декабря 1955 г.", "2 avqust 1955" (Azerbaijani months are
    # lower case, and may have letters outside Latin-1: "martın"), "7. Juli 1957",
    # "7 tháng 7 năm 1957": the numbered month is tried first, or its number would be the year.
    # And "1957. július 7." (the day's full stop is left to the sentence): the year first is
    # an alternative of this pattern, not a pattern of its own, which scanned every line
    # with a digit once more (a tenth of find_dates's time on the seeds' lines).
    # Its month starts in lower case, as Hungarian's do and as parse_date requires there:
    # a capitalised word after a year's full stop opens a sentence, and a match taken
    # through it ("1956. On 3") would hide the date it starts ("On 3 March 1957").
    # The Mongolian year first ("1957 оны 7 дугаар сарын 7") is a third alternative, and a
    # Levantine month's second word ("7 كانون الثاني 1957") an option after the month's.
    re.compile(r"\d(?<!\w\d)(?:\d{3}\.\s+(?=[a-zá])[^\W\d_]+\.?\s+\d{1,2}|\d{3}\s+оны\s+\d{1,2}(?:" + _MN_ORDINAL_MONTH
               + r"\d{1,2}|\d?(?:" + _DAY_STOP + r")?\s+(?:" + _NUMBERED_MONTH + r"|[^\W\d_]+" + _LEVANT_SECOND_WORD
               + r"\.?),?\s+" + _YEAR_WORD_BEFORE + r"(?:\[\[?\d+\]\]?)?\d{1,4}" + _YEAR_MARK + ")" + _WORD_ENDS),
    re.compile(r"[A-Z](?<!\w[A-Z])[a-z]+\.?\s+\d{1,2},?\s+\d{4}\b"),
    re.compile(r"\d(?<!\w\d)\d?\s*\.\s*[IVX]{1,4}\s*\.\s*\d{2,4}(?:\s*г\.?)?" + _WORD_ENDS),
]


# Chinese, Japanese and Korean dates, written without spaces between words: each number
# with its character, in Arabic or Chinese numerals, the year perhaps in a Japanese era.
# Searched only in a text with the year's character (most have none); the day's character
# ends the date, whatever letter follows it.
_HAN_NUMERAL = r"\d〇○零一二三四五六七八九十"
# One scan of a line for a digit or the year's character: most lines have neither.
_DIGIT_OR_YEAR = re.compile(r"[\d年년]")
_CJK_SEARCH = re.compile(rf"(?<![{_HAN_NUMERAL}])(?:明治|大正|昭和|平成)?[{_HAN_NUMERAL}]{{1,4}}\s*[年년]\s*"
                         rf"[{_HAN_NUMERAL}]{{1,3}}\s*[月월]\s*[{_HAN_NUMERAL}]{{1,3}}\s*[日일]")


def find_dates(text: str, century_hint: int | None = None) -> list[tuple[int, int, DocDate]]:
    """Every date printed inside ``text``, as (start, end, date), left to right."""
    if _DIGIT_OR_YEAR.search(text) is None:
        return []
    cjk = _has_year_character(text)
    found: list[tuple[int, int, DocDate]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_SEARCH_PATTERNS + [_CJK_SEARCH]) if cjk else _SEARCH_PATTERNS:
        pos = 0
        while (m := pattern.search(text, pos)) is not None:
            pos = m.end()
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            date = parse_date(m.group(0), century_hint)
            if date is None:
                # A match that is no date may have taken the start of one: "2. On 7" (a
                # numbered paragraph, read as a day's full stop, a month and a year) of
                # "2. On 7 June 1957". The search goes on from its next character, not its
                # end; the patterns' look-behinds keep it from starting inside a number.
                pos = m.start() + 1
                continue
            found.append((m.start(), m.end(), date))
            taken.append((m.start(), m.end()))
    return sorted(found, key=lambda item: item[0])
