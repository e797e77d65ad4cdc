"""The corpus in memory: every plan's blob (search/blob.py) laid end to end, with BM25 over it.

Numbers only: rows are items in plan, position order, and the text of an item is read from
the database when it is cited. At 100k items this is a few arrays and the postings instead of
100k tuples of strings.

A Corpus is immutable. Adding plans appends their rows and a block of postings (`with_plans`),
removing one marks its rows dead (`without_plan`); both cost about the size of that plan plus
a few O(rows) array copies, never a re-read of the other plans. Plans are laid out in the order
they were stored, so a corpus grown plan by plan ranks exactly like one loaded at once
(tests/index/search/test_corpus.py). Readers hold on to the snapshot they started with while a writer
builds the next one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from . import bm25, blob, postings
from .abbrev import Abbreviations, plain_terms

log = logging.getLogger(__name__)

VARIANT = "plus"  # see bm25.py and the README: it ranked the question set best
ITEM, SECTION = blob.KINDS.index("item"), blob.KINDS.index("section")
MAX_CACHED_MASKS = 32  # row masks kept per snapshot (per kinds, per chat's set of plans)


@dataclass(frozen=True)
class Corpus:
    ids: np.ndarray  # item id per row
    plan_ids: np.ndarray  # plan id per row
    kinds: np.ndarray  # kind code per row (blob.KINDS)
    depth: np.ndarray  # ancestors per row
    own: np.ndarray  # the number of the row's own key, or blob.NO_NUMBER
    anc_rows: np.ndarray  # for every ancestor of every row: the row …
    anc: np.ndarray  # … and the ancestor's number
    due_rows: np.ndarray  # for every dated deadline: the row …
    due: np.ndarray  # … and the date's ordinal
    flags: np.ndarray  # blob.HAS_OWNERS | HAS_DEADLINES per row
    owner_rows: np.ndarray  # for every owner of every row: the row …
    owner_units: np.ndarray  # … the unit's term id ("@unit") …
    owner_roles: np.ndarray  # … and its role code (blob.ROLES)
    plan_rows: dict[int, tuple[int, int]]  # live plan id → its first row and the row after its last
    bm25: bm25.BM25  # over words
    grams: bm25.BM25  # over character grams (search/grams.py)
    _masks: dict[tuple, np.ndarray] = field(default_factory=dict, compare=False)
    _by_id: list = field(default_factory=list, compare=False)  # [argsort of ids], once needed
    _cache: dict = field(default_factory=dict, compare=False)  # derived once per snapshot
    # item id → what answer/cite.py parsed of its stored row; shared with the corpora grown
    # from this one by appending (their rows are the same rows), never with one that lost a plan
    records: dict = field(default_factory=dict, compare=False)

    @classmethod
    def empty(cls, vocab: dict[str, int] | None = None) -> "Corpus":
        none = np.zeros(0, dtype=np.int64)
        tc = bm25.from_bags(vocab if vocab is not None else {}, none, none, none, none)
        return cls(ids=none, plan_ids=none, kinds=none.astype(np.int8), depth=none, own=none,
                   anc_rows=none, anc=none, due_rows=none, due=none, flags=none.astype(np.int8),
                   owner_rows=none, owner_units=none, owner_roles=none.astype(np.int8),
                   plan_rows={}, bm25=bm25.build(tc, VARIANT), grams=bm25.build(tc, VARIANT))

    @classmethod
    def build(cls, vocab: dict[str, int], plans: list[tuple[int, np.ndarray, blob.PlanArrays]]) -> "Corpus":
        """The corpus of `plans` — (plan id, its item ids, its decoded blob), in stored order —
        at once; `vocab` maps every term id the blobs use."""
        plans = [p for p in plans if _fits(*p)]
        if not plans:
            return cls.empty(vocab)
        part = _rows_of(plans, 0)
        arrays = [a for _, _, a in plans]
        grams = bm25.build(_term_counts(vocab, [a.grams for a in arrays]), VARIANT)  # the bigger first
        return cls(**part, plan_rows=_spans(part["plan_ids"]),
                   bm25=bm25.build(_term_counts(vocab, [a.words for a in arrays]), VARIANT), grams=grams)

    # -- changes -----------------------------------------------------------------------------
    def with_plans(self, plans: Iterable[tuple[int, np.ndarray, blob.PlanArrays]],
                   vocab: dict[str, int]) -> "Corpus":
        """This corpus plus `plans` — (plan id, item ids, decoded blob) — appended after the
        others, in one step: adding a batch costs its size plus one copy of the rest. Given
        an iterator that alone holds them (blobs read back after an index run), the blobs
        are let go once laid end to end, before the postings, the peak, are built."""
        plans = [p for p in plans if _fits(*p)]
        if not plans:
            return self
        part = _rows_of(plans, self.size)
        joined = {name: np.concatenate([getattr(self, name), value]) for name, value in part.items()}
        rows = {**self.plan_rows, **_spans(part["plan_ids"], self.size)}
        words = _term_counts(vocab, [a.words for _, _, a in plans])
        grams = _term_counts(vocab, [a.grams for _, _, a in plans])
        del plans, part
        # The bigger channel first, while the smaller one's postings do not exist yet.
        grams_index = self.grams.extend(grams)
        del grams
        return Corpus(**joined, plan_rows=rows, records=self.records, bm25=self.bm25.extend(words),
                      grams=grams_index)

    def without_plan(self, plan_id: int, arrays: blob.PlanArrays) -> "Corpus":
        """This corpus without one plan (`arrays`: its blob, for the terms it held)."""
        if plan_id not in self.plan_rows:
            return self
        start, end = self.plan_rows[plan_id]
        rows = {p: span for p, span in self.plan_rows.items() if p != plan_id}
        dead = np.arange(start, end)
        return replace(self, plan_rows=rows, _masks={}, _by_id=[], _cache={}, records={},
                       bm25=self.bm25.drop(dead, arrays.words.term_ids.astype(np.int64)),
                       grams=self.grams.drop(dead, arrays.grams.term_ids.astype(np.int64)))

    # -- reading -----------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Rows, dead ones included."""
        return len(self.ids)

    @property
    def live(self) -> np.ndarray:
        return self.bm25.live

    def mask(self, kinds: tuple[str, ...], plan_id: int | None = None,
             plans: frozenset[int] | None = None) -> np.ndarray:
        """Live rows of these kinds, in one plan or in a set of plans (None: all):
        precomputed per kinds, then a slice per plan."""
        base = self._masks.get(kinds)
        if base is None:
            base = np.isin(self.kinds, [blob.KINDS.index(k) for k in kinds]) & self.live
            base.flags.writeable = False
            self._masks[kinds] = base
        if plan_id is None and plans is None:
            return base
        key = (kinds, plans) if plan_id is None else None  # a chat's plans: asked again and again
        if key in self._masks:
            return self._masks[key]
        out = np.zeros(self.size, dtype=bool)
        for plan in [plan_id] if plan_id is not None else plans:
            start, end = self.plan_rows.get(plan, (0, 0))
            out[start:end] = base[start:end]
        if key is not None:
            if len(self._masks) > MAX_CACHED_MASKS:  # many chats: keep memory bounded
                self._masks.clear()
            out.flags.writeable = False
            self._masks[key] = out
        return out

    def counts(self, plan_id: int) -> tuple[int, int, int]:
        """(items, items naming owners, items naming deadlines) of a plan, from the arrays:
        differences of running totals over every row, made once per snapshot, because the
        plan list asks it of every plan (at 100k items 2,000 slices and sums: 0.05-0.09 s)."""
        totals = self.once("counts", self._running_counts)
        start, end = self.plan_rows.get(plan_id, (0, 0))
        items, owners, dated = (totals[:, end] - totals[:, start]).tolist()
        return items, owners, dated

    def _running_counts(self) -> np.ndarray:
        items = self.kinds == ITEM
        per_row = np.stack([items, items & (self.flags & blob.HAS_OWNERS > 0),
                            items & (self.flags & blob.HAS_DEADLINES > 0)])
        totals = np.zeros((3, self.size + 1), dtype=np.int32)
        np.cumsum(per_row, axis=1, out=totals[:, 1:])
        return totals

    def once(self, key: Hashable, make: Callable[[], Any]) -> Any:
        """A value derived from this snapshot, made the first time it is asked for (the plan
        list's counts, the unit names, answer/schedule.py's timetables): not derived again per
        question. A new snapshot starts without them."""
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def parts(self, plan_id: int) -> np.ndarray:
        """The rows of a plan's top-level sections (一、二、…), in order."""
        return np.flatnonzero(self.mask(("section",), plan_id) & (self.depth == 0))

    def heads(self, row: int) -> list[int]:
        """The sections over a row, the highest first: at each depth above it, the last
        section before it whose subtree holds it."""
        plan = int(self.plan_ids[row])
        return list(self.once(("heads", plan), lambda: self._plan_heads(plan))[row - self.plan_rows[plan][0]])

    def _plan_heads(self, plan_id: int) -> list[tuple[int, ...]]:
        # One walk over the plan, made once per snapshot: asked of the best item of most
        # questions, a numpy search per depth cost more than the walk over a plan's rows.
        # A section stays open until a row of its depth or shallower (`subtree_end`).
        start, end = self.plan_rows[plan_id]
        sections = self.mask(("section",), None)[start:end].tolist()
        open_, out = [], []  # (depth, row) of the open sections, shallowest first
        for at, (depth, section) in enumerate(zip(self.depth[start:end].tolist(), sections)):
            while open_ and open_[-1][0] >= depth:
                open_.pop()
            out.append(tuple(r for _, r in open_))
            if section:
                open_.append((depth, start + at))
        return out

    def broad_sections(self) -> np.ndarray:
        """Sections over two items or more, as a row mask (made once): the areas a question can
        name as a whole (人居环境那几项); a section of one item is that item's heading."""
        return self.once("broad", self._broad_sections)

    def _broad_sections(self) -> np.ndarray:
        # A section's subtree ends at the next row of its depth or shallower, or at its plan's
        # end: per depth (a handful), a search among those rows, not a walk over every row.
        items = np.concatenate([[0], np.cumsum((self.kinds == ITEM) & self.live)])
        starts = np.zeros(self.size, dtype=bool)
        starts[[a for a, b in self.plan_rows.values() if a < b]] = True
        out = np.zeros(self.size, dtype=bool)
        sections = self.kinds == SECTION
        for depth in sorted(set(self.depth[sections].tolist())):  # (np.unique would load numpy.ma: ~20 ms of a one-shot)
            heads = np.flatnonzero(sections & (self.depth == depth))
            stops = np.concatenate([np.flatnonzero((self.depth <= depth) | starts), [self.size]])
            ends = stops[np.searchsorted(stops, heads, side="right")]
            out[heads] = items[ends] - items[heads + 1] >= 2
        return out

    def row_of(self, item_id: int) -> int | None:
        """The live row of an item id, or None."""
        if not self._by_id:
            self._by_id.append(np.argsort(self.ids, kind="stable"))
        by_id = self._by_id[0]
        pos = int(np.searchsorted(self.ids, item_id, sorter=by_id))
        while pos < self.size and self.ids[by_id[pos]] == item_id:
            if self.live[by_id[pos]]:
                return int(by_id[pos])
            pos += 1
        return None

    def abbreviations(self) -> Abbreviations:
        """The live words and unit names, to expand abbreviations against (made once)."""
        return self.once("abbrev", lambda: Abbreviations([*plain_terms(self.bm25.vocab), *self.unit_names()]))

    def unit_names(self) -> dict[str, int]:
        """Every unit named as an owner in a live row → its term id."""
        return self.once("units", self._unit_names)

    def _unit_names(self) -> dict[str, int]:
        live = np.unique(self.owner_units[self.live[self.owner_rows]]) if len(self.owner_rows) else []
        wanted = {int(u) for u in live}
        terms = list(self.bm25.terms.items())  # one copy: a writer may be adding terms
        return {t[1:]: i for t, i in terms if t.startswith(blob.UNIT_PREFIX) and i in wanted}

    def with_ancestor(self, number: int) -> np.ndarray:
        """Rows that have an ancestor numbered `number`."""
        out = np.zeros(self.size, dtype=bool)
        out[self.anc_rows[self.anc == number]] = True
        return out

    def subtree_end(self, row: int) -> int:
        """The row after the last descendant of `row`: rows are a plan's tree in document
        order, so its descendants are the rows after it that lie deeper."""
        end = self.plan_rows[int(self.plan_ids[row])][1]
        shallower = np.flatnonzero(self.depth[row + 1:end] <= self.depth[row])
        return row + 1 + int(shallower[0]) if len(shallower) else end


