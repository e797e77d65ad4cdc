"""Chunks → items with their owners and deadlines, read with what the whole plan says.

Each chunk of text (an item, a paragraph item, the preamble, the closing text) gets the owners
and deadlines it states (sections are titles and state none). Two things come from the plan as a
whole: the units it names in fields and brackets, which count as units where prose names them
(`index.ingest.prose`), and its standing rules (`index.ingest.rules`): the first-is-lead rule from
the chunk that states it on, a "以下均需X落实" owner on every later task item in that part, and
the body a heading lists the duties of ("X职责") on each item under it that names no owner, and
the owners a heading names in fields or a bracket ("一、产业发展（牵头单位：县发改局）") on each item
under it that names none — derived owners whose rule is the heading as written.
"""

from __future__ import annotations

from ..models import Item, Owner
from .deadlines import extract_deadlines
from .owners import dedupe, extract_owners, stated_owners
from .rules import StandingOwner, document_rule_first_is_lead, heading_owner, standing_owner
from .structure import Chunk


def annotate(chunks: list[Chunk], year: int | None) -> list[Item]:
    known = frozenset(o.unit for chunk in chunks for o in stated_owners(chunk.text))
    items: list[Item] = []
    first_is_lead = False
    standing: tuple[str | None, StandingOwner] | None = None  # (part of the plan, owner)
    headed: dict[tuple[str, ...], list[Owner]] = {}  # section path → the owners its heading names
    for position, chunk in enumerate(chunks):
        first_is_lead = first_is_lead or document_rule_first_is_lead(chunk.text)
        item = Item(kind=chunk.kind, label=chunk.label, key=chunk.key,  # type: ignore[arg-type]
                    ancestors=chunk.ancestors, title=chunk.title, text=chunk.text, position=position)
        if chunk.kind != "section":
            item.owners = extract_owners(chunk.text, first_is_lead=first_is_lead, known=known)
            item.deadlines = extract_deadlines(chunk.text, year=year)
        if chunk.kind == "section" and (named := _heading_owners(chunk)):
            headed[tuple(item.path)] = named
        if chunk.kind == "item" and not item.owners and chunk.ancestors and (
                duty := heading_owner(chunk.ancestors[-1].title)):
            item.owners = [duty.owner()]  # a duty listed under "X职责"
        if chunk.kind == "item" and not item.owners:
            item.owners = _under(headed, [h.key for h in chunk.ancestors])
        part = _part(chunk)
        if standing and chunk.kind == "item" and standing[0] == part:
            item.owners = dedupe([*item.owners, standing[1].owner()])
        elif standing and standing[0] != part:
            standing = None  # the rule covers its own part of the plan only
        if chunk.kind != "section" and (found := standing_owner(chunk.text)):
            standing = (part, found)
        items.append(item)
    return items


def _heading_owners(section: Chunk) -> list[Owner]:
    """The owners a section's heading names in fields or brackets, as owners of each item under it
    that names none: role as written, the heading as their rule."""
    rule = f"{section.label}{' '.join(section.text.splitlines())}"
    return [o.model_copy(update={"rule": rule, "sentence": None}) for o in dedupe(stated_owners(section.text))]


def _under(headed: dict[tuple[str, ...], list[Owner]], path: list[str]) -> list[Owner]:
    """The owners the nearest heading above `path` names, or []."""
    for depth in range(len(path), 0, -1):
        if (found := headed.get(tuple(path[:depth]))) is not None:
            return list(found)
    return []


def _part(chunk: Chunk) -> str | None:
    """The top-level section a chunk belongs to (its own key when it is one)."""
    if chunk.ancestors:
        return chunk.ancestors[0].key
    return chunk.key or None
