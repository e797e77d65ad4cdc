"""A plan as the engine holds it in memory: a few integer arrays, stored as one blob per plan.

Why: at a province's scale (2,000 plans, 100,000 items) loading every item's text and
token string at start-up, splitting the tokens and parsing JSON per row takes many seconds
and hundreds of MB. Instead each plan is stored once more, at indexing time, as the numbers
the engine needs to rank and filter:

* the bag of words of each item (global term ids from the `terms` table, counts, length);
* per item: kind, depth (number of ancestors), own number and ancestors' numbers (for
  "第3条" / "二.3" look-ups), whether it names owners / deadlines, and the dates of its
  deadlines as ordinals (for "这个月有哪些任务到期").

Start-up reads the blobs and concatenates them: no tokenizer, no JSON. The text of an item is
read from the `items` table only when it is cited.

The same preparation runs in the engine's process and in the indexing worker processes
(index/workers.py), so a plan's tokens do not depend on where it was tokenized.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .models import Plan
from .numbering import key_value
from .tokenize import Tokenizer, quoted_terms

KINDS = ("item", "section", "preamble")  # kind code = index here
NO_NUMBER = -1  # own/ancestor number when the key has none
HAS_OWNERS, HAS_DEADLINES = 1, 2  # flag bits
_MAGIC, _VERSION = 0x58494250, 1  # "PBIX"
_INT32_MAX = 2**31 - 1


@dataclass
class Bag:
    """The tokens of a plan's items as bags of words over a plan-local vocabulary."""

    vocab: list[str]
    ids: np.ndarray  # int32, index into vocab, one entry per (item, distinct term)
    counts: np.ndarray  # int32, occurrences of that term in that item
    n_terms: np.ndarray  # int32, entries per item
    doc_len: np.ndarray  # int32, tokens per item (repeats included)


@dataclass
class Shape:
    """Per item numbers of a plan, everything the engine filters on."""

    kind: np.ndarray  # int32 code into KINDS
    depth: np.ndarray  # int32 number of ancestors
    own: np.ndarray  # int32 number of the item's own key, or NO_NUMBER
    anc: np.ndarray  # int32 numbers of the ancestors' keys, depth entries per item
    flags: np.ndarray  # int32 HAS_OWNERS | HAS_DEADLINES
    n_due: np.ndarray  # int32 dated deadlines per item
    due: np.ndarray  # int32 date ordinals, n_due entries per item


@dataclass
class PreparedPlan:
    """A parsed plan ready to store: item rows as the items table holds them, the per-item
    numbers, the texts to tokenize and (once tokenized) the bag of words."""

    title: str
    source: str
    sha256: str
    year: int | None
    terms: list[str]  # user-dictionary words of the plan (quoted terms, unit names)
    rows: list[tuple]  # (position, kind, label, key, ancestors, title, text, owners, deadlines)
    shape: Shape
    texts: list[tuple[str, str, str]]  # per item: text, title, ancestors' titles
    bag: Bag | None = field(default=None)


def prepare(plan: Plan) -> PreparedPlan:
    """Everything of a plan that does not need the tokenizer."""
    rows, texts = [], []
    kind, depth, own, anc, flags, n_due, due = [], [], [], [], [], [], []
    for item in plan.items:
        rows.append((
            item.position, item.kind, item.label, item.key,
            json.dumps([h.model_dump() for h in item.ancestors], ensure_ascii=False),
            item.title, item.text,
            json.dumps([o.model_dump(mode="json") for o in item.owners], ensure_ascii=False),
            json.dumps([d.model_dump(mode="json") for d in item.deadlines], ensure_ascii=False),
        ))
        texts.append((item.text, item.title, " ".join(h.title for h in item.ancestors)))
        kind.append(KINDS.index(item.kind))
        depth.append(len(item.ancestors))
        own.append(_number(item.key) if item.key else NO_NUMBER)
        anc.extend(_number(h.key) for h in item.ancestors)
        flags.append((HAS_OWNERS if item.owners else 0) | (HAS_DEADLINES if item.deadlines else 0))
        dates = [d.date.toordinal() for d in item.deadlines if d.date]
        n_due.append(len(dates))
        due.extend(dates)
    shape = Shape(*(np.asarray(a, dtype=np.int32) for a in (kind, depth, own, anc, flags, n_due, due)))
    return PreparedPlan(title=plan.title, source=plan.source, sha256=plan.sha256, year=plan.year,
                        terms=plan_terms(plan), rows=rows, shape=shape, texts=texts)


