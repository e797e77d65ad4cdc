"""The database file: opening it safely, and its schema, moved forward one version at a time.

The schema is versioned with PRAGMA user_version and moved forward by MIGRATIONS, one
step per version, inside a transaction. A database from a newer PlanBot is refused, not
rebuilt. WAL and a busy timeout let a second process (an `index` run next to a serving
bot) wait its turn instead of failing.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .errors import StoreError
from .search import blob
from .search.bags import bag_of_words, gram_items

if TYPE_CHECKING:
    import sqlite_utils

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
    # Tokens as numbers (index/search/blob.py): a `terms` table gives every token an id, and
    # each plan gets one blob of per-item arrays that the engine loads instead of every
    # item's token string. Items written before keep their text; their token strings are
    # turned into a blob here (no re-tokenizing) and then dropped.
    db.execute("create table terms (id integer primary key, term text not null unique)")
    db.execute("""create table plan_index (
                      plan_id integer primary key references plans(id),
                      data blob not null)""")
    terms = TermIds()
    for (plan_id,) in db.execute("select id from plans order by id").fetchall():
        tokens = [r[0] for r in db.execute("select tokens from items where plan_id = ? order by position", [plan_id])]
        if not tokens:
            continue
        bag = bag_of_words((t or "").split() for t in tokens)
        words = blob.Counts.of(bag, terms.of(db, bag.vocab))
        db.execute("insert into plan_index (plan_id, data) values (?, ?)", [plan_id, _blob(db, plan_id, words, terms)])
    db.execute("update items set tokens = null")


def _v4(db: sqlite_utils.Database) -> None:
    # Plans are laid out in memory in the order they were stored (search/corpus.py), so that
    # one added later goes after the others whether the corpus grows or is loaded anew: a
    # sequence number per stored blob, which a replaced plan gets afresh.
    db.execute("""create table plan_index_v4 (
                      seq integer primary key autoincrement,
                      plan_id integer not null unique references plans(id),
                      data blob not null)""")
    db.execute("insert into plan_index_v4 (plan_id, data) select plan_id, data from plan_index order by plan_id")
    db.execute("drop table plan_index")
    db.execute("alter table plan_index_v4 rename to plan_index")


def _v5(db: sqlite_utils.Database) -> None:
    # Blobs gain each item's character grams (the second search channel) and its owners
    # (for a unit's task list): computed here from the stored items; the words stay as they
    # were tokenized.
    terms = TermIds()
    for plan_id, data in db.execute("select plan_id, data from plan_index order by seq").fetchall():
        if np.frombuffer(data[:8], dtype="<i4")[1] != 1:
            continue  # written by this version's _v3 already
        words = _words_of_v1(data)
        db.execute("update plan_index set data = ? where plan_id = ?", [_blob(db, plan_id, words, terms), plan_id])


def _v6(db: sqlite_utils.Database) -> None:
    # Each plan belongs to a scope: NULL for every chat (added with the command line or by a
    # bot admin), a chat id for that chat alone (a group's own plans, a user's private ones).
    # A file name is unique within its scope, not across all of them. The plans a database
    # held before are everyone's, as they were.
    db.execute("alter table plans add column scope integer")
    db.execute("drop index if exists idx_plans_source")
    db.execute("create unique index plans_scope_source on plans (ifnull(scope, 0), source)")
    db.execute("alter table uploads add column scope integer")


def _v7(db: sqlite_utils.Database) -> None:
    # Versions. A plan is known within its scope by its title (two departments' 工作要点.txt
    # are two plans; the same title again is a new version of one), so the file name is no
    # longer unique. Every stored version keeps its items (zlib-compressed JSON rows) for
    # diffs and restores, current one included; the plans written before become version 1.
    db.execute("drop index if exists plans_scope_source")
    db.execute("create index plans_scope_title on plans (ifnull(scope, 0), title)")
    db.execute("alter table plans add column version integer not null default 1")
    db.execute("alter table uploads add column version integer")
    db.execute("""create table versions (
                      id integer primary key, plan_id integer not null, version integer not null,
                      title text not null, source text not null, sha256 text not null,
                      scope integer, year integer, terms text, rows blob not null,
                      saved_at text not null, user_id integer, chat_id integer,
                      unique (plan_id, version))""")
    for plan_id, title, source, sha, scope, year, terms, at in db.execute(
            "select id, title, source, sha256, scope, year, terms, indexed_at from plans").fetchall():
        rows = db.execute(f"select {ITEM_COLUMNS} from items where plan_id = ? order by position", [plan_id])
        db.execute("""insert into versions (plan_id, version, title, source, sha256, scope, year, terms,
                                            rows, saved_at) values (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)""",
                   [plan_id, title, source, sha, scope, year, terms, pack_rows(rows.fetchall()), at or ""])
    # Ids that never move: an old button or link must never open another plan's item. The
    # tables were made without AUTOINCREMENT, and adding it means rebuilding tables that
    # others reference while foreign keys are on, so the store hands out ids from counters
    # that start past every id ever used (removed plans are remembered by the audit trail).
    db.execute("create table id_counters (name text primary key, last integer not null)")
    db.execute("""insert into id_counters values
                  ('plans', max(ifnull((select max(id) from plans), 0), ifnull((select max(plan_id) from uploads), 0))),
                  ('items', ifnull((select max(id) from items), 0))""")
    # An item replaced by a new version: which plan and path it had, so its buttons and links
    # open the same-numbered item of the current version, or say which version removed it.
    db.execute("""create table retired_items (
                      id integer primary key, plan_id integer not null, path text not null,
                      version integer not null)""")


ITEM_COLUMNS = "position, kind, label, key, ancestors, title, text, owners, deadlines"


def pack_rows(rows: list[tuple]) -> bytes:
    """Item rows (ITEM_COLUMNS) as one compressed blob: a version of a plan."""
    return zlib.compress(json.dumps([list(r) for r in rows], ensure_ascii=False).encode("utf-8"), 6)


def unpack_rows(data: bytes) -> list[tuple]:
    return [tuple(r) for r in json.loads(zlib.decompress(data).decode("utf-8"))]


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, _v4, _v5, _v6, _v7]
SCHEMA_VERSION = len(MIGRATIONS)


def _blob(db: sqlite_utils.Database, plan_id: int, words: blob.Counts, terms: "TermIds") -> bytes:
    """A plan's blob from its stored items and its words (for migrations)."""
    rows = db.execute("""select kind, key, ancestors, owners, deadlines, title, text from items
                         where plan_id = ? order by position""", [plan_id]).fetchall()
    texts = [(text, title, " ".join(h["title"] for h in json.loads(heads or "[]")))
             for _, _, heads, _, _, title, text in rows]
    grams = gram_items(texts)
    owner_lists = [[(o["unit"], blob.ROLES.index(o["role"])) for o in json.loads(owners or "[]")]
                   for _, _, _, owners, _, _, _ in rows]
    units = list(dict.fromkeys(blob.UNIT_PREFIX + u for item in owner_lists for u, _ in item))
    unit_ids = dict(zip(units, terms.of(db, units).tolist()))
    owners = blob.Owners(np.asarray([len(item) for item in owner_lists], dtype=np.int32),
                         np.asarray([unit_ids[blob.UNIT_PREFIX + u] for item in owner_lists for u, _ in item],
                                    dtype=np.int32),
                         np.asarray([role for item in owner_lists for _, role in item], dtype=np.int32))
    return blob.encode(blob.shape_of_rows([r[:5] for r in rows]), words,
                       blob.Counts.of(grams, terms.of(db, grams.vocab)), owners)


