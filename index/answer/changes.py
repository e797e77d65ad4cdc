"""What changed between two versions of a plan, item by item, and how to say it.

Versions are compared on the item rows the store keeps (store.ITEM_COLUMNS). Items are paired
first by identical content wherever they sit (an item renumbered because another was inserted
before it has not changed), then by their place in the plan (二/（三）/3), then by title; what
is left over was added or removed. The CLI, the terminal chat and the bot all show a diff
through `describe`, so they say the same thing.
"""

from __future__ import annotations

import difflib
import json

from ..models import ROLE_NAMES_ZH, Answer, Citation, ItemChange, Owner, PlanDiff, PlanInfo, PlanVersion
from .which_plan import named_or_only

MAX_SHOWN = 20  # changes listed in one message; the count says how many more


def diff_rows(old: list[tuple], new: list[tuple], new_ids: list[int | None] | None = None) -> list[ItemChange]:
    """The changes from `old` item rows to `new` ones (`new_ids`: the new rows' item ids)."""
    olds, news = [_Row(r) for r in old], [_Row(r, i) for r, i in zip(new, new_ids or [None] * len(new))]
    _, left_old, left_new = _match(olds, news, lambda r: r.content)  # the same, wherever it sits
    changes: list[ItemChange] = []
    for key in (lambda r: r.title, lambda r: r.path):
        pairs, left_old, left_new = _match(left_old, left_new, key, _alike)
        changes.extend(_changed(a, b) for a, b in pairs)
    changes.extend(_alone("removed", r) for r in left_old)
    changes.extend(_alone("added", r) for r in left_new)
    return _ordered(changes, news, olds)


def describe(diff: PlanDiff) -> str:
    """A diff in words: a count line, then one line per change (at most MAX_SHOWN)."""
    counts = {kind: sum(c.change == kind for c in diff.changes) for kind in ("added", "removed", "changed")}
    versions = (f"第{diff.old_version}版 → 第{diff.new_version}版"
                if diff.old_version and diff.new_version else "旧版 → 新版")
    if not diff.changes:
        return f"《{diff.plan}》{versions}：各条内容没有变化。"
    said = [f"{word} {counts[kind]} 条" for kind, word in (("added", "新增"), ("removed", "删除"), ("changed", "修改"))
            if counts[kind]]
    head = f"《{diff.plan}》{versions}：{'，'.join(said)}。"
    lines = [head, *(_line(c) for c in diff.changes[:MAX_SHOWN])]
    if len(diff.changes) > MAX_SHOWN:
        lines.append(f"……另有 {len(diff.changes) - MAX_SHOWN} 处变化。")
    return "\n".join(lines)


def answer(question: str, diff: PlanDiff, cited: list[Citation]) -> Answer:
    """A question about what changed, answered with the diff; the added and changed items of
    the newer version are its citations (their 全文 one tap away)."""
    return Answer(question=question, kind="changes", found=True, text=describe(diff), citations=cited)


def asked_plan(question: str, plans: list[PlanInfo]) -> PlanInfo | str:
    """Which of the plans that have changed a question about changes means: the one whose title
    it names (乡村振兴方案改了什么 → 《2021年全县乡村振兴重点任务分工方案》), else the only one;
    otherwise what to say instead."""
    if (chosen := named_or_only(question, plans)) is not None:
        return chosen
    if not plans:
        return "这些计划都还没有更新过，没有改动记录。"
    return "更新过的计划有：" + "、".join(f"《{p.title}》" for p in plans) + "。问的是哪一份？请带上计划名称。"


def describe_history(info: PlanInfo | None, title: str, versions: list[PlanVersion]) -> str:
    """The kept versions of a plan, one line each, the current one marked."""
    lines = [f"《{title}》保存的版本" + ("（计划已删除，可以恢复）：" if info is None else "：")]
    for v in versions:
        lines.append(f"  第{v.version}版  {v.saved_at[:16].replace('T', ' ')}  {v.source}" + ("  ← 当前" if v.current else ""))
    return "\n".join(lines)


