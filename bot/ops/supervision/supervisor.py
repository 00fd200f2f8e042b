"""A small process supervisor: start services, wait until healthy, keep them up.

``make run`` needs four long-running processes (Rasa, the action server, the
web app and the delivery worker). The supervisor starts each in a session of
its own with its output in a log file and waits until each answers its health
URL; one that cannot start fails the start-up with the end of its log. From
then on it keeps them up: a process that ends, or that leaves
``failed_probes_to_restart`` health probes in a row unanswered (a hang,
:mod:`bot.ops.supervision.health_probes`), is killed with its process group and started
again after a backoff (:mod:`bot.ops.supervision.restart_policy`), while the others go on.
What it restarted and why goes to its output and to ``supervisor.log``.
Ctrl-C (SIGINT) or SIGTERM stops every service in reverse order.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timezone
from pathlib import Path

from bot.ops.supervision.health_probes import answers, listens_on
from bot.ops.supervision.health_watch import watch
from bot.ops.supervision.restart_policy import RestartCount, RestartPolicy
from bot.ops.supervision.service import RunningService, Service, log_tail

STOP_GRACE_SECONDS = 15.0
HEALTH_POLL_SECONDS = 0.25
STARTUP_PROBE_TIMEOUT_SECONDS = 2.0
# A service without a health URL is up once its process has run this long.
SETTLE_SECONDS = 2.0
EXIT_INTERRUPTED = 130
# prctl's option naming the signal a process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1
SUPERVISOR_LOG = "supervisor.log"
DEFAULT_POLICY = RestartPolicy()

__all__ = ["EXIT_INTERRUPTED", "Service", "StartupError", "Supervisor", "log_tail"]


def ending_with_the_supervisor() -> Callable[[], None] | None:
    """What a service's process runs before its program (Linux only; elsewhere None): it
    asks for SIGTERM when the supervisor dies, even by SIGKILL (the parent-death
    signal), instead of serving on unsupervised and keeping the ports a new ``bot run``
    needs; and it ends at once if the supervisor died before that.

    ``prctl`` is looked up here, in the supervisor: the forked child only calls it.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    supervisor = os.getpid()

    def end_with_the_supervisor() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != supervisor:
            os._exit(1)

    return end_with_the_supervisor


def _print_now(message: str) -> None:
    print(message, flush=True)  # at once, also when the output is a pipe or a file


class StartupError(RuntimeError):
    """A service died or stayed unhealthy while the stack was starting."""


async def _first_of(*awaitables: Awaitable[object]) -> None:
    """Waits until the first of ``awaitables`` is done and cancels the others."""
    tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()


