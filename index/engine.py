"""The Engine: the one object the CLI, the terminal chat and the bot talk to."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import answer as say
from . import rank
from .errors import AmbiguousPlan, ItemNotFound, PlanFileError, PlanNotFound
from .intent import Query, classify, lookup_ref
from .models import Answer, Citation, Deadline, Heading, IndexReport, Owner, Plan, PlanInfo, SkippedFile
from .numbering import key_value
from .parse import parse_plan
from .read import CLI_MAX_FILE_BYTES, SUPPORTED_SUFFIXES, read_plan_bytes
from .store import Store
from .synonyms import expand
from .tokenize import Tokenizer, quoted_terms

MAX_QUESTION = 500  # characters; a longer question is cut (README "Limits")
MAX_TOP = 20  # results per answer at most
MAX_INDEX_FILE_BYTES = CLI_MAX_FILE_BYTES  # per plan file on disk; uploads have a smaller one
VARIANT = "plus"  # see rank.py and the README: ranked the question set best
FOUND_COVERAGE = 0.5  # share of the question's term weight the best item must contain
_SENTENCE = re.compile(r"(?<=[。；;！!？?\n])")


@dataclass
class _Corpus:
    """A snapshot of the database in memory; replaced whole after every write."""

    rows: list[tuple]
    plan_ids: np.ndarray
    kinds: np.ndarray
    bm25: rank.BM25
    _values: list[tuple[int | None, tuple[int | None, ...]]] | None = field(default=None)

    @classmethod
    def load(cls, store: Store) -> "_Corpus":
        rows, tokens = [], []
        for row in store.item_rows():
            rows.append(row[:11])
            tokens.append(row[11].split())
        bm25 = rank.build(rank.count_terms(tokens), VARIANT)
        bm25.weights.sort_indices()
        plan_ids = np.asarray([r[1] for r in rows], dtype=np.int64)
        kinds = np.asarray([r[3] for r in rows], dtype=object)
        return cls(rows, plan_ids, kinds, bm25)

    def values(self) -> list[tuple[int | None, tuple[int | None, ...]]]:
        """Per row: its own number and its ancestors' numbers, for look-ups by number."""
        if self._values is None:
            self._values = [
                (key_value(r[5]) if r[5] else None,
                 tuple(key_value(h["key"]) for h in json.loads(r[6])))
                for r in self.rows
            ]
        return self._values


