"""Sentences: the unit an owner, a deadline and a quoted answer are tied to.

One splitter for everyone: ingest records which sentence of an item names an owner or a
deadline (by its index here), and answering quotes the sentence that best matches a question.
"""

from __future__ import annotations

from .lazy_re import lazy

_AFTER_END = lazy(r"(?<=[。；;！!？?\n])")


def sentences(text: str) -> list[str]:
    """The sentences of `text`, stripped, empty ones left out: split after 。；！？ (full or
    half width) and line breaks."""
    return [s.strip() for s in _AFTER_END.split(text) if s.strip()]
