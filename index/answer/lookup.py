"""An item asked for by its number (第3条, 二.3, （二）) or by its pasted heading.
"""

from __future__ import annotations

import re

import numpy as np

from ..cn import label_style
from ..limits import MAX_TOP
from ..models import Answer, Citation
from ..search.corpus import ITEM, SECTION
from . import phrasing
from .cite import children
from .intent import DECIMAL
from .snapshot import Snapshot, Where, answer, mask

STYLED_CANDIDATES = 200  # rows numbered alike whose labels are read to find the style asked

def lookup(snap: Snapshot, question: str, ref: tuple[int, ...], where: Where,
           heading: tuple[str, str] = (), label: str = "") -> Answer | None:
    """The item (or section) numbered `ref`: (3,) or (2, 3) for 二.3. `heading`: a heading
    pasted as the question, (label, title): the rows so labelled whose title it starts, None
    when there is none. `label`: the number as the question writes it (（三）), those labelled
    so first."""
    found = _numbered(snap, ref, where, label_style(heading[0] if heading else label or question), heading,
                      decimal=label if DECIMAL.fullmatch(label) else "")
    if found is None:
        return None
    citations, first_row = found
    if not citations:
        shown = ".".join(str(n) for n in ref)
        searched = f"在{where.names}中" if where.names else ""
        return answer(question, "lookup", f"{searched}没有找到第{shown}条，请换个编号或先选定计划。", found=False)
    text = phrasing.lookup_text(citations[0])
    if len(citations) > 1:
        text += f"（共有{len(citations)}处编号为{ref[-1]}的条目，已按顺序列出）"
    if citations[0].kind == "section":
        kids = children(snap.corpus, snap.fetch, first_row)
        text = phrasing.section_text(citations[0], kids)
        citations = (citations + kids)[:MAX_TOP]  # the text still lists them all
    return answer(question, "lookup", text, citations)


def _numbered(snap: Snapshot, ref: tuple[int, ...], where: Where, style: tuple[str, bool] | None,
              heading: tuple[str, str], decimal: str = "") -> tuple[list[Citation], int] | None:
    """The rows numbered `ref`, cited, and the first one's row. Without a style, the items (else
    the sections) in document order; with one (二 asks for 二、, （二） for （二）), those so
    labelled first; for a pasted heading only those whose title it starts (None if none)."""
    c = snap.corpus
    numbered = mask(c, ("item", "section"), where) & (c.own == ref[-1])
    for p in ref[:-1]:
        numbered &= c.with_ancestor(p)
    items = np.flatnonzero(numbered & (c.kinds == ITEM))
    if decimal:  # 1.2 in a plan numbered 1 → 1.1 → 1.1.1: the row labelled 1.2 (a section too) first
        cited = snap.cite(np.flatnonzero(numbered)[:STYLED_CANDIDATES])
        exact = [x for x in cited if x.label.rstrip("　 .．、").replace("．", ".") == decimal]
        cited = exact or cited[:MAX_TOP]
        return cited, c.row_of(cited[0].item_id) if cited else -1
    if style is None:
        rows = items if len(items) else np.flatnonzero(numbered & (c.kinds == SECTION))
        cited = snap.cite(rows[:MAX_TOP])
        return cited, int(rows[0]) if len(rows) else -1
    cited = snap.cite(np.flatnonzero(numbered)[:STYLED_CANDIDATES])
    if heading:
        pasted = _squash(heading[1])
        cited = [x for x in cited if pasted.startswith(_squash(x.title)[:4]) or _squash(x.title).startswith(pasted)]
        if not cited:
            return None
    cited = sorted(cited, key=lambda x: label_style(x.label) != style)[:MAX_TOP]
    return cited, c.row_of(cited[0].item_id) if cited else -1


def _squash(text: str) -> str:
    return re.sub(r"[\s。，、；：.,;:]+", "", text)
