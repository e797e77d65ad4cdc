"""Field lines and bracket groups (index/ingest/fields.py): the shortcuts that skip work where a
text holds no field or no bracket find the same statements as reading it line by line."""

from __future__ import annotations

import pytest

from planbot.index.ingest.fields import field_pairs, paren_groups, statements


def test_paren_groups_without_an_opening_bracket_are_none():
    assert paren_groups("甲）乙)丙") == []
    assert paren_groups("") == []


def test_paren_groups_are_a_copy_each_time():
    text = "甲（乙）丙"
    paren_groups(text).append((9, 9))
    assert paren_groups(text) == [(1, 4)]


@pytest.mark.parametrize("brk", ["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "\u2029"])
def test_a_field_line_after_any_line_break_is_found(brk):
    # the whole text is searched for a field name first: every break str.splitlines breaks at
    # must let a label start after it, or the line would be missed
    text = f"新建学校2所。{brk}牵头单位：县教育局"
    assert field_pairs(text) == [("牵头单位", "县教育局")]


def test_a_text_without_fields_has_its_brackets_only():
    text = "新建学校2所（含分校）。\n改造校舍3处。"
    assert statements(text) == [(6, 11, "含分校")]


@pytest.mark.parametrize(
    "line, pairs",
    [
        # a run of fields after a sentence, outside brackets
        ("新建学校2所。牵头单位：县教育局；完成时限：6月底前。", [("牵头单位", "县教育局"), ("完成时限", "6月底前")]),
        # a run that ends where a sentence ends that no further field follows
        ("新建学校2所，牵头单位：县教育局。改造校舍3处。", [("牵头单位", "县教育局")]),
    ],
)
def test_inline_runs(line, pairs):
    assert field_pairs(line) == pairs


def test_a_field_name_inside_a_bracket_is_no_run_of_the_line():
    line = "新建学校2所（分校，责任单位：县教育局）。"
    assert statements(line) == [(6, 20, "分校，责任单位：县教育局")]
