"""Shared fixtures: project paths, the project's data, and the trained model."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
# The project's action server, as bot run starts it (add --port).
ACTION_SERVER_COMMAND = (sys.executable, "-m", "bot.ops.action_server", "--actions", "actions")


def trained_model() -> Path:
    """The model ``make run`` serves (the newest); fails the test when there is none."""
    from bot.training.model_files import ModelError, serving_model

    try:
        return serving_model(ROOT / "models")
    except ModelError as error:
        pytest.fail(f"{error} (make test does it)")


def load_yaml(relative: str) -> Any:
    """Parses one of the project's YAML files."""
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


NLU_FILES = ("data/nlu.yml", "data/nlu_lead.yml")


def nlu_examples() -> dict[str, list[str]]:
    """Training examples of the NLU files by intent (retrieval intents in full)."""
    examples: dict[str, list[str]] = {}
    for path in NLU_FILES:
        for block in load_yaml(path)["nlu"]:
            if "intent" in block:
                lines = block["examples"].strip().splitlines()
                texts = [line.strip()[2:].strip() for line in lines]
                examples.setdefault(block["intent"], []).extend(texts)
    return examples


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The parsed domain.yml."""
    return load_yaml("domain.yml")


@pytest.fixture(scope="session")
def event_loop_for_model() -> Iterator[asyncio.AbstractEventLoop]:
    """One event loop for everything that uses the in-process model."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


def free_port() -> int:
    """A TCP port on localhost that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen, timeout: float) -> None:
    """Polls ``url`` until it answers; fails if ``process`` exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server behind {url} exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.3)
    pytest.fail(f"{url} did not answer within {timeout}s")


@pytest.fixture(scope="session")
def lead_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite lead store of its own for the test session's action server."""
    return f"sqlite:///{tmp_path_factory.mktemp('leads') / 'leads.db'}"


@pytest.fixture(scope="session")
def action_server_url(lead_database_url: str) -> Iterator[str]:
    """The project's real action server (rasa-sdk) on a free port."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": lead_database_url}
    for name in ("SALES_WEBHOOK_URL", "SMTP_HOST"):  # no delivery from tests
        environment.pop(name, None)
    process = subprocess.Popen(
        [*ACTION_SERVER_COMMAND, "--port", str(port)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", process, timeout=60)
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def agent(event_loop_for_model: asyncio.AbstractEventLoop, action_server_url: str) -> Iterator[Any]:
    """The trained bot loaded in process (Rasa's Agent) with the real action server."""
    from rasa.core.agent import Agent

    from bot import rasa_patches
    from bot.rasa_patches.serving.action_connections import KeptAliveEndpointConfig
    from bot.rasa_plugins.endpoints import endpoints
    from bot.settings import load_settings

    # As the server does: the model tests exercise what is served.
    before = set(rasa_patches.installed_targets())
    assert rasa_patches.install(rasa_patches.TURN)
    os.chdir(ROOT)  # SpacyNLP loads build/spacy relative to the project root
    # As bot run calls the action server: its endpoint's options (the domain sent
    # only to the actions marked send_domain), over kept-alive connections.
    served = {**endpoints(load_settings({}))["action_endpoint"], "url": action_server_url}
    action_endpoint = KeptAliveEndpointConfig(**served)
    yield Agent.load(str(trained_model()), action_endpoint=action_endpoint)
    event_loop_for_model.run_until_complete(action_endpoint.close())
    rasa_patches.restore(tuple(set(rasa_patches.installed_targets()) - before))