def _fits(plan_id: int, item_ids: np.ndarray, arrays: blob.PlanArrays) -> bool:
    if len(item_ids) != arrays.n_items:
        log.warning("plan %s: its index does not match its items; left out until re-indexed", plan_id)
        return False
    return True


def _rows_of(plans: list[tuple[int, np.ndarray, blob.PlanArrays]], first: int) -> dict[str, np.ndarray]:
    """The per-row arrays of `plans`, their rows numbered from `first`."""
    def cat(get) -> np.ndarray:
        return np.concatenate([get(a) for _, _, a in plans]).astype(np.int64)

    depth, n_due, n_own = cat(lambda a: a.shape.depth), cat(lambda a: a.shape.n_due), cat(lambda a: a.owners.n)
    rows = np.arange(first, first + len(depth))
    return {"ids": np.concatenate([ids for _, ids, _ in plans]).astype(np.int64),
            "plan_ids": np.concatenate([np.full(a.n_items, pid) for pid, _, a in plans]).astype(np.int64),
            "kinds": cat(lambda a: a.shape.kind).astype(np.int8), "depth": depth,
            "own": cat(lambda a: a.shape.own), "anc_rows": np.repeat(rows, depth),
            "anc": cat(lambda a: a.shape.anc), "due_rows": np.repeat(rows, n_due),
            "due": cat(lambda a: a.shape.due), "flags": cat(lambda a: a.shape.flags).astype(np.int8),
            "owner_rows": np.repeat(rows, n_own), "owner_units": cat(lambda a: a.owners.units),
            "owner_roles": cat(lambda a: a.owners.roles).astype(np.int8)}


