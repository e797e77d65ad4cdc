"""The SQLite database, through sqlite-utils: plans, items, per-chat settings.

The schema is versioned with PRAGMA user_version and moved forward by MIGRATIONS, one
step per version, inside a transaction. A database from a newer PlanBot is refused, not
rebuilt. WAL and a busy timeout let a second process (an `index` run next to a serving
bot) wait its turn instead of failing.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from .errors import StoreError
from .models import Deadline, Heading, Item, Owner, Plan, PlanInfo

BUSY_TIMEOUT_MS = 10_000


def _v1(db: sqlite_utils.Database) -> None:
    db["plans"].create(
        {"id": int, "title": str, "source": str, "sha256": str, "year": int, "indexed_at": str,
         "terms": str},
        pk="id", not_null={"title", "source", "sha256"},
    )
    db["plans"].create_index(["source"], unique=True)
    db["items"].create(
        {"id": int, "plan_id": int, "position": int, "kind": str, "label": str, "key": str,
         "ancestors": str, "title": str, "text": str, "owners": str, "deadlines": str,
         "tokens": str},
        pk="id", foreign_keys=[("plan_id", "plans", "id")],
    )
    db["items"].create_index(["plan_id", "position"])
    db["chats"].create({"chat_id": int, "plan_id": int, "remind_at": str}, pk="chat_id")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = _connect(self.path)
        migrate(self.db, self.path)

    def close(self) -> None:
        self.db.conn.close()

    def transaction(self):
        """One write transaction (BEGIN IMMEDIATE: see `_immediate`)."""
        return _immediate(self.db, self.path)

    # -- plans -----------------------------------------------------------------------
    def plan_sha(self, source: str) -> str | None:
        row = self.db.execute("select sha256 from plans where source = ?", [source]).fetchone()
        return row[0] if row else None

    def save_plan(self, plan: Plan, tokens: list[list[str]], terms: list[str]) -> int:
        """Insert or replace the plan from the same source, items and all, atomically."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.transaction():
            old = self.db.execute("select id from plans where source = ?", [plan.source]).fetchone()
            if old:
                self.db.execute("delete from items where plan_id = ?", [old[0]])
                self.db.execute("delete from plans where id = ?", [old[0]])
            row = {"title": plan.title, "source": plan.source, "sha256": plan.sha256,
                   "year": plan.year, "indexed_at": now,
                   "terms": json.dumps(terms, ensure_ascii=False)}
            if old:
                row["id"] = old[0]  # keep the id: chats that chose this plan keep it
            plan_id = self.db["plans"].insert(row).last_pk
            self.db["items"].insert_all(
                (_item_row(plan_id, item, toks) for item, toks in zip(plan.items, tokens)),
                batch_size=500,
            )
        return plan_id

    def delete_plan(self, plan_id: int) -> None:
        with self.transaction():
            self.db.execute("update chats set plan_id = null where plan_id = ?", [plan_id])
            self.db.execute("delete from items where plan_id = ?", [plan_id])
            self.db.execute("delete from plans where id = ?", [plan_id])

    def plan_infos(self) -> list[PlanInfo]:
        sql = """
            select p.id, p.title, p.source, p.year, p.indexed_at,
                   count(i.id) filter (where i.kind = 'item'),
                   count(i.id) filter (where i.kind = 'item' and i.owners != '[]'),
                   count(i.id) filter (where i.kind = 'item' and i.deadlines != '[]')
            from plans p left join items i on i.plan_id = p.id
            group by p.id order by p.id"""
        return [
            PlanInfo(id=r[0], title=r[1], source=r[2], year=r[3], indexed_at=r[4] or "",
                     items=r[5], with_owners=r[6], with_deadlines=r[7])
            for r in self.db.execute(sql).fetchall()
        ]

    def item_rows(self) -> Iterator[tuple]:
        """Every item with its plan's title, in plan then position order."""
        yield from self.db.execute(
            """select i.id, i.plan_id, p.title, i.kind, i.label, i.key, i.ancestors, i.title,
                      i.text, i.owners, i.deadlines, i.tokens
               from items i join plans p on p.id = i.plan_id
               order by i.plan_id, i.position"""
        )

    def terms(self) -> list[str]:
        """The user-dictionary words of every plan (quoted terms, unit names)."""
        words: list[str] = []
        for (raw,) in self.db.execute("select terms from plans"):
            words.extend(json.loads(raw or "[]"))
        return words

    # -- chats -----------------------------------------------------------------------
    def chat(self, chat_id: int) -> dict:
        row = self.db.execute("select plan_id, remind_at from chats where chat_id = ?", [chat_id]).fetchone()
        return {"plan_id": row[0], "remind_at": row[1]} if row else {"plan_id": None, "remind_at": None}

    def update_chat(self, chat_id: int, **values: object) -> None:
        with self.transaction():
            self.db["chats"].upsert({"chat_id": chat_id, **values}, pk="chat_id")

    def reminders(self) -> dict[int, str]:
        rows = self.db.execute("select chat_id, remind_at from chats where remind_at is not null")
        return {r[0]: r[1] for r in rows}


