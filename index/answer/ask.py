"""Question → cited answer, over one snapshot of the corpus.

`ask` decides what kind of question it is (intent.py) and answers it where that kind is
answered: a topic's rows (found.py: BM25 over the corpus, re-ranked, the found-gate), an item
by its number (lookup.py), what is due in a period (due.py), a list (lists.py: a section, a
plan's stages, a unit's tasks, what the plans leave unsaid), or a follow-up on the item last
answered (here). Each cites its rows (cite.py) and words the answer from the cited items alone
(phrasing.py). Nothing here writes or reads files: the engine hands over the corpus, the
tokenizer and the function that reads cited rows (snapshot.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from functools import cache, partial

import numpy as np

from ..limits import MAX_TOP
from ..models import Answer, Citation
from ..search.corpus import SECTION
from ..search.rank import Terms
from . import compound, phrasing
from .due import due, due_count, due_in
from .found import FOUND_COVERAGE, RELATED, RELATED_COVERAGE, Hits, rank_topic, topic_terms
from .intent import (LAST, Query, asked_of_item, asks_count, asks_other_than_tasks, asks_owners, beside_number,
                     classify, follow_up, names_area, names_unit, ordinal_asked, plan_named, roles_asked, within_named)
from .lists import (TAIL, headed_section, name_tail, named_section, owners, owns_tasks, recurring, section,
                    section_facts, stages, unit_tasks, units_tasks, unstated)
from .lookup import lookup
from .schedule import schedule_line
from .snapshot import Snapshot, Where, answer, mask, narrowed_to_named, not_found, visible
from .topic import Group, Holds, as_asked, coverage, held_together, local_coverage

RIVAL_SHARE = 0.9  # another plan's item scoring at least this share of the first's answers too
# …or this share, when both hold all of the question, in all and within their own plans: then
# only how often and how densely the two say its words tells them apart (高标准农田 twice in the
# 督查激励 notice's item, once in the county plan's task: 0.87 of its score).
RIVAL_ALIKE = 0.8
WHOLE = 1 - 1e-9  # a share of the topic that is all of it (sums of floats may miss 1 by a bit)
ABOUT_DUE = 100  # at most so many items due in a period are listed as about the topic asked of
# A period's topic names a plan (乡村振兴今年底前要完成哪些) only when the title holds two of its
# characters in a row: two apart (育, 业 of 培育龙头企业, in 职业教育) are a topic's own words.
TOPIC_RUN = 2
# Tasks asked of together are one when one item holds at least this share of each (推进河长制和
# 湖长制); the found-gate's share is too little: the 期货保税交割 item holds 综保区 and 保税 of
# 综保区汽车保税存储, and the two tasks are two items.
ONE_ITEM = 0.75
# …and are answered apart only when the parts' items hold, between them, at least this much more
# of the question than its best item alone: 综保区设立和整合的审批验收 or 自己备案、自己定核销周期
# is one task said in two words, and its item holds as much as any two items do.
SPLIT_GAIN = 0.1


def ask(snap: Snapshot, question: str, *, where: Where, top: int, today: dt.date,
        offset: int = 0, context: int | None = None, listed: Mapping[int, int] | None = None) -> Answer:
    """Answer a free-text question from the plans `where` says; `offset` skips that many
    results (for a "more" button). `context`: the item the conversation is about (the one the
    last answer cited first); a question with no topic of its own (谁负责, 什么时候, 下一条) is
    about it. `listed`: the items of the list answered last by the numbers shown (Answer.listed):
    第二个 / ② / 第三条谁负责 is about one of them."""
    if (followed := _followed(snap, question, where, context, listed)) is not None:
        return followed
    where, asked, rest = _in_named_plan(snap, question, where)
    if (last := ordinal_asked(rest, snap.cut)) and last[0] == LAST:  # 城关镇清单最后一条
        return _last_items(snap, question, where, context, last[1])
    query = classify(asked, today)
    if query.kind == "hint":
        return answer(question, "hint", phrasing.hint_text(query.topic), found=False)
    if query.kind == "heading":
        if (pasted := lookup(snap, question, query.ref, where, heading=query.heading)) is not None:
            return pasted
        query = classify(query.heading[1], today)  # no such heading: the words after the number ask
    if query.kind == "lookup":
        return _of_numbered(snap, question, _by_number(snap, question, query, where, context))
    if query.kind == "deadlines" and query.period:  # of the plan it names, if any: 乡村振兴今年底前要完成哪些
        named = narrowed_to_named(snap, query.topic, where, run=TOPIC_RUN)
        if named is where and query.topic:  # or of the topic it names: 今年干部培训的任务有哪些到期
            return _due_about(snap, question, query, where, today, top, offset)
        return due(snap, question, *query.period, where=named, today=today, offset=offset, named=named is not where)
    if query.kind == "section":
        return section(snap, question, query, where)
    if query.kind == "stages":
        return stages(snap, question, query.topic, where)
    if query.kind == "recurring":
        return recurring(snap, question, query.topic, where, offset)
    if query.kind == "owners":  # of the plan it names, if any: 城关镇的任务谁最多
        if query.topic and (named := narrowed_to_named(snap, query.topic, where)) is where:
            return _search(snap, question, Query("who", query.topic), where, top, offset)  # 环保哪个部门任务最多
        if query.topic:
            return owners(snap, question, named, named=True)
        return owners(snap, question, where, named=where.plan_id is not None)
    if query.kind in ("unowned", "undated"):
        return unstated(snap, question, query, where, offset)
    if query.kind == "unit":
        if within := within_named(asked, query.unit):  # 消费扶贫里头文旅部负责啥: that plan's, when a plan is so named
            where = narrowed_to_named(snap, within, where)
        listed = unit_tasks(snap, question, query.unit, where, top=MAX_TOP, offset=offset, role=query.role,
                            period=query.period, topic=query.narrow)
        if listed is not None:
            return listed
        if (several := _units_asked(snap, query.unit, where)) and (listed := units_tasks(
                snap, question, several, where, top=MAX_TOP, offset=offset, role=query.role,
                period=query.period, topic=query.narrow)) is not None:
            return listed
        # No plan names that unit as an owner: say so, never another unit's items as its tasks;
        # what a search finds is offered as possibly related. Unless the "unit" is a thing the
        # plans speak of (检测维修中心 they build, 合作社 they support: 综保区检测维修中心有啥政策,
        # 合作社有哪些扶持政策): a section headed by it is listed, or what a search finds answers
        # when a cited heading names it, or a cited item does and the question asks for other
        # than tasks (县政府负责哪些 is a unit's list, though items say 县委、县政府重大决策部署).
        # A name shorter than its tail (县政府, 党委) asked for its tasks is an owner's name alone.
        other = asks_other_than_tasks(question)
        thing = other or len(query.unit) >= TAIL
        if thing and not offset and (head := headed_section(snap, query.unit, where)) is not None:
            return section_facts(snap, question, head, "search")
        searched = _search(snap, question, Query("search", query.topic), where, top, offset)
        if thing and searched.found and _names(query.unit, searched.citations, texts=other):
            return searched
        near = searched.citations[:RELATED]
        named = where.names if where.plan_id is not None else ""
        shown = "”、“".join(several) if several else query.unit  # “消防大队”、“气象局”: each unit asked
        return answer(question, "unit", phrasing.no_unit_text(shown, near, named), near, found=False)
    if query.unit and (listed := unit_tasks(snap, question, query.unit, where, top=MAX_TOP, offset=offset,
                                              role=query.role, exact=not query.alone)) is not None:
        return listed  # a person or post some plan names as an owner (张三负责哪些任务), or a unit alone
    return _search(snap, question, query, where, top, offset)


def _units_asked(snap: Snapshot, asked: str, where: Where) -> list[str]:
    """The units a list asked of several names (组织办和宣传办): cut into names the plans own
    tasks under where it can be, else into names that read as units' (a part no plan names is
    said so beside the others); [] for one name."""
    owned = cache(lambda unit: names_unit(unit) and owns_tasks(snap, unit, where))  # a name meets many cuts
    return compound.unit_parts(asked, owned) or compound.unit_parts(asked, names_unit)


def _names(unit: str, citations: list[Citation], texts: bool) -> bool:
    """Whether a cited title, or a heading over it, names the "unit" (its name_tail); or, with
    `texts`, a cited item's text."""
    tail = name_tail(unit)
    return any(tail in c.title or any(tail in t for t in c.path_titles) or (texts and tail in c.text)
               for c in citations)


