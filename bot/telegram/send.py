"""Sending: HTML messages split to Telegram's size, quoting what they answer in groups."""

from __future__ import annotations

import logging

from telegram import Chat, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError

from . import render
from .context import Context

log = logging.getLogger(__name__)


async def typing(update: Update, context: Context) -> None:
    # Best effort: a failed chat action must not stop the answer.
    try:
        await context.bot.send_chat_action(update.effective_chat.id, ChatAction.TYPING)
    except TelegramError as exc:
        log.debug("chat action failed: %s", exc)


async def send_html(context: Context, chat: Chat, text: str, *,
                    keyboard: InlineKeyboardMarkup | None = None,
                    quote: Message | None = None) -> list[Message]:
    """Send HTML split into ≤4096 messages; the keyboard goes on the last one. In groups the
    first part quotes the message it answers so a busy chat can tell who got what."""
    parts = render.split_html(text) or [render.esc("（没有内容）")]
    reply = thread = None
    if quote is not None and chat.type != Chat.PRIVATE:
        reply = ReplyParameters(quote.message_id, allow_sending_without_reply=True)
        # In a forum supergroup, stay in the topic the question was asked in.
        thread = quote.message_thread_id if quote.is_topic_message else None
    sent = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        sent.append(await context.bot.send_message(
            chat.id, part, parse_mode=ParseMode.HTML, message_thread_id=thread,
            reply_markup=keyboard if last else None,
            reply_parameters=reply if i == 0 else None))
    return sent


async def say(update: Update, context: Context, text: str) -> None:
    """A short plain notice (escaped here)."""
    await send_html(context, update.effective_chat, render.esc(text), quote=update.effective_message)
