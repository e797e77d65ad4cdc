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
from .grams import coded_grams, gram_strings, shifted
from .tokenize import Tokenizer, normalize


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
    """Each item's character grams, counted like its words: text, title, headings (the bag
    bag_of_words makes of their bare_grams, each gram prefixed)."""
    texts = list(texts)
    parts = [normalize(s) for item in texts for s in item]
    # The plan as one text: "\n", which no gram holds, keeps each part's grams to itself.
    where, codes, runs = coded_grams("\n".join(parts))
    item_lens = np.fromiter(map(len, parts), np.int64, len(parts)).reshape(-1, 3).sum(axis=1) + 3
    item = np.searchsorted(np.cumsum(item_lens), where, "right")
    vocab, bag = counted_codes(codes, item, len(texts))
    bag.vocab = gram_strings(vocab, runs)
    return bag


# Each gram's code and position packed into one int64 (code above, position below) sort in C
# by code then position: a stable sort for the price of a plain one.
_POS_BITS = 31


def counted_codes(codes: np.ndarray, item: np.ndarray, n_items: int) -> tuple[np.ndarray, Bag]:
    """The bag of codes (int64 < 2**32, in order; `item`: which item each is of, ascending) as
    bag_of_words makes it of strings, its vocab the distinct codes in first-seen order (given
    apart, for the caller to name)."""
    n = len(codes)
    packed = np.sort(codes << _POS_BITS | np.arange(n))
    code, pos = packed >> _POS_BITS, packed & ((1 << _POS_BITS) - 1)
    in_item = item[pos]
    new_code = np.ones(n, dtype=bool)
    new_code[1:] = code[1:] != code[:-1]
    new_entry = new_code.copy()  # a new (code, item): items ascend with positions
    new_entry[1:] |= in_item[1:] != in_item[:-1]
    entry_at, term_at = np.flatnonzero(new_entry), np.flatnonzero(new_code)
    term_of_entry = np.cumsum(new_code)[entry_at] - 1
    term_order = _by_first(pos[term_at])  # terms and entries in the order first seen
    entry_order = _by_first(pos[entry_at])
    ids = np.empty(len(term_at), dtype=np.int32)
    ids[term_order] = np.arange(len(term_at), dtype=np.int32)
    ends = shifted(entry_at, -1)
    ends[-1:] = n
    counts = ends - entry_at
    return code[term_at[term_order]], Bag(
        [], ids[term_of_entry[entry_order]], counts[entry_order].astype(np.int32),
        np.bincount(in_item[entry_at], minlength=n_items).astype(np.int32),
        np.bincount(item, minlength=n_items).astype(np.int32))


def _by_first(first: np.ndarray) -> np.ndarray:
    """The order that sorts distinct positions (< 2**31): packed with their index, one plain sort."""
    return np.sort(first << 32 | np.arange(len(first))) & 0xFFFFFFFF


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
