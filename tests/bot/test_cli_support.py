"""What several bot subcommands share: a clean exit instead of a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli_support import serving_model_or_exit, settings_or_exit


def test_an_unusable_setting_exits_naming_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("RATE_LIMIT_PER_IP", "many")

    with pytest.raises(SystemExit, match=r"error: .*RATE_LIMIT_PER_IP"):
        settings_or_exit()


def test_a_model_asked_for_is_the_one_served(tmp_path: Path):
    requested = tmp_path / "model.tar.gz"

    assert serving_model_or_exit(requested) == requested
