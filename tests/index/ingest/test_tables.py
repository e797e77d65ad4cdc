"""index.ingest.tables: task table headers and rows → the plan lines the parser reads."""

from __future__ import annotations

import pytest

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.tables import TaskTable, column_role, header_roles
from planbot.index.models import Role


@pytest.mark.parametrize(("header", "role"), [
    ("序号", "number"), ("编号", "number"),
    ("重点任务", "task"), ("工作任务", "task"), ("重点工作", "task"), ("具体内容", "task"),
    ("主要内容", "task"), ("任务分工", "task"), ("工作措施", "task"),
    ("牵头单位", "牵头单位"), ("牵头领导", "牵头单位"), ("牵头单位（责任人）", "牵头单位"),
    ("责任单位", "责任单位"), ("责任人", "责任单位"), ("责任领导", "责任单位"),
    ("主办单位", "牵头单位"), ("承办单位", "责任单位"), ("实施单位", "责任单位"), ("落实单位", "责任单位"),
    ("配合单位", "配合单位"), ("配合部门", "配合单位"), ("协同单位", "配合单位"),
    ("完成时限", "完成时限"), ("完成时间", "完成时限"), ("时间节点", "完成时限"), ("进度要求", "完成时限"),
    ("完成\n时限", "完成时限"),  # a header wrapped in its cell
    ("类别", "section"), ("任务类别", "section"), ("二级分类", "section"), ("子类", "section"),
    ("备注", None), ("工作目标", None), ("完成情况", None), ("", None),
])
def test_column_roles(header, role):
    assert column_role(header) == role


def test_header_needs_a_task_and_a_table_column():
    assert header_roles(["序号", "工作任务", "备注"]) == ["number", "task", None]
    assert header_roles(["类别", "内容"]) is None  # two columns of a glossary, not a task table
    assert header_roles(["牵头单位", "完成时限"]) is None  # no task
    # one column per role, except 类别 (two levels of them)
    assert header_roles(["类别", "子类", "重点任务", "具体措施", "责任单位"]) == [
        "section", "section", "task", None, "责任单位"]


def table(header: list[str], *rows: list[str], **kwargs) -> list[str]:
    task_table = TaskTable(header, header_roles(header), **kwargs)
    return [line for row in rows for line in task_table.row(row)]


def test_unknown_columns_keep_their_text_with_the_task():
    lines = table(["序号", "工作任务", "工作目标", "牵头领导", "进度要求", "备注", ""],
                  ["1", "新建高标准农田", "2万亩", "张副县长", "6月底前完成50%", "争取省级资金", "重点"])
    assert lines == ["1. 新建高标准农田 重点", "工作目标：2万亩", "牵头领导：张副县长",
                     "完成时限：6月底前完成50%", "备注：争取省级资金"]


def test_a_cell_naming_its_own_field_is_kept_as_written():
    lines = table(["序号", "重点任务", "任务分工"], ["1", "修订村规民约", "牵头单位：县委宣传部；责任单位：各乡镇"])
    assert lines == ["1. 修订村规民约", "牵头单位：县委宣传部；责任单位：各乡镇"]


def test_rows_of_one_merged_number_are_one_item():
    """A 序号 (and task) merged over two rows, each row with its own 责任单位: one item, not
    two items numbered 1."""
    lines = table(["序号", "重点任务", "具体措施", "责任单位"],
                  ["1", "改善人居环境", "改厕3000户", "县农业农村局"],
                  ["1", "改善人居环境", "新建污水设施15处", "县生态环境分局"],
                  ["2", "新改建农村公路", "", "县交通运输局"])
    assert lines == ["1. 改善人居环境", "具体措施：改厕3000户", "责任单位：县农业农村局",
                     "具体措施：新建污水设施15处", "责任单位：县生态环境分局",
                     "2. 新改建农村公路", "责任单位：县交通运输局"]


def test_a_row_without_number_or_task_is_no_item():
    lines = table(["序号", "重点任务", "牵头单位"], ["1", "新建高标准农田", "县农业农村局"],
                  ["", "", "填表人：张三"])
    assert lines == ["1. 新建高标准农田", "牵头单位：县农业农村局", "填表人：张三"]


def test_rows_without_numbers_are_counted():
    lines = table(["工作任务", "责任单位"], ["新建高标准农田", "县农业农村局"], ["新改建农村公路", "县交通运输局"])
    assert lines == ["1. 新建高标准农田", "责任单位：县农业农村局", "2. 新改建农村公路", "责任单位：县交通运输局"]


def test_section_columns_are_field_lines_unless_the_caller_makes_headings():
    header = ["类别", "重点任务", "责任单位"]
    row = ["产业发展", "新建高标准农田", "县农业农村局"]
    assert table(header, row) == ["1. 新建高标准农田", "类别：产业发展", "责任单位：县农业农村局"]
    assert table(header, row, sections_as_headings=True) == ["1. 新建高标准农田", "责任单位：县农业农村局"]


def test_text_table_with_new_header_words_gives_owners_and_deadlines():
    text = "\n".join(["2021年任务清单", "序号\t工作任务\t牵头领导\t配合部门\t时间节点\t备注",
                      "1\t新建高标准农田2万亩\t张副县长\t县财政局\t2021年10月底前\t争取省级资金",
                      "2\t新改建农村公路\t李副县长\t\t\t"])  # a plan has two items at least
    plan = parse_plan(text, "t.txt")  # parse_plan rewrites the table itself
    item = [i for i in plan.items if i.kind == "item"][0]
    assert [(o.role, o.unit) for o in item.owners] == [(Role.lead, "张副县长"), (Role.cooperating, "县财政局")]
    assert item.deadlines[0].phrase == "2021年10月底前"
    assert "备注：争取省级资金" in item.text
