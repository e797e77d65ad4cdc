"""search/_kernel.c: built by the install, and refusing what it cannot read with an error a
caller can catch, never a crash. That it ranks exactly as rank_full is test_maxscore's."""

from __future__ import annotations

import numpy as np
import pytest

from planbot.index.search import rank as ranking


@pytest.fixture
def kernel():
    # CI installs with a compiler (setup.py builds it); an install without one ranks with
    # numpy, and this test then says the kernel is missing rather than passing unseen.
    assert ranking._kernel is not None, "the C kernel was not built: `pip install -e .` with gcc"
    return ranking._kernel


def _channel(docs, tf, ptr, factors=(1.0,), size=4):
    """One block holding term 7 (and term 9 when ptr has three entries): ptr as Postings.ptr."""
    terms = [7, 9][:len(ptr) - 1]
    return (np.ones(size), 1.2, np.asarray(factors, dtype=np.float64), np.asarray([7] * len(factors), dtype=np.int64),
            [(np.asarray(terms, dtype=np.int64), np.asarray(ptr, dtype=np.int64),
              np.asarray(docs, dtype=np.int32), np.asarray(tf, dtype=np.uint16))])


def _outputs(k):
    return np.empty(k, dtype=np.int64), np.empty(k), np.empty(k), np.empty(k)


def test_two_channels_fused_best_first_ties_in_row_order(kernel):
    word = _channel([0, 2, 3], [1, 1, 2], [0, 3])
    gram = _channel([1, 2], [1, 1], [0, 2])
    out = _outputs(3)
    n = kernel.scored(word, gram, np.ones(4, dtype=bool), 0, 4, 3, 0.6, *out)
    rows, scores, words, grams = (a[:n] for a in out)
    # row 3: the best word sum (0.6); row 2: 0.6 × its share of row 3's word sum + all the grams' 0.4
    assert n == 3 and rows.tolist() == [2, 3, 0]
    assert np.allclose(scores, words + grams) and grams[1] == 0 and words[1] == pytest.approx(0.6)


@pytest.mark.parametrize("change", ["postings past the block", "document past the norms", "ptr not one longer",
                                    "mask too short", "outputs too short", "chunk of no rows",
                                    "stats of the wrong type", "a term id past the stats"])
def test_bad_input_is_a_value_error(kernel, change):
    word, gram = _channel([0, 1], [1, 1], [0, 2]), _channel([], [], [0, 0])
    mask, k, out = np.ones(4, dtype=bool), 2, _outputs(2)
    if change == "postings past the block":
        word = _channel([0, 1], [1, 1], [0, 5])
    elif change == "document past the norms":
        word = _channel([0, 3], [1, 1], [0, 2], size=2)
    elif change == "ptr not one longer":
        norm, k1, factors, ids, [(terms, ptr, docs, tf)] = word
        word = norm, k1, factors, ids, [(terms, ptr[:1], docs, tf)]
    elif change == "mask too short":
        mask = np.ones(2, dtype=bool)
    elif change == "outputs too short":
        k = 3
    elif change.startswith("stats") or change.startswith("a term id"):  # what bounds are computed from
        size = 3 if change.startswith("stats") else 7  # term 7's tf_top and len_low, or none
        top = np.ones(size, dtype=np.int32 if change.startswith("stats") else np.int64)
        word = (*word, (top, np.ones(size), 0.75, 1.0))
    with pytest.raises(ValueError):
        kernel.scored(word, gram, mask, 0, 4, k, 0.6, *out, 0 if change == "chunk of no rows" else 16384, 0.7, 0, 0.0)


def test_only_the_rows_asked_for_and_only_the_terms_asked_for(kernel):
    """Rows [1, 3) of four, and term 7 of a block holding 7 and 9: Postings.slices' spans."""
    word = _channel([0, 1, 2, 3, 1], [1, 1, 1, 1, 5], [0, 4, 5])  # term 9 holds row 1, five times
    out = _outputs(4)
    n = kernel.scored(word, _channel([], [], [0, 0]), np.ones(4, dtype=bool), 1, 3, 4, 1.0, *out)
    assert out[0][:n].tolist() == [1, 2] and out[1][0] == out[1][1] == 1.0


def test_many_blocks_each_read_once(kernel):
    """Twelve blocks (Postings.settle keeps up to MAX_BLOCKS), a row in each: every buffer of
    every block stays readable while the others are taken (a bug once read a moved one)."""
    blocks = [(np.asarray([7], dtype=np.int64), np.asarray([0, 1], dtype=np.int64),
               np.asarray([b], dtype=np.int32), np.asarray([b + 1], dtype=np.uint16)) for b in range(12)]
    word = (np.ones(12), 1.2, np.ones(1), np.asarray([7], dtype=np.int64), blocks)
    gram = (np.ones(12), 1.2, np.ones(1), np.asarray([7], dtype=np.int64), blocks)
    out = _outputs(12)
    n = kernel.scored(word, gram, np.ones(12, dtype=bool), 0, 12, 12, 0.6, *out)
    assert n == 12 and out[0].tolist() == list(range(11, -1, -1))  # more occurrences, more score
    saturation = np.arange(1, 13) * 2.2 / (np.arange(1, 13) + 1.2)
    assert np.allclose(out[1][::-1], saturation / saturation.max())
