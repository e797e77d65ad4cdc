"""Answering a search (index/answer/ask.py): two plans that answer alike are both cited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from planbot.index.engine import Engine

TODAY = dt.date(2021, 6, 15)
PLAN = """{title}

一、组织建设
1、建设红色书屋{n}个，开展读书分享活动。（责任部门：{unit}；完成时间：2022年{month}月底前）
2、整顿软弱涣散村党组织2个，实行镇领导包联。（责任部门：组织办；完成时间：2022年9月底前）

二、宣传工作
3、落实意识形态工作责任制，每季度分析研判一次形势。（责任部门：宣传办；完成时间：每季度）
4、开展文明村镇创建，评选文明家庭20户。（责任部门：宣传办；完成时间：2022年12月底前）
"""


def _engine(tmp_path: Path, plans: list[dict]) -> Engine:
    for p in plans:
        (tmp_path / f"{p['title']}.txt").write_text(PLAN.format(**p), encoding="utf-8")
    engine = Engine.open(tmp_path / "two.db")
    engine.index_paths([tmp_path / f"{p['title']}.txt" for p in plans])
    return engine


def test_two_plans_answering_alike_are_both_cited(tmp_path):
    engine = _engine(tmp_path, [dict(title="东镇2022年党建工作任务清单", n=3, unit="宣传办", month=6),
                                dict(title="西镇2022年党建工作任务清单", n=3, unit="党政办", month=9)])
    answer = engine.ask("红色书屋谁负责", today=TODAY)
    assert answer.found
    books = [c for c in answer.citations if "红色书屋" in c.text]
    assert len({c.plan_id for c in books}) == 2 and answer.citations[0] in books
    assert answer.text.startswith("两份计划都有相关内容")
    assert "宣传办" in answer.text and "党政办" in answer.text
    engine.close()


def test_one_plan_answering_is_not_said_to_be_two(tmp_path):
    engine = _engine(tmp_path, [dict(title="东镇2022年党建工作任务清单", n=3, unit="宣传办", month=6)])
    answer = engine.ask("红色书屋谁负责", today=TODAY)
    assert answer.found and not answer.text.startswith("两份计划")
    engine.close()


def test_a_number_asked_in_a_style_means_the_item_labelled_in_it(tmp_path):
    # 08 numbers 一、 → （一） → 1.: 二 is its part 二、试点范围, （二） the first （二）, 2 the first 2.
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "08.db")
    engine.index_paths(list(CORPUS.glob("08_*.txt")))
    assert engine.show("二").citations[0].label.startswith("二")
    assert engine.show("（二）").citations[0].label.startswith("（二）")
    assert engine.show("2").citations[0].label.startswith("2")
    assert engine.ask("二", today=TODAY).citations[0].title.startswith("试点范围")
    labels = [c.label for c in engine.show("2").citations]
    assert len(labels) > 1 and any(not label.startswith("2") for label in labels)  # the others still listed
    engine.close()


def test_a_pasted_heading_opens_that_heading_and_a_numbered_question_is_asked(tmp_path):
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "08.db")
    engine.index_paths(list(CORPUS.glob("08_*.txt")))
    part = engine.ask("四、工作进度", today=TODAY)
    assert part.kind == "lookup" and part.citations[0].label.startswith("四") and "共3项" in part.text
    item = engine.ask("（二）形成标准规范", today=TODAY)
    assert item.citations[0].title.startswith("形成标准规范")
    numbered = engine.ask("1、试点范围是哪些地区", today=TODAY)  # no heading reads so: a question
    assert numbered.kind != "lookup"
    engine.close()


def test_the_preference_for_stated_owners_never_moves_an_answer_to_another_plan(engine):
    """The sample 组织工作要点 names no owners; 城关镇's list names one for every item. 干部培训
    is the former's item, with the latter's 村干部培训 close behind: close enough that preferring
    items with owners across plans would answer from the wrong plan."""
    from planbot.index.answer import ask

    answer = engine.ask("干部培训谁负责？", top=5, today=TODAY)
    first = answer.citations[0]
    assert first.title.startswith("加强干部教育培训") and not first.owners
    rival = next(c for c in answer.citations if c.plan_id != first.plan_id and c.owners)
    assert rival.score * (1 + ask.UNSTATED_OWNER) > first.score


SAFETY = """2023年城关镇安全生产工作要点
一、隐患排查
1. 开展燃气安全专项检查，覆盖全镇餐饮场所。牵头单位：镇应急办；责任单位：镇市场监管所；完成时限：2023年5月底前。
2. 组织危化品运输车辆集中整治。牵头单位：镇派出所；完成时限：2023年6月30日前。
二、宣传培训
3. 每季度组织一次消防演练，各村（社区）全覆盖。责任单位：镇综治办。
"""
FLOODS = """2023年城关镇防汛工作任务分工
一、汛前准备
1. 开展河道清淤疏浚，清理阻水障碍物。牵头单位：镇水利站；完成时限：2023年5月底前。
2. 排查山洪地质灾害隐患点，落实监测责任人。牵头单位：镇水利站；配合单位：镇自然资源所；完成时限：2023年5月15日前。
"""


def test_a_who_answer_cites_no_item_that_holds_only_a_side_word(tmp_path, fresh_engine, monkeypatch):
    """安全生产's 隐患排查 items hold 隐患 and 排查 (their section's title) and nothing of 山洪地质灾害:
    a who-question about the flood task cites that task alone, not them as "see also" (as a
    group with the sample plans asked it over the emulated Bot API)."""
    from planbot.index.answer import ask

    for name, text in (("safety.txt", SAFETY), ("floods.txt", FLOODS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    engine = fresh_engine  # the sample plans
    engine.index_paths([tmp_path / "safety.txt", tmp_path / "floods.txt"])
    question = "山洪地质灾害隐患排查谁负责"
    monkeypatch.setattr(ask, "SEE_ALSO", 0.0)
    assert len(engine.ask(question, today=TODAY).citations) > 1  # without the floor: side-word items too
    monkeypatch.undo()
    answer = engine.ask(question, today=TODAY)
    assert [c.title for c in answer.citations] == ["排查山洪地质灾害隐患点，落实监测责任人"]
    assert not answer.more and "镇水利站" in answer.text
    listed = engine.ask("燃气安全检查和危化品整治谁负责", today=TODAY)  # two tasks asked: both close
    assert len(listed.citations) == 2


def test_the_preference_is_a_factor_per_candidate_for_what_the_question_asks(engine):
    from planbot.index.answer import ask
    from planbot.index.search.blob import HAS_DEADLINES, HAS_OWNERS

    c = engine._snapshot().corpus
    rows = np.flatnonzero(c.mask(("item",))).tolist()
    dated = [bool(c.flags[r] & HAS_DEADLINES) for r in rows]
    assert any(dated) and not all(dated)
    assert ask._preference(c, "when", rows) == [1 + ask.DATED_BOOST if d else 1.0 for d in dated]
    assert ask._preference(c, "search", rows) == [1.0] * len(rows)
    named = [bool(c.flags[r] & HAS_OWNERS) for r in rows]
    naming = {int(c.plan_ids[r]) for r, n in zip(rows, named) if n}
    who = ask._preference(c, "who", rows)
    assert who == [1 / (1 + ask.UNSTATED_OWNER) if not n and int(c.plan_ids[r]) in naming else 1.0
                   for r, n in zip(rows, named)]
    # Plan 1 names owners for one item of two, plan 2 for none: only plan 1's other item loses.
    few = SimpleNamespace(plan_ids=np.array([1, 1, 2, 2]), flags=np.array([HAS_OWNERS, 0, 0, 0]))
    assert ask._preference(few, "who", [0, 1, 2, 3]) == [1.0, 1 / (1 + ask.UNSTATED_OWNER), 1.0, 1.0]
    assert ask._preference(few, "who", [1, 2]) == [1.0, 1.0]  # among the candidates only


def test_who_and_when_asked_together_are_answered_together(engine):
    both = engine.ask("厕所改造谁牵头，啥时候完成", today=TODAY)
    who = engine.ask("厕所改造谁牵头", today=TODAY)
    when = engine.ask("厕所改造什么时候完成", today=TODAY)
    assert both.kind == "who" and both.citations[0].item_id == who.citations[0].item_id == when.citations[0].item_id
    limit = when.text.split("完成时限：")[1]
    assert both.text == who.text + "完成时限：" + limit  # the who-answer, then the same limit
    assert who.text.count("完成时限") == 0


def test_who_and_when_together_say_plainly_what_the_item_does_not_state(engine_of):
    plan = engine_of("2024年工作要点\n一、党建\n1. 开展读书月活动。牵头单位：县委宣传部\n2. 开展主题党日活动，由各支部组织。\n")
    answer = plan.ask("读书月活动谁牵头，什么时候完成", today=TODAY)
    assert answer.text.endswith("牵头：县委宣传部。未写明完成时限。")


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


def test_a_number_asked_in_a_conversation_is_the_number_in_its_plan(engine):
    about = engine.ask("厕所改造谁牵头", today=TODAY).citations[0]
    followed = engine.ask("第二条呢", today=TODAY, context=about.item_id)
    assert followed.found and [c.plan_id for c in followed.citations] == [about.plan_id]
    assert followed.citations[0].label.startswith("2")
    anywhere = engine.ask("第二条呢", today=TODAY)  # no conversation: item 2 of every plan
    assert len({c.plan_id for c in anywhere.citations}) > 1
