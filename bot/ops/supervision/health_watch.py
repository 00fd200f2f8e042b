"""The supervisor's watch over running services: a hang is a run of unanswered probes.

Every ``probe_interval_seconds`` each health URL is probed
(:mod:`bot.ops.supervision.health_probes`), once for each process that is up behind it; a
process that leaves ``failed_probes_to_restart`` probes in a row unanswered
is marked unresponsive, and the supervisor restarts it. An answer resets its
count. Processes that are still starting are not probed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.ops.supervision.health_probes import answers, probe_shared_port
from bot.ops.supervision.restart_policy import RestartPolicy
from bot.ops.supervision.service import RunningService


async def watch(
    url: str, group: list[RunningService], policy: RestartPolicy, clock: Callable[[], float]
) -> None:
    """Probes the processes of ``group``, which answer at ``url``, for ever."""
    loop = asyncio.get_running_loop()
    next_round = loop.time()
    while True:
        next_round += policy.probe_interval_seconds
        await asyncio.sleep(max(0.0, next_round - loop.time()))
        up = {running.process.pid: running for running in group if running.is_up()}
        if not up:
            continue
        started = clock()
        timeout = policy.probe_timeout_seconds
        if len(group) == 1:
            [pid] = up
            verdicts = [{pid: await answers(url, timeout)}]
        else:  # one probe per process; each lands on whichever the kernel picks
            verdicts = await asyncio.gather(
                *(probe_shared_port(url, list(up), timeout) for _ in up)
            )
        for verdict in verdicts:
            for pid, answered in verdict.items():
                running = up.get(pid)
                if running is not None and running.process.pid == pid and running.is_up():
                    count_probe(running, answered, started, policy)


def count_probe(
    running: RunningService, answered: bool, started: float, policy: RestartPolicy
) -> None:
    """Counts one probe of ``running`` (begun at ``started``); enough failures in a row
    mark it unresponsive."""
    if answered:
        running.failed_probes = 0
        return
    if running.failed_probes == 0:
        running.failing_since = started
    running.failed_probes += 1
    if running.failed_probes >= policy.failed_probes_to_restart:
        running.unresponsive.set()
