"""The gate every update passes before any handler (handler group -1): whether its chat may
use the bot at all (PLANBOT_ALLOWED_CHATS), and the flood limit (PLANBOT_FLOOD) for every
request a handler would act on: questions, commands, uploads and buttons alike.

Stopping here (ApplicationHandlerStop) keeps both rules in one place instead of a check at
the top of each handler, and a handler added later is covered without remembering to.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, TypeHandler

from .access import may_use
from .context import Context
from .send import say

log = logging.getLogger(__name__)

GROUP = -1  # PTB handler group: before the handlers (group 0)
NOT_ALLOWED = "这个群未获准使用本机器人，我先退出了。如需使用，请联系机器人管理员把本群加入名单。"
FLOODED = "操作太频繁了，请 {seconds} 秒后再试。"
GONE_STATUSES = (ChatMember.LEFT, ChatMember.BANNED)


def install(application: Application) -> None:
    application.add_handler(TypeHandler(Update, gate), group=GROUP)


async def gate(update: Update, context: Context) -> None:
    if not await chat_may_use(update, context) or not await within_flood_limit(update, context):
        raise ApplicationHandlerStop


async def chat_may_use(update: Update, context: Context) -> bool:
    """False for a chat PLANBOT_ALLOWED_CHATS leaves out: it is told once, and the bot leaves,
    whether it was just added (my_chat_member) or a message or button press came from it."""
    rt, chat = context.runtime, update.effective_chat
    allowed = rt.settings.allowed_chats
    if allowed is not None:
        allowed = allowed | follow_upgrade(update, allowed, rt.upgraded_chats)
    if chat is None or may_use(chat.type, chat.id, allowed):
        return True
    if update.callback_query:  # the button's spinner stops either way
        await _quietly(update.callback_query.answer(NOT_ALLOWED))
    removed = update.my_chat_member is not None and update.my_chat_member.new_chat_member.status in GONE_STATUSES
    if not removed and rt.refused_chats.first(chat.id):  # being removed is nothing to answer
        log.info("leaving chat %s: not in PLANBOT_ALLOWED_CHATS", chat.id)
        await _quietly(context.bot.send_message(chat.id, NOT_ALLOWED))
        await _quietly(context.bot.leave_chat(chat.id))
    return False


def follow_upgrade(update: Update, allowed: frozenset[int], upgraded: set[int]) -> set[int]:
    """A listed group that Telegram upgrades to a supergroup gets a new id; the bot stays
    there (until a restart) instead of leaving a group it was meant to serve, and the log
    says which id to add to PLANBOT_ALLOWED_CHATS. Returns `upgraded`, updated."""
    message = update.effective_message
    if message is None or not (message.migrate_to_chat_id or message.migrate_from_chat_id):
        return upgraded
    old, new = ((message.chat.id, message.migrate_to_chat_id) if message.migrate_to_chat_id
                else (message.migrate_from_chat_id, message.chat.id))
    if old in allowed | upgraded and new not in allowed | upgraded:
        upgraded.add(new)
        log.warning("group %s became supergroup %s: add %s to PLANBOT_ALLOWED_CHATS to keep "
                    "serving it after a restart", old, new, new)
    return upgraded


async def within_flood_limit(update: Update, context: Context) -> bool:
    """Charges one request to its sender when a handler would act on it; over the limit, one
    notice per run of refusals (a button press: the popup text, never a chat message)."""
    key = flood_key(update)
    if key is None or not would_handle(update, context.application):
        return True
    flood = context.runtime.flood
    if flood.take(key):
        return True
    notice = FLOODED.format(seconds=flood.wait(key))
    if update.callback_query:
        # Every press must be answered, or the client keeps spinning; the text is the
        # presser's own popup, so repeating it costs the chat nothing.
        await _quietly(update.callback_query.answer(notice))
    elif flood.first_refusal(key):
        await say(update, context, notice)
    return False


def flood_key(update: Update) -> int | None:
    """Whom a request counts against: the user pressing or writing, or, for an anonymous
    group admin (who writes as the group), that group, not Telegram's one shared bot user.
    None for what is not a request (inline queries, the bot's own membership, edits)."""
    if update.callback_query:
        return update.callback_query.from_user.id
    message = update.message
    if message is None:
        return None
    if message.sender_chat is not None:
        return message.sender_chat.id
    return message.from_user.id if message.from_user else None


def would_handle(update: Update, application: Application) -> bool:
    """Whether a handler of the main group takes this update: a group message not meant for
    the bot, which no handler takes, must not use up its sender's requests."""
    return any(handler.check_update(update) not in (None, False)
               for handler in application.handlers.get(0, []))


async def _quietly(call) -> None:
    try:
        await call
    except TelegramError as exc:  # e.g. no right to post there, already gone
        log.info("gate: %s", exc)
