"""Answers that list items: a section's items, a plan's stages, one unit's tasks, the items
whose time limit recurs (每个月要做什么), and the items that leave their owner or limit unsaid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from ..lazy_re import lazy
from ..limits import MAX_TOP, page
from ..models import Answer, Citation
from ..search.blob import HAS_DEADLINES, HAS_OWNERS
from ..search.rank import Terms
from . import phrasing
from .cite import children, records
from .found import FOUND_COVERAGE, SEE_ALSO, rank_topic, topic_terms
from .intent import Query, roles_asked
from .snapshot import Snapshot, Where, answer, mask, narrowed_to_named, not_found, seen_plans
from .topic import Group, Holds, as_asked, coverage, local_coverage
from .units import ROLE_CODES, UnitNames, matching_units, unit_rows
from .which_plan import named_plan

# A unit asked with its place before it (城关镇组织办, 东城区教育局) where the plans write the unit alone.
PLACED_UNIT = lazy(r"^(?P<place>[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道|县|区|市))(?P<unit>[\u4e00-\u9fff]{2,})$")
RECURRING_CANDIDATES = 200  # rows holding a frequency word (每月) whose limits are read
RECURRING_FORMS = {"每周": ("每周", "每星期")}  # how plans write a frequency, where not as asked
STAGE_TITLE = lazy(r"步骤|阶段|进度|安排")  # how a section of stages is titled
# A heading holding this share of what its best item holds of the topic is what the question names
# (named_section): the item's own words add next to nothing.
SECTION_SHARE = 0.9
HEADING_SHARE = 0.6  # … and the question says this share of the heading's words (not a part of it)
# A name read like a unit's that no plan names as an owner is a thing a plan speaks of when it
# says the name's last so many characters (name_tail): 维修中心 of 综保区检测维修中心; fewer would
# meet any 中心 or 委员会.
TAIL = 4
STAGES_SECTION = "实施步骤"  # how plans title their stages (实施步骤, 工作步骤, 方法步骤): searched for


def section(snap: Snapshot, question: str, query: Query, where: Where) -> Answer:
    """第二部分有哪些 (`query.ref`) / 人才方面有哪些工作 (`query.topic`): the section and its items;
    with no section on the topic, the items that answer it."""
    c = snap.corpus
    if query.ref:
        top_level = mask(c, ("section",), where) & (c.own == query.ref[0]) & (c.depth == 0)
        rows = [int(i) for i in np.flatnonzero(top_level)]
    else:
        searched = topic_terms(snap, query.topic)  # once for both rankings below
        hits, _, _ = rank_topic(snap, query.topic, mask(c, ("section",), where), 1, searched=searched)
        rows = [hits[0][0]] if hits else []
    if rows:
        return _listed(snap, question, rows[0])
    hits, terms, near = rank_topic(snap, query.topic, mask(c, ("item",), where), 10,
                                  searched=None if query.ref else searched)
    if not hits and query.ref:
        return not_found(question, "section", where)
    if not hits:  # as a search's miss: the topic looked for, and the nearest items
        related = snap.cite([i for i, _ in near], [s for _, s in near], terms)
        return not_found(question, "section", where, as_asked(question, searched[0]), related)
    citations = snap.cite([i for i, _ in hits], [s for _, s in hits], terms)
    return answer(question, "section", phrasing.section_text(None, citations, query.topic), citations)


def named_section(snap: Snapshot, row: int, asked: str, topic: Sequence[Group]) -> int | None:
    """The section a question names by its heading rather than one of its tasks (党风廉政建设谁负责,
    农村基础设施那两项多会儿完工): of the best item found (`row`), the highest heading over two items
    or more that holds what the item holds of the topic (SECTION_SHARE of it) and whose words the
    question (`asked`) mostly says (HEADING_SHARE). An item is searched with its headings' words
    too (search/bags.py): when they are all it matched by, the question is about the heading, and
    so about every task under it. None when the item's own words match more (厕所改造 under
    改善农村人居环境) or the question says a part of the heading (防止返贫监测)."""
    c = snap.corpus
    broad = c.broad_sections()
    heads = [h for h in c.heads(row) if broad[h]]  # the row's ancestors over two items or more, highest first
    # A heading the question shares no two characters with is not what it says (most are not:
    # this spares the coverage below for them).
    pairs = {asked[i:i + 2] for i in range(len(asked) - 1)}
    # Their stored records (titles) alone: no citation, with its quoted sentence, is made for a
    # heading that is not named. (A row gone since the snapshot is left out.)
    kept = records(c, snap.fetch, heads)
    named = [(h, rec) for h in heads if (rec := kept.get(int(c.ids[h]))) is not None
             and rec.plan_id == int(c.plan_ids[h]) and any(p in rec.title for p in pairs)]
    if not named or not topic:
        return None
    rows = np.array([*(h for h, _ in named), row])
    # Weighed within the plan too: the words naming the plan's subject (综保区 in a plan on
    # 综合保税区), which its items say and its headings need not, tell the heading from its task
    # no more than they tell one task from another.
    holds = Holds(c, rows)  # each term's postings searched once for both
    *held, _ = coverage(c, list(topic), rows, holds)
    *local, mine = local_coverage(c, list(topic), rows, holds)
    for (head, heading), share, here in zip(named, held, local):
        if share >= FOUND_COVERAGE and here >= SECTION_SHARE * mine \
                and _asked_share(snap, heading.title, asked) >= HEADING_SHARE:
            return head
    return None


def name_tail(name: str) -> str:
    """What of a unit-like name a plan must say for it to speak of that thing: its last
    TAIL characters (维修中心 of 综合保税区搞检测维修中心: what precedes it may be the asker's
    words), or the whole of a shorter name (合作社)."""
    return name[-TAIL:]


def headed_section(snap: Snapshot, name: str, where: Where) -> int | None:
    """The section on a thing named like a unit (检测维修中心, asked 综保区检测维修中心有啥政策):
    the section ranked first for the name, when its heading holds the name's tail and it
    heads two items or more."""
    c = snap.corpus
    hits, _, _ = rank_topic(snap, name, mask(c, ("section",), where) & c.broad_sections(), 1)
    if not hits:
        return None
    row = hits[0][0]
    kept = records(c, snap.fetch, [row]).get(int(c.ids[row]))
    named = kept is not None and kept.plan_id == int(c.plan_ids[row]) and name_tail(name) in kept.title
    return row if named else None


def _asked_share(snap: Snapshot, title: str, asked: str) -> float:
    """The share of a heading's words (by idf) that the question holds: 防止返贫监测 names a part of
    健全防止返贫动态监测和帮扶机制 (0.49: its 监测 task, not the 帮扶 one), 农村基础设施建设 most of
    加强农村基础设施建设 (0.82). A heading of clauses is named by any one of them: 推动创新创业，
    打造研发设计中心 is the section on the 研发设计中心 (each of the five of its plan reads so)."""
    return max(_clause_share(snap, clause, asked) for clause in (title, *_CLAUSES.split(title)) if clause)


_CLAUSES = lazy(r"[，,；;。]")


def _clause_share(snap: Snapshot, title: str, asked: str) -> float:
    """`_asked_share` of one heading or clause."""
    groups, _ = topic_terms(snap, title)
    idf = snap.corpus.bm25.idf_of
    weights = [max((idf(t) for t in g.terms), default=0.0) for g in groups]
    held = sum(w for g, w in zip(groups, weights) if any(t in asked for t in (g.word, *g.terms)))
    return held / sum(weights) if sum(weights) else 0.0


def section_facts(snap: Snapshot, question: str, row: int, kind: str, with_when: bool = False) -> Answer:
    """A who- or when-question about a whole section: each of its items' owners or time limits,
    the section cited first; a search, the section's list (`_listed`)."""
    if kind not in ("who", "when"):
        return _listed(snap, question, row)
    (listed,) = snap.cite([row]) or [None]
    kids = children(snap.corpus, snap.fetch, row)
    say = phrasing.when_text if kind == "when" else partial(phrasing.who_text, when=with_when,
                                                                   roles=roles_asked(question))
    text = phrasing.section_facts_text(listed, kids, say)
    return answer(question, kind, text, [listed, *kids][:MAX_TOP], found=True)  # type: ignore[arg-type]


