"""Builders for plan files in every format, generated in memory from the sample plan."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

SAMPLE = Path(__file__).parents[2] / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="session")
def plan_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan_lines(plan_text) -> list[str]:
    """The sample plan's lines as every reader should give them: no blank lines."""
    return [line.strip() for line in plan_text.splitlines() if line.strip()]


# -- .docx ------------------------------------------------------------------------------
def numbering_xml(abstracts: dict[int, list[dict]], nums: dict[int, dict]) -> str:
    """A numbering part. abstracts: id -> levels (dicts of fmt/text/start/restart/legal);
    nums: numId -> {"abstract": id, "starts": {ilvl: value}}."""
    parts = [f'<w:numbering xmlns:w="{W_NS}">']
    for abstract_id, levels in abstracts.items():
        parts.append(f'<w:abstractNum w:abstractNumId="{abstract_id}">')
        for ilvl, level in enumerate(levels):
            restart = (f'<w:lvlRestart w:val="{level["restart"]}"/>'
                       if "restart" in level else "")
            restart += "<w:isLgl/>" if level.get("legal") else ""
            parts.append(
                f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{level.get("start", 1)}"/>'
                f'<w:numFmt w:val="{level["fmt"]}"/>{restart}'
                f'<w:lvlText w:val="{level["text"]}"/></w:lvl>')
        parts.append("</w:abstractNum>")
    for num_id, num in nums.items():
        overrides = "".join(
            f'<w:lvlOverride w:ilvl="{ilvl}"><w:startOverride w:val="{value}"/></w:lvlOverride>'
            for ilvl, value in num.get("starts", {}).items())
        parts.append(f'<w:num w:numId="{num_id}"><w:abstractNumId w:val="{num["abstract"]}"/>'
                     f"{overrides}</w:num>")
    parts.append("</w:numbering>")
    return "".join(parts)


def set_numbering(document, xml: str) -> None:
    """Replace the document's numbering definitions (python-docx cannot write them)."""
    from docx.oxml import parse_xml

    document.part.numbering_part._element = parse_xml(xml)


def number_paragraph(paragraph, num_id: int, ilvl: int | None = 0) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    if ilvl is not None:
        num_pr.get_or_add_ilvl().val = ilvl
    num_pr.get_or_add_numId().val = num_id


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def word():
    """Helpers for hand-built .docx files."""
    return SimpleNamespace(ns=W_NS, numbering_xml=numbering_xml, set_numbering=set_numbering,
                           number_paragraph=number_paragraph, save=docx_bytes)


PLAN_LEVELS = [
    {"fmt": "chineseCounting", "text": "%1、"},
    {"fmt": "chineseCounting", "text": "（%2）"},
    # Items are numbered 1..16 through the whole plan: never restarted by a section.
    {"fmt": "decimal", "text": "%3．", "restart": 0},
]
_LABELS = [(re.compile(r"^[一二三四五六七八九十]+、"), 0),
           (re.compile(r"^（[一二三四五六七八九十]+）"), 1),
           (re.compile(r"^\d+．"), 2)]


@pytest.fixture
def make_docx():
    """The plan as .docx: typed labels (numbered=False) or Word list numbering."""
    import docx

    def build(lines: list[str], numbered: bool = False) -> bytes:
        document = docx.Document()
        if numbered:
            set_numbering(document, numbering_xml({7: PLAN_LEVELS}, {1: {"abstract": 7}}))
        for line in lines:
            level = next((lvl for pattern, lvl in _LABELS if pattern.match(line)), None)
            if numbered and level is not None:
                paragraph = document.add_paragraph(_strip_label(line))
                number_paragraph(paragraph, 1, level)
            else:
                document.add_paragraph(line)
            document.add_paragraph("")  # an empty paragraph between, as people type them
        return docx_bytes(document)

    return build


def _strip_label(line: str) -> str:
    for pattern, _ in _LABELS:
        line = pattern.sub("", line)
    return line


# -- .pdf -------------------------------------------------------------------------------
PAGE_W, PAGE_H = 595.27, 841.89
MARGIN_X = 72
FONT = "STSong-Light"


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return pdfmetrics


def wrap(text: str, size: float = 12, width: float = PAGE_W - 2 * MARGIN_X,
         indent: float = 0) -> list[str]:
    """Break a paragraph into lines that fill the width, as a word processor does;
    the first line is `indent` points narrower."""
    metrics = _font()
    lines, current = [], ""
    for ch in text:
        room = width - (indent if not lines else 0)
        if current and metrics.stringWidth(current + ch, FONT, size) > room:
            lines.append(current)
            current = ""
        current += ch
    return lines + [current] if current else lines


