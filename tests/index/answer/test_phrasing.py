"""Who-answers per sentence (index/answer/phrasing.py) on the published plans: an item holding
several tasks answers with the owners of the task the question matched."""

from __future__ import annotations

import pytest

from planbot.index.answer.phrasing import who_text
from planbot.index.ingest.parse import parse_plan
from planbot.index.models import Citation, Plan
from planbot.index.text import sentences
from tests.corpus import CORPUS


@pytest.fixture(scope="module")
def plans() -> dict[str, Plan]:
    return {p.name[:2]: parse_plan(p.read_text(encoding="utf-8"), p.name) for p in CORPUS.glob("0[27]_*.txt")}


def who(plan: Plan, path: str, quoted: str) -> str:
    """The who-answer for item `path` when the sentence holding `quoted` is the one cited."""
    return who_text(_cited(plan, next(i for i in plan.items if "/".join(i.path) == path), quoted))


def _cited(plan: Plan, item, quoted: str) -> Citation:
    """`item` of `plan` cited with the sentence holding `quoted`."""
    sentence = next(s for s in sentences(item.text) if quoted in s)
    return Citation(item_id=1, plan=plan.title, plan_id=1, kind=item.kind, label=item.label, path=item.path,
                    title=item.title, text=item.text, sentence=sentence, owners=item.owners, deadlines=item.deadlines)


@pytest.mark.parametrize(
    "quoted, named, not_named",
    [
        # the bracket after a sentence owns it: 02 （四）'s first task, then the 快递包装 run
        ("通过发布绿色生活方式指南", ["生态环境部", "住房城乡建设部"], ["国家邮政局", "国管局"]),
        ("限制生产、销售和使用一次性不可降解塑料袋", ["国家发展改革委", "国家邮政局", "市场监管总局", "商务部"],
         ["生态环境部", "国管局"]),
        # the bracket written after 。 opens the next sentence but closes this one
        ("支持发展共享经济", ["国家邮政局"], ["生态环境部"]),
        # a bracket alone belongs to the sentence before it
        ("（商务部、文化和旅游部、国管局指导）", ["文化和旅游部", "国管局"], ["国家邮政局"]),
    ],
)
def test_a_sentence_is_owned_by_the_bracket_that_closes_it(plans, quoted, named, not_named):
    text = who(plans["02"], "二/（四）/第1段", quoted)
    assert all(u in text for u in named) and not any(u in text for u in not_named), text
    assert "试点城市政府（按文件总体规定）" in text  # the standing rule holds for every task


def test_units_named_in_two_brackets_own_the_first_task_too(plans):
    # 工业和信息化部、商务部、生态环境部 are named in both brackets of 02 （二）第2段 (sentence None):
    # the first task is theirs alone, without the second bracket's 市场监管总局
    text = who(plans["02"], "二/（二）/第2段", "大力推行绿色设计")
    assert "工业和信息化部" in text and "市场监管总局" not in text


def test_a_prose_subject_carries_on_to_the_tasks_after_it(plans):
    # 07 2.1.3（1）: "国家发展改革委及国家粮食局负责…；做好…；完善…。国家发展改革委负责…"
    text = who(plans["07"], "2/2.1/2.1.3/（1）", "做好粮食市场调控和供应工作")
    assert "国家粮食局" in text and "国家发展改革委" in text


@pytest.mark.parametrize(
    "prefix, path, quoted, named",
    [
        ("02", "二/（四）/第1段", "通过发布绿色生活方式指南", "「（四）第1段 以绿色生活方式为引领，促进生活垃圾减量」"),
        ("07", "2/2.1/第1段", "总指挥", "「2.1 第1段 总指挥：国家发展改革委主要负责人」"),
        ("07", "2/2.1/2.1.3/（5）", "铁道部", "「（5）铁道部、交通部负责根据粮食应急工作的需要」"),  # a numbered item as it was
    ],
)
def test_a_paragraph_item_is_named_with_its_headings_number(plans, prefix, path, quoted, named):
    assert who(plans[prefix], path, quoted).startswith(named)


def _quoting(text: str, sentence: str, title: str) -> Citation:
    return Citation(item_id=1, plan="计划", plan_id=1, kind="item", label="1.", path=["一", "1"], title=title,
                    text=text, sentence=sentence)


def test_a_when_answer_names_the_limit_of_the_clause_asked_about():
    from planbot.index.answer.phrasing import when_text
    from planbot.index.ingest.deadlines import extract_deadlines

    text = "坚持“三会一课”制度。支部党员大会每季度召开1次，支委会每月召开1次，书记每年讲党课不少于1次。"
    sentence = sentences(text)[1]
    cited = _quoting(text, sentence, "坚持“三会一课”制度").model_copy(
        update={"deadlines": extract_deadlines(text, year=2024)})
    assert when_text(cited, ["党课", "书记"]).endswith("完成时限：每年。")
    assert when_text(cited, ["支委会"]).endswith("完成时限：每月。")
    assert when_text(cited).endswith("完成时限：每季度、每月、每年。")  # no words: every limit of the sentence
    assert when_text(cited, ["考核"]).endswith("完成时限：每季度、每月、每年。")  # no clause holds them


def test_a_task_with_no_limit_is_told_the_start_its_sentence_states():
    from planbot.index.answer.phrasing import when_text

    vocational = parse_plan((CORPUS / "06_zhiye-jiaoyu-gaige-fangan.txt").read_text(encoding="utf-8"), "06.txt")
    item = next(i for i in vocational.items if "国家资历框架" in i.text)
    said = when_text(_cited(vocational, item, "制定符合国情的国家资历框架"))
    assert said.endswith("该条未写明完成时限，开始时间：从2019年起。") and not item.deadlines
    # a sentence that states no start says only that no limit is written
    assert when_text(_cited(vocational, item, "免修部分课程")).endswith("该条未写明完成时限。")


