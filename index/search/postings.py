"""Term-major postings: for each term, the documents that hold it and how often, in blocks.

A block covers a range of documents; the index keeps a handful of them, newest last, so
that adding a plan writes one small block instead of rebuilding the big one (see `settle`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .bm25 import TermCounts

SCIPY_FROM = 200_000  # entries from which scipy's counting sort beats numpy's stable argsort
MAX_BLOCKS = 12  # blocks before the smaller ones are merged (see `settle`)
_EMPTY_I = np.zeros(0, dtype=np.int64)
_EMPTY_F = np.zeros(0)
DOC = np.int32  # document numbers: 4 bytes an entry, not 8 (see `_narrow`)
_DOC_MAX = int(np.iinfo(DOC).max)  # once: np.iinfo costs microseconds a call


@dataclass(frozen=True)
class Postings:
    """Term-major counts of a block of documents: for each term of `terms` (sorted), the
    documents that hold it (ascending numbers) and how often."""

    terms: np.ndarray  # int64, sorted
    ptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int32 document numbers (int64 past 2**31 documents)
    tf: np.ndarray  # counts, as small an integer type as holds them (uint16 mostly)

    @classmethod
    def of(cls, tc: TermCounts, first_doc: int) -> "Postings":
        """Document-major bags turned term-major. Small blocks (a plan added, a few plans'
        corpus: every one-shot `planbot ask` on them) sort with numpy; big ones with scipy's
        CSR → CSC counting sort, O(entries), which is many times faster there but takes
        longer to import than a small corpus takes to load. Both give the same arrays."""
        if len(tc.term_ids) >= SCIPY_FROM:
            return cls._of_big(tc, first_doc)
        term_ids = np.asarray(tc.term_ids, dtype=np.int64)
        order = np.argsort(term_ids, kind="stable")  # documents stay ascending within a term
        sorted_terms = term_ids[order]
        starts = np.flatnonzero(np.r_[True, sorted_terms[1:] != sorted_terms[:-1]]) if len(order) else _EMPTY_I
        docs = np.repeat(np.arange(tc.n_docs, dtype=np.int64), tc.n_terms)[order] + first_doc
        return cls(sorted_terms[starts], np.append(starts, len(order)).astype(np.int64),
                   *_narrow(docs, np.asarray(tc.counts)[order]))

    @classmethod
    def _of_big(cls, tc: TermCounts, first_doc: int) -> "Postings":
        from scipy import sparse

        n_rows = int(tc.term_ids.max()) + 1 if len(tc.term_ids) else 0
        doc_ptr = np.zeros(tc.n_docs + 1, dtype=np.int64)
        np.cumsum(tc.n_terms, out=doc_ptr[1:])
        # This is the peak of loading a big corpus and of the end of an index run (several
        # bytes per entry, millions of entries): the counts are sorted as they are (integers)
        # and narrowed once at the end, and each sorted array is let go as soon as its
        # narrowed copy exists.
        by_doc = sparse.csr_matrix((tc.counts, tc.term_ids, doc_ptr), shape=(tc.n_docs, n_rows))
        by_term = by_doc.tocsc()  # a counting sort: O(entries), documents come out ascending
        del by_doc
        held = np.flatnonzero(np.diff(by_term.indptr))
        ptr = np.append(by_term.indptr[held], by_term.indptr[-1]).astype(np.int64)
        indices, counts = by_term.indices, by_term.data
        del by_term
        return cls(held.astype(np.int64), ptr, *_narrow(indices, counts, first_doc))

    @property
    def size(self) -> int:
        return len(self.docs)

    def find(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        i = int(self.terms.searchsorted(term))
        if i < len(self.terms) and self.terms[i] == term:
            a, b = int(self.ptr[i]), int(self.ptr[i + 1])
            return self.docs[a:b], self.tf[a:b]
        return _EMPTY_I, _EMPTY_F

    def gather(self, terms: np.ndarray, rows: tuple[int, int] | None = None
               ) -> tuple[np.ndarray, np.ndarray, list[int]]:
        """The postings of every term of `terms` (repeats included), laid end to end in that
        order: (documents, counts, how many postings each term has here). A question has tens
        of terms: slices copied end to end, not a gather by computed positions. `rows`: as
        `slices`."""
        if not len(self.terms):
            return _EMPTY_I, _EMPTY_F, [0] * len(terms)
        spans = self.slices(terms, rows)
        lengths = [e - a for a, e in spans]
        spans = [(a, e) for a, e in spans if e > a]
        if not spans:
            return _EMPTY_I, _EMPTY_F, lengths
        if len(spans) == 1:
            (a, e), = spans
            return self.docs[a:e], self.tf[a:e], lengths
        return (np.concatenate([self.docs[a:e] for a, e in spans]),
                np.concatenate([self.tf[a:e] for a, e in spans]), lengths)

    def slices(self, terms: np.ndarray, rows: tuple[int, int] | None = None) -> list[tuple[int, int]]:
        """Each term's (start, end) in docs/tf, empty where this block lacks it; `rows`: only
        the documents from rows[0] up to rows[1] (each term's are ascending: two binary
        searches a term, where a question within one plan would copy every posting)."""
        if not len(self.terms):
            return [(0, 0)] * len(terms)
        at = np.minimum(self.terms.searchsorted(terms), len(self.terms) - 1)
        held = (self.terms[at] == terms).tolist()
        starts, ends = self.ptr[at].tolist(), self.ptr[at + 1].tolist()
        spans = [(a, e) if h else (a, a) for a, e, h in zip(starts, ends, held)]
        if rows is not None:
            spans = [self._within(a, e, *rows) for a, e in spans]
        return spans

    def _within(self, a: int, e: int, first: int, end: int) -> tuple[int, int]:
        """The part of docs[a:e] (ascending) from document `first` up to `end`."""
        if e == a or (self.docs[a] >= first and self.docs[e - 1] < end):
            return a, e
        bounds = search(self.docs[a:e], np.asarray([first, end]))
        return a + int(bounds[0]), a + int(bounds[1])

    def spans(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each of `terms`: whether this block holds it, and its (start, end) in docs/tf."""
        if not len(self.terms):
            return np.zeros(len(terms), dtype=bool), np.zeros((len(terms), 2), dtype=np.int64)
        at = np.minimum(np.searchsorted(self.terms, terms), len(self.terms) - 1)
        held = self.terms[at] == terms
        return held, np.stack([self.ptr[at], self.ptr[at + 1]], axis=1)

    def stats(self, doc_len: np.ndarray, chunk: int = 1 << 20) -> tuple[np.ndarray, np.ndarray]:
        """Per term of the block: its highest count, and the length (doc_len, per document
        number) of the shortest document holding it; a chunk of terms at a time, so that the
        lengths of every posting are never all in memory at once."""
        starts = self.ptr[:-1]
        top = np.maximum.reduceat(self.tf, starts) if len(starts) else np.zeros(0, dtype=self.tf.dtype)
        low = np.empty(len(starts))
        first = 0
        while first < len(starts):
            last = int(np.searchsorted(starts, starts[first] + chunk, side="right"))
            last = max(last, first + 1)
            a, e = starts[first], self.ptr[last]
            low[first:last] = np.minimum.reduceat(doc_len[self.docs[a:e]], starts[first:last] - a)
            first = last
        return top.astype(np.int64), low

    @classmethod
    def merge(cls, blocks: Sequence["Postings"]) -> "Postings":
        """One block holding all of `blocks`, which cover ascending ranges of documents."""
        terms = np.concatenate([np.repeat(b.terms, np.diff(b.ptr)) for b in blocks])
        order = np.argsort(terms, kind="stable")  # keeps documents ascending within a term
        terms, docs = terms[order], np.concatenate([b.docs for b in blocks])[order]
        starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]]) if len(terms) else _EMPTY_I
        return cls(terms[starts], np.append(starts, len(terms)).astype(np.int64), docs,
                   np.concatenate([b.tf for b in blocks])[order])


