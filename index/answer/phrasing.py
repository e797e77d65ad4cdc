"""The sentence of an answer, built only from the cited items' own fields and text."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..lazy_re import lazy
from ..models import ROLE_NAMES_ZH, Citation, DueSpan, Owner, Role
from ..periods import OVERDUE_FROM, is_overdue_span
from ..text import sentences
from .cite import own as where
from .cite import MAX_RECORDS, count_sentence, heading, repeats_title

_GROUP = lazy(r"[（(][^（()）]*[）)]")  # a bracket, as owner brackets are written (no nesting)
_CLAUSE = lazy(r"[，,；;]")

HINT = (
    "请直接提问，例如：“干部培训谁负责？”“这个月有哪些任务到期？”“第3条说的什么？”"
    "“人才方面有哪些工作？”"
)


def hint_text(said: str = "") -> str:
    """What is said to a message that asks nothing: to thanks or a plain 收到 ("ack", where the
    bot only nods and the chat says nothing), a word back; to anything else, how to ask."""
    if said == "ack":
        return "好的。还有问题随时问我，例如：“这个月有哪些任务到期？”"
    return HINT


NO_COUNT = "该条未写明具体数字。"

FOLLOW_UP_HINT = (
    "先问一个具体的问题，例如“干部培训谁负责？”，再接着问“什么时候完成”“下一条”；在群里请回复那条回答再问。"
)


def _of_sentence(c: Citation, facts: list) -> list:
    """The facts (owners or deadlines) of the sentence the answer quotes, when the item ties
    its facts to sentences and that one has its own; else all of them. Facts of the whole item
    (sentence None) always hold. Owners: see `_owners_of`."""
    if not facts:  # none to choose from (the text is not split for nothing)
        return facts
    parts = sentences(c.text)
    index = parts.index(c.sentence) if c.sentence in parts else None
    if index is None:
        return facts
    if index and _GROUP.fullmatch(parts[index].rstrip("。；;")):
        index -= 1  # a bracket alone closes the sentence before it
    whole = [f for f in facts if f.sentence is None]
    mine = [f for f in facts if f.sentence is not None and f.sentence == index]
    if mine or not facts or not isinstance(facts[0], Owner):
        return mine + whole if mine else facts
    return _owners_of(parts, facts, index, whole) or facts


def _owners_of(parts: list[str], owners: list[Owner], index: int, whole: list[Owner]) -> list[Owner]:
    """The owners of sentence `index`, which names none, as the plan wrote them
    (index.ingest.owners): those of the first owner bracket after it, which closes the run of
    sentences it ends (02: "…减少资源浪费。…全面应用。（国家发展改革委、商务部…指导）"), else
    those named in prose before it, whose subject carries on (07: "X负责…；做好…；完善…");
    [] when neither says."""
    def of(k: int) -> list[Owner]:
        return [o for o in owners if o.sentence == k]

    closing = next((k for k in range(index, len(parts)) if _closes(parts, k, owners)), None)
    if closing is not None:
        return of(closing) + whole
    earlier = [k for k in range(index) if of(k)]
    if not earlier or _closes(parts, earlier[-1], owners):  # a bracket's owners stop at it
        return []
    return of(earlier[-1]) + whole


def _closes(parts: list[str], k: int, owners: list[Owner]) -> bool:
    """Whether an owner bracket closes sentence `k`: a bracket naming an owner at its end, or at
    the start of the next sentence (a bracket written after 。 starts the next one)."""
    brackets = [m.group() for m in _GROUP.finditer(parts[k])
                if m.start() and not parts[k][m.end():].strip("。；;，, ")]
    if k + 1 < len(parts) and (m := _GROUP.match(parts[k + 1])):
        brackets.append(m.group())
    return any(o.unit in b for b in brackets for o in owners)


def who_text(c: Citation, when: bool = False, terms: Sequence[str] = (), roles: Collection[Role] = ()) -> str:
    """Who does it, by role; `when`: and by when (谁牵头，啥时候完成), each said plainly when the
    item does not state it; `roles`: the roles the question names (intent.roles_asked), of which
    a cooperating unit the item does not name is said plainly too."""
    owners = _of_sentence(c, c.owners)
    said = f"「{where(c)}」{_roles(owners)}。" if owners else f"「{where(c)}」该条未写明责任单位。"
    if owners and Role.cooperating in roles and _no_cooperating(owners):
        said += "该条未写明配合单位。"
    return said + f"{_limits(c, terms) or _no_limit(c)}。" if when else said


def _no_cooperating(owners: list[Owner]) -> bool:
    """Whether an item names no unit that works with another: it names one role only (牵头 alone,
    责任 alone). Beside a 牵头 unit its 责任 units are those that work with it (牵头：县乡村振兴局；
    责任：各乡镇人民政府), so 谁配合 is answered by them without a word of what is not stated."""
    named = {o.role for o in owners}
    return Role.cooperating not in named and len(named) == 1


def _of_clause(c: Citation, facts: list, terms: Sequence[str]) -> list:
    """Of several facts of the quoted sentence, those written in its clause that holds most of
    the question's words: 党小组会多久开 of "支部党员大会每季度召开1次，支委会每月召开1次，党小组会每月
    召开1次，书记每年讲党课不少于1次。" is 每月, not 每季度、每月、每年. All of them when no clause
    holds one, or the clause holds none of them."""
    if len(facts) < 2 or not terms or not c.sentence:
        return facts
    clauses = _CLAUSE.split(c.sentence)
    held = [sum(len(t) for t in set(terms) if t and t in clause) for clause in clauses]
    if not max(held):
        return facts
    best = clauses[held.index(max(held))]
    return [f for f in facts if f.phrase in best] or facts


def _roles(owners: list[Owner]) -> str:
    """"牵头：X；责任：Y、Z（按文件总体规定）"."""
    parts = []
    for role in Role:
        units = [o.unit + ("（按文件总体规定）" if o.rule else "") for o in owners if o.role == role]
        if units:
            parts.append(f"{ROLE_NAMES_ZH[role]}：{'、'.join(units)}")
    return "；".join(parts)


def when_text(c: Citation, terms: Sequence[str] = ()) -> str:
    """`terms`: the question's words, which pick the clause when the quoted sentence holds
    several time limits (`_of_clause`)."""
    return f"「{where(c)}」{_limits(c, terms) or '该条' + _no_limit(c)}。"


# A start the quoted sentence states (从2019年起, 2020年开始): no time limit (ingest/deadlines.py),
# but what a when-question about it wants to hear (国家资历框架试点哪年开始弄), as the plan dates it.
_START = lazy(r"(?:从|自)?((?:19|20)[0-9]{2}年(?:[0-9]{1,2}月)?(?:[0-9]{1,2}日)?)(?:起|开始)")


def _no_limit(c: Citation) -> str:
    """未写明完成时限, and the start the quoted sentence states, if it states one."""
    start = _START.search(c.sentence or c.text)
    return f"未写明完成时限，开始时间：从{start.group(1)}起" if start else "未写明完成时限"


def _limits(c: Citation, terms: Sequence[str]) -> str:
    """"完成时限：X、Y" for the limits of the quoted sentence (of its clause asked about), or "";
    after what the sentence itself says of how often or how soon (`_stated`)."""
    deadlines = _of_clause(c, _of_sentence(c, c.deadlines), terms)
    limits = f"完成时限：{'、'.join(d.phrase for d in deadlines)}" if deadlines else ""
    stated = _stated(c, terms)
    return f"文中写明：{stated}；{limits or '该条' + _no_limit(c)}" if stated else limits


def _stated(c: Citation, terms: Sequence[str]) -> str:
    """The clause of the quoted sentence that states how often or how soon (班子成员每半年向党委报告
    一次, 重大舆情2小时内报告) when the item's time limit is another (a 完成时间 field: 2022年6月底前,
    常态化): what 多久报告一次 / 多长时间内报告 asks, which the field does not say. Read by the same
    rules as time limits (ingest/deadlines.py); "" when the sentence states none the limits lack."""
    if not c.sentence:
        return ""
    said = [d.phrase for d in c.deadlines]
    new = [p for p in _how_often(c.sentence) if not any(p in q or q in p for q in said)]
    clauses = [k.strip(" 。") for k in _CLAUSE.split(c.sentence) if any(p in k for p in new)]
    if not clauses:
        return ""
    held = [sum(len(t) for t in set(terms) if t and t in k) for k in clauses]
    return clauses[held.index(max(held))]


@lru_cache(maxsize=MAX_RECORDS)
def _how_often(sentence: str) -> tuple[str, ...]:
    """The phrases of a plan's sentence that say how often or how soon (每半年, 2小时内), read by
    the time-limit rules: kept per sentence, as the sentence's item is (cite.records), since the
    same items are cited again and reading them is most of a when-answer's wording."""
    from ..ingest.deadlines import extract_deadlines  # here: the ingest rules load only for a when-answer

    return tuple(d.phrase for d in extract_deadlines(sentence) if d.recurring or d.relative)


