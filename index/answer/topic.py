"""A question's topic as search terms, and how much of it an item covers.

The topic's content words are the words of one reading of it (jieba's precise mode) less the
fillers of spoken Chinese (intent.FILLERS), A-not-A forms (搞不搞) and the words that only ask
(tokenize.QUESTION_WORDS). The reading is repaired first where jieba parts from the plans: a
plan term cut across two words is put back (党 / 建有 → 党建), a filler glued to a character is
that character (弄个 → 弄), a verb said twice is said once (换换, 争一争). Each content word is one group: the word, the plans' words for it — a
synonym from the genre's table (search/synonyms.py) or, for a word no plan uses, the plan terms
it abbreviates (发改委 → 发展改革委, search/abbrev.py) — and its parts (the search-mode tokens
inside it: 农民工 → 农民, 民工; or two plan terms it abbreviates together: 综保区 → 综合 + 保税区).
Ranking uses the search-mode tokens; a compound and its parts are one group here, so that a
compound does not count three times towards "found".

Coverage decides "found" or "not covered": the share of the topic's weight an item holds. A
word the plans use weighs its idf. A word no plan uses weighs by its rarity in general Chinese
(jieba's dictionary frequencies, `unknown_weight`): an everyday word (钱, 老师) must not sink a
right answer, an unknown subject (猪瘟, 骑手) must not be ignored; an item holding a plan word
of its meaning in a general thesaurus (岔子 → 问题, search/thesaurus.py) holds most of it. A word is
held whole when the
item holds it or a plan word for it, in part when the item holds some of its parts (weighed by
idf) or, for a word no plan uses, some of its characters. `local_coverage` weighs the same
within each item's own plan, for re-ranking.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..lazy_re import lazy
from ..search.bm25 import counted_in, held_among
from ..search.corpus import Corpus
from ..search.grams import PREFIX as GRAM
from ..search.grams import grams
from ..search.postings import narrowed
from ..search.rank import Terms
from ..search.synonyms import SYNONYMS
from ..search.thesaurus import kin
from ..search.tokenize import QUESTION_WORDS
from .intent import FILLERS

SYNONYM_WEIGHT = 0.7  # a synonym's contribution to the score, the word asked counting 1
ABBREVIATION_WEIGHT = 0.9
UNKNOWN_SHARE = 0.3  # a two-character word neither the plans nor the dictionary know: this share of the rarest idf
SINGLE_CHAR_SHARE = 0.3  # a one-character word says little about a topic (来, 人, 建 …)
PART_CREDIT = 0.8  # a word held only through its parts (农民 and 民工 for 农民工) is held this much
KIN_CREDIT = 0.7  # a word held only through a thesaurus word of its meaning (岔子 → 问题)
# Only a word rarer than this in general Chinese (岔子 13.5, 文凭 11.8) is looked up: a common one
# (安排 8.9, 活动 7.7) has many senses, and its groups mix them (安排 → 配备, 活动 → 机关).
KIN_RARITY = 10.0


@dataclass(frozen=True)
class Group:
    word: str  # as the question has it
    terms: tuple[str, ...]  # the word and the plans' words for it
    grams: tuple[str, ...]  # the word's character grams
    parts: tuple[str, ...] = ()  # the search-mode tokens inside the word, itself left out
    rarity: float | None = None  # how rare the word is in general Chinese (Tokenizer.rarity)
    spelled: bool = False  # the parts are the word spelled out (综保区: 综合 + 保税区), not pieces of it
    kin: tuple[str, ...] = ()  # for a word no plan uses: the plans' words of its meaning (search/thesaurus.py)
    part_rarity: tuple[float | None, ...] = ()  # each part's rarity, for a part no plan uses


# "A 不 A" asks yes or no (搞不搞, 办不办, 有没有): it says nothing of the topic.
_A_NOT_A = lazy(r"^(.{1,2})[不没]\1")


def _filler(word: str) -> bool:
    return word in FILLERS or bool(_A_NOT_A.match(word))


def _content(word: str) -> bool:
    return not _filler(word) and word not in QUESTION_WORDS and any(ch.isalnum() for ch in word)


def _spoken(words: list[str], known: Callable[[str], float]) -> set[str]:
    """Words of the question's reading that are fillers although FILLERS does not hold them as
    jieba cut them: the halves of a filler cut apart (那 / 块 of 疫苗那块今年), and a word no plan
    uses made of fillers only (能干 = 能 + 干 in 综保区能干啥; 干些). A word a plan uses is a plan's
    word, whatever its characters (全会 = 全 + 会)."""
    out = {w for a, b in zip(words, words[1:]) if a + b in FILLERS for w in (a, b)}
    return out | {w for w in words if len(w) > 1 and not _filler(w) and not known(w) and _of_fillers(w)}


def _of_fillers(word: str) -> bool:
    """Whether `word` is a run of fillers (能干: 能 + 干; 要弄些: 要 + 弄 + 些)."""
    ends = {0}  # where a run of fillers from the start can end
    for end in range(1, len(word) + 1):
        if any(word[start:end] in FILLERS for start in ends if start < end):
            ends.add(end)
    return len(word) in ends


# jieba's HMM glues a run of characters its dictionary lacks into one "word": 要开, 弄个, 能往,
# 点要, 去念个. Such a glued word that starts with a helping verb or a preposition, or ends in a
# measure word or particle, is the content characters beside a filler, not a term.
_GLUE_HEAD = frozenset("要想能还得会可该去来给把被往在上让跟")
_GLUE_TAIL = frozenset("个了着过的里要上下点")
# A verb said twice softens it (换换, 试试; 争一争, 讲一讲): it means the verb once.
_REDOUBLED = lazy(r"^(.)\1$")
_A_ONE_A = lazy(r"([\u4e00-\u9fff])一\1")


def _pieces(word: str, corpus: Corpus, rarity: Callable[[str], float | None]) -> list[str]:
    """A word of the question's reading as the words that carry its meaning."""
    if m := _REDOUBLED.match(word):
        return [m.group(1)]
    if 2 <= len(word) <= 3 and not corpus.bm25.idf_of(word) and rarity(word) is None:  # the cheaper test first
        if word[0] in _GLUE_HEAD or word[-1] in _GLUE_TAIL:
            core = word[1:] if word[0] in _GLUE_HEAD else word
            core = core[:-1] if core and core[-1] in _GLUE_TAIL and len(core) > 1 else core
            return list(core)
    return [word]


