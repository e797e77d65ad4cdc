"""Update handlers: each turns one kind of update into Engine calls and sends the rendering.

No answering logic lives here. Engine errors (PlanBotError) are not caught in the handlers:
they travel to the one error handler, which shows their message; anything else is a bug,
logged there with its context and answered with a short apology.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from telegram import (
    BotCommand,
    Chat,
    ChatMember,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from index.errors import PlanBotError, PlanNotFound
from index.models import Answer, Plan, PlanInfo

from . import callbacks, render
from .callbacks import Kind

if TYPE_CHECKING:
    from index.engine import Engine

    from ..settings import Settings

log = logging.getLogger(__name__)

MAX_UPLOAD = 2 * 1024 * 1024
UPLOAD_SUFFIXES = {".txt", ".md", ".docx", ".pdf"}
TOP = 3
INLINE_TOP = 5
DIGEST_DAYS = 7
DEFAULT_REMIND = dt.time(9, 0)
KEEP_ANSWERS = 300     # answer message ids remembered per chat (for follow-up replies)
KEEP_QUESTIONS = 100   # questions remembered per chat (for 更多)
KEEP_PENDING = 10      # uploads/removals waiting for a confirm press, per chat

APOLOGY = "抱歉，处理时出了点问题，已记录下来。请稍后再试。"
STALE = "这个按钮已失效，请重新提问。"
FLOODED = "提问太快了，请稍等几秒再问。"
REFUSED_UPLOAD = "抱歉，只有群管理员或机器人管理员可以添加计划。"
REFUSED_REMOVE = "抱歉，只有群管理员或机器人管理员可以删除计划。"
REFUSED_CONFIRM = "你已不是管理员，不能确认这个操作。"
ASK_HINT = "请直接写下问题，例如：干部培训谁负责？"

COMMANDS = [
    BotCommand("ask", "提问，如 /ask 干部培训谁负责"),
    BotCommand("item", "看某一条全文，如 /item 二.3"),
    BotCommand("deadlines", "到期事项：本月、下月或 N天"),
    BotCommand("plans", "已收录的计划"),
    BotCommand("plan", "设定本聊天默认计划"),
    BotCommand("remind", "每日到期提醒 on/off [时:分]"),
    BotCommand("remove", "删除计划（管理员）"),
    BotCommand("help", "用法和例子"),
    BotCommand("start", "开始使用"),
]

HELP = """<b>要点通 PlanBot</b>：问工作要点、实施方案里的事，我给出答案并注明出自哪一条。

<b>可以这样问</b>
• 干部培训谁负责？
• 社区工作者工资涨不涨
• 人才方面有哪些工作
• 第十二项 / 二.3
• 下个月要完成哪些

<b>命令</b>
/ask 问题 — 提问（群里用它，或 @我，或回复我的消息）
/item 二.3 — 看某一条全文
/deadlines [本月|下月|N天] — 到期事项，默认 30 天内
/plans — 已收录的计划；/plan 名称 — 设定本聊天默认计划（/plan 全部 取消）
/remind on [08:30] | off — 每天推送 {days} 天内到期的事项
/remove 名称 — 删除计划（管理员）

