"""The SQLite database (sqlite3, and sqlite-utils' table API to migrate): plans, their items and search blobs, the audit
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

from . import limits, schema
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
    # `rows` as the versions table keeps them (schema.pack_rows): compressed where the plan is
    # parsed, a worker process in a big run, not in the one process that writes.
    packed_rows: bytes


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
    arrays: blob.PlanArrays | None  # None: read back from the database (Store.read_back)
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
    def write_plan(self, record: PlanRecord, audit: Audit, scope: int | None = None, *,
                   action: str = "add", plan_id: int | None = None, decoded: bool = True) -> Stored:
        """Store a plan in `scope` (None: every chat's; a chat id: that chat's) as a new version
        of the plan of the same title there (its id stays: chats that chose it keep it; its old
        items are retired, see retired_item), keep that version's items for diffs and restores,
        and record the change, all in one transaction. `plan_id` brings back a removed plan
        under its own id (a restore). `decoded=False`: the Stored carries no arrays (an index
        run reads them back when it appends the plans, Store.read_back)."""
        now, terms = _now(), json.dumps(record.terms, ensure_ascii=False)
        with self.transaction():
            old = self.plan_by_title(record.title, scope) if plan_id is None else plan_id
            version = self._next_version(old) if old is not None else 1
            replaced = self.plan_arrays(old) if old is not None else None
            if old is not None:
                self._retire_items(old, version)
                self._delete(old)
            plan_id = old if old is not None else self._next_ids("plans", 1)[0]
            self.db.execute(
                """insert into plans (id, title, source, sha256, year, indexed_at, scope, terms, version)
                   values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                [plan_id, record.title, record.source, record.sha256, record.year, now, scope, terms, version])
            ids = self._next_ids("items", len(record.rows))
            # Plain executemany: sqlite-utils' insert_all costs more than the rest of a save.
            self.db.conn.executemany(
                """insert into items (id, plan_id, position, kind, label, key, ancestors, title, text,
                                      owners, deadlines) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                ((item_id, plan_id, *r) for item_id, r in zip(ids, record.rows)))
            data = self._encode(record)
            seq = self.db.execute("insert into plan_index (plan_id, data) values (?, ?)", [plan_id, data]).lastrowid
            self._save_version(plan_id, version, record, terms, scope, audit, now)
            self._audit(action, plan_id, record.source, record.sha256, audit, now, scope, version)
        return Stored(plan_id, seq, np.asarray(ids, dtype=np.int64), blob.decode(data) if decoded else None,
                      record.terms, replaced)

    def _next_ids(self, name: str, n: int) -> list[int]:
        """`n` ids never handed out before (schema._v7: why counters, not AUTOINCREMENT)."""
        (last,) = self.db.execute("update id_counters set last = last + ? where name = ? returning last",
                                  [n, name]).fetchone()
        return list(range(last - n + 1, last + 1))

    def _next_version(self, plan_id: int) -> int:
        row = self.db.execute("select max(version) from versions where plan_id = ?", [plan_id]).fetchone()
        return (row[0] or 0) + 1

    def _save_version(self, plan_id: int, version: int, record: PlanParts, terms: str, scope: int | None,
                      audit: Audit, now: str) -> None:
        self.db.execute(
            """insert into versions (plan_id, version, title, source, sha256, scope, year, terms, rows,
                                     saved_at, user_id, chat_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [plan_id, version, record.title, record.source, record.sha256, scope, record.year,
             terms, record.packed_rows, now,
             audit.user_id, audit.chat_id])
        self.db.execute("""delete from versions where plan_id = ? and version <= ?""",
                        [plan_id, version - limits.KEEP_VERSIONS])

    def _retire_items(self, plan_id: int, version: int) -> None:
        """Remember where the plan's current items were, for buttons and links to them."""
        rows = self.db.execute("select id, key, ancestors from items where plan_id = ?", [plan_id]).fetchall()
        self.db.conn.executemany(
            "insert or replace into retired_items (id, plan_id, path, version) values (?, ?, ?, ?)",
            ((item_id, plan_id, item_path(key, heads), version) for item_id, key, heads in rows))

    def _encode(self, record: PlanRecord) -> bytes:
        """The plan's blob, its words, grams and owner units given their global term ids
        (new ones added to the terms table)."""
        units = list(dict.fromkeys(blob.UNIT_PREFIX + u for item in record.owners for u, _ in item))
        words, grams = record.words.vocab, record.grams.vocab
        vocab = list(dict.fromkeys([*words, *grams, *units]))
        ids = self._terms.of(self.db, vocab)
        if len(vocab) == len(words) + len(grams) + len(units):  # no term in two lists: slices
            gram_ids, unit_ids = ids[len(words):len(words) + len(grams)], ids[len(words) + len(grams):]
            by_unit = dict(zip(units, unit_ids.tolist()))
        else:  # a word token spelled like a gram ("#5g") or a unit: look each up
            by_term = dict(zip(vocab, ids.tolist()))
            gram_ids = np.asarray([by_term[t] for t in grams], dtype=np.int32)
            by_unit = {u: by_term[u] for u in units}
        owners = blob.Owners(np.asarray([len(item) for item in record.owners], dtype=np.int32),
                             np.asarray([by_unit[blob.UNIT_PREFIX + u] for item in record.owners for u, _ in item],
                                        dtype=np.int32),
                             np.asarray([role for item in record.owners for _, role in item], dtype=np.int32))
        return blob.encode(record.shape, blob.Counts.of(record.words, ids[:len(words)]),
                           blob.Counts.of(record.grams, gram_ids), owners)

    def remove_plan(self, plan_id: int, audit: Audit) -> blob.PlanArrays | None:
        """Delete a plan and record who removed it; returns its blob's arrays (None: no such
        plan). Chats that chose it are left with none."""
        now = _now()
        with self.transaction():
            row = self.db.execute("select source, sha256, scope, version from plans where id = ?",
                                  [plan_id]).fetchone()
            if row is None:
                return None
            arrays = self.plan_arrays(plan_id)
            self._retire_items(plan_id, row[3])
            self._delete(plan_id)
            self.db.execute("update chats set plan_id = null where plan_id = ?", [plan_id])
            self._audit("remove", plan_id, row[0], row[1] or "", audit, now, row[2], row[3])
        return arrays

    def _delete(self, plan_id: int) -> None:
        self.db.execute("delete from plan_index where plan_id = ?", [plan_id])
        self.db.execute("delete from items where plan_id = ?", [plan_id])
        self.db.execute("delete from plans where id = ?", [plan_id])

    def _audit(self, action: str, plan_id: int, source: str, sha256: str, audit: Audit, now: str,
               scope: int | None, version: int) -> None:
        self.db.execute(
            """insert into uploads (action, plan_id, source, sha256, user_id, chat_id, uploaded_at, scope,
                                    version) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [action, plan_id, source, sha256, audit.user_id, audit.chat_id, now, scope, version])

    # -- reading plans -----------------------------------------------------------------------
    def plan_with_sha(self, sha256: str, scope: int | None = None) -> int | None:
        """The plan in `scope` whose current version came from exactly this content."""
        row = self.db.execute("select id from plans where sha256 = ? and ifnull(scope, 0) = ifnull(?, 0)",
                              [sha256, scope]).fetchone()
        return row[0] if row else None

    def plan_by_title(self, title: str, scope: int | None = None) -> int | None:
        """The plan a plan of this title in `scope` is a new version of."""
        row = self.db.execute("select id from plans where title = ? and ifnull(scope, 0) = ifnull(?, 0)",
                              [title, scope]).fetchone()
        return row[0] if row else None

    # -- versions ----------------------------------------------------------------------------
    def versions(self, plan_id: int) -> list[dict]:
        """The kept versions of a plan (removed or not), oldest first, without their items."""
        return [dict(zip(("version", "title", "source", "sha256", "scope", "saved_at", "user_id", "chat_id"), r))
                for r in self.db.execute(
                    """select version, title, source, sha256, scope, saved_at, user_id, chat_id from versions
                       where plan_id = ? order by version""", [plan_id])]

    def version(self, plan_id: int, version: int) -> tuple[dict, list[tuple]] | None:
        """One kept version: its title, source, sha256, scope, year, terms and its item rows."""
        row = self.db.execute("""select title, source, sha256, scope, year, terms, rows from versions
                                 where plan_id = ? and version = ?""", [plan_id, version]).fetchone()
        if row is None:
            return None
        meta = dict(zip(("title", "source", "sha256", "scope", "year"), row[:5]))
        meta["terms"] = json.loads(row[5] or "[]")
        return meta, schema.unpack_rows(row[6])

    def removed_plans(self) -> list[tuple[int, str, int | None]]:
        """(id, title, scope) of plans removed whose versions are kept, from their last version."""
        return self.db.execute(
            """select v.plan_id, v.title, v.scope from versions v
               where v.plan_id not in (select id from plans)
                 and v.version = (select max(version) from versions w where w.plan_id = v.plan_id)
               order by v.plan_id""").fetchall()

    def retired_item(self, item_id: int) -> tuple[int, str, int] | None:
        """(plan id, path, version that retired it) of an item a later version replaced."""
        return self.db.execute("select plan_id, path, version from retired_items where id = ?",
                               [item_id]).fetchone()

    def item_at(self, plan_id: int, path: str) -> int | None:
        """The current item of a plan at `path` (item_path), if any."""
        for item_id, key, heads in self.db.execute(
                "select id, key, ancestors from items where plan_id = ? order by position", [plan_id]):
            if item_path(key, heads) == path:
                return item_id
        return None

    _HEADER = "select id, title, source, year, indexed_at, scope, version from plans"

    def plan_headers(self) -> list[tuple]:
        """(id, title, source, year, indexed_at, scope, version) of every plan, in id order."""
        return self.db.execute(f"{self._HEADER} order by id").fetchall()

    def plan_header(self, plan_id: int) -> tuple | None:
        """The same of one plan, or None."""
        return self.db.execute(f"{self._HEADER} where id = ?", (plan_id,)).fetchone()

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

    def read_back(self, stored: list[Stored]) -> Iterator[tuple[int, np.ndarray, blob.PlanArrays]]:
        """(plan id, item ids, decoded blob) of plans this store wrote, one at a time in the
        order they were stored, for the corpus to add after an index run (Corpus.with_plans
        lets them go before building the postings). A plan written anew since (by another
        process) is left out: the engine reloads when it sees that."""
        if not stored:
            return
        wanted = {s.seq: s for s in stored}
        for seq, data in self.db.execute("select seq, data from plan_index where seq >= ? order by seq",
                                         [min(wanted)]):
            s = wanted.get(seq)
            if s is None:
                continue
            try:
                yield s.plan_id, s.item_ids, blob.decode(data)
            except ValueError:
                continue

    def plan_arrays(self, plan_id: int) -> blob.PlanArrays | None:
        row = self.db.execute("select data from plan_index where plan_id = ?", [plan_id]).fetchone()
        try:
            return blob.decode(row[0]) if row else None
        except ValueError:
            return None

    def item_ids_at(self, plan_id: int) -> list[int]:
        """A plan's current item ids in position order (the order of its kept rows)."""
        return [r[0] for r in self.db.execute("select id from items where plan_id = ? order by position", [plan_id])]

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

    def term_list(self, after: int | None = None) -> list[tuple[int, str]]:
        """(id, term) of every token the blobs refer to (or of those with an id above
        `after`: ids are only ever appended), in id order."""
        if after is None:
            return self.db.execute("select id, term from terms order by id").fetchall()
        return self.db.execute("select id, term from terms where id > ? order by id", [after]).fetchall()

    def terms(self, plan_ids: list[int] | None = None) -> list[str]:
        """The user-dictionary words of every plan (or of `plan_ids`): quoted terms, unit names."""
        where = "" if plan_ids is None else f"where id in ({','.join('?' * len(plan_ids))})"
        words: list[str] = []
        for (raw,) in self.db.execute(f"select terms from plans {where} order by id", list(plan_ids or [])):
            words.extend(json.loads(raw or "[]"))
        return words

    def scope_size(self, scope: int, but: int | None = None) -> tuple[int, int]:
        """(plans, characters of item text) a chat's own plans hold, leaving out plan `but`."""
        row = self.db.execute(
            """select count(distinct p.id), ifnull(sum(length(i.text)), 0) from plans p
               left join items i on i.plan_id = p.id where p.scope = ? and p.id != ifnull(?, -1)""",
            [scope, but]).fetchone()
        return row[0], row[1]

    def has_history(self) -> bool:
        """Whether any plan was ever added or removed (the audit trail is not empty)."""
        return self.db.execute("select exists (select 1 from uploads)").fetchone()[0] == 1

    def uploads(self) -> list[dict]:
        """The audit trail, oldest first."""
        cursor = self.db.execute("select * from uploads order by id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]

    # -- chats -------------------------------------------------------------------------------
    def chat(self, chat_id: int) -> dict:
        row = self.db.execute("select plan_id, remind_at from chats where chat_id = ?", [chat_id]).fetchone()
        return {"plan_id": row[0], "remind_at": row[1]} if row else {"plan_id": None, "remind_at": None}

    def update_chat(self, chat_id: int, **values: object) -> None:
        with self.transaction():
            self.db.utils["chats"].upsert({"chat_id": chat_id, **values}, pk="chat_id")

    def reminders(self) -> dict[int, str]:
        rows = self.db.execute("select chat_id, remind_at from chats where remind_at is not null")
        return {r[0]: r[1] for r in rows}


def item_path(key: str, ancestors: str | None) -> str:
    """An item's place in its plan as one string ('二/（三）/3'): what an old button to it
    finds again in a later version."""
    return "/".join([h["key"] for h in json.loads(ancestors or "[]")] + [key])


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
