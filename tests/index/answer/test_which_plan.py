"""answer/which_plan.py: which plan a question names by its title's characters."""

from __future__ import annotations

import pytest

from planbot.index.answer import which_plan
from planbot.index.answer.which_plan import named_plan
from planbot.index.models import PlanInfo

TITLES = ["2020年全县组织工作要点", "关于开展2024年基层党组织星级评定工作的实施方案", "2021年全县乡村振兴重点任务分工方案",
          "城关镇2022年党建工作任务清单"]
PLANS = [PlanInfo(id=n, title=t, source=f"{n}.txt", items=10, with_owners=0, with_deadlines=0, indexed_at="")
         for n, t in enumerate(TITLES)]


@pytest.mark.parametrize(("question", "title"), [
    ("组织工作要点哪些任务没有明确谁负责", "2020年全县组织工作要点"),  # 组 and 织 are in 党组织 too: the longer run decides
    ("星级评定分几个阶段", "关于开展2024年基层党组织星级评定工作的实施方案"),
    ("乡村振兴方案有几项任务", "2021年全县乡村振兴重点任务分工方案"),
    ("城关镇清单有", "城关镇2022年党建工作任务清单"),
])
def test_the_plan_a_question_names(question, title):
    named = named_plan(question, PLANS)
    assert named is not None and named.title == title


@pytest.mark.parametrize("question", ["干部培训谁负责", "有哪些任务", "工作方案"])
def test_a_question_naming_no_plan_names_none(question):
    assert named_plan(question, PLANS) is None


def test_between_titles_sharing_as_many_words_the_kind_of_document_decides():
    titles = ["2023年城关镇防汛工作任务分工表", "城关镇2022年党建工作任务清单", "2023年城关镇农村人居环境整治工作方案"]
    plans = [PlanInfo(id=n, title=t, source=f"{n}.txt", items=5, with_owners=0, with_deadlines=0, indexed_at="")
             for n, t in enumerate(titles, 1)]
    assert named_plan("城关镇清单", plans).id == 2
    assert named_plan("城关镇分工表", plans).id == 1
    assert named_plan("城关镇", plans) is None  # all three alike


def _many_plans(n: int) -> list[PlanInfo]:
    places = ["城关镇", "河西乡", "东山街道", "县教育局", "县农业农村局", "县委组织部", "县卫健委"]
    subjects = ["防汛", "党建", "乡村振兴", "人居环境整治", "干部培训", "安全生产", "人才引进", "招商引资"]
    kinds = ["工作要点", "实施方案", "任务分工表", "任务清单"]
    titles = [f"{2020 + n % 5}年{places[n % 7]}{subjects[n // 7 % 8]}{kinds[n // 56 % 4]}" for n in range(n)]
    return [PlanInfo(id=i, title=t, source=f"{i}.txt", items=5, with_owners=0, with_deadlines=0, indexed_at="")
            for i, t in enumerate(titles, 1)]


QUESTIONS = ["城关镇防汛任务分工表第3条", "河西乡党建清单有几项", "东山街道乡村振兴方案改了什么", "县教育局人才引进要点",
             "防汛", "干部培训谁负责", "第3条", "县卫健委2023年安全生产实施方案", "农业农村局招商引资", "组织部"]


def test_many_plans_are_found_through_an_index_of_their_titles_as_by_reading_each(monkeypatch):
    plans = _many_plans(300)
    indexed = [named_plan(q, plans) for q in QUESTIONS]
    monkeypatch.setattr(which_plan, "INDEXED_FROM", 10**9)  # every title read, as below the threshold
    read = [named_plan(q, plans) for q in QUESTIONS]
    assert [p and p.id for p in indexed] == [p and p.id for p in read]
    assert any(p is not None for p in indexed) and any(p is None for p in indexed)


def test_a_list_with_another_plan_in_it_is_indexed_again():
    plans = _many_plans(100)
    assert named_plan("城关镇防汛任务分工表", plans) is not None
    added = PlanInfo(id=999, title="城关镇防汛任务分工表（修订）", source="999.txt", items=5, with_owners=0,
                     with_deadlines=0, indexed_at="")
    others = [p for p in plans if "城关镇防汛" not in p.title] + [added]
    assert len(others) >= which_plan.INDEXED_FROM
    assert named_plan("城关镇防汛任务分工表", others).id == 999
