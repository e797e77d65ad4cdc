"""Deep links that open an item in a private chat: https://t.me/<bot>?start=i_<id>_<signature>.

The item id alone would be a counter anyone can walk (/start item_1, item_2 …), so each link
carries an HMAC of its id, keyed by `Settings.link_key`: only the bot makes links that open.
A valid link is still no key to the plan: an item of a group's own plan opens only for a
member of that group, checked when the link is opened (access.may_read).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from telegram import Update
from telegram.helpers import create_deep_linked_url

from planbot.index import engine

from . import render
from .access import is_member, may_read
from .context import Context
from .send import say, send_html

SIGNATURE_CHARS = 16  # 96 bits, base64url; the whole payload stays far under Telegram's 64
PAYLOAD_RE = re.compile(rf"i_([0-9]{{1,12}})_([A-Za-z0-9_-]{{{SIGNATURE_CHARS}}})")
OLD_RE = re.compile(r"item_[0-9]{1,12}")  # before signatures: refused, with a clear message

OLD = "这是旧版链接，已不再使用。请重新提问，再点答案下方的“私聊查看”。"
FORGED = "这个链接无效（可能不完整或被改动过）。请重新提问，再点答案下方的“私聊查看”。"
GONE = engine.GONE
MEMBERS_ONLY = "这一条出自某个群自己的计划，只有该群的成员可以查看。"


class Status(StrEnum):
    ok = "ok"
    old = "old"        # item_<id>, from before signed links
    forged = "forged"  # our shape, but the signature does not match


@dataclass(frozen=True)
class Link:
    status: Status
    item_id: int | None = None


def signature(item_id: int, key: bytes) -> str:
    digest = hmac.new(key, f"item:{item_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode()[:SIGNATURE_CHARS]


def payload(item_id: int, key: bytes) -> str:
    return f"i_{item_id}_{signature(item_id, key)}"


def read(text: str, key: bytes) -> Link | None:
    """What a /start payload is: a signed item link, an old or forged one; None when it is
    no item link at all (/start, /start help)."""
    if OLD_RE.fullmatch(text):
        return Link(Status.old)
    match = PAYLOAD_RE.fullmatch(text)
    if match is None:
        return Link(Status.forged) if text.startswith("i_") else None
    item_id = int(match.group(1))
    if not hmac.compare_digest(match.group(2), signature(item_id, key)):
        return Link(Status.forged)
    return Link(Status.ok, item_id)


def item_url(context: Context) -> Callable[[int], str] | None:
    """Makes the link to an item for this bot; None when the bot has no username to link to."""
    username, key = context.bot.username, context.runtime.settings.link_key
    if not username:
        return None
    return lambda item_id: create_deep_linked_url(username, payload(item_id, key))


async def open_link(update: Update, context: Context, text: str) -> bool:
    """/start <payload>: the item in full, when the link is ours and the reader may see it.
    False when the payload is no item link (the caller shows the help)."""
    link = read(text, context.runtime.settings.link_key)
    if link is None:
        return False
    if link.status is not Status.ok:
        await say(update, context, OLD if link.status is Status.old else FORGED)
        return True
    cited = context.engine.item(link.item_id)  # any plan's: who may read it is decided here
    info = context.engine.plan(cited.plan_id) if cited else None
    if cited is None or info is None:
        await say(update, context, context.engine.gone(link.item_id, chat=update.effective_chat.id))
        return True
    chat, user = update.effective_chat, update.effective_user
    allowed = may_read(info.scope, chat.id, chat.type, member_of_scope=False)
    if not allowed and info.scope is not None and user is not None:  # ask Telegram only now
        member = await is_member(context, info.scope, user.id)
        allowed = may_read(info.scope, chat.id, chat.type, member_of_scope=member)
    if not allowed:
        await say(update, context, MEMBERS_ONLY)
        return True
    await send_html(context, chat, render.render_item(cited), quote=update.effective_message)
    return True
