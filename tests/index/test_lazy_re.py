"""index/lazy_re.py: a pattern compiled on its first use behaves as `re.compile`'s."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planbot.index.lazy_re import lazy

PATTERN = r"(?P<unit>[\u4e00-\u9fff]{2,8}?(?:局|办))(?:负责|牵头)"


def test_nothing_is_compiled_until_first_used():
    broken = lazy("(")  # compiling it would raise
    assert broken.pattern == "(" and broken.flags == 0
    with pytest.raises(re.error):
        broken.search("x")


@given(st.text(alphabet="县财政局组织办负责牵头的任务ab ", max_size=30))
def test_it_answers_as_the_compiled_pattern(text):
    compiled, deferred = re.compile(PATTERN), lazy(PATTERN)
    assert [m.span() for m in deferred.finditer(text)] == [m.span() for m in compiled.finditer(text)]
    assert bool(deferred.match(text)) == bool(compiled.match(text))
    assert deferred.sub("#", text) == compiled.sub("#", text)
    assert deferred.split(text) == compiled.split(text)
