"""Errors the library raises. Each carries a message fit to show a user as is.

The CLI and the bot turn these into plain messages at their edge; anything else that
escapes is a bug and is logged with its traceback, never shown in a chat.
"""


class PlanBotError(Exception):
    """Base class: `str(error)` is a complete sentence for the user."""


class PlanFileError(PlanBotError):
    """A plan file that cannot be read or holds no plan."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class PlanNotFound(PlanBotError):
    pass


class AmbiguousPlan(PlanBotError):
    def __init__(self, name: str, titles: list[str]):
        self.titles = titles
        listed = "、".join(f"《{t}》" for t in titles[:5])
        super().__init__(f"“{name}”对应多个计划：{listed}，请说得更具体些。")


class ItemNotFound(PlanBotError):
    pass


class PeriodNotUnderstood(PlanBotError):
    """A period (/deadlines 明年春天) that names no span of dates; the message lists the forms."""


class StoreError(PlanBotError):
    """The database cannot be opened, written or migrated."""


class ChatFull(PlanBotError):
    """A chat's own plans are at their limit (index/limits.py: MAX_CHAT_PLANS, MAX_CHAT_CHARS)."""
