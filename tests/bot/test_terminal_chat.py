"""`planbot chat`: follow-ups ask about the item last answered, as in a group chat."""

from __future__ import annotations

import builtins
import datetime as dt

from planbot.bot.chat import run_chat
from planbot.index.limits import PAGE


def _talk(engine, monkeypatch, capsys, lines: list[str], **options) -> list[str]:
    """Run the chat on `lines` (then EOF); what it printed after each line, in order."""
    pending = list(lines)

    def fake_input(prompt: str = "") -> str:
        print("<<turn>>")
        if not pending:
            raise EOFError
        return pending.pop(0)

    monkeypatch.setattr(builtins, "input", fake_input)
    monkeypatch.setattr("planbot.bot.chat._enable_history", lambda path: None)
    assert run_chat(engine, **options) == 0
    return capsys.readouterr().out.split("<<turn>>\n")[1:]


def test_a_follow_up_is_about_the_last_answer(engine, monkeypatch, capsys):
    first, when, who_next, thanks, _ = _talk(engine, monkeypatch, capsys,
                                              ["村两委换届谁牵头", "那什么时候完成", "下一条", "谢谢"])
    assert "全面完成村“两委”换届" in first and "县委组织部" in first
    assert "完成时限：2021年4月底前" in when
    assert "选派驻村第一书记和工作队" in who_next
    assert thanks == ""  # an acknowledgement gets no answer


def test_without_an_answer_before_a_follow_up_is_an_ordinary_question(engine, monkeypatch, capsys):
    (reply, _) = _talk(engine, monkeypatch, capsys, ["那什么时候完成"])
    assert "完成时限：2021年4月底前" not in reply


def test_更多_pages_through_a_long_list(engine, monkeypatch, capsys):
    day = dt.date(2021, 6, 10)
    every = engine.deadlines("1000天", today=day)
    assert every.total > PAGE
    first, second, third, _ = _talk(engine, monkeypatch, capsys, ["未来1000天要完成哪些", "更多", "更多"], today=day)
    assert f"[{PAGE}]" in first and f"[{PAGE + 1}]" not in first and "输入“更多”看下一页" in first
    assert f"[{every.total}]" in second and "[1]" not in second and "更多" not in second
    assert third.strip() == "没有更多了。"


def test_a_number_picks_from_the_list_last_shown_as_in_the_bot(engine, monkeypatch, capsys):
    listed, second, third, _ = _talk(engine, monkeypatch, capsys, ["县农业农村局负责哪些任务", "第二个谁负责", "第三个呢"])
    assert "[2] 《2021年全县乡村振兴重点任务分工方案》 二 › （一） › 5．培育" in listed
    assert "5．培育县级以上农业产业化龙头企业" in second and "牵头：县农业农村局" in second
    assert "8．开展村庄清洁行动" in third  # still the same list after a pick
