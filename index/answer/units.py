"""One unit's task list: every item that names the unit as an owner, across plans, by role.

The unit is matched however the question writes it: as the plan does (县教育局), without the
level (教育局, 组织部 for 县委组织部), or abbreviated (发改委 for 国家发展改革委, 人社局 for
县人力资源和社会保障局) — see search/abbrev.py.
"""

from __future__ import annotations

import numpy as np

from ..search.abbrev import LEVEL as _LEVEL
from ..search.abbrev import abbreviates
from ..search.blob import ROLES


# What a place's government, party committee or office adds to its name, which people leave off.
BODY_SUFFIXES = frozenset({"人民政府", "政府", "党委", "党（工）委", "党工委", "办事处"})


def core(unit: str) -> str:
    """The unit's name without its level: 县教育局 → 教育局, 国家发展改革委 → 发展改革委."""
    stripped = _LEVEL.sub("", unit)
    return stripped if len(stripped) >= 2 else unit


def _level(unit: str) -> str:
    m = _LEVEL.match(unit)
    return m.group() if m else ""


def matching_units(asked: str, names: dict[str, int]) -> list[int]:
    """Term ids of the units `asked` names: the same name, the same name without its level,
    else the units it abbreviates; and with them the names a plan uses for the same unit in
    short or in full (县教体局 for 县教育和体育局: a plan defines one as 以下简称 the other and
    then writes both)."""
    asked_core = core(asked)
    found = [name for name in names if name == asked] or [name for name in names if core(name) == asked_core]
    if not found:
        found = [name for name in names if abbreviates(asked_core, core(name)) or abbreviates(asked, name)]
    if not found:  # 各乡镇 for 各乡镇人民政府 and 各乡镇党委, 各街道 for 各街道办事处
        found = [name for name in names if name.startswith(asked) and name[len(asked):] in BODY_SUFFIXES]
    # At the same level only: 县市场监管局 is not 市场监管总局.
    cores = {(_level(name), core(name)) for name in found}
    same_unit = [name for name in names if name not in found
                 and any(level == _level(name) and (abbreviates(core(name), c) or abbreviates(c, core(name)))
                         for level, c in cores)]
    return [names[name] for name in found + same_unit]


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
