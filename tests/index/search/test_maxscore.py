"""index/search/maxscore.py: the pruned ranking (`rank.rank`), and its unpruned scoring
(`rank._scored`), return exactly what scoring every posting (`rank.rank_full`) does — the same rows, the same floats, the same order of ties — on
random corpora (grown block by block, with rows dropped, masked, k from 1 to 25) and on the
question sets' questions over the real plans; and the bounds it prunes with are bounds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.answer.topic import search_terms
from planbot.index.search import bm25, maxscore
from planbot.index.search import rank as ranking
from planbot.index.search.rank import WORD_SHARE, Terms, rank, rank_full
from tests.index import question_sets as qs

HERE = Path(__file__).resolve().parents[1]
NEVER = 10**12  # prune_from no question reaches: `rank` scores every posting its own way
# (rank._compiled where the C kernel is built, as in CI; rank._scored without it, checked here too)


def _numpy(corpus, terms: Terms, mask: np.ndarray, k: int):
    """rank._scored, the ranking without the C kernel (an install without a compiler)."""
    return ranking._scored(corpus, terms, mask, k, WORD_SHARE, ranking._span(mask))


def _chunked(corpus, terms: Terms, mask: np.ndarray, k: int):
    """The C kernel adding up 3 rows at a time: every chunk boundary of a big corpus, in a small one."""
    return ranking._compiled(corpus, terms, mask, k, WORD_SHARE, ranking._span(mask), chunk=3)


def _skipping(corpus, terms: Terms, mask: np.ndarray, k: int, share: float):
    """The C kernel skipping every term it may (any number of postings) whose bound, with the
    other skipped terms', is at most `share` of its channel's highest: 0.5 as the engine does
    (where it skips), 10 nearly every term, so that its checks fail and skipped terms are
    added after all. No budget of look-ups: a small corpus's few postings would allow few."""
    return ranking._compiled(corpus, terms, mask, k, WORD_SHARE, ranking._span(mask), chunk=3, skip_share=share,
                             skip_from=0, skip_ratio=0, lookup_cost=0)


def _same(a, b) -> None:
    for name in ("rows", "scores", "words", "grams"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.shape == y.shape and np.array_equal(x, y), name  # bit for bit


# -- random corpora ---------------------------------------------------------------------------
# Few terms and short documents: many rows tie, also at the k-th place. Some terms common,
# some rare (drawn from a skewed list), so that the pruning has terms to skip in both channels.
WORDS = st.sampled_from("甲 甲 甲 甲 乙 乙 乙 丙 丙 丁 戊 己 庚 辛".split())
GRAMS = st.sampled_from("#甲乙 #甲乙 #甲乙 #乙丙 #乙丙 #丙丁 #丁戊 #戊己 #x".split())
DOC = st.tuples(st.lists(WORDS, max_size=8), st.lists(GRAMS, max_size=10))


def _term_counts(docs: list[list[str]], vocab: dict[str, int]) -> bm25.TermCounts:
    bags = [Counter(d) for d in docs]
    ids = [vocab[t] for b in bags for t in b]
    return bm25.from_bags(vocab, np.asarray(ids, dtype=np.int32), np.asarray([c for b in bags for c in b.values()], dtype=np.int32),
                          [len(b) for b in bags], [len(d) for d in docs])


def _index(docs: list[list[str]], vocab: dict[str, int], cuts: list[int], dropped: list[int]) -> bm25.BM25:
    """BM25 over `docs` grown in pieces (cut at `cuts`), then the pieces numbered in `dropped` removed."""
    bounds = [0, *sorted(set(c for c in cuts if 0 < c < len(docs))), len(docs)]
    pieces = [(a, b) for a, b in zip(bounds, bounds[1:])]
    index = bm25.build(_term_counts(docs[:pieces[0][1]], vocab), "plus")
    for a, b in pieces[1:]:
        index = index.extend(_term_counts(docs[a:b], vocab))
    for n in dropped:
        if n < len(pieces) and len(pieces) > 1:
            a, b = pieces[n]
            index = index.drop(np.arange(a, b), _term_counts(docs[a:b], vocab).term_ids.astype(np.int64))
    return index


def _corpus(docs, cuts, dropped) -> SimpleNamespace:
    """What ranking reads of a corpus: its two indexes, over the same rows."""
    words, grams = [d[0] for d in docs], [d[1] for d in docs]
    vocab = {t: i for i, t in enumerate(sorted({t for d in words + grams for t in d} | {"未知"}))}
    return SimpleNamespace(bm25=_index(words, vocab, cuts, dropped), grams=_index(grams, vocab, cuts, dropped),
                           size=len(docs))


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(DOC, min_size=1, max_size=80), data=st.data())
def test_pruned_ranking_is_the_full_ranking_on_random_corpora(docs, data):
    cuts = data.draw(st.lists(st.integers(1, 40), max_size=4))
    corpus = _corpus(docs, cuts, data.draw(st.lists(st.integers(0, 4), max_size=2)))
    words = data.draw(st.lists(st.one_of(WORDS, st.just("未知")), max_size=7))
    weights = data.draw(st.lists(st.sampled_from([1.0, 0.7, 0.9]), min_size=len(words), max_size=len(words)))
    terms = Terms(words, weights, data.draw(st.lists(st.one_of(GRAMS, st.just("#未")), max_size=8)))
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(docs), max_size=len(docs)))) & corpus.bm25.live
    for k in (data.draw(st.integers(1, 25)), 1, 10):
        _same(rank(corpus, terms, mask, k, prune_from=0), rank_full(corpus, terms, mask, k))
        _same(rank(corpus, terms, mask, k, prune_from=NEVER), rank_full(corpus, terms, mask, k))
        _same(_numpy(corpus, terms, mask, k), rank_full(corpus, terms, mask, k))
        if ranking._kernel:
            _same(_chunked(corpus, terms, mask, k), rank_full(corpus, terms, mask, k))
            for share in (0.5, 1.0, 10.0):
                _same(_skipping(corpus, terms, mask, k, share), rank_full(corpus, terms, mask, k))


