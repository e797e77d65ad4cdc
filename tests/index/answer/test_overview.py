"""Questions about a plan as a whole (index/answer/overview.py): how many items, which parts."""

from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2022, 6, 10)


def _plan(engine, word: str):
    return next(p for p in engine.plans() if word in p.title)


def test_how_many_items_a_named_plan_has_with_its_parts_cited(engine):
    plan = _plan(engine, "乡村振兴")
    answer = engine.ask("乡村振兴方案里有几项任务", today=TODAY)
    assert answer.kind == "overview" and answer.found
    assert f"《{plan.title}》共 {plan.items} 项" in answer.text
    assert answer.citations and all(c.plan_id == plan.id and c.kind == "section" for c in answer.citations)
    assert [c.label[0] for c in answer.citations] == list("一二三四五")[:len(answer.citations)]
    assert all(f"{c.label}{c.title}" in answer.text for c in answer.citations)


@pytest.mark.parametrize("question", ["乡村振兴方案一共几部分", "乡村振兴方案分几块", "乡村振兴方案总共有几大块",
                                      "乡村振兴方案共分几个部分"])
def test_the_parts_asked_as_a_phone_asks(engine, question):
    plan = _plan(engine, "乡村振兴")
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "overview" and answer.found, answer.text
    assert f"《{plan.title}》共 {plan.items} 项" in answer.text


def test_the_chosen_plan_needs_no_name(engine):
    plan = _plan(engine, "城关镇")
    answer = engine.ask("一共有多少条", plan=plan.id, today=TODAY)
    assert f"《{plan.title}》共 {plan.items} 项" in answer.text


def test_with_several_plans_and_none_named_each_count_is_listed(engine):
    answer = engine.ask("一共有多少条", today=TODAY)
    assert answer.kind == "overview" and not answer.citations
    assert all(f"《{p.title}》{p.items} 项" in answer.text for p in engine.plans())


@pytest.mark.parametrize("question, kind", [("本月有几项任务到期", "deadlines"), ("人才方面有哪些工作", "section"),
                                            ("组织办有哪些任务", "unit")])
def test_counting_words_in_other_questions_keep_their_kind(engine, question, kind):
    assert engine.ask(question, today=TODAY).kind == kind
