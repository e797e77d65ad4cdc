""".xlsx task tables read as plans: built in memory with openpyxl, read by index/ingest/read.py,
parsed by the same parser as the text plans."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_file, read_plan_bytes
from planbot.index.models import Role
from tests.guards import no_hang
from tests.index.conftest import SAMPLE, xlsx_bytes

from .test_formats_parse import facts

HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]


def text_of(data: bytes, name: str = "分工.xlsx") -> list[str]:
    return read_plan_bytes(name, data).splitlines()


def plan_of(data: bytes, name: str = "分工.xlsx"):
    return parse_plan(read_plan_bytes(name, data), name)


def items_of(plan):
    return [i for i in plan.items if i.kind == "item"]


def units(item, role: Role) -> list[str]:
    return [o.unit for o in item.owners if o.role is role]


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


# -- the sample plan as a table ------------------------------------------------------------
@pytest.mark.parametrize("layout", ["banners", "columns"])
def test_task_table_gives_the_same_items_as_the_text_plan(make_xlsx, plan_lines, plan_text, layout):
    """Title row above the header, the 一、/（一） headings as rows across the table or as
    类别/子类 columns merged over their rows, one row per numbered item."""
    text_plan = parse_plan(plan_text, SAMPLE.name)
    xlsx_plan = plan_of(make_xlsx.sample(plan_lines, layout), SAMPLE.stem + ".xlsx")
    assert xlsx_plan.title == text_plan.title == "2021年全县乡村振兴重点任务分工方案"
    assert xlsx_plan.year == text_plan.year
    assert facts(xlsx_plan) == facts(text_plan)
    # Section labels are the plan's own; an item's number is the 序号 cell's ("1", where
    # the text typed "1．").
    assert [i.label for i in xlsx_plan.items if i.kind == "section"] == \
        [i.label for i in text_plan.items if i.kind == "section"]
    assert [i.key for i in items_of(xlsx_plan)] == [str(n) for n in range(1, 17)]


def test_a_sheet_that_is_the_plan_typed_line_by_line(make_xlsx, plan_lines, plan_text):
    """Not a table: one paragraph per row in column A reads like the text file."""
    data = make_xlsx([[line] for line in plan_lines])
    assert text_of(data) == plan_lines
    assert facts(plan_of(data)) == facts(parse_plan(plan_text, SAMPLE.name))


def test_each_sheet_is_a_section_named_by_the_sheet(make_xlsx, plan_lines):
    """Two sheets with their own tables; a hidden sheet and an empty one are left out."""
    rows, _ = make_xlsx.table(plan_lines)
    tasks = [row for row in rows if isinstance(row[0], int)]
    data = make_xlsx({"产业发展": [HEADER, *tasks[3:5]], "空表": [], "乡村建设": [HEADER, *tasks[7:9]],
                      "下拉选项": [["县农业农村局"], ["县水利局"]]},
                     edit=lambda wb: setattr(wb["下拉选项"], "sheet_state", "hidden"))
    plan = plan_of(data)
    assert [(i.kind, "/".join(i.path), i.title) for i in plan.items][:2] == [
        ("section", "一", "产业发展"), ("item", "一/4", "新建高标准农田2万亩，推进粮食生产功能区提档升级")]
    assert ["/".join(i.path) for i in items_of(plan)] == ["一/4", "一/5", "二/8", "二/9"]
    lines = text_of(data)
    assert "二、乡村建设" in lines and "县水利局" not in lines and not any("下拉选项" in line for line in lines)


def test_one_sheet_is_no_section(make_xlsx):
    data = make_xlsx({"Sheet1": [HEADER, [1, "新建高标准农田", "县农业农村局", None, None]], "Sheet2": []})
    assert text_of(data) == ["1. 新建高标准农田", "牵头单位：县农业农村局"]


# -- merged cells ------------------------------------------------------------------------
def test_merged_lead_applies_to_every_row_it_covers(make_xlsx):
    rows = [HEADER] + [[n, f"任务{n}", "县乡村振兴局" if n == 1 else None, f"单位{n}", None] for n in range(1, 6)]
    plan = plan_of(make_xlsx(rows, merges=["C2:C6"]))
    assert [units(i, Role.lead) for i in items_of(plan)] == [["县乡村振兴局"]] * 5
    assert [units(i, Role.responsible) for i in items_of(plan)] == [[f"单位{n}"] for n in range(1, 6)]


def test_merged_number_and_task_over_two_rows_is_one_item(make_xlsx):
    rows = [HEADER, [1, "改善农村人居环境", "县农业农村局", "县卫生健康局", "2021年11月底前"],
            [None, None, None, "各乡镇人民政府", "2021年12月底前"],
            [2, "新改建农村公路", "县交通运输局", None, None]]
    plan = plan_of(make_xlsx(rows, merges=["A2:A3", "B2:B3", "C2:C3"]))
    first, second = items_of(plan)
    assert first.key == "1" and second.key == "2"
    assert units(first, Role.lead) == ["县农业农村局"]
    assert units(first, Role.responsible) == ["县卫生健康局", "各乡镇人民政府"]
    assert [d.phrase for d in first.deadlines] == ["2021年11月底前", "2021年12月底前"]


def test_merged_category_column_without_numbers_gets_numbered_sections(make_xlsx):
    rows = [["类别", "序号", "重点任务", "责任单位"], ["产业发展", 1, "新建高标准农田", "县农业农村局"],
            [None, 2, "培育龙头企业", "县农业农村局"], ["乡村建设", 3, "新改建农村公路", "县交通运输局"]]
    lines = text_of(make_xlsx(rows, merges=["A2:A3"]))
    assert lines == ["一、产业发展", "1. 新建高标准农田", "责任单位：县农业农村局", "2. 培育龙头企业",
                     "责任单位：县农业农村局", "二、乡村建设", "3. 新改建农村公路", "责任单位：县交通运输局"]
    assert [(i.kind, "/".join(i.path)) for i in plan_of(make_xlsx(rows, merges=["A2:A3"])).items] == [
        ("section", "一"), ("item", "一/1"), ("item", "一/2"), ("section", "二"), ("item", "二/3")]


def test_unnumbered_headings_take_a_style_no_other_level_uses(make_xlsx):
    """Sheets are named 一、 … by the sheet name; the banner rows inside them, unnumbered,
    become （一） so that the parser nests them under the sheets."""
    sheet = [HEADER, ["产业发展"], [1, "新建高标准农田", "县农业农村局", None, None]]
    data = make_xlsx({"一、乡村振兴": sheet, "组织建设": sheet}, merges={"一、乡村振兴": ["A2:E2"],
                                                                "组织建设": ["A2:E2"]})
    assert text_of(data) == ["一、乡村振兴", "（一）产业发展", "1. 新建高标准农田", "牵头单位：县农业农村局",
                             "二、组织建设", "（一）产业发展", "1. 新建高标准农田", "牵头单位：县农业农村局"]
    assert ["/".join(i.path) for i in items_of(plan_of(data))] == ["一/（一）/1", "二/（一）/1"]


# -- headers -------------------------------------------------------------------------------
def test_header_words_tables_really_use(make_xlsx):
    rows = [["编号", "工作任务", "牵头领导", "责任人", "配合部门", "时间节点", "工作目标", "备注"],
            [1, "推进农村饮水安全巩固提升", "张副县长", "县水利局局长", "各乡镇人民政府", "2021年6月底前",
             "自来水普及率95%", "争取省级资金"],
            [2, "新改建农村公路", None, None, None, None, None, None]]  # a plan has two items at least
    item = items_of(plan_of(make_xlsx(rows)))[0]
    assert [(o.role, o.unit) for o in item.owners] == [
        (Role.lead, "张副县长"), (Role.responsible, "县水利局局长"), (Role.cooperating, "各乡镇人民政府")]
    assert item.deadlines[0].date == dt.date(2021, 6, 30)
    assert "工作目标：自来水普及率95%" in item.text and "备注：争取省级资金" in item.text


def test_header_below_a_title_notes_and_blank_rows(make_xlsx):
    rows = [["附件2"], ["2022年城关镇党建工作任务分解表"], [], ["填报单位：城关镇党委"], [],
            [None, *HEADER], [None, 1, "整顿软弱涣散村党组织", "组织委员", "各村党支部", "2022年9月底前"],
            [None, 2, "开展党员冬训", None, None, None]]
    data = make_xlsx(rows, merges=["B2:F2"])
    assert text_of(data) == ["2022年城关镇党建工作任务分解表", "填报单位：城关镇党委", "1. 整顿软弱涣散村党组织",
                             "牵头单位：组织委员", "责任单位：各村党支部", "完成时限：2022年9月底前", "2. 开展党员冬训"]
    plan = plan_of(data)
    assert plan.title == "2022年城关镇党建工作任务分解表" and plan.year == 2022


def test_header_over_two_rows(make_xlsx):
    """责任单位 merged over 牵头 | 配合 in a second header row; 序号 and 重点任务 merged down."""
    rows = [["序号", "重点任务", "责任单位", None, "完成时限"], [None, None, "牵头", "配合", None],
            [1, "新建高标准农田", "县农业农村局", "县财政局", "2021年10月底前"],
            [2, "新改建农村公路", "县交通运输局", None, None]]
    item = items_of(plan_of(make_xlsx(rows, merges=["A1:A2", "B1:B2", "C1:D1", "E1:E2"])))[0]
    assert [(o.role, o.unit) for o in item.owners] == [(Role.lead, "县农业农村局"), (Role.cooperating, "县财政局")]


def test_notes_and_sign_off_under_the_table_are_text(make_xlsx):
    rows = [HEADER, [1, "新建高标准农田", "县农业农村局", None, None], [2, "新改建农村公路", "县交通运输局", None, None],
            ["注：各单位每月25日前报送进展情况。"], ["县乡村振兴局"], ["2021年3月1日"]]
    lines = text_of(make_xlsx(rows, merges=["A4:E4", "A5:E5"]))
    assert lines[4:] == ["注：各单位每月25日前报送进展情况。", "县乡村振兴局", "2021年3月1日"]
    assert [i.kind for i in plan_of(make_xlsx(rows, merges=["A4:E4", "A5:E5"])).items].count("section") == 0


# -- what is shown --------------------------------------------------------------------------
def test_hidden_rows_and_columns_are_left_out(make_xlsx):
    rows = [[*HEADER, "内部备注"], [1, "新建高标准农田", "县农业农村局", None, None, "不公开"],
            [2, "已取消的任务", "县农业农村局", None, None, None], [3, "新改建农村公路", "县交通运输局", None, None, None]]

    def hide(workbook):
        sheet = workbook.active
        sheet.column_dimensions["F"].hidden = True
        sheet.row_dimensions[3].hidden = True

    lines = text_of(make_xlsx(rows, edit=hide))
    assert lines == ["1. 新建高标准农田", "牵头单位：县农业农村局", "3. 新改建农村公路", "牵头单位：县交通运输局"]


def test_numbers_dates_and_percentages_as_people_read_them(make_xlsx):
    rows = [["序号", "重点任务", "完成时间", "目标值"],
            [1.0, "完成村“两委”换届", dt.date(2021, 6, 30), 0.95],
            [2, "召开推进会", dt.datetime(2021, 7, 1, 9, 30), 3.5]]

    def percent(workbook):
        workbook.active["D2"].number_format = "0%"

    lines = text_of(make_xlsx(rows, edit=percent))
    assert lines == ["1. 完成村“两委”换届", "完成时间：2021年6月30日", "目标值：95%",
                     "2. 召开推进会", "完成时间：2021年7月1日 09:30", "目标值：3.5"]
    first = items_of(plan_of(make_xlsx(rows, edit=percent)))[0]
    assert first.deadlines[0].date == dt.date(2021, 6, 30)


def test_a_cell_with_line_breaks_is_one_line(make_xlsx):
    rows = [HEADER, [1, "推进农村生活污水治理\n新建污水处理设施15处", "市生态环境局\n县分局", None, None]]
    assert text_of(make_xlsx(rows)) == ["1. 推进农村生活污水治理 新建污水处理设施15处", "牵头单位：市生态环境局 县分局"]


def test_formula_shows_its_value_and_an_error_nothing(make_xlsx):
    """Excel stores a formula with its last value: the value is shown; an error (#N/A)
    and a formula never computed (written by a program, not Excel) show nothing."""
    rows = [["序号", "重点任务", "目标值", "备注"], [1, "新建高标准农田", 20000, None],
            [2, "培育龙头企业", "#N/A", None]]

    def formulas(xml: str) -> str:
        xml = xml.replace('<c r="C2" t="n"><v>20000</v></c>',
                          '<c r="C2"><f>SUM(E2:F2)</f><v>20000</v></c><c r="D2"><f>C2*2</f></c>')
        return xml.replace('<c r="C3" t="e"><v>#N/A</v></c>',
                           '<c r="C3" t="e"><f>VLOOKUP(A3,X:Y,2)</f><v>#N/A</v></c>')

    data = make_xlsx(rows, edit_xml=formulas)
    assert text_of(data) == ["1. 新建高标准农田", "目标值：20000", "2. 培育龙头企业"]


def test_cells_and_rows_without_addresses(make_xlsx):
    """The format lets a writer leave out r="B2": cells then count from the left, rows
    from the top. Empty cells in between still count."""
    rows = [HEADER, [1, "新建高标准农田", None, "县财政局", None]]

    def strip_addresses(xml: str) -> str:
        xml = xml.replace('<c r="D2"', '<c r="C2" s="0"/><c r="D2"')  # the empty C2, written
        return re.sub(r'<c r="[A-Z]+\d+"', "<c", re.sub(r'<row r="\d+"', "<row", xml))

    data = make_xlsx(rows, edit_xml=strip_addresses)
    assert 'r="B2"' not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert text_of(data) == ["1. 新建高标准农田", "责任单位：县财政局"]


def test_an_empty_cell_before_one_without_an_address_is_kept(make_xlsx):
    """Dropping an empty formatted cell must not move a cell placed by its position: the
    empty A2 before an address-less cell keeps it in column B (重点任务), not A (序号)."""
    rows = [HEADER, [None, "新建高标准农田", None, "县财政局", None]]

    def empty_then_unaddressed(xml: str) -> str:
        return xml.replace('<c r="B2"', '<c r="A2" s="0"/><c', 1)

    data = make_xlsx(rows, edit_xml=empty_then_unaddressed)
    assert '<c r="A2" s="0"/><c t=' in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert text_of(data) == text_of(make_xlsx(rows))


def test_empty_formatted_cells_among_the_text_change_nothing(make_xlsx):
    rows = [HEADER, [1, "新建高标准农田", "县农业农村局", None, "2021年6月底前"], [2, "培育龙头企业", None, "县财政局", None]]

    def formatted(xml: str) -> str:
        for row in (1, 2, 3):
            xml = re.sub(rf'(<row r="{row}"[^>]*>)', rf'\1<c r="A{row}" s="1"/>', xml, count=1)
            xml = xml.replace(f'<c r="A{row}" s="1"/><c r="A{row}"', f'<c r="A{row}"')  # A holds text
            xml = xml.replace(f'<c r="D{row}"', f'<c r="C{row}" s="1"/><c r="D{row}"') if row == 3 else xml
            xml = re.sub(rf'(<row r="{row}"[^>]*>.*?)</row>', rf'\1<c r="Z{row}" s="1"/><c r="AA{row}" s="2"/></row>', xml,
                         count=1, flags=re.S)
        return xml

    data = make_xlsx(rows, edit_xml=formatted)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="Z2" s="1"/>' in sheet and '<c r="C3" s="1"/>' in sheet
    assert text_of(data) == text_of(make_xlsx(rows))


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.sampled_from(["empty", "text", "bare"]), max_size=6), min_size=1, max_size=6),
       chunk=st.integers(1, 64), reads=st.integers(1, 40))
def test_empty_cells_are_dropped_whole_at_any_chunk_and_read_size(rows, chunk, reads):
    """However the XML is cut into chunks and read, what comes out is the XML with some of its
    droppable empty cells gone, none cut in part: dropping the rest gives the same bytes as
    dropping them all at once."""
    from planbot.index.ingest.formats import xlsx

    cells = {"empty": '<c r="B{r}" s="1"/>', "text": '<c r="C{r}" t="s"><v>0</v></c>', "bare": "<c><v>1</v></c>"}
    xml = "<sheetData>" + "".join(f'<row r="{r}">' + "".join(cells[c].format(r=r) for c in row) + "</row>"
                                  for r, row in enumerate(rows, 1)) + "</sheetData>"
    stream, out = xlsx._WithoutEmptyCells(io.BytesIO(xml.encode()), chunk), b""
    while piece := stream.read(reads):
        out += piece
    once = xlsx._EMPTY_CELL.sub(b"", xml.encode())
    assert xlsx._EMPTY_CELL.sub(b"", out) == once
    kept_bare = xml.count("<c><v>1</v></c>")
    assert out.count(b"<c><v>1</v></c>") == kept_bare and out.count(b"<v>0</v>") == xml.count("<v>0</v>")
    assert xlsx._WithoutEmptyCells(io.BytesIO(xml.encode())).read() == once


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_any_damage_to_an_xlsx_gives_text_or_a_plan_file_error(data):
    original = _SMALL_TABLE
    position = data.draw(st.integers(0, len(original) - 1))
    damaged = data.draw(st.sampled_from([
        original[:position],  # cut off
        original[:position] + bytes([original[position] ^ 0xFF]) + original[position + 1:],  # a flipped byte
    ]))
    with no_hang(20):
        try:
            read_plan_bytes("坏.xlsx", damaged)
        except PlanFileError:
            pass


_SMALL_TABLE = xlsx_bytes([HEADER, [1, "新建高标准农田", "县农业农村局", "县财政局", dt.date(2021, 10, 31)]],
                          merges=["B2:B2"])


# -- what cannot be read ----------------------------------------------------------------------
def test_inline_strings_are_read_too(make_xlsx):
    """Excel and WPS keep cell texts in a shared table (the builder's default); other
    writers put them in the cells."""
    rows = [HEADER, [1, "新建高标准农田", "县农业农村局", None, None]]
    assert text_of(make_xlsx(rows, shared_strings=False)) == text_of(make_xlsx(rows)) == [
        "1. 新建高标准农田", "牵头单位：县农业农村局"]


def test_empty_workbook(make_xlsx):
    assert reason("空.xlsx", make_xlsx({"Sheet1": [], "Sheet2": [[None, "  "]]})) == "这个 Excel 表格里没有文字"


def test_a_table_and_a_document_named_as_each_other_are_refused(make_xlsx, make_docx):
    assert reason("分工.docx", make_xlsx([HEADER])) == "文件内容与扩展名不符（看起来是 Excel 表格（.xlsx））"
    assert reason("分工.xlsx", make_docx(["一、总体要求"])) == "文件内容与扩展名不符（看起来是 Word 文档（.docx））"


def test_broken_xlsx(make_xlsx):
    data = make_xlsx([HEADER])
    assert reason("坏.xlsx", data[: len(data) // 2]).startswith("不是有效的 Excel 表格（.xlsx）")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:  # says it is a workbook, holds none
        archive.writestr("[Content_Types].xml", "<Types>spreadsheetml.sheet.main+xml</Types>")
    assert reason("坏.xlsx", buffer.getvalue()).startswith("不是有效的 Excel 表格（.xlsx）")


def test_encrypted_xlsx():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600) + "EncryptedPackage".encode("utf-16-le") + bytes(600)
    assert reason("密.xlsx", data).startswith("文件已加密，无法读取")


def test_a_data_sheet_too_big_for_a_plan_is_refused_by_name(make_xlsx):
    from planbot.index.ingest.formats.xlsx import MAX_ROWS

    data = make_xlsx({"任务": [HEADER], "明细": [[n] for n in range(MAX_ROWS + 1)]})
    assert reason("分工.xlsx", data) == (f"工作表“明细”太大（超过 {MAX_ROWS} 行或 64 列有内容），"
                                         "不像是计划表格；请删去或隐藏这张工作表后再发送")


# -- pathological sheets -----------------------------------------------------------------------
def _with_empty_cells(rows: int, columns: int):
    """An edit_xml adding `rows` x `columns` empty formatted cells below the text (what
    formatting whole rows or columns leaves in some writers' files), merges reaching to
    the sheet's end, and a dimension claiming the whole sheet."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, columns + 1)]
    filler = "".join(f'<row r="{r}">' + "".join(f'<c r="{letter}{r}" s="1"/>' for letter in letters) + "</row>"
                     for r in range(100, 100 + rows))
    merges = '<mergeCells count="2"><mergeCell ref="C2:C1048576"/><mergeCell ref="F50:XFD1048576"/></mergeCells>'

    def edit(xml: str) -> str:
        xml = xml.replace("</sheetData>", filler + "</sheetData>").replace("<pageMargins", merges + "<pageMargins")
        return xml.replace('<dimension ref="A1:E2"/>', '<dimension ref="A1:XFD1048576"/>')

    return edit


@pytest.mark.slow
@pytest.mark.parametrize(("rows", "columns"), [(100_000, 10), (62, 16_384)])
def test_a_million_empty_formatted_cells_take_seconds_not_minutes(make_xlsx, rows, columns):
    data = make_xlsx([HEADER, [1, "新建高标准农田", "县农业农村局", None, None]],
                     edit_xml=_with_empty_cells(rows, columns))
    assert len(data) < 4 * 1024 * 1024  # within reach of `planbot index`, nearly of a chat
    started = time.monotonic()
    with no_hang():
        lines = read_plan_bytes("大.xlsx", data, max_bytes=len(data)).splitlines()
    assert lines == ["1. 新建高标准农田", "牵头单位：县农业农村局"]
    print(f"{rows} x {columns} empty cells: {time.monotonic() - started:.1f} s")


# -- through the CLI --------------------------------------------------------------------------
def test_planbot_index_reads_an_xlsx_in_a_folder(make_xlsx, plan_lines, tmp_path, capsys):
    from planbot.bot import cli

    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "2021年全县乡村振兴重点任务分工方案.xlsx"
    path.write_bytes(make_xlsx.sample(plan_lines))
    assert read_plan_bytes(str(path), read_file(path)).startswith("2021年全县乡村振兴重点任务分工方案\n")
    assert cli.main(["--db", str(tmp_path / "planbot.db"), "index", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("计划 1 份，条目 16 条，其中写明责任单位 16 条、写明时限 16 条")
