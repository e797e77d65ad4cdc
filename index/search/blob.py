"""A plan as the search corpus holds it: a few integer arrays, stored as one blob per plan.

Why: at a province's scale (2,000 plans, 100,000 items) loading every item's text and
token string at start-up, splitting the tokens and parsing JSON per row takes many seconds
and hundreds of MB. Instead each plan is stored once more, at indexing time, as the numbers
search needs to rank and filter:

* the bag of words of each item (global term ids from the `terms` table, counts, length),
  and its bag of character grams (search/grams.py), the second search channel;
* the owners of each item (unit ids and roles), for "what does this unit do" lists;
* per item (its `Shape`): kind, depth (number of ancestors), own number and ancestors'
  numbers (for "第3条" / "二.3" look-ups), whether it names owners / deadlines, and the dates
  of its deadlines as ordinals (for "这个月有哪些任务到期").

Start-up reads the blobs and concatenates them (index/search/corpus.py): no tokenizer, no
JSON. The text of an item is read from the `items` table only when it is cited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..cn import key_value
from ..models import Item

KINDS = ("item", "section", "preamble", "closing")  # kind code = index here
NO_NUMBER = -1  # own/ancestor number when the key has none
HAS_OWNERS, HAS_DEADLINES = 1, 2  # flag bits
_MAGIC, _VERSION = 0x58494250, 2  # "PBIX"
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
    """Per item numbers of a plan, everything search filters on."""

    kind: np.ndarray  # int32 code into KINDS
    depth: np.ndarray  # int32 number of ancestors
    own: np.ndarray  # int32 number of the item's own key, or NO_NUMBER
    anc: np.ndarray  # int32 numbers of the ancestors' keys, depth entries per item
    flags: np.ndarray  # int32 HAS_OWNERS | HAS_DEADLINES
    n_due: np.ndarray  # int32 dated deadlines per item
    due: np.ndarray  # int32 date ordinals, n_due entries per item


def shape_of_items(items: Sequence[Item]) -> Shape:
    """The Shape of parsed items."""
    return _shape((item.kind, item.key, [h.key for h in item.ancestors], bool(item.owners),
                   bool(item.deadlines), [d.date for d in item.deadlines if d.date]) for item in items)


def shape_of_rows(rows: Sequence[tuple]) -> Shape:
    """The Shape from stored item rows (kind, key, ancestors, owners, deadlines as the items
    table holds them): for migrating a database written before the blobs."""
    def fields(row: tuple):
        kind, key, ancestors, owners, deadlines = row
        dl = json.loads(deadlines or "[]")
        return (kind, key, [h["key"] for h in json.loads(ancestors or "[]")],
                owners not in (None, "", "[]"), bool(dl),
                [dt.date.fromisoformat(d["date"]) for d in dl if d.get("date")])
    return _shape(fields(r) for r in rows)


def _shape(items: Iterable[tuple[str, str, list[str], bool, bool, list[dt.date]]]) -> Shape:
    kind, depth, own, anc, flags, n_due, due = [], [], [], [], [], [], []
    for r_kind, key, ancestor_keys, has_owners, has_deadlines, dates in items:
        kind.append(KINDS.index(r_kind))
        depth.append(len(ancestor_keys))
        own.append(_number(key) if key else NO_NUMBER)
        anc.extend(_number(k) for k in ancestor_keys)
        flags.append((HAS_OWNERS if has_owners else 0) | (HAS_DEADLINES if has_deadlines else 0))
        n_due.append(len(dates))
        due.extend(d.toordinal() for d in dates)
    return Shape(*(np.asarray(a, dtype=np.int32) for a in (kind, depth, own, anc, flags, n_due, due)))


def _number(key: str) -> int:
    value = key_value(key)
    return NO_NUMBER if value is None or not 0 <= value <= _INT32_MAX else value


# -- the blob ---------------------------------------------------------------------------------
# int32 little-endian. Header [magic, version, items, ancestors, word entries, dates, gram
# entries, owners], then per item: kind, depth, own, flags, n_due, word doc_len, word n_terms,
# gram doc_len, gram n_terms, n_owners; then ancestors, word term ids, word counts, due dates,
# gram term ids, gram counts, owner unit ids, owner roles.

@dataclass
class Counts:
    """Bags of words of a plan's items laid end to end, with global term ids."""

    term_ids: np.ndarray
    counts: np.ndarray
    n_terms: np.ndarray  # entries per item
    doc_len: np.ndarray  # tokens per item

    @classmethod
    def of(cls, bag: Bag, ids: np.ndarray) -> "Counts":
        """A plan-local bag with its vocabulary's global ids (ids[i] for bag.vocab[i])."""
        return cls(np.asarray(ids)[bag.ids] if len(bag.ids) else np.zeros(0, dtype=np.int32),
                   bag.counts, bag.n_terms, bag.doc_len)


@dataclass
class Owners:
    """The owners of a plan's items: per item how many, then their unit ids (in the term
    table, as "@unit") and role codes (ROLES)."""

    n: np.ndarray
    units: np.ndarray
    roles: np.ndarray


ROLES = ("lead", "responsible", "cooperating")  # role code = index here
UNIT_PREFIX = "@"  # a unit's entry in the term table: "@县财政局"


@dataclass
class PlanArrays:
    """A decoded blob: the Shape, the words and character grams of each item, its owners."""

    shape: Shape
    words: Counts
    grams: Counts
    owners: Owners

    @property
    def n_items(self) -> int:
        return len(self.shape.kind)


def encode(shape: Shape, words: Counts, grams: Counts, owners: Owners) -> bytes:
    m = len(shape.kind)
    fits = all(len(c.n_terms) == len(c.doc_len) == m and len(c.term_ids) == len(c.counts) for c in (words, grams))
    if not fits or len(owners.n) != m or len(owners.units) != len(owners.roles):
        raise ValueError("the bags of words do not fit the plan's items")
    header = np.asarray([_MAGIC, _VERSION, m, len(shape.anc), len(words.term_ids), len(shape.due),
                         len(grams.term_ids), len(owners.units)])
    parts = [header, shape.kind, shape.depth, shape.own, shape.flags, shape.n_due,
             words.doc_len, words.n_terms, grams.doc_len, grams.n_terms, owners.n,
             shape.anc, words.term_ids, words.counts, shape.due, grams.term_ids, grams.counts,
             owners.units, owners.roles]
    return np.concatenate([np.asarray(p, dtype="<i4") for p in parts]).tobytes()


def decode(blob: bytes) -> PlanArrays:
    a = np.frombuffer(blob, dtype="<i4")
    if len(a) < 8 or a[0] != _MAGIC or a[1] != _VERSION:
        raise ValueError("not a plan index blob of this version")
    m, n_anc, nnz, n_dates, n_grams, n_owners = (int(x) for x in a[2:8])
    pos = 8

    def take(n: int) -> np.ndarray:
        nonlocal pos
        out = a[pos:pos + n]
        pos += n
        return out

    kind, depth, own, flags, n_due, doc_len, n_terms, gram_len, n_gram_terms, n_own = (take(m) for _ in range(10))
    anc, term_ids, counts, due = take(n_anc), take(nnz), take(nnz), take(n_dates)
    gram_ids, gram_counts, units, roles = take(n_grams), take(n_grams), take(n_owners), take(n_owners)
    if pos != len(a):
        raise ValueError("plan index blob has the wrong length")
    return PlanArrays(Shape(kind, depth, own, anc, flags, n_due, due), Counts(term_ids, counts, n_terms, doc_len),
                      Counts(gram_ids, gram_counts, n_gram_terms, gram_len), Owners(n_own, units, roles))
