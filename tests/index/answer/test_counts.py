"""How-many questions: the item that states a count is preferred (test_found.py), its sentence
stating the count is quoted, and an item that states none is said to."""

from __future__ import annotations

import datetime as dt

import pytest

from planbot.index.answer.cite import count_sentence
from planbot.index.answer.counts import states_count
from planbot.index.answer.intent import asks_count, classify
from planbot.index.answer.phrasing import NO_COUNT
from tests.corpus import CORPUS

TODAY = dt.date(2021, 6, 15)


@pytest.mark.parametrize("text", ["改造3000户", "普及率达到95%", "拓展两个市场", "厚度低于0.01毫米的地膜",
                                  "每年至少1个月", "在两年之内", "5年一周期", "“万名党员干部帮万户”行动"])
def test_a_count_is_a_number_with_what_it_counts(text):
    assert states_count(text)


@pytest.mark.parametrize("text", ["2021年11月30日前", "21年底前完成", "2019年起", "培育一批企业", "一体化推进"])
def test_a_year_a_date_or_a_vague_amount_is_no_count(text):
    assert not states_count(text)


def test_the_sentence_quoted_is_the_one_stating_a_count_with_the_words_asked():
    text = "健全经费投入机制。完善生均经费标准。拨款水平达到12000元。（牵头：财政部，完成时限：3个月）"
    assert count_sentence(text, ["拨款", "生均"]) == "拨款水平达到12000元。"
    assert count_sentence(text, ["补助"]) is None  # a count beside, not of, what is asked
    assert count_sentence("健全经费投入机制。完善生均经费标准。", ["经费"]) is None


@pytest.mark.parametrize("question", ["改厕要改多少户", "比例要达到多少", "多薄的地膜不让用", "老师每年得去企业待多久",
                                      "职教老师每年要去企业实训多长时间", "储备粮能维持多长时间"])
def test_how_many_how_big_and_how_long_are_counts(question):
    assert asks_count(question)
    assert classify(question, TODAY).kind == "search"


@pytest.mark.parametrize("question", ["综保区以后要建成哪几个中心", "职业教育办学格局那几条讲的啥", "许多高校要干啥",
                                      "几月份完成", "多重保障机制有哪些"])
def test_which_ones_and_many_are_no_count(question):
    assert not asks_count(question)


@pytest.mark.parametrize("question", ["换届多久完成", "干部培训多久能弄完", "支部多久开一次会"])
def test_how_long_until_it_is_done_still_asks_when(question):
    assert classify(question, TODAY).kind == "when"


def test_the_answer_quotes_the_count_not_the_sentence_holding_most_words(engine_of):
    """06's （十六） holds 生均 and 经费标准 in its first sentences; 12000元 is in its third."""
    plan = engine_of(next(CORPUS.glob("06_*.txt")).read_text(encoding="utf-8"))
    asked = plan.ask("高职生均拨款一年每人多少钱", today=TODAY)
    assert asked.found and "健全经费投入机制" in asked.citations[0].title
    assert "12000元" in asked.text and NO_COUNT not in asked.text
    lasts = plan.ask("职教老师每年要去企业实训多长时间", today=TODAY)
    assert lasts.kind == "search" and "每年至少1个月在企业" in lasts.text


def test_an_item_stating_no_count_is_said_to(engine):
    asked = engine.ask("离退休支部书记培训班今年培训多少人", today=TODAY)
    assert asked.found and asked.citations[0].title == "认真做好老干部工作"
    assert asked.text.endswith(NO_COUNT)
    stated = engine.ask("今年农村改厕要改多少户", today=TODAY)
    assert "3000户" in stated.text and NO_COUNT not in stated.text


def test_a_number_of_a_thing_no_plan_covers_is_not_covered_and_quoted_without_fillers(engine):
    asked = engine.ask("农家书屋要建几个来着", today=TODAY)
    assert not asked.found and not asked.citations
    quoted = asked.text.split("“", 1)[1].split("”", 1)[0]
    assert quoted.startswith("农家书屋") and not quoted.endswith(("来", "着", "几个"))  # 来着 is a filler
