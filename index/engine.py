"""The Engine: the one object the CLI, the terminal chat and the bot talk to.

A thin façade over the three flows: ingest (files → stored plans, index/ingest/), search
(the corpus in memory, index/search/) and answer (question → cited answer, index/answer/).
It owns the open database and the current snapshot of the corpus, and keeps the second in
step with the first: its own writes are applied to the corpus plan by plan, and what another
process wrote (an `index` run next to a serving bot) is picked up before the next question.

Writes may run in another thread than questions (the bot stores an upload off its event
loop): they are serialized among themselves, and a question answers from the snapshot it
started with.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits, periods
from .answer import overview
from .answer.ask import ask as answer_question
from .answer.due import due
from .answer.lookup import lookup
from .answer.snapshot import Snapshot, Where
from .answer.intent import asks_changes, lookup_ref
from .answer.which_plan import named_or_only
from .errors import AmbiguousPlan, ItemNotFound, PeriodNotUnderstood, PlanNotFound, StoreError
from .models import Answer, Citation, IndexReport, Plan, PlanDiff, PlanInfo, PlanVersion, Preview
from .search.corpus import Corpus
from .search.tokenize import Tokenizer
from .store import Audit, Store, Stored, is_storage_error

if TYPE_CHECKING:
    from .ingest import pipeline

log = logging.getLogger(__name__)

GONE = "这一条已不在索引中了，可能计划已被更新或删除。"  # an item id nothing is known about
PlanRef = int | str | None  # a plan id, a unique part of a title or file name, or every plan
# `chat`, wherever it is taken: the chat a question comes from, which sees every chat's plans
# (scope None) and its own (scope = its id); None is the command line, which sees them all.


class Engine:
    """An open database plus the in-memory corpus built from it.

    Open once (`Engine.open(path)`), ask many times.
    """

    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self._cache_dir = cache_dir
        self._tokenizer: Tokenizer | None = None
        self._indexer: Tokenizer | None = None  # what plans are cut with here (`_plan_tokenizer`)
        self._write_lock = threading.RLock()
        self._writer: Store | None = None
        self._plans: tuple[Corpus, list[PlanInfo], list[tuple[str, str, str]], dict[str, list[int]]] | None = None
        self._reload()

    @classmethod
    def open(cls, db_path: str | Path, cache_dir: str | Path | None = None) -> "Engine":
        """The engine over the database at `db_path` (made if missing). `cache_dir`: where the
        tokenizer keeps jieba's dictionary split by first character (tokenize._Parts, ~10 MB,
        written on first use in ~1 s); a `cache` folder beside the database unless given."""
        path = Path(db_path).expanduser()
        store = Store(path)
        try:
            return cls(store, cache_dir=Path(cache_dir) if cache_dir is not None else path.parent / "cache")
        except sqlite3.DatabaseError as e:
            # A file whose header is fine but whose pages are not: found on first read.
            store.close()
            if not is_storage_error(e):
                raise
            raise StoreError(f"无法读取数据库 {path}：文件已损坏（请从备份恢复）") from e

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self.store.close()

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.store.terms(), cache_dir=self._cache_dir)
        return self._tokenizer

    def _plan_tokenizer(self) -> Tokenizer:
        """What plans stored in this process are cut with: rjieba when it is installed (the
        same tokens as jieba, loaded whole in ~0.1-0.3 s and ~5× faster, tokenize._Compiled),
        where jieba's lazy dictionary would load most of itself for one plan's text; else
        the question tokenizer. Made once, then kept in step like it (`_add_words`)."""
        if self._indexer is None:
            fast = Tokenizer(cache_dir=self._cache_dir, compiled=True)
            if fast.compiled:
                fast.add_words(self.store.terms())
                self._indexer = fast
            else:
                self._indexer = self.tokenizer
        return self._indexer

    def warm(self) -> None:
        """Load now what a first question and a first plan added would load while someone
        waits: the question tokenizer (jieba's dictionary, about a second), the plan tokenizer
        (rjieba's dictionary and every stored plan's words: 0.2-0.3 s at 100k items; from then
        on it cuts questions too, `_cutter`) and the code that stores a plan. The bot calls it
        before it takes messages. Also the plans' words an abbreviation is expanded against
        (职教 → 职业教育: 40-70 ms, paid by the first question holding a word no plan uses)."""
        from .ingest import pipeline  # noqa: F401 - imported now for what it costs

        self.ask("工作要点")
        self._snapshot().corpus.abbreviations()
        with self._write_lock:  # as add_plan makes it: never two at once
            self._plan_tokenizer()

    def _add_words(self, words: list[str]) -> None:
        """Words of plans stored since the tokenizers were made: each made one gets them."""
        for tokenizer in {id(t): t for t in (self._tokenizer, self._indexer) if t is not None}.values():
            tokenizer.add_words(words)

    @property
    def empty(self) -> bool:
        return not self._fresh().plan_rows

    @property
    def pristine(self) -> bool:
        """No plan was ever stored here (none added, none removed): a brand-new database."""
        return self.empty and not self.store.has_history()

    # -- questions -------------------------------------------------------------------------
    def ask(self, question: str, *, plan: PlanRef = None, top: int = 3, today: dt.date | None = None,
            offset: int = 0, context: int | None = None, chat: int | None = None,
            listed: Mapping[int, int] | None = None) -> Answer:
        """Answer a free-text question. `plan` narrows to one plan; `offset` skips that many
        results (for a "more" button); `context` is the item id the conversation is about (the
        last answer's first citation): 谁负责 / 什么时候 / 下一条 alone are about it; `listed`,
        the items the last answer listed by their numbers (`Answer.listed()`): 第二个 / ② is one."""
        snap = self._snapshot()
        question, _ = limits.clip_question(question or "")
        if asks_changes(question):
            return self._changes_answer(question, plan, chat, top)
        if overview.asks_overview(question):
            return self._overview_answer(question, plan, chat)
        return answer_question(snap, question, where=self._where(plan, chat, snap.corpus),
                             top=max(1, min(top, limits.MAX_TOP)),
                             today=today or dt.date.today(), offset=offset, context=context, listed=listed)

    def show(self, ref: str, *, plan: PlanRef = None, chat: int | None = None) -> Answer:
        """The full text of an item by its number: '3', '二.3', '第三条', '（二）'."""
        snap = self._snapshot()
        numbers = lookup_ref(ref.strip().strip("（）()、.．"))
        if not numbers:
            raise ItemNotFound(f"“{ref}”不是条目编号；试试 3、二.3 或 第三条。")
        answer = lookup(snap, ref, numbers, self._where(plan, chat))
        if not answer.found:
            raise ItemNotFound(answer.text)
        return answer

    def item(self, item_id: int, *, chat: int | None = None) -> Citation | None:
        """One item by its database id (buttons, deep links); None when it is gone or `chat`
        may not see its plan."""
        snap = self._snapshot()
        row = snap.corpus.row_of(item_id)
        if row is None:  # replaced by a later version: the item at the same place now
            retired = self.store.retired_item(item_id)
            current = self.store.item_at(retired[0], retired[1]) if retired else None
            row = snap.corpus.row_of(current) if current is not None else None
        if row is None or (chat is not None and int(snap.corpus.plan_ids[row]) not in self._visible(chat)):
            return None
        cited = snap.cite([row])
        return cited[0] if cited else None

    def gone(self, item_id: int, *, chat: int | None = None) -> str:
        """Why an item id opens nothing for `chat`: which version of which plan removed it (said
        only of a plan `chat` may see)."""
        retired = self.store.retired_item(item_id)
        kept = self.store.versions(retired[0]) if retired else []
        if not kept or (chat is not None and kept[-1]["scope"] not in (None, chat)):
            return GONE
        plan_id, _, version = retired
        info = self.plan(plan_id)
        if info is None:
            return f"这一条所在的计划《{kept[-1]['title']}》已被删除。"
        return f"这一条在《{info.title}》第{version}版中已删除。"

    def deadlines(self, period: str | None = None, *, month: str | None = None, within: int | None = None,
                  between: tuple[dt.date, dt.date] | None = None, today: dt.date | None = None,
                  plan: PlanRef = None, chat: int | None = None, offset: int = 0,
                  limit: int | None = None) -> Answer:
        """Items due in a period, those past their time limit by `today` first: `period` as a
        person writes it (本月, 下周, 本季度, 今年, 2021-06, 2021年6月, 6月, 14天: the parser
        questions use, periods.period_arg), a month ('2021-06'), N days from today, or a span
        (a button's); default the next 30 days. One page of `limit` items from `offset` (None:
        all). Raises PeriodNotUnderstood when `period` names no period."""
        snap = self._snapshot()
        today = today or dt.date.today()
        if between is not None:
            start, end = between
        elif period or month:
            found = periods.period_arg(period or month or "", today)
            if found is None:
                raise PeriodNotUnderstood(f"没看懂“{period or month}”是哪段时间。可以写：{periods.FORMS}。")
            _, start, end = found
        else:
            start, end = periods.within_span(today, within if within is not None else periods.SOON_DAYS)
        return due(snap, period or month or f"{start:%Y-%m-%d}…{end:%Y-%m-%d}", start, end,
                             where=self._where(plan, chat), today=today, offset=offset, limit=limit)

    def plans(self, *, chat: int | None = None) -> list[PlanInfo]:
        """The plans `chat` sees (every plan for None), in id order."""
        infos = self._plan_infos()
        if chat is None:
            return list(infos)  # a copy at C speed
        return [p for p in infos if p.scope in (None, chat)]

    def _plan_infos(self, corpus: Corpus | None = None) -> list[PlanInfo]:
        """Every plan, in id order: the current snapshot's own list, not to be changed (a
        question reads it, 2,000 plans at 100k items, where a copy would cost more than the
        rest of choosing where to search). `corpus`: the snapshot a question already took
        (asking the database whether it changed costs more than the rest)."""
        corpus = self._fresh() if corpus is None else corpus
        if self._plans is None or self._plans[0] is not corpus:  # once per snapshot
            # A plan stored at the same moment as before is the same plan: only the plans a
            # write touched are counted again (one upload among 2,000 plans costs one).
            known = {(p.id, p.indexed_at, p.version): p for p in self._plans[1]} if self._plans else {}
            infos = [known.get((row[0], row[4] or "", row[6])) or _plan_info(row, corpus)
                     for row in self.store.plan_headers()]
            # lower-cased names, once per snapshot: a question naming its plan looks them up
            names = [(p.title.lower(), p.source.lower(), str(p.id)) for p in infos]
            self._plans = (corpus, infos, names, _exact_names(names))
        return self._plans[1]

    def find_plan(self, name: str, *, chat: int | None = None) -> PlanInfo:
        """The plan `chat` sees whose title or file name contains `name` (or whose id it is);
        raises PlanNotFound or AmbiguousPlan."""
        needle = name.strip().lower()
        self._plan_infos()
        _, infos, names, exact_names = self._plans  # one snapshot's, read once

        def sees(p: PlanInfo) -> bool:
            return chat is None or p.scope in (None, chat)

        exact = [infos[i] for i in exact_names.get(needle, ()) if sees(infos[i])]
        hits = exact or [p for p, (title, source, _) in zip(infos, names)
                         if needle and (needle in title or needle in source) and sees(p)]
        if not hits:
            raise PlanNotFound(f"没有找到名称包含“{name}”的计划，可以先看看收录了哪些计划。")
        if len(hits) > 1:
            raise AmbiguousPlan(name, [p.title for p in hits])
        return hits[0]

    def plan(self, plan_id: int, *, chat: int | None = None) -> PlanInfo | None:
        """The plan `plan_id` if `chat` sees it. From the snapshot's list when it is made, else
        from the plan's own row: a plan just added at 100k items (2,000 plans) is not worth
        counting every plan again for."""
        corpus = self._fresh()
        if self._plans is not None and self._plans[0] is corpus:
            info = next((p for p in self._plans[1] if p.id == plan_id), None)
        else:
            row = self.store.plan_header(plan_id)
            info = _plan_info(row, corpus) if row else None
        return info if info is not None and (chat is None or info.scope in (None, chat)) else None

    # -- changes ---------------------------------------------------------------------------
    def index_paths(self, paths: Iterable[str | Path], progress: pipeline.Progress | None = None,
                    ) -> IndexReport:
        """Add or update the plans in files and folders (the command line's `index`)."""
        from .ingest import pipeline  # here: answering questions needs none of ingest

        with self._write_lock:
            report, stored = pipeline.index_files(self._writes(), paths, self._plan_tokenizer,
                                                  cache_dir=self._cache_dir, progress=progress)
            self._apply(stored)
        infos = self.plans()
        report.plans = len(infos)
        report.items = sum(p.items for p in infos)
        report.with_owners = sum(p.with_owners for p in infos)
        report.with_deadlines = sum(p.with_deadlines for p in infos)
        return report

    def parse_upload(self, name: str, data: bytes) -> Plan:
        """Parse an uploaded file without storing it (for a preview). Raises PlanFileError."""
        from .ingest.parse import parse_plan
        from .ingest.read import read_plan_bytes

        plan = parse_plan(read_plan_bytes(name, data), Path(name).name)
        plan.sha256 = hashlib.sha256(data).hexdigest()
        return plan

    def preview(self, plan: Plan, *, scope: int | None = None) -> Preview:
        """What `add_plan(plan, scope=scope)` would do, before anyone confirms it."""
        from .ingest import prepare  # here: answering questions needs none of ingest
        same = self._same_content(self.store, plan, scope)
        if same is not None:
            return Preview(plan=plan, existing=self._known_plan(same), unchanged=True)
        old = self.store.plan_by_title(plan.title, scope)
        limits.check_room(*self.store.scope_size(scope, but=old), plan, scope)
        if old is None:
            return Preview(plan=plan)
        info = self._known_plan(old)
        kept = self.store.version(old, info.version)
        from .answer import changes  # here: a question loads no diffing (difflib)

        diff = PlanDiff(plan=info.title, plan_id=old, old_version=info.version, new_version=info.version + 1,
                        changes=changes.diff_rows(kept[1] if kept else [], prepare.item_rows(plan)))
        return Preview(plan=plan, existing=info, diff=diff)

    def add_plan(self, plan: Plan, *, added_by: int | None = None, chat_id: int | None = None,
                 scope: int | None = None) -> PlanInfo:
        """Store a parsed plan in `scope` (None: every chat's; a chat id: that chat's own), as a
        new version of the plan of the same title there; `added_by`/`chat_id` say who added it
        from which chat (None, None: the command line). The same content again changes nothing:
        item ids (buttons, links) stay valid."""
        from .ingest import pipeline

        with self._write_lock:
            store = self._writes()
            plan_id = self._same_content(store, plan, scope)
            if plan_id is None:
                limits.check_room(*store.scope_size(scope, but=store.plan_by_title(plan.title, scope)), plan, scope)
                stored = pipeline.store_plan(store, plan, self._plan_tokenizer(), Audit(added_by, chat_id), scope)
                self._apply([stored])
                plan_id = stored.plan_id
        return self._known_plan(plan_id)

    @staticmethod
    def _same_content(store: Store, plan: Plan, scope: int | None) -> int | None:
        """The stored plan a chat would answer from that came from this very file: in `scope`,
        or every chat's (a group sending the county's plan again adds no copy of it)."""
        if not plan.sha256:
            return None
        found = store.plan_with_sha(plan.sha256, scope)
        return found if found is not None or scope is None else store.plan_with_sha(plan.sha256, None)

    # -- versions --------------------------------------------------------------------------
    def history(self, name: str, *, chat: int | None = None) -> tuple[PlanInfo | None, str, list[PlanVersion]]:
        """The kept versions of the plan `chat` sees named `name` — or of a removed one, which
        can be restored: (its info or None when removed, its title, versions oldest first)."""
        plan_id, info = self._versioned(name, chat)
        versions = self.store.versions(plan_id)
        current = info.version if info else None
        return info, versions[-1]["title"], [PlanVersion(**v, current=v["version"] == current) for v in versions]

    def changes(self, name: str, *, old: int | None = None, new: int | None = None,
                chat: int | None = None) -> PlanDiff:
        """What changed in a plan between two kept versions (default: the one before the
        current one, and the current one)."""
        plan_id, info = self._versioned(name, chat)
        kept = [v["version"] for v in self.store.versions(plan_id)]
        new = new or (info.version if info else kept[-1])
        old = old or max((v for v in kept if v < new), default=None)
        if old is None:
            raise PlanNotFound(f"《{self.store.versions(plan_id)[-1]['title']}》只有一个版本，没有可比较的旧版。")
        before, after = self.store.version(plan_id, old), self.store.version(plan_id, new)
        if before is None or after is None:
            raise PlanNotFound(f"没有保存第{old if before is None else new}版；可用 history 看看保存了哪些版本。")
        ids = self.store.item_ids_at(plan_id) if info and new == info.version else None
        from .answer import changes

        return PlanDiff(plan=after[0]["title"], plan_id=plan_id, old_version=old, new_version=new,
                        changes=changes.diff_rows(before[1], after[1], ids))

    def restore(self, name: str, version: int | None = None, *, added_by: int | None = None,
                chat_id: int | None = None, chat: int | None = None) -> PlanInfo:
        """Bring back a kept version (default: the one before the current one, or the last one
        of a removed plan) as the plan's newest version; nothing older is lost."""
        from .ingest import prepare

        plan_id, info = self._versioned(name, chat)
        kept = [v["version"] for v in self.store.versions(plan_id)]
        if version is None:
            version = max((v for v in kept if v < info.version), default=None) if info else kept[-1]
        found = self.store.version(plan_id, version) if version is not None else None
        if found is None:
            raise PlanNotFound("没有可以恢复的旧版本。" if version is None
                               else f"没有保存第{version}版；保存的有：{'、'.join(map(str, kept))}。")
        meta, rows = found
        if info is not None and info.version == version:
            return info
        plan = prepare.plan_of_rows(meta, rows)
        from .ingest import pipeline

        with self._write_lock:
            # A removed plan whose title was taken meanwhile comes back as that plan's version.
            target = plan_id if info is not None else self.store.plan_by_title(meta["title"], meta["scope"])
            stored = pipeline.store_plan(self._writes(), plan, self._plan_tokenizer(), Audit(added_by, chat_id),
                                         meta["scope"], action="restore", plan_id=target or plan_id)
            self._apply([stored])
        return self._known_plan(stored.plan_id)

    def _changes_answer(self, question: str, plan: PlanRef, chat: int | None, top: int) -> Answer:
        """乡村振兴方案改了什么: the last change of the plan the question names (answer.changes)."""
        from .answer import changes

        infos = [p for p in self._plans_asked(plan, chat) if plan is not None or p.version > 1]
        chosen = changes.asked_plan(question, infos)
        if isinstance(chosen, str):
            return Answer(question=question, kind="changes", found=False, text=chosen)
        try:
            diff = self.changes(str(chosen.id), chat=chat)
        except PlanNotFound as e:
            return Answer(question=question, kind="changes", found=False, text=str(e))
        ids = [c.item_id for c in diff.changes if c.item_id is not None][:max(1, min(top, limits.MAX_TOP))]
        cited = [c for c in (self.item(i, chat=chat) for i in ids) if c is not None]
        return changes.answer(question, diff, cited)

    def _overview_answer(self, question: str, plan: PlanRef, chat: int | None) -> Answer:
        """乡村振兴方案有几项任务: the counts and parts of the plan the question names (or the
        chosen or only one); with several and none named, each one's count."""
        infos = self._plans_asked(plan, chat)
        chosen = named_or_only(question, infos)
        if chosen is None or overview.asks_plan_list(question):
            return overview.listing(question, infos)
        snap = self._snapshot()
        return overview.answer(question, chosen, snap.cite(snap.corpus.parts(chosen.id)[:limits.MAX_TOP]))

    def _plans_asked(self, plan: PlanRef, chat: int | None) -> list[PlanInfo]:
        """The plan chosen (by id or name), else every plan `chat` sees."""
        if plan is None:
            return self.plans(chat=chat)
        return [self._known_plan(plan, chat) if isinstance(plan, int) else self.find_plan(plan, chat=chat)]

    def _versioned(self, name: str, chat: int | None) -> tuple[int, PlanInfo | None]:
        """The plan named `name` that `chat` sees, else a removed one of that name it saw."""
        try:
            info = self.find_plan(name, chat=chat)
            return info.id, info
        except PlanNotFound:
            needle = name.strip().lower()
            gone = [(pid, title) for pid, title, scope in self.store.removed_plans()
                    if (chat is None or scope in (None, chat)) and needle and needle in title.lower()]
            if len(gone) == 1:
                return gone[0][0], None
            if len(gone) > 1:
                raise AmbiguousPlan(name, [t for _, t in gone]) from None
            raise

    def remove_plan(self, plan: int | str, *, added_by: int | None = None,
                    chat_id: int | None = None) -> PlanInfo:
        """Delete a plan (by id or name); `added_by`/`chat_id` say who removed it. Who may is
        the edge's business (the bot checks the plan's scope)."""
        from .ingest import pipeline

        info = self.find_plan(str(plan)) if isinstance(plan, str) else self._known_plan(plan)
        with self._write_lock:
            arrays = pipeline.remove_plan(self._writes(), info.id, Audit(added_by, chat_id))
            if arrays is None:
                raise PlanNotFound(f"计划《{info.title}》已经不在了。")
            self._corpus = self._corpus.without_plan(info.id, arrays)
            self._versions.pop(info.id, None)
        return info

    # -- inside ----------------------------------------------------------------------------
    def _where(self, plan: PlanRef, chat: int | None, corpus: Corpus | None = None) -> Where:
        """The plans a question is answered from: the one named (among those `chat` sees), else
        all `chat` sees. `corpus`: the snapshot the question is answered from."""
        if plan is not None:
            info = self._known_plan(plan, chat) if isinstance(plan, int) else self.find_plan(plan, chat=chat)
            return Where(plan_id=info.id, names=f"《{info.title}》")
        visible = self._plan_infos(corpus) if chat is None else self.plans(chat=chat)
        names = f"《{visible[0].title}》" if len(visible) == 1 else f"全部 {len(visible)} 份计划"
        return Where(plans=None if chat is None else frozenset(p.id for p in visible), names=names)

    def _visible(self, chat: int) -> frozenset[int]:
        return frozenset(p.id for p in self.plans(chat=chat))

    def _known_plan(self, plan_id: int, chat: int | None = None) -> PlanInfo:
        info = self.plan(plan_id, chat=chat)
        if info is None:
            raise PlanNotFound("这个计划已经不在了，可以先看看收录了哪些计划。")
        return info

    def _writes(self) -> Store:
        """The connection writes go through: its own, so that a question answered meanwhile
        (in another thread) reads committed data only."""
        if self._writer is None:
            self._writer = Store(self.store.path)
        return self._writer

    def _snapshot(self) -> Snapshot:
        # The tokenizer is made on first use: look-ups and deadlines need none.
        corpus = self._fresh()
        return Snapshot(corpus, lambda text: self._cutter()(text),
                                  lambda text: self._cutter().cut(text), self.store.items_by_id,
                                  lambda word: self.tokenizer.rarity(word), lambda: self._plan_infos(corpus))

    def _cutter(self) -> Tokenizer:
        """What a question is cut with: rjieba once it is loaded (for plans added here, or by
        `warm`) — jieba's very words (tests/index/search/test_tokenize.py), ~10× faster than
        jieba's Python HMM; else jieba, whose dictionary loads lazily for a one-shot question.
        How rare a word is stays jieba's to say (`Tokenizer.rarity` reads its frequencies)."""
        indexer = self._indexer
        return indexer if indexer is not None and indexer.compiled else self.tokenizer

    def _fresh(self) -> Corpus:
        """The corpus, first brought up to date with what another process wrote: item text is
        read when cited, so the numbers in memory must describe the rows in the database."""
        version = self.store.data_version()
        if version != self._data_version and self._write_lock.acquire(blocking=False):
            try:
                self._data_version = version
                self._catch_up()
            finally:
                self._write_lock.release()
        return self._corpus

    def _reload(self) -> None:
        self._data_version = self.store.data_version()
        self._vocab: dict[str, int] = {}
        self._term_top = 0  # the highest term id in _vocab
        self._new_terms(self.store)
        self._versions = self.store.plan_versions()
        plans = self.store.plan_blobs()
        for pid, _, arrays in plans:
            if arrays is None:
                log.warning("plan %s: its index cannot be read; left out until re-indexed", pid)
        self._corpus = Corpus.build(self._vocab, [p for p in plans if p[2] is not None])
        if self._tokenizer is not None or self._indexer is not None:  # words of plans another process added
            self._add_words(self.store.terms())

    def _catch_up(self) -> None:
        """Take in what another process wrote: plans added after ours are appended; anything
        else (a plan replaced or removed there) reloads the corpus."""
        versions = self.store.plan_versions()
        gone = [p for p, seq in self._versions.items() if versions.get(p) != seq]
        new = sorted((seq, p) for p, seq in versions.items() if self._versions.get(p) != seq)
        if gone or (new and new[0][0] < max(self._versions.values(), default=0)):
            self._reload()
            return
        if new:
            self._new_terms(self.store)
            added = self.store.plan_blobs([p for _, p in new])
            self._corpus = self._corpus.with_plans([p for p in added if p[2] is not None], self._vocab)
            self._versions.update((p, seq) for seq, p in new)
            if self._tokenizer is not None or self._indexer is not None:
                self._add_words(self.store.terms([p for _, p in new]))

    def _new_terms(self, store: Store) -> None:
        """Terms added to the database since _vocab was last brought up to date. Read back
        rather than carried with each stored plan: a plan's own term → id map holds
        thousands of strings, and an index run would keep one per plan until it ends."""
        rows = store.term_list(after=self._term_top)
        self._vocab.update((term, term_id) for term_id, term in rows)
        if rows:
            self._term_top = rows[-1][0]

    def _apply(self, stored: list[Stored]) -> None:
        """Bring the corpus up to date with our own writes (the write lock held): replaced
        plans out, then every stored plan appended in one step."""
        self._new_terms(self._writes())
        corpus = self._corpus
        for s in stored:
            if s.replaced is not None and s.plan_id in corpus.plan_rows:
                corpus = corpus.without_plan(s.plan_id, s.replaced)
            self._versions[s.plan_id] = s.seq
            self._add_words(s.words)
        # A plan stored twice in one run (two files of one name) is appended as it was last.
        latest = sorted({s.plan_id: s for s in stored}.values(), key=lambda s: s.seq)
        if all(s.arrays is not None for s in latest):
            plans = [(s.plan_id, s.item_ids, s.arrays) for s in latest]
        else:  # an index run's plans: their blobs are read back one by one (Store.read_back)
            plans = self._writes().read_back(latest)
        self._corpus = corpus.with_plans(plans, self._vocab)


def _plan_info(header: tuple, corpus: Corpus) -> PlanInfo:
    """A plan's stored header (Store.plan_header) with its counts in the corpus."""
    plan_id, title, source, year, indexed_at, scope, version = header
    items, owners, dated = corpus.counts(plan_id)
    return PlanInfo(id=plan_id, title=title, source=source, year=year, scope=scope, version=version,
                    indexed_at=indexed_at or "", items=items, with_owners=owners, with_deadlines=dated)


def _exact_names(names: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """Each lower-cased title, file name and id → the positions of the plans it names, in
    order: a question naming its plan by its file name (the usual way) finds it by one look-up
    instead of a pass over every plan (2,000 at 100k items)."""
    out: dict[str, list[int]] = {}
    for i, triple in enumerate(names):
        for name in dict.fromkeys(triple):
            out.setdefault(name, []).append(i)
    return out
