"""Engine results as Telegram HTML: every plan or user string escaped, messages split ≤ 4096.

Why a splitter of our own: python-telegram-bot has none (only `MessageLimit.MAX_TEXT_LENGTH`),
and the PyPI helpers that split either work on Markdown or cut plain text without regard to
tags. `split_html` cuts on line boundaries first and, inside one overlong line, after a
punctuation mark; a tag still open at a cut is closed there and opened again in the next
message, so each message is valid HTML on its own.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from planbot.index.answer.cite import body as item_body
from planbot.index.answer.cite import heading as item_heading
from planbot.index.answer.cite import quote as item_quote
from planbot.index.answer.changes import describe, describe_history
from planbot.index.answer.phrasing import due_groups
from planbot.index.cn import LIST_MARKS
from planbot.index.limits import PAGE
from planbot.index.models import (ROLE_NAMES_ZH, Answer, Citation, Deadline, Owner, Plan, PlanDiff, PlanInfo,
                                  PlanVersion)
from planbot.index.periods import month_span

from . import callbacks
from .callbacks import Kind

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096 (UTF-16 code units, after entity parsing)
MAX_FULL_BUTTONS = PAGE  # a 全文 button for every item of a list's page …
BUTTONS_PER_ROW = 5       # … five to a row
# A list's later pages go on from the first's (⑳ then ㉑), as the terminal numbers them and
# as 第二十一个 / ㉑ picks them (Answer.listed).
MARKS = LIST_MARKS


def is_numbered(citations: Sequence[Citation], offset: int) -> bool:
    """Whether a page of citations is shown numbered (①, 全文②): a list, or a later page of one."""
    return len(citations) > 1 or offset > 0


def esc(text: object) -> str:
    # Telegram's HTML needs only <, > and & escaped outside attributes.
    return html.escape(str(text), quote=False)


def one_line(text: str) -> str:
    return " ".join(text.split())


def clip(text: str, limit: int) -> str:
    """Plain text cut to `limit` characters with an ellipsis (before escaping)."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mark(index: int) -> str:
    return MARKS[index] if index < len(MARKS) else f"({index + 1})"


# -- pieces ----------------------------------------------------------------------------
def path_line(c: Citation, index: int | None = None) -> str:
    prefix = f"{mark(index)} " if index is not None else ""
    return f"{prefix}<b>《{esc(c.plan)}》 {esc(one_line(item_heading(c)))}</b>"


def owners_text(owners: Sequence[Owner]) -> list[str]:
    lines = []
    for role, name in ROLE_NAMES_ZH.items():
        units = [o.unit for o in owners if o.role == role]
        if units:
            lines.append(f"{name}：{'、'.join(units)}")
    return lines


def deadline_text(deadlines: Sequence[Deadline]) -> str:
    return "、".join(d.phrase + ("（常态）" if d.recurring else "") for d in deadlines)


def citation_block(c: Citation, index: int | None, kind: str) -> list[str]:
    lines = [path_line(c, index)]
    if kind == "deadlines" and c.deadlines:
        lines.append(f"时限：{esc(deadline_text(c.deadlines))}")
    else:
        if shown := item_quote(c):
            lines.append(f"<blockquote>{esc(clip(one_line(shown), 300))}</blockquote>")
    return lines


def offers_related(answer: Answer) -> bool:
    """A miss whose citations are only the nearest items (可能相关): its text names them and
    buttons open them; they are not shown as answers."""
    return not answer.found and bool(answer.citations) and answer.kind not in ("lookup", "deadlines")


# -- whole messages ------------------------------------------------------------------------
def render_answer(answer: Answer) -> str:
    """The engine's sentence, then each citation; a deadlines list under 已过时限 / 尚未到期
    when it holds both."""
    lines = [esc(answer.text.strip() or "（没有内容）")]
    if offers_related(answer):
        return lines[0]
    groups = due_groups(answer) if answer.kind == "deadlines" else [("", answer.citations)]
    numbered, i = is_numbered(answer.citations, answer.offset), answer.offset  # numbered on from earlier pages
    for heading, cited in groups:
        if heading:
            lines += ["", f"<b>{esc(heading)}</b>"]
        for n, c in enumerate(cited):
            if n or not heading:  # a heading's first item follows it directly
                lines.append("")
            lines += citation_block(c, i if numbered else None, answer.kind)
            i += 1
    return "\n".join(lines)


