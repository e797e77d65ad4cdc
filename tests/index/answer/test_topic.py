"""A question's content words and how much of them an item holds (index/answer/topic.py): the
measure "found" or "not covered" rests on."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.index.answer import topic
from planbot.index.answer.topic import Group, coverage, search_terms, unknown_weight

TODAY = dt.date(2021, 6, 15)


@pytest.fixture(scope="module")
def snap(engine):
    return engine._snapshot()


def _groups(snap, text):
    return search_terms(snap.corpus, snap.tokenize, snap.cut, text, snap.rarity)[0]


def test_a_compound_and_its_parts_are_one_word_of_the_topic(snap):
    groups = _groups(snap, "高标准农田建设谁负责")
    words = [g.word for g in groups]
    assert len(words) == len(set(words))
    by_word = {g.word: g for g in groups}
    whole = next(g for g in groups if g.parts)  # a compound cut into parts in search mode
    assert not set(whole.parts) & set(by_word)  # its parts are not words of their own
    assert "谁" not in by_word and "负责" not in by_word  # words that only ask


def test_fillers_are_not_words_of_the_topic(snap):
    assert [g.word for g in _groups(snap, "干部培训到底咋弄")] == [g.word for g in _groups(snap, "干部培训")]


@pytest.mark.parametrize("asked, plain", [
    ("老年人打疫苗那块今年", "老年人打疫苗今年"),  # jieba cuts 那块 into 那 / 块
    ("综保区能干啥", "综保区"),  # 能干 (able) is one dictionary word: 能 + 干, both fillers
    ("村里要干些啥", "村里"),  # 干些: 干 glued to 些 by the segmenter
])
def test_a_filler_the_segmenter_cuts_apart_or_glues_together_is_not_a_word(snap, asked, plain):
    assert [g.word for g in _groups(snap, asked)] == [g.word for g in _groups(snap, plain)]
    assert not set(search_terms(snap.corpus, snap.tokenize, snap.cut, asked, snap.rarity)[1].words) & {"块", "能干", "干些"}


def test_a_word_of_fillers_that_a_plan_uses_is_still_a_word(snap):
    # 全会 is 全 + 会, both fillers, but plans write it (十九届五中全会): the plans' use decides.
    used = next(w for w in ("全会", "不少", "都会") if snap.corpus.bm25.idf_of(w))
    assert used in [g.word for g in _groups(snap, f"{used}的精神怎么落实")]


def test_a_word_no_plan_uses_weighs_by_its_rarity_in_general_chinese():
    rarest = 6.0
    common, rare = unknown_weight("钱", 8.1, rarest), unknown_weight("骑手", 14.0, rarest)
    assert common < rare <= rarest
    assert unknown_weight("年休假", None, rarest) == rarest  # a coined term
    assert unknown_weight("哪来", None, rarest) == topic.UNKNOWN_SHARE * rarest  # two characters glued


def test_an_item_holding_every_word_covers_the_topic_and_one_holding_none_does_not(snap):
    c = snap.corpus
    groups = _groups(snap, "干部 培训")
    items = np.flatnonzero(c.mask(("item",)))
    share = np.array(coverage(c, groups, items))
    assert share.max() == pytest.approx(1.0) and share.min() == 0.0


def test_a_compound_held_only_through_its_parts_counts_in_part(snap):
    c = snap.corpus
    rows = np.flatnonzero(c.mask(("item",)))
    assert not c.bm25.idf_of("干部培训班子")
    joined = Group("干部培训班子", ("干部培训班子",), (), ("干部", "培训"))  # no plan uses the whole
    holds_both = c.bm25.contains("干部", rows) & c.bm25.contains("培训", rows)
    share = np.array(coverage(c, [joined], rows))
    assert holds_both.any()
    assert share[holds_both].max() == pytest.approx(topic.PART_CREDIT)
    foreign = Group("干部培训班子", ("干部培训班子",), (), ("干部", "培训"), rarity=12.0)  # a word of its own
    assert np.array(coverage(c, [foreign], rows))[holds_both].max() == pytest.approx(topic.PART_CREDIT / 2)


def test_a_part_no_plan_uses_still_weighs_in_the_whole(snap):
    # 无偿献血 is not held by an item that says 无偿 where no plan says 献血: the part no plan
    # uses weighs by its general rarity, as such a word does, not nothing.
    c = snap.corpus
    rows = np.flatnonzero(c.mask(("item",)))
    assert not c.bm25.idf_of("献血") and not c.bm25.idf_of("干部献血")
    group = Group("干部献血", ("干部献血",), (), ("干部", "献血"), part_rarity=(None, 12.0))
    holds = c.bm25.contains("干部", rows)
    share = np.array(coverage(c, [group], rows))
    used, unused = c.bm25.idf_of("干部"), unknown_weight("献血", 12.0, c.bm25.max_idf)
    assert holds.any() and unused > 0
    assert share[holds].max() == pytest.approx(topic.PART_CREDIT * used / (used + unused))
    assert share[holds].max() < topic.PART_CREDIT  # what the part the plans use was worth alone

    # 班费 inside 加班费 overlaps 加班, which the plans use: a cut across it, not a part of its own
    across = Group("干部费", ("干部费",), (), ("干部", "部费"), part_rarity=(None, 12.0))
    assert not c.bm25.idf_of("部费")
    assert np.array(coverage(c, [across], rows))[holds].max() == pytest.approx(topic.PART_CREDIT)


@pytest.mark.parametrize("asked", ["干部培训还搞不搞", "干部培训办不办", "干部培训有没有"])
def test_a_yes_or_no_form_is_not_a_word_of_the_topic(snap, asked):
    assert [g.word for g in _groups(snap, asked)] == [g.word for g in _groups(snap, "干部培训")]


def test_within_its_plan_a_word_most_items_hold_says_little(snap):
    from planbot.index.answer.topic import local_coverage

    c = snap.corpus
    plan = next(iter(c.plan_rows))
    rows = np.arange(*c.plan_rows[plan])
    words = [t for t in c.bm25.vocab if not t.startswith(("#", "@"))]
    held = {t: c.bm25.contains(t, rows) for t in words}
    common = max(words, key=lambda t: held[t].sum())  # the plan's subject, or a word of its structure
    rare = next(t for t in words if 0 < held[t].sum() <= 3 and not (held[t] & held[common]).all())
    only_common, only_rare = held[common] & ~held[rare], held[rare] & ~held[common]
    assert held[common].sum() > len(rows) / 2 and only_common.any() and only_rare.any()
    local = np.array(local_coverage(c, [Group(common, (common,), ()), Group(rare, (rare,), ())], rows))
    assert local[only_rare].min() > 0.5 > local[only_common].max()


def test_within_its_plan_a_word_only_other_plans_use_is_missed_by_all_its_items(snap):
    """A plan that never uses a word of the question does not hold all of it locally: its items
    miss that word, as the rarest of the plan's words."""
    from planbot.index.answer.topic import local_coverage

    c = snap.corpus
    first, second = list(c.plan_rows)[:2]
    rows = np.concatenate([np.arange(*c.plan_rows[first]), np.arange(*c.plan_rows[second])])
    words = [t for t in c.bm25.vocab if not t.startswith(("#", "@"))]
    mine = np.arange(*c.plan_rows[first])
    only_other = next(t for t in words if c.bm25.contains(t, mine).sum() == 0 and c.bm25.contains(t, rows).any())
    shared = next(t for t in words if c.bm25.contains(t, mine).any() and not c.bm25.contains(t, mine).all())
    local = np.array(local_coverage(c, [Group(shared, (shared,), ()), Group(only_other, (only_other,), ())], mine))
    assert local.max() < 1.0  # not every word of the question, even where it holds `shared`
    unused = np.array(local_coverage(c, [Group(shared, (shared,), ()), Group("骑手猪瘟", ("骑手猪瘟",), ())], mine))
    assert unused.max() == 1.0  # a word no plan uses tells no plan from another


