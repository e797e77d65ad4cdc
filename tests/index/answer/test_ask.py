"""Answering a search (index/answer/ask.py): two plans that answer alike are both cited."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest


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
    for p in plans:  # `swap`: (old, new), a change to the plan's text
        old, new = p.get("swap", ("", ""))
        (tmp_path / f"{p['title']}.txt").write_text(PLAN.format(**p).replace(old, new) if old else PLAN.format(**p),
                                                    encoding="utf-8")
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


def test_two_plans_holding_all_of_the_question_are_both_cited_though_one_repeats_it(tmp_path):
    """The 督查激励 notice's item says 高标准农田 twice, the county plan's task once: both hold all
    of 高标准农田谁牵头, and the county's task, scoring below RIVAL_SHARE of the notice's, is
    still cited beside it."""
    from planbot.index.answer import ask as asking

    engine = _engine(tmp_path, [dict(title="东镇2022年党建工作任务清单", n=3, unit="宣传办", month=6,
                                     swap=("开展读书分享", "在红色书屋开展读书分享")),
                                dict(title="西镇2022年党建工作任务清单", n=3, unit="党政办", month=9)])
    answer = engine.ask("红色书屋谁负责", today=TODAY)
    books = [c for c in answer.citations if "红色书屋" in c.text]
    assert len({c.plan_id for c in books}) == 2, answer.citations
    assert asking.RIVAL_ALIKE * books[0].score <= books[1].score < asking.RIVAL_SHARE * books[0].score
    assert answer.text.startswith("两份计划都有相关内容") and "宣传办" in answer.text and "党政办" in answer.text
    engine.close()


def test_a_rival_holding_less_of_the_question_is_not_cited_as_a_second_answer(tmp_path, monkeypatch):
    # 西镇's item holds 红色书屋 and 读书 but not 分享. Its score (0.6 of the first) is let within
    # RIVAL_ALIKE here, so that only its holding less of the question keeps it a "see also".
    from planbot.index.answer import ask as asking

    monkeypatch.setattr(asking, "RIVAL_ALIKE", 0.3)
    engine = _engine(tmp_path, [dict(title="东镇2022年党建工作任务清单", n=3, unit="宣传办", month=6),
                                dict(title="西镇2022年党建工作任务清单", n=3, unit="党政办", month=9,
                                     swap=("开展读书分享活动", "在红色书屋开展读书活动"))])
    answer = engine.ask("红色书屋读书分享活动谁负责", today=TODAY)
    books = [c for c in answer.citations if "红色书屋" in c.text]
    assert [c.plan[:2] for c in books] == ["东镇", "西镇"], answer.citations
    assert books[1].score >= asking.RIVAL_ALIKE * books[0].score, books
    assert not answer.text.startswith("两份计划") and "党政办" not in answer.text, answer.text
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


@pytest.mark.parametrize("asked", ["发展党员谁配合", "发展党员哪些部门配合", "发展党员谁牵头谁配合"])
def test_who_cooperates_on_an_item_naming_one_role_says_none_is_stated(engine, asked):
    """城关镇 item 5 names only its 责任部门: asked who cooperates, the answer names it and says
    plainly that no cooperating unit is stated (not the responsible one as if it were)."""
    answer = engine.ask(asked, today=TODAY)
    assert answer.found and answer.citations[0].label.startswith("5")
    assert answer.text.endswith("责任：组织办。该条未写明配合单位。")
    assert "未写明配合单位" not in engine.ask("发展党员谁负责", today=TODAY).text  # not asked


@pytest.mark.parametrize("asked, named", [
    ("星级党支部创建评定谁配合", "配合：各村（社区）党组织"),  # a cooperating unit stated
    ("高标准农田谁配合", "责任：县财政局、县自然资源局"),  # 责任 beside a 牵头: those who work with it
])
def test_who_cooperates_is_answered_by_the_units_that_work_with_the_lead(engine, asked, named):
    answer = engine.ask(asked, today=TODAY)
    assert answer.found and named in answer.text and "未写明配合单位" not in answer.text


def test_who_cooperates_asked_of_the_item_just_answered_or_by_number_says_so_too(engine):
    about = engine.ask("发展党员有啥要求", today=TODAY).citations[0]
    followed = engine.ask("配合单位呢", today=TODAY, context=about.item_id)
    assert followed.citations[0].item_id == about.item_id and followed.text.endswith("该条未写明配合单位。")
    numbered = engine.ask("党建工作任务清单第5条谁配合", today=TODAY)
    assert numbered.kind == "lookup" and numbered.text.endswith("该条未写明配合单位。")


def test_a_number_asked_in_a_conversation_is_the_number_in_its_plan(engine):
    about = engine.ask("厕所改造谁牵头", today=TODAY).citations[0]
    followed = engine.ask("第二条呢", today=TODAY, context=about.item_id)
    assert followed.found and [c.plan_id for c in followed.citations] == [about.plan_id]
    assert followed.citations[0].label.startswith("2")
    anywhere = engine.ask("第二条呢", today=TODAY)  # no conversation: item 2 of every plan
    assert len({c.plan_id for c in anywhere.citations}) > 1


@pytest.mark.parametrize("asked, part, title", [
    ("三、(二)讲了啥", "三", "形成标准规范"), ("四（二）", "四", "组织开展试点"), ("五(二)说的啥？", "五", "强化运维保障"),
])
def test_a_parts_item_written_as_labels_is_that_item(tmp_path, asked, part, title):
    # 08 numbers 一、 → （一）: 三（二） is 形成标准规范, not the first （二） of the plan (一（二）基本原则)
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "08.db")
    engine.index_paths(list(CORPUS.glob("08_*.txt")))
    answer = engine.ask(asked, today=TODAY)
    assert answer.kind == "lookup" and answer.found
    assert answer.citations[0].path[0] == part and answer.citations[0].title == title
    engine.close()


@pytest.mark.parametrize("asked", ["（二）说的什么", "（二）", "（二）是什么内容"])
def test_a_label_alone_or_with_what_it_says_is_looked_up_as_shown(tmp_path, asked):
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "08.db")
    engine.index_paths(list(CORPUS.glob("08_*.txt")))
    answer = engine.ask(asked, today=TODAY)
    assert answer.kind == "lookup" and answer.found
    assert [c.item_id for c in answer.citations] == [c.item_id for c in engine.show("（二）").citations]
    engine.close()


def test_a_number_asked_of_a_named_plan_is_that_plans(engine):
    everywhere = engine.ask("第3条", today=TODAY)
    assert len({c.plan for c in everywhere.citations}) > 1  # the samples all have a 3
    for asked in ("乡村振兴方案第3条", "乡村振兴方案第3条说的什么"):
        answer = engine.ask(asked, today=TODAY)
        assert answer.found and {c.plan for c in answer.citations} == {"2021年全县乡村振兴重点任务分工方案"}, asked
        assert answer.citations[0].label.startswith("3")


@pytest.mark.parametrize("asked, label", [("1.2", "1.2"), ("4.2.1说的什么", "4.2.1"), ("5.2.3是什么", "5.2.3")])
def test_a_number_of_a_plan_numbered_decimally_is_the_row_so_labelled(tmp_path, asked, label):
    # 07 numbers 1 → 1.1 → 1.1.1: 1.2 is its section 1.2 等级划分, not item 2 of part 1 (1.2.2)
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "07.db")
    engine.index_paths(list(CORPUS.glob("07_*.txt")))
    answer = engine.ask(asked, today=TODAY)
    assert answer.kind == "lookup" and answer.found
    assert answer.citations[0].label.strip() == label
    assert all(c.label.strip() == label or c.path[:len(label.split("."))][-1] == label
               for c in answer.citations)  # the row, then (a section's) its own items
    engine.close()


@pytest.mark.parametrize("asked, kind", [
    ("城关镇清单里干部培训谁负责", "who"), ("城关镇清单逾期的有哪些", "deadlines"), ("城关镇清单第二部分有哪些", "section"),
    ("城关镇清单中党员发展有什么要求", "search"),
])
def test_a_question_starting_with_a_plans_name_is_answered_from_that_plan(engine, asked, kind):
    answer = engine.ask(asked, today=dt.date(2022, 6, 15))
    assert answer.kind == kind and answer.found and answer.citations, asked
    assert {c.plan for c in answer.citations} == {"城关镇2022年党建工作任务清单"}, asked
    # the same question without the name may answer from another plan: the name is what narrows it
    if kind in ("who", "section"):
        unnamed = engine.ask(asked.split("里")[-1].replace("城关镇清单", ""), today=dt.date(2022, 6, 15))
        assert unnamed.citations[0].plan != "城关镇2022年党建工作任务清单"


def test_a_document_named_as_the_topic_is_not_taken_for_the_plan_asked_of(tmp_path):
    # 新闻发布预案 ends like a plan's name; what follows it (谁来定) has no topic of its own
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "07.db")
    engine.index_paths(list(CORPUS.glob("07_*.txt")))
    answer = engine.ask("粮食应急的新闻发布预案谁来定", today=TODAY)
    assert answer.kind == "who" and answer.found and "新闻发布预案" in answer.citations[0].title
    engine.close()


def test_the_last_item_of_a_plan_or_a_list(engine):
    last = engine.ask("城关镇清单最后一条", today=TODAY)
    assert last.found and [c.label for c in last.citations] == ["13、"]
    every = engine.ask("最后一条", today=TODAY)  # no plan said: each plan's last
    assert every.text.startswith("各份计划的最后一条") and len({c.plan for c in every.citations}) == 3
    about = engine.ask("村两委换届谁牵头", today=TODAY).citations[0]
    followed = engine.ask("最后一条谁负责", today=TODAY, context=about.item_id)  # the conversation's plan
    assert followed.kind == "who" and followed.citations[0].label.startswith("16")
    listed = engine.ask("县农业农村局负责哪些任务", today=TODAY)
    picked = engine.ask("最后一个", today=TODAY, listed=listed.listed())
    assert picked.citations[0].item_id == listed.citations[-1].item_id


def test_a_document_the_named_plan_is_not_stays_in_the_topic(tmp_path):
    # 台账 names something 05 (a 指导意见) asks to build, not 05 itself: 消费扶贫 narrows, 台账 is asked
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "05.db")
    engine.index_paths(list(CORPUS.glob("05_*.txt")) + list(CORPUS.glob("08_*.txt")))
    answer = engine.ask("消费扶贫台账最晚啥时候建起来", today=TODAY)
    assert answer.found and "台账" in answer.citations[0].text
    engine.close()


def test_who_of_an_item_named_by_its_number_is_said_plainly_when_unstated(engine):
    """组织工作要点第3条谁负责: that item's owners, or 未写明 when it names none (the 要点 names
    no owners at all), never only its text; the same for its time limit."""
    who = engine.ask("组织工作要点第3条谁负责")
    assert who.kind == "lookup" and [c.label.strip() for c in who.citations] == ["3."]
    assert who.text.endswith("该条未写明责任单位。")
    when = engine.ask("组织工作要点第3条什么时候完成")
    assert when.kind == "lookup" and "未写明完成时限" in when.text
    both = engine.ask("乡村振兴方案第3条谁牵头，啥时候完成")
    (item,) = both.citations
    assert "牵头：县发展改革局" in both.text and "2021年9月30日前" in both.text
    assert item.owners and item.deadlines


def test_who_of_items_numbered_alike_in_every_plan_answers_each_under_its_plan(engine):
    asked = engine.ask("第3条谁负责")
    plans = [c.plan for c in asked.citations]
    assert len(set(plans)) == len(plans) == 3
    assert all(f"《{p}》" in asked.text for p in plans)
    assert asked.text.count("未写明责任单位") == sum(not c.owners for c in asked.citations) == 1
    assert "未写明" not in engine.ask("第3条").text  # its text, asked for nothing else


@pytest.mark.parametrize(("asked", "quoted"), [
    ("外卖骑手的社保谁管", "外卖骑手的社保"),
    ("非洲猪瘟防控那一块到底咋弄", "非洲猪瘟防控"),
    ("今年征兵那一块有哪些任务到期", "征兵"),
])
def test_a_miss_names_the_topic_looked_for_not_the_words_asking_for_it(engine, asked, quoted):
    """The not-found quotes what was looked for: 谁管, 那一块, 咋弄 were never searched."""
    answer = engine.ask(asked, today=dt.date(2021, 6, 10))
    assert not answer.found
    assert f"没有找到与“{quoted}”相关的内容" in answer.text


def test_a_period_with_nothing_due_about_a_topic_names_the_topic_alone(engine):
    """培训班有没有要交的: the 没 of 有没有 is no part of the topic quoted."""
    answer = engine.ask("这个月培训班有没有要交的", today=dt.date(2021, 6, 10))
    assert answer.found and answer.text.startswith("2021年6月没有与“培训班”相关的到期任务。"), answer.text


RELIEF_PLAN = "2024年应急工作要点\n一、物资保障\n1. 对受灾群众无偿发放救灾物资。牵头单位：县应急管理局\n2. 做好储备粮轮换工作。牵头单位：县粮食局\n"


def test_a_word_held_only_by_its_part_the_plans_use_is_not_covered(engine_of):
    """无偿献血: the plan says 无偿 (无偿发放) and never 献血, so it does not cover the question,
    and the owner of the 无偿发放 item is not given as the answer."""
    plan = engine_of(RELIEF_PLAN)
    missed = plan.ask("无偿献血谁负责", today=TODAY)
    assert not missed.found and "县应急管理局" not in missed.text and "无偿献血" in missed.text
    found = plan.ask("无偿发放物资谁负责", today=TODAY)
    assert found.found and found.text.endswith("牵头：县应急管理局。")