def _mend(words: list[str], corpus: Corpus) -> tuple[list[str], set[str]]:
    """The question's reading with a plan term jieba cut across two words put back whole:
    党建有哪些 reads 党 / 建有 (建有 is a dictionary word), which the plans never write; moving
    one character over the boundary gives 党建 / 有. The one character left over (有, 上 of
    用地上) is a particle, and left out. Also the words so broken."""
    known = corpus.bm25.idf_of
    out, broken = list(words), set()
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if known(a) and known(b) or not (a and b):
            continue
        if len(b) > 1 and known(a + b[0]) and not known(b):
            out[i], out[i + 1] = a + b[0], b[1:] if len(b) > 2 else ""
        elif len(a) > 1 and known(a[-1] + b) and not known(a):
            out[i], out[i + 1] = a[:-1] if len(a) > 2 else "", a[-1] + b
        else:
            continue
        broken |= {a, b}
    return [w for w in out if w], broken - set(out)


def plan_words(corpus: Corpus, word: str) -> list[str]:
    """The plans' words for a question word: its synonyms, else (a word no plan uses) the
    plan terms it abbreviates."""
    extra = [w for w in SYNONYMS.get(word, ()) if w != word]
    if not corpus.bm25.idf_of(word) and not extra:
        extra = corpus.abbreviations().expand(word)
    return extra


def _abbreviated_pair(corpus: Corpus, word: str) -> tuple[str, str] | None:
    """Two plan terms `word` abbreviates together, written one after the other in a plan (the
    character pair where they meet is a gram of the plans)."""
    return corpus.abbreviations().expand_pair(word, lambda a, b: corpus.grams.idf_of(GRAM + a[-1] + b[0]) > 0)