def section_facts_text(section: Citation | None, items: list[Citation], say) -> str:
    """「三 › （一）改善农村人居环境」共2项：「8．…」牵头：…。「9．…」牵头：…。 — `say` (who_text or
    when_text) of each item under the section, in order."""
    head = f"「{heading(section)}」共{len(items)}项：" if section else ""
    return head + "".join(say(c) for c in items)


def schedule_text(line: Citation, item: Citation) -> str:
    """A when-answer from the plan's timetable (answer.schedule): the line's limit, said to come
    from the timetable, and that the item found first states none of its own."""
    return (f"按计划的时间安排，{when_text(line)}"
            f"（「{where(item)}」本身未写明完成时限。）")


def lookup_text(c: Citation) -> str:
    """An item asked for by its number: its name, its sentence where that says more than the
    title, and its owners and limits as far as it states them."""
    if c.kind == "section":
        return f"{c.label}{c.title}"
    said = c.sentence or c.title
    text = where(c) if repeats_title(said, c.title) else f"{where(c)}：{said}"
    return text + _facts(c, ()) + ("" if text.endswith("。") else "。")


def last_items_text(cited: list[Citation]) -> str:
    """最后一条 asked of no one plan: each plan's last item, named."""
    return "各份计划的最后一条：" + "；".join(f"《{c.plan}》「{where(c)}」" for c in cited) + "。"


