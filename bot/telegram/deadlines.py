"""Due dates: /deadlines, its buttons (更多, the months of the nearest deadlines), /remind and
the daily digest job it schedules. The period words are the engine's (index/periods.py), the
same a question uses; every list is one page (limits.PAGE) with 更多 for the next."""

from __future__ import annotations

import datetime as dt
import re

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from planbot.index.errors import PeriodNotUnderstood
from planbot.index.limits import PAGE
from planbot.index.models import Answer
from planbot.index.periods import SOON_DAYS

from . import callbacks, render
from .context import Context, runtime_of, today
from .questions import STALE, remember_answer, send_answer
from .send import say, typing

DIGEST_DAYS = 7
DEFAULT_REMIND = dt.time(9, 0)


def due_page(context: Context, chat_id: int, *, offset: int = 0, **when) -> Answer:
    """One page of what is due in this chat's plans (its default plan, if set); `when` as
    Engine.deadlines takes it (a period as written, `within`, `between`)."""
    return context.engine.deadlines(**when, today=today(context), plan=context.chats.plan_id(chat_id),
                                    chat=chat_id, offset=offset, limit=PAGE)


def more_data(answer: Answer) -> str | None:
    """The 更多 button of a deadlines list: the same span, from the next item on."""
    if not answer.more or answer.due is None:
        return None
    return callbacks.due_data(answer.due.start, answer.due.end, answer.offset + len(answer.citations))


async def on_deadlines(update: Update, context: Context) -> None:
    period = " ".join(context.args or []).strip()
    await typing(update, context)
    try:
        answer = due_page(context, update.effective_chat.id, period=period or None)
    except PeriodNotUnderstood as exc:
        await say(update, context, f"{exc}\n用法：/deadlines [时间]，不写则列出 {SOON_DAYS} 天内到期的。")
        return
    await send_answer(update, context, answer, more_data(answer))


async def press_due(update: Update, context: Context, action: callbacks.Action) -> None:
    """更多 on a deadlines list, or a nearest month's button: that span, one page."""
    query, span = update.callback_query, action.span
    if span is None:
        await query.answer(STALE)
        return
    answer = due_page(context, update.effective_chat.id, between=span, offset=action.offset)
    if action.offset and not answer.citations:
        await query.answer("没有更多了。")
        return
    await query.answer()
    await send_answer(update, context, answer, more_data(answer), quote=query.message)


def parse_hhmm(text: str) -> dt.time | None:
    m = re.fullmatch(r"([01]?\d|2[0-3])[:：]([0-5]\d)", text.strip())
    return dt.time(int(m.group(1)), int(m.group(2))) if m else None


def job_name(chat_id: int) -> str:
    return f"remind:{chat_id}"


def schedule_reminder(application: Application, chat_id: int, at: dt.time | None) -> None:
    """(Re)create the daily digest job for a chat; None removes it."""
    queue = application.job_queue
    for job in queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()
    if at is not None:
        zone = runtime_of(application).settings.zone
        queue.run_daily(send_digest, at.replace(tzinfo=zone), chat_id=chat_id, name=job_name(chat_id))


async def on_remind(update: Update, context: Context) -> None:
    chat, args = update.effective_chat, [a.lower() for a in context.args or []]
    chats = context.chats
    if not args:
        at = chats.reminders().get(chat.id)
        await say(update, context, f"每日提醒已开启，时间 {at:%H:%M}。" if at else
                  "每日提醒未开启。用 /remind on 08:30 开启。")
        return
    if args[0] in {"off", "关", "关闭"}:
        chats.set_reminder(chat.id, None)
        schedule_reminder(context.application, chat.id, None)
        await say(update, context, "已关闭每日提醒。")
        return
    if args[0] in {"on", "开", "开启"}:
        at = parse_hhmm(args[1]) if len(args) > 1 else DEFAULT_REMIND
    else:
        at = parse_hhmm(args[0])  # "/remind 08:30"
    if at is None:
        await say(update, context, "用法：/remind on [时:分]，例如 /remind on 08:30；/remind off 关闭。")
        return
    chats.set_reminder(chat.id, at)
    schedule_reminder(context.application, chat.id, at)
    await say(update, context, f"好的，每天 {at:%H:%M}（{context.runtime.settings.planbot_tz}）推送 "
                               f"{DIGEST_DAYS} 天内到期的事项。")


async def send_digest(context: Context) -> None:
    """The daily reminder job: items due within a week, one page with 全文 and 更多 buttons;
    nothing is sent on a quiet day."""
    chat_id = context.job.chat_id
    answer = due_page(context, chat_id, within=DIGEST_DAYS)
    if not answer.citations:
        return
    text = f"⏰ <b>每日提醒</b>\n{render.render_answer(answer)}"
    keyboard = render.keyboard_for(answer, more_data(answer), None)
    parts = render.split_html(text)
    sent = [await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML,
                                           reply_markup=keyboard if i == len(parts) - 1 else None)
            for i, part in enumerate(parts)]
    remember_answer(context, sent, answer)  # a reply to the digest (谁负责) is about its first item


async def setup_jobs(application: Application) -> None:
    """Re-create every chat's daily digest job (at start-up)."""
    for chat_id, at in runtime_of(application).chats.reminders().items():
        schedule_reminder(application, chat_id, at)
