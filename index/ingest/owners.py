"""Owners of a plan item: which units lead it, are responsible for it, or cooperate on it.

Plans name owners in three ways, and this module reads exactly those, never guessing:

* field lines on their own line — ``牵头单位：县乡村振兴局`` / ``责任单位：县财政局、…，各乡镇人民政府``;
* a parenthesis of fields — ``（责任领导：党委书记；责任部门：党政办；完成时间：全年）``;
* an inline parenthesis ending in a verb — ``（市场监管总局负责）``, ``（X牵头，Y、Z参与）``,
  ``（X、Y按职责分工负责）``, ``（…、财政部等和各有关省级人民政府负责）``, ``（X指导）``,
  ``（由X负责）``. A bracket whose "unit" reads like prose is not one: 技工院校内由…部门负责.

Duty sentences outside parentheses (``国家发展改革委负责…`` in an emergency plan) are not owner
statements: they describe standing duties, not who owns an item, and reading them would mean
guessing where a unit name starts.

Roles: 牵头* → lead; 责任*/主责*/负责*/责任领导/责任人 → responsible; 配合*/协办*/参与*/协助* →
cooperating. Inline verbs: 牵头 → lead; 负责/负责落实/指导 → responsible; 参与/配合/协助/协办 →
cooperating. 指导 counts as responsible: in the plans that use it (e.g. the 无废城市 pilot plan) the
guiding ministries are the only owners named at that level, and they are the answer to "谁负责"; when a
plan pairs it with a lesser role (``商务部指导，供销合作总社参与``) the other unit is still
cooperating.

With ``first_is_lead`` (a plan that says "排在第一位的部门为牵头部门") the first unit of an inline
``负责``/``指导`` list is the lead and the rest are responsible, unless that parenthesis names a lead
itself.

Field lines and brackets are found by `index.ingest.fields`, which `index.ingest.deadlines` reads
the 完成时限/完成时间 fields through as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..models import Owner, Role
from .fields import owner_field_role, split_top, statements

# Inline statements: a unit list followed by the verb that ends the clause.
_VERB_ROLES = {
    "牵头负责": Role.lead, "牵头": Role.lead,
    "负责落实": Role.responsible, "负责实施": Role.responsible, "负责": Role.responsible,
    "指导": Role.responsible,
    "参与": Role.cooperating, "配合": Role.cooperating, "协助": Role.cooperating,
    "协办": Role.cooperating,
}
_VERB_TAIL = re.compile("(?:" + "|".join(_VERB_ROLES) + ")$")
_MANNER_TAIL = re.compile(r"(?:按照?职责分工|按照?职责|依职责|根据职责分工|分别|共同|具体)$")
_LIST_TAIL = re.compile(
    r"(?:(?:会同|协同|联合|及|和|与)(?:其他)?(?:有关|相关)(?:部门|单位|方面)"
    r"|等(?:其他)?(?:有关|相关)?(?:部门|单位|方面)?)$"
)
_CLAUSE_SEPS = "，,；;。"
_UNIT_SEPS = "、，,；;/／ \t\u3000"
_AND = re.compile(r"以及|和|及|与")
# How unit names end; used to allow a split on 和 and to accept a verb-less clause as part of a list.
# 央 is left out on purpose: 中央和国家机关工委 is one unit.
_UNIT_END = re.compile(
    r"(?:[局委部办厅署府会社联院行所站队处科室组团校司]|中心|政府|党委|党组织|单位|书记|委员|主任)$"
)
# Inline lists are prose, so a "unit" holding these is a sentence, not a name
# (e.g. 技工院校内由人力资源社会保障行政部门负责).
_NOT_A_UNIT = re.compile(r"[由的。：:？?！!“”\"《》0-9０-９]")
_EMPTY_VALUES = frozenset({"无", "暂无", "/", "-", "—", "——", "－"})
_RANK = {Role.lead: 0, Role.responsible: 1, Role.cooperating: 2}

_FIRST_IS_LEAD = re.compile(
    r"(?:排在|排名|列在|位列|列)?(?:第一位|第一个|第一|首位|首个)的?(?:部门|单位)?(?:为|是)牵头(?:部门|单位)?"
    r"|牵头(?:部门|单位)(?:排在|列在|列于|位于|排)(?:第一位|首位)"
)


# -- unit lists -----------------------------------------------------------------------------------

def _ends_like_unit(name: str) -> bool:
    return bool(_UNIT_END.search(name[-4:]))  # the tail only: names can be long, lists longer


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
            len(left) >= 2 and _ends_like_unit(left) and _ends_like_unit(right)
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
    units = []
    for part in split_top(value, _UNIT_SEPS):
        for piece in _split_and(part):
            unit = _clean_unit(piece)
            if unit and unit not in _EMPTY_VALUES:
                units.append(unit)
    return units


def _plausible_unit(unit: str) -> bool:
    return 0 < len(unit) <= 30 and not _NOT_A_UNIT.search(unit)


# -- the three forms ------------------------------------------------------------------------------

def _field_owners(fields: list[tuple[str, str]]) -> list[Owner]:
    owners = []
    for name, value in fields:
        role = owner_field_role(name)
        if role is not None:
            owners += [Owner(role=role, unit=u, field=name) for u in split_units(value)]
    return owners


def _clause_units(head: str) -> list[str] | None:
    """The units before an inline verb, or None when any of them reads like prose."""
    head = _MANNER_TAIL.sub("", head.strip()).removeprefix("由")  # （由县财政局负责）
    units = split_units(head)
    if not units or not all(_plausible_unit(u) for u in units):
        return None
    return units


def _clauses(inner: str) -> list[str]:
    """Clauses of a bracket: split on ，；。 and also on a 、 that follows a verb
    (生态环境部牵头、国家发展改革委参与)."""
    clauses = []
    for clause in split_top(inner, _CLAUSE_SEPS):
        current: list[str] = []
        for piece in split_top(clause, "、"):
            current.append(piece)
            if _VERB_TAIL.search(piece):
                clauses.append("、".join(current))
                current = []
        if current:
            clauses.append("、".join(current))
    return clauses


def _inline_clauses(inner: str) -> list[tuple[Role, list[str]]]:
    """(role, units) for each clause of a bracket that ends in an owner verb. A verb-less clause of
    unit names (县财政局，各乡镇负责) joins the next clause's list; other clauses are ignored
    (排在第一位的部门为牵头部门，下同)."""
    clauses: list[tuple[Role, list[str]]] = []
    pending: list[str] = []
    for clause in _clauses(inner):
        verb = _VERB_TAIL.search(clause)
        if verb:
            units = _clause_units(clause[: verb.start()])
            if units:
                clauses.append((_VERB_ROLES[verb.group()], pending + units))
            pending = []
            continue
        units = split_units(clause)
        if units and all(_plausible_unit(u) and _UNIT_END.search(u) for u in units):
            pending += units
        else:
            pending = []
    return clauses


def _inline_owners(inner: str, first_is_lead: bool) -> list[Owner]:
    clauses = _inline_clauses(inner)
    promote = first_is_lead and not any(role is Role.lead for role, _ in clauses)
    owners = []
    for role, units in clauses:
        if promote and role is Role.responsible:
            owners.append(Owner(role=Role.lead, unit=units[0]))
            units = units[1:]
            promote = False
        owners += [Owner(role=role, unit=u) for u in units]
    return owners


def _dedupe(owners: Iterable[Owner]) -> list[Owner]:
    """One owner per unit, at its first position, with the strongest role it was given."""
    best: dict[str, Owner] = {}
    for owner in owners:
        seen = best.get(owner.unit)
        if seen is None or _RANK[owner.role] < _RANK[seen.role]:
            best[owner.unit] = owner  # replacing a value keeps the key's first position
    return list(best.values())


# -- public -----------------------------------------------------------------------------------------

def extract_owners(text: str, *, first_is_lead: bool = False) -> list[Owner]:
    """Owners stated in the full text of one plan item, in order, one per unit; [] when the item
    states none. `first_is_lead`: the plan's rule "排在第一位的部门为牵头部门" applies."""
    owners: list[Owner] = []
    for _, _, found in statements(text):
        if isinstance(found, list):
            owners += _field_owners(found)
        else:
            owners += _inline_owners(found, first_is_lead)
    return _dedupe(owners)


def strip_owner_notes(text: str) -> str:
    """The item text without its owner/deadline field lines and owner/field brackets, for a clean
    title or sentence. Other brackets (（社区）, （以下简称…）) stay."""
    cuts = [
        (start, end) for start, end, found in statements(text)
        if isinstance(found, list) or _inline_clauses(found)
    ]
    kept, pos = [], 0
    for start, end in cuts:
        if start >= pos:  # a bracket may run into a field line; cut the union once
            kept.append(text[pos:start])
        pos = max(pos, end)
    kept.append(text[pos:])
    lines = [line.rstrip() for line in "".join(kept).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def document_rule_first_is_lead(full_plan_text: str) -> bool:
    """Whether a plan says the first unit of each owner list leads ("排在第一位的部门为牵头部门")."""
    return bool(_FIRST_IS_LEAD.search(full_plan_text))
