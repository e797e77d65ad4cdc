"""Question → cited answer, over one snapshot of the corpus.

`ask` decides what kind of question it is (intent.py), finds the rows that answer it (BM25
over the corpus, item numbers, deadline dates), cites them (cite.py) and words the answer
from the cited items alone (phrasing.py). Nothing here writes or reads files: the engine
hands over the corpus, the tokenizer and the function that reads cited rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import numpy as np

from ..cn import label_style
from ..limits import MAX_TOP, PAGE, page
from ..models import Answer, AnswerKind, Citation, DueDay, DueSpan, PlanInfo
from ..search.blob import HAS_DEADLINES, HAS_OWNERS
from ..search.corpus import ITEM, SECTION, Corpus
from ..search.rank import Terms, rank
from . import phrasing
from .cite import Fetch, children, cite
from .intent import Query, classify, follow_up
from .schedule import schedule_line
from .topic import Group, Holds, coverage, local_coverage, search_terms
from .units import matching_units, unit_rows
from .which_plan import named_plan

FOUND_COVERAGE = 0.36  # share of the question's content weight the best item must hold
RELATED_COVERAGE = 0.25  # not an answer but at least this: offered as "可能相关" on a miss
RELATED = 2  # nearest items offered on a miss
# A when-question prefers an item that states a time: it scores this much more.
DATED_BOOST = 0.1
# A who-question prefers an item that names its owners: a candidate that names none, where
# another candidate of its own plan does, scores this much less (÷ 1.3). Only against its own
# plan's: a plan with no 责任单位 at all (the sample 组织工作要点) must not lose its answers to a
# plan that has them (干部培训谁负责 did, when every item naming owners counted more), nor two
# plans that both name them lose their being cited side by side. (The same for when-questions
# cost a 未写明完成时限 answer: a task without a time limit is the one asked about more often
# than a task without an owner.)
UNSTATED_OWNER = 0.3
# A who- or when-answer cites further items (another plan's, the same task's neighbours) only
# when they score at least this share of the first: one holding a side word of the question
# (隐患 and 排查 of 山洪地质灾害隐患排查, in a 安全生产 list: 0.13 of the first) is no "see also".
SEE_ALSO = 0.3
RIVAL_SHARE = 0.9  # another plan's item scoring at least this share of the first's answers too
LOCAL_SHARE = 0.5  # how much the share of the topic weighed within the plan scales a score
# A unit asked with its place before it (城关镇组织办, 东城区教育局) where the plans write the unit alone.
PLACED_UNIT = re.compile(r"^(?P<place>[\u4e00-\u9fff]{1,8}?(?:镇|乡|街道|县|区|市))(?P<unit>[\u4e00-\u9fff]{2,})$")
STAGES_SECTION = "实施步骤"  # how plans title their stages (实施步骤, 工作步骤, 方法步骤): searched for
CANDIDATES = 10  # best-scoring rows re-ranked by coverage
COVERAGE_SHARE = 0.5  # how much a candidate's coverage scales its score
SCORE_FLOOR = 0.7  # an answer scores at least this share of the best candidate's score
STYLED_CANDIDATES = 200  # rows numbered alike whose labels are read to find the style asked


@dataclass(frozen=True)
class Where:
    """Which plans a question is answered from: one chosen plan, else those a chat may see
    (None: every plan)."""

    plan_id: int | None = None
    plans: frozenset[int] | None = None
    names: str = ""  # the plans searched, as a miss names them: 《title》 or 全部 N 份计划


@dataclass(frozen=True)
class Snapshot:
    """What answering reads: one corpus, the tokenizer that cut it, and its stored rows."""

    corpus: Corpus
    tokenize: Callable[[str], list[str]]  # search tokens (tokenize.Tokenizer.__call__)
    cut: Callable[[str], list[str]]  # one reading of a text (Tokenizer.cut)
    fetch: Fetch
    rarity: Callable[[str], float | None] = lambda word: None  # general-language rarity (Tokenizer.rarity)
    plans: Callable[[], list[PlanInfo]] = list  # every plan of this corpus (for a question that names one)

    def cite(self, rows, scores=None, terms=()) -> list[Citation]:
        return cite(self.corpus, self.fetch, rows, scores, terms)


def answer(question: str, kind: AnswerKind, text: str, citations: list[Citation] | None = None, *,
           found: bool | None = None, more: bool = False, **listed) -> Answer:
    """The one place an Answer is made: found unless said otherwise when something is cited.
    `listed`: a list's total, offset and (deadlines) due span."""
    citations = citations or []
    return Answer(question=question, kind=kind, found=bool(citations) if found is None else found,
                  text=text, citations=citations, more=more, **listed)


