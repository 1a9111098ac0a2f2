"""Languages of the parts, decided from evidence; OCR flagged where the text shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from body_support import encode, load, text_of, xp
from edition import body
from edition.body.language import declared_code, gather, ocr_signals
from edition.model import Part
from edition.sources import read_source

TESTS = Path(__file__).resolve().parent


def test_russian_then_azerbaijani_is_split_and_tagged_az_cyrl():
    parts, root = encode("ru_az.txt")
    assert [(p.role, p.lang) for p in parts] == [("original", "ru"), ("original", "az-Cyrl")]
    assert not any(p.ocr for p in parts)  # a clean text is not called OCR
    # the stamp and registry number between the texts stay with the letter they follow
    assert parts[0].paragraphs[-2:] == ["12", "№ 3"]
    assert "Azerbaijani letters" in parts[1].lang_evidence
    assert "differs from the declared language" in parts[1].lang_evidence
    assert "no Azerbaijani letters" in parts[0].lang_evidence
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["ru", "az-Cyrl"]


def test_ocr_damaged_azerbaijani_without_its_letters_is_still_not_russian():
    parts, root = encode("ru_az_ocr.txt")
    assert [p.lang for p in parts] == ["ru", "az-Cyrl"]
    az = parts[1]
    assert az.ocr
    assert "uncorrected OCR" in az.lang_evidence and "'э'" in az.lang_evidence
    assert xp(root, "//tei:div[@xml:lang='az-Cyrl']/@subtype") == ["uncorrected-ocr"]


def test_numbers_and_stamps_do_not_split_a_russian_text():
    parts, _ = encode("ru_only.txt")
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [("ru", 5)]
    assert not parts[0].ocr


def test_translation_keeps_the_readers_language():
    parts, meta = load("letter_en.txt")
    (out,) = body.segment(parts, None)
    assert out.lang == "en" and out.paragraphs == parts[0].paragraphs


def test_a_short_foreign_paragraph_inside_a_text_is_smoothed_over():
    ru = "Руководство партии исключило из ее рядов самых старых и преданных членов, и я прошу Вас принять меня лично, чтобы рассказать о положении дел в партии и в стране."
    part = Part("original", "ru", "", paragraphs=[ru, ru, "Бу вэ бир илэ.", ru, ru])
    (out,) = body.segment([part], "Russian")
    assert out.lang == "ru" and len(out.paragraphs) == 5


def test_declared_language_names():
    assert declared_code("Russian") == "ru"
    assert declared_code("Azerbaijani") == "az"
    assert declared_code("Russian, English") == "ru"
    assert declared_code("Klingon") is None
    assert declared_code(None) is None


def test_evidence_counts_script_and_letters():
    ev = gather("Һөрмәтли јолдаш, мән Сизә бу мәктубу јазырам вә ҹаваб гөзләјирәм.")
    assert ev.script == "Cyrl"
    assert ev.special["ә"] >= 5 and ev.special["ј"] >= 2
    assert ev.guess() == "az-Cyrl"
    assert gather("Я пишу Вам это письмо, потому что не получил ответа на прежние.").guess() == "ru"
    assert gather("The delegation will arrive in Moscow on the twelfth of March.").guess() == "en"
    assert gather("12 345").guess() is None


def test_evidence_of_mixed_scripts_counts_mixed_and_foreign_words():
    # OCR of Cyrillic text: Latin "o" and "a" inside Cyrillic words, and Latin words
    # in lower case among them.
    ev = gather("Прoшу Вас рaссмотреть вопрос о партии, the delegation and committee ждут ответа.")
    assert ev.script == "Cyrl"
    assert ev.mixed_script_words == 2  # Прoшу, рaссмотреть
    assert ev.foreign_words == 4  # the, delegation, and, committee
    one_script = gather("Прошу Вас рассмотреть вопрос о партии.")
    assert one_script.mixed_script_words == one_script.foreign_words == 0
    assert one_script.function["ru"] == 1 and one_script.function["en"] == 0


def test_seed_004_has_russian_azerbaijani_and_english_parts(seeds_dir: Path):
    doc = read_source(seeds_dir / "004_3b0cce5735f809cf.txt")
    parts = body.segment(doc.parts, doc.metadata.original_language)
    assert [(p.role, p.lang) for p in parts] == [("original", "ru"), ("original", "az-Cyrl"), ("translation", "en")]
    ru, az, _ = parts
    assert ru.paragraphs[-1] == "№ 3" and az.paragraphs[0].startswith("Совет Унтинградского")
    assert az.ocr and not ru.ocr
    assert az.lang != "ru"


@pytest.mark.parametrize("name", ["000_30e4ef367cf143dd.txt", "001_3513ceab21f1a9d6.txt", "002_5d82778ebed16f7f.txt", "003_73142493423ae5fc.txt"])
def test_other_seeds_are_not_split(seeds_dir: Path, name: str):
    doc = read_source(seeds_dir / name)
    parts = body.segment(doc.parts, doc.metadata.original_language)
    assert [p.lang for p in parts] == [p.lang for p in doc.parts]
    assert not any(p.ocr for p in parts)


def test_other_scripts_and_languages():
    assert gather("Azərbaycan Demokrat Firqəsinin rəhbərliyi ən yaxşı üzvləri firqədən çıxarır.").guess() == "az-Latn"
    assert gather("Die Delegation wird am zwölften März in Moskau eintreffen und zehn Tage bleiben.").guess() == "de"
    assert gather("هیئت نمایندگی در دوازدهم مارس وارد مسکو خواهد شد و ده روز خواهد ماند").guess() == "fa"
    assert gather("Делегація прибуде до Москви і перебуватиме там десять днів, але її програма ще не готова.").guess() == "uk"


def test_a_persian_original_is_tagged_from_its_script():
    persian = "هیئت نمایندگی در دوازدهم مارس وارد مسکو خواهد شد و ده روز خواهد ماند"
    (part,) = body.segment([Part("original", "fa", "", paragraphs=[persian, "12", persian])], "Persian")
    assert part.lang == "fa" and len(part.paragraphs) == 3
    assert "Arabic script" in part.lang_evidence


def test_gather_is_the_evidence_its_definition_gives() -> None:
    """gather takes shortcuts (no script look-up for ASCII letters, the words lower-cased
    in one call); the evidence is that of the plain definition, letter by letter and
    word by word, whatever the scripts, cases and marks of the text."""
    import math
    from collections import Counter
    from typing import Any

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from edition.body import language as lang

    def defined(text: str) -> lang.Evidence:
        text = lang._TAG.sub(" ", text)
        text = lang.MARK_LABEL.sub(" ", text)
        words = lang._WORD.findall(text)
        letters = [c for w in words for c in w]
        of = {c: lang.script_of(c) for c in letters}
        # Kana and Han are one script, Japanese's, where kana are a share of them (else
        # the kana are Han misread); Hangul and Han Korean's, where Hangul are.
        kana = sum(1 for c in letters if of[c] == "Kana")
        hangul = sum(1 for c in letters if of[c] == "Hang")
        han = sum(1 for c in letters if of[c] == "Hani")
        if kana:
            japanese = kana >= lang.HAN_PARTNERS["Kana"][1] * (kana + han)
            of = {c: ("Jpan" if japanese else "Hani") if s in {"Kana", "Hani"} else s for c, s in of.items()}
            kana = kana if japanese else 0
        else:
            kana = 0
            if han and hangul > 0 and hangul >= lang.HAN_PARTNERS["Hang"][1] * (hangul + han):
                of = {c: "Kore" if s in {"Hang", "Hani"} else s for c, s in of.items()}
        per_letter = Counter(s for s in map(of.get, letters) if s is not None)
        mixed = len(per_letter) > 1
        script = per_letter.most_common(1)[0][0] if per_letter else None
        lower = "".join(letters).lower()
        tokens = Counter(w.lower() for w in words)
        # Letters of the scripts written without spaces count one word per LETTERS_PER_WORD.
        characters = sum(1 for c in letters if of[c] in lang.CHARACTER_SCRIPTS)
        other_words = sum(1 for w in words if not any(of[c] in lang.CHARACTER_SCRIPTS for c in w))
        n_words = other_words + math.ceil(characters / lang.LETTERS_PER_WORD)
        # Evidence is a tuple: its fields are given at once, every one.
        ev: dict[str, Any] = {"script": script, "words": n_words, "letters": len(letters), "kana": kana,
                              "mixed_script_words": 0, "foreign_words": 0}
        ev["special"] = Counter(c for c in lower if c in lang._SPECIAL)
        ev["function"] = {code: sum(k for t, k in tokens.items() if t in fw) for code, fw in lang.FUNCTION_WORDS.items()}
        ev["e_rate"] = lower.count("э") / len(lower) if lower else 0.0
        long_words = sum(k for t, k in tokens.items() if len(t) >= 4)
        suffixed = sum(k for t, k in tokens.items() if len(t) >= 4 and t.endswith(lang._AZ_SUFFIXES))
        ev["az_suffix_share"] = suffixed / long_words if long_words else 0.0
        if mixed:
            scripts_of = [{of[c] for c in w} - {None} for w in words]
            ev["mixed_script_words"] = sum(1 for s in scripts_of if len(s - lang.CHARACTER_SCRIPTS) > 1 or (len(s) > 1 and not characters))
            # Foreign: a lower-case word of the other of Cyrillic and Latin, in a text of one of them.
            if script in {"Cyrl", "Latn"}:
                other = {"Latn" if script == "Cyrl" else "Cyrl"}
                ev["foreign_words"] = sum(1 for w, s in zip(words, scripts_of) if w.islower() and len(w) >= 3 and s == other)
        lines = [ln for ln in text.split("\n") if ln.strip()]
        ev["lines"] = len(lines)
        ev["hyphen_breaks"] = sum(1 for ln in lines[:-1] if lang.HYPHEN_BREAK.search(ln))
        ev["fragment_lines"] = sum(1 for ln in lines if len(ln.split()) <= 1 and len(ln.strip()) <= 6
                                   and not any(of.get(c) in lang.CHARACTER_SCRIPTS for c in ln))
        return lang.Evidence(**ev)

    pieces = st.sampled_from(
        list("abcXYZ the of und вэбуэлар ӘәөүіїəİΣσςß ش中 \u0307_-12 \n\n.,ԀԯӀ\u0483\u0488国のカ한。ｶ")
        + ["<sup>", "</sup>", " and ", "ların", "中国共产党中央委员会", "日本共産党の", "조선로동당 ", "大韓民國 政府는 ", "ВӘ", "the ", "Σ ", "Ёлка", "Москва ", "Сизә ",
           "[sic]", "[handwritten in the margin: ", "]", "["]
    )

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text: str) -> None:
        assert gather(text) == defined(text)

    check()
    for text in ("", "12 345", "The delegation will arrive.", "Һөрмәтли јолдаш, мән Сизә", "ΑΣ ΣΑΣ İstanbul",
                 "用NATO的决议", "日本共産党中央委員会へ", "中国口力", "조선로동당 中央 위원회", "大韓民國 政府는 國際聯合의 決議를"):
        assert gather(text) == defined(text), text


def test_the_labels_of_editorial_marks_are_not_words_of_the_text() -> None:
    # A short Russian original with the export's English marks was tagged xml:lang="en"
    # (the labels outnumbered its Cyrillic letters) and its evidence counted the labels
    # as "word(s) in the wrong script", a sign of uncorrected OCR.
    parts, root = encode("ru_marks.txt")
    assert [(p.role, p.lang) for p in parts] == [("original", "ru")]
    assert "wrong script" not in parts[0].lang_evidence
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["ru"]
    assert xp(root, "//tei:add/text()") == ["Согласен"]
    ev = gather("Направить в архив [handwritten in the left margin: Согласен] [sic] [illegible signature]")
    assert (ev.script, ev.words, ev.foreign_words) == ("Cyrl", 4, 0)


def test_the_cyrillic_block_gather_reads_without_look_ups_is_all_cyrillic() -> None:
    """gather takes a paragraph whose letters all fall in U+0400-U+052F as Cyrillic
    without looking each up: every letter there must be Cyrillic to script_of."""
    import re

    from edition.body import language as lang

    letter = re.compile(r"[^\W\d_]")
    block = [chr(c) for c in range(0x0400, 0x0530)]
    assert all(lang._CYRILLIC_LETTERS.fullmatch(c) for c in block)
    assert [c for c in block if letter.match(c) and lang.script_of(c) != "Cyrl"] == []
    assert lang._CYRILLIC_LETTERS.fullmatch("Ԁ\u0530") is None  # the block's end
    assert sorted(lang._SPECIAL_LETTER.findall("".join(sorted(lang._SPECIAL)) + "эabc")) == sorted(lang._SPECIAL)




def test_a_cyrillic_paragraph_without_evidence_is_not_called_russian():
    # The signature line of a Ukrainian memorandum has no function word and no letter of
    # any language: it says nothing, and must not outweigh the memorandum's text.
    assert gather("Міністр закордонних справ УРСР Л. Паламарчук").guess() is None
    parts, root = encode("uk_memo.txt")
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [("uk", 5)]
    assert "differs from the declared language" not in parts[0].lang_evidence
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["uk"]


def test_a_short_text_keeps_its_language_over_a_shorter_note_after_it():
    # 33 Ukrainian words, then a 12-word Russian note: both are shorter than a text, and
    # the note joins the letter rather than the letter the note.
    parts, _ = encode("uk_ru_note.txt")
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [("uk", 3)]


@pytest.mark.parametrize(("name", "lang", "evidence"), [
    ("bg_letter.txt", "bg", "Bulgarian function words"),
    ("sr_cyrl_cable.txt", "sr-Cyrl", "Serbian letters ђ ћ љ њ ј"),
    ("mn_letter.txt", "mn-Cyrl", "Mongolian letters ө ү"),
])
def test_other_cyrillic_orthographies_are_not_russian_or_azerbaijani(name: str, lang: str, evidence: str):
    parts, root = encode(name)
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [(lang, 5)]
    assert evidence in parts[0].lang_evidence
    assert "Azerbaijani" not in parts[0].lang_evidence and "differs from the declared" not in parts[0].lang_evidence
    assert not parts[0].ocr
    assert xp(root, "//tei:body/tei:div/@xml:lang") == [lang]


def test_russian_is_still_russian_beside_the_other_cyrillic_orthographies():
    ru = "Я пишу Вам это письмо, потому что не получил ответа на прежние, и прошу Вас принять меня."
    assert gather(ru).guess() == "ru"
    (out,) = body.segment([Part("original", "bg", "", paragraphs=[ru] * 5)], "Bulgarian")
    assert out.lang == "ru"  # a Russian translation in a Bulgarian file is Russian


def test_a_script_shared_by_several_languages_takes_the_declared_one():
    # Arabic script is Persian's and Arabic's: the script alone tells neither.
    parts, root = encode("ar_letter.txt")
    assert [p.lang for p in parts] == ["ar"]
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["ar"]
    assert gather("نحن نعتقد أنه من الضروري تعزيز التعاون بين حزبينا.").guess() == "fa"  # nothing declared
    assert gather("我们认为，这个决议是正确的，我们建议，派代表团前往莫斯科。").guess("ja") == "ja"


def test_a_language_sharing_anothers_function_words_keeps_its_declared_tag():
    # Croatian scores on the Serbian list; the declaration says which of the two it is.
    parts, root = encode("hr_report.txt")
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [("hr", 5)]
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["hr"]
    (sr,) = body.segment([Part("original", "sr", "", paragraphs=load("hr_report.txt")[0][0].paragraphs)], "Serbian")
    assert sr.lang == "sr-Latn"


CONVERT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "convert"


@pytest.mark.parametrize(("name", "langs", "evidence"), [
    ("markdown_russian_cover_chinese.md", ["ru", "zh", "en"], "Han script; no kana"),
    ("markdown_russian_cover_japanese.md", ["ru", "ja", "en"], "Japanese (Han and kana) script; kana 55 of 151 letters"),
    ("markdown_russian_cover_korean.md", ["ru", "ko", "en"], "Hangul script"),
    ("markdown_chinese_original.md", ["zh", "en"], "Han script; no kana"),
])
def test_text_without_spaces_is_weighed_by_its_letters(tei_all_validator, name: str, langs: list[str], evidence: str) -> None:
    # Han and kana text is cut into "words" only at punctuation, so a paragraph counted
    # two to five words: the Chinese letter after a Russian cover note gave no evidence,
    # and the document declared Russian was tagged ru (with a Han script subtag) throughout;
    # a Korean one absorbed the cover note as ko-Cyrl. Weighed by its letters, the letter
    # is a text; the cover note, in a script of its own, is one too.
    from robust_support import check_source

    from edition.validate import get_validator

    path = CONVERT_FIXTURES / name
    checked = check_source(path, tei_all_validator, id_prefix="wilson")  # valid, every word in its place
    assert checked.error is None and checked.doc is not None and checked.data is not None
    doc = checked.doc
    assert [p.lang for p in doc.parts] == langs
    cjk = doc.parts[-2]
    assert evidence in cjk.lang_evidence and not cjk.ocr and "wrong script" not in cjk.lang_evidence
    root = etree.fromstring(checked.data.rsplit(b"<?edition-checksum", 1)[0])
    assert xp(root, "//tei:body/tei:div/@xml:lang") == langs
    assert xp(root, "//tei:langUsage/tei:language/@ident") == langs
    errors = [f for f in get_validator(("edition", "schematron")).validate_bytes(checked.data, name) if f.severity == "error"]
    assert errors == []


def test_kana_tell_japanese_from_chinese() -> None:
    japanese = gather("私たちは貴党の意見に全面的に同意し、この会議は十分な準備の上で開かれるべきであると考えます。")
    assert (japanese.script, japanese.guess(), japanese.guess("zh"), japanese.guess("ru")) == ("Jpan", "ja", "ja", "ja")
    chinese = gather("我们完全同意你们的意见，认为这次会议应当在充分准备的基础上召开。")
    assert (chinese.script, chinese.guess(), chinese.guess("ja"), chinese.kana) == ("Hani", "zh", "ja", 0)
    # An OCR engine reads 口 and 力 of a Chinese text as the katakana ロ and カ: a few
    # kana among many Han characters are Han misread, not Japanese.
    ocr = gather("我们完全同意你们的意见，认为这次会议应当在充分准备的基础上召开，以便加强团结和合作ロカ。")
    assert (ocr.script, ocr.guess(), ocr.mixed_script_words) == ("Hani", "zh", 0)
    # One word per two letters: two clauses of 30 characters are 15 words, not two.
    assert chinese.words == 15 and gather("中国共产党中央委员会").guess() == "zh" and gather("中国共产党").guess() is None
    # A Latin acronym inside Chinese is no word in the wrong script.
    assert gather("我们反对NATO的侵略政策和帝国主义的战争计划。").mixed_script_words == 0
    # Nor is a Russian word quoted in Chinese or Japanese (the Cyrillic-Latin pair is the
    # one an OCR engine confuses): it was counted as one, and the text called uncorrected OCR.
    for text in ("亲爱的同志们（товарищи），我们完全同意你们的意见。", "親愛なる同志諸君（товарищи）、わが党は同意します。"):
        ev = gather(text)
        assert ev.foreign_words == 0 and ocr_signals(ev, ev.guess() or "") == [], text


def test_a_run_in_another_script_is_smoothed_over_only_when_it_is_short() -> None:
    zh = "我们完全同意你们的意见，认为这次会议应当在充分准备的基础上召开，以便加强社会主义阵营各国党之间的团结和合作。"
    ru = "Руководство партии исключило из ее рядов самых старых и преданных членов, и я прошу Вас принять меня лично, чтобы рассказать о положении дел в партии и в стране."
    stamp = "Согласиться с предложением ЦК КПК"  # five words: a resolution stamp on the letter
    note = "Ознакомить членов Президиума ЦК КПСС с письмом ЦК КПК и подготовить ответ в МИД"
    uk = "Делегація прибуде до Москви і перебуватиме там десять днів, але її програма ще не готова."

    def runs(paragraphs: list[str]) -> list[tuple[str, int]]:
        return [(p.lang, len(p.paragraphs)) for p in body.segment([Part("original", "ru", "", paragraphs=paragraphs)], "Russian")]

    assert runs([zh, zh, stamp, zh]) == [("zh", 4)]
    assert runs([zh, zh, note, zh]) == [("zh", 2), ("ru", 1), ("zh", 1)]  # a text in a script of its own
    # A short change of language within a script still joins its script's neighbour,
    # not the longer one in another script.
    assert runs([ru, ru, uk, zh, zh, zh]) == [("ru", 3), ("zh", 3)]


def test_a_list_of_names_in_han_is_no_ocr_of_cut_lines() -> None:
    # Each name on its own line was counted a line "cut to a fragment of a word" (six
    # characters or fewer), and the header called the Chinese letter uncorrected OCR.
    zh = "我们完全同意你们的意见，认为这次会议应当在充分准备的基础上召开，以便加强社会主义阵营各国党之间的团结和合作。"
    names = "中国共产党代表团成员如下：\n彭真\n刘宁一\n康生\n王稼祥\n杨尚昆\n廖承志\n胡乔木\n伍修权\n刘晓\n乔冠华\n吴冷西\n熊复"
    assert gather(names).fragment_lines == 0 and gather(names).guess() == "zh"
    (out,) = body.segment([Part("original", "zh", "", paragraphs=[zh, zh, names, zh])], "Chinese")
    assert out.lang == "zh" and "OCR" not in out.lang_evidence and not out.ocr
    assert gather("Прo-\nшу\nВас\nрас-\nсмот-\nреть").fragment_lines == 6  # other scripts' stubs still count


def test_korean_written_with_hanja_is_korean_not_chinese() -> None:
    # A South Korean note writes its nouns in Han characters (hanja), which outnumber
    # its Hangul endings and particles: the paragraphs were Han script, tagged zh against
    # the declared Korean, and every word of Han and Hangul was "in the wrong script".
    hanja = "大韓民國 政府는 國際聯合 總會의 決議를 全的으로 支持하며 韓半島의 平和的 統一을 爲하여 모든 努力을 다할 것이다."
    heading = "本 大使館은 駐韓 美國 大使館에 敬意를 表하며 다음과 같이 通報하는 바이다."
    ev = gather(hanja)
    assert (ev.script, ev.guess(), ev.guess("ko"), ev.mixed_script_words) == ("Kore", "ko", "ko", 0)
    (out,) = body.segment([Part("original", "ko", "", paragraphs=[heading, hanja, hanja, hanja])], "Korean")
    assert out.lang == "ko" and "Korean (Hangul and Han) script" in out.lang_evidence
    assert "differs" not in out.lang_evidence and "OCR" not in out.lang_evidence
    # A Korean name in Hangul inside a Chinese text does not make it Korean.
    assert gather("我们欢迎朝鲜代表团团长김일성同志率领的代表团访问北京，并且举行了会谈和宴会。").guess() == "zh"


def test_a_paragraph_without_evidence_does_not_take_the_declared_language():
    # A Russian cover note's signature has no function word: it says nothing, and takes
    # its neighbour's language, not the declared Chinese of the letter after it.
    sig = "Министр иностранных дел СССР Громыко Андрей Андреевич"
    assert gather(sig).guess("zh") is None
    assert gather("Ivanov Petrov Sidorov Kuznetsov Smirnov Popov").guess("fa") is None
    ru = "Направляем Вам письмо Центрального Комитета, полученное нами через посольство, и просим дать указания по этому вопросу."
    zh = "我们认为，这个决议是正确的，我们建议，派代表团前往莫斯科，讨论两党之间的关系问题，并且加强我们的合作。"
    parts = body.segment([Part("original", "zh", "", paragraphs=[ru] * 4 + [sig] + [zh] * 6)], "Chinese")
    assert [(p.lang, len(p.paragraphs)) for p in parts] == [("ru", 5), ("zh", 6)]


def test_a_croatian_original_is_told_from_its_english_translation(tmp_path) -> None:
    # Both in Latin script, the original is found by its function words; Croatian's are
    # counted as Serbian's, and under "hr" none was found: the whole of the contents,
    # Croatian and English, became the translation.
    text = (CONVERT_FIXTURES / "markdown_chinese_original.md").read_text(encoding="utf-8")
    start, end = text.index("苏联共产党中央委员会："), text.index("To the Central Committee of")
    croatian = ("Centralnom komitetu KPSS\n\nDragi drugovi, Izvršni komitet je na svojoj sjednici razmotrio položaj u Iranu i "
                "odlučio da u Moskvu uputi delegaciju.\n\nSmatramo da je potrebno da se suradnja između naših partija učvrsti.\n\n"
                "Zagreb, 2. listopada 1956.\n\nS drugarskim pozdravom, V. Bakarić\n\n")
    path = tmp_path / "croatian.md"
    path.write_text(text[:start].replace("\nChinese\n", "\nCroatian\n") + croatian + text[end:], encoding="utf-8")
    doc = read_source(path)
    assert [(p.role, len(p.paragraphs)) for p in doc.parts] == [("original", 5), ("translation", 7)]
    assert [p.lang for p in body.segment(doc.parts, doc.metadata.original_language)] == ["hr", "en"]


def test_a_title_between_two_originals_heads_the_text_under_it():
    # "Ариза." (a petition's title) has too few words to show its language, so it took the
    # Russian letter's above it and ended that part as a heading over an empty section.
    parts, root = encode("title_second_original_ru.txt")
    assert [p.lang for p in parts] == ["ru", "az-Cyrl"]
    assert parts[0].paragraphs[-2:] == ["Мамедов", "14.II.56 г."]  # the letter's closing stays with it
    assert parts[1].paragraphs[:2] == ["Ариза.", "17"]
    (ru, az) = xp(root, "//tei:body/tei:div")
    assert xp(ru, ".//tei:head") == []
    assert xp(ru, "tei:closer/tei:signed/tei:persName/text()") == ["Мамедов"]
    assert xp(az, ".//tei:head/text()") == ["Ариза."]
    assert xp(root, "//tei:div[tei:head and not(tei:head/following-sibling::*)]") == []


def test_a_short_text_in_two_scripts_keeps_both_languages():
    # A text under MIN_RUN_WORDS is in the language of its words together, unless its words
    # are in two scripts: a Russian line over its English one is two texts however short.
    parts, root = encode("short_bilingual_ru_en.txt")
    assert [p.lang for p in parts] == ["ru", "en"]
    assert xp(root, "//tei:body/tei:div/@xml:lang") == ["ru", "en"]


def test_a_decision_ending_the_text_before_a_second_original_stays_with_that_text():
    # "Согласен." ("Agreed.") under the Russian letter has a title's shape (a word and its
    # full stop) and no evidence of its language: it went to the Azerbaijani petition after
    # it as that text's heading, in Azerbaijani.
    parts, root = encode("resolution_before_second_original_ru.txt")
    assert [p.lang for p in parts] == ["ru", "az-Cyrl"]
    assert parts[0].paragraphs[-2:] == ["Мамедов", "Согласен."]
    (ru, az) = xp(root, "//tei:body/tei:div")
    assert xp(az, ".//tei:head") == []
    assert xp(ru, "tei:closer/tei:signed/tei:persName/text()") == ["Мамедов"]
    assert "Согласен." in [text_of(x) for x in xp(ru, "tei:closer/*")]


def test_a_heading_in_the_script_of_the_text_under_it_heads_that_text():
    # "TRANSLATION FROM THE RUSSIAN" has too few words to be evidence of its language, so it
    # took that of the Russian text above, which it ended as a paragraph; in Latin script
    # between Cyrillic and Latin texts, and no name, it heads the English one.
    parts, root = encode("language_heading_ru_en.txt")
    assert [p.lang for p in parts] == ["ru", "en"]
    assert parts[1].paragraphs[0] == "TRANSLATION FROM THE RUSSIAN"
    (ru, en) = xp(root, "//tei:body/tei:div")
    assert xp(ru, ".//tei:head") == [] and len(xp(ru, "tei:p")) == 2
    assert xp(en, "tei:head/text()") == ["TRANSLATION FROM THE RUSSIAN"]
    assert xp(en, "tei:closer/tei:signed/tei:persName/text()") == ["A. Gromyko"]


# A capture showing its original alone, a Markdown original in its translation's script,
# and seed 000, whose text is signed twice with one name.
@pytest.mark.parametrize("fixture", ["fixtures/convert/line_german_original_alone.txt", "fixtures/convert/markdown_german_original.md",
                                     "../seeds/000_30e4ef367cf143dd.txt"])
def test_each_paragraphs_language_evidence_is_gathered_once_a_document(fixture: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The capture reader reads a page's words to tell whether it shows its original
    alone, the Markdown reader an original's to find where its translation starts, and
    segment() gathered the same paragraphs again, as it did each paragraph a document
    repeats (a signature, a stamp). Each distinct text is gathered once, the TEI the same."""
    from collections import Counter

    import edition.sources.capture
    import edition.sources.markdown
    from edition.body import language
    from edition.convert import convert_source

    path = TESTS / fixture
    _, expected = convert_source(path, "wilson")
    asked: Counter[str] = Counter()
    real = language.gather

    def counted(text: str) -> language.Evidence:
        asked[text] += 1
        return real(text)

    # Wherever a reader finds gather (its own import, before the evidence was passed on).
    for module in (language, edition.sources.capture, edition.sources.markdown):
        monkeypatch.setattr(module, "gather", counted, raising=False)
    doc, tei = convert_source(path, "wilson")
    assert tei == expected
    assert asked and [text for text, n in asked.items() if n > 1] == []
    # What two readers of the evidence share, neither can change for the other.
    with pytest.raises(AttributeError):
        real("Die Lage in Berlin.").words = 0  # type: ignore[misc]
