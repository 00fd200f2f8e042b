"""The scale-out figures (throughput per replica count, races per lock store),
shown in the test run's summary: CI's log carries them without ``-s``."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from _pytest.terminal import TerminalReporter

FIGURES = pytest.StashKey[list[str]]()


@pytest.fixture
def report_figure(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Keeps one line of figures for the run's summary."""
    figures = request.config.stash.setdefault(FIGURES, [])
    return figures.append


def pytest_terminal_summary(
    terminalreporter: TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Prints the figures the scale-out tests kept, after the results."""
    figures = config.stash.get(FIGURES, [])
    if figures:
        terminalreporter.section("scale-out figures")
        for line in figures:
            terminalreporter.write_line(line)
