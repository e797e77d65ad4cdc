"""/remind: stored in the database, scheduled with the JobQueue, re-created at start-up."""

import datetime as dt

import pytest

from planbot.bot.telegram import deadlines
from planbot.bot.chat_settings import ChatSettings

from .conftest import BOB, make_settings, sent_texts, started, stopped
from .tg_html import check_html

pytestmark = pytest.mark.anyio

CHAT = {"id": -1000333, "type": "group", "title": "提醒群"}


def jobs(app, chat_id):
    return app.job_queue.get_jobs_by_name(deadlines.job_name(chat_id))


def only(calls):
    (call,) = sent_texts(calls)
    assert not call.error
    return call


async def test_remind_on_off_and_status(own_driver, fresh_engine):
    app = own_driver.app
    assert "未开启" in only(await own_driver.send("/remind", chat=CHAT, user=BOB)).plain
    reply = only(await own_driver.send("/remind on 08:30", chat=CHAT, user=BOB))
    assert "08:30" in reply.plain and "Asia/Shanghai" in reply.plain
    assert ChatSettings(fresh_engine).reminders()[CHAT["id"]] == dt.time(8, 30)
    (job,) = jobs(app, CHAT["id"])
    next_run = job.next_t.astimezone(app.bot_data["planbot"].settings.zone)
    assert (next_run.hour, next_run.minute) == (8, 30)
    # Changing the time replaces the job rather than adding a second one.
    only(await own_driver.send("/remind 7:05", chat=CHAT, user=BOB))
    (job,) = jobs(app, CHAT["id"])
    assert job.next_t.astimezone(app.bot_data["planbot"].settings.zone).strftime("%H:%M") == "07:05"
    assert "已开启" in only(await own_driver.send("/remind", chat=CHAT, user=BOB)).plain
    assert "关闭" in only(await own_driver.send("/remind off", chat=CHAT, user=BOB)).plain
    assert CHAT["id"] not in ChatSettings(fresh_engine).reminders()
    assert jobs(app, CHAT["id"]) == ()
    assert "用法" in only(await own_driver.send("/remind on 25:99", chat=CHAT, user=BOB)).plain
    assert "09:00" in only(await own_driver.send("/remind on", chat=CHAT, user=BOB)).plain
    assert ChatSettings(fresh_engine).reminders()[CHAT["id"]] == deadlines.DEFAULT_REMIND


async def test_reminders_are_recreated_at_startup(api, fresh_engine, tmp_path):
    ChatSettings(fresh_engine).set_reminder(CHAT["id"], dt.time(9, 15))
    app = await started(make_settings(api, tmp_path / "planbot.db"), fresh_engine)
    try:
        (job,) = jobs(app, CHAT["id"])
        assert job.next_t.astimezone(app.bot_data["planbot"].settings.zone).strftime("%H:%M") == "09:15"
    finally:
        await stopped(app)


async def test_digest_lists_items_due_soon_and_stays_quiet_otherwise(own_driver, fresh_engine, monkeypatch):
    api, app = own_driver.api, own_driver.app
    api.chats[CHAT["id"]] = CHAT
    only(await own_driver.send("/remind on 08:30", chat=CHAT, user=BOB))
    (job,) = jobs(app, CHAT["id"])
    day = dt.date(2021, 6, 25)
    expected = fresh_engine.deadlines(within=deadlines.DIGEST_DAYS, today=day)
    assert expected.citations  # the sample plans have items due at the end of June 2021
    monkeypatch.setattr(deadlines, "today", lambda context: day)
    before = len(api.calls)
    await job.run(app)
    (digest,) = sent_texts(api.since(before))
    assert digest.params["chat_id"] == CHAT["id"] and check_html(digest.text)[1] == []
    assert digest.plain.startswith("⏰ 每日提醒")
    for c in expected.citations:
        assert c.title in digest.plain
    # 全文 for each item; a reply to the digest is about its first item.
    assert [b["callback_data"] for b in digest.buttons if b["callback_data"].startswith("1:f:")] == [
        f"1:f:{c.item_id}" for c in expected.citations]
    reply = own_driver.api.messages[digest.result["message_id"]]
    (who,) = sent_texts(await own_driver.send("谁负责", chat=CHAT, user=BOB, reply_to=reply))
    assert expected.citations[0].title in who.plain and "牵头" in who.plain
    monkeypatch.setattr(deadlines, "today", lambda context: dt.date(2030, 1, 1))
    before = len(api.calls)
    await job.run(app)
    assert sent_texts(api.since(before)) == []