@settings(max_examples=300, deadline=None)
@given(docs=st.lists(DOC, min_size=1, max_size=80), data=st.data())
def test_top_of_both_channels_at_once_is_sorting_every_fused_score(docs, data):
    """maxscore.top on fresh channels (no top 1 first: terms of the two channels taken in turn)
    against every row's score computed as full scoring adds it up."""
    corpus = _corpus(docs, data.draw(st.lists(st.integers(1, 80), max_size=3)), [])
    words = data.draw(st.lists(WORDS, max_size=6))
    grams = data.draw(st.lists(GRAMS, max_size=6))
    factors = [data.draw(st.floats(0.05, 2.0)) for _ in range(2)]
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(docs), max_size=len(docs))))
    k = data.draw(st.integers(1, 25))
    parts = [maxscore.Part.of(corpus.bm25, words, [1.0] * len(words)).times(factors[0]),
             maxscore.Part.of(corpus.grams, grams).times(factors[1])]
    channels = [maxscore.Channel(p, mask) for p in parts]
    try:
        rows, scores, _ = maxscore.top(channels, k)
    finally:
        for c in channels:
            c.close()
    total, held = np.zeros(len(docs)), np.zeros(len(docs), dtype=bool)
    for p, query in zip(parts, (words, grams)):
        reached, sums = p.index.accumulate(query)
        share = np.zeros(len(docs))
        share[reached] = sums * p.factor
        total, held[reached] = total + share, True
    want = bm25.top_k(total, k, held & mask)
    assert list(rows) == list(want) and np.array_equal(scores, total[want])


@settings(max_examples=150, deadline=None)
@given(docs=st.lists(DOC, min_size=1, max_size=40), data=st.data())
def test_bounds_hold_every_weight(docs, data):
    corpus = _corpus(docs, data.draw(st.lists(st.integers(1, 40), max_size=4)), [])
    for index in (corpus.bm25, corpus.grams):
        rows = np.flatnonzero(index.df > 0)
        if not len(rows):
            continue
        q = index.idf[rows] * data.draw(st.sampled_from([1.0, 0.7]))
        bound = index.bounds(rows, q)
        for row, b, f in zip(rows, bound, q):
            for block in index.blocks:
                held, tf = block.find(int(row))
                assert (index.saturation(tf.astype(float), index.norm[held.astype(np.intp)]) * f <= b).all()


def test_postings_are_narrow():
    corpus = _corpus([(["甲", "乙", "甲"], ["#甲乙"]), (["乙"], ["#x"])] * 30, [20, 40], [])
    for index in (corpus.bm25, corpus.grams):
        for block in index.blocks:
            assert block.docs.dtype == np.int32 and block.tf.dtype == np.uint16


# -- the real plans ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = qs.open_engine(Path(tmp_path_factory.mktemp("pruned")))
    yield e
    e.close()


