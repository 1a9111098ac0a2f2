"""Words that tell what a line of a document is, per language.

Kept as data so a new language is a new entry, not new code. Each entry is a
regular expression matched case-insensitively at the start of a line (or
anywhere, for ``registry_anywhere``). The lists describe the conventions of
Soviet-era and diplomatic paperwork in general, not any one export.
"""

from __future__ import annotations

import re

from edition.mark_labels import FOREIGN_LABELS

# Opening a letter: "Dear Cde. Khrushchev,", "Уважаемый тов. Хрущев,".
SALUTATION = re.compile(
    r"^(?:my\s+)?(?:dear|dearest|esteemed|respected|gentlemen|sirs?|madam|comrades?|cdes?\.|mr\.|mrs\.|"
    r"уважаем\w*|дорог\w*|многоуважаем\w*|глубокоуважаем\w*|товарищи|господин\w*|"
    r"sehr\s+geehrte\w*|lieber?|cher|chère|monsieur|madame)\b",
    re.IGNORECASE,
)

# Closing a letter: "With comradely greetings,", "With respect,", "Respectfully yours,",
# "С коммунистическим приветом,", "致以共产主义的敬礼！". Only a short line ending in a comma,
# a stop or an exclamation mark is one (structure); "With respect to your letter." is a sentence.
CLOSING_SALUTATION = re.compile(
    r"^(?:with\s+(?:comradely|communist|fraternal|warm|best|kind)\s+(?:greetings|regards)|"
    r"with\s+(?:(?:deep|great|profound|comradely|sincere)\s+)?respect(?!\s+(?:to|of|for)\b)|(?:best|kind|warm)\s+regards|"
    r"(?:yours\s+)?(?:sincerely|respectfully|faithfully)(?:\s+yours)?|yours\s+(?:truly|cordially)|(?:truly|cordially)\s+yours|"
    r"с\s+(?:коммунистическим|товарищеским|братским|дружеским)\s+приветом|с\s+(?:глубоким\s+)?уважением|"
    r"mit\s+(?:kommunistischem|sozialistischem|freundlichem)\s+gruß|"
    r"致以(?:\w{1,8}的)?敬礼|此致敬礼)\b",
    re.IGNORECASE,
)

# Addressee lines: "TO THE CPSU CENTRAL Committee", "В ЦЕНТРАЛЬНЫЙ КОМИТЕТ КПСС",
# "тов. ХРУЩЕВУ", "MOSCOW, VKP(b) CC, to Cdes. STALIN".
ADDRESSEE = re.compile(
    r"^(?:to\b|в\s+\w|во\s+\w|тов\.|товарищу|т\.\s*т\.|cdes?\.\s|comrades?\s|первому\b|секретарю\b|председателю\b|"
    r"министру\b|послу\b|an\s+d|à\s)|,\s*(?:to|в)\s+(?:cdes?\.|comrades?|тов\.|т\.\s*т\.)",
    re.IGNORECASE,
)

# The writer's own line in an opener: "from engineer ...", "от политэмигранта ...".
SENDER = re.compile(r"^(?:from\b|от\s+\w|von\b|de\s+la\s+part)", re.IGNORECASE)

# The registry's verbs of handling ("arrived at the CC for decipherment at 0730", "Received
# 14 May", "Поступило в ЦК", "Расшифровал Петров", "Исполнено."): one opens a registry line,
# unless the word after it makes the line a sentence (REGISTRY_VERB).
_REGISTRY_VERBS = (r"arrived|received|sent\s+to|deciphered|decoded|encoded|done|расшифровал\w*|поступил\w*|получен\w*|"
                   r"отпечатан\w*|исполнено")
# Registry, routing and handling marks.
REGISTRY = re.compile(
    r"^(?:(?:incoming|outgoing|вх\.?|входящий|исх\.?|исходящий|ref\.?)\s*)?(?:n[ºo°]\.?|№|no\.)\s*\S"
    r"|^(?:strictly\s+|top\s+|most\s+)?(?:secret|confidential|совершенно\s+секретно|секретно|сов\.\s*секретно|"
    r"особой\s+важности|особая\s+папка|срочно|urgent)\b"
    r"|^(?:subject\s+to\s+return|reproduction\s+prohibited|copying\s+prohibited|подлежит\s+возврату|к\s+возврату|"
    rf"to\s+the\s+archives?|в\s+архив|в\s+дело|to\s+file|{_REGISTRY_VERBS}|copy\s+no|экз\.|\d+\s+copies)\b",
    re.IGNORECASE,
)
# A registry's verb and the word after it. On a registry line the verb stands alone or before
# a number, a name, a preposition or an article; a lower-case word of another kind after it
# ("Arrived safely.", "Received your cable", "Получено благополучно") makes the line a
# sentence of the text, as a cable writes it.
# The registry may name more of its handling after the verb ("Received and deciphered at
# 0730", "Поступило и расшифровано 15.V.59"): the word after those is the one that tells.
_REGISTRY_HANDLING = (r"(?:arrived|received|sent|deciphered|decoded|encoded|typed|printed|registered|copied|filed|"
                      r"расшифрова\w*|поступил\w*|получен\w*|отпечатан\w*|зарегистрирова\w*|размножен\w*|"
                      r"разослан\w*|исполнен\w*)")
