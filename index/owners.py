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

The field machinery (`field_pairs`, `paren_groups`) is shared with `index.deadlines`, which reads the
完成时限/完成时间 fields through it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from .models import Owner, Role

_OPEN = "（("
_CLOSE = "）)"
_BRACKET = re.compile(r"[（()）]")

# Field names. A suffix is required after 责任/负责 (责任 alone is too common a word); the other
# prefixes are field names on their own (``牵头：县委组织部``).
_SUFFIX = r"(?:单位|部门|领导|科室|处室|股室|人)"
_LEAD_FIELD = rf"牵头{_SUFFIX}?"
_RESP_FIELD = rf"(?:责任|负责){_SUFFIX}|责任主体|主责{_SUFFIX}?"
_COOP_FIELD = rf"(?:配合|协办|参与|协助|协同){_SUFFIX}?"
_DEADLINE_FIELD = r"(?:完成|办结|截止)?(?:时间节点|时限|时间|期限)"
# A field name counts only at the start of a segment: after the start, a separator or a space.
_FIELD = re.compile(
    rf"(?<![^；;，,。\s])(?P<name>{_LEAD_FIELD}|{_RESP_FIELD}|{_COOP_FIELD}|{_DEADLINE_FIELD})\s*[：:]"
)
_DEADLINE_NAME = re.compile(rf"{_DEADLINE_FIELD}")

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


# -- brackets and fields (shared with deadlines) ------------------------------------------------

def paren_groups(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of the top-level bracket groups, brackets included, in text order.

    Full- and half-width brackets pair with each other (plans mix them: 党委(党组）), nested groups
    stay inside their parent (各村（社区）党组织), and unmatched brackets are ignored."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for m in _BRACKET.finditer(text):
        if m.group() in _OPEN:
            stack.append(m.start())
        elif stack:
            pairs.append((stack.pop(), m.end()))
    pairs.sort()
    top: list[tuple[int, int]] = []
    reach = -1
    for start, end in pairs:
        if start >= reach:
            top.append((start, end))
            reach = end
    return top


def split_fields(segment: str) -> list[tuple[str, str]]:
    """Name/value pairs of a field segment such as '责任部门：组织办；完成时间：2022年10月'.

    Returns [] unless the segment starts with a field name and a colon."""
    matches = list(_FIELD.finditer(segment))
    if not matches or segment[: matches[0].start()].strip():
        return []
    pairs = []
    for m, nxt in zip(matches, matches[1:] + [None]):
        value = segment[m.end(): nxt.start() if nxt else len(segment)]
        pairs.append((m.group("name"), value.strip().strip("；;，,。 \t\u3000")))
    return pairs


def _field_lines(text: str) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """(start, end, fields) of every line that is a field line; end includes the line break.
    Lines break where str.splitlines breaks them (\r\n and \r too: converted documents)."""
    found, pos = [], 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        fields = split_fields(stripped) if _FIELD.match(stripped) else []
        if fields:
            found.append((pos, pos + len(line), fields))
        pos += len(line)
    return found


def _outside(spans: list[tuple[int, int, object]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i < 0 or pos >= spans[i][1]


def _statements(text: str) -> list[tuple[int, int, list[tuple[str, str]] | str]]:
    """Field lines and bracket groups in text order: (start, end, fields or the bracket's inner
    text). Brackets inside a field line belong to its value and are not listed."""
    lines = _field_lines(text)
    starts = [s for s, _, _ in lines]
    found: list[tuple[int, int, list[tuple[str, str]] | str]] = list(lines)
    for start, end in paren_groups(text):
        if not _outside(lines, starts, start):
            continue
        inner = text[start + 1: end - 1]
        found.append((start, end, split_fields(inner) or inner))
    found.sort(key=lambda s: s[0])
    return found


def field_pairs(text: str) -> list[tuple[str, str]]:
    """All (field name, value) pairs of an item, from field lines and field brackets, in order."""
    return [pair for _, _, f in _statements(text) if isinstance(f, list) for pair in f]


def is_deadline_field(name: str) -> bool:
    return bool(_DEADLINE_NAME.fullmatch(name))


def owner_field_role(name: str) -> Role | None:
    """The role an owner field gives its units; None for other fields (完成时限 …)."""
    if is_deadline_field(name):
        return None
    if name.startswith("牵头"):
        return Role.lead
    if name.startswith(("配合", "协办", "参与", "协助", "协同")):
        return Role.cooperating
    return Role.responsible


# -- unit lists -----------------------------------------------------------------------------------

def _split_top(s: str, seps: str) -> list[str]:
    """Split on any char of `seps` outside brackets: 各省（区、市）人民政府 is one unit."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(s):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in seps:
            parts.append(s[start:i])
            start = i + 1
    parts.append(s[start:])
    return [p.strip() for p in parts if p.strip()]


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
    for part in _split_top(value, _UNIT_SEPS):
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
    for clause in _split_top(inner, _CLAUSE_SEPS):
        current: list[str] = []
        for piece in _split_top(clause, "、"):
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
    for _, _, found in _statements(text):
        if isinstance(found, list):
            owners += _field_owners(found)
        else:
            owners += _inline_owners(found, first_is_lead)
    return _dedupe(owners)


def strip_owner_notes(text: str) -> str:
    """The item text without its owner/deadline field lines and owner/field brackets, for a clean
    title or sentence. Other brackets (（社区）, （以下简称…）) stay."""
    cuts = [
        (start, end) for start, end, found in _statements(text)
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
