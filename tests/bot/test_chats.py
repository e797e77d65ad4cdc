"""The real Application against the stand-in Bot API: questions in private and group chats."""

import subprocess
import sys

import pytest

from planbot.bot.telegram import callbacks, deadlines, links, questions
from planbot.bot.chat_settings import ChatSettings
from planbot.index.answer.cite import body

from .conftest import ALICE, BOB, GROUP, ROOT, make_settings, sent_texts, started, stopped
from .tg_html import check_html

pytestmark = pytest.mark.anyio

BOT = "planbot_test_bot"


def replies(calls):
    return sent_texts(calls)


def only_reply(calls):
    texts = replies(calls)
    assert len(texts) == 1, [(c.method, c.plain[:80]) for c in calls]
    assert not texts[0].error, texts[0].error
    return texts[0]


def assert_html_ok(call):
    assert call.params.get("parse_mode") == "HTML"
    assert check_html(call.text)[1] == []


async def test_startup_registers_chinese_commands(driver, api):
    (call,) = api.called("setMyCommands")
    commands = {c["command"]: c["description"] for c in call.params["commands"]}
    assert {"start", "help", "ask", "item", "plans", "plan", "deadlines", "remind", "remove"} <= set(commands)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in d) for d in commands.values())
    assert api.called("getMe")


async def test_private_text_is_a_question_answered_with_citation(driver, shared_engine):
    calls = await driver.send("干部培训谁负责？")
    assert calls[0].method == "sendChatAction" and calls[0].params["action"] == "typing"
    reply = only_reply(calls)
    assert_html_ok(reply)
    expected = shared_engine.ask("干部培训谁负责？")
    top = expected.citations[0]
    lines = reply.plain.splitlines()
    assert lines[0] == expected.text
    assert any(line.endswith(f"《{top.plan}》 {' › '.join(top.path[:-1])} › {top.label} {top.title}")
               for line in lines), lines
    assert top.sentence in lines
    data = [b.get("callback_data") for b in reply.buttons]
    assert callbacks.encode(callbacks.Kind.full, top.item_id) in data
    assert not any(b.get("url") for b in reply.buttons)  # a deep link to the same private chat is pointless
    assert "reply_parameters" not in reply.params  # no quoting in a one-to-one chat


async def test_group_chatter_and_other_bots_commands_are_ignored(driver):
    for text in ["大家好，明天开会", "/ask@other_bot 干部培训谁负责", "/plans@other_bot",
                 "@bob_b 你看看这个", "/unknown"]:
        assert await driver.send(text, chat=GROUP, user=BOB) == [], text


@pytest.mark.parametrize("text", [f"/ask@{BOT} 干部培训谁负责", "/ask 干部培训谁负责",
                                  f"@{BOT} 干部培训谁负责", f"干部培训谁负责 @{BOT.upper()}"])
async def test_group_answers_ask_and_mentions_quoting_the_question(driver, shared_engine, text):
    question = driver.message(text, chat=GROUP, user=BOB)
    reply = only_reply(await driver.feed({"message": question}))
    assert_html_ok(reply)
    assert reply.plain.splitlines()[0] == shared_engine.ask("干部培训谁负责").text
    assert reply.params["reply_parameters"]["message_id"] == question["message_id"]
    top = shared_engine.ask("干部培训谁负责").citations[0]
    key = driver.app.bot_data["planbot"].settings.link_key
    assert f"https://t.me/{BOT}?start={links.payload(top.item_id, key)}" in [b.get("url") for b in reply.buttons]


async def test_ask_without_question_explains_usage_or_asks_the_quoted_message(driver, shared_engine):
    reply = only_reply(await driver.send("/ask", chat=GROUP, user=BOB))
    assert "用法" in reply.plain
    quoted = driver.message("社区工作者工资涨不涨", chat=GROUP, user=ALICE)
    reply = only_reply(await driver.send("/ask", chat=GROUP, user=BOB, reply_to=quoted))
    assert reply.plain.splitlines()[0] == shared_engine.ask("社区工作者工资涨不涨").text


