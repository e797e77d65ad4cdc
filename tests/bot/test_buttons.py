"""Inline buttons (全文, 更多, forged/stale data), inline mode and the error handler."""

import logging

import pytest

from planbot.bot.telegram import callbacks, errors, inline, render

from .conftest import ALICE, BOB, GROUP, sent_texts
from .tg_html import check_html

pytestmark = pytest.mark.anyio


def answered(calls):
    (call,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert not call.error
    return call


def button(call, prefix):
    return next(b["callback_data"] for b in call.buttons if (b.get("callback_data") or "").startswith(prefix))


async def ask(driver, text, **kw):
    (reply,) = sent_texts(await driver.send(text, **kw))
    return reply


async def test_full_text_button_sends_the_whole_item(driver, shared_engine):
    reply = await ask(driver, "/ask 社区工作者工资涨不涨", chat=GROUP, user=BOB)
    data = button(reply, "1:f:")
    item = shared_engine.item(callbacks.decode(data).number)
    calls = await driver.press(reply, data, user=ALICE)
    assert answered(calls).params.get("text") is None  # a silent acknowledgement
    (full,) = sent_texts(calls)
    assert check_html(full.text)[1] == []
    assert item.text in full.plain and full.plain.startswith(f"《{item.plan}》")
    assert full.params["reply_parameters"]["message_id"] == reply.result["message_id"]


async def test_more_button_pages_through_results(driver, shared_engine):
    first = await ask(driver, "培训")
    expected = shared_engine.ask("培训")
    assert expected.more
    data = button(first, "1:m:")
    calls = await driver.press(first, data)
    answered(calls)
    (second,) = sent_texts(calls)
    page = shared_engine.ask("培训", offset=len(expected.citations))
    ids = [callbacks.decode(b["callback_data"]).number for b in second.buttons
           if b["callback_data"].startswith("1:f:")]
    assert ids == [c.item_id for c in page.citations][: render.MAX_FULL_BUTTONS]
    assert not set(ids) & {c.item_id for c in expected.citations}


@pytest.mark.parametrize("data", ["1:f:999999", "garbage", "1:m:abcdEFGH:3", "1:a:abcdEFGH",
                                  "1:x:abcdEFGH", "1:r:abcdEFGH", "9:f:1", "1:f:-1"])
async def test_forged_or_stale_buttons_get_a_short_notice(driver, data):
    reply = await ask(driver, "社区工作者工资涨不涨")
    calls = await driver.press(reply, data)
    notice = answered(calls).params["text"]
    assert 0 < len(notice) <= 40
    assert sent_texts(calls) == []


async def test_inline_query_offers_items_that_insert_the_citation(driver, shared_engine):
    calls = await driver.inline("干部培训谁负责")
    (call,) = [c for c in calls if c.method == "answerInlineQuery"]
    assert not call.error
    results = call.params["results"]
    expected = shared_engine.ask("干部培训谁负责", top=inline.INLINE_TOP)
    assert [r["id"] for r in results] == [str(c.item_id) for c in expected.citations]
    for r, c in zip(results, expected.citations):
        content = r["input_message_content"]
        assert content["parse_mode"] == "HTML"
        plain, problems = check_html(content["message_text"])
        assert problems == []
        assert f"《{c.plan}》" in plain and (c.sentence or c.title) in plain
        assert r["title"].startswith(f"《{c.plan}》")


async def test_empty_or_unmatched_inline_query_answers_with_no_results(driver):
    for query in ["", "火星探测计划"]:
        calls = await driver.inline(query)
        (call,) = [c for c in calls if c.method == "answerInlineQuery"]
        assert call.params["results"] == [] and not call.error
        assert call.params["button"]["start_parameter"] == "help"


async def test_unexpected_errors_are_logged_and_answered_with_an_apology(driver, shared_engine,
                                                                         monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(shared_engine, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="planbot.bot.telegram.errors"):
        calls = await driver.send("/ask 干部培训谁负责", chat=GROUP, user=BOB)
    (reply,) = sent_texts(calls)
    assert reply.plain == errors.APOLOGY
    assert "database on fire" not in reply.plain
    record = next(r for r in caplog.records if "unhandled error" in r.getMessage())
    assert f"chat={GROUP['id']}" in record.getMessage() and record.exc_info[1].args == ("database on fire",)


async def test_engine_errors_on_buttons_are_shown_as_alerts(driver, shared_engine, monkeypatch):
    from planbot.index.errors import PlanNotFound

    reply = await ask(driver, "培训")
    data = button(reply, "1:m:")

    def gone(*args, **kwargs):
        raise PlanNotFound("没有找到名称包含“x”的计划。")

    monkeypatch.setattr(shared_engine, "ask", gone)
    calls = await driver.press(reply, data)
    call = answered(calls)
    assert call.params["text"] == "没有找到名称包含“x”的计划。" and call.params["show_alert"] is True