def test_a_unit_list_names_no_limit_twice_that_the_title_states():
    from planbot.index.answer.phrasing import unit_text
    from planbot.index.ingest.deadlines import extract_deadlines

    text = "（三）考核评定阶段（2024年5月至6月）。县委组织部会同有关部门组成考核组。"
    staged = _quoting(text, sentences(text)[1], "考核评定阶段（2024年5月至6月）").model_copy(
        update={"deadlines": extract_deadlines(text, year=2024)})
    listed = unit_text(["县委组织部"], [1, 0, 0], [(staged, 0)])
    assert listed.endswith("牵头：1. 考核评定阶段（2024年5月至6月）")
    undated_title = staged.model_copy(update={"title": "考核评定阶段"})
    assert unit_text(["县委组织部"], [1, 0, 0], [(undated_title, 0)]).endswith("考核评定阶段（2024年5月至6月）")


def test_a_search_answer_names_the_limit_of_the_clause_asked_about():
    from planbot.index.answer.phrasing import search_text
    from planbot.index.ingest.deadlines import extract_deadlines

    text = "坚持“三会一课”制度。支部党员大会每季度召开1次，支委会每月召开1次，书记每年讲党课不少于1次。"
    cited = _quoting(text, sentences(text)[1], "坚持“三会一课”制度").model_copy(
        update={"deadlines": extract_deadlines(text, year=2024)})
    assert search_text(cited, ["党课"]).endswith("（完成时限：每年）")
    assert search_text(cited).endswith("（完成时限：每季度、每月、每年）")  # no words: every limit it states


def test_an_item_asked_by_number_is_named_once_with_its_owners_and_limits(engine):
    said = engine.ask("第二条", plan="乡村振兴").text
    assert said == ("2．落实过渡期内“四个不摘”要求，保持主要帮扶政策总体稳定（牵头：县乡村振兴局；"
                    "责任：县财政局、县民政局、县医保局、各乡镇人民政府；完成时限：2021年12月底前）。")
    no_facts = engine.ask("第2条", plan="组织工作要点").text  # a sentence after the title, no owners, no limit
    assert no_facts.startswith("2. 扎实推进学习教育常态化制度化：认真贯彻") and "（" not in no_facts


def test_a_list_due_about_a_topic_says_so_and_a_capped_count_is_a_floor():
    import datetime as dt

    from planbot.index.answer.phrasing import deadlines_text
    from planbot.index.models import DueSpan

    year = DueSpan(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31), today=dt.date(2021, 6, 15), overdue=0)
    assert deadlines_text(year, 3, 0, 3, about="干部培训") == "2021年有3项与“干部培训”相关的任务到期。"
    capped = deadlines_text(year, 100, 0, 20, about="干部培训", at_least=True)
    assert capped.startswith("2021年至少有100项与“干部培训”相关的任务到期")
    assert deadlines_text(year, 15, 0, 15) == "2021年有15项任务到期。"


def test_the_count_due_after_a_topic_no_plan_covers_asks_back_only_a_period_one_can_name():
    import datetime as dt

    from planbot.index.answer.phrasing import all_due_text

    today = dt.date(2021, 6, 15)
    assert all_due_text(dt.date(2021, 6, 1), dt.date(2021, 6, 30), today, 4) == "2021年6月共有4项任务到期，问“2021年6月有哪些任务到期”可以列出。"
    assert all_due_text(dt.date(2021, 6, 15), dt.date(2021, 6, 21), today, 2) == "2021年6月15日至2021年6月21日共有2项任务到期。"
    assert all_due_text(dt.date(2021, 1, 1), dt.date(2021, 12, 31), today, 0) == ""


def _town_item(label: str):
    from tests.conftest import FIXTURES

    path = FIXTURES.parent.parent / "plan_texts" / "2022年城关镇党建工作任务清单.txt"
    town = parse_plan(path.read_text(encoding="utf-8"), path.name)
    return town, next(i for i in town.items if i.label == label)


@pytest.mark.parametrize("label, quoted, stated, limit", [
    # a frequency in the task, another limit in its 完成时间 field
    ("10、", "每半年", "文中写明：班子成员每半年向党委报告一次“一岗双责”履行情况；", "完成时限：2022年6月底前、12月底前。"),
    # a limit counted from an event, under 完成时间：常态化
    ("13、", "2小时内", "文中写明：重大舆情2小时内报告；", "完成时限：常态化。"),
])
def test_a_when_answer_says_how_often_or_how_soon_the_task_itself_states(label, quoted, stated, limit):
    """多久报告一次 / 多长时间内报告 ask what the task's sentence says, which its field does not."""
    from planbot.index.answer.phrasing import when_text

    town, item = _town_item(label)
    said = when_text(_cited(town, item, quoted), ["报告"])
    assert stated in said and said.endswith(limit), said
    assert who_text(_cited(town, item, quoted), when=True, terms=["报告"]).endswith(stated + limit)


def test_a_frequency_the_limit_already_names_is_not_said_twice():
    from planbot.index.answer.phrasing import when_text

    town, item = _town_item("12、")  # 每季度分析研判一次 under 完成时间：每季度末
    said = when_text(_cited(town, item, "每季度"), ["研判"])
    assert said.endswith("」完成时限：每季度末。") and "文中写明" not in said
    town, item = _town_item("3、")  # no frequency at all
    assert "文中写明" not in when_text(_cited(town, item, "民主生活会"), ["民主生活会"])
