"""What answering reads — one snapshot of the corpus, its tokenizer and stored rows, and which
plans a question is answered from — and the one place an Answer is made.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..models import Answer, AnswerKind, Citation, PlanInfo
from ..search.corpus import Corpus
from . import phrasing
from .cite import Fetch, cite
from .which_plan import named_plan, title_run

@dataclass(frozen=True)
class Where:
    """Which plans a question is answered from: one chosen plan, else those a chat may see
    (None: every plan)."""

    plan_id: int | None = None
    plans: frozenset[int] | None = None
    names: str = ""  # the plans searched, as a miss names them: 《title》 or 全部 N 份计划


@dataclass(frozen=True)
class Snapshot:
    """What answering reads: one corpus, the tokenizer that cut it, and its stored rows."""

    corpus: Corpus
    tokenize: Callable[[str], list[str]]  # search tokens (tokenize.Tokenizer.__call__)
    cut: Callable[[str], list[str]]  # one reading of a text (Tokenizer.cut)
    fetch: Fetch
    rarity: Callable[[str], float | None] = lambda word: None  # general-language rarity (Tokenizer.rarity)
    plans: Callable[[], list[PlanInfo]] = list  # every plan of this corpus (for a question that names one)

    def cite(self, rows, scores=None, terms=()) -> list[Citation]:
        return cite(self.corpus, self.fetch, rows, scores, terms)


def answer(question: str, kind: AnswerKind, text: str, citations: list[Citation] | None = None, *,
           found: bool | None = None, more: bool = False, **listed) -> Answer:
    """The one place an Answer is made: found unless said otherwise when something is cited.
    `listed`: a list's total, offset and (deadlines) due span."""
    citations = citations or []
    return Answer(question=question, kind=kind, found=bool(citations) if found is None else found,
                  text=text, citations=citations, more=more, **listed)


def not_found(question: str, kind: AnswerKind, where: Where, looked_for: str = "",
              related: list[Citation] | None = None) -> Answer:
    """Nothing in `where` answers: said plainly, quoting `looked_for` (the topic as asked,
    topic.as_asked) or else the whole question; the `related` nearest items offered as 可能相关,
    never as the answer."""
    text = phrasing.not_found_text(looked_for or question, related, where.names)
    return answer(question, kind, text, related or [], found=False)


def mask(corpus: Corpus, kinds: tuple[str, ...], where: Where) -> np.ndarray:
    return corpus.mask(kinds, where.plan_id, where.plans)


def visible(snap: Snapshot, item_id: int, where: Where) -> bool:
    row = snap.corpus.row_of(item_id)
    return row is not None and bool(mask(snap.corpus, ("item", "section", "preamble", "closing"), where)[row])


def seen_plans(snap: Snapshot, where: Where) -> list[PlanInfo]:
    """The plans a question is answered from, for finding one it names: the snapshot's own
    list when that is every plan (not to be changed: a copy of 2,000 plans cost ~0.8 ms)."""
    if where.plan_id is None and where.plans is None:
        return snap.plans()
    return [p for p in snap.plans() if where.plan_id in (None, p.id) and (where.plans is None or p.id in where.plans)]


def narrowed_to_named(snap: Snapshot, text: str, where: Where, run: int = 0) -> Where:
    """`where` narrowed to the plan `text` names by its title (乡村振兴方案里…), when no plan
    is chosen and the text names one; else `where` as it is. `run`: the title must also hold
    that many of the text's characters in a row, where the text is a topic that may be a
    plan's name (乡村振兴今年底前要完成哪些) or not (培育龙头企业 shares 育 and 业 with 职业教育)."""
    if where.plan_id is None and (named := named_plan(text, seen_plans(snap, where))) is not None \
            and (not run or title_run(text, named.title) >= run):
        return Where(plan_id=named.id, names=f"《{named.title}》")
    return where
