"""`planbot`: the command line. Library errors become one-line messages here, at the edge."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from planbot.index.errors import PlanBotError
from planbot.index.periods import FORMS, SOON_DAYS

DEFAULT_PLAN_DIR = "plan_texts"


def main(argv: Sequence[str] | None = None) -> int:
    _one_blas_thread()
    args = build_parser().parse_args(argv)
    if args.func is not cmd_serve:
        _no_pydantic_plugins()
    try:
        return args.func(args)
    except BrokenPipeError:  # `planbot ask - | head`
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as e:
        if not isinstance(e, PlanBotError) and not _is_settings_error(e):
            raise
        print(f"错误：{e}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="planbot", description="要点通 PlanBot：对工作要点、实施方案提问，答案附出处。")
    p.add_argument("--db", help="数据库路径（默认取 PLANBOT_DB 或用户数据目录）")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("index", help="添加或更新计划文件（默认 plan_texts/）")
    s.add_argument("paths", nargs="*", metavar="PATH", help="计划文件或文件夹（.txt .md .docx .doc .pdf .xlsx …）")
    s.set_defaults(func=cmd_index)

    s = sub.add_parser("ask", help="提一个问题；用 - 从标准输入逐行读取问题")
    s.add_argument("question", metavar="问题", help="问题；写 - 则从标准输入逐行读取，每行一个答案")
    _scope(s)
    s.add_argument("--top", type=_top, default=3, help="最多列出几条出处（默认 3，最多 20）")
    s.add_argument("--offset", type=_days, default=0, metavar="N", help="跳过前 N 条结果（看下一页）")
    s.add_argument("--json", action="store_true", help="输出 JSON（Answer 模型），每个答案一行")
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("chat", help="终端对话（行编辑与历史记录）")
    _scope(s)
    s.set_defaults(func=cmd_chat)

    s = sub.add_parser("plans", help="列出已索引的计划")
    s.add_argument("--json", action="store_true", help="输出 JSON（PlanInfo 列表）")
    s.set_defaults(func=cmd_plans)

    s = sub.add_parser("show", help="显示一条的全文：3、二.3、第三条")
    s.add_argument("item", metavar="ITEM", help="条目编号：3、二.3、第三条")
    s.add_argument("--plan", metavar="NAME", help="只在这份计划里找（标题或文件名的一部分）")
    s.add_argument("--json", action="store_true", help="输出 JSON（Answer 模型）")
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("deadlines", help="列出到期任务（已过时限的在前）")
    when = s.add_mutually_exclusive_group()
    when.add_argument("period", nargs="?", metavar="时间",
                      help=f"哪段时间到期的，写法同提问：{FORMS}（默认今天起 {SOON_DAYS} 天）")
    when.add_argument("--month", type=_month, metavar="YYYY-MM", help="这个月到期的，例如 2021-06")
    when.add_argument("--within", type=_days, metavar="DAYS", help=f"今天起 DAYS 天内到期的（默认 {SOON_DAYS}）")
    _scope(s)
    s.add_argument("--offset", type=_days, default=0, metavar="N", help="跳过前 N 项（看下一页）")
    s.add_argument("--top", type=_top, metavar="K", help="只列 K 项（默认全部列出）")
    s.add_argument("--json", action="store_true", help="输出 JSON（Answer 模型）")
    s.set_defaults(func=cmd_deadlines)

    s = sub.add_parser("remove", help="删除一份计划")
    _plan_named(s, "PLAN")
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("history", help="一份计划保存的各个版本（含已删除的计划）")
    _plan_named(s)
    s.set_defaults(func=cmd_history)

    s = sub.add_parser("changes", help="一份计划两个版本之间改了什么（默认：上一版 → 当前版）")
    _plan_named(s)
    s.add_argument("--old", type=_version, metavar="N", help="旧的版本号（默认当前版的上一版）")
    s.add_argument("--new", type=_version, metavar="N", help="新的版本号（默认当前版）")
    s.add_argument("--json", action="store_true", help="输出 JSON（PlanDiff 模型）")
    s.set_defaults(func=cmd_changes)

    s = sub.add_parser("restore", help="把计划恢复到一个保存的版本（成为最新版本；已删除的计划也能恢复）")
    _plan_named(s)
    s.add_argument("version", nargs="?", type=_version, metavar="VERSION", help="版本号（默认上一版）")
    s.set_defaults(func=cmd_restore)

    s = sub.add_parser("serve", help="运行 Telegram 机器人（需要 TELEGRAM_BOT_TOKEN）")
    s.set_defaults(func=cmd_serve)
    return p


def _plan_named(s: argparse.ArgumentParser, metavar: str = "NAME") -> None:
    s.add_argument("plan", metavar=metavar, help="计划标题或文件名的一部分")


def _scope(s: argparse.ArgumentParser) -> None:
    s.add_argument("--plan", metavar="NAME", help="只在这份计划里找（标题或文件名的一部分）")
    s.add_argument("--today", type=_date, metavar="YYYY-MM-DD", help="把这一天当作今天（算“这个月”“下个月”用）")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期应写成 YYYY-MM-DD，而不是 {text!r}") from None


def _top(text: str) -> int:
    """At least 1; more than the limit is the limit (README "Limits")."""
    try:
        top = int(text)
    except ValueError:
        top = 0
    if top < 1:
        raise argparse.ArgumentTypeError(f"--top 应是正整数，而不是 {text!r}")
    return top


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        days = -1
    if days < 0:
        raise argparse.ArgumentTypeError(f"天数应是 0 或正整数，而不是 {text!r}")
    return days


def _version(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"版本号应是正整数，而不是 {text!r}")
    return int(text)


def _month(text: str) -> str:
    try:
        dt.datetime.strptime(text, "%Y-%m")
    except ValueError:
        raise argparse.ArgumentTypeError(f"月份应写成 YYYY-MM，而不是 {text!r}") from None
    return text


# -- commands -----------------------------------------------------------------------

def cmd_index(args: argparse.Namespace) -> int:
    engine = _open(args, auto_index=False)
    paths = args.paths or [_default_plan_dir()]
    report = engine.index_paths(paths, progress=_progress)
    print(f"计划 {report.plans} 份，条目 {report.items} 条，其中写明责任单位 {report.with_owners} 条、"
          f"写明时限 {report.with_deadlines} 条。")
    print(f"本次新增 {len(report.added)}，更新 {len(report.updated)}，未变 {len(report.unchanged)}，"
          f"跳过 {len(report.skipped)}。")
    for skipped in report.skipped:
        print(f"  跳过 {skipped.path}：{skipped.reason}")
    nothing_read = report.skipped and not (report.added or report.updated or report.unchanged)
    return 1 if nothing_read or not report.plans else 0


def cmd_ask(args: argparse.Namespace) -> int:
    engine = _open(args)
    from planbot.index.limits import MAX_QUESTION, clip_question

    from .terminal import render_answer

    questions = sys.stdin if args.question == "-" else [args.question]
    for line in questions:
        question, cut = clip_question(line.rstrip("\r\n"))
        if cut:
            print(f"（问题超过 {MAX_QUESTION} 字，只按前 {MAX_QUESTION} 字回答）", file=sys.stderr)
        answer = engine.ask(question, plan=args.plan, top=args.top, today=args.today, offset=args.offset)
        if args.json:
            print(answer.model_dump_json(), flush=True)
        else:  # one answer per question, a blank line between them when read from stdin
            print(render_answer(answer) + ("\n" if args.question == "-" else ""), flush=True)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    engine = _open(args)
    from .chat import run_chat

    return run_chat(engine, plan=args.plan, today=args.today)


def cmd_plans(args: argparse.Namespace) -> int:
    plans = _open(args, auto_index=False).plans()
    from .terminal import render_plans

    if args.json:
        print("[" + ",".join(p.model_dump_json() for p in plans) + "]")
    else:
        print(render_plans(plans))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    answer = _open(args).show(args.item, plan=args.plan)
    from .terminal import render_answer

    print(answer.model_dump_json() if args.json else render_answer(answer, full=True))
    return 0


def cmd_deadlines(args: argparse.Namespace) -> int:
    answer = _open(args).deadlines(args.period, month=args.month, within=args.within, today=args.today,
                                   plan=args.plan, offset=args.offset, limit=args.top)
    from .terminal import render_answer

    print(answer.model_dump_json() if args.json else render_answer(answer))
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    info = _open(args, auto_index=False).remove_plan(args.plan)
    print(f"已删除《{info.title}》（{info.items} 条）。")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    history = _open(args, auto_index=False).history(args.plan)
    from .terminal import render_history

    print(render_history(*history))
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    diff = _open(args, auto_index=False).changes(args.plan, old=args.old, new=args.new)
    from planbot.index.answer.changes import describe

    print(diff.model_dump_json() if args.json else describe(diff))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    info = _open(args, auto_index=False).restore(args.plan, args.version)
    print(f"已恢复《{info.title}》：现在是第{info.version}版，{info.items} 条。")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve
    from .settings import Settings

    settings = Settings.load(**({"planbot_db": Path(args.db)} if args.db else {}))
    return serve(settings)


# -- helpers ------------------------------------------------------------------------

def _one_blas_thread() -> None:
    """Before numpy is imported: OpenBLAS (in numpy's wheels) starts a thread per core as
    numpy loads, ~70 ms of a one-shot question's CPU on two cores, yet PlanBot's numpy work is
    counting and sorting, never linear algebra, so no result depends on it. A value the
    user set is kept."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _no_pydantic_plugins() -> None:
    """Before PlanBot's models are made: pydantic looks for plugins in the entry points of
    every installed distribution when its first model is built, ~5% of a one-shot question's
    CPU, and PlanBot uses none. Its documented switch (PYDANTIC_DISABLE_PLUGINS) turns the
    search off for the command-line tools; the bot (`serve`, long-running) keeps it, and a
    value the user set is kept."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _is_settings_error(e: Exception) -> bool:
    """A SettingsError, without importing the settings when no command read them: `--db`
    questions need none."""
    config = sys.modules.get(f"{__package__}.config")
    return config is not None and isinstance(e, config.SettingsError)


def _open(args: argparse.Namespace, auto_index: bool = True):
    """The engine on the chosen database. The sample plans go only into a brand-new database
    (no plan ever stored in it), on a question: never after plans were removed, never into a
    path typed by hand whose folder does not exist (a typo would otherwise answer from samples).
    Commands call it before anything else, so that PlanBot loads inside `_collector_paused`."""
    with _collector_paused():
        from planbot.index.engine import Engine

        path, chosen = _db_path(args)
        if chosen and not path.expanduser().parent.exists():  # (a file in the way: the store says so)
            raise PlanBotError(f"数据库所在的文件夹 {path.expanduser().parent} 不存在：请检查 --db / PLANBOT_DB，"
                               "或先建好这个文件夹。")
        engine = Engine.open(path)
    if auto_index and engine.pristine:
        folder = _default_plan_dir()
        report = engine.index_paths([folder])
        print(f"（首次使用：已从 {folder} 索引 {report.plans} 份计划到新数据库 {path}；"
              f"用 planbot index 添加自己的计划）", file=sys.stderr)
    return engine


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading PlanBot (numpy, pydantic, the engine's modules, the index) makes ~56k tracked
    objects that live as long as the process; the cyclic garbage collector ran ~100 times
    over them during a one-shot question (30-45 ms of its 0.5-0.6 s of CPU on this loaded
    host) to find ~500 garbage objects. They are then frozen (left out of later collections;
    reference counting still frees them), as collecting them once afterwards cost as much
    again, and the collector runs as usual for any command's own work (indexing, a chat, a
    stream of questions)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _db_path(args: argparse.Namespace) -> tuple[Path, bool]:
    """The database path, and whether someone chose it (--db or PLANBOT_DB)."""
    if args.db:
        return Path(args.db), True
    from .config import Config  # not pydantic-settings' Settings: see config.py

    settings = Config.load()
    return settings.db_path, settings.planbot_db is not None


def _default_plan_dir() -> Path:
    """plan_texts/ in the current folder, else the sample plans installed with the package."""
    here = Path(DEFAULT_PLAN_DIR)
    if here.is_dir():
        return here
    from importlib.resources import files

    return Path(str(files("planbot.plan_texts")))


def _progress(files):
    from tqdm import tqdm

    # tqdm starts a monitor thread with every bar, drawn or not, only to redraw one stuck
    # between two files; while it runs the index workers cannot fork (a forked thread's lock:
    # pool._fork_is_safe), and each one spawned imports everything again (~1 s of CPU per
    # worker: indexing 10,000 items took a quarter longer).
    tqdm.monitor_interval = 0
    # A bar only where it helps: many files, on a terminal.
    return tqdm(files, unit="份", file=sys.stderr, disable=len(files) < 10 or None, desc="索引")


if __name__ == "__main__":
    sys.exit(main())