def _listed(snap: Snapshot, question: str, row: int) -> Answer:
    """A section's answer: its items, named in the text and cited (at most MAX_TOP citations,
    README "Limits"; the text still lists every item)."""
    (listed,) = snap.cite([row]) or [None]
    kids = children(snap.corpus, snap.fetch, row)
    return answer(question, "section", phrasing.section_text(listed, kids), [listed, *kids][:MAX_TOP], found=True)


def stages(snap: Snapshot, question: str, topic: str, where: Where) -> Answer:
    """星级评定分几个阶段: the 实施步骤 section of the plan the topic names (by its title) or is
    about (its best item among the plans that have one); never another plan's stages."""
    c = snap.corpus
    found, _, _ = rank_topic(snap, STAGES_SECTION, mask(c, ("section",), where), MAX_TOP)
    # sections titled as stages are (三、实施步骤, 工作安排, 进度安排), not any that holds 实施 (实施乡村建设行动)
    staged = [row for (row, _), cited in zip(found, snap.cite([row for row, _ in found])) if STAGE_TITLE.search(cited.title)]
    plans = frozenset(int(c.plan_ids[row]) for row in staged)
    if plans and (named := named_plan(topic, seen_plans(snap, where))) is not None:
        if named.id not in plans:  # 网站集约化试点分几个阶段: that plan's, or none
            return answer(question, "section", phrasing.no_stages_text(f"《{named.title}》"), found=False)
        plans = frozenset({named.id})
    elif plans and topic_terms(snap, topic)[1].words:
        hits, _, _ = rank_topic(snap, topic, mask(c, ("item", "section", "preamble"), Where(plans=plans)), 1)
        plans = frozenset(int(c.plan_ids[row]) for row, _ in hits[:1])
    if not plans:
        return answer(question, "section", phrasing.no_stages_text(where.names, among=True), found=False)
    return _listed(snap, question, next(row for row in staged if int(c.plan_ids[row]) in plans))


