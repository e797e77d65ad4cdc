"""Indexing on every core: parse and tokenize plan files in worker processes.

jieba is pure Python and the bottleneck of indexing, so a big `index` run uses one worker
process per core. The tokens must not depend on that: a plan is tokenized with exactly
the user words it would get indexed alone after the plans before it (the store's words,
then those of every earlier plan of the run, in order, then its own). Each worker is a
single-process executor, so the parent knows which plans' words it has already been
given, and a task carries only the words it is missing.

Two steps, both in the workers: parse every file (`parse_files`, cheap; it yields each
plan's words), then tokenize (`tokenize_plans`), handing back the plans in their order so
the parent can store them as they come.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from ..errors import PlanFileError
from ..limits import MAX_INDEX_FILE_BYTES
from ..search.bags import tokenize_items
from ..search.blob import Bag
from .parse import parse_plan
from .prepare import Prepared, prepare
from .read import read_plan_bytes

log = logging.getLogger(__name__)

PARSE_CHUNK = 4  # files per parse task
TOKENIZE_CHUNK = 4  # plans per tokenize task: small enough to keep both cores busy to the end
QUEUED = 2  # tasks waiting per worker, so it never idles while the parent stores

Job = tuple[str, bytes, str]  # path, content, sha256


def parse_files(jobs: Sequence[Job]) -> list[Prepared | str]:
    """Each file read and parsed, or the reason it cannot be (a PlanFileError's)."""
    out: list[Prepared | str] = []
    for path, data, digest in jobs:
        try:
            plan = parse_plan(read_plan_bytes(path, data, max_bytes=MAX_INDEX_FILE_BYTES), Path(path).name)
        except PlanFileError as e:
            out.append(e.reason)
            continue
        plan.sha256 = digest
        out.append(prepare(plan))
    return out


class Workers:
    """`n` worker processes, each fed its own queue of tasks."""

    def __init__(self, n: int, base_words: list[str], cache_dir: str | None):
        context = mp.get_context("fork" if _fork_is_safe() else "spawn")
        self.pools = [ProcessPoolExecutor(1, mp_context=context, initializer=_start,
                                          initargs=(base_words, cache_dir)) for _ in range(n)]

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def parse(self, jobs: Sequence[Job]) -> list[Prepared | str]:
        chunks = [jobs[i:i + PARSE_CHUNK] for i in range(0, len(jobs), PARSE_CHUNK)]
        futures = [self.pools[n % len(self.pools)].submit(parse_files, chunk) for n, chunk in enumerate(chunks)]
        return [result for f in futures for result in f.result()]

    def tokenize(self, plans: Sequence[Prepared]) -> Iterator[tuple[Bag, bool]]:
        """The bag of each plan, in order, as soon as it and those before it are done, with
        whether the next one is ready too (the caller commits before it would wait)."""
        chunks = [(a, min(a + TOKENIZE_CHUNK, len(plans))) for a in range(0, len(plans), TOKENIZE_CHUNK)]
        given = [0] * len(self.pools)  # plans whose words each worker has added
        pending: dict[Future, tuple[int, int]] = {}
        done: dict[int, list[Bag]] = {}
        next_chunk = next_out = 0

        def submit(w: int) -> None:
            nonlocal next_chunk
            a, b = chunks[next_chunk]
            before = [p.terms for p in plans[given[w]:a]]
            work = [(p.terms, p.texts) for p in plans[a:b]]
            given[w] = b
            pending[self.pools[w].submit(_tokenize, before, work)] = (next_chunk, w)
            next_chunk += 1

        for _ in range(QUEUED):
            for w in range(len(self.pools)):
                if next_chunk < len(chunks):
                    submit(w)
        while next_out < len(chunks):
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                index, w = pending.pop(f)
                done[index] = f.result()
                if next_chunk < len(chunks):
                    submit(w)
            while next_out in done:
                bags = done.pop(next_out)
                next_out += 1
                for n, bag in enumerate(bags, 1):
                    yield bag, n < len(bags) or next_out in done


def _fork_is_safe() -> bool:
    # Forking a process that runs other threads (the bot) can copy a held lock; a
    # command-line run has one thread and saves the workers re-importing everything.
    return "fork" in mp.get_all_start_methods() and threading.active_count() == 1


# -- inside a worker ------------------------------------------------------------------------
_BASE_WORDS: list[str] = []
_CACHE_DIR: str | None = None
_TOKENIZER = None


def _start(base_words: list[str], cache_dir: str | None) -> None:
    global _BASE_WORDS, _CACHE_DIR, _TOKENIZER
    _BASE_WORDS, _CACHE_DIR, _TOKENIZER = base_words, cache_dir, None
    _die_with_parent()


def _tokenize(before: list[list[str]], work: list[tuple[list[str], list[tuple[str, str, str]]]]
              ) -> list[Bag]:
    global _TOKENIZER
    if _TOKENIZER is None:  # loaded here, not at start: parsing needs no dictionary
        from ..search.tokenize import Tokenizer

        _TOKENIZER = Tokenizer(_BASE_WORDS, cache_dir=_CACHE_DIR, whole_dictionary=True, compiled=True)
    for terms in before:
        _TOKENIZER.add_words(terms)
    bags = []
    for terms, texts in work:
        _TOKENIZER.add_words(terms)
        bags.append(tokenize_items(_TOKENIZER, texts))
    return bags


def _die_with_parent() -> None:
    """A killed `index` run must not leave its workers behind (Linux: PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)
    except (OSError, AttributeError):
        pass
