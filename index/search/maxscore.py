"""Exact top-k by MaxScore: the rows full scoring would rank first, touching few postings.

A row's score is a sum over parts (the word and the gram channel) of the part's factor times
the sum of its terms' weights, each weight at most the term's bound (BM25.bounds). Taking
terms in falling order of bound, once the k-th best score seen so far exceeds the bounds of
the terms not yet taken, a row that holds none of the terms taken cannot reach the top k:
the candidates are the rows holding a taken ("essential") term, and the long postings of
common terms (工作, 推进, their grams) are never read, only looked up for the candidates
that could still make it (their partial score plus the bounds of the rest reaches the
k-th best).

Exact: the candidates' scores are computed as full scoring computes them (`BM25.saturation`,
each part's terms added in query order, then multiplied by its factor, parts added in order),
so they are the same floats, and the order is the same: by score, then row. The pruning uses
inequalities only, with margins far above rounding (BM25.bounds, LOWER): a row is left out only
when it is sure to score below k rows that are in. Rows scoring exactly the k-th best stay
candidates, so ties at the k-th place still go to the lowest rows.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .bm25 import BM25
from .postings import search

LOWER = 1 - 1e-9  # a partial score, summed in another order than the full one, times this is below it


@dataclass(frozen=True)
class Part:
    """One channel's query terms and the factor its sum is multiplied by in the score."""

    index: BM25
    rows: np.ndarray  # term ids in query order (a repeated term counts again)
    q: np.ndarray  # idf × weight, per term
    factor: float = 1.0

    @classmethod
    def of(cls, index: BM25, query: Sequence[str], weights: Sequence[float] | None = None) -> "Part":
        return cls(index, *index.query_terms(query, weights))

    def times(self, factor: float) -> "Part":
        return Part(self.index, self.rows, self.q, factor)


class Channel:
    """A part's query terms as the search goes: which have had their postings read
    ("taken"), and the partial sums of the rows holding them (in bound order, not query
    order: used only in inequalities, with margins)."""

    def __init__(self, part: Part, mask: np.ndarray):
        self.part, self.mask = part, mask
        self.bound = part.index.bounds(part.rows, part.q)  # before the factor
        self.acc = _zeros(part.index.size)
        self.taken = np.zeros(len(part.rows), dtype=bool)
        self.docs: list[np.ndarray] = []

    def close(self) -> None:
        """Give the partial sums' array back, zeroed where it was written."""
        for docs in self.docs:
            self.acc[docs] = 0.0
        _SPARE.__dict__.setdefault("arrays", []).append(self.acc)
        self.docs = []

    def take(self, i: int) -> np.ndarray:
        """Read the i-th term's postings into the partial sums; the rows it reached."""
        p = self.part
        self.taken[i] = True
        docs, tf = _postings(p, i, self.mask)
        if len(docs):
            self.acc[docs] = self.acc[docs] + p.index.saturation(tf, p.index.norm[docs]) * p.q[i]
            self.docs.append(docs)
        return docs

    def weights(self, i: int, docs: np.ndarray) -> np.ndarray:
        """The factor × weight of the i-th term in each of `docs` (0 where absent)."""
        p = self.part
        return p.index.saturation(_counts(p.index, int(p.rows[i]), docs), p.index.norm[docs]) * (p.q[i] * p.factor)

    def rest(self) -> list[int]:
        """The terms not taken, by falling bound."""
        return [int(i) for i in np.argsort(-self.bound, kind="stable") if not self.taken[i]]


