"""Task tables (序号 重点任务 牵头单位 责任单位 完成时限) → the plan lines the parser reads.

Each row becomes "1. task" followed by field lines ("牵头单位：…", "完成时限：…"), so table
plans get owners and deadlines from the same extractors as text plans. Two callers:

* `rewrite_tables(lines)`: tables inside a plan's text, as the .docx and .pdf readers
  emit them (TAB-joined cells) or as a paste from Word gives them (runs of spaces);
* `TaskTable`: a table the caller has already cut into cells (an Excel sheet,
  index/ingest/formats/xlsx_layout.py), row by row.

Rules both share:

* a header cell is matched against the vocabulary below, exactly or (for words of two
  characters or more) as a part ("牵头单位（责任人）" is a 牵头单位 column);
* no content is dropped: a column whose header is not in the vocabulary (备注, 工作目标,
  完成情况 …) keeps its text as a field line of the item ("备注：…"); a column without a
  header adds its text to the task;
* one item per row, except that a row repeating the item's 序号 (a merged 序号 cell), or
  a row with a task but no 序号 under a numbered item, adds its differing cells to that
  item, so that an item is never split into two with the same number;
* a row with neither a 序号 nor a task (a note or a sign-off under the table) is no
  item: its texts come out as plain lines.
"""

from __future__ import annotations

import re

from .fields import LABEL
from .numbering import match_number

# Roles of columns and the header words that name them. Words are matched exactly first,
# then as parts of a header (words of two characters or more, roles in this order).
_HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序", "排序"),
    "section": ("类别", "分类", "类型", "大类", "子类", "小类", "板块", "领域", "方面", "专项",
                "任务类别", "工作类别", "重点领域", "工作板块"),
    "task": ("重点任务", "工作任务", "主要任务", "具体任务", "任务内容", "工作内容", "工作措施",
             "具体措施", "重点工作", "工作事项", "主要内容", "具体内容", "任务分工", "重点事项",
             "工作举措", "主要举措", "任务名称", "项目名称", "任务", "事项", "内容", "措施", "举措"),
    "牵头单位": ("牵头单位", "牵头部门", "牵头领导", "牵头科室", "牵头人", "牵头", "主办单位", "主办部门"),
    "责任单位": ("责任单位", "责任部门", "主责单位", "责任科室", "责任领导", "责任人", "责任主体",
             "负责单位", "责任", "承办单位", "实施单位", "落实单位", "执行单位"),
    "配合单位": ("配合单位", "配合部门", "协办单位", "参与单位", "协同单位", "协助单位", "配合"),
    "完成时限": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "进度要求", "进度安排",
             "时间安排", "时限", "时间", "期限"),
}
_SECTION_PARTS = ("类别", "分类", "板块", "领域")  # "类型"/"方面" only as the whole header
# Columns the owner and deadline readers take their facts from.
_FIELD_ROLES = {"牵头单位", "责任单位", "配合单位", "完成时限"}
# A header must name the task and at least one of these: 类别 + 内容 is not a task table.
_TABLE_ROLES = {"number", *_FIELD_ROLES}
_SPLIT_SPACES = re.compile(r"[ \u3000]{2,}")
_SPACE = re.compile(r"[\s\u3000]+")
# A task table has a handful of columns; a line that splits into more is not a header
# (and testing each of a million cells of one huge line took many seconds).
MAX_COLUMNS = 30


def split_columns(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip(" \u3000") for c in line.split("\t")]
    return [c.strip() for c in _SPLIT_SPACES.split(line.strip())]


