"""The supervisor with real child processes: ready, a dead or hung one restarted while
the others go on, a broken one failing the start-up, Ctrl-C stopping all."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.ops.supervision import EXIT_INTERRUPTED, Service, Supervisor
from bot.ops.supervision.restart_policy import RestartCount, RestartPolicy
from tests.conftest import ROOT, free_port

# Probes often, so that a hang is found in seconds; a healthy stand-in answers within
# 2 s even on a busy machine.
QUICK_PROBES = RestartPolicy(
    probe_interval_seconds=0.2, probe_timeout_seconds=2.0, failed_probes_to_restart=3
)


def http_service(name: str, port: int | None = None) -> Service:
    """A keep-alive HTTP server; services given the same ``port`` share it."""
    port = port or free_port()
    command = [sys.executable, "-m", "tests.bot.http_stand_in", str(port)]
    return Service(
        name,
        command,
        health_url=f"http://127.0.0.1:{port}/",
        environment={"PYTHONPATH": str(ROOT)},
    )


def sleeper(name: str, seconds: float = 60) -> Service:
    return Service(name, [sys.executable, "-c", f"import time; time.sleep({seconds})"])


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended but not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def pids(supervisor: Supervisor) -> list[int]:
    return [running.process.pid for running in supervisor._running]


async def until(condition: Callable[[], object], what: str, timeout: float = 120) -> None:
    """Waits until ``condition()`` holds (the timeout only stops a test that would hang)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            pytest.fail(f"waited {timeout:g} s in vain for: {what}")
        await asyncio.sleep(0.05)


def interrupt() -> None:
    os.kill(os.getpid(), signal.SIGINT)  # what Ctrl-C sends