def _item_row(plan_id: int, item: Item, tokens: list[str]) -> dict:
    return {
        "plan_id": plan_id, "position": item.position, "kind": item.kind, "label": item.label,
        "key": item.key, "title": item.title, "text": item.text,
        "ancestors": json.dumps([h.model_dump() for h in item.ancestors], ensure_ascii=False),
        "owners": json.dumps([o.model_dump(mode="json") for o in item.owners], ensure_ascii=False),
        "deadlines": json.dumps([d.model_dump(mode="json") for d in item.deadlines], ensure_ascii=False),
        "tokens": " ".join(tokens),
    }


def row_to_item(row: tuple) -> Item:
    """A row of Store.item_rows() back into an Item (without its plan title)."""
    (item_id, _plan_id, _plan_title, kind, label, key, ancestors, title, text,
     owners, deadlines, _tokens) = row
    return Item(
        id=item_id, kind=kind, label=label, key=key, title=title, text=text, position=0,
        ancestors=[Heading(**h) for h in json.loads(ancestors)],
        owners=[Owner(**o) for o in json.loads(owners)],
        deadlines=[Deadline(**d) for d in json.loads(deadlines)],
    )


def _connect(path: Path) -> sqlite_utils.Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("select count(*) from sqlite_master").fetchone()
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"无法打开数据库 {path}：{_reason(e)}") from e
    return sqlite_utils.Database(conn)


def _reason(e: Exception) -> str:
    text = str(e)
    if "not a database" in text or "malformed" in text:
        return "文件不是 SQLite 数据库或已损坏（请从备份恢复，或换一个 PLANBOT_DB 路径）"
    if "readonly" in text or "unable to open" in text or isinstance(e, PermissionError):
        return "路径不可写或不存在（检查 PLANBOT_DB 及其所在目录的权限）"
    return text


def migrate(db: sqlite_utils.Database, path: Path | str = "") -> None:
    for target in range(_version(db, path), SCHEMA_VERSION):
        try:
            with _immediate(db, path):
                if _version(db, path) > target:
                    continue  # another process migrated while we waited for the lock
                MIGRATIONS[target](db)
                db.execute(f"PRAGMA user_version = {target + 1}")
        except sqlite3.Error as e:
            raise StoreError(f"数据库升级到版本 {target + 1} 失败：{_reason(e)}") from e


def _version(db: sqlite_utils.Database, path: Path | str) -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"数据库 {path} 的结构版本是 {version}，比这个 PlanBot 支持的 {SCHEMA_VERSION} 新；请升级 PlanBot。"
        )
    return version


@contextmanager
def _immediate(db: sqlite_utils.Database, path: Path | str) -> Iterator[None]:
    """BEGIN IMMEDIATE takes the write lock up front, so two writers queue on the busy
    timeout instead of failing half-way; sqlite-utils nests its own writes as savepoints."""
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise StoreError(f"数据库正忙或不可写（{path}）：{_reason(e)}") from e
    try:
        yield
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    else:
        conn.execute("COMMIT")