def _due_about(snap: Snapshot, question: str, query: Query, where: Where, today: dt.date, top: int,
               offset: int) -> Answer:
    """What falls due in a period about a topic: the items due then that a search for the
    topic finds among them (the found-gate decides, as for any search). When none due is about
    it, what the plans say of the topic (今年有哪些培训班: the 培训班 items, which may have no time
    limit at all), or that they do not cover it; every item due when the topic holds no word
    to search for."""
    groups, terms = searched = topic_terms(snap, query.topic)
    if not groups or not (terms.words or terms.grams):  # 咱们今年有哪些要完成: no topic
        return due(snap, question, *query.period, where=where, today=today, offset=offset)
    # One set for every page of the list (a page's "more" re-asks): the best ABOUT_DUE found.
    hits, _, _ = rank_topic(snap, query.topic, due_in(snap, *query.period, where), ABOUT_DUE, searched=searched)
    about = as_asked(query.topic, groups)  # 禁毒宣传 of 禁毒宣传有没有要交的, not 禁毒宣传 没
    if not hits:
        return _said_of(snap, question, query, where, today, top, offset, about)
    among = np.zeros(snap.corpus.size, dtype=bool)
    among[[row for row, _ in hits]] = True
    # As many found as looked for: there may be more about it, and the count says "at least".
    return due(snap, question, *query.period, where=where, today=today, offset=offset, about=about,
               among=among, at_least=len(hits) >= ABOUT_DUE)


