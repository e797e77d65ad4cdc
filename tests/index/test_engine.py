"""The answer engine on the bundled plans: each kind of question, scoping, changes."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from planbot.index.errors import AmbiguousPlan, ItemNotFound, PlanNotFound
from planbot.index.models import Answer, Role

JUNE_2021 = dt.date(2021, 6, 15)


def test_who_answer_lists_the_cited_items_units_by_role(engine):
    answer = engine.ask("乡村旅游精品线路哪个部门牵头", today=JUNE_2021)
    assert answer.kind == "who" and answer.found
    first = answer.citations[0]
    leads = [o.unit for o in first.owners if o.role == Role.lead]
    assert leads, "the cited item has a lead unit"
    assert all(unit in answer.text for unit in leads)
    assert "牵头" in answer.text


def test_who_answer_says_plainly_when_the_plan_names_no_owner(engine):
    answer = engine.ask("干部培训谁负责？", today=JUNE_2021)
    assert answer.kind == "who" and answer.found
    assert answer.citations[0].owners == []
    assert "未写明责任单位" in answer.text


def test_when_answer_quotes_the_deadline_as_written(engine):
    answer = engine.ask("高标准农田什么时候完成", today=JUNE_2021)
    assert answer.kind == "when"
    phrases = [d.phrase for d in answer.citations[0].deadlines]
    assert phrases and all(p in answer.text for p in phrases)


def test_when_answer_without_deadline(engine):
    answer = engine.ask("博士工作站什么时候建", plan="组织", today=JUNE_2021)
    assert answer.citations[0].deadlines == []
    assert "未写明完成时限" in answer.text


def test_lookup_by_number_in_one_plan(engine):
    answer = engine.ask("第十二项", plan="组织")
    assert answer.kind == "lookup"
    assert answer.citations[0].path == ["四", "12"]
    assert answer.citations[0].title in answer.text


def test_lookup_number_shared_by_several_plans_lists_them_all(engine):
    answer = engine.ask("第3条说的什么？")
    assert answer.kind == "lookup"
    assert len({c.plan for c in answer.citations}) == 3
    assert all(c.path[-1] == "3" for c in answer.citations)


def test_show_section_dot_item(engine):
    answer = engine.show("二.3", plan="组织")
    assert answer.citations[0].path == ["二", "3"]
    with pytest.raises(ItemNotFound):
        engine.show("九十九", plan="组织")
    with pytest.raises(ItemNotFound):
        engine.show("abc")


def test_section_listing_by_number(engine):
    answer = engine.ask("第二部分有哪些", plan="组织")
    assert answer.kind == "section"
    section, *children = answer.citations
    assert section.kind == "section" and section.path == ["二"]
    assert [c.path[-1] for c in children] == ["3", "4", "5", "6"]


def test_section_listing_by_topic(engine):
    answer = engine.ask("人才方面有哪些工作", plan="组织")
    assert answer.citations[0].path == ["四"]
    assert len(answer.citations) == 4


def test_deadlines_this_month(engine):
    answer = engine.ask("这个月有哪些任务到期", today=JUNE_2021)
    assert answer.kind == "deadlines" and answer.found
    for c in answer.citations:
        assert any(d.date and d.date.year == 2021 and d.date.month == 6 for d in c.deadlines)
    assert ["三", "（二）", "11"] in [c.path for c in answer.citations]


def test_deadlines_by_month_and_within(engine):
    june = engine.deadlines(month="2022-06")
    assert {tuple(c.path) for c in june.citations} == {("三", "8"), ("四", "10")}
    soon = engine.deadlines(within=20, today=dt.date(2021, 4, 20))
    assert [c.path for c in soon.citations] == [["四", "12"]]
    empty = engine.deadlines(month="2030-01")
    assert not empty.found and "没有到期" in empty.text


@pytest.mark.parametrize("question", ["", "   ", "😀😀😀", "？？？", "\u200b", "你好", "在吗？", "帮助", "你能做什么", "hi"])
def test_empty_emoji_greeting_or_help_gets_a_hint(engine, question):
    answer = engine.ask(question)
    assert answer.kind == "hint" and not answer.found and answer.citations == []


def test_thanks_are_answered_in_kind_not_searched_for(engine):
    """谢谢 asked of `planbot ask` (the bot only nods, the chat says nothing): a word back."""
    thanked, acknowledged, greeted = engine.ask("谢谢！"), engine.ask("收到"), engine.ask("你好")
    assert thanked.kind == acknowledged.kind == "hint" and not thanked.citations
    assert thanked.text == acknowledged.text and thanked.text.startswith("好的")
    assert "没有找到" not in thanked.text and greeted.text != thanked.text


@pytest.mark.parametrize("question", ["你好，干部培训谁负责", "帮助困难党员有哪些措施"])
def test_a_question_that_starts_like_a_greeting_is_answered(engine, question):
    assert engine.ask(question).kind != "hint"


def test_plan_scope_and_plan_names(engine):
    answer = engine.ask("谁负责", plan="城关镇")
    assert all(c.plan == "城关镇2022年党建工作任务清单" for c in answer.citations)
    with pytest.raises(AmbiguousPlan):
        engine.find_plan("年")
    with pytest.raises(PlanNotFound):
        engine.find_plan("教育局")


def test_more_results_page_on(engine):
    first = engine.ask("干部", top=3)
    second = engine.ask("干部", top=3, offset=3)
    assert first.more
    assert {c.item_id for c in first.citations}.isdisjoint(c.item_id for c in second.citations)


def test_item_by_id_and_json_round_trip(engine):
    answer = engine.ask("驻村第一书记谁派")
    cited = answer.citations[0]
    again = engine.item(cited.item_id)
    assert again is not None and again.text == cited.text and again.path == cited.path
    assert engine.item(-1) is None
    assert Answer.model_validate_json(answer.model_dump_json()) == answer


def test_reindexing_unchanged_files_does_nothing(fresh_engine, plan_dir):
    before = [(c.item_id, c.text) for c in fresh_engine.ask("干部", top=20).citations]
    report = fresh_engine.index_paths([plan_dir])
    assert not report.added and not report.updated and len(report.unchanged) == 3
    assert [(c.item_id, c.text) for c in fresh_engine.ask("干部", top=20).citations] == before


def test_changed_file_replaces_its_plan(fresh_engine, plan_dir, tmp_path):
    source = plan_dir / "2022年城关镇党建工作任务清单.txt"
    changed = tmp_path / source.name
    shutil.copy(source, changed)
    changed.write_text(source.read_text(encoding="utf-8") + "\n14、新增一项测试任务：建设红色书屋。（责任部门：宣传办）\n",
                       encoding="utf-8")
    report = fresh_engine.index_paths([changed])
    assert report.updated == [str(changed)]
    assert len(fresh_engine.plans()) == 3
    answer = fresh_engine.ask("红色书屋谁负责")
    assert answer.found and answer.citations[0].path == ["五", "14"]
    assert [o.unit for o in answer.citations[0].owners] == ["宣传办"]


def test_warming_stores_nothing_and_a_plan_added_after_it_is_the_same(fresh_engine, sample_db, tmp_path):
    from planbot.index.engine import Engine

    shutil.copy(sample_db, tmp_path / "cold.db")
    cold = Engine.open(tmp_path / "cold.db")
    before = [p.model_dump() for p in fresh_engine.plans()]
    fresh_engine.warm()
    assert [p.model_dump() for p in fresh_engine.plans()] == before
    assert "abbrev" in fresh_engine._snapshot().corpus._cache  # made now, not by a first 职教-like word
    data = "2024年红星村建设工作要点\n一、基础设施\n1、建设红色书屋，年底前完成。（责任部门：宣传办）\n2、修缮村道。（责任部门：交通办）\n".encode()
    answers = []
    for e in (fresh_engine, cold):
        e.add_plan(e.parse_upload("红星村.txt", data))
        answers.append(e.ask("红色书屋谁负责").model_dump())
    cold.close()
    assert answers[0] == answers[1] and answers[0]["found"]


def test_a_warmed_engine_cuts_questions_with_rjieba_and_answers_the_same(engine, sample_db, tmp_path):
    """Once the plan tokenizer (rjieba) is loaded, questions are cut with it, not jieba's
    Python HMM: every answer of the sample question set must stay the same."""
    pytest.importorskip("rjieba")
    from planbot.index.engine import Engine

    shutil.copy(sample_db, tmp_path / "warm.db")
    warm = Engine.open(tmp_path / "warm.db")
    warm.warm()
    assert warm._cutter().compiled and not engine._cutter().compiled
    questions = [line.split("\t")[0] for line in (Path(__file__).parent / "questions.tsv")
                 .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert len(questions) > 50
    for q in questions:
        assert warm.ask(q).model_dump() == engine.ask(q).model_dump(), q
    warm.close()


def test_remove_plan(fresh_engine):
    info = fresh_engine.remove_plan("城关镇")
    assert info.title == "城关镇2022年党建工作任务清单"
    assert all(c.plan != info.title for c in fresh_engine.ask("党支部", top=20).citations)


def test_part_number_alone_lists_the_section(engine):
    answer = engine.ask("第一部分", plan="组织")
    assert answer.kind == "section" and answer.citations[0].path == ["一"]
    assert engine.ask("第二部分第3条", plan="组织").citations[0].path == ["二", "3"]


def test_one_plan_is_the_plan_the_list_gives_before_and_after_the_list_is_made(fresh_engine):
    from planbot.index.engine import Engine

    path = fresh_engine.store.path
    listed = {p.id: p for p in fresh_engine.plans()}
    text = "2021年全县重点工作方案\n一、任务\n1. 开展培训。（责任单位：县委组织部）\n2. 开展考核。\n"
    own = fresh_engine.add_plan(fresh_engine.parse_upload("own.txt", text.encode()), scope=-7)
    listed[own.id] = own
    for first_list in (False, True):
        engine = Engine.open(path)  # a fresh process: no plan list made yet
        try:
            if first_list:
                engine.plans()
            for plan_id, info in listed.items():
                assert engine.plan(plan_id) == info
                assert engine.plan(plan_id, chat=-8) == (None if info.scope == -7 else info)
            assert engine.plan(own.id, chat=-7) == own and engine.plan(max(listed) + 1) is None
        finally:
            engine.close()


def test_a_question_asks_the_database_once_whether_another_process_wrote(engine, monkeypatch):
    # The plan list is read from the snapshot the question took: a second look costs a query.
    asked = []
    real = type(engine.store).data_version
    monkeypatch.setattr(type(engine.store), "data_version", lambda store: asked.append(1) or real(store))
    assert engine.ask("干部培训谁负责？", today=JUNE_2021).found
    assert len(asked) == 1
