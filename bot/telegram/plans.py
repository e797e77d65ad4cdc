"""Plan management in a chat: /plans, /plan, uploading a plan file and /remove, each change
confirmed with a button by the person who started it, whose rights are checked again then.

Storing and removing run in a worker thread: every other chat goes on being answered while
a plan is tokenized and written.
"""

from __future__ import annotations

import asyncio
from pathlib import PurePath

from telegram import Chat, Message, MessageEntity, Update
from telegram.constants import ParseMode

from planbot.index.answer.changes import describe
from planbot.index.errors import PlanNotFound
from planbot.index.ingest.read import SUPPORTED_SUFFIXES, listed_formats, resave_advice
from planbot.index.limits import MAX_UPLOAD_BYTES, page

from . import callbacks, render
from .access import Manage, initiator, is_manager, replies_to_bot
from .callbacks import Kind
from .context import Context, Pending
from .send import say, send_html, typing

REFUSED_UPLOAD = "抱歉，只有群管理员或机器人管理员可以添加计划。"
REFUSED_REMOVE = "抱歉，只有群管理员或机器人管理员可以删除计划。"
REFUSED_RESTORE = "抱歉，只有群管理员或机器人管理员可以恢复计划。"
REFUSED_CONFIRM = "你已不是管理员，不能确认这个操作。"
REFUSED_SHARED = "这份计划是所有群共用的，只有机器人管理员（PLANBOT_ADMINS）可以删除或替换。"
TOO_BIG = f"文件太大了：计划文件不能超过 {MAX_UPLOAD_BYTES // 2**20} MB。"


async def on_plans(update: Update, context: Context) -> None:
    await send_plans(update, context, 0, update.effective_message)


async def press_plans(update: Update, context: Context, action: callbacks.Action) -> None:
    """更多 on /plans, or 已收录的计划 under a miss: one page of the plans."""
    query = update.callback_query
    if action.offset and action.offset >= len(context.engine.plans(chat=update.effective_chat.id)):
        await query.answer("没有更多了。")
        return
    await query.answer()
    await send_plans(update, context, action.offset, query.message)


async def send_plans(update: Update, context: Context, offset: int, quote: Message | None) -> None:
    chat_id = update.effective_chat.id
    every = context.engine.plans(chat=chat_id)
    shown, more = page(every, offset)
    text = render.render_plans(shown, context.chats.plan(chat_id), chat_id, offset=offset, total=len(every))
    await send_html(context, update.effective_chat, text,
                    keyboard=render.plans_keyboard(offset + len(shown), more), quote=quote)


CLEAR_WORDS = {"全部", "所有", "清除", "取消", "off", "none", "all"}


async def on_plan(update: Update, context: Context) -> None:
    chats, chat = context.chats, update.effective_chat
    name = " ".join(context.args or []).strip()
    if not name:
        current = chats.plan(chat.id)
        text = (f"本聊天默认计划：《{current.title}》。用 /plan 全部 取消。" if current
                else "本聊天没有默认计划，问题会在所有计划里找。用 /plan 名称 设定。")
        await say(update, context, text)
        return
    if name.lower() in CLEAR_WORDS:
        chats.set_plan(chat.id, None)
        await say(update, context, "已取消默认计划，问题会在所有计划里找。")
        return
    info = chats.set_plan(chat.id, name)
    await say(update, context, f"本聊天默认计划已设为《{info.title}》。")


async def _named(update: Update, context: Context, args: list[str], usage: str) -> str | None:
    """The plan name a command was given, or None after replying with its usage."""
    name = " ".join(args).strip()
    if not name:
        await say(update, context, usage)
    return name or None


async def on_remove(update: Update, context: Context) -> None:
    if not await is_manager(update, context, Manage.remove):
        await say(update, context, REFUSED_REMOVE)
        return
    if not (name := await _named(update, context, context.args or [], "用法：/remove 计划名称（标题或文件名的一部分）")):
        return
    info = context.engine.find_plan(name, chat=update.effective_chat.id)
    if info.scope is None and not is_bot_admin(update, context):
        await say(update, context, REFUSED_SHARED)
        return
    token = callbacks.new_token()
    context.chat_state.pending()[token] = Pending(
        Kind.remove, initiator(update), info=info)
    text = f"确定删除《{render.esc(info.title)}》（{info.items} 条）吗？"
    await send_html(context, update.effective_chat, text,
                    keyboard=render.confirm_keyboard(Kind.remove, token), quote=update.effective_message)


async def on_history(update: Update, context: Context) -> None:
    if not (name := await _named(update, context, context.args or [], "用法：/history 计划名称 — 列出保存的各个版本")):
        return
    info, title, versions = context.engine.history(name, chat=update.effective_chat.id)
    await send_html(context, update.effective_chat, render.render_history(info, title, versions),
                    quote=update.effective_message)


async def on_changes(update: Update, context: Context) -> None:
    if not (name := await _named(update, context, context.args or [], "用法：/changes 计划名称 — 最近一次更新改了什么")):
        return
    diff = context.engine.changes(name, chat=update.effective_chat.id)
    await send_html(context, update.effective_chat, render.esc(describe(diff)), quote=update.effective_message)


