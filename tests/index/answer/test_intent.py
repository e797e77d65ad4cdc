"""What a question asks (index/answer/intent.py): its kind, and whether it follows up on the
last answer. Here: the shortcuts taken for speed answer as the full tests do."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planbot.index.answer import intent
from planbot.index.answer.intent import Query, classify, follow_up

TODAY = dt.date(2021, 6, 15)
FOLLOW_UPS = ["谁负责", "什么时候完成", "下一条", "上一条", "全文", "那这条谁牵头？", "这个什么时候截止的",
              "具体内容", "还有呢", "那配合单位有哪些", "deadline", "DEADLINE是哪天", "几号"]


def _questions() -> list[str]:
    here = Path(__file__).parents[1]
    rows = [line.split("\t")[0] for name in ("questions.tsv", "corpus_questions.tsv", "seed_paraphrases.tsv")
            for line in (here / name).read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return rows + FOLLOW_UPS


class _Every:
    def __contains__(self, ch) -> bool:
        return True


def test_a_question_with_a_character_no_follow_up_holds_is_none_as_the_full_test_says(engine, monkeypatch):
    cut = engine._snapshot().cut
    quick = [follow_up(q, cut) for q in _questions()]
    monkeypatch.setattr(intent, "_PHRASE_CHARS", _Every())  # no shortcut: every question cut and tested
    assert quick == [follow_up(q, cut) for q in _questions()]
    assert {"who", "when", "next", "previous", "full"} <= set(quick) and None in quick


def _must_hold(parsed, chars: frozenset[str]) -> bool:
    """Whether every string the parsed pattern matches holds one of `chars` (a sound, not a
    complete, test: what it cannot prove it says no to)."""
    from re import _constants as c  # the parser's opcodes (re's own, as sre_constants was)

    for op, arg in parsed:
        if op is c.LITERAL and chr(arg) in chars:
            return True
        if op is c.SUBPATTERN and _must_hold(arg[-1], chars):
            return True
        if op is c.BRANCH and all(_must_hold(branch, chars) for branch in arg[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1 and _must_hold(arg[2], chars):
            return True
        if op is c.IN and all(o is c.LITERAL and chr(a) in chars for o, a in arg):
            return True
    return False


def test_every_reading_of_a_units_list_holds_a_character_the_shortcut_looks_for():
    from re import _parser

    patterns = [*intent._UNIT_LIST, *intent._OWNER_LIST, *intent._UNIT_SOFT]
    assert len(patterns) == 22
    for p in patterns:
        assert _must_hold(_parser.parse(p.pattern, p.flags), intent.LIST_NEEDS), p.pattern
    assert not _must_hold(_parser.parse(r"^(?:那)?X(?:的)?呢?$"), intent.LIST_NEEDS)  # the proof can fail


class _Never:
    def isdisjoint(self, text) -> bool:
        return False


def test_a_question_the_units_list_shortcut_skips_is_no_units_list_as_the_patterns_say(monkeypatch):
    asked = _questions() + ["组织部负责哪些任务", "那县财政局呢", "纪委办的事", "张三牵头的有几项"]
    quick = [(intent.unit_asked(q), intent.unit_asked(q, intent._OWNER_LIST), intent.unit_asked(q, intent._UNIT_SOFT))
             for q in asked]
    monkeypatch.setattr(intent, "LIST_NEEDS", _Never())  # no shortcut: every pattern tried
    assert quick == [(intent.unit_asked(q), intent.unit_asked(q, intent._OWNER_LIST),
                      intent.unit_asked(q, intent._UNIT_SOFT)) for q in asked]
    assert {"组织部", "县财政局", "纪委", "张三"} <= {u for row in quick for u in row}


@pytest.mark.parametrize("asked, kind", [("这个月有哪些任务到期", "deadlines"), ("下个月要完成哪些", "deadlines"),
                                         ("这个月到期的任务谁负责", "who"), ("有哪些任务", "search"),
                                         ("6月底前干部培训", "search")])
def test_a_period_makes_a_deadlines_question_only_with_a_due_word_and_no_who(asked, kind):
    query = classify(asked, TODAY)
    assert query.kind == kind
    assert (query.period is not None) == (kind == "deadlines")


@pytest.mark.parametrize("asked, kind", [
    ("村里厕所改造今年要完成多少", "search"),  # how many households: the task's target
    ("高标准农田今年底前要完成多少亩", "search"),
    ("这个月要完成多少", "deadlines"), ("今年有多少任务到期", "deadlines"), ("本月要完成几项工作", "deadlines"),
    ("下个月有几件事要办", "deadlines"), ("今年要完成多少项任务", "deadlines"),
    ("城关镇的2022年要完成多少项", "deadlines"),  # a count of tasks, of a plan named
])
def test_a_count_of_something_a_task_reaches_is_no_list_of_what_is_due(asked, kind):
    query = classify(asked, TODAY)
    assert query.kind == kind
    assert (query.period is not None) == (kind == "deadlines")


def test_a_units_count_of_what_it_must_complete_in_a_period_is_its_list_then():
    query = classify("组织办今年要完成多少任务", TODAY)
    assert (query.kind, query.unit) == ("unit", "组织办") and query.period is not None


def test_a_task_target_asked_in_a_period_is_answered_from_the_task(engine):
    answer = engine.ask("村里厕所改造今年要完成多少", today=TODAY)
    assert answer.found and "厕所改造3000户" in answer.citations[0].text


@pytest.mark.parametrize(("asked", "topic"), [("星级评定分几个阶段", "星级评定"), ("整个评定分几步", "整个评定"),
                                              ("有哪些步骤", ""), ("评定工作一共分为哪几个环节", "评定工作")])
def test_a_question_for_stages_asks_for_the_stages_of_its_topic(asked, topic):
    query = classify(asked, dt.date(2024, 1, 1))
    assert (query.kind, query.topic) == ("stages", topic)


def test_a_stage_asked_about_is_no_stages_question():
    assert classify("自评申报阶段什么时候截止", dt.date(2024, 1, 1)).kind == "when"


@pytest.mark.parametrize(("asked", "kind", "topic"), [
    ("哪些工作还没有写明责任单位", "unowned", ""), ("城关镇清单有哪些没有写明责任单位", "unowned", "城关镇清单有"),
    ("哪几项没明确谁牵头", "unowned", ""), ("乡村振兴方案里哪几项没写时限", "undated", "乡村振兴方案里"),
    ("哪些任务没有完成时间", "undated", ""),
])
def test_a_question_for_what_the_plans_leave_unsaid(asked, kind, topic):
    query = classify(asked, dt.date(2024, 1, 1))
    assert (query.kind, query.topic) == (kind, topic)


@pytest.mark.parametrize("asked", ["没有责任单位的话谁来做", "发展党员谁负责", "哪些任务到期了"])
def test_questions_near_it_are_not_that(asked):
    assert classify(asked, dt.date(2024, 1, 1)).kind not in ("unowned", "undated")


@pytest.mark.parametrize(("asked", "kind"), [("哪位领导分管", "who"), ("农田这个月能弄完吗", "when"),
                                             ("村庄清洁年底前来得及吗", "when"), ("完成了哪些", "search")])
def test_everyday_who_and_when_wordings(asked, kind):
    assert classify(asked, dt.date(2021, 6, 1)).kind == kind


@pytest.mark.parametrize(("asked", "every"), [("每个月要做什么", "每月"), ("每星期有哪些固定任务", "每周"),
                                              ("支部每季度开什么会", "每季度"), ("每年要报送哪些材料", "每年")])
def test_what_is_done_every_period(asked, every):
    assert (classify(asked, dt.date(2024, 1, 1)).kind, classify(asked, dt.date(2024, 1, 1)).topic) == ("recurring", every)


@pytest.mark.parametrize("asked", ["每月第一个星期五干什么", "第二个月做什么"])
def test_the_first_friday_is_no_item_number(asked):
    assert classify(asked, dt.date(2024, 1, 1)).kind != "lookup"


@pytest.mark.parametrize(("asked", "kind"), [("最近有什么要交的", "deadlines"), ("马上到期的有哪些", "deadlines"),
                                             ("最近发展党员怎么安排", "search"), ("最近一周有哪些任务到期", "deadlines")])
def test_soon_is_a_period_only_with_a_due_word(asked, kind):
    assert classify(asked, dt.date(2022, 6, 1)).kind == kind


@pytest.mark.parametrize("asked", ["第四部分是什么", "第二部分说的什么"])
def test_a_part_asked_with_what_it_says_is_that_part(asked):
    query = classify(asked, dt.date(2024, 1, 1))
    assert query.kind == "section" and query.ref == ({"四": 4, "二": 2}[asked[1]],)


@pytest.mark.parametrize("asked", ["粮食储备够吃多久", "储备粮能维持多长时间", "库存要保持几个月"])
def test_how_long_something_lasts_is_no_when_question_but_a_count(asked):
    assert classify(asked, TODAY).kind == "search" and intent.asks_count(asked)
    assert classify("换届多久完成", TODAY).kind == "when"  # a time limit still is


@pytest.mark.parametrize("asked, picked", [
    ("第二个", (2, "full")), ("②", (2, "full")), ("第三条谁负责", (3, "who")), ("那第2个呢", (2, "full")),
    ("第四项什么时候完成", (4, "when")), ("㉑说的什么", (21, "full")), ("最后一个谁负责", (intent.LAST, "who")), ("第二个农田", None), ("第二部分", None), ("干部培训", None),
])
def test_the_nth_of_a_list_and_what_is_asked_of_it(engine, asked, picked):
    assert intent.ordinal_asked(asked, engine._snapshot().cut) == picked


@pytest.mark.parametrize("asked, named, doc, rest", [
    ("城关镇清单里干部培训谁负责", "城关镇清单", "清单", "干部培训谁负责"), ("防汛分工表最后一条", "防汛分工表", "分工表", "最后一条"),
    ("乡村振兴方案中的第3条", "乡村振兴方案", "方案", "第3条"), ("干部培训谁负责", "", "", "干部培训谁负责"),
    ("表彰谁负责", "", "", "表彰谁负责"), ("实施方案", "", "", "实施方案"),
])
def test_the_plan_a_question_starts_by_naming(asked, named, doc, rest):
    assert intent.plan_named(asked) == (named, doc, rest)


@pytest.mark.parametrize("asked", ["这个月有啥要弄完的", "下个月得搞完哪些", "今年该办完的有哪些"])
def test_what_is_due_asked_in_everyday_words(asked):
    query = classify(asked, TODAY)
    assert query.kind == "deadlines" and query.period is not None


@pytest.mark.parametrize("asked", ["换届几时完成", "村两委换届多会儿弄完"])
def test_when_asked_in_everyday_words(asked):
    assert classify(asked, TODAY).kind == "when"


@pytest.mark.parametrize("asked", ["这周有什么事", "下个月忙啥", "这个月要干啥", "本月有啥活"])
def test_a_period_asked_what_is_to_be_done_is_what_falls_due(asked):
    query = classify(asked, TODAY)
    assert query.kind == "deadlines" and query.period is not None and query.topic == ""


@pytest.mark.parametrize("asked, days", [("明天有啥要办的", 1), ("今天有什么事", 0), ("后天要交什么", 2),
                                         ("昨天到期的有哪些", -1), ("今日要完成哪些", 0)])
def test_a_day_named_from_today_is_that_day_of_what_falls_due(asked, days):
    query = classify(asked, TODAY)
    day = TODAY + dt.timedelta(days=days)
    assert query.kind == "deadlines" and query.period == (day, day) and query.topic == ""


def test_last_week_is_monday_to_sunday_before_this_week():
    start, end = classify("上周有哪些到期", TODAY).period
    assert start.weekday() == 0 and end - start == dt.timedelta(days=6)
    assert start <= TODAY - dt.timedelta(days=7) <= end


@pytest.mark.parametrize("said", ["谢谢", "谢谢！", "辛苦了", "收到", "好的👍", "嗯嗯", "OK"])
def test_thanks_and_got_it_are_no_question(said):
    assert intent.is_acknowledgement(said) and classify(said, TODAY) == Query("hint", "ack")


@pytest.mark.parametrize("asked", ["谢谢，干部培训谁负责", "感谢信怎么写", "好的，换届什么时候完成"])
def test_a_question_after_thanks_is_still_a_question(asked):
    assert classify(asked, TODAY).kind != "hint"


def test_a_topic_asked_what_is_to_be_done_in_a_period_is_a_search():
    assert classify("今年干部培训做什么", TODAY).kind == "search"


def test_a_who_question_naming_a_department_is_no_units_list():
    query = classify("两委换届是哪个部门牵头，什么时候完成", TODAY)
    assert query.kind == "who" and query.with_when


@pytest.mark.parametrize("asked, plan", [("城关镇的任务谁最多", "城关镇"), ("任务谁最多", ""),
                                         ("涉及哪些单位", ""), ("乡村振兴哪个部门活最多", "乡村振兴")])
def test_the_owners_asked_of_a_plan_named_by_its_words(asked, plan):
    query = classify(asked, TODAY)
    assert query.kind == "owners" and query.topic == plan


def test_the_units_of_a_task_are_a_who_question_not_the_owners():
    assert classify("职教部际联席会议都有哪些单位", TODAY).kind != "owners"


@pytest.mark.parametrize("asked, named", [
    ("人居环境那几项啥时候完成", True), ("班子和干部队伍那摊子事有哪些", True), ("人才方面今年有哪些工作", True),
    ("县里今年人才工作要抓哪几样", True), ("特色产业这块都是哪个局牵头", True), ("基层党建那一块今年有啥任务", True),
    ("农村公路什么时候修完", False), ("咱们一块儿去培训吗", False), ("第3条说的什么", False),
])
def test_a_question_naming_an_area_of_a_plan(asked, named):
    assert intent.names_area(asked) == named


@pytest.mark.parametrize("question, other", [("合作社有哪些扶持政策", True), ("博士工作站有啥要求", True),
                                             ("县政府负责哪些", False), ("县财政局有哪些任务", False),
                                             ("组织办都有啥活", False), ("县气象局有哪些呢", False)])
def test_what_a_unit_like_name_is_asked_for_other_than_tasks(question, other):
    from planbot.index.answer.intent import asks_other_than_tasks

    assert asks_other_than_tasks(question) is other
