"""A conversation in a group: follow-ups on an answer, and acknowledgements that want no answer."""

import pytest

from .conftest import ALICE, BOB, GROUP, sent_texts

pytestmark = pytest.mark.anyio

BOT = "planbot_test_bot"


def only_reply(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.plain[:80]) for c in calls]
    assert not texts[0].error, texts[0].error
    return texts[0]


async def _answer(driver, question: str):
    (call,) = sent_texts(await driver.send(f"/ask@{BOT} {question}", chat=GROUP, user=ALICE))
    return driver.api.messages[call.result["message_id"]]


@pytest.mark.parametrize("follow_up, expected", [
    ("什么时候完成", "完成时限：2021年4月底前"), ("谁负责", "牵头：县委组织部"), ("时限呢", "2021年4月底前"),
    ("下一条", "13．选派驻村第一书记和工作队"),
])
async def test_a_reply_without_a_topic_is_about_the_item_answered(driver, shared_engine, follow_up, expected):
    answered = await _answer(driver, "村两委换届选举的事谁牵头")
    assert "换届" in answered["text"]
    reply = only_reply(await driver.send(follow_up, chat=GROUP, user=BOB, reply_to=answered))
    assert expected in reply.plain


async def test_a_reply_with_its_own_topic_is_a_new_question(driver):
    answered = await _answer(driver, "村两委换届选举的事谁牵头")
    reply = only_reply(await driver.send("干部培训谁负责", chat=GROUP, user=BOB, reply_to=answered))
    assert "加强干部教育培训" in reply.plain


@pytest.mark.parametrize("text", ["收到", "好的", "谢谢！", "👍", "ok", "辛苦了"])
async def test_an_acknowledgement_gets_a_reaction_not_a_message(driver, text):
    answered = await _answer(driver, "村两委换届选举的事谁牵头")
    calls = await driver.send(text, chat=GROUP, user=BOB, reply_to=answered)
    assert sent_texts(calls) == []
    assert [c.method for c in calls if c.method == "setMessageReaction"] == ["setMessageReaction"]
    calls = await driver.send(text)  # in a private chat too
    assert sent_texts(calls) == []


async def test_in_a_private_chat_a_follow_up_is_about_the_last_answer(driver):
    first = only_reply(await driver.send("村两委换届选举的事谁牵头", user=BOB))
    assert "换届" in first.plain
    assert "2021年4月底前" in only_reply(await driver.send("什么时候完成", user=BOB)).plain
    assert "13．选派驻村第一书记和工作队" in only_reply(await driver.send("下一条", user=BOB)).plain


async def test_a_follow_up_with_nothing_before_it_says_how_to_ask(driver):
    reply = only_reply(await driver.send("谁负责", user=ALICE))
    assert "先问一个具体的问题" in reply.plain
    group = only_reply(await driver.send(f"/ask@{BOT} 下一条", chat=GROUP, user=BOB))  # in a group: not a reply
    assert "先问一个具体的问题" in group.plain


async def test_a_reply_picks_an_item_of_a_list_by_its_number(driver, shared_engine):
    listed = await _answer(driver, "县农业农村局负责哪些任务")  # ① 4．高标准农田 ② 5．龙头企业 ③ 8．村庄清洁 ④ 6．乡村旅游
    assert "②" in listed["text"]
    second = only_reply(await driver.send("第二个谁负责", chat=GROUP, user=BOB, reply_to=listed))
    assert "5．培育县级以上农业产业化龙头企业" in second.plain and "牵头：县农业农村局" in second.plain
    # a reply to that answer picks from the same list
    third = only_reply(await driver.send("第三个什么时候完成", chat=GROUP, user=ALICE,
                                         reply_to=driver.api.messages[second.result["message_id"]]))
    assert "8．开展村庄清洁行动" in third.plain and "2021年11月30日前" in third.plain
    circled = only_reply(await driver.send("④", chat=GROUP, user=BOB, reply_to=listed))
    assert "6．打造乡村旅游精品线路3条" in circled.plain


async def test_in_a_private_chat_a_number_picks_from_the_last_list(driver):
    assert "县农业农村局：" in only_reply(await driver.send("县农业农村局负责哪些任务", user=BOB)).plain
    assert "5．培育县级以上农业产业化龙头企业" in only_reply(await driver.send("第二个", user=BOB)).plain
    # after a single answer, 第二条 is the plan's item 2 again
    answered = only_reply(await driver.send("村两委换届选举的事谁牵头", user=BOB))
    assert "换届" in answered.plain
    assert "2．落实过渡期内" in only_reply(await driver.send("第二条呢", user=BOB)).plain


async def test_two_units_lists_are_one_list_a_reply_picks_from(driver):
    # 组织办's 7 items ①–⑦, then 宣传办's: ⑧ 12、意识形态, ⑨ 13、网络舆情
    listed = await _answer(driver, "组织办和宣传办分别负责哪些任务")
    assert listed["text"].startswith("问到2个单位") and "⑨" in listed["text"]
    eighth = only_reply(await driver.send("第八个什么时候完成", chat=GROUP, user=BOB, reply_to=listed))
    assert "12、落实意识形态工作责任制" in eighth.plain and "每季度末" in eighth.plain


async def test_a_how_many_answer_says_the_count_or_that_the_item_states_none(driver):
    stated = await _answer(driver, "今年农村改厕要改多少户")
    assert "3000户" in stated["text"] and "未写明具体数字" not in stated["text"]
    unstated = await _answer(driver, "离退休支部书记培训班今年培训多少人")
    assert "认真做好老干部工作" in unstated["text"] and "该条未写明具体数字" in unstated["text"]
    reply = only_reply(await driver.send("谁负责", chat=GROUP, user=BOB, reply_to=unstated))  # still about that item
    assert "认真做好老干部工作" in reply.plain


async def test_a_units_list_on_a_topic_is_a_list_a_reply_picks_from(driver):
    # 组织办's items on 党员: ① 3、民主生活会 ② 5、发展党员 (of its 7)
    listed = await _answer(driver, "组织办有哪些党员方面的事")
    assert listed["text"].startswith("组织办的任务中，与「党员」有关的有 2 项") and "②" in listed["text"]
    assert "星级党支部" not in listed["text"]
    second = only_reply(await driver.send("第二个什么时候完成", chat=GROUP, user=BOB, reply_to=listed))
    assert "5、发展党员15名" in second.plain and "2022年10月" in second.plain


async def test_a_unit_with_no_task_on_the_topic_says_so_and_offers_its_tasks(driver):
    (call,) = sent_texts(await driver.send(f"/ask@{BOT} 组织部负责的培训有哪些", chat=GROUP, user=ALICE))
    assert call.plain.startswith("县委组织部的任务中没有与「培训」有关的。全部任务：牵头 3 项。")
    labels = [b["text"] for b in call.buttons]
    assert any("全面完成村“两委”换届" in label for label in labels), labels  # its tasks one tap away
