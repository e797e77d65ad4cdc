"""Deadline answers through the real PTB path: the period words of a question and of
/deadlines, overdue apart from coming, pages of 20 with 更多, and a miss that says where the
nearest deadlines fall with a button that lists them; where a miss looked, and what it offers."""

import datetime as dt

import pytest

from planbot.bot.chat_settings import ChatSettings
from planbot.bot.telegram import callbacks, deadlines, questions, render
from planbot.index.limits import PAGE

from .conftest import BOB, GROUP, sent_texts
from .tg_html import check_html

pytestmark = pytest.mark.anyio

BOT = "planbot_test_bot"
JUNE_10 = dt.date(2021, 6, 10)


@pytest.fixture
def on_day(monkeypatch):
    """Set the bot's today (PLANBOT_TZ's date) for questions and /deadlines."""
    def set_day(day: dt.date) -> None:
        monkeypatch.setattr(deadlines, "today", lambda context: day)
        monkeypatch.setattr(questions, "today", lambda context: day)
    return set_day


def only_reply(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.plain[:80]) for c in calls]
    assert not texts[0].error and check_html(texts[0].text)[1] == []
    return texts[0]


def data_of(call, prefix: str) -> list[str]:
    return [b["callback_data"] for b in call.buttons if (b.get("callback_data") or "").startswith(prefix)]


@pytest.mark.parametrize("period", ["下周", "本季度", "今年", "2021-06", "2021年6月", "6月", "本月", "下月", "30天"])
async def test_deadlines_command_takes_the_period_words_of_a_question(driver, shared_engine, on_day, period):
    on_day(JUNE_10)
    reply = only_reply(await driver.send(f"/deadlines {period}"))
    expected = shared_engine.deadlines(period, today=JUNE_10, limit=PAGE)
    assert reply.plain.splitlines()[0] == expected.text
    for c in expected.citations:
        assert f"《{c.plan}》" in reply.plain and c.title in reply.plain


@pytest.mark.parametrize("question, period", [("下周要完成哪些", "下周"), ("本季度到期的任务", "本季度"),
                                              ("今年要完成哪些", "今年"), ("2021-06要完成哪些", "2021-06"),
                                              ("2021年6月有哪些任务到期", "2021年6月"), ("6月要完成哪些", "6月")])
async def test_a_deadline_question_in_a_group_lists_the_same_as_the_command(driver, shared_engine, on_day,
                                                                            question, period):
    on_day(JUNE_10)
    reply = only_reply(await driver.send(f"/ask@{BOT} {question}", chat=GROUP, user=BOB))
    assert reply.plain.splitlines()[0] == shared_engine.deadlines(period, today=JUNE_10).text


async def test_overdue_items_are_listed_apart_before_the_coming_ones(driver, shared_engine, on_day):
    on_day(JUNE_10)
    lines = only_reply(await driver.send("/deadlines 今年")).plain.splitlines()
    assert lines[0] == "2021年有14项任务到期：1项已过时限，13项尚未到期。"
    overdue, coming = lines.index("已过时限"), lines.index("尚未到期")
    assert overdue < lines.index("时限：2021年4月底前") < coming < lines.index("时限：2021年6月底前")


async def test_nothing_due_says_where_the_nearest_deadlines_are_and_a_button_lists_them(driver, shared_engine,
                                                                                        on_day):
    on_day(dt.date(2026, 6, 1))
    reply = only_reply(await driver.send("/deadlines 下月"))
    assert reply.plain.startswith("2026年7月没有到期的任务（查了全部 3 份计划）。之前最近的是2022年12月31日")
    (button,) = [b for b in reply.buttons if b["text"] == "看2022年12月到期的"]
    calls = await driver.press(reply, button["callback_data"])
    listed = only_reply(calls)
    expected = shared_engine.deadlines("2022-12", today=dt.date(2026, 6, 1), limit=PAGE)
    assert expected.citations and listed.plain.splitlines()[0] == expected.text
    assert "截至今天均已过时限" in expected.text
    assert data_of(listed, "1:f:") == [callbacks.encode(callbacks.Kind.full, c.item_id) for c in expected.citations]
    # The same from a question, in a group: the answer says it, the button is there.
    question = only_reply(await driver.send(f"/ask@{BOT} 下个月要完成哪些", chat=GROUP, user=BOB))
    assert "之前最近的是2022年12月31日" in question.plain
    assert [b["text"] for b in question.buttons] == ["看2022年12月到期的"]


