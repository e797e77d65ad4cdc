"""A task table (序号 重点任务 牵头单位 责任单位 完成时限) pasted as columns → plan lines.

Each row becomes the lines the parser already understands: "1. task" followed by
"牵头单位：…", "完成时限：…" field lines, so table plans get owners and deadlines from
the same extractors as text plans. Columns are split on tabs (what the .docx and .pdf
readers emit) or on runs of two or more spaces (what a paste from Word gives).
"""

from __future__ import annotations

import re

from .numbering import match_number

_HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "序"),
    "task": ("重点任务", "工作任务", "主要任务", "具体任务", "任务内容", "工作内容", "工作措施",
             "具体措施", "重点工作", "工作事项", "主要内容", "任务", "事项", "内容", "措施"),
    "牵头单位": ("牵头单位", "牵头部门", "牵头领导"),
    "责任单位": ("责任单位", "责任部门", "主责单位", "责任科室", "责任领导", "责任人"),
    "配合单位": ("配合单位", "配合部门", "协办单位", "参与单位"),
    "完成时限": ("完成时限", "完成时间", "时间节点", "完成期限", "时限要求", "时限", "时间", "进度安排"),
}
_SPLIT_SPACES = re.compile(r"[ \u3000]{2,}")
# A task table has a handful of columns; a line that splits into more is not a header
# (and testing each of a million cells of one huge line took many seconds).
MAX_COLUMNS = 30


def split_columns(line: str) -> list[str]:
    if "\t" in line:
        return [c.strip(" \u3000") for c in line.split("\t")]
    return [c.strip() for c in _SPLIT_SPACES.split(line.strip())]


def header_roles(cells: list[str]) -> list[str | None] | None:
    """The role of each column when these cells are a task table's header, else None."""
    if len(cells) > MAX_COLUMNS:
        return None
    roles: list[str | None] = []
    for cell in cells:
        name = re.sub(r"[\s\u3000]", "", cell)
        role = next((r for r, names in _HEADERS.items() if name in names), None)
        if role is None:
            role = next((r for r, names in _HEADERS.items() if r != "number" and any(n in name for n in names if len(n) > 1)), None)
        roles.append(role if role not in roles else None)
    if "task" in roles and sum(r is not None for r in roles) >= 2:
        return roles
    return None


def rewrite_tables(lines: list[str]) -> list[str]:
    out: list[str] = []
    roles: list[str | None] | None = None
    row_number = 0
    for line in lines:
        cells = split_columns(line)
        if roles is None:
            if len(cells) >= 2 and (found := header_roles(cells)):
                roles, row_number = found, 0
            else:
                out.append(line)
            continue
        if len(cells) < 2:
            if match_number(line) is None:
                roles = None  # the table ended
            out.append(line)
            continue
        row_number += 1
        out.extend(_row_lines(cells, roles, row_number))
    return out


def _row_lines(cells: list[str], roles: list[str | None], row_number: int) -> list[str]:
    fields = _assign(cells, roles)
    number = fields.pop("number", "").strip(" .．、")
    task = fields.pop("task", "").strip()
    if not number.isdigit():
        task, number = (f"{number} {task}".strip() if number else task), str(row_number)
    lines = [f"{number}. {task}"]
    lines += [f"{role}：{value}" for role, value in fields.items() if value]
    return lines


def _assign(cells: list[str], roles: list[str | None]) -> dict[str, str]:
    """Cells to columns. With fewer cells than columns (empty cells lost in a paste),
    a leading number still goes to 序号 and the longest cell to the task."""
    if len(cells) == len(roles):
        return {r: c for r, c in zip(roles, cells) if r}
    fields: dict[str, str] = {}
    rest = list(cells)
    if "number" in roles and rest and rest[0].strip(" .．、").isdigit():
        fields["number"] = rest.pop(0)
    if rest:
        longest = max(range(len(rest)), key=lambda i: len(rest[i]))
        fields["task"] = rest.pop(longest)
    others = [r for r in roles if r not in (None, "number", "task")]
    for role, cell in zip(others, rest):
        fields[role] = cell
    return fields
