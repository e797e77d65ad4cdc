"""What is due: one parser of period words for questions, Engine.deadlines and the edges;
overdue apart from coming; pages; a period with nothing due points at the nearest deadlines;
a miss names the plans it searched."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.errors import PeriodNotUnderstood
from planbot.index.limits import PAGE

JUNE_10 = dt.date(2021, 6, 10)


@pytest.mark.parametrize("question, period", [
    ("下周要完成哪些", "下周"), ("本季度到期的任务", "本季度"), ("今年要完成哪些", "今年"),
    ("2021-06要完成哪些", "2021-06"), ("2021年6月有哪些任务到期", "2021年6月"), ("6月要完成哪些", "6月"),
    ("本月到期的", "本月"), ("下个月要完成哪些", "下月"), ("30天内要完成哪些", "30天"),
    ("逾期的任务有哪些", "逾期"), ("哪些任务过期了", "过期"),
    ("明天要完成哪些", "明天"), ("上周到期的", "上周"), ("今天有什么事", "今天"),
])
def test_a_question_and_deadlines_read_a_period_alike(engine, question, period):
    asked = engine.ask(question, today=JUNE_10)
    listed = engine.deadlines(period, today=JUNE_10)
    assert asked.kind == listed.kind == "deadlines"
    assert (asked.due.start, asked.due.end) == (listed.due.start, listed.due.end)
    assert [c.item_id for c in asked.citations] == [c.item_id for c in listed.citations][:PAGE]


@pytest.mark.parametrize("question", ["有哪些任务到期", "哪些任务快到期了", "到期的有哪些", "快到期的有啥",
                                      "截止的任务有几项", "有什么快到期的"])
def test_what_is_due_asked_without_a_period_is_the_days_ahead_as_deadlines_alone(engine, question):
    asked = engine.ask(question, today=JUNE_10)
    listed = engine.deadlines(today=JUNE_10)
    assert asked.kind == listed.kind == "deadlines" and asked.found
    assert (asked.due.start, asked.due.end) == (listed.due.start, listed.due.end)
    assert [c.item_id for c in asked.citations] == [c.item_id for c in listed.citations][:PAGE]


def test_an_items_time_limit_asked_with_a_due_word_is_still_that_items(engine):
    assert engine.ask("干部培训什么时候到期", today=JUNE_10).kind == "when"


def test_a_units_tasks_due_without_a_period_are_those_of_the_days_ahead(engine):
    answer = engine.ask("组织办有哪些任务快到期", today=dt.date(2022, 1, 10))
    assert answer.kind == "unit" and [c.label for c in answer.citations] == ["3、"]  # 2022年1月底前
    assert all(any(o.unit == "组织办" for o in c.owners) for c in answer.citations)


def test_month_and_within_are_the_same_spans_as_their_words(engine):
    assert engine.deadlines(month="2021-06").due == engine.deadlines("2021年6月").due
    assert engine.deadlines(within=14, today=JUNE_10).due == engine.deadlines("14天", today=JUNE_10).due


@pytest.mark.parametrize("period", ["明年春天", "13月", "0", "干部培训"])
def test_a_period_that_names_no_dates_is_refused_with_the_forms(engine, period):
    with pytest.raises(PeriodNotUnderstood, match="本季度"):
        engine.deadlines(period, today=JUNE_10)


def test_overdue_items_come_first_then_the_coming_ones_each_earliest_first(engine):
    year = engine.deadlines("今年", today=JUNE_10)
    assert year.total == len(year.citations) and year.due.overdue >= 1
    assert f"{year.due.overdue}项已过时限，{year.total - year.due.overdue}项尚未到期" in year.text

    def first_due(c, after=dt.date.min):
        return min(d.date for d in c.deadlines if d.date and d.date.year == 2021 and d.date >= after)

    past, coming = year.citations[:year.due.overdue], year.citations[year.due.overdue:]
    assert all(first_due(c) < JUNE_10 for c in past)
    assert all(any(d.date and JUNE_10 <= d.date <= dt.date(2021, 12, 31) for d in c.deadlines) for c in coming)
    assert [first_due(c, JUNE_10) for c in coming] == sorted(first_due(c, JUNE_10) for c in coming)
    gone = engine.deadlines("2021-06", today=dt.date(2026, 1, 1))
    assert gone.total and gone.due.overdue == gone.total and "截至今天均已过时限" in gone.text


def test_a_list_comes_in_pages(engine):
    every = engine.deadlines("1000天", today=JUNE_10)
    assert every.total == len(every.citations) > PAGE and not every.more
    first = engine.deadlines("1000天", today=JUNE_10, limit=PAGE)
    rest = engine.deadlines("1000天", today=JUNE_10, limit=PAGE, offset=PAGE)
    assert first.more and not rest.more and (first.total, rest.total, rest.offset) == (every.total, every.total, PAGE)
    assert [c.item_id for c in first.citations + rest.citations] == [c.item_id for c in every.citations]
    assert f"本页第{PAGE + 1}–{every.total}项" in rest.text
    # A question pages the same way.
    asked = engine.ask("未来1000天要完成哪些", today=JUNE_10, offset=PAGE)
    assert [c.item_id for c in asked.citations] == [c.item_id for c in rest.citations]


def test_nothing_due_says_when_the_nearest_deadlines_fall(engine):
    empty = engine.deadlines("下月", today=dt.date(2026, 6, 1))
    assert not empty.found and empty.total == 0 and empty.due.next is None
    last = empty.due.last
    assert last.date == dt.date(2022, 12, 31) and last.items >= 1
    assert empty.text == (f"2026年7月没有到期的任务（查了全部 3 份计划）。之前最近的是2022年12月31日（{last.items}项）。"
                          "问“2022年12月有哪些任务到期”可以列出那个月的。")
    gap = engine.deadlines("2021-05", today=JUNE_10)  # between two dated items
    assert gap.due.next.date > dt.date(2021, 5, 31) and gap.due.last.date < dt.date(2021, 5, 1)
    assert "之后最近的到期日是" in gap.text and "之前最近的是" in gap.text


def test_a_miss_names_the_plans_it_searched(engine):
    everywhere = engine.ask("火星探测计划的进度")
    assert everywhere.text.startswith("在全部 3 份计划中没有找到")
    one = engine.ask("火星探测计划的进度", plan="组织工作要点")
    assert one.text.startswith("在《2020年全县组织工作要点》中没有找到")
    assert engine.ask("第99条").text.startswith("在全部 3 份计划中没有找到第99条")
    nothing = engine.deadlines("2030-01", plan="城关镇")
    assert "（查了《城关镇2022年党建工作任务清单》）" in nothing.text


def test_overdue_lists_every_item_past_its_time_limit_by_today(engine):
    overdue = engine.deadlines("逾期", today=JUNE_10)
    year = engine.deadlines("今年", today=JUNE_10)
    assert overdue.due.end == JUNE_10 - dt.timedelta(days=1)
    assert overdue.total >= year.due.overdue >= 1 and overdue.due.overdue == overdue.total
    assert f"已过时限的任务有{overdue.total}项" in overdue.text and "截至2021年6月9日" in overdue.text
    assert all(any(d.date and d.date < JUNE_10 for d in c.deadlines) for c in overdue.citations)
    assert "没有已过时限的任务" in engine.deadlines("逾期", today=dt.date(2000, 1, 1)).text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 30), st.integers(737_000, 737_012)), max_size=60), st.booleans())
def test_each_row_comes_once_at_its_earliest_date_earliest_first(pairs, in_row_order):
    """`_earliest` walks the rows instead of sorting every date; it must give its definition:
    the dates sorted (then the rows), each row kept where it first comes."""
    from planbot.index.answer.due import _earliest

    if in_row_order:  # as the corpus keeps its deadlines
        pairs = sorted(pairs, key=lambda p: p[0])
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    days = np.array([d for _, d in pairs], dtype=np.int32)
    by_date = rows[np.lexsort((rows, days))]
    _, first = np.unique(by_date, return_index=True)
    assert _earliest(rows, days).tolist() == by_date[np.sort(first)].tolist()


def test_a_month_by_month_schedule_answers_when_and_what_is_due(engine_of):
    """A 党支部 plan dating its year line by line (1月：… / 3月：…): each line is a task of that
    month, for a when-question and for what is due."""
    engine = engine_of(
        "XX中学党支部2024年工作计划\n一、思想建设\n1．坚持“三会一课”制度。\n二、工作安排\n"
        "1月：召开组织生活会和民主评议党员。\n3月：开展学雷锋志愿服务活动。\n6月：庆祝建党103周年系列活动。\n"
        "12月：支部书记抓党建工作述职。\n")
    june = dt.date(2024, 6, 10)
    when = engine.ask("学雷锋活动什么时候", today=june)
    assert when.kind == "when" and when.citations[0].title.startswith("3月") and "3月" in when.text
    due = engine.ask("这个月有哪些任务到期", today=june)
    assert [c.title for c in due.citations] == ["6月：庆祝建党103周年系列活动"]


def test_what_is_due_in_a_plan_the_question_names_is_that_plans_and_says_so(engine):
    everywhere = engine.ask("365天内要完成哪些", today=JUNE_10)
    asked = engine.ask("城关镇党建365天内要完成哪些", today=JUNE_10)
    plan = engine.find_plan("城关镇")
    assert asked.kind == "deadlines" and asked.citations
    assert {c.plan_id for c in asked.citations} == {plan.id}
    assert {c.plan_id for c in everywhere.citations} > {plan.id}  # without the name: every plan's
    assert asked.text.startswith(f"《{plan.title}》") and asked.total < everywhere.total


def test_a_named_plan_with_nothing_due_is_named_once(engine):
    asked = engine.ask("城关镇党建这个月有哪些任务到期", today=JUNE_10)
    assert not asked.citations and asked.text.count("《城关镇2022年党建工作任务清单》") == 1


def test_what_is_overdue_in_a_plan_named_by_its_words_names_it(engine):
    asked = engine.ask("乡村振兴逾期的有哪些", today=dt.date(2021, 12, 15))
    plan = engine.find_plan("乡村振兴")
    assert asked.citations and {c.plan_id for c in asked.citations} == {plan.id}
    assert f"《{plan.title}》已过时限的任务有" in asked.text


def test_what_falls_due_about_a_topic_lists_only_the_items_about_it(engine):
    """今年农村公路的任务有哪些到期: of the year's items due, those about 农村公路 (found as any
    search finds them), said so in the headline."""
    every = engine.ask("今年有哪些任务到期", today=JUNE_10)
    asked = engine.ask("今年农村公路的任务有哪些到期", today=JUNE_10)
    assert asked.kind == "deadlines" and asked.found
    assert 0 < asked.total < every.total
    assert {c.item_id for c in asked.citations} <= {c.item_id for c in every.citations}
    assert all("农村公路" in c.text for c in asked.citations)
    assert "与“农村公路”相关的任务到期" in asked.text


def test_overdue_about_a_topic(engine):
    asked = engine.ask("逾期的换届任务有哪些", today=JUNE_10)
    assert asked.kind == "deadlines" and asked.total >= 1
    assert all("换届" in c.text for c in asked.citations)
    assert "与“换届”相关的已过时限的任务有" in asked.text


def test_a_topic_no_plan_covers_is_said_not_covered_with_the_count_due_instead_of_the_list(engine):
    """今年征兵有哪些任务到期: no plan covers 征兵. Listing all 14 items due in 2021 would answer a
    question not asked; the answer says the plans do not cover it, then how many fall due and
    how to list them, a question that then lists exactly those."""
    every = engine.ask("今年有哪些任务到期", today=JUNE_10)
    asked = engine.ask("今年征兵有哪些任务到期", today=JUNE_10)
    assert not asked.found and asked.kind == "search" and every.total
    assert "没有找到与“征兵”相关的内容" in asked.text
    assert asked.text.endswith(f"2021年共有{every.total}项任务到期，问“2021年有哪些任务到期”可以列出。")


def test_the_count_after_a_topic_no_plan_covers_counts_what_is_overdue_as_the_list_does(engine):
    every = engine.ask("哪些任务逾期了", today=JUNE_10)
    asked = engine.ask("征兵有哪些逾期了", today=JUNE_10)
    assert not asked.found and every.total
    assert f"共有{every.total}项任务已过时限，问“哪些任务逾期了”可以列出。" in asked.text


def test_a_period_that_is_no_year_or_month_is_counted_without_a_question_to_ask_back(engine):
    every = engine.ask("上半年有哪些任务到期", today=JUNE_10)
    asked = engine.ask("上半年征兵有哪些任务到期", today=JUNE_10)
    assert not asked.found and every.kind == "deadlines" and every.total
    assert asked.text.endswith(f"2021年1月1日至2021年6月30日共有{every.total}项任务到期。")


def test_a_topic_the_plans_cover_but_nothing_due_is_about_is_searched_for(engine):
    """今年有哪些培训班: no 培训班 item falls due in 2021, but the plans hold such items (one with
    no time limit at all): they are the answer, headed by what is not due, on every page alike."""
    asked = engine.ask("今年有哪些培训班", today=JUNE_10, top=1)
    assert asked.kind == "search" and asked.found and asked.more
    assert asked.text.startswith("2021年没有与“培训班”相关的到期任务。")
    assert all("培训班" in c.text for c in asked.citations)
    later = engine.ask("今年有哪些培训班", today=JUNE_10, top=1, offset=1)
    assert later.kind == "search" and later.text.startswith("2021年没有与“培训班”相关的到期任务。")
    assert later.citations and later.citations[0].item_id != asked.citations[0].item_id
    overdue = engine.ask("逾期的培训班有哪些", today=JUNE_10)
    assert overdue.found and overdue.text.startswith("截至2021年6月9日没有与“培训班”相关的已过时限的任务。")


_WAGES = """2021年县根治拖欠农民工工资工作任务分工方案