def section_text(section: Citation | None, children: list[Citation], topic: str = "") -> str:
    head = where(section) if section else f"与“{topic}”相关的"  # 三、人才工作 / 1.2 等级划分
    listed = "；".join(where(c) for c in children)
    return f"{head}共{len(children)}项：{listed}。"


def deadlines_text(due: DueSpan, total: int, offset: int, shown: int, searched: str = "", *,
                   named: bool = False, about: str = "", at_least: bool = False) -> str:
    """The headline of a deadlines list (the items themselves are the citations): how many,
    how many of them are past their time limit by today, which page; with nothing due, where
    the nearest deadlines fall. `named`: the question named the plan `searched`, which heads
    the headline. `about`: the topic the items listed are about; `at_least`: the count is a
    floor (至少)."""
    span = _span(due.start, due.end)
    plan = searched if named else ""
    if plan:  # 《乡村振兴…方案》2021年有13项任务到期
        span, searched = f"{plan}{span}", ""
    kind = f"与“{about}”相关的任务" if about else "任务"
    floor = "至少" if at_least else ""
    if is_overdue_span(due.start, due.end, due.today):  # 逾期
        late = f"与“{about}”相关的已过时限的任务" if about else "已过时限的任务"
        if not total:
            return f"截至{_d(due.end)}，{plan}没有{late}。" if plan else f"截至{_d(due.end)}没有{late}。"
        return f"截至{_d(due.end)}，{plan}{late}{floor}有{total}项{_page(offset, shown, total)}。"
    if not total:
        looked = f"（查了{searched}）" if searched else ""
        return f"{span}没有到期的{kind}{looked}。" + nearest_deadlines_text(due)
    text = f"{span}{floor}有{total}项{kind}到期"
    if due.overdue == total:
        text += "，截至今天均已过时限"
    elif due.overdue:
        text += f"：{due.overdue}项已过时限，{total - due.overdue}项尚未到期"
    return text + _page(offset, shown, total) + "。"


