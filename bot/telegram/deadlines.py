"""Due dates: /deadlines, /remind and the daily digest job it schedules."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import Application

from planbot.index.periods import add_months

from . import render
from .context import Context, runtime_of, today
from .questions import send_answer
from .send import say, typing

DIGEST_DAYS = 7
DEFAULT_REMIND = dt.time(9, 0)


def deadline_args(text: str, day: dt.date) -> dict[str, Any] | None:
    """/deadlines arguments as Engine.deadlines keywords; None when not understood."""
    text = text.strip().replace(" ", "")
    if not text:
        return {"within": 30}
    if text in {"本月", "这个月", "当月"}:
        return {"month": f"{day:%Y-%m}"}
    if text in {"下月", "下个月"}:
        return {"month": f"{add_months(day.replace(day=1), 1):%Y-%m}"}
    if m := re.fullmatch(r"(\d{1,3})(天|日|d)?", text):
        return {"within": int(m.group(1))} if int(m.group(1)) > 0 else None
    if m := re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", text):
        return {"month": f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"} if 1 <= int(m.group(2)) <= 12 else None
    if m := re.fullmatch(r"(\d{1,2})月(份)?", text):
        return {"month": f"{day.year:04d}-{int(m.group(1)):02d}"} if 1 <= int(m.group(1)) <= 12 else None
    return None


async def on_deadlines(update: Update, context: Context) -> None:
    when = deadline_args(" ".join(context.args or []), today(context))
    if when is None:
        await say(update, context, "用法：/deadlines 本月、/deadlines 下月 或 /deadlines 14天")
        return
    await typing(update, context)
    chat_id = update.effective_chat.id
    answer = context.engine.deadlines(**when, today=today(context), plan=context.chats.plan_id(chat_id),
                                      chat=chat_id)
    await send_answer(update, context, answer, None)


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
    """The daily reminder job: items due within a week; nothing is sent on a quiet day."""
    chat_id = context.job.chat_id
    answer = context.engine.deadlines(within=DIGEST_DAYS, today=today(context),
                                      plan=context.chats.plan_id(chat_id), chat=chat_id)
    if not answer.citations:
        return
    text = f"⏰ <b>每日提醒</b>\n{render.render_answer(answer)}"
    for part in render.split_html(text):
        await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML)


async def setup_jobs(application: Application) -> None:
    """Re-create every chat's daily digest job (at start-up)."""
    for chat_id, at in runtime_of(application).chats.reminders().items():
        schedule_reminder(application, chat_id, at)
