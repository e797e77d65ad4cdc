"""HTML rendering and splitting, checked with html.parser the way Telegram would parse it."""

from hypothesis import given, settings
from hypothesis import strategies as st

from planbot.bot.telegram import callbacks, render
import datetime as dt

from planbot.index.models import Answer, Citation, Deadline, DueDay, DueSpan, Item, Owner, Plan, Role
from .tg_html import check_html, utf16


NASTY = '<script>alert("x")</script> & <b>粗</b> &amp; 1<2>0 @planbot'


def citation(**kw) -> Citation:
    base = dict(item_id=7, plan="2020年全县组织工作要点", plan_id=1, label="3.", path=["二", "3"],
                path_titles=["着力加强领导班子和干部队伍建设"], title="统筹做好干部日常调整配备",
                text="坚持“20字”好干部标准。建立干部信息数据库。", sentence="建立干部信息数据库。")
    base.update(kw)
    return Citation(**base)


def assert_valid(text: str) -> str:
    plain, problems = check_html(text)
    assert not problems, (problems, text)
    return plain


def test_path_line_reads_plan_then_path_then_label_and_title():
    plain = assert_valid(render.path_line(citation()))
    assert plain == "《2020年全县组织工作要点》 二 › 3. 统筹做好干部日常调整配备"


def test_chinese_labels_are_not_padded_and_sections_have_no_parent():
    c = citation(kind="section", label="二、", path=["二"], title="着力加强领导班子和干部队伍建设")
    assert render.item_heading(c) == "二、着力加强领导班子和干部队伍建设"
    c = citation(label="（一）", path=["三", "一"], title="工作目标")
    assert render.item_heading(c) == "三 › （一）工作目标"


def test_every_plan_and_user_string_is_escaped():
    c = citation(plan=NASTY, title=NASTY, sentence=NASTY, text=NASTY,
                 owners=[Owner(role=Role.lead, unit=NASTY)], deadlines=[Deadline(phrase=NASTY)])
    answer = Answer(question=NASTY, kind="search", found=True, text=NASTY, citations=[c, c])
    outputs = [render.render_answer(answer), render.render_item(c), render.render_inline(c, NASTY),
               render.render_items(answer),
               render.render_preview(Plan(title=NASTY, source="x.txt", items=[
                   Item(label="1.", key="1", title=NASTY, text=NASTY, position=0,
                        owners=[Owner(role=Role.lead, unit=NASTY)], deadlines=[Deadline(phrase=NASTY)])]),
                   NASTY)]
    for text in outputs:
        plain = assert_valid(text)
        assert "<script>" in plain  # shown literally, not interpreted
        assert "<script>" not in text


def test_answer_shows_text_then_each_citation_with_its_sentence():
    a = citation()
    b = citation(item_id=8, label="4.", path=["二", "4"], title="深化干部人事制度改革", sentence="推动能上能下。")
    answer = Answer(question="q", kind="search", found=True, text="最相关的是……", citations=[a, b])
    plain = assert_valid(render.render_answer(answer))
    lines = plain.splitlines()
    assert lines[0] == "最相关的是……"
    assert lines.index("① 《2020年全县组织工作要点》 二 › 3. 统筹做好干部日常调整配备") < lines.index("建立干部信息数据库。")
    assert "② 《2020年全县组织工作要点》 二 › 4. 深化干部人事制度改革" in lines
    assert "推动能上能下。" in lines


def test_deadline_answers_show_the_deadline_instead_of_the_sentence():
    c = citation(deadlines=[Deadline(phrase="6月底前"), Deadline(phrase="每月10日", recurring=True)])
    plain = assert_valid(render.render_answer(Answer(question="q", kind="deadlines", found=True,
                                                     text="有1项", citations=[c])))
    assert "时限：6月底前、每月10日（常态）" in plain


def test_a_deadlines_list_holding_both_shows_overdue_and_coming_apart():
    day = dt.date(2021, 6, 10)
    due = DueSpan(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31), today=day, overdue=2)
    cites = [citation(item_id=i, title=f"第{i}项", deadlines=[Deadline(phrase=f"{i}月底前")]) for i in range(1, 5)]
    answer = Answer(question="今年", kind="deadlines", found=True, text="2021年有5项", citations=cites,
                    total=5, offset=0, more=True, due=due)
    lines = assert_valid(render.render_answer(answer)).splitlines()
    assert lines.index("已过时限") < lines.index("时限：2月底前") < lines.index("尚未到期") < lines.index("时限：3月底前")
    # The next page starts past the overdue ones: no heading is needed, the list is all coming.
    page2 = answer.model_copy(update={"citations": cites[:2], "offset": 3, "more": False})
    lines = assert_valid(render.render_answer(page2)).splitlines()
    assert "已过时限" not in lines and "尚未到期" in lines
    # All past (or all coming): no headings, the headline says so.
    alone = answer.model_copy(update={"due": due.model_copy(update={"overdue": 5})})
    assert "已过时限" not in assert_valid(render.render_answer(alone)).splitlines()


