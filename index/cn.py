"""Chinese numerals: the character classes every pattern builds on, and their values.

Plans and questions write numbers as 3, ３, 三, 十二, 二〇二一 or 两; item numbers (一、 （十二）),
dates (二〇一九年十二月) and look-ups (第十二项) all read them. The classes live here once so
that a pattern elsewhere says which kind it means instead of spelling the characters again.
Values of the forms plans and questions write (一 … 九百九十九, 十二 or 一十二, a year digit by
digit) come from a table; cn2an reads anything else. Importing cn2an costs 0.2-0.25 s (it
compiles its address patterns), which a one-shot `planbot ask "第三条说的什么"` paid on top of a
0.6 s run, and every indexing process once; the table is checked against cn2an on every entry
(tests/index/test_cn.py), so the values are cn2an's.
"""

from __future__ import annotations

from functools import cache, lru_cache

from .lazy_re import lazy

# The digits of a year written digit by digit: 二〇二一, 二零二一, 二○二一.
YEAR_DIGITS = "〇○零一二三四五六七八九"
# A small counted number (a month, a day, a count of days): 六, 十二, 两.
SMALL = "一二三四五六七八九十两"
# Any numeral an item number or a reference may use: 一 … 九十九, 一百, 零.
NUMERAL = "零〇一二三四五六七八九十百两"
# Half- and full-width ASCII digits.
ARABIC = "0-9０-９"
# Circled numbers, an item style of their own: ① … ⑳.
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# Circled numbers 1–50, as an answer's list is marked (the bot's ① … ㊿; ② or 第二个 picks one).
LIST_MARKS = CIRCLED + "".join(map(chr, range(0x3251, 0x3260))) + "".join(map(chr, range(0x32B1, 0x32C0)))

_FULL_WIDTH = str.maketrans("０１２３４５６７８９○", "0123456789〇")
_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = str.maketrans(_DIGITS, "0123456789")


@lru_cache(maxsize=4096)
def to_int(numeral: str) -> int | None:
    """一 → 1, 三十 → 30, 十二 → 12, 12 → 12, 二〇一九 → 2019; None when it is no number."""
    numeral = numeral.translate(_FULL_WIDTH)
    if numeral.isdecimal():  # not isdigit(): '①'.isdigit() is True
        return int(numeral)
    numeral = numeral.replace("〇", "零").replace("两", "二")
    if numeral and numeral.strip(_DIGITS) == "":  # 二零二一, 一一: digit by digit
        return int(numeral.translate(_DIGIT_VALUES))
    if (value := standard_numerals().get(numeral)) is not None:
        return value
    import cn2an  # a form the table does not hold: 一百一 (110), 两千

    try:
        return int(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, TypeError):
        return None


@cache
def standard_numerals() -> dict[str, int]:
    """一 … 九百九十九 as written in full (十二 and 一十二, 一百零五, 三百一十), → value."""
    ones = {_DIGITS[n]: n for n in range(10)}
    tens = {("" if t == 1 else _DIGITS[t]) + "十" + ("" if o == 0 else _DIGITS[o]): 10 * t + o
            for t in range(1, 10) for o in range(10)}
    tens |= {"一" + name: value for name, value in tens.items() if value < 20}  # 一十二
    # after 百 a ten is written 一十二 (一百一十二), never 十二
    rests = {"": 0} | {"零" + _DIGITS[o]: o for o in range(1, 10)} | {
        name: value for name, value in tens.items() if value >= 20 or name.startswith("一")}
    hundreds = {_DIGITS[h] + "百" + rest: 100 * h + value for h in range(1, 10) for rest, value in rests.items()}
    return ones | tens | hundreds


def key_value(key: str) -> int | None:
    """The number in an item key, whatever its style: （十二） → 12, 第三条 → 3, 1.2 → 2, ⑤ → 5."""
    core = key.strip("（）()第条章节编部 ")
    if "." in core:
        core = core.rsplit(".", 1)[-1]
    if core and core in CIRCLED:
        return CIRCLED.index(core) + 1
    return to_int(core) if core else None


_STYLED = lazy(rf"^\s*([（(]?)\s*([{NUMERAL}]+|[{ARABIC}]+)\s*[)）]?\s*[、.．]?\s*$")


def label_style(label: str) -> tuple[str, bool] | None:
    """How a bare item number is written: (numerals "cn" or "arabic", in brackets) — 二、 →
    ("cn", False), （二） → ("cn", True), 3. → ("arabic", False); None for anything else
    (第三条, 二.3, words). A plan numbers each level in its own style, so a number asked in one
    style means the item labelled in it. Only these two traits, not ingest/numbering.py's styles:
    answering a question loads none of the ingest rules."""
    m = _STYLED.match(label)
    if not m:
        return None
    return ("arabic" if m.group(2)[0] in "0123456789０１２３４５６７８９" else "cn", bool(m.group(1)))
