"""A when-question about a task that states no date of its own: the plan's timetable.

When the item a when-question finds has no time limit but its plan keeps a timetable (a 实施步骤
/ 工作进度 section, a 工作目标 item: `index.ingest.schedule`), the dated line of that timetable
that itself covers the question is the answer: it is cited first, and the answer says that the
limit comes from the timetable and that the task found first states none. No date is moved onto
an item that does not state it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ..ingest.schedule import is_schedule_line
from ..models import Citation
from ..search.blob import HAS_DEADLINES
from .cite import records

if TYPE_CHECKING:  # ask imports this module
    from .snapshot import Snapshot

CANDIDATES = 5  # dated lines of the plan looked at, best first


def within_plan(topic: str, plan_title: str, cut: Callable[[str], list[str]]) -> str:
    """The topic less the words of the plan's title: inside one plan every line is about its
    subject (网站集约化) even where it does not write it ("制定实施方案…报送国务院办公厅备案")."""
    kept = [w for w in cut(topic) if w.strip() and w not in plan_title]
    return "".join(kept) if kept else topic


def schedule_line(snap: "Snapshot", first: Citation, topic: str, rank: Callable) -> Citation | None:
    """The dated timetable line of `first`'s plan that covers the question's topic — asked as
    is, then without the plan's title words — or None. `rank(topic, mask, k)` gives the rows
    that cover a topic well enough and its word terms (found.rank_topic)."""
    c = snap.corpus
    start, end = c.plan_rows.get(first.plan_id, (0, 0))
    # The plan's dated items, from its rows only: the corpus-wide mask ranking needs (100k rows)
    # is made only for a plan that keeps a timetable.
    in_plan = c.mask(("item",))[start:end] & ((c.flags[start:end] & HAS_DEADLINES) != 0)
    if not in_plan.any():
        return None
    # Most plans keep no timetable: ranking their dated lines for one (twice, below) would find
    # none, so whether a plan has one is found once per snapshot and the ranking skipped.
    if not c.once(("timetable", first.plan_id), lambda: _has_timetable(snap, start + np.flatnonzero(in_plan))):
        return None
    dated = np.zeros(c.size, dtype=bool)
    dated[start:end] = in_plan
    for asked in dict.fromkeys((topic, within_plan(topic, first.plan, snap.cut))):
        hits, terms = rank(asked, dated, CANDIDATES)
        for cited in snap.cite([i for i, _ in hits], [s for _, s in hits], terms):
            if cited.item_id != first.item_id and cited.deadlines and is_schedule_line([*cited.path_titles, cited.title]):
                return cited
    return None


def _has_timetable(snap: "Snapshot", dated: np.ndarray) -> bool:
    """Whether any of a plan's dated rows is a line of its timetable."""
    found = records(snap.corpus, snap.fetch, dated.tolist()).values()
    return any(is_schedule_line([*r.path_titles, r.title]) for r in found)
