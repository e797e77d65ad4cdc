"""Inline mode: `@bot 问题` in any chat offers the best items as results to insert."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode

from . import render
from .context import Context, today

INLINE_TOP = 5


async def on_inline(update: Update, context: Context) -> None:
    query = update.inline_query
    text = " ".join(query.query.split())[: context.runtime.settings.max_question]
    button = InlineQueryResultsButton("私聊提问 / 用法", start_parameter="help")
    if not text:
        await query.answer([], button=button, cache_time=5)
        return
    # No flood control here: clients send a query per keystroke, and cache_time absorbs them.
    # Every chat's plans and the asker's own (their private chat's id is their user id).
    answer = context.engine.ask(text, top=INLINE_TOP, today=today(context), chat=query.from_user.id)
    results, seen = [], set()
    for c in answer.citations if answer.found else []:
        if c.item_id in seen:
            continue
        seen.add(c.item_id)
        results.append(InlineQueryResultArticle(
            id=str(c.item_id),
            title=render.clip(f"《{c.plan}》 {render.item_heading(c)}", 100),
            description=render.clip(render.one_line(c.sentence or c.text), 120),
            input_message_content=InputTextMessageContent(
                render.split_html(render.render_inline(c, text))[0], parse_mode=ParseMode.HTML)))
    await query.answer(results, button=button, cache_time=30, is_personal=False)
