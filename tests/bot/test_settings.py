"""Settings: environment names, parsing of lists and rates, and clear messages."""

import pytest

from planbot.bot.settings import Settings, SettingsError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    for name in ("TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL", "TELEGRAM_FILE_BASE_URL", "PLANBOT_DB",
                 "PLANBOT_ADMINS", "PLANBOT_TZ", "PLANBOT_WEBHOOK_URL", "PLANBOT_WEBHOOK_SECRET",
                 "PLANBOT_LISTEN", "PLANBOT_MAX_QUESTION", "PLANBOT_FLOOD", "XDG_DATA_HOME",
                 "PLANBOT_ALLOWED_CHATS", "PLANBOT_LINK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456789:AAE-x_y")
    monkeypatch.setenv("PLANBOT_ADMINS", "11, 22 33;44")
    monkeypatch.setenv("PLANBOT_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("PLANBOT_LISTEN", "127.0.0.1:9000")
    monkeypatch.setenv("PLANBOT_FLOOD", "3/20s")
    s = Settings()
    assert s.require_token() == "123456789:AAE-x_y"
    assert s.admins == {11, 22, 33, 44}
    assert s.db_path == tmp_path / "x.db"
    assert (s.listen_host, s.listen_port) == ("127.0.0.1", 9000)
    assert s.flood_rate == (3, 20.0)
    assert str(s.zone) == "Asia/Shanghai"
    assert "AAE-x_y" not in repr(s)


def test_dotenv_file_is_read(tmp_path):
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=42:abc\nPLANBOT_TZ=Europe/Berlin\n")
    s = Settings()
    assert s.require_token() == "42:abc" and str(s.zone) == "Europe/Berlin"


def test_default_db_is_per_user(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert Settings().db_path == tmp_path / "data" / "planbot" / "planbot.db"


@pytest.mark.parametrize("token, fragment", [
    (None, "未设置 TELEGRAM_BOT_TOKEN"),
    ("", "未设置 TELEGRAM_BOT_TOKEN"),
    ("abc:def", "格式不对"),
    ('"123:abc"', "格式不对"),
    ("123:abc def", "格式不对"),
])
def test_missing_or_malformed_token_is_explained_without_echoing_it(token, fragment):
    s = Settings(telegram_bot_token=token)
    with pytest.raises(SettingsError) as info:
        s.require_token()
    assert fragment in str(info.value)
    if token:
        assert token not in str(info.value)


@pytest.mark.parametrize("name, value, fragment", [
    ("PLANBOT_TZ", "Mars/Olympus", "PLANBOT_TZ"),
    ("PLANBOT_ADMINS", "alice", "PLANBOT_ADMINS"),
    ("PLANBOT_LISTEN", "8443", "PLANBOT_LISTEN"),
    ("PLANBOT_FLOOD", "fast", "PLANBOT_FLOOD"),
    ("PLANBOT_ALLOWED_CHATS", "组织部群", "PLANBOT_ALLOWED_CHATS"),
    ("PLANBOT_WEBHOOK_SECRET", "has spaces", "PLANBOT_WEBHOOK_SECRET"),
])
def test_bad_values_give_one_readable_error(monkeypatch, name, value, fragment):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        Settings.load()
    assert fragment in str(info.value)


def test_allowed_chats_unset_empty_or_listed(monkeypatch):
    assert Settings().allowed_chats is None  # every chat may use the bot
    monkeypatch.setenv("PLANBOT_ALLOWED_CHATS", " ")
    assert Settings().allowed_chats is None
    monkeypatch.setenv("PLANBOT_ALLOWED_CHATS", "-1001234567890, -42；-7")
    assert Settings().allowed_chats == {-1001234567890, -42, -7}