def not_found(question: str, kind: AnswerKind, where: Where) -> Answer:
    return answer(question, kind, phrasing.not_found_text(question, searched=where.names), found=False)


def ask(snap: Snapshot, question: str, *, where: Where, top: int, today: dt.date,
        offset: int = 0, context: int | None = None) -> Answer:
    """Answer a free-text question from the plans `where` says; `offset` skips that many
    results (for a "more" button). `context`: the item the conversation is about (the one the
    last answer cited first); a question with no topic of its own (谁负责, 什么时候, 下一条) is
    about it."""
    if kind := follow_up(question, snap.cut):
        if context is None:  # 谁负责 / 下一条 alone, with no answer before it to be about
            return answer(question, "hint", phrasing.FOLLOW_UP_HINT, found=False)
        followed = about_item(snap, question, context, kind) if _visible(snap, context, where) else None
        if followed is not None:
            return followed
    query = classify(question, today)
    if query.kind == "hint":
        return answer(question, "hint", phrasing.HINT, found=False)
    if query.kind == "heading":
        if (pasted := lookup(snap, question, query.ref, where, heading=query.heading)) is not None:
            return pasted
        query = classify(query.heading[1], today)  # no such heading: the words after the number ask
    if query.kind == "lookup":
        if where.plan_id is None and context is not None and _visible(snap, context, where):
            # 第3条呢 in a conversation about one plan: that plan's item 3, if it has one
            plan = int(snap.corpus.plan_ids[snap.corpus.row_of(context)])
            found = lookup(snap, question, query.ref, Where(plan_id=plan, names=where.names))
            if found is not None and found.found:
                return found
        return lookup(snap, question, query.ref, where)
    if query.kind == "deadlines" and query.period:
        return due(snap, question, *query.period, where=where, today=today, offset=offset)
    if query.kind == "section":
        return _section(snap, question, query, where)
    if query.kind == "stages":
        return _stages(snap, question, query.topic, where)
    if query.kind in ("unowned", "undated"):
        return _unstated(snap, question, query, where, offset)
    if query.kind == "unit":
        listed = unit_tasks(snap, question, query.unit, where, top=MAX_TOP, offset=offset)
        if listed is None and (placed := PLACED_UNIT.match(query.unit)):  # 城关镇组织办: 组织办 of 城关镇's plans
            listed = unit_tasks(snap, question, placed.group("unit"), where, top=MAX_TOP, offset=offset,
                                place=placed.group("place"))
        if listed is not None:
            return listed
        # No plan names that unit as an owner: say so, never another unit's items as its tasks;
        # what a search finds is offered as possibly related.
        near = _search(snap, question, Query("search", query.topic), where, RELATED, 0).citations[:RELATED]
        return answer(question, "unit", phrasing.no_unit_text(query.unit, near), near, found=False)
    if query.unit and (listed := unit_tasks(snap, question, query.unit, where, top=MAX_TOP, offset=offset,
                                              exact=True)) is not None:
        return listed  # a person or post some plan names as an owner: 张三负责哪些任务
    return _search(snap, question, query, where, top, offset)


def about_item(snap: Snapshot, question: str, item_id: int, kind: str) -> Answer | None:
    """A follow-up on one item: its owners, its time limit, its full text, or the item next
    to it (kind next / previous); None when the item is gone."""
    c = snap.corpus
    row = c.row_of(item_id)
    if row is None:
        return None
    if kind in ("next", "previous"):
        start, end = c.plan_rows[int(c.plan_ids[row])]
        items = start + np.flatnonzero(c.mask(("item",), None)[start:end])
        after = items[items > row] if kind == "next" else items[items < row][::-1]
        if not len(after):
            edge = "最后" if kind == "next" else "第"
            return answer(question, "lookup", f"这已是这份计划的{edge}一条了。", snap.cite([row]), found=False)
        row = int(after[0])
    (cited,) = snap.cite([row]) or [None]
    if cited is None:
        return None
    if kind == "when" and (dated := _from_schedule(snap, question, cited, cited.title, top=MAX_TOP)):
        return dated
    say = {"who": phrasing.who_text, "when": phrasing.when_text}.get(kind, phrasing.lookup_text)
    return answer(question, kind if kind in ("who", "when") else "lookup", say(cited), [cited])  # type: ignore[arg-type]


