"""Who may use the bot at all (PLANBOT_ALLOWED_CHATS), the flood limit on every request, and
signed deep links that open a group's plan only for its members (issue 12)."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from planbot.bot.telegram import gate, links
from planbot.index.answer.cite import body

from .conftest import ALICE, BOB, GROUP, make_settings, sent_texts
from .conftest import running_bot as bot
from .test_scopes import GROUP_PLAN, OTHER, STRANGER, _upload, only

pytestmark = pytest.mark.anyio

BOT = "planbot_test_bot"
CAROL = {"id": 1003, "is_bot": False, "first_name": "Carol"}
ANONYMOUS = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
SUPERGROUP = {"id": -1001234567890, "type": "supergroup", "title": "乡村振兴专班"}




def methods(calls) -> list[str]:
    return [c.method for c in calls if c.method != "sendChatAction"]


def popups(calls) -> list[str]:
    return [c.params.get("text", "") for c in calls if c.method == "answerCallbackQuery"]


# -- 1. PLANBOT_ALLOWED_CHATS ------------------------------------------------------------------
async def test_a_strangers_group_gets_one_notice_and_the_bot_leaves(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_allowed_chats=f"{GROUP['id']}") as d:
        added = await d.membership(STRANGER, "member", user=BOB)
        assert [(c.method, int(c.params["chat_id"])) for c in added] == [
            ("sendMessage", STRANGER["id"]), ("leaveChat", STRANGER["id"])]
        assert added[0].plain == gate.NOT_ALLOWED
        # The service message of the same join (and anything else) adds no second notice.
        joined = d.message(None, chat=STRANGER, user=BOB, new_chat_members=[d.api.bot])
        assert await d.feed({"message": joined}) == []
        # The listed group is served; a stranger's private chat still asks the shared plans.
        assert await d.membership(GROUP, "member", user=BOB) == []
        assert "《" in only(await d.send(f"/ask@{BOT} 干部培训谁负责", chat=GROUP, user=BOB)).plain
        private = only(await d.send("干部培训谁负责", user=CAROL))
        assert private.plain.splitlines()[0] == shared_engine.ask("干部培训谁负责").text
    assert api.left == {STRANGER["id"]}


async def test_a_group_already_joined_is_left_on_its_next_message_or_button(api, shared_engine, bot_db):
    # An answer given in OTHER before the list was set, with its buttons.
    async with bot(api, shared_engine, bot_db) as d:
        answer = only(await d.send(f"/ask@{BOT} 干部培训谁负责", chat=OTHER, user=BOB))
    async with bot(api, shared_engine, bot_db, planbot_allowed_chats=f"{GROUP['id']} {SUPERGROUP['id']}") as d:
        full = next(b["callback_data"] for b in answer.buttons if b.get("callback_data", "").startswith("1:f:"))
        pressed = await d.press(answer, full, user=BOB)
        assert popups(pressed) == [gate.NOT_ALLOWED]  # the spinner stops, with the reason
        assert methods(pressed) == ["answerCallbackQuery", "sendMessage", "leaveChat"]
        assert api.left == {OTHER["id"]}
        # A group that sends a command first: the same, and no answer.
        calls = await d.send(f"/plans@{BOT}", chat=SUPERGROUP | {"id": -1005}, user=BOB)
        assert methods(calls) == ["sendMessage", "leaveChat"] and calls[0].plain == gate.NOT_ALLOWED
        # Being removed from a group not on the list is nothing to answer.
        assert await d.membership(STRANGER, "kicked", user=BOB, old="member") == []
    # Unset, every group is served (the default).
    async with bot(api, shared_engine, bot_db) as d:
        assert await d.membership(STRANGER, "member", user=BOB) == []


async def test_the_notice_comes_again_when_the_group_adds_the_bot_again_later(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_allowed_chats=f"{GROUP['id']}") as d:
        clock = [100.0]
        d.app.bot_data["planbot"].refused_chats.clock = lambda: clock[0]
        assert methods(await d.membership(STRANGER, "member", user=BOB)) == ["sendMessage", "leaveChat"]
        clock[0] += 3600
        assert methods(await d.membership(STRANGER, "member", user=BOB)) == ["sendMessage", "leaveChat"]


async def test_a_listed_group_upgraded_to_a_supergroup_keeps_the_bot(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_allowed_chats=f"{GROUP['id']}") as d:
        # Telegram's two service messages: in the old group, then in the new supergroup.
        moved = d.message(None, chat=GROUP, user=BOB, migrate_to_chat_id=SUPERGROUP["id"])
        assert await d.feed({"message": moved}) == []
        started_here = d.message(None, chat=SUPERGROUP, user=BOB, migrate_from_chat_id=GROUP["id"])
        assert await d.feed({"message": started_here}) == []
        assert "《" in only(await d.send(f"/ask@{BOT} 干部培训谁负责", chat=SUPERGROUP, user=BOB)).plain
        # An unlisted group's upgrade gains nothing.
        other_super = {"id": -1009, "type": "supergroup", "title": "升级的陌生群"}
        stranger = d.message(None, chat=other_super, user=BOB, migrate_from_chat_id=STRANGER["id"])
        assert methods(await d.feed({"message": stranger})) == ["sendMessage", "leaveChat"]
    assert api.left == {other_super["id"]}


# -- 2. the flood limit covers commands and buttons ----------------------------------------------
async def test_a_flooding_user_is_limited_on_commands_and_buttons_alike(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_flood="3/60") as d:
        d.app.bot_data["planbot"].flood.clock = lambda: 1000.0  # no refill during the burst
        answer = only(await d.send("干部培训谁负责", user=BOB))
        only(await d.send("/plans", user=BOB))
        only(await d.send("/item 二.3", user=BOB))
        limited = only(await d.send("/deadlines 本月", user=BOB))
        assert limited.plain == gate.FLOODED.format(seconds=20)
        assert sent_texts(await d.send("/item 3", user=BOB)) == []  # one notice, not one each
        assert sent_texts(await d.send("干部培训谁负责", user=BOB)) == []
        # Buttons: the popup says so, the chat gets nothing, every press is answered.
        full = next(b["callback_data"] for b in answer.buttons if b["callback_data"].startswith("1:f:"))
        for _ in range(2):
            pressed = await d.press(answer, full, user=BOB)
            assert methods(pressed) == ["answerCallbackQuery"]
            assert popups(pressed) == [gate.FLOODED.format(seconds=20)]
        # Someone else is not affected, in the same chat or their own.
        assert "《" in only(await d.press(answer, full, user=ALICE)).plain
        assert "已收录" in only(await d.send("/plans", user=ALICE)).plain


async def test_after_the_wait_the_user_is_served_and_warned_again_next_time(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_flood="1/10") as d:
        clock = [1000.0]
        d.app.bot_data["planbot"].flood.clock = lambda: clock[0]
        only(await d.send("/plans", user=BOB))
        assert only(await d.send("/plans", user=BOB)).plain == gate.FLOODED.format(seconds=10)
        clock[0] += 4
        assert sent_texts(await d.send("/plans", user=BOB)) == []
        clock[0] += 10
        assert "已收录" in only(await d.send("/plans", user=BOB)).plain
        assert only(await d.send("/plans", user=BOB)).plain == gate.FLOODED.format(seconds=10)


async def test_group_chatter_the_bot_ignores_uses_up_nothing(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_flood="1/60") as d:
        d.app.bot_data["planbot"].flood.clock = lambda: 1000.0
        for text in ["大家好", "明天开会", "/ask@other_bot 干部培训谁负责", "收到"]:
            assert await d.send(text, chat=GROUP, user=BOB) == []
        assert "《" in only(await d.send(f"/ask@{BOT} 干部培训谁负责", chat=GROUP, user=BOB)).plain


async def test_anonymous_admins_of_two_groups_do_not_share_one_limit(api, shared_engine, bot_db):
    async with bot(api, shared_engine, bot_db, planbot_flood="1/60") as d:
        d.app.bot_data["planbot"].flood.clock = lambda: 1000.0
        for chat in (GROUP, SUPERGROUP):
            reply = only(await d.send(f"/plans@{BOT}", chat=chat, user=ANONYMOUS, sender_chat=chat))
            assert "已收录" in reply.plain


# -- 3. deep links -----------------------------------------------------------------------------
def link_payload(call) -> str:
    url = next(b["url"] for b in call.buttons if b.get("url"))
    assert url.startswith(f"https://t.me/{BOT}?start=")
    return urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)["start"][0]


async def test_a_groups_item_opens_by_link_for_its_members_only(own_driver, api, fresh_engine):
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    await _upload(own_driver, "书屋.txt", GROUP_PLAN, GROUP, BOB)
    answer = only(await own_driver.send(f"/ask@{BOT} 红色书屋谁牵头", chat=GROUP, user=ALICE))
    payload = link_payload(answer)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    item = fresh_engine.ask("红色书屋谁牵头", chat=GROUP["id"]).citations[0]
    # A member (the stand-in's default status) sees the item in her private chat.
    opened = only(await own_driver.send(f"/start {payload}", user=ALICE))
    assert body(item).strip() in opened.plain and int(opened.params["chat_id"]) == ALICE["id"]
    member_calls = [c for c in api.called("getChatMember") if c.params["user_id"] == ALICE["id"]]
    assert [int(c.params["chat_id"]) for c in member_calls] == [GROUP["id"]]
    # Someone who left the group, or was never in it, does not.
    api.members[(GROUP["id"], CAROL["id"])] = "left"
    assert only(await own_driver.send(f"/start {payload}", user=CAROL)).plain == links.MEMBERS_ONLY
    # Nor in another group, where everyone would see it.
    refused = only(await own_driver.send(f"/start@{BOT} {payload}", chat=OTHER, user=ALICE))
    assert refused.plain == links.MEMBERS_ONLY
    # Once the bot is no longer in that group, Telegram cannot vouch for anyone.
    api.left.add(GROUP["id"])
    assert only(await own_driver.send(f"/start {payload}", user=ALICE)).plain == links.MEMBERS_ONLY


async def test_a_private_plan_opens_by_link_for_its_owner_only(own_driver, api, fresh_engine):
    await _upload(own_driver, "书屋.txt", GROUP_PLAN, None, ALICE)  # Alice's private chat
    item = fresh_engine.ask("红色书屋谁牵头", chat=ALICE["id"]).citations[0]
    key = own_driver.app.bot_data["planbot"].settings.link_key
    payload = links.payload(item.item_id, key)
    assert body(item).strip() in only(await own_driver.send(f"/start {payload}", user=ALICE)).plain
    assert only(await own_driver.send(f"/start {payload}", user=BOB)).plain == links.MEMBERS_ONLY


async def test_a_shared_plans_item_opens_for_anyone(driver, shared_engine):
    item = shared_engine.ask("社区工作者工资涨不涨").citations[0]
    payload = links.payload(item.item_id, driver.app.bot_data["planbot"].settings.link_key)
    assert item.text in only(await driver.send(f"/start {payload}", user=CAROL)).plain


async def test_forged_old_and_stale_links_get_a_clear_message(driver, shared_engine):
    key = driver.app.bot_data["planbot"].settings.link_key
    item = shared_engine.ask("社区工作者工资涨不涨").citations[0]
    good = links.payload(item.item_id, key)
    signature = good[-links.SIGNATURE_CHARS:]
    forged = [
        f"i_{item.item_id + 1}_{signature}",                       # the next id, same signature
        good[:-1] + ("A" if good[-1] != "A" else "B"),             # one character changed
        links.payload(item.item_id, b"some other key"),            # signed with the wrong key
        good[:-3],                                                 # cut short
        f"i_{item.item_id}",
    ]
    for payload in forged:
        assert only(await driver.send(f"/start {payload}")).plain == links.FORGED, payload
    assert only(await driver.send(f"/start item_{item.item_id}")).plain == links.OLD
    assert only(await driver.send(f"/start {links.payload(999_999_999, key)}")).plain == links.GONE
    assert "/ask" in only(await driver.send("/start help")).plain  # not a link: the help


def test_links_are_short_and_keyed():
    payload = links.payload(999_999_999_999, b"k" * 32)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload) and len(payload) <= 64
    assert links.read(payload, b"k" * 32) == links.Link(links.Status.ok, 999_999_999_999)
    assert links.read(payload, b"x" * 32).status is links.Status.forged
    assert links.signature(7, b"k" * 32) != links.signature(8, b"k" * 32)


def test_the_link_key_follows_the_secret_else_the_token(api, tmp_path):
    db = tmp_path / "x.db"
    one, two = (make_settings(api, db, telegram_bot_token=t) for t in ("1:aaa", "1:bbb"))
    assert one.link_key != two.link_key  # a new token retires the old links …
    one, two = (make_settings(api, db, telegram_bot_token=t, planbot_link_secret="s3cret")
                for t in ("1:aaa", "1:bbb"))
    assert one.link_key == two.link_key  # … unless PLANBOT_LINK_SECRET keeps them
    assert b"s3cret" not in one.link_key  # the key is a hash, not the secret
