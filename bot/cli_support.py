"""What several ``bot`` subcommands need: the settings and the model, or a clean exit."""

from __future__ import annotations

from pathlib import Path

from bot.settings import Settings, SettingsError, load_settings


def settings_or_exit() -> Settings:
    """The settings, or exit with the message naming the unusable variable."""
    try:
        return load_settings()
    except SettingsError as error:
        raise SystemExit(f"error: {error}") from None


def serving_model_or_exit(requested: Path | None) -> Path:
    """``requested``, or the newest model, or exit saying there is none."""
    from bot.training.model_files import ModelError, serving_model

    if requested is not None:
        return requested
    try:
        return serving_model()
    except ModelError as error:
        raise SystemExit(f"error: {error}") from None
