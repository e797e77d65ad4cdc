"""Abbreviations: a word people type (综保区, 发改委, 人社局, 职教, 博后) found as the full term a
plan writes (综合保税区, 国家发展改革委, 县人力资源和社会保障局, 职业教育, 博士后).

Chinese abbreviations are made by keeping a character of each part, in order: 综合·保税·区 →
综保区, 人力资源·社会保障·部 → 人社部, 住房·城乡·建设·部 → 住建部 (a part may be left out).
So a word no plan uses is matched against the plans' own vocabulary: a term abbreviates to it
when the word's characters appear in the term in order, the first near the term's start (after
a prefix such as 国家 or 县) and the last at its end. No list of abbreviations is kept: they are
found among whatever terms the plans at hand use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from ..lazy_re import lazy

_HAN = lazy(r"^[\u4e00-\u9fff]{2,5}$")
# A level written before a unit's own name, which abbreviations leave out: 国家发展改革委 → 发改委.
LEVEL = lazy(r"^(?:中共|中国)?(?:国务院|国家|全国|省委|市委|县委|区委|州委|省|市|县|区|州|盟|旗|乡|镇|街道)+")
_MAX_RATIO = 4  # a term at most this many times the word's length
MAX_EXPANSIONS = 4


class Abbreviations:
    """The plain terms of a vocabulary, indexed by character, to expand abbreviations with."""

    def __init__(self, terms: Iterable[str]):
        self._by_char: dict[str, set[str]] = {}
        for term in terms:
            if 2 <= len(term) <= 20 and not term[0] in "#@" and _HAN.match(term[:5]):
                for ch in set(term):
                    self._by_char.setdefault(ch, set()).add(term)

    def expand(self, word: str) -> list[str]:
        """The terms `word` may abbreviate, or that are `word` with a level before it (人社局 →
        县人社局), shortest first (at most MAX_EXPANSIONS)."""
        if not _HAN.match(word):
            return []
        found = None
        for ch in set(word):
            holders = self._by_char.get(ch)
            if not holders:
                return []
            found = holders if found is None else found & holders
        hits = [t for t in found or () if t != word and (abbreviates(word, t) or LEVEL.sub("", t) == word)]
        return sorted(hits, key=lambda t: (len(t), t))[:MAX_EXPANSIONS]


    def expand_pair(self, word: str, joined: Callable[[str, str], bool]) -> tuple[str, str] | None:
        """Two terms that together `word` abbreviates, when no single term does: a tokenizer
        that cuts 综合保税区 into 综合 / 保税区 leaves no one term for 综保区. `joined(a, b)`
        says whether the plans write a right before b. The shortest pair, or None."""
        if not _HAN.match(word) or len(word) < 3:
            return None
        middle = set(word[1:-1])
        firsts = [t for t in self._by_char.get(word[0], ()) if LEVEL.sub("", t)[:1] == word[0] and t != word]
        lasts = [t for t in self._by_char.get(word[-1], ()) if t.endswith(word[-1]) and middle & set(t)]
        # Each part gives its first character (综合 → 综, 保税区 → 保 … 区), as in abbreviates,
        # and neither is in the word whole (老规矩 is 老 + 规矩, not an abbreviation).
        lasts = [t for t in lasts if t[0] in word[1:] and not abbreviates(word, t)]
        pairs = [(a, b) for b in lasts for a in firsts
                 if len(a) + len(b) <= _MAX_RATIO * len(word) and a not in word and b not in word
                 and _split(word, a, b) and joined(a, b)]
        return min(pairs, key=lambda p: (len(p[0]) + len(p[1]), p)) if pairs else None


def _split(word: str, a: str, b: str) -> bool:
    """Whether `word` is a head taken from `a` (starting it) and a tail from `b` (starting it
    too), each in order, the tail's last character ending `b`."""
    for i in range(1, len(word)):
        if word[i] == b[0] and _in_order(word[:i], LEVEL.sub("", a)) and _in_order(word[i:], b):
            return True
    return False


def _in_order(chars: str, term: str) -> bool:
    pos = 0
    for ch in chars:
        pos = term.find(ch, pos)
        if pos < 0:
            return False
        pos += 1
    return True


@lru_cache(maxsize=1 << 15)
def without_level(name: str) -> str:
    """A unit's name without its level (县教育局 → 教育局). Kept per name: a unit's task list
    compares the question with the plans' units (624 in the 100,000-item bench), and the
    regular expression was most of its time."""
    return LEVEL.sub("", name)


def abbreviates(word: str, term: str) -> bool:
    """Whether `term` is a full form of `word`: `word`'s characters in order in `term`, the
    first starting it (after a level such as 国家 or 县), the last among its last two."""
    if word[0] != term[0]:
        term = without_level(term)
    if not (len(word) < len(term) <= _MAX_RATIO * len(word)) or word[0] != term[0]:
        return False
    return word[-1] in term[-2:] and _in_order(word[1:], term[1:])


def plain_terms(vocab: Mapping[str, int], units_too: bool = True) -> Iterable[str]:
    """The vocabulary's words (and unit names without their "@"), leaving out grams."""
    for term in vocab:
        if term.startswith("@"):
            if units_too:
                yield term[1:]
        elif not term.startswith("#"):
            yield term