def _questions() -> list[str]:
    """The development sets' questions (never the holdout) and questions.tsv's."""
    out = [q.text for name in ("corpus", "seed") for q in qs.load(qs.SETS[name])]
    lines = (HERE / "questions.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return out + [line.split("\t")[0] for line in lines if line.strip()]


# One test per mask, so that the test workers share them out (all of them in one took ~25 s).
MASKS = {"items": lambda c: c.mask(("item",)), "sections": lambda c: c.mask(("section",)),
         "every kind": lambda c: c.mask(("item", "section", "preamble", "closing")),
         **{f"plan {i + 1}": (lambda c, i=i: c.mask(("item",), list(c.plan_rows)[i])) for i in range(3)}}


@pytest.mark.parametrize("mask_of", MASKS.values(), ids=MASKS.keys())
def test_pruned_ranking_is_the_full_ranking_on_the_question_sets(engine, mask_of):
    snap = engine._snapshot()
    c = snap.corpus
    mask = mask_of(c)
    checked, skipped = 0, Counter()
    for question in _questions():
        _, terms = search_terms(c, snap.tokenize, snap.cut, question, snap.rarity)
        for k in (1, 3, 10, 25):
            full = rank_full(c, terms, mask, k)
            _same(rank(c, terms, mask, k, prune_from=0), full)
            _same(rank(c, terms, mask, k, prune_from=NEVER), full)
            if k == 10:  # the other ways, at one k (every k: the random corpora above)
                _same(_numpy(c, terms, mask, k), full)
            if ranking._kernel and k in (1, 10):
                _same(_chunked(c, terms, mask, k), full)
                for share in (0.5, 10.0):
                    _same(_skipping(c, terms, mask, k, share), full)
                    last = ranking._kernel.last()
                    skipped[share, "kept skipping"] += last["skipped"] > 0
                    skipped[share, "added after all"] += last["taken"] > 0
            checked += 1
    assert checked > 1000
    if ranking._kernel and mask_of is MASKS["items"]:  # both ways of the kernel's pruning, many times each
        assert min(skipped.values()) > 20, skipped


@settings(max_examples=300, deadline=None)
@given(st.lists(st.booleans(), min_size=1, max_size=40), st.integers(0, 40), st.integers(0, 40))
def test_span_is_the_rows_from_the_first_to_the_last_when_at_most_half(bits, a, b):
    """rank._span: where _scored counts rows from (a plan's), or None (all rows)."""
    from planbot.index.search.rank import _span

    mask = np.zeros(len(bits), dtype=bool)
    mask[min(a, b):max(a, b)] = bits[min(a, b):max(a, b)]
    held = np.flatnonzero(mask)
    got = _span(mask)
    if not len(held):
        assert got is not None and got[0] == got[1]
        return
    first, end = int(held[0]), int(held[-1]) + 1
    assert got == ((first, end) if 2 * (end - first) <= len(mask) else None)


@pytest.mark.parametrize("words, grams", [(["甲", "乙", "丙", "甲"], ["#甲乙", "#乙丙"]), (["甲", "乙"], []),
                                          ([], ["#甲乙", "#乙丙", "#甲乙"])])
def test_the_kernel_skips_a_common_term_and_ranks_the_same(words, grams):
    """甲 and #甲乙 in every row (a bound near 0), the others in few: the kernel leaves the
    common ones' postings unread, and the answer is rank_full's, bit for bit, also with many
    rows tied (every 17th row alike but for 甲's count), within a plan's span, every other row,
    and with k past the rows reached (then it must add 甲 after all)."""
    if not ranking._kernel:
        pytest.skip("the C kernel is not built")
    docs = [(["甲"] * (1 + i % 3) + ["乙"] * (i % 17 == 0) + ["丙"] * (i % 29 == 0),
             ["#甲乙"] + ["#乙丙"] * (i % 13 == 0)) for i in range(400)]
    corpus = _corpus(docs, [150, 300], [])
    terms = Terms(words, [1.0, 0.7, 1.0, 1.0][:len(words)], grams)
    every, other, span = np.ones(400, dtype=bool), np.arange(400) % 2 == 0, np.zeros(400, dtype=bool)
    span[120:260] = True
    stats = []
    for mask in (every, other, span):
        for k in (1, 3, 10, 15, 400):
            got = ranking._compiled(corpus, terms, mask, k, WORD_SHARE, ranking._span(mask), skip_from=0,
                                        skip_ratio=0, lookup_cost=0)
            stats.append(ranking._kernel.last())
            _same(got, rank_full(corpus, terms, mask, k))
    assert all(s["pruned"] for s in stats)
    assert sum(s["skipped"] > 0 for s in stats) >= 6 and any(s["taken"] for s in stats)
