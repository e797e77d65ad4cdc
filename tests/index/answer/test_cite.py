"""answer/cite.py keeps parsed items with the corpus snapshot: a plan replaced (a new version)
or removed must never be cited from what was kept of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from planbot.index.engine import Engine

from ..ingest.test_pipeline import NEW_PLAN

PLAN = NEW_PLAN.split("二、保障措施")[0]  # the pipeline tests' plan, its first section
TODAY = dt.date(2023, 3, 1)


def test_a_new_version_is_cited_as_it_reads_now(tmp_path: Path):
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        engine.add_plan(engine.parse_upload("书屋.txt", PLAN.encode("utf-8")))
        first = engine.ask("红色书屋谁负责", today=TODAY)
        assert first.citations and "县委宣传部" in first.text
        assert engine._corpus.records  # the cited item is kept
        changed = PLAN.replace("县委宣传部", "县图书馆").replace("5个", "8个")
        engine.add_plan(engine.parse_upload("书屋.txt", changed.encode("utf-8")))
        again = engine.ask("红色书屋谁负责", today=TODAY)
        assert again.citations and "县图书馆" in again.text and "县委宣传部" not in again.text
        assert "8个" in again.citations[0].text
        engine.remove_plan(again.citations[0].plan_id)
        assert not engine.ask("红色书屋谁负责", today=TODAY).citations
    finally:
        engine.close()


def test_a_paragraph_is_named_with_the_heading_it_belongs_to(tmp_path: Path):
    # 02's （一） holds paragraphs with owners of their own; a list of one unit's tasks names
    # each as "（一）第3段 …", never a bare "第3段" that does not say of what.
    from planbot.index.answer.cite import own
    from tests.corpus import CORPUS

    engine = Engine.open(tmp_path / "02.db")
    engine.index_paths(list(CORPUS.glob("02_*.txt")))
    paragraphs = [c for c in engine.ask("财政部有哪些任务", top=20).citations if not c.label.strip()
                  and c.path[-1].startswith("第") and c.path[-1].endswith("段")]
    assert paragraphs
    for c in paragraphs:
        parent = c.path[-2] + (" " if c.path[-2][-1].isascii() else "")
        assert own(c).startswith(parent + c.path[-1] + " ")
    engine.close()


def test_an_article_label_is_spaced_from_its_title_and_punctuation_is_not(tmp_path: Path):
    from planbot.index.answer.cite import own

    (tmp_path / "办法.txt").write_text(
        "某县村级组织运转经费管理办法\n第一章 总则\n第一条 为规范村级组织运转经费管理，制定本办法。\n"
        "第二条 村级办公经费每村每年不低于5万元，由县财政局负责。\n", encoding="utf-8")
    engine = Engine.open(tmp_path / "law.db")
    engine.index_paths([tmp_path / "办法.txt"])
    (article,) = engine.show("第二条").citations[:1]
    assert own(article).startswith("第二条 村级办公经费")
    engine.close()
    sample = Engine.open(tmp_path / "samples.db")
    sample.index_paths([Path(__file__).parents[3] / "plan_texts"])
    punctuated = [c for c in sample.ask("干部培训谁负责", top=5).citations if c.label.strip()[-1:] in "、）"]
    assert punctuated and all(own(c) == c.label.strip() + c.title.strip() for c in punctuated)
    sample.close()


def test_the_sentence_quoted_is_the_one_holding_most_of_the_terms_else_the_first():
    from planbot.index.answer.cite import best_sentence

    assert best_sentence("只有一句，不含所问。", {"培训"}) == "只有一句，不含所问。"
    assert best_sentence("第一句。干部培训在第二句。", {"培训", "干部"}) == "干部培训在第二句。"
    assert best_sentence("第一句。第二句。", {"培训"}) == "第一句。"  # none holds any: the first
    assert best_sentence("第一句。第二句。", set()) == "第一句。"
    assert best_sentence("", {"培训"}) == ""


def test_rows_are_cited_in_the_order_given_from_a_list_or_an_array(engine):
    import numpy as np

    snap = engine._snapshot()
    rows = np.flatnonzero(snap.corpus.mask(("item",)))[[5, 1, 3]]
    by_list, by_array = snap.cite(rows.tolist(), [0.5, 0.25, 0.125]), snap.cite(rows)
    assert [c.item_id for c in by_list] == [int(snap.corpus.ids[r]) for r in rows] == [c.item_id for c in by_array]
    assert [c.score for c in by_list] == [0.5, 0.25, 0.125] and snap.cite([]) == []


PAST_TITLE_PLAN = """县委组织部2024年工作要点
一、干部工作
1. 加强干部教育培训。全年举办培训班10期，轮训科级干部300人次。
2. 举办年轻干部培训班2期。（责任部门：组织办；完成时间：2024年6月）
"""


def test_a_citation_quotes_past_a_heading_that_only_repeats_its_title(engine_of):
    engine = engine_of(PAST_TITLE_PLAN)
    cited = engine.ask("干部教育培训", today=TODAY).citations[0]
    assert (cited.title, cited.sentence) == ("加强干部教育培训", "全年举办培训班10期，轮训科级干部300人次。")
    # the title stays where only the item's fields follow it: those are shown apart
    cited = engine.ask("年轻干部培训班", today=TODAY).citations[0]
    assert (cited.title, cited.sentence) == ("举办年轻干部培训班2期", "举办年轻干部培训班2期。")


def test_a_heading_holding_the_word_asked_is_quoted_over_a_sentence_on_something_else(engine_of):
    # as 07's 6.4.1: its first sentence (its title) grants 加班 pay, the next one awards
    engine = engine_of("粮食应急预案\n6 保障\n6.1　对参加应急工作的人员，应给予适当的通信、加班等补助。对有突出表现的单位，应给予表彰和奖励。\n"
                       "6.2　对玩忽职守的，依法追究责任。\n")
    cited = engine.ask("有没有说加班费", today=TODAY).citations[0]
    assert cited.sentence == "对参加应急工作的人员，应给予适当的通信、加班等补助。"
    assert engine.ask("表彰奖励", today=TODAY).citations[0].sentence == "对有突出表现的单位，应给予表彰和奖励。"


def test_a_question_naming_a_whole_heading_is_quoted_what_the_heading_says(engine_of):
    # as 08's （三）工作目标。 on a line of its own: 工作目标是啥 asks what it says, though the
    # sentence after it never says 目标 (a title that is the first sentence of running text is
    # kept over such a sentence: the test above)
    engine = engine_of("政府网站集约化试点工作方案\n一、总体要求\n（一）指导思想。\n以需求为导向，推进集约化。\n"
                       "（二）工作目标。\n2019年12月底前，试点地区完成政府网站集约化工作。\n"
                       "二、试点范围\n确定10个省（区、市）作为试点地区。\n")
    cited = engine.ask("工作目标是啥", today=TODAY).citations[0]
    assert (cited.title, cited.sentence) == ("工作目标", "2019年12月底前，试点地区完成政府网站集约化工作。")


@pytest.mark.parametrize(("text", "terms", "quoted"), [
    # a field line or a bracket of fields, cut at its ；, holds the unit asked: the task is quoted
    ("选派驻村第一书记和工作队。\n责任单位：县乡村振兴局", ["县乡村振兴局"], "选派驻村第一书记和工作队。"),
    ("发展党员15名。（责任部门：组织办；完成时间：2022年10月）", ["组织办"], "发展党员15名。"),
    # a bracket closing the sentence before it, then a task of its own: that task is quoted
    ("减少地膜使用。（农业农村部指导）按照“谁购买谁交回”原则，建立押金返还制度。", ["押金"],
     "（农业农村部指导）按照“谁购买谁交回”原则，建立押金返还制度。"),
    # nothing but fields: the first of them
    ("牵头单位：县委组织部。完成时限：6月底前", ["时限"], "牵头单位：县委组织部。"),
])
def test_the_quoted_sentence_is_a_task_not_the_items_fields(text, terms, quoted):
    from planbot.index.answer.cite import best_sentence

    assert best_sentence(text, terms) == quoted


def test_a_section_whose_sentence_is_its_title_shows_no_quote():
    from planbot.index.answer.cite import quote
    from planbot.index.models import Citation

    section = Citation(item_id=1, plan="计划", plan_id=1, kind="section", label="三、", path=["三"], title="实施步骤",
                       text="实施步骤", sentence="实施步骤")
    assert quote(section) == ""
    with_text = section.model_copy(update={"text": "实施步骤。分三个阶段进行。", "sentence": "分三个阶段进行。"})
    assert quote(with_text) == "分三个阶段进行。"
    item = section.model_copy(update={"kind": "item"})  # an item's title-only sentence is still its text
    assert quote(item) == "实施步骤"
