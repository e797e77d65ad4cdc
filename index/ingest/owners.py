"""Owners of a plan item: which units lead it, are responsible for it, or cooperate on it.

Plans name owners in four ways, and this module reads exactly those, never guessing:

* field lines on their own line — ``牵头单位：县乡村振兴局`` / ``责任单位：县财政局、…，各乡镇人民政府``;
* a parenthesis of fields — ``（责任领导：党委书记；责任部门：党政办；完成时间：全年）``;
* an inline parenthesis ending in a verb — ``（市场监管总局负责）``, ``（X牵头，Y、Z参与）``,
  ``（X、Y按职责分工负责）``, ``（…、财政部等和各有关省级人民政府负责）``, ``（X指导）``,
  ``（由X负责）``. A bracket whose "unit" reads like prose is not one: 技工院校内由…部门负责;
* sentences that say who does what — ``公安部负责维护…``, ``X会同Y…``, ``总指挥：X`` — read by
  `index.ingest.prose`, which documents those forms and what makes a name a unit there.

Roles: 牵头* → lead; 责任*/主责*/负责*/责任领导/责任人 → responsible; 配合*/协办*/参与*/协助* →
cooperating. Inline verbs: 牵头 → lead; 负责/负责落实/指导 → responsible; 参与/配合/协助/协办 →
cooperating. 指导 counts as responsible: in the plans that use it (e.g. the 无废城市 pilot plan) the
guiding ministries are the only owners named at that level, and they are the answer to "谁负责"; when a
plan pairs it with a lesser role (``商务部指导，供销合作总社参与``) the other unit is still
cooperating.

With ``first_is_lead`` (a plan that says "排在第一位的部门为牵头部门") the first unit of an inline
``负责``/``指导`` list is the lead and the rest are responsible, unless that parenthesis names a lead
itself.

Which sentence (``Owner.sentence``, an index into index.text.sentences of the item text):

* a field line or a field bracket covers the whole item: None;
* an inline bracket closes the sentence it follows: in the published plans a bracket ends the
  run of sentences since the previous owner statement (02: "…逆向回收体系。（国家发展改革委、…指导）"),
  so its index is the LAST sentence of the span it owns, and that span starts after the previous
  owner statement's sentence;
* an owner read from prose: the sentence that states it (07: "（3）公安部负责维护…" → 0);
* a unit named in more than one sentence owns more than one part: it is listed once (one owner per
  unit, with the strongest role it was given) with sentence None, as an owner of the whole item;
* an owner derived from a standing rule (`index.ingest.rules`) has sentence None and its `rule`.

So the owners of sentence k are those with None, plus those with sentence k; a sentence without
owners of its own is covered by the first bracket after it (that bracket's span reaches back to
it), or else by the prose statement before it (07: "X负责…；做好…；完善…" — the subject carries on).

Field lines and brackets are found by `index.ingest.fields`, which `index.ingest.deadlines` reads
the 完成时限/完成时间 fields through as well.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from ..models import Owner, Role
from .fields import owner_field_role, split_top, statements
from .spans import sentence_before, sentence_starts
from .prose import prose_owners
from .rules import document_rule_first_is_lead
from .units import UNIT_END, plausible_unit, split_units

__all__ = ["dedupe", "document_rule_first_is_lead", "extract_owners", "split_units", "stated_owners",
           "strip_owner_notes"]

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
_CLAUSE_SEPS = "，,；;。"
_RANK = {Role.lead: 0, Role.responsible: 1, Role.cooperating: 2}
# A role marked on one unit of a field's list: 县委组织部（牵头）, 县住建局牵头, 县财政局配合.
_ROLE_MARK = re.compile(r"[（(](?P<bracket>牵头|牵头单位|牵头部门|配合|配合单位|参与|协助)[）)]$"
                        r"|(?P<verb>牵头|配合|参与|协助|协办)$")
_CUT_SEPARATOR = re.compile(r"(?<=[^\s，,；;])[，,；;](?=[ \t\u3000]*$)")  # a clause separator left before a cut

# -- the three forms ------------------------------------------------------------------------------

def _field_owners(fields: list[tuple[str, str]]) -> list[Owner]:
    owners = []
    for name, value in fields:
        role = owner_field_role(name)
        if role is not None:
            for unit in split_units(value):
                unit, marked = _marked_role(unit)  # 责任单位：县委组织部（牵头）、县人社局
                owners.append(_field_owner(marked or role, unit, name))
    return owners


@lru_cache(maxsize=4096)  # a plan names the same units field after field; an Owner is frozen: one serves all
def _field_owner(role: Role, unit: str, field: str) -> Owner:
    return Owner(role=role, unit=unit, field=field)


def _marked_role(unit: str) -> tuple[str, Role | None]:
    """A field's unit without the role marked on it, and that role (None: the field's own). A
    verb counts only after a name that ends like a unit's (县住建局牵头, not 统筹协调配合)."""
    m = _ROLE_MARK.search(unit)
    name = unit[:m.start()] if m else unit
    if not m or not name or m.group("verb") and not UNIT_END.search(name):
        return unit, None
    return name, Role.lead if (m.group("bracket") or m.group("verb")).startswith("牵头") else Role.cooperating