@pytest.fixture
def make_pdf():
    """Paragraphs typeset on A4 pages with "— n —" footers; returns the PDF bytes.

    lines_per_page forces page breaks (inside paragraphs too); header adds a running
    header; reverse draws each page's lines bottom-up, so the content stream is not in
    reading order; centered_title centres the first paragraph; indent (in characters)
    indents the first line of every other paragraph, as 公文 do.
    """
    from reportlab.pdfgen import canvas

    def build(paragraphs: list[str], *, lines_per_page: int = 34, header: str | None = None,
              footer: str = "— {n} —", reverse: bool = False, size: float = 12,
              centered_title: bool = True, indent: int = 0) -> bytes:
        _font()
        laid = []  # (text, centred, x offset)
        for index, paragraph in enumerate(paragraphs):
            centered = centered_title and index == 0
            first = 0 if centered else indent * size
            for number, line in enumerate(wrap(paragraph, size, indent=first)):
                laid.append((line, centered, first if number == 0 else 0))
        pages = [laid[i:i + lines_per_page] for i in range(0, len(laid), lines_per_page)]
        buffer = io.BytesIO()
        pdf = canvas.Canvas(buffer, pagesize=(PAGE_W, PAGE_H))
        for number, page in enumerate(pages, 1):
            pdf.setFont(FONT, 10.5)
            if header:
                pdf.drawCentredString(PAGE_W / 2, PAGE_H - 50, header)
            if footer:
                pdf.drawCentredString(PAGE_W / 2, 40, footer.format(n=number, total=len(pages)))
            pdf.setFont(FONT, size)
            placed = [(PAGE_H - 110 - i * size * 1.6, line, centered, offset)
                      for i, (line, centered, offset) in enumerate(page)]
            for y, line, centered, offset in (reversed(placed) if reverse else placed):
                if centered:
                    pdf.drawCentredString(PAGE_W / 2, y, line)
                else:
                    pdf.drawString(MARGIN_X + offset, y, line)
            pdf.showPage()
        pdf.save()
        return buffer.getvalue()

    return build