def unit_tasks(snap: Snapshot, question: str, asked: str, where: Where, *, top: int,
               offset: int = 0, exact: bool = False, place: str = "") -> Answer | None:
    """Every item naming the unit `asked` as an owner, lead roles first; None when no plan in
    scope names such a unit. `exact`: only the owner of that very name (a person or a post);
    `place`: only in plans whose title names it (城关镇)."""
    c = snap.corpus
    names = c.unit_names()
    units = ([names[asked]] if asked in names else []) if exact else matching_units(asked, names)
    rows = unit_rows(c.owner_rows, c.owner_units, c.owner_roles, units, _mask(c, ("item", "closing"), where))
    if place:
        firsts = {int(c.plan_ids[r]): r for r, _ in reversed(rows)}  # a row of each plan, to read its title
        titled = {cited.plan_id for cited in snap.cite(list(firsts.values())) if place in cited.plan}
        rows = [(r, role) for r, role in rows if int(c.plan_ids[r]) in titled]
    if not rows:
        return None
    listed, more = page(rows, offset, top)
    citations = snap.cite([r for r, _ in listed])
    roles = {row: role for row, role in rows}
    by_id = {int(c.ids[r]): roles[r] for r, _ in listed}
    shown = [n for n, i in names.items() if i in units]
    counts = [sum(1 for _, role in rows if role == code) for code in range(3)]
    text = phrasing.unit_text(shown, counts, [(cit, by_id[cit.item_id]) for cit in citations], offset)
    return answer(question, "unit", text, citations, more=more, total=len(rows), offset=offset)


def lookup(snap: Snapshot, question: str, ref: tuple[int, ...], where: Where,
           heading: tuple[str, str] = ()) -> Answer | None:
    """The item (or section) numbered `ref`: (3,) or (2, 3) for 二.3. `heading`: a heading
    pasted as the question, (label, title): the rows so labelled whose title it starts, None
    when there is none."""
    found = _numbered(snap, ref, where, label_style(heading[0] if heading else question), heading)
    if found is None:
        return None
    citations, first_row = found
    if not citations:
        shown = ".".join(str(n) for n in ref)
        searched = f"在{where.names}中" if where.names else ""
        return answer(question, "lookup", f"{searched}没有找到第{shown}条，请换个编号或先选定计划。", found=False)
    text = phrasing.lookup_text(citations[0])
    if len(citations) > 1:
        text += f"（共有{len(citations)}处编号为{ref[-1]}的条目，已按顺序列出）"
    if citations[0].kind == "section":
        kids = children(snap.corpus, snap.fetch, first_row)
        text = phrasing.section_text(citations[0], kids)
        citations = (citations + kids)[:MAX_TOP]  # the text still lists them all
    return answer(question, "lookup", text, citations)


def _numbered(snap: Snapshot, ref: tuple[int, ...], where: Where, style: tuple[str, bool] | None,
              heading: tuple[str, str]) -> tuple[list[Citation], int] | None:
    """The rows numbered `ref`, cited, and the first one's row. Without a style, the items (else
    the sections) in document order; with one (二 asks for 二、, （二） for （二）), those so
    labelled first; for a pasted heading only those whose title it starts (None if none)."""
    c = snap.corpus
    numbered = _mask(c, ("item", "section"), where) & (c.own == ref[-1])
    for p in ref[:-1]:
        numbered &= c.with_ancestor(p)
    items = np.flatnonzero(numbered & (c.kinds == ITEM))
    if style is None:
        rows = items if len(items) else np.flatnonzero(numbered & (c.kinds == SECTION))
        cited = snap.cite(rows[:MAX_TOP])
        return cited, int(rows[0]) if len(rows) else -1
    cited = snap.cite(np.flatnonzero(numbered)[:STYLED_CANDIDATES])
    if heading:
        pasted = _squash(heading[1])
        cited = [x for x in cited if pasted.startswith(_squash(x.title)[:4]) or _squash(x.title).startswith(pasted)]
        if not cited:
            return None
    cited = sorted(cited, key=lambda x: label_style(x.label) != style)[:MAX_TOP]
    return cited, c.row_of(cited[0].item_id) if cited else -1