REGISTRY_VERB = re.compile(
    rf"^(?:{_REGISTRY_VERBS})\b"
    rf"(?:(?:\s*,\s*|\s+)(?:(?:and|и)\s+)?{_REGISTRY_HANDLING}\b)*"
    r"[\s.,:;]*(?P<next>[^\W\d_]+)?",
    re.IGNORECASE,
)
# The way a cable came or went, in the instrumental as Russian writes it without a
# preposition ("Получено шифром", "Поступило телеграфом"; English says "by cipher"), is the
# registry's word too: the handling's how, not a sentence's object.
REGISTRY_VERB_NEXT = re.compile(
    r"^(?:at|by|for|from|in|on|to|via|the|a|an|cdes?|comrades?|в|во|на|из|от|по|к|для|у|тов|т|"
    r"шифром|телеграфом|телетайпом|почтой|фельдсвязью|спецсвязью|диппочтой|нарочным|курьером|"
    r"cipher|code|telegraph|teletype|courier|pouch)$",
    re.IGNORECASE,
)
REGISTRY_ANYWHERE = re.compile(
    r"\bto\s+return\b|\bк\s+возврату\b|\bcopies\s+printed\b|\bexemplar|\bэкз\.", re.IGNORECASE
)

# A document's own name for its kind, alone on a line or with its number ("PROTOKOLL Nr.
# 31/61", "PROTOKÓŁ nr 12/57", "JEGYZŐKÖNYV", "ПРОТОКОЛ № 5", "MINUTES No. 12"): the
# heading of the document, where a line in capitals at the top is otherwise the address.
DOCUMENT_KIND = re.compile(
    r"^(?:protokoll|protokół|protokol|protocol|протокол|jegyzőkönyv|procès-verbal|proces-verbal|zápis|zápisnica|"
    r"записник|стенограмма|minutes|memorandum|меморандум)"
    r"(?:\s+(?:nr\.?|no\.?|n[ºo°]\.?|№|č\.|sz\.)\s*\d[\w./\-–]*)?\.?$",
    re.IGNORECASE,
)

# A translation's heading naming the language it was made from ("Перевод с английского",
# "Translation from the Russian", "Übersetzung aus dem Russischen", "Tłumaczenie z
# rosyjskiego"): the heading of the text under it.
TRANSLATION_HEADING = re.compile(
    r"^(?:(?:перевод|translation|übersetzung|tłumaczenie|fordítás|překlad|preklad|traduction|traducere|превод)"
    r"\s+(?:с|со|from(?:\s+the)?|aus(?:\s+dem)?|z|ze|de\s+l['’]|du|din|от)\s+[^\W\d_]+(?:\s+(?:языка|language))?"
    r"|[^\W\d_]+\s+dilindən\s+tərcümə)\.?$",
    re.IGNORECASE,
)

# Words that, ending a short line, show the line continues on the next one.
CONTINUES = re.compile(
    r"(?:\b(?:the|of|to|and|a|an|for|in|on|at|by|with|и|в|во|на|по|с|со|к|о|об|от|для|из|при|за|der|die|das|und|de|la|le|et)"
    r"|,|-)\s*$",
    re.IGNORECASE,
)

# The word some languages print before a dateline's date ("Warszawa, dnia 7 lipca 1957 r.",
# "Beograd, dana 7. jula 1957.", "Berlin, den 7. Juli 1957", "Hà Nội, ngày 7 tháng 7 năm
# 1957"): the line's, not a sentence's.
BEFORE_DATE = re.compile(r"^(?:den|dne|dnia|dana|ngày)$", re.IGNORECASE)

# Words in a short line that show it is the signer's title ("Chief of a sector"). "Member"
# and "член" count only in the singular: "Member of the IKKI" over a name is one signer's
# office, where "members"/"членов" are the words of a sentence about a body.
TITLE_WORDS = re.compile(
    r"\b(?:chief|head|deputy|secretary|director|chairman|minister|ambassador|department|sector|committee|member\b|"
    r"зав\.|заведующ\w*|зам\.|заместитель|секретар\w*|начальник\w*|председател\w*|министр\w*|посол|отдел\w*|сектор\w*|член\b)",
    re.IGNORECASE,
)

