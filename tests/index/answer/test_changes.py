"""Which plan a question about changes means, and how a diff is said."""

from planbot.index.answer.changes import asked_plan, describe
from planbot.index.models import ItemChange, PlanDiff, PlanInfo


def _info(plan_id: int, title: str) -> PlanInfo:
    return PlanInfo(id=plan_id, title=title, source=f"{plan_id}.txt", items=3, with_owners=0, with_deadlines=0,
                    indexed_at="", version=2)


RURAL, ORG = _info(1, "2021年全县乡村振兴重点任务分工方案"), _info(2, "2020年全县组织工作要点")


def test_the_plan_a_question_names_is_the_one_asked_about():
    assert asked_plan("乡村振兴方案改了什么", [RURAL, ORG]) is RURAL
    assert asked_plan("组织工作要点有什么变化", [RURAL, ORG]) is ORG


def test_one_changed_plan_needs_no_name_and_two_need_one():
    assert asked_plan("新版和旧版有什么不同", [ORG]) is ORG
    asks = asked_plan("新版和旧版有什么不同", [RURAL, ORG])
    assert isinstance(asks, str) and "《2020年全县组织工作要点》" in asks and "请带上计划名称" in asks
    assert "没有改动记录" in asked_plan("改了什么", [])


def test_a_diff_names_only_the_kinds_of_change_it_has():
    diff = PlanDiff(plan="甲方案", old_version=1, new_version=2,
                    changes=[ItemChange(change="changed", place="一 › 2. 培训", deadlines_before=["6月底前"],
                                        deadlines_after=["9月底前"])])
    text = describe(diff)
    assert text.startswith("《甲方案》第1版 → 第2版：修改 1 条。") and "新增" not in text
    assert "完成时限 6月底前 → 9月底前" in text
    assert describe(diff.model_copy(update={"changes": []})).endswith("各条内容没有变化。")