def _words_of_v1(data: bytes) -> blob.Counts:
    """The words of a blob as schema v4 wrote them: [magic, 1, items, ancestors, entries,
    dates, 0, 0], per item kind, depth, own, flags, doc_len, n_terms, n_due, then ancestors,
    term ids, counts, dates."""
    a = np.frombuffer(data, dtype="<i4")
    m, n_anc, nnz = (int(x) for x in a[2:5])
    per_item = a[8:8 + 7 * m].reshape(7, m)
    start = 8 + 7 * m + n_anc
    return blob.Counts(a[start:start + nnz], a[start + nnz:start + 2 * nnz], per_item[5], per_item[4])


class TermIds:
    """term → id as the `terms` table holds them. Ids are only ever appended, so reading
    the rows past the highest id seen keeps this in step (with the write lock held)."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.top = 0

    def of(self, db: "Database | sqlite_utils.Database", vocab: list[str]) -> np.ndarray:
        """The ids of `vocab` (distinct terms), the new ones added to the table."""
        for term_id, term in db.execute("select id, term from terms where id > ?", [self.top]):
            self.ids[term] = term_id
            self.top = max(self.top, term_id)
        # A plan brings thousands of terms, mostly known: map() looks them up without a Python
        # frame per term (2x a list comprehension) straight into the array (-1: new), and only
        # the new ones are looked at again (ids are > 0).
        found = np.fromiter(map(self.ids.get, vocab, repeat(-1)), dtype=np.int32, count=len(vocab))
        at = np.flatnonzero(found < 0)
        if len(at):
            new = [vocab[i] for i in at.tolist()]  # distinct, in vocab order: ids as before
            ids = range(self.top + 1, self.top + 1 + len(new))
            db.conn.executemany("insert into terms (id, term) values (?, ?)", zip(ids, new))
            self.ids.update(zip(new, ids))
            self.top += len(new)
            found[at] = ids
        return found


class Database:
    """The open file as the store uses it: the sqlite3 connection (`conn`) and `execute`, which
    is the connection's own (it is in autocommit mode, where sqlite-utils' `execute` adds
    nothing). sqlite-utils' table API (`utils`) serves the migrations and the chats' upsert;
    it is imported only then, because with click and pluggy it costs a one-shot question
    ~0.1-0.2 s of start-up that reading needs none of."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._utils: sqlite_utils.Database | None = None

    def execute(self, sql: str, parameters=None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("select name from sqlite_master where type = 'table'")]

    @property
    def utils(self) -> "sqlite_utils.Database":
        if self._utils is None:
            import sqlite_utils

            self._utils = sqlite_utils.Database(self.conn)
        return self._utils


