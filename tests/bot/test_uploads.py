"""Adding plans from the phone (documents + confirm) and removing them, with permissions."""

import io

import pytest

from planbot.bot.telegram import callbacks, plans

from .conftest import ADMIN, ALICE, BOB, GROUP, sent_texts
from .tg_html import check_html

pytestmark = pytest.mark.anyio

PLAN = """2023年全县数字乡村建设工作要点
一、夯实数字基础设施
1. 推进千兆光网进村。2023年6月底前实现行政村千兆光网全覆盖。（牵头单位：县工信局；配合单位：县电信公司）
2. 建设益农信息社。年底前建成益农信息社120个。（牵头单位：县农业农村局；完成时限：2023年12月底前）
二、发展智慧农业
3. 建设数字农业示范基地。{long}（责任单位：县农业农村局）
"""
LONG = "推进物联网监测设备在蔬菜大棚中的应用，提升种植管理水平。" * 200  # one item of ~5,000 characters


def plan_bytes() -> bytes:
    return PLAN.format(long=LONG).encode()


def only(calls):
    texts = sent_texts(calls)
    assert len(texts) == 1, [(c.method, c.plain[:60]) for c in calls]
    assert not texts[0].error
    return texts[0]


def confirm_data(call, kind="1:a:"):
    return next(b["callback_data"] for b in call.buttons if b["callback_data"].startswith(kind))


async def test_private_upload_previews_then_adds_on_confirm(own_driver, fresh_engine):
    # ADMIN: with PLANBOT_ADMINS set, private uploads are theirs only (test_faults.py has the rule).
    before = {p.title for p in fresh_engine.plans()}
    calls = await own_driver.document("数字乡村.txt", plan_bytes(), user=ADMIN)
    assert [c.method for c in calls][:3] == ["sendChatAction", "getFile", "sendMessage"]
    preview = only(calls)
    assert check_html(preview.text)[1] == []
    for fact in ["《2023年全县数字乡村建设工作要点》", "条目：3 条", "县工信局", "2023年6月底前"]:
        assert fact in preview.plain
    assert {p.title for p in fresh_engine.plans()} == before  # nothing stored yet
    calls = await own_driver.press(preview, confirm_data(preview), user=ADMIN)
    (done,) = [c for c in calls if c.method == "editMessageText"]
    assert "已加入《2023年全县数字乡村建设工作要点》：" in done.plain and not done.buttons
    assert "2023年全县数字乡村建设工作要点" in {p.title for p in fresh_engine.plans()}
    # Pressing the same confirm again is stale, not a second add.
    again = await own_driver.press(preview, confirm_data(preview), user=ADMIN)
    assert "失效" in next(c for c in again if c.method == "answerCallbackQuery").params["text"]


async def test_long_item_is_split_into_valid_messages(own_driver, fresh_engine):
    preview = only(await own_driver.document("数字乡村.txt", plan_bytes(), user=ADMIN))
    await own_driver.press(preview, confirm_data(preview), user=ADMIN)
    reply = only(await own_driver.send("物联网"))
    (long_item,) = fresh_engine.show("3", plan="数字乡村.txt").citations
    assert len(long_item.text) > 4096
    calls = await own_driver.press(reply, callbacks.encode(callbacks.Kind.full, long_item.item_id))
    parts = sent_texts(calls)
    assert len(parts) >= 2
    for p in parts:
        assert not p.error and check_html(p.text)[1] == []
    text = "".join(p.plain for p in parts)
    assert LONG.replace("。", "") in text.replace("。", "").replace("\n", "")


async def test_docx_upload_in_private(own_driver):
    import docx

    document = docx.Document()
    document.add_paragraph("2024年机关党建工作要点")
    document.add_paragraph("1. 加强理论武装。每月组织一次集中学习。（牵头单位：机关党委）")
    document.add_paragraph("2. 规范组织生活。年底前完成支部达标创建。（责任单位：各党支部）")
    buffer = io.BytesIO()
    document.save(buffer)
    preview = only(await own_driver.document("机关党建.docx", buffer.getvalue(), user=ADMIN))
    assert "《2024年机关党建工作要点》" in preview.plain and "条目：2 条" in preview.plain


async def test_group_member_is_refused_and_nothing_changes(own_driver, fresh_engine, api):
    before = fresh_engine.plans()
    calls = await own_driver.document("数字乡村.txt", plan_bytes(), chat=GROUP, user=BOB)
    assert only(calls).plain == plans.REFUSED_UPLOAD
    assert [c.method for c in calls if c.method == "getChatMember"] == ["getChatMember"]
    assert not [c for c in calls if c.method == "getFile"]
    assert fresh_engine.plans() == before


@pytest.mark.parametrize("status", ["administrator", "creator"])
async def test_group_admin_may_upload(own_driver, api, status):
    api.members[(GROUP["id"], BOB["id"])] = status
    preview = only(await own_driver.document("数字乡村.txt", plan_bytes(), chat=GROUP, user=BOB))
    assert "预览" in preview.plain
    assert preview.params["reply_parameters"]["message_id"]  # quotes the document in a group