def render_item(c: Citation) -> str:
    """The whole item: heading, full text, owners by role, deadlines (each once: the text
    comes without its own 牵头单位：… lines)."""
    lines = [path_line(c), esc(item_body(c).strip() or c.title)]
    facts = owners_text(c.owners)
    if c.deadlines:
        facts.append(f"时限：{deadline_text(c.deadlines)}")
    if facts:
        lines.append("")
        lines += [esc(f) for f in facts]
    return "\n".join(lines)


def render_items(answer: Answer) -> str:
    """`/item` results: the engine's sentence, then each item in full."""
    parts = [esc(answer.text.strip())] if answer.text.strip() else []
    parts += [render_item(c) for c in answer.citations]
    return "\n\n".join(parts) or esc("没有找到这一条。")


def render_inline(c: Citation, question: str) -> str:
    """The message an inline result inserts: the question, then the citation."""
    lines = [f"❓ {esc(clip(one_line(question), 200))}", ""]
    lines += citation_block(c, None, "search")
    facts = owners_text(c.owners)
    if c.deadlines:
        facts.append(f"时限：{deadline_text(c.deadlines)}")
    lines += [esc(clip(f, 300)) for f in facts]
    return "\n".join(lines)


def render_plans(plans: Sequence[PlanInfo], current: PlanInfo | None, chat_id: int | None = None, *,
                 offset: int = 0, total: int | None = None) -> str:
    """One page of the plans a chat sees (`plans`, from `offset`, of `total`)."""
    total = len(plans) if total is None else total
    if not total:
        return "还没有收录任何计划。管理员可以把 .txt / .docx 文件发给我来添加。"
    shown = f"（第 {offset + 1}–{offset + len(plans)} 个）" if len(plans) < total else ""
    lines = [f"<b>已收录 {total} 个计划</b>{shown}"]
    for i, p in enumerate(plans, offset + 1):
        flag = " ✅ 本聊天默认" if current and current.id == p.id else ""
        scope = "所有聊天共用" if p.scope is None else "本聊天自己的"
        version = f"，第{p.version}版" if p.version > 1 else ""
        lines.append(
            f"{i}. 《{esc(p.title)}》{flag}（{scope}{version}）\n"
            f"    {p.items} 条，其中有责任单位 {p.with_owners} 条、有时限 {p.with_deadlines} 条"
            f"（{esc(p.source)}）")
    lines.append("\n用 /plan 名称 设定本聊天默认计划。")
    return "\n".join(lines)


def _distinct(values: Iterable[str], limit: int) -> tuple[list[str], int]:
    seen = list(dict.fromkeys(v for v in values if v))
    return seen[:limit], len(seen)


def render_preview(plan: Plan, file_name: str, shared: bool = True, diff: PlanDiff | None = None) -> str:
    items = [i for i in plan.items if i.kind == "item"] or plan.items
    units, n_units = _distinct((o.unit for i in items for o in i.owners), 8)
    phrases, n_phrases = _distinct((d.phrase for i in items for d in i.deadlines), 8)
    with_owners = sum(1 for i in items if i.owners)
    with_deadlines = sum(1 for i in items if i.deadlines)
    lines = [
        f"<b>预览：《{esc(plan.title)}》</b>",
        f"文件：{esc(file_name)}",
        f"条目：{len(items)} 条（有责任单位 {with_owners} 条，有时限 {with_deadlines} 条）",
    ]
    if units:
        more = f" 等 {n_units} 个" if n_units > len(units) else ""
        lines.append(f"责任单位：{esc('、'.join(units))}{more}")
    if phrases:
        more = f" 等 {n_phrases} 个" if n_phrases > len(phrases) else ""
        lines.append(f"完成时限：{esc('、'.join(phrases))}{more}")
    first = [f"{i.label}{i.title}" for i in items[:3]]
    if first:
        lines.append("开头几条：" + esc("；".join(clip(one_line(t), 40) for t in first)))
    lines.append("范围：" + ("所有聊天共用（机器人管理员添加）" if shared else "只在本聊天可问"))
    if diff is None:
        lines.append("\n确认加入索引吗？")
    else:  # a new version of a plan of this title: what it changes, before anyone confirms
        lines.append("\n<b>这是已收录计划的新版本</b>\n" + esc(describe(diff)))
        lines.append(f"\n确认替换为第{diff.new_version}版吗？旧版本会保留，可用 /history 查看、恢复。")
    return "\n".join(lines)


