"""No deep copies for Rasa's debug log lines when debug lines are dropped.

Rasa 3.6 deep-copies events, states and slot values to put them in debug log
lines (``structlogger.debug(..., rasa_events=copy.deepcopy(events))``), and
Python evaluates those arguments whether or not the line is logged, with debug
lines dropped. In the modules
below every ``copy.deepcopy`` is such an argument (tested against Rasa's source);
their ``copy`` becomes :data:`COPIES_FOR_DEBUG_LINES`, which copies only while
structlog can log debug lines.
"""

from __future__ import annotations

import copy
import logging
from types import SimpleNamespace
from typing import Any

import structlog

# Rasa's modules whose ``copy.deepcopy`` calls only feed debug log lines.
MODULES = (
    "rasa.core.processor",
    "rasa.core.policies.memoization",
    "rasa.core.policies.rule_policy",
    "rasa.core.actions.forms",
)
ABOVE_DEBUG = (logging.INFO, logging.WARNING, logging.ERROR, logging.CRITICAL)


def debug_lines_dropped() -> bool:
    """Whether structlog is configured (as Rasa does) to drop every debug line."""
    wrapper = structlog.get_config()["wrapper_class"]
    return any(wrapper is structlog.make_filtering_bound_logger(level) for level in ABOVE_DEBUG)


def deepcopy_for_debug_line(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """``copy.deepcopy(value)``, or ``value`` itself when debug lines are dropped."""
    return value if debug_lines_dropped() else copy.deepcopy(value, memo)


COPIES_FOR_DEBUG_LINES = SimpleNamespace(copy=copy.copy, deepcopy=deepcopy_for_debug_line)
