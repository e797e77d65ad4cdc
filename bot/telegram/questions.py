"""Questions and what hangs off an answer: /ask, plain text, replies to an answer, /item, the
全文 and 更多 buttons (the deep link that opens an item in a private chat: links.py).

Each handler turns the update into one engine call and sends the rendering; no answering
logic lives here.
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from telegram import Chat, Message, ReactionTypeEmoji, Update
from telegram.constants import ReactionEmoji
from telegram.error import TelegramError

from planbot.index.answer.intent import has_words, is_acknowledgement
from planbot.index.limits import clip_question
from planbot.index.models import Answer

from . import callbacks, links, render
from .access import replies_to_bot
from .callbacks import Kind
from .context import Context, today
from .send import say, send_html, typing

log = logging.getLogger(__name__)

TOP = 3
ASK_HINT = "请直接写下问题，例如：干部培训谁负责？"
STALE = "这个按钮已失效，请重新提问。"


class Replied(NamedTuple):
    """The answer a message replies to (or, in a private chat, the last one): its first
    citation's plan and item, and the list it showed by number (Answer.listed)."""

    plan_id: int | None = None
    item_id: int | None = None
    listed: dict[int, int] | None = None


def command_rest(text: str) -> str:
    """What follows "/cmd" or "/cmd@bot", line breaks kept."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def strip_mention(text: str, username: str | None) -> str:
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I)
    return " ".join(text.split())


async def on_text(update: Update, context: Context) -> None:
    """Private text, or a group message that mentions us or replies to us."""
    message = update.effective_message
    question = strip_mention(message.text or "", context.bot.username)
    if is_acknowledgement(question):  # 收到 / 谢谢 / 👍: no answer wanted, at most a nod
        await acknowledge(message)
        return
    replied = replied_answer(message, context)
    if replied.item_id is None and update.effective_chat.type == Chat.PRIVATE and (last := context.chat_data.last_answer()):
        # a private chat is one conversation: 谁负责 / 第二个 alone are about the last answer
        replied = Replied(None, *last[1:3])  # an entry kept from before lists were has none
    await ask(update, context, question, *replied)


async def acknowledge(message: Message) -> None:
    try:
        await message.set_reaction(ReactionTypeEmoji(ReactionEmoji.THUMBS_UP))
    except TelegramError as exc:  # best effort: reactions may be off in that chat
        log.debug("reaction failed: %s", exc)


async def on_ask(update: Update, context: Context) -> None:
    message = update.effective_message
    question = strip_mention(command_rest(message.text or ""), context.bot.username)
    reply = message.reply_to_message
    if not question and reply and not replies_to_bot(message) and (reply.text or reply.caption):
        question = reply.text or reply.caption  # "/ask" as a reply asks the quoted message
    if not question:
        await say(update, context, "用法：/ask 问题，例如 /ask 干部培训谁负责")
        return
    await ask(update, context, question, *replied_answer(message, context))


async def ask(update: Update, context: Context, question: str, plan_id: int | None = None,
              item_id: int | None = None, listed: dict[int, int] | None = None) -> None:
    """Answer a question; `plan_id`/`item_id`: the answer it replies to (searched first in
    that plan; a question with no topic of its own is about that item); `listed`: the list
    that answer showed (第二个 is its item 2)."""
    rt = context.runtime  # the flood limit was applied before any handler (gate.py)
    question = question.strip()
    if not has_words(question):  # empty, emoji, punctuation: nothing to search for
        await say(update, context, ASK_HINT)
        return
    question, cut = clip_question(question, rt.settings.max_question)
    notice = f"（问题太长，只按前 {rt.settings.max_question} 个字回答。）\n\n" if cut else ""
    await typing(update, context)
    scope = plan_id or context.chats.plan_id(update.effective_chat.id)
    chat_id = update.effective_chat.id
    answer = context.engine.ask(question, plan=scope, top=TOP, today=today(context), context=item_id,
                                chat=chat_id, listed=listed)
    if not answer.found and plan_id is not None and plan_id != context.chats.plan_id(chat_id):
        # A reply with a topic of its own: its answer's plan first, then every plan.
        answer = context.engine.ask(question, top=TOP, today=today(context), chat=chat_id)
        scope = None
    plan_id = scope
    more = None
    if answer.more:
        token = callbacks.new_token()
        context.chat_state.questions()[token] = (question, plan_id)
        more = callbacks.encode(Kind.more, token, len(answer.citations))
    await send_answer(update, context, answer, more, prefix=render.esc(notice), before=listed)


async def send_answer(update: Update, context: Context, answer: Answer, more: str | None,
                      prefix: str = "", quote: Message | None = None, before: dict[int, int] | None = None) -> None:
    """Send an answer with its buttons and remember what it cites; `before`: the list the
    question picked from (kept for the next pick: 第二个谁负责, then 第三个呢)."""
    chat = update.effective_chat
    link = links.item_url(context) if chat.type != Chat.PRIVATE else None
    keyboard = render.keyboard_for(answer, more, link)
    sent = await send_html(context, chat, prefix + render.render_answer(answer),
                           keyboard=keyboard, quote=quote or update.effective_message)
    remember_answer(context, sent, answer, before)


def remember_answer(context: Context, messages: list[Message], answer: Answer,
                    before: dict[int, int] | None = None) -> None:
    """Note which item each message of an answer is about, and the list it shows by number,
    for replies to it."""
    if not answer.citations or context.chat_data is None:
        return
    answers = context.chat_data.answers()
    first = answer.citations[0]
    for message in messages:
        answers[message.message_id] = (first.plan_id, first.item_id, answer.listed(before))


def replied_answer(message: Message, context: Context) -> Replied:
    """The answer this message replies to: remembered by message id, or its first item read
    from the 全文 button on it (which survives a restart); Nones when there is none."""
    reply = message.reply_to_message
    if reply is None or not replies_to_bot(message):
        return Replied()
    found = context.chat_state.get("answers", {}).get(reply.message_id)
    if found is None and reply.reply_markup:
        for row in reply.reply_markup.inline_keyboard:
            for button in row:
                action = callbacks.decode(button.callback_data if isinstance(button.callback_data, str) else None)
                if action and action.kind is Kind.full:
                    cited = context.engine.item(action.number, chat=message.chat_id)
                    found = (cited.plan_id, cited.item_id) if cited else None
                    break
            if found is not None:
                break
    if found is None or context.engine.plan(found[0], chat=message.chat_id) is None:
        return Replied()
    return Replied(*found)  # a button, or an entry kept from before lists were, gives no list


async def on_item(update: Update, context: Context) -> None:
    ref = " ".join(context.args or [])
    if not ref:
        await say(update, context, "用法：/item 编号，例如 /item 3 或 /item 二.3")
        return
    await typing(update, context)
    chat = update.effective_chat
    answer = context.engine.show(ref, plan=context.chats.plan_id(chat.id), chat=chat.id)
    # The full text is already here; in a group, offer only the private-chat link.
    keyboard = None
    if answer.citations and chat.type != Chat.PRIVATE:
        keyboard = render.link_keyboard(links.item_url(context), answer.citations[0].item_id)
    sent = await send_html(context, chat, render.render_items(answer),
                           keyboard=keyboard, quote=update.effective_message)
    remember_answer(context, sent, answer)


async def press_full(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    cited = context.engine.item(action.number, chat=update.effective_chat.id)
    if cited is None:
        await query.answer(context.engine.gone(action.number, chat=update.effective_chat.id))
        return
    await query.answer()
    sent = await send_html(context, update.effective_chat, render.render_item(cited), quote=query.message)
    remember_answer(context, sent, Answer(question="", kind="lookup", found=True, text="", citations=[cited]))


async def press_more(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    stored = context.chat_state.get("questions", {}).get(action.token)
    if stored is None:
        await query.answer(STALE)
        return
    question, plan_id = stored
    answer = context.engine.ask(question, plan=plan_id, top=TOP, today=today(context), offset=action.offset,
                                chat=update.effective_chat.id)
    if not answer.citations:
        await query.answer("没有更多结果了。")
        return
    await query.answer()
    more = callbacks.encode(Kind.more, action.token, action.offset + len(answer.citations)) if answer.more else None
    await send_answer(update, context, answer, more, quote=query.message)