class Supervisor:
    """Runs ``services`` and keeps them up until interrupted.

    Args:
        services: in start order; they are stopped in reverse order.
        log_dir: each service writes ``<name>.log`` here, the supervisor ``supervisor.log``.
        startup_timeout: seconds each health URL has to answer, at start-up and after
            each restart.
        report: where the supervisor's own messages go (standard output by default).
        policy: when to restart and how long to wait first.
        sleep: waits the backoff before a restart (tests pass one that records it).
        clock: seconds, for how long a process stayed up and how long probes failed.
    """

    def __init__(
        self,
        services: Sequence[Service],
        log_dir: Path,
        *,
        startup_timeout: float = 180.0,
        report: Callable[[str], None] = _print_now,
        policy: RestartPolicy = DEFAULT_POLICY,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = list(services)
        self.log_dir = log_dir
        self.startup_timeout = startup_timeout
        self.report = report
        self.policy = policy
        self._sleep = sleep
        self._clock = clock
        self._running: list[RunningService] = []
        self._end_with_the_supervisor = ending_with_the_supervisor()

    async def run(self, on_ready: Callable[[float], None] | None = None) -> int:
        """Starts the stack and keeps it up until SIGINT or SIGTERM; returns the exit code.

        ``on_ready`` gets the seconds it took until every service was healthy.
        """
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop_signal, stop.set)
        started = time.monotonic()
        try:
            await self._start_all(stop)
            if stop.is_set():
                return EXIT_INTERRUPTED
            if on_ready is not None:
                on_ready(time.monotonic() - started)
            await self._keep_up(stop)
            return EXIT_INTERRUPTED
        except StartupError as error:
            self._say(str(error))
            return 1
        finally:
            await self.stop_all()
            for stop_signal in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(stop_signal)

    def _say(self, message: str) -> None:
        self.report(message)
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with (self.log_dir / SUPERVISOR_LOG).open("a", encoding="utf-8") as log:
            log.write(f"{stamp} {message}\n")

    async def _start_all(self, stop: asyncio.Event) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        urls = [service.health_url for service in self.services if service.health_url]
        for service in self.services:
            try:
                process, log = await self._spawn(service)
            except OSError as error:
                raise StartupError(f"The {service.name} could not be started: {error}") from None
            shares_port = service.health_url is not None and urls.count(service.health_url) > 1
            self._running.append(
                RunningService(service, process, log, RestartCount(self.policy), shares_port)
            )
        deadline = self._clock() + self.startup_timeout
        waits = {
            asyncio.ensure_future(self._start_problem(running, deadline, stop)): running
            for running in self._running
        }
        try:
            while waits:
                done, _ = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    running = waits.pop(task)
                    self._check_started(running, task.result())
        finally:
            for task in waits:
                task.cancel()
        for running in self._running:  # all of them up at the same time once
            self._check_started(running, None)

    def _check_started(self, running: RunningService, problem: str | None) -> None:
        """Marks the service up, or raises :class:`StartupError` with the end of its log."""
        code = running.process.returncode
        if problem is None and code is not None:
            problem = f"stopped while starting (exit code {code})"
        if problem is not None:
            raise StartupError(
                f"The {running.service.name} {problem}; its log ({running.log}) ends with:\n"
                f"{log_tail(running.log)}"
            )
        if running.up_since is None:
            running.up_since = self._clock()

    async def _spawn(
        self, service: Service, restarted_because: str | None = None
    ) -> tuple[asyncio.subprocess.Process, Path]:
        log = self.log_dir / service.log_name
        with log.open("wb" if restarted_because is None else "ab") as output:
            if restarted_because is not None:  # the previous process's output stays above
                stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
                note = f"\n--- {stamp} bot run restarts the {service.name}: it {restarted_because}"
                output.write(f"{note} ---\n".encode())
                output.flush()
            process = await asyncio.create_subprocess_exec(
                *service.command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                env={**os.environ, **service.environment},
                start_new_session=True,  # Ctrl-C reaches the supervisor only
                preexec_fn=self._end_with_the_supervisor,
            )
        started = "Started" if restarted_because is None else "Restarted"
        self._say(f"{started} {service.name} (pid {process.pid}, log {log})")
        return process, log

    async def _start_problem(
        self, running: RunningService, deadline: float, stop: asyncio.Event
    ) -> str | None:
        """Waits until the service is up; returns what kept it from starting, if anything.

        Up: its health URL answers (and, sharing the port, it listens there itself);
        without a health URL, its process has run ``SETTLE_SECONDS``.
        """
        url = running.service.health_url
        process = running.process
        if url is None:
            await _first_of(stop.wait(), process.wait(), asyncio.sleep(SETTLE_SECONDS))
        while url is not None and not stop.is_set() and process.returncode is None:
            listening = not running.shares_port or listens_on(process.pid, url) is not False
            if listening and await answers(url, STARTUP_PROBE_TIMEOUT_SECONDS):
                break
            if self._clock() > deadline:
                return f"did not answer at {url} within {self.startup_timeout:g}s"
            await asyncio.sleep(HEALTH_POLL_SECONDS)
        if process.returncode is not None and not stop.is_set():
            return f"stopped while starting (exit code {process.returncode})"
        return None

    async def _keep_up(self, stop: asyncio.Event) -> None:
        keepers = [asyncio.ensure_future(self._keep(running, stop)) for running in self._running]
        groups: dict[str, list[RunningService]] = {}
        for running in self._running:
            if running.service.health_url is not None:
                groups.setdefault(running.service.health_url, []).append(running)
        probers = [
            asyncio.ensure_future(self._watch_health(url, group)) for url, group in groups.items()
        ]
        try:
            await asyncio.gather(*keepers)
        finally:
            for task in [*keepers, *probers]:
                task.cancel()
            await asyncio.gather(*keepers, *probers, return_exceptions=True)

    async def _watch_health(self, url: str, group: list[RunningService]) -> None:
        """Probes ``url`` for ``group`` for good: a prober that fails is said and started
        again, since without it a hung service would never be restarted."""
        while True:
            try:
                await watch(url, group, self.policy, self._clock)
            except Exception as error:  # the prober's outermost edge: say it, go on
                self._say(f"Probing {url} failed ({error!r}); probing again in a moment")
                await asyncio.sleep(self.policy.probe_interval_seconds)

    async def _keep(self, running: RunningService, stop: asyncio.Event) -> None:
        """Restarts the service each time it goes down, until ``stop`` is set."""
        reason = await self._until_down(running, stop)
        while reason is not None:
            problem = await self._restart(running, reason, stop)
            reason = problem if problem is not None else await self._until_down(running, stop)

    async def _until_down(self, running: RunningService, stop: asyncio.Event) -> str | None:
        """Why the service went down (None: ``stop`` was set first)."""
        await _first_of(stop.wait(), running.process.wait(), running.unresponsive.wait())
        if stop.is_set():
            return None
        if running.process.returncode is not None:
            return f"stopped (exit code {running.process.returncode})"
        seconds = self._clock() - running.failing_since
        return f"did not answer its health check {running.failed_probes} times in {seconds:.0f} s"

    async def _restart(
        self, running: RunningService, reason: str, stop: asyncio.Event
    ) -> str | None:
        """Kills what is left of the service, waits its backoff and starts it again.

        Returns:
            What kept the new process from starting (None: it is up, or ``stop`` was set).
        """
        up_since, running.up_since = running.up_since, None
        up_for = self._clock() - up_since if up_since is not None else 0.0
        exited = running.process.returncode is not None
        await self._kill(running)
        delay = running.restarts.next_delay(up_for)
        message = (
            f"The {running.service.name} {reason}; restarting it in {delay:g} s"
            f" (restart {running.restarts.total})"
        )
        if exited:
            message += f"; its log ({running.log}) ends with:\n{log_tail(running.log)}"
        self._say(message)
        await _first_of(stop.wait(), self._sleep(delay))
        if stop.is_set():
            return None
        try:
            process, _ = await self._spawn(running.service, restarted_because=reason)
        except OSError as error:  # its program gone meanwhile: try again after the next wait
            return f"could not be started ({error})"
        running.restarted(process)
        problem = await self._start_problem(running, self._clock() + self.startup_timeout, stop)
        if problem is None and not stop.is_set():
            running.up_since = self._clock()
            self._say(f"The {running.service.name} is up again (pid {running.process.pid})")
        return problem

    @staticmethod
    async def _kill(running: RunningService) -> None:
        """Kills the service's process group: a hung process, or what a dead one left."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(running.process.pid, signal.SIGKILL)
        await running.process.wait()

    async def stop_all(self) -> None:
        """Stops every running service, newest first: SIGTERM, then SIGKILL after a grace."""
        alive = [r for r in reversed(self._running) if r.process.returncode is None]
        if alive:
            self._say("Stopping " + ", ".join(r.service.name for r in alive) + "...")
        for running in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(running.process.pid, signal.SIGTERM)
                os.killpg(running.process.pid, signal.SIGCONT)  # a stopped one, to act on it
            try:
                await asyncio.wait_for(running.process.wait(), STOP_GRACE_SECONDS)
            except asyncio.TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(running.process.pid, signal.SIGKILL)
                await running.process.wait()
        self._running.clear()
