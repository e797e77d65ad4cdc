"""index/search/bm25.py against rank-bm25 itself: the same scores to 1e-9 for every variant, and
the fast top-k (`BM25.top`) ranking exactly like sorting the full score array."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import rank_bm25
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.prepare import prepare
from planbot.index.search import bm25 as rank
from planbot.index.search.bags import bag_of_words, tokenize_items
from planbot.index.search.tokenize import Tokenizer

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = {"okapi": rank_bm25.BM25Okapi, "plus": rank_bm25.BM25Plus, "l": rank_bm25.BM25L}
QUESTIONS = ["干部培训谁负责", "乡村旅游精品线路哪个部门牵头", "农村饮水安全什么时候完成", "发展党员",
             "人才工作", "村干部培训", "垃圾 污水 厕所", "不存在的词语"]


@pytest.fixture(scope="module")
def tokenizer() -> Tokenizer:
    return Tokenizer()


@pytest.fixture(scope="module")
def sample_docs(tokenizer) -> list[list[str]]:
    """The bundled plans' items, tokenized the way the engine stores them."""
    docs = []
    for path in sorted((ROOT / "plan_texts").glob("*.txt")):
        plan = prepare(parse_plan(path.read_text(encoding="utf-8"), path.name))
        bag = tokenize_items(tokenizer, plan.texts)
        start = 0
        for n, length in zip(bag.n_terms, bag.doc_len):
            ids, counts = bag.ids[start:start + n], bag.counts[start:start + n]
            docs.append([bag.vocab[i] for i, c in zip(ids, counts) for _ in range(c)])
            start += n
            assert len(docs[-1]) == length
    return docs


def count_terms(docs: list[list[str]]) -> rank.TermCounts:
    """Token lists as the counts BM25 is built from, through the live path (bags of words)."""
    bag = bag_of_words(docs)
    return rank.from_bags({t: i for i, t in enumerate(bag.vocab)}, bag.ids, bag.counts, bag.n_terms,
                          bag.doc_len)


def _reference(variant: str, docs: list[list[str]], query: list[str]) -> np.ndarray:
    return REFERENCE[variant](docs).get_scores(query)


@pytest.mark.parametrize("variant", rank.VARIANTS)
def test_scores_equal_rank_bm25_on_the_sample_plans(variant, sample_docs, tokenizer):
    bm25 = rank.build(count_terms(sample_docs), variant)
    for question in QUESTIONS:
        query = tokenizer(question)
        expected = _reference(variant, sample_docs, query)
        np.testing.assert_allclose(bm25.scores(query), expected, rtol=0, atol=1e-9)
        docs, scores = bm25.top(query, 10)
        np.testing.assert_allclose(scores, expected[docs], rtol=0, atol=1e-9)
        assert list(docs) == list(rank.top_k(expected, 10)) or _same_up_to_ties(expected, docs)


def _same_up_to_ties(expected: np.ndarray, docs: np.ndarray) -> bool:
    """rank-bm25 sums in another order, so two items may differ in the last bit there and
    tie here (or the other way round); the list is right if its scores are the best ones."""
    best = np.sort(expected)[::-1][:len(docs)]
    return np.allclose(expected[docs], best, rtol=0, atol=1e-9)


# -- random corpora ---------------------------------------------------------------------------
WORDS = st.sampled_from("甲 乙 丙 丁 戊 己 庚 辛 壬 癸".split())
DOCS = st.lists(st.lists(WORDS, max_size=12), min_size=1, max_size=25).filter(lambda d: any(d))
QUERY = st.lists(st.one_of(WORDS, st.just("未知")), max_size=6)


@settings(max_examples=150, deadline=None)
@given(docs=DOCS, query=QUERY, variant=st.sampled_from(rank.VARIANTS))
def test_scores_equal_rank_bm25_on_random_corpora(docs, query, variant):
    bm25 = rank.build(count_terms(docs), variant)
    np.testing.assert_allclose(bm25.scores(query), _reference(variant, docs, query), rtol=0, atol=1e-9)


