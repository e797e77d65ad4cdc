"""Unit names: how a list of them is split, and what makes a name look like a unit.

Shared by the owner readers: brackets and field values (`index.ingest.owners`) and sentences
(`index.ingest.prose`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .fields import split_top

_LIST_TAIL = re.compile(
    r"(?:(?:会同|协同|联合|及|和|与)(?:其他)?(?:有关|相关)(?:部门|单位|方面)"
    r"|等(?:其他)?(?:有关|相关)?(?:部门|单位|方面)?)$"
)
_UNIT_SEPS = "、，,；;/／ \t\u3000"
_AND = re.compile(r"以及|和|及|与")
# How unit names end; used to allow a split on 和 and to accept a verb-less clause as part of a list.
# 央 is left out on purpose: 中央和国家机关工委 is one unit. A county bureau's own sections are
# 股 (人事股, 计财股); libraries, stations and farms are 馆, 台, 场 (县图书馆, 县电视台, 国有林场) — but
# not the words that end so and name no one (控股, 平台, 市场, 现场).
UNIT_END = re.compile(
    r"(?:[局委部办厅署府会社联院行所站队处科室组团校司馆]|(?<![控入参持配])股|(?<![平舞柜窗讲站])台"
    r"|[林农牧渔茶盐机]场|幼儿园|园区|开发区|高新区|中心|政府|党委|党组织|单位|书记|委员|主任)$"
)
# Inline lists are prose, so a "unit" holding these is a sentence, not a name
# (e.g. 技工院校内由人力资源社会保障行政部门负责).
NOT_A_UNIT = re.compile(r"[由的。：:？?！!“”\"《》0-9０-９]")
_EMPTY_VALUES = frozenset({"无", "暂无", "/", "-", "—", "——", "－"})


def ends_like_unit(name: str) -> bool:
    return bool(UNIT_END.search(name[-4:]))  # the tail only: names can be long, lists longer


def _split_and(part: str) -> list[str]:
    """Split on 和/及/与 only where it joins two units: before 各… (…等和各省级人民政府) or
    between two names that each end like a unit (县财政局和县民政局). 住房和城乡建设部,
    文化和旅游局 and 中央和国家机关工委 stay whole because their left side is no unit."""
    segments = _AND.split(part)
    joiners = _AND.findall(part)
    pieces, current = [], [segments[0]]
    for joiner, right in zip(joiners, segments[1:]):
        left = current[-1]
        if right.startswith("各") or (
            len(left) >= 2 and ends_like_unit(left) and ends_like_unit(right)
        ):
            pieces.append("".join(current))
            current = [right]
        else:
            current += [joiner, right]
    pieces.append("".join(current))
    return pieces


def _clean_unit(unit: str) -> str:
    unit = unit.strip(" \t\u3000。.、")
    for _ in range(2):  # 商务部等有关部门 / 全国总工会等等
        unit = _LIST_TAIL.sub("", unit)
    return unit.strip()


def split_units(value: str) -> list[str]:
    """Unit names of a list as written: '县财政局、县民政局，各乡镇人民政府' → three units."""
    return list(_split_units(value))  # a copy: the remembered list stays as it was found


@lru_cache(maxsize=4096)  # a plan names the same few units item after item (~5% of parsing)
def _split_units(value: str) -> list[str]:
    units = []
    for part in split_top(value, _UNIT_SEPS):
        for piece in _split_and(part):
            unit = _clean_unit(piece)
            if unit and unit not in _EMPTY_VALUES:
                units.append(unit)
    return units


def plausible_unit(unit: str) -> bool:
    # A name starts with a character of its own, never with a bracket or a mark left over
    # from the text before it (")局牵头" names no unit).
    return 0 < len(unit) <= 30 and unit[0].isalnum() and not NOT_A_UNIT.search(unit)