def none_due_about_text(start: dt.date, end: dt.date, today: dt.date, about: str) -> str:
    """The head of what the plans say of a topic none of whose items falls due in a period
    (今年有哪些培训班: 2021年没有与“培训班”相关的到期任务。最相关的是…)."""
    if is_overdue_span(start, end, today):
        return f"截至{_d(end)}没有与“{about}”相关的已过时限的任务。"
    return f"{_span(start, end)}没有与“{about}”相关的到期任务。"


def all_due_text(start: dt.date, end: dt.date, today: dt.date, total: int) -> str:
    """After a topic no plan covers, asked of a period (今年招商引资有啥任务): how many items fall
    due in the period all the same, and how to list them; "" when none does."""
    if not total:
        return ""
    if is_overdue_span(start, end, today):
        return f"截至{_d(end)}共有{total}项任务已过时限，问“哪些任务逾期了”可以列出。"
    span = _span(start, end)
    said = f"{span}共有{total}项任务到期"
    # Only a year or a month is a period the asker can name back as written (2021年, 2021年6月).
    nameable = span in (f"{start.year}年", f"{start.year}年{start.month}月")
    return f"{said}，问“{span}有哪些任务到期”可以列出。" if nameable else f"{said}。"


def _page(offset: int, shown: int, total: int) -> str:
    """"（本页第21–22项）" when a list is shown a page at a time, else ""."""
    return f"（本页第{offset + 1}–{offset + shown}项）" if offset or shown < total else ""


@dataclass(frozen=True)
class Narrowed:
    """A unit's list asked for one role (牵头 / 配合), a period or a topic (as asked); `found`:
    it holds items."""

    role: str
    period: tuple[dt.date, dt.date] | None
    found: bool
    topic: str = ""

    def __str__(self) -> str:  # 牵头、2026年到期
        when = ""
        if self.period:
            start, end = self.period
            when = "已过时限" if start == OVERDUE_FROM else f"{_span(start, end)}到期"
        return "、".join(p for p in (ROLE_NAMES_ZH[Role(self.role)] if self.role else "", when) if p)


def unit_text(units: list[str], counts: list[int], cited: list[tuple[Citation, int]], offset: int = 0,
              *, narrowed: Narrowed | None = None, all_counts: list[int] | None = None) -> str:
    """"县财政局：牵头 2 项，责任 5 项，配合 1 项。牵头：…；责任：…": the unit's items by role,
    each with its deadlines. `counts` are per role code (lead, responsible, cooperating) of
    the items listed; `all_counts` of all the unit's items, when `narrowed` listed fewer (or,
    finding none of that role or period, says so and lists them all)."""
    roles = list(Role)
    parts = []
    for code, role in enumerate(roles):
        mine = [c for c, r in cited if r == code]
        if mine:
            listed = "；".join(where(c) + _limits_after(where(c), c) for c in mine)
            parts.append(f"{ROLE_NAMES_ZH[role]}：{listed}")
    name = "、".join(units)
    if offset:
        head = f"{name}（续，第 {offset + 1} 项起）："
    elif narrowed and narrowed.topic:  # 组织办的任务中，与「党员」有关的有 3 项
        whole = f"（全部任务：{_role_counts(all_counts)}）" if narrowed.found and all_counts else ""
        on = f"与「{narrowed.topic}」有关的"
        head = f"{name}{narrowed}的任务中，{on}有 {sum(counts)} 项{whole}。" if narrowed.found \
            else f"{name}{narrowed}的任务中没有{on}。全部任务：{_role_counts(counts)}。"
    elif narrowed and narrowed.found:
        whole = f"（全部任务：{_role_counts(all_counts)}）" if all_counts and all_counts != counts else ""
        head = f"{name}{narrowed}的有 {sum(counts)} 项{whole}。"
    elif narrowed:
        head = f"{name}没有{narrowed}的任务。全部任务：{_role_counts(counts)}。"
    else:
        head = f"{name}：{_role_counts(counts)}。"
    return head + "\n" + "\n".join(parts)


