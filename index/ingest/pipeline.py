"""Files → stored plans: the one way a plan gets into the database (or out of it).

    index_files(store, paths, ...)   a folder or files from the command line, changed ones only
    store_plan(store, plan, ...)     one parsed plan (an upload, after its preview)
    remove_plan(store, plan_id, ...) one plan out

All three end in Store.write_plan / Store.remove_plan, which record who made the change.
Each plan is tokenized with the words of the plans stored before it plus its own, wherever
that happens, so the tokens are the same as when the files are indexed one by one. Big runs
parse and tokenize in a worker process per core (index/ingest/pool.py); the parent only
writes.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import PlanFileError
from ..models import IndexReport, Plan, SkippedFile
from ..search.bags import tokenize_items
from ..search.tokenize import Tokenizer
from ..store import Audit, PlanRecord, Store, Stored
from . import pool
from .prepare import prepare
from .read import plan_files, read_file

POOL_MIN_BYTES = 128 * 1024  # changed files at least this big are indexed on every core
COMMIT_EVERY = 32  # plans per transaction at most
# While the workers deliver slower than we store, plans received are still committed together
# (each commit waits for the disk): at the latest this long after the last commit.
COMMIT_AFTER_S = 0.5

Progress = Callable[[list[Path]], Iterable[Path]]


@dataclass
class _Job:
    path: Path
    data: bytes
    sha256: str


def index_files(store: Store, paths: Iterable[str | Path], tokenizer: Callable[[], Tokenizer], *,
                audit: Audit = Audit(), cache_dir: Path | None = None,
                progress: Progress | None = None) -> tuple[IndexReport, list[Stored]]:
    """Add or update the plans in `paths` whose content is not stored yet; the report of what
    happened to each file and what was stored, in order. `tokenizer` gives the caller's
    tokenizer (made on first use), which plans tokenized in this process go through."""
    files, skipped = plan_files(paths)
    report = IndexReport(skipped=skipped)
    jobs = _changed(store, files, report)
    stored: list[Stored] = []
    if jobs:
        shown = iter(progress([job.path for job in jobs])) if progress else None
        work = [(str(job.path), job.data, job.sha256) for job in jobs]
        cores = os.cpu_count() or 1
        if cores > 1 and len(jobs) > 1 and sum(len(job.data) for job in jobs) >= POOL_MIN_BYTES:
            with pool.Workers(min(cores, len(jobs)), store.terms(),
                              str(cache_dir) if cache_dir else None) as workers:
                stored = _store_all(store, jobs, workers.run(work), audit, report, shown)
        else:
            stored = _store_all(store, jobs, _one_by_one(tokenizer(), work), audit, report, shown)
    return report, stored


def store_plan(store: Store, plan: Plan, tokenizer: Tokenizer, audit: Audit = Audit(),
               scope: int | None = None, *, action: str = "add", plan_id: int | None = None) -> Stored:
    """Tokenize and store one parsed plan in `scope`, as a new version of the plan of the same
    title there (or of plan `plan_id`: a restore)."""
    prepared = prepare(plan)
    tokenizer.add_words(prepared.terms)
    return store.write_plan(prepared.record(tokenize_items(tokenizer, prepared.texts)), audit, scope,
                            action=action, plan_id=plan_id)


def remove_plan(store: Store, plan_id: int, audit: Audit = Audit()):
    """Delete one plan, on record; its blob's arrays, or None when it was gone already."""
    return store.remove_plan(plan_id, audit)


def _changed(store: Store, files: list[Path], report: IndexReport) -> list[_Job]:
    """The files whose content is not stored yet, read; the rest reported. Content, not the
    file name, says whether a file is stored: the same text under another name is the plan
    already there, and which plan a changed file updates is decided by its title."""
    jobs: list[_Job] = []
    seen: set[str] = set()
    for path in files:
        try:
            data = read_file(path)
        except PlanFileError as e:
            report.skipped.append(SkippedFile(path=str(path), reason=e.reason))
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest in seen or store.plan_with_sha(digest) is not None:
            report.unchanged.append(str(path))
            continue
        seen.add(digest)
        jobs.append(_Job(path, data, digest))
    return jobs


def _one_by_one(tokenizer: Tokenizer, work: list[pool.Job]) -> Iterator[tuple[PlanRecord | str, bool]]:
    """Each file parsed and tokenized in this process, in order (pool.Workers.run's stream)."""
    for job in work:
        (plan,) = pool.parse_files([job])
        if isinstance(plan, str):
            yield plan, False
            continue
        tokenizer.add_words(plan.terms)
        yield plan.record(tokenize_items(tokenizer, plan.texts)), False


def _store_all(store: Store, jobs: list[_Job], plans: Iterator[tuple[PlanRecord | str, bool]],
               audit: Audit, report: IndexReport, shown: Iterator[Path] | None) -> list[Stored]:
    """Store the plans as they arrive (or report why a file was skipped). Plans share a
    transaction (each commit waits for the disk): up to COMMIT_EVERY, or those received
    within COMMIT_AFTER_S; a transaction never waits for a worker (plans wait in memory
    instead), so a killed run leaves every plan it committed whole."""
    stored: list[Stored] = []
    pending: list[tuple[PlanRecord, _Job]] = []
    last_commit = float("-inf")  # the first plan is committed at once: a run is seen to progress

    def flush() -> None:
        nonlocal last_commit
        if pending:
            with store.transaction():
                # Every plan's blob kept until the run ends would be a copy of what the
                # database holds (117 MB at 100k items) alive while the corpus builds its
                # postings: the engine reads them back when it appends them.
                done = [store.write_plan(record, audit, decoded=False) for record, _ in pending]
            stored.extend(done)
            for s, (_, job) in zip(done, pending):
                (report.updated if s.replaced is not None else report.added).append(str(job.path))
            pending.clear()
        last_commit = time.monotonic()

    for job, (plan, more_ready) in zip(jobs, plans):
        if isinstance(plan, str):
            report.skipped.append(SkippedFile(path=str(job.path), reason=plan))
        else:
            pending.append((plan, job))
        if len(pending) >= COMMIT_EVERY or (not more_ready and time.monotonic() - last_commit >= COMMIT_AFTER_S):
            flush()
        if shown is not None:
            next(shown, None)
    flush()
    return stored
