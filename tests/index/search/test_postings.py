"""index/search/postings.py: the two ways of turning bags term-major give the same arrays, and
gathering many terms at once gives each term's postings, in the order asked."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.search import bm25
from planbot.index.search.postings import DOC, Postings, search

docs_st = st.lists(st.lists(st.integers(0, 30), min_size=0, max_size=12, unique=True), min_size=1, max_size=25)


def _counts(docs: list[list[int]]) -> bm25.TermCounts:
    ids = [t for d in docs for t in d]
    counts = [(t * 7 + i) % 5 + 1 for i, t in enumerate(ids)]
    return bm25.from_bags({}, np.asarray(ids, dtype=np.int64), np.asarray(counts), [len(d) for d in docs],
                          [sum(counts) for _ in docs])


@settings(max_examples=60, deadline=None)
@given(docs_st, st.integers(0, 50))
def test_numpy_and_scipy_make_the_same_block(docs, first):
    tc = _counts(docs)
    small, big = Postings.of(tc, first), Postings._of_big(tc, first)
    for name in ("terms", "ptr", "docs", "tf"):
        assert np.array_equal(getattr(small, name), getattr(big, name)), name
        assert getattr(small, name).dtype == getattr(big, name).dtype, name


@settings(max_examples=30, deadline=None)
@given(docs_st, st.integers(0, 50))
def test_int32_bags_as_the_blobs_hold_them_make_the_same_block(docs, first):
    wide = _counts(docs)
    tc = bm25.from_bags({}, wide.term_ids.astype("<i4"), wide.counts.astype("<i4"), wide.n_terms, wide.doc_len)
    want = Postings.of(wide, first)
    for block in (Postings.of(tc, first), Postings._of_big(tc, first)):
        for name in ("terms", "ptr", "docs", "tf"):
            assert np.array_equal(getattr(want, name), getattr(block, name)), name
            assert getattr(want, name).dtype == getattr(block, name).dtype, name


@settings(max_examples=30, deadline=None)
@given(docs_st, st.integers(0, 50), st.sampled_from([np.uint16, np.int32, np.int64]))
def test_counts_already_in_the_kept_type_make_the_same_block(docs, first, kind):
    """The corpus hands over counts already narrowed (uint16, corpus._counts): the block is the
    one the blobs' int32 counts give, and a freak count past uint16 still widens as before."""
    wide = _counts(docs)
    counts = wide.counts.copy()
    if kind is np.int64 and len(counts):
        counts[-1] = 70_000
    want = Postings.of(bm25.from_bags({}, wide.term_ids, counts.astype("<i4"), wide.n_terms, wide.doc_len), first)
    tc = bm25.from_bags({}, wide.term_ids.astype("<i4"), counts.astype(kind), wide.n_terms, wide.doc_len)
    for block in (Postings.of(tc, first), Postings._of_big(tc, first)):
        for name in ("terms", "ptr", "docs", "tf"):
            assert np.array_equal(getattr(want, name), getattr(block, name)), name
            assert getattr(want, name).dtype == getattr(block, name).dtype, name


@settings(max_examples=60, deadline=None)
@given(docs_st, st.lists(st.integers(0, 35), max_size=10))
def test_gather_is_find_term_after_term(docs, terms):
    block = Postings.of(_counts(docs), 0)
    docs_out, tf_out, lengths = block.gather(np.asarray(terms, dtype=np.int64))
    want = [block.find(t) for t in terms]
    assert np.array_equal(docs_out, np.concatenate([d for d, _ in want]) if want else [])
    assert np.array_equal(tf_out, np.concatenate([t for _, t in want]) if want else [])
    assert lengths == [len(d) for d, _ in want]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=30), st.lists(st.integers(0, 70), max_size=12))
def test_search_is_searchsorted_whatever_the_types(held, docs):
    """postings.search narrows the row numbers it looks up to the postings' type (so numpy does
    not copy the postings to widen them): the same positions, also for numbers past that type."""
    held = np.asarray(sorted(held), dtype=DOC)
    for wide in (np.asarray(docs, dtype=np.intp), np.asarray(docs, dtype=np.intp) + 2**31):
        for side in ("left", "right"):
            assert np.array_equal(search(held, wide, side), held.astype(np.int64).searchsorted(wide, side))


@settings(max_examples=60, deadline=None)
@given(docs_st, st.lists(st.integers(0, 35), max_size=10), st.integers(0, 30), st.integers(0, 30))
def test_gather_within_rows_is_find_of_those_rows(docs, terms, a, b):
    first, end = min(a, b), max(a, b)
    block = Postings.of(_counts(docs), 0)
    docs_out, tf_out, lengths = block.gather(np.asarray(terms, dtype=np.int64), (first, end))
    want = [(d[(d >= first) & (d < end)], c[(d >= first) & (d < end)]) for d, c in (block.find(t) for t in terms)]
    assert np.array_equal(docs_out, np.concatenate([d for d, _ in want]) if want else [])
    assert np.array_equal(tf_out, np.concatenate([c for _, c in want]) if want else [])
    assert lengths == [len(d) for d, _ in want]


def test_document_numbers_are_narrowed_when_they_or_a_bound_given_fit():
    from planbot.index.search.postings import DOC, narrowed

    rows = np.array([3, 70, 5], dtype=np.int64)
    assert narrowed(rows).dtype == DOC and narrowed(rows).tolist() == [3, 70, 5]
    assert narrowed(rows, 100).dtype == DOC and narrowed(rows, 100).tolist() == [3, 70, 5]
    assert narrowed(rows, 2**40).dtype == np.int64  # a bound too big to fit: kept as they are
    assert narrowed(np.array([2**40])).dtype == np.int64
