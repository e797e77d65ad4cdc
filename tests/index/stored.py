"""Plans written and read back through the store's live paths, for tests of the store itself."""

from __future__ import annotations

import json

from planbot.index.ingest.prepare import prepare
from planbot.index.models import Deadline, Heading, Item, Owner, Plan
from planbot.index.search.bags import bag_of_words
from planbot.index.store import Audit, Store


def save(store: Store, plan: Plan, tokens: list[list[str]] | None = None, terms: list[str] = (),
         audit: Audit = Audit()) -> int:
    """Store `plan` through Store.write_plan with the given tokens per item (default: its text
    split on spaces) and user-dictionary words; its plan id."""
    prepared = prepare(plan)
    prepared.terms = list(terms)
    tokens = tokens if tokens is not None else [item.text.split() for item in plan.items]
    return store.write_plan(prepared.record(bag_of_words(tokens)), audit).plan_id


def items_of(store: Store, plan_id: int) -> list[Item]:
    """The stored items of one plan, in order, as Items (with ids and positions), read the way
    citations read them (Store.plan_blobs for the ids, Store.items_by_id for the rows)."""
    found = [ids for pid, ids, _ in store.plan_blobs([plan_id]) if pid == plan_id]
    if not found:
        return []
    ids = [int(i) for i in found[0]]
    rows = store.items_by_id(ids)
    return [_item(rows[item_id], position) for position, item_id in enumerate(ids)]


def plan_ids(store: Store) -> list[int]:
    return [row[0] for row in store.plan_headers()]


def _item(row: tuple, position: int) -> Item:
    (item_id, _plan_id, _plan_title, kind, label, key, ancestors, title, text, owners, deadlines) = row
    return Item(id=item_id, kind=kind, label=label, key=key, title=title, text=text, position=position,
                ancestors=[Heading(**h) for h in json.loads(ancestors)],
                owners=[Owner(**o) for o in json.loads(owners)],
                deadlines=[Deadline(**d) for d in json.loads(deadlines)])
