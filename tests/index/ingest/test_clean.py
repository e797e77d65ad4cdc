"""ingest/clean.py: a plan's title and body lines, without what is on the page but not in the plan."""

from __future__ import annotations

import pytest

from planbot.index.ingest.clean import clean


@pytest.mark.parametrize(("lines", "title", "dropped"), [
    (["内部资料", "2024年党建工作要点", "一、组织建设", "1. 发展党员2名。"], "2024年党建工作要点", ["内部资料"]),
    (["机密★1年", "XX县人民政府", "XX县2024年防汛工作实施方案", "一、目标"], "XX县2024年防汛工作实施方案",
     ["机密★1年", "XX县人民政府"]),
    # the first line names a document, or nothing after it does before the items: it is the title
    (["2024年党建工作要点", "内部资料", "一、组织建设"], "2024年党建工作要点", []),
    (["县委组织部", "一、组织建设", "1. 落实工作方案"], "县委组织部", []),
    (["党建工作", "为做好今年党建工作，制定如下方案", "一、组织建设"], "党建工作", []),
])
def test_the_title_is_the_line_that_names_a_document(lines, title, dropped):
    cleaned = clean(lines, "文件名")
    assert cleaned.title == title
    assert cleaned.dropped == dropped
    assert cleaned.lines == lines[len(dropped) + 1:]


@pytest.mark.parametrize("first", ["根据县委安排，现将任务分工如下：", "为做好今年工作，制定本方案。"])
def test_a_first_line_that_leads_into_the_text_is_no_title(first):
    cleaned = clean([first, "1. 开展培训。", "2. 发展党员。"], "2024年任务分工")
    assert cleaned.title == "2024年任务分工" and cleaned.lines[0] == first
