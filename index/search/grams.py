"""Character n-grams: the second search channel, which needs no dictionary.

Words fail where the two sides cut a text differently: a plan's 对河长制湖长制 becomes 对河 /
长制 / 湖长制 while a question's 河长制 stays whole, and a word the tokenizer has never seen
(a colloquial compound, a term of one plan) meets nothing. Every text is also counted as the
pairs of adjacent Chinese characters it holds (河长, 长制, …): two texts about the same thing
share most of their pairs however each was cut. Runs of letters and digits (PPP, 5G, 1+X's
1 and x) are kept whole. A lone Chinese character between punctuation counts as itself.

Grams live in the same term table as words, told apart by a leading "#", which no word token
can carry (tokenize.py drops punctuation tokens).
"""

from __future__ import annotations

import re
from operator import add

from .tokenize import normalize

PREFIX = "#"
_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def grams(text: str) -> list[str]:
    """The character bigrams of a text's Chinese runs, and its letter/digit runs whole."""
    return [PREFIX + g for g in bare_grams(text)]


def bare_grams(text: str) -> list[str]:
    """`grams` without the prefix: for counting many texts, which prefix each distinct gram
    once (bags.gram_items) instead of every occurrence."""
    out: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if run[0].isascii() or len(run) == 1:
            out.append(run)
        else:
            out += map(add, run, run[1:])  # each pair of adjacent characters, built in C
    return out
