"""Which plan a question names: 乡村振兴方案改了什么, 组织工作要点有几项任务."""

from __future__ import annotations

import operator

import numpy as np

from ..models import PlanInfo

# Words every plan title has, which say nothing about which plan is meant.
_TITLE_COMMON = set("年县市省区镇乡全的方案计划工作要点重点任务分工实施意见通知清单了什么有几项多少条共")
# From this many plans the titles sharing a question's characters are found through an index
# of the titles by character, not by reading every title: at 2,000 plans reading them took
# ~5 ms a question (a set per title), the index ~0.1 ms. Below it reading them costs less than
# building an index for a list that may be asked once (a chat's own few plans).
INDEXED_FROM = 64


class _Titles:
    """The plans of one list by the characters of their titles (less the common ones)."""

    def __init__(self, plans: list[PlanInfo]):
        by_char: dict[str, list[int]] = {}
        for n, p in enumerate(plans):
            for ch in set(p.title) - _TITLE_COMMON:
                by_char.setdefault(ch, []).append(n)
        self.size = len(plans)
        self.by_char = {ch: np.array(ns, dtype=np.int32) for ch, ns in by_char.items()}

    def shared(self, asked: set[str]) -> list[int]:
        """How many of the characters `asked` each title holds."""
        held = [a for ch in asked if (a := self.by_char.get(ch)) is not None]
        if not held:
            return [0] * self.size
        return np.bincount(np.concatenate(held), minlength=self.size).tolist()


# The index of the last list asked about (a copy of it), kept while a list holds the very same
# plans: every question of one snapshot is asked of the same PlanInfo objects, and comparing
# 2,000 of them by identity costs ~30 µs.
_indexed: tuple[list[PlanInfo], _Titles] | None = None


def _shared(asked: set[str], plans: list[PlanInfo]) -> list[int]:
    """How many of the characters `asked` each plan's title holds."""
    global _indexed
    if len(plans) < INDEXED_FROM:
        return [len(set(p.title) & asked) for p in plans]
    last = _indexed  # one read: another thread may replace it meanwhile
    if last is None or len(last[0]) != len(plans) or not all(map(operator.is_, last[0], plans)):
        last = _indexed = (list(plans), _Titles(plans))
    return last[1].shared(asked)


def named_plan(question: str, plans: list[PlanInfo]) -> PlanInfo | None:
    """The plan whose title the question names: the one it shares most characters with (two at
    least, leaving out the words every title has), when no other shares as many; between titles
    sharing as many, the one sharing most with those words too (城关镇清单 is the 城关镇 title that
    is a 清单), then the one that holds the longest run of the question's words (组织工作要点 is
    《2020年全县组织工作要点》, not 《…基层党组织星级评定工作的实施方案》, which has 组 and 织 too)."""
    asked = set(question) - _TITLE_COMMON
    if len(asked) < 2:  # 第3条: no title can share two (most look-ups, without a look at 2,000 titles)
        return None
    shared = _shared(asked, plans)
    best = max(shared, default=0)
    if best < 2:
        return None
    tied = [n for n, k in enumerate(shared) if k == best]
    if len(tied) > 1:  # the words every title has decide (城关镇清单: the 城关镇 title that is a 清单) …
        whole = set(question)
        alike = sorted(((len(set(plans[n].title) & whole), n) for n in tied), reverse=True)
        tied = [n for k, n in alike if k == alike[0][0]]
    if len(tied) > 1:  # … then the longest run, read only for these (difflib: ~25 µs a title)
        runs = sorted(((title_run(question, plans[n].title), n) for n in tied), reverse=True)
        tied = [runs[0][1]] if runs[0][0] > runs[1][0] else []
    return plans[tied[0]] if tied else None


def title_run(question: str, title: str) -> int:
    """The length of the longest text the question and the title both hold."""
    from difflib import SequenceMatcher  # here: a one-shot question that names no plan never loads it

    return SequenceMatcher(None, question, title, autojunk=False).find_longest_match().size


def named_or_only(question: str, plans: list[PlanInfo]) -> PlanInfo | None:
    """The plan the question names, else the only one there is; None when it is not clear."""
    return named_plan(question, plans) or (plans[0] if len(plans) == 1 else None)
