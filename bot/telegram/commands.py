"""The command table: every command once, with its menu text (registered with Telegram), its
/help line and its handler. /help, the menu and the handlers are made from it, so a command
cannot be in one and missing from another.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, filters

from planbot.index.ingest.read import listed_formats
from planbot.index.limits import MAX_UPLOAD_BYTES
from planbot.index.periods import FORMS, SOON_DAYS

from . import deadlines, links, plans, questions, render
from .context import Context
from .send import say, send_html

Handler = Callable[[Update, Context], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    name: str
    menu: str  # the description in Telegram's command menu
    usage: str  # the line in /help ("" leaves it out)
    handler: Handler


async def on_start(update: Update, context: Context) -> None:
    if context.args and await links.open_link(update, context, context.args[0]):
        return  # a deep link to an item (or a clear word on why it does not open)
    await on_help(update, context)


async def on_help(update: Update, context: Context) -> None:
    await send_html(context, update.effective_chat, help_text(context.bot.username or "bot"),
                    quote=update.effective_message)


async def on_unknown_command(update: Update, context: Context) -> None:
    await say(update, context, "不认识这个命令，发 /help 看看用法。")


COMMANDS = [
    Command("ask", "提问，如 /ask 干部培训谁负责", "/ask 问题 — 提问（群里用它，或 @我，或回复我的消息）",
            questions.on_ask),
    Command("item", "看某一条全文，如 /item 二.3", "/item 二.3 — 看某一条全文", questions.on_item),
    Command("deadlines", "到期事项：本月、下周、本季度、2021-06、14天…",
            f"/deadlines [时间] — 到期事项（已过时限的单列），默认 {SOON_DAYS} 天内；时间可写：{FORMS}",
            deadlines.on_deadlines),
    Command("plans", "已收录的计划", "/plans — 已收录的计划；/plan 名称 — 设定本聊天默认计划（/plan 全部 取消）",
            plans.on_plans),
    Command("plan", "设定本聊天默认计划", "", plans.on_plan),
    Command("remind", "每日到期提醒 on/off [时:分]",
            f"/remind on [08:30] | off — 每天推送 {deadlines.DIGEST_DAYS} 天内到期的事项", deadlines.on_remind),
    Command("remove", "删除计划（管理员）", "/remove 名称 — 删除计划（管理员）", plans.on_remove),
    Command("history", "计划的各个版本", "/history 名称 — 计划保存的各个版本", plans.on_history),
    Command("changes", "计划最近改了什么", "/changes 名称 — 最近一次更新改了哪些条目", plans.on_changes),
    Command("restore", "恢复计划的旧版本（管理员）", "/restore 名称 [版本] — 恢复到保存的版本（管理员）", plans.on_restore),
    Command("help", "用法和例子", "", on_help),
    Command("start", "开始使用", "", on_start),
]

EXAMPLES = ["干部培训谁负责？", "社区工作者工资涨不涨", "人才方面有哪些工作", "第十二项 / 二.3 / 乡村振兴方案第3条",
            "下周要完成哪些 / 本季度到期的任务 / 2021年6月有哪些任务到期 / 逾期的任务有哪些", "县财政局负责哪些任务 / 县农业农村局今年牵头哪些",
            "每个月要做什么", "哪些任务没有写明责任单位", "乡村振兴方案有几项任务"]


def help_text(bot_username: str) -> str:
    lines = ["<b>要点通 PlanBot</b>：问工作要点、实施方案里的事，我给出答案并注明出自哪一条。", "",
             "<b>可以这样问</b>", *(f"• {e}" for e in EXAMPLES), "", "<b>命令</b>",
             *(render.esc(c.usage) for c in COMMANDS if c.usage), "",
             f"管理员把 {listed_formats()} 格式的计划文件（不超过 {MAX_UPLOAD_BYTES // 2**20} MB）发给我"
             "（群里请在文件说明里 @我），确认后即可加入。",
             f"在任何聊天里输入 @{render.esc(bot_username)} 问题 也能直接引用条目。"]
    return "\n".join(lines)


def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE  # edits of old messages are not asked again
    for command in COMMANDS:
        application.add_handler(CommandHandler(command.name, command.handler, filters=new))


async def set_menu(application: Application) -> None:
    await application.bot.set_my_commands([BotCommand(c.name, c.menu) for c in COMMANDS])
