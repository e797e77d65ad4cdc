"""Each group its own plans: two groups, a stranger's group, a group admin and a bot admin."""

import pytest

from planbot.bot.telegram import plans

from .conftest import ADMIN, ALICE, BOB, GROUP, ROOT, sent_texts

pytestmark = pytest.mark.anyio

OTHER = {"id": -1000777, "type": "group", "title": "另一个工作群"}
STRANGER = {"id": -1000999, "type": "supergroup", "title": "陌生人的群"}
GROUP_PLAN = """红色书屋建设方案
一、阵地建设
1．建设红色书屋5个，每个藏书不少于两千册。
牵头单位：县委宣传部
2．开展“书香机关”读书分享活动12场。
责任单位：县文化和旅游局
"""


def only(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.plain[:60]) for c in calls]
    return texts[0]


def data_of(call, prefix):
    return next(b["callback_data"] for b in call.buttons if b["callback_data"].startswith(prefix))


async def _upload(d, name, text, chat, user):
    preview = only(await d.document(name, text.encode("utf-8"), chat=chat, user=user))
    calls = await d.press(preview, data_of(preview, "1:a:"), user=user)
    return preview, [c for c in calls if c.method == "editMessageText"][0]


async def test_a_groups_plan_answers_in_that_group_only(own_driver, api, fresh_engine):
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    preview, done = await _upload(own_driver, "书屋.txt", GROUP_PLAN, GROUP, BOB)
    assert "只在本聊天可问" in preview.plain and "已加入" in done.plain
    mine = only(await own_driver.send("/ask@planbot_test_bot 红色书屋谁牵头", chat=GROUP, user=ALICE))
    assert "县委宣传部" in mine.plain
    theirs = only(await own_driver.send("/ask@planbot_test_bot 红色书屋谁牵头", chat=OTHER, user=ALICE))
    assert "红色书屋" not in theirs.plain.split("\n")[1:] and "县委宣传部" not in theirs.plain
    assert "书屋" in only(await own_driver.send("/plans", chat=GROUP, user=ALICE)).plain
    assert "书屋" not in only(await own_driver.send("/plans", chat=OTHER, user=ALICE)).plain
    # Not in inline mode for someone else either, nor by another group's /remove.
    (inline,) = [c for c in await own_driver.inline("红色书屋谁牵头", user=ALICE) if c.method == "answerInlineQuery"]
    assert all("县委宣传部" not in str(r) for r in inline.params["results"])
    api.members[(OTHER["id"], ALICE["id"])] = "administrator"
    assert "没有找到" in only(await own_driver.send("/remove 书屋", chat=OTHER, user=ALICE)).plain


async def test_a_strangers_group_cannot_touch_the_shared_plans(own_driver, api, fresh_engine):
    api.members[(STRANGER["id"], BOB["id"])] = "creator"
    before = fresh_engine.ask("乡村旅游精品线路哪个部门牵头").text
    assert only(await own_driver.send("/remove 乡村振兴", chat=STRANGER, user=BOB)).plain == plans.REFUSED_SHARED
    # An altered copy under the same file name becomes the stranger group's own plan.
    source = ROOT / "plan_texts" / "2021年全县乡村振兴重点任务分工方案.txt"
    altered = source.read_text(encoding="utf-8").replace("牵头单位：县文化和旅游局", "牵头单位：县陌生局")
    await _upload(own_driver, source.name, altered, STRANGER, BOB)
    assert fresh_engine.ask("乡村旅游精品线路哪个部门牵头", chat=GROUP["id"]).text == before
    in_group = only(await own_driver.send("/ask@planbot_test_bot 乡村旅游精品线路哪个部门牵头", chat=GROUP, user=ALICE))
    assert "县文化和旅游局" in in_group.plain and "县陌生局" not in in_group.plain
    shared = [p for p in fresh_engine.plans() if p.source == source.name and p.scope is None]
    assert len(shared) == 1


async def test_a_bot_admins_upload_is_every_chats(own_driver, fresh_engine):
    preview, done = await _upload(own_driver, "书屋.txt", GROUP_PLAN, None, ADMIN)
    assert "所有聊天共用" in preview.plain
    reply = only(await own_driver.send("/ask@planbot_test_bot 红色书屋谁牵头", chat=OTHER, user=ALICE))
    assert "县委宣传部" in reply.plain