async def test_reply_to_an_answer_is_asked_within_that_answers_plan(driver, shared_engine):
    first = only_reply(await driver.send(f"@{BOT} 农村饮水安全谁牵头", chat=GROUP, user=BOB))
    plan_id = shared_engine.ask("农村饮水安全谁牵头").citations[0].plan_id
    unscoped = shared_engine.ask("干部")
    assert unscoped.citations[0].plan_id != plan_id  # so the test can tell scoped from not
    answer_message = driver.api.messages[first.result["message_id"]]
    reply = only_reply(await driver.send("干部", chat=GROUP, user=ALICE, reply_to=answer_message))
    source = next(p.source for p in shared_engine.plans() if p.id == plan_id)
    scoped = shared_engine.ask("干部", plan=source)
    assert reply.plain.splitlines()[0] == scoped.text != unscoped.text


async def test_reply_to_an_answer_after_a_restart_still_finds_the_plan(api, shared_engine, bot_db, driver):
    first = only_reply(await driver.send(f"@{BOT} 农村饮水安全谁牵头", chat=GROUP, user=BOB))
    answer_message = api.messages[first.result["message_id"]]
    fresh = await started(make_settings(api, bot_db), shared_engine)  # empty chat_data
    try:
        from .conftest import Driver

        calls = await Driver(fresh, api).send("干部", chat=GROUP, user=ALICE, reply_to=answer_message)
    finally:
        await stopped(fresh)
    plan_id = shared_engine.ask("农村饮水安全谁牵头").citations[0].plan_id
    source = next(p.source for p in shared_engine.plans() if p.id == plan_id)
    assert only_reply(calls).plain.splitlines()[0] == shared_engine.ask("干部", plan=source).text


async def test_replies_to_other_people_are_ignored(driver):
    other = driver.message("今天谁值班？", chat=GROUP, user=ALICE)
    assert await driver.send("我", chat=GROUP, user=BOB, reply_to=other) == []


async def test_edited_messages_are_not_answered_again(driver):
    message = driver.message("干部培训谁负责", user=ALICE)
    assert await driver.feed({"edited_message": dict(message, edit_date=message["date"] + 5)}) == []


async def test_not_found_and_empty_questions_get_the_engines_words(driver, shared_engine):
    reply = only_reply(await driver.send("火星探测计划的进度"))
    assert reply.plain == shared_engine.ask("火星探测计划的进度").text
    assert reply.plain.startswith(f"在全部 {len(shared_engine.plans())} 份计划中没有找到")
    assert [(b["text"], b["callback_data"]) for b in reply.buttons] == [("已收录的计划", "1:p:0")]
    reply = only_reply(await driver.send(f"@{BOT}", chat=GROUP, user=BOB))
    assert "请直接写下问题" in reply.plain


async def test_overlong_question_is_cut_with_a_notice(api, shared_engine, bot_db):
    app = await started(make_settings(api, bot_db, planbot_max_question=20), shared_engine)
    try:
        from .conftest import Driver

        reply = only_reply(await Driver(app, api).send("干部培训谁负责" + "，请详细说明" * 30))
    finally:
        await stopped(app)
    assert reply.plain.startswith("（问题太长，只按前 20 个字回答。）")


async def test_flood_control_answers_once_then_stays_quiet(api, shared_engine, bot_db):
    app = await started(make_settings(api, bot_db, planbot_flood="2/60"), shared_engine)
    try:
        from .conftest import Driver

        d = Driver(app, api)
        assert "全文" in str(only_reply(await d.send("干部培训谁负责", user=BOB)).buttons)
        only_reply(await d.send("人才引进", user=BOB))
        assert only_reply(await d.send("党员教育", user=BOB)).plain.startswith("操作太频繁了")
        assert replies(await d.send("老干部", user=BOB)) == []
        only_reply(await d.send("老干部", user=ALICE))  # other people are not affected
    finally:
        await stopped(app)


async def test_private_unknown_command_gets_a_hint(driver):
    assert "/help" in only_reply(await driver.send("/frobnicate")).plain


