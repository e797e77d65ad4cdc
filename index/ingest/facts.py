"""Chunks → items with their owners and deadlines, read with what the whole plan says.

Each chunk of text (an item, a paragraph item, the preamble, the closing text) gets the owners
and deadlines it states (sections are titles and state none). Two things come from the plan as a
whole: the units it names in fields and brackets, which count as units where prose names them
(`index.ingest.prose`), and its standing rules (`index.ingest.rules`): the first-is-lead rule from
the chunk that states it on, a "以下均需X落实" owner on every later task item in that part, and
the body a heading lists the duties of ("X职责") on each item under it that names no owner.
"""

from __future__ import annotations

from ..models import Item
from .deadlines import extract_deadlines
from .owners import dedupe, extract_owners, stated_owners
from .rules import StandingOwner, document_rule_first_is_lead, heading_owner, standing_owner
from .structure import Chunk


def annotate(chunks: list[Chunk], year: int | None) -> list[Item]:
    known = frozenset(o.unit for chunk in chunks for o in stated_owners(chunk.text))
    items: list[Item] = []
    first_is_lead = False
    standing: tuple[str | None, StandingOwner] | None = None  # (part of the plan, owner)
    for position, chunk in enumerate(chunks):
        first_is_lead = first_is_lead or document_rule_first_is_lead(chunk.text)
        item = Item(kind=chunk.kind, label=chunk.label, key=chunk.key,  # type: ignore[arg-type]
                    ancestors=chunk.ancestors, title=chunk.title, text=chunk.text, position=position)
        if chunk.kind != "section":
            item.owners = extract_owners(chunk.text, first_is_lead=first_is_lead, known=known)
            item.deadlines = extract_deadlines(chunk.text, year=year)
        if chunk.kind == "item" and not item.owners and chunk.ancestors and (
                duty := heading_owner(chunk.ancestors[-1].title)):
            item.owners = [duty.owner()]  # a duty listed under "X职责"
        part = _part(chunk)
        if standing and chunk.kind == "item" and standing[0] == part:
            item.owners = dedupe([*item.owners, standing[1].owner()])
        elif standing and standing[0] != part:
            standing = None  # the rule covers its own part of the plan only
        if chunk.kind != "section" and (found := standing_owner(chunk.text)):
            standing = (part, found)
        items.append(item)
    return items


def _part(chunk: Chunk) -> str | None:
    """The top-level section a chunk belongs to (its own key when it is one)."""
    if chunk.ancestors:
        return chunk.ancestors[0].key
    return chunk.key or None
