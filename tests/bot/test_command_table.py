"""One command table: the Telegram menu, /help and the README list the same commands, and the
README lists every CLI subcommand."""

from __future__ import annotations

import re
from pathlib import Path

from planbot.bot.cli import build_parser
from planbot.bot.telegram.commands import COMMANDS, help_text

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_telegram_command_is_in_the_menu_help_and_readme():
    shown = help_text("bot")
    for command in COMMANDS:
        assert command.menu, command.name
        assert f"/{command.name}" in README, f"/{command.name} missing from the README"
        if command.usage:
            assert command.usage.split(" — ")[0].split()[0] in shown


def test_every_cli_command_is_in_the_readme():
    commands = build_parser()._subparsers._group_actions[0].choices
    listed = set(re.findall(r"`planbot (\w+)", README))
    assert set(commands) <= listed, set(commands) - listed


def test_every_example_in_help_is_answered_from_the_sample_plans(engine):
    import datetime as dt

    from planbot.bot.telegram.commands import EXAMPLES

    asked = [q.strip() for example in EXAMPLES for q in example.split(" / ")]
    for question in asked:
        answer = engine.ask(question, today=dt.date(2021, 6, 25))  # next week holds a deadline of the samples
        assert answer.found and answer.citations, question
