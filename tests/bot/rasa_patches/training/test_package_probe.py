"""bot.rasa_patches.training.package_probe: packages found, not imported."""

from __future__ import annotations

import sys

from bot.rasa_patches.training.package_probe import unavailable_packages


def test_packages_are_found_without_being_imported():
    assert "tabnanny" not in sys.modules  # a standard module nothing here imports
    missing = unavailable_packages(["tabnanny", "no_such_package_here", "no_such.sub"])
    assert missing == {"no_such_package_here", "no_such.sub"}
    assert "tabnanny" not in sys.modules
