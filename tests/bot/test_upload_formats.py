"""Plan files as county offices receive them, sent to the bot: an Excel task table (.xlsx,
Excel 97–2003's .xls, or its .csv export), a plan's page saved from a government site, an old
Word file (.doc, or .wps as WPS saves it), an .rtf, an .odt, an OFD document (.ofd), a WPS table
(.et), an OpenDocument table (.ods), a single-file web page (.mht) and a file renamed within its
family (an .xls called .xlsx) are added like any plan; a .dot, .ett or .xlsb is answered with
what to re-save it as."""

import io
from pathlib import Path

import pytest

from planbot.bot.telegram import plans

from .conftest import ADMIN, BOB, GROUP, sent_texts

pytestmark = pytest.mark.anyio


def only(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.plain[:60]) for c in calls]
    return texts[0]


def task_table() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["2023年全县数字乡村建设任务分解表"])
    sheet.merge_cells("A1:E1")
    sheet.append(["序号", "工作任务", "牵头单位", "配合单位", "完成时限"])
    sheet.append([1, "推进千兆光网进村", "县工信局", "县电信公司", "2023年6月底前"])
    sheet.append([2, "建设益农信息社120个", "县农业农村局", None, "2023年12月底前"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def test_xlsx_task_table_is_previewed_and_added(own_driver, fresh_engine):
    preview = only(await own_driver.document("数字乡村任务分解表.xlsx", task_table(), user=ADMIN))
    for fact in ["《2023年全县数字乡村建设任务分解表》", "条目：2 条", "县工信局", "2023年6月底前"]:
        assert fact in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    assert "2023年全县数字乡村建设任务分解表" in {p.title for p in fresh_engine.plans()}


CSV_TABLE = """2023年全县数字乡村建设任务分解表,,,,
序号,工作任务,牵头单位,配合单位,完成时限
1,推进千兆光网进村,县工信局,县电信公司,2023年6月底前
2,建设益农信息社120个,县农业农村局,,2023年12月底前
"""

WEB_PAGE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>2023年全县数字乡村建设工作要点_通知公告_XX县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk">政务公开</a></div>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/tzgg">通知公告</a></div>
<h1 class="title">2023年全县数字乡村建设工作要点</h1>
<div class="content"><p>一、推进千兆光网进村，县工信局牵头，2023年6月底前完成。</p>
<p>二、建设益农信息社120个，县农业农村局负责，2023年12月底前完成。</p></div>
<div class="footer">版权所有：XX县人民政府 <a href="https://beian.miit.gov.cn">ICP备12345678号</a></div>
</body></html>"""


@pytest.mark.parametrize(("name", "data", "title"), [
    ("数字乡村任务分解表.csv", CSV_TABLE.encode("gbk"), "2023年全县数字乡村建设任务分解表"),
    ("数字乡村工作要点.html", WEB_PAGE.encode("gbk"), "2023年全县数字乡村建设工作要点"),
])
async def test_csv_and_web_page_are_previewed_and_added(own_driver, fresh_engine, name, data, title):
    preview = only(await own_driver.document(name, data, user=ADMIN))
    for fact in [f"《{title}》", "条目：2 条", "县工信局", "2023年6月底前"]:
        assert fact in preview.plain
    for chrome in ["首页", "当前位置", "版权所有", "ICP"]:
        assert chrome not in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    assert title in {p.title for p in fresh_engine.plans()}


OFFICE = Path(__file__).resolve().parents[1] / "fixtures" / "office"
SHEETS = Path(__file__).resolve().parents[1] / "fixtures" / "sheets"
OFD = Path(__file__).resolve().parents[1] / "fixtures" / "ofd"


@pytest.mark.parametrize(("name", "fixture"), [("乡村振兴分工方案.doc", "plan.doc"), ("乡村振兴分工方案.wps", "plan.doc"),
                                             ("乡村振兴分工方案.rtf", "plan.rtf"), ("乡村振兴分工方案.odt", "plan.odt")])
async def test_word_processor_file_is_previewed_and_added(own_driver, fresh_engine, name, fixture):
    data = (OFFICE / fixture).read_bytes()
    preview = only(await own_driver.document(name, data, user=ADMIN))
    for fact in ["《2021年全县乡村振兴重点任务分工方案》", "条目：", "县乡村振兴局"]:
        assert fact in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    assert "2021年全县乡村振兴重点任务分工方案" in {p.title for p in fresh_engine.plans()}


async def test_xls_task_table_is_previewed_and_added(own_driver, fresh_engine):
    """An Excel 97–2003 table (LibreOffice's .xls of the sample plan, tests/fixtures/sheets)."""
    data = (SHEETS / "plan-banners.xls").read_bytes()
    preview = only(await own_driver.document("乡村振兴任务分工表.xls", data, user=ADMIN))
    for fact in ["《2021年全县乡村振兴重点任务分工方案》", "条目：", "县乡村振兴局"]:
        assert fact in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    assert "2021年全县乡村振兴重点任务分工方案" in {p.title for p in fresh_engine.plans()}


async def test_ofd_document_is_previewed_and_added(own_driver, fresh_engine):
    """An OFD 公文 (tests/fixtures/ofd: the sample plan, one object per character) becomes the
    plan's new version, read from the .ofd."""
    title = "2021年全县乡村振兴重点任务分工方案"
    before = next(p.version for p in fresh_engine.plans() if p.title == title)
    preview = only(await own_driver.document("乡村振兴分工方案.ofd", (OFD / "plan.ofd").read_bytes(), user=ADMIN))
    for fact in [f"《{title}》", "条目：", "县乡村振兴局"]:
        assert fact in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    (stored,) = [p for p in fresh_engine.plans() if p.title == title]
    assert (stored.version, stored.source) == (before + 1, "乡村振兴分工方案.ofd")


async def test_a_scanned_ofd_is_told_to_send_the_text_version(own_driver, fresh_engine):
    before = fresh_engine.plans()
    reply = only(await own_driver.document("扫描件.ofd", (OFD / "scan.ofd").read_bytes(), user=ADMIN))
    assert reply.plain == "扫描件.ofd: 这是扫描件（图片）OFD 文件，没有可读的文字，请发送文字版 PDF 或 Word 文件"
    assert fresh_engine.plans() == before


def test_help_lists_the_formats_uploads_accept():
    from planbot.bot.telegram.commands import help_text
    from planbot.index.ingest.read import listed_formats

    assert f"{listed_formats()} 格式的计划文件" in help_text("bot")
    assert ".csv" in listed_formats() and ".html" in listed_formats() and ".xls、" in listed_formats()


@pytest.mark.parametrize(("name", "advice"), [
    ("工作要点.dot", ".dot 文件请在 Word 或 WPS 中另存为 .docx 后再发送。"),
    ("任务分解表.xlsb", ".xlsb 文件请在 Excel 或 WPS 中另存为 .xlsx 后再发送。"),
    ("任务分解表.ett", ".ett 文件请在 Excel 或 WPS 中另存为 .xlsx 后再发送。"),
])
async def test_old_formats_are_told_what_to_resave_as(own_driver, fresh_engine, name, advice):
    before = fresh_engine.plans()
    reply = only(await own_driver.document(name, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), user=ADMIN))
    assert reply.plain == "只能添加 .txt、.md、.docx、.docm、.dotx、.dotm、.doc、.wps、.rtf、.odt、.pdf、.ofd、.xlsx、.xlsm、.xltx、.xltm、.xls、.et、.ods、.csv、.html、.htm、.mht 或 .mhtml 格式的计划文件。" + advice
    assert reply.plain == plans.unsupported_upload(name)
    assert fresh_engine.plans() == before


async def test_old_formats_in_a_group_are_chatter(own_driver):
    assert await own_driver.document("任务分解表.ett", b"\xd0\xcf\x11\xe0", chat=GROUP, user=BOB,
                                     addressed=False) == []


@pytest.mark.parametrize(("name", "fixture"), [("乡村振兴任务分工表.xlsx", "plan-banners.xls"),
                                               ("乡村振兴任务分工表.et", "plan-banners.xls"),
                                               ("乡村振兴任务分工表.ods", "plan-banners.ods"),
                                               ("乡村振兴任务分工表.xlsm", "plan-banners.xlsm")])
async def test_an_old_xls_renamed_xlsx_a_wps_table_or_an_ods_is_added(own_driver, fresh_engine, name, fixture):
    """Excel and WPS open an .xls called .xlsx by what it holds, WPS's .et is that format, an
    .ods is LibreOffice's (or WPS's) own, and an .xlsm is an .xlsx that may hold macros."""
    preview = only(await own_driver.document(name, (SHEETS / fixture).read_bytes(), user=ADMIN))
    assert "《2021年全县乡村振兴重点任务分工方案》" in preview.plain and "县乡村振兴局" in preview.plain
    button = next(b["callback_data"] for b in preview.buttons if b["callback_data"].startswith("1:a:"))
    await own_driver.press(preview, button, user=ADMIN)
    assert "2021年全县乡村振兴重点任务分工方案" in {p.title for p in fresh_engine.plans()}


async def test_a_broken_wps_table_is_told_to_resave(own_driver, fresh_engine):
    before = fresh_engine.plans()
    reply = only(await own_driver.document("任务分解表.et", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), user=ADMIN))
    assert reply.plain.startswith("任务分解表.et: 无法读取这个 WPS 表格（.et）")
    assert reply.plain.endswith("请在 Excel 或 WPS 中另存为 .xlsx 后再发送")
    assert fresh_engine.plans() == before


async def test_a_scanned_pdf_is_told_to_send_the_text_version(own_driver):
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    reply = only(await own_driver.document("扫描件.pdf", buffer.getvalue(), user=ADMIN))
    assert reply.plain == "扫描件.pdf: 这是扫描件（图片）PDF，没有可读的文字，请发送文字版 PDF 或 Word 文件"
