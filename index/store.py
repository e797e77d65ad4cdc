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

import numpy as np
import sqlite_utils

from . import postings
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


def _v2(db: sqlite_utils.Database) -> None:
    # Who added or removed which plan, from which chat: an audit trail that outlives the
    # plan (no foreign key), so a removed plan's history stays readable.
    db["uploads"].create(
        {"id": int, "action": str, "plan_id": int, "source": str, "sha256": str,
         "user_id": int, "chat_id": int, "uploaded_at": str},
        pk="id", not_null={"action", "source", "uploaded_at"},
    )
    db["uploads"].create_index(["plan_id"])


def _v3(db: sqlite_utils.Database) -> None:
    # Tokens as numbers (index/postings.py): a `terms` table gives every token an id, and
    # each plan gets one blob of per-item arrays that the engine loads instead of every
    # item's token string. Items written before keep their text; their token strings are
    # turned into a blob here (no re-tokenizing) and then dropped.
    db.execute("create table terms (id integer primary key, term text not null unique)")
    db.execute("""create table plan_index (
                      plan_id integer primary key references plans(id),
                      data blob not null)""")
    cache: dict[str, int] = {}
    for (plan_id,) in db.execute("select id from plans order by id").fetchall():
        rows = db.execute("""select kind, key, ancestors, owners, deadlines, tokens from items
                             where plan_id = ? order by position""", [plan_id]).fetchall()
        if not rows:
            continue
        bag = postings.bag_of_words((r[5] or "").split() for r in rows)
        shape = postings.prepare_rows([r[:5] for r in rows])
        db.execute("insert into plan_index (plan_id, data) values (?, ?)",
                   [plan_id, postings.encode(shape, _term_ids(db, bag.vocab, cache)[bag.ids], bag)])
    db.execute("update items set tokens = null")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = _connect(self.path)
        migrate(self.db, self.path)
        self._term_cache: dict[str, int] | None = None  # term → id, see _term_ids

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE: see `_immediate`)."""
        try:
            with _immediate(self.db, self.path):
                yield
        except BaseException:
            self._term_cache = None  # term ids handed out in a rolled-back write are void
            raise

    def data_version(self) -> int:
        """Changes when another connection commits (PRAGMA data_version): the engine then
        reloads, so a serving bot sees what an `index` run next to it wrote."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    # -- plans -----------------------------------------------------------------------
    def plan_sha(self, source: str) -> str | None:
        row = self.db.execute("select sha256 from plans where source = ?", [source]).fetchone()
        return row[0] if row else None

    def save_plan(self, plan: Plan, tokens: list[list[str]], terms: list[str]) -> int:
        """Insert or replace the plan from the same source, items and all, atomically.
        `tokens` holds each item's search tokens, `terms` the plan's user-dictionary words."""
        prepared = postings.prepare(plan)
        prepared.terms = list(terms)
        prepared.bag = postings.bag_of_words(tokens)
        return self.save_prepared(prepared)

    def save_prepared(self, plan: postings.PreparedPlan) -> int:
        """save_plan for a plan prepared (and tokenized) by index/postings.py."""
        if plan.bag is None:
            raise ValueError("the plan has not been tokenized")
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.transaction():
            old = self.db.execute("select id from plans where source = ?", [plan.source]).fetchone()
            if old:
                self.db.execute("delete from plan_index where plan_id = ?", [old[0]])
                self.db.execute("delete from items where plan_id = ?", [old[0]])
                self.db.execute("delete from plans where id = ?", [old[0]])
            row = {"title": plan.title, "source": plan.source, "sha256": plan.sha256,
                   "year": plan.year, "indexed_at": now,
                   "terms": json.dumps(plan.terms, ensure_ascii=False)}
            if old:
                row["id"] = old[0]  # keep the id: chats that chose this plan keep it
            plan_id = self.db["plans"].insert(row).last_pk
            # Plain executemany: sqlite-utils' insert_all costs more than the rest of a save.
            self.db.conn.executemany(
                """insert into items (plan_id, position, kind, label, key, ancestors, title, text,
                                      owners, deadlines) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                ((plan_id, *r) for r in plan.rows))
            ids = _term_ids(self.db, plan.bag.vocab, self._synced_terms())
            self.db.execute("insert into plan_index (plan_id, data) values (?, ?)",
                            [plan_id, postings.encode(plan.shape, ids[plan.bag.ids], plan.bag)])
        return plan_id

    def _synced_terms(self) -> dict[str, int]:
        """The term → id cache, brought up to date (call with the write lock held: ids
        are only ever appended, so reading those past the cached maximum is enough)."""
        if self._term_cache is None:
            self._term_cache = {}
        top = max(self._term_cache.values(), default=0)
        for term_id, term in self.db.execute("select id, term from terms where id > ?", [top]):
            self._term_cache[term] = term_id
        return self._term_cache

    def plan_items(self, plan_id: int) -> list[Item]:
        """The stored items of one plan, in order, as Items (with ids and positions)."""
        rows = self.db.execute(
            """select id, plan_id, '', kind, label, key, ancestors, title, text, owners,
                      deadlines, tokens, position
               from items where plan_id = ? order by position""", [plan_id])
        return [row_to_item(r[:12], position=r[12]) for r in rows]

    def delete_plan(self, plan_id: int) -> None:
        with self.transaction():
            self.db.execute("update chats set plan_id = null where plan_id = ?", [plan_id])
            self.db.execute("delete from plan_index where plan_id = ?", [plan_id])
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

    def plan_headers(self) -> list[tuple]:
        """(id, title, source, year, indexed_at) of every plan, in id order."""
        return self.db.execute("select id, title, source, year, indexed_at from plans order by id").fetchall()

    def item_rows(self) -> Iterator[tuple]:
        """Every item with its plan's title, in plan then position order."""
        yield from self.db.execute(
            """select i.id, i.plan_id, p.title, i.kind, i.label, i.key, i.ancestors, i.title,
                      i.text, i.owners, i.deadlines, i.tokens
               from items i join plans p on p.id = i.plan_id
               order by i.plan_id, i.position"""
        )

    def plan_blobs(self) -> list[tuple[int, str, bytes]]:
        """(plan id, title, index blob) of every plan, in plan order (index/postings.py)."""
        return self.db.execute(
            """select p.id, p.title, x.data from plans p join plan_index x on x.plan_id = p.id
               order by p.id""").fetchall()

    def item_ids(self) -> tuple[np.ndarray, np.ndarray]:
        """(item ids, plan ids) of every item, in plan then position order: the rows the
        blobs of plan_blobs() describe."""
        rows = self.db.execute("select id, plan_id from items order by plan_id, position").fetchall()
        pairs = np.asarray(rows, dtype=np.int64).reshape(-1, 2)
        return pairs[:, 0].copy(), pairs[:, 1].copy()

    def items_by_id(self, ids: list[int]) -> dict[int, tuple]:
        """Rows shaped like item_rows() (without tokens) for the given item ids."""
        out: dict[int, tuple] = {}
        for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"""select i.id, i.plan_id, p.title, i.kind, i.label, i.key, i.ancestors, i.title,
                           i.text, i.owners, i.deadlines
                    from items i join plans p on p.id = i.plan_id where i.id in ({marks})""", chunk):
                out[row[0]] = row
        return out

    def term_list(self) -> list[tuple[int, str]]:
        """(id, term) of every token the blobs refer to."""
        return self.db.execute("select id, term from terms").fetchall()

    def terms(self) -> list[str]:
        """The user-dictionary words of every plan (quoted terms, unit names)."""
        words: list[str] = []
        for (raw,) in self.db.execute("select terms from plans"):
            words.extend(json.loads(raw or "[]"))
        return words

    # -- audit -----------------------------------------------------------------------
    def record_upload(self, action: str, *, plan_id: int | None, source: str, sha256: str = "",
                      user_id: int | None = None, chat_id: int | None = None) -> int:
        """Note who added ("add") or removed ("remove") a plan; user/chat None = the CLI."""
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        with self.transaction():
            return self.db["uploads"].insert(
                {"action": action, "plan_id": plan_id, "source": source, "sha256": sha256,
                 "user_id": user_id, "chat_id": chat_id, "uploaded_at": now}
            ).last_pk

    def uploads(self) -> list[dict]:
        """The audit trail, oldest first."""
        return list(self.db["uploads"].rows_where(order_by="id"))

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