@pytest.fixture
def make_table_pdf():
    """A ruled table (platypus) with optional spans, between two paragraphs."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    def build(rows: list[list[str]], spans=(), before: str = "", after: str = "",
              col_widths=None) -> bytes:
        _font()
        body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=18)
        cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=12, wordWrap="CJK")
        table = Table([[Paragraph(text, cell) for text in row] for row in rows],
                      colWidths=col_widths)
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
        style += [("SPAN", start, end) for start, end in spans]
        table.setStyle(TableStyle(style))
        story = ([Paragraph(before, body)] if before else []) + [table]
        story += [Paragraph(after, body)] if after else []
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, pagesize=(PAGE_W, PAGE_H)).build(story)
        return buffer.getvalue()

    return build


# -- .xlsx ------------------------------------------------------------------------------
TABLE_HEADER = ["序号", "重点任务", "牵头单位", "责任单位", "完成时限"]
_FIELDS = {"牵头单位": 2, "责任单位": 3, "完成时限": 4}


def sample_tasks(lines: list[str]) -> tuple[str, str, list[tuple[str, str, list]]]:
    """The sample plan as (title, preamble, [(section, subsection, row)]): each numbered
    item a row [number, task, 牵头单位, 责任单位, 完成时限] under its 一、 and （一） headings
    (subsection "" where the plan has none)."""
    title, preamble, *body = lines
    section = subsection = ""
    rows: list[tuple[str, str, list]] = []
    for line in body:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            section, subsection = line, ""
        elif line.startswith("（"):
            subsection = line
        elif m := re.match(r"^(\d+)．(.+)$", line):
            rows.append((section, subsection, [int(m.group(1)), m.group(2), None, None, None]))
        else:
            name, _, value = line.partition("：")
            rows[-1][2][_FIELDS[name]] = value
    return title, preamble, rows


def sample_table_with_banners(lines: list[str]) -> tuple[list[list], list[str]]:
    """The sample plan as one task table: the title and the preamble above the header in
    cells merged across it, each 一、 and （一） heading a row merged across the table."""
    title, preamble, tasks = sample_tasks(lines)
    rows: list[list] = [[title], [preamble], TABLE_HEADER]
    merges = ["A1:E1", "A2:E2"]
    shown = ("", "")
    for section, subsection, row in tasks:
        for heading, before in ((section, shown[0]), (subsection, shown[1] if section == shown[0] else "")):
            if heading and heading != before:
                rows.append([heading])
                merges.append(f"A{len(rows)}:E{len(rows)}")
        shown = (section, subsection)
        rows.append(row)
    return rows, merges


def sample_table_with_columns(lines: list[str]) -> tuple[list[list], list[str]]:
    """The sample plan as a table with 类别 and 子类 columns, each cell merged over the
    rows of its section (子类 empty where the plan has no （一） level)."""
    title, preamble, tasks = sample_tasks(lines)
    rows: list[list] = [[title], [preamble], ["类别", "子类", *TABLE_HEADER]]
    merges = ["A1:G1", "A2:G2"]
    for column, key in (("A", lambda t: t[0]), ("B", lambda t: (t[0], t[1]))):
        start = 0
        for end in range(1, len(tasks) + 1):
            if end == len(tasks) or key(tasks[end]) != key(tasks[start]):
                if end - start > 1:
                    merges.append(f"{column}{start + 4}:{column}{end + 3}")
                start = end
    for section, subsection, row in tasks:
        rows.append([section, subsection or None, *row])
    return rows, merges


def xlsx_bytes(sheets: dict[str, list[list]] | list[list], *, merges: dict[str, list[str]] | list[str] = (),
               edit=None, edit_xml=None, shared_strings: bool = True) -> bytes:
    """A workbook: sheets by name (a list of rows alone: one sheet), each row a list of
    cell values (None: empty); merges by sheet (a list alone: the first sheet); edit(workbook)
    for anything else (hidden rows, formats) before saving; edit_xml(xml) to change the
    first sheet's XML after. Texts go to a shared strings table, as Excel and WPS save
    them (openpyxl writes them into the cells: shared_strings=False keeps that)."""
    import openpyxl

    if not isinstance(sheets, dict):
        sheets = {"任务分解表": sheets}
    if not isinstance(merges, dict):
        merges = {next(iter(sheets)): list(merges)}
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for cells in merges.get(name, []):
            sheet.merge_cells(cells)
    if edit:
        edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if shared_strings:
        data = _share_strings(data)
    return _edit_first_sheet(data, edit_xml) if edit_xml else data


_INLINE = re.compile(r'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.S)
SST_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def _rezip(data: bytes, change) -> bytes:
    """The zip with change(name, content) -> content (or None: unchanged) applied to each
    part; change(None, None) may return {name: content} parts to add."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(info.filename, content) or content)
        for name, content in (change(None, None) or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def _share_strings(data: bytes) -> bytes:
    """Move every inline string into xl/sharedStrings.xml, as Excel saves them."""
    strings: list[str] = []

    def share(m: re.Match) -> str:
        strings.append(m.group(3))
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{len(strings) - 1}</v></c>'

    def change(name, content):
        if name is None:
            items = "".join(f"<si>{s}</si>" for s in strings)
            return {"xl/sharedStrings.xml": f'<sst xmlns="{SST_NS}" count="{len(strings)}" '
                                            f'uniqueCount="{len(strings)}">{items}</sst>'}
        if name.startswith("xl/worksheets/sheet"):
            return _INLINE.sub(share, content.decode()).encode()
        if name == "[Content_Types].xml":
            return content.replace(b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" '
                                                f'ContentType="{SST_TYPE}"/></Types>'.encode())
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(b"</Relationships>", f'<Relationship Id="rIdShared" Type="{SST_REL}" '
                                                        f'Target="sharedStrings.xml"/></Relationships>'.encode())
        return None

    return _rezip(data, change)


def _edit_first_sheet(data: bytes, edit_xml) -> bytes:
    return _rezip(data, lambda name, content: edit_xml(content.decode()).encode()
                  if name == "xl/worksheets/sheet1.xml" else None)


class XlsxBuilder:
    """make_xlsx(sheets, merges=..., edit=...) builds a workbook (see xlsx_bytes);
    make_xlsx.table(lines, layout) gives the sample plan's rows and merges, laid out with
    "banners" (heading rows) or "columns" (类别/子类 columns); make_xlsx.sample(lines,
    layout) the workbook of them."""

    LAYOUTS = {"banners": sample_table_with_banners, "columns": sample_table_with_columns}

    def __call__(self, *args, **kwargs) -> bytes:
        return xlsx_bytes(*args, **kwargs)

    def table(self, lines: list[str], layout: str = "banners") -> tuple[list[list], list[str]]:
        return self.LAYOUTS[layout](lines)

    def sample(self, lines: list[str], layout: str = "banners") -> bytes:
        rows, merges = self.table(lines, layout)
        return xlsx_bytes(rows, merges=merges)


@pytest.fixture
def make_xlsx() -> XlsxBuilder:
    return XlsxBuilder()


@pytest.fixture
def engine_of(tmp_path):
    """An engine over one plan written as text (name → file in tmp_path), closed after the test."""
    from planbot.index.engine import Engine

    opened = []

    def make(text: str, name: str = "计划.txt"):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        engine = Engine.open(tmp_path / f"{path.stem}.db")
        engine.index_paths([path])
        opened.append(engine)
        return engine

    yield make
    for engine in opened:
        engine.close()
