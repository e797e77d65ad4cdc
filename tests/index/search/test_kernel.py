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


def _channel(docs, tf, spans, factors=(1.0,), size=4):
    return (np.ones(size), 1.2, np.asarray(factors, dtype=np.float64),
            [(np.asarray(docs, dtype=np.int32), np.asarray(tf, dtype=np.uint16),
              np.asarray(spans, dtype=np.int64).reshape(-1, 2))])


def _outputs(k):
    return np.empty(k, dtype=np.int64), np.empty(k), np.empty(k), np.empty(k)


def test_two_channels_fused_best_first_ties_in_row_order(kernel):
    word = _channel([0, 2, 3], [1, 1, 2], [(0, 3)])
    gram = _channel([1, 2], [1, 1], [(0, 2)])
    out = _outputs(3)
    n = kernel.scored(word, gram, np.ones(4, dtype=bool), 0, 4, 3, 0.6, *out)
    rows, scores, words, grams = (a[:n] for a in out)
    # row 3: the best word sum (0.6); row 2: 0.6 × its share of row 3's word sum + all the grams' 0.4
    assert n == 3 and rows.tolist() == [2, 3, 0]
    assert np.allclose(scores, words + grams) and grams[1] == 0 and words[1] == pytest.approx(0.6)


@pytest.mark.parametrize("change", ["span past the postings", "document past the norms", "wrong spans shape",
                                    "mask too short", "outputs too short", "chunk of no rows"])
def test_bad_input_is_a_value_error(kernel, change):
    word, gram = _channel([0, 1], [1, 1], [(0, 2)]), _channel([], [], [(0, 0)])
    mask, k, out = np.ones(4, dtype=bool), 2, _outputs(2)
    if change == "span past the postings":
        word = _channel([0, 1], [1, 1], [(0, 5)])
    elif change == "document past the norms":
        word = _channel([0, 9], [1, 1], [(0, 2)])
    elif change == "wrong spans shape":
        word = _channel([0, 1], [1, 1], [(0, 2), (0, 1)])
    elif change == "mask too short":
        mask = np.ones(2, dtype=bool)
    elif change == "outputs too short":
        k = 3
    with pytest.raises(ValueError):
        kernel.scored(word, gram, mask, 0, 4, k, 0.6, *out, *([0] if change == "chunk of no rows" else []))
