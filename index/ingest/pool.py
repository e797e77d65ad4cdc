"""Indexing on every core: parse and tokenize plan files in worker processes.

jieba is pure Python and the bottleneck of indexing, so a big `index` run uses one worker
process per core. The tokens must not depend on that: a plan is tokenized with exactly
the user words it would get indexed alone after the plans before it (the store's words,
then those of every earlier plan of the run, in order, then its own). Each worker is a
single-process executor, so the parent knows which plans' words it has already been
given, and a task carries only the words it is missing.

Two steps per chunk of files, both in the worker the chunk belongs to: parse (it sends back
only each plan's words, and keeps the plans), then, once the words of every plan before the
chunk are known, tokenize the plans it kept and send them back ready to store. One stream:
chunks are parsed while earlier ones are tokenized and stored, a plan's texts never cross
between processes, and the parent holds only the plans it has not stored yet.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from .. import cn
from ..errors import PlanFileError
from ..limits import MAX_INDEX_FILE_BYTES
from ..models import Deadline, Heading, Item, Owner, Plan
from ..search.bags import tokenize_items
from ..store import PlanRecord
from .parse import parse_plan
from .prepare import Prepared, prepare
from .read import read_plan_bytes

log = logging.getLogger(__name__)

CHUNK = 4  # files per task: small enough to keep both cores busy to the end
AHEAD = 2  # chunks parsed per worker ahead of the next one to be stored (bounds memory)

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
        if context.get_start_method() == "fork":
            _warm()
        self.pools = [ProcessPoolExecutor(1, mp_context=context, initializer=_start,
                                          initargs=(base_words, cache_dir)) for _ in range(n)]

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        for pool in self.pools:
            pool.shutdown(wait=True, cancel_futures=True)

    def run(self, jobs: Sequence[Job]) -> Iterator[tuple[PlanRecord | str, bool]]:
        """Each job's plan, tokenized and ready to store (or why it cannot be read), in order,
        as soon as it and those before it are done, with whether the next one is ready too
        (the caller commits before it would wait). Chunk j lives in worker j % n: parsed
        there, kept there, tokenized there with the words of every plan before it."""
        chunks = [jobs[a:a + CHUNK] for a in range(0, len(jobs), CHUNK)]
        n = len(self.pools)
        words: dict[int, list[list[str]]] = {}  # chunk → its plans' words, once parsed
        given = [0] * n  # per worker: it has the words of every chunk before this one
        pending: dict[Future, tuple[str, int]] = {}
        done: dict[int, list] = {}
        parsed = next_parse = next_token = next_out = 0

        def submit() -> None:
            nonlocal next_parse, next_token
            while next_token < parsed:  # tokenize what can be: every chunk before it is parsed
                j, w = next_token, next_token % n
                before = [t for c in range(given[w], j) for t in words[c]]
                given[w] = j + 1
                pending[self.pools[w].submit(_tokenize, j, before)] = ("tokenize", j)
                next_token += 1
            for c in [c for c in words if c < min(given)]:
                del words[c]  # every worker has them
            while next_parse < len(chunks) and next_parse < next_out + AHEAD * n:
                j = next_parse
                pending[self.pools[j % n].submit(_parse, j, chunks[j])] = ("parse", j)
                next_parse += 1

        submit()
        while next_out < len(chunks):
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for f in finished:
                step, j = pending.pop(f)
                if step == "parse":
                    words[j] = [w for w in f.result() if not isinstance(w, str)]
                else:
                    done[j] = f.result()
            while parsed in words:
                parsed += 1  # chunks parsed in an unbroken run from the first
            while next_out in done:
                plans = done.pop(next_out)
                next_out += 1
                submit()
                for k, plan in enumerate(plans, 1):
                    yield plan, k < len(plans) or next_out in done
            submit()


def _warm() -> None:
    """Do once, before the workers fork, what each would otherwise do for itself: build the
    validators of the models parsing makes (models.py builds them on first use), and cn2an's
    import and patterns (0.15-0.3 s of CPU at its first number; 3 MB)."""
    for model in (Plan, Item, Heading, Owner, Deadline):
        model.model_rebuild()
    cn.to_int("十二")


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


_KEPT: dict[int, list[Prepared | str]] = {}  # chunk → its parsed plans, until tokenized


def _parse(chunk: int, jobs: Sequence[Job]) -> list[list[str] | str]:
    """Parse a chunk and keep it; each plan's words (or why it cannot be read) go back."""
    _KEPT[chunk] = parse_files(jobs)
    return [p if isinstance(p, str) else p.terms for p in _KEPT[chunk]]


def _tokenize(chunk: int, before: list[list[str]]) -> list[PlanRecord | str]:
    """The kept chunk tokenized, after adding the words of the plans before it (`before`:
    those this worker has not added yet) and then each plan's own."""
    global _TOKENIZER
    if _TOKENIZER is None:  # loaded here, not at start: parsing needs no dictionary
        from ..search.tokenize import Tokenizer

        _TOKENIZER = Tokenizer(_BASE_WORDS, cache_dir=_CACHE_DIR, whole_dictionary=True, compiled=True)
    for terms in before:
        _TOKENIZER.add_words(terms)
    out: list[PlanRecord | str] = []
    for plan in _KEPT.pop(chunk):
        if isinstance(plan, str):
            out.append(plan)
            continue
        _TOKENIZER.add_words(plan.terms)
        out.append(plan.record(tokenize_items(_TOKENIZER, plan.texts)))
    return out


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
