"""Builders for plan files in every format, generated in memory from the sample plan."""

from __future__ import annotations

import io
import re
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
