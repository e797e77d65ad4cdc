"""Sheets of cells → plan lines: the title, section headings, and each task row as an item.

    workbook_lines(sheets) -> lines

Each sheet is read as a task table when one of its first rows is a table header
(index/ingest/tables.py knows the header words), else as text:

* header: the first of the first HEADER_ROWS rows that names the task and one of 序号,
  an owner or a deadline column; a second header row right under it ("责任单位" over
  "牵头 | 配合") gives the columns it splits their own names;
* above the header: the first row that is not a lone "附件1" is the plan's title (of the
  workbook, from the first sheet that has one; the same title on a later sheet is not
  repeated); other rows there are kept as lines of text;
* below it, a row is
  - a banner when one text fills it (a merged cell across columns, or one cell in the
    first or 序号 column): a section heading when it is numbered like one (一、 （一）) or
    is a short title followed by task rows; otherwise a line of text (a note, a sign-off);
  - otherwise a task row (tables.TaskTable): an item, or more of the item above it;
    a 类别 column's text, when it changes, is a section heading before the row (an empty
    类别 cell means "same as above", as people fill such columns);
* a sheet without a header is text: each row's cells, TAB-joined, as one line.

With several sheets, each is a section headed by its name. A heading that has no number
of its own gets one, in the first style of 一、 （一） （1） ① that no other level of
headings uses, so that the parser nests the headings as the table does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from ... import cn
from ..numbering import match_number
from ..tables import TaskTable, column_role, header_roles

HEADER_ROWS = 30  # a header further down is not a header
_ATTACHMENT = re.compile(r"^附\s*件\s*[\d一二三四五六七八九十]*\s*[:：]?$")
_NOT_A_TITLE = re.compile(r"[。；;：:，,]")
_SHORT = 30  # a heading without a number is no longer than this
_DIGITS = "零一二三四五六七八九"


class Cell(NamedTuple):
    text: str
    origin: tuple[int, int]  # (row, column) of the cell it shows: itself, or the merge's first


@dataclass
class Sheet:
    name: str
    rows: list[tuple[int, list[Cell]]]  # (row number, cells): visible rows with text


@dataclass
class _Event:
    kind: str  # "heading", "item" (the first line of an item), "line"
    text: str
    level: int = 0  # headings: 0 a sheet, 1 a banner row, 2… a 类别 column


def workbook_lines(sheets: list[Sheet]) -> list[str]:
    laid = [(sheet.name, *_sheet_events(sheet)) for sheet in sheets]
    title = next((line for _, above, _ in laid for line in above if _is_title(line)), None)
    events: list[_Event] = []
    for name, above, body in laid:
        if len(laid) > 1:
            events.append(_Event("heading", name, 0))
        events += [_Event("line", line) for line in above
                   if line != title and not _ATTACHMENT.match(line)]
        events += body
    return ([title] if title else []) + _number_headings(events)


# -- one sheet ----------------------------------------------------------------------------
def _sheet_events(sheet: Sheet) -> tuple[list[str], list[_Event]]:
    """The lines above the table's header, and the events of the rest of the sheet."""
    rows = [cells for _, cells in sheet.rows]
    found = _find_header(rows)
    if found is None:
        return [], [_Event("line", line) for number, cells in sheet.rows
                    if (line := _plain(number, cells))]
    at, names, start = found
    above = [line for number, cells in sheet.rows[:at] if (line := _plain(number, cells))]
    return above, _demote_lone_headings(_table_events(rows[start:], names))


def _find_header(rows: list[list[Cell]]) -> tuple[int, list[str], int] | None:
    """(header row index, column names, index of the first row below the header)."""
    for at, cells in enumerate(rows[:HEADER_ROWS]):
        names = [cell.text for cell in cells]
        if _header(names):
            below = [cell.text for cell in rows[at + 1]] if at + 1 < len(rows) else []
            split = _split_header(names, below)
            return (at, split, at + 2) if split else (at, names, at + 1)
    return None


def _split_header(top: list[str], below: list[str]) -> list[str] | None:
    """The column names when `below` is a second header row under `top`: every cell of
    it that differs from the one above is a header word."""
    names, changed = [], False
    for upper, lower in zip(top, below):
        if lower and lower != upper:
            if column_role(lower) is None:
                return None
            names.append(lower)
            changed = True
        else:
            names.append(upper)
    return names if changed and _header(names) else None


def _table_events(rows: list[list[Cell]], names: list[str]) -> list[_Event]:
    table, sections = _task_table(names)
    current = [""] * len(sections)  # the 类别 texts in force
    events: list[_Event] = []
    for cells in rows:
        texts = _row_texts(cells, table.roles)
        banner = _banner(cells, table.roles)
        if banner is not None:
            kind = "heading" if _heading_like(banner) else "line"
            events.append(_Event(kind, banner, 1))
            table.end_item()
            current = [""] * len(sections)
            continue
        if _header(texts) is not None:  # a second table on the same sheet
            table, sections = _task_table(texts)
            current = [""] * len(sections)
            continue
        for level, column in enumerate(sections):
            text = texts[column]
            if text and text != current[level]:
                current[level:] = [text] + [""] * (len(sections) - level - 1)
                events.append(_Event("heading", text, 2 + level))
                table.end_item()
        items = table.items
        lines = table.row(texts)
        kinds = ["item" if table.items > items else "line"] + ["line"] * len(lines)
        events += [_Event(kind, line) for kind, line in zip(kinds, lines)]
    return events