class _Row:
    def __init__(self, row: tuple, item_id: int | None = None):
        _, kind, label, key, heads, title, text, owners, deadlines = row
        heads = json.loads(heads or "[]")
        self.item_id = item_id
        self.path = "/".join([h["key"] for h in heads] + [key])
        self.title = (title or "").strip()
        from ..ingest.owners import strip_owner_notes  # here: answering a question needs no ingest rules

        self.text = strip_owner_notes(text or "")  # owners and deadlines are compared on their own
        self.owners = [Owner.model_validate(o) for o in json.loads(owners or "[]")]
        self.deadlines = list(dict.fromkeys(d["phrase"] for d in json.loads(deadlines or "[]")))
        # Named as cite.heading names an item: the ancestors' keys, then its label and title.
        self.place = " › ".join([h["key"] for h in heads]
                                + [f"{label.strip()}{' ' if label.strip()[-1:].isascii() else ''}{self.title}".strip()])
        self.content = (self.title, self.text, _owner_set(self.owners), tuple(self.deadlines))


def _owner_set(owners: list[Owner]) -> tuple:
    return tuple(sorted({(o.role.value, o.unit) for o in owners}))


def _match(olds: list[_Row], news: list[_Row], key,
           alike=lambda a, b: True) -> tuple[list[tuple[_Row, _Row]], list[_Row], list[_Row]]:
    """Rows paired by equal `key` (in order) when `alike`, and the rows left on each side."""
    waiting: dict[object, list[_Row]] = {}
    for r in olds:
        waiting.setdefault(key(r), []).append(r)
    pairs, left_new = [], []
    for r in news:
        same = waiting.get(key(r))
        if same and key(r) and alike(same[0], r):
            pairs.append((same.pop(0), r))
        else:
            left_new.append(r)
    paired = {id(a) for a, _ in pairs}
    return pairs, [r for r in olds if id(r) not in paired], left_new


def _alike(a: _Row, b: _Row) -> bool:
    """Two items at one place (or of one title) are one item changed, not one removed and
    another added, when at least half their wording is shared."""
    return difflib.SequenceMatcher(None, a.title + a.text, b.title + b.text, autojunk=False).ratio() >= 0.5


def _changed(a: _Row, b: _Row) -> ItemChange:
    return ItemChange(change="changed", place=b.place, item_id=b.item_id, text=(a.title, a.text) != (b.title, b.text),
                      owners_before=a.owners if _owner_set(a.owners) != _owner_set(b.owners) else [],
                      owners_after=b.owners if _owner_set(a.owners) != _owner_set(b.owners) else [],
                      deadlines_before=a.deadlines if a.deadlines != b.deadlines else [],
                      deadlines_after=b.deadlines if a.deadlines != b.deadlines else [])


def _alone(kind: str, r: _Row) -> ItemChange:
    return ItemChange(change=kind, place=r.place, item_id=r.item_id, owners_after=r.owners if kind == "added" else [],
                      deadlines_after=r.deadlines if kind == "added" else [])


def _ordered(changes: list[ItemChange], news: list[_Row], olds: list[_Row]) -> list[ItemChange]:
    """Added and changed items in the new version's order, then the removed ones in the old's."""
    new_pos = {r.place: n for n, r in enumerate(news)}
    old_pos = {r.place: n for n, r in enumerate(olds)}
    return sorted(changes, key=lambda c: (c.change == "removed",
                                          (old_pos if c.change == "removed" else new_pos).get(c.place, 0)))


def _owner_changes(before: list[Owner], after: list[Owner]) -> list[str]:
    """Per role whose units differ: 牵头单位 县工信局 → 县数据局."""
    out = []
    for role, name in ROLE_NAMES_ZH.items():
        old = [o.unit for o in before if o.role == role]
        new = [o.unit for o in after if o.role == role]
        if old != new:
            out.append(f"{name}单位 {'、'.join(old) or '未写明'} → {'、'.join(new) or '未写明'}")
    return out


def _line(c: ItemChange) -> str:
    if c.change == "added":
        return f"＋ 新增 {c.place}"
    if c.change == "removed":
        return f"－ 删除 {c.place}"
    parts = []
    parts.extend(_owner_changes(c.owners_before, c.owners_after))
    if c.deadlines_before or c.deadlines_after:
        parts.append(f"完成时限 {'、'.join(c.deadlines_before) or '未写明'} → {'、'.join(c.deadlines_after) or '未写明'}")
    if c.text and not parts:
        parts.append("内容有改动")
    elif c.text:
        parts.append("内容也有改动")
    return f"± 修改 {c.place}：{'；'.join(parts)}"
