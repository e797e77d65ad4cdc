"""Two or three tasks asked of in one message (干部培训和人才引进分别谁负责, 农房整治跟改厕都是哪个
局牵头): the topic's parts, each to be answered on its own.

A topic is parted only when a word spreads the question over its parts (分别, 各自, 都, 这两块):
without one, two words joined are most often one task (综保区设立和整合的审批验收要简化,
中央储备粮放哪儿、存啥品种); and that word ends the parts: what follows it asks, it names no
task. It is parted at a conjunction that the reading cuts as a word of its own (和, 与, 及, 以及,
跟, 还有, 、), never inside a word (参与, 及时, 普及, 和平). Whether the parts are answered apart
(one item may hold them all: 推进河长制和湖长制 is one task) is decided where they are searched
(ask.py).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

from ..lazy_re import lazy

CONJUNCTIONS = frozenset({"和", "与", "及", "以及", "跟", "还有", "、", "同"})
MAX_PARTS = 3  # more parts than this is a list pasted, not a question about tasks
# A word spreading the question over its parts: 分别 / 各自 / 都, or a count of them (这两块,
# 两项, 俩, 这三个 …; jieba cuts 这两块 whole and 这 / 两项 apart).
_SPREADS = frozenset({"分别", "各自", "各", "都", "都是", "俩", "这俩", "各是", "分别是"})
_MEASURES = "块项个件样部类条"  # what a count of the tasks is counted in (两块, 三项)
_COUNTS = rf"[这那]?[两俩三][{_MEASURES}]?(?:事|工作|任务)?"
_COUNTED = lazy(rf"^{_COUNTS}$")
_SPREAD_AT = lazy(rf"^(?:{'|'.join(sorted(_SPREADS, key=len, reverse=True))}|{_COUNTS})")  # longest first
# Neither a conjunction nor a spreading word: one task, told without cutting the topic.
_MAYBE = lazy(r"[和与及跟、同还].*[分各都两俩三]")
_EDGES = lazy(r"^\W+|\W+$")  # 高标准农田建设？ → 高标准农田建设
_CONTENT = lazy(r"[\u4e00-\u9fffA-Za-z0-9]")


def parts(topic: str, cut: Callable[[str], list[str]]) -> tuple[list[str], str]:
    """The topic's parts and the text they span in it (干部培训和人才引进 of 干部培训和人才引进分别);
    ([], "") when the topic names one task (no word spreads it over parts, or no conjunction
    joins two words of content), or more than MAX_PARTS."""
    if not _MAYBE.search(topic):
        return [], ""
    words = cut(topic)
    for i, w in enumerate(words):
        if w in _SPREADS or _COUNTED.match(w) or w in ("这", "那") and i + 1 < len(words) and _COUNTED.match(words[i + 1]):
            words = words[:i]
            break
    else:  # not spread over its parts: one task named by two words (综保区设立和整合的审批验收)
        return [], ""
    pieces: list[list[str]] = [[]]
    for w in words:
        if w in CONJUNCTIONS:
            pieces.append([])
        else:
            pieces[-1].append(w)
    found = [_EDGES.sub("", "".join(p)) for p in pieces]
    if not 2 <= len(found) <= MAX_PARTS or any(len(_CONTENT.findall(p)) < 2 for p in found):
        return [], ""
    return found, "".join(words).strip()


_COUNT = lazy(rf"[两俩三](?:[{_MEASURES}]|方面)")


def counted(question: str) -> bool:
    """Whether the question counts the tasks it asks of (这两块, 那三项): then they are that many,
    although it names them as an area would (那块, 方面)."""
    return bool(_COUNT.search(question))


_WITHIN = frozenset({"里", "里头", "里面", "中"})


def within(first: str, cut: Callable[[str], list[str]]) -> tuple[str, str]:
    """(what the first part says the parts are within, the rest of it): 消费扶贫里农产品标准化 →
    (消费扶贫, 农产品标准化); ("", first) when it says no such thing. Whether that names a plan,
    the plans' titles decide."""
    words = cut(first)
    at = next((i for i, w in enumerate(words) if w in _WITHIN), None)
    if at is None or not 0 < at < len(words) - 1:
        return "", first
    return "".join(words[:at]), "".join(words[at + 1:])


def part_question(question: str, span: str, part: str) -> str:
    """The question asked of one part: the parts' span in it replaced by the part (干部培训和人才
    引进分别谁负责 → 干部培训谁负责), the word that spread it over the parts dropped with it; the
    part itself when the question does not hold the span as the topic has it."""
    at = question.find(span)
    if at < 0:
        return part
    rest = question[at + len(span):]
    return question[:at] + part + rest[m.end():] if (m := _SPREAD_AT.match(rest)) else question[:at] + part + rest


_JOINS = lazy(f"({'|'.join(sorted(CONJUNCTIONS, key=len, reverse=True))})")  # the same conjunctions, longest first
MAX_UNITS = 4  # units whose lists one answer gives, one after the other


def unit_parts(asked: str, is_unit: Callable[[str], bool]) -> list[str]:
    """The units a unit's list asked of several names (组织办和宣传办, 纪委办、武装部): cut at
    conjunctions into the most names (two to MAX_UNITS) that `is_unit` takes each for a unit,
    so that a conjunction inside one unit's own name stays (县人力资源和社会保障局和县教育局 is two
    units: 县人力资源 is none); [] when no such cut is."""
    pieces = _JOINS.split(asked)  # name, conjunction, name, …
    names, joins = pieces[::2], pieces[1::2]
    for count in range(min(MAX_UNITS, len(names)), 1, -1):
        for cut in combinations(range(1, len(names)), count - 1):
            bounds = (0, *cut, len(names))
            found = ["".join(n + j for n, j in zip(names[a:b], [*joins[a:b - 1], ""])) for a, b in zip(bounds, bounds[1:])]
            if all(is_unit(name) for name in found):
                return found
    return []
