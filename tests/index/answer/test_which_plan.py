"""answer/which_plan.py: which plan a question names by its title's characters."""

from __future__ import annotations

import pytest

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