def _said_of(snap: Snapshot, question: str, query: Query, where: Where, today: dt.date, top: int,
             offset: int, about: str) -> Answer:
    """A search for a topic none of whose items falls due in the period asked, headed by that;
    when the plans do not cover the topic, the search saying so (and offering the nearest items
    as 可能相关), then how many items fall due in the period all the same (今年招商引资有啥任务:
    listing them would answer a question not asked). `about`: the topic as the question words it."""
    topic = Query("search", query.topic)
    # Decided on the first page, so that every page of one question is the same kind of answer.
    first = _search(snap, query.topic, topic, where, top, 0)
    found = first if not offset else _search(snap, query.topic, topic, where, top, offset)
    if first.found:
        text = phrasing.none_due_about_text(*query.period, today, about) + found.text
    else:
        text = found.text + phrasing.all_due_text(*query.period, today, due_count(snap, *query.period, where, today))
    return found.model_copy(update={"question": question, "text": text})


def _by_number(snap: Snapshot, question: str, query: Query, where: Where, context: int | None) -> Answer:
    """The item a question names by its number: of the plan it names, else of the plan the
    conversation is about (if that plan has one), else of every plan in scope."""
    if (named := narrowed_to_named(snap, beside_number(question), where)) is not where:
        return lookup(snap, question, query.ref, named, label=query.label)  # 乡村振兴方案第3条
    if where.plan_id is None and context is not None and visible(snap, context, where):
        # 第3条呢 in a conversation about one plan: that plan's item 3, if it has one
        plan = int(snap.corpus.plan_ids[snap.corpus.row_of(context)])
        found = lookup(snap, question, query.ref, Where(plan_id=plan, names=where.names), label=query.label)
        if found is not None and found.found:
            return found
    return lookup(snap, question, query.ref, where, label=query.label)


def _of_numbered(snap: Snapshot, question: str, found: Answer) -> Answer:
    """What the question asks of the items it names by number: who does them (第3条谁负责) or
    by when, each said plainly when the item does not state it; else `found` as it is (their
    text). Several items numbered alike (one per plan) are each answered, under its plan."""
    kind, with_when = asked_of_item(question)
    cited = found.citations
    if not kind or not found.found or not cited or any(c.kind != "item" for c in cited):
        return found
    # Still a look-up (cited by number, not ranked: every item so numbered, whatever `top`).
    if len(cited) == 1 and kind == "when":  # a time limit from the plan's timetable, if it has none
        dated = about_item(snap, question, cited[0].item_id, "when")
        return dated.model_copy(update={"kind": "lookup"}) if dated is not None else found
    say = partial(phrasing.who_text, when=with_when, roles=roles_asked(question)) if kind == "who" else phrasing.when_text
    text = say(cited[0]) if len(cited) == 1 else phrasing.each_plan_text(cited, say)
    return answer(question, "lookup", text, cited)


def _followed(snap: Snapshot, question: str, where: Where, context: int | None,
              listed: Mapping[int, int] | None) -> Answer | None:
    """A follow-up's answer: on the n-th item of the list just answered (第二个谁负责), or on the
    item just answered (谁负责, 下一条); None when the question has a topic of its own."""
    picked = ordinal_asked(question, snap.cut)
    if listed and picked and (item := listed.get(max(listed) if picked[0] == LAST else picked[0])) is not None:
        if visible(snap, item, where) and (followed := about_item(snap, question, item, picked[1])):
            return followed
    if kind := follow_up(question, snap.cut):
        if context is None:  # 谁负责 / 下一条 alone, with no answer before it to be about
            return answer(question, "hint", phrasing.FOLLOW_UP_HINT, found=False)
        return about_item(snap, question, context, kind) if visible(snap, context, where) else None
    return None


