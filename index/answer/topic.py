"""A question's topic as search terms, and how much of it an item covers.

The topic's content words are its words less the fillers of spoken Chinese (intent.FILLERS).
Each content word brings the words the plans use for it: a synonym from the genre's table
(search/synonyms.py), or — for a word no plan uses — the plan terms it abbreviates (综保区 →
综合保税区, search/abbrev.py). The character grams of the content words feed the second channel.

Coverage decides "found" or "not covered": the share of the topic's weight an item holds. A
content word weighs its idf (rare words say more); a word no plan uses weighs like a typical
one (UNKNOWN_SHARE of the rarest), not like the rarest — a colloquial word must not sink a right
answer — and counts as held in part when the item holds part of its characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..search.corpus import Corpus
from ..search.grams import grams
from ..search.rank import Terms
from ..search.synonyms import SYNONYMS
from .intent import FILLERS

SYNONYM_WEIGHT = 0.7  # a synonym's contribution to the score, the word asked counting 1
ABBREVIATION_WEIGHT = 0.9
UNKNOWN_SHARE = 0.3  # a word no plan uses weighs this share of the rarest word's idf
SINGLE_CHAR_SHARE = 0.3  # a one-character word says little about a topic (来, 人, 建 …)


@dataclass(frozen=True)
class Group:
    word: str  # as the question has it
    terms: tuple[str, ...]  # the word and the plans' words for it
    grams: tuple[str, ...]  # the word's character grams


def search_terms(corpus: Corpus, tokenize: Callable[[str], list[str]], cut: Callable[[str], list[str]],
                 topic: str) -> tuple[list[Group], Terms]:
    """The topic's content words as groups, and the terms to rank with."""
    index = corpus.bm25
    groups = []
    for word in (t for t in tokenize(topic) if t not in FILLERS):
        extra: list[str] = [w for w in SYNONYMS.get(word, ()) if w != word]
        if not index.idf_of(word) and not extra:
            extra = corpus.abbreviations().expand(word)
        groups.append(Group(word, (word, *extra), tuple(grams(word))))
    words, weights = [], []
    for g in groups:
        for n, term in enumerate(g.terms):
            words.append(term)
            weights.append(1.0 if n == 0 else (SYNONYM_WEIGHT if term in SYNONYMS.get(g.word, ()) else ABBREVIATION_WEIGHT))
    content = " ".join(" " if w in FILLERS else w for w in cut(topic))
    return groups, Terms(words, weights, grams(content))


def coverage(corpus: Corpus, groups: list[Group], rows: np.ndarray) -> np.ndarray:
    """For each row, the share of the topic's weight it holds (0 … 1)."""
    index, by_gram = corpus.bm25, corpus.grams
    unknown = UNKNOWN_SHARE * (index.max_idf or 1.0)
    total = 0.0
    held = np.zeros(len(rows))
    for group in groups:
        weight = max((index.idf_of(t) for t in group.terms), default=0.0)
        has = np.zeros(len(rows))
        for t in group.terms:
            has = np.maximum(has, index.contains(t, rows))
        if not weight:
            weight = unknown
        if len(group.word) == 1:
            weight *= SINGLE_CHAR_SHARE
        if not index.idf_of(group.word) and not has.all():
            if group.grams:
                parts = sum(by_gram.contains(g, rows).astype(float) for g in group.grams) / len(group.grams)
                has = np.maximum(has, parts)
        total += weight
        held += weight * has
    return held / total if total else np.zeros(len(rows))