def _term_counts(vocab: dict[str, int], bags: list[blob.Counts]) -> bm25.TermCounts:
    return bm25.from_bags(vocab, np.concatenate([b.term_ids for b in bags]), _counts(bags),
                          np.concatenate([b.n_terms for b in bags]),
                          np.concatenate([b.doc_len for b in bags]))


def _counts(bags: list[blob.Counts]) -> np.ndarray:
    """The bags' counts end to end, already in the type the postings keep them in (uint16,
    not the blobs' int32): loading 100k items holds both channels' counts at once, next to
    every plan's blob, at the peak of an index run (postings._narrow keeps them as they are)."""
    top = max((int(b.counts.max()) for b in bags if len(b.counts)), default=0)
    kept = postings.count_type(top)
    if np.dtype(kept).itemsize >= 4:  # a freak count: widened as before, by the postings
        return np.concatenate([b.counts for b in bags])
    return np.concatenate([b.counts for b in bags], dtype=kept, casting="unsafe")  # every count fits


def _spans(plan_of: np.ndarray, first: int = 0) -> dict[int, tuple[int, int]]:
    """plan id → (first row, row after the last) of rows grouped by plan, numbered from `first`."""
    if not len(plan_of):
        return {}
    starts = np.flatnonzero(np.r_[True, plan_of[1:] != plan_of[:-1]])
    ends = np.r_[starts[1:], len(plan_of)]
    return {int(plan_of[a]): (first + int(a), first + int(b)) for a, b in zip(starts, ends)}
