"""`serve`: the real process, by long polling and by webhook, against the stand-in Bot API."""

import io
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from planbot.bot.serve import RedactFilter, configure_logging, serve
from planbot.bot.settings import Settings

from .conftest import ALICE, ROOT, TOKEN, FakeBotAPI

SECRET_PART = TOKEN.partition(":")[2]


def test_missing_token_is_a_clear_message_and_exit_code_2(capsys, monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert serve(Settings(_env_file=None)) == 2
    assert "未设置 TELEGRAM_BOT_TOKEN" in capsys.readouterr().err
    assert serve(Settings(_env_file=None, telegram_bot_token="not-a-token")) == 2
    err = capsys.readouterr().err
    assert "格式不对" in err and "not-a-token" not in err


def test_redact_filter_hides_the_token_in_messages_arguments_and_tracebacks():
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RedactFilter(TOKEN))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        log.warning(f"url-encoded: bot123456%3A{SECRET_PART}/x")
        try:
            raise ValueError(f"The token `{TOKEN}` was rejected by the server.")
        except ValueError:
            log.exception("failed")
    finally:
        log.removeHandler(handler)
    text = buffer.getvalue()
    assert SECRET_PART not in text
    assert text.count("<redacted>") >= 3 and "ValueError" in text


def test_configure_logging_quiets_httpx():
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        configure_logging(TOKEN)
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        assert all(any(isinstance(f, RedactFilter) for f in h.filters) for h in root.handlers)
    finally:
        for handler in root.handlers:
            handler.filters = [f for f in handler.filters if not isinstance(f, RedactFilter)]
        root.handlers = before


# -- the real process --------------------------------------------------------------------------
@pytest.fixture
def server():
    api = FakeBotAPI().start()
    api.chats[ALICE["id"]] = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
    yield api
    api.stop()


def bot_env(api, db, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "PLANBOT_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=api.base_url,
               TELEGRAM_FILE_BASE_URL=api.file_base_url, PLANBOT_DB=str(db),
               PYTHONPATH=str(ROOT), NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    env.update(extra)
    return env


def start_bot(env, tmp_path):
    return subprocess.Popen([sys.executable, "-m", "bot.serve"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process) -> tuple[int, str]:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out + err


def private_message(api, text):
    return {"message": {"message_id": api.next_id(), "date": int(time.time()), "text": text,
                        "chat": api.chats[ALICE["id"]], "from": ALICE}}


def test_polling_process_answers_and_never_logs_the_token(server, sample_db, tmp_path):
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    process = start_bot(bot_env(server, db), tmp_path)
    try:
        server.wait_for("setMyCommands", timeout=60)
        server.push_update(private_message(server, "干部培训谁负责？"))
        (reply,) = server.wait_for("sendMessage", timeout=30)
    finally:
        code, log = finish(process)
    assert code == 0, log
    assert "《2020年全县组织工作要点》" in reply.plain and not reply.error
    assert SECRET_PART not in log
    assert "starting long polling" in log


def test_token_rejected_by_telegram_is_explained_without_the_token(server, tmp_path):
    env = bot_env(server, tmp_path / "planbot.db", TELEGRAM_BOT_TOKEN="999:WRONGSECRETVALUE")
    code, log = finish_after(start_bot(env, tmp_path), 60)
    assert code == 2, log
    assert "Telegram 拒绝了 TELEGRAM_BOT_TOKEN" in log and "WRONGSECRETVALUE" not in log


def finish_after(process, seconds):
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pass
    return finish(process)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url, body, secret=None):
    headers = {"Content-Type": "application/json"}
    if secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except urllib.error.URLError:
        return 0  # not listening yet


def test_webhook_process_registers_and_checks_the_secret(server, sample_db, tmp_path):
    db = tmp_path / "planbot.db"
    shutil.copy(sample_db, db)
    port = free_port()
    env = bot_env(server, db, PLANBOT_WEBHOOK_URL="https://bot.example.org/tg/hook",
                  PLANBOT_WEBHOOK_SECRET="s3cr3t-Value_1", PLANBOT_LISTEN=f"127.0.0.1:{port}")
    process = start_bot(env, tmp_path)
    try:
        (hook,) = server.wait_for("setWebhook", timeout=60)
        assert hook.params["url"] == "https://bot.example.org/tg/hook"
        assert hook.params["secret_token"] == "s3cr3t-Value_1"
        url = f"http://127.0.0.1:{port}/tg/hook"
        for _ in range(50):  # the listener comes up just after setWebhook
            status = post(url, {"update_id": 1}, "wrong")
            if status != 0:
                break
            time.sleep(0.2)
        assert status == 403
        assert post(url, {"update_id": 1}) == 403  # no secret header at all
        assert post(url, {"update_id": 1}, "s3cr3t-Value_") == 403  # a prefix is not the secret
        update = dict(private_message(server, "社区工作者工资涨不涨"), update_id=2)
        assert post(url, update, "s3cr3t-Value_1") == 200
        (reply,) = server.wait_for("sendMessage", timeout=30)
    finally:
        code, log = finish(process)
    assert code == 0, log
    assert "社区" in reply.plain
    assert "s3cr3t-Value_1" not in log and SECRET_PART not in log