def due(snap: Snapshot, question: str, start: dt.date, end: dt.date, *, where: Where, today: dt.date,
        offset: int = 0, limit: int | None = PAGE) -> Answer:
    """Items with a deadline date from `start` to `end`: first those past their time limit by
    `today` (every date of theirs in the span before it), then the rest, each part earliest
    first; one page of `limit` from `offset` (None: all). With nothing due, the answer says
    where the nearest deadlines fall."""
    c = snap.corpus
    dated = _mask(c, ("item", "closing"), where)[c.due_rows]
    rows, days = c.due_rows[dated], c.due[dated]
    inside = (days >= start.toordinal()) & (days <= end.toordinal())
    rows, days = rows[inside], days[inside]
    coming = days >= today.toordinal()
    upcoming = _earliest(rows[coming], days[coming])
    past = _earliest(rows[~coming], days[~coming])
    # A later date of its own still to come: not overdue. By a table over the rows' range, not
    # numpy's default hashing: ~0.05 ms where that took ~0.6 (thousands of rows due at 100k).
    past = past[~np.isin(past, upcoming, kind="table")]
    ranked = np.concatenate([past, upcoming])
    shown, more = page(ranked, offset, limit)
    citations = snap.cite(shown) if len(shown) else []
    span = DueSpan(start=start, end=end, today=today, overdue=len(past))
    if not len(ranked):
        span.next, span.last = _nearest_due(c.due[dated], start, end)
    text = phrasing.deadlines_text(span, len(ranked), offset, len(citations), where.names)
    return answer(question, "deadlines", text, citations, more=more, total=len(ranked), offset=offset, due=span)