def prepare_rows(rows: Sequence[tuple]) -> Shape:
    """The per-item numbers from stored item rows (kind, key, ancestors, owners, deadlines
    as the items table holds them): for migrating a database written before the blobs."""
    kind, depth, own, anc, flags, n_due, due = [], [], [], [], [], [], []
    for r_kind, key, ancestors, owners, deadlines in rows:
        heads = json.loads(ancestors or "[]")
        dl = json.loads(deadlines or "[]")
        kind.append(KINDS.index(r_kind))
        depth.append(len(heads))
        own.append(_number(key) if key else NO_NUMBER)
        anc.extend(_number(h["key"]) for h in heads)
        flags.append((HAS_OWNERS if owners not in (None, "", "[]") else 0) | (HAS_DEADLINES if dl else 0))
        dates = [dt.date.fromisoformat(d["date"]).toordinal() for d in dl if d.get("date")]
        n_due.append(len(dates))
        due.extend(dates)
    return Shape(*(np.asarray(a, dtype=np.int32) for a in (kind, depth, own, anc, flags, n_due, due)))


def _number(key: str) -> int:
    value = key_value(key)
    return NO_NUMBER if value is None or not 0 <= value <= _INT32_MAX else value


def plan_terms(plan: Plan) -> list[str]:
    """Words the tokenizer must keep whole for this plan: quoted terms and unit names."""
    words: dict[str, None] = {}
    for item in plan.items:
        for w in quoted_terms(item.text):
            words[w] = None
        for o in item.owners:
            words[o.unit] = None
    return list(words)


def tokenize_items(tokenize: Tokenizer, texts: Iterable[tuple[str, str, str]]) -> Bag:
    """Each item's tokens: its text, then its title and its ancestors' titles again (a word in
    a heading says more about the item than the same word deep in its text). The headings
    of a section are shared by all its items, so each distinct one is tokenized once; a
    title that begins its text is cut once for both (Tokenizer.with_prefix)."""
    heads_memo: dict[str, list[str]] = {}

    def tokens(text: str, title: str, heads: str) -> list[str]:
        if heads not in heads_memo:
            heads_memo[heads] = tokenize(heads) if heads else []
        in_text, in_title = tokenize.with_prefix(text, title)
        return in_text + in_title + heads_memo[heads]

    return bag_of_words(tokens(*t) for t in texts)


def bag_of_words(token_lists: Iterable[Sequence[str]]) -> Bag:
    vocab: dict[str, int] = {}
    ids: list[int] = []
    counts: list[int] = []
    n_terms: list[int] = []
    doc_len: list[int] = []
    for tokens in token_lists:
        local: dict[int, int] = {}
        for t in tokens:
            i = vocab.setdefault(t, len(vocab))
            local[i] = local.get(i, 0) + 1
        ids.extend(local)
        counts.extend(local.values())
        n_terms.append(len(local))
        doc_len.append(len(tokens))
    return Bag(list(vocab), *(np.asarray(a, dtype=np.int32) for a in (ids, counts, n_terms, doc_len)))


# -- the blob ---------------------------------------------------------------------------------
# int32 little-endian: header [magic, version, items, ancestors, entries, dates, 0, 0], then
# kind, depth, own, flags, doc_len, n_terms, n_due (one per item), ancestors, term ids,
# counts, due dates.

@dataclass
class PlanArrays:
    """A decoded blob: the Shape plus the bag of words with global term ids."""

    shape: Shape
    term_ids: np.ndarray
    counts: np.ndarray
    n_terms: np.ndarray
    doc_len: np.ndarray

    @property
    def n_items(self) -> int:
        return len(self.shape.kind)


def encode(shape: Shape, term_ids: np.ndarray, bag: Bag) -> bytes:
    m = len(shape.kind)
    if not (len(bag.n_terms) == len(bag.doc_len) == m and len(term_ids) == len(bag.counts)):
        raise ValueError("the bag of words does not fit the plan's items")
    header = np.asarray([_MAGIC, _VERSION, m, len(shape.anc), len(term_ids), len(shape.due), 0, 0])
    parts = [header, shape.kind, shape.depth, shape.own, shape.flags, bag.doc_len, bag.n_terms,
             shape.n_due, shape.anc, term_ids, bag.counts, shape.due]
    return np.concatenate([np.asarray(p, dtype="<i4") for p in parts]).tobytes()


def decode(blob: bytes) -> PlanArrays:
    a = np.frombuffer(blob, dtype="<i4")
    if len(a) < 8 or a[0] != _MAGIC or a[1] != _VERSION:
        raise ValueError("not a plan index blob of this version")
    m, n_anc, nnz, n_dates = (int(x) for x in a[2:6])
    pos = 8

    def take(n: int) -> np.ndarray:
        nonlocal pos
        out = a[pos:pos + n]
        pos += n
        return out

    kind, depth, own, flags, doc_len, n_terms, n_due = (take(m) for _ in range(7))
    anc, term_ids, counts, due = take(n_anc), take(nnz), take(nnz), take(n_dates)
    if pos != len(a):
        raise ValueError("plan index blob has the wrong length")
    return PlanArrays(Shape(kind, depth, own, anc, flags, n_due, due), term_ids, counts, n_terms, doc_len)