def search_terms(corpus: Corpus, tokenize: Callable[[str], list[str]], cut: Callable[[str], list[str]],
                 topic: str, rarity: Callable[[str], float | None] = lambda word: None) -> tuple[list[Group], Terms]:
    """The topic's content words as groups, and the terms to rank with."""
    if "一" in topic:  # the pattern's backreference costs a scan of every question
        topic = _A_ONE_A.sub(r"\1", topic)
    mended, broken = _mend(cut(topic), corpus)
    idf = corpus.bm25.idf_of
    spoken = _spoken(mended, idf)
    words_cut = [p for w in mended if w not in spoken for p in _pieces(w, corpus, rarity)]
    tokens = [t for t in tokenize(topic) if t not in broken and t not in spoken]
    tokens += [w for w in mended if w not in tokens and w not in spoken and idf(w)]
    groups, pairs = [], []
    extras = {}  # each word's plan words, looked up once for its group and again as a token
    for word in dict.fromkeys(w for w in words_cut if _content(w)):
        parts = tuple(dict.fromkeys(p for p in tokens if p != word and p in word and _content(p)))
        extra = extras[word] = plan_words(corpus, word)
        known = idf(word)
        pair = None if extra or known else _abbreviated_pair(corpus, word)
        if pair:  # 综保区: held whole when both 综合 and 保税区 are
            parts = pair
            pairs.extend(pair)
        rare = rarity(word)
        unknown = not (extra or pair or known)
        related = kin(word, idf) if unknown and (rare or 0) >= KIN_RARITY else ()
        groups.append(Group(word, (word, *extra), tuple(grams(word)), parts, rare, spelled=bool(pair), kin=related,
                            part_rarity=tuple(rarity(p) for p in parts)))
    words, weights = pairs, [ABBREVIATION_WEIGHT] * len(pairs)
    for token in (t for t in tokens if not _filler(t)):
        words.append(token)
        weights.append(1.0)
        for term in extras[token] if token in extras else plan_words(corpus, token):
            words.append(term)
            weights.append(SYNONYM_WEIGHT if term in SYNONYMS.get(token, ()) else ABBREVIATION_WEIGHT)
    content = " ".join(" " if _filler(w) else w for w in words_cut)
    return groups, Terms(words, weights, grams(content))


def as_asked(text: str, groups: list[Group]) -> str:
    """The topic quoted back as the asker wrote it: `text` from its first content word to its
    last (防汛抗旱那一块今年有啥任务 → 防汛抗旱; 外卖骑手的社保谁管 → 外卖骑手的社保), so that a "not
    found" names what was looked for, not the fillers and asking words around it. The whole
    text, stripped, when it holds no content word as written."""
    held = [g.word for g in groups if g.word and g.word in text]
    if not held:
        return text.strip()
    return text[min(text.find(w) for w in held):max(text.rfind(w) + len(w) for w in held)]


# A word no plan uses weighs UNKNOWN_MIN of the rarest plan word's idf when it is as common in
# general Chinese as 钱 (rarity COMMON), rising to all of it when as rare as 骑手 (rarity RARE).
COMMON, RARE, UNKNOWN_MIN = 8.0, 14.0, 0.1


def unknown_weight(word: str, rarity: float | None, rarest: float) -> float:
    """The weight of a word no plan uses: by how rare it is in general Chinese, a common word
    (钱, 老师, 好处) weighing little and a rare one (猪瘟, 骑手) like the plans' rarest. A word
    the dictionary lacks is a coined term when it has three characters or more (年休假, 选调生),
    more often two characters glued by the segmenter when it has two (哪来, 活干)."""
    if rarity is None:
        return rarest if len(word) >= 3 else UNKNOWN_SHARE * rarest
    return rarest * min(1.0, max(UNKNOWN_MIN, UNKNOWN_MIN + (1 - UNKNOWN_MIN) * (rarity - COMMON) / (RARE - COMMON)))


# Coverage is worked out for the ~10 candidates a ranking re-ranks (ask._rank), in a few plans:
# on so few rows each numpy call costs more than its arithmetic, so the postings are searched
# with numpy (one call per term) and the rest is done on Python floats, operation for operation
# what the same arithmetic on float64 arrays gives: what numpy added is added in turn here, not by
# builtin sum() (from Python 3.12 it adds floats more exactly than numpy does).