def test_a_miss_offers_its_nearest_items_as_buttons_and_the_plans():
    near = [citation(item_id=3, title="全面完成村“两委”换届"), citation(item_id=4, title="选派驻村第一书记和工作队")]
    miss = Answer(question="q", kind="search", found=False, text="在全部 3 份计划中没有找到……可能相关：……",
                  citations=near)
    assert assert_valid(render.render_answer(miss)) == miss.text  # named in the text, not shown as answers
    kb = render.keyboard_for(miss, None, lambda item_id: f"https://t.me/planbot_test_bot?start=i_{item_id}")
    rows = [[(b.text, b.callback_data) for b in row] for row in kb.inline_keyboard]
    assert rows == [[("可能相关：全面完成村“两委”换届", "1:f:3")], [("可能相关：选派驻村第一书记和工作队", "1:f:4")],
                    [("已收录的计划", "1:p:0")]]
    bare = render.keyboard_for(miss.model_copy(update={"citations": []}), None, None)
    assert [[b.text for b in row] for row in bare.inline_keyboard] == [["已收录的计划"]]


def test_nothing_due_offers_the_months_of_the_nearest_deadlines():
    due = DueSpan(start=dt.date(2026, 7, 1), end=dt.date(2026, 7, 31), today=dt.date(2026, 6, 1),
                  last=DueDay(date=dt.date(2022, 12, 31), items=2))
    empty = Answer(question="下个月", kind="deadlines", found=False, text="…", total=0, due=due)
    kb = render.keyboard_for(empty, None, None)
    ((button,),) = kb.inline_keyboard
    assert button.text == "看2022年12月到期的"
    assert callbacks.decode(button.callback_data).span == (dt.date(2022, 12, 1), dt.date(2022, 12, 31))
    # The next and the last date in one month (a week asked): one button.
    week = due.model_copy(update={"start": dt.date(2022, 12, 12), "end": dt.date(2022, 12, 18),
                                  "next": DueDay(date=dt.date(2022, 12, 30), items=1)})
    kb = render.keyboard_for(empty.model_copy(update={"due": week}), None, None)
    assert [b.text for row in kb.inline_keyboard for b in row] == ["看2022年12月到期的"]


def test_plans_are_listed_a_page_at_a_time():
    from planbot.index.models import PlanInfo

    infos = [PlanInfo(id=i, title=f"计划{i}", source=f"{i}.txt", items=3, with_owners=1, with_deadlines=1,
                      indexed_at="") for i in range(21, 24)]
    plain = assert_valid(render.render_plans(infos, None, offset=20, total=23))
    assert plain.splitlines()[0] == "已收录 23 个计划（第 21–23 个）"
    assert "21. 《计划21》" in plain
    kb = render.plans_keyboard(20, True)
    assert [(b.text, b.callback_data) for row in kb.inline_keyboard for b in row] == [("更多", "1:p:20")]
    assert render.plans_keyboard(23, False) is None


def test_item_shows_full_text_owners_by_role_and_deadlines():
    c = citation(owners=[Owner(role=Role.lead, unit="县委组织部"), Owner(role=Role.cooperating, unit="县人社局"),
                         Owner(role=Role.cooperating, unit="县财政局")],
                 deadlines=[Deadline(phrase="年底前")])
    plain = assert_valid(render.render_item(c))
    assert c.text in plain
    assert "牵头：县委组织部" in plain and "配合：县人社局、县财政局" in plain and "时限：年底前" in plain


