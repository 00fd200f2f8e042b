"""Settings from the environment: offline defaults and clear errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import (
    DEFAULT_DATABASE_URL,
    InputLimits,
    SettingsError,
    load_settings,
    sqlite_path,
)

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_run_offline_with_no_channel():
    settings = load_settings({})
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.sales_api_token is None
    assert settings.channel_names == ()
    assert sqlite_path(settings.database_url) == Path("var/leads.db")


def test_channels_are_configured_by_environment():
    settings = load_settings(
        {
            "SALES_WEBHOOK_URL": "https://crm.example/hooks/leads",
            "SALES_WEBHOOK_SECRET": "s3cret",
            "SMTP_HOST": "mail.example",
            "SALES_EMAIL_TO": "sales@example.com, boss@example.com",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/test",
        }
    )
    assert settings.channel_names == ("webhook", "email")
    assert settings.smtp is not None
    assert settings.smtp.recipients == ("sales@example.com", "boss@example.com")
    assert sqlite_path(settings.database_url) is None


def test_the_action_server_listens_on_this_machine_unless_told():
    assert load_settings({}).actions_host == "127.0.0.1"
    settings = load_settings({"ACTIONS_HOST": "0.0.0.0", "ACTION_SERVER_TOKEN": "s3cret"})
    assert (settings.actions_host, settings.action_server_token) == ("0.0.0.0", "s3cret")


def test_input_limits_are_configured_by_environment():
    assert load_settings({}).input_limits == InputLimits(1000, 65536, 30, 120, 0)
    env = {
        "MAX_MESSAGE_CHARS": "500",
        "MAX_REQUEST_BYTES": "2048",
        "RATE_LIMIT_PER_SENDER": "0",
        "RATE_LIMIT_PER_IP": "600",
        "TRUSTED_PROXIES": "1",
    }
    assert load_settings(env).input_limits == InputLimits(500, 2048, 0, 600, 1)


def test_chat_session_secret_is_read_and_unset_by_default():
    assert load_settings({}).chat_session_secret is None
    secret = "s" * 32
    assert load_settings({"CHAT_SESSION_SECRET": secret}).chat_session_secret == secret


def test_a_short_chat_session_secret_is_refused_without_echoing_it():
    with pytest.raises(SettingsError) as refused:
        load_settings({"CHAT_SESSION_SECRET": "hunter2-is-too-short"})
    assert "hunter2" not in str(refused.value)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"WEB_PORT": "http"}, "WEB_PORT must be a number"),
        ({"WEB_PORT": "70000"}, "WEB_PORT must be a TCP port"),
        ({"SITE_ORIGINS": "agency.example"}, "SITE_ORIGINS must list origins"),
        ({"SALES_DEV_MODE": "maybe"}, "SALES_DEV_MODE must be true or false"),
        ({"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be a sqlite or postgresql URL"),
        ({"SALES_WEBHOOK_URL": "https://x.example"}, "SALES_WEBHOOK_SECRET must be set"),
        ({"SMTP_HOST": "mail.example"}, "SALES_EMAIL_TO must name"),
        ({"DEFAULT_PHONE_REGION": "GBR"}, "two-letter code"),
        ({"DELIVERY_MAX_ATTEMPTS": "0"}, "DELIVERY_MAX_ATTEMPTS must be at least 1"),
        ({"LOCK_STORE_URL": "memcached://x"}, "LOCK_STORE_URL must be a redis or rediss URL"),
        ({"RASA_WORKERS": "1.5"}, "RASA_WORKERS must be a whole number"),
        ({"MAX_MESSAGE_CHARS": "0"}, "MAX_MESSAGE_CHARS must be at least 1"),
        ({"MAX_REQUEST_BYTES": "100"}, "MAX_REQUEST_BYTES must be at least 1024"),
        ({"RATE_LIMIT_PER_IP": "-1"}, "RATE_LIMIT_PER_IP must be at least 0"),
        ({"ACTIONS_HOST": "0.0.0.0"}, "set ACTION_SERVER_TOKEN too"),
        ({"RASA_WORKERS": "2"}, "RASA_WORKERS above 1 needs LOCK_STORE_URL"),
        ({"CHAT_SESSION_SECRET": "short"}, "CHAT_SESSION_SECRET must be at least 32 characters"),
        (
            {"RASA_WORKERS": "2", "LOCK_STORE_URL": "redis://r", "TRACKER_STORE_URL": "memory"},
            "RASA_WORKERS above 1 needs a database TRACKER_STORE_URL",
        ),
    ],
)
def test_a_bad_value_names_its_variable(env, message):
    with pytest.raises(SettingsError, match=re.escape(message)):
        load_settings(env)


def test_env_example_lists_every_variable_the_settings_read():
    source = (ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'"([A-Z][A-Z_]+)"', source))
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read <= listed, sorted(read - listed)


def test_the_settings_page_documents_every_variable_the_settings_read():
    source = (ROOT / "bot" / "settings.py").read_text()
    read = set(re.findall(r'"([A-Z][A-Z_]+)"', source))
    page = (ROOT / "docs" / "settings.md").read_text()
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", page))
    assert read <= documented, sorted(read - documented)


def test_the_demo_site_s_defaults_follow_the_ports_of_this_run():
    settings = load_settings({"WEB_PORT": "18000", "RASA_PORT": "15005"})
    assert settings.site_origins == ("http://localhost:18000", "http://127.0.0.1:18000")
    assert settings.chat_server_url == "http://localhost:15005"


def test_configured_origins_and_chat_server_are_kept_whatever_the_ports():
    settings = load_settings(
        {
            "WEB_PORT": "18000",
            "SITE_ORIGINS": "https://www.agency.example",
            "CHAT_SERVER_URL": "https://chat.agency.example",
        }
    )
    assert settings.site_origins == ("https://www.agency.example",)
    assert settings.chat_server_url == "https://chat.agency.example"
