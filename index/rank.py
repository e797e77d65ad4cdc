"""BM25 scoring as a sparse matrix of precomputed term weights.

rank-bm25 scores a question by walking every document in Python, which is fine for a
handful of plans and far too slow for a province's (100k items). Its formulas are
reproduced here exactly, but evaluated once per (term, document) pair at build time:
a question then costs one sparse row per query term. `tests/index/test_rank.py` checks
the scores against rank-bm25 itself.

Variants (rank-bm25's names and default parameters):
- okapi: idf = ln((N-n+0.5)/(n+0.5)), floored at 0.25 × mean idf. A term found in
  half the items gets a weight near zero, which hurts a single 15-item plan.
- plus:  idf = ln((N+1)/n); every document also gets idf × delta for each query
  term in the vocabulary, a constant that never changes the order.
- l:     idf = ln((N+1)/(n+0.5)), term frequency normalized before saturation.
The engine uses `plus` (see the README: it ranked the question set best).

Order and ties: a ranking is "by score, best first; equal scores in document order" in
every function here (`top_k`, `BM25.top`), including at the k-th place, so the same
question always gives the same list.

The core is pure: token lists (or bags of words as arrays) in, numbers out. The tokenizer
lives in tokenize.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

VARIANTS = ("okapi", "plus", "l")
DEFAULTS = {
    "okapi": {"k1": 1.5, "b": 0.75, "epsilon": 0.25},
    "plus": {"k1": 1.5, "b": 0.75, "delta": 1.0},
    "l": {"k1": 1.5, "b": 0.75, "delta": 0.5},
}


@dataclass(frozen=True)
class TermCounts:
    """Documents as a term × document count matrix: the input every variant needs.

    A row may be empty (a term id no document uses any more): it is not in the BM25
    vocabulary and does not count in the idf statistics."""

    vocab: dict[str, int]
    counts: sparse.csr_matrix  # shape (terms, docs); indices sorted within each row
    doc_len: np.ndarray  # tokens per document, as given to count_terms


def count_terms(docs: Iterable[Sequence[str]]) -> TermCounts:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[int] = []
    lengths: list[int] = []
    for j, tokens in enumerate(docs):
        lengths.append(len(tokens))
        for term, n in Counter(tokens).items():
            rows.append(vocab.setdefault(term, len(vocab)))
            cols.append(j)
            vals.append(n)
    shape = (len(vocab), len(lengths))
    counts = sparse.csr_matrix(
        (np.asarray(vals, dtype=np.float64), (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64))),
        shape=shape,
    )
    counts.sort_indices()
    return TermCounts(vocab, counts, np.asarray(lengths, dtype=np.float64))


def from_bags(vocab: dict[str, int], term_ids: np.ndarray, counts: np.ndarray, n_terms: np.ndarray,
              doc_len: np.ndarray) -> TermCounts:
    """TermCounts from bags of words laid end to end, document by document: document j
    holds the n_terms[j] entries (term_ids, counts) after those of the documents before it.
    Term ids index `vocab`'s values; no tokens are handled, so this is what start-up uses."""
    n_docs = len(n_terms)
    n_rows = max(vocab.values(), default=-1) + 1
    n_rows = max(n_rows, int(term_ids.max()) + 1 if len(term_ids) else 0)
    doc_ptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(n_terms, out=doc_ptr[1:])
    by_doc = sparse.csr_matrix((counts.astype(np.float64), term_ids, doc_ptr), shape=(n_docs, n_rows))
    by_term = by_doc.tocsc()  # a counting sort: O(entries), indices come out sorted
    del by_doc
    matrix = sparse.csr_matrix((by_term.data, by_term.indices, by_term.indptr), shape=(n_rows, n_docs))
    matrix.has_sorted_indices = True
    return TermCounts(vocab, matrix, np.asarray(doc_len, dtype=np.float64))


