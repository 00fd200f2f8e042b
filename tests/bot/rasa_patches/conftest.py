"""Fixtures of the patch tests: patches installed for one test, then restored."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from bot import rasa_patches


@pytest.fixture
def patches() -> Iterator[Callable[..., bool]]:
    """``rasa_patches.install``; what the test installs is restored after it (what
    was installed before stays, e.g. the model tests' turn patches)."""
    before = set(rasa_patches.installed_targets())
    yield rasa_patches.install
    added = tuple(target for target in rasa_patches.installed_targets() if target not in before)
    rasa_patches.restore(added)