def column_role(header: str) -> str | None:
    """The role of a column with this header, None for a header not in the vocabulary."""
    name = _SPACE.sub("", header)
    if not name:
        return None
    exact = next((role for role, words in _HEADERS.items() if name in words), None)
    if exact is not None:
        return exact
    for role, words in _HEADERS.items():
        parts = _SECTION_PARTS if role == "section" else words
        if role != "number" and any(len(w) > 1 and w in name for w in parts):
            return role
    return None


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The role of each column when these cells are a task table's header, else None.
    Each role names one column, except 类别 columns (a table may have two levels)."""
    if len(cells) > MAX_COLUMNS:
        return None
    roles: list[str | None] = []
    for cell in cells:
        role = column_role(cell)
        roles.append(role if role == "section" or role not in roles else None)
    if "task" in roles and _TABLE_ROLES & set(roles):
        return roles
    return None


def rewrite_tables(lines: list[str]) -> list[str]:
    """Plan text lines with each task table's rows rewritten as items; other lines as
    they are. A table ends at the first line that is not a row; a numbered line inside
    it (a section row, "二、加快发展乡村产业") stays as a line of its own."""
    out: list[str] = []
    table: TaskTable | None = None
    for line in lines:
        cells = split_columns(line)
        if table is None:
            roles = header_roles(cells) if len(cells) >= 2 else None
            if roles:
                table = TaskTable(cells, roles)
            else:
                out.append(line)
            continue
        if len(cells) < 2:
            if match_number(line) is None:
                table = None  # the table ended
            else:
                table.end_item()
            out.append(line)
            continue
        out.extend(table.row(cells))
    return out


class TaskTable:
    """The rows of one task table, turned into plan lines one by one.

    headers: the header cells as written; roles: header_roles of them. With
    sections_as_headings the caller turns 类别 columns into section headings itself and
    they are left out of the items; otherwise they are kept as field lines.
    """

    def __init__(self, headers: list[str], roles: list[str | None], *,
                 sections_as_headings: bool = False):
        self.names = [_SPACE.sub("", h) for h in headers]
        self.roles = roles
        self.skip = {"section"} if sections_as_headings else set()
        self.items = 0  # items started, for rows without a number of their own
        self._first: list[str] | None = None  # the open item's first row
        self._number = ""  # the open item's 序号, "" when it had none

    def end_item(self) -> None:
        """A heading came between rows: the next row starts an item of its own."""
        self._first = None

    def row(self, cells: list[str]) -> list[str]:
        values = self._align([_SPACE.sub(" ", c).strip() for c in cells])
        number = self._value(values, "number").strip(" .．、")
        task = self._value(values, "task")
        if not number and not task:
            return self._loose(values)
        if self._continues(number, task):
            return self._more(values)
        lines = self._item(number, task, values)
        if lines:
            self._first, self._number = values, number
        return lines

    # -- one row -------------------------------------------------------------------------
    def _continues(self, number: str, task: str) -> bool:
        if self._first is None:
            return False
        if number:
            return number == self._number
        return bool(self._number) or task == self._value(self._first, "task")

    def _item(self, number: str, task: str, values: list[str]) -> list[str]:
        head = " ".join(filter(None, [task, *self._unnamed(values)]))
        fields = self._field_lines(values, skip={"number", "task"})
        if not head and fields:
            head = fields.pop(0)
        if not head:
            return []  # a number and nothing else
        self.items += 1
        if not number.isdigit():  # "一", "1-2", "★": kept with the task, counted instead
            head, number = (f"{number} {head}" if number else head), str(self.items)
        return [f"{number}. {head}", *fields]

    def _more(self, values: list[str]) -> list[str]:
        """A row continuing the open item: the cells that differ from its first row."""
        first = self._first or []
        changed = [v if v != first[i] else "" for i, v in enumerate(values)]
        lines = []
        task = self._value(changed, "task")
        if task:
            # A line of its own; one that starts like a number would open a new node.
            lines.append(task if match_number(task) is None else self._labelled("task", task))
        lines += self._unnamed(changed)
        return lines + self._field_lines(changed, skip={"number", "task"})

    def _loose(self, values: list[str]) -> list[str]:
        """A row with neither a number nor a task (a note, a sign-off under the table) is
        no item: its texts come out as lines, a text merged over several cells once."""
        lines: list[str] = []
        for value, role in zip(values, self.roles):
            if value and role not in self.skip and (not lines or lines[-1] != value):
                lines.append(value)
        return lines

    # -- columns -------------------------------------------------------------------------
    def _align(self, cells: list[str]) -> list[str]:
        """Cells to columns. With fewer cells than columns (empty cells lost in a paste),
        a leading number still goes to 序号, the longest cell to the task, the rest to
        the other named columns in order."""
        width = len(self.roles)
        if len(cells) >= width:
            values = cells[:width]
            if any(cells[width:]):  # more cells than headers: kept in the last column
                values[-1] = " ".join(filter(None, cells[width - 1:]))
            return values
        values = [""] * width
        rest = list(cells)
        if "number" in self.roles and rest and rest[0].strip(" .．、").isdigit():
            values[self.roles.index("number")] = rest.pop(0)
        if rest and "task" in self.roles:
            longest = max(range(len(rest)), key=lambda i: len(rest[i]))
            values[self.roles.index("task")] = rest.pop(longest)
        others = [i for i, r in enumerate(self.roles) if r not in (None, "number", "task")]
        for index, cell in zip(others, rest):
            values[index] = cell
        return values

    def _value(self, values: list[str], role: str) -> str:
        return values[self.roles.index(role)] if role in self.roles else ""

    def _unnamed(self, values: list[str]) -> list[str]:
        return [v for v, r, n in zip(values, self.roles, self.names) if v and r is None and not n]

    def _field_lines(self, values: list[str], skip: set[str]) -> list[str]:
        lines = []
        for value, role, name in zip(values, self.roles, self.names):
            if value and role not in skip | self.skip and (role is not None or name):
                lines.append(self._labelled(role, value, name))
        return lines

    def _labelled(self, role: str | None, value: str, name: str = "") -> str:
        """A field line. A cell that names its own field ("牵头单位：县委") stays as it is;
        a header the owner and deadline readers know is used as written (牵头领导, 完成时间),
        any other owner or deadline header by its role's name (进度要求 → 完成时限)."""
        if LABEL.match(value):
            return value
        if role == "task":
            name = self.names[self.roles.index("task")]
        elif role in _FIELD_ROLES and not LABEL.fullmatch(f"{name}："):
            name = role
        return f"{name}：{value}"
