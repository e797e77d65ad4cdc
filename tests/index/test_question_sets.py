"""Floors under the development question sets (tests/index/question_sets.py), all ten plans
loaded: a change that makes PlanBot answer real questions worse fails here. The held-out set
is only ever reported (python -m tests.index.question_sets), never asserted or tuned to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.index import question_sets as qs


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    e = qs.open_engine(Path(tmp_path_factory.mktemp("sets")))
    yield e
    e.close()


def test_the_corpus_development_set(engine):
    score = qs.score(engine, qs.load(qs.SETS["corpus"]))
    assert score.first >= 0.83 * score.covered, score.line("corpus")
    assert score.false_not_found <= 0.05 * score.covered, score.line("corpus")
    assert score.not_covered_ok >= 0.6 * score.not_covered, score.line("corpus")


def test_not_covered_paraphrases_of_the_seed_plan_say_so(engine):
    # All but one: 公务员考试报名有啥条件 meets an item holding 考试 and 条件 (in two sentences),
    # which the content-word measure cannot tell from a right answer whose colloquial words
    # no plan uses (README, "How well it answers").
    score = qs.score(engine, qs.load(qs.SETS["seed"]))
    assert score.not_covered_ok >= score.not_covered - 1, score.line("seed")
