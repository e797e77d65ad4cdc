"""The corpus grown plan by plan (added, replaced, removed) answers exactly as one loaded at
once from the same database: same citations, same order, same scores to the last bit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from bench.generate import plan_text
from planbot.index.engine import Engine
from planbot.index.search.corpus import Corpus
from tests.corpus import CORPUS

ROOT = Path(__file__).resolve().parents[3]
TODAY = dt.date(2021, 6, 15)
QUESTIONS = ["干部培训谁负责", "乡村旅游精品线路哪个部门牵头", "农村饮水安全什么时候完成", "第3条", "二.3",
             "人才方面有哪些工作", "这个月有哪些任务到期", "县财政局负责哪些任务", "固体废物", "粮食应急",
             "职业教育", "综合保税区", "党支部", "年底前要完成哪些", "不存在的东西", "人居环境那几项啥时候完成",
             "基层党建那一块有啥任务"]


def _answers(engine: Engine) -> list[str]:
    out = []
    for q in QUESTIONS:
        for plan in (None, *[p.id for p in engine.plans()][:2]):
            out.append(engine.ask(q, plan=plan, top=8, today=TODAY).model_dump_json())
    return out


def _upload(engine: Engine, path: Path, name: str | None = None) -> None:
    engine.add_plan(engine.parse_upload(name or path.name, path.read_bytes()))


@pytest.fixture
def grown(tmp_path: Path) -> Engine:
    """Plans added one by one, one replaced by another text, one removed, in one process."""
    engine = Engine.open(tmp_path / "planbot.db")
    engine.ask("预热")  # a corpus exists before the first plan
    for path in sorted((ROOT / "plan_texts").glob("*.txt")):
        _upload(engine, path)
    for path in sorted(CORPUS.glob("0*.txt"))[:4]:
        _upload(engine, path)
    # The same file name with other content replaces the plan; a removal leaves a gap.
    _upload(engine, sorted(CORPUS.glob("0*.txt"))[5], name=sorted(CORPUS.glob("0*.txt"))[0].name)
    engine.remove_plan("城关镇")
    name, text = plan_text(3)
    engine.add_plan(engine.parse_upload(name, text.encode("utf-8")))
    yield engine
    engine.close()


def test_a_grown_corpus_answers_like_a_loaded_one(grown: Engine):
    loaded = Engine.open(grown.store.path)
    try:
        assert grown._corpus.size > loaded._corpus.size  # the grown one still holds dead rows
        assert _answers(grown) == _answers(loaded)
        assert [p.model_dump() for p in grown.plans()] == [p.model_dump() for p in loaded.plans()]
    finally:
        loaded.close()


def test_plan_counts_are_the_plans_rows_counted(grown: Engine):
    """Corpus.counts (running totals over every row, dead ones included) gives each live plan
    what counting its own rows gives."""
    from planbot.index.search import blob

    c = grown._corpus
    assert c.size > int(c.live.sum())  # a removed and a replaced plan left dead rows
    for plan_id, (start, end) in c.plan_rows.items():
        items, flags = c.kinds[start:end] == blob.KINDS.index("item"), c.flags[start:end]
        assert c.counts(plan_id) == (int(items.sum()), int((items & (flags & blob.HAS_OWNERS > 0)).sum()),
                                     int((items & (flags & blob.HAS_DEADLINES > 0)).sum()))
    assert c.counts(-1) == (0, 0, 0)


def test_a_grown_corpus_scores_every_live_row_like_a_loaded_one(grown: Engine):
    loaded = Engine.open(grown.store.path)
    try:
        a, b = grown._corpus, loaded._corpus
        by_id = {int(i): r for r, i in enumerate(b.ids)}
        live = np.flatnonzero(a.live)
        assert sorted(int(i) for i in a.ids[live]) == sorted(by_id)
        rows_in_b = np.asarray([by_id[int(i)] for i in a.ids[live]])
        for question in QUESTIONS:
            terms = grown.tokenizer(question)
            np.testing.assert_array_equal(a.bm25.scores(terms)[live], b.bm25.scores(terms)[rows_in_b])
    finally:
        loaded.close()


def test_another_process_adding_plans_is_appended_not_reloaded(grown: Engine, monkeypatch):
    other = Engine.open(grown.store.path)
    try:
        name, text = plan_text(4)
        other.add_plan(other.parse_upload(name, text.encode("utf-8")))
        monkeypatch.setattr(Corpus, "build", None)  # a full reload would fail here
        assert _answers(grown) == _answers(other)
    finally:
        other.close()


def test_an_index_run_builds_the_corpus_a_load_does(tmp_path: Path, monkeypatch):
    """An index run appends its plans from blobs read back one at a time (Store.read_back)."""
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        engine.ask("预热")
        name, text = plan_text(5)
        (tmp_path / name).write_text(text, encoding="utf-8")
        with monkeypatch.context() as m:
            m.setattr(Engine, "_reload", None)  # appended, not reloaded
            engine.index_paths([ROOT / "plan_texts", *sorted(CORPUS.glob("0*.txt"))[:6], tmp_path / name])
            grown = _answers(engine)
        loaded = Engine.open(engine.store.path)
        try:
            a, b = engine._corpus, loaded._corpus
            assert a.plan_rows == b.plan_rows and len(a.plan_rows) >= 8
            for field in ("ids", "plan_ids", "kinds", "depth", "own", "anc_rows", "anc", "due_rows", "due",
                          "flags", "owner_rows", "owner_units", "owner_roles"):
                np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
            for x, y in ((a.bm25, b.bm25), (a.grams, b.grams)):
                n = max(len(x.df), len(y.df))  # a grown index counts only up to the ids it holds
                np.testing.assert_array_equal(np.pad(x.df, (0, n - len(x.df))), np.pad(y.df, (0, n - len(y.df))))
                assert x.terms == y.terms and list(x.terms) == list(y.terms)
            assert grown == _answers(loaded)
        finally:
            loaded.close()
    finally:
        engine.close()


def test_counts_come_end_to_end_in_the_type_the_postings_keep():
    """Loading holds both channels' counts at once: uint16 as the postings keep them, not the
    blobs' int32; a freak count past uint16 leaves them as the blobs have them."""
    from planbot.index.search import blob, corpus

    def bag(counts: list[int]) -> blob.Counts:
        n = len(counts)
        return blob.Counts(np.arange(n, dtype="<i4"), np.asarray(counts, dtype="<i4"),
                           np.asarray([n], dtype="<i4"), np.asarray([sum(counts)], dtype="<i4"))

    kept = corpus._counts([bag([1, 2]), bag([]), bag([65_535])])
    assert kept.dtype == np.uint16 and kept.tolist() == [1, 2, 65_535]
    wide = corpus._counts([bag([1]), bag([70_000])])
    assert wide.dtype == np.int32 and wide.tolist() == [1, 70_000]


