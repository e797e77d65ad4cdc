"""Versions of a plan: a plan is known by its title within its scope; storing it again is a
new version with an item-level diff; kept versions can be listed and restored; ids are never
handed out twice, and an old item id finds its item in the current version or says which
version removed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.index.answer.changes import describe
from planbot.index.engine import Engine
from planbot.index.errors import PlanNotFound
from planbot.index.limits import KEEP_VERSIONS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt"
ORG = ROOT / "plan_texts" / "2020年全县组织工作要点.txt"

V1 = """2021年全县重点工作方案
一、基层治理
1. 完成村两委换届。
牵头单位：县委组织部
完成时限：2021年4月底前。
2. 开展干部培训。
牵头单位：县人社局
3. 整治人居环境。
责任单位：县农业农村局
二、民生保障
4. 建设卫生院。
牵头单位：县卫生健康局
"""
# 1 the same; 2 a new lead unit and a deadline; 3 another task in its place (one removed, one added); 4 the same.
V2 = """2021年全县重点工作方案
一、基层治理
1. 完成村两委换届。
牵头单位：县委组织部
完成时限：2021年4月底前。
2. 开展干部培训。
牵头单位：县委组织部
完成时限：2021年6月底前。
3. 推进网格化管理。
牵头单位：县委政法委
二、民生保障
4. 建设卫生院。
牵头单位：县卫生健康局
"""


@pytest.fixture
def engine(tmp_path: Path):
    e = Engine.open(tmp_path / "planbot.db")
    yield e
    e.close()


def _add(engine: Engine, name: str, text: str, **kw):
    return engine.add_plan(engine.parse_upload(name, text.encode("utf-8")), **kw)


def test_the_same_title_is_a_new_version_with_an_item_level_diff(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    preview = engine.preview(engine.parse_upload("方案（修订）.docx.txt", V2.encode("utf-8")))
    assert preview.existing.id == first.id and not preview.unchanged
    changes = {c.place: c for c in preview.diff.changes}
    assert {c.change for c in preview.diff.changes} == {"changed", "added", "removed"}
    trained = next(c for place, c in changes.items() if "干部培训" in place)
    assert [o.unit for o in trained.owners_before] == ["县人社局"]
    assert [o.unit for o in trained.owners_after] == ["县委组织部"]
    assert trained.deadlines_after == ["2021年6月底前"] and not trained.text
    assert [c.change for place, c in changes.items() if "网格化" in place] == ["added"]
    assert [c.change for place, c in changes.items() if "人居环境" in place] == ["removed"]
    assert not any("换届" in place or "卫生院" in place for place in changes)  # unchanged items are not listed

    second = engine.add_plan(preview.plan)
    assert (second.id, second.version) == (first.id, 2)
    assert [p.id for p in engine.plans()] == [first.id]
    text = describe(engine.changes("全县重点"))
    assert "第1版 → 第2版" in text and "新增 1 条，删除 1 条，修改 1 条" in text
    assert "牵头单位 县人社局 → 县委组织部" in text and "完成时限 未写明 → 2021年6月底前" in text


def test_identical_content_under_another_name_changes_nothing(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    item_ids = engine.store.item_ids_at(first.id)
    again = engine.parse_upload("方案-副本.txt", V1.encode("utf-8"))
    assert engine.preview(again).unchanged
    assert engine.add_plan(again) == first
    assert engine.store.item_ids_at(first.id) == item_ids
    assert [v.version for v in engine.history("全县重点")[2]] == [1]


def test_two_files_of_one_name_with_different_titles_are_two_plans(engine: Engine, tmp_path: Path):
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    (tmp_path / "a" / "工作要点.txt").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "b" / "工作要点.txt").write_bytes(ORG.read_bytes())
    report = engine.index_paths([tmp_path / "a", tmp_path / "b"])
    assert len(report.added) == 2 and not report.updated
    assert len(engine.plans()) == 2


def test_ids_are_never_handed_out_twice(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    first_items = engine.store.item_ids_at(first.id)
    engine.remove_plan(first.id)
    other = engine.add_plan(engine.parse_upload("org.txt", ORG.read_bytes()))
    assert other.id > first.id  # the removed plan's id is not reused
    assert min(engine.store.item_ids_at(other.id)) > max(first_items)
    for item_id in first_items:  # an old button opens nothing of another plan
        assert engine.item(item_id) is None
        assert "已被删除" in engine.gone(item_id)


def test_an_old_item_id_opens_the_same_place_in_the_new_version(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    ids = engine.store.item_ids_at(first.id)
    titles = {item_id: engine.item(item_id).title for item_id in ids}
    trained = next(i for i, t in titles.items() if "干部培训" in t)
    health = next(i for i, t in titles.items() if "卫生院" in t)
    _add(engine, "方案.txt", V2)
    assert trained not in engine.store.item_ids_at(first.id)  # the new version's rows are new
    now = engine.item(trained)
    assert now.item_id != trained and "干部培训" in now.title and now.deadlines[0].phrase == "2021年6月底前"
    assert "卫生院" in engine.item(health).title


def test_an_item_a_new_version_removed_says_which_version(engine: Engine):
    V3 = V2.replace("4. 建设卫生院。\n牵头单位：县卫生健康局\n", "")
    first = _add(engine, "方案.txt", V1)
    _add(engine, "方案.txt", V2)
    health = next(i for i in engine.store.item_ids_at(first.id) if "卫生院" in engine.item(i).title)
    _add(engine, "方案.txt", V3 + "5. 新增一条。\n")
    assert engine.item(health) is None
    assert engine.gone(health) == "这一条在《2021年全县重点工作方案》第3版中已删除。"


def test_restore_brings_back_an_older_version_as_the_newest(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    _add(engine, "方案.txt", V2)
    restored = engine.restore("全县重点", 1)
    assert (restored.id, restored.version) == (first.id, 3)
    answer = engine.ask("干部培训谁牵头", plan=first.id)
    assert [o.unit for o in answer.citations[0].owners] == ["县人社局"]
    assert [v.version for v in engine.history("全县重点")[2]] == [1, 2, 3]
    assert not engine.changes("全县重点", old=1, new=3).changes
    assert [a["action"] for a in engine.store.uploads()] == ["add", "add", "restore"]


def test_a_removed_plan_can_be_restored_under_its_own_id(engine: Engine):
    first = _add(engine, "方案.txt", V1)
    engine.remove_plan(first.id)
    info, title, versions = engine.history("全县重点")
    assert info is None and title == first.title and [v.version for v in versions] == [1]
    back = engine.restore("全县重点")
    assert (back.id, back.version) == (first.id, 2)
    assert engine.ask("卫生院谁牵头").citations[0].plan_id == first.id


def test_only_the_last_versions_are_kept(engine: Engine):
    for n in range(KEEP_VERSIONS + 2):
        _add(engine, "方案.txt", V1 + f"{5 + n}. 第{n}次补充的任务。\n")
    versions = [v.version for v in engine.history("全县重点")[2]]
    assert versions == list(range(3, KEEP_VERSIONS + 3))
    with pytest.raises(PlanNotFound, match="没有保存第1版"):
        engine.restore("全县重点", 1)


def test_a_plan_with_one_version_has_nothing_to_compare(engine: Engine):
    _add(engine, "方案.txt", V1)
    with pytest.raises(PlanNotFound, match="只有一个版本"):
        engine.changes("全县重点")


def test_a_chats_own_plans_are_capped_and_a_new_version_still_fits(engine: Engine, monkeypatch):
    from planbot.index import limits
    from planbot.index.errors import ChatFull

    monkeypatch.setattr(limits, "MAX_CHAT_PLANS", 2)
    _add(engine, "a.txt", V1, scope=-5)
    _add(engine, "b.txt", V1.replace("2021年全县重点工作方案", "另一个方案"), scope=-5)
    third = engine.parse_upload("c.txt", V1.replace("2021年全县重点工作方案", "第三个方案").encode("utf-8"))
    with pytest.raises(ChatFull, match="达到上限 2 份"):
        engine.preview(third, scope=-5)
    with pytest.raises(ChatFull):
        engine.add_plan(third, scope=-5)
    assert engine.add_plan(third, scope=-6).scope == -6  # another chat has room
    assert engine.add_plan(third).scope is None  # every chat's plans are not capped
    assert _add(engine, "a.txt", V2, scope=-5).version == 2  # a new version replaces, it does not add
    monkeypatch.setattr(limits, "MAX_CHAT_CHARS", 100)
    with pytest.raises(ChatFull, match="总字数"):
        _add(engine, "a.txt", V2 + "5. " + "很长的任务" * 30 + "\n", scope=-5)


def test_a_chat_sending_a_plan_every_chat_has_adds_no_copy(engine: Engine):
    shared = _add(engine, "方案.txt", V1)
    again = engine.parse_upload("我们的方案.txt", V1.encode("utf-8"))
    preview = engine.preview(again, scope=-5)
    assert preview.unchanged and preview.existing.id == shared.id
    assert engine.add_plan(again, scope=-5).id == shared.id
    assert [p.id for p in engine.plans(chat=-5)] == [shared.id]
    # Its own copy of another chat's plan is its own business: not visible to it, so stored.
    other = _add(engine, "乙.txt", V1.replace("2021年全县重点工作方案", "乙方案"), scope=-6)
    mine = engine.add_plan(engine.parse_upload("乙.txt", V1.replace("2021年全县重点工作方案", "乙方案").encode("utf-8")),
                           scope=-5)
    assert mine.id != other.id and mine.scope == -5