@pytest.mark.parametrize("asked, twice, once", [("红色教育点要往示范点上争一争", "争一争", "争"),
                                                ("组织部的人要换换岗位", "换换", "换")])
def test_a_verb_said_twice_means_it_once(snap, asked, twice, once):
    words = [g.word for g in _groups(snap, asked)]
    assert once in words and not any(twice in w or w in twice and w != once for w in words)


def test_a_filler_glued_to_a_character_by_the_segmenter_is_not_a_word(snap):
    # jieba's HMM makes 弄个 and 电子库 … out of characters its dictionary does not pair.
    glued = [w for w in snap.cut("领导们的底子资料要不要弄个电子库") if snap.rarity(w) is None
             and not snap.corpus.bm25.idf_of(w)]
    assert "弄个" in glued  # the segmenter still glues them …
    words = [g.word for g in _groups(snap, "领导们的底子资料要不要弄个电子库")]
    assert "弄个" not in words and "弄" not in words  # … the topic has the content character, not the filler
    assert [topic._pieces(w, snap.corpus, snap.rarity) for w in ("弄个", "要开", "干部")] == [["弄"], ["开"], ["干部"]]


def test_an_everyday_word_is_searched_as_the_word_plans_write(snap, engine):
    # The sample plans write 配偶 and 省级; people type 老婆 and 省里.
    (wife,) = [g for g in _groups(snap, "老婆开公司") if g.word == "老婆"]
    assert "配偶" in wife.terms
    answer = engine.ask("领导老婆开公司有没有规定", today=TODAY)
    assert answer.found and "配偶" in answer.citations[0].text
    answer = engine.ask("省里的休闲农业示范点创几个", today=TODAY)
    assert answer.found and "省级休闲农业" in answer.citations[0].text


