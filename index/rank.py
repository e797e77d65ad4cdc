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

The core is pure: token lists in, numbers out. The tokenizer lives in tokenize.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

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
    """Documents as a term × document count matrix: the input every variant needs."""

    vocab: dict[str, int]
    counts: sparse.csr_matrix  # shape (terms, docs), int32
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
    return TermCounts(vocab, counts, np.asarray(lengths, dtype=np.float64))


@dataclass(frozen=True)
class BM25:
    vocab: dict[str, int]
    weights: sparse.csr_matrix  # (terms, docs): the score each term adds to each document
    constant: np.ndarray  # per term: added to every document (BM25+ delta term)
    idf: np.ndarray
    n_docs: int

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every document, as rank-bm25's get_scores would give them."""
        out = np.zeros(self.n_docs)
        for term in query:  # repeated query terms count again, as in rank-bm25
            row = self.vocab.get(term)
            if row is None:
                continue
            start, end = self.weights.indptr[row], self.weights.indptr[row + 1]
            out[self.weights.indices[start:end]] += self.weights.data[start:end]
            if self.constant[row]:
                out += self.constant[row]
        return out

    def idf_of(self, term: str) -> float:
        row = self.vocab.get(term)
        return float(self.idf[row]) if row is not None else 0.0


def build(tc: TermCounts, variant: str = "plus", **params: float) -> BM25:
    if variant not in VARIANTS:
        raise ValueError(f"unknown BM25 variant {variant!r}; choose from {VARIANTS}")
    p = {**DEFAULTS[variant], **params}
    n_docs = tc.counts.shape[1]
    if n_docs == 0:
        empty = sparse.csr_matrix((0, 0))
        return BM25({}, empty, np.zeros(0), np.zeros(0), 0)
    df = np.diff(tc.counts.indptr).astype(np.float64)  # documents per term (one entry per doc)
    idf = _idf(variant, df, n_docs, p)
    avgdl = tc.doc_len.mean() if tc.doc_len.sum() else 1.0
    norm = 1 - p["b"] + p["b"] * tc.doc_len / avgdl  # per document
    coo = tc.counts.tocoo()
    tf, doc_norm, term_idf = coo.data, norm[coo.col], idf[coo.row]
    k1 = p["k1"]
    if variant == "okapi":
        w = term_idf * tf * (k1 + 1) / (tf + k1 * doc_norm)
        const = np.zeros(len(idf))
    elif variant == "plus":
        w = term_idf * tf * (k1 + 1) / (k1 * doc_norm + tf)
        const = idf * p["delta"]
    else:
        ctd = tf / doc_norm
        w = term_idf * tf * (k1 + 1) * (ctd + p["delta"]) / (k1 + ctd + p["delta"])
        const = np.zeros(len(idf))
    weights = sparse.csr_matrix((w, (coo.row, coo.col)), shape=tc.counts.shape)
    return BM25(tc.vocab, weights, const, idf, n_docs)


def _idf(variant: str, df: np.ndarray, n: int, p: dict) -> np.ndarray:
    if variant == "okapi":
        idf = np.log(n - df + 0.5) - np.log(df + 0.5)
        floor = p["epsilon"] * idf.mean() if len(idf) else 0.0
        return np.where(idf < 0, floor, idf)
    if variant == "plus":
        return np.log((n + 1) / df)
    return np.log(n + 1) - np.log(df + 0.5)


def top_k(scores: np.ndarray, k: int, mask: np.ndarray | None = None) -> np.ndarray:
    """Indices of the k best scores, best first; ties keep document order.

    `mask` (bool per document) restricts the candidates, e.g. to one plan.
    """
    if mask is not None:
        candidates = np.flatnonzero(mask)
        sub = scores[candidates]
    else:
        candidates = None
        sub = scores
    k = min(k, len(sub))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k < len(sub):
        part = np.argpartition(-sub, k - 1)[:k]
    else:
        part = np.arange(len(sub))
    order = part[np.lexsort((part, -sub[part]))]
    return order if candidates is None else candidates[order]
