"""Chinese numerals: the character classes every pattern builds on, and their values.

Plans and questions write numbers as 3, ３, 三, 十二, 二〇二一 or 两; item numbers (一、 （十二）),
dates (二〇一九年十二月) and look-ups (第十二项) all read them. The classes live here once so
that a pattern elsewhere says which kind it means instead of spelling the characters again.
Values come from cn2an (imported on first use: it costs 0.1 s).
"""

from __future__ import annotations

from functools import lru_cache

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


@lru_cache(maxsize=4096)
def to_int(numeral: str) -> int | None:
    """一 → 1, 三十 → 30, 十二 → 12, 12 → 12, 二〇一九 → 2019; None when it is no number."""
    numeral = numeral.translate(_FULL_WIDTH)
    if numeral.isdecimal():  # not isdigit(): '①'.isdigit() is True
        return int(numeral)
    import cn2an

    try:
        return int(cn2an.cn2an(numeral.replace("〇", "零").replace("两", "二"), "smart"))
    except (ValueError, KeyError, TypeError):
        return None


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