def connect(path: Path) -> Database:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        check_header(path)
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils sets it on connections it wraps
        conn.execute("select count(*) from sqlite_master").fetchone()
    except (OSError, sqlite3.Error) as e:
        raise StoreError(f"无法打开数据库 {path}：{_reason(e)}") from e
    return Database(conn)


def check_header(path: Path) -> None:
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


def migrate(db: Database, path: Path | str = "") -> None:
    for target in range(_version(db, path), SCHEMA_VERSION):
        try:
            with immediate(db, path):
                if _version(db, path) > target:
                    continue  # another process migrated while we waited for the lock
                MIGRATIONS[target](db.utils)
                db.execute(f"PRAGMA user_version = {target + 1}")
        except (sqlite3.Error, StoreError) as e:
            cause = e.__cause__ if isinstance(e, StoreError) else e
            if not isinstance(cause, sqlite3.Error):
                raise  # e.g. another process moved the file past our version meanwhile
            raise StoreError(f"数据库升级到版本 {target + 1} 失败：{_reason(cause)}") from cause


def _version(db: Database, path: Path | str) -> int:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"数据库 {path} 的结构版本是 {version}，比这个 PlanBot 支持的 {SCHEMA_VERSION} 新；请升级 PlanBot。"
        )
    return version


@contextmanager
def immediate(db: Database, path: Path | str) -> Iterator[None]:
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
