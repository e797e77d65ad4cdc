"""The SQLite store: items come back as they went in, writes are all-or-nothing, the
audit trail records who added or removed which plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.index.engine import Engine
from planbot.index.errors import StoreError
from planbot.index.models import Deadline, Heading, Item, Owner, Plan, Role
from planbot.index.ingest.parse import parse_plan
from planbot.index.store import MIGRATIONS, SCHEMA_VERSION, Audit, Store

from .stored import items_of, plan_ids, save

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt"


def _plan(source: str = "p.txt", text: str | None = None) -> Plan:
    plan = parse_plan(text or SAMPLE.read_text(encoding="utf-8"), source)
    plan.sha256 = "sha-" + source
    return plan


def _tokens(plan: Plan) -> list[list[str]]:
    return [item.text.split() for item in plan.items]


def _strip_ids(items: list[Item]) -> list[Item]:
    return [item.model_copy(update={"id": None}) for item in items]


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "planbot.db")
    yield s
    s.close()


def test_a_new_database_has_the_current_schema(store: Store):
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == len(MIGRATIONS)
    assert {"plans", "items", "chats", "uploads"} <= set(store.db.table_names())
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_parsed_plan_comes_back_item_for_item(store: Store):
    plan = _plan()
    plan_id = save(store, plan, _tokens(plan), ["乡村振兴"])
    back = items_of(store, plan_id)
    assert _strip_ids(back) == plan.items
    assert all(item.id is not None for item in back)
    assert store.terms() == ["乡村振兴"]


def test_a_plan_of_the_same_title_replaces_it_and_keeps_its_id(store: Store):
    first = save(store, _plan("a.txt", "计划\n一、三条\n1. 任务。\n2. 任务二。\n3. 任务三。"), [["任务"]] * 4, [])
    other = save(store, _plan("b.txt"), _tokens(_plan("b.txt")), [])
    store.update_chat(7, plan_id=first)
    smaller = _plan("renamed.txt", "计划\n一、只有两条\n1. 一条任务。\n2. 另一条任务。")
    assert save(store, smaller, _tokens(smaller), []) == first  # the title says which plan, not the file name
    assert _strip_ids(items_of(store, first)) == smaller.items
    assert len(items_of(store, other)) == len(_plan("b.txt").items)
    assert store.chat(7)["plan_id"] == first  # the chat's choice survives an update


def test_a_failed_save_leaves_the_old_plan(store: Store):
    plan = _plan()
    plan_id = save(store, plan, _tokens(plan), [])
    broken = _plan()
    # The last row cannot be stored (SQLite integers stop at 2**63): the rows before it
    # were already written inside the transaction and must vanish with it.
    broken.items[-1] = broken.items[-1].model_copy(update={"position": 2**64})
    with pytest.raises(OverflowError):
        save(store, broken, _tokens(broken), [])
    assert _strip_ids(items_of(store, plan_id)) == plan.items
    assert plan_ids(store) == [plan_id]
    assert not store.db.conn.in_transaction


def test_transactions_nest_into_one(store: Store):
    plan = _plan()
    with pytest.raises(RuntimeError):
        with store.transaction():
            save(store, plan, _tokens(plan), [])
            save(store, _plan("other.txt"), _tokens(plan), [])
            raise RuntimeError("crash between two plans and their audit rows")
    assert plan_ids(store) == []
    assert store.uploads() == []


def test_delete_clears_chats_that_chose_the_plan(store: Store):
    plan = _plan()
    plan_id = save(store, plan, _tokens(plan), [])
    store.update_chat(1, plan_id=plan_id, remind_at="08:30")
    store.remove_plan(plan_id, Audit())
    assert plan_ids(store) == []
    assert items_of(store, plan_id) == []
    assert store.chat(1) == {"plan_id": None, "remind_at": "08:30"}
    assert store.reminders() == {1: "08:30"}


def test_every_write_keeps_who_did_what(store: Store):
    plan = _plan("a.txt")
    plan_id = save(store, plan, _tokens(plan), [], audit=Audit(user_id=42, chat_id=-100))
    store.remove_plan(plan_id, Audit())
    rows = store.uploads()
    assert [(r["action"], r["plan_id"], r["source"], r["user_id"], r["chat_id"]) for r in rows] == [
        ("add", plan_id, "a.txt", 42, -100), ("remove", plan_id, "a.txt", None, None)]
    assert rows[0]["sha256"] == "sha-a.txt"
    assert all(r["uploaded_at"] for r in rows)


# -- the engine writes the audit trail -------------------------------------------------------

def test_engine_records_who_added_and_removed_a_plan(tmp_path: Path):
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        plan = engine.parse_upload("方案.txt", SAMPLE.read_bytes())
        info = engine.add_plan(plan, added_by=42, chat_id=-1001)
        engine.remove_plan(info.source, added_by=7, chat_id=-1001)
        engine.add_plan(plan)  # from the command line: nobody in particular
        rows = engine.store.uploads()
    finally:
        engine.close()
    assert [(r["action"], r["source"], r["user_id"], r["chat_id"]) for r in rows] == [
        ("add", "方案.txt", 42, -1001), ("remove", "方案.txt", 7, -1001), ("add", "方案.txt", None, None)]
    assert rows[0]["plan_id"] == info.id == rows[1]["plan_id"]
    assert rows[0]["sha256"] == plan.sha256 == rows[1]["sha256"]


def test_adding_the_same_upload_twice_changes_nothing(tmp_path: Path):
    engine = Engine.open(tmp_path / "planbot.db")
    try:
        plan = engine.parse_upload("方案.txt", SAMPLE.read_bytes())
        engine.add_plan(engine.parse_upload("other.txt", (ROOT / "plan_texts" / "2020年全县组织工作要点.txt").read_bytes()))
        first = engine.add_plan(plan)
        rows = engine.store.db.execute("select * from items order by id").fetchall()
        again = engine.add_plan(engine.parse_upload("方案.txt", SAMPLE.read_bytes()))
        assert again.model_dump(exclude={"indexed_at"}) == first.model_dump(exclude={"indexed_at"})
        assert engine.store.db.execute("select * from items order by id").fetchall() == rows
    finally:
        engine.close()


def test_engine_open_turns_damaged_pages_into_a_store_error(tmp_path: Path, sample_db: Path):
    path = tmp_path / "planbot.db"
    data = bytearray(sample_db.read_bytes())
    page = 4096
    assert len(data) > 4 * page
    # Keep the header and schema page, scramble the rest: the file opens, reading fails.
    data[page:] = bytes((b * 7 + 13) % 256 for b in data[page:])
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as info:
        Engine.open(path).ask("干部培训谁负责")
    assert "损坏" in str(info.value) or "不是 SQLite" in str(info.value)


def test_headings_owners_deadlines_survive_unusual_values(store: Store):
    item = Item(kind="item", label="（十二）", key="（十二）", title="", text="a\x00b\n\u202e末",
                position=0, ancestors=[Heading(label="一、", key="一", title="“引号”")],
                owners=[Owner(role=Role.cooperating, unit="县委\t办", field=None)],
                deadlines=[Deadline(phrase="长期", recurring=True), Deadline(phrase="6月", date=None)])
    plan = Plan(title="t", source="odd.txt", items=[item], sha256="x")
    plan_id = save(store, plan, [["a"]], [])
    assert _strip_ids(items_of(store, plan_id)) == [item]