def test_a_plan_term_cut_across_two_words_is_put_back_whole(snap, engine):
    # jieba reads 党建有 as 党 / 建有 (a dictionary word); the plans write 党建.
    assert snap.cut("党建有哪些工作")[:2] == ["党", "建有"]
    assert [g.word for g in _groups(snap, "党建有哪些工作")] == ["党建"]
    assert engine.ask("党建有哪些工作", today=TODAY).found
    assert topic._mend(["党", "建有", "哪些"], snap.corpus) == (["党建", "哪些"], {"党", "建有"})
    assert topic._mend(["干部", "培训"], snap.corpus) == (["干部", "培训"], set())  # both plan words: as cut


def test_a_word_no_plan_uses_is_held_through_a_thesaurus_word_of_its_meaning(snap):
    c = snap.corpus
    assert not c.bm25.idf_of("岔子") and c.bm25.idf_of("问题")
    (group,) = _groups(snap, "岔子")
    assert "问题" in group.kin
    rows = np.flatnonzero(c.mask(("item",)))
    holds = c.bm25.contains("问题", rows)
    share = np.array(coverage(c, [group], rows))
    assert holds.any() and share[holds].max() == pytest.approx(topic.KIN_CREDIT)
    assert share[~holds].max() < topic.KIN_CREDIT


def test_a_word_the_plans_use_is_not_widened_by_the_thesaurus(snap):
    assert snap.corpus.bm25.idf_of("问题")
    assert all(not g.kin for g in _groups(snap, "问题"))


def test_a_common_word_no_plan_uses_is_not_looked_up_in_the_thesaurus(snap):
    from planbot.index.search import thesaurus

    c = snap.corpus
    assert not c.bm25.idf_of("安排") and snap.rarity("安排") < topic.KIN_RARITY
    assert thesaurus.kin("安排", c.bm25.idf_of)  # its groups hold plan words, of other senses (配备)
    assert all(not g.kin for g in _groups(snap, "干部的体检安排"))


def test_a_group_is_held_by_a_row_holding_any_of_its_terms(snap):
    c = snap.corpus
    rows = np.flatnonzero(c.mask(("item",)))[:300]
    holds = topic.Holds(c, rows)
    assert holds("干部") == c.bm25.contains("干部", rows).tolist()
    either = holds.any(("干部", "培训"))
    assert either == (c.bm25.contains("干部", rows) | c.bm25.contains("培训", rows)).tolist()
    assert any(either) and not all(either)
    # and how many items of each candidate's plan hold a term: one search with the holding
    assert holds.plans == sorted(set(c.plan_ids[rows].tolist()))
    spans = np.array([c.plan_rows[p] for p in holds.plans], dtype=np.int64)
    for term in ("干部", "培训", "没有这个词"):
        assert holds.counts(term) == c.bm25.count_spans(term, spans.T).tolist()
        assert holds(term) == c.bm25.contains(term, rows).tolist()