@settings(max_examples=150, deadline=None)
@given(docs=DOCS, query=QUERY, variant=st.sampled_from(rank.VARIANTS), k=st.integers(0, 30),
       data=st.data())
def test_top_ranks_like_sorting_every_score(docs, query, variant, k, data):
    bm25 = rank.build(count_terms(docs), variant)
    mask = np.asarray(data.draw(st.lists(st.booleans(), min_size=len(docs), max_size=len(docs))))
    for m in (None, mask):
        scores = bm25.scores(query)
        expected = rank.top_k(scores, k, m)
        got, got_scores = bm25.top(query, k, m)
        assert list(got) == list(expected)
        assert list(got_scores) == list(scores[expected])  # bit for bit: same sums


@settings(max_examples=100, deadline=None)
@given(docs=DOCS, query=QUERY, variant=st.sampled_from(rank.VARIANTS), unused=st.integers(0, 5))
def test_bags_of_words_build_the_same_index(docs, query, variant, unused):
    """Start-up builds from stored bags with global term ids, some of which no document
    uses any more (their plan was removed): they must not count anywhere."""
    bag = bag_of_words(docs)
    ids = np.asarray([2 * (unused + i) for i in range(len(bag.vocab))], dtype=np.int32)  # even ids
    dead = [2 * n + 1 for n in range(unused)] + [2 * (unused + len(bag.vocab)) + 1]  # odd: unused ids
    vocab = {t: int(i) for t, i in zip(bag.vocab, ids)} | {f"gone{n}": i for n, i in enumerate(dead)}
    built = rank.build(rank.from_bags(vocab, ids[bag.ids], bag.counts, bag.n_terms, bag.doc_len), variant)
    direct = rank.build(count_terms(docs), variant)
    np.testing.assert_allclose(built.scores(query), direct.scores(query), rtol=0, atol=1e-12)
    assert set(built.vocab) == set(direct.vocab)
    assert built.max_idf == pytest.approx(direct.max_idf)
    for term in set(query):
        held = np.asarray([term in d for d in docs])
        assert list(built.contains(term, np.arange(len(docs)))) == list(held)


# -- ties ---------------------------------------------------------------------------------------

def test_top_k_ties_keep_document_order_also_at_the_cut():
    scores = np.asarray([1.0, 3.0, 2.0, 3.0, 2.0, 2.0, 0.5])
    assert list(rank.top_k(scores, 4)) == [1, 3, 2, 4]
    assert list(rank.top_k(scores, 2)) == [1, 3]
    mask = np.asarray([True, False, True, True, True, True, True])
    assert list(rank.top_k(scores, 3, mask)) == [3, 2, 4]
    assert list(rank.top_k(scores, 0)) == []
    assert list(rank.top_k(scores, 50)) == [1, 3, 2, 4, 5, 0, 6]


def test_top_fills_with_the_first_documents_when_few_hold_a_term():
    docs = [["甲"], ["乙"], ["丙"], ["乙", "乙"], ["丁"]]
    bm25 = rank.build(count_terms(docs), "plus")
    got, scores = bm25.top(["乙"], 4)
    assert list(got[:2]) == [3, 1]  # more 乙 in a document of the same length first
    assert list(got[2:]) == [0, 2]  # then the others, in document order, at BM25+'s floor
    assert scores[2] == scores[3] == pytest.approx(bm25.idf_of("乙"))
    got, _ = bm25.top(["无"], 2, np.asarray([False, True, True, False, True]))
    assert list(got) == [1, 2]


def test_counts_over_many_spans_equal_counting_each(engine):
    corpus = engine._snapshot().corpus
    spans = np.array(sorted(corpus.plan_rows.values()), dtype=np.int64)
    spans = np.vstack([spans, [[0, corpus.size]], [[3, 3]]])  # every plan, everything, an empty span
    for term in ["干部", "培训", "县财政局", "#干部", "没有这个词"]:
        index = corpus.grams if term.startswith("#") else corpus.bm25
        counted = index.count_spans(term, spans.T)
        assert counted.tolist() == [int(index.contains(term, np.arange(a, b)).sum()) for a, b in spans]
    assert corpus.bm25.count_spans("干部", spans.T).sum() > 0
