"""Items → bags of words: the tokens search counts for each item of a plan.

An item is searched by its text and, counted again, its title and its ancestors' titles (a
word in a heading says more about the item than the same word deep in its text).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import chain

import numpy as np

from .blob import Bag
from .grams import PREFIX, bare_grams
from .tokenize import Tokenizer


def item_texts(items) -> list[tuple[str, str, str]]:
    """What each item is tokenized from: (text, title, its ancestors' titles joined)."""
    return [(item.text, item.title, " ".join(h.title for h in item.ancestors)) for item in items]


def tokenize_items(tokenize: Tokenizer, texts: Iterable[tuple[str, str, str]]) -> Bag:
    """Each item's tokens: its text, then its title and its ancestors' titles again. The
    headings of a section are shared by all its items, so each distinct one is tokenized
    once; a title that begins its text is cut once for both (Tokenizer.with_prefix)."""
    heads_memo: dict[str, list[str]] = {}

    def tokens(text: str, title: str, heads: str) -> list[str]:
        if heads not in heads_memo:
            heads_memo[heads] = tokenize(heads) if heads else []
        in_text, in_title = tokenize.with_prefix(text, title)
        return in_text + in_title + heads_memo[heads]

    return bag_of_words(tokens(*t) for t in texts)


def gram_items(texts: Iterable[tuple[str, str, str]]) -> Bag:
    """Each item's character grams, counted like its words: text, title, headings."""
    memo: dict[str, list[str]] = {}

    def heads_of(heads: str) -> list[str]:
        if heads not in memo:
            memo[heads] = bare_grams(heads)
        return memo[heads]

    bag = bag_of_words(bare_grams(text) + bare_grams(title) + heads_of(heads) for text, title, heads in texts)
    bag.vocab = [PREFIX + g for g in bag.vocab]  # each distinct gram prefixed once
    return bag


def bag_of_words(token_lists: Iterable[Sequence[str]]) -> Bag:
    # Counter counts in C and keeps first-seen order, so the terms of all items in turn, first
    # seen first, are the ids counting token by token would give; each step below runs in C
    # (a Python loop over every item's terms was ~5% of a worker's time).
    items = list(token_lists)
    local = [Counter(tokens) for tokens in items]
    vocab = list(dict.fromkeys(chain.from_iterable(local)))
    index = dict(zip(vocab, range(len(vocab))))
    ids = map(index.__getitem__, chain.from_iterable(local))
    counts = chain.from_iterable(c.values() for c in local)
    return Bag(vocab, *(np.fromiter(a, dtype=np.int32) for a in (ids, counts, map(len, local), map(len, items))))
