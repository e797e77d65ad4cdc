"""Floors under the development question sets (tests/index/question_sets.py), all ten plans
loaded: a change that makes PlanBot answer real questions worse fails here. The held-out set
is only ever reported (python -m tests.index.question_sets), never asserted or tuned to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.index import question_sets as qs


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = qs.open_engine(Path(tmp_path_factory.mktemp("sets")))
    yield e
    e.close()


def test_the_corpus_development_set(engine):
    score = qs.score(engine, qs.load(qs.SETS["corpus"]))
    assert score.first >= 0.89 * score.covered, score.line("corpus")
    assert score.false_not_found <= 0.05 * score.covered, score.line("corpus")
    assert score.not_covered_ok >= 0.6 * score.not_covered, score.line("corpus")


def test_the_phone_wording_development_set(engine):
    score = qs.score(engine, qs.load(qs.SETS["phone"]))
    assert score.first >= 0.88 * score.covered, score.line("phone")
    assert score.false_not_found <= 1, score.line("phone")


def test_the_group_chat_development_set(engine):
    score = qs.score(engine, qs.load(qs.SETS["group"]))
    assert score.first >= 0.88 * score.covered, score.line("group")
    assert score.false_not_found <= 2, score.line("group")
    assert score.not_covered_ok >= score.not_covered - 1, score.line("group")


def test_the_section_development_set(engine):
    """Questions naming a whole section by its heading's words, beside questions about one task
    under a heading that shares them (lists.named_section)."""
    score = qs.score(engine, qs.load(qs.SETS["section"]))
    assert score.first >= 0.8 * score.covered, score.line("section")
    assert score.who_ok >= 0.7 * score.who, score.line("section")
    assert score.not_covered_ok == score.not_covered, score.line("section")


def test_the_area_development_set(engine):
    """Questions naming an area of a plan (那几项, 那块, 方面) — its section is the answer — beside
    questions that say the same words of one task (ask._area_section)."""
    score = qs.score(engine, qs.load(qs.SETS["area"]))
    assert score.first >= 0.7 * score.covered and score.false_not_found <= 1, score.line("area")


def test_the_coverage_development_set(engine):
    """Half of it no plan covers, most sharing a side word with one: the figure to raise is how
    many of those say so; the covered half must keep its answers while it rises."""
    score = qs.score(engine, qs.load(qs.SETS["coverage"]))
    assert score.first >= 0.9 * score.covered and score.false_not_found <= 1, score.line("coverage")
    assert score.not_covered_ok >= 0.55 * score.not_covered, score.line("coverage")


def test_the_due_topic_development_set(engine):
    """What falls due in a period about a topic: the item due, the nearest item when nothing
    on it is due then, and "not covered" (not every item due) for a topic no plan covers."""
    score = qs.score(engine, qs.load(qs.SETS["due-topic"]))
    assert score.first >= 0.85 * score.covered and score.false_not_found <= 1, score.line("due-topic")
    assert score.not_covered_ok >= 0.55 * score.not_covered, score.line("due-topic")


def test_the_abbrev_development_set(engine):
    """A plan's term named by its everyday abbreviation (综保区, 发改局, 危废): the item still
    found, and an abbreviation of something no plan covers not answered through a side word."""
    score = qs.score(engine, qs.load(qs.SETS["abbrev"]))
    assert score.first >= 0.8 * score.covered and score.false_not_found <= 2, score.line("abbrev")
    assert score.not_covered_ok >= 0.6 * score.not_covered, score.line("abbrev")


def test_not_covered_paraphrases_of_the_seed_plan_say_so(engine):
    # All but one: 公务员考试报名有啥条件 meets an item holding 考试 and 条件 (in two sentences),
    # which the content-word measure cannot tell from a right answer whose colloquial words
    # no plan uses (README, "How well it answers").
    score = qs.score(engine, qs.load(qs.SETS["seed"]))
    assert score.not_covered_ok >= score.not_covered - 1, score.line("seed")


def test_a_who_question_prefers_the_item_of_its_plan_that_names_owners(engine, monkeypatch):
    """07 has a paragraph on 应急粮食的调运 that names nobody and, a little below it in the
    ranking, the sentence 铁道部、交通部负责……应急粮食的运输: a who-question wants the latter."""
    from planbot.index.answer import found

    question = "应急粮食运输找哪个部门"
    monkeypatch.setattr(found, "UNSTATED_OWNER", 0.0)
    assert not engine.ask(question, today=qs.TODAY).citations[0].owners  # without the preference
    monkeypatch.undo()
    answer = engine.ask(question, today=qs.TODAY)
    assert answer.found and answer.citations[0].text.startswith("铁道部、交通部负责")
    assert "铁道部" in answer.text and "交通部" in answer.text



def test_a_plan_lacking_a_word_other_plans_use_does_not_answer_with_its_other_words(engine):
    """The 乡村振兴 plan's item on 易地扶贫搬迁 holds every word of the question that plan uses, but
    the plan never speaks of 激励, which the 督查激励 notice does: within its plan the item no
    longer holds "all" of the question, and the notice's item on 易地扶贫搬迁 answers."""
    answer = engine.ask("易地扶贫搬迁搞得好的激励找哪个部委", today=qs.TODAY)
    assert answer.found and "易地扶贫搬迁" in answer.citations[0].text, answer.text
    assert answer.citations[0].plan.startswith("国务院办公厅关于对真抓实干成效明显地方"), answer.citations[0].plan