class Holds:
    """Which of the candidate `rows` hold a word term, or any term of a group, and how many
    documents of each candidate's plan hold it, each term looked up once: `coverage` and
    `local_coverage` ask about the same terms of the same candidates, in one search of the
    postings for both."""

    def __init__(self, corpus: Corpus, rows: np.ndarray):
        self.index = corpus.bm25
        of_row = corpus.plan_ids[rows].tolist()
        self.plans = sorted(set(of_row))  # the candidates' plans
        self.mine = [self.plans.index(p) for p in of_row]  # each row's plan, as an index of `plans`
        self.spans = [corpus.plan_rows[p] for p in self.plans]
        self._n = len(of_row)
        # What each term's postings are searched for, once: the rows, the plans' starts, their ends.
        bounds = [start for start, _ in self.spans] + [end for _, end in self.spans]
        self.keys = narrowed(np.concatenate([rows, np.array(bounds, dtype=np.int64)]), corpus.size)
        self.docs = self.keys[:self._n]
        self._seen: dict[str | tuple[str, ...], list[bool]] = {}
        self._counts: dict[str, list[int]] = {}
        self._positions: dict[str, list] = {}

    def __call__(self, term: str) -> list[bool]:
        got = self._seen.get(term)
        if got is None:
            n = self._n
            got = self._seen[term] = held_among([(h, p[:n]) for h, p in self._searched(term)], self.docs).tolist()
        return got

    def any(self, terms: tuple[str, ...]) -> list[bool]:
        """Whether each row holds one of `terms` (a group's word and the plans' words for it)."""
        got = self._seen.get(terms)
        if got is None:
            got = self(terms[0]) if len(terms) == 1 else [any(row) for row in zip(*map(self, terms))]
            self._seen[terms] = got
        return got

    def counts(self, term: str) -> list[int]:
        """How many documents of each of `plans` hold `term` (dead ones included)."""
        got = self._counts.get(term)
        if got is None:
            n = self._n
            bounds = [(h, p[n:]) for h, p in self._searched(term)]
            got = self._counts[term] = counted_in(bounds, len(self.plans)).tolist()
        return got

    def _searched(self, term: str) -> list:
        got = self._positions.get(term)
        if got is None:
            got = self._positions[term] = self.index.positions(term, self.keys)
        return got


def coverage(corpus: Corpus, groups: list[Group], rows: np.ndarray, holds: Holds | None = None) -> list[float]:
    """For each row, the share of the topic's weight it holds (0 … 1). `holds`: `Holds(corpus, rows)`."""
    holds, index = holds or Holds(corpus, rows), corpus.bm25
    total, held = 0.0, [0.0] * len(rows)
    for group in groups:
        weight, has = _weighed(index, group, holds, lambda g: corpus.grams.contains(g, holds.docs).tolist())
        total += weight
        held = [h + weight * x for h, x in zip(held, has)]
    return [h / total for h in held] if total else [0.0] * len(rows)


def held_together(corpus: Corpus, groups: list[Group], rows: np.ndarray) -> float:
    """The share of the topic's weight that `rows` hold between them: each word counts as much
    as the row holding most of it holds (two items answering the two tasks of one question)."""
    holds, total, held = Holds(corpus, rows), 0.0, 0.0
    for group in groups:
        weight, has = _weighed(corpus.bm25, group, holds, lambda g: corpus.grams.contains(g, holds.docs).tolist())
        total, held = total + weight, held + weight * max(has, default=0.0)
    return held / total if total else 0.0


