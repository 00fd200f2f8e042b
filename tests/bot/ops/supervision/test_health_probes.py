"""Health probes against real servers: any answer counts, and on a port several
processes share, each verdict goes to the process the probe reached."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from bot.ops.ports import accepts_connections
from bot.ops.supervision.health_probes import answers, listens_on, probe_shared_port
from tests.conftest import ROOT, free_port


def start(command: list[str], port: int | None = None) -> subprocess.Popen:
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while port is not None and not accepts_connections("127.0.0.1", port):
        assert process.poll() is None
        assert time.monotonic() < deadline, f"nothing listens on {port}"
        time.sleep(0.05)
    return process


@pytest.fixture
def processes() -> Iterator[Callable[..., subprocess.Popen]]:
    started: list[subprocess.Popen] = []

    def start_one(command: list[str], port: int | None = None) -> subprocess.Popen:
        started.append(start(command, port))
        return started[-1]

    yield start_one
    for process in started:
        process.kill()
        process.wait()


def stand_in(port: int) -> list[str]:
    return [sys.executable, "-m", "tests.bot.http_stand_in", str(port)]


async def test_any_http_answer_counts_even_an_error_status(processes):
    port = free_port()
    processes([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"], port)
    assert await answers(f"http://127.0.0.1:{port}/no-such-page", timeout=5)


async def test_no_answer_when_nothing_listens_or_the_server_is_stopped(processes):
    assert not await answers(f"http://127.0.0.1:{free_port()}/", timeout=1)
    port = free_port()
    server = processes(stand_in(port), port)
    os.kill(server.pid, signal.SIGSTOP)
    assert not await answers(f"http://127.0.0.1:{port}/", timeout=0.5)


async def test_on_a_shared_port_each_verdict_goes_to_the_process_the_probe_reached(processes):
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    running, stopped = processes(stand_in(port), port), processes(stand_in(port), port)
    deadline = time.monotonic() + 60
    while not listens_on(stopped.pid, url):  # the port answered: maybe the other one
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(stopped.pid, signal.SIGSTOP)
    verdicts: dict[int, set[bool]] = {running.pid: set(), stopped.pid: set()}
    for _ in range(200):
        for pid, answered in (await probe_shared_port(url, list(verdicts), 0.3)).items():
            verdicts[pid].add(answered)
        if all(verdicts.values()):
            break
    assert verdicts == {running.pid: {True}, stopped.pid: {False}}


def test_a_process_listens_on_its_port_and_another_does_not(processes):
    port = free_port()
    server = processes(stand_in(port), port)
    sleeper = processes([sys.executable, "-c", "import time; time.sleep(60)"])
    assert listens_on(server.pid, f"http://127.0.0.1:{port}/") is True
    assert listens_on(sleeper.pid, f"http://127.0.0.1:{port}/") is False