管理员把 .txt、.docx 或 .pdf 计划文件（不超过 2 MB）发给我，确认后即可加入。
在任何聊天里输入 @{bot} 问题 也能直接引用条目。"""


# -- per-application state -----------------------------------------------------------
class TokenBucket:
    """Per-user flood control: `rate` questions per `per` seconds, refilled continuously."""

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

    def first_refusal(self, user_id: int) -> bool:
        """True once per run of refusals, so a flooding user gets one notice, not many."""
        if user_id in self.warned:
            return False
        self.warned.add(user_id)
        return True


@dataclass
class Runtime:
    """What the handlers share, kept in application.bot_data["planbot"]."""

    settings: Settings
    engine: Engine | None = None
    owns_engine: bool = False
    flood: TokenBucket = field(default_factory=lambda: TokenBucket(0, 1))


@dataclass
class Pending:
    """An upload or removal waiting for its confirm button."""

    kind: Kind
    user_id: int | None  # None: an anonymous group admin; any manager of the chat may confirm
    plan: Plan | None = None
    file_name: str = ""
    info: PlanInfo | None = None


Context = ContextTypes.DEFAULT_TYPE


def runtime(context: CallbackContext) -> Runtime:
    return context.application.bot_data["planbot"]


def engine(context: CallbackContext) -> Engine:
    eng = runtime(context).engine
    if eng is None:  # only before post_init has run
        raise RuntimeError("engine is not open yet")
    return eng


def today(context: CallbackContext) -> dt.date:
    return dt.datetime.now(runtime(context).settings.zone).date()


def bounded(store: dict, key: str, limit: int) -> OrderedDict:
    """A dict in chat_data that forgets its oldest entries past `limit`."""
    value = store.get(key)
    if not isinstance(value, OrderedDict):
        value = store[key] = OrderedDict()
    while len(value) >= limit:
        value.popitem(last=False)
    return value


# -- sending -----------------------------------------------------------------------
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


# -- who is asking ---------------------------------------------------------------
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


def command_rest(text: str) -> str:
    """What follows "/cmd" or "/cmd@bot", line breaks kept."""
    parts = text.split(maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


def strip_mention(text: str, username: str | None) -> str:
    if username:
        text = re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I)
    return " ".join(text.split())


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
    - Private chat: only PLANBOT_ADMINS. With PLANBOT_ADMINS empty (one operator, nobody
      named) uploads in a private chat stay open, as before; /remove does not (it destroys,
      and `planbot remove` on the command line is there for that operator).
    - Anything else (channels, unknown types, no user): nobody else.
    """
    if user_id is not None and user_id in admins:
        return True
    if chat_type in GROUP_TYPES:
        return anonymous_admin or member_status in MANAGER_STATUSES
    if chat_type == Chat.PRIVATE:
        return action is Manage.upload and not admins
    return False


async def is_manager(update: Update, context: Context, action: Manage, user=None) -> bool:
    """`may_manage` for this update's sender (or `user`, the one pressing a button); asks
    Telegram for the member status only when the answer depends on it."""
    chat, message = update.effective_chat, update.effective_message
    user = user or update.effective_user
    if chat is None:
        return False
    admins = runtime(context).settings.admins
    anonymous = bool(user is not None and user is update.effective_user and message is not None
                     and message.sender_chat and message.sender_chat.id == chat.id)
    user_id = user.id if user else None
    if may_manage(action, chat.type, user_id, admins, anonymous_admin=anonymous):
        return True
    if chat.type not in GROUP_TYPES or user_id is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user_id)
    return may_manage(action, chat.type, user_id, admins, member_status=member.status)


# -- plans in scope --------------------------------------------------------------------
def plan_name(info: PlanInfo | None) -> str | None:
    # The file name is what identifies a plan most narrowly for Engine.find_plan.
    return info.source if info else None


def chat_plan(context: Context, chat_id: int) -> str | None:
    return plan_name(engine(context).chat_plan(chat_id))


def plan_by_id(context: Context, plan_id: int | None) -> str | None:
    if plan_id is None:
        return None
    return plan_name(next((p for p in engine(context).plans() if p.id == plan_id), None))


def remember_answer(context: Context, messages: list[Message], answer: Answer) -> None:
    if not answer.citations or context.chat_data is None:
        return
    answers = bounded(context.chat_data, "answers", KEEP_ANSWERS)
    for message in messages:
        answers[message.message_id] = answer.citations[0].plan_id


def plan_of_reply(message: Message, context: Context) -> str | None:
    """The plan of the answer this message replies to: remembered by message id, or read
    from the 全文 button on it (which survives a restart)."""
    reply = message.reply_to_message
    if reply is None or not replies_to_bot(message):
        return None
    plan_id = (context.chat_data or {}).get("answers", {}).get(reply.message_id)
    if plan_id is None and reply.reply_markup:
        for row in reply.reply_markup.inline_keyboard:
            for button in row:
                action = callbacks.decode(button.callback_data if isinstance(button.callback_data, str) else None)
                if action and action.kind is Kind.full:
                    cited = engine(context).item(action.number)
                    plan_id = cited.plan_id if cited else None
                    break
            if plan_id is not None:
                break
    return plan_by_id(context, plan_id)


