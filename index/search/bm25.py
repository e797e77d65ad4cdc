"""BM25 over term-major postings, scored at question time, updated a block of documents at a time.

rank-bm25 scores a question by walking every document in Python, which is fine for a
handful of plans and far too slow for a province's (100k items). Its formulas are
reproduced here exactly, but a question only touches the postings of its own terms.
`tests/index/search/test_bm25.py` checks the scores against rank-bm25 itself.

Why weights are computed per question rather than stored: every weight depends on the
corpus-wide statistics (the number of documents, each term's document frequency, the
average length), so adding one plan would change all of them. Stored are only the raw
counts, in blocks (`Postings`) that a new plan adds to without touching the others; the
statistics are a few arrays rebuilt in O(documents + terms). The per-posting arithmetic is
the same, operation for operation, as precomputing it would be, so an index grown plan by
plan scores bit for bit like one built at once.

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

The core is pure: bags of words as arrays in, numbers out. The tokenizer lives in
tokenize.py.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from .postings import Postings, search, settle

VARIANTS = ("okapi", "plus", "l")
DEFAULTS = {
    "okapi": {"k1": 1.5, "b": 0.75, "epsilon": 0.25},
    "plus": {"k1": 1.5, "b": 0.75, "delta": 1.0},
    "l": {"k1": 1.5, "b": 0.75, "delta": 0.5},
}
_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0)


@dataclass(frozen=True)
class TermCounts:
    """Documents as bags of words laid end to end, document by document: document j holds the
    n_terms[j] entries (term_ids, counts) after those of the documents before it. Term ids
    index `vocab`'s values; an id no document uses does not count anywhere."""

    vocab: dict[str, int]
    term_ids: np.ndarray
    counts: np.ndarray
    n_terms: np.ndarray
    doc_len: np.ndarray  # tokens per document

    @property
    def n_docs(self) -> int:
        return len(self.n_terms)


def from_bags(vocab: dict[str, int], term_ids: np.ndarray, counts: np.ndarray, n_terms: np.ndarray,
              doc_len: np.ndarray) -> TermCounts:
    # Term ids keep the blobs' int32: at 100k items a channel holds millions of entries, and
    # everything that reads them (bincount, the postings' sorts) takes either width.
    term_ids = np.asarray(term_ids)
    if term_ids.dtype.kind not in "iu":
        term_ids = term_ids.astype(np.int64)
    return TermCounts(vocab, term_ids, np.asarray(counts),
                      np.asarray(n_terms, dtype=np.int64), np.asarray(doc_len, dtype=np.float64))


