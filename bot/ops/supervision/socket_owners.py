"""Which process holds a TCP socket of this machine, read from Linux's ``/proc``.

Several Rasa server processes can listen on one port (``SO_REUSEPORT``); the
kernel hands each new connection to one of them, so a health probe of that
port reaches whichever it picks. These functions tell which one it was: a
connection the kernel has handed over is a socket in one process's open files,
and one not accepted yet waits in the queue of one process's listening socket.
Elsewhere than on Linux they answer ``None``: nobody can tell.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

TCP_TABLES = (Path("/proc/net/tcp"), Path("/proc/net/tcp6"))
LISTEN_STATE = "0A"  # TCP_LISTEN in the kernel's tables


@dataclass(frozen=True)
class TcpSocket:
    """One line of the kernel's TCP table."""

    local_port: int
    remote_port: int
    listening: bool
    # A listening socket's connections waiting to be accepted.
    queued: int
    # 0 while no process holds it (a connection waiting in a listener's queue).
    inode: int


def _port(address: str) -> int:
    return int(address.rpartition(":")[2], 16)


def _parse(line: str) -> TcpSocket:
    fields = line.split()
    return TcpSocket(
        local_port=_port(fields[1]),
        remote_port=_port(fields[2]),
        listening=fields[3] == LISTEN_STATE,
        queued=int(fields[4].partition(":")[2], 16),
        inode=int(fields[9]),
    )


def tcp_sockets() -> list[TcpSocket] | None:
    """Every TCP socket (IPv4 and IPv6) of this network namespace; None without ``/proc``."""
    sockets: list[TcpSocket] = []
    for table in TCP_TABLES:
        try:
            lines = table.read_text(encoding="ascii").splitlines()[1:]
        except FileNotFoundError:  # a kernel without IPv6 (or, for the first, no /proc)
            if table == TCP_TABLES[0]:
                return None
            continue
        except OSError:  # not readable here (a sandbox): as without /proc
            return None
        sockets.extend(_parse(line) for line in lines if line.strip())
    return sockets


def socket_inodes(pid: int) -> set[int]:
    """The inodes of the sockets process ``pid`` has open (none once it has ended)."""
    folder = f"/proc/{pid}/fd"
    inodes: set[int] = set()
    try:
        descriptors = os.listdir(folder)
    except OSError:
        return inodes
    for descriptor in descriptors:
        try:
            target = os.readlink(f"{folder}/{descriptor}")
        except OSError:  # closed meanwhile
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def listeners(port: int, pids: list[int]) -> dict[int, TcpSocket] | None:
    """The listening socket on ``port`` of each of ``pids`` that has one; None without ``/proc``."""
    sockets = tcp_sockets()
    if sockets is None:
        return None
    return _listeners_among(sockets, port, _holders(pids))


def _holders(pids: list[int]) -> dict[int, int]:
    return {inode: pid for pid in pids for inode in socket_inodes(pid)}


def _listeners_among(
    sockets: list[TcpSocket], port: int, holders: dict[int, int]
) -> dict[int, TcpSocket]:
    return {
        holders[s.inode]: s
        for s in sockets
        if s.listening and s.local_port == port and s.inode in holders
    }


@dataclass(frozen=True)
class ConnectionOwner:
    """Who has a connection to a port shared by several processes."""

    # The process holding its server side; None while it waits to be accepted.
    holder: int | None
    # The processes with connections waiting in their listening socket's queue.
    queueing: frozenset[int]
    # The processes with no listening socket on the port at all.
    not_listening: frozenset[int]


def connection_owner(port: int, client_port: int | None, pids: list[int]) -> ConnectionOwner | None:
    """Which of ``pids`` has the connection from ``client_port`` (this machine) to ``port``.

    Args:
        port: the port the processes share.
        client_port: the connection's port on the client's side; None: no connection
            was made (then only the listeners' state is known).
        pids: the processes sharing ``port``.

    Returns:
        None without ``/proc``.
    """
    sockets = tcp_sockets()
    if sockets is None:
        return None
    holders = _holders(pids)
    server_side = next(
        (
            s
            for s in sockets
            if client_port is not None
            and not s.listening
            and s.local_port == port
            and s.remote_port == client_port
        ),
        None,
    )
    found = _listeners_among(sockets, port, holders)
    return ConnectionOwner(
        holder=holders.get(server_side.inode) if server_side is not None else None,
        queueing=frozenset(pid for pid, listener in found.items() if listener.queued),
        not_listening=frozenset(set(pids) - set(found)),
    )
