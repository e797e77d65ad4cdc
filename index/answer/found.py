"""A topic → the rows that answer it: ranked over both channels (search/rank.py), re-ranked by
how much of the topic each holds (topic.py) and by what the question asks for, and the
found-gate: no row is an answer unless it holds enough of the topic and scores near the best.
"""

from __future__ import annotations

import numpy as np

from ..search.blob import HAS_DEADLINES, HAS_OWNERS
from ..search.corpus import Corpus
from ..search.rank import Terms, rank
from .cite import records
from .counts import states_count
from .snapshot import Snapshot
from .topic import Group, Holds, coverage, local_coverage, search_terms

FOUND_COVERAGE = 0.36  # share of the question's content weight the best item must hold
RELATED_COVERAGE = 0.25  # not an answer but at least this: offered as "可能相关" on a miss
RELATED = 2  # nearest items offered on a miss
# A when-question prefers an item that states a time: it scores this much more.
DATED_BOOST = 0.1
# A who-question prefers an item that names its owners: a candidate that names none, where
# another candidate of its own plan does, scores this much less (÷ 1.3). Only against its own
# plan's: a plan with no 责任单位 at all (the sample 组织工作要点) must not lose its answers to a
# plan that has them (干部培训谁负责 did, when every item naming owners counted more), nor two
# plans that both name them lose their being cited side by side. (The same for when-questions
# cost a 未写明完成时限 answer: a task without a time limit is the one asked about more often
# than a task without an owner.)
UNSTATED_OWNER = 0.3
# A question asking how many (有几个城市, 建多少亩, 一年讲几次) prefers an item that states a count:
# it scores this much more. Only such questions read the candidates' text for it.
COUNT_BOOST = 0.3
# A who- or when-answer cites further items (another plan's, the same task's neighbours) only
# when they score at least this share of the first: one holding a side word of the question
# (隐患 and 排查 of 山洪地质灾害隐患排查, in a 安全生产 list: 0.13 of the first) is no "see also".
SEE_ALSO = 0.3
LOCAL_SHARE = 0.5  # how much the share of the topic weighed within the plan scales a score
CANDIDATES = 10  # best-scoring rows re-ranked by coverage
COVERAGE_SHARE = 0.5  # how much a candidate's coverage scales its score
SCORE_FLOOR = 0.7  # an answer scores at least this share of the best candidate's score

Hits = list[tuple[int, float]]


def topic_terms(snap: Snapshot, topic: str) -> tuple[list[Group], Terms]:
    """The topic's groups and search terms (topic.search_terms) in this snapshot."""
    return search_terms(snap.corpus, snap.tokenize, snap.cut, topic, snap.rarity)


def preference(corpus: Corpus, kind: str, rows: list[int], texts: list[str] | None = None) -> list[float]:
    """What each candidate's score is multiplied by to prefer what the question asks for: for
    a when-question an item that states a time (DATED_BOOST), for a who-question one that
    names owners over one of its own plan that names none (UNSTATED_OWNER), for a count one
    that states a count (COUNT_BOOST; `texts`: the rows' texts); else 1."""
    if kind == "count" and texts is not None:
        return [1 + COUNT_BOOST if states_count(t) else 1.0 for t in texts]
    if kind == "when":
        return [1 + DATED_BOOST if f & HAS_DEADLINES else 1.0 for f in corpus.flags[rows].tolist()]
    if kind == "who":
        plans, named = corpus.plan_ids[rows].tolist(), ((corpus.flags[rows] & HAS_OWNERS) > 0).tolist()
        naming = {p for p, n in zip(plans, named) if n}  # plans of which a candidate names owners
        return [1 / (1 + UNSTATED_OWNER) if not n and p in naming else 1.0 for p, n in zip(plans, named)]
    return [1.0] * len(rows)


def rank_topic(snap: Snapshot, topic: str, mask: np.ndarray, k: int, kind: str = "search",
          searched: tuple[list[Group], Terms] | None = None) -> tuple[Hits, list[str], Hits]:
    """The best k rows that cover the question's content well enough, its word terms, and
    the nearest rows that do not (to offer as "可能相关" when nothing does). `searched`:
    `topic_terms(snap, topic)`, when the caller ranks the same topic twice."""
    if not mask.any():
        return [], [], []
    groups, terms = searched or topic_terms(snap, topic)
    if not terms.words and not terms.grams:
        return [], [], []
    ranked = rank(snap.corpus, terms, mask, max(k, RELATED, CANDIDATES))
    holds = Holds(snap.corpus, ranked.rows)
    share = coverage(snap.corpus, groups, ranked.rows, holds)
    local = local_coverage(snap.corpus, groups, ranked.rows, holds)
    # ~10 candidates: the rest is on Python ints and floats (the same float arithmetic as on
    # arrays, without a numpy call per step).
    rows, fused = ranked.rows.tolist(), ranked.scores.tolist()
    texts = None
    if kind == "count":  # only these read the candidates' text here
        held = records(snap.corpus, snap.fetch, rows)
        texts = [r.text if (r := held.get(i)) else "" for i in snap.corpus.ids[rows].tolist()]
    prefer = preference(snap.corpus, kind, rows, texts)
    # Re-ranked by how much of the topic each candidate holds: of two items scoring alike, the
    # one that holds every word asked beats the one that repeats a few of them often; and the
    # same weighed within its plan, where the words naming the plan's subject say nothing.
    scores = [f * (1 - COVERAGE_SHARE + COVERAGE_SHARE * s) * (1 - LOCAL_SHARE + LOCAL_SHARE * x) * p
              for f, s, x, p in zip(fused, share, local, prefer)]
    order = sorted(range(len(rows)), key=lambda i: (-scores[i], rows[i]))  # best first, ties in row order
    rows, scores, share, fused = ([a[i] for i in order] for a in (rows, scores, share, fused))
    # Found when a candidate holding enough of the topic also scores near the best: one that
    # only holds the topic's common words, far down the ranking, is no answer.
    covered = [s >= FOUND_COVERAGE for s in share]
    floor = SCORE_FLOOR * (max(fused) if fused else 0)
    found = any(c and f >= floor for c, f in zip(covered, fused))
    hits = [(i, s) for i, s, c in zip(rows, scores, covered) if c][:k] if found else []
    if kind in ("who", "when") and hits:  # asked about one task: others are shown only if close
        hits = [(i, s) for i, s in hits if s >= SEE_ALSO * hits[0][1]]
    near = [] if found else [(i, s) for i, s, c in zip(rows, scores, share) if c >= RELATED_COVERAGE][:RELATED]
    return hits, list(terms.words), near
