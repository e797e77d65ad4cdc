"""Faults, forged input, floods and access, against the real Application (issue 6, the bot).

The stand-in Bot API (conftest.FakeBotAPI) plays the failures: `api.fail(method, kind)`
makes the next call(s) of a method time out, get a 429 with retry_after, a 5xx, a dropped
connection, or any error status. Nothing here measures time: short timeouts and retry
delays only keep the suite quick.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import sqlite3

import pytest
from telegram.error import Forbidden, NetworkError

from planbot.bot.serve import RedactFilter, configure_logging
from planbot.bot.telegram import app as tg_app
from planbot.bot.telegram import callbacks, plans, questions
from planbot.bot.telegram import inline as inline_mode
from planbot.bot.telegram.callbacks import Kind
from planbot.bot.telegram.access import Manage, may_manage
from planbot.bot.chat_settings import ChatSettings

from .conftest import ADMIN, ALICE, BOB, GROUP, TOKEN, make_settings, sent_texts, started, stopped
from .conftest import running_bot as bot
from .tg_html import utf16

pytestmark = [pytest.mark.anyio, pytest.mark.slow]  # slow: faults injected one by one

ADMIN2 = {"id": 4343, "is_bot": False, "first_name": "Ops"}  # also in PLANBOT_ADMINS here
SUPERGROUP = {"id": -1001234567890, "type": "supergroup", "title": "乡村振兴专班", "is_forum": False}
ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
SECRET_PART = TOKEN.partition(":")[2]
QUESTION = "干部培训谁负责？"
PLAN = ("2023年全县数字乡村建设工作要点\n一、夯实数字基础设施\n"
        "1. 推进千兆光网进村。2023年6月底前实现行政村千兆光网全覆盖。（牵头单位：县工信局）\n"
        "2. 建设益农信息社。年底前建成益农信息社120个。（牵头单位：县农业农村局）\n").encode()
PLAN_TITLE = "2023年全县数字乡村建设工作要点"
REMOVED_TITLE = "2021年全县乡村振兴重点任务分工方案"


# -- helpers ---------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    """The retry wrapper's waits, shortened (the count of attempts is what is under test)."""
    monkeypatch.setattr(tg_app, "RETRY_DELAYS", (0.01, 0.01))


@pytest.fixture
def short_read_timeout(monkeypatch):
    """PTB's client read timeout (5 s by default) below the stand-in's 'slow' fault."""
    from telegram.request import HTTPXRequest

    original = HTTPXRequest.__init__

    def init(self, *args, **kwargs):
        kwargs["read_timeout"] = 0.3
        original(self, *args, **kwargs)

    monkeypatch.setattr(HTTPXRequest, "__init__", init)




def sends(calls, chat_id=None):
    return [c for c in calls if c.method == "sendMessage"
            and (chat_id is None or int(c.params["chat_id"]) == chat_id)]


def only_reply(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.error, c.plain[:60]) for c in calls]
    assert not texts[0].error, texts[0].error
    return texts[0]


def notice(calls) -> str:
    (call,) = [c for c in calls if c.method == "answerCallbackQuery"]
    assert not call.error
    return call.params.get("text") or ""


