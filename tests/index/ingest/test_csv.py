""".csv task tables, written here as Excel exports them (a merged cell's text in its first cell,
every row padded to the sheet's width) from the sample plan's table, read by index/ingest/read.py
and parsed by the same parser as the text and .xlsx plans."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from planbot.index.limits import MAX_SHEET_COLUMNS, MAX_SHEET_ROWS
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts

HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]


def exported(rows: list[list], delimiter: str = ",") -> str:
    """Rows as Excel's "Save as CSV" writes them: None as empty, every row as wide as the widest."""
    width = max(len(row) for row in rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if value is None else value for value in row] + [""] * (width - len(row)))
    return buffer.getvalue()


def plan_of(data: bytes, name: str = "分工.csv"):
    return parse_plan(read_plan_bytes(name, data), name)


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


@pytest.mark.parametrize("layout", ["banners", "columns"])
@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-8"])
def test_task_table_gives_the_same_items_as_xlsx_and_text(make_xlsx, plan_lines, plan_text, layout, encoding):
    """The sample plan's table — headings as rows across it or as 类别/子类 columns — saved as
    "CSV UTF-8" (with a BOM), as plain "CSV" on a Chinese Windows (GBK), or without a BOM."""
    rows, _ = make_xlsx.table(plan_lines, layout)
    text_plan = parse_plan(plan_text, SAMPLE.name)
    xlsx_plan = parse_plan(read_plan_bytes("分工.xlsx", make_xlsx.sample(plan_lines, layout)), "分工.xlsx")
    csv_plan = plan_of(exported(rows).encode(encoding))
    assert csv_plan.title == xlsx_plan.title == text_plan.title
    assert csv_plan.year == text_plan.year
    assert facts(csv_plan) == facts(xlsx_plan) == facts(text_plan)
    assert [i.label for i in csv_plan.items] == [i.label for i in xlsx_plan.items]


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_delimiters(make_xlsx, plan_lines, plan_text, delimiter):
    rows, _ = make_xlsx.table(plan_lines)
    assert facts(plan_of(exported(rows, delimiter).encode())) == facts(parse_plan(plan_text, SAMPLE.name))


def test_a_sep_line_names_the_delimiter():
    """Excel reads a first line "sep=;" as the delimiter and does not show it."""
    rows = [HEADER, [1, "新建学校2所,改扩建幼儿园3所", "县教育局", None, "2021年12月底前"],
            [2, "开展专项督查,每月一次", "县教育局", None, "每月底前"]]
    data = ("sep=;\r\n" + exported(rows, ";").replace('"', "")).encode()
    assert read_plan_bytes("清单.csv", data).splitlines()[:3] == [
        "1. 新建学校2所,改扩建幼儿园3所", "牵头单位：县教育局", "完成时限：2021年12月底前"]


def test_quoted_cells_keep_their_commas_and_lose_their_line_breaks():
    """Excel quotes a cell holding a comma, a quote or a line break (Alt+Enter); the break
    reads as a space, as the .xlsx reader shows it."""
    rows = [["2021年重点任务清单"], HEADER,
            [1, "新建学校2所，\n改扩建幼儿园3所", "县教育局", "县财政局,县自然资源局", "2021年12月底前"],
            [2, '开展"双减"专项督查', "县教育局", None, "2021年9月30日前"]]
    text = read_plan_bytes("清单.csv", exported(rows).encode("utf-8-sig"))
    assert text.splitlines() == [
        "2021年重点任务清单",
        "1. 新建学校2所， 改扩建幼儿园3所", "牵头单位：县教育局", "责任单位：县财政局,县自然资源局",
        "完成时限：2021年12月底前",
        '2. 开展"双减"专项督查', "牵头单位：县教育局", "完成时限：2021年9月30日前"]


def test_a_csv_without_a_header_is_read_as_lines(plan_lines, plan_text):
    """One paragraph per row, as a plan typed into column A: the text plan."""
    data = exported([[line] for line in plan_lines]).encode("utf-8-sig")
    assert read_plan_bytes("方案.csv", data).splitlines() == plan_lines
    assert facts(plan_of(data, "方案.csv")) == facts(parse_plan(plan_text, SAMPLE.name))


def test_empty_rows_and_padding_are_not_text():
    assert reason("空.csv", b",,,,\r\n,,,,\r\n") == "这个 CSV 表格里没有文字"
    assert reason("空.csv", b"") == "文件为空"
    assert reason("空.csv", "\ufeff".encode()) == "这个 CSV 表格里没有文字"


@pytest.mark.parametrize(("data", "expected"), [
    (bytes(range(256)) * 8, "看起来不是文本文件（含有二进制内容）"),
    (b"\x00\x01\x02garbage\x00" * 100, "看起来不是文本文件（含有二进制内容）"),
    (b"\x89PNG\r\n\x1a\n" + bytes(100), "文件内容与扩展名不符（看起来是图片）"),
    (b"%PDF-1.7\n" + bytes(100), "文件内容与扩展名不符（看起来是 PDF）"),
    (b"<!DOCTYPE html><html><body><table></table></body></html>", "文件内容与扩展名不符（看起来是网页文件（HTML））"),
])
def test_what_is_not_a_csv_is_refused_with_a_reason(data, expected):
    assert reason("分工.csv", data) == expected


def test_a_data_dump_is_refused():
    """The same limits as an .xlsx sheet: more rows or columns is a data sheet, not a plan."""
    wide = exported([HEADER + [f"列{n}" for n in range(MAX_SHEET_COLUMNS)]]).encode()
    assert reason("宽.csv", wide).startswith("表格太大（超过")
    long = exported([HEADER] + [[n, "任务", "县委"] for n in range(MAX_SHEET_ROWS + 1)]).encode()
    assert reason("长.csv", long).startswith("表格太大（超过")


def test_a_cell_over_the_csv_field_limit_is_no_table():
    data = ('"' + "很长" * 70_000 + '"\r\n').encode()
    assert reason("长.csv", data) == "不是有效的 CSV 表格"


@given(st.text(alphabet='序号重点任务牵头单位完成时限一、1.县委,;\t"\r\n ', max_size=300),
       st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
@settings(max_examples=150, deadline=None)
def test_any_delimited_text_gives_text_or_a_reason(text, encoding):
    """Quotes left open, ragged rows, mixed delimiters: clean text or a PlanFileError."""
    try:
        out = read_plan_bytes("表.csv", text.encode(encoding))
    except PlanFileError as error:
        assert error.reason
        return
    assert out.strip() and out.endswith("\n")
