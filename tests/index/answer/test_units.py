"""A unit's task list: every item naming it, by role, however the question writes the unit."""

from __future__ import annotations

import datetime as dt

import pytest

from planbot.index.answer.units import core, matching_units
from planbot.index.models import Role

TODAY = dt.date(2021, 6, 15)


def test_a_unit_list_names_every_item_of_that_unit_by_role(engine):
    answer = engine.ask("县财政局负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert answer.citations and all(any(o.unit == "县财政局" for o in c.owners) for c in answer.citations)
    roles = [next(o.role for o in c.owners if o.unit == "县财政局") for c in answer.citations]
    order = [list(Role).index(r) for r in roles]
    assert order == sorted(order)  # lead first, then responsible, then cooperating
    every = [c for c in engine.ask("财政", top=20, today=TODAY).citations if any(o.unit == "县财政局" for o in c.owners)]
    assert {c.item_id for c in every} <= {c.item_id for c in answer.citations}
    assert answer.text.startswith("县财政局：")


@pytest.mark.parametrize("question", ["财政局有哪些事", "我们县财政局牵头的工作", "县财政局都管哪些事？"])
def test_the_unit_is_matched_however_it_is_written(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.kind == "unit" and answer.found
    assert "县财政局" in answer.text


def test_a_unit_no_plan_names_is_said_to_have_no_tasks(engine):
    answer = engine.ask("县气象局负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and not answer.found
    assert answer.text.startswith("计划中没有以“县气象局”为责任单位的任务")
    assert len(answer.citations) <= 2  # offered as possibly related, never as its tasks
    assert "可能相关" in answer.text or not answer.citations


def test_cadres_of_a_department_are_no_unit(engine):
    answer = engine.ask("组织部干部有哪些要求", today=TODAY)
    assert answer.kind != "unit"


def test_unit_names_without_their_level_and_abbreviated():
    names = {"县教育局": 1, "国家发展改革委": 2, "县人力资源和社会保障局": 3, "县委组织部": 4}
    assert core("县教育局") == "教育局" and core("中共县委组织部") == "组织部"
    assert matching_units("教育局", names) == [1]
    assert matching_units("发改委", names) == [2]
    assert matching_units("人社局", names) == [3]
    assert matching_units("组织部", names) == [4]
    assert matching_units("气象局", names) == []
