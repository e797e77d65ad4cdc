"""Each format yields the same items, owners and deadlines as the text version.

The .docx and .pdf files are built in the test from the sample plans (python-docx and
reportlab), read back by index/read.py and parsed by the same parser as the .txt.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes

PLANS = sorted((Path(__file__).resolve().parents[3] / "plan_texts").glob("*.txt"))


def facts(plan):
    """What a user gets from a plan: every item's place, title, owners and deadlines."""
    return [("/".join(i.path), i.kind, i.title, [(o.role, o.unit) for o in i.owners],
             [(d.phrase, d.date, d.recurring) for d in i.deadlines]) for i in plan.items]


def lines_of(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_docx_gives_the_same_items_as_text(path, make_docx):
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    data = make_docx(lines_of(path))
    docx_plan = parse_plan(read_plan_bytes(path.stem + ".docx", data), path.stem + ".docx")
    assert docx_plan.title == text_plan.title
    assert facts(docx_plan) == facts(text_plan)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_docx_with_word_list_numbering_gives_the_same_items(path, make_docx):
    """Labels that Word generates (not typed in the text) still become item labels."""
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    data = make_docx(lines_of(path), numbered=True)
    docx_plan = parse_plan(read_plan_bytes(path.stem + ".docx", data), path.stem + ".docx")
    assert facts(docx_plan) == facts(text_plan)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_pdf_gives_the_same_items_as_text(path, make_pdf):
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    data = make_pdf(lines_of(path))
    pdf_plan = parse_plan(read_plan_bytes(path.stem + ".pdf", data), path.stem + ".pdf")
    assert facts(pdf_plan) == facts(text_plan)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_a_one_page_pdf_with_a_page_header_keeps_the_plans_title(path, make_pdf):
    """A header on the page (内部资料) is read as the first line: a one-page plan has no second
    page to show that it repeats, so the plan's own title is the line that names a document
    (…工作要点), and three such PDFs are three plans, not one plan's three versions."""
    text_plan = parse_plan(path.read_text(encoding="utf-8"), path.name)
    data = make_pdf(lines_of(path), header="内部资料", lines_per_page=200)
    pdf_plan = parse_plan(read_plan_bytes(path.stem + ".pdf", data), path.stem + ".pdf")
    assert pdf_plan.title == text_plan.title
    assert facts(pdf_plan) == facts(text_plan)


def test_docx_task_table_gives_items_with_owners_and_deadlines(word):
    from tests.index.ingest.test_read import _table_document

    data = word.save(_table_document())
    plan = parse_plan(read_plan_bytes("分工.docx", data), "分工.docx")
    items = [i for i in plan.items if i.kind == "item"]
    assert ["/".join(i.path) for i in items] == ["一/1", "一/2", "一/3"]
    assert [o.unit for o in items[1].owners if o.role.value == "lead"] == ["县乡村振兴局"]
    assert items[1].deadlines[0].phrase == "2021年12月底前"
    assert items[0].deadlines[0].recurring