def count_type(top: int) -> type:
    """The type a block's counts are kept in, given the highest: uint16 (all but freak texts)."""
    return np.uint16 if top <= np.iinfo(np.uint16).max else np.int64


def search(held: np.ndarray, docs: np.ndarray, side: str = "left") -> np.ndarray:
    """held.searchsorted(docs) for a term's documents `held` (stored narrow, DOC): numpy would
    first convert all of `held` to the type of `docs` (intp row numbers), a copy of a common
    term's whole postings per call, ~100x the search of a few rows itself; so `docs` are
    narrowed instead, when they fit (`narrowed`: once, for rows searched term after term)."""
    if docs.dtype != held.dtype and held.dtype == DOC:
        docs = narrowed(docs)
    return held.searchsorted(docs, side)


def narrowed(docs: np.ndarray, top: int | None = None) -> np.ndarray:
    """Document numbers as DOC, the type postings keep them in, when they fit: searching
    postings for them then converts nothing (~2 µs a search, where converting took ~8).
    `top`: a bound on them the caller knows (the corpus's size), sparing a pass for the largest."""
    if docs.dtype != DOC and len(docs) and (int(docs.max()) if top is None else top) <= _DOC_MAX:
        return docs.astype(DOC)
    return docs


def _narrow(docs: np.ndarray, counts: np.ndarray, first_doc: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Postings in the narrowest types that hold them: at 100k items the two channels hold
    14.5M entries, 16 bytes each as int64 + float64, 6 as int32 + uint16. Scores do not
    change: a count is a small integer, and numpy widens it exactly where it meets a float64
    (bm25._weights). Both arrays are the caller's own (made by the sort), so one already of
    the right type is kept, not copied: at the peak of building postings a copy is 36 MB."""
    top_doc = first_doc + (int(docs.max()) if len(docs) else 0)
    docs = docs.astype(DOC if top_doc < np.iinfo(DOC).max else np.int64, copy=False)
    if first_doc:
        docs += first_doc
    return docs, counts.astype(count_type(int(counts.max()) if len(counts) else 0), copy=False)


def settle(blocks: tuple[Postings, ...]) -> tuple[Postings, ...]:
    """Merge the newest blocks while the one before is no more than twice as big (a binary
    counter: each document is merged O(log N) times in all), and all the small ones once
    there are too many, so a question looks into a handful of blocks."""
    blocks = list(blocks)
    while len(blocks) > 1 and blocks[-2].size <= 2 * blocks[-1].size:
        blocks[-2:] = [Postings.merge(blocks[-2:])]
    if len(blocks) > MAX_BLOCKS:
        blocks[1:] = [Postings.merge(blocks[1:])]
    return tuple(blocks)
