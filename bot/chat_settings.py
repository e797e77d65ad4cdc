"""Per-chat settings the bot keeps: a chat's default plan and its daily reminder time.

They live in the same database as the plans (the `chats` table), but they are the bot's
business, not the library's: the engine answers questions, this module remembers what a
chat chose. A chat's plan is kept by id; a removed plan leaves the chat with none.
"""

from __future__ import annotations

import datetime as dt

from planbot.index.engine import Engine
from planbot.index.models import PlanInfo


class ChatSettings:
    def __init__(self, engine: Engine):
        self.engine = engine

    def plan(self, chat_id: int) -> PlanInfo | None:
        """The chat's default plan, or None (also when it was removed meanwhile)."""
        plan_id = self.engine.store.chat(chat_id)["plan_id"]
        return self.engine.plan(plan_id, chat=chat_id) if plan_id is not None else None

    def plan_id(self, chat_id: int) -> int | None:
        info = self.plan(chat_id)
        return info.id if info else None

    def set_plan(self, chat_id: int, name: str | None) -> PlanInfo | None:
        """Set (name: a unique part of a title or file name) or clear (None) the chat's
        default plan; raises PlanNotFound / AmbiguousPlan."""
        info = self.engine.find_plan(name, chat=chat_id) if name else None
        self.engine.store.update_chat(chat_id, plan_id=info.id if info else None)
        return info

    def set_reminder(self, chat_id: int, at: dt.time | None) -> None:
        """The chat's daily digest time, or None to turn it off."""
        self.engine.store.update_chat(chat_id, remind_at=at.strftime("%H:%M") if at else None)

    def reminders(self) -> dict[int, dt.time]:
        """chat id → daily digest time, for re-creating jobs at start-up."""
        return {chat: dt.time.fromisoformat(at) for chat, at in self.engine.store.reminders().items()}