def _in_named_plan(snap: Snapshot, question: str, where: Where) -> tuple[Where, str, str]:
    """(where, what to ask there, what follows the plan's name) for a question that starts by
    naming a plan (城关镇清单里干部培训谁负责: 干部培训谁负责 within that plan); else unchanged."""
    named, doc, rest = plan_named(question)
    if not named or (narrowed := narrowed_to_named(snap, named, where)) is where:
        return where, question, rest
    # …but a document the plan is not (消费扶贫台账, in a 指导意见) or one of the plan's own with
    # nothing asked after it (粮食应急的新闻发布预案谁来定) is the topic: kept in the question
    kept = doc not in narrowed.names or (follow_up(rest, snap.cut) is not None and not asks_owners(rest))
    return narrowed, question if kept else rest, rest


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
    say = {"who": partial(phrasing.who_text, roles=roles_asked(question)),
           "when": phrasing.when_text}.get(kind, phrasing.lookup_text)
    return answer(question, kind if kind in ("who", "when") else "lookup", say(cited), [cited])  # type: ignore[arg-type]


def _last_items(snap: Snapshot, question: str, where: Where, context: int | None, kind: str) -> Answer:
    """最后一条: the last item of the plan asked of (named, chosen, or the one the conversation is
    about), else of each plan."""
    c = snap.corpus
    rows = np.flatnonzero(mask(c, ("item",), where))
    if where.plan_id is None and context is not None and (row := c.row_of(context)) is not None \
            and visible(snap, context, where):
        start, end = c.plan_rows[int(c.plan_ids[row])]
        rows = rows[(rows >= start) & (rows < end)]
    plans = c.plan_ids[rows]
    last = rows[np.flatnonzero(np.r_[plans[1:] != plans[:-1], True])] if len(rows) else rows  # each plan's
    if len(last) == 1:
        return about_item(snap, question, int(c.ids[last[0]]), kind) or not_found(question, "lookup", where)
    if not len(last):
        return not_found(question, "lookup", where)
    cited = snap.cite(last[:MAX_TOP])
    return answer(question, "lookup", phrasing.last_items_text(cited), cited)


def _search(snap: Snapshot, question: str, query: Query, where: Where, top: int, offset: int) -> Answer:
    if not offset and (parted := _parted(snap, question, query, where, top)) is not None:
        return parted
    kinds = ("item", "closing") if query.kind in ("who", "when") else ("item", "preamble", "closing")
    prefer = "count" if query.kind == "search" and asks_count(question) else query.kind  # 有几个城市
    searched = topic_terms(snap, query.topic)  # once, for the ranking and for a heading it names
    ranked, terms, near = rank_topic(snap, query.topic, mask(snap.corpus, kinds, where), offset + top + 1, prefer,
                                     searched=searched)
    hits = ranked[offset:offset + top]
    citations = snap.cite([i for i, _ in hits], [s for _, s in hits], terms) if hits else []
    if not citations:
        near = near[:top] if not offset else []
        related = snap.cite([i for i, _ in near], [s for _, s in near], terms)
        return not_found(question, query.kind, where, as_asked(question, searched[0]), related)  # type: ignore[arg-type]
    if not offset and names_area(question) and (area := _area_section(snap, query, where, kinds, searched, ranked)) is not None:
        return section_facts(snap, question, area, query.kind, query.with_when)
    if not offset and (head := named_section(snap, hits[0][0], query.topic, searched[0])) is not None:
        return section_facts(snap, question, head, query.kind, query.with_when)
    if query.kind == "when" and not offset and (dated := _from_schedule(snap, question, citations[0], query.topic,
                                                                        top, citations, more=len(ranked) > top)):
        return dated
    say = {"who": partial(phrasing.who_text, when=query.with_when, terms=terms, roles=roles_asked(question)),
           "when": partial(phrasing.when_text, terms=terms),
           "count": partial(phrasing.count_text, terms=terms)}.get(prefer, partial(phrasing.search_text, terms=terms))
    text = say(citations[0])
    if (other := _rival(snap, citations, hits, searched[0])) is not None:
        text = phrasing.two_plans_text(citations[0], text, other, say(other))  # both already cited, best first
    return answer(question, query.kind, text, citations,  # type: ignore[arg-type]
                  more=len(ranked) > offset + top, offset=offset)