def unstated(snap: Snapshot, question: str, query: Query, where: Where, offset: int) -> Answer:
    """哪些任务没有写明责任单位 / 完成时限: the items in scope that name no owner (or state no
    time limit), in document order, a page at a time; of the plan the question names, if any."""
    c = snap.corpus
    where = narrowed_to_named(snap, query.topic, where)  # 乡村振兴方案里哪几项没写时限
    flag = HAS_OWNERS if query.kind == "unowned" else HAS_DEADLINES
    rows = np.flatnonzero(mask(c, ("item",), where) & ((c.flags & flag) == 0))
    shown, more = page(rows, offset, MAX_TOP)
    citations = snap.cite(shown) if len(shown) else []
    text = phrasing.unstated_text(query.kind == "unowned", len(rows), offset, len(citations), where.names)
    return answer(question, "section", text, citations, found=True, more=more, total=len(rows), offset=offset)


def unit_tasks(snap: Snapshot, question: str, asked: str, where: Where, *, top: int,
               offset: int = 0, exact: bool = False, role: str = "",
               period: tuple[dt.date, dt.date] | None = None, topic: str = "") -> Answer | None:
    """Every item naming the unit `asked` as an owner, lead roles first; None when no plan in
    scope names such a unit. `exact`: only the owner of that very name (a person or a post).
    A unit asked with its place (城关镇组织办) that no plan names so is the unit (组织办) in the
    plans whose title names the place. `role` (牵头 / 配合), `period` and `topic` narrow the
    list to the items of that role, due in that period, or on that topic (组织办负责的党员方面的事);
    where that leaves none, the whole list is given, saying so (and, for a topic, not found:
    the plans do not give the unit that task)."""
    if (unit := _unit_list(snap, asked, where, exact, role, period, topic)) is None:
        return None
    listed, more = page(unit.rows, offset, top)
    citations = snap.cite([r for r, _ in listed])
    return answer(question, "unit", _unit_page(snap, unit, citations, offset), citations, more=more,
                  total=len(unit.rows), offset=offset, found=not _off_topic(unit))


