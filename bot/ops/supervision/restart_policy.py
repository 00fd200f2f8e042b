"""When the supervisor restarts a service, and how long it waits first.

A service is restarted when its process ends or when it leaves
``failed_probes_to_restart`` health probes in a row unanswered (a hang). The
wait before a restart doubles with each restart in a row, from
``backoff_base_seconds`` up to ``backoff_max_seconds``, so a service that
cannot run does not spin; a process that stayed up ``stable_after_seconds``
before it went down starts the count again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestartPolicy:
    """The supervisor's restart and health probe timings."""

    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 30.0
    stable_after_seconds: float = 60.0
    # One probe of each running service's health URL per interval, each given the timeout.
    probe_interval_seconds: float = 5.0
    probe_timeout_seconds: float = 5.0
    failed_probes_to_restart: int = 3

    def delay(self, restarts_in_a_row: int) -> float:
        """Seconds to wait before the ``restarts_in_a_row``-th restart in a row (from 1)."""
        doubled = self.backoff_base_seconds * 2 ** min(restarts_in_a_row - 1, 32)
        return float(min(self.backoff_max_seconds, doubled))


@dataclass
class RestartCount:
    """One service's restarts: in a row (for the backoff) and in all."""

    policy: RestartPolicy
    in_a_row: int = 0
    total: int = 0

    def next_delay(self, up_for: float) -> float:
        """Counts a restart of a process that was up ``up_for`` seconds; returns its wait."""
        if up_for >= self.policy.stable_after_seconds:
            self.in_a_row = 0
        self.in_a_row += 1
        self.total += 1
        return self.policy.delay(self.in_a_row)