# -- questions -----------------------------------------------------------------------
async def ask(update: Update, context: Context, question: str, plan: str | None = None) -> None:
    rt, user = runtime(context), update.effective_user
    if user and not rt.flood.take(user.id):
        if rt.flood.first_refusal(user.id):
            await say(update, context, FLOODED)
        return
    question = question.strip()
    if not has_words(question):  # empty, emoji, punctuation: nothing to search for
        await say(update, context, ASK_HINT)
        return
    notice = ""
    if len(question) > rt.settings.max_question:
        question = question[: rt.settings.max_question]
        notice = f"（问题太长，只按前 {rt.settings.max_question} 个字回答。）\n\n"
    await typing(update, context)
    chat = update.effective_chat
    plan = plan or chat_plan(context, chat.id)
    answer = engine(context).ask(question, plan=plan, top=TOP, today=today(context))
    more = None
    if answer.more:
        token = callbacks.new_token()
        bounded(context.chat_data, "questions", KEEP_QUESTIONS)[token] = (question, plan)
        more = callbacks.encode(Kind.more, token, len(answer.citations))
    await send_answer(update, context, answer, more, prefix=render.esc(notice))


def has_words(text: str) -> bool:
    """Any letter or digit (CJK included); emoji, punctuation and spaces alone are not a question."""
    return any(ch.isalnum() for ch in text)


async def send_answer(update: Update, context: Context, answer: Answer, more: str | None,
                      prefix: str = "", quote: Message | None = None) -> None:
    chat = update.effective_chat
    username = context.bot.username if chat.type != Chat.PRIVATE else None
    keyboard = render.answer_keyboard(render.KeyboardSpec(answer.citations, more, username))
    sent = await send_html(context, chat, prefix + render.render_answer(answer),
                           keyboard=keyboard, quote=quote or update.effective_message)
    remember_answer(context, sent, answer)


async def on_text(update: Update, context: Context) -> None:
    """Private text, or a group message that mentions us or replies to us."""
    message = update.effective_message
    question = strip_mention(message.text or "", context.bot.username)
    await ask(update, context, question, plan_of_reply(message, context))


async def on_ask(update: Update, context: Context) -> None:
    message = update.effective_message
    question = strip_mention(command_rest(message.text or ""), context.bot.username)
    reply = message.reply_to_message
    if not question and reply and not replies_to_bot(message) and (reply.text or reply.caption):
        question = reply.text or reply.caption  # "/ask" as a reply asks the quoted message
    if not question:
        await say(update, context, "用法：/ask 问题，例如 /ask 干部培训谁负责")
        return
    await ask(update, context, question, plan_of_reply(message, context))


# -- commands --------------------------------------------------------------------------
async def on_start(update: Update, context: Context) -> None:
    match = re.fullmatch(r"item_([0-9]{1,12})", context.args[0]) if context.args else None
    if match:
        cited = engine(context).item(int(match.group(1)))
        if cited is None:
            await say(update, context, "这一条已不在索引中了，可能计划已被更新或删除。")
            return
        await send_html(context, update.effective_chat, render.render_item(cited))
        return
    await on_help(update, context)


async def on_help(update: Update, context: Context) -> None:
    text = HELP.format(days=DIGEST_DAYS, bot=render.esc(context.bot.username or "bot"))
    await send_html(context, update.effective_chat, text, quote=update.effective_message)


async def on_item(update: Update, context: Context) -> None:
    ref = " ".join(context.args or [])
    if not ref:
        await say(update, context, "用法：/item 编号，例如 /item 3 或 /item 二.3")
        return
    await typing(update, context)
    chat = update.effective_chat
    answer = engine(context).show(ref, plan=chat_plan(context, chat.id))
    # The full text is already here; in a group, offer only the private-chat link.
    keyboard = None
    if answer.citations and chat.type != Chat.PRIVATE:
        keyboard = render.link_keyboard(context.bot.username, answer.citations[0].item_id)
    sent = await send_html(context, chat, render.render_items(answer),
                           keyboard=keyboard, quote=update.effective_message)
    remember_answer(context, sent, answer)


