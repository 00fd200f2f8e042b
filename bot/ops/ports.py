"""Whether a TCP port is served: the probe of services, servers and benchmarks."""

from __future__ import annotations

import socket


def accepts_connections(host: str, port: int, timeout: float = 1.0) -> bool:
    """Whether something accepts TCP connections on ``host:port`` within ``timeout`` seconds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False
