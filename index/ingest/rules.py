"""Standing rules: what a plan says once for many items.

* "排在第一位的部门为牵头部门" (03): the first unit of each owner list is its lead, in the item
  that says so and every item after it (`index.ingest.owners` applies it to each list);
* "以下均需试点城市政府落实，不再列出" (02), "以下任务均由各乡镇人民政府负责落实", "各项任务均需各县
  （市、区）政府落实，不再单独列出": every task item after the one that says so, within the
  same part of the plan (its top-level section: 02's 二、主要任务), has that unit as an owner the
  plan no longer writes — a derived owner, role responsible, whose `rule` is the rule as written,
  so an answer can say it comes from the plan's general provision;
* a heading that names a body's duties ("2.1.1 国家粮食应急工作指挥部职责", "（二）县委办及其职责"):
  each item under it that names no owner of its own is that body's duty — the same derived owner,
  whose rule is the heading as written. 成员单位职责 names no one: its items name their units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..models import Owner, Role
from .prose import looks_like_unit

_FIRST_IS_LEAD = re.compile(
    r"(?:排在|排名|列在|位列|列)?(?:第一位|第一个|第一|首位|首个)的?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)?"
    r"|牵头(?:部门|单位)(?:排在|列在|列于|位于|排)(?:第一位|首位)"
)
# "以下均需X落实，不再列出" / "以下任务均由X负责落实" / "各项任务均需X落实，不再单独列出": after
# 以下/下列 the 均由X负责 says it; after 各项 only with 不再列出.
_FOR_ALL_BELOW = re.compile(
    r"(?:(?P<below>以下|下列|下述)|各项)(?:各项|所有)?(?:任务|工作|事项)?(?:均|都|一律)(?:需|须|由|要)?"
    r"(?P<unit>(?:[^，,。；;、（）()\s]|[（(][^（）()]{1,8}[）)]){2,30}?)(?:负责)?(?:落实|实施|承担|完成|负责)"
    r"(?P<tail>[，,]?\s*不再(?:一一|逐一|单独|逐项)?(?:列出|列明|注明|标注))?"
)
_FOR_ALL_OPENERS = ("以下", "下列", "下述", "各项")  # every _FOR_ALL_BELOW starts with one
_TOWNS = ("乡镇", "街道", "镇", "乡")  # 各乡镇 is a unit here though it does not end like an office


def document_rule_first_is_lead(full_plan_text: str) -> bool:
    """Whether a plan says the first unit of each owner list leads ("排在第一位的部门为牵头部门")."""
    # Every form names 牵头 and 第一 or 首: a text without them (nearly all) is not searched.
    text = full_plan_text
    return "牵头" in text and ("第一" in text or "首" in text) and bool(_FIRST_IS_LEAD.search(text))


@dataclass(frozen=True)
class StandingOwner:
    unit: str
    rule: str  # the rule as written

    def owner(self) -> Owner:
        return Owner(role=Role.responsible, unit=self.unit, rule=self.rule)


def standing_owner(text: str) -> StandingOwner | None:
    """The owner a chunk's text names for every item below it ("以下均需X落实，不再列出")."""
    if not any(word in text for word in _FOR_ALL_OPENERS):
        return None  # nearly every chunk: no rule can start
    for m in _FOR_ALL_BELOW.finditer(text):
        unit = m.group("unit")
        if (m.group("below") or m.group("tail")) and (looks_like_unit(unit) or unit.endswith(_TOWNS)):
            return StandingOwner(unit=unit, rule=m.group().rstrip("，,"))
    return None


_DUTIES = re.compile(r"^(?P<unit>.{2,30}?)(?:及其|的)?(?:主要|工作)?职责(?:分工)?$")


def heading_owner(title: str) -> StandingOwner | None:
    """The body whose duties a heading lists ("国家粮食应急工作指挥部职责" → 国家粮食应急工作指挥部)."""
    m = _DUTIES.match(title.strip())
    unit = m.group("unit") if m else ""
    if not unit or unit.endswith(("单位", "部门", "成员", "机构")) or not looks_like_unit(unit):
        return None
    return StandingOwner(unit=unit, rule=title.strip())
