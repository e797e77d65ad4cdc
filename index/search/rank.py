"""Ranking with two channels: BM25 over words, fused with BM25 over character grams.

Each channel's scores are divided by that channel's best score among the candidates, so both
run from 0 to 1 whatever their scale (a question has many more grams than words), and the
fused score is their weighted sum. The word channel knows what a term means (a compound and
its parts, a synonym); the gram channel catches what the tokenizer cut differently or never
knew. Ties go in document order (row number), as everywhere in search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .corpus import Corpus

WORD_SHARE = 0.6  # the word channel's weight in the fused score; the grams' is the rest


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


def rank(corpus: Corpus, terms: Terms, mask: np.ndarray, k: int, word_share: float = WORD_SHARE) -> Ranked:
    """The k best rows of `mask` by the fused score; rows that hold no term are left out."""
    word = _channel(corpus.bm25.accumulate(terms.words, terms.weights) if terms.words else None, mask)
    gram = _channel(corpus.grams.accumulate(terms.grams) if terms.grams else None, mask)
    held = np.zeros(corpus.size, dtype=bool)
    for docs, _ in (word, gram):
        held[docs] = True
    rows = np.flatnonzero(held)
    if not len(rows) or k <= 0:
        return Ranked(rows[:0], np.zeros(0), np.zeros(0), np.zeros(0))
    w = _share(corpus.size, rows, *word, word_share)
    g = _share(corpus.size, rows, *gram, 1 - word_share)
    fused = w + g
    best = np.lexsort((rows, -fused))[:k]
    return Ranked(rows[best], fused[best], w[best], g[best])


def _channel(found: tuple[np.ndarray, np.ndarray] | None, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A channel's (rows, scores) within `mask`."""
    if found is None or not len(found[0]):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    docs, scores = found
    keep = mask[docs]
    return docs[keep], scores[keep]


def _share(size: int, rows: np.ndarray, docs: np.ndarray, scores: np.ndarray, weight: float) -> np.ndarray:
    """Each row's score in one channel, divided by the channel's best, times `weight`."""
    if not len(docs):
        return np.zeros(len(rows))
    dense = np.zeros(size)
    dense[docs] = scores
    top = scores.max()
    return dense[rows] * (weight / top) if top > 0 else dense[rows]
