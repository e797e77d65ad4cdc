"""What kind of question is this? who / when / item lookup / section / deadlines / search.

Patterns over the question text, tried from the most specific down; what is left after
the kind's own words is what the question is about.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import cn
from ..periods import resolve_period

_N = rf"(?:\d{{1,3}}|[{cn.NUMERAL}]{{1,4}})"

# "第3条" "第十二项" "3" "二.3" "二、3" "（二）3" "第二部分第3条"
_LOOKUP_FULL = re.compile(rf"^\s*(?:第\s*)?({_N})\s*(?:[.．、·]|部分|大项|章|节)?\s*(?:第\s*)?({_N})?\s*(?:条|项|点|款)?\s*$")
_LOOKUP_IN = re.compile(rf"第\s*({_N})\s*(条|项|点|款|个任务|项任务|个)")
_LOOKUP_DOTTED = re.compile(rf"(?<![\d.])({_N})\s*[.．]\s*({_N})(?![\d.])")
_SECTION_NUM = re.compile(rf"第\s*({_N})\s*(部分|大项|方面|章|板块|大类)")
_SECTION_TOPIC = re.compile(r"(.{1,16}?)(?:方面|领域|板块|这块|这一块|相关)(?:的)?(?:有|都有|包括)?(?:哪些|什么|啥)")
_LISTING = re.compile(r"(有|都有|包括|包含|列出|列一下)?(哪些|什么|啥)(工作|任务|事|事项|内容|措施)|哪些|列出|清单")
_WHO = re.compile(r"谁|哪个(部门|单位|科室|领导)|哪些(部门|单位)|什么(部门|单位)|啥(部门|单位)|牵头|负责|配合单位|责任单位|责任部门|主管|归口|归谁|找谁|问谁|谁管|管不管")
_WHEN = re.compile(r"什么时候|啥时候|何时|哪天|几月|几号|截止|时限|期限|多久|多长时间|完成时间|时间节点|deadline|到期|之前|以前|什么时间")
_DUE = re.compile(r"到期|要完成|需完成|该完成|得完成|完成哪些|截止|要交|要做|要办|要干|有哪些|哪些|任务")
_EMPTY = re.compile(r"^[\W_\s]*$", re.UNICODE)


@dataclass(frozen=True)
class Query:
    kind: str  # who / when / lookup / section / deadlines / search / hint
    topic: str  # the words to search for
    ref: tuple[int, ...] = ()  # lookup: (item,) or (section, item); section: (section,)
    period: tuple[dt.date, dt.date] | None = None


def classify(question: str, today: dt.date) -> Query:
    q = question.strip()
    if _EMPTY.match(q) or not has_words(q):
        return Query("hint", "")
    ref = lookup_ref(q)
    section = _SECTION_NUM.search(q)
    if ref and not (section and len(ref) == 1):  # "第一部分" is a section, "第一部分第3条" an item
        return Query("lookup", q, ref)
    period = resolve_period(q, today)
    is_who, is_when = bool(_WHO.search(q)), bool(_WHEN.search(q))
    if period and _DUE.search(q) and not is_who:
        return Query("deadlines", q, period=period)
    if section:
        if (n := cn.to_int(section.group(1))) is not None:
            return Query("section", q, (n,))
    if is_who:
        return Query("who", q)
    if is_when:
        return Query("when", q)
    if (m := _SECTION_TOPIC.search(q)) or _LISTING.search(q):
        return Query("section", m.group(1) if m else q)
    return Query("search", q)


def lookup_ref(text: str) -> tuple[int, ...] | None:
    """'3' → (3,), '第十二项' → (12,), '二.3' → (2, 3); None when it is no item number."""
    if m := _LOOKUP_FULL.match(text):
        return _ints(m.group(1), m.group(2))
    if m := _LOOKUP_DOTTED.search(text):
        return _ints(m.group(1), m.group(2))
    if m := _LOOKUP_IN.search(text):
        return _ints(m.group(1), None)
    return None


def _ints(a: str, b: str | None) -> tuple[int, ...] | None:
    first = cn.to_int(a)
    if first is None:
        return None
    if b is None:
        return (first,)
    second = cn.to_int(b)
    return (first, second) if second is not None else None


def has_words(text: str) -> bool:
    """Letters or digits of any script (CJK included): an emoji-only or punctuation-only
    message holds nothing to search for."""
    return any(ch.isalnum() for ch in text)
