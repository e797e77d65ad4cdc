"""Plans as stored numbers (index/search/blob.py): adding a plan tokenizes that plan only,
the worker processes store exactly the tokens of indexing one file at a time, and an
engine sees what another process wrote."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bench.generate import plan_text
from tests.index import same_tables
from planbot.index.ingest import pipeline as engine_module
from planbot.index.ingest.prepare import prepare
from planbot.index.search import bags, blob
from planbot.index.engine import Engine
from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.search.tokenize import Tokenizer, normalize

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt"
QUESTIONS = ["干部培训谁负责", "高标准农田什么时候完成", "第3条", "二.3", "人才方面有哪些工作",
             "这个月有哪些任务到期", "县财政局负责哪些任务"]


@pytest.fixture
def tokenized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the engine's tokenizer is asked to cut, in order."""
    texts: list[str] = []
    original = Tokenizer.__call__

    def spy(self, text: str) -> list[str]:
        texts.append(text)
        return original(self, text)

    monkeypatch.setattr(Tokenizer, "__call__", spy)
    return texts


NEW_PLAN = """2023年红色书屋建设方案
一、阵地建设
1．建设红色书屋5个，每个藏书不少于两千册。
牵头单位：县委宣传部
完成时限：2023年6月底前
2．开展“书香机关”读书分享活动12场。
责任单位：县文化和旅游局
二、保障措施
3．将红色书屋建设纳入年度考核。
牵头单位：县委组织部
"""


def _only_the_new_plan(tokenized: list[str]) -> None:
    """Every text cut belongs to the new plan, and there are at most three per item (text,
    title, headings): re-tokenizing the stored plans would add dozens."""
    plan = prepare(parse_plan(NEW_PLAN, "新方案.txt"))
    own = [normalize(t) for triple in plan.texts for t in triple if t]
    assert tokenized, "the new plan was not tokenized"
    assert len(tokenized) <= 3 * len(plan.texts)
    for text in tokenized:
        assert any(normalize(text) in t for t in own), text
    for text, _, _ in plan.texts:  # and all of it
        assert any(normalize(t) in normalize(text) for t in tokenized if len(t) > 3), text


def test_adding_a_plan_tokenizes_that_plan_and_nothing_else(fresh_engine: Engine, tokenized: list[str]):
    fresh_engine.add_plan(fresh_engine.parse_upload("新方案.txt", NEW_PLAN.encode("utf-8")))
    _only_the_new_plan(tokenized)
    answer = fresh_engine.ask("红色书屋谁负责")
    assert answer.found and answer.citations[0].plan == "2023年红色书屋建设方案"
    assert len(fresh_engine.plans()) == 4


def test_indexing_a_folder_tokenizes_only_the_changed_file(fresh_engine: Engine, tokenized: list[str],
                                                           tmp_path: Path):
    folder = tmp_path / "plans"
    folder.mkdir()
    for path in (ROOT / "plan_texts").glob("*.txt"):
        (folder / path.name).write_bytes(path.read_bytes())  # unchanged: already in the database
    (folder / "新方案.txt").write_text(NEW_PLAN, encoding="utf-8")
    report = fresh_engine.index_paths([folder])
    assert [Path(p).name for p in report.added] == ["新方案.txt"] and len(report.unchanged) == 3
    _only_the_new_plan(tokenized)


def test_a_file_that_is_no_plan_is_skipped_with_the_reason(fresh_engine: Engine, tmp_path: Path):
    folder = tmp_path / "plans"
    folder.mkdir()
    readme = "说明\n本文件夹存放各部门的工作计划，请勿删除。"
    (folder / "README.txt").write_text(readme, encoding="utf-8")
    (folder / "会议通知.txt").write_text("关于召开工作会议的通知\n各单位：\n一、会议时间：3月5日上午9时。",
                                       encoding="utf-8")
    (folder / "新方案.txt").write_text(NEW_PLAN, encoding="utf-8")
    report = fresh_engine.index_paths([folder])
    assert [Path(p).name for p in report.added] == ["新方案.txt"]
    reasons = {Path(s.path).name: s.reason for s in report.skipped}
    assert reasons == {"README.txt": "这份文件看起来不像计划：只找到 1 条，没有编号的条目",
                       "会议通知.txt": "这份文件看起来不像计划：只找到 1 条，一份计划至少有两条"}
    with pytest.raises(PlanFileError, match="这份文件看起来不像计划"):  # an upload, refused the same way
        fresh_engine.parse_upload("README.txt", readme.encode("utf-8"))


def _bags(engine: Engine) -> dict[str, list[Counter]]:
    """Each plan's items as bags of words (term text → count), by source."""
    terms = dict(engine.store.term_list())
    sources = {p.id: p.source for p in engine.plans()}
    out = {}
    for plan_id, _ids, arrays in engine.store.plan_blobs():
        bags, start = [], 0
        for n in arrays.words.n_terms:
            ids, counts = arrays.words.term_ids[start:start + n], arrays.words.counts[start:start + n]
            bags.append(Counter({terms[int(i)]: int(c) for i, c in zip(ids, counts)}))
            start += n
        out[sources[plan_id]] = bags
    return out


