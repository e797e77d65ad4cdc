"""Every limit PlanBot enforces, in one place (README "Limits" lists the same numbers).

The edges (CLI, bot) read their limits from here rather than keeping copies, so that what a
chat refuses and what the library refuses never differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from .errors import ChatFull

if TYPE_CHECKING:
    from .models import Plan

T = TypeVar("T")

MAX_QUESTION = 500  # characters; a longer question is answered from its start, with a notice
MAX_TOP = 20  # citations per answer; the rest behind 更多 / `more: true`
PAGE = 20  # items of a list per message (deadlines, the digest, a unit's tasks, /plans); the rest behind 更多
MAX_UPLOAD_BYTES = 2 * 1024 * 1024  # a plan file sent in a chat: holds a 100-page PDF
# A plan file given to `planbot index`: its operator chose it, and it may be a scanned PDF with
# big images; 20 MB still bounds memory and time (the PDF reader does ~50 pages a second).
MAX_INDEX_FILE_BYTES = 20 * 1024 * 1024
# One chat's own plans (a group's, a user's private ones); every chat's plans have no cap.
MAX_CHAT_PLANS = 30
MAX_CHAT_CHARS = 2_000_000  # characters of item text over a chat's own plans: ~60 long plans
KEEP_VERSIONS = 6  # versions of a plan kept: the current one and the five before it
MAX_ITEMS = 20_000  # items in one plan: a larger "plan" is not one
MAX_SHEET_ROWS = 10_000  # rows with text in one sheet of an .xlsx: more is a data sheet, not a plan
MAX_SHEET_COLUMNS = 64  # columns with text in one sheet of an .xlsx


def clip_question(question: str, limit: int = MAX_QUESTION) -> tuple[str, bool]:
    """The question cut to `limit` characters, and whether it was cut (the edges say so)."""
    return question[:limit], len(question) > limit


def page(items: Sequence[T], offset: int = 0, size: int | None = PAGE) -> tuple[Sequence[T], bool]:
    """The one pagination rule: `size` items from `offset` (None: all of them from there), and
    whether more follow. Every list a chat pages (and the CLI's --offset) goes through it."""
    offset = max(0, offset)
    end = len(items) if size is None else offset + max(1, size)
    return items[offset:end], len(items) > end


def check_room(plans: int, chars: int, plan: "Plan", scope: int | None) -> None:
    """A chat's own plans are capped (a stranger's group must not fill the disk): `plans` and
    `chars` are what its scope holds besides the plan a new version replaces. Every chat's
    plans (scope None) are the admins' call. Raises ChatFull."""
    if scope is None:
        return
    if plans + 1 > MAX_CHAT_PLANS:
        raise ChatFull(f"本聊天已有 {plans} 份自己的计划，达到上限 {MAX_CHAT_PLANS} 份；请先用 /remove 删除不用的计划。")
    if chars + sum(len(i.text) for i in plan.items) > MAX_CHAT_CHARS:
        raise ChatFull(f"本聊天自己的计划总字数将超过上限 {MAX_CHAT_CHARS // 10_000} 万字；请先用 /remove 删除不用的计划。")
