"""What the Rasa server does around loading its model and closing down.

Rasa 3.6's ``rasa.core.run.load_agent_on_start`` loads the model when the
server starts, and ``close_resources`` closes what it opened when it stops.
Around them:

- the action endpoint calls the action server over kept-alive connections
  (:class:`bot.rasa_patches.serving.action_connections.KeptAliveEndpointConfig`),
  closed with the server;
- once the model is loaded, the heap is frozen (``gc.freeze``): a loaded model
  leaves hundreds of thousands of objects, and each full garbage collection
  scanned them all, a long pause every few hundred messages.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import Any

from bot.rasa_patches.serving.action_connections import KeptAliveEndpointConfig


def loading_kept_alive_then_frozen(
    load: Callable[..., Awaitable[Any]],
) -> Callable[..., Awaitable[Any]]:
    """Rasa's ``load_agent_on_start`` with a kept-alive action endpoint, freezing
    the heap once the model is loaded."""

    async def load_agent_on_start(model_path: str, endpoints: Any, *args: Any) -> Any:
        if endpoints is not None and endpoints.action is not None:
            endpoints.action = KeptAliveEndpointConfig.from_endpoint(endpoints.action)
        agent = await load(model_path, endpoints, *args)
        gc.collect()
        gc.freeze()  # what exists now lives as long as the server: never scan it again
        return agent

    return load_agent_on_start


def closing_action_connections(
    close: Callable[[Any, asyncio.AbstractEventLoop], Awaitable[None]],
) -> Callable[[Any, asyncio.AbstractEventLoop], Awaitable[None]]:
    """Rasa's ``close_resources``, then the kept-alive action connections closed."""

    async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        await close(app, loop)
        endpoint = getattr(getattr(app.ctx, "agent", None), "action_endpoint", None)
        if isinstance(endpoint, KeptAliveEndpointConfig):
            await endpoint.close()

    return close_resources
