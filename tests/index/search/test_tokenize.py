"""jieba's dictionary loaded a character at a time (index/tokenize.py) cuts exactly like the
whole dictionary, user words included."""

from __future__ import annotations

import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings

from planbot.index.search.tokenize import Tokenizer, _kept, _parts_path, normalize

from .strategies import texts

ROOT = Path(__file__).resolve().parents[3]
WORDS = ["三会一课", "县乡村振兴局", "一岗双责", "第一议题", "县委组织部"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("jieba")
    Tokenizer(cache_dir=folder)("写下按字切分的词典")  # the first use writes the split cache
    assert _parts_path(folder).exists()
    return folder


def _copy(cache: Path, folder: Path) -> Path:
    """A cache folder holding the module's split dictionary and jieba's own cache but no
    remembered words: what a later run finds, without building them again (seconds each)."""
    for path in cache.iterdir():
        if not path.name.startswith("jieba-words."):
            shutil.copy2(path, folder / path.name)
    return folder


def _lines() -> list[str]:
    return [line for path in sorted((ROOT / "plan_texts").glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_character_by_character_cuts_like_the_whole_dictionary(cache: Path):
    lazy = Tokenizer(WORDS, cache_dir=cache)
    whole = Tokenizer(WORDS, cache_dir=cache, whole_dictionary=True)
    questions = ["谁负责干部培训？", "三会一课什么时候开", "一岗双责归谁管", "ＡＢＣ全角字母和123"]
    for text in questions + _lines():
        assert lazy(text) == whole(text), text
    assert lazy._jieba.total == whole._jieba.total


def test_words_added_with_remembered_frequencies_cut_like_the_whole_dictionary(cache: Path, tmp_path: Path):
    """A tokenizer made with the same words as the last one adds them with the frequencies
    jieba suggested then, loading none of their characters; it must cut as if it had."""
    words = [*WORDS, "组织部", "培训班"]  # words jieba has too: it suggests one more than its count
    tmp_path = _copy(cache, tmp_path)
    Tokenizer(words, cache_dir=tmp_path)  # suggests the words' frequencies and remembers them
    again, whole = Tokenizer(words, cache_dir=tmp_path), Tokenizer(words, cache_dir=tmp_path, whole_dictionary=True)
    assert not again._chars and again._early  # nothing loaded for the words
    assert again._jieba.total == whole._jieba.total
    for text in ["谁负责干部培训？", "三会一课什么时候开", "县委组织部负责一岗双责", "组织部的培训班", *_lines()]:
        assert again(text) == whole(text), text
    assert again.rarity("组织部") == whole.rarity("组织部")
    other = Tokenizer(words[::-1], cache_dir=tmp_path)  # another list: suggested afresh
    assert other._chars and not other._early


def test_words_added_after_cutting_count_the_same(cache: Path):
    lazy, whole = Tokenizer(cache_dir=cache), Tokenizer(cache_dir=cache, whole_dictionary=True)
    lines = _lines()
    for n, word in enumerate(WORDS):
        lazy.add_words([word]), whole.add_words([word])
        for text in lines[n::5]:
            assert lazy(text) == whole(text), text


def test_a_question_loads_only_its_own_characters(cache: Path):
    lazy = Tokenizer(cache_dir=cache)
    lazy("谁负责干部培训")
    assert lazy._chars == set("谁负责干部培训")
    assert 0 < len(lazy._jieba.FREQ) < 100_000


def test_a_damaged_cache_falls_back_to_the_whole_dictionary(cache: Path, tmp_path: Path):
    tmp_path = _copy(cache, tmp_path)
    assert _parts_path(tmp_path).exists()
    _parts_path(tmp_path).write_bytes(b"not a cache")
    assert Tokenizer(cache_dir=tmp_path)("干部培训") == Tokenizer(cache_dir=tmp_path, whole_dictionary=True)("干部培训")


def test_rarity_tells_common_words_from_rare_ones(cache: Path):
    t = Tokenizer(cache_dir=cache)
    common, rare = t.rarity("钱"), t.rarity("骑手")
    assert common is not None and rare is not None and common < rare
    assert t.rarity("综保") is None  # a word the dictionary lacks
    assert t.rarity("老师") == Tokenizer(cache_dir=cache, whole_dictionary=True).rarity("老师")


def test_rarity_loads_the_words_of_the_first_character_only(cache: Path):
    """A word's frequency is among the entries of its first character: looking it up loads no
    other character's (each ~0.1 ms, on a question's first words), and it is the same value."""
    lazy, whole = Tokenizer(cache_dir=cache), Tokenizer(cache_dir=cache, whole_dictionary=True)
    words = ["骑手", "猪瘟", "组织部", "老师", "文凭"]
    assert [lazy.rarity(w) for w in words] == [whole.rarity(w) for w in words]
    assert lazy._chars == {w[0] for w in words}


def test_the_compiled_tokenizer_cuts_like_jieba_on_every_plan(cache: Path):
    """Indexing cuts with rjieba when installed (pool.py), and so do questions once it is
    loaded (Engine._cutter), else jieba: the same tokens for every item, title and heading of
    the sample and corpus plans, each plan's words added in turn as indexing adds them, and
    the same reading and search tokens of every question of the development sets."""
    pytest.importorskip("rjieba")
    from planbot.index.ingest.parse import parse_plan
    from planbot.index.ingest.prepare import prepare
    from planbot.index.ingest.read import read_file, read_plan_bytes

    jieba, fast = Tokenizer(cache_dir=cache), Tokenizer(cache_dir=cache, whole_dictionary=True, compiled=True)
    assert fast._jieba.__class__.__name__ == "_Compiled"
    paths = sorted((ROOT / "plan_texts").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "corpus").glob("0*"))
    assert len(paths) >= 10
    texts = 0
    for path in paths:
        plan = prepare(parse_plan(read_plan_bytes(str(path), read_file(path)), path.name))
        jieba.add_words(plan.terms)
        fast.add_words(plan.terms)
        for text, title, heads in plan.texts:
            assert fast.with_prefix(text, title) == jieba.with_prefix(text, title), text
            assert fast(heads) == jieba(heads), heads
            texts += 1
    assert texts > 300
    sets = ("questions.tsv", "corpus_questions.tsv", "seed_paraphrases.tsv")  # never the holdout
    questions = [line.split("\t")[0] for name in sets for line in (ROOT / "tests" / "index" / name)
                 .read_text(encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")]
    for q in questions:
        assert fast(q) == jieba(q), q
        assert fast.cut(q) == jieba.cut(q), q


def test_a_chief_system_a_plan_names_is_one_word_in_plan_and_question(cache: Path):
    from types import SimpleNamespace

    from planbot.index.search.tokenize import plan_words

    text = "对河长制湖长制工作推进力度大、河湖管理保护成效明显的省"
    assert "河长制" not in Tokenizer(cache_dir=cache)(text)  # jieba alone: 对河 / 长制 / 湖长制
    words = plan_words([SimpleNamespace(text=text, owners=[])])
    assert {"河长制", "湖长制"} <= set(words)
    t = Tokenizer(words, cache_dir=cache)
    assert "河长制" in t(text) and "河长制" in t.cut("河长制干得好的省有啥甜头")


def test_search_tokens_are_jiebas_search_mode_whether_cut_before_or_not(cache: Path):
    """A question's topic is cut (`cut`) and then tokenized for search (`__call__`), which makes
    jieba's search-mode tokens from the reading `cut` kept: they must be cut_for_search's,
    with or without that cut just before, and a word added in between must count."""
    t = Tokenizer(WORDS, cache_dir=cache)

    def jiebas(text: str) -> list[str]:
        return [k for k in map(_kept, t._jieba.cut_for_search(normalize(text))) if k]

    for text in ["谁负责干部培训？", "三会一课什么时候开", "ＡＢＣ全角字母和123", *_lines()[::3]]:
        fresh = t(text)
        assert fresh == jiebas(text), text
        t.cut(text)
        assert t(text) == fresh, text
    t.cut("推进河长制湖长制工作")
    before = t("推进河长制湖长制工作")
    t.add_words(["湖长制工作"])
    assert t("推进河长制湖长制工作") == jiebas("推进河长制湖长制工作") != before


@settings(max_examples=2000, deadline=None)
@given(texts)
def test_normalize_is_nfkc_then_lower_case(text: str):
    """The fast path (full-width punctuation swapped, then an is_normalized check) gives the
    plain definition's text."""
    normalize.cache_clear()
    assert normalize(text) == unicodedata.normalize("NFKC", text).lower()