def test_two_plans_holding_all_of_a_who_question_are_both_named(engine):
    """The 督查激励 notice says 高标准农田 twice in its item, the county plan's task once: both
    hold all of the question, and the county's 牵头 unit is named beside the ministry."""
    answer = engine.ask("高标准农田谁牵头", today=qs.TODAY)
    assert answer.text.startswith("两份计划都有相关内容"), answer.text
    assert "县农业农村局" in answer.text and "农业农村部" in answer.text, answer.text


def test_the_thing_development_set(engine):
    """A thing named like a unit (合作社示范社, 县域职教中心) that plans describe and no plan names
    as an owner: what it has (有啥政策) answered from its section or items, not said to be no
    one's tasks; units the plans do name still listed, and things no plan mentions not answered."""
    score = qs.score(engine, qs.load(qs.SETS["thing"]))
    assert score.first >= 0.85 * score.covered and score.false_not_found <= 2, score.line("thing")
    assert score.not_covered_ok >= 0.6 * score.not_covered, score.line("thing")


def test_the_confirm_development_set(engine):
    """A yes/no check of who or when (是不是X牵头, 是9月底前吧), the guess right or wrong: the item
    and its real owners or time limit; such checks on what no plan covers not answered."""
    score = qs.score(engine, qs.load(qs.SETS["confirm"]))
    assert score.first >= 0.9 * score.covered and score.false_not_found <= 1, score.line("confirm")
    assert score.not_covered_ok >= 0.85 * score.not_covered, score.line("confirm")


def test_the_compound_development_set(engine):
    """Two or three tasks asked of in one message (X和Y分别谁负责): every part's item cited, the
    first part's first; one task named with 和 still answered as one, and tasks no plan covers
    not answered through a side word of each."""
    score = qs.score(engine, qs.load(qs.SETS["compound"]))
    assert score.first >= 0.75 * score.covered and score.false_not_found <= 2, score.line("compound")
    assert score.not_covered_ok == score.not_covered, score.line("compound")


def test_the_unit_pair_development_set(engine):
    """Two or three units' task lists asked in one message (组织办和宣传办分别负责哪些任务): an item
    of each unit cited; a unit whose own name holds 和 still one unit; units no plan names not
    answered with another unit's tasks."""
    score = qs.score(engine, qs.load(qs.SETS["unit-pair"]))
    assert score.first >= 0.85 * score.covered and score.false_not_found <= 1, score.line("unit-pair")
    assert score.not_covered_ok == score.not_covered, score.line("unit-pair")


def test_the_count_development_set(engine):
    """How many / how much / how long a plan sets (改厕要改多少户, 职教老师每年去企业实训多长时间):
    the item stating it, its sentence that states the number quoted, and an item stating no
    number said to (该条未写明具体数字)."""
    score = qs.score(engine, qs.load(qs.SETS["count"]), counts=True)
    assert score.first >= 0.9 * score.covered and score.false_not_found <= 1, score.line("count")
    assert score.count_ok >= 0.9 * score.count and score.not_covered_ok >= 0.6 * score.not_covered, score.line("count")


def test_the_unit_topic_development_set(engine):
    """One unit's tasks on one topic (组织办负责的事里哪些是关于党员的, 农业局手上有没有跟乡村旅游
    有关的活): the unit's items on it cited and the rest left out; a unit with no task on it said
    to have none."""
    score = qs.score(engine, qs.load(qs.SETS["unit-topic"]))
    assert score.first >= 0.85 * score.covered and score.false_not_found <= 2, score.line("unit-topic")
    assert score.not_covered_ok == score.not_covered, score.line("unit-topic")
