"""One unit's task list: every item that names the unit as an owner, across plans, by role.

The unit is matched however the question writes it: as the plan does (县教育局), without the
level (教育局, 组织部 for 县委组织部), or abbreviated (发改委 for 国家发展改革委, 人社局 for
县人力资源和社会保障局) — see search/abbrev.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from ..lazy_re import lazy
from ..search.abbrev import LEVEL as _LEVEL
from ..search.abbrev import abbreviates, without_level
from ..search.blob import ROLES


# What a place's government, party committee or office adds to its name, which people leave off.
BODY_SUFFIXES = frozenset({"人民政府", "政府", "党委", "党（工）委", "党工委", "办事处"})


@lru_cache(maxsize=1 << 15)  # per unit name: see search.abbrev.without_level
def core(unit: str) -> str:
    """The unit's name without its level: 县教育局 → 教育局, 国家发展改革委 → 发展改革委; a place's
    government or party committee keeps it (县政府: `place_body`)."""
    stripped = without_level(unit)
    return stripped if len(stripped) >= 2 and not place_body(unit) else unit


# 各 / 相关 / 有关 before a unit make it every unit of its kind (各乡镇人民政府); people leave them off.
_EVERY = lazy(r"^(?:各有关|各相关|各|相关|有关)")


@lru_cache(maxsize=1 << 15)  # per unit name: see search.abbrev.without_level
def place_body(unit: str) -> str:
    """A place's government, party committee or office as people say it, "" for any other unit:
    各乡镇人民政府 and 乡镇政府 → 乡镇政府, 省级人民政府 → 省政府. Such a body is named by its place
    (县政府 is not 市政府, nor a national plan's bare 政府), so it is matched with its level."""
    name = _EVERY.sub("", unit).replace("人民政府", "政府")
    level = _LEVEL.match(name)
    if not level:
        return ""
    rest = name[level.end():].removeprefix("级")
    return name[:level.end()] + rest if rest in BODY_SUFFIXES else ""


# X部门 is how people name a unit by its field (交通部门, 人社部门, 教育部门): whatever kind of
# unit it is (县交通运输局, 交通运输部, 国务院教育行政部门). These fields are none.
_ANY_FIELD = frozenset({"各", "相关", "有关", "各有关", "各相关", "其他", "其它", "哪些", "哪个", "什么", "职能",
                        "业务", "主管", "责任", "牵头", "配合", "协办", "成员", "涉及", "所有", "全部", "这些", "那些"})


def department_stem(asked: str) -> str | None:
    """The field of a unit asked as X部门 (交通部门 → 交通), "" when X names no field (各部门,
    相关部门), None when `asked` is not so written."""
    if not asked.endswith("部门"):
        return None
    stem = core(asked[:-2]) if len(asked) > 3 else asked[:-2]
    return "" if len(stem) < 2 or stem in _ANY_FIELD else stem


def _of_field(stem: str, name: str) -> bool:
    """Whether the unit `name` is of the field `stem`: it starts with it (县交通运输局 for 交通),
    or the field is its name abbreviated (人社 for 人力资源社会保障部 and 国务院人力资源社会保障行政部门)."""
    named = core(name)
    kind = "部门" if named.endswith("部门") else named[-1:]
    return named.startswith(stem) or named == stem + kind or abbreviates(stem + kind, named)


@lru_cache(maxsize=1 << 15)  # per unit name: see search.abbrev.without_level
def _level(unit: str) -> str:
    m = _LEVEL.match(unit)
    return m.group() if m else ""


class UnitNames(dict):
    """The plans' unit names → their term ids, with what `matching_units` compares a question
    with worked out once per snapshot (Corpus.once): the names by core, by place body and by the
    first characters an abbreviation of them can start with. A question asking
    for a unit met every name of the plans in turn (624 in the 100,000-item bench, ~3 ms a question)."""

    def __init__(self, names: dict[str, int]):
        super().__init__(names)
        self.position = {name: at for at, name in enumerate(self)}
        self.bodies: dict[str, list[str]] = {}
        self.by_core: dict[str, list[str]] = {}
        self.initials: dict[str, list[str]] = {}
        for name in self:
            named = core(name)  # (core, place_body and _level are kept per name: lru_cache)
            self.bodies.setdefault(place_body(name), []).append(name)
            self.by_core.setdefault(named, []).append(name)
            for first in {name[:1], without_level(name)[:1], named[:1], without_level(named)[:1]} - {""}:
                self.initials.setdefault(first, []).append(name)

    def starting(self, words: Iterable[str]) -> list[str]:
        """The names an abbreviation or full form starting as one of `words` does can be
        (`abbreviates` compares first characters, with and without the level), in order."""
        found = {name for word in words for first in {word[:1], without_level(word)[:1]} - {""}
                 for name in self.initials.get(first, ())}
        return sorted(found, key=self.position.__getitem__)


def matching_units(asked: str, names: dict[str, int]) -> list[int]:
    """Term ids of the units `asked` names: the same name, the same name without its level,
    else the units it abbreviates; and with them the names a plan uses for the same unit in
    short or in full (县教体局 for 县教育和体育局: a plan defines one as 以下简称 the other and
    then writes both). `names`: every unit's name → its term id, best a `UnitNames`."""
    table = names if isinstance(names, UnitNames) else UnitNames(names)
    asked_core, body = core(asked), place_body(asked)
    found = [asked] if asked in table else list(table.bodies.get(body, ())) if body else \
        list(table.by_core.get(asked_core, ()))
    if not found and (stem := department_stem(asked)):
        found = [name for name in table if _of_field(stem, name)]
    if not found:
        found = [name for name in table.starting((asked_core, asked))
                 if abbreviates(asked_core, core(name)) or abbreviates(asked, name)]
    if not found:  # 各乡镇 for 各乡镇人民政府 and 各乡镇党委, 各街道 for 各街道办事处
        found = [name for name in table if name.startswith(asked) and name[len(asked):] in BODY_SUFFIXES]
    # At the same level only: 县市场监管局 is not 市场监管总局.
    cores = {(_level(name), core(name)) for name in found}
    same_unit = [name for name in table.starting(c for _, c in cores) if name not in found
                 and any(level == _level(name) and (abbreviates(core(name), c) or abbreviates(c, core(name)))
                         for level, c in cores)]
    return [table[name] for name in found + same_unit]


def unit_rows(owner_rows: np.ndarray, owner_units: np.ndarray, owner_roles: np.ndarray, units: list[int],
              scope: np.ndarray) -> list[tuple[int, int]]:
    """(row, role code) of every row in `scope` naming one of `units`, by role (lead first),
    then in document order; a row once, at its strongest role."""
    hit = np.isin(owner_units, units)
    rows, roles = owner_rows[hit], owner_roles[hit]
    keep = scope[rows]
    rows, roles = rows[keep], roles[keep]
    order = np.lexsort((rows, roles))
    seen: dict[int, int] = {}
    for row, role in zip(rows[order], roles[order]):
        seen.setdefault(int(row), int(role))
    return sorted(seen.items(), key=lambda p: (p[1], p[0]))


ROLE_CODES = {name: code for code, name in enumerate(ROLES)}