一、全面排查
1. 开展欠薪隐患大排查，建立台账。责任单位：县人社局；完成时限：6.30前。
2. 国庆节前完成在建工程项目实名制管理全覆盖。牵头单位：县住建局。
3. 七一前完成农民工工资专用账户清理。责任单位：县人社局。
二、集中攻坚
4. 确保2022年春节前农民工工资全部结清。牵头单位：县人社局；配合单位：县公安局。
5. 中秋节前开展一次专项检查。责任单位：县总工会。
"""


@pytest.fixture(scope="module")
def wages_engine(tmp_path_factory, dictionary_cache):
    """The county plan indexed once: its tests only read (made before the autouse fixture that
    shares the dictionary cache, so given it here)."""
    from planbot.index.engine import Engine

    tmp_path = tmp_path_factory.mktemp("wages")
    (tmp_path / "欠薪任务分工.txt").write_text(_WAGES, encoding="utf-8")
    e = Engine.open(tmp_path / "planbot.db", dictionary_cache)
    e.index_paths([tmp_path / "欠薪任务分工.txt"])
    yield e
    e.close()


def _titles(answer) -> list[str]:
    return [c.title for c in answer.citations]


def test_a_county_plans_holidays_and_dotted_days_fall_due_in_their_month(wages_engine):
    """国庆节前 / 七一前 / 6.30前 / 2022年春节前 are dated: a month's list holds them; 中秋节前 (no
    year: which one is not said) is in none."""
    assert _titles(wages_engine.deadlines("2021年6月")) == ["开展欠薪隐患大排查，建立台账", "七一前完成农民工工资专用账户清理"]
    assert _titles(wages_engine.deadlines("2021年9月")) == ["国庆节前完成在建工程项目实名制管理全覆盖"]
    assert _titles(wages_engine.deadlines("2022年1月")) == ["确保2022年春节前农民工工资全部结清"]
    assert wages_engine.deadlines("今年", today=JUNE_10).total == 3


@pytest.mark.parametrize("question, end, titles", [
    ("国庆节前要完成哪些任务", dt.date(2021, 9, 30), 3),
    ("七一前有啥要弄完的", dt.date(2021, 6, 30), 2),
    ("春节前要完成哪些", dt.date(2022, 1, 31), 4),
])
def test_what_is_due_before_a_holiday(wages_engine, question, end, titles):
    asked = wages_engine.ask(question, today=JUNE_10)
    assert asked.kind == "deadlines" and (asked.due.start, asked.due.end) == (JUNE_10, end)
    assert len(asked.citations) == titles


def test_a_topic_sharing_two_scattered_characters_with_a_title_is_no_plan_named(tmp_path):
    """培育龙头企业 shares 育 and 业 with 《国家职业教育改革实施方案》 but names no plan: what is due in
    November about it is the 乡村振兴 task due then, not that 职业教育 has nothing due."""
    from pathlib import Path

    from planbot.index.engine import Engine

    root = Path(__file__).resolve().parents[3]
    engine = Engine.open(tmp_path / "two.db")
    try:
        engine.index_paths([root / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt",
                            root / "tests" / "fixtures" / "corpus" / "06_zhiye-jiaoyu-gaige-fangan.txt"])
        answer = engine.ask("培育龙头企业、家庭农场那个，是11月底截止吗", today=JUNE_10)
        assert answer.kind == "deadlines" and answer.found, answer.text
        assert "职业教育" not in answer.text
        assert answer.citations and "龙头企业" in answer.citations[0].text
        # …while a topic that is a plan's name still names it
        named = engine.ask("乡村振兴今年底前要完成哪些", today=JUNE_10)
        assert named.text.startswith("《2021年全县乡村振兴重点任务分工方案》"), named.text
    finally:
        engine.close()