def top(channels: Sequence[Channel], k: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """(rows, scores, each part's factor × sum) of the k best rows of the channels' mask
    holding a term, best first, ties in row order. Each channel's part carries its factor;
    terms already taken (by an earlier search on the same channels) are reused."""
    channels = [c for c in channels if len(c.part.rows)]
    empty = np.zeros(0, dtype=np.int64), np.zeros(0), [np.zeros(0) for _ in channels]
    if not channels or k <= 0:
        return empty
    pending = sorted(((c.bound[i] * c.part.factor, n, i) for n, c in enumerate(channels) for i in c.rest()),
                     reverse=True)
    union = _Union(channels)
    try:
        cand, partial, theta = union.candidates(k)
        while pending and _sum(pending) >= theta:  # take terms until the others cannot make a row
            _, n, i = pending.pop(0)
            if len(channels[n].take(i)):
                cand, partial, theta = union.candidates(k)
    finally:
        union.close()
    if not len(cand):
        return empty
    looked = np.zeros(len(cand))  # the part of `partial` from terms looked up, not taken
    for j, (_, n, i) in enumerate(pending):  # the others, for the rows still in the running
        keep = partial * (1 + 1e-9) + _sum(pending[j:]) >= theta
        if not keep.all():
            cand, partial, looked = cand[keep], partial[keep], looked[keep]
        c = channels[n]
        if len(cand) * 4 < c.part.index.df[c.part.rows[i]]:
            w = c.weights(i, cand)
            partial, looked = partial + w, looked + w
        else:  # about as many rows as postings: reading these is cheaper than searching them
            c.take(i)
            partial = looked + sum(ch.acc[cand] * ch.part.factor for ch in channels)
        theta = max(theta, _kth(partial, k))
    return _exact([c.part for c in channels], cand[partial * (1 + 1e-9) >= theta], k)


def _sum(pending: list[tuple[float, int, int]]) -> float:
    return sum(b for b, _, _ in pending)


class _Union:
    """The rows holding a taken term of any of the channels, in the order first reached
    (nothing needs them sorted: a sort of tens of thousands of rows per term taken costs more
    than the pruning saves), kept up to date as terms are taken."""

    def __init__(self, channels: Sequence[Channel]):
        self.channels = channels
        self.seen = _marks(channels[0].part.index.size)
        self.rows: list[np.ndarray] = []
        self.counted = [0] * len(channels)  # of each channel's docs lists, how many are in

    def candidates(self, k: int) -> tuple[np.ndarray, np.ndarray, float]:
        """The rows, their partial scores, and a lower bound of the k-th best score: the k-th
        best partial one."""
        for n, c in enumerate(self.channels):
            for d in c.docs[self.counted[n]:]:
                new = d[~self.seen[d]]
                self.seen[new] = True
                self.rows.append(new)
            self.counted[n] = len(c.docs)
        if not self.rows:
            return np.zeros(0, dtype=np.intp), np.zeros(0), 0.0
        cand = self.rows[0] if len(self.rows) == 1 else np.concatenate(self.rows)
        self.rows = [cand]
        partial = np.zeros(len(cand))
        for c in self.channels:
            partial += c.acc[cand] * c.part.factor
        return cand, partial, _kth(partial, k)

    def close(self) -> None:
        for rows in self.rows:
            self.seen[rows] = False


def _kth(values: np.ndarray, k: int) -> float:
    if len(values) < k:
        return 0.0
    return float(values.max() if k == 1 else np.partition(values, len(values) - k)[len(values) - k]) * LOWER


_SPARE = threading.local()  # per thread: zeroed row-sized arrays, reused (a fresh one costs page faults)


def _zeros(size: int) -> np.ndarray:
    spare = _SPARE.__dict__.setdefault("arrays", [])
    while spare:
        a = spare.pop()
        if len(a) == size:
            return a
    return np.zeros(size)


def _marks(size: int) -> np.ndarray:
    """A row-sized array of False, this thread's own (give it back as it came)."""
    marks = getattr(_SPARE, "marks", None)
    if marks is None or len(marks) != size:
        marks = _SPARE.marks = np.zeros(size, dtype=bool)
    return marks


def _slots(size: int) -> np.ndarray:
    """A row-sized array of -1, this thread's own (give it back as it came)."""
    slots = getattr(_SPARE, "slots", None)
    if slots is None or len(slots) != size:
        slots = _SPARE.slots = np.full(size, -1, dtype=np.intp)
    return slots


def _counts(index: BM25, row: int, docs: np.ndarray) -> np.ndarray:
    """How often term `row` occurs in each of `docs` (ascending), as float64: by binary search
    for a few documents, by one pass over the term's postings for many."""
    tf = np.zeros(len(docs))
    for held, counts in index.found(row):
        if len(docs) * 8 < len(held):
            at = search(held, docs)
            np.minimum(at, len(held) - 1, out=at)
            hit = held[at] == docs
            tf[hit] = counts[at[hit]]
        else:
            slots = _slots(index.size)
            slots[docs] = np.arange(len(docs))
            try:
                at = slots[held]
                hit = at >= 0
                tf[at[hit]] = counts[hit]
            finally:
                slots[docs] = -1
    return tf


def _postings(p: Part, i: int, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(documents in `mask`, counts) of the i-th term of a part, over every block; the
    documents as intp (numpy converts narrower indices on every use)."""
    found = p.index.found(int(p.rows[i]))
    if not found:
        return np.zeros(0, dtype=np.intp), np.zeros(0)
    docs, tf = found[0] if len(found) == 1 else (np.concatenate([d for d, _ in found]),
                                                 np.concatenate([c for _, c in found]))
    docs = docs.astype(np.intp)
    keep = mask[docs]
    return docs[keep], tf[keep]


def _exact(parts: Sequence[Part], cand: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The k best of `cand` (ascending rows) by their full scores, computed as full scoring does."""
    total = np.zeros(len(cand))
    shares = []
    for p in parts:
        w = p.index.saturation(np.stack([_counts(p.index, int(r), cand) for r in p.rows]), p.index.norm[cand])
        w *= p.q[:, None]
        s = np.zeros(len(cand))
        for row in w:  # in query order, as bincount adds them
            s += row
        share = s * p.factor if p.factor != 1.0 else s
        total = total + share
        shares.append(share)
    best = np.lexsort((cand, -total))[:k]
    return cand[best], total[best], [s[best] for s in shares]
