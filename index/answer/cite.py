"""Citations: stored item rows → the Citation an answer carries, and how an item is named.

`heading` is the one way an item's place is shown to a user (二 › 3. 标题): the terminal, the
bot and the answer sentences all name items through it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from ..ingest.owners import strip_owner_notes
from ..models import Citation, Deadline, Heading, Owner
from ..search.corpus import Corpus
from ..text import sentences as split_sentences


Fetch = Callable[[list[int]], dict[int, tuple]]  # item ids → stored rows (Store.items_by_id)


def own(c: Citation) -> str:
    """The item's own label and title: "3. 统筹做好…", "（一）工作目标" ("3." reads better
    with a space; "（一）" and "一、" already end in punctuation)."""
    label = c.label.strip() or (c.path[-1] if c.path and c.kind != "preamble" else "")
    title = c.title.strip()
    if label and title:
        # "3." reads better as "3. 标题", a paragraph's "第2段" too; "（一）" and "一、" end in punctuation.
        return f"{label} {title}" if label[-1].isascii() or not c.label.strip() else f"{label}{title}"
    return label or title


def body(c: Citation) -> str:
    """The item's text without its owner and deadline field lines and brackets: shown in full
    above the owners and time limits listed once, each fact once."""
    return strip_owner_notes(c.text) or c.text


def heading(c: Citation) -> str:
    """`二 › 3. 标题`: the ancestors' keys, then the item's own label and title."""
    ancestors = c.path[:-1] if c.kind != "preamble" and c.path else list(c.path)
    name = own(c) if c.label.strip() else c.title.strip()
    return " › ".join([*ancestors, name]) if name else " › ".join(ancestors)


def cite(corpus: Corpus, fetch: Fetch, rows: Iterable[int], scores: Iterable[float] | None = None,
         terms: Iterable[str] = ()) -> list[Citation]:
    """Citations of corpus rows, their text read in one query. A row gone since the snapshot
    (a concurrent write, seen at the next question) is left out."""
    rows = [int(i) for i in rows]
    scores = list(scores) if scores is not None else [0.0] * len(rows)
    found = fetch([int(corpus.ids[i]) for i in rows])
    words = set(terms)
    out = []
    for i, score in zip(rows, scores):
        row = found.get(int(corpus.ids[i]))
        if row is not None and row[1] == corpus.plan_ids[i]:
            out.append(_citation(row, score, words))
    return out


def children(corpus: Corpus, fetch: Fetch, section_row: int) -> list[Citation]:
    """The items under a section row (any depth), in order."""
    start, end = section_row + 1, corpus.subtree_end(section_row)
    items = start + np.flatnonzero(corpus.mask(("item",), None)[start:end])
    return cite(corpus, fetch, items)


def _citation(row: tuple, score: float, terms: set[str]) -> Citation:
    (item_id, plan_id, plan_title, kind, label, key, ancestors, title, text,
     owners, deadlines) = row
    heads = [Heading(**h) for h in json.loads(ancestors)]
    return Citation(
        item_id=item_id, plan=plan_title, plan_id=plan_id, kind=kind, label=label,
        path=[h.key for h in heads] + ([key] if key else []),
        path_titles=[h.title for h in heads], title=title, text=text,
        sentence=best_sentence(text, terms),
        owners=[Owner(**o) for o in json.loads(owners)],
        deadlines=[Deadline(**d) for d in json.loads(deadlines)],
        score=round(float(score), 4),
    )


def best_sentence(text: str, terms: Sequence[str] | set[str]) -> str:
    """The sentence of `text` holding the most of `terms` (by length), or its first."""
    sentences = split_sentences(text)
    if not sentences:
        return ""
    if not terms:
        return sentences[0]
    return max(sentences, key=lambda s: sum(len(t) for t in terms if t in s.lower()))
