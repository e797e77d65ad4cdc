"""A chat's default plan and daily reminder time, kept by the bot in the plans' database."""

from __future__ import annotations

import datetime as dt

from planbot.bot.chat_settings import ChatSettings


def test_chat_settings_and_reminders_persist(fresh_engine):
    assert ChatSettings(fresh_engine).plan(-100) is None
    chosen = ChatSettings(fresh_engine).set_plan(-100, "乡村振兴")
    assert ChatSettings(fresh_engine).plan(-100) == chosen
    ChatSettings(fresh_engine).set_reminder(-100, dt.time(8, 30))
    assert ChatSettings(fresh_engine).reminders() == {-100: dt.time(8, 30)}
    ChatSettings(fresh_engine).set_reminder(-100, None)
    assert ChatSettings(fresh_engine).reminders() == {}
