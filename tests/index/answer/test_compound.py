"""Two or three tasks asked of in one message (index/answer/compound.py, ask._parted), on the
sample plans: each answered on its own, in the order asked."""

from __future__ import annotations

import datetime as dt

import jieba
import pytest

from planbot.index.answer.compound import counted, part_question, parts, within

TODAY = dt.date(2021, 6, 15)
FARMLAND, ROADS = "新建高标准农田2万亩", "新改建农村公路120公里"


@pytest.mark.parametrize("topic, expected", [
    ("干部培训和人才引进分别", ["干部培训", "人才引进"]),
    ("农房整治跟改厕都", ["农房整治", "改厕"]),
    ("党员教育、发展党员这两块", ["党员教育", "发展党员"]),
    ("农村饮水、农村公路、搬迁就业帮扶这三块各", ["农村饮水", "农村公路", "搬迁就业帮扶"]),
    ("高标准农田建设？和农村公路各自", ["高标准农田建设", "农村公路"]),
])
def test_a_topic_spread_over_its_parts_is_parted_at_its_conjunctions(topic, expected):
    assert parts(topic, jieba.lcut)[0] == expected


@pytest.mark.parametrize("topic", [
    "推进河长制和湖长制",  # nothing spreads it: one task
    "综保区设立和整合的审批验收要简化",
    "参与消费扶贫分别",  # 参与 holds 与, a word of its own
    "干部培训分别",  # no conjunction
    "一、二、三、四分别",  # more parts than a question asks of, and no content
])
def test_one_task_is_not_parted(topic):
    assert parts(topic, jieba.lcut) == ([], "")


def test_a_part_question_is_the_question_asked_of_that_part():
    topics, span = parts("干部培训和人才引进分别", jieba.lcut)
    assert [part_question("干部培训和人才引进分别谁负责", span, t) for t in topics] == ["干部培训谁负责", "人才引进谁负责"]
    assert part_question("这问题里没有它", span, "干部培训") == "干部培训"


def test_what_the_parts_are_within_is_read_off_the_first():
    assert within("消费扶贫里农产品标准化", jieba.lcut) == ("消费扶贫", "农产品标准化")
    assert within("农产品标准化", jieba.lcut) == ("", "农产品标准化")


def test_a_count_of_the_parts_is_read():
    assert counted("人居环境那两块") and counted("这三项")
    assert not counted("人居环境那几项")


def _items(answer) -> list[str]:
    return [c.text for c in answer.citations]


@pytest.mark.parametrize("question, order", [
    ("高标准农田和农村公路分别哪个局牵头", (FARMLAND, ROADS)),
    ("农村公路跟高标准农田各自哪个局牵头", (ROADS, FARMLAND)),
])
def test_two_tasks_asked_together_are_each_answered_in_the_order_asked(engine, question, order):
    a = engine.ask(question, today=TODAY)
    assert a.found and a.kind == "who"
    assert [next(i for i, t in enumerate(_items(a)) if q in t) for q in order] == [0, 1]
    assert "县农业农村局" in a.text and "县交通运输局" in a.text
    assert a.text.index(order[0][2:6]) < a.text.index(order[1][2:6])


def test_when_asked_of_two_tasks_each_gives_its_own_time(engine):
    a = engine.ask("高标准农田和农村公路分别啥时候完成", today=TODAY)
    assert a.found and a.kind == "when"
    assert "2021年10月底前" in a.text and "2021年10月31日前" in a.text


def test_one_task_named_with_and_is_answered_as_one(engine):
    a = engine.ask("网络舆情监测和处置分别谁负责", today=TODAY)
    assert a.found and len(a.citations) == 1 and "网络舆情监测和处置" in a.citations[0].text
    assert "问到" not in a.text


def test_a_part_no_plan_covers_is_said_so_beside_the_part_answered(engine):
    a = engine.ask("干部培训和公务员招考分别谁负责", today=TODAY)
    assert a.found
    assert "公务员招考" in a.text and "没有找到" in a.text
    assert all("公务员" not in t for t in _items(a))
    assert any("干部教育培训" in t for t in _items(a))


def test_tasks_no_plan_covers_are_not_found(engine):
    a = engine.ask("老旧小区改造和燃气安全排查这两块归谁管", today=TODAY)
    assert not a.found
