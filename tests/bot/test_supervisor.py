"""The supervisor with real child processes: ready, a death stops all, Ctrl-C stops all."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from bot.supervisor import EXIT_INTERRUPTED, Service, Supervisor
from tests.conftest import free_port


def http_service(name: str) -> Service:
    port = free_port()
    command = [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    return Service(name, command, health_url=f"http://127.0.0.1:{port}/")


def sleeper(name: str) -> Service:
    return Service(name, [sys.executable, "-c", "import time; time.sleep(60)"])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_service_that_dies_stops_the_others(tmp_path: Path):
    web = http_service("web")
    messages: list[str] = []
    supervisor = Supervisor([web, sleeper("worker")], tmp_path, report=messages.append)
    ready: list[float] = []

    async def kill_the_worker_once_ready() -> list[int]:
        while not ready:
            await asyncio.sleep(0.05)
        pids = [running.process.pid for running in supervisor._running]
        os.kill(pids[1], signal.SIGKILL)
        return pids

    pids_task = asyncio.create_task(kill_the_worker_once_ready())
    assert await supervisor.run(on_ready=ready.append) == 1
    pids = await pids_task
    assert ready
    assert ready[0] < 30
    assert any("The worker stopped unexpectedly" in message for message in messages)
    assert not any(alive(pid) for pid in pids)


async def test_a_service_that_cannot_start_is_reported_with_its_log(tmp_path: Path):
    broken = Service("broken", [sys.executable, "-c", "print('no database'); raise SystemExit(3)"])
    messages: list[str] = []
    supervisor = Supervisor([broken, sleeper("worker")], tmp_path, report=messages.append)
    assert await supervisor.run() == 1
    failure = next(message for message in messages if "broken stopped" in message)
    assert "exit code 3" in failure
    assert "no database" in failure


async def test_sigint_stops_every_service_and_exits_130(tmp_path: Path):
    web = http_service("web")
    supervisor = Supervisor([sleeper("worker"), web], tmp_path, report=lambda _: None)
    pids: list[int] = []

    def interrupt(_: float) -> None:
        pids.extend(running.process.pid for running in supervisor._running)
        os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends

    assert await supervisor.run(on_ready=interrupt) == EXIT_INTERRUPTED
    assert len(pids) == 2
    assert not any(alive(pid) for pid in pids)
    assert (tmp_path / "web.log").exists()
