"""Word's and Excel's macro-enabled files and templates (.docm, .dotx, .dotm; .xlsm, .xltx,
.xltm): the package and markup of a .docx or an .xlsx, the main part of another content type.
They read exactly as the .docx / .xlsx they hold. The real ones are LibreOffice's conversions
(tests/fixtures/office and sheets, make.py); .dotm and .xltm, which LibreOffice does not
write, are a .docx / .xlsx with their content type, as Word and Excel save them."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.fixtures.office import make as office

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SHEETS, OFFICE = FIXTURES / "sheets", FIXTURES / "office"
DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
WORKBOOK = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOTM = "application/vnd.ms-word.template.macroEnabledTemplate.main+xml"
XLTM = "application/vnd.ms-excel.template.macroEnabled.main+xml"


def retyped(data: bytes, old: str, new: str) -> bytes:
    """The package with its main part's content type `old` made `new`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as package, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in package.infolist():
            part = package.read(info)
            if info.filename == "[Content_Types].xml":
                assert old.encode() in part
                part = part.replace(old.encode(), new.encode())
            copy.writestr(info, part)
    return out.getvalue()


def reason(name: str, data: bytes) -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


@pytest.mark.parametrize("suffix", ["xlsm", "xltx"])
@pytest.mark.parametrize("stem", ["plan-banners", "plan-columns", "hidden", "values", "two-row-header"])
def test_a_macro_enabled_workbook_or_template_reads_exactly_as_its_xlsx(stem, suffix):
    text = read_plan_bytes(f"{stem}.{suffix}", (SHEETS / f"{stem}.{suffix}").read_bytes())
    assert text == read_plan_bytes(f"{stem}.xlsx", (SHEETS / f"{stem}.xlsx").read_bytes())


def test_the_sample_task_table_as_xlsm_gives_the_text_plans_items(plan_text):
    from .test_formats_parse import facts

    plan = parse_plan(read_plan_bytes("分工.xlsm", (SHEETS / "plan-columns.xlsm").read_bytes()), "分工.xlsm")
    assert facts(plan) == facts(parse_plan(plan_text, "方案.txt"))


def test_a_macro_enabled_template_of_either_kind_reads_as_what_it_holds():
    document = office.plan_table()
    assert read_plan_bytes("方案.dotm", retyped(document, DOCUMENT, DOTM)) == read_plan_bytes("方案.docx", document)
    workbook = (SHEETS / "plan-banners.xlsx").read_bytes()
    assert read_plan_bytes("分工.xltm", retyped(workbook, WORKBOOK, XLTM)) == read_plan_bytes("分工.xlsx", workbook)


def test_a_docm_named_docx_reads_as_a_docx_and_the_package_is_left_unchanged():
    docm = (OFFICE / "plan.docm").read_bytes()
    before = bytes(docm)
    assert read_plan_bytes("方案.docx", docm) == read_plan_bytes("方案.docm", docm)
    assert docm == before


@pytest.mark.parametrize(("name", "data", "said"), [
    ("方案.docm", (SHEETS / "hidden.xlsx").read_bytes(), "文件内容与扩展名不符"),  # a workbook called .docm
    ("分工.xlsm", (OFFICE / "plan.docm").read_bytes(), "文件内容与扩展名不符"),  # a document called .xlsm
    ("方案.dotx", (OFFICE / "plan.dotx").read_bytes()[:3000], "不是有效的 Word 文档（.dotx）"),  # cut off
    ("分工.xltx", b"PK\x03\x04" + bytes(200), "不是有效的 Excel 表格（.xltx）"),
])
def test_a_variant_that_is_not_what_its_name_says_is_refused_with_a_reason(name, data, said):
    assert said in reason(name, data)
