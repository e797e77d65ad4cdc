"""Who may talk to the bot, read a plan and change the plans: which chats may use it, flood
control, the access rules, and which group messages are meant for the bot at all.

The rules are plain functions here; `gate.py` applies the first two to every update.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from enum import StrEnum
from typing import TYPE_CHECKING

from telegram import Chat, ChatMember, Message, MessageEntity, Update
from telegram.error import TelegramError
from telegram.ext import filters

if TYPE_CHECKING:
    from .context import Context


class TokenBucket:
    """Per-user flood control: `rate` requests per `per` seconds, refilled continuously."""

    def __init__(self, rate: int, per: float, clock=time.monotonic):
        self.rate, self.per, self.clock = rate, per, clock
        self.tokens: dict[int, tuple[float, float]] = {}  # user → (tokens, last time)
        self.warned: set[int] = set()

    def take(self, user_id: int) -> bool:
        if self.rate <= 0:
            return True
        now = self.clock()
        tokens, last = self.tokens.get(user_id, (float(self.rate), now))
        tokens = min(float(self.rate), tokens + (now - last) * self.rate / self.per)
        allowed = tokens >= 1
        self.tokens[user_id] = (tokens - 1 if allowed else tokens, now)
        if allowed:
            self.warned.discard(user_id)
        return allowed

    def wait(self, user_id: int) -> int:
        """Whole seconds until `user_id` may ask again (at least 1), for the notice."""
        tokens, _ = self.tokens.get(user_id, (float(self.rate), self.clock()))
        return max(1, math.ceil((1 - tokens) * self.per / max(self.rate, 1)))

    def first_refusal(self, user_id: int) -> bool:
        """True once per run of refusals, so a flooding user gets one notice, not many."""
        if user_id in self.warned:
            return False
        self.warned.add(user_id)
        return True


def bot_mentions(message: Message, username: str) -> bool:
    name = "@" + username.lower()
    for entity, text in message.parse_entities([MessageEntity.MENTION]).items():
        if text.lower() == name:
            return True
    bot_id = message.get_bot().id
    return any(e.type == MessageEntity.TEXT_MENTION and e.user and e.user.id == bot_id
               for e in message.entities)


def replies_to_bot(message: Message) -> bool:
    reply = message.reply_to_message
    return bool(reply and reply.from_user and reply.from_user.id == message.get_bot().id)


class _AddressedToBot(filters.MessageFilter):
    """Group messages meant for us: they mention @ourbot or reply to one of our messages."""

    def filter(self, message: Message) -> bool:
        username = message.get_bot().username
        return replies_to_bot(message) or bool(username and bot_mentions(message, username))


ADDRESSED = _AddressedToBot(name="addressed_to_bot")


# -- who may use the bot at all -----------------------------------------------------------------
def may_use(chat_type: str, chat_id: int, allowed: frozenset[int] | None) -> bool:
    """PLANBOT_ALLOWED_CHATS: unset, every chat; set, private chats (anyone may ask the shared
    plans) and the groups and channels it lists."""
    return allowed is None or chat_type == Chat.PRIVATE or chat_id in allowed


class Recently:
    """Chats told something within the last `window` seconds, so that the burst of updates a
    group sends when the bot is added (the join, the service message) gets one notice."""

    def __init__(self, window: float = 60.0, clock=time.monotonic, keep: int = 1000):
        self.window, self.clock, self.keep = window, clock, keep
        self.seen: OrderedDict[int, float] = OrderedDict()

    def first(self, chat_id: int) -> bool:
        now = self.clock()
        last = self.seen.pop(chat_id, None)
        if last is not None and now - last < self.window:
            self.seen[chat_id] = last
            return False
        self.seen[chat_id] = now
        while len(self.seen) > self.keep:
            self.seen.popitem(last=False)
        return True


# -- who may read a plan through a link ------------------------------------------------------
def may_read(scope: int | None, chat_id: int, chat_type: str, *, member_of_scope: bool) -> bool:
    """Whether an item of a plan with `scope` may be shown in this chat (a deep link).

    Every chat's plans (scope None): anywhere. A chat's own plan: in that chat (a private
    plan's scope is its user's id, which is their private chat's id). A group's plan in a
    private chat: only to a member of that group. Never in another group, nor another
    user's private plan: those would show it to people outside the chat it belongs to.
    """
    if scope is None or scope == chat_id:
        return True
    return chat_type == Chat.PRIVATE and scope < 0 and member_of_scope


async def is_member(context: Context, chat_id: int, user_id: int) -> bool:
    """Whether `user_id` is in `chat_id` now, by getChatMember; False when Telegram cannot
    tell us (the bot is no longer in that chat, the chat is gone)."""
    try:
        member = await context.bot.get_chat_member(chat_id, user_id)
    except TelegramError:
        return False
    if member.status == ChatMember.RESTRICTED:
        return bool(getattr(member, "is_member", False))
    return member.status in (ChatMember.OWNER, ChatMember.ADMINISTRATOR, ChatMember.MEMBER)


# -- who may change the plans ----------------------------------------------------------------
class Manage(StrEnum):
    upload = "upload"   # send a plan file (then confirm it)
    remove = "remove"   # /remove NAME (then confirm it)


GROUP_TYPES = (Chat.GROUP, Chat.SUPERGROUP)
MANAGER_STATUSES = (ChatMember.OWNER, ChatMember.ADMINISTRATOR)


def may_manage(action: Manage, chat_type: str, user_id: int | None, admins: frozenset[int], *,
               member_status: str | None = None, anonymous_admin: bool = False) -> bool:
    """The one access rule for changing the plans, in every chat type.

    - Anyone in PLANBOT_ADMINS, in any chat.
    - Group/supergroup: its creator and administrators (`member_status` from getChatMember;
      an anonymous admin posts as the group itself, `anonymous_admin`).
    - Private chat: its user, for their own plans.
    - Anything else (channels, unknown types, no user): nobody else.
    Which plans: a chat's own only; every chat's plans (scope None) only PLANBOT_ADMINS and
    the command line (plans.py checks the plan's scope).
    """
    if user_id is not None and user_id in admins:
        return True
    if chat_type in GROUP_TYPES:
        return anonymous_admin or member_status in MANAGER_STATUSES
    return chat_type == Chat.PRIVATE and user_id is not None


async def is_manager(update: Update, context: Context, action: Manage, user=None) -> bool:
    """`may_manage` for this update's sender (or `user`, the one pressing a button); asks
    Telegram for the member status only when the answer depends on it."""
    chat, message = update.effective_chat, update.effective_message
    user = user or update.effective_user
    if chat is None:
        return False
    admins = context.runtime.settings.admins
    anonymous = bool(user is not None and user is update.effective_user and message is not None
                     and message.sender_chat and message.sender_chat.id == chat.id)
    user_id = user.id if user else None
    if may_manage(action, chat.type, user_id, admins, anonymous_admin=anonymous):
        return True
    if chat.type not in GROUP_TYPES or user_id is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user_id)
    return may_manage(action, chat.type, user_id, admins, member_status=member.status)


def initiator(update: Update) -> int | None:
    """Who may confirm what this message started: its sender, or None for an anonymous
    group admin (who presses buttons as a person, not as the group)."""
    message, chat = update.effective_message, update.effective_chat
    if message.sender_chat and chat and message.sender_chat.id == chat.id:
        return None
    return update.effective_user.id
