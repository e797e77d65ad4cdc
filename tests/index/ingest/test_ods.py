"""OpenDocument spreadsheets (.ods), read by formats/ods.py.

The fixtures are LibreOffice Calc's conversions of the .xlsx task tables of
tests/fixtures/sheets (its make.py): each must read exactly as the .xlsx it was made from.
The hand-built ones below are content.xml written out, for what those do not hold (repeated
rows, comments, hidden sheets by style, a sheet's million-row tail, broken files).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts
from .test_odt import package

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHEETS = FIXTURES / "sheets"
STEMS = ["plan-banners", "plan-columns", "hidden", "values", "two-row-header"]
SHEET_TYPE = "application/vnd.oasis.opendocument.spreadsheet"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def ods(tables: str, styles: str = "", manifest: str = "<manifest/>", content: str | None = None,
        mimetype: str = SHEET_TYPE) -> bytes:
    return package(mimetype, manifest, content if content is not None else
                   f"<office:document-content {NS}><office:automatic-styles>{styles}"
                   f"</office:automatic-styles><office:body><office:spreadsheet>{tables}"
                   "</office:spreadsheet></office:body></office:document-content>")


def cell(text: str, **attributes: str) -> str:
    extra = "".join(f' table:{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f'<table:table-cell office:value-type="string"{extra}><text:p>{text}</text:p></table:table-cell>'


def row(*cells: str, **attributes: str) -> str:
    extra = "".join(f' table:{k.replace("_", "-")}="{v}"' for k, v in attributes.items())
    return f"<table:table-row{extra}>{''.join(cells)}</table:table-row>"


def table(name: str, *rows: str, style: str = "ta1") -> str:
    return f'<table:table table:name="{name}" table:style-name="{style}">{"".join(rows)}</table:table>'


HEADER = row(cell("序号"), cell("重点任务"), cell("牵头单位"), cell("完成时限"))


def read(data: bytes, name: str = "分工.ods") -> list[str]:
    return read_plan_bytes(name, data).splitlines()


def reason(data: bytes, name: str = "分工.ods") -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


# -- as the .xlsx it was made from -------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_an_ods_reads_exactly_as_the_xlsx_it_was_made_from(stem):
    text = read_plan_bytes(f"{stem}.ods", (SHEETS / f"{stem}.ods").read_bytes())
    assert text == read_plan_bytes(f"{stem}.xlsx", (SHEETS / f"{stem}.xlsx").read_bytes())
    assert len(text.splitlines()) >= 5


def test_the_sample_task_table_gives_the_text_plans_items(plan_text):
    plan = parse_plan(read_plan_bytes("分工.ods", (SHEETS / "plan-columns.ods").read_bytes()), "分工.ods")
    assert facts(plan) == facts(parse_plan(plan_text, SAMPLE.name))


def test_an_ods_called_odt_and_an_odt_called_ods_read_as_what_they_hold():
    """LibreOffice and WPS open an OpenDocument file by its mimetype, whatever its name."""
    sheet = (SHEETS / "hidden.ods").read_bytes()
    assert read_plan_bytes("分工.odt", sheet) == read_plan_bytes("分工.ods", sheet)
    document = (FIXTURES / "office" / "plan.odt").read_bytes()
    assert read_plan_bytes("方案.ods", document) == read_plan_bytes("方案.odt", document)


# -- what the fixtures do not hold ---------------------------------------------------------------
def test_repeats_merges_hidden_rows_and_a_comment():
    body = table("任务", HEADER,
                 row(cell("1"), cell("换届"), cell("县委组织部", number_rows_spanned="2"), cell("4月底前")),
                 row(cell("2"), cell("驻村"), "<table:covered-table-cell/>", cell("7月底前")),
                 row(cell("3"), cell("已取消"), cell("县委组织部"), cell("年底前"), visibility="collapse"),
                 row(cell("4"), cell("培训"), cell("县委党校"),
                     '<table:table-cell office:value-type="string"><office:annotation><text:p>批注，不是计划</text:p>'
                     "</office:annotation><text:p>年底前</text:p></table:table-cell>"),
                 row('<table:table-cell table:number-columns-repeated="16384"/>', number_rows_repeated="1048570"))
    assert read(ods(body)) == ["1. 换届", "牵头单位：县委组织部", "完成时限：4月底前",
                               "2. 驻村", "牵头单位：县委组织部", "完成时限：7月底前",
                               "4. 培训", "牵头单位：县委党校", "完成时限：年底前"]


def test_a_cell_repeated_across_columns_and_a_hidden_sheet():
    hidden = ('<style:style style:name="ta2" style:family="table">'
              '<style:table-properties table:display="false"/></style:style>')
    shown = table("任务", HEADER, row(cell("1"), cell("换届"), cell("县委组织部", number_columns_repeated="2")))
    body = table("下拉选项", row(cell("县财政局")), style="ta2") + shown
    assert read(ods(body, styles=hidden)) == ["1. 换届", "牵头单位：县委组织部", "完成时限：县委组织部"]
    assert read(ods(table("下拉选项", row(cell("县财政局")), style="ta2") + shown)) != read(ods(body, styles=hidden))


def test_refusals():
    assert reason(ods(table("空", row('<table:table-cell table:number-columns-repeated="9"/>')))) == \
        "这个 Excel 表格里没有文字"
    assert reason(ods(table("任务", HEADER), manifest="<manifest><encryption-data/></manifest>")).startswith(
        "文件已加密，无法读取")
    assert reason(ods("", content="<office:document-content><broken")) == \
        "不是有效的 OpenDocument 表格（.ods）（文件可能已损坏）"
    assert reason(ods("", content=f"<office:document-content {NS}/>")) == "不是有效的 OpenDocument 表格（.ods）"
    assert reason("序号,重点任务".encode()) == "不是有效的 OpenDocument 表格（.ods）"
    whole = (SHEETS / "values.ods").read_bytes()
    assert reason(whole[:len(whole) // 2]).startswith("不是有效的 OpenDocument 表格（.ods）")
    assert reason((SHEETS / "values.ods").read_bytes(), "分工.docx") == \
        "文件内容与扩展名不符（看起来是 OpenDocument 表格（.ods）），请在 Excel 或 WPS 中另存为 .xlsx 后再发送"


def test_a_sheet_too_big_to_be_a_plan_is_refused_not_read_forever():
    many = row(cell("任务"), number_rows_repeated="100000")
    assert "太大" in reason(ods(table("数据", HEADER, many)))