def _term_ids(db: sqlite_utils.Database, vocab: list[str], cache: dict[str, int]) -> np.ndarray:
    """Ids of the terms in `vocab`, adding the new ones to the terms table and to `cache`."""
    new = [t for t in vocab if t not in cache]
    if new:
        start = max(cache.values(), default=0) + 1
        found = db.execute("select coalesce(max(id), 0) from terms").fetchone()[0]
        start = max(start, found + 1)
        db.conn.executemany("insert into terms (id, term) values (?, ?)", zip(range(start, start + len(new)), new))
        cache.update(zip(new, range(start, start + len(new))))
    return np.fromiter((cache[t] for t in vocab), dtype=np.int32, count=len(vocab))


def row_to_item(row: tuple, position: int = 0) -> Item:
    """A row of Store.item_rows() back into an Item (without its plan title; item_rows
    has no position column, so pass it when the row came from elsewhere)."""
    (item_id, _plan_id, _plan_title, kind, label, key, ancestors, title, text,
     owners, deadlines, _tokens) = row
    return Item(
        id=item_id, kind=kind, label=label, key=key, title=title, text=text, position=position,
        ancestors=[Heading(**h) for h in json.loads(ancestors)],
        owners=[Owner(**o) for o in json.loads(owners)],
        deadlines=[Deadline(**d) for d in json.loads(deadlines)],
    )