def units_tasks(snap: Snapshot, question: str, asked: Sequence[str], where: Where, *, top: int,
                offset: int = 0, role: str = "", period: tuple[dt.date, dt.date] | None = None,
                topic: str = "") -> Answer | None:
    """Two to four units' task lists asked in one message (组织办和宣传办分别负责哪些任务): each
    unit's list as `unit_tasks` gives it, in the order asked, paged as one list so that 更多 and
    第二十三个 number across them; a unit no plan names is said so in its place. None when no
    plan names any of them."""
    lists = [_unit_list(snap, unit, where, False, role, period, topic) for unit in asked]
    if all(unit is None for unit in lists):
        return None
    taken = _taken_in_turn([unit.rows if unit else [] for unit in lists], max(1, top // len(asked)))
    listed, more = page(taken, offset, top)
    texts, citations = [], []
    for of, (name, unit) in enumerate(zip(asked, lists)):
        at = [a for o, a in listed if o == of]  # this unit's items on the page: together, in its list's order
        if unit is None and not offset:
            texts.append(phrasing.no_unit_text(name, [], where.names if where.plan_id is not None else "", tip=False))
        elif unit is not None and at:
            mine = snap.cite([unit.rows[a][0] for a in at])
            texts.append(_unit_page(snap, unit, mine, at[0]))
            citations += mine
    found = not all(_off_topic(unit) for unit in lists if unit is not None)
    return answer(question, "unit", phrasing.units_text(len(asked), texts, offset), citations, more=more,
                  total=len(taken), offset=offset, found=found)


def _taken_in_turn(lists: list[list[tuple[int, int]]], turn: int) -> list[tuple[int, int]]:
    """(list, position) of every item of `lists`, `turn` of each list's in turn: a page of the
    lists together shows the first items of each, not one long list's and none of the next's."""
    taken = []
    for start in range(0, max(map(len, lists)), turn):
        taken += [(of, at) for of, rows in enumerate(lists) for at in range(start, min(start + turn, len(rows)))]
    return taken


def owns_tasks(snap: Snapshot, asked: str, where: Where) -> bool:
    """Whether a plan in scope names the unit `asked` as an owner."""
    return _unit_list(snap, asked, where, False, "", None, "") is not None


@dataclass(frozen=True)
class _UnitList:
    """One unit's list: its names as the plans write them, its (row, role code) as listed (of
    the role or period asked, or all when those leave none), all of them, and how it was narrowed."""

    shown: list[str]
    rows: list[tuple[int, int]]
    every: list[tuple[int, int]]
    narrowed: phrasing.Narrowed | None


def _unit_list(snap: Snapshot, asked: str, where: Where, exact: bool, role: str,
               period: tuple[dt.date, dt.date] | None, topic: str) -> _UnitList | None:
    c = snap.corpus
    names = c.once("unit names", lambda: UnitNames(c.unit_names()))
    units = ([names[asked]] if asked in names else []) if exact else matching_units(asked, names)
    if not units and not exact and (placed := PLACED_UNIT.match(asked)):
        units = matching_units(placed.group("unit"), names)
        titled = [p.id for p in seen_plans(snap, where) if placed.group("place") in p.title]
        where = Where(plans=frozenset(titled), names=where.names)
    every = unit_rows(c.owner_rows, c.owner_units, c.owner_roles, units, mask(c, ("item", "closing"), where))
    if not every:
        return None
    rows = _narrowed(c, every, role, period)
    groups, terms = topic_terms(snap, topic) if topic else ([], None)
    if groups:  # a topic of words that say something (not 手上 of 手上都有啥活)
        rows = _on_topic(snap, rows, (groups, terms))
    shown = as_asked(topic, groups) if groups else ""
    narrowed = phrasing.Narrowed(role, period, found=bool(rows), topic=shown) if role or period or shown else None
    return _UnitList([n for n, i in names.items() if i in units], rows or every, every, narrowed)


def _on_topic(snap: Snapshot, rows: list[tuple[int, int]], searched: tuple[list[Group], Terms]
              ) -> list[tuple[int, int]]:
    """The unit's (row, role code) that answer the topic `searched`, in the list's order:
    found.rank_topic among them alone (its gate decides, as for any search), and of its hits
    those close to the first (SEE_ALSO, as beside a who-answer): in a plan on 乡村振兴 every
    task holds 乡村, and one on 乡村旅游 is no list of the unit's tasks on 乡村."""
    if not rows:
        return []
    among = np.zeros(snap.corpus.size, dtype=bool)
    among[[r for r, _ in rows]] = True
    hits, _, _ = rank_topic(snap, "", among, len(rows), searched=searched)
    best = hits[0][1] if hits else 0.0
    on = {r for r, s in hits if s >= SEE_ALSO * best}
    return [(r, code) for r, code in rows if r in on]


def _off_topic(unit: _UnitList) -> bool:
    """Whether the list was asked about a topic none of the unit's items answers."""
    return bool(unit.narrowed and unit.narrowed.topic and not unit.narrowed.found)


def _unit_page(snap: Snapshot, unit: _UnitList, citations: list[Citation], offset: int) -> str:
    """The unit's list on one page: its counts by role and the cited items under their roles."""
    ids = snap.corpus.ids
    by_id = {int(ids[r]): code for r, code in unit.rows}
    counts = [sum(1 for _, code in unit.rows if code == k) for k in range(3)]
    all_counts = [sum(1 for _, code in unit.every if code == k) for k in range(3)]
    return phrasing.unit_text(unit.shown, counts, [(cit, by_id[cit.item_id]) for cit in citations], offset,
                              narrowed=unit.narrowed, all_counts=all_counts)


def _narrowed(c, rows: list[tuple[int, int]], role: str, period: tuple[dt.date, dt.date] | None
              ) -> list[tuple[int, int]]:
    """The unit's (row, role code) of `role` and with a deadline date in `period`, where asked."""
    if role:
        rows = [(r, code) for r, code in rows if code == ROLE_CODES[role]]
    if period:
        days = (c.due >= period[0].toordinal()) & (c.due <= period[1].toordinal())
        due = set(c.due_rows[days].tolist())
        rows = [(r, code) for r, code in rows if r in due]
    return rows


def owners(snap: Snapshot, question: str, where: Where, named: bool = False) -> Answer:
    """哪个单位任务最多 / 涉及哪些单位: every unit the plans in scope name as an owner, most items
    first, each with its count by role; the first one's items cited. `named`: the question
    named the plan of `where`, which the answer names too."""
    c = snap.corpus
    scope = mask(c, ("item", "closing"), where)
    keep = scope[c.owner_rows]
    rows, units, roles = c.owner_rows[keep], c.owner_units[keep], c.owner_roles[keep]
    # each (unit, row) once, at its strongest role (as unit_rows counts a unit's list): in one
    # pass over the arrays, not a pass per unit (thousands of units at 100k items)
    if not len(units):
        return answer(question, "unit", phrasing.no_owners_text(where.names), found=False)
    order = np.lexsort((roles, rows, units))
    units, rows, roles = units[order], rows[order], roles[order]
    first = np.r_[True, (units[1:] != units[:-1]) | (rows[1:] != rows[:-1])]
    ids, at = np.unique(units[first], return_inverse=True)
    by_role = [np.bincount(at[roles[first] == k], minlength=len(ids)) for k in range(3)]
    names = c.unit_names()
    of_id = {i: n for n, i in names.items()}
    counted = sorted(((of_id[u], [int(b[n]) for b in by_role]) for n, u in enumerate(ids.tolist()) if u in of_id),
                     key=lambda u: (-sum(u[1]), u[0]))
    top = unit_rows(c.owner_rows, c.owner_units, c.owner_roles, [names[counted[0][0]]], scope)
    citations = snap.cite([r for r, _ in top[:MAX_TOP]])
    text = phrasing.owners_text(counted, where.names if named else "")
    return answer(question, "unit", text, citations, total=len(counted))


def recurring(snap: Snapshot, question: str, every: str, where: Where, offset: int) -> Answer:
    """每个月要做什么: the items whose time limit recurs `every` (每月: 每月, 每月10日, 每月第一个
    星期五 …), in document order, a page at a time. Found as the rows that hold the word, then
    kept by their own limits: an item that only mentions 每月 in passing is not listed."""
    c = snap.corpus
    starts = RECURRING_FORMS.get(every, (every,))
    hits, _, _ = rank_topic(snap, " ".join(starts), mask(c, ("item", "closing"), where), RECURRING_CANDIDATES)
    rows = sorted(row for row, _ in hits)
    kept = [cited for cited in snap.cite(rows)
            if any(d.recurring and d.phrase.startswith(starts) for d in cited.deadlines)]
    shown, more = page(kept, offset, MAX_TOP)
    text = phrasing.recurring_text(every, starts, list(shown), len(kept), offset, where.names)
    return answer(question, "section", text, list(shown), found=bool(kept), more=more, total=len(kept), offset=offset)
