"""Where a turn's time goes: the layers under the REST webhook, in one process.

The serving benchmark times the full turn over HTTP. This loads the same
model in-process and times what lies beneath it, one message at a time:

- ``parse``: ``Agent.parse_message``, the NLU pipeline alone;
- ``turn (memory)``: ``Agent.handle_message`` with Rasa's in-memory tracker
  store: NLU, policies, the answer (``action_answer_question`` on the
  project's action server, started here, over a kept-alive connection), no
  storage;
- ``turn (SQLite)``: the same with the project's SQLite tracker store, as served.

Messages are the FAQ questions of the held-out paraphrases, each in a fresh
conversation.

Run with ``make bench`` (or ``python -m bench.layers``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import yaml

from bench.retraining import ROOT
from bot.training.model_files import serving_model

REPEATS = 3
ACTION_SERVER_START_SECONDS = 120


@contextlib.contextmanager
def action_server() -> Iterator[str]:
    """The project's action server on a free port, as ``bot run`` starts it; its webhook URL."""
    from bot.ops import stack
    from bot.settings import load_settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = stack.action_server(load_settings({"ACTIONS_PORT": str(port)}))
    if service.health_url is None:
        raise RuntimeError("the action server has no health URL to wait for")
    process = subprocess.Popen(
        service.command,
        cwd=ROOT,
        env={**os.environ, **service.environment},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + ACTION_SERVER_START_SECONDS
        while True:
            try:
                urllib.request.urlopen(service.health_url, timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the action server did not start") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=30)


async def _time(step: Callable[[str, int], Awaitable[object]], texts: list[str]) -> list[float]:
    """Milliseconds of ``step`` per message, ``REPEATS`` times over ``texts`` (after a warm-up)."""
    await step(texts[0], -1)
    timings = []
    for number in range(REPEATS * len(texts)):
        started = time.perf_counter()
        await step(texts[number % len(texts)], number)
        timings.append(1000 * (time.perf_counter() - started))
    return timings


def _row(name: str, timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"{name:16} {statistics.median(timings):8.2f} {p95:8.2f}"


async def measure(model: Path, texts: list[str], actions_url: str) -> list[str]:
    """One table row per layer: median and p95 milliseconds."""
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import UserMessage
    from rasa.core.tracker_store import InMemoryTrackerStore
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    from bot import rasa_patches
    from bot.rasa_patches.serving.action_connections import KeptAliveEndpointConfig
    from bot.rasa_plugins.endpoints import endpoints
    from bot.rasa_plugins.stores.sqlite_tracker_store import SQLiteTrackerStore
    from bot.settings import load_settings

    rasa_patches.install(rasa_patches.TURN, rasa_patches.SERVING)  # as the Rasa server runs
    configure_logging_and_warnings(logging.INFO)  # as `rasa run` does by default
    configure_structlog(logging.INFO)
    served = {**endpoints(load_settings({}))["action_endpoint"], "url": actions_url}
    action_endpoint = KeptAliveEndpointConfig(**served)
    agent = await load_agent(
        model_path=str(model), endpoints=AvailableEndpoints(action=action_endpoint)
    )
    rows = [_row("parse", await _time(lambda text, _: agent.parse_message(text), texts))]

    async def turn(text: str, number: int) -> object:
        return await agent.handle_message(UserMessage(text, sender_id=f"layers-{number}"))

    agent.tracker_store = InMemoryTrackerStore(agent.domain)
    agent.processor.tracker_store = agent.tracker_store
    rows.append(_row("turn (memory)", await _time(turn, texts)))
    with tempfile.TemporaryDirectory(prefix="bench-layers-") as folder:
        store = SQLiteTrackerStore(domain=agent.domain, db=str(Path(folder) / "tracker.db"))
        agent.tracker_store = agent.processor.tracker_store = store
        rows.append(_row("turn (SQLite)", await _time(turn, texts)))
    await action_endpoint.close()
    return rows


def main() -> None:
    """Prints the table."""
    paraphrases = yaml.safe_load((ROOT / "tests/model/paraphrases.yml").read_text("utf-8"))
    texts = [row["text"] for row in paraphrases if row["expect"].startswith("faq/")]
    model = serving_model(ROOT / "models")
    with action_server() as actions_url:
        rows = asyncio.run(measure(model, texts, actions_url))
    print(
        f"\nLayers of a turn, in one process ({model.name}, {len(texts)} FAQ questions"
        f" x {REPEATS}):"
    )
    print(f"{'layer':16} {'p50 ms':>8} {'p95 ms':>8}")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