def render_history(info: PlanInfo | None, title: str, versions: list[PlanVersion]) -> str:
    return esc(describe_history(info, title, versions) + "\n/changes 名称 看最近一次改了什么；/restore 名称 [版本] 恢复（管理员）")


# -- keyboards -----------------------------------------------------------------------------
@dataclass(frozen=True)
class KeyboardSpec:
    citations: Sequence[Citation]
    more_data: str | None = None     # encoded 更多 callback, when more results exist
    item_url: Callable[[int], str] | None = None  # item id → deep link (links.py); None: no link
    related: bool = False            # the citations are a miss's nearest items: one 可能相关 button each
    extra: Sequence[tuple[str, str]] = ()  # further (label, callback data) buttons, on a row of their own
    offset: int = 0                  # the page's first citation is number offset + 1


def answer_keyboard(spec: KeyboardSpec) -> InlineKeyboardMarkup | None:
    """全文 for every citation (five to a row), or a 可能相关 button for each nearest item of a
    miss; then the `extra` buttons; then 更多 and the private-chat link."""
    cites = list(spec.citations)[:MAX_FULL_BUTTONS]
    if spec.related:
        rows = [[InlineKeyboardButton(f"可能相关：{clip(one_line(c.title), 20)}",
                                      callback_data=callbacks.encode(Kind.full, c.item_id))] for c in cites]
    else:
        numbered = is_numbered(spec.citations, spec.offset)
        full = [InlineKeyboardButton(f"全文{mark(i) if numbered else ''}",
                                     callback_data=callbacks.encode(Kind.full, c.item_id))
                for i, c in enumerate(cites, spec.offset)]
        rows = [full[i:i + BUTTONS_PER_ROW] for i in range(0, len(full), BUTTONS_PER_ROW)]
    rows.append([InlineKeyboardButton(label, callback_data=data) for label, data in spec.extra])
    last = []
    if spec.more_data:
        last.append(InlineKeyboardButton("更多", callback_data=spec.more_data))
    if spec.item_url and cites and not spec.related:
        last.append(InlineKeyboardButton("私聊查看", url=spec.item_url(cites[0].item_id)))
    rows = [r for r in (*rows, last) if r]
    return InlineKeyboardMarkup(rows) if rows else None


def keyboard_for(answer: Answer, more_data: str | None,
                 item_url: Callable[[int], str] | None) -> InlineKeyboardMarkup | None:
    """An answer's buttons: 全文 for what it cites; on a miss, 可能相关 for the nearest items
    and 已收录的计划; with nothing due, the months of the nearest deadlines."""
    extra: dict[str, str] = {}  # data → label: the next and the last date may share a month
    if answer.due is not None and not answer.citations:
        for day in (answer.due.next, answer.due.last):
            if day is not None:
                data = callbacks.due_data(*month_span(day.date.year, day.date.month))
                extra.setdefault(data, f"看{day.date.year}年{day.date.month}月到期的")
    if not answer.found and answer.kind not in ("deadlines", "hint") and (
            offers_related(answer) or not answer.citations):  # not under 这已是最后一条
        extra[callbacks.encode(Kind.plans, 0)] = "已收录的计划"
    return answer_keyboard(KeyboardSpec(answer.citations, more_data, item_url, offers_related(answer),
                                        [(label, data) for data, label in extra.items()], answer.offset))


