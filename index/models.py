"""The boundary models: what the engine takes in and hands out.

Everything that crosses a layer (parser → store, engine → CLI/bot, JSON output) is one of
these pydantic models; the functions inside the layers work on plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel as _PydanticModel
from pydantic import ConfigDict, Field


class BaseModel(_PydanticModel):
    """Each model builds its validator on first use, not on import: a one-shot question uses
    a few of them, and building them all was ~40% of this module's import time."""

    model_config = ConfigDict(defer_build=True)


class Role(StrEnum):
    lead = "lead"
    responsible = "responsible"
    cooperating = "cooperating"


ROLE_NAMES_ZH = {Role.lead: "牵头", Role.responsible: "责任", Role.cooperating: "配合"}


class Owner(BaseModel):
    """One unit (or leader) named as owner of an item, with the role the plan gives it."""

    model_config = ConfigDict(frozen=True)

    role: Role
    unit: str
    field: str | None = Field(default=None, description="the field name as written, e.g. 牵头单位")
    sentence: int | None = Field(default=None, description=(
        "the sentence of the item text (index.text.sentences) that names this owner for its own "
        "task; None: the owner of the whole item"))
    rule: str | None = Field(default=None, description=(
        "for an owner the plan names once for many items (\"以下均需试点城市政府落实\"): that rule as written"))


class Deadline(BaseModel):
    """A time limit as written, plus the end of its span as a date when it has one."""

    model_config = ConfigDict(frozen=True)

    phrase: str
    date: dt.date | None = None
    recurring: bool = False
    relative: bool = Field(default=False, description=(
        "a limit counted from an event, not a calendar date: 4小时内, 2个工作日内, 印发后1个月内, 5年内"))
    sentence: int | None = Field(default=None, description=(
        "the sentence of the item text (index.text.sentences) that states it; None: the whole item"))


class Heading(BaseModel):
    """An ancestor of an item: its label as written, normalized key and title."""

    label: str
    key: str
    title: str


ItemKind = Literal["item", "section", "preamble", "closing"]


class Item(BaseModel):
    """One chunk of a plan: a numbered item (or an unnumbered paragraph under a heading), a
    section heading, the preamble before the first number, or the closing text after the
    last item (施行日期, 解释权 …)."""

    kind: ItemKind = "item"
    label: str = Field(description="the number as written, e.g. '3.' or '（一）'")
    key: str = Field(description="the number normalized for look-ups, e.g. '3' or '一'")
    ancestors: list[Heading] = Field(default_factory=list)
    title: str
    text: str
    position: int
    owners: list[Owner] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    id: int | None = None

    @property
    def path(self) -> list[str]:
        """Keys from the top down, this item's own key last: ["二", "3"]."""
        own = [self.key] if self.key else []
        return [h.key for h in self.ancestors] + own


class Plan(BaseModel):
    title: str
    source: str = Field(description="the file name the plan came from")
    year: int | None = None
    items: list[Item] = Field(default_factory=list)
    sha256: str = ""
    id: int | None = None


class PlanInfo(BaseModel):
    """A plan as listed: no items, just the counts."""

    id: int
    title: str
    source: str
    year: int | None = None
    items: int
    with_owners: int
    with_deadlines: int
    indexed_at: str
    scope: int | None = Field(default=None, description="None: every chat's plan; a chat id: that chat's own")
    version: int = Field(default=1, description="how many times it was stored: 1, then one more per change")


class Citation(BaseModel):
    item_id: int
    plan: str = Field(description="the plan's title")
    plan_id: int
    kind: ItemKind = "item"
    label: str
    path: list[str]
    path_titles: list[str] = Field(default_factory=list, description="titles of the ancestors, top down")
    title: str
    text: str
    sentence: str = Field(default="", description="the sentence of the item that best matches")
    owners: list[Owner] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    score: float = 0.0


AnswerKind = Literal["who", "when", "lookup", "section", "deadlines", "unit", "changes", "overview", "search", "hint"]


class DueDay(BaseModel):
    """A date that has deadlines, and how many items fall due on it."""

    date: dt.date
    items: int


class DueSpan(BaseModel):
    """What a deadlines answer covers: the span asked, today, how many of its items are past
    their time limit already, and, when nothing falls in it, the nearest dates that have some."""

    start: dt.date
    end: dt.date
    today: dt.date
    overdue: int = Field(default=0, description=(
        "items whose dates in the span are all before today; they are listed first"))
    next: DueDay | None = Field(default=None, description="nothing due: the first date after the span")
    last: DueDay | None = Field(default=None, description="nothing due: the last date before the span")


class Answer(BaseModel):
    question: str
    kind: AnswerKind
    found: bool
    text: str
    citations: list[Citation] = Field(default_factory=list)
    more: bool = Field(default=False, description="more results exist past these citations")
    total: int | None = Field(default=None, description=(
        "a list (deadlines, a unit's tasks): how many items in all; the citations are one page of it"))
    offset: int = Field(default=0, description="the citations start at this position of the list")
    due: DueSpan | None = Field(default=None, description="a deadlines answer: the span it covers")

    def listed(self, before: Mapping[int, int] | None = None) -> dict[int, int]:
        """The list a follow-up after this answer picks from (第二个 / ② is item 2 of it), as
        {number shown: item id}: a list answer's items (a section's, a unit's tasks, what is due,
        the items numbered alike), numbered from its page's start as the terminal and the bot
        show them; after an answer about one item of the list `before` (第二个谁负责, then
        第三个呢), still that list; else {}."""
        if self.kind in ("section", "deadlines", "unit", "overview") or (self.kind == "lookup" and len(self.citations) > 1):
            return {self.offset + n: c.item_id for n, c in enumerate(self.citations, 1)}
        if before and len(self.citations) == 1 and self.citations[0].item_id in before.values():
            return dict(before)
        return {}


class Preview(BaseModel):
    """What storing a parsed plan would do: add it, change nothing (the same content is stored),
    or make a new version of the plan of the same title, with the item-level diff."""

    plan: Plan
    existing: PlanInfo | None = None
    unchanged: bool = False
    diff: PlanDiff | None = None


class PlanVersion(BaseModel):
    """One kept version of a plan (`planbot history`, /history)."""

    version: int
    title: str
    source: str
    sha256: str
    saved_at: str
    scope: int | None = None
    current: bool = False
    user_id: int | None = None
    chat_id: int | None = None


class ItemChange(BaseModel):
    """How one item differs between two versions of a plan."""

    change: Literal["added", "removed", "changed"]
    place: str = Field(description="where the item is, as a user reads it: 二 › 3. 标题")
    item_id: int | None = Field(default=None, description="the item in the newer version (None: removed)")
    text: bool = Field(default=False, description="its text changed")
    owners_before: list[Owner] = Field(default_factory=list)
    owners_after: list[Owner] = Field(default_factory=list)
    deadlines_before: list[str] = Field(default_factory=list)
    deadlines_after: list[str] = Field(default_factory=list)


class PlanDiff(BaseModel):
    """Item by item, what a newer version of a plan changed."""

    plan: str
    plan_id: int | None = None
    old_version: int | None = None
    new_version: int | None = None
    changes: list[ItemChange] = Field(default_factory=list)


class SkippedFile(BaseModel):
    path: str
    reason: str


class IndexReport(BaseModel):
    """What one `index` run did, for the summary line."""

    added: list[str] = Field(default_factory=list)
    updated: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    skipped: list[SkippedFile] = Field(default_factory=list)
    plans: int = 0
    items: int = 0
    with_owners: int = 0
    with_deadlines: int = 0
