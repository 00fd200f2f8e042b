"""bot.rasa_patches.serving.shared_port: Sanic listens with SO_REUSEPORT."""

from __future__ import annotations

from typing import Any

from bot.rasa_patches.serving.shared_port import serving_on_a_shared_port


def test_every_server_listens_on_a_shared_port():
    calls: list[tuple[Any, dict[str, Any]]] = []

    def serve(*args: Any, **kwargs: Any) -> str:
        calls.append((args, kwargs))
        return "served"

    assert serving_on_a_shared_port(serve)("host", port=5005, reuse_port=False) == "served"
    assert calls == [(("host",), {"port": 5005, "reuse_port": True})]