def test_broad_sections_are_the_sections_over_two_live_items_or_more(engine: Engine):
    """What a question can name as an area: 三、实施乡村建设行动 and its （一）改善农村人居环境 (two
    tasks), never （二）做好易地扶贫搬迁后续扶持, which heads one task, nor an item."""
    c = engine._snapshot().corpus
    broad = c.broad_sections()
    titles = {int(r): t.title for r, t in zip(np.flatnonzero(c.mask(("section",), None)),
                                               engine._snapshot().cite(np.flatnonzero(c.mask(("section",), None))))}
    named = {titles[r] for r in np.flatnonzero(broad)}
    assert {"实施乡村建设行动", "改善农村人居环境", "党风廉政建设"} <= named
    assert "做好易地扶贫搬迁后续扶持" in titles.values() and "做好易地扶贫搬迁后续扶持" not in named
    assert not (broad & c.mask(("item",), None)).any()
    for row in np.flatnonzero(broad):  # the rule itself, row by row
        end = c.subtree_end(int(row))
        assert np.count_nonzero(c.mask(("item",), None)[row + 1:end]) >= 2


def test_the_heads_of_a_row_are_its_sections_highest_first(engine: Engine):
    snap = engine._snapshot()
    c = snap.corpus
    (hit,) = [r for r in np.flatnonzero(c.mask(("item",), None)) if snap.cite([int(r)])[0].label == "8．"]
    assert [x.title for x in snap.cite(c.heads(int(hit)))] == ["实施乡村建设行动", "改善农村人居环境"]


def test_the_heads_of_every_row_are_the_sections_whose_subtree_holds_it(engine: Engine):
    # The walk per plan against the definition itself: a section is over a row when the row
    # lies after it and before the end of its subtree.
    c = engine._snapshot().corpus
    sections = np.flatnonzero(c.mask(("section",), None)).tolist()
    assert sections
    for row in range(c.size):
        over = [s for s in sections if c.plan_ids[s] == c.plan_ids[row] and s < row < c.subtree_end(s)]
        assert c.heads(row) == over, row
    assert any(c.heads(row) for row in range(c.size))
