"""The processes under test: start, time to first answer, resident memory, stop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.load import OK, WEBHOOK, open_conversation, send, visitor_session
from bot.ops.supervision import log_tail

STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.1


class BenchProcessError(RuntimeError):
    """A process under test died or never answered."""


@dataclass(frozen=True)
class Running:
    """A started process, its log, and when it was spawned (``time.monotonic``)."""

    name: str
    process: subprocess.Popen[bytes]
    log: Path
    spawned_at: float


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def spawn(
    name: str, command: Sequence[str], log: Path, environment: Mapping[str, str], cwd: Path
) -> Running:
    """Starts ``command`` in a session of its own, its output in ``log``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        spawned_at = time.monotonic()
        process = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=dict(environment),
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Running(name, process, log, spawned_at)


def stop(running: Running) -> None:
    """SIGTERM to the process's group, SIGKILL after a grace period."""
    if running.process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(running.process.pid, signal.SIGTERM)
    try:
        running.process.wait(STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(running.process.pid, signal.SIGKILL)
        running.process.wait()


def _died(running: Running) -> BenchProcessError:
    return BenchProcessError(
        f"The {running.name} exited (code {running.process.returncode}); "
        f"its log ({running.log}) ends with:\n{log_tail(running.log)}"
    )


async def first_answer(base_url: str, running: Running, timeout: float = 300) -> float:
    """Seconds from the spawn of ``running`` until its REST channel answers
    "hello" with a non-empty reply."""
    async with visitor_session(base_url, timeout=5) as session:
        while time.monotonic() - running.spawned_at < timeout:
            if running.process.poll() is not None:
                raise _died(running)
            conversation = await open_conversation(session, "bench-start-up")
            if conversation is not None and (await send(session, conversation, "hello"))[0] == OK:
                return time.monotonic() - running.spawned_at
            await asyncio.sleep(POLL_SECONDS)
    raise BenchProcessError(f"The {running.name} did not answer at {base_url}{WEBHOOK}")


def _listening_inodes(port: int) -> set[str]:
    """Inodes of the sockets listening on ``port`` (any address), from /proc/net."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port, state = int(fields[1].rsplit(":", 1)[1], 16), fields[3]
                if local_port == port and state == "0A":  # TCP_LISTEN
                    inodes.add(fields[9])
    return inodes


def listens_on(running: Running, port: int) -> bool:
    """Whether the process itself holds a socket listening on ``port``."""
    inodes = _listening_inodes(port)
    fd_folder = Path(f"/proc/{running.process.pid}/fd")
    with contextlib.suppress(FileNotFoundError, PermissionError):
        for fd in fd_folder.iterdir():
            with contextlib.suppress(FileNotFoundError, OSError):
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return True
    return False


async def all_listening(servers: Sequence[Running], port: int, timeout: float = 300) -> None:
    """Waits until every server process listens on the port they share."""
    started = time.monotonic()
    waiting = list(servers)
    while waiting:
        if time.monotonic() - started > timeout:
            raise BenchProcessError(f"{waiting[0].name} never listened on port {port}")
        for running in waiting:
            if running.process.poll() is not None:
                raise _died(running)
        waiting = [running for running in waiting if not listens_on(running, port)]
        await asyncio.sleep(POLL_SECONDS)


def wait_healthy(url: str, running: Running, timeout: float = 120) -> None:
    """Waits until ``url`` gives any HTTP answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if running.process.poll() is not None:
            raise _died(running)
        with contextlib.suppress(httpx.TransportError):
            httpx.get(url, timeout=2)
            return
        time.sleep(POLL_SECONDS)
    raise BenchProcessError(f"The {running.name} did not answer at {url}")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    try:
        return [int(child) for child in path.read_text().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []


def process_tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(_children(current))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def cpu_seconds(running: Running) -> float:
    """CPU time (user and system) a process and its live descendants have used so far."""
    ticks = sum(_cpu_ticks(pid) for pid in process_tree(running.process.pid))
    return ticks / os.sysconf("SC_CLK_TCK")


def cpu_seconds_by_process(running: Running) -> dict[int, tuple[str, float]]:
    """Each process of the tree by its pid: its command line and its CPU time."""
    seconds = {}
    for pid in process_tree(running.process.pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (FileNotFoundError, ProcessLookupError):
            continue
        seconds[pid] = (command.strip(), _cpu_ticks(pid) / os.sysconf("SC_CLK_TCK"))
    return seconds


def machine_cpu_seconds() -> float:
    """CPU time every process on the machine has used since boot (all cores, not idle)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def resident_memory(running: Running) -> int:
    """Resident memory of a process and its descendants, in bytes."""
    return sum(rss_bytes(pid) for pid in process_tree(running.process.pid))
