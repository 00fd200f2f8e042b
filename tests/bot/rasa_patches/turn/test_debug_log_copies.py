"""Deep copies for Rasa's debug log lines, made only while those lines can be logged."""

from __future__ import annotations

import ast
import importlib
import inspect
import logging
import subprocess
import sys
from collections.abc import Iterator

import pytest
import structlog

from bot.rasa_patches.turn.debug_log_copies import (
    COPIES_FOR_DEBUG_LINES,
    MODULES,
    debug_lines_dropped,
    deepcopy_for_debug_line,
)


@pytest.fixture
def structlog_at() -> Iterator[object]:
    saved = structlog.get_config()

    def configure(level: int) -> None:
        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(level))

    yield configure
    structlog.configure(**saved)


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _is_debug_log_call(node: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "debug"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "structlogger"
    )


@pytest.mark.parametrize("module_name", MODULES)
def test_every_deep_copy_in_the_module_only_feeds_a_debug_log_line(module_name):
    tree = ast.parse(inspect.getsource(importlib.import_module(module_name)))
    parents = _parents(tree)
    uses = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "copy"
    ]
    assert {use.attr for use in uses} <= set(vars(COPIES_FOR_DEBUG_LINES))
    deep_copies = [parents[use] for use in uses if use.attr == "deepcopy"]
    assert deep_copies, "no deep copy left to skip: the fix is no longer needed"
    for call in deep_copies:
        keyword = parents[call]
        assert isinstance(keyword, ast.keyword), f"line {call.lineno}"
        assert _is_debug_log_call(parents[keyword]), f"line {call.lineno}"


@pytest.mark.parametrize("level", [logging.INFO, logging.WARNING, logging.ERROR])
def test_nothing_is_copied_while_debug_lines_are_dropped(structlog_at, level):
    structlog_at(level)
    events = [{"event": "slot", "value": ["a"]}]
    assert debug_lines_dropped()
    assert deepcopy_for_debug_line(events) is events


def test_a_deep_copy_is_made_while_debug_lines_are_logged(structlog_at):
    structlog_at(logging.DEBUG)
    events = [{"event": "slot", "value": ["a"]}]
    copied = deepcopy_for_debug_line(events)
    assert copied == events
    assert copied[0]["value"] is not events[0]["value"]


def test_rasa_s_own_logging_set_up_drops_debug_lines_unless_asked_for_them():
    script = (
        "import logging, sys\n"
        "from rasa.utils.log_utils import configure_structlog\n"
        "from bot.rasa_patches.turn.debug_log_copies import debug_lines_dropped\n"
        "configure_structlog(int(sys.argv[1]))\n"
        "print(debug_lines_dropped())\n"
    )
    dropped = {
        level: subprocess.run(
            [sys.executable, "-c", script, str(level)], capture_output=True, text=True, check=True
        ).stdout.split()[-1]
        for level in (logging.INFO, logging.DEBUG)
    }
    assert dropped == {logging.INFO: "True", logging.DEBUG: "False"}


def test_the_modules_get_the_copies_for_debug_lines(patches):
    patches("turn")
    for name in MODULES:
        assert importlib.import_module(name).copy is COPIES_FOR_DEBUG_LINES
