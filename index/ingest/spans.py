"""Which sentence of an item a character offset falls in, for owners and deadlines.

Sentences are index.text.sentences, the one splitter answering uses too: an owner's or a
deadline's `sentence` is an index into that list. Found facts carry the offset where the text
states them; these helpers turn offsets into indexes.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

from ..text import sentences


def sentence_starts(text: str) -> list[int]:
    """The offset in `text` where each of `sentences(text)` starts."""
    return list(_sentence_starts(text))  # a copy: the remembered list stays as it was found


@lru_cache(maxsize=2048)  # owners, prose and deadlines each need an item's sentences
def _sentence_starts(text: str) -> list[int]:
    starts, pos = [], 0
    for sentence in sentences(text):
        at = text.find(sentence, pos)
        starts.append(at)
        pos = at + len(sentence)
    return starts


def sentence_at(starts: list[int], offset: int) -> int | None:
    """The index of the sentence holding `offset` (a space between two sentences counts to the
    one before it); None for a text without sentences."""
    if not starts:
        return None
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def sentence_before(text: str, starts: list[int], offset: int) -> int | None:
    """The sentence that text at `offset` closes: the one holding the last non-space character
    before it. A bracket written after 。 (02's "…统计方法。（生态环境部牵头，…）") closes the
    sentence before it, although the splitter puts it at the start of the next one."""
    i = offset - 1
    while i >= 0 and text[i].isspace():  # walks back over spaces only: linear in all
        i -= 1
    return sentence_at(starts, i if i >= 0 else offset)
