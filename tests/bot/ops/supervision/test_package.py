"""The supervision package names its public surface (as httpx guards its own)."""

from __future__ import annotations

import bot.ops.supervision

PUBLIC = ["EXIT_INTERRUPTED", "RestartPolicy", "Service", "StartupError", "Supervisor", "log_tail"]


def test_the_package_exports_exactly_its_public_names():
    assert sorted(bot.ops.supervision.__all__) == sorted(PUBLIC)
    assert all(hasattr(bot.ops.supervision, name) for name in PUBLIC)