async def test_planbot_admin_may_upload_anywhere_and_only_the_uploader_confirms(own_driver, api, fresh_engine):
    preview = only(await own_driver.document("数字乡村.txt", plan_bytes(), chat=GROUP, user=ADMIN))
    assert not [c for c in api.calls if c.method == "getChatMember"]  # no need to ask Telegram
    calls = await own_driver.press(preview, confirm_data(preview), user=BOB)
    assert "只有发起的人" in next(c for c in calls if c.method == "answerCallbackQuery").params["text"]
    assert "2023年全县数字乡村建设工作要点" not in {p.title for p in fresh_engine.plans()}
    calls = await own_driver.press(preview, confirm_data(preview, "1:x:"), user=ADMIN)
    (edit,) = [c for c in calls if c.method == "editMessageText"]
    assert "已取消" in edit.plain
    assert "2023年全县数字乡村建设工作要点" not in {p.title for p in fresh_engine.plans()}


@pytest.mark.parametrize("name, data, size, expected", [
    ("大文件.txt", b"x", 3 * 1024 * 1024, "不能超过 2 MB"),
    ("照片.jpg", b"\xff\xd8", None, "只能添加 .txt、.md、.docx、.docm、.dotx、.dotm、.doc、.wps、.rtf、.odt、.pdf、.ofd、.xlsx、.xlsm、.xltx、.xltm、.xls、.et、.ods、.csv、.html、.htm、.mht 或 .mhtml"),
    ("空.txt", b"", None, "空.txt: 文件为空"),
    ("乱码.txt", bytes(range(256)) * 8, None, "不是文本文件"),
    ("坏.docx", b"not a zip", None, "不是有效的 Word 文档"),
    ("空白.html", b"<html><body><script>x()</script></body></html>", None, "这个网页里没有文字"),
    ("乱码.csv", bytes(range(256)) * 8, None, "不是文本文件"),
])
async def test_bad_files_get_a_clear_message_and_the_index_stays(own_driver, fresh_engine, name, data,
                                                                 size, expected):
    before = fresh_engine.plans()
    reply = only(await own_driver.document(name, data, size=size, user=ADMIN))
    assert expected in reply.plain
    assert fresh_engine.plans() == before


async def test_files_shared_in_a_group_without_addressing_the_bot_are_ignored(own_driver, api, fresh_engine):
    """With privacy mode off the bot sees every file; one not sent to it gets no answer, whoever
    sends it and whatever it is, and nothing is asked of Telegram or stored."""
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    before = fresh_engine.plans()
    for name, data, user in [("合影.jpg", b"\xff\xd8", BOB), ("数字乡村.txt", plan_bytes(), ALICE),
                             ("数字乡村.txt", plan_bytes(), BOB), ("数字乡村.txt", plan_bytes(), ADMIN)]:
        assert await own_driver.document(name, data, chat=GROUP, user=user, addressed=False) == [], (name, user)
        calls = await own_driver.document(name, data, chat=GROUP, user=user, caption="大家看看这个文件")
        assert calls == [], (name, user)
    assert fresh_engine.plans() == before


async def test_a_file_sent_to_the_bot_by_a_member_gets_one_line_saying_who_can(own_driver, fresh_engine):
    reply = only(await own_driver.document("数字乡村.txt", plan_bytes(), chat=GROUP, user=ALICE))
    assert reply.plain == plans.REFUSED_UPLOAD and "群管理员" in reply.plain and "机器人管理员" in reply.plain
    assert reply.params["reply_parameters"]["message_id"]  # it answers that file
    # A file in a format it cannot add, sent to it: what it can add.
    reply = only(await own_driver.document("合影.jpg", b"\xff\xd8", chat=GROUP, user=ALICE))
    assert "只能添加" in reply.plain


async def test_remove_asks_first_and_only_for_admins(own_driver, fresh_engine, api):
    """A group's managers remove their group's own plans; a plan every chat shares only a bot admin."""
    reply = only(await own_driver.send("/remove 乡村振兴", chat=GROUP, user=BOB))
    assert reply.plain == plans.REFUSED_REMOVE
    api.members[(GROUP["id"], ALICE["id"])] = "administrator"
    assert only(await own_driver.send("/remove 乡村振兴", chat=GROUP, user=ALICE)).plain == plans.REFUSED_SHARED
    preview = only(await own_driver.document("小组计划.txt", SMALL_PLAN.encode(), chat=GROUP, user=ALICE))
    only([c for c in await own_driver.press(preview, confirm_data(preview, "1:a:"), user=ALICE)
          if c.method == "editMessageText"])
    ask = only(await own_driver.send("/remove 小组计划", chat=GROUP, user=ALICE))
    assert "确定删除《小组计划》" in ask.plain
    calls = await own_driver.press(ask, confirm_data(ask, "1:r:"), user=ALICE)
    (done,) = [c for c in calls if c.method == "editMessageText"]
    assert "已删除《小组计划》" in done.plain
    assert "小组计划" not in {p.title for p in fresh_engine.plans()}
    ask = only(await own_driver.send("/remove 乡村振兴", user=ADMIN))
    calls = await own_driver.press(ask, confirm_data(ask, "1:r:"), user=ADMIN)
    assert "2021年全县乡村振兴重点任务分工方案" not in {p.title for p in fresh_engine.plans()}
    assert "没有找到" in only(await own_driver.send("/remove 乡村振兴", user=ADMIN)).plain


SMALL_PLAN = """小组计划
一、学习
1．每周学习一次党章。
牵头单位：组织办
2．每月开展一次红色观影。
牵头单位：宣传办
"""