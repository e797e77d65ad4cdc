"""`planbot chat`: follow-ups ask about the item last answered, as in a group chat."""

from __future__ import annotations

import builtins

from planbot.bot.chat import run_chat


def _talk(engine, monkeypatch, capsys, lines: list[str]) -> list[str]:
    """Run the chat on `lines` (then EOF); what it printed after each line, in order."""
    pending = list(lines)

    def fake_input(prompt: str = "") -> str:
        print("<<turn>>")
        if not pending:
            raise EOFError
        return pending.pop(0)

    monkeypatch.setattr(builtins, "input", fake_input)
    monkeypatch.setattr("planbot.bot.chat._enable_history", lambda path: None)
    assert run_chat(engine) == 0
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