def _connect(path: Path) -> sqlite_utils.Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _check_header(path)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("select count(*) from sqlite_master").fetchone()
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"无法打开数据库 {path}：{_reason(e)}") from e
    return sqlite_utils.Database(conn)


def _check_header(path: Path) -> None:
    """Refuse a non-empty file that is not SQLite: SQLite itself would take a file of a
    few bytes for an empty database and overwrite it."""
    if path.is_file() and path.stat().st_size:
        with path.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                raise sqlite3.DatabaseError("file is not a database")


def _reason(e: Exception) -> str:
    text = str(e)
    if "not a database" in text or "malformed" in text:
        return "文件不是 SQLite 数据库或已损坏（请从备份恢复，或换一个 PLANBOT_DB 路径）"
    if "readonly" in text or "unable to open" in text or isinstance(e, OSError):
        # OSError: the folder cannot be made (a file is in the way, no permission).
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
        except (sqlite3.Error, StoreError) as e:
            cause = e.__cause__ if isinstance(e, StoreError) else e
            if not isinstance(cause, sqlite3.Error):
                raise  # e.g. another process moved the file past our version meanwhile
            raise StoreError(f"数据库升级到版本 {target + 1} 失败：{_reason(cause)}") from cause


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
    timeout instead of failing half-way; sqlite-utils nests its own writes as savepoints.
    Inside an open transaction it joins it, so writes compose into one (a plan and its
    audit row)."""
    conn = db.conn
    if conn.in_transaction:
        yield
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise StoreError(f"数据库正忙或不可写（{path}）：{_reason(e)}") from e
    try:
        yield
        conn.execute("COMMIT")
    except BaseException as e:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if is_storage_error(e):  # disk full, read-only file, damaged pages
            raise StoreError(f"写入数据库失败（{path}）：{_reason(e)}") from e
        raise


def is_storage_error(e: BaseException) -> bool:
    """An SQLite error about the file or the disk, not about our SQL (a bug stays a bug)."""
    return isinstance(e, sqlite3.OperationalError) or type(e) is sqlite3.DatabaseError
