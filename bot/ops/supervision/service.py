"""What the supervisor (:mod:`bot.ops.supervision.supervisor`) runs: a service, and its
running process.

A :class:`Service` says how to start one process of the product and how to
tell that it is up; a :class:`RunningService` is its current process with what
the supervisor knows of it: since when it is up, its health probes failed in
a row (:mod:`bot.ops.supervision.health_watch`) and its restarts
(:mod:`bot.ops.supervision.restart_policy`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.ops.supervision.restart_policy import RestartCount

LOG_TAIL_LINES = 20


@dataclass(frozen=True)
class Service:
    """One process of the stack and how to tell that it is ready and alive.

    Services with the same ``health_url`` are processes sharing one port
    (``SO_REUSEPORT``): each counts as ready once it listens there itself, and
    each probe's verdict goes to the process the probe reached.
    """

    name: str
    command: Sequence[str]
    health_url: str | None = None  # any HTTP answer: up; None: up while its process runs
    environment: Mapping[str, str] = field(default_factory=dict)

    @property
    def log_name(self) -> str:
        """The service's log file name: ``Rasa server`` logs to ``rasa-server.log``."""
        return self.name.lower().replace(" ", "-") + ".log"


@dataclass(eq=False)
class RunningService:
    """A service's current process and its health, as the supervisor keeps them."""

    service: Service
    process: asyncio.subprocess.Process
    log: Path
    restarts: RestartCount
    shares_port: bool
    up_since: float | None = None  # None while starting
    failed_probes: int = 0  # in a row
    failing_since: float = 0.0
    # Set once failed_probes reached the policy's limit: the process is to be restarted.
    unresponsive: asyncio.Event = field(default_factory=asyncio.Event)

    def is_up(self) -> bool:
        """Whether it started, still runs, and has not been found unresponsive."""
        return (
            self.up_since is not None
            and self.process.returncode is None
            and not self.unresponsive.is_set()
        )

    def restarted(self, process: asyncio.subprocess.Process) -> None:
        """Takes the new ``process`` on, starting (not up yet) with a clean health record."""
        self.process = process
        self.up_since = None
        self.failed_probes = 0
        self.unresponsive.clear()


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file (empty if it does not exist)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""
