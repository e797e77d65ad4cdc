"""answer/found.py: the rows that answer a topic, re-ranked by what the question asks for, and
the found-gate."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np

TODAY = dt.date(2021, 6, 15)


def test_the_preference_for_stated_owners_never_moves_an_answer_to_another_plan(engine):
    """The sample 组织工作要点 names no owners; 城关镇's list names one for every item. 干部培训
    is the former's item, with the latter's 村干部培训 close behind: close enough that preferring
    items with owners across plans would answer from the wrong plan."""
    from planbot.index.answer import found

    answer = engine.ask("干部培训谁负责？", top=5, today=TODAY)
    first = answer.citations[0]
    assert first.title.startswith("加强干部教育培训") and not first.owners
    rival = next(c for c in answer.citations if c.plan_id != first.plan_id and c.owners)
    assert rival.score * (1 + found.UNSTATED_OWNER) > first.score


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
    from planbot.index.answer import found

    for name, text in (("safety.txt", SAFETY), ("floods.txt", FLOODS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    engine = fresh_engine  # the sample plans
    engine.index_paths([tmp_path / "safety.txt", tmp_path / "floods.txt"])
    question = "山洪地质灾害隐患排查谁负责"
    monkeypatch.setattr(found, "SEE_ALSO", 0.0)
    assert len(engine.ask(question, today=TODAY).citations) > 1  # without the floor: side-word items too
    monkeypatch.undo()
    answer = engine.ask(question, today=TODAY)
    assert [c.title for c in answer.citations] == ["排查山洪地质灾害隐患点，落实监测责任人"]
    assert not answer.more and "镇水利站" in answer.text
    listed = engine.ask("燃气安全检查和危化品整治谁负责", today=TODAY)  # two tasks asked: both close
    assert len(listed.citations) == 2


def test_the_preference_is_a_factor_per_candidate_for_what_the_question_asks(engine):
    from planbot.index.answer import found
    from planbot.index.search.blob import HAS_DEADLINES, HAS_OWNERS

    c = engine._snapshot().corpus
    rows = np.flatnonzero(c.mask(("item",))).tolist()
    dated = [bool(c.flags[r] & HAS_DEADLINES) for r in rows]
    assert any(dated) and not all(dated)
    assert found.preference(c, "when", rows) == [1 + found.DATED_BOOST if d else 1.0 for d in dated]
    assert found.preference(c, "search", rows) == [1.0] * len(rows)
    texts = ["选择10个左右城市", "发展党员15名", "2021年6月底前完成", "培育一批企业"]
    assert found.preference(c, "count", rows[:4], texts) == [1 + found.COUNT_BOOST] * 2 + [1.0] * 2
    named = [bool(c.flags[r] & HAS_OWNERS) for r in rows]
    naming = {int(c.plan_ids[r]) for r, n in zip(rows, named) if n}
    who = found.preference(c, "who", rows)
    assert who == [1 / (1 + found.UNSTATED_OWNER) if not n and int(c.plan_ids[r]) in naming else 1.0
                   for r, n in zip(rows, named)]
    # Plan 1 names owners for one item of two, plan 2 for none: only plan 1's other item loses.
    few = SimpleNamespace(plan_ids=np.array([1, 1, 2, 2]), flags=np.array([HAS_OWNERS, 0, 0, 0]))
    assert found.preference(few, "who", [0, 1, 2, 3]) == [1.0, 1 / (1 + found.UNSTATED_OWNER), 1.0, 1.0]
    assert found.preference(few, "who", [1, 2]) == [1.0, 1.0]  # among the candidates only


def test_a_question_asking_how_many_prefers_the_item_stating_a_count(engine_of):
    """Every item of 02's 试点 parts holds 无废城市 and 试点; only 试点范围 says how many cities
    (10个左右). Asked how many, it comes first; asked the same words without, it does not."""
    from planbot.index.answer.counts import states_count
    from planbot.index.answer.intent import asks_count
    from tests.corpus import CORPUS

    plan = engine_of((next(CORPUS.glob("02_*.txt"))).read_text(encoding="utf-8"))
    counted = plan.ask("无废城市试点有几个城市", today=TODAY).citations[0]
    assert counted.title == "试点范围" and states_count(counted.text)
    assert plan.ask("无废城市试点城市", today=TODAY).citations[0].title != "试点范围"
    assert asks_count("一年讲几次") and asks_count("比例要达到多少") and not asks_count("几月份完成")
