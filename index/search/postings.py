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


@dataclass(frozen=True)
class Postings:
    """Term-major counts of a block of documents: for each term of `terms` (sorted), the
    documents that hold it (ascending numbers) and how often."""

    terms: np.ndarray  # int64, sorted
    ptr: np.ndarray  # int64, len(terms) + 1
    docs: np.ndarray  # int64 document numbers
    tf: np.ndarray  # float64 counts

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
        return cls(sorted_terms[starts], np.append(starts, len(order)).astype(np.int64), docs,
                   np.asarray(tc.counts, dtype=np.float64)[order])

    @classmethod
    def _of_big(cls, tc: TermCounts, first_doc: int) -> "Postings":
        from scipy import sparse

        n_rows = int(tc.term_ids.max()) + 1 if len(tc.term_ids) else 0
        doc_ptr = np.zeros(tc.n_docs + 1, dtype=np.int64)
        np.cumsum(tc.n_terms, out=doc_ptr[1:])
        # This is the peak of loading a big corpus and of the end of an index run (several
        # bytes per entry, millions of entries): the counts are sorted as they are (integers)
        # and widened once at the end, and each sorted array is let go as soon as its widened
        # copy exists. The same values as sorting float64 counts.
        by_doc = sparse.csr_matrix((tc.counts, tc.term_ids, doc_ptr), shape=(tc.n_docs, n_rows))
        by_term = by_doc.tocsc()  # a counting sort: O(entries), documents come out ascending
        del by_doc
        held = np.flatnonzero(np.diff(by_term.indptr))
        ptr = np.append(by_term.indptr[held], by_term.indptr[-1]).astype(np.int64)
        indices, counts = by_term.indices, by_term.data
        del by_term
        docs = indices.astype(np.int64)
        del indices
        docs += first_doc
        tf = counts.astype(np.float64)
        return cls(held.astype(np.int64), ptr, docs, tf)

    @property
    def size(self) -> int:
        return len(self.docs)

    def find(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        i = int(np.searchsorted(self.terms, term))
        if i < len(self.terms) and self.terms[i] == term:
            a, b = self.ptr[i], self.ptr[i + 1]
            return self.docs[a:b], self.tf[a:b]
        return _EMPTY_I, _EMPTY_F

    def gather(self, terms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The postings of every term of `terms` (repeats included), laid end to end in that
        order: (documents, counts, the position in `terms` each posting belongs to)."""
        at = np.searchsorted(self.terms, terms)
        at_end = at >= len(self.terms)
        at[at_end] = 0
        held = ~at_end & (self.terms[at] == terms) if len(self.terms) else np.zeros(len(terms), dtype=bool)
        starts = np.where(held, self.ptr[at], 0) if len(self.terms) else np.zeros(len(terms), dtype=np.int64)
        lengths = np.where(held, self.ptr[np.minimum(at + 1, len(self.ptr) - 1)] - starts, 0)
        total = int(lengths.sum())
        if not total:
            return _EMPTY_I, _EMPTY_F, _EMPTY_I
        which = np.repeat(np.arange(len(terms)), lengths)
        # positions: each term's run start, then counting up within the run
        offsets = np.cumsum(lengths) - lengths
        pos = np.arange(total) + np.repeat(starts - offsets, lengths)
        return self.docs[pos], self.tf[pos], which

    @classmethod
    def merge(cls, blocks: Sequence["Postings"]) -> "Postings":
        """One block holding all of `blocks`, which cover ascending ranges of documents."""
        terms = np.concatenate([np.repeat(b.terms, np.diff(b.ptr)) for b in blocks])
        order = np.argsort(terms, kind="stable")  # keeps documents ascending within a term
        terms, docs = terms[order], np.concatenate([b.docs for b in blocks])[order]
        starts = np.flatnonzero(np.r_[True, terms[1:] != terms[:-1]]) if len(terms) else _EMPTY_I
        return cls(terms[starts], np.append(starts, len(terms)).astype(np.int64), docs,
                   np.concatenate([b.tf for b in blocks])[order])


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