async def test_a_long_list_comes_a_page_at_a_time_with_更多(driver, shared_engine, on_day):
    on_day(JUNE_10)
    every = shared_engine.deadlines("1000天", today=JUNE_10)
    assert every.total > PAGE  # the sample plans have 21 items due in the next 1,000 days
    first = only_reply(await driver.send("/deadlines 1000天"))
    assert f"本页第1–{PAGE}项" in first.plain.splitlines()[0]
    full = data_of(first, "1:f:")
    assert full == [callbacks.encode(callbacks.Kind.full, c.item_id) for c in every.citations[:PAGE]]
    (more,) = [b["callback_data"] for b in first.buttons if b["text"] == "更多"]
    second = only_reply(await driver.press(first, more))
    assert f"本页第{PAGE + 1}–{every.total}项" in second.plain.splitlines()[0]
    assert data_of(second, "1:f:") == [callbacks.encode(callbacks.Kind.full, c.item_id)
                                       for c in every.citations[PAGE:]]
    assert not [b for b in second.buttons if b["text"] == "更多"]
    # A deadline question pages the same way, through its own 更多.
    asked = only_reply(await driver.send("未来1000天要完成哪些"))
    assert len(data_of(asked, "1:f:")) == PAGE
    (more,) = [b["callback_data"] for b in asked.buttons if b["text"] == "更多"]
    rest = only_reply(await driver.press(asked, more))
    assert len(data_of(rest, "1:f:")) == every.total - PAGE


async def test_a_miss_names_the_chats_plan_and_offers_the_nearest_items(driver, shared_engine):
    chat = {"id": -1000099, "type": "supergroup", "title": "组织口"}
    driver.chat(chat, BOB)
    ChatSettings(shared_engine).set_plan(chat["id"], "组织工作要点")
    try:
        reply = only_reply(await driver.send(f"@{BOT} 干部的体检安排", chat=chat, user=BOB))
    finally:
        ChatSettings(shared_engine).set_plan(chat["id"], None)
    expected = shared_engine.ask("干部的体检安排", plan="组织工作要点")
    assert not expected.found
    assert reply.plain.startswith("在《2020年全县组织工作要点》中没有找到")
    assert reply.plain == expected.text  # the nearest items are named there, not shown as answers
    assert expected.citations and "可能相关" in expected.text
    assert [(b["text"], b["callback_data"]) for b in reply.buttons] == [
        *[(f"可能相关：{render.clip(c.title, 20)}", callbacks.encode(callbacks.Kind.full, c.item_id))
          for c in expected.citations], ("已收录的计划", "1:p:0")]
    calls = await driver.press(reply, "1:p:0", user=BOB)
    listing = only_reply(calls)
    assert listing.plain.startswith(f"已收录 {len(shared_engine.plans())} 个计划")


async def test_overdue_lists_what_is_past_its_time_limit_a_page_at_a_time(driver, shared_engine, on_day):
    day = dt.date(2026, 1, 1)
    on_day(day)
    expected = shared_engine.deadlines("逾期", today=day, limit=None)
    assert expected.total > PAGE and expected.due.overdue == expected.total
    listed = only_reply(await driver.send("/deadlines 逾期"))
    assert listed.plain.splitlines()[0].startswith(f"截至2025年12月31日，已过时限的任务有{expected.total}项")
    (more,) = [b["callback_data"] for b in listed.buttons if b["text"] == "更多"]
    rest = only_reply(await driver.press(listed, more))
    assert len(data_of(rest, "1:f:")) == expected.total - PAGE
    asked = only_reply(await driver.send("逾期的任务有哪些"))
    assert asked.plain.splitlines()[0] == listed.plain.splitlines()[0]
