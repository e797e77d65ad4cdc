""".xls (Excel 97–2003) task tables read as plans: LibreOffice Calc's conversions of .xlsx
workbooks the test helpers build (tests/fixtures/sheets), read by index/ingest/read.py. Each
reads exactly as the .xlsx it was made from; what is particular to the format (encryption,
Excel 95, damaged files, xlrd's warnings) is here too."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_file, read_plan_bytes
from tests.guards import Hang, no_hang
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts

SHEETS = Path(__file__).resolve().parents[2] / "fixtures" / "sheets"
STEMS = ["plan-banners", "plan-columns", "hidden", "values", "two-row-header"]
EXCEL_95 = "这是 Excel 95 或更早版本的表格，无法读取，请在 Excel 或 WPS 中另存为 .xlsx 后再发送"


def fixture(name: str) -> bytes:
    return (SHEETS / name).read_bytes()


def text_of(stem: str) -> str:
    return read_plan_bytes(f"{stem}.xls", fixture(f"{stem}.xls"))


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


# -- as the .xlsx it was made from -------------------------------------------------------------
@pytest.mark.parametrize("stem", STEMS)
def test_an_xls_reads_exactly_as_the_xlsx_it_was_made_from(stem):
    text = text_of(stem)
    assert text == read_plan_bytes(f"{stem}.xlsx", fixture(f"{stem}.xlsx"))
    assert len(text.splitlines()) >= 5


@pytest.mark.parametrize("layout", ["banners", "columns"])
def test_the_sample_task_table_gives_the_text_plans_items(layout, plan_text):
    """Title and preamble merged across the table, the headings as banner rows or as
    类别/子类 columns merged down: the same items, owners and deadlines as the .txt."""
    plan = parse_plan(text_of(f"plan-{layout}"), f"plan-{layout}.xls")
    text_plan = parse_plan(plan_text, SAMPLE.name)
    assert (plan.title, plan.year) == (text_plan.title, text_plan.year) == ("2021年全县乡村振兴重点任务分工方案", 2021)
    assert facts(plan) == facts(text_plan)
    assert [i.key for i in plan.items if i.kind == "item"] == [str(n) for n in range(1, 17)]


def test_hidden_rows_columns_and_sheets_are_left_out():
    lines = text_of("hidden").splitlines()
    assert lines == ["一、产业发展", "1. 新建高标准农田", "牵头单位：县农业农村局", "完成时限：2021年10月底前",
                     "3. 新改建农村公路", "牵头单位：县交通运输局", "责任单位：各乡镇人民政府",
                     "二、乡村建设", "4. 整治农村人居环境", "牵头单位：县住建局", "完成时限：2021年12月底前",
                     "5. 培育龙头企业", "牵头单位：县农业农村局", "责任单位：县财政局"]


def test_numbers_dates_times_booleans_and_line_breaks_as_people_read_them():
    assert text_of("values").splitlines() == [
        "1. 完成村“两委”换届 选优配强班子", "完成时间：2021年6月30日", "目标值：95%", "是否完成：是",
        "2. 召开推进会", "完成时间：2021年7月1日 09:30", "目标值：3.5", "是否完成：否", "调度时间：15:00",
        "3. 新建高标准农田", "完成时间：2021年10月31日", "目标值：20000"]


def test_a_header_over_two_rows_splits_the_owner_column():
    assert text_of("two-row-header").splitlines()[:4] == [
        "1. 新建高标准农田", "牵头：县农业农村局", "配合：县财政局", "完成时限：2021年10月底前"]


def test_a_sheet_too_big_for_a_plan_is_refused_by_name(monkeypatch):
    """The .xlsx limits, from the same place (sheet_cells); lowered here to the sample's size."""
    from planbot.index.ingest.formats import sheet_cells

    monkeypatch.setattr(sheet_cells, "MAX_ROWS", 20)
    assert reason("分工.xls", fixture("plan-banners.xls")) == (
        "工作表“任务分解表”太大（超过 20 行或 64 列有内容），不像是计划表格；请删去或隐藏这张工作表后再发送")


# -- what cannot be read -----------------------------------------------------------------------
def test_a_workbook_with_a_password_is_refused():
    assert reason("分工.xls", fixture("two-row-header-encrypted.xls")) == "文件已加密，无法读取（请去掉密码后重试）"


