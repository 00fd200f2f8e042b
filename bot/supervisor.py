"""A small process supervisor: start services, wait until healthy, stop them together.

``make run`` needs four long-running processes (Rasa, the action server, the
web app and the delivery worker). The supervisor starts each in a session of
its own with its output in a log file, polls each health URL until it
answers, and then watches: Ctrl-C (SIGINT) or SIGTERM stops every service
in reverse order, and a service that dies stops the others too, so the stack
never runs half-alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

STOP_GRACE_SECONDS = 15.0
HEALTH_POLL_SECONDS = 0.25
LOG_TAIL_LINES = 20
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Service:
    """One process of the stack and how to tell that it is ready."""

    name: str
    command: Sequence[str]
    health_url: str | None = None  # ready once any HTTP answer comes; None: once started
    environment: Mapping[str, str] = field(default_factory=dict)

    @property
    def log_name(self) -> str:
        """The service's log file name: ``Rasa server`` logs to ``rasa-server.log``."""
        return self.name.lower().replace(" ", "-") + ".log"


class StartupError(RuntimeError):
    """A service died or stayed unhealthy while the stack was starting."""


@dataclass
class _Running:
    service: Service
    process: asyncio.subprocess.Process
    log: Path


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of a log file (empty if it does not exist)."""
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except FileNotFoundError:
        return ""


class Supervisor:
    """Runs ``services`` until interrupted or until one of them stops.

    Args:
        services: in start order; they are stopped in reverse order.
        log_dir: each service writes ``<name>.log`` here.
        startup_timeout: seconds every health URL has to answer.
        report: where the supervisor's own messages go (``print`` by default).
    """

    def __init__(
        self,
        services: Sequence[Service],
        log_dir: Path,
        *,
        startup_timeout: float = 180.0,
        report: Callable[[str], None] = print,
    ) -> None:
        self.services = list(services)
        self.log_dir = log_dir
        self.startup_timeout = startup_timeout
        self.report = report
        self._running: list[_Running] = []

    async def run(self, on_ready: Callable[[float], None] | None = None) -> int:
        """Starts the stack and supervises it; returns the process exit code.

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
            return await self._watch(stop)
        except StartupError as error:
            self.report(str(error))
            return 1
        finally:
            await self.stop_all()
            for stop_signal in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(stop_signal)

    async def _start_all(self, stop: asyncio.Event) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        for service in self.services:
            self._running.append(await self._spawn(service))
        deadline = time.monotonic() + self.startup_timeout
        async with httpx.AsyncClient(timeout=2.0) as client:
            await asyncio.gather(
                *(self._await_healthy(r, client, deadline, stop) for r in self._running)
            )

    async def _spawn(self, service: Service) -> _Running:
        log = self.log_dir / service.log_name
        with log.open("wb") as output:
            process = await asyncio.create_subprocess_exec(
                *service.command,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=output,
                stderr=asyncio.subprocess.STDOUT,
                env={**os.environ, **service.environment},
                start_new_session=True,  # Ctrl-C reaches the supervisor only
            )
        self.report(f"Started {service.name} (pid {process.pid}, log {log})")
        return _Running(service, process, log)

    async def _await_healthy(
        self, running: _Running, client: httpx.AsyncClient, deadline: float, stop: asyncio.Event
    ) -> None:
        url = running.service.health_url
        while not stop.is_set():
            if running.process.returncode is not None:
                raise StartupError(self._died(running, "while starting"))
            if url is None:
                return
            with contextlib.suppress(httpx.TransportError):
                await client.get(url)
                return
            if time.monotonic() > deadline:
                raise StartupError(
                    f"The {running.service.name} did not answer at {url} within "
                    f"{self.startup_timeout:g}s; its log ({running.log}) ends with:\n"
                    f"{log_tail(running.log)}"
                )
            await asyncio.sleep(HEALTH_POLL_SECONDS)

    async def _watch(self, stop: asyncio.Event) -> int:
        stopping = asyncio.create_task(stop.wait())
        exits = {asyncio.create_task(r.process.wait()): r for r in self._running}
        done, _ = await asyncio.wait([stopping, *exits], return_when=asyncio.FIRST_COMPLETED)
        for task in [stopping, *exits]:
            if task not in done:
                task.cancel()
        if stopping in done:
            return EXIT_INTERRUPTED
        died = next(exits[task] for task in done if task in exits)
        self.report(self._died(died, "unexpectedly") + "\nStopping the others.")
        return 1

    @staticmethod
    def _died(running: _Running, when: str) -> str:
        return (
            f"The {running.service.name} stopped {when} (exit code "
            f"{running.process.returncode}); its log ({running.log}) ends with:\n"
            f"{log_tail(running.log)}"
        )

    async def stop_all(self) -> None:
        """Stops every running service, newest first: SIGTERM, then SIGKILL after a grace."""
        alive = [r for r in reversed(self._running) if r.process.returncode is None]
        if alive:
            self.report("Stopping " + ", ".join(r.service.name for r in alive) + "...")
        for running in alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(running.process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(running.process.wait(), STOP_GRACE_SECONDS)
            except asyncio.TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(running.process.pid, signal.SIGKILL)
                await running.process.wait()
        self._running.clear()
