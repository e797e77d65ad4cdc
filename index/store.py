"""The SQLite database, through sqlite-utils: plans, their items and search blobs, the audit
trail, and per-chat settings the bot keeps.

Every change to the plans goes through `write_plan` or `remove_plan`, which record in the same
transaction who made it (the `uploads` table): the command line, an upload in a chat, a
migration. The schema and its migrations are in index/schema.py.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import schema
from .search import blob
from .schema import MIGRATIONS, SCHEMA_VERSION, is_storage_error  # noqa: F401 - the store's API


@dataclass(frozen=True)
class Audit:
    """Who asked for a change: a Telegram user in a chat, or (None, None) the command line."""

    user_id: int | None = None
    chat_id: int | None = None


@dataclass
class PlanParts:
    """What a parsed plan stores that needs no tokenizer (index/ingest/prepare.Prepared adds the
    texts still to tokenize; PlanRecord adds their word bags)."""

    title: str
    source: str
    sha256: str
    year: int | None
    terms: list[str]  # user-dictionary words of the plan (quoted terms, unit names)
    rows: list[tuple]  # (position, kind, label, key, ancestors, title, text, owners, deadlines)
    shape: blob.Shape
    grams: blob.Bag  # character grams per item
    owners: list[list[tuple[str, int]]]  # per item: (unit, role code in blob.ROLES)


@dataclass
class PlanRecord(PlanParts):
    """A parsed, tokenized plan, as the store writes it."""

    words: blob.Bag


@dataclass(frozen=True)
class Stored:
    """What a write put in the database, for the corpus to add without reading it back."""

    plan_id: int
    seq: int  # the stored blob's sequence number (Store.plan_versions)
    item_ids: np.ndarray
    arrays: blob.PlanArrays
    vocab: dict[str, int]  # the plan's terms → their ids
    words: list[str]  # its user-dictionary words
    replaced: blob.PlanArrays | None  # the plan it replaced, if any


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = schema.connect(self.path)
        schema.migrate(self.db, self.path)
        self._terms = schema.TermIds()

    def close(self) -> None:
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE: see schema.immediate)."""
        try:
            with schema.immediate(self.db, self.path):
                yield
        except BaseException:
            self._terms = schema.TermIds()  # term ids handed out in a rolled-back write are void
            raise

    def data_version(self) -> int:
        """Changes when another connection commits (PRAGMA data_version): the engine then
        catches up, so a serving bot sees what an `index` run next to it wrote."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    # -- the one write path -----------------------------------------------------------------
    def write_plan(self, record: PlanRecord, audit: Audit, scope: int | None = None) -> Stored:
        """Store a plan in `scope` (None: every chat's; a chat id: that chat's), replacing the
        plan from the same file name in that scope (its id stays: chats that chose it keep it),
        and record the change, all in one transaction."""
        now = _now()
        with self.transaction():
            old = self.db.execute("select id from plans where source = ? and ifnull(scope, 0) = ifnull(?, 0)",
                                  [record.source, scope]).fetchone()
            replaced = self.plan_arrays(old[0]) if old else None
            if old:
                self._delete(old[0])
            row = {"title": record.title, "source": record.source, "sha256": record.sha256,
                   "year": record.year, "indexed_at": now, "scope": scope,
                   "terms": json.dumps(record.terms, ensure_ascii=False)}
            if old:
                row["id"] = old[0]
            plan_id = self.db["plans"].insert(row).last_pk
            # Plain executemany: sqlite-utils' insert_all costs more than the rest of a save.
            self.db.conn.executemany(
                """insert into items (plan_id, position, kind, label, key, ancestors, title, text,
                                      owners, deadlines) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                ((plan_id, *r) for r in record.rows))
            data, vocab = self._encode(record)
            seq = self.db.execute("insert into plan_index (plan_id, data) values (?, ?)", [plan_id, data]).lastrowid
            self._audit("add", plan_id, record.source, record.sha256, audit, now, scope)
            item_ids = self._item_ids(plan_id)
        return Stored(plan_id, seq, item_ids, blob.decode(data), vocab, record.terms, replaced)

    def _encode(self, record: PlanRecord) -> tuple[bytes, dict[str, int]]:
        """The plan's blob, its words, grams and owner units given their global term ids
        (new ones added to the terms table), and those ids."""
        units = list(dict.fromkeys(blob.UNIT_PREFIX + u for item in record.owners for u, _ in item))
        vocab = list(dict.fromkeys([*record.words.vocab, *record.grams.vocab, *units]))
        ids = self._terms.of(self.db, vocab)
        by_term = dict(zip(vocab, ids.tolist()))
        owners = blob.Owners(np.asarray([len(item) for item in record.owners], dtype=np.int32),
                             np.asarray([by_term[blob.UNIT_PREFIX + u] for item in record.owners for u, _ in item],
                                        dtype=np.int32),
                             np.asarray([role for item in record.owners for _, role in item], dtype=np.int32))
        data = blob.encode(record.shape, blob.Counts.of(record.words, ids[:len(record.words.vocab)]),
                           blob.Counts.of(record.grams, np.asarray([by_term[t] for t in record.grams.vocab],
                                                                   dtype=np.int32)), owners)
        return data, by_term

    def remove_plan(self, plan_id: int, audit: Audit) -> blob.PlanArrays | None:
        """Delete a plan and record who removed it; returns its blob's arrays (None: no such
        plan). Chats that chose it are left with none."""
        now = _now()
        with self.transaction():
            row = self.db.execute("select source, sha256, scope from plans where id = ?", [plan_id]).fetchone()
            if row is None:
                return None
            arrays = self.plan_arrays(plan_id)
            self._delete(plan_id)
            self.db.execute("update chats set plan_id = null where plan_id = ?", [plan_id])
            self._audit("remove", plan_id, row[0], row[1] or "", audit, now, row[2])
        return arrays

    def _delete(self, plan_id: int) -> None:
        self.db.execute("delete from plan_index where plan_id = ?", [plan_id])
        self.db.execute("delete from items where plan_id = ?", [plan_id])
        self.db.execute("delete from plans where id = ?", [plan_id])

    def _audit(self, action: str, plan_id: int, source: str, sha256: str, audit: Audit, now: str,
               scope: int | None) -> None:
        self.db.execute(
            """insert into uploads (action, plan_id, source, sha256, user_id, chat_id, uploaded_at, scope)
               values (?, ?, ?, ?, ?, ?, ?, ?)""",
            [action, plan_id, source, sha256, audit.user_id, audit.chat_id, now, scope])

    # -- reading plans -----------------------------------------------------------------------
    def plan_sha(self, source: str, scope: int | None = None) -> str | None:
        row = self.db.execute("select sha256 from plans where source = ? and ifnull(scope, 0) = ifnull(?, 0)",
                              [source, scope]).fetchone()
        return row[0] if row else None

    def plan_headers(self) -> list[tuple]:
        """(id, title, source, year, indexed_at, scope) of every plan, in id order."""
        return self.db.execute("select id, title, source, year, indexed_at, scope from plans order by id").fetchall()

    def plan_versions(self) -> dict[int, int]:
        """plan id → the sequence number of its stored blob: a plan written anew gets a new
        one, so comparing these tells what another process changed."""
        return dict(self.db.execute("select plan_id, seq from plan_index").fetchall())

    def plan_blobs(self, plan_ids: list[int] | None = None) -> list[tuple[int, np.ndarray, blob.PlanArrays | None]]:
        """(plan id, its item ids in position order, its decoded blob or None when it cannot be
        read) of every plan (or of `plan_ids`), in the order they were stored."""
        where = "" if plan_ids is None else f"where x.plan_id in ({','.join('?' * len(plan_ids))})"
        args = [] if plan_ids is None else list(plan_ids)
        ids: dict[int, list[int]] = {}
        for plan_id, item_id in self.db.execute(
                f"""select i.plan_id, i.id from items i join plan_index x on x.plan_id = i.plan_id
                    {where} order by x.seq, i.position""", args):
            ids.setdefault(plan_id, []).append(item_id)
        out = []
        for plan_id, data in self.db.execute(f"select x.plan_id, x.data from plan_index x {where} order by x.seq", args):
            try:
                arrays = blob.decode(data)
            except ValueError:
                arrays = None
            out.append((plan_id, np.asarray(ids.get(plan_id, []), dtype=np.int64), arrays))
        return out

    def plan_arrays(self, plan_id: int) -> blob.PlanArrays | None:
        row = self.db.execute("select data from plan_index where plan_id = ?", [plan_id]).fetchone()
        try:
            return blob.decode(row[0]) if row else None
        except ValueError:
            return None

    def _item_ids(self, plan_id: int) -> np.ndarray:
        rows = self.db.execute("select id from items where plan_id = ? order by position", [plan_id]).fetchall()
        return np.asarray([r[0] for r in rows], dtype=np.int64)

    def items_by_id(self, ids: list[int]) -> dict[int, tuple]:
        """(id, plan id, plan title, kind, label, key, ancestors, title, text, owners, deadlines)
        of the given items, by id."""
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

    def terms(self, plan_ids: list[int] | None = None) -> list[str]:
        """The user-dictionary words of every plan (or of `plan_ids`): quoted terms, unit names."""
        where = "" if plan_ids is None else f"where id in ({','.join('?' * len(plan_ids))})"
        words: list[str] = []
        for (raw,) in self.db.execute(f"select terms from plans {where} order by id", list(plan_ids or [])):
            words.extend(json.loads(raw or "[]"))
        return words

    def uploads(self) -> list[dict]:
        """The audit trail, oldest first."""
        return list(self.db["uploads"].rows_where(order_by="id"))

    # -- chats -------------------------------------------------------------------------------
    def chat(self, chat_id: int) -> dict:
        row = self.db.execute("select plan_id, remind_at from chats where chat_id = ?", [chat_id]).fetchone()
        return {"plan_id": row[0], "remind_at": row[1]} if row else {"plan_id": None, "remind_at": None}

    def update_chat(self, chat_id: int, **values: object) -> None:
        with self.transaction():
            self.db["chats"].upsert({"chat_id": chat_id, **values}, pk="chat_id")

    def reminders(self) -> dict[int, str]:
        rows = self.db.execute("select chat_id, remind_at from chats where remind_at is not null")
        return {r[0]: r[1] for r in rows}


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
