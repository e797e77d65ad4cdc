"""OpenDocument text plans (.odt), read by formats/odt.py.

The .odt fixtures are LibreOffice's conversions of the .docx plans that
tests/fixtures/office/make.py builds; that each reads as its .docx does is
test_office_files.py's. The hand-built ones below are content.xml written out, for what
those three do not hold (spans, lists, notes, tracked changes, broken files).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from planbot.index.errors import PlanFileError
from planbot.index.ingest.read import read_plan_bytes


OFFICE = Path(__file__).resolve().parents[2] / "fixtures" / "office"
TEXT_TYPE = "application/vnd.oasis.opendocument.text"
NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
      'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"')


def package(mimetype: str, manifest: str, content: str) -> bytes:
    """An OpenDocument package of its three members that matter here (test_ods.py's too)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def odt(body: str, mimetype: str = TEXT_TYPE, manifest: str = "<manifest/>", content: str | None = None) -> bytes:
    return package(mimetype, manifest, content if content is not None else
                   f'<office:document-content {NS}><office:body><office:text>{body}'
                   "</office:text></office:body></office:document-content>")


def lines(body: str) -> list[str]:
    return read_plan_bytes("方案.odt", odt(body)).splitlines()


def reason(data: bytes, name: str = "方案.odt") -> str:
    with pytest.raises(PlanFileError) as caught:
        read_plan_bytes(name, data)
    return caught.value.reason


def test_list_styles_without_libreoffices_template():
    """A list style as the spec writes it (num-prefix, display-levels, num-suffix, a start
    value), a nested level, an item's own start value, and bullets (no label)."""
    styles = ('<office:automatic-styles><text:list-style style:name="L1">'
              '<text:list-level-style-number text:level="1" style:num-prefix="第" style:num-suffix="条" '
              'style:num-format="一, 二, 三, ..." text:start-value="2"/>'
              '<text:list-level-style-number text:level="2" style:num-suffix="." style:num-format="1" '
              'text:display-levels="2"/></text:list-style>'
              '<text:list-style style:name="B"><text:list-level-style-bullet text:level="1"/></text:list-style>'
              '</office:automatic-styles>')
    body = ('<text:list text:style-name="L1"><text:list-item><text:p>总则</text:p>'
            '<text:list><text:list-item><text:p>甲</text:p></text:list-item>'
            '<text:list-item><text:p>乙</text:p></text:list-item></text:list></text:list-item>'
            '<text:list-item text:start-value="5"><text:p>附则</text:p></text:list-item></text:list>'
            '<text:list text:style-name="B"><text:list-item><text:p>要点</text:p></text:list-item></text:list>')
    content = (f'<office:document-content {NS} xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0">'
               f"{styles}<office:body><office:text>{body}</office:text></office:body></office:document-content>")
    assert read_plan_bytes("方案.odt", odt("", content=content)).splitlines() == [
        "第二条 总则", "二.1.甲", "二.2.乙", "第五条 附则", "要点"]


def test_headings_lists_sections_and_inline_marks():
    body = ('<text:h text:outline-level="1">一、总体要求</text:h>'
            '<text:section><text:list><text:list-item><text:p>1．加强<text:span>组织</text:span>领导'
            '<text:note><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注</text:p>'
            '</text:note-body></text:note></text:p></text:list-item></text:list></text:section>'
            '<text:p>牵头单位：<text:s text:c="2"/>县委办<text:tab/>县政府办<text:line-break/>完成时限：6月底前</text:p>'
            '<text:p><office:annotation><text:p>批注</text:p></office:annotation>见附件<text:page-number>3</text:page-number></text:p>'
            '<text:tracked-changes><text:changed-region><text:deletion><text:p>删除的文字</text:p>'
            '</text:deletion></text:changed-region></text:tracked-changes>'
            '<draw:frame><draw:text-box><text:p>文本框</text:p></draw:text-box></draw:frame><text:p/>')
    assert lines(body) == ["一、总体要求", "1．加强组织领导", "牵头单位：  县委办\t县政府办", "完成时限：6月底前",
                           "见附件3"]


def test_spanned_and_covered_cells():
    """A cell spanning two columns repeats its value; cells covered by one spanning two rows
    take its value; a row of one cell across the table is a line of its own."""
    def row(*cells: str) -> str:
        return f"<table:table-row>{''.join(cells)}</table:table-row>"

    def cell(text: str, **spans: int) -> str:
        attributes = "".join(f' table:number-{k.replace("_", "-")}="{v}"' for k, v in spans.items())
        return f"<table:table-cell{attributes}><text:p>{text}</text:p></table:table-cell>"

    covered = "<table:covered-table-cell/>"
    body = ('<table:table><table:table-column table:number-columns-repeated="4"/>'
            '<table:table-header-rows>' + row(cell("序号"), cell("任务"), cell("牵头单位"), cell("完成时限"))
            + '</table:table-header-rows>'
            + row(cell("一、基层党建", columns_spanned=4), covered, covered, covered)
            + row(cell("1"), cell("换届"), cell("县委组织部", rows_spanned=2), cell("4月底前"))
            + row(cell("2"), cell("驻村"), covered, cell("7月底前"))
            + row(cell("3"), cell("培训", columns_spanned=2), covered, cell("年底前"))
            + "</table:table>")
    assert lines(body) == ["序号\t任务\t牵头单位\t完成时限", "一、基层党建",
                           "1\t换届\t县委组织部\t4月底前", "2\t驻村\t县委组织部\t7月底前", "3\t培训\t培训\t年底前"]


def test_refusals():
    assert reason(odt("<text:p/>")) == "这个 OpenDocument 文档里没有文字"
    # a sheet called .odt is read as the sheet it is (test_ods.py): this one has none
    assert reason(odt("", mimetype="application/vnd.oasis.opendocument.spreadsheet")) == \
        "不是有效的 OpenDocument 表格（.ods）"
    assert reason(odt("<text:p>x</text:p>", manifest="<manifest><encryption-data/></manifest>")).startswith(
        "文件已加密，无法读取")
    assert reason(odt("", content="<office:document-content><broken")) == \
        "不是有效的 OpenDocument 文档（.odt）（文件可能已损坏）"
    assert reason(odt("", content=f"<office:document-content {NS}/>")) == "不是有效的 OpenDocument 文档（.odt）"
    assert reason(b"") == "文件为空"
    assert reason("一、总体要求".encode()) == "不是有效的 OpenDocument 文档（.odt）"
    whole = (OFFICE / "plan.odt").read_bytes()
    assert reason(whole[:len(whole) // 2]).startswith("不是有效的 OpenDocument 文档（.odt）")


def test_entities_are_not_expanded():
    """A content.xml declaring entities (a billion laughs, a file read) gives no text of theirs."""
    content = (f'<!DOCTYPE x [<!ENTITY a "哈哈哈哈哈哈哈哈"><!ENTITY f SYSTEM "file:///etc/passwd">]>'
               f'<office:document-content {NS}><office:body><office:text>'
               "<text:p>一、总体要求&a;&f;</text:p></office:text></office:body></office:document-content>")
    assert read_plan_bytes("方案.odt", odt("", content=content)).splitlines() == ["一、总体要求"]
