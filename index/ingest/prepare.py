"""A parsed plan made ready to store: its item rows as the items table holds them, the numbers
search filters on, the texts to tokenize and the words the tokenizer must keep whole.

This is what crosses from a worker process to the one that writes (index/ingest/pool.py), so it
holds plain values only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

from .. import schema
from ..models import Item, Plan
from ..search import blob
from ..search.bags import gram_items, item_texts
from ..search.tokenize import plan_words
from ..store import PlanParts, PlanRecord


@dataclass
class Prepared(PlanParts):
    texts: list[tuple[str, str, str]]  # per item: text, title, ancestors' titles, to tokenize

    def record(self, words: blob.Bag) -> PlanRecord:
        """The plan as the store writes it, once tokenized."""
        parts = {f.name: getattr(self, f.name) for f in fields(PlanParts)}
        return PlanRecord(**parts, words=words)


def item_rows(plan: Plan) -> list[tuple]:
    """The plan's items as the items table holds them (store.ITEM_COLUMNS)."""
    # Every item's lists dumped in one call into pydantic's core, not one call per model.
    lists = plan.model_dump(mode="json", include=_LISTS)["items"]
    rows = []
    heads, heads_json = None, "[]"
    for item, dumped in zip(plan.items, lists):
        if dumped["ancestors"] != heads:  # the items of a section share its headings: encoded once
            heads, heads_json = dumped["ancestors"], _json(dumped["ancestors"])
        rows.append((item.position, item.kind, item.label, item.key, heads_json, item.title, item.text,
                     _json(dumped["owners"]), _json(dumped["deadlines"])))
    return rows


_LISTS = {"items": {"__all__": {"ancestors", "owners", "deadlines"}}}
# json.dumps(…, ensure_ascii=False) builds a new encoder at every call; one made once writes the
# same text in ~2/3 of the time, three times an item.
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _json(values: list[dict]) -> str:
    """A dumped list of models as its JSON column; "[]" at once for an empty one (most owners and deadlines)."""
    return _ENCODE(values) if values else "[]"


def plan_of_rows(meta: dict, rows: list[tuple]) -> Plan:
    """A plan back from its stored rows (a kept version, to restore it)."""
    items = [Item(position=pos, kind=kind, label=label, key=key, ancestors=json.loads(heads or "[]"),
                  title=title, text=text, owners=json.loads(owners or "[]"), deadlines=json.loads(dates or "[]"))
             for pos, kind, label, key, heads, title, text, owners, dates in rows]
    return Plan(title=meta["title"], source=meta["source"], year=meta.get("year"), items=items,
                sha256=meta.get("sha256", ""))


def prepare(plan: Plan) -> Prepared:
    """Everything of a plan that does not need the tokenizer."""
    rows = item_rows(plan)
    owners = [[(o.unit, blob.ROLES.index(o.role.value)) for o in item.owners] for item in plan.items]
    texts = item_texts(plan.items)
    return Prepared(title=plan.title, source=plan.source, sha256=plan.sha256, year=plan.year,
                    terms=plan_words(plan.items), rows=rows, shape=blob.shape_of_items(plan.items),
                    owners=owners, grams=gram_items(texts), packed_rows=schema.pack_rows(rows), texts=texts)
