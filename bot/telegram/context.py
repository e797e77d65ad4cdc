"""What every handler gets: the open engine, the settings, and this chat's remembered state,
through one typed context (python-telegram-bot's ContextTypes) instead of string keys.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from ..chat_settings import ChatSettings
from .access import Recently, TokenBucket

if TYPE_CHECKING:
    from planbot.index.engine import Engine
    from planbot.index.models import Plan, PlanInfo

    from ..settings import Settings
    from .callbacks import Kind

RUNTIME_KEY = "planbot"  # application.bot_data[RUNTIME_KEY]: the Runtime
KEEP_ANSWERS = 300  # answer message ids remembered per chat (for follow-up replies)
KEEP_QUESTIONS = 100  # questions remembered per chat (for 更多)
KEEP_PENDING = 10  # uploads/removals waiting for a confirm press, per chat


@dataclass
class Runtime:
    """What the handlers share for the application's lifetime."""

    settings: Settings
    engine: Engine | None = None
    owns_engine: bool = False
    flood: TokenBucket = field(default_factory=lambda: TokenBucket(0, 1))
    refused_chats: Recently = field(default_factory=Recently)  # told to leave just now
    upgraded_chats: set[int] = field(default_factory=set)  # listed groups' new supergroup ids

    @property
    def chats(self) -> ChatSettings:
        if self.engine is None:  # only before post_init has run
            raise RuntimeError("engine is not open yet")
        return ChatSettings(self.engine)


@dataclass
class Pending:
    """An upload or removal waiting for its confirm button."""

    kind: Kind
    user_id: int | None  # None: an anonymous group admin; any manager of the chat may confirm
    plan: Plan | None = None
    file_name: str = ""
    info: PlanInfo | None = None
    scope: int | None = None  # add: None for every chat's plans, else the chat's id


class ChatData(dict):
    """A chat's remembered state. Each part forgets its oldest entries past its limit, so a
    busy chat never grows it without bound. A dict underneath, as PTB's persistence expects."""

    def answers(self) -> OrderedDict:
        """answer message id → (plan id, item id) of its first citation and the list it shows
        by number (for replies to it; entries kept from before lists were have no list)."""
        return self._bounded("answers", KEEP_ANSWERS)

    def last_answer(self) -> tuple | None:
        """(plan id, item id[, the list it showed]) of the last answer given in this chat, if
        remembered."""
        answers = self.get("answers")
        return next(reversed(answers.values()), None) if isinstance(answers, OrderedDict) else None

    def questions(self) -> OrderedDict:
        """更多 token → (question, plan id) asked."""
        return self._bounded("questions", KEEP_QUESTIONS)

    def pending(self) -> OrderedDict:
        """confirm token → Pending."""
        return self._bounded("pending", KEEP_PENDING)

    def _bounded(self, key: str, limit: int) -> OrderedDict:
        value = self.get(key)
        if not isinstance(value, OrderedDict):
            value = self[key] = OrderedDict()
        while len(value) >= limit:
            value.popitem(last=False)
        return value


class Context(CallbackContext[ExtBot, dict, ChatData, dict]):
    """The handlers' context: `context.runtime`, `context.engine`, `context.today()`."""

    @property
    def runtime(self) -> Runtime:
        return runtime_of(self.application)

    @property
    def engine(self) -> Engine:
        engine = self.runtime.engine
        if engine is None:  # only before post_init has run
            raise RuntimeError("engine is not open yet")
        return engine

    @property
    def chats(self) -> ChatSettings:
        return self.runtime.chats

    @property
    def chat_state(self) -> ChatData:
        """This chat's state; a throwaway one for updates without a chat (inline queries)."""
        return self.chat_data if self.chat_data is not None else ChatData()


CONTEXT_TYPES = ContextTypes(context=Context, chat_data=ChatData)


def runtime_of(application: Application) -> Runtime:
    return application.bot_data[RUNTIME_KEY]


def today(context: Context) -> dt.date:
    """Today in the bot's time zone (PLANBOT_TZ)."""
    return dt.datetime.now(context.runtime.settings.zone).date()