def units_text(asked: int, texts: Sequence[str], offset: int = 0) -> str:
    """Two or three units' lists in one answer: each unit's list (`unit_text`, which names the
    unit) on its own lines, in the order asked; a later page says that it goes on."""
    head = f"问到{asked}个单位（续，第 {offset + 1} 项起）：" if offset else f"问到{asked}个单位，分别是："
    return head + "".join(f"\n{text}" for text in texts)


OWNERS_SHOWN = 20  # units named in a 哪个单位任务最多 answer; the rest counted


def owners_text(counted: list[tuple[str, list[int]]], plan: str = "") -> str:
    """"写明的责任单位共 12 个，任务从多到少：县农业农村局 4 项（牵头 3 项，责任 1 项）；…": the
    units by how many items name them, the first one's items cited below; `plan`: the one
    plan asked of (《…》), which heads it."""
    shown = "；".join(f"{name} {sum(k)} 项（{_role_counts(k)}）" for name, k in counted[:OWNERS_SHOWN])
    more = f"；另有 {len(counted) - OWNERS_SHOWN} 个" if len(counted) > OWNERS_SHOWN else ""
    return f"{plan}写明的责任单位共 {len(counted)} 个，任务从多到少：{shown}{more}。下面是{counted[0][0]}的任务。"


def no_owners_text(searched: str) -> str:
    return f"{searched or '计划'}中没有写明责任单位的任务。"


def _role_counts(counts: list[int]) -> str:
    roles = list(Role)
    return "，".join(f"{ROLE_NAMES_ZH[roles[code]]} {n} 项" for code, n in enumerate(counts) if n)


def _limits_after(named: str, c: Citation) -> str:
    """"（2021年4月底前）" after an item named in a list; not a limit its title says already
    (（三）考核评定阶段（2024年5月至6月）)."""
    phrases = [d.phrase for d in c.deadlines if d.phrase not in named]
    return f"（{'、'.join(phrases)}）" if phrases else ""


def nearest_deadlines_text(due: DueSpan) -> str:
    """Where the deadlines nearest an empty period fall, so a miss still helps."""
    parts = []
    if due.next:
        parts.append(f"之后最近的到期日是{_d(due.next.date)}（{due.next.items}项）")
    if due.last:
        parts.append(f"之前最近的是{_d(due.last.date)}（{due.last.items}项）")
    if not parts:
        return "计划中没有写明具体日期的时限。"
    month = (due.next or due.last).date
    return "；".join(parts) + f"。问“{month.year}年{month.month}月有哪些任务到期”可以列出那个月的。"


def search_text(c: Citation, terms: Sequence[str] = ()) -> str:
    """The best item's sentence, and who does it by when as far as the item says: a question
    worded as neither who nor when ("找人社部还是财政部") still gets them; of several limits,
    those of the clause the question is about (党课一年讲几次: 每年)."""
    return f"最相关的是「{where(c)}」：{c.sentence or c.title}" + _facts(c, terms)


def count_text(c: Citation, terms: Sequence[str] = ()) -> str:
    """A how-many answer (改厕要改多少户): the item's sentence that states a count, not the one
    holding most of the question's words; where the item states none, it says so, so that its
    other sentence does not pass for the number asked."""
    said = count_sentence(c.text, terms)
    if said is None:
        return search_text(c, terms) + NO_COUNT
    return search_text(c.model_copy(update={"sentence": said}), terms)  # its facts: that sentence's


def _facts(c: Citation, terms: Sequence[str]) -> str:
    """"（牵头：X；完成时限：Y）" after a quoted sentence: its owners and limits, as far as the
    item states them; "" when it states neither."""
    owners, limits = _of_sentence(c, c.owners), _limits(c, terms)
    facts = ([_roles(owners)] if owners else []) + ([limits] if limits else [])
    return f"（{'；'.join(facts)}）" if facts else ""


def each_plan_text(cited: Sequence[Citation], say) -> str:
    """Items numbered alike (第3条 of each plan), each answered by `say` under its plan's title."""
    return f"有{len(cited)}条编号相同：" + "".join(f"《{c.plan}》{say(c)}" for c in cited)


