"""The second channel's character grams, and abbreviations found in the plans' vocabulary."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.search.abbrev import Abbreviations, abbreviates
from planbot.index.search.bags import bag_of_words, gram_items
from planbot.index.search.grams import grams

from .strategies import texts


def test_grams_are_pairs_of_chinese_characters_and_whole_latin_runs():
    assert grams("综合保税区") == ["#综合", "#合保", "#保税", "#税区"]
    assert grams("推广PPP模式，5G网络") == ["#推广", "#ppp", "#模式", "#5g", "#网络"]
    assert grams("党（工）委") == ["#党", "#工", "#委"]
    assert grams("，。！") == []


def test_a_plans_gram_bags_count_each_items_grams():
    """gram_items prefixes each distinct gram once: the same bags as counting `grams` of the
    text, the title and the headings of every item."""
    from pathlib import Path

    from planbot.index.ingest.parse import parse_plan
    from planbot.index.search.bags import item_texts

    root = Path(__file__).resolve().parents[3]
    for path in sorted((root / "plan_texts").glob("*.txt")):
        texts = item_texts(parse_plan(path.read_text(encoding="utf-8"), path.name).items)
        got = gram_items(texts)
        want = bag_of_words([grams(text) + grams(title) + grams(heads) for text, title, heads in texts])
        assert got.vocab == want.vocab and len(got.vocab) > 100
        for name in ("ids", "counts", "n_terms", "doc_len"):
            assert np.array_equal(getattr(got, name), getattr(want, name)), name


@pytest.mark.parametrize("short, full", [
    ("综保区", "综合保税区"), ("发改委", "国家发展改革委"), ("人社局", "县人力资源和社会保障局"),
    ("人社部", "人力资源社会保障部"), ("住建部", "住房城乡建设部"), ("卫健委", "国家卫生健康委"),
    ("职教", "职业教育"), ("博后", "博士后"), ("国企", "国有企业"),
])
def test_abbreviations_of_real_names(short, full):
    assert abbreviates(short, full)


@pytest.mark.parametrize("short, full", [
    ("教育", "体育局"), ("保区", "综合保税区"), ("综保区", "综合保税"), ("发改委", "发展改革委员会办公厅文件处"),
    ("财政", "财政"),
])
def test_what_is_not_an_abbreviation(short, full):
    assert not abbreviates(short, full)


def test_expansions_come_from_the_vocabulary_shortest_first():
    vocab = Abbreviations(["综合保税区", "综合保税区内", "保税区", "国家发展改革委", "发展改革委", "职业教育", "教育"])
    assert vocab.expand("综保区") == ["综合保税区", "综合保税区内"]
    assert vocab.expand("发改委") == ["发展改革委", "国家发展改革委"]
    assert vocab.expand("职教") == ["职业教育"]
    assert vocab.expand("森林") == [] and vocab.expand("x") == []


def test_a_unit_without_its_level_is_found_with_it():
    assert Abbreviations(["县人社局", "县教育局"]).expand("人社局") == ["县人社局"]


def test_an_abbreviation_of_two_terms_the_plans_write_one_after_the_other():
    vocab = Abbreviations(["综合", "保税区", "保税", "支持", "村委会", "规矩", "老干部"])
    written = {("综合", "保税区"), ("支持", "村委会"), ("老干部", "规矩")}
    joined = lambda a, b: (a, b) in written  # noqa: E731
    assert vocab.expand("综保区") == [] and vocab.expand_pair("综保区", joined) == ("综合", "保税区")
    assert vocab.expand_pair("综保区", lambda a, b: False) is None  # never written together
    assert vocab.expand_pair("支委会", joined) is None  # 村委会 does not start with a character of it
    assert vocab.expand_pair("老规矩", joined) is None  # 老 + 规矩: a word and a modifier


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(texts, texts, st.sampled_from(["", "一、总体要求", "（二）ＰＰＰ项目 一、总体要求"])),
                max_size=6))
def test_gram_items_counts_as_bags_of_grams_do(items: list[tuple[str, str, str]]):
    """gram_items counts codes, not strings: the same bag as bag_of_words over `grams` of each
    part, on any text (full-width and compatibility characters, mixed case, astral ones)."""
    got = gram_items(items)
    want = bag_of_words([grams(text) + grams(title) + grams(heads) for text, title, heads in items])
    assert got.vocab == want.vocab
    for name in ("ids", "counts", "n_terms", "doc_len"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name
