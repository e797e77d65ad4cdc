"""What is due in a period (这个月有哪些任务到期, 逾期): the items whose deadline dates fall in it,
those past their time limit first.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from ..limits import PAGE, page
from ..models import Answer, DueDay, DueSpan
from . import phrasing
from .snapshot import Snapshot, Where, answer, mask


def due(snap: Snapshot, question: str, start: dt.date, end: dt.date, *, where: Where, today: dt.date,
        offset: int = 0, limit: int | None = PAGE, named: bool = False, about: str = "",
        among: np.ndarray | None = None, at_least: bool = False) -> Answer:
    """Items with a deadline date from `start` to `end`: first those past their time limit by
    `today` (every date of theirs in the span before it), then the rest, each part earliest
    first; one page of `limit` from `offset` (None: all). With nothing due, the answer says
    where the nearest deadlines fall. `named`: the question named the plan of `where`, which
    the answer names too. `about`: the topic the question asked of (干部培训), given with `among`,
    the rows about it (a mask over rows), which the answer lists and counts as about it;
    `at_least`: more rows may be about it than `among` holds, so the count is a floor."""
    c = snap.corpus
    past, upcoming, dated = _due_rows(snap, start, end, where, today, among)
    ranked = np.concatenate([past, upcoming])
    shown, more = page(ranked, offset, limit)
    citations = snap.cite(shown) if len(shown) else []
    span = DueSpan(start=start, end=end, today=today, overdue=len(past))
    if not len(ranked):
        span.next, span.last = _nearest_due(c.due[dated], start, end)
    text = phrasing.deadlines_text(span, len(ranked), offset, len(citations), where.names, named=named,
                                   about=about, at_least=at_least)
    return answer(question, "deadlines", text, citations, more=more, total=len(ranked), offset=offset, due=span)


def due_count(snap: Snapshot, start: dt.date, end: dt.date, where: Where, today: dt.date) -> int:
    """How many items `due` lists for the period, without citing them."""
    past, upcoming, _ = _due_rows(snap, start, end, where, today, None)
    return len(past) + len(upcoming)


def _due_rows(snap: Snapshot, start: dt.date, end: dt.date, where: Where, today: dt.date,
              among: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rows due in the period past their time limit by `today` and those still to come,
    each earliest first, and the mask of `where`'s dated rows (among `among`) they came from."""
    c = snap.corpus
    dated = mask(c, ("item", "closing"), where)[c.due_rows]
    if among is not None:
        dated &= among[c.due_rows]
    rows, days = c.due_rows[dated], c.due[dated]
    inside = (days >= start.toordinal()) & (days <= end.toordinal())
    rows, days = rows[inside], days[inside]
    coming = days >= today.toordinal()
    upcoming = _earliest(rows[coming], days[coming])
    past = _earliest(rows[~coming], days[~coming])
    # A later date of its own still to come: not overdue. By a table over the rows' range, not
    # numpy's default hashing: ~0.05 ms where that took ~0.6 (thousands of rows due at 100k).
    return past[~np.isin(past, upcoming, kind="table")], upcoming, dated


def due_in(snap: Snapshot, start: dt.date, end: dt.date, where: Where) -> np.ndarray:
    """A mask over rows: the items of `where` with a deadline date from `start` to `end`."""
    c = snap.corpus
    inside = (c.due >= start.toordinal()) & (c.due <= end.toordinal())
    rows = np.zeros(c.size, dtype=bool)
    rows[c.due_rows[inside]] = True
    return rows & mask(c, ("item", "closing"), where)


def _earliest(rows: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Each row once, at its earliest date; earliest first, then in document order. In steps
    over the rows rather than by sorting all the dates (a lexsort and a unique: ~1.7 ms for the
    24k dated rows of 逾期 at 100k items): the corpus keeps deadlines in row order already."""
    if not len(rows):
        return rows
    if (rows[1:] < rows[:-1]).any():  # not in row order: put them so
        order = np.argsort(rows, kind="stable")
        rows, days = rows[order], days[order]
    starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
    rows, days = rows[starts], np.minimum.reduceat(days, starts)
    return rows[np.argsort(days, kind="stable")]  # rows ascend: ties stay in row order


def _nearest_due(days: np.ndarray, start: dt.date, end: dt.date) -> tuple[DueDay | None, DueDay | None]:
    """The first date due after the period (with how many items then), and the last before it."""
    after, before = days[days > end.toordinal()], days[days < start.toordinal()]
    nxt = DueDay(date=dt.date.fromordinal(int(after.min())), items=int((after == after.min()).sum())) \
        if len(after) else None
    last = DueDay(date=dt.date.fromordinal(int(before.max())), items=int((before == before.max()).sum())) \
        if len(before) else None
    return nxt, last