def test_excel_95_is_told_to_resave():
    """LibreOffice cannot write Excel 95: its two marks are written into a BIFF8 file, the
    first record's version (0x0500) and the stream's name ("Book", not "Workbook")."""
    data = fixture("values.xls")
    globals_bof = struct.pack("<HHHH", 0x0809, 16, 0x0600, 0x0005)
    assert data.count(globals_bof) == 1
    assert reason("分工.xls", data.replace(globals_bof, struct.pack("<HHHH", 0x0809, 16, 0x0500, 0x0005))) == EXCEL_95
    entry = data.index("Workbook\0".encode("utf-16-le"))  # its directory entry: a name, its length at 64
    renamed = bytearray(data)
    renamed[entry:entry + 66] = "Book\0".encode("utf-16-le").ljust(64, b"\0") + struct.pack("<H", 10)
    assert reason("分工.xls", bytes(renamed)) == EXCEL_95


@pytest.mark.parametrize("stem", STEMS)
def test_renamed_tables_read_as_what_they_are(stem):
    """An .xls called .xlsx and the other way round: Excel and WPS open them by what they hold."""
    assert read_plan_bytes("分工.xlsx", fixture(f"{stem}.xls")) == text_of(stem)
    assert read_plan_bytes("分工.xls", fixture(f"{stem}.xlsx")) == read_plan_bytes("分工.xlsx", fixture(f"{stem}.xlsx"))


@pytest.mark.parametrize("stem", STEMS)
def test_a_wps_table_reads_as_the_excel_table_it_holds(stem):
    """WPS's .et is the Excel 97–2003 format (readers that take it renamed .xls read it)."""
    assert read_plan_bytes("分工.et", fixture(f"{stem}.xls")) == text_of(stem)
    assert read_plan_bytes("分工.ET", fixture(f"{stem}.xlsx")) == read_plan_bytes("分工.xlsx", fixture(f"{stem}.xlsx"))


def test_a_wps_table_that_cannot_be_read_is_told_to_resave():
    broken = fixture("values.xls")[:4096]
    assert reason("分工.et", broken).endswith("请在 Excel 或 WPS 中另存为 .xlsx 后再发送")
    assert reason("分工.et", broken).startswith("无法读取这个 WPS 表格（.et）")


def test_a_document_named_as_a_table_is_refused():
    assert reason("分工.xls", fixture("../office/plan.doc")) == (
        "文件内容与扩展名不符（看起来是旧版 Word 文档（.doc）），请在 Word 或 WPS 中另存为 .docx 后再发送")


def test_a_damaged_xls_is_named():
    data = fixture("values.xls")
    for damaged in (data[:len(data) // 2], data[:3000], data[:600]):
        assert reason("坏.xls", damaged).startswith("不是有效的 Excel 表格（.xls）")


def test_xlrd_prints_nothing_on_stdout():
    """xlrd warns on the stdout it found at import, where `planbot` prints its own output:
    here of a colour index it does not know, in the 25th cell format (the byte found by
    damaging the file byte by byte). A process of its own: under pytest, that stdout is
    pytest's, which no fixture reads back."""
    import olefile

    data = fixture("values.xls")
    stream = olefile.OleFileIO(io.BytesIO(data)).openstream("Workbook").read()
    at = data.index(stream[:512]) + 1103
    assert data[at] == 0
    odd = data[:at] + bytes([242]) + data[at + 1:]
    script = ("import sys; from planbot.index.ingest.read import read_plan_bytes; "
              "read_plan_bytes('a.xls', sys.stdin.buffer.read())")
    done = subprocess.run([sys.executable, "-c", script], input=odd, capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, b"", b"")


_DAMAGE_ME = fixture("two-row-header.xls")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(_DAMAGE_ME) - 1), st.booleans())
def test_any_damage_to_an_xls_gives_text_or_a_plan_file_error(position, cut):
    """Cut off at `position`, or its byte there flipped."""
    flipped = bytes([_DAMAGE_ME[position] ^ 0xFF])
    damaged = _DAMAGE_ME[:position] if cut else _DAMAGE_ME[:position] + flipped + _DAMAGE_ME[position + 1:]
    with no_hang(20):
        try:
            read_plan_bytes("坏.xls", damaged)
        except PlanFileError as error:
            # read.py turns any reader's exception into a PlanFileError: a hang too, unless told
            assert not isinstance(error.__cause__, Hang)


# -- through the CLI --------------------------------------------------------------------------
def test_planbot_index_reads_an_xls_in_a_folder(tmp_path, capsys):
    from planbot.bot import cli

    folder = tmp_path / "plans"
    folder.mkdir()
    path = folder / "2021年全县乡村振兴重点任务分工方案.xls"
    path.write_bytes(fixture("plan-columns.xls"))
    assert read_plan_bytes(str(path), read_file(path)).startswith("2021年全县乡村振兴重点任务分工方案\n")
    assert cli.main(["--db", str(tmp_path / "planbot.db"), "index", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith("计划 1 份，条目 16 条，其中写明责任单位 16 条、写明时限 16 条")