def _earliest(rows: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Each row once, at its earliest date; earliest first, then in document order. In steps
    over the rows rather than by sorting all the dates (a lexsort and a unique: ~1.7 ms for the
    24k dated rows of 逾期 at 100k items): the corpus keeps deadlines in row order already."""
    if not len(rows):
        return rows
    if (rows[1:] < rows[:-1]).any():  # not in row order: put them so
        order = np.argsort(rows, kind="stable")
        rows, days = rows[order], days[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rows, days = rows[starts], np.minimum.reduceat(days, starts)
    return rows[np.argsort(days, kind="stable")]  # rows ascend: ties stay in row order


def _nearest_due(days: np.ndarray, start: dt.date, end: dt.date) -> tuple[DueDay | None, DueDay | None]:
    """The first date due after the period (with how many items then), and the last before it."""
    after, before = days[days > end.toordinal()], days[days < start.toordinal()]
    nxt = DueDay(date=dt.date.fromordinal(int(after.min())), items=int((after == after.min()).sum())) \
        if len(after) else None
    last = DueDay(date=dt.date.fromordinal(int(before.max())), items=int((before == before.max()).sum())) \
        if len(before) else None
    return nxt, last


def _search(snap: Snapshot, question: str, query: Query, where: Where, top: int, offset: int) -> Answer:
    kinds = ("item", "closing") if query.kind in ("who", "when") else ("item", "preamble", "closing")
    ranked, terms, near = _rank(snap, query.topic, _mask(snap.corpus, kinds, where), offset + top + 1, query.kind)
    hits = ranked[offset:offset + top]
    citations = snap.cite([i for i, _ in hits], [s for _, s in hits], terms) if hits else []
    if not citations:
        near = near[:top] if not offset else []
        related = snap.cite([i for i, _ in near], [s for _, s in near], terms)
        return answer(question, query.kind, phrasing.not_found_text(question, related, where.names),  # type: ignore[arg-type]
                      related, found=False)
    if query.kind == "when" and not offset and (dated := _from_schedule(snap, question, citations[0], query.topic,
                                                                        top, citations, more=len(ranked) > top)):
        return dated
    say = {"who": partial(phrasing.who_text, when=query.with_when, terms=terms),
           "when": partial(phrasing.when_text, terms=terms)}.get(query.kind, phrasing.search_text)
    text = say(citations[0])
    if (other := _rival(citations)) is not None:
        text = phrasing.two_plans_text(citations[0], text, other, say(other))  # both already cited, best first
    return answer(question, query.kind, text, citations,  # type: ignore[arg-type]
                  more=len(ranked) > offset + top, offset=offset)


def _from_schedule(snap: Snapshot, question: str, item: Citation, topic: str, top: int,
                   citations: list[Citation] | None = None, *, more: bool = False) -> Answer | None:
    """A when-answer from the plan's timetable for an item that states no date (answer.schedule):
    the timetable line cited first, the item and the rest after; None when the item has a date or
    no timetable line covers `topic`."""
    if item.deadlines:
        return None
    line = schedule_line(snap, item, topic, lambda t, mask, k: _rank(snap, t, mask, k)[:2])
    if line is None:
        return None
    rest = [c for c in (citations or [item]) if c.item_id != line.item_id]
    return answer(question, "when", phrasing.schedule_text(line, item), [line, *rest][:top], more=more)


def _rival(citations: list[Citation]) -> Citation | None:
    """An item of another plan that answers about as well as the first: both are cited and the
    answer says so, rather than silently picking one plan."""
    first = citations[0]
    return next((c for c in citations[1:] if c.plan_id != first.plan_id and c.score >= RIVAL_SHARE * first.score), None)


def _section(snap: Snapshot, question: str, query: Query, where: Where) -> Answer:
    c = snap.corpus
    if query.ref:
        top_level = _mask(c, ("section",), where) & (c.own == query.ref[0]) & (c.depth == 0)
        rows = [int(i) for i in np.flatnonzero(top_level)]
    else:
        searched = _searched(snap, query.topic)  # once for both rankings below
        hits, _, _ = _rank(snap, query.topic, _mask(c, ("section",), where), 1, searched=searched)
        rows = [hits[0][0]] if hits else []
    if rows:
        (section,) = snap.cite(rows[:1]) or [None]
        kids = children(c, snap.fetch, rows[0])
        # At most MAX_TOP citations (README "Limits"); the text still lists every item.
        return answer(question, "section", phrasing.section_text(section, kids),
                      [section, *kids][:MAX_TOP], found=True)
    hits, terms, _ = _rank(snap, query.topic, _mask(c, ("item",), where), 10,
                           searched=None if query.ref else searched)
    if not hits:
        return not_found(question, "section", where)
    citations = snap.cite([i for i, _ in hits], [s for _, s in hits], terms)
    return answer(question, "section", phrasing.section_text(None, citations, query.topic), citations)


def _seen(snap: Snapshot, where: Where) -> list[PlanInfo]:
    """The plans a question is answered from, for finding one it names."""
    return [p for p in snap.plans() if where.plan_id in (None, p.id) and (where.plans is None or p.id in where.plans)]


def _stages(snap: Snapshot, question: str, topic: str, where: Where) -> Answer:
    """星级评定分几个阶段: the 实施步骤 section of the plan the topic names (by its title) or is
    about (its best item among the plans that have one); never another plan's stages."""
    c = snap.corpus
    staged, _, _ = _rank(snap, STAGES_SECTION, _mask(c, ("section",), where), MAX_TOP)
    plans = frozenset(int(c.plan_ids[row]) for row, _ in staged)
    if plans and (named := named_plan(topic, _seen(snap, where))) is not None:
        if named.id not in plans:  # 网站集约化试点分几个阶段: that plan's, or none
            return answer(question, "section", phrasing.no_stages_text(named.title), found=False)
        plans = frozenset({named.id})
    elif plans and _searched(snap, topic)[1].words:
        hits, _, _ = _rank(snap, topic, _mask(c, ("item", "section", "preamble"), Where(plans=plans)), 1)
        plans = frozenset(int(c.plan_ids[row]) for row, _ in hits[:1])
    if not plans:
        return not_found(question, "section", where)
    plan = next(int(c.plan_ids[row]) for row, _ in staged if int(c.plan_ids[row]) in plans)
    return _section(snap, question, Query("section", STAGES_SECTION), Where(plan_id=plan, names=where.names))


def _unstated(snap: Snapshot, question: str, query: Query, where: Where, offset: int) -> Answer:
    """哪些任务没有写明责任单位 / 完成时限: the items in scope that name no owner (or state no
    time limit), in document order, a page at a time; of the plan the question names, if any."""
    c = snap.corpus
    if where.plan_id is None and (named := named_plan(query.topic, _seen(snap, where))) is not None:
        where = Where(plan_id=named.id, names=f"《{named.title}》")  # 乡村振兴方案里哪几项没写时限
    flag = HAS_OWNERS if query.kind == "unowned" else HAS_DEADLINES
    rows = np.flatnonzero(_mask(c, ("item",), where) & ((c.flags & flag) == 0))
    shown, more = page(rows, offset, MAX_TOP)
    citations = snap.cite(shown) if len(shown) else []
    text = phrasing.unstated_text(query.kind == "unowned", len(rows), offset, len(citations), where.names)
    return answer(question, "section", text, citations, found=True, more=more, total=len(rows), offset=offset)


Hits = list[tuple[int, float]]


def _squash(text: str) -> str:
    return re.sub(r"[\s。，、；：.,;:]+", "", text)


def _mask(corpus: Corpus, kinds: tuple[str, ...], where: Where) -> np.ndarray:
    return corpus.mask(kinds, where.plan_id, where.plans)


def _visible(snap: Snapshot, item_id: int, where: Where) -> bool:
    row = snap.corpus.row_of(item_id)
    return row is not None and bool(_mask(snap.corpus, ("item", "section", "preamble", "closing"), where)[row])


def _searched(snap: Snapshot, topic: str) -> tuple[list[Group], Terms]:
    """The topic's groups and search terms (topic.search_terms) in this snapshot."""
    return search_terms(snap.corpus, snap.tokenize, snap.cut, topic, snap.rarity)


def _preference(corpus: Corpus, kind: str, rows: list[int]) -> list[float]:
    """What each candidate's score is multiplied by to prefer what the question asks for: for
    a when-question an item that states a time (DATED_BOOST), for a who-question one that
    names owners over one of its own plan that names none (UNSTATED_OWNER); else 1."""
    if kind == "when":
        return [1 + DATED_BOOST if f & HAS_DEADLINES else 1.0 for f in corpus.flags[rows].tolist()]
    if kind == "who":
        plans, named = corpus.plan_ids[rows].tolist(), ((corpus.flags[rows] & HAS_OWNERS) > 0).tolist()
        naming = {p for p, n in zip(plans, named) if n}  # plans of which a candidate names owners
        return [1 / (1 + UNSTATED_OWNER) if not n and p in naming else 1.0 for p, n in zip(plans, named)]
    return [1.0] * len(rows)


def _rank(snap: Snapshot, topic: str, mask: np.ndarray, k: int, kind: str = "search",
          searched: tuple[list[Group], Terms] | None = None) -> tuple[Hits, list[str], Hits]:
    """The best k rows that cover the question's content well enough, its word terms, and
    the nearest rows that do not (to offer as "可能相关" when nothing does). `searched`:
    `_searched(snap, topic)`, when the caller ranks the same topic twice."""
    if not mask.any():
        return [], [], []
    groups, terms = searched or _searched(snap, topic)
    if not terms.words and not terms.grams:
        return [], [], []
    ranked = rank(snap.corpus, terms, mask, max(k, RELATED, CANDIDATES))
    holds = Holds(snap.corpus, ranked.rows)
    share = coverage(snap.corpus, groups, ranked.rows, holds)
    local = local_coverage(snap.corpus, groups, ranked.rows, holds)
    # ~10 candidates: the rest is on Python ints and floats (the same float arithmetic as on
    # arrays, without a numpy call per step).
    rows, fused = ranked.rows.tolist(), ranked.scores.tolist()
    prefer = _preference(snap.corpus, kind, rows)
    # Re-ranked by how much of the topic each candidate holds: of two items scoring alike, the
    # one that holds every word asked beats the one that repeats a few of them often; and the
    # same weighed within its plan, where the words naming the plan's subject say nothing.
    scores = [f * (1 - COVERAGE_SHARE + COVERAGE_SHARE * s) * (1 - LOCAL_SHARE + LOCAL_SHARE * x) * p
              for f, s, x, p in zip(fused, share, local, prefer)]
    order = sorted(range(len(rows)), key=lambda i: (-scores[i], rows[i]))  # best first, ties in row order
    rows, scores, share, fused = ([a[i] for i in order] for a in (rows, scores, share, fused))
    # Found when a candidate holding enough of the topic also scores near the best: one that
    # only holds the topic's common words, far down the ranking, is no answer.
    covered = [s >= FOUND_COVERAGE for s in share]
    floor = SCORE_FLOOR * (max(fused) if fused else 0)
    found = any(c and f >= floor for c, f in zip(covered, fused))
    hits = [(i, s) for i, s, c in zip(rows, scores, covered) if c][:k] if found else []
    if kind in ("who", "when") and hits:  # asked about one task: others are shown only if close
        hits = [(i, s) for i, s in hits if s >= SEE_ALSO * hits[0][1]]
    near = [] if found else [(i, s) for i, s, c in zip(rows, scores, share) if c >= RELATED_COVERAGE][:RELATED]
    return hits, list(terms.words), near
