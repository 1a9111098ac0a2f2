"""Character ranges of the scripts written without spaces between words.

Chinese and Japanese run their words together, so a run of Han or kana is a clause, not
a word: the marks' parser, the fidelity check and the body's line weights all cut such
text by character. One list keeps the three in step (a range added in one place only
made the check and the converter disagree on what a word is).
"""

# Kana (with halfwidth katakana) and Han (with extension A and the compatibility block),
# as regular-expression class ranges.
UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
# Hangul syllables: Korean spaces its words, but weighs by letter like the others.
HANGUL = "\uac00-\ud7a3"