async def on_plans(update: Update, context: Context) -> None:
    eng = engine(context)
    text = render.render_plans(eng.plans(), eng.chat_plan(update.effective_chat.id))
    await send_html(context, update.effective_chat, text, quote=update.effective_message)


CLEAR_WORDS = {"全部", "所有", "清除", "取消", "off", "none", "all"}


async def on_plan(update: Update, context: Context) -> None:
    eng, chat = engine(context), update.effective_chat
    name = " ".join(context.args or []).strip()
    if not name:
        current = eng.chat_plan(chat.id)
        text = (f"本聊天默认计划：《{current.title}》。用 /plan 全部 取消。" if current
                else "本聊天没有默认计划，问题会在所有计划里找。用 /plan 名称 设定。")
        await say(update, context, text)
        return
    if name.lower() in CLEAR_WORDS:
        eng.set_chat_plan(chat.id, None)
        await say(update, context, "已取消默认计划，问题会在所有计划里找。")
        return
    info = eng.set_chat_plan(chat.id, name)
    await say(update, context, f"本聊天默认计划已设为《{info.title}》。")


def deadline_args(text: str, day: dt.date) -> dict[str, Any] | None:
    """/deadlines arguments as Engine.deadlines keywords; None when not understood."""
    text = text.strip().replace(" ", "")
    if not text:
        return {"within": 30}
    if text in {"本月", "这个月", "当月"}:
        return {"month": f"{day:%Y-%m}"}
    if text in {"下月", "下个月"}:
        nxt = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return {"month": f"{nxt:%Y-%m}"}
    if m := re.fullmatch(r"(\d{1,3})(天|日|d)?", text):
        return {"within": int(m.group(1))} if int(m.group(1)) > 0 else None
    if m := re.fullmatch(r"(\d{4})[-./年](\d{1,2})月?", text):
        return {"month": f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"} if 1 <= int(m.group(2)) <= 12 else None
    if m := re.fullmatch(r"(\d{1,2})月(份)?", text):
        return {"month": f"{day.year:04d}-{int(m.group(1)):02d}"} if 1 <= int(m.group(1)) <= 12 else None
    return None


async def on_deadlines(update: Update, context: Context) -> None:
    chat = update.effective_chat
    when = deadline_args(" ".join(context.args or []), today(context))
    if when is None:
        await say(update, context, "用法：/deadlines 本月、/deadlines 下月 或 /deadlines 14天")
        return
    await typing(update, context)
    answer = engine(context).deadlines(**when, today=today(context), plan=chat_plan(context, chat.id))
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
        zone = application.bot_data["planbot"].settings.zone
        queue.run_daily(send_digest, at.replace(tzinfo=zone), chat_id=chat_id, name=job_name(chat_id))


async def on_remind(update: Update, context: Context) -> None:
    chat, args = update.effective_chat, [a.lower() for a in context.args or []]
    eng = engine(context)
    if not args:
        at = eng.reminders().get(chat.id)
        await say(update, context, f"每日提醒已开启，时间 {at:%H:%M}。" if at else
                  "每日提醒未开启。用 /remind on 08:30 开启。")
        return
    if args[0] in {"off", "关", "关闭"}:
        eng.set_reminder(chat.id, None)
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
    eng.set_reminder(chat.id, at)
    schedule_reminder(context.application, chat.id, at)
    await say(update, context, f"好的，每天 {at:%H:%M}（{runtime(context).settings.planbot_tz}）推送 "
                               f"{DIGEST_DAYS} 天内到期的事项。")


async def send_digest(context: Context) -> None:
    """The daily reminder job: items due within a week; nothing is sent on a quiet day."""
    chat_id = context.job.chat_id
    eng = engine(context)
    answer = eng.deadlines(within=DIGEST_DAYS, today=today(context), plan=plan_name(eng.chat_plan(chat_id)))
    if not answer.citations:
        return
    text = f"⏰ <b>每日提醒</b>\n{render.render_answer(answer)}"
    for part in render.split_html(text):
        await context.bot.send_message(chat_id, part, parse_mode=ParseMode.HTML)


async def on_remove(update: Update, context: Context) -> None:
    name = " ".join(context.args or []).strip()
    if not await is_manager(update, context, Manage.remove):
        await say(update, context, REFUSED_REMOVE)
        return
    if not name:
        await say(update, context, "用法：/remove 计划名称（标题或文件名的一部分）")
        return
    info = engine(context).find_plan(name)
    token = callbacks.new_token()
    bounded(context.chat_data, "pending", KEEP_PENDING)[token] = Pending(
        Kind.remove, initiator(update), info=info)
    text = f"确定删除《{render.esc(info.title)}》（{info.items} 条）吗？"
    await send_html(context, update.effective_chat, text,
                    keyboard=render.confirm_keyboard(Kind.remove, token), quote=update.effective_message)


async def on_unknown_command(update: Update, context: Context) -> None:
    await say(update, context, "不认识这个命令，发 /help 看看用法。")


def initiator(update: Update) -> int | None:
    """Who may confirm what this message started: its sender, or None for an anonymous
    group admin (who presses buttons as a person, not as the group)."""
    message, chat = update.effective_message, update.effective_chat
    if message.sender_chat and chat and message.sender_chat.id == chat.id:
        return None
    return update.effective_user.id


# -- uploads ----------------------------------------------------------------------------
async def on_document(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    document = message.document
    suffix = PurePath(document.file_name or "").suffix.lower()
    private = chat.type == Chat.PRIVATE
    if suffix not in UPLOAD_SUFFIXES:
        if private:  # in a group other files are just chatter
            await say(update, context, "只能添加 .txt、.docx 或 .pdf 格式的计划文件。")
        return
    if not await is_manager(update, context, Manage.upload):
        await say(update, context, REFUSED_UPLOAD)
        return
    if document.file_size and document.file_size > MAX_UPLOAD:
        await say(update, context, "文件太大了：计划文件不能超过 2 MB。")
        return
    await typing(update, context)
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD:
        await say(update, context, "文件太大了：计划文件不能超过 2 MB。")
        return
    # Parsing touches no database; in a thread, a long PDF does not stall other chats.
    plan = await asyncio.to_thread(engine(context).parse_upload, document.file_name, data)
    token = callbacks.new_token()
    bounded(context.chat_data, "pending", KEEP_PENDING)[token] = Pending(
        Kind.add, initiator(update), plan=plan, file_name=document.file_name)
    await send_html(context, chat, render.render_preview(plan, document.file_name),
                    keyboard=render.confirm_keyboard(Kind.add, token), quote=message)


# -- buttons ----------------------------------------------------------------------------
async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    action = callbacks.decode(query.data)
    if action is None or query.message is None or not query.message.is_accessible:
        await query.answer(STALE)
        return
    handler = {Kind.full: press_full, Kind.more: press_more, Kind.add: press_confirm,
               Kind.remove: press_confirm, Kind.cancel: press_cancel}[action.kind]
    await handler(update, context, action)


async def press_full(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    cited = engine(context).item(action.number)
    if cited is None:
        await query.answer("这一条已不在索引中了，请重新提问。")
        return
    await query.answer()
    await send_html(context, update.effective_chat, render.render_item(cited), quote=query.message)


async def press_more(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    stored = (context.chat_data or {}).get("questions", {}).get(action.token)
    if stored is None:
        await query.answer(STALE)
        return
    question, plan = stored
    answer = engine(context).ask(question, plan=plan, top=TOP, today=today(context), offset=action.offset)
    if not answer.citations:
        await query.answer("没有更多结果了。")
        return
    await query.answer()
    more = callbacks.encode(Kind.more, action.token, action.offset + len(answer.citations)) if answer.more else None
    await send_answer(update, context, answer, more, quote=query.message)


STALE_CONFIRM = "这个确认已失效，请重新操作。"
NOT_YOURS = "只有发起的人可以确认或取消。"


def peek_pending(context: Context, action: callbacks.Action, user_id: int) -> Pending | str:
    """The pending action behind a confirm/cancel button if this user may press it, else a
    notice. Nothing is consumed here: a forged or mismatched press leaves it waiting."""
    item = (context.chat_data or {}).get("pending", {}).get(action.token)
    if item is None or (action.kind is not Kind.cancel and item.kind is not action.kind):
        return STALE_CONFIRM
    if item.user_id is not None and item.user_id != user_id:
        return NOT_YOURS
    return item


def drop_pending(context: Context, token: str) -> None:
    (context.chat_data or {}).get("pending", {}).pop(token, None)


async def press_confirm(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    pending = peek_pending(context, action, query.from_user.id)
    if isinstance(pending, str):
        await query.answer(pending)
        return
    # Checked again at the press: rights can be taken away while a preview waits.
    manage = Manage.upload if pending.kind is Kind.add else Manage.remove
    if not await is_manager(update, context, manage, user=query.from_user):
        await query.answer(REFUSED_CONFIRM if pending.user_id is not None else NOT_YOURS)
        return
    drop_pending(context, action.token)
    await query.answer("处理中…")
    eng, chat_id = engine(context), update.effective_chat.id
    if pending.kind is Kind.add:
        info = eng.add_plan(pending.plan, added_by=query.from_user.id, chat_id=chat_id)
        text = f"已加入《{render.esc(info.title)}》：{info.items} 条。现在可以提问了。"
    else:
        try:
            info = eng.remove_plan(pending.info.source, added_by=query.from_user.id, chat_id=chat_id)
        except PlanNotFound:
            info = None
        text = f"已删除《{render.esc(pending.info.title)}》。" if info else "这个计划已经不在了。"
    await query.edit_message_text(text, parse_mode=ParseMode.HTML)


async def press_cancel(update: Update, context: Context, action: callbacks.Action) -> None:
    query = update.callback_query
    pending = peek_pending(context, action, query.from_user.id)
    if isinstance(pending, str):
        await query.answer(pending)
        return
    if pending.user_id is None and not await is_manager(update, context, Manage.upload, user=query.from_user):
        await query.answer(NOT_YOURS)  # an anonymous admin's action: only the chat's managers
        return
    drop_pending(context, action.token)
    await query.answer("已取消")
    await query.edit_message_text("已取消，索引没有变化。")


# -- inline mode ---------------------------------------------------------------------------
async def on_inline(update: Update, context: Context) -> None:
    query = update.inline_query
    text = " ".join(query.query.split())[: runtime(context).settings.max_question]
    button = InlineQueryResultsButton("私聊提问 / 用法", start_parameter="help")
    if not text:
        await query.answer([], button=button, cache_time=5)
        return
    # No flood control here: clients send a query per keystroke, and cache_time absorbs them.
    answer = engine(context).ask(text, top=INLINE_TOP, today=today(context))
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


# -- errors -----------------------------------------------------------------------------
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


# -- wiring -----------------------------------------------------------------------------
def register(application: Application) -> None:
    new = filters.UpdateType.MESSAGE  # edits of old messages are not asked again
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    commands = [
        ("start", on_start), ("help", on_help), ("ask", on_ask), ("item", on_item),
        ("plans", on_plans), ("plan", on_plan), ("deadlines", on_deadlines),
        ("remind", on_remind), ("remove", on_remove),
    ]
    for name, callback in commands:
        application.add_handler(CommandHandler(name, callback, filters=new))
    text = filters.TEXT & ~filters.COMMAND & new
    application.add_handler(MessageHandler(text & (private | (groups & ADDRESSED)), on_text))
    application.add_handler(MessageHandler(filters.Document.ALL & new & (private | groups), on_document))
    application.add_handler(MessageHandler(filters.COMMAND & private & new, on_unknown_command))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)


async def setup(application: Application) -> None:
    """post_init work that needs the open engine: commands and reminder jobs."""
    await application.bot.set_my_commands(COMMANDS)
    for chat_id, at in runtime_of(application).engine.reminders().items():
        schedule_reminder(application, chat_id, at)


def runtime_of(application: Application) -> Runtime:
    return application.bot_data["planbot"]
