"""Chunks of the tree (index/ingest/structure.py): which lines are owner notes of a heading."""

from __future__ import annotations

import pytest

from planbot.index.ingest.structure import is_owner_note


@pytest.mark.parametrize(
    "text, note",
    [
        ("牵头单位：县教育局", True),  # a field line
        ("（县教育局负责）", True),  # an owner bracket alone
        ("（牵头单位：县教育局；完成时限：6月底前）", True),  # a field bracket alone
        ("（含分校）", False),  # a bracket naming no owner
        ("新建学校2所。", False),  # no field and no bracket: nothing to strip
        ("新建学校2所。（县教育局负责）", False),  # a task with its owner
        ("", False),
    ],
)
def test_owner_notes(text, note):
    assert is_owner_note(text) is note
