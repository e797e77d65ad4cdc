"""answer/lists.py: a plan's stages and the items that leave their owner or limit unsaid (a
unit's tasks: test_units.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from planbot.index.engine import Engine

TODAY = dt.date(2021, 6, 15)


STAGED_PLAN = """关于开展2024年基层党组织星级评定工作的实施方案
一、评定范围
全县各村（社区）党组织、机关企事业单位党组织。
二、实施步骤
（一）动员部署阶段（2024年3月上旬）。召开动员会，印发实施方案。
（二）自评申报阶段（2024年3月中旬至4月底）。各基层党组织对照标准开展自评。
（三）考核评定阶段（2024年5月至6月）。县委组织部会同有关部门组成考核组进行考核。
"""


UNSTAGED_PLAN = """政府网站集约化试点工作方案
一、试点范围
1. 选择部分省份开展政府网站集约化试点。
2. 建设集约化平台，统一标准。
二、保障措施
3. 加强组织领导，试点地区要高度重视。
"""


def test_the_stages_asked_for_are_the_named_plans_or_none(tmp_path):
    (tmp_path / "星级.txt").write_text(STAGED_PLAN, encoding="utf-8")
    (tmp_path / "网站.txt").write_text(UNSTAGED_PLAN, encoding="utf-8")
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        engine.index_paths([tmp_path / "星级.txt", tmp_path / "网站.txt"])
        staged = engine.ask("星级评定分几个阶段", today=TODAY)
        assert staged.kind == "section" and staged.found and staged.text.startswith("二、实施步骤共3项")
        assert [c.title for c in staged.citations][1:] == ["动员部署阶段（2024年3月上旬）", "自评申报阶段（2024年3月中旬至4月底）",
                                                         "考核评定阶段（2024年5月至6月）"]
        assert engine.ask("评定工作有哪些步骤", today=TODAY).text == staged.text
        # a plan named that has no stages is said to have none, never given the other plan's
        other = engine.ask("网站集约化试点分几个阶段", today=TODAY)
        assert not other.found and other.text.startswith("《政府网站集约化试点工作方案》没有分阶段的实施步骤")
    finally:
        engine.close()


def test_the_items_that_name_no_owner_or_no_time_limit_are_listed(engine):
    unowned = engine.ask("组织工作要点哪些任务没有明确谁负责", today=TODAY)
    assert unowned.found and unowned.text == "《2020年全县组织工作要点》中未写明责任单位的有15项。"
    assert len(unowned.citations) == unowned.total == 15 and all(not c.owners for c in unowned.citations)
    # every item of the township's list names its owners and limits
    assert engine.ask("城关镇清单有哪些没有写明责任单位", today=TODAY).text == "《城关镇2022年党建工作任务清单》的每一项都写明了责任单位。"
    undated = engine.ask("哪些工作还没定完成时限", today=TODAY)
    assert undated.found and undated.text.startswith("全部 3 份计划中未写明完成时限的有")
    assert undated.citations and all(not c.deadlines for c in undated.citations)


BRANCH_PLAN = """XX中学党支部2024年工作计划
一、组织生活
1．坚持“三会一课”制度。支部党员大会每季度召开1次，支委会每月召开1次，书记每年讲党课不少于1次。
2．开展主题党日活动。每月第一个星期五为主题党日，由组织委员具体负责。
3．做好发展党员工作。计划发展党员2名，9月底前完成。
4．加强学习。每月组织一次集中学习，全年不少于12次，常态化开展。
"""


def test_what_is_done_every_month_lists_the_items_whose_limit_recurs_so(engine_of):
    engine = engine_of(BRANCH_PLAN)
    monthly = engine.ask("每个月要做什么", today=TODAY)
    assert monthly.found and monthly.text.startswith("每月要做的有3项：")
    assert [c.label.strip() for c in monthly.citations] == ["1．", "2．", "4．"]  # in document order
    assert "「2．开展主题党日活动」（每月第一个星期五）" in monthly.text
    quarterly = engine.ask("支部每季度开什么会", today=TODAY)
    assert [c.label.strip() for c in quarterly.citations] == ["1．"] and "（每季度）" in quarterly.text
    weekly = engine.ask("每周要干啥", today=TODAY)
    assert not weekly.found and weekly.text == "《XX中学党支部2024年工作计划》中没有写明每周要做的任务。"


def test_a_section_that_only_holds_the_word_实施_is_no_stages(engine):
    # the sample 乡村振兴方案's 三、实施乡村建设行动 holds 实施 but is no 实施步骤
    answer = engine.ask("分几个阶段", today=TODAY)
    assert not answer.found and not answer.citations
    assert answer.text.startswith("全部 3 份计划中都没有分阶段的实施步骤")


def test_every_week_is_read_as_plans_write_it_too(engine_of):
    engine = engine_of("2024年支部工作计划\n一、学习\n1. 集中学习。每星期三下午集中学习。\n2. 支委会。每周一召开支委会。\n"
                       "3. 党课。每月讲一次。\n")
    weekly = engine.ask("每周要干啥", today=TODAY)
    assert weekly.text == "每周要做的有2项：「1. 集中学习」（每星期三）；「2. 支委会」（每周一）。"


def test_a_who_or_when_question_naming_a_section_answers_for_each_of_its_items(engine):
    """党风廉政建设谁负责 names the heading 四、党风廉政建设, not one of its two tasks: each task's
    owners (or time limits), the section cited first and its items after it."""
    who = engine.ask("党风廉政建设谁负责", today=TODAY)
    assert who.kind == "who" and who.found and who.citations[0].kind == "section"
    assert who.citations[0].title == "党风廉政建设" and [c.label for c in who.citations[1:]] == ["10、", "11、"]
    assert who.text.startswith("「四、党风廉政建设」共2项：") and "纪委书记" in who.text and "农业服务中心" in who.text
    when = engine.ask("农村基础设施建设什么时候完成", today=TODAY)
    assert when.kind == "when" and when.citations[0].title == "加强农村基础设施建设"
    limits = [d.phrase for c in when.citations[1:] for d in c.deadlines]
    assert limits and all(p in when.text for p in limits)
    # 那两项 / 那摊子 point at the tasks under a heading, and are no words of the topic
    both = engine.ask("农村基础设施那两项多会儿得完工", today=TODAY)
    assert both.citations[0].title == "加强农村基础设施建设" and len(both.citations) == 3, both.text
    listed = engine.ask("党风廉政建设有哪些任务", today=TODAY)
    assert listed.kind == "section" and listed.citations[0].title == "党风廉政建设"


def test_a_question_naming_a_task_or_a_part_of_a_heading_is_about_that_task(engine):
    """The heading's words found the item, but the question is about one task: 厕所改造 names the
    task itself (under 改善农村人居环境); 防止返贫监测 says only a part of 健全防止返贫动态监测和帮扶机制
    — the 监测 task, not the 帮扶 one beside it; 易地扶贫搬迁 heads one task only."""
    for question, label in (("厕所改造谁负责", "8．"), ("防止返贫监测谁牵头", "1．"), ("易地扶贫搬迁后续扶持谁负责", "3．")):
        answer = engine.ask(question, today=TODAY)
        assert answer.citations[0].kind == "item" and answer.citations[0].label == label, (question, answer.text)


def test_a_question_naming_an_area_answers_for_its_section(engine):
    """那几项 / 那一块 / 那两条 name an area of a plan, and the words before them its heading, though
    not word for word: the section is cited first, each of its tasks after it. 人居环境 alone would
    answer with one of its two tasks (and, among ten plans, with another plan's 人居环境整治)."""
    when = engine.ask("人居环境那几项啥时候完成", today=TODAY)
    assert when.kind == "when" and when.citations[0].kind == "section", when.text
    assert when.citations[0].title == "改善农村人居环境" and [c.label for c in when.citations[1:]] == ["8．", "9．"]
    assert "2021年11月30日前" in when.text and "2021年年底前" in when.text
    listed = engine.ask("基层党建那一块有啥任务", today=TODAY)
    assert listed.found and listed.citations[0].title == "着力推动基层党建全面进步全面过硬", listed.text
    two = engine.ask("乡村振兴保障措施那两条啥时候完成", today=TODAY)
    assert two.citations[0].title == "强化保障措施" and len(two.citations) == 3, two.text


def test_an_area_word_said_of_one_task_keeps_that_task(engine):
    """那块 / 那几个 said of what one task does (农村公路, 污水处理设施, 星级党支部评定) is that task: no
    other task of its section shares its words, so no section answers."""
    for question, label in (("农村公路那块啥时候修完", "10．"), ("污水处理那几个设施谁负责", "9．"),
                            ("星级党支部评定那块啥时候评完", "4、"), ("易地搬迁后续扶持那块谁牵头", "3．")):
        answer = engine.ask(question, today=TODAY)
        assert answer.citations[0].kind == "item" and answer.citations[0].label == label, (question, answer.text)


CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus"
ZONES = CORPUS / "03_zonghe-baoshuiqu-ruogan-yijian.txt"


def test_a_heading_of_clauses_is_named_by_one_of_them(engine_of):
    """Each task heading of the 综合保税区 plan is 'what to do, 打造 the centre': a question naming
    the centre names the section. Its tasks say 综合保税区 and the heading does not: the plan's
    subject tells a heading from its task no more than one task from another."""
    engine = engine_of(ZONES.read_text(encoding="utf-8"), "综保区.txt")
    who = engine.ask("综保区打造加工制造中心那几条是哪些部门的活", today=TODAY)
    assert who.kind == "who" and who.citations[0].kind == "section", who.text
    assert who.citations[0].title == "统筹两个市场，打造加工制造中心"
    assert len(who.citations) > 2 and all(c.path[:-1] == who.citations[0].path for c in who.citations[1:])
    # …中心 reads like a unit's name (县融媒体中心负责哪些): no plan names it as an owner, and a
    # section found is headed by it, so it is the thing the plan builds and the section answers.
    listed = engine.ask("综保区建研发设计中心都有啥措施", today=TODAY)
    assert listed.found and listed.kind == "section", listed.text
    assert listed.citations[0].title == "推动创新创业，打造研发设计中心"
    assert listed.text.startswith("（二）推动创新创业，打造研发设计中心共4项")


def test_a_thing_named_like_a_unit_is_its_section_however_the_question_leads_into_it(engine_of):
    """The 综保区 plan builds a 检测维修中心 and names no owner so: asked what it has (有啥政策),
    with the asker's words before the name, the section headed by it is listed."""
    engine = engine_of(ZONES.read_text(encoding="utf-8"), "综保区.txt")
    for question in ("综保区检测维修中心有啥政策", "综合保税区搞检测维修中心都有哪些政策"):
        listed = engine.ask(question, today=TODAY)
        assert listed.found and listed.kind == "section", listed.text
        assert listed.citations[0].title == "延伸产业链条，打造检测维修中心"


def test_a_thing_named_like_a_unit_that_items_speak_of_is_searched(engine_of):
    """合作社 ends like a unit's name (…社) and owns no task in the 消费扶贫 plan; its items speak
    of 合作社, so what is asked of them is answered from those items, not said to be no one's."""
    engine = engine_of((CORPUS / "05_xiaofei-fupin-zhidao-yijian.txt").read_text(encoding="utf-8"), "消费扶贫.txt")
    answer = engine.ask("合作社有哪些扶持政策", today=TODAY)
    assert answer.found and answer.kind == "search", answer.text
    assert "合作社" in answer.citations[0].text


def test_a_unit_an_item_mentions_in_passing_is_still_said_to_own_nothing(engine):
    """The 组织 plan's items say 县委、县政府重大决策部署 and name no owner: 县政府负责哪些 asks for a
    unit's tasks, and gets that no plan names it, not an item that mentions it."""
    answer = engine.ask("县政府负责哪些", today=TODAY)
    assert answer.kind == "unit" and not answer.found, answer.text
    assert answer.text.startswith("计划中没有以“县政府”为责任单位的任务")


def test_a_unit_no_plan_names_and_no_heading_holds_is_still_said_to_be_no_owner(engine_of):
    engine = engine_of(ZONES.read_text(encoding="utf-8"), "综保区.txt")
    answer = engine.ask("县融媒体中心负责哪些任务", today=TODAY)
    assert answer.kind == "unit" and not answer.found and "县融媒体中心" in answer.text


def test_a_section_no_plan_has_quotes_the_topic_looked_for(engine):
    """外卖骑手方面有哪些工作: 方面有哪些工作 asks for a section; 外卖骑手 is what was looked for."""
    answer = engine.ask("外卖骑手方面有哪些工作")
    assert answer.kind == "section" and not answer.found
    assert "没有找到与“外卖骑手”相关的内容" in answer.text


def test_a_section_no_plan_has_offers_the_nearest_items_as_a_search_does(engine):
    """农村养老方面有哪些工作: no section or item is about it, but items holding 农村 are near:
    offered as 可能相关, never as the answer, exactly as the search of the same topic offers them."""
    answer = engine.ask("农村养老方面有哪些工作")
    searched = engine.ask("农村养老")
    assert answer.kind == "section" and not answer.found and not searched.found
    assert answer.citations and "可能相关：" in answer.text
    assert [c.item_id for c in answer.citations] == [c.item_id for c in searched.citations]