def _numpy_coverage(c, groups, rows):
    """Coverage as the same arithmetic on float64 arrays (how it was first written): the
    Python-float version must give the very same numbers, bit for bit."""
    index = c.bm25

    def contains(t):
        return index.contains(t, rows).astype(float)

    total, held = 0.0, np.zeros(len(rows))
    for g in groups:
        has = np.zeros(len(rows))
        for t in g.terms:
            has = np.maximum(has, contains(t))
        part_idf = [(p, w) for p in g.parts if (w := index.idf_of(p))]
        weight = max((index.idf_of(t) for t in g.terms), default=0.0)
        for t in g.kin:
            has = np.maximum(has, topic.KIN_CREDIT * contains(t))
        if part_idf and not has.all():
            parts = sum(w * contains(p) for p, w in part_idf) / (sum(w for _, w in part_idf)
                                                                 + sum(topic._unused_parts(index, g)))
            foreign = not weight and g.rarity is not None
            credit = 1.0 if g.spelled else topic.PART_CREDIT / 2 if foreign else topic.PART_CREDIT
            has = np.maximum(has, credit * parts)
            if not foreign:
                weight = weight or max(w for _, w in part_idf)
        if not weight:
            weight = unknown_weight(g.word, g.rarity, index.max_idf or 1.0)
            if g.grams and not has.all():
                has = np.maximum(has, sum(c.grams.contains(x, rows).astype(float) for x in g.grams) / len(g.grams))
        if len(g.word) == 1:
            weight *= topic.SINGLE_CHAR_SHARE
        total += weight
        held += weight * has
    share = held / total if total else np.zeros(len(rows))
    plans = sorted(set(c.plan_ids[rows].tolist()))
    spans = np.array([c.plan_rows[p] for p in plans], dtype=np.int64).reshape(-1, 2)
    mine = np.searchsorted(plans, c.plan_ids[rows])
    held, total = np.zeros(len(rows)), np.zeros(len(plans))
    for g in groups:
        df = np.zeros(len(plans), dtype=np.int64)
        has = np.zeros(len(rows), dtype=bool)
        for t in g.terms:
            np.maximum(df, index.count_spans(t, spans.T), out=df)
            has |= index.contains(t, rows)
        used = any(index.idf_of(t) for t in g.terms)  # some plan uses it: a plan lacking it weighs it in full
        weight = np.where((df > 0) | used, np.log((spans[:, 1] - spans[:, 0] + 1) / (df + 0.5)), 0.0)
        total += weight
        held += weight[mine] * has
    of_row = total[mine]
    return share, np.where(of_row > 0, held / np.where(of_row > 0, of_row, 1.0), 1.0)


@pytest.mark.parametrize("asked", ["干部培训谁负责", "高标准农田建设", "岔子", "干部培训班子", "领导老婆开公司", "猪瘟防控"])
def test_coverage_is_the_float64_arithmetic_to_the_last_bit(snap, asked):
    c = snap.corpus
    groups = _groups(snap, asked)
    groups += [Group("干部培训班子", ("干部培训班子",), ("#干部",), ("干部", "培训"), rarity=12.0),  # parts, foreign
               Group("干部献血", ("干部献血",), (), ("干部", "献血"), part_rarity=(None, 12.0))]  # a part no plan uses
    for rows in (np.flatnonzero(c.mask(("item",))), np.flatnonzero(c.mask(("item",)))[::7][:10]):
        holds = topic.Holds(c, rows)
        share, local = np.array(coverage(c, groups, rows, holds)), np.array(topic.local_coverage(c, groups, rows, holds))
        want_share, want_local = _numpy_coverage(c, groups, rows)
        assert share.tobytes() == want_share.tobytes() and local.tobytes() == want_local.tobytes()
        assert 0 < share.max() <= 1 and 0 < local.max() <= 1


def test_with_no_rows_or_no_words_coverage_is_empty_or_whole(snap):
    c = snap.corpus
    rows = np.flatnonzero(c.mask(("item",)))[:5]
    assert topic.local_coverage(c, [], rows) == [1.0] * 5
    assert coverage(c, [], rows) == [0.0] * 5
    assert len(topic.local_coverage(c, _groups(snap, "干部"), rows[:0])) == 0


@pytest.mark.parametrize(("asked", "quoted"), [
    ("防汛抗旱那一块今年有啥任务", "防汛抗旱"),  # a filler and a whole asking phrase after it
    ("禁毒宣传到底搞不搞", "禁毒宣传"),  # a filler and an A-not-A form
    ("外卖骑手的社保谁管", "外卖骑手的社保"),  # the 的 between its words stays: it is how they were said
    ("到底咋弄非洲猪瘟防控", "非洲猪瘟防控"),  # fillers before it too
])
def test_the_topic_is_quoted_back_from_its_first_content_word_to_its_last(snap, asked, quoted):
    assert topic.as_asked(asked, _groups(snap, asked)) == quoted


def test_a_topic_with_no_content_word_is_quoted_whole(snap):
    assert topic.as_asked(" 咋弄呀 ", _groups(snap, "咋弄呀")) == "咋弄呀"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="防汛抗旱那一块今年有啥任务的干部培训谁负责咋弄 ，？🙂a1", max_size=30))
def test_the_quoted_topic_is_part_of_the_question_and_holds_every_content_word(snap, asked):
    groups = _groups(snap, asked)
    quoted = topic.as_asked(asked, groups)
    assert quoted in asked
    assert all(g.word in quoted for g in groups if g.word in asked)