def _weighed(index, group: Group, holds: Holds, gram_contains: Callable[[str], list[bool]]
             ) -> tuple[float, list[float]]:
    """A group's weight in the topic, and how much of it each row holds (0 … 1)."""
    has = [1.0 if x else 0.0 for x in holds.any(group.terms)]
    part_idf = [(p, w) for p in group.parts if (w := index.idf_of(p))]
    weight = max((index.idf_of(t) for t in group.terms), default=0.0)
    for t in group.kin:  # held less surely than the word itself; it still weighs by its rarity
        has = [max(h, KIN_CREDIT * x) for h, x in zip(has, holds(t))]
    if part_idf and not all(has):
        parts = [0.0] * len(has)
        for p, w in part_idf:
            parts = [a + w * x for a, x in zip(parts, holds(p))]
        whole = sum(w for _, w in part_idf) + sum(_unused_parts(index, group))
        # A dictionary word no plan uses names something else than its parts (公务员 is not 公务).
        foreign = not weight and group.rarity is not None
        credit = 1.0 if group.spelled else PART_CREDIT / 2 if foreign else PART_CREDIT
        has = [max(h, credit * (a / whole)) for h, a in zip(has, parts)]
        if not foreign:
            weight = weight or max(w for _, w in part_idf)
    if not weight:
        weight = unknown_weight(group.word, group.rarity, index.max_idf or 1.0)
        if group.grams and not all(has):
            counts = [0] * len(has)
            for g in group.grams:
                counts = [a + x for a, x in zip(counts, gram_contains(g))]
            has = [max(h, a / len(group.grams)) for h, a in zip(has, counts)]
    if len(group.word) == 1:
        weight *= SINGLE_CHAR_SHARE
    return weight, has


def _unused_parts(index, group: Group) -> list[float]:
    """The weights of a word's parts that no plan uses and that no part a plan uses overlaps:
    无偿 alone is not 无偿献血 where no plan says 献血, so 献血 weighs in the whole, by its general
    rarity as a word no plan uses does; but 班费 inside 加班费 is an accident of the search-mode
    cut across 加班, not a part of its meaning."""
    used = [(at, at + len(p)) for p in group.parts if index.idf_of(p) and (at := group.word.find(p)) >= 0]
    rarities = group.part_rarity or (None,) * len(group.parts)
    weights = []
    for p, r in zip(group.parts, rarities):
        at = group.word.find(p)
        if at >= 0 and not index.idf_of(p) and all(at + len(p) <= a or b <= at for a, b in used):
            weights.append(unknown_weight(p, r, index.max_idf or 1.0))
    return weights


def local_coverage(corpus: Corpus, groups: list[Group], rows: np.ndarray, holds: Holds | None = None
                   ) -> list[float]:
    """For each row, the share of the topic it holds weighed within its own plan: a word every
    item of the plan holds (its subject: 网站 and 集约化 in a plan on 网站集约化) says nothing
    about which of its items answers; a word few of them hold says most."""
    if not groups or not len(rows):  # nothing asked weighs anything: every row holds all of it
        return [1.0] * len(rows)
    holds = holds or Holds(corpus, rows)
    spans, mine = holds.spans, holds.mine
    # The rows of each plan holding a group's word: those holding its commonest term, a lower
    # bound that spares a union of postings. One log for all groups' weights in all plans.
    df = [_most_held(holds, group.terms) for group in groups]
    logs = np.log([[(end - start + 1) / (d + 0.5) for (start, end), d in zip(spans, counts)] for counts in df])
    # A word the plan never uses but another plan does weighs as the plan's rarest: the plan
    # lacks it, and every item of it misses it (易地扶贫搬迁搞得好的激励: the county plan's 搬迁
    # item holds all of the question that plan uses, but never 激励, which the 督查激励 notice
    # speaks of). A word no plan uses weighs nothing here: it tells no plan from another.
    used = [any(corpus.bm25.idf_of(t) for t in group.terms) for group in groups]
    weights = [[w if d > 0 or u else 0.0 for w, d in zip(row, counts)] for row, counts, u in zip(logs.tolist(), df, used)]
    total, held = [0.0] * len(spans), [0.0] * len(rows)
    for group, weight in zip(groups, weights):
        total = [a + w for a, w in zip(total, weight)]
        held = [h + weight[m] * x for h, m, x in zip(held, mine, holds.any(group.terms))]
    return [h / total[m] if total[m] > 0 else 1.0 for h, m in zip(held, mine)]


def _most_held(holds: Holds, terms: tuple[str, ...]) -> list[int]:
    """Per plan of the candidates, the most documents holding any one of `terms`."""
    df = holds.counts(terms[0])
    for t in terms[1:]:
        df = [max(a, b) for a, b in zip(df, holds.counts(t))]
    return df