def _parted(snap: Snapshot, question: str, query: Query, where: Where, top: int) -> Answer | None:
    """Two or three tasks asked of at once (干部培训和人才引进分别谁负责, compound.py): each part
    answered on its own, one after the other, the first item of each cited first. None — the
    whole topic searched as asked — when the topic is one task: one item holds every part (推进
    河长制和湖长制), or the parts' items hold not much more of the question than its best item
    alone (SPLIT_GAIN); when a part is not found, or the parts' items hold too little of the
    question between them (the found-gate decides for the whole question: 老旧小区改造和燃气安全
    排查 is not 农村户厕改造 and 每月排查); or when every part's answer is the same item."""
    topics, span = compound.parts(query.topic, snap.cut)
    if not topics or names_area(question) and not compound.counted(question):
        return None  # 班子和干部队伍那摊子事: one area, named by two words (not 那两块: two)
    context, first = compound.within(topics[0], snap.cut)  # 消费扶贫里农产品标准化和区域品牌打造
    if context and (named := narrowed_to_named(snap, context, where, run=TOPIC_RUN)) is not where:
        where, topics = named, [first, *topics[1:]]
    kinds = ("item", "closing") if query.kind in ("who", "when") else ("item", "preamble", "closing")
    whole, _ = searched = topic_terms(snap, query.topic)
    best, _, _ = rank_topic(snap, query.topic, mask(snap.corpus, kinds, where), 1, query.kind, searched=searched)
    of = {t: topic_terms(snap, t)[0] for t in topics}  # each part's word groups, read once
    if best and all(_share(snap, of[t], best[0][0]) >= ONE_ITEM for t in topics):
        return None
    asked = [(compound.part_question(question, span, topic), replace(query, topic=topic, unit="")) for topic in topics]
    answers = _of_one_plan(snap, [of[t] for t in topics], asked, where, top)
    found = [a for a in answers if a.found and a.citations]
    rows = np.array([snap.corpus.row_of(a.citations[0].item_id) for a in found], dtype=np.int64)
    if len(found) < len(answers):  # a part no plan covers is said so, where the best item holds none of it
        if not (best and found) or any(_share(snap, of[t], best[0][0]) >= RELATED_COVERAGE
                                       for t, a in zip(topics, answers) if a not in found):
            return None  # 区内企业自己核报、自己补税: one task, of which the best item holds 补税
        need = FOUND_COVERAGE  # 干部培训和公务员招考: 干部培训's item, and no plan has 公务员招考
    else:
        need = max(FOUND_COVERAGE, _share(snap, whole, best[0][0]) + SPLIT_GAIN) if best else FOUND_COVERAGE
        if len(set(rows.tolist())) == 1:
            return None
        # Where the whole question finds nothing, each part's item must hold most of its part: one
        # holding a side word of it (改造 of 老旧小区改造, 排查 of 燃气安全排查) does not answer it.
        if not best and any(_share(snap, of[t], row) < ONE_ITEM for t, row in zip(topics, rows.tolist())):
            return None
    if held_together(snap.corpus, whole, rows) < need:
        return None
    cited = {a.citations[0].item_id: a.citations[0] for a in found}  # each part's first, in order
    for a in found:
        cited.update((c.item_id, c) for c in a.citations[1:] if c.item_id not in cited)
    labels = [as_asked(t, of[t]) for t in topics]  # 培训演练, not 培训演练是怎么安排的
    return answer(question, query.kind, phrasing.parts_text(labels, [a.text for a in answers]),
                  list(cited.values())[:max(top, len(topics))])


def _of_one_plan(snap: Snapshot, parts: list[list[Group]], asked: list[tuple[str, Query]], where: Where,
                 top: int) -> list[Answer]:
    """Each part's answer (`asked`: its question and query; `parts`: its word groups); from one plan when one plan answers
    every part found as well as any plan does (two tasks asked together are most often of one
    plan: 高标准农田 and 乡村旅游 of the county plan, not 高标准农田 of the 督查激励 notice)."""
    answers = [_search(snap, q, part, where, top, 0) for q, part in asked]
    plans = list(dict.fromkeys(a.citations[0].plan_id for a in answers if a.found and a.citations))
    for plan in plans if len(plans) > 1 else ():
        within = [_search(snap, q, part, replace(where, plan_id=plan), top, 0) if a.found else a
                  for (q, part), a in zip(asked, answers)]
        if all(not b.found or a.found and a.citations and _as_well(snap, g, a, b)
               for g, a, b in zip(parts, within, answers)):
            return within
    return answers


