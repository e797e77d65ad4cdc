"""Plan versions in a chat: a new version is previewed with what it changes, identical content
is said to be stored already, /history, /changes and /restore, old buttons after an update."""

import pytest

from planbot.bot.telegram import callbacks, plans

from .conftest import ADMIN, BOB, GROUP, sent_texts
from .test_uploads import PLAN, confirm_data, only

pytestmark = pytest.mark.anyio

V1 = PLAN.format(long="")  # the upload tests' plan, its long item short
V2 = V1.replace("（牵头单位：县工信局；", "（牵头单位：县数据局；")


async def _add(driver, name: str, text: str, user=ADMIN):
    preview = only(await driver.document(name, text.encode(), user=user))
    calls = await driver.press(preview, confirm_data(preview), user=user)
    (done,) = [c for c in calls if c.method == "editMessageText"]
    return preview, done


async def test_a_new_version_is_previewed_with_its_changes_and_old_buttons_follow(own_driver, fresh_engine):
    _, done = await _add(own_driver, "数字乡村.txt", V1)
    assert "已加入" in done.plain
    first = fresh_engine.show("1", plan="数字乡村").citations[0]

    same = only(await own_driver.document("数字乡村-副本.txt", V1.encode(), user=ADMIN))
    assert "内容未变" in same.plain and not same.buttons

    preview, done = await _add(own_driver, "数字乡村（修订）.txt", V2)
    assert "这是已收录计划的新版本" in preview.plain
    assert "修改 1 条" in preview.plain and "牵头单位 县工信局 → 县数据局" in preview.plain
    assert "县电信公司" not in preview.plain.split("新版本")[1]  # what did not change is not listed
    assert "为第2版" in done.plain
    assert [p.version for p in fresh_engine.plans() if "数字乡村" in p.title] == [2]

    # The 全文 button of the first version opens the same item as it reads now.
    reply = only(await own_driver.send("千兆光网谁牵头", user=ADMIN))
    calls = await own_driver.press(reply, callbacks.encode(callbacks.Kind.full, first.item_id), user=ADMIN)
    (shown,) = sent_texts(calls)
    assert "千兆光网" in shown.plain and "县数据局" in shown.plain and "县工信局" not in shown.plain


async def test_history_changes_and_restore_in_a_chat(own_driver, fresh_engine, api):
    await _add(own_driver, "数字乡村.txt", V1)
    await _add(own_driver, "数字乡村.txt", V2)
    listed = only(await own_driver.send("/plans", user=ADMIN))
    assert "《2023年全县数字乡村建设工作要点》（所有聊天共用，第2版）" in listed.plain
    history = only(await own_driver.send("/history 数字乡村", user=ADMIN))
    assert "第1版" in history.plain and "第2版" in history.plain and history.plain.count("← 当前") == 1
    changes = only(await own_driver.send("/changes 数字乡村", user=ADMIN))
    assert "第1版 → 第2版" in changes.plain and "县数据局" in changes.plain
    asked = only(await own_driver.send("数字乡村建设要点改了什么", user=ADMIN))
    assert "第1版 → 第2版" in asked.plain and "千兆光网" in asked.plain

    # Everyone's plan: a group's member may not restore it, nor may a group admin.
    assert only(await own_driver.send("/restore 数字乡村 1", chat=GROUP, user=BOB)).plain == plans.REFUSED_RESTORE
    api.members[(GROUP["id"], BOB["id"])] = "administrator"
    assert only(await own_driver.send("/restore 数字乡村 1", chat=GROUP, user=BOB)).plain == plans.REFUSED_SHARED
    restored = only(await own_driver.send("/restore 数字乡村 1", user=ADMIN))
    assert "第3版" in restored.plain
    answer = fresh_engine.ask("千兆光网谁牵头", plan="数字乡村")
    assert [o.unit for o in answer.citations[0].owners if o.role == "lead"] == ["县工信局"]


async def test_version_commands_without_a_name_say_how(own_driver):
    for command in ("/history", "/changes", "/restore"):
        reply = only(await own_driver.send(command, user=ADMIN))
        assert reply.plain.startswith("用法：" + command)
