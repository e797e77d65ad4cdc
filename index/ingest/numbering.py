"""Item numbers as plans write them: 一、 （一） 1. 1、 1． 1) （1） ① 第一条 1.2.1 …

`match_number(line)` recognizes a number at the start of a line and says which style it
is; the parser nests styles in the order they first appear, so any mix and depth works.
Chinese numerals are read by index/cn.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import cn

_CN = f"[{cn.NUMERAL}]{{1,4}}"
CIRCLED = cn.CIRCLED

# (style, pattern). Order matters: the more specific pattern first.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("chapter", re.compile(rf"^第\s*({_CN}|\d{{1,3}})\s*([章节编部])[\s\u3000]*(.*)$")),
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


@dataclass(frozen=True)
class Number:
    style: str  # which family; decimal styles carry their depth: decimal2, decimal3
    label: str  # as written, e.g. "（一）", "3.", "第三条"
    key: str  # for look-ups and paths: "一", "（一）", "3", "第三条", "1.2"
    value: int  # the number itself: 一 → 1, （十二） → 12, 1.2.3 → 3
    rest: str  # the text after the number


def match_number(line: str) -> Number | None:
    for style, pattern in _PATTERNS:
        m = pattern.match(line)
        if m:
            number = _number(style, m, line)
            if number is not None:
                return number
    return None


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
        return Number(f"chapter_{m.group(2)}", label, f"第{raw}{m.group(2)}", value, rest)
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
