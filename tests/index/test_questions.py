"""The phone-style question set: the right item must come first for ≥ 95% of it.

tests/index/questions.tsv holds the questions, worded the way people type them (not the
way the plans are written), with the item that should be cited first. The figure in the
README comes from `python -m tests.index.test_questions`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

QUESTIONS = Path(__file__).with_name("questions.tsv")
TARGET = 0.95
TODAY = dt.date(2021, 6, 15)


def load_questions() -> list[tuple[str, str | None, str, str]]:
    rows = []
    for line in QUESTIONS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        question, scope, expected = line.split("\t")
        plan_key, path = expected.split(":", 1)
        rows.append((question, None if scope == "-" else scope, plan_key, path))
    return rows


def first_citation_matches(engine, question: str, scope: str | None, plan_key: str, path: str) -> bool:
    answer = engine.ask(question, plan=scope, today=TODAY)
    if not answer.found or not answer.citations:
        return False
    first = answer.citations[0]
    if plan_key not in first.plan:
        return False
    if path == "@preamble":
        return first.kind == "preamble"
    return "/".join(first.path) == path


def accuracy(engine) -> tuple[float, list[str]]:
    rows = load_questions()
    misses = [q for q, scope, key, path in rows if not first_citation_matches(engine, q, scope, key, path)]
    return 1 - len(misses) / len(rows), misses


def test_question_set_is_large_enough():
    assert len(load_questions()) >= 60


def test_right_item_first_for_95_percent(engine):
    score, misses = accuracy(engine)
    assert score >= TARGET, f"{score:.1%} right; missed: {misses}"


@pytest.mark.parametrize("question", ["明天天气怎么样", "食堂今天吃什么", "怎么申请护照", "股票会涨吗", "足球比赛几点开始"])
def test_unrelated_questions_are_not_found(engine, question):
    answer = engine.ask(question, today=TODAY)
    assert answer.found is False
    assert answer.citations == []


if __name__ == "__main__":
    import sys
    import tempfile

    from planbot.index.engine import Engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = Engine.open(Path(tmp) / "q.db")
        engine.index_paths([Path(__file__).resolve().parents[2] / "plan_texts"])
        score, misses = accuracy(engine)
        print(f"{score:.1%} of {len(load_questions())} questions put the right item first")
        for q in misses:
            print("  missed:", q, "→", engine.ask(q, today=TODAY).citations[:1])
        sys.exit(0 if score >= TARGET else 1)
