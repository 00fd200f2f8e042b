"""What ``bot run`` shows: a secret made up for a run, never one that was configured."""

from __future__ import annotations

from bot.settings import load_settings
from bot.stack import ready_message, with_dev_token


def test_a_configured_sales_token_is_never_printed():
    settings = with_dev_token(load_settings({"SALES_API_TOKEN": "configured-token-value"}))
    message = ready_message(settings, 3.0, token_made_up=False)
    assert "configured-token-value" not in message
    assert "SALES_API_TOKEN" in message


def test_a_token_made_up_for_a_dev_run_is_printed():
    settings = with_dev_token(load_settings({"SALES_DEV_MODE": "true"}))
    assert settings.sales_api_token
    assert settings.sales_api_token in ready_message(settings, 3.0, token_made_up=True)