def _clause_units(head: str) -> list[str] | None:
    """The units before an inline verb, or None when any of them reads like prose."""
    head = _MANNER_TAIL.sub("", head.strip()).removeprefix("由")  # （由县财政局负责）
    units = split_units(head)
    if not units or not all(plausible_unit(u) for u in units):
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
        if units and all(plausible_unit(u) and UNIT_END.search(u) for u in units):
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


def dedupe(owners: Iterable[Owner]) -> list[Owner]:
    """One owner per unit, at its first position, with the strongest role it was given (and that
    statement's field and rule); named in two sentences, it owns more than one part: sentence None."""
    best: dict[str, Owner] = {}
    for owner in owners:
        seen = best.get(owner.unit)
        if seen is None:
            best[owner.unit] = owner
            continue
        keep = owner if _RANK[owner.role] < _RANK[seen.role] else seen
        sentence = seen.sentence if seen.sentence == owner.sentence else None
        best[owner.unit] = keep.model_copy(update={"sentence": sentence})  # keeps the key's position
    return list(best.values())


# -- public -----------------------------------------------------------------------------------------

def stated_owners(text: str, *, first_is_lead: bool = False) -> list[Owner]:
    """Owners of field lines and brackets, in order, each with its sentence (see the module
    docstring), not deduplicated."""
    return list(_stated_owners(text, first_is_lead))  # Owners are frozen; the list is a copy


@lru_cache(maxsize=2048)  # a plan's chunks are read twice: for the units it names, then each alone
def _stated_owners(text: str, first_is_lead: bool) -> list[Owner]:
    starts = sentence_starts(text)
    owners: list[Owner] = []
    for start, _, found in statements(text):
        if isinstance(found, list):
            owners += _field_owners(found)
        else:
            sentence = sentence_before(text, starts, start)
            owners += [o.model_copy(update={"sentence": sentence})
                       for o in _inline_owners(found, first_is_lead)]
    return owners


def extract_owners(text: str, *, first_is_lead: bool = False, known: frozenset[str] = frozenset()
                   ) -> list[Owner]:
    """Owners stated in the full text of one plan item (fields, brackets and prose), in order, one
    per unit; [] when the item states none. `first_is_lead`: the plan's rule
    "排在第一位的部门为牵头部门" applies. `known`: units the plan names in fields and brackets, which
    count as units in prose whatever their ending."""
    return dedupe(stated_owners(text, first_is_lead=first_is_lead) + prose_owners(text, known=known))


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
            kept.append(_CUT_SEPARATOR.sub("。", text[pos:start]))  # "…30公里，责任单位：X" → "…30公里。"
        pos = max(pos, end)
    kept.append(text[pos:])
    lines = [line.rstrip() for line in "".join(kept).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