def _share(snap: Snapshot, groups: list[Group], row: int) -> float:
    """The share of a topic's weight (`groups`: its word groups) that `row` holds (topic.coverage)."""
    rows = np.array([row], dtype=np.int64)
    return coverage(snap.corpus, groups, rows, Holds(snap.corpus, rows))[0] if groups else 0.0


def _as_well(snap: Snapshot, groups: list[Group], within: Answer, anywhere: Answer) -> bool:
    """Whether a part's answer from one plan holds as much of it as its answer from any plan
    (高标准农田 in the county plan as in the 督查激励 notice; not 乡村旅游 for 镇里发展党员)."""
    a, b = within.citations[0].item_id, anywhere.citations[0].item_id
    return a == b or _share(snap, groups, snap.corpus.row_of(a)) >= _share(snap, groups, snap.corpus.row_of(b)) - 1e-9


AREA_SIBLINGS = 3  # of the best items, another under the first's section makes the area that section
AREA_SCORE = 0.8  # …when it scores at least this share of the first


def _area_section(snap: Snapshot, query: Query, where: Where, kinds: tuple[str, ...],
                  searched: tuple[list[Group], Terms], ranked: Hits) -> int | None:
    """The section a question naming an area (人居环境那几项, 特色产业这块) is about: the best row
    when sections of two items or more are ranked beside the items (as a search: a heading names
    no owner and states no time, and is not the less the area for it); or the section over the
    best item (`ranked`: the items found) when another of the best three lies under it too and
    its heading holds the topic. None when one task answers (农村公路那块: its item ranks first,
    alone)."""
    c = snap.corpus
    broad = c.broad_sections()
    among = mask(c, kinds, where) | (mask(c, ("section",), where) & broad)
    hits, _, _ = rank_topic(snap, query.topic, among, 1, searched=searched)
    if hits and c.kinds[hits[0][0]] == SECTION:
        return hits[0][0]
    if not ranked:
        return None
    first, best = ranked[0]
    others = [row for row, s in ranked[1:AREA_SIBLINGS] if s >= AREA_SCORE * best]
    heads = [h for h in reversed(c.heads(first)) if broad[h] and any(h < row < c.subtree_end(h) for row in others)]
    if not heads:
        return None
    # …and named by the question: its heading holds the topic (two tasks alike on their own
    # words are no area the question names).
    rows = np.array(heads)
    shares = coverage(c, list(searched[0]), rows, Holds(c, rows))
    return next((h for h, share in zip(heads, shares) if share >= FOUND_COVERAGE), None)


def _from_schedule(snap: Snapshot, question: str, item: Citation, topic: str, top: int,
                   citations: list[Citation] | None = None, *, more: bool = False) -> Answer | None:
    """A when-answer from the plan's timetable for an item that states no date (answer.schedule):
    the timetable line cited first, the item and the rest after; None when the item has a date or
    no timetable line covers `topic`."""
    if item.deadlines:
        return None
    line = schedule_line(snap, item, topic, lambda t, mask, k: rank_topic(snap, t, mask, k)[:2])
    if line is None:
        return None
    rest = [c for c in (citations or [item]) if c.item_id != line.item_id]
    return answer(question, "when", phrasing.schedule_text(line, item), [line, *rest][:top], more=more)


def _rival(snap: Snapshot, citations: list[Citation], hits: Hits, groups: list[Group]) -> Citation | None:
    """An item of another plan that answers about as well as the first: both are cited and the
    answer says so, rather than silently picking one plan. `hits`: the cited rows and scores."""
    first = citations[0]
    row_of = {int(snap.corpus.ids[row]): row for row, _ in hits}
    for c in citations[1:]:
        if c.plan_id == first.plan_id or c.score < RIVAL_ALIKE * first.score:
            continue
        if c.score >= RIVAL_SHARE * first.score or _held_alike(snap, groups, row_of[first.item_id], row_of[c.item_id]):
            return c
    return None


def _held_alike(snap: Snapshot, groups: list[Group], first: int, other: int) -> bool:
    """Whether rows `first` and `other` both hold all of the topic, of all its weight and of its
    weight within their own plans."""
    rows = np.array([first, other], dtype=np.int64)
    holds = Holds(snap.corpus, rows)
    held = coverage(snap.corpus, groups, rows, holds) + local_coverage(snap.corpus, groups, rows, holds)
    return min(held) >= WHOLE
