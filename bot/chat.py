"""`planbot chat`: a terminal conversation on the same engine as the bot.

Line editing and history come from the standard library's readline (history kept next
to the database), so arrow keys and Ctrl-R work as in any shell.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, field
from pathlib import Path

from planbot.index.answer.intent import is_acknowledgement
from planbot.index.engine import Engine
from planbot.index.errors import PlanBotError

from .terminal import render_answer, render_plans

HELP = """直接输入问题，例如：干部培训谁负责？ / 下周要完成哪些？ / 第3条说的什么？
命令：/plans 列出计划   /plan 名称 只问这份计划（/plan 清除）   /show 3 看全文   更多 下一页   /quit 退出"""
MORE_WORDS = {"更多", "/more", "下一页"}
MORE_HINT = "输入“更多”看下一页"


@dataclass
class Conversation:
    """What the next line is asked against: the chosen plan and the item last answered."""

    plan_id: int | None = None
    item_id: int | None = None  # the last answer's first citation: 那什么时候完成 is about it
    listed: dict[int, int] = field(default_factory=dict)  # the last list answered, by number shown: 第二个 is one
    more: tuple[str, int | None, int] | None = None  # 更多: (question, its context item, next offset)


def run_chat(engine: Engine, *, plan: str | None = None, today: dt.date | None = None) -> int:
    _enable_history(engine.store.path.parent / "chat_history")
    talk = Conversation(plan_id=engine.find_plan(plan).id if plan else None)
    print(f"要点通 PlanBot：{len(engine.plans())} 份计划。{HELP}")
    while True:
        try:
            line = input("问> ").strip()
        except EOFError:
            print()
            return 0
        except KeyboardInterrupt:
            print()
            continue
        if line in ("/quit", "/exit", "/q"):
            return 0
        try:
            _turn(engine, line, talk, today)
        except PlanBotError as e:
            print(f"错误：{e}")


def _turn(engine: Engine, line: str, talk: Conversation, today: dt.date | None) -> None:
    """One line of the conversation."""
    command, _, rest = line.partition(" ")
    if command == "/help":
        print(HELP)
    elif command == "/plans":
        print(render_plans(engine.plans()))
    elif command == "/plan":
        info = engine.find_plan(rest) if rest.strip() else None
        talk.plan_id = info.id if info else None
        print(f"只问《{info.title}》" if info else "不限定计划")
    elif command == "/show":
        answer = engine.show(rest, plan=talk.plan_id)
        talk.item_id = answer.citations[0].item_id
        print(render_answer(answer, full=True))
    elif line in MORE_WORDS:
        if talk.more is None:
            print("没有更多了。")
            return
        question, item_id, offset = talk.more
        _answer(engine, question, talk, today, item_id, offset)
    elif not is_acknowledgement(line):  # 好的 / 谢谢: nothing to answer, as in a group chat
        _answer(engine, line, talk, today, talk.item_id, 0)


def _answer(engine: Engine, question: str, talk: Conversation, today: dt.date | None,
            item_id: int | None, offset: int) -> None:
    answer = engine.ask(question, plan=talk.plan_id, today=today, context=item_id, offset=offset, listed=talk.listed)
    if answer.found and answer.citations:
        talk.item_id = answer.citations[0].item_id
    talk.listed = answer.listed(talk.listed)
    next_offset = answer.offset + len(answer.citations)
    talk.more = (question, item_id, next_offset) if answer.more else None
    print(render_answer(answer, more_hint=MORE_HINT))


def _enable_history(path: Path) -> None:
    try:
        import readline
    except ImportError:  # Windows without pyreadline: plain input() still works
        return
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)
    import atexit

    def save() -> None:
        try:
            readline.write_history_file(path)
        except OSError:
            print(f"（无法保存历史记录到 {path}）", file=sys.stderr)

    atexit.register(save)