# The word for a signature in a mark ("[illegible signature]", "[подпись неразборчива]",
# "[podpis nieczytelny]"): a short line with such a gap is a signature line, where
# "[illegible]" alone is not. Every foreign label of a signature mark_labels.FOREIGN_LABELS knows.
SIGNATURE_WORD = re.compile(
    "signature|подпис|" + "|".join(sorted({re.escape(label) for label, meaning in FOREIGN_LABELS.items()
                                           if "signature" in meaning}, key=len, reverse=True)),
    re.IGNORECASE)

# The last word of a sentence about whose a signature is, just before its gap: a verb in the
# past ("Резолюцию наложил [подпись]", "Resolution imposed [signature]") or a preposition
# ("Resolution by [signature]"). A signer's office ends in a noun, lower-case or not
# ("Военный атташе [подпись]", "Military attaché [signature]"), and signs.
GAP_SENTENCE_END = re.compile(r"^(?:by|from|от|\w+ed|\w+[аеиыя]л[аои]?(?:ся|сь)?)$", re.IGNORECASE)

# The words of an attested copy before its signature ("Копия верна: [подпись]", "True copy:
# [signature]"): lower-case words before a signature gap that are no sentence about it.
ATTESTED = re.compile(r"\b(?:верн[оа]|true\s+copy|certified|correct)\b", re.IGNORECASE)

# The one-word decisions a reader writes under a text ("Согласен.", "Утверждаю.", "Отказать.",
# "Agreed.", "Approved.", "Разыјам."): printed as a title is, a word with its full stop, but
# the last line of the text they decide, never the heading of the next.
RESOLUTION = re.compile(
    r"^\s*(?:согласен|согласна|согласны|утверждаю|утверждено|разрешаю|отказать|возражаю|ознакомлен\w*|"
    r"читал\w*|разыјам|razıyam|agreed|approved?|refused?|seen|noted|ok)\.?\s*$",
    re.IGNORECASE,
)

# The places the archive's documents are written in, as a line of their own above the date
# ("Moscow" / "9 July 1957"): with the date under it, the line is the dateline's place, not
# a heading. Only a gazetteer tells a place from a heading ("Memorandum" above a date); this
# one holds the capitals and the cities of the archive's collections, in English, Russian and
# Azerbaijani (Latin and Cyrillic), with the Russian "г." (город) before it when printed.
PLACE_LINE = re.compile(
    r"^(?:г\.\s*|гор\.\s*)?(?:"
    r"moscow|the\s+kremlin|leningrad|kiev|kyiv|minsk|tbilisi|tiflis|yerevan|erevan|baku|tashkent|alma-ata|"
    r"tehran|teheran|tabriz|ankara|istanbul|baghdad|kabul|beijing|peking|pyongyang|hanoi|ulan\s+bator|ulaanbaatar|"
    r"berlin|bonn|warsaw|prague|budapest|bucharest|sofia|belgrade|tirana|vienna|geneva|paris|london|rome|"
    r"washington|new\s+york|havana|new\s+delhi|delhi|"
    r"москва|кремль|ленинград|киев|минск|тбилиси|ереван|баку|ташкент|алма-ата|тегеран|тебриз|анкара|стамбул|"
    r"багдад|кабул|пекин|пхеньян|ханой|улан-батор|берлин|бонн|варшава|прага|будапешт|бухарест|софия|белград|"
    r"тирана|вена|женева|париж|лондон|рим|вашингтон|нью-йорк|гавана|дели|"
    r"bakı|təbriz|moskva|бакы|тәбриз"
    r")[.,]?$",
    re.IGNORECASE,
)

# The abbreviations of bodies a document names in its signature block: states, parties and
# their organs, ministries, international organisations. A short one spelt as a word is
# ("NATO", "ООН", "ТАСС" aside) passes for a surname by its shape ("TITO"), so it is
# listed; matched against a whole word, case as printed (the capitals are the sign).
ORGANISATION = re.compile(
    r"(?:NATO|НАТО|UN|ООН|OON|UNO|USSR|СССР|SSSR|CPSU|КПСС|KPSS|CC|ЦК|TsK|VKP|ВКП|CP|КП|KP|CCP|КПК|"
    r"TASS|ТАСС|UNESCO|ЮНЕСКО|SEATO|СЕАТО|CENTO|СЕНТО|UNRRA|ЮНРРА|KGB|КГБ|MGB|МГБ|NKVD|НКВД|MVD|МВД|MID|МИД|"
    r"IKKI|ИККИ|ECCI|PRC|КНР|GDR|ГДР|DDR|FRG|ФРГ|USA|США|UAR|ОАР|DPRK|КНДР|DRV|ДРВ|CMEA|СЭВ|SEV|WFTU|ВФП|"
    r"VLKSM|ВЛКСМ|Komsomol|Комсомол|MOPR|МОПР|SED|СЕПГ|PUWP|ПОРП|DPIA|ДПИА|NPI|НПИ)"
)