def dump(db) -> list[str]:
    """Every row of every table: plans, items, chats, reminders, uploads."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return list(conn.iterdump())


def data_of(call, prefix) -> str:
    return next(b["callback_data"] for b in call.buttons if b["callback_data"].startswith(prefix))


def errors_logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


# -- 1. Telegram API failures --------------------------------------------------------------------
@pytest.mark.parametrize("kind, spec", [
    ("slow", {"delay": 1.0}),          # beyond PTB's read timeout: TimedOut
    ("429", {"retry_after": 1}),       # RetryAfter: AIORateLimiter waits and repeats
    ("5xx", {"status": 502}),
    ("5xx", {"status": 500}),
    ("drop", {}),                      # half a response, then the connection closes
])
async def test_a_transient_send_failure_still_delivers_the_answer(
        api, shared_engine, bot_db, caplog, short_read_timeout, kind, spec):
    async with bot(api, shared_engine, bot_db) as d:
        api.fail("sendMessage", kind, **spec)
        with caplog.at_level(logging.INFO):
            calls = await d.send(QUESTION)
        attempts = sends(calls)
        assert [c.error for c in attempts] == [f"fault:{kind}", None]
        assert attempts[1].plain.splitlines()[0] == shared_engine.ask(QUESTION).text
        assert attempts[0].params["text"] == attempts[1].params["text"]  # the same answer, again
        # The hiccup is logged (a warning, or PTB's rate-limit note), no error, no apology.
        retried = [r.getMessage() for r in caplog.records
                   if "sendMessage failed" in r.getMessage() or "Rate limit hit" in r.getMessage()]
        assert retried, [r.getMessage() for r in caplog.records]
        assert errors_logged(caplog) == []
        # And the bot is still there for the next question.
        assert "《" in only_reply(await d.send("人才引进")).plain


@pytest.mark.parametrize("kind, spec, error, attempts", [
    ("5xx", {"status": 502}, NetworkError, tg_app.SEND_ATTEMPTS),
    ("error", {"status": 403, "description": "Forbidden: bot was blocked by the user"}, Forbidden, 1),
])
async def test_a_permanent_send_failure_is_logged_with_context_and_nothing_crashes(
        api, shared_engine, bot_db, caplog, kind, spec, error, attempts):
    async with bot(api, shared_engine, bot_db) as d:
        api.fail("sendMessage", kind, times=None, **spec)
        with caplog.at_level(logging.INFO):
            message = d.message(QUESTION, user=BOB)
            calls = await d.feed({"message": message})
        # The answer, then the apology: each tried a bounded number of times, none got through.
        assert len(sends(calls)) == 2 * attempts and all(c.error for c in sends(calls))
        (record,) = errors_logged(caplog)
        assert record.name == "planbot.bot.telegram.errors"
        text = record.getMessage()
        assert "(message)" in text and f"chat={BOB['id']}" in text and f"user={BOB['id']}" in text
        assert isinstance(record.exc_info[1], error)
        assert any("could not tell the user" in r.getMessage() for r in caplog.records)
        api.heal()
        assert "《" in only_reply(await d.send("人才引进", user=BOB)).plain


async def test_polling_survives_get_updates_failures_and_answers_afterwards(api, shared_engine, bot_db,
                                                                            caplog):
    async with bot(api, shared_engine, bot_db) as d:
        api.fail("getUpdates", "5xx", status=502)
        api.fail("getUpdates", "drop")
        api.push_update({"message": d.message(QUESTION)})
        with caplog.at_level(logging.INFO):
            await d.app.updater.start_polling(poll_interval=0, timeout=1)
            (reply,) = await asyncio.to_thread(api.wait_for, "sendMessage", 1, 30)
            assert d.app.running and d.app.updater.running
    assert [c.error for c in api.called("getUpdates")][:2] == ["fault:5xx", "fault:drop"]
    assert not reply.error and reply.plain.splitlines()[0] == shared_engine.ask(QUESTION).text
    assert any("polling" in r.getMessage().lower() for r in caplog.records if r.levelno >= logging.ERROR)


# -- 2. forged or stale callback data --------------------------------------------------------------
FORGED = ["", "DROP TABLE plans;--", "1:a:AAAAAAAA", "1:r:AAAAAAAA", "1:x:AAAAAAAA", "1:m:AAAAAAAA:3",
          "1:f:999999999", "2:a:AAAAAAAA", "1:a:" + "A" * 70, "1:f:１２", "1:r:AAAA AAAA"]


async def test_forged_callbacks_change_nothing(own_driver, fresh_engine, tmp_path, caplog):
    db = tmp_path / "planbot.db"
    ChatSettings(fresh_engine).set_plan(GROUP["id"], "组织工作")
    reply = only_reply(await own_driver.send("/ask 干部培训谁负责", chat=GROUP, user=ADMIN))
    before = dump(db)
    for data in FORGED:
        for user in (ADMIN, BOB):
            calls = await own_driver.press(reply, data, user=user)
            assert 0 < len(notice(calls)) <= 40, data
            assert sent_texts(calls) == [], data
    assert dump(db) == before
    assert errors_logged(caplog) == []


async def test_stale_and_mismatched_confirm_buttons_change_nothing(own_driver, fresh_engine, tmp_path, api):
    db = tmp_path / "planbot.db"
    before = dump(db)
    preview = only_reply(await own_driver.document("数字乡村.txt", PLAN, chat=GROUP, user=ADMIN))
    add = data_of(preview, "1:a:")
    token = callbacks.decode(add).token
    # The same token dressed as a removal, by the uploader: refused, and not used up.
    assert notice(await own_driver.press(preview, callbacks.encode(Kind.remove, token), user=ADMIN))
    # The token pressed in another chat (chat_data is per chat): stale there.
    elsewhere = only_reply(await own_driver.send(QUESTION, user=ADMIN))
    assert "失效" in notice(await own_driver.press(elsewhere, add, user=ADMIN))
    # A button on an inline message (no message to read a chat from): stale.
    calls = await own_driver.feed({"callback_query": {
        "id": "77", "from": ADMIN, "inline_message_id": "AAQx", "chat_instance": "ci", "data": add}})
    assert "失效" in notice(calls)
    assert dump(db) == before
    # The real press still works once; after it the button is stale.
    done = [c for c in await own_driver.press(preview, add, user=ADMIN) if c.method == "editMessageText"]
    assert "已加入" in done[0].plain
    after = dump(db)
    assert after != before
    assert "失效" in notice(await own_driver.press(preview, add, user=ADMIN))
    assert dump(db) == after
    # Cancelled, then confirmed: nothing happens.
    ask = only_reply(await own_driver.send("/remove 乡村振兴", chat=GROUP, user=ADMIN))
    await own_driver.press(ask, data_of(ask, "1:x:"), user=ADMIN)
    assert "失效" in notice(await own_driver.press(ask, data_of(ask, "1:r:"), user=ADMIN))
    assert dump(db) == after


# -- 3. flood control ---------------------------------------------------------------------------------
async def test_a_burst_from_one_user_is_limited_without_starving_another(api, shared_engine, bot_db):
    burst = ["干部培训谁负责", "人才引进", "党员教育", "社区工作者工资涨不涨", "老干部工作",
             "基层党建", "年轻干部", "组织工作"]
    async with bot(api, shared_engine, bot_db, planbot_flood="3/60") as d:
        d.app.bot_data["planbot"].flood.clock = lambda: 1000.0  # no refill during the burst
        for i, text in enumerate(burst):
            api.push_update({"message": d.message(text, user=BOB)})
            if i == 4:
                api.push_update({"message": d.message("人才引进", user=ALICE)})
        await d.app.updater.start_polling(poll_interval=0, timeout=1)
        await asyncio.to_thread(api.wait_for, "sendMessage", 3 + 1 + 1, 30)
        await d.app.updater.stop()
        await d.app.stop()  # handles whatever is still queued before returning
        await d.app.start()
    bob, alice = sends(api.calls, BOB["id"]), sends(api.calls, ALICE["id"])
    assert [c.plain.startswith("操作太频繁了") for c in bob] == [False, False, False, True]  # one notice
    assert len(alice) == 1 and "《" in alice[0].plain and not alice[0].error


# -- 4. who may change the plans ------------------------------------------------------------------------
def test_may_manage_rule():
    admins = frozenset({ADMIN["id"]})
    for action in Manage:
        for chat_type in ("private", "group", "supergroup", "channel"):
            assert may_manage(action, chat_type, ADMIN["id"], admins)
            # In a private chat its user manages that chat's own plans.
            assert may_manage(action, chat_type, ALICE["id"], admins, member_status="member") is (chat_type == "private")
            assert not may_manage(action, chat_type, None, admins)
        for chat_type in ("group", "supergroup"):
            for status in ("creator", "administrator"):
                assert may_manage(action, chat_type, BOB["id"], admins, member_status=status)
                assert may_manage(action, chat_type, BOB["id"], frozenset(), member_status=status)
            for status in ("member", "restricted", "left", "kicked", None):
                assert not may_manage(action, chat_type, BOB["id"], admins, member_status=status)
                assert not may_manage(action, chat_type, BOB["id"], frozenset(), member_status=status)
            assert may_manage(action, chat_type, ANONYMOUS["id"], admins, anonymous_admin=True)
        # A group role means nothing in a channel.
        assert not may_manage(action, "channel", BOB["id"], admins, member_status="administrator")
        assert not may_manage(action, "channel", BOB["id"], admins, anonymous_admin=True)
        assert not may_manage(action, "channel", BOB["id"], frozenset())
    # A private chat's user manages that chat's own plans (which plans: plans.py checks scopes).
    assert may_manage(Manage.upload, "private", ALICE["id"], frozenset())
    assert may_manage(Manage.remove, "private", ALICE["id"], frozenset())


CHATS = {"private": None, "group": GROUP, "supergroup": SUPERGROUP}
ROLES = {"env_admin": ADMIN, "group_admin": BOB, "member": ALICE}


def expected_access(chat: str, role: str, action: str, admins_set: bool) -> bool:
    """Upload: a plan of that chat's own (a group's managers; anyone in their private chat).
    Remove 乡村振兴, a plan every chat shares: only PLANBOT_ADMINS (and the command line)."""
    if role == "env_admin" and admins_set:
        return True
    if action == "remove":
        return False
    return chat == "private" or role == "group_admin"


def refusal(chat: str, role: str, action: str) -> str:
    manager = chat == "private" or role in ("group_admin", "env_admin")
    if action == "remove" and manager:
        return plans.REFUSED_SHARED
    return plans.REFUSED_UPLOAD if action == "upload" else plans.REFUSED_REMOVE


def chat_id_of(chat, user):
    return (CHATS[chat] or {"id": user["id"]})["id"]


@pytest.mark.parametrize("admins_set", [True, False], ids=["admins", "no-admins"])
@pytest.mark.parametrize("action", ["upload", "remove"])
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("chat", list(CHATS))
async def test_access_matrix(api, fresh_engine, tmp_path, chat, role, action, admins_set):
    if not admins_set and role == "env_admin":
        pytest.skip("no PLANBOT_ADMINS: nobody is an env admin")
    db, user = tmp_path / "planbot.db", ROLES[role]
    for group in (GROUP, SUPERGROUP):
        api.members[(group["id"], BOB["id"])] = "administrator"
    admins = f"{ADMIN['id']},{ADMIN2['id']}" if admins_set else ""
    before = dump(db)
    async with bot(api, fresh_engine, db, planbot_admins=admins) as d:
        if action == "upload":
            calls = await d.document("数字乡村.txt", PLAN, chat=CHATS[chat], user=user)
        else:
            calls = await d.send("/remove 乡村振兴", chat=CHATS[chat], user=user)
        reply = only_reply(calls)
        allowed = expected_access(chat, role, action, admins_set)
        if not allowed:
            assert reply.plain == refusal(chat, role, action)
            assert not [c for c in calls if c.method == "getFile"]
            assert not reply.buttons
            assert dump(db) == before
            return
        kind = "1:a:" if action == "upload" else "1:r:"
        calls = await d.press(reply, data_of(reply, kind), user=user)
        (done,) = [c for c in calls if c.method == "editMessageText"]
    titles = {p.title for p in fresh_engine.plans()}
    if action == "upload":
        assert "已加入" in done.plain and PLAN_TITLE in titles
    else:
        assert "已删除" in done.plain and REMOVED_TITLE not in titles
    # The uploads table says who did it, from which chat.
    uid, cid = user["id"], chat_id_of(chat, user)
    assert any(str(uid) in line and str(cid) in line for line in dump(db) if "uploads" in line)


@pytest.mark.parametrize("action", ["upload", "remove"])
@pytest.mark.parametrize("presser", [ADMIN2, BOB, ALICE], ids=["env_admin", "group_admin", "member"])
@pytest.mark.parametrize("chat", list(CHATS))
async def test_nobody_presses_someone_elses_confirm(api, fresh_engine, tmp_path, chat, presser, action):
    db = tmp_path / "planbot.db"
    for group in (GROUP, SUPERGROUP):
        api.members[(group["id"], BOB["id"])] = "administrator"
    async with bot(api, fresh_engine, db, planbot_admins=f"{ADMIN['id']},{ADMIN2['id']}") as d:
        if action == "upload":
            ask = only_reply(await d.document("数字乡村.txt", PLAN, chat=CHATS[chat], user=ADMIN))
        else:
            ask = only_reply(await d.send("/remove 乡村振兴", chat=CHATS[chat], user=ADMIN))
        confirm = data_of(ask, "1:a:" if action == "upload" else "1:r:")
        before = dump(db)
        for data in (confirm, data_of(ask, "1:x:")):
            calls = await d.press(ask, data, user=presser)
            assert notice(calls) == plans.NOT_YOURS and sent_texts(calls) == []
        assert dump(db) == before
        # Still waiting for the one who started it.
        (done,) = [c for c in await d.press(ask, confirm, user=ADMIN) if c.method == "editMessageText"]
        assert "已加入" in done.plain or "已删除" in done.plain


async def test_rights_are_checked_again_at_the_confirm_press(api, fresh_engine, tmp_path):
    db = tmp_path / "planbot.db"
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    async with bot(api, fresh_engine, db) as d:
        preview = only_reply(await d.document("数字乡村.txt", PLAN, chat=GROUP, user=BOB))
        api.members[(GROUP["id"], BOB["id"])] = "member"  # demoted while the preview waits
        before = dump(db)
        assert notice(await d.press(preview, data_of(preview, "1:a:"), user=BOB)) == plans.REFUSED_CONFIRM
        assert dump(db) == before


async def test_an_anonymous_admins_upload_is_confirmed_by_a_chat_admin_only(api, fresh_engine, tmp_path):
    db = tmp_path / "planbot.db"
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    async with bot(api, fresh_engine, db) as d:
        d.chat(GROUP, ANONYMOUS)
        file_id = "docanon"
        api.files[file_id] = PLAN
        message = d.message(None, chat=GROUP, user=ANONYMOUS, sender_chat=GROUP, document={
            "file_id": file_id, "file_unique_id": "u", "file_name": "数字乡村.txt", "file_size": len(PLAN)},
            caption="@planbot_test_bot", caption_entities=[{"type": "mention", "offset": 0, "length": 17}])
        preview = only_reply(await d.feed({"message": message}))
        confirm = data_of(preview, "1:a:")
        before = dump(db)
        assert notice(await d.press(preview, confirm, user=ALICE)) == plans.NOT_YOURS
        assert dump(db) == before
        (done,) = [c for c in await d.press(preview, confirm, user=BOB) if c.method == "editMessageText"]
    assert "已加入" in done.plain and PLAN_TITLE in {p.title for p in fresh_engine.plans()}


@pytest.mark.parametrize("chat", [GROUP, SUPERGROUP], ids=["group", "supergroup"])
async def test_plan_and_remind_stay_open_to_group_members(api, fresh_engine, tmp_path, chat):
    async with bot(api, fresh_engine, tmp_path / "planbot.db") as d:
        assert "默认计划已设为" in only_reply(await d.send("/plan 组织工作", chat=chat, user=ALICE)).plain
        assert "每天 08:30" in only_reply(await d.send("/remind on 08:30", chat=chat, user=ALICE)).plain
    assert ChatSettings(fresh_engine).plan(chat["id"]).title == "2020年全县组织工作要点"
    assert chat["id"] in ChatSettings(fresh_engine).reminders()


# -- 5. the token never reaches the logs ------------------------------------------------------------------
@contextlib.contextmanager
def serve_logging():
    """The root logger as `serve` sets it up (RedactFilter on every root handler), with a
    plain stream handler standing in for stderr."""
    root, buffer = logging.getLogger(), io.StringIO()
    stream = logging.StreamHandler(buffer)
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(stream)
    level, httpx_level = root.level, logging.getLogger("httpx").level
    try:
        configure_logging(TOKEN, level=logging.DEBUG)
        root.setLevel(logging.DEBUG)
        # Worst case: httpx's request lines (full URLs, token included) back on.
        logging.getLogger("httpx").setLevel(logging.INFO)
        yield buffer
    finally:
        for handler in root.handlers:
            handler.filters = [f for f in handler.filters if not isinstance(f, RedactFilter)]
        root.removeHandler(stream)
        root.setLevel(level)
        logging.getLogger("httpx").setLevel(httpx_level)


async def test_the_token_never_appears_in_logs(api, shared_engine, bot_db, caplog):
    from telegram.error import InvalidToken

    from .conftest import FakeBotAPI

    caplog.set_level(logging.DEBUG)
    with serve_logging() as buffer:
        async with bot(api, shared_engine, bot_db) as d:
            # A proxy's error page that quotes the request URL (with the token) …
            api.fail("sendMessage", "5xx", times=None, status=502,
                     description="Bad Gateway: upstream timed out for {path}")
            await d.send(QUESTION)
            # … a dropped connection and a revoked token on the way …
            api.heal()
            api.fail("sendMessage", "drop", times=tg_app.SEND_ATTEMPTS)
            await d.send("人才引进")
            api.fail("sendMessage", "error", times=None, status=401, description="Unauthorized")
            await d.send("党员教育")
            api.heal()
        # … and a start-up with a token Telegram rejects (PTB's message quotes it).
        other = FakeBotAPI(token="999:someone-else").start()
        try:
            app = await started_or_error(other, shared_engine, bot_db)
        finally:
            other.stop()
        assert isinstance(app, InvalidToken) and TOKEN in str(app)
        logging.getLogger("planbot.serve").error("start-up failed", exc_info=app)
    assert errors_logged(caplog), "the failures above should have been logged"
    texts = [buffer.getvalue(), caplog.text]
    texts += [r.getMessage() + (r.exc_text or "") for r in caplog.records]
    for text in texts:
        assert TOKEN not in text and SECRET_PART not in text
    assert "<redacted>" in buffer.getvalue()  # there was something to hide, and it was hidden
    assert "HTTP Request" in buffer.getvalue()  # httpx's URL lines were logged, redacted


async def started_or_error(api, engine, db):
    try:
        app = await started(make_settings(api, db), engine)
    except Exception as exc:  # noqa: BLE001 — the error is the result here
        return exc
    await stopped(app)
    return app


# -- 6. question limits -------------------------------------------------------------------------------
async def test_an_overlong_question_is_cut_with_a_notice(api, shared_engine, bot_db):
    limit = 20
    async with bot(api, shared_engine, bot_db, planbot_max_question=limit) as d:
        long = "干部培训谁负责" + "，请详细说明" * 50
        reply = only_reply(await d.send(long))
        exact = only_reply(await d.send(long[:limit]))
        chat_questions = d.app.chat_data[ALICE["id"]].get("questions", {})
    assert reply.plain.startswith(f"（问题太长，只按前 {limit} 个字回答。）")
    # What was answered is the cut question: the same answer as asking it at the limit.
    assert reply.plain.split("\n\n", 1)[1] == exact.plain
    assert not exact.plain.startswith("（问题太长")
    assert all(len(q) <= limit for q, _ in chat_questions.values())


@pytest.mark.parametrize("text, chat", [
    ("😀🙏", None), ("？？！！……", None), ("🤔 🤔", None), ("\u200f\u200e", None),
    ("@planbot_test_bot 🙂", GROUP), ("/ask 🎉🎉", GROUP), ("/ask@planbot_test_bot ……", GROUP),
])
async def test_an_empty_or_emoji_only_question_gets_the_hint(driver, text, chat):
    reply = only_reply(await driver.send(text, chat=chat, user=BOB))
    assert reply.plain == questions.ASK_HINT
    assert not reply.buttons


async def test_results_per_answer_are_capped(driver, shared_engine):
    broad = "培训"
    assert len(shared_engine.ask(broad, top=50).citations) > questions.TOP  # there are more to cap
    reply = only_reply(await driver.send(broad))
    full = [b for b in reply.buttons if b["callback_data"].startswith("1:f:")]
    assert 0 < len(full) <= questions.TOP
    assert any(b["text"] == "更多" for b in reply.buttons)
    assert utf16(reply.plain) <= 4096
    (inline,) = [c for c in await driver.inline(broad) if c.method == "answerInlineQuery"]
    assert 0 < len(inline.params["results"]) <= inline_mode.INLINE_TOP