@dataclass(frozen=True)
class BM25:
    """The postings of every document plus the statistics the weights come from. Immutable:
    `extend` and `drop` return a new index sharing the unchanged blocks."""

    variant: str
    params: Mapping[str, float]
    terms: Mapping[str, int]  # term → id; ids ≥ len(df) or with df 0 are unknown here
    blocks: tuple[Postings, ...]
    df: np.ndarray  # int64 per term id: live documents holding it
    doc_len: np.ndarray  # float64 per document
    live: np.ndarray  # bool per document (a dropped one stays numbered, unscored)
    # per term id, over every document ever holding it (dropped ones too: still an upper
    # bound): its highest count and the length of the shortest such document (`bounds`)
    tf_top: np.ndarray
    len_low: np.ndarray
    idf: np.ndarray = field(init=False)
    norm: np.ndarray = field(init=False)  # per document: 1 - b + b·len/avgdl
    constant: np.ndarray = field(init=False)  # per term: added to every document (BM25+)
    n_docs: int = field(init=False)  # live documents
    avgdl: float = field(init=False)
    max_idf: float = field(init=False)  # of the terms in the vocabulary
    positive: bool = field(init=False)  # every weight > 0 (see `top`)
    # term id → its postings in each block holding it (views): a question looks a term up many
    # times (ranking, then coverage per plan among the candidates)
    _found: dict = field(init=False, default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        p, n = self.params, int(self.live.sum())
        held = self.df > 0
        idf = np.zeros(len(self.df))
        if n:
            idf[held] = _idf(self.variant, self.df[held].astype(np.float64), n, p)
        lengths = self.doc_len[self.live]
        avgdl = lengths.sum() / n if n and lengths.sum() else 1.0
        values = {
            "idf": idf, "n_docs": n, "avgdl": avgdl,
            "norm": 1 - p["b"] + p["b"] * self.doc_len / avgdl,
            "constant": idf * p["delta"] if self.variant == "plus" else np.zeros(len(idf)),
            "max_idf": float(idf[held].max()) if held.any() else 0.0,
            "positive": bool(not held.any() or idf[held].min() > 0),
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)

    @property
    def size(self) -> int:
        """Documents numbered, dropped ones included."""
        return len(self.doc_len)

    @cached_property
    def vocab(self) -> dict[str, int]:
        """The terms some live document holds → id."""
        n = len(self.df)
        return {t: r for t, r in self.terms.items() if r < n and self.df[r] > 0}

    # -- growing and shrinking ---------------------------------------------------------------
    def extend(self, tc: TermCounts) -> "BM25":
        """The index with tc's documents added after the last one (vocab: their terms too)."""
        block = Postings.of(tc, self.size)
        df = self.df
        top = int(tc.term_ids.max()) + 1 if len(tc.term_ids) else 0
        if top > len(df):
            df = np.concatenate([df, np.zeros(top - len(df), dtype=np.int64)])
        df = df.copy()  # + documents per term: bincount(tc.term_ids) without its int64 copy of every entry
        df[block.terms] += np.diff(block.ptr)
        terms = self.terms if tc.vocab is self.terms else {**self.terms, **tc.vocab}
        doc_len = np.concatenate([self.doc_len, tc.doc_len])
        tf_top, len_low = _with_stats(self.tf_top, self.len_low, len(df), block, doc_len)
        return replace(self, terms=terms, blocks=settle((*self.blocks, block)), df=df, doc_len=doc_len,
                       live=np.concatenate([self.live, np.ones(tc.n_docs, dtype=bool)]),
                       tf_top=tf_top, len_low=len_low)

    def drop(self, docs: np.ndarray, term_ids: np.ndarray) -> "BM25":
        """The index without documents `docs`, whose terms (one entry per document holding
        it) are `term_ids`; they keep their numbers and are never ranked again."""
        live = self.live.copy()
        live[docs] = False
        df = self.df - np.bincount(term_ids, minlength=len(self.df))[:len(self.df)]
        return replace(self, df=df, live=live)

    # -- scoring ------------------------------------------------------------------------------
    def scores(self, query: Sequence[str]) -> np.ndarray:
        """Scores of every document, as rank-bm25's get_scores would give them."""
        out = np.zeros(self.size)
        rows = self._rows(query)
        for row in rows:
            docs, w = self._weights([row])
            out[docs] += w
        base = sum(float(self.constant[row]) for row in rows) if rows else 0.0
        if base:
            out += base  # once, as `top` does: the two agree to the last bit
        return out

    def top(self, query: Sequence[str], k: int, mask: np.ndarray | None = None
            ) -> tuple[np.ndarray, np.ndarray]:
        """(documents, scores) of the k best, exactly as top_k(self.scores(query), k, mask)
        would rank them, but touching only the documents that hold a query term: the cost
        grows with those, not with the corpus."""
        empty = _EMPTY_I, _EMPTY_F
        if k <= 0 or self.n_docs == 0:
            return empty
        if not self.positive:  # a floored okapi idf can be negative: rank everything
            return self._full(query, k, mask)
        rows = self._rows(query)
        base = sum(float(self.constant[row]) for row in rows) if rows else 0.0
        docs, w = self._weights(rows)
        held = np.zeros(self.size, dtype=bool)
        held[docs] = True
        # bincount adds each document's weights in query-term order, like `scores` does, so
        # the sums agree to the last bit; it is faster than scattered +=.
        acc = np.bincount(docs, weights=w, minlength=self.size)
        cand = np.flatnonzero(held if mask is None else held & mask)
        score = acc[cand]
        if base:
            score += base
        if len(cand) < k:
            # Too few documents hold a term: the best of the rest all score `base`, and
            # ties go in document order, so they are simply the first ones.
            fill = np.flatnonzero(~held if mask is None else mask & ~held)[:k - len(cand)]
            cand = np.concatenate([cand, fill])
            score = np.concatenate([score, np.full(len(fill), base)])
        chosen = _best(score, k)
        if len(cand) > k and score[chosen].min() <= base:
            return self._full(query, k, mask)  # a weight too small to tell from `base`
        ranked = chosen[np.lexsort((cand[chosen], -score[chosen]))]
        return cand[ranked], score[ranked]

    def accumulate(self, query: Sequence[str], weights: Sequence[float] | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
        """(documents holding a query term, ascending; their scores without BM25+'s constant).
        `weights` scale each query term's contribution (a synonym counts less than the word
        asked); without them this is `scores` less the constant, on the documents it touches."""
        docs, w = self.weighted(query, weights)
        if not len(docs):
            return _EMPTY_I, _EMPTY_F
        acc = np.bincount(docs, weights=w, minlength=self.size)
        mark = np.zeros(self.size, dtype=bool)
        mark[docs] = True  # O(documents), where np.unique would sort the postings
        held = np.flatnonzero(mark)
        return held, acc[held]

    def weighted(self, query: Sequence[str], weights: Sequence[float] | None = None,
                 rows: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(documents, weights) of every posting of the query terms, term after term (what
        `accumulate` sums per document, in that order); `rows`: only those of the documents
        from rows[0] up to rows[1]."""
        return self._weights(*self._known(query, weights), rows)

    def found(self, row: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """(documents, counts) of term id `row` in each block that holds it."""
        got = self._found.get(row)
        if got is None:
            got = [f for f in (block.find(row) for block in self.blocks) if len(f[0])]
            if len(self._found) >= 4096:  # many questions: keep memory bounded
                self._found.clear()
            self._found[row] = got
        return got

    def positions(self, term: str, keys: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per postings block holding `term`: (its documents, where each of `keys` would go
        among them): what `contains` and `count_spans` read. Coverage asks both of the same
        term about ~10 candidates and their plans: one search of all those keys serves both
        (each numpy call costs more than its search there)."""
        row = self.terms.get(term)
        found = self.found(row) if row is not None and row < len(self.df) else []
        return [(held, search(held, keys)) for held, _ in found]

    def contains(self, term: str, docs: np.ndarray) -> np.ndarray:
        """For each of `docs`, whether it holds `term`."""
        return held_among(self.positions(term, docs), docs)

    def count_spans(self, term: str, spans: np.ndarray) -> np.ndarray:
        """Per span [start, end) of `spans` (2 × n: the starts, then the ends), how many
        documents hold `term` (dead ones included): one search per postings block for all
        the spans' bounds."""
        return counted_in(self.positions(term, spans.ravel()), spans.shape[1])

    def idf_of(self, term: str) -> float:
        row = self.terms.get(term)
        return float(self.idf[row]) if row is not None and row < len(self.idf) else 0.0

    def _rows(self, query: Sequence[str]) -> list[int]:
        # Repeated query terms count again, as in rank-bm25.
        return [row for row in self._row_of(query) if row is not None]

    def _row_of(self, query: Sequence[str]) -> list[int | None]:
        """Each query term's row, None for a term no live document holds."""
        n = len(self.df)
        return [row if row is not None and row < n and self.df[row] > 0 else None
                for row in (self.terms.get(t) for t in query)]

    def _weights(self, rows: list[int], scale: list[float] | None = None, docs_in: tuple[int, int] | None = None
                 ) -> tuple[np.ndarray, np.ndarray]:
        """(documents, the score each of `rows`' terms adds to each), term after term: the
        same operations per posting, in the same order, as computing all weights up front,
        done once over the postings of every term together. `scale`: a factor per row;
        `docs_in`: only the documents from docs_in[0] up to docs_in[1].

        The postings of all the terms are gathered in one step per block (Postings.gather), not
        term by term: a question has tens of terms and grams, and the per-term numpy calls
        cost more than the arithmetic. A document lies in one block, so within each document
        the weights still come in query-term order (what `bincount` sums in). Each term's
        postings are then one slice, multiplied by its idf in place: the same product per
        posting as by an array of idfs, without making one."""
        if not rows:
            return _EMPTY_I, _EMPTY_F
        wanted, q = self._factors(rows, scale)
        parts = [block.gather(wanted, docs_in) for block in self.blocks]
        lengths = [n for p in parts for n in p[2]]
        if not any(lengths):
            return _EMPTY_I, _EMPTY_F
        parts = [p for p in parts if len(p[0])]
        if len(parts) == 1:
            (docs, tf, _), = parts
        else:
            docs, tf = (np.concatenate([p[n] for p in parts]) for n in range(2))
        docs = docs.astype(np.intp)  # stored narrow; numpy would convert them on every indexing
        w = self.saturation(tf, self.norm[docs])
        at = 0
        for n, f in zip(lengths, q.tolist() * len(self.blocks)):  # block after block, term after term
            if n:
                w[at:at + n] *= f
                at += n
        return docs, w

    def _known(self, query: Sequence[str], weights: Sequence[float] | None) -> tuple[list[int], list[float] | None]:
        """The rows of the query terms some live document holds, in query order, and their
        weights (None without weights)."""
        known = [(row, w) for row, w in zip(self._row_of(query), weights or [1.0] * len(query)) if row is not None]
        return [row for row, _ in known], [w for _, w in known] if weights else None

    def _factors(self, rows: list[int], scale: list[float] | None) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, what each term's saturation is multiplied by: its idf, times `scale`)."""
        wanted = np.asarray(rows, dtype=np.int64)
        q = self.idf[wanted]
        if scale is not None and any(f != 1.0 for f in scale):
            q = q * np.asarray(scale, dtype=np.float64)
        return wanted, q

    def channel(self, query: Sequence[str], weights: Sequence[float] | None = None, bounded: bool = False) -> tuple:
        """What search/_kernel.c's `scored` adds up for a query, the postings left where they
        are: (norm, k1, factor per term, term ids, [(terms, ptr, docs, counts) per block],
        stats); the kernel finds each term's postings in each block itself. stats (`bounded`):
        (tf_top, len_low, b, avgdl), from which the kernel computes `bounds` as it does, to
        skip a common term's postings by; else None. BM25+ and Okapi only (their saturation)."""
        wanted, q = self._factors(*self._known(query, weights))
        blocks = [(b.terms, b.ptr, b.docs, b.tf) for b in self.blocks] if len(wanted) else []
        stats = None
        if bounded and self.variant != "l":
            stats = (np.asarray(self.tf_top, dtype=np.int64), np.asarray(self.len_low, dtype=np.float64),
                     float(self.params["b"]), float(self.avgdl))
        return self.norm, float(self.params["k1"]), np.ascontiguousarray(q, dtype=np.float64), wanted, blocks, stats

    def saturation(self, tf: np.ndarray, norm: np.ndarray) -> np.ndarray:
        """What a count adds before the idf, in a document of length norm (self.norm): the
        same operations in the same order wherever a weight is computed, so that any two
        ways of scoring agree to the last bit. Shapes broadcast (tf may be terms × docs)."""
        p = self.params
        if self.variant == "l":
            ctd = tf / norm
            w = ctd + p["delta"]
            w *= tf * (p["k1"] + 1)
            ctd += p["k1"] + p["delta"]
            w /= ctd
            return w
        # The counts made float once (exact: small integers), then worked on in place: numpy's
        # loops that mix an integer and a float array convert through buffers, twice as slow.
        t = np.array(tf, dtype=np.float64)
        w = norm * p["k1"] + t
        t *= p["k1"] + 1
        t /= w
        return t

    # -- pruning (search/maxscore.py) ---------------------------------------------------------
    def query_terms(self, query: Sequence[str], weights: Sequence[float] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
        """(term ids, idf × weight) of the query terms some live document holds, in query
        order: what `accumulate` multiplies each term's saturation by."""
        return self._factors(*self._known(query, weights))

    def bounds(self, rows: np.ndarray, q: np.ndarray) -> np.ndarray:
        """The most each term (ids `rows`, factors `q`) adds to any one document's score:
        its highest count in its shortest document (saturation grows with the count and
        falls with the length), computed like the weights, with a margin far above their
        rounding."""
        if self.variant == "l":
            raise ValueError("bounds: BM25L weights are not bounded this way")
        b = self.params["b"]
        norm = 1 - b + b * self.len_low[rows] / self.avgdl
        return self.saturation(self.tf_top[rows].astype(np.float64), norm) * q * (1 + 1e-9)

    def _full(self, query: Sequence[str], k: int, mask: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        scores = self.scores(query)
        ranked = top_k(scores, k, mask)
        return ranked, scores[ranked]


def build(tc: TermCounts, variant: str = "plus", **params: float) -> BM25:
    if variant not in VARIANTS:
        raise ValueError(f"unknown BM25 variant {variant!r}; choose from {VARIANTS}")
    n_terms = max(max(tc.vocab.values(), default=-1) + 1, int(tc.term_ids.max()) + 1 if len(tc.term_ids) else 0)
    df = np.bincount(tc.term_ids, minlength=n_terms).astype(np.int64)
    blocks = (Postings.of(tc, 0),) if tc.n_docs else ()
    none = np.zeros(0, dtype=np.int64)
    tf_top, len_low = none, none.astype(np.float64)
    for block in blocks:
        tf_top, len_low = _with_stats(tf_top, len_low, n_terms, block, tc.doc_len)
    return BM25(variant, {**DEFAULTS[variant], **params}, tc.vocab, blocks, df, tc.doc_len,
                np.ones(tc.n_docs, dtype=bool), _grown(tf_top, n_terms, 0), _grown(len_low, n_terms, np.inf))


def _grown(a: np.ndarray, n: int, fill: float) -> np.ndarray:
    return a if len(a) >= n else np.concatenate([a, np.full(n - len(a), fill, dtype=a.dtype)])


def _with_stats(tf_top: np.ndarray, len_low: np.ndarray, n: int, block: Postings, doc_len: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """tf_top and len_low (per term id, n of them) with a new block's postings counted in."""
    tf_top, len_low = _grown(tf_top, n, 0).copy(), _grown(len_low, n, np.inf).copy()
    top, low = block.stats(doc_len)
    tf_top[block.terms] = np.maximum(tf_top[block.terms], top)
    len_low[block.terms] = np.minimum(len_low[block.terms], low)
    return tf_top, len_low


def _idf(variant: str, df: np.ndarray, n: int, p: Mapping[str, float]) -> np.ndarray:
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


def held_among(positions: list[tuple[np.ndarray, np.ndarray]], docs: np.ndarray) -> np.ndarray:
    """For each of `docs`, whether a block's documents hold it, given where it would go among
    them (`BM25.positions`): past the last, it is compared with the last."""
    out = None
    for held, pos in positions:
        hit = held.take(pos, mode="clip") == docs
        out = hit if out is None else out | hit
    return out if out is not None else np.zeros(len(docs), dtype=bool)


def counted_in(positions: list[tuple[np.ndarray, np.ndarray]], n: int) -> np.ndarray:
    """Per span of `n`, how many documents of the blocks fall in it, given where its start and
    end would go among them (`BM25.positions` of the n starts, then the n ends)."""
    out = None
    for _, pos in positions:
        counted = pos[n:] - pos[:n]
        out = counted if out is None else out + counted
    return out if out is not None else np.zeros(n, dtype=np.int64)
