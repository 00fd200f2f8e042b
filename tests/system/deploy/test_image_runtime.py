"""The container image removes the test tools after training (``make prune-dev``):
nothing the bot runs on may need them.

The image cannot be built here (no Docker); this holds its one step that CI's
own install does not take, on the packages CI installed.
"""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement

from tests.conftest import ROOT

NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def listed(path: str) -> set[str]:
    """The package names a requirements file lists (its ``-r`` includes left out)."""
    names = set()
    for line in (ROOT / path).read_text().splitlines():
        match = NAME.match(line.split("#")[0])
        if match:
            names.add(canonical(match.group(1)))
    return names


def needed_by(roots: set[str]) -> set[str]:
    """``roots`` and every installed package they require, without extras."""
    needed: set[str] = set()
    pending = list(roots)
    while pending:
        name = pending.pop()
        if name in needed:
            continue
        needed.add(name)
        try:
            requirements = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue  # not for this platform or Python
        for text in requirements:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(canonical(requirement.name))
    return needed


def test_the_bot_needs_none_of_what_prune_dev_removes():
    runtime = needed_by(listed("requirements.in"))
    assert not runtime & listed("requirements-dev.in")


def test_prune_dev_removes_the_test_tools():
    assert {"pytest", "hypothesis", "playwright", "ruff"} <= listed("requirements-dev.in")
