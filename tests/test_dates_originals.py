"""Dates of originals in the archive's other languages, read through the real path: a
Markdown export whose original's place-and-date line is in its own language converts to
a dateline whose date has its @when, and the edition checks and validates clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from edition.convert import collect_sources, convert_all
from edition.fidelity import check_source
from edition.validate import get_validator

TEI = {"t": "http://www.tei-c.org/ns/1.0"}

# An export in the Markdown shape (tests/fixtures/convert/markdown_*_original.md): the
# original's paragraphs, then the English translation's.
_EXPORT = """**July 7, 1957**

**Letter to the CPSU Central Committee**

**Citation:**

"Letter to the CPSU Central Committee", July 7, 1957, Wilson Center Digital Archive, RGANI, f. 5, op. 30, d. 189. Contributed by Test Contributor and translated by Test Translator.

<https://wilson-center-digital-archive.dvincitest.com/document/{number}>

**Summary:**

A test document whose original is in {language}.

**Original Language:**

{language}

**Contents:**

Original Scan

Translation - English

{original}

To the CPSU Central Committee

Dear comrades, the Central Committee discussed the situation in Iran and decided to send a delegation to Moscow.

We consider it necessary to strengthen the cooperation between our parties.

Moscow, 7 July 1957

With comradely greetings, the Central Committee
"""

# key: (Original Language, the original's paragraphs with {dateline} where its date line stands).
_ORIGINALS: dict[str, tuple[str, str]] = {
    "de": ("German", "An das Zentralkomitee der KPdSU\n\nWerte Genossen, das Politbüro hat die Lage in Iran beraten und beschlossen, "
           "eine Delegation nach Moskau zu entsenden.\n\nWir halten es für notwendig, die Zusammenarbeit zwischen unseren "
           "Parteien zu festigen, und die Genossen werden am 7. Juli in Moskau sein.\n\n{dateline}\n\nMit sozialistischem Gruß, W. Ulbricht"),
    "pl": ("Polish", "Komitet Centralny KPZR\n\nDrodzy towarzysze, Biuro Polityczne omówiło sytuację w Iranie i postanowiło, że do "
           "Moskwy zostanie wysłana delegacja.\n\nUważamy, że jest to konieczne dla współpracy między naszymi partiami, co "
           "było omawiane na posiedzeniu z 7 r. ub.\n\n{dateline}\n\nZ towarzyskim pozdrowieniem W. Gomułka"),
    "uk": ("Ukrainian", "Центральному Комітету КПРС\n\nДорогі товариші, Політбюро розглянуло становище в Ірані і вирішило, що до "
           "Москви буде направлена делегація.\n\nМи вважаємо, що це необхідно для співробітництва між нашими партіями.\n\n"
           "{dateline}\n\nЗ товариським привітом, М. Підгорний"),
    "bg": ("Bulgarian", "До Централния комитет на КПСС\n\nСкъпи другари, Политбюро обсъди въпроса за положението в Иран и реши да "
           "изпрати свои представители в Москва.\n\nНие смятаме, че е необходимо да се укрепи сътрудничеството между "
           "нашите партии.\n\n{dateline}\n\nС другарски поздрав, Т. Живков"),
    "ro": ("Romanian", "Către Comitetul Central al PCUS\n\nDragi tovarăși, Biroul Politic a discutat situația din Iran și a hotărât "
           "să trimită o delegație la Moscova.\n\nConsiderăm că este necesar să se întărească colaborarea dintre partidele "
           "noastre.\n\n{dateline}\n\nCu salut tovărășesc, Gh. Gheorghiu-Dej"),
    "hu": ("Hungarian", "Az SZKP Központi Bizottságának\n\nKedves elvtársak, a Politikai Bizottság megvitatta az iráni helyzetet, és "
           "úgy döntött, hogy küldöttséget küld Moszkvába.\n\nÚgy véljük, hogy ez szükséges a pártjaink közötti "
           "együttműködés érdekében, és ezt az 1957. évi 7. ülés is megerősítette.\n\n{dateline}\n\n"
           "Elvtársi üdvözlettel, Kádár J."),
    "zh": ("Chinese", "苏联共产党中央委员会：\n\n亲爱的同志们，中国共产党中央委员会收到了你们的来信，并且认真地讨论了信中提出的问题。\n\n"
           "我们建议双方代表团先在北京进行初步的协商，然后再把协商的结果通知其他兄弟党。\n\n致以共产主义的敬礼！\n\n{dateline}"),
    "ja": ("Japanese", "ソ連共産党中央委員会御中\n\n親愛なる同志諸君、わが党の中央委員会は貴党からの書簡を受け取り、その中で提起された問題を慎重に検討しました。\n\n"
           "われわれは、両党の代表団がまず東京で予備的な協議を行うことを提案します。\n\n{dateline}\n\n日本共産党中央委員会"),
    "ko": ("Korean", "쏘련공산당 중앙위원회 앞\n\n친애하는 동지들, 조선로동당 중앙위원회는 당신들의 편지를 받고 그 편지에서 제기된 문제를 신중하게 토의하였습니다.\n\n"
           "우리는 두 당의 대표단이 먼저 평양에서 예비적인 협의를 진행할 것을 제안합니다.\n\n{dateline}\n\n조선로동당 중앙위원회"),
    "vi": ("Vietnamese", "Kính gửi Ban Chấp hành Trung ương Đảng Cộng sản Liên Xô\n\nCác đồng chí thân mến, Bộ Chính trị đã thảo luận về "
           "tình hình ở Iran và quyết định cử một đoàn đại biểu đến Moskva.\n\nChúng tôi cho rằng việc tăng cường sự hợp tác "
           "giữa các đảng của chúng ta là cần thiết, như hội nghị ngày 7 tháng 7 đã nói.\n\n{dateline}\n\n"
           "Chào thân ái, Hồ Chí Minh"),
    "fa": ("Persian", "به کمیته مرکزی حزب کمونیست اتحاد شوروی\n\nرفقای عزیز، پلنوم کمیته مرکزی حزب توده ایران از تصمیم پلنوم "
           "کمیته مرکزی حزب کمونیست اتحاد شوروی آگاه شد.\n\nپلنوم همبستگی کامل خود را با این تصمیمات اعلام می‌کند.\n\n"
           "{dateline}\n\nرادمنش"),
    "ar": ("Arabic", "إلى اللجنة المركزية للحزب الشيوعي السوفيتي\n\nأيها الرفاق الأعزاء، ناقش المكتب السياسي الوضع في إيران وقرر "
           "إرسال وفد إلى موسكو.\n\nإننا نرى أن من الضروري تعزيز التعاون بين حزبينا.\n\n{dateline}\n\nمع التحيات الرفاقية، خالد بكداش"),
    "cs": ("Czech", "Ústřednímu výboru KSSS\n\nVážení soudruzi, předsednictvo se na své schůzi zabývalo situací v Íránu a je pro to, "
           "aby do Moskvy byla vyslána delegace.\n\nJe také nutné, aby spolupráce mezi našimi stranami byla pevná.\n\n"
           "{dateline}\n\nSe soudružským pozdravem A. Novotný"),
    "sr": ("Serbian", "Централном комитету КПСС\n\nДраги другови, Извршни комитет је на својој седници размотрио положај у Ирану и "
           "одлучио да у Москву упути делегацију.\n\nСматрамо да је потребно да се сарадња између наших партија учврсти.\n\n"
           "{dateline}\n\nСа другарским поздравом, Ј. Броз"),
    "sr-latn": ("Serbian", "Centralnom komitetu KPSS\n\nDragi drugovi, Izvršni komitet je na svojoj sednici razmotrio položaj u Iranu i "
                "odlučio da u Moskvu uputi delegaciju.\n\nSmatramo da je potrebno da se saradnja između naših partija učvrsti.\n\n"
                "{dateline}\n\nSa drugarskim pozdravom, J. Broz"),
    "hr": ("Croatian", "Centralnom komitetu KPSS\n\nDragi drugovi, Izvršni komitet je na svojoj sjednici razmotrio položaj u Iranu i "
           "odlučio uputiti delegaciju u Moskvu.\n\nSmatramo da je potrebno učvrstiti suradnju između naših partija.\n\n"
           "{dateline}\n\nS drugarskim pozdravom, V. Bakarić"),
    "mn": ("Mongolian", "ЗХУКН-ын Төв Хороонд\n\nЭрхэм нөхөд өө, Улс төрийн товчоо Ираны байдлыг хэлэлцээд Москва руу төлөөлөгчид "
           "илгээхээр шийдвэрлэв.\n\nБид хоёр намын хамтын ажиллагааг бэхжүүлэх шаардлагатай гэж үзэж байна.\n\n"
           "{dateline}\n\nНөхөрсөг мэндчилгээтэй, Ю. Цэдэнбал"),
}

# key, the dateline as printed, its reading.
CASES: list[tuple[str, str, str]] = [
    ("de", "Berlin, den 7. Juli 1957", "1957-07-07"),
    ("de", "Berlin, 7. Juli 1957", "1957-07-07"),
    ("pl", "Warszawa, dnia 7 lipca 1957 r.", "1957-07-07"),
    ("pl", "Warszawa, 7 lipca 1957 roku", "1957-07-07"),
    ("uk", "Київ, 7 липня 1957 р.", "1957-07-07"),
    ("uk", "Київ, 7 липня 1957 року", "1957-07-07"),
    ("bg", "София, 7 юли 1957 г.", "1957-07-07"),
    ("ro", "București, 7 iulie 1957", "1957-07-07"),
    ("hu", "Budapest, 1957. július 7.", "1957-07-07"),
    ("hu", "1957. júl. 7.", "1957-07-07"),
    ("zh", "北京，1957年7月7日", "1957-07-07"),
    ("zh", "一九五七年七月七日", "1957-07-07"),
    ("ja", "東京、1957年7月7日", "1957-07-07"),
    ("ja", "昭和三十二年七月七日", "1957-07-07"),
    ("ko", "평양, 1957년 7월 7일", "1957-07-07"),
    ("vi", "Hà Nội, ngày 7 tháng 7 năm 1957", "1957-07-07"),
    ("vi", "ngày 7 tháng 7 năm 1957", "1957-07-07"),
    ("fa", "تهران، ۷ ژوئیه ۱۹۵۷", "1957-07-07"),
    ("ar", "دمشق، ٧ تموز ١٩٥٧", "1957-07-07"),
    ("ar", "القاهرة، ٧ يوليو ١٩٥٧م", "1957-07-07"),
    ("cs", "Praha, 7. července 1957", "1957-07-07"),
    ("sr", "Београд, 7. јул 1957.", "1957-07-07"),
    ("sr-latn", "Beograd, 7. jula 1957.", "1957-07-07"),
    ("sr", "Београд, 7. јула 1957. године", "1957-07-07"),
    ("hr", "Zagreb, 7. srpnja 1957.", "1957-07-07"),
    ("hr", "Zagreb, 7. srpanj 1957.", "1957-07-07"),
    ("mn", "Улаанбаатар, 1957 оны 7 дугаар сарын 7", "1957-07-07"),
    ("mn", "Улаанбаатар, 1957 оны 7-р сарын 7", "1957-07-07"),
    ("ar", "دمشق، 7 تموز 1957", "1957-07-07"),
]

def _write(folder: Path, number: int, key: str, dateline: str) -> Path:
    language, body = _ORIGINALS[key]
    path = folder / f"{key}_{number}.md"
    text = _EXPORT.format(number=number, language=language, original=body.format(dateline=dateline))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sources = tmp_path_factory.mktemp("originals")
    for index, (key, dateline, _) in enumerate(CASES):
        _write(sources, 600000 + index, key, dateline)
    out = tmp_path_factory.mktemp("originals-tei")
    outcomes = convert_all(collect_sources([sources]), out, id_prefix="wilson")
    assert all(o.error is None for o in outcomes), [str(o.error) for o in outcomes]
    return sources, out


@pytest.mark.parametrize(("index", "key", "dateline", "when"), [(i, *case) for i, case in enumerate(CASES)],
                         ids=[f"{c[0]}:{c[1]}" for c in CASES])
def test_an_originals_dateline_is_read_in_its_language(converted: tuple[Path, Path], index: int, key: str,
                                                        dateline: str, when: str) -> None:
    sources, out = converted
    tei = etree.parse(str(out / f"wilson-{600000 + index}.xml"))
    (original,) = tei.xpath("//t:body/t:div[@type='original']", namespaces=TEI)
    lines = original.xpath(".//t:dateline", namespaces=TEI)
    assert [" ".join("".join(d.itertext()).split()) for d in lines] == [dateline]
    assert lines[0].xpath("t:date/@when", namespaces=TEI) == [when]
    # A day and month without a year in the text ("am 7. Juli") is no date read.
    assert original.xpath(".//t:p//t:date", namespaces=TEI) == []
    report = check_source(sources / f"{key}_{600000 + index}.md", out, id_prefix="wilson")
    assert report.ok, report


def test_the_originals_validate(converted: tuple[Path, Path]) -> None:
    _, out = converted
    findings, count = get_validator().validate_paths([out])
    assert count == len(CASES)
    assert [f.format() for f in findings] == []


@pytest.mark.parametrize(("printed", "when"), [
    ("7. Juli 1957", "1957-07-07"), ("7. Dez. 1957", "1957-12-07"), ("7. července 1957", "1957-07-07"),
    ("7. јул 1957.", "1957-07-07"), ("7. jul 1957.", "1957-07-07"), ("7. јула 1957. године", "1957-07-07"), ("7. jula 1957. godine", "1957-07-07"),
    # The day's full stop leaves the Roman month read as before, and a day and a word
    # that is no month is no date.
    ("13. I 56", "1956-01-13"), ("7. Juli", None), ("7. Kapitel 1957", None),
    # English prints no full stop after a day: a numbered paragraph opening with an English
    # month is no date; a name German writes too is read, as German.
    ("1. June 1957", None), ("3. March 1957", None), ("5. May 1957", None), ("7. August 1957", "1957-08-07"),
    ("1. Jan. 1957", "1957-01-01"),
])
def test_a_day_with_its_full_stop_is_read_before_a_month_name(printed: str, when: str | None) -> None:
    from edition.dates import parse_date

    date = parse_date(printed)
    assert (date.when if date else None) == when


def test_no_month_name_stands_for_two_months() -> None:
    from edition.dates import _OTHER_MONTH_ROWS

    months: dict[str, set[int]] = {}
    for row in _OTHER_MONTH_ROWS.values():
        for number, forms in enumerate(row, start=1):
            for form in forms.split():
                months.setdefault(form, set()).add(number)
    assert {form: numbers for form, numbers in months.items() if len(numbers) > 1} == {}


@pytest.mark.parametrize(("printed", "when"), [
    ("7 lipca 1957 r.", "1957-07-07"), ("7 lipca 1957r.", "1957-07-07"), ("7 grudnia 1957 roku", "1957-12-07"),
    ("7 липня 1957 р.", "1957-07-07"), ("7 листопада 1957 року", "1957-11-07"), ("7 юли 1957 г.", "1957-07-07"),
    ("7 iulie 1957", "1957-07-07"), ("7 r. 1957", None),
])
def test_a_day_month_year_with_the_polish_or_ukrainian_year_word_is_read(printed: str, when: str | None) -> None:
    from edition.dates import parse_date

    date = parse_date(printed)
    assert (date.when if date else None) == when


def test_a_year_word_is_the_dates_only_where_it_ends_a_word() -> None:
    from edition.dates import find_dates

    assert [d.when for _, _, d in find_dates("w dniu 7 lipca 1957 rada postanowiła")] == ["1957-07-07"]
    assert [(s, e) for s, e, _ in find_dates("w dniu 7 lipca 1957 rada postanowiła")] == [(7, 19)]
    assert find_dates("w 1957 r. przyjęto, a 7 r. ub. omówiono") == []


@pytest.mark.parametrize(("text", "found"), [
    ("Budapest, 1957. július 7.", ["1957-07-07"]),
    # On the day: the case ending stays outside the date, which ends where the number does.
    ("az 1957. július 7-én tartott ülésen", ["1957-07-07"]),
    # A year with its ordinal's full stop before a word that is no month is no date.
    ("az 1957. évi 7. ülés", []), ("1957. szeptember 31.", []),
    # A sentence ending with a year and the next opening with a month and a number.
    ("The plan was adopted in 1957. May 12 delegates attended.", []), ("1957. May 12", []),
    # The capitalised word opening that sentence is not taken into a match that fails,
    # which would hide the date it starts.
    ("Signed in Baku, 1956. On 3 March 1957 the committee met.", ["1957-03-03"]),
    ("Это было в 1956. Уже 3 марта 1957 года всё решили.", ["1957-03-03"]),
    ("Budapest, 1957. április 7.", ["1957-04-07"]),
])
def test_a_hungarian_date_is_found_year_first(text: str, found: list[str]) -> None:
    from edition.dates import find_dates

    assert [d.when for _, _, d in find_dates(text)] == found


@pytest.mark.parametrize(("printed", "when"), [
    ("1957年7月7日", "1957-07-07"), ("１９５７年７月７日", "1957-07-07"), ("一九五〇年十二月三十一日", "1950-12-31"),
    ("一九五七年十月二十日", "1957-10-20"), ("1957년 7월 7일", "1957-07-07"), ("昭和32年7月7日", "1957-07-07"),
    # The first and last years of an era are shared with the next: not certain, not read.
    ("昭和元年12月30日", None), ("昭和64年1月7日", None), ("昭和1年12月30日", None),
    ("一九五七年十三月七日", None), ("二十世纪五十年代", None),
])
def test_a_chinese_japanese_or_korean_date_is_read_with_its_numerals_and_era(printed: str, when: str | None) -> None:
    from edition.dates import parse_date

    date = parse_date(printed)
    assert (date.when if date else None) == when


def test_a_chinese_date_is_found_between_words_without_spaces() -> None:
    from edition.dates import find_dates

    text = "中央委员会一九五六年十月二日于北京，昭和32年7月7日，二十一九五七年"
    assert [(text[s:e], d.when) for s, e, d in find_dates(text)] == [("一九五六年十月二日", "1956-10-02"), ("昭和32年7月7日", "1957-07-07")]


@pytest.mark.parametrize(("text", "found"), [
    ("Hà Nội, ngày 7 tháng 7 năm 1957", [("7 tháng 7 năm 1957", "1957-07-07")]),
    ("ngày 7 tháng 12 năm 1957, hội nghị", [("7 tháng 12 năm 1957", "1957-12-07")]),
    # A day and month without a year, or a month beyond twelve, is no date.
    ("hội nghị ngày 7 tháng 7 đã nói", []), ("ngày 7 tháng 13 năm 1957", []),
])
def test_a_vietnamese_date_is_found_with_its_numbered_month(text: str, found: list[tuple[str, str]]) -> None:
    from edition.dates import find_dates

    assert [(text[s:e], d.when) for s, e, d in find_dates(text)] == found


@pytest.mark.parametrize(("text", "found"), [
    ("تهران، ۷ ژوئیه ۱۹۵۷", ["1957-07-07"]), ("دمشق، ٧ تموز ١٩٥٧", ["1957-07-07"]), ("٧ يوليو ١٩٥٧م", ["1957-07-07"]),
    # A Hijri date is left unread, whether its month is a solar one or a Gregorian name.
    ("تهران، ۱۶ تیر ۱۳۳۶", []), ("۷ ژوئیه ۱۳۳۶", []),
    # ... also in European digits, as a Persian original may print them.
    ("تهران، 7 ژوئیه 1336", []), ("دمشق، 16 تموز 1336", []),
    # The era's letter is the date's only where it ends a word ("من" is "from").
    ("٧ يوليو ١٩٥٧ من", ["1957-07-07"]),
])
def test_a_persian_or_arabic_gregorian_date_is_found(text: str, found: list[str]) -> None:
    from edition.dates import find_dates

    dates = find_dates(text)
    assert [d.when for _, _, d in dates] == found
    assert all(not text[e:e + 1].isalpha() for _, e, _ in dates)


@pytest.mark.parametrize(("text", "found"), [
    # The Levant's two-word months: January, October, November, December.
    ("دمشق، 7 كانون الثاني 1957", ["1957-01-07"]), ("٧ كانون الأول ١٩٥٧", ["1957-12-07"]),
    ("7 تشرين الاول 1957", ["1957-10-07"]), ("بيروت، 7 تشرين الثاني 1957", ["1957-11-07"]),
    # Croatian's genitive months; October's is Polish and Czech November, and read so.
    ("7. siječnja 1957.", ["1957-01-07"]), ("7. studenoga 1957.", ["1957-11-07"]), ("7 listopada 1957", ["1957-11-07"]),
])
def test_a_levantine_or_croatian_month_is_read(text: str, found: list[str]) -> None:
    from edition.dates import find_dates

    assert [d.when for _, _, d in find_dates(text)] == found


@pytest.mark.parametrize(("text", "when"), [
    # In numbers alone nothing says the calendar: a year before 1500 is a Hijri one's.
    ("16.4.1336", None), ("1336-04-16", None), ("16/4/1336", None), ("1336", None),
    # A month's name in a Latin script says it: a date of history, read.
    ("29 May 1453", "1453-05-29"), ("16.4.1957", "1957-04-16"),
])
def test_a_date_in_numbers_alone_with_a_year_before_1500_is_not_read_as_gregorian(text: str, when: str | None) -> None:
    from edition.dates import parse_date

    date = parse_date(text, 1900)
    assert (date.when if date else None) == when


def test_a_numbered_paragraph_opening_with_an_english_month_holds_no_date() -> None:
    from edition.dates import find_dates

    assert find_dates("1. June 1957 — the delegation arrives in Moscow.") == []


@pytest.mark.parametrize(("text", "found"), [
    ("2. On 7 June 1957 the delegation left.", ["1957-06-07"]),
    ("Point 4. At 15 December 1955 the CC met.", ["1955-12-15"]),
    ("3. Am 7. Juli 1957 tagte das ZK.", ["1957-07-07"]),
])
def test_a_match_that_is_no_date_does_not_hide_the_date_it_overlaps(text: str, found: list[str]) -> None:
    from edition.dates import find_dates

    # A numbered paragraph's number and full stop read as a day's ("2. On 7"), then
    # refused: the date that starts inside it is still found.
    assert [d.when for _, _, d in find_dates(text)] == found
