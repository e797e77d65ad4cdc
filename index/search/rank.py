"""Ranking with two channels: BM25 over words, fused with BM25 over character grams.

Each channel's scores are divided by that channel's best score among the candidates, so both
run from 0 to 1 whatever their scale (a question has many more grams than words), and the
fused score is their weighted sum. The word channel knows what a term means (a compound and
its parts, a synonym); the gram channel catches what the tokenizer cut differently or never
knew. Ties go in document order (row number), as everywhere in search.

`rank` finds the same rows, scores and order as `rank_full` (which scores every posting of
every term): by the C kernel (search/_kernel.c, `_compiled`) where the install built it, one
loop over the postings and one over the rows they reach, the postings of a very common term
of low bound left unread where that cannot change the answer (exact pruning in C: the same
two steps as maxscore.py's below, see SKIP_SHARE); else in numpy, by MaxScore
(search/maxscore.py: first each channel's best score, itself a top 1, then the fused top k,
both touching only the postings that can change them) or, where that does not pay, by
`_scored`, which scores every posting like rank_full but with one row-sized step where
rank_full takes about ten (each a pass over 100k rows at 100k items, and the most of its
time). tests/index/search/test_maxscore.py checks all four agree bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import maxscore
from .bm25 import top_k
from .corpus import Corpus

try:  # built by `pip install` where a C compiler is at hand (setup.py); numpy does it otherwise
    from . import _kernel
except ImportError:  # pragma: no cover - depends on the install
    _kernel = None

WORD_SHARE = 0.6  # the word channel's weight in the fused score; the grams' is the rest
# Pruning pays only where it can leave many postings unread: MaxScore reads terms in falling
# order of bound and stops once the rest's bounds are below the k-th best score so far, so what
# it skips is a very common term (#的, 工作: tens of thousands of postings) whose bound is well
# below another term's. Elsewhere it reads nearly every posting, and its bookkeeping makes it
# slower than `_scored`. Measured on the bench corpus at 100k items (bench/HISTORY.md),
# ranking alone: this rule prunes 24 of 169 questions, mean 1.43 ms against 1.44 scoring all in
# full (a wash: kept for the questions it helps); pruning every question of >= 10k postings
# (the rule before) 1.62 ms. At 10k-20k items pruning was slower always.
PRUNE_FROM = 20_000  # postings of the terms it could skip, both channels together
SKIP_BOUND = 0.3  # a term can be skipped when its bound is below this share of another term's
PRUNE_ROWS = 50_000
# The C kernel adds the postings up this many rows at a time, so that the rows' sums and norms
# it adds to stay in the cache (16k rows: 384 KB). Measured at 100k items against one pass
# over every row: ~10% less time in the kernel.
CHUNK_ROWS = 16_384
# The C kernel may leave the postings of a question's commonest terms unread (exact pruning,
# see search/_kernel.c): a term of at least SKIP_FROM postings whose bound, with the other
# skipped terms', is at most SKIP_SHARE of its channel's highest bound, if the skipped terms
# hold at least SKIP_RATIO times the postings of those read (its passes over the rows reached
# cost about what adding their postings does). A look-up of a row in a skipped term's postings
# costs about LOOKUP_COST postings added (~0.15 µs against ~0.02 µs at 100k items): when a
# question's rows to look up would cost more than its skipped postings (loose bounds), the
# kernel adds a skipped term after all.
# Measured on the bench corpus at 100k items, every kernel call of its questions with the
# caches evicted before each (as between questions), mean against scoring in full: SKIP_SHARE
# 0.5 0.69-0.71×, 0.6 0.65×, 0.7 0.61×, 0.8 0.63× (more skipped terms fail their checks);
# SKIP_RATIO 0.5 0.68×, 1.5 0.67×, 3 0.71×; LOOKUP_COST 4 0.60×, 8 0.61×, 16 0.68×, 32 0.70×;
# SKIP_FROM 4,096 as 8,192. On the 20k common-terms corpus it seldom prunes (a wash).
SKIP_SHARE = 0.7
SKIP_FROM = 8_192
SKIP_RATIO = 1.5
LOOKUP_COST = 8


@dataclass(frozen=True)
class Terms:
    """What to search for: word terms (with a weight each: a synonym counts less) and grams."""

    words: Sequence[str]
    weights: Sequence[float]
    grams: Sequence[str]


@dataclass(frozen=True)
class Ranked:
    rows: np.ndarray  # best first
    scores: np.ndarray  # fused, 0 … 1
    words: np.ndarray  # the word channel's share of each
    grams: np.ndarray  # the gram channel's share of each


def rank(corpus: Corpus, terms: Terms, mask: np.ndarray, k: int, word_share: float = WORD_SHARE,
         prune_from: int = PRUNE_FROM) -> Ranked:
    """The k best rows of `mask` by the fused score; rows that hold no term are left out.
    With the C kernel every posting is scored in C, but a common term's it can prove cannot
    change the answer (SKIP_SHARE); without it, small corpora and masks, and
    questions without a very common term to skip (`_prunes`), are scored in full (`_scored`:
    the pruning's bookkeeping costs more than it saves there); the answer is the same.
    prune_from=0 always prunes (the tests). Every posting's weight must be > 0 for
    either (a weight ≤ 0 is only possible with other variants or weights than the engine's)."""
    if k <= 0 or not all(i.positive and i.variant != "l" for i in (corpus.bm25, corpus.grams)) \
            or not all(w > 0 for w in terms.weights):
        return rank_full(corpus, terms, mask, k, word_share)
    span = _span(mask)
    if _kernel and prune_from:  # scoring every posting in C beats pruning in numpy (bench/HISTORY.md)
        return _compiled(corpus, terms, mask, k, word_share, span)
    parts = [maxscore.Part.of(corpus.bm25, terms.words, terms.weights), maxscore.Part.of(corpus.grams, terms.grams)]
    if not _prunes(corpus, parts, prune_from, span):
        return _scored(corpus, terms, mask, k, word_share, span)
    channels = [maxscore.Channel(p, mask) for p in parts]
    try:
        return _pruned(channels, k, word_share) or rank_full(corpus, terms, mask, k, word_share)
    finally:
        for c in channels:
            c.close()


def _prunes(corpus: Corpus, parts: list[maxscore.Part], prune_from: int, span: tuple[int, int] | None) -> bool:
    """Whether pruning pays for these terms in the rows `span` (see PRUNE_FROM); always with
    prune_from=0."""
    if not prune_from:
        return True
    if (corpus.size if span is None else span[1] - span[0]) < PRUNE_ROWS:
        return False
    dfs = [p.index.df[p.rows] for p in parts]
    if sum(int(df.max()) for df in dfs if len(df)) < prune_from:  # most questions: no bounds needed
        return False
    return sum(_skippable(p, df) for p, df in zip(parts, dfs)) >= prune_from


def _skippable(part: maxscore.Part, df: np.ndarray) -> int:
    """The postings of a part's commonest term (`df`: each term's) if its bound is far below
    another term's, else 0."""
    if len(part.rows) < 2:
        return 0
    bound = part.index.bounds(part.rows, part.q)
    common = int(np.argmax(df))
    return int(df[common]) if bound[common] < SKIP_BOUND * np.delete(bound, common).max() else 0


def _pruned(channels: list[maxscore.Channel], k: int, word_share: float) -> Ranked | None:
    best = [maxscore.top([c], 1)[1] for c in channels]  # each channel's best score
    if any(len(b) and not b[0] > 0 for b in best):
        return None
    held = [c for c, b in zip(channels, best) if len(b)]
    for c, b, share in zip(channels, best, (word_share, 1 - word_share)):
        if len(b):
            c.part = c.part.times(share / float(b[0]))  # as rank_full divides by the best
    rows, scores, by_part = maxscore.top(held, k)
    if not len(rows):
        return Ranked(rows, scores, np.zeros(0), np.zeros(0))
    split = iter(by_part)
    w, g = (next(split) if len(b) else np.zeros(len(rows)) for b in best)
    return Ranked(rows, scores, w, g)


def rank_full(corpus: Corpus, terms: Terms, mask: np.ndarray, k: int, word_share: float = WORD_SHARE) -> Ranked:
    """`rank` by scoring every posting of every term: its definition."""
    word = _channel(corpus.bm25.accumulate(terms.words, terms.weights) if terms.words else None, mask)
    gram = _channel(corpus.grams.accumulate(terms.grams) if terms.grams else None, mask)
    rows = _union(corpus.size, word[0], gram[0])
    if not len(rows) or k <= 0:
        return Ranked(rows[:0], np.zeros(0), np.zeros(0), np.zeros(0))
    place = _placer(corpus.size, rows)
    w = _share(rows, *word, word_share, place)
    g = _share(rows, *gram, 1 - word_share, place)
    fused = w + g
    best = top_k(fused, k)  # by score, ties in row order: rows ascend
    return Ranked(rows[best], fused[best], w[best], g[best])


def _scored(corpus: Corpus, terms: Terms, mask: np.ndarray, k: int, word_share: float,
            span: tuple[int, int] | None) -> Ranked:
    """`rank_full`'s rows, scores and order, in fewer row-sized steps: each channel's sums by
    one bincount over its postings, and the rows either channel reaches in `mask` by one
    row-sized mark array. Every posting's weight must be > 0 (`rank` checks): then a row's
    sum is 0 exactly where its channel does not reach it, which is what rank_full gives
    such a row, and the channel's best among all these rows is its best among its own.
    `span` (`_span(mask)`): only those rows' postings are read and only those rows are
    marked and summed, counted from span[0], so a question within one plan costs that plan's
    size, not the corpus's."""
    first, end = span or (0, corpus.size)
    found = [corpus.bm25.weighted(terms.words, terms.weights, span) if terms.words else _NOTHING,
             corpus.grams.weighted(terms.grams, rows=span) if terms.grams else _NOTHING]
    if first:
        found = [(docs - first, weights) for docs, weights in found]
    held = np.zeros(end - first, dtype=bool)
    for docs, _ in found:
        held[docs] = True
    held &= mask[first:end]
    rows = np.flatnonzero(held)
    if not len(rows):
        return Ranked(rows, np.zeros(0), np.zeros(0), np.zeros(0))
    w, g = (_sums(end - first, rows, docs, weights, share)
            for (docs, weights), share in zip(found, (word_share, 1 - word_share)))
    fused = w + g
    best = top_k(fused, k)  # by score, ties in row order: rows ascend
    return Ranked(rows[best] + first, fused[best], w[best], g[best])


def _compiled(corpus: Corpus, terms: Terms, mask: np.ndarray, k: int, word_share: float,
              span: tuple[int, int] | None, chunk: int = CHUNK_ROWS, skip_share: float = SKIP_SHARE,
              skip_from: int = SKIP_FROM, skip_ratio: float = SKIP_RATIO, lookup_cost: int = LOOKUP_COST) -> Ranked:
    """`_scored` by search/_kernel.c: the same arithmetic in one loop over the postings and one
    over the rows reached, instead of ten numpy passes and their temporaries; `chunk` rows
    at a time; the postings of common terms of low bound skipped where that cannot change
    the answer (see SKIP_SHARE; skip_share=0: never)."""
    first, end = span or (0, corpus.size)
    word = corpus.bm25.channel(terms.words, terms.weights, bounded=skip_share > 0)
    gram = corpus.grams.channel(terms.grams, bounded=skip_share > 0)
    out = np.empty(k, dtype=np.int64), np.empty(k), np.empty(k), np.empty(k)
    n = _kernel.scored(word, gram, np.ascontiguousarray(mask, dtype=bool), first, end, k, word_share, *out, chunk,
                       skip_share, skip_from, skip_ratio, lookup_cost)
    return Ranked(*(a[:n] for a in out))


_NOTHING = np.zeros(0, dtype=np.intp), np.zeros(0)  # a channel without terms: no postings


def _span(mask: np.ndarray) -> tuple[int, int] | None:
    """The rows from `mask`'s first to (after) its last True, when they are at most half of
    them (a plan, a chat's few plans), else None: all rows (counting from the first would
    cost a pass over the postings to save a few rows). argmax stops at the first True; the
    last is searched for only within half the rows after the first, once none lies beyond."""
    n = len(mask)
    if not n:
        return 0, 0
    first = int(np.argmax(mask))
    if not mask[first]:
        return first, first
    if mask[first + n // 2:].any():  # a row in more than half the rows after the first
        return None
    window = mask[first:first + n // 2]
    return first, first + len(window) - int(np.argmax(window[::-1]))


def _sums(size: int, rows: np.ndarray, docs: np.ndarray, weights: np.ndarray, share: float) -> np.ndarray:
    """Each of `rows`' sum of `weights` (bincount adds them in posting order, as
    BM25.accumulate does), divided by the best of them, times `share` (as `_share`)."""
    if not len(docs):
        return np.zeros(len(rows))
    sums = np.bincount(docs, weights=weights, minlength=size)[rows]
    top = sums.max()
    return sums * (share / top) if top > 0 else sums


def _channel(found: tuple[np.ndarray, np.ndarray] | None, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A channel's (rows, scores) within `mask`, rows ascending."""
    if found is None or not len(found[0]):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    docs, scores = found
    keep = mask[docs]
    return docs[keep], scores[keep]


def _union(size: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The rows in either of two ascending arrays, ascending."""
    if not len(b):
        return a
    if not len(a):
        return b
    held = np.zeros(size, dtype=bool)  # O(rows) without a sort
    held[a] = True
    held[b] = True
    return np.flatnonzero(held)


def _placer(size: int, rows: np.ndarray):
    """docs (⊆ rows, ascending) → their positions in `rows`: by a row-sized table when the
    candidates are many (common grams at 100k items touch half the rows), else by search."""
    if len(rows) * 16 < size:
        return lambda docs: np.searchsorted(rows, docs)
    table = np.empty(size, dtype=np.int64)
    table[rows] = np.arange(len(rows))
    return lambda docs: table[docs]


def _share(rows: np.ndarray, docs: np.ndarray, scores: np.ndarray, weight: float, place) -> np.ndarray:
    """Each row's score in one channel (`docs` ⊆ `rows`, both ascending), divided by the
    channel's best, times `weight`."""
    out = np.zeros(len(rows))
    if not len(docs):
        return out
    top = scores.max()
    out[place(docs)] = scores * (weight / top) if top > 0 else scores
    return out
