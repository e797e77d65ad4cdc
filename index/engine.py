"""The Engine: the one object the CLI, the terminal chat and the bot talk to."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import logging
import os
import sqlite3
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import answer as say
from . import postings, rank, workers
from .errors import AmbiguousPlan, ItemNotFound, PlanFileError, PlanNotFound, StoreError
from .intent import Query, classify, lookup_ref
from .models import Answer, Citation, Deadline, Heading, IndexReport, Owner, Plan, PlanInfo, SkippedFile
from .parse import parse_plan
from .read import CLI_MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_plan_bytes
from .store import Store, is_storage_error
from .synonyms import expand
from .tokenize import Tokenizer

MAX_QUESTION = 500  # characters; a longer question is cut (README "Limits")
MAX_TOP = 20  # results per answer at most
MAX_INDEX_FILE_BYTES = CLI_MAX_FILE_BYTES  # per plan file on disk; uploads have a smaller one
VARIANT = "plus"  # see rank.py and the README: ranked the question set best
FOUND_COVERAGE = 0.5  # share of the question's term weight the best item must contain
_SENTENCE = re.compile(r"(?<=[。；;！!？?\n])")
log = logging.getLogger(__name__)


_ITEM, _SECTION = postings.KINDS.index("item"), postings.KINDS.index("section")
POOL_MIN_BYTES = 128 * 1024  # changed files at least this big are indexed on every core
COMMIT_EVERY = 32  # plans per transaction at most while the workers deliver faster than we store


@dataclass
class _Corpus:
    """A snapshot of the database in memory; replaced whole after every write.

    Numbers only (see index/postings.py): rows are items in plan, position order, and the
    text of an item is read from the database when it is cited. At 100k items this is a
    few arrays and the BM25 matrix instead of 100k tuples of strings."""

    ids: np.ndarray  # item id per row
    plan_ids: np.ndarray  # plan id per row
    kinds: np.ndarray  # kind code per row (postings.KINDS)
    depth: np.ndarray  # ancestors per row
    own: np.ndarray  # the number of the row's own key, or postings.NO_NUMBER
    anc_rows: np.ndarray  # for every ancestor of every row: the row …
    anc: np.ndarray  # … and the ancestor's number
    due_rows: np.ndarray  # for every dated deadline: the row …
    due: np.ndarray  # … and the date's ordinal
    flags: np.ndarray  # postings.HAS_OWNERS | HAS_DEADLINES per row
    plan_rows: dict[int, tuple[int, int]]  # plan id → its first row and the row after its last
    bm25: rank.BM25
    _masks: dict[tuple[str, ...], np.ndarray] = field(default_factory=dict)
    _by_id: np.ndarray | None = None

    @classmethod
    def load(cls, store: Store) -> "_Corpus":
        ids, plan_of = store.item_ids()
        spans = _spans(plan_of)
        plans, rows = [], []
        for plan_id, _title, blob in store.plan_blobs():
            span = spans.get(plan_id)
            try:
                arrays = postings.decode(blob)
            except ValueError:
                arrays = None
            if arrays is None or span is None or span[1] - span[0] != arrays.n_items:
                log.warning("plan %s: its index does not match its items; left out until re-indexed", plan_id)
                continue
            plans.append(arrays)
            rows.append(np.arange(*span))
        keep = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        if len(keep) != len(ids):
            ids, plan_of = ids[keep], plan_of[keep]

        def cat(get) -> np.ndarray:
            return np.concatenate([get(a) for a in plans]) if plans else np.zeros(0, dtype=np.int32)

        kinds, depth, n_due = cat(lambda a: a.shape.kind), cat(lambda a: a.shape.depth), cat(lambda a: a.shape.n_due)
        n = len(kinds)
        vocab = {term: term_id for term_id, term in store.term_list()}
        counts = rank.from_bags(vocab, cat(lambda a: a.term_ids), cat(lambda a: a.counts),
                                cat(lambda a: a.n_terms), cat(lambda a: a.doc_len))
        bm25 = rank.build(counts, VARIANT)
        del counts
        return cls(ids=ids, plan_ids=plan_of, kinds=kinds.astype(np.int8), depth=depth,
                   own=cat(lambda a: a.shape.own),
                   anc_rows=np.repeat(np.arange(n), depth), anc=cat(lambda a: a.shape.anc),
                   due_rows=np.repeat(np.arange(n), n_due), due=cat(lambda a: a.shape.due),
                   flags=cat(lambda a: a.shape.flags).astype(np.int8),
                   plan_rows=_spans(plan_of), bm25=bm25)

    @property
    def size(self) -> int:
        return len(self.ids)

    def mask(self, kinds: tuple[str, ...], plan_id: int | None) -> np.ndarray:
        """Rows of these kinds (in one plan): precomputed per kinds, a slice per plan."""
        base = self._masks.get(kinds)
        if base is None:
            base = np.isin(self.kinds, [postings.KINDS.index(k) for k in kinds])
            base.flags.writeable = False
            self._masks[kinds] = base
        if plan_id is None:
            return base
        out = np.zeros(self.size, dtype=bool)
        start, end = self.plan_rows.get(plan_id, (0, 0))
        out[start:end] = base[start:end]
        return out

    def plan_infos(self, headers: list[tuple]) -> list[PlanInfo]:
        """PlanInfo of every plan (id, title, source, year, indexed_at) with its counts of
        items, and of items that name owners / deadlines, from the arrays (no item scan)."""
        items = self.kinds == _ITEM
        owners = items & (self.flags & postings.HAS_OWNERS > 0)
        dated = items & (self.flags & postings.HAS_DEADLINES > 0)
        out = []
        for plan_id, title, source, year, indexed_at in headers:
            start, end = self.plan_rows.get(plan_id, (0, 0))
            out.append(PlanInfo(id=plan_id, title=title, source=source, year=year, indexed_at=indexed_at or "",
                                items=int(items[start:end].sum()), with_owners=int(owners[start:end].sum()),
                                with_deadlines=int(dated[start:end].sum())))
        return out

    def row_of(self, item_id: int) -> int | None:
        if self._by_id is None:
            self._by_id = np.argsort(self.ids, kind="stable")
        pos = int(np.searchsorted(self.ids, item_id, sorter=self._by_id))
        if pos < self.size and self.ids[self._by_id[pos]] == item_id:
            return int(self._by_id[pos])
        return None

    def with_ancestor(self, number: int) -> np.ndarray:
        """Rows that have an ancestor numbered `number`."""
        out = np.zeros(self.size, dtype=bool)
        out[self.anc_rows[self.anc == number]] = True
        return out


def _spans(plan_of: np.ndarray) -> dict[int, tuple[int, int]]:
    """plan id → (first row, row after the last) of rows sorted by plan."""
    if not len(plan_of):
        return {}
    starts = np.flatnonzero(np.r_[True, plan_of[1:] != plan_of[:-1]])
    ends = np.r_[starts[1:], len(plan_of)]
    return {int(plan_of[a]): (int(a), int(b)) for a, b in zip(starts, ends)}


class Engine:
    """An open database plus the in-memory ranking index built from it.

    Open once (`Engine.open(path)`), ask many times. Writing methods update the
    database in one transaction and then refresh the in-memory index.
    """

    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self._cache_dir = cache_dir
        self._tokenizer: Tokenizer | None = None
        self._plans: list[PlanInfo] | None = None
        self._plan_keys: list[tuple[PlanInfo, str, str, str]] = []
        self._reload()

    @classmethod
    def open(cls, db_path: str | Path) -> "Engine":
        path = Path(db_path).expanduser()
        store = Store(path)
        try:
            return cls(store, cache_dir=path.parent / "cache")
        except sqlite3.DatabaseError as e:
            # A file whose header is fine but whose pages are not: found on first read.
            store.close()
            if not is_storage_error(e):
                raise
            raise StoreError(f"无法读取数据库 {path}：文件已损坏（请从备份恢复）") from e

    def close(self) -> None:
        self.store.close()

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.store.terms(), cache_dir=self._cache_dir)
        return self._tokenizer

    @property
    def empty(self) -> bool:
        return not self._fresh().size

    # -- questions -------------------------------------------------------------------
    def ask(self, question: str, *, plan: str | None = None, top: int = 3,
            today: dt.date | None = None, offset: int = 0) -> Answer:
        """Answer a free-text question. `plan` narrows to one plan (a unique part of its
        title or file name); `offset` skips that many results (for a "more" button)."""
        self._fresh()
        question = (question or "")[:MAX_QUESTION]
        top = max(1, min(top, MAX_TOP))
        today = today or dt.date.today()
        query = classify(question, today)
        plan_id = self.find_plan(plan).id if plan else None
        if query.kind == "hint":
            return Answer(question=question, kind="hint", found=False, text=say.HINT)
        if query.kind == "lookup":
            return self._lookup(question, query.ref, plan_id)
        if query.kind == "deadlines" and query.period:
            return self._due(question, *query.period, plan_id=plan_id, top=MAX_TOP)
        if query.kind == "section":
            return self._section(question, query, plan_id)
        return self._search(question, query, plan_id, top, offset)

    def show(self, ref: str, *, plan: str | None = None) -> Answer:
        """The full text of an item by its number: '3', '二.3', '第三条', '（二）'."""
        self._fresh()
        numbers = lookup_ref(ref.strip().strip("（）()、.．"))
        if not numbers:
            raise ItemNotFound(f"“{ref}”不是条目编号；试试 3、二.3 或 第三条。")
        answer = self._lookup(ref, numbers, self.find_plan(plan).id if plan else None)
        if not answer.found:
            raise ItemNotFound(answer.text)
        return answer

    def item(self, item_id: int) -> Citation | None:
        """One item by its database id (buttons, deep links); None when it is gone."""
        row = self._fresh().row_of(item_id)
        cited = self._cites([row]) if row is not None else []
        return cited[0] if cited else None

    def deadlines(self, *, month: str | None = None, within: int | None = None,
                  today: dt.date | None = None, plan: str | None = None) -> Answer:
        """Items due in a month ('2021-06') or within N days of today."""
        self._fresh()
        today = today or dt.date.today()
        if month:
            start = dt.datetime.strptime(month, "%Y-%m").date()
            end = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        else:
            # Clamped: `--within 99999999` means "from now on", not an OverflowError.
            days = min(within if within is not None else 30, (dt.date.max - today).days)
            start, end = today, today + dt.timedelta(days=days)
        plan_id = self.find_plan(plan).id if plan else None
        question = f"{start:%Y-%m-%d}…{end:%Y-%m-%d}"
        return self._due(question, start, end, plan_id=plan_id, top=10_000)

    def plans(self) -> list[PlanInfo]:
        c = self._fresh()
        if self._plans is None:  # once per snapshot: find_plan runs on every scoped question
            self._plans = c.plan_infos(self.store.plan_headers())
            self._plan_keys = [(p, p.title.lower(), p.source.lower(), str(p.id)) for p in self._plans]
        return list(self._plans)

    def find_plan(self, name: str) -> PlanInfo:
        """The plan whose title or file name contains `name`; raises PlanNotFound or
        AmbiguousPlan."""
        needle = name.strip().lower()
        self.plans()
        keys = self._plan_keys  # (plan, title, source, id) in lower case, once per snapshot
        exact = [p for p, title, source, pid in keys if needle in (title, source, pid)]
        hits = exact or [p for p, title, source, _ in keys if needle and (needle in title or needle in source)]
        if not hits:
            raise PlanNotFound(f"没有找到名称包含“{name}”的计划，可以先看看收录了哪些计划。")
        if len(hits) > 1:
            raise AmbiguousPlan(name, [p.title for p in hits])
        return hits[0]

    # -- changes ---------------------------------------------------------------------
    def index_paths(self, paths: Iterable[str | Path],
                    progress: Callable[[list[Path]], Iterable[Path]] | None = None
                    ) -> IndexReport:
        report = IndexReport()
        jobs = self._changed_files(_plan_files(paths, report), report)
        if jobs:
            self._index_jobs(jobs, report, progress)
            self._reload()
        self._summarize(report)
        return report

    def parse_upload(self, name: str, data: bytes) -> Plan:
        """Parse an uploaded file without storing it (for a preview). Raises PlanFileError."""
        plan = parse_plan(read_plan_bytes(name, data), Path(name).name)
        plan.sha256 = hashlib.sha256(data).hexdigest()
        return plan

    def add_plan(self, plan: Plan, *, added_by: int | None = None,
                 chat_id: int | None = None) -> PlanInfo:
        """Store a parsed plan, replacing a plan from the same file name, and note in the
        uploads table who added it from which chat (None, None: the command line)."""
        with self.store.transaction():
            same = plan.sha256 and self.store.plan_sha(plan.source) == plan.sha256
            # The same file again changes nothing: item ids (buttons, links) stay valid.
            plan_id = self._plan_id(plan.source) if same else self._save(plan)
            self.store.record_upload("add", plan_id=plan_id, source=plan.source, sha256=plan.sha256,
                                     user_id=added_by, chat_id=chat_id)
        self._reload()
        return next(p for p in self.plans() if p.source == plan.source)

    def remove_plan(self, name: str, *, added_by: int | None = None,
                    chat_id: int | None = None) -> PlanInfo:
        """Delete a plan; `added_by`/`chat_id` say who removed it (kept in uploads)."""
        info = self.find_plan(name)
        with self.store.transaction():
            sha = self.store.plan_sha(info.source) or ""
            self.store.delete_plan(info.id)
            self.store.record_upload("remove", plan_id=info.id, source=info.source, sha256=sha,
                                     user_id=added_by, chat_id=chat_id)
        self._reload()
        return info

    def _plan_id(self, source: str) -> int:
        return next(p.id for p in self.plans() if p.source == source)

    # -- per-chat settings (kept in the same database) -------------------------------
    def chat_plan(self, chat_id: int) -> PlanInfo | None:
        """The chat's default plan, or None."""
        plan_id = self.store.chat(chat_id)["plan_id"]
        return next((p for p in self.plans() if p.id == plan_id), None)

    def set_chat_plan(self, chat_id: int, name: str | None) -> PlanInfo | None:
        """Set (name) or clear (None) the chat's default plan; raises PlanNotFound."""
        info = self.find_plan(name) if name else None
        self.store.update_chat(chat_id, plan_id=info.id if info else None)
        return info

    def set_reminder(self, chat_id: int, at: dt.time | None) -> None:
        """Daily digest time for a chat, or None to turn it off."""
        self.store.update_chat(chat_id, remind_at=at.strftime("%H:%M") if at else None)

    def reminders(self) -> dict[int, dt.time]:
        """chat id → daily digest time, for re-creating jobs at start-up."""
        return {chat: dt.time.fromisoformat(at) for chat, at in self.store.reminders().items()}

    # -- inside ----------------------------------------------------------------------
    def _fresh(self) -> _Corpus:
        """The snapshot, reloaded first when another process has written meanwhile (an
        `index` run next to a serving bot): item text is read when cited, so the numbers
        in memory must describe the rows in the database."""
        if self.store.data_version() != self._version:
            self._reload()
        return self._corpus

    def _reload(self) -> None:
        self._version = self.store.data_version()
        self._corpus = _Corpus.load(self.store)
        self._plans = None
        if self._tokenizer is not None:  # words of plans another process added
            self._tokenizer.add_words(self.store.terms())

    def _changed_files(self, files: list[Path], report: IndexReport) -> list[tuple[workers.Job, bool]]:
        """The files whose content is not stored yet, read, each with whether it replaces
        a stored plan; the rest reported."""
        jobs: list[tuple[workers.Job, bool]] = []
        seen: dict[str, str] = {}  # a second file of the same name replaces the first
        for path in files:
            try:
                size = path.stat().st_size
                if size > MAX_INDEX_FILE_BYTES:
                    raise PlanFileError(str(path), f"文件太大（{size // 1024 // 1024} MB，上限 "
                                                   f"{MAX_INDEX_FILE_BYTES // 1024 // 1024} MB）")
                data = path.read_bytes()
            except OSError as e:
                report.skipped.append(SkippedFile(path=str(path), reason=f"无法读取：{e.strerror or e}"))
                continue
            except PlanFileError as e:
                report.skipped.append(SkippedFile(path=str(path), reason=e.reason))
                continue
            digest = hashlib.sha256(data).hexdigest()
            old = seen[path.name] if path.name in seen else self.store.plan_sha(path.name)
            if old == digest:
                report.unchanged.append(str(path))
                continue
            seen[path.name] = digest
            jobs.append(((str(path), data, digest, MAX_INDEX_FILE_BYTES), old is not None))
        return jobs

    def _index_jobs(self, jobs: list[tuple[workers.Job, bool]], report: IndexReport,
                    progress: Callable[[list[Path]], Iterable[Path]] | None) -> None:
        """Parse, tokenize and store the files, in order. Each plan is tokenized with the
        words of the plans stored before it plus its own, wherever that happens, so the
        tokens are the same as when the files are indexed one by one. Big runs use a
        worker process per core (index/workers.py)."""
        files = [job for job, _ in jobs]
        shown = iter(progress([Path(f[0]) for f in files])) if progress else None
        cores = os.cpu_count() or 1
        if cores > 1 and len(files) > 1 and sum(len(f[1]) for f in files) >= POOL_MIN_BYTES:
            with workers.Workers(min(cores, len(files)), self.store.terms(),
                                 str(self._cache_dir) if self._cache_dir else None) as pool:
                parsed = pool.parse(files)
                ready = [p for p in parsed if not isinstance(p, str)]
                self._store_all(jobs, parsed, pool.tokenize(ready), report, shown)
            if self._tokenizer is not None:  # the words this process's questions need
                for plan in ready:
                    self._tokenizer.add_words(plan.terms)
            return
        parsed = workers.parse_files(files)

        def one_by_one() -> Iterator[tuple[postings.Bag, bool]]:
            for plan in parsed:
                if not isinstance(plan, str):
                    self.tokenizer.add_words(plan.terms)
                    yield postings.tokenize_items(self.tokenizer, plan.texts), False

        self._store_all(jobs, parsed, one_by_one(), report, shown)

    def _store_all(self, jobs: list[tuple[workers.Job, bool]], parsed: list,
                   bags: Iterator[tuple[postings.Bag, bool]], report: IndexReport,
                   shown: Iterator[Path] | None) -> None:
        """Store the plans as their bags arrive. Plans whose bags are ready together share
        a transaction (each commit waits for the disk); a transaction never waits for a
        worker, so a killed run leaves every plan it committed whole."""
        pending: list[tuple[postings.PreparedPlan, str, bool]] = []

        def flush() -> None:
            if pending:
                with self.store.transaction():
                    for plan, _, _ in pending:
                        self.store.save_prepared(plan)
                for _, path, old in pending:
                    (report.updated if old else report.added).append(path)
                pending.clear()

        for ((path, *_), old), plan in zip(jobs, parsed):
            if isinstance(plan, str):
                report.skipped.append(SkippedFile(path=path, reason=plan))
            else:
                plan.bag, more_ready = next(bags)
                plan.texts = []  # done with: a big run holds every plan until it is stored
                pending.append((plan, path, old))
                if not more_ready or len(pending) >= COMMIT_EVERY:
                    flush()
            if shown is not None:
                next(shown, None)
        flush()

    def _save(self, plan: Plan) -> int:
        prepared = postings.prepare(plan)
        self.tokenizer.add_words(prepared.terms)
        prepared.bag = postings.tokenize_items(self.tokenizer, prepared.texts)
        return self.store.save_prepared(prepared)

    def _summarize(self, report: IndexReport) -> None:
        infos = self.plans()
        report.plans = len(infos)
        report.items = sum(p.items for p in infos)
        report.with_owners = sum(p.with_owners for p in infos)
        report.with_deadlines = sum(p.with_deadlines for p in infos)

    def _cites(self, rows: Iterable[int], scores: Iterable[float] | None = None,
               terms: Iterable[str] = ()) -> list[Citation]:
        """Citations of snapshot rows, their text read from the database in one query. A
        row gone since the snapshot (a concurrent write, seen at the next question) is
        left out."""
        c = self._corpus
        rows = [int(i) for i in rows]
        scores = list(scores) if scores is not None else [0.0] * len(rows)
        found = self.store.items_by_id([int(c.ids[i]) for i in rows])
        words = set(terms)
        out = []
        for i, score in zip(rows, scores):
            row = found.get(int(c.ids[i]))
            if row is not None and row[1] == c.plan_ids[i]:
                out.append(_citation(row, score, words))
        return out

    def _mask(self, plan_id: int | None, kinds: tuple[str, ...]) -> np.ndarray:
        return self._corpus.mask(kinds, plan_id)

    def _search(self, question: str, query: Query, plan_id: int | None, top: int, offset: int) -> Answer:
        kinds = ("item",) if query.kind in ("who", "when") else ("item", "preamble")
        ranked, terms = self._rank(query.topic, self._mask(plan_id, kinds), offset + top + 1)
        hits = ranked[offset:offset + top]
        if not hits:
            return Answer(question=question, kind=query.kind, found=False, text=say.not_found_text(question))
        citations = self._cites([i for i, _ in hits], [s for _, s in hits], terms)
        if not citations:
            return Answer(question=question, kind=query.kind, found=False, text=say.not_found_text(question))
        text = {"who": say.who_text, "when": say.when_text}.get(query.kind, say.search_text)(citations[0])
        return Answer(question=question, kind=query.kind, found=True, text=text,
                      citations=citations, more=len(ranked) > offset + top)

    def _rank(self, topic: str, mask: np.ndarray, k: int) -> tuple[list[tuple[int, float]], list[str]]:
        """The best k rows that cover the question's terms well enough, and the terms."""
        groups = expand(self.tokenizer(topic))
        terms = [t for g in groups for t in g]
        bm25 = self._corpus.bm25
        if not terms or not mask.any():
            return [], terms
        docs, scores = bm25.top(terms, k, mask)
        covered = self._coverage(groups, docs) >= FOUND_COVERAGE
        hits = [(int(i), float(s)) for i, s, ok in zip(docs, scores, covered) if ok]
        return hits, terms

    def _coverage(self, groups: list[list[str]], docs: np.ndarray) -> np.ndarray:
        """Share of the question's term weight found in each of `docs`; a term counts as
        found when it or one of its synonyms is there. Unknown terms weigh the most."""
        bm25 = self._corpus.bm25
        top_idf = bm25.max_idf if bm25.vocab else 1.0
        total = 0.0
        found = np.zeros(len(docs))
        for group in groups:
            # An unknown word weighs like the rarest known one: a question about something
            # no plan mentions must not be "found" on its filler words.
            weight = max((bm25.idf_of(t) for t in group), default=0.0) or top_idf

            total += weight
            held = np.zeros(len(docs), dtype=bool)
            for t in group:
                held |= bm25.contains(t, docs)
            found[held] += weight
        return found / total if total else np.zeros(len(docs))

    def _lookup(self, question: str, ref: tuple[int, ...], plan_id: int | None) -> Answer:
        c = self._corpus
        own, parents = ref[-1], ref[:-1]
        numbered = self._mask(plan_id, ("item", "section")) & (c.own == own)
        for p in parents:
            numbered &= c.with_ancestor(p)
        hits = np.flatnonzero(numbered & (c.kinds == _ITEM))
        if not len(hits):
            hits = np.flatnonzero(numbered & (c.kinds == _SECTION))
        if not len(hits):
            shown = ".".join(str(n) for n in ref)
            return Answer(question=question, kind="lookup", found=False,
                          text=f"没有找到第{shown}条，请换个编号或先选定计划。")
        citations = self._cites(hits[:MAX_TOP])
        if not citations:
            shown = ".".join(str(n) for n in ref)
            return Answer(question=question, kind="lookup", found=False,
                          text=f"没有找到第{shown}条，请换个编号或先选定计划。")
        text = say.lookup_text(citations[0])
        if len({cit.plan_id for cit in citations}) > 1 or len(citations) > 1:
            text += f"（共有{len(citations)}处编号为{own}的条目，已按顺序列出）"
        if citations[0].kind == "section":
            children = self._children(hits[0])
            text = say.section_text(citations[0], children)
            citations = (citations + children)[:MAX_TOP]  # the text still lists them all
        return Answer(question=question, kind="lookup", found=True, text=text, citations=citations)

    def _children(self, section_row: int) -> list[Citation]:
        """The items under a section row (any depth), in order."""
        # Rows are a plan's tree in document order, so a section's descendants are the rows
        # after it that lie deeper, up to the first that does not (a sibling or an uncle).
        c = self._corpus
        end = c.plan_rows[int(c.plan_ids[section_row])][1]
        start = section_row + 1
        shallower = np.flatnonzero(c.depth[start:end] <= c.depth[section_row])
        if len(shallower):
            end = start + int(shallower[0])
        return self._cites(start + np.flatnonzero(c.kinds[start:end] == _ITEM))

    def _section(self, question: str, query: Query, plan_id: int | None) -> Answer:
        c = self._corpus
        if query.ref:
            top_level = self._mask(plan_id, ("section",)) & (c.own == query.ref[0]) & (c.depth == 0)
            rows = [int(i) for i in np.flatnonzero(top_level)]
        else:
            hits, _ = self._rank(query.topic, self._mask(plan_id, ("section",)), 1)
            rows = [hits[0][0]] if hits else []
        if rows:
            (section,) = self._cites(rows[:1]) or [None]
            children = self._children(rows[0])
            # At most MAX_TOP citations (README "Limits"); the text still lists every item.
            return Answer(question=question, kind="section", found=True,
                          text=say.section_text(section, children),
                          citations=[section, *children][:MAX_TOP])
        hits, terms = self._rank(query.topic, self._mask(plan_id, ("item",)), 10)
        if not hits:
            return Answer(question=question, kind="section", found=False, text=say.not_found_text(question))
        citations = self._cites([i for i, _ in hits], [s for _, s in hits], terms)
        return Answer(question=question, kind="section", found=bool(citations),
                      text=say.section_text(None, citations, query.topic), citations=citations)

    def _due(self, question: str, start: dt.date, end: dt.date, *, plan_id: int | None, top: int) -> Answer:
        c = self._corpus
        scope = self._mask(plan_id, ("item",))
        inside = (c.due >= start.toordinal()) & (c.due <= end.toordinal())
        rows, days = c.due_rows[inside], c.due[inside]
        rows, days = rows[scope[rows]], days[scope[rows]]
        by_day = np.lexsort((rows, days))  # earliest date first, then document order
        rows = rows[by_day]
        _, first = np.unique(rows, return_index=True)  # each row once, at its earliest date
        due = rows[np.sort(first)]
        citations = self._cites(due[:top])
        return Answer(question=question, kind="deadlines", found=bool(citations),
                      text=say.deadlines_text(start, end, citations), citations=citations,
                      more=len(due) > top)


def _citation(row: tuple, score: float, terms: set[str]) -> Citation:
    (item_id, plan_id, plan_title, kind, label, key, ancestors, title, text,
     owners, deadlines) = row
    heads = [Heading(**h) for h in json.loads(ancestors)]
    return Citation(
        item_id=item_id, plan=plan_title, plan_id=plan_id, kind=kind, label=label,
        path=[h.key for h in heads] + ([key] if key else []),
        path_titles=[h.title for h in heads], title=title, text=text,
        sentence=_best_sentence(text, terms),
        owners=[Owner(**o) for o in json.loads(owners)],
        deadlines=[Deadline(**d) for d in json.loads(deadlines)],
        score=round(float(score), 4),
    )


def _best_sentence(text: str, terms: set[str]) -> str:
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if not sentences:
        return ""
    if not terms:
        return sentences[0]
    return max(sentences, key=lambda s: sum(len(t) for t in terms if t in s.lower()))


def _plan_files(paths: Iterable[str | Path], report: IndexReport) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")
                           and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                report.skipped.append(SkippedFile(path=str(path), reason="文件夹里没有 .txt/.md/.docx/.pdf 文件"))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            report.skipped.append(SkippedFile(path=str(path), reason="文件或文件夹不存在"))
    return files
