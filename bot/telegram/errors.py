"""The one error handler: a library error's own message to the user; anything else is a bug,
logged with its context and answered with a short apology, never a traceback in a chat.
"""

from __future__ import annotations

import logging

from telegram import Chat, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from planbot.index.errors import PlanBotError

from . import render
from .context import Context

log = logging.getLogger(__name__)

APOLOGY = "抱歉，处理时出了点问题，已记录下来。请稍后再试。"


def describe(update: object) -> str:
    if not isinstance(update, Update):
        return repr(update)[:200]
    chat, user = update.effective_chat, update.effective_user
    kind = next((k for k in ("message", "callback_query", "inline_query", "edited_message")
                 if getattr(update, k, None) is not None), "other")
    return (f"update {update.update_id} ({kind}) chat={chat.id if chat else None} "
            f"user={user.id if user else None}")


async def on_error(update: object, context: Context) -> None:
    """The one error handler: PlanBotError → its own message; anything else → log + apology."""
    error = context.error
    if isinstance(error, PlanBotError):
        log.info("%s: %s", describe(update), error)
        await tell(update, str(error))
        return
    log.error("unhandled error in %s", describe(update), exc_info=error)
    await tell(update, APOLOGY)


async def tell(update: object, text: str) -> None:
    if not isinstance(update, Update):
        return  # a job or the updater: nobody to tell
    try:
        if update.callback_query:
            await update.callback_query.answer(render.clip(text, 190), show_alert=True)
        elif update.effective_message and update.effective_chat:
            await update.effective_message.reply_text(
                render.esc(text), parse_mode=ParseMode.HTML,
                do_quote=update.effective_chat.type != Chat.PRIVATE)
    except TelegramError as exc:  # e.g. the query was already answered
        log.warning("could not tell the user about an error: %s", exc)