def test_keyboard_has_full_more_and_deep_link_within_limits():
    cites = [citation(item_id=i) for i in range(1, 24)]
    more = callbacks.encode(callbacks.Kind.more, "abcdEFGH", 3)
    kb = render.answer_keyboard(render.KeyboardSpec(cites, more, lambda i: f"https://t.me/planbot_test_bot?start=x{i}"))
    buttons = [b for row in kb.inline_keyboard for b in row]
    full = [b for b in buttons if b.callback_data and b.callback_data.startswith("1:f:")]
    assert len(full) == render.MAX_FULL_BUTTONS == 20  # a whole page of a list, five to a row
    assert [callbacks.decode(b.callback_data).number for b in full] == list(range(1, 21))
    assert [len(row) for row in kb.inline_keyboard] == [5, 5, 5, 5, 2]
    assert full[-1].text == "全文⑳"
    assert any(b.text == "更多" and b.callback_data == more for b in buttons)
    assert [b.url for b in buttons if b.url] == ["https://t.me/planbot_test_bot?start=x1"]  # the first item
    assert all(len(b.callback_data.encode()) <= 64 for b in buttons if b.callback_data)


def test_private_chat_keyboard_has_no_deep_link_and_no_citations_means_no_keyboard():
    kb = render.answer_keyboard(render.KeyboardSpec([citation()], None, None))
    assert [b.text for row in kb.inline_keyboard for b in row] == ["全文"]
    assert render.answer_keyboard(render.KeyboardSpec([], None, None)) is None


# -- splitting ------------------------------------------------------------------------------
def test_short_text_is_one_message_unchanged():
    assert render.split_html("<b>a</b>\nb") == ["<b>a</b>\nb"]
    assert render.split_html("") == []


def test_long_text_splits_on_line_boundaries_and_keeps_every_line():
    lines = [f"<b>{i}.</b> " + "深入推进社区建设&amp;" * 20 for i in range(120)]
    text = "\n".join(lines)
    parts = render.split_html(text)
    assert len(parts) > 1
    assert all(utf16(p) <= 4096 for p in parts)
    assert "\n".join(parts) == text  # nothing lost, nothing cut mid-line
    for p in parts:
        assert_valid(p)


def test_overlong_line_is_cut_after_punctuation_and_tags_are_reopened():
    sentence = "持续整顿软弱涣散村党组织。"
    text = "<blockquote>" + sentence * 800 + "</blockquote>"
    parts = render.split_html(text)
    assert len(parts) >= 3
    for p in parts:
        plain = assert_valid(p)
        assert utf16(p) <= 4096
        assert p.startswith("<blockquote>") and p.endswith("</blockquote>")
        assert plain.endswith("。")  # cut after a full stop, not mid-word
    assert "".join(check_html(p)[0] for p in parts) == sentence * 800


def test_astral_characters_count_twice():
    text = "😀" * 3000  # 6000 UTF-16 units, 3000 code points
    parts = render.split_html(text)
    assert len(parts) == 2 and all(utf16(p) <= 4096 for p in parts)
    assert "".join(parts) == text


def test_entities_are_never_cut():
    text = "&amp;" * 3000
    parts = render.split_html(text)
    assert all(p.count("&") == p.count("&amp;") for p in parts)
    assert "".join(parts) == text


fragments = st.sampled_from(["<b>", "</b>", "<i>", "</i>", "\n", "。", "&amp;", "字", "a", "😀", " "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["b", "i", "blockquote"]),
                          st.text(alphabet="汉字a。 ,😀&<>\n", max_size=900)), max_size=12),
       st.integers(min_value=600, max_value=4096))
def test_any_rendered_text_splits_into_valid_messages(pieces, limit):
    # Tags balanced as the renderer writes them, around escaped text with newlines inside.
    text = "".join(f"<{tag}>{render.esc(body)}</{tag}>\n{render.esc(body)}" for tag, body in pieces)
    parts = render.split_html(text, limit)
    for p in parts:
        assert utf16(p) <= limit
        assert_valid(p)
    joined = "".join(check_html(p)[0] for p in parts)
    # Only line breaks at cut points may disappear.
    assert joined.replace("\n", "") == check_html(text)[0].replace("\n", "")


def test_a_lists_later_page_is_numbered_on_from_the_first_as_its_items_are_picked():
    cites = [citation(item_id=i, title=f"第{i}项") for i in range(21, 23)]
    page2 = Answer(question="q", kind="unit", found=True, text="县财政局（续，第 21 项起）：", citations=cites,
                   total=22, offset=20)
    plain = assert_valid(render.render_answer(page2))
    assert "㉑" in plain and "㉒" in plain and "①" not in plain
    kb = render.keyboard_for(page2, None, None)
    assert [b.text for b in kb.inline_keyboard[0]] == ["全文㉑", "全文㉒"]
    assert page2.listed() == {21: 21, 22: 22}  # what 第二十一个 / ㉑ picks
    assert [render.mark(i) for i in (0, 19, 20, 49, 50)] == ["①", "⑳", "㉑", "㊿", "(51)"]
