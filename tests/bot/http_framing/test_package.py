"""The framing guard's package names its public surface (as httpx guards its own)."""

from __future__ import annotations

import bot.http_framing


def test_every_exported_name_exists_and_the_installation_is_among_them():
    assert all(hasattr(bot.http_framing, name) for name in bot.http_framing.__all__)
    assert {"install", "uninstall", "installed", "check_sanic_version"} <= set(
        bot.http_framing.__all__
    )