def plans_keyboard(offset: int, more: bool) -> InlineKeyboardMarkup | None:
    """/plans: 更多 when the list goes on past this page."""
    if not more:
        return None
    data = callbacks.encode(Kind.plans, offset)
    return InlineKeyboardMarkup([[InlineKeyboardButton("更多", callback_data=data)]])


def link_keyboard(item_url: Callable[[int], str] | None, item_id: int) -> InlineKeyboardMarkup | None:
    """Only the deep link that opens the item in a private chat with the bot."""
    if item_url is None:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton("私聊查看", url=item_url(item_id))]])


def confirm_keyboard(kind: Kind, token: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton("✅ 确认", callback_data=callbacks.encode(kind, token)),
        InlineKeyboardButton("取消", callback_data=callbacks.encode(Kind.cancel, token)),
    ]])


# -- splitting -------------------------------------------------------------------------------
_TOKEN = re.compile(r"<(/?)([A-Za-z][\w-]*)[^>]*>|&#?\w+;|[^<&]", re.S)
_SOFT_BREAK = set("。；！？;!?，, 、）)")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class _Unit:
    sep: str                  # "\n" before a new line, "" before the rest of a cut line
    text: str
    before: tuple[str, ...]   # opening tags in force where the unit starts
    after: tuple[str, ...]    # ... and where it ends


def _closers(stack: Sequence[str]) -> str:
    return "".join(f"</{_TOKEN.match(t).group(2)}>" for t in reversed(stack))


def _scan(text: str, stack: tuple[str, ...]) -> tuple[str, ...]:
    """The open-tag stack after `text`, given the stack before it."""
    opened = list(stack)
    for m in _TOKEN.finditer(text):
        if m.group(2):
            if m.group(1):
                if opened:
                    opened.pop()
            else:
                opened.append(m.group(0))
    return tuple(opened)


def _cut_line(line: str, stack: tuple[str, ...], budget: int) -> list[tuple[str, tuple, tuple]]:
    """An overlong line as pieces of at most `budget`, cut after punctuation if possible."""
    pieces, tokens = [], [m.group(0) for m in _TOKEN.finditer(line)]
    start, size, soft = 0, 0, None
    i = 0
    while i < len(tokens):
        size += utf16_len(tokens[i])
        if size > budget and i > start:
            cut = soft if soft is not None and soft > start else i
            text = "".join(tokens[start:cut])
            after = _scan(text, stack)
            pieces.append((text, stack, after))
            stack, start, size, soft = after, cut, 0, None
            i = cut
            continue
        if tokens[i] in _SOFT_BREAK:
            soft = i + 1
        i += 1
    text = "".join(tokens[start:])
    pieces.append((text, stack, _scan(text, stack)))
    return pieces


def _units(text: str, limit: int) -> list[_Unit]:
    units, stack = [], ()
    budget = max(limit - 512, limit // 2)  # room for re-opened tags around a piece
    for n, line in enumerate(text.split("\n")):
        sep = "\n" if n else ""
        if utf16_len(line) <= budget:
            after = _scan(line, stack)
            units.append(_Unit(sep, line, stack, after))
            stack = after
            continue
        for k, (piece, before, after) in enumerate(_cut_line(line, stack, budget)):
            units.append(_Unit(sep if k == 0 else "", piece, before, after))
            stack = after
    return units


def _join(units: Sequence[_Unit]) -> str:
    """Units as one message: tags open at its start re-opened, tags open at its end closed."""
    body = units[0].text + "".join(u.sep + u.text for u in units[1:])
    return "".join(units[0].before) + body + _closers(units[-1].after)


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram-HTML `text` as messages of at most `limit` UTF-16 units, each well formed."""
    messages: list[str] = []
    group: list[_Unit] = []  # the message being filled
    for unit in _units(text, limit):
        if group and utf16_len(_join([*group, unit])) > limit:
            messages.append(_join(group))
            group = []
        group.append(unit)
    if group:
        messages.append(_join(group))
    return [m.strip("\n") for m in messages if m.strip()]