@dataclass(frozen=True)
class BM25:
    vocab: dict[str, int]  # the terms some document holds → row
    weights: sparse.csr_matrix  # (terms, docs): the score each term adds to each document
    constant: np.ndarray  # per term: added to every document (BM25+ delta term)
    idf: np.ndarray  # per row; 0 for a row no document uses
    n_docs: int
    max_idf: float = 0.0  # of the terms in the vocabulary
    positive: bool = field(default=True)  # every stored weight > 0 (see `top`)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every document, as rank-bm25's get_scores would give them."""
        out = np.zeros(self.n_docs)
        base = 0.0
        for row in self._rows(query):
            start, end = self.weights.indptr[row], self.weights.indptr[row + 1]
            out[self.weights.indices[start:end]] += self.weights.data[start:end]
            base += self.constant[row]
        if base:
            out += base  # once, as `top` does: the two agree to the last bit
        return out

    def top(self, query: Sequence[str], k: int, mask: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of the k best, exactly as top_k(self.scores(query), k, mask)
        would rank them, but touching only the documents that hold a query term: the cost
        grows with those, not with the corpus."""
        rows = self._rows(query)
        empty = np.zeros(0, dtype=np.int64), np.zeros(0)
        if k <= 0 or self.n_docs == 0:
            return empty
        if not self.positive:  # a floored okapi idf can be negative: rank everything
            return self._full(query, k, mask)
        ptr, indices, data = self.weights.indptr, self.weights.indices, self.weights.data
        base = 0.0
        for row in rows:
            base += self.constant[row]
        if rows:
            # bincount adds each document's weights in query-term order, like `scores`
            # does, so the sums agree to the last bit; it is faster than scattered +=.
            acc = np.bincount(np.concatenate([indices[ptr[r]:ptr[r + 1]] for r in rows]),
                              weights=np.concatenate([data[ptr[r]:ptr[r + 1]] for r in rows]),
                              minlength=self.n_docs)
        else:
            acc = np.zeros(self.n_docs)
        held = acc > 0  # every weight is > 0: exactly the documents holding a query term
        cand = np.flatnonzero(held if mask is None else held & mask)
        score = acc[cand]
        if base:
            score += base
        if len(cand) < k:
            # Too few documents hold a term: the best of the rest all score `base`, and
            # ties go in document order, so they are simply the first ones.
            rest = ~held if mask is None else mask & ~held
            fill = np.flatnonzero(rest)[:k - len(cand)]
            cand = np.concatenate([cand, fill])
            score = np.concatenate([score, np.full(len(fill), base)])
        chosen = _best(score, k)
        if len(cand) > k and score[chosen].min() <= base:
            return self._full(query, k, mask)  # a weight too small to tell from `base`
        order = chosen[np.lexsort((cand[chosen], -score[chosen]))]
        return cand[order], score[order]

    def contains(self, term: str, docs: np.ndarray) -> np.ndarray:
        """For each of `docs`, whether it holds `term`."""
        row = self.vocab.get(term)
        if row is None:
            return np.zeros(len(docs), dtype=bool)
        held = self.weights.indices[self.weights.indptr[row]:self.weights.indptr[row + 1]]
        pos = np.minimum(np.searchsorted(held, docs), max(len(held) - 1, 0))
        return (held[pos] == docs) if len(held) else np.zeros(len(docs), dtype=bool)

    def idf_of(self, term: str) -> float:
        row = self.vocab.get(term)
        return float(self.idf[row]) if row is not None else 0.0

    def _rows(self, query: Sequence[str]) -> list[int]:
        # Repeated query terms count again, as in rank-bm25.
        return [row for row in (self.vocab.get(t) for t in query) if row is not None]

    def _full(self, query: Sequence[str], k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        scores = self.scores(query)
        order = top_k(scores, k, mask)
        return order, scores[order]


def build(tc: TermCounts, variant: str = "plus", **params: float) -> BM25:
    if variant not in VARIANTS:
        raise ValueError(f"unknown BM25 variant {variant!r}; choose from {VARIANTS}")
    p = {**DEFAULTS[variant], **params}
    n_docs = tc.counts.shape[1]
    if n_docs == 0:
        empty = sparse.csr_matrix((0, 0))
        return BM25({}, empty, np.zeros(0), np.zeros(0), 0)
    counts = tc.counts
    df = np.diff(counts.indptr)  # documents per term (one entry per doc)
    live = df > 0
    idf = np.zeros(len(df))
    idf[live] = _idf(variant, df[live].astype(np.float64), n_docs, p)
    avgdl = tc.doc_len.mean() if tc.doc_len.sum() else 1.0
    norm = 1 - p["b"] + p["b"] * tc.doc_len / avgdl  # per document
    k1 = p["k1"]
    tf = counts.data
    # Computed in place, row by row of the formula: at 100k items these arrays hold
    # millions of entries, and each temporary costs tens of MB.
    if variant == "l":
        ctd = tf / norm[counts.indices]
        w = ctd + p["delta"]
        w *= tf * (k1 + 1)
        ctd += k1 + p["delta"]
        w /= ctd
        del ctd
        const = np.zeros(len(idf))
    else:
        w = norm[counts.indices]
        w *= k1
        w += tf
        np.divide(tf * (k1 + 1), w, out=w)
        const = idf * p["delta"] if variant == "plus" else np.zeros(len(idf))
    w *= np.repeat(idf, df)
    weights = sparse.csr_matrix((w, counts.indices, counts.indptr), shape=counts.shape)
    weights.has_sorted_indices = counts.has_sorted_indices
    if not weights.has_sorted_indices:
        weights.sort_indices()
    vocab = {t: r for t, r in tc.vocab.items() if r < len(df) and live[r]}
    return BM25(vocab, weights, const, idf, n_docs,
                max_idf=float(idf[live].max()) if live.any() else 0.0,
                positive=bool(len(w) == 0 or w.min() > 0))


def _idf(variant: str, df: np.ndarray, n: int, p: dict) -> np.ndarray:
    if variant == "okapi":
        idf = np.log(n - df + 0.5) - np.log(df + 0.5)
        floor = p["epsilon"] * idf.mean() if len(idf) else 0.0
        return np.where(idf < 0, floor, idf)
    if variant == "plus":
        return np.log((n + 1) / df)
    return np.log(n + 1) - np.log(df + 0.5)


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best scores, best first; ties keep document order, also at the
    k-th place (the lowest-numbered of equal documents get in).

    `mask` (bool per document) restricts the candidates, e.g. to one plan.
    """
    candidates = np.flatnonzero(mask) if mask is not None else None
    sub = scores[candidates] if candidates is not None else scores
    k = min(k, len(sub))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    chosen = _best(sub, k)
    order = chosen[np.lexsort((chosen, -sub[chosen]))]
    return order if candidates is None else candidates[order]


def _best(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, unordered; of equal scores at the k-th place the
    first positions."""
    if k >= len(scores):
        return np.arange(len(scores))
    kth = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = np.flatnonzero(scores > kth)
    tied = np.flatnonzero(scores == kth)[:k - len(above)]
    return np.concatenate([above, tied])