class Engine:
    """An open database plus the in-memory ranking index built from it.

    Open once (`Engine.open(path)`), ask many times. Writing methods update the
    database in one transaction and then refresh the in-memory index.
    """

    def __init__(self, store: Store, cache_dir: Path | None = None):
        self.store = store
        self._cache_dir = cache_dir
        self._tokenizer: Tokenizer | None = None
        self._corpus = _Corpus.load(store)

    @classmethod
    def open(cls, db_path: str | Path) -> "Engine":
        path = Path(db_path).expanduser()
        return cls(Store(path), cache_dir=path.parent / "cache")

    def close(self) -> None:
        self.store.close()

    @property
    def tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            self._tokenizer = Tokenizer(self.store.terms(), cache_dir=self._cache_dir)
        return self._tokenizer

    @property
    def empty(self) -> bool:
        return not self._corpus.rows

    # -- questions -------------------------------------------------------------------
    def ask(self, question: str, *, plan: str | None = None, top: int = 3,
            today: dt.date | None = None, offset: int = 0) -> Answer:
        """Answer a free-text question. `plan` narrows to one plan (a unique part of its
        title or file name); `offset` skips that many results (for a "more" button)."""
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
        numbers = lookup_ref(ref.strip().strip("（）()、.．"))
        if not numbers:
            raise ItemNotFound(f"“{ref}”不是条目编号；试试 3、二.3 或 第三条。")
        answer = self._lookup(ref, numbers, self.find_plan(plan).id if plan else None)
        if not answer.found:
            raise ItemNotFound(answer.text)
        return answer

    def item(self, item_id: int) -> Citation | None:
        """One item by its database id (buttons, deep links); None when it is gone."""
        for i, row in enumerate(self._corpus.rows):
            if row[0] == item_id:
                return self._cite(i)
        return None

    def deadlines(self, *, month: str | None = None, within: int | None = None,
                  today: dt.date | None = None, plan: str | None = None) -> Answer:
        """Items due in a month ('2021-06') or within N days of today."""
        today = today or dt.date.today()
        if month:
            start = dt.datetime.strptime(month, "%Y-%m").date()
            end = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        else:
            start, end = today, today + dt.timedelta(days=within if within is not None else 30)
        plan_id = self.find_plan(plan).id if plan else None
        question = f"{start:%Y-%m-%d}…{end:%Y-%m-%d}"
        return self._due(question, start, end, plan_id=plan_id, top=10_000)

    def plans(self) -> list[PlanInfo]:
        return self.store.plan_infos()

    def find_plan(self, name: str) -> PlanInfo:
        """The plan whose title or file name contains `name`; raises PlanNotFound or
        AmbiguousPlan."""
        needle = name.strip().lower()
        plans = self.plans()
        exact = [p for p in plans if needle in (p.title.lower(), p.source.lower(), str(p.id))]
        hits = exact or [p for p in plans if needle and (needle in p.title.lower() or needle in p.source.lower())]
        if not hits:
            raise PlanNotFound(f"没有找到名称包含“{name}”的计划。用 plans 看看有哪些。")
        if len(hits) > 1:
            raise AmbiguousPlan(name, [p.title for p in hits])
        return hits[0]

    # -- changes ---------------------------------------------------------------------
    def index_paths(self, paths: Iterable[str | Path],
                    progress: Callable[[list[Path]], Iterable[Path]] | None = None
                    ) -> IndexReport:
        report = IndexReport()
        files = _plan_files(paths, report)
        changed = False
        for path in (progress(files) if progress else files):
            try:
                changed |= self._index_file(path, report)
            except PlanFileError as e:
                report.skipped.append(SkippedFile(path=str(path), reason=e.reason))
        if changed:
            self._reload()
        self._summarize(report)
        return report

    def parse_upload(self, name: str, data: bytes) -> Plan:
        """Parse an uploaded file without storing it (for a preview). Raises PlanFileError."""
        plan = parse_plan(read_plan_bytes(name, data), Path(name).name)
        plan.sha256 = hashlib.sha256(data).hexdigest()
        return plan

    def add_plan(self, plan: Plan) -> PlanInfo:
        """Store a parsed plan, replacing a plan from the same file name."""
        self._save(plan)
        self._reload()
        return next(p for p in self.plans() if p.source == plan.source)

    def remove_plan(self, name: str) -> PlanInfo:
        info = self.find_plan(name)
        self.store.delete_plan(info.id)
        self._reload()
        return info

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
    def _reload(self) -> None:
        self._corpus = _Corpus.load(self.store)

    def _index_file(self, path: Path, report: IndexReport) -> bool:
        try:
            size = path.stat().st_size
            if size > MAX_INDEX_FILE_BYTES:
                raise PlanFileError(str(path), f"文件太大（{size // 1024 // 1024} MB，上限 "
                                               f"{MAX_INDEX_FILE_BYTES // 1024 // 1024} MB）")
            data = path.read_bytes()
        except OSError as e:
            raise PlanFileError(str(path), f"无法读取：{e.strerror or e}") from e
        digest = hashlib.sha256(data).hexdigest()
        old = self.store.plan_sha(path.name)
        if old == digest:
            report.unchanged.append(str(path))
            return False
        plan = parse_plan(read_plan_bytes(str(path), data, max_bytes=MAX_INDEX_FILE_BYTES), path.name)
        plan.sha256 = digest
        self._save(plan)
        (report.updated if old else report.added).append(str(path))
        return True

    def _save(self, plan: Plan) -> int:
        terms = _plan_terms(plan)
        self.tokenizer.add_words(terms)
        tokens = [self._item_tokens(item) for item in plan.items]
        return self.store.save_plan(plan, tokens, terms)

    def _item_tokens(self, item) -> list[str]:
        # The title and the section titles count again: a word in a heading says more
        # about the item than the same word deep in its text.
        heads = " ".join(h.title for h in item.ancestors)
        return self.tokenizer(item.text) + self.tokenizer(item.title) + self.tokenizer(heads)

    def _summarize(self, report: IndexReport) -> None:
        infos = self.plans()
        report.plans = len(infos)
        report.items = sum(p.items for p in infos)
        report.with_owners = sum(p.with_owners for p in infos)
        report.with_deadlines = sum(p.with_deadlines for p in infos)

    def _cite(self, i: int, score: float = 0.0, terms: Iterable[str] = ()) -> Citation:
        (item_id, plan_id, plan_title, kind, label, key, ancestors, title, text,
         owners, deadlines) = self._corpus.rows[i]
        heads = [Heading(**h) for h in json.loads(ancestors)]
        return Citation(
            item_id=item_id, plan=plan_title, plan_id=plan_id, kind=kind, label=label,
            path=[h.key for h in heads] + ([key] if key else []),
            path_titles=[h.title for h in heads], title=title, text=text,
            sentence=_best_sentence(text, set(terms)),
            owners=[Owner(**o) for o in json.loads(owners)],
            deadlines=[Deadline(**d) for d in json.loads(deadlines)],
            score=round(float(score), 4),
        )

    def _mask(self, plan_id: int | None, kinds: tuple[str, ...]) -> np.ndarray:
        c = self._corpus
        mask = np.isin(c.kinds, kinds)
        if plan_id is not None:
            mask &= c.plan_ids == plan_id
        return mask

    def _search(self, question: str, query: Query, plan_id: int | None, top: int, offset: int) -> Answer:
        kinds = ("item",) if query.kind in ("who", "when") else ("item", "preamble")
        ranked, terms = self._rank(query.topic, self._mask(plan_id, kinds), offset + top + 1)
        hits = ranked[offset:offset + top]
        if not hits:
            return Answer(question=question, kind=query.kind, found=False, text=say.not_found_text(question))
        citations = [self._cite(i, s, terms) for i, s in hits]
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
        scores = bm25.scores(terms)
        order = rank.top_k(scores, k, mask)
        hits = [(int(i), float(scores[i])) for i in order if self._coverage(groups, int(i)) >= FOUND_COVERAGE]
        return hits, terms

    def _coverage(self, groups: list[list[str]], doc: int) -> float:
        """Share of the question's term weight found in one item; a term counts as found
        when it or one of its synonyms is there. Unknown terms weigh the most."""
        bm25 = self._corpus.bm25
        top_idf = float(bm25.idf.max()) if len(bm25.idf) else 1.0
        total = found = 0.0
        for group in groups:
            # An unknown word weighs like the rarest known one: a question about something
            # no plan mentions must not be "found" on its filler words.
            weight = max((bm25.idf_of(t) for t in group), default=0.0) or top_idf

            total += weight
            if any(_has(bm25, t, doc) for t in group):
                found += weight
        return found / total if total else 0.0

    def _lookup(self, question: str, ref: tuple[int, ...], plan_id: int | None) -> Answer:
        c = self._corpus
        values = c.values()
        scope = self._mask(plan_id, ("item", "section"))
        own, parents = ref[-1], ref[:-1]

        def matches(i: int, kinds: tuple[str, ...]) -> bool:
            value, ancestors = values[i]
            return (scope[i] and c.kinds[i] in kinds and value == own
                    and all(p in ancestors for p in parents))

        hits = [i for i in range(len(c.rows)) if matches(i, ("item",))]
        hits = hits or [i for i in range(len(c.rows)) if matches(i, ("section",))]
        if not hits:
            shown = ".".join(str(n) for n in ref)
            return Answer(question=question, kind="lookup", found=False,
                          text=f"没有找到第{shown}条。用 plans 看看有哪些计划，或换个编号。")
        citations = [self._cite(i) for i in hits[:MAX_TOP]]
        text = say.lookup_text(citations[0])
        if len({cit.plan_id for cit in citations}) > 1 or len(citations) > 1:
            text += f"（共有{len(citations)}处编号为{own}的条目，已按顺序列出）"
        if citations[0].kind == "section":
            children = self._children(hits[0])
            text = say.section_text(citations[0], children)
            citations += children
        return Answer(question=question, kind="lookup", found=True, text=text, citations=citations)

    def _children(self, section_row: int) -> list[Citation]:
        """The items under a section row (any depth), in order."""
        c = self._corpus
        sec = c.rows[section_row]
        path = [h["key"] for h in json.loads(sec[6])] + [sec[5]]
        out = []
        for i in range(section_row + 1, len(c.rows)):
            row = c.rows[i]
            if row[1] != sec[1]:
                break
            keys = [h["key"] for h in json.loads(row[6])]
            if keys[: len(path)] != path:
                break
            if row[3] == "item":
                out.append(self._cite(i))
        return out

    def _section(self, question: str, query: Query, plan_id: int | None) -> Answer:
        c = self._corpus
        if query.ref:
            values = c.values()
            scope = self._mask(plan_id, ("section",))
            rows = [i for i in range(len(c.rows)) if scope[i] and values[i][0] == query.ref[0] and not values[i][1]]
        else:
            hits, _ = self._rank(query.topic, self._mask(plan_id, ("section",)), 1)
            rows = [hits[0][0]] if hits else []
        if rows:
            section = self._cite(rows[0])
            children = self._children(rows[0])
            return Answer(question=question, kind="section", found=True,
                          text=say.section_text(section, children), citations=[section, *children])
        hits, terms = self._rank(query.topic, self._mask(plan_id, ("item",)), 10)
        if not hits:
            return Answer(question=question, kind="section", found=False, text=say.not_found_text(question))
        citations = [self._cite(i, s, terms) for i, s in hits]
        return Answer(question=question, kind="section", found=True,
                      text=say.section_text(None, citations, query.topic), citations=citations)

    def _due(self, question: str, start: dt.date, end: dt.date, *, plan_id: int | None, top: int) -> Answer:
        c = self._corpus
        scope = self._mask(plan_id, ("item",))
        due: list[tuple[dt.date, int]] = []
        for i, row in enumerate(c.rows):
            if not scope[i] or row[10] == "[]":
                continue
            dates = [d["date"] for d in json.loads(row[10]) if d.get("date")]
            hit = [dt.date.fromisoformat(d) for d in dates if start <= dt.date.fromisoformat(d) <= end]
            if hit:
                due.append((min(hit), i))
        due.sort()
        citations = [self._cite(i) for _, i in due[:top]]
        return Answer(question=question, kind="deadlines", found=bool(citations),
                      text=say.deadlines_text(start, end, citations), citations=citations,
                      more=len(due) > top)


def _has(bm25: rank.BM25, term: str, doc: int) -> bool:
    row = bm25.vocab.get(term)
    if row is None:
        return False
    w = bm25.weights
    indices = w.indices[w.indptr[row]:w.indptr[row + 1]]
    pos = np.searchsorted(indices, doc)
    return bool(pos < len(indices) and indices[pos] == doc)


def _best_sentence(text: str, terms: set[str]) -> str:
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if not sentences:
        return ""
    if not terms:
        return sentences[0]
    return max(sentences, key=lambda s: sum(len(t) for t in terms if t in s.lower()))


def _plan_terms(plan: Plan) -> list[str]:
    words: dict[str, None] = {}
    for item in plan.items:
        for w in quoted_terms(item.text):
            words[w] = None
        for o in item.owners:
            words[o.unit] = None
    return list(words)


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
