"""Plan text → Plan: lines cleaned of furniture, a tree of numbered nodes, chunks, facts.

    clean.py      what is on the page but not in the plan (cover notice, sign-off, TOC)
    tables.py     task tables pasted as columns → numbered lines
    tree.py       numbered lines → a tree (numbering.py reads the numbers)
    closing.py    the text after the last item → a closing chunk of its own
    structure.py  the tree → chunks: sections, items, paragraph items 第N段, the preamble
    facts.py      each chunk's owners and deadlines, with the plan's standing rules

A file that yields no numbered items, or fewer than two items, is not a plan (a meeting notice,
a README, a letter) and is refused with a reason a user can read: `planbot index` lists it as
skipped, an upload is refused with it.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePath

from .. import cn
from ..errors import PlanFileError
from ..limits import MAX_ITEMS
from ..models import Plan
from .clean import clean, strip_lines
from .closing import take_closing
from .facts import annotate
from .structure import Chunk, chunks_of, first_clause
from .tables import rewrite_tables
from .tree import build_tree

__all__ = ["MAX_ITEMS", "first_clause", "parse_plan"]

# A plan's year: 2021年, also written digit by digit in a notice date (二〇〇五年六月十一日).
_YEAR = re.compile(rf"((?:19|20)\d{{2}}|[一二][{cn.YEAR_DIGITS}]{{3}})\s*年")
# …or in a 发文字号's brackets: 国发〔2019〕3号.
_NUMBER_YEAR = re.compile(r"[〔\[【（(]\s*((?:19|20)\d{2})\s*[〕\]】）)]")


def parse_plan(text: str, source: str) -> Plan:
    """Parse a plan's text. Raises PlanFileError when it holds nothing to index or is no plan."""
    fallback = PurePath(source).stem or source
    lines = rewrite_tables(strip_lines(text))
    cleaned = clean(lines, fallback)
    root = build_tree(cleaned.lines)
    closing = take_closing(root)
    chunks = chunks_of(root)
    if closing:
        closing_text = "\n".join(closing)
        chunks.append(Chunk("closing", "", "", [], first_clause(closing_text), closing_text))
    _check_is_plan(chunks, source)
    year = (_year(cleaned.title) or _year(source) or _year(cleaned.notice_date or "")
            or _year(cleaned.doc_number or "", _NUMBER_YEAR))
    items = annotate(chunks, year)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Plan(title=cleaned.title, source=PurePath(source).name, year=year, items=items, sha256=digest)


def _check_is_plan(chunks: list[Chunk], source: str) -> None:
    if not chunks:
        raise PlanFileError(source, "没有找到任何内容（文件里只有标题或空白）")
    if len(chunks) > MAX_ITEMS:
        raise PlanFileError(source, f"条目过多（{len(chunks)} 条，上限 {MAX_ITEMS}），不像是一份计划")
    if not any(chunk.label for chunk in chunks):
        found = sum(chunk.kind != "section" for chunk in chunks)
        raise PlanFileError(source, f"这份文件看起来不像计划：只找到 {found} 条，没有编号的条目")
    items = sum(chunk.kind == "item" for chunk in chunks)
    if items < 2:
        raise PlanFileError(source, f"这份文件看起来不像计划：只找到 {items} 条，一份计划至少有两条")


def _year(text: str, pattern: re.Pattern[str] = _YEAR) -> int | None:
    m = pattern.search(text)
    year = cn.to_int(m.group(1)) if m else None
    return year if year and 1900 <= year <= 2100 else None
