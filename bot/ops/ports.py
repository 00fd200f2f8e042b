"""Whether a TCP port is served, or free to serve on: the probes of services, servers,
`bot run` and benchmarks."""

from __future__ import annotations

import socket


def accepts_connections(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on ``host:port`` within ``timeout`` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def can_listen(host: str, port: int) -> bool:
    """Whether a server could listen on ``host:port`` now: nothing else listens there.

    Bound as servers bind (``SO_REUSEADDR``): a port left in ``TIME_WAIT`` by an
    earlier run is free; one another program listens on is not.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True