def _answers(engine: Engine) -> list[str]:
    import datetime as dt

    return [engine.ask(q, today=dt.date(2021, 6, 15)).model_dump_json(exclude={"citations": {"__all__": {"item_id"}}})
            for q in QUESTIONS]


def test_workers_store_the_tokens_of_indexing_one_file_at_a_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    folder = tmp_path / "plans"
    folder.mkdir()
    for i in range(5):
        name, text = plan_text(i)
        (folder / name).write_text(text, encoding="utf-8")
    files = sorted(folder.iterdir())

    monkeypatch.setattr(engine_module, "POOL_MIN_BYTES", 0)  # every core, even for five plans
    pooled = Engine.open(tmp_path / "pool" / "planbot.db")
    assert pooled.index_paths([folder]).added
    monkeypatch.setattr(engine_module, "POOL_MIN_BYTES", 10**12)
    serial = Engine.open(tmp_path / "serial" / "planbot.db")
    serial.index_paths([folder])
    one_by_one = Engine.open(tmp_path / "single" / "planbot.db")
    for path in files:
        one_by_one.index_paths([path])
    try:
        assert _bags(pooled) == _bags(serial) == _bags(one_by_one)
        # and the very rows: the workers' part of writing (tokens, packed rows) is the writer's
        assert not same_tables.differences(pooled.store.path, serial.store.path)
        assert not same_tables.differences(pooled.store.path, one_by_one.store.path)
        assert _answers(pooled) == _answers(serial) == _answers(one_by_one)
    finally:
        for e in (pooled, serial, one_by_one):
            e.close()


def test_an_engine_sees_what_another_process_wrote(sample_db: Path, tmp_path: Path):
    import shutil

    path = tmp_path / "planbot.db"
    shutil.copy(sample_db, path)
    serving, indexing = Engine.open(path), Engine.open(path)
    try:
        assert not serving.ask("红色书屋谁负责").found
        indexing.add_plan(indexing.parse_upload("新方案.txt", NEW_PLAN.encode("utf-8")))
        answer = serving.ask("红色书屋谁负责")
        assert answer.found and answer.citations[0].text == indexing.ask("红色书屋谁负责").citations[0].text
        indexing.remove_plan("新方案")
        assert not serving.ask("红色书屋谁负责").found
        assert len(serving.plans()) == 3
    finally:
        serving.close(), indexing.close()


def test_a_plan_blob_round_trips_and_refuses_anything_else():
    plan = prepare(parse_plan(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name))
    words = blob.Counts.of(bags.bag_of_words([text.split() for text, _, _ in plan.texts]),
                           np.arange(10_000, dtype=np.int32) + 7)
    grams = blob.Counts.of(plan.grams, np.arange(len(plan.grams.vocab), dtype=np.int32) + 20_000)
    units = [u for item in plan.owners for u, _ in item]
    owners = blob.Owners(np.asarray([len(item) for item in plan.owners]), np.arange(len(units)) + 90_000,
                         np.asarray([role for item in plan.owners for _, role in item]))
    data = blob.encode(plan.shape, words, grams, owners)
    arrays = blob.decode(data)
    assert arrays.n_items == len(plan.rows) and len(units) > 10
    for got, sent in ((arrays.words, words), (arrays.grams, grams)):
        for name in ("term_ids", "counts", "n_terms", "doc_len"):
            assert list(getattr(got, name)) == list(getattr(sent, name)), name
    for name in ("n", "units", "roles"):
        assert list(getattr(arrays.owners, name)) == list(getattr(owners, name)), name
    for name in ("kind", "depth", "own", "anc", "flags", "n_due", "due"):
        assert list(getattr(arrays.shape, name)) == list(getattr(plan.shape, name)), name
    with pytest.raises(ValueError):
        blob.decode(b"\0" * 64)
    with pytest.raises(ValueError):
        blob.decode(data + b"\0\0\0\0")


def test_an_item_is_tokenized_as_its_text_title_and_headings_each_cut_alone():
    """tokenize_items cuts a title that begins its text only once; the bags must be those of
    cutting the three separately, on the sample plans and on the published documents."""
    tokenizer = Tokenizer()
    files = sorted((ROOT / "plan_texts").glob("*.txt")) + sorted((ROOT / "bench" / "seed").glob("0*.txt"))
    reused = 0
    for path in files:
        plan = prepare(parse_plan(path.read_text(encoding="utf-8"), path.name))
        plain = bags.bag_of_words(tokenizer(t) + tokenizer(ti) + (tokenizer(h) if h else [])
                                      for t, ti, h in plan.texts)
        fast = bags.tokenize_items(tokenizer, plan.texts)
        assert _as_counters(fast) == _as_counters(plain), path.name
        reused += sum(1 for text, title, _ in plan.texts if title and text.startswith(title))
    assert reused > 100  # the shortcut was taken, not only the fallback


def _as_counters(bag: blob.Bag) -> list[Counter]:
    out, start = [], 0
    for n in bag.n_terms:
        out.append(Counter({bag.vocab[i]: int(c) for i, c in zip(bag.ids[start:start + n], bag.counts[start:start + n])}))
        start += n
    return out