async def on_restore(update: Update, context: Context) -> None:
    """/restore NAME [VERSION]: a kept version becomes the newest; nothing is lost, so it
    needs the rights of a removal but no confirmation."""
    args = list(context.args or [])
    version = int(args.pop()) if len(args) > 1 and args[-1].isdigit() else None
    if not await is_manager(update, context, Manage.remove):
        await say(update, context, REFUSED_RESTORE)
        return
    if not (name := await _named(update, context, args, "用法：/restore 计划名称 [版本号] — 恢复到保存的版本（默认上一版）")):
        return
    chat_id = update.effective_chat.id
    info, _, versions = context.engine.history(name, chat=chat_id)
    scope = info.scope if info else versions[-1].scope
    if scope is None and not is_bot_admin(update, context):
        await say(update, context, REFUSED_SHARED)
        return
    restored = await asyncio.to_thread(context.engine.restore, name, version, chat=chat_id,
                                       added_by=update.effective_user.id if update.effective_user else None,
                                       chat_id=chat_id)
    await say(update, context, f"已恢复《{restored.title}》：现在是第{restored.version}版，{restored.items} 条。")


async def on_document(update: Update, context: Context) -> None:
    message, chat = update.effective_message, update.effective_chat
    document = message.document
    suffix = PurePath(document.file_name or "").suffix.lower()
    if chat.type != Chat.PRIVATE and not sent_to_bot(message, context.bot.username):
        return  # a file the members share among themselves (privacy mode off delivers it too)
    if suffix not in SUPPORTED_SUFFIXES:
        await say(update, context, unsupported_upload(document.file_name or ""))
        return
    if not await is_manager(update, context, Manage.upload):
        await say(update, context, REFUSED_UPLOAD)
        return
    if document.file_size and document.file_size > MAX_UPLOAD_BYTES:
        await say(update, context, TOO_BIG)
        return
    await typing(update, context)
    data = bytes(await (await document.get_file()).download_as_bytearray())
    if len(data) > MAX_UPLOAD_BYTES:
        await say(update, context, TOO_BIG)
        return
    # Parsing touches no database; in a thread, a long PDF does not stall other chats.
    plan = await asyncio.to_thread(context.engine.parse_upload, document.file_name, data)
    # A bot admin's plan is every chat's; anyone else's belongs to the chat it was sent in.
    scope = None if is_bot_admin(update, context) else chat.id
    preview = context.engine.preview(plan, scope=scope)
    if preview.unchanged:
        await say(update, context, f"已收录《{preview.existing.title}》，内容未变（第{preview.existing.version}版）。")
        return
    token = callbacks.new_token()
    context.chat_state.pending()[token] = Pending(
        Kind.add, initiator(update), plan=plan, file_name=document.file_name, scope=scope)
    text = render.render_preview(plan, document.file_name, shared=scope is None, diff=preview.diff)
    await send_html(context, chat, text, keyboard=render.confirm_keyboard(Kind.add, token), quote=message)


def sent_to_bot(message: Message, username: str | None) -> bool:
    """A file meant for the bot: its caption mentions @ourbot, or it replies to one of our
    messages. In a group, anything else is chatter and gets no answer."""
    if replies_to_bot(message):
        return True
    mentions = message.parse_caption_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    bot_id = message.get_bot().id
    return any((e.type == MessageEntity.MENTION and username and text.lower() == "@" + username.lower())
               or (e.type == MessageEntity.TEXT_MENTION and e.user and e.user.id == bot_id)
               for e, text in mentions.items())


def is_bot_admin(update: Update, context: Context, user=None) -> bool:
    """Whether the sender (or `user`) is in PLANBOT_ADMINS: only they change every chat's plans."""
    user = user or update.effective_user
    return bool(user and user.id in context.runtime.settings.admins)


def unsupported_upload(name: str) -> str:
    """The reply to a file of a format PlanBot cannot add: the formats it can, and for a
    .ett, .xlsb, .dot … what to re-save it as. Both come from read.py, which refuses the
    same files on the command line."""
    text = f"只能添加 {listed_formats()} 格式的计划文件。"
    advice = resave_advice(name)
    return f"{text}{PurePath(name).suffix.lower()} 文件{advice}。" if advice else text


STALE_CONFIRM = "这个确认已失效，请重新操作。"
NOT_YOURS = "只有发起的人可以确认或取消。"


def peek_pending(context: Context, action: callbacks.Action, user_id: int) -> Pending | str:
    """The pending action behind a confirm/cancel button if this user may press it, else a
    notice. Nothing is consumed here: a forged or mismatched press leaves it waiting."""
    item = context.chat_state.get("pending", {}).get(action.token)
    if item is None or (action.kind is not Kind.cancel and item.kind is not action.kind):
        return STALE_CONFIRM
    if item.user_id is not None and item.user_id != user_id:
        return NOT_YOURS
    return item


def drop_pending(context: Context, token: str) -> None:
    context.chat_state.get("pending", {}).pop(token, None)


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
    engine, who = context.engine, {"added_by": query.from_user.id, "chat_id": update.effective_chat.id}
    if (pending.scope is None if pending.kind is Kind.add else pending.info.scope is None) \
            and not is_bot_admin(update, context, query.from_user):
        await query.answer(REFUSED_SHARED)
        return
    if pending.kind is Kind.add:
        info = await asyncio.to_thread(engine.add_plan, pending.plan, scope=pending.scope, **who)
        text = (f"已更新《{render.esc(info.title)}》为第{info.version}版：{info.items} 条。" if info.version > 1
                else f"已加入《{render.esc(info.title)}》：{info.items} 条。现在可以提问了。")
    else:
        try:
            info = await asyncio.to_thread(engine.remove_plan, pending.info.id, **who)
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
