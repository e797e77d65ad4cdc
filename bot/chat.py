"""`planbot chat`: a terminal conversation on the same engine as the bot.

Line editing and history come from the standard library's readline (history kept next
to the database), so arrow keys and Ctrl-R work as in any shell.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from planbot.index.engine import Engine
from planbot.index.errors import PlanBotError

from .terminal import render_answer, render_plans

HELP = """直接输入问题，例如：干部培训谁负责？ / 这个月有哪些任务到期？ / 第3条说的什么？
命令：/plans 列出计划   /plan 名称 只问这份计划（/plan 清除）   /show 3 看全文   /quit 退出"""


def run_chat(engine: Engine, *, plan: str | None = None, today: dt.date | None = None) -> int:
    _enable_history(engine.store.path.parent / "chat_history")
    plan_id = engine.find_plan(plan).id if plan else None
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
            plan_id = _turn(engine, line, plan_id, today)
        except PlanBotError as e:
            print(f"错误：{e}")


def _turn(engine: Engine, line: str, plan_id: int | None, today: dt.date | None) -> int | None:
    """One line of the conversation; returns the plan asked about from now on."""
    command, _, rest = line.partition(" ")
    if command == "/help":
        print(HELP)
    elif command == "/plans":
        print(render_plans(engine.plans()))
    elif command == "/plan":
        info = engine.find_plan(rest) if rest.strip() else None
        plan_id = info.id if info else None
        print(f"只问《{info.title}》" if info else "不限定计划")
    elif command == "/show":
        print(render_answer(engine.show(rest, plan=plan_id), full=True))
    else:
        print(render_answer(engine.ask(line, plan=plan_id, today=today)))
    return plan_id


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