def _header(names: list[str]) -> list[str | None] | None:
    """header_roles of a row, ignoring the empty cells after its last text (a sheet is as
    wide as its widest row or merge, a header often narrower)."""
    width = max((i + 1 for i, name in enumerate(names) if name), default=0)
    roles = header_roles(names[:width])
    return roles + [None] * (len(names) - width) if roles else None


def _task_table(names: list[str]) -> tuple[TaskTable, list[int]]:
    roles = _header(names) or []
    sections = [i for i, role in enumerate(roles) if role == "section"]
    return TaskTable(names, roles, sections_as_headings=True), sections


def _row_texts(cells: list[Cell], roles: list[str | None]) -> list[str]:
    """The texts of a task row. A merged cell counts in every named column it covers (a
    unit merged over 牵头单位 and 责任单位 is both), but only once among the other columns:
    spread over unnamed columns it is one text, not a text repeated."""
    seen: set[tuple[int, int]] = set()
    texts = []
    for column, cell in enumerate(cells):
        role = roles[column] if column < len(roles) else None
        texts.append("" if role is None and cell.origin in seen else cell.text)
        seen.add(cell.origin)
    return texts


def _banner(cells: list[Cell], roles: list[str | None]) -> str | None:
    """The text of a row that one text fills, else None."""
    filled = [(column, cell) for column, cell in enumerate(cells) if cell.text]
    if not filled or len({cell.origin for _, cell in filled}) != 1:
        return None
    column, cell = filled[0]
    if len(filled) > 1:
        return cell.text  # merged across columns
    role = roles[column] if column < len(roles) else None
    if role == "task":  # a task without owners is an item, unless numbered as a heading
        return cell.text if _own_label(cell.text) else None
    if role == "number" or (role is None and column == 0):
        return cell.text  # typed into the narrow first column, shown spilling over the row
    return None


def _plain(row: int, cells: list[Cell]) -> str:
    """A row as a line of text: each cell that starts in this row, once, TAB-joined."""
    seen: list[tuple[int, int]] = []
    texts = []
    for cell in cells:
        if cell.text and cell.origin[0] == row and cell.origin not in seen:
            seen.append(cell.origin)
            texts.append(cell.text)
    return "\t".join(texts)


def _demote_lone_headings(events: list[_Event]) -> list[_Event]:
    """An unnumbered banner with no item after it is text (a sign-off, a date), not a
    section: a short line after the last row looks just like a heading."""
    item_after = False
    for event in reversed(events):
        if event.kind == "item":
            item_after = True
        elif event.kind == "heading" and not item_after and not _own_label(event.text):
            event.kind = "line"
    return events


# -- headings -----------------------------------------------------------------------------
def _own_label(text: str) -> str | None:
    """The style of a heading's own number (一、 （一） 第一章), else None."""
    number = match_number(text)
    if number and (number.style in ("cn", "paren_cn") or number.style.startswith("chapter")):
        return number.style
    return None


def _heading_like(text: str) -> bool:
    if _own_label(text):
        return True
    return match_number(text) is None and len(text) <= _SHORT and not _NOT_A_TITLE.search(text)


def _is_title(line: str) -> bool:
    return (len(line) <= 60 and "\t" not in line and not _ATTACHMENT.match(line)
            and not _NOT_A_TITLE.search(line) and match_number(line) is None)


_LADDER = ("cn", "paren_cn", "paren_num", "circled")


def _number_headings(events: list[_Event]) -> list[str]:
    styles = _heading_styles([e for e in events if e.kind == "heading"])
    counters: dict[int, int] = {}
    lines = []
    for event in events:
        if event.kind == "heading":
            counters = {level: n for level, n in counters.items() if level <= event.level}
            counters[event.level] = counters.get(event.level, 0) + 1
            if not _own_label(event.text):
                lines.append(_label(styles[event.level], counters[event.level]) + event.text)
                continue
        lines.append(event.text)
    return lines


def _heading_styles(headings: list[_Event]) -> dict[int, str]:
    """The numbering style of each level of headings: the one its numbered headings use,
    else the first of the ladder that no level uses."""
    owned: dict[int, list[str]] = {}
    for heading in headings:
        if style := _own_label(heading.text):
            owned.setdefault(heading.level, []).append(style)
    styles = {level: max(set(found), key=found.count) for level, found in owned.items()}
    taken = {style for found in owned.values() for style in found}
    for level in sorted({h.level for h in headings} - set(styles)):
        free = [s for s in _LADDER if s not in taken and s not in styles.values()]
        styles[level] = free[0] if free else _LADDER[-1]
    return styles


def _label(style: str, n: int) -> str:
    if style == "cn":
        return f"{_chinese(n)}、"
    if style == "paren_cn":
        return f"（{_chinese(n)}）"
    if style == "circled" and n <= len(cn.CIRCLED):
        return cn.CIRCLED[n - 1]
    return f"（{n}）"


def _chinese(n: int) -> str:
    """1 → 一, 10 → 十, 23 → 二十三, 105 → 一百零五, 115 → 一百一十五."""
    if n >= 100:
        hundreds, rest = divmod(n, 100)
        if not rest:
            tail = ""
        elif rest < 10:
            tail = "零" + _DIGITS[rest]
        else:
            tail = ("一" if rest < 20 else "") + _chinese(rest)
        return _chinese(hundreds) + "百" + tail
    tens, ones = divmod(n, 10)
    prefix = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return prefix + (_DIGITS[ones] if ones or not tens else "")
