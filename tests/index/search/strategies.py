"""Texts for property tests of normalizing and gram counting: plan-like Chinese mixed with the
characters NFKC and lower-casing change (full-width forms, ligatures, compatibility ideographs,
roman numerals, combining marks, Greek sigma, emoji, astral characters)."""

from __future__ import annotations

from hypothesis import strategies as st

_TRICKY = ("，（）：；！？。、“”《》 \n\t-—…·ＡＺａｚ０９Ⅱⅰﬁﬀ①⑽㈠㍿ＫKİΣσςẞé\u0301\u0308\u200b"
           "\uf900\ufa0e\ufa10\uf92c\u3400\u9fff\u4e00\u2f00\u3000😀🀄𠀀abcXYZ0123")
_PLAN = "推进综合保税区建设县委组织部牵头完成时限年月日党工委乡村振兴"

texts = st.text(st.one_of(st.sampled_from(_TRICKY), st.sampled_from(_PLAN), st.characters()), max_size=40)