async def test_start_help_and_deep_link(driver, shared_engine):
    help_text = only_reply(await driver.send("/start")).plain
    assert "/ask" in help_text and "/deadlines" in help_text and f"@{BOT}" in help_text
    assert only_reply(await driver.send("/help")).plain == help_text
    item = shared_engine.ask("社区工作者工资涨不涨").citations[0]
    key = driver.app.bot_data["planbot"].settings.link_key
    reply = only_reply(await driver.send(f"/start {links.payload(item.item_id, key)}"))
    assert_html_ok(reply)
    assert item.text in reply.plain
    assert only_reply(await driver.send(f"/start {links.payload(999999, key)}")).plain == links.GONE


async def test_item_command(driver, shared_engine):
    reply = only_reply(await driver.send("/item 二.3"))
    assert_html_ok(reply)
    for c in shared_engine.show("二.3").citations:
        # The text once, without its own 牵头单位：… lines; the owners listed once below it.
        assert body(c).strip() in reply.plain
        assert all(o.unit in reply.plain for o in c.owners)
        assert reply.plain.count("牵头单位：") == 0
    assert "用法" in only_reply(await driver.send("/item")).plain
    # ItemNotFound travels to the error handler, which shows its message.
    with pytest.raises(Exception) as info:
        shared_engine.show("九十九.99")
    assert only_reply(await driver.send("/item 九十九.99")).plain == str(info.value)
    reply = only_reply(await driver.send(f"/item@{BOT} 12", chat=GROUP, user=BOB))
    assert [b["text"] for b in reply.buttons] == ["私聊查看"]


async def test_plans_and_chat_plan(driver, shared_engine):
    chat = {"id": -1000077, "type": "supergroup", "title": "乡村振兴专班"}
    listing = only_reply(await driver.send("/plans", chat=chat, user=BOB)).plain
    for p in shared_engine.plans():
        assert p.title in listing
    reply = only_reply(await driver.send("/plan 乡村振兴", chat=chat, user=BOB))
    assert "默认计划已设为《2021年全县乡村振兴重点任务分工方案》" in reply.plain
    assert ChatSettings(shared_engine).plan(chat["id"]).title == "2021年全县乡村振兴重点任务分工方案"
    answer = only_reply(await driver.send("/ask 干部", chat=chat, user=BOB))
    assert answer.plain.splitlines()[0] == shared_engine.ask("干部", plan="乡村振兴").text
    assert "✅ 本聊天默认" in only_reply(await driver.send("/plans", chat=chat, user=BOB)).plain
    only_reply(await driver.send("/plan 全部", chat=chat, user=BOB))
    assert ChatSettings(shared_engine).plan(chat["id"]) is None
    missing = only_reply(await driver.send("/plan 不存在的计划", chat=chat, user=BOB)).plain
    assert "没有找到" in missing
    ambiguous = only_reply(await driver.send("/plan 20", chat=chat, user=BOB)).plain
    assert "对应多个计划" in ambiguous


async def test_deadlines_command(driver, shared_engine):
    reply = only_reply(await driver.send("/deadlines 2021-06"))
    expected = shared_engine.deadlines("2021-06")
    assert reply.plain.splitlines()[0] == expected.text
    for c in expected.citations:
        assert "时限：" + c.deadlines[0].phrase in reply.plain
    refused = only_reply(await driver.send("/deadlines 明年春天")).plain
    assert "没看懂“明年春天”" in refused and "用法" in refused and "本季度" in refused
    assert only_reply(await driver.send("/deadlines 14天")).plain  # today's window: any answer


def test_library_never_imports_telegram():
    code = ("import index.engine, index.models, index.errors, sys; "
            "bad = [m for m in sys.modules if m == 'telegram' or m.startswith('telegram.')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


async def test_only_messages_count_against_a_groups_rate_limit(driver, api):
    """20 messages a minute per group is Telegram's rule; typing actions and admin look-ups
    must not use it up (PTB's AIORateLimiter alone would make the 21st call wait ~3 s)."""
    import time

    api.chats[GROUP["id"]] = GROUP
    bot = driver.app.bot
    start = time.monotonic()
    for _ in range(25):
        await bot.send_chat_action(GROUP["id"], "typing")
        await bot.get_chat_member(GROUP["id"], BOB["id"])
    assert time.monotonic() - start < 2.5
    start = time.monotonic()
    for i in range(21):
        await bot.send_message(GROUP["id"], f"第{i}条")
    assert time.monotonic() - start > 1.5  # the 21st message waits: messages are still limited
