"""The word-processor files in tests/fixtures/office (.doc, .rtf, .odt, .docm, .dotx:
LibreOffice's conversions of the .docx plans tests/fixtures/office/make.py builds), read by
formats/doc.py, rtf.py, odt.py and docx.py: each reads as its .docx does, line for line, and
gives the text plan's items. What is particular to one format (fields, code pages, broken
files) is in test_doc.py, test_rtf.py, test_odt.py and test_office_variants.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbot.index.ingest.parse import parse_plan
from planbot.index.ingest.read import read_plan_bytes
from tests.fixtures.office import make
from tests.index.conftest import SAMPLE

from .test_formats_parse import facts

OFFICE = Path(__file__).resolve().parents[2] / "fixtures" / "office"
SUFFIXES = ["doc", "rtf", "odt", "docm", "dotx"]


def read(stem: str, suffix: str) -> str:
    return read_plan_bytes(f"{stem}.{suffix}", (OFFICE / f"{stem}.{suffix}").read_bytes())


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize(("stem", "build"), [("plan", make.plan_paragraphs), ("plan-table", make.plan_table)],
                         ids=["paragraphs", "task-table"])
def test_a_plan_reads_as_its_docx_and_gives_the_text_plans_items(stem, build, suffix, plan_text):
    text = read(stem, suffix)
    assert text == read_plan_bytes("方案.docx", build())
    plan, text_plan = parse_plan(text, f"{stem}.{suffix}"), parse_plan(plan_text, SAMPLE.name)
    assert (plan.title, plan.year) == (text_plan.title, text_plan.year)
    assert facts(plan) == facts(text_plan)
    assert len(plan.items) > 16


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_table_rows_cells_merges_and_paragraphs_in_a_cell(suffix):
    """A row across the table is a line of its own; the 牵头单位 merged down over items 1
    and 2 is repeated; a cell's two paragraphs are joined by a space: as the .docx reads."""
    assert read("small-table", suffix) == read_plan_bytes("分工.docx", make.small_table())


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_tracked_deletions_and_hidden_text_are_left_out_as_in_the_docx(suffix):
    """A deletion not yet accepted and a hidden run are still in the file: the plan's text is
    what Word shows, as the .docx reader gives it."""
    text = read("revisions", suffix)
    assert text == read_plan_bytes("revisions.docx", make.revisions())
    assert text.splitlines()[1] == "1．加强组织领导，新增的文字，按时完成。"


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_list_numbers_become_labels(suffix):
    """The sample plan numbered by lists (一、（一） from one list, 1．… 16． from another): the
    labels the lists draw are the items' labels, as in the .docx."""
    text = read("numbered", suffix)
    assert text == read_plan_bytes("numbered.docx", make.numbered())
    assert facts(parse_plan(text, f"numbered.{suffix}")) == facts(parse_plan(SAMPLE.read_text("utf-8"), SAMPLE.name))
