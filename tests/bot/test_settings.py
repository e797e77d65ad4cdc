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


# -- the command line's reading (Config.load) is pydantic-settings' (Settings.load) ------------

# A value for every field, as someone would write it in the environment or in .env.
WRITTEN = {
    "telegram_bot_token": "123456789:AAE-x_y", "telegram_api_base_url": "http://127.0.0.1:8081/bot",
    "telegram_file_base_url": "http://127.0.0.1:8081/file/bot", "planbot_db": "~/data/planbot.db",
    "planbot_admins": "11, 22 33;44", "planbot_allowed_chats": "-1001234567890，-42", "planbot_tz": "Europe/Berlin",
    "planbot_webhook_url": "https://example.org/hook", "planbot_webhook_secret": "s3cret_-x",
    "planbot_listen": "127.0.0.1:9000", "planbot_max_question": "80", "planbot_flood": "3/20s",
    "planbot_link_secret": "links-key",
}


def _loaded(cls) -> dict | str:
    """What `cls.load()` reads, secrets shown; or the error it says."""
    try:
        settings = cls.load()
    except SettingsError as e:
        return f"SettingsError: {e}"
    return {name: value.get_secret_value() if hasattr(value, "get_secret_value") else value
            for name, value in dict(settings).items()} | {"db_path": settings.db_path}


def _same_reading(monkeypatch, tmp_path, env: dict[str, str], dotenv: str | None) -> None:
    from planbot.bot.config import Config

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv, encoding="utf-8")
    assert _loaded(Config) == _loaded(Settings)


def test_every_setting_is_read_from_the_environment_as_by_pydantic_settings(monkeypatch, tmp_path):
    from planbot.bot.config import Config

    assert set(WRITTEN) == set(Config.model_fields), "a new setting needs a written value here"
    _same_reading(monkeypatch, tmp_path, {name.upper(): value for name, value in WRITTEN.items()}, None)
    assert _loaded(Config)["planbot_admins"] == {11, 22, 33, 44}  # read, not the defaults


def test_every_setting_is_read_from_dotenv_as_by_pydantic_settings(monkeypatch, tmp_path):
    lines = "".join(f"{name.upper()}={value}\n" for name, value in WRITTEN.items())
    _same_reading(monkeypatch, tmp_path, {}, lines)


@pytest.mark.parametrize("env, dotenv", [
    ({}, None),  # the defaults (and XDG_DATA_HOME unset)
    ({"XDG_DATA_HOME": "/srv/data"}, "XDG_DATA_HOME=/not/a/setting\n"),
    ({"PLANBOT_DB": "/from/env.db"}, "PLANBOT_DB=/from/dotenv.db\nPLANBOT_TZ=Europe/Berlin\n"),
    ({"planbot_db": "lower.db", "PlanBot_Tz": "UTC"}, None),  # names in any case
    ({"PLANBOT_DB": ""}, "PLANBOT_DB=/from/dotenv.db\n"),  # set but empty: set
    ({}, "PLANBOT_DB\nplanbot_tz = 'Asia/Tokyo'  # a comment\nexport PLANBOT_FLOOD=5/10\n"),
    ({}, "PLANBOT_TZ\nPLANBOT_LISTEN\n"),  # a name without a value: not set
    ({"DATA": "/d"}, 'PLANBOT_DB=${DATA}/x.db\nPLANBOT_ADMINS="1, 2"\nNOT_A_SETTING=1\n'),
    ({"PLANBOT_ADMINS": "[1, 2]"}, None),  # never JSON: an error, as written
    ({"PLANBOT_ALLOWED_CHATS": " "}, "PLANBOT_ALLOWED_CHATS=-1\n"),
    ({"PLANBOT_TZ": "Mars/Olympus", "PLANBOT_LISTEN": "8443"}, None),
    ({}, "PLANBOT_MAX_QUESTION=5\nPLANBOT_WEBHOOK_SECRET=has spaces\n"),
])
def test_the_command_line_reads_the_settings_as_the_bot_does(monkeypatch, tmp_path, env, dotenv):
    """`planbot ask` without --db reads PLANBOT_DB (and checks every setting) with Config.load,
    without pydantic-settings: the same values, the same errors."""
    _same_reading(monkeypatch, tmp_path, env, dotenv)
