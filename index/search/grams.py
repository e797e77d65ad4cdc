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

from operator import add

import numpy as np

from ..lazy_re import lazy
from .tokenize import normalize

PREFIX = "#"
_RUN = lazy(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


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


# -- a plan's grams as numbers -----------------------------------------------------------------
# Counting a plan's ~7,000 grams one string at a time (bare_grams, then Counters) was ~60% of
# `prepare`. As numbers, numpy finds, sorts and counts them in C, and only each distinct gram of
# the plan becomes a string. A code is a pair of Chinese characters (each as its index in
# _CJK, 15 bits), LONE + a lone one, or RUN + the index of a letter/digit run.
_CJK = np.r_[0x3400:0xA000, 0xF900:0xFB00]  # _RUN's Chinese characters
_CHAR = np.concatenate(([0], _CJK)).astype(np.uint32)  # index → character
_CLASS = np.zeros(0x10000, np.int64)  # character → its index (1 on), -1 for a-z0-9, 0 else
_CLASS[_CJK] = np.arange(1, len(_CJK) + 1)
_CLASS[[ord(c) for c in "abcdefghijklmnopqrstuvwxyz0123456789"]] = -1
LONE, RUN = 1 << 30, 1 << 31
_LETTERS_DIGITS = lazy(r"[a-z0-9]+")


def coded_grams(text: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """bare_grams of an already normalized text as codes: (where each gram starts, its code,
    the letter/digit runs that codes from RUN on index), in the order bare_grams gives them."""
    # surrogatepass: a lone surrogate (a badly decoded file) is a character like any other
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    cls = _CLASS[np.minimum(chars, 0xFFFF)]  # nothing past U+FFFF is a gram's
    cjk, alnum = cls > 0, cls < 0
    before, after = shifted(cjk, 1), shifted(cjk, -1)
    pair, run = cjk & after, alnum & ~shifted(alnum, 1)
    where = np.flatnonzero(pair | (cjk & ~before & ~after) | run)
    codes = np.where(pair, cls << 15 | shifted(cls, -1), cls + LONE)[where]
    at_run = run[where]
    if not at_run.any():
        return where, codes, []
    runs: dict[str, int] = {}
    codes[at_run] = RUN + np.array([runs.setdefault(r, len(runs)) for r in _LETTERS_DIGITS.findall(text)])
    return where, codes, list(runs)


def shifted(a: np.ndarray, by: int) -> np.ndarray:
    """`a` moved `by` places (1: each place holds the one before it, -1: the one after), zero
    where nothing moves in: a slice copy, where np.insert / np.append cost ~20 µs of Python a
    call, which a small plan's grams notice."""
    out = np.zeros_like(a)
    if by > 0:
        out[by:] = a[:-by]
    else:
        out[:by] = a[-by:]
    return out


def gram_strings(codes: np.ndarray, runs: list[str]) -> list[str]:
    """The gram each code stands for, prefixed: built as one UTF-32 text, "#ab\\n" a pair,
    "#a\\n" a lone character (NUL marks the unused place, which no gram holds), runs put in after."""
    pair, single = codes < LONE, codes < RUN
    rows = np.zeros((len(codes), 4), dtype=np.uint32)
    rows[:, 0], rows[:, 3] = ord(PREFIX), ord("\n")
    rows[:, 1] = np.where(single, _CHAR[np.where(pair, codes >> 15, codes) & 0x7FFF], 0)
    rows[:, 2] = np.where(pair, _CHAR[codes & 0x7FFF], 0)
    flat = rows.ravel()
    out = flat[flat != 0].tobytes().decode("utf-32-le").split("\n")[:-1]
    for i in np.flatnonzero(~single).tolist():
        out[i] = PREFIX + runs[codes[i] - RUN]
    return out
