"""Faults: a killed `planbot index`, two indexers at once, old, new, unwritable and
corrupt databases. Each must leave the data intact and say clearly what went wrong."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from planbot.bot import cli
from planbot.index import schema as store_module
from planbot.index.engine import Engine
from planbot.index.errors import StoreError
from planbot.index.ingest.parse import parse_plan
from planbot.index.store import MIGRATIONS, SCHEMA_VERSION, Store
from planbot.index.search.tokenize import Tokenizer, quoted_terms
from planbot.bot.chat_settings import ChatSettings

from .stored import items_of

pytestmark = pytest.mark.slow  # faults injected one by one: killed runs, full disks, races

ROOT = Path(__file__).resolve().parents[2]
PLAN_TEXTS = ROOT / "plan_texts"
QUESTIONS = ["干部培训谁负责", "乡村旅游精品线路哪个部门牵头", "农村饮水安全什么时候完成", "第3条",
             "二.3", "人才方面有哪些工作", "发展党员", "这个月有哪些任务到期", "县财政局负责哪些任务"]
TODAY = dt.date(2021, 6, 15)


# -- helpers ----------------------------------------------------------------------------------

def _sentences() -> list[str]:
    lines = (line for p in sorted(PLAN_TEXTS.glob("*.txt")) for line in p.read_text("utf-8").splitlines())
    return [re.sub(r"^\S+?[、．.]\s*", "", line) for line in lines if len(line) > 15]


def _big_plan(k: int, sentences: list[str], sections: int = 20, per: int = 25) -> str:
    """A plan of sections × per items with owners and deadlines, different for each k."""
    import cn2an

    units = ["县委组织部", "县发展改革局", "县农业农村局", "县财政局", "县人社局"]
    lines, n = [f"2021年第{k}批重点任务分工方案", ""], 0
    for s in range(1, sections + 1):
        lines.append(f"{cn2an.an2cn(s)}、第{k}批第{s}方面工作")
        for _ in range(per):
            n += 1
            lines.append(f"{n}．{sentences[(k * 31 + n) % len(sentences)]}（批次{k}之{n}）")
            lines.append(f"牵头单位：{units[(k + n) % len(units)]}")
            lines.append(f"完成时限：2021年{n % 12 + 1}月底前")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 plans of 250 items (~160 KB): big enough for the engine's worker processes."""
    folder = tmp_path_factory.mktemp("big")
    sentences = _sentences()
    for k in range(6):
        (folder / f"plan{k:02d}.txt").write_text(_big_plan(k, sentences, sections=10), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 plans of 32 items (~100 KB): indexed in-process, one commit after another."""
    folder = tmp_path_factory.mktemp("small")
    sentences = _sentences()
    for k in range(12):
        (folder / f"plan{k:02d}.txt").write_text(_big_plan(k, sentences, sections=4, per=8),
                                                  encoding="utf-8")
    return folder


def _children(pid: int) -> set[int]:
    """Processes whose parent is `pid` (Linux /proc), e.g. indexing workers."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _kill_after_first_commit(db: Path, folder: Path, plans_before: int) -> set[int]:
    """Run `planbot index folder`, SIGKILL it once a new plan is committed; its children."""
    proc = _planbot("--db", str(db), "index", str(folder))
    children: set[int] = set()
    try:
        deadline = time.monotonic() + 120
        while _plan_count(db) <= plans_before:
            assert proc.poll() is None, f"index ended before the test could kill it: {proc.communicate()}"
            assert time.monotonic() < deadline, "no plan committed within 120 s"
            children |= _children(proc.pid)
            time.sleep(0.005)
        children |= _children(proc.pid)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return children


def _planbot(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _answers(db: Path) -> list[str]:
    engine = Engine.open(db)
    try:
        return [engine.ask(q, today=TODAY).model_dump_json() for q in QUESTIONS]
    finally:
        engine.close()


def _integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _plan_count(db: Path) -> int:
    try:
        return _rows(db, "select count(*) from plans")[0][0]
    except sqlite3.Error:
        return 0  # not created yet


# -- a killed index run -----------------------------------------------------------------------

def test_index_killed_part_way_keeps_every_committed_plan_whole(tmp_path: Path, sample_db: Path,
                                                                small_folder: Path):
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    before_items = _rows(db, "select * from items order by id")
    before_plans = _rows(db, "select id, title, source, sha256 from plans order by id")

    _kill_after_first_commit(db, small_folder, len(before_plans))

    assert _integrity(db) == "ok"
    plans = _rows(db, "select id, title, source, sha256 from plans order by id")
    committed = [source for _, _, source, _ in plans[len(before_plans):]]
    assert 1 <= len(committed) < len(list(small_folder.iterdir())), "the kill came too late to test anything"
    # The plans that were there are untouched, row for row.
    assert plans[:len(before_plans)] == before_plans
    assert _rows(db, f"select * from items where plan_id <= {before_plans[-1][0]} order by id") == before_items
    # Every new plan is whole: as many items as the parser gives for its file.
    for plan_id, _, source, _ in plans[len(before_plans):]:
        expected = parse_plan((small_folder / source).read_text("utf-8"), source)
        stored = _rows(db, f"select count(*) from items where plan_id = {plan_id}")[0][0]
        assert stored == len(expected.items), source

    # And the database answers exactly like one built by indexing those files without a kill.
    reference = tmp_path / "reference.db"
    shutil.copy(sample_db, reference)
    engine = Engine.open(reference)
    for source in committed:
        engine.index_paths([small_folder / source])
    engine.close()
    assert _answers(db) == _answers(reference)

    # The next run picks up where the killed one stopped.
    engine = Engine.open(db)
    try:
        report = engine.index_paths([small_folder])
    finally:
        engine.close()
    assert sorted(Path(p).name for p in report.unchanged) == sorted(committed)
    assert len(report.added) == len(list(small_folder.iterdir())) - len(committed)


def test_a_killed_run_with_workers_leaves_lookups_as_before_and_no_workers(tmp_path: Path, sample_db: Path,
                                                                          big_folder: Path):
    """A big run (worker processes): the bundled plans' items, looked up by number, are
    byte-for-byte the same after the kill, and no worker outlives the killed run."""
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    asks = [("二.3", "组织"), ("第三条", "城关镇"), ("（二）", "乡村振兴")]

    def answers() -> list[str]:
        engine = Engine.open(db)
        try:
            return [engine.show(ref, plan=plan).model_dump_json() for ref, plan in asks]
        finally:
            engine.close()

    before = answers()
    children = _kill_after_first_commit(db, big_folder, 3)
    assert _integrity(db) == "ok"
    assert answers() == before
    for plan_id, source in _rows(db, "select id, source from plans where id > 3"):
        expected = parse_plan((big_folder / source).read_text("utf-8"), source)
        assert _rows(db, f"select count(*) from items where plan_id = {plan_id}")[0][0] == len(expected.items)
    deadline = time.monotonic() + 10
    while (left := {pid for pid in children if _alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of the killed run still running: {left}"


# -- two writers ------------------------------------------------------------------------------

def _split_folder(big_folder: Path, tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    for n, path in enumerate(sorted(big_folder.iterdir())[:6]):
        shutil.copy(path, (a if n % 2 else b) / path.name)
    return a, b


def _done(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def test_two_indexers_at_once_on_a_new_database(tmp_path: Path, big_folder: Path):
    db = tmp_path / "planbot.db"  # does not exist yet: both processes also race to create it
    a, b = _split_folder(big_folder, tmp_path)
    procs = [_planbot("--db", str(db), "index", str(a)), _planbot("--db", str(db), "index", str(b))]
    results = [_done(p) for p in procs]
    for code, out, err in results:
        # Either it worked, or it said in one line that the database was busy.
        assert "Traceback" not in err, err
        assert code == 0 or (code == 1 and re.fullmatch(r"错误：[^\n]*数据库[^\n]*\n", err)), (code, out, err)
    assert any(code == 0 for code, _, _ in results)
    assert _integrity(db) == "ok"
    assert _rows(db, "PRAGMA user_version")[0][0] == SCHEMA_VERSION
    # Whatever was reported as added is there, whole.
    added = [line for code, out, _ in results if code == 0 for line in out.splitlines() if "新增" in line]
    assert added
    for plan_id, source in _rows(db, "select id, source from plans"):
        folder = a if (a / source).exists() else b
        expected = parse_plan((folder / source).read_text("utf-8"), source)
        assert _rows(db, f"select count(*) from items where plan_id = {plan_id}")[0][0] == len(expected.items)
    if all(code == 0 for code, _, _ in results):
        assert _plan_count(db) == 6


def test_two_indexers_of_the_same_files(tmp_path: Path, sample_db: Path, big_folder: Path):
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    a, _ = _split_folder(big_folder, tmp_path)
    procs = [_planbot("--db", str(db), "index", str(a)) for _ in range(2)]
    results = [_done(p) for p in procs]
    assert all(code == 0 for code, _, _ in results), results
    assert _integrity(db) == "ok"
    assert _plan_count(db) == 3 + 3
    sources = [s for (s,) in _rows(db, "select source from plans")]
    assert len(sources) == len(set(sources))


def test_a_reader_during_a_write_sees_the_old_or_the_new_plan(tmp_path: Path, sample_db: Path):
    """WAL: a serving bot keeps answering while `index` replaces a plan."""
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    reader, writer = Engine.open(db), Engine.open(db)
    try:
        before = reader.ask("干部培训谁负责", today=TODAY)
        with writer.store.transaction():
            writer.store.db.execute("delete from items")
            during = Engine(reader.store).ask("干部培训谁负责", today=TODAY)
        assert during == before
        assert not Engine(reader.store).ask("干部培训谁负责", today=TODAY).found  # committed now
    finally:
        reader.close(), writer.close()


def test_an_online_backup_while_a_write_is_open_is_whole(tmp_path: Path, sample_db: Path):
    """The README's backup recipe (Connection.backup, what `sqlite3 .backup` does) on a
    running bot's database: the copy holds the last committed state, not the open write."""
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    live = Engine.open(db)
    try:
        ChatSettings(live).set_reminder(-5, dt.time(9, 0))
        before = _answers(db)
        with live.store.transaction():
            live.store.db.execute("delete from items")
            source = sqlite3.connect(db)
            with sqlite3.connect(tmp_path / "backup.db") as target:
                source.backup(target)
            source.close()
    finally:
        live.close()
    backup = tmp_path / "backup.db"
    assert _integrity(backup) == "ok"
    assert _answers(backup) == before
    restored = Engine.open(backup)
    try:
        assert ChatSettings(restored).reminders()[-5] == dt.time(9, 0)
    finally:
        restored.close()


# -- schema versions --------------------------------------------------------------------------

def _v1_database(path: Path) -> dict:
    """A database as PlanBot 0.1 (schema v1) left it: one plan, two chats, a reminder."""
    plan = parse_plan((PLAN_TEXTS / "2021年全县乡村振兴重点任务分工方案.txt").read_text("utf-8"),
                      "2021年全县乡村振兴重点任务分工方案.txt")
    # Tokens as the v1 engine wrote them: the item's text, title and section titles.
    terms = [w for i in plan.items for w in quoted_terms(i.text)] + [o.unit for i in plan.items for o in i.owners]
    tokenizer = Tokenizer(terms)
    tokens = [tokenizer(i.text) + tokenizer(i.title) + tokenizer(" ".join(h.title for h in i.ancestors))
              for i in plan.items]
    db = sqlite_utils.Database(path)
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db["plans"].insert({"id": 5, "title": plan.title, "source": plan.source, "sha256": "old",
                        "year": plan.year, "indexed_at": "2021-01-01T00:00:00+00:00",
                        "terms": json.dumps(["乡村振兴"], ensure_ascii=False)})
    db["items"].insert_all({
        "plan_id": 5, "position": item.position, "kind": item.kind, "label": item.label, "key": item.key,
        "ancestors": json.dumps([h.model_dump() for h in item.ancestors], ensure_ascii=False),
        "title": item.title, "text": item.text,
        "owners": json.dumps([o.model_dump(mode="json") for o in item.owners], ensure_ascii=False),
        "deadlines": json.dumps([d.model_dump(mode="json") for d in item.deadlines], ensure_ascii=False),
        "tokens": " ".join(toks),
    } for item, toks in zip(plan.items, tokens))
    db["chats"].insert_all([{"chat_id": -1001, "plan_id": 5, "remind_at": "08:30"},
                            {"chat_id": 42, "plan_id": None, "remind_at": "18:00"}])
    db.conn.close()
    return {"plan": plan}


def test_a_v1_database_is_migrated_and_keeps_everything(tmp_path: Path):
    path = tmp_path / "planbot.db"
    v1 = _v1_database(path)
    engine = Engine.open(path)
    try:
        assert engine.store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        (info,) = engine.plans()
        assert (info.id, info.title, info.items) == (5, v1["plan"].title,
                                                     sum(i.kind == "item" for i in v1["plan"].items))
        assert items_of(engine.store, 5) == [i.model_copy(update={"id": n}) for n, i in
                                              enumerate(v1["plan"].items, 1)]
        assert ChatSettings(engine).plan(-1001) == info
        assert ChatSettings(engine).plan(42) is None
        assert ChatSettings(engine).reminders() == {-1001: dt.time(8, 30), 42: dt.time(18, 0)}
        answer = engine.ask("第6条", plan="乡村振兴")
        assert answer.found and answer.citations[0].plan_id == 5
        # Searches work on the migrated tokens as on a freshly indexed copy of the plan.
        fresh = Engine.open(tmp_path / "fresh.db")
        fresh.index_paths([PLAN_TEXTS / v1["plan"].source])
        for q in ("乡村旅游精品线路哪个部门牵头", "农村饮水安全什么时候完成", "产业发展方面有哪些工作", "干部培训"):
            old, new = engine.ask(q, today=TODAY), fresh.ask(q, today=TODAY)
            assert (old.found, [c.path for c in old.citations]) == (new.found, [c.path for c in new.citations]), q
        assert engine.ask("乡村旅游精品线路哪个部门牵头").found
        fresh.close()
        # The new table works on the migrated file.
        engine.remove_plan("乡村振兴", added_by=1, chat_id=-1001)
        assert [(r["action"], r["plan_id"], r["user_id"]) for r in engine.store.uploads()] == [("remove", 5, 1)]
        assert ChatSettings(engine).plan(-1001) is None and ChatSettings(engine).reminders()[-1001] == dt.time(8, 30)
    finally:
        engine.close()
    assert _integrity(path) == "ok"


def test_a_failed_migration_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "planbot.db"
    _v1_database(path)

    def broken(db: sqlite_utils.Database) -> None:
        db["half_done"].create({"id": int}, pk="id")
        db.execute("select * from no_such_table")

    monkeypatch.setattr(store_module, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match=f"升级到版本 {SCHEMA_VERSION + 1} 失败"):
        Store(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION  # the good steps stay
        tables = {r[0] for r in conn.execute("select name from sqlite_master where type = 'table'")}
        assert "half_done" not in tables and "uploads" in tables
    finally:
        conn.close()
    engine = Engine.open(path)
    assert engine.plans()[0].id == 5
    engine.close()


def test_a_database_from_a_newer_planbot_is_refused(tmp_path: Path, sample_db: Path, capsys):
    path = tmp_path / "planbot.db"
    shutil.copy(sample_db, path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="请升级 PlanBot"):
        Engine.open(path)
    assert cli.main(["--db", str(path), "ask", "干部培训谁负责"]) == 1
    err = capsys.readouterr().err
    assert re.fullmatch(rf"错误：[^\n]*版本是 {SCHEMA_VERSION + 1}[^\n]*\n", err), err
    assert path.read_bytes() == before  # refused, not "repaired"


# -- paths that cannot be a database ----------------------------------------------------------

def _one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert re.fullmatch(r"错误：[^\n]+\n", captured.err), captured.err
    return captured.err


def test_a_path_under_a_file_is_a_clear_error(tmp_path: Path, capsys):
    blocker = tmp_path / "somefile"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="路径不可写或不存在"):
        Store(blocker / "planbot.db")
    assert cli.main(["--db", str(blocker / "planbot.db"), "plans"]) == 1
    assert "路径不可写或不存在" in _one_error_line(capsys)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through directory permissions")
def test_a_read_only_folder_is_a_clear_error(tmp_path: Path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreError):
            Store(folder / "planbot.db")
        assert cli.main(["--db", str(folder / "planbot.db"), "index", str(PLAN_TEXTS)]) == 1
        _one_error_line(capsys)
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize("content", [os.urandom(8192), b"SQLite format 3\x00" + os.urandom(8192), b"x"],
                         ids=["random", "bad-header", "one-byte"])
def test_a_corrupt_file_is_a_clear_error(tmp_path: Path, capsys, content: bytes):
    path = tmp_path / "planbot.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="损坏"):
        Engine.open(path)
    for args in (["plans"], ["ask", "干部培训谁负责"], ["index", str(PLAN_TEXTS)]):
        assert cli.main(["--db", str(path), *args]) == 1
        assert "损坏" in _one_error_line(capsys)
    assert path.read_bytes() == content  # never overwritten


def test_a_corrupt_database_in_a_real_process_prints_one_line(tmp_path: Path):
    path = tmp_path / "planbot.db"
    path.write_bytes(os.urandom(4096))
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "--db", str(path), "ask", "谁负责干部培训"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert re.fullmatch(r"错误：[^\n]*损坏[^\n]*\n", proc.stderr), proc.stderr


def test_a_database_of_the_last_release_gets_versions_and_ids_that_never_move(tmp_path: Path):
    """Schema v6 → v7: its plans become version 1 of themselves, the next ids start past every id
    it ever used (a removed plan's too, known from the audit trail), and an item id from before
    opens the same item in a new version."""
    path = tmp_path / "planbot.db"
    v1 = _v1_database(path)
    db = sqlite_utils.Database(path)
    for step in MIGRATIONS[1:6]:
        step(db)
    db.execute("insert into uploads (action, plan_id, source, sha256, uploaded_at) values "
               "('remove', 9, 'gone.txt', 'x', '2021-02-01T00:00:00+00:00')")
    db.execute("PRAGMA user_version = 6")
    db.conn.commit()
    db.conn.close()
    engine = Engine.open(path)
    try:
        info, title, versions = engine.history("乡村振兴")
        assert (info.id, info.version, [v.version for v in versions]) == (5, 1, [1])
        old_ids = engine.store.item_ids_at(5)
        other = engine.add_plan(engine.parse_upload("org.txt", (PLAN_TEXTS / "2020年全县组织工作要点.txt").read_bytes()))
        assert other.id == 10  # past the removed plan 9, not 6
        assert min(engine.store.item_ids_at(other.id)) > max(old_ids)
        text = (PLAN_TEXTS / v1["plan"].source).read_text("utf-8").replace("打造乡村旅游精品线路3条", "打造乡村旅游精品线路5条")
        second = engine.add_plan(engine.parse_upload(v1["plan"].source, text.encode("utf-8")))
        assert (second.id, second.version) == (5, 2)
        sixth = next(i for i in old_ids if "乡村旅游" in (engine.item(i).title if engine.item(i) else ""))
        assert "5条" in engine.item(sixth).title
    finally:
        engine.close()
    assert _integrity(path) == "ok"