class Recorded:
    """The supervisor's messages and the backoff waits it asked for (none of them waited)."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.waits: list[float] = []
        self.ready: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    def said(self, text: str) -> bool:
        return any(text in message for message in self.messages)


async def test_a_service_that_dies_is_restarted_while_the_others_keep_running(tmp_path: Path):
    recorded = Recorded()
    supervisor = Supervisor(
        [http_service("web"), sleeper("worker")],
        tmp_path,
        report=recorded.messages.append,
        sleep=recorded.sleep,
    )
    running = asyncio.create_task(supervisor.run(on_ready=recorded.ready.append))
    await until(lambda: recorded.ready, "ready")
    web, worker = pids(supervisor)
    os.kill(worker, signal.SIGKILL)
    await until(lambda: recorded.said("The worker is up again"), "the worker restarted")

    assert recorded.said("The worker stopped (exit code -9); restarting it in 1 s (restart 1)")
    assert pids(supervisor)[0] == web
    assert alive(web)
    assert pids(supervisor)[1] != worker
    assert alive(pids(supervisor)[1])
    assert recorded.waits == [1.0]
    logged = (tmp_path / "supervisor.log").read_text()
    assert "The worker stopped (exit code -9); restarting it in 1 s (restart 1)" in logged
    interrupt()
    assert await running == EXIT_INTERRUPTED
    assert not any(alive(pid) for pid in [web, *pids(supervisor)])


async def test_a_service_that_stops_answering_is_killed_and_restarted(tmp_path: Path):
    recorded = Recorded()
    supervisor = Supervisor(
        [http_service("web"), sleeper("worker")],
        tmp_path,
        report=recorded.messages.append,
        policy=QUICK_PROBES,
        sleep=recorded.sleep,
    )
    running = asyncio.create_task(supervisor.run(on_ready=recorded.ready.append))
    await until(lambda: recorded.ready, "ready")
    web, worker = pids(supervisor)
    os.kill(web, signal.SIGSTOP)  # as good as hung: it accepts nothing, answers nothing
    await until(lambda: recorded.said("The web is up again"), "the web restarted")

    assert recorded.said("The web did not answer its health check 3 times in")
    assert not alive(web)
    assert pids(supervisor)[1] == worker
    note = "bot run restarts the web: it did not answer its health check 3 times"
    assert note in (tmp_path / "web.log").read_text()
    interrupt()
    assert await running == EXIT_INTERRUPTED


async def test_of_two_processes_sharing_a_port_the_one_that_hangs_or_dies_is_restarted(
    tmp_path: Path,
):
    recorded = Recorded()
    port = free_port()
    supervisor = Supervisor(
        [http_service("web 1", port), http_service("web 2", port)],
        tmp_path,
        report=recorded.messages.append,
        policy=QUICK_PROBES,
        sleep=recorded.sleep,
    )
    running = asyncio.create_task(supervisor.run(on_ready=recorded.ready.append))
    await until(lambda: recorded.ready, "ready")
    first, second = pids(supervisor)

    os.kill(second, signal.SIGSTOP)
    await until(lambda: recorded.said("The web 2 is up again"), "web 2 restarted")
    assert recorded.said("The web 2 did not answer its health check 3 times in")
    assert not recorded.said("The web 1 did not answer")
    assert pids(supervisor)[0] == first
    assert not alive(second)

    os.kill(first, signal.SIGKILL)
    await until(lambda: recorded.said("The web 1 is up again"), "web 1 restarted")
    assert recorded.said("The web 1 stopped (exit code -9); restarting it in 1 s (restart 1)")
    assert pids(supervisor)[0] != first
    interrupt()
    assert await running == EXIT_INTERRUPTED


def dies_after_its_first_run(name: str, folder: Path) -> Service:
    """A worker whose first process runs until killed, and every later one exits at once."""
    script = (
        "import pathlib, sys, time\n"
        "ran = pathlib.Path(sys.argv[1])\n"
        "if not ran.exists():\n"
        "    ran.touch()\n"
        "    time.sleep(60)\n"
    )
    return Service(name, [sys.executable, "-c", script, str(folder / f"{name}.ran")])


async def test_restarts_in_a_row_wait_twice_as_long_each_time_up_to_the_cap(tmp_path: Path):
    recorded = Recorded()
    policy = RestartPolicy(backoff_base_seconds=1, backoff_max_seconds=8)

    async def sleep(seconds: float) -> None:
        await recorded.sleep(seconds)
        if len(recorded.waits) == 6:
            interrupt()

    supervisor = Supervisor(
        [dies_after_its_first_run("worker", tmp_path)], tmp_path,
        report=recorded.messages.append, policy=policy, sleep=sleep,
    )  # fmt: skip
    running = asyncio.create_task(supervisor.run(on_ready=recorded.ready.append))
    await until(lambda: recorded.ready, "ready")
    os.kill(pids(supervisor)[0], signal.SIGKILL)
    assert await running == EXIT_INTERRUPTED
    assert recorded.waits == [1, 2, 4, 8, 8, 8]
    assert recorded.said("restarting it in 8 s (restart 6)")


async def test_a_process_that_stayed_up_a_while_starts_the_backoff_again(tmp_path: Path):
    recorded = Recorded()
    ticks = itertools.count(step=100.0)  # each reading of the clock is 100 s later
    supervisor = Supervisor(
        [sleeper("worker")], tmp_path, report=recorded.messages.append,
        sleep=recorded.sleep, clock=lambda: next(ticks),
    )  # fmt: skip
    running = asyncio.create_task(supervisor.run(on_ready=recorded.ready.append))
    await until(lambda: recorded.ready, "ready")
    for restart in (1, 2, 3):
        os.kill(pids(supervisor)[0], signal.SIGKILL)
        await until(lambda restart=restart: len(recorded.waits) == restart, f"restart {restart}")
        await until(lambda: supervisor._running[0].is_up(), f"up after restart {restart}")
    interrupt()
    assert await running == EXIT_INTERRUPTED
    assert recorded.waits == [1, 1, 1]
    assert recorded.said("restarting it in 1 s (restart 3)")


def test_the_wait_doubles_up_to_the_cap_and_starts_again_after_a_stable_run():
    count = RestartCount(RestartPolicy(backoff_base_seconds=1, backoff_max_seconds=30))
    waits = [count.next_delay(up_for=5) for _ in range(7)]
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    assert count.next_delay(up_for=60) == 1
    assert count.next_delay(up_for=0) == 2
    assert count.total == 9


async def test_a_service_that_cannot_start_fails_the_start_up_with_its_log(tmp_path: Path):
    exits = [sys.executable, "-c", "print('no database'); raise SystemExit(3)"]
    broken = Service("broken", exits, health_url=f"http://127.0.0.1:{free_port()}/")
    recorded = Recorded()
    supervisor = Supervisor(
        [broken, sleeper("worker")], tmp_path, report=recorded.messages.append,
        sleep=recorded.sleep,
    )  # fmt: skip
    assert await supervisor.run() == 1
    failure = next(message for message in recorded.messages if "broken stopped" in message)
    assert "exit code 3" in failure
    assert "no database" in failure
    assert not recorded.said("restarting")
    assert recorded.waits == []


async def test_sigint_stops_every_service_in_reverse_order_and_exits_130(tmp_path: Path):
    recorded = Recorded()
    supervisor = Supervisor(
        [sleeper("worker"), http_service("web")], tmp_path, report=recorded.messages.append
    )
    started: list[int] = []

    def on_ready(_: float) -> None:
        started.extend(pids(supervisor))
        interrupt()

    assert await supervisor.run(on_ready=on_ready) == EXIT_INTERRUPTED
    assert len(started) == 2
    assert not any(alive(pid) for pid in started)
    assert recorded.said("Stopping web, worker...")
    assert (tmp_path / "web.log").exists()


async def test_ctrl_c_stops_a_stopped_service_with_sigterm_too(tmp_path: Path):
    recorded = Recorded()
    supervisor = Supervisor([sleeper("worker")], tmp_path, report=recorded.messages.append)
    processes = []

    def stop_it_then_interrupt(_: float) -> None:
        processes.extend(running.process for running in supervisor._running)
        os.kill(processes[0].pid, signal.SIGSTOP)
        interrupt()

    assert await supervisor.run(on_ready=stop_it_then_interrupt) == EXIT_INTERRUPTED
    assert processes[0].returncode == -signal.SIGTERM  # not killed after the grace


SUPERVISOR_OF_ONE_SLEEPER = """
import asyncio, sys
from pathlib import Path
from bot.ops.supervision import Service, Supervisor

pid_file = sys.argv[1]
code = f"import os, time; open({pid_file!r}, 'w').write(str(os.getpid())); time.sleep(120)"
service = Service("sleeper", [sys.executable, "-c", code])
asyncio.run(Supervisor([service], Path(sys.argv[2]), report=lambda _: None).run())
"""


def test_the_services_end_when_the_supervisor_is_killed(tmp_path: Path):
    pid_file = tmp_path / "service.pid"
    command = [sys.executable, "-c", SUPERVISOR_OF_ONE_SLEEPER, str(pid_file), str(tmp_path)]
    supervisor = subprocess.Popen(command, cwd=ROOT)
    try:
        asyncio.run(until(lambda: pid_file.exists() and pid_file.read_text(), "the service"))
        service = int(pid_file.read_text())
        assert alive(service)
        supervisor.kill()  # SIGKILL: no chance to stop anything itself
        supervisor.wait(timeout=60)
        asyncio.run(until(lambda: not alive(service), "the orphaned service to end"))
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
