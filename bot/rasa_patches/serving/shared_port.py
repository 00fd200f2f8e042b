"""Several Rasa server processes listening on one port.

With ``RASA_WORKERS`` above 1, ``bot run`` starts that many Rasa servers on the
same port; Sanic's ``serve`` listens with ``SO_REUSEPORT`` and the kernel
spreads new connections over them (Sanic's own workers shared one socket, and
one of them took every connection).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def serving_on_a_shared_port(serve: Callable[..., Any]) -> Callable[..., Any]:
    """Sanic's ``serve`` with ``reuse_port=True``."""

    def serve_on_shared_port(*args: Any, **kwargs: Any) -> Any:
        return serve(*args, **{**kwargs, "reuse_port": True})

    return serve_on_shared_port