def parts_text(topics: Sequence[str], texts: Sequence[str]) -> str:
    """Two or three tasks asked of at once: each part's answer under its words."""
    return f"问到{len(topics)}项，分别是：" + "".join(f"【{t}】{text}" for t, text in zip(topics, texts))


def two_plans_text(first: Citation, first_text: str, other: Citation, other_text: str) -> str:
    """Two plans answer about equally well: both, each under its plan's title."""
    return f"两份计划都有相关内容：《{first.plan}》{first_text}《{other.plan}》{other_text}"


def recurring_text(every: str, starts: tuple[str, ...], cited: list[Citation], total: int, offset: int,
                   searched: str) -> str:
    """"每月要做的有3项：「1. …」（每月）；…": each item with the limits that recur so."""
    if not total:
        return f"{searched}中没有写明{every}要做的任务。"
    listed = "；".join(f"「{where(c)}」（{'、'.join(d.phrase for d in c.deadlines if d.recurring and d.phrase.startswith(starts))}）"
                      for c in cited)
    return f"{every}要做的有{total}项{_page(offset, len(cited), total)}：{listed}。"


def unstated_text(owners: bool, total: int, offset: int, shown: int, searched: str) -> str:
    """How many items name no owner (`owners`) or state no time limit, and which page."""
    what = "责任单位" if owners else "完成时限"
    if not total:
        return f"{searched}的每一项都写明了{what}。"
    return f"{searched}中未写明{what}的有{total}项{_page(offset, shown, total)}。"


def no_stages_text(searched: str, among: bool = False) -> str:
    """Stages asked for (分几个阶段) where no plan searched has a 实施步骤 section: 《X》 named,
    or `among` the plans searched (全部 3 份计划)."""
    where_ = f"{searched}中都" if among else searched
    return f"{where_}没有分阶段的实施步骤。可以问某项任务什么时候完成，或看看计划分几部分。"


def no_unit_text(unit: str, related: list[Citation], searched: str = "", *, tip: bool = True) -> str:
    """A unit's task list asked for a unit no plan names as an owner (of `searched`, the plan
    asked of: 《title》, where the question named one); `tip`: with what to try instead."""
    text = f"{searched or '计划'}中没有以“{unit}”为责任单位的任务。"
    if related:
        return text + "可能相关：" + "；".join(f"「{where(c)}」" for c in related) + "。"
    return text + "可以换个写法（如写全单位名称），或先看看收录了哪些计划。" if tip else text


def not_found_text(question: str, related: list[Citation] | None = None, searched: str = "") -> str:
    """A miss, said plainly, naming the plans searched (《title》 or 全部 N 份计划); the nearest
    items offered as possibly related, never as the answer."""
    shown = question if len(question) <= 30 else question[:30] + "…"
    text = f"{'在' + searched if searched else '计划'}中没有找到与“{shown}”相关的内容。"
    if related:
        return text + "可能相关：" + "；".join(f"「{where(c)}」" for c in related) + "。"
    return text + "可以换个说法，或先看看收录了哪些计划。"


def _span(start: dt.date, end: dt.date) -> str:
    # monthrange, not end + 1 day: that overflows on 9999-12-31 (`--within 99999999`).
    last_day = calendar.monthrange(end.year, end.month)[1]
    if start == end:
        return _d(start)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return f"{start.year}年"
    if start.day == 1 and end.day == last_day and (start.year, start.month) == (end.year, end.month):
        return f"{start.year}年{start.month}月"
    return f"{_d(start)}至{_d(end)}"


def _d(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"



OVERDUE, COMING = "已过时限", "尚未到期"


def due_groups(answer) -> list[tuple[str, list[Citation]]]:
    """A deadlines answer's citations (one page) as (heading, items): those past their time
    limit (listed first) under 已过时限, the rest under 尚未到期, when the whole list holds both;
    else one group without a heading."""
    due, cited = answer.due, answer.citations
    if due is None or not 0 < due.overdue < (answer.total or 0):
        return [("", cited)] if cited else []
    past = max(0, min(due.overdue - answer.offset, len(cited)))
    return [(h, part) for h, part in ((OVERDUE, cited[:past]), (COMING, cited[past:])) if part]
