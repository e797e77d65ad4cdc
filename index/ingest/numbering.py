"""Item numbers as plans write them: 一、 （一） 1. 1、 1． 1) （1） ① 第一条 第二部分 1.2.1 …

`match_number(line)` recognizes a number at the start of a line and says which style it
is; the parser nests styles in the order they first appear, so any mix and depth works.
Chinese numerals are read by index/cn.py.

Look-alikes are numbers only in context, which the caller gives:

* decimal numbering (1.1 / 2.1.3, and a bare "1　总则" heading) is a style a document uses
  throughout, with a separator after the number (07's "1.1　编制目的"); `uses_decimal(lines)`
  says whether a document does, and `match_number(line, decimal=False)` ignores it elsewhere;
* a number glued to digits ("11.121人才梯队项目") or one past 999 ("1000．") is an item only
  where it continues a 1. 2. 3. list: `match_sequel(line, last)` accepts it when it is last + 1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import cn

_CN = f"[{cn.NUMERAL}]{{1,4}}"
CIRCLED = cn.CIRCLED

# (style, pattern). Order matters: the more specific pattern first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 第二部分 before 第二部: "部分" is one word, not 部 + a title starting with 分
    ("chapter", re.compile(rf"^第\s*({_CN}|\d{{1,3}})\s*(部分|[章节编篇部])[\s\u3000]*(.*)$")),
    ("article", re.compile(rf"^第\s*({_CN}|\d{{1,3}})\s*条[\s\u3000]*(.*)$")),
    ("cn", re.compile(rf"^({_CN})\s*[、，．.]\s*(.+)$")),
    ("paren_cn", re.compile(rf"^[（(]\s*({_CN})\s*[）)]\s*[、，．.]?\s*(.+)$")),
    ("decimal", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})[\s\u3000]+(\S.*)$")),
    ("num", re.compile(r"^(\d{1,3})\s*[.．、](?![\d.．])\s*(.+)$")),
    ("num_close", re.compile(r"^(\d{1,3})\s*[)）]\s*(.+)$")),  # 1) sits below 1.
    ("paren_num", re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*[、．.]?\s*(.+)$")),
    ("circled", re.compile(rf"^([{CIRCLED}])\s*(.+)$")),
    # A bare top-level decimal heading ("1　总则") only as a short title line.
    ("decimal1", re.compile(r"^(\d{1,2})[\s\u3000]+([^\d\s].{0,28})$")),
]
_DECIMAL_STYLES = ("decimal", "decimal1")
# A 1. 2. 3. number that only its place in the list makes one: glued to digits, or four digits.
_SEQUEL = re.compile(r"^(\d{1,4})\s*[.．、]\s*(\S.*)$")
# …but digits after the dot that end in a space or an amount are a decimal amount: "2.5亿元用于…".
_AMOUNT = re.compile(r"^[\d.．]+(?:\s|亿|万|千|元|%|％|‰|公里|公顷|亩|吨|米|平方|立方|倍|小时|天)")
# Chapter-like labels whose key is the bare numeral: cn.key_value reads "第三章" but not "第二部分".
_BARE_KEY_CHAPTERS = ("部分", "篇")


@dataclass(frozen=True)
class Number:
    style: str  # which family; decimal styles carry their depth: decimal2, decimal3
    label: str  # as written, e.g. "（一）", "3.", "第三条"
    key: str  # for look-ups and paths: "一", "（一）", "3", "第三条", "1.2"
    value: int  # the number itself: 一 → 1, （十二） → 12, 1.2.3 → 3
    rest: str  # the text after the number


def match_number(line: str, *, decimal: bool = True) -> Number | None:
    """The number a line starts with, or None. `decimal=False`: the document does not use
    decimal numbering, so "1.1 …" and "1 …" are not numbers in it."""
    for style, pattern in _PATTERNS:
        if not decimal and style in _DECIMAL_STYLES:
            continue
        m = pattern.match(line)
        if m:
            number = _number(style, m, line)
            if number is not None:
                return number
    return None


def match_sequel(line: str, last: int | None) -> Number | None:
    """A 1. 2. 3. number that `match_number` does not read on its own ("11.121人才梯队项目",
    "1000．…"): an item when it is `last` + 1, the number after the list's last one."""
    if last is None:
        return None
    m = _SEQUEL.match(line)
    if m is None or int(m.group(1)) != last + 1 or _AMOUNT.match(m.group(2)):
        return None
    return _number("num", m, line)


def uses_decimal(lines: list[str], at_least: int = 2) -> bool:
    """Whether a document numbers in the decimal style (1.1　…, 2.1.3　…): `at_least` lines do."""
    pattern = dict(_PATTERNS)["decimal"]
    found = 0
    for line in lines:
        if pattern.match(line):
            found += 1
            if found >= at_least:
                return True
    return False


def _number(style: str, m: re.Match[str], line: str) -> Number | None:
    raw = m.group(1)
    rest = m.group(m.lastindex).strip() if m.lastindex else ""
    label = line[: len(line) - len(m.group(m.lastindex))].strip() if rest else line.strip()
    if style == "decimal":
        parts = raw.split(".")
        return Number(f"decimal{len(parts)}", label, raw, int(parts[-1]), rest)
    if style == "circled":
        return Number(style, label, raw, CIRCLED.index(raw) + 1, rest)
    value = cn.to_int(raw)
    if value is None or value == 0:
        return None
    if style == "chapter":
        kind = m.group(2)
        key = raw if kind in _BARE_KEY_CHAPTERS else f"第{raw}{kind}"
        return Number(f"chapter_{kind}", label, key, value, rest)
    if style == "article":
        return Number(style, label, f"第{raw}条", value, rest)
    if style == "paren_cn":
        return Number(style, label, f"（{raw}）", value, rest)
    if style == "paren_num":
        return Number(style, label, f"（{raw}）", value, rest)
    if style == "decimal1":
        return Number(style, label, raw, value, rest)
    if style == "cn" and not rest:
        return None
    return Number(style, label, raw, value, rest)
