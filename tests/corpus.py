"""The real published documents in tests/fixtures/corpus, by their number prefix."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "fixtures" / "corpus"


def corpus(name: str) -> str:
    """The text of document `name` ("02" … "08")."""
    return next(CORPUS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def corpus_line(name: str, contains: str) -> str:
    """The one line of document `name` that contains `contains`."""
    lines = [line for line in corpus(name).splitlines() if contains in line]
    assert len(lines) == 1, f"{contains!r} matches {len(lines)} lines of {name}"
    return lines[0]
