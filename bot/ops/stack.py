"""The product's processes, as ``make run`` starts them (``bot run``).

The Rasa server (REST and socket.io channels, CORS for the site origins), the
action server, the web app (demo site with the widget, sales inbox) and the
lead delivery worker, each with the health URL the supervisor waits for.
"""

from __future__ import annotations

import os
import secrets as random_secrets
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import yaml

from bot.ops.ports import can_listen
from bot.ops.rasa_server import SHARED_PORT_VARIABLE, START_AFTER_VARIABLE
from bot.ops.supervision import Service
from bot.private_files import write_private
from bot.rasa_plugins.endpoints import endpoint_passwords, endpoints
from bot.settings import Settings, sqlite_path

CREDENTIALS_FILE = Path("credentials.yml")
# What `bot serve` runs in a container, by the name its command takes.
SERVICE_NAMES = ("rasa", "actions", "web", "delivery")


def with_dev_token(settings: Settings) -> Settings:
    """In dev mode without ``SALES_API_TOKEN``, a token made up for this run."""
    if settings.sales_api_token or not settings.sales_dev_mode:
        return settings
    return replace(settings, sales_api_token=random_secrets.token_urlsafe(32))


def with_chat_session_secret(settings: Settings) -> Settings:
    """Without ``CHAT_SESSION_SECRET``, one made up for this run (never shown): every Rasa
    process of the run, restarted ones too, signs and checks chat sessions with it."""
    if settings.chat_session_secret:
        return settings
    return replace(settings, chat_session_secret=random_secrets.token_urlsafe(32))


def with_action_server_token(settings: Settings) -> Settings:
    """Without ``ACTION_SERVER_TOKEN``, one made up for this run (never shown): the action
    server takes calls from this run's Rasa processes only, not from any local process
    (an action call can store a lead)."""
    if settings.action_server_token:
        return settings
    return replace(settings, action_server_token=random_secrets.token_urlsafe(32))


def with_run_secrets(settings: Settings) -> Settings:
    """The secrets a run makes up when they are not configured: the chat sessions' and
    the action server's (and, in dev mode, the sales API token)."""
    return with_action_server_token(with_chat_session_secret(with_dev_token(settings)))


def _action_token(settings: Settings) -> dict[str, str]:
    token = settings.action_server_token
    return {"ACTION_SERVER_TOKEN": token} if token else {}


def run_dir(settings: Settings) -> Path:
    """The folder of the files written for a run's processes (Rasa's endpoints): ``run/``
    beside the log folder (``build/run``; ``/app/var/run`` in the image), not in it,
    since logs get copied into bug reports and log collectors."""
    beside = settings.log_dir.parent / "run"
    return beside if beside != settings.log_dir else settings.log_dir.parent / "run-files"


def endpoints_path(settings: Settings) -> Path:
    """Where :func:`endpoints_for` writes Rasa's endpoints file: one per Rasa port, so
    that runs side by side (tests, replicas) keep their own."""
    return run_dir(settings) / f"endpoints-{settings.rasa_port}.yml"


def endpoints_for(settings: Settings) -> Path:
    """The endpoints file for Rasa, written from the settings (action server, tracker
    store, lock store, event broker), mode 0600 in :func:`run_dir` (mode 0700).

    It holds no password: the Rasa process gets them in its environment
    (:func:`bot.rasa_plugins.endpoints.endpoint_passwords`).
    """
    path = endpoints_path(settings)
    write_private(path, yaml.safe_dump(endpoints(settings), sort_keys=False))
    store = sqlite_path(settings.tracker_store_url)
    if store is not None:
        store.parent.mkdir(parents=True, exist_ok=True)
    return path


def action_server(settings: Settings) -> Service:
    """The rasa-sdk action server with the project's actions (:mod:`bot.ops.action_server`)."""
    return Service(
        "action server",
        [
            sys.executable,
            "-m",
            "bot.ops.action_server",
            "--actions",
            "actions",
            "--port",
            str(settings.actions_port),
        ],
        health_url=f"http://127.0.0.1:{settings.actions_port}/health",
        environment=_action_token(settings),
    )


def rasa_server(settings: Settings, model: Path) -> Service:
    """The Rasa server (:mod:`bot.ops.rasa_server`) on the model, open to the site origins only."""
    return rasa_servers(settings, model)[0]


def rasa_servers(settings: Settings, model: Path) -> list[Service]:
    """``RASA_WORKERS`` Rasa server processes; several share the port (``SO_REUSEPORT``).

    The kernel spreads new connections over them, so each process serves its
    share on a core of its own; they share the tracker store and, through
    ``LOCK_STORE_URL``, each conversation's lock.
    """
    command = [
        sys.executable, "-m", "bot.ops.rasa_server", "run",
        "--model", str(model),
        "--port", str(settings.rasa_port),
        "--credentials", str(CREDENTIALS_FILE),
        "--endpoints", str(endpoints_for(settings)),
        "--cors", *settings.site_origins,
    ]  # fmt: skip
    count = settings.rasa_workers
    # A process listens only once its model is loaded, so connections go to ready
    # ones. They share one health URL: the supervisor counts each as up once it
    # listens itself, and credits each probe to the process the kernel gave it to
    # (bot.ops.supervision.health_probes). The first loads alone (it answers sooner); the others
    # start once a process listens: at once when one is restarted beside the rest.
    shared = {SHARED_PORT_VARIABLE: "true"} if count > 1 else {}
    later = {**shared, START_AFTER_VARIABLE: str(settings.rasa_port)}
    secrets = {**endpoint_passwords(settings), **_action_token(settings)}
    if settings.chat_session_secret:
        secrets["CHAT_SESSION_SECRET"] = settings.chat_session_secret
    return [
        Service(
            "Rasa server" + (f" {number}" if count > 1 else ""),
            command,
            health_url=f"http://127.0.0.1:{settings.rasa_port}/",
            environment={**(shared if number == 1 else later), **secrets},
        )
        for number in range(1, count + 1)
    ]


def web_app(settings: Settings) -> Service:
    """The demo site with the chat widget and the sales inbox."""
    environment = {"SALES_API_TOKEN": settings.sales_api_token or ""}
    return Service(
        "web app",
        [sys.executable, "-m", "bot", "web-server"],
        health_url=f"http://127.0.0.1:{settings.web_port}/health",
        environment=environment,
    )


def delivery_worker() -> Service:
    """``bot deliver``: sends stored leads to the configured channels."""
    return Service("delivery worker", [sys.executable, "-m", "bot", "deliver"])


def listening_addresses(settings: Settings) -> dict[str, tuple[str, int]]:
    """Where each server ``bot run`` starts listens, by the setting that moves it."""
    return {
        "RASA_PORT": ("0.0.0.0", settings.rasa_port),  # rasa run listens on every interface
        "ACTIONS_PORT": (settings.actions_host, settings.actions_port),
        "WEB_PORT": (settings.web_host, settings.web_port),
    }


def ports_taken(settings: Settings) -> list[str]:
    """The settings whose port another program listens on already (``RASA_PORT 5005``)."""
    return [
        f"{name} {port}"
        for name, (host, port) in listening_addresses(settings).items()
        if not can_listen(host, port)
    ]


def services(settings: Settings, model: Path) -> list[Service]:
    """Every process of the product, in start order."""
    return [
        action_server(settings),
        web_app(settings),
        delivery_worker(),
        *rasa_servers(settings, model),
    ]


def single_service(settings: Settings, model: Path | None, name: str) -> Service:
    """The service ``bot serve NAME`` runs alone, as one container does.

    Raises:
        ValueError: an unknown name, or several Rasa processes (a container runs
            one; scale out with more containers instead).
    """
    if name == "rasa":
        if settings.rasa_workers > 1:
            raise ValueError("one Rasa process per container: set RASA_WORKERS=1, add replicas")
        if model is None:
            raise ValueError("the Rasa server needs a model")
        return rasa_server(settings, model)
    if name == "actions":
        return action_server(settings)
    if name == "web":
        return web_app(settings)
    if name == "delivery":
        return delivery_worker()
    raise ValueError(f"unknown service {name!r}: one of {', '.join(SERVICE_NAMES)}")


def ready_message(settings: Settings, seconds: float, token_made_up: bool) -> str:
    """What ``make run`` prints once every service answers: the sales API token only when
    it was made up for this run (``with_dev_token``), never one configured."""
    web = f"http://localhost:{settings.web_port}"
    rasa = f"http://localhost:{settings.rasa_port}"
    token = (
        f"API token made up for this run: {settings.sales_api_token}"
        if token_made_up
        else "API token: the SALES_API_TOKEN you set"
    )
    return f"""
The bot is up ({seconds:.1f} s).
  chat:      {web}/  (the demo site with the chat widget)
  sales:     {web}/sales  ({token})
  REST:      {rasa}/webhooks/rest/  (a session first: see the README's curl example)
  terminal:  make shell
  logs:      {settings.log_dir}/
Press Ctrl-C to stop."""


def run_shell(settings: Settings, model: Path) -> int:
    """``make shell``: the action server in the background, ``rasa shell`` in this terminal."""
    server = action_server(settings)
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    with (settings.log_dir / "action server.log").open("wb") as log:
        actions = subprocess.Popen(
            server.command,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **server.environment},
        )
    try:
        _wait_until_answering(str(server.health_url), actions)
        shell = [sys.executable, "-m", "bot.ops.rasa_server", "shell", "--model", str(model)]
        environment = {**os.environ, **endpoint_passwords(settings), **_action_token(settings)}
        return subprocess.call(
            [*shell, "--endpoints", str(endpoints_for(settings))], env=environment
        )
    finally:
        actions.terminate()
        actions.wait(timeout=15)


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.25)
    raise SystemExit(f"error: the action server did not answer at {url}")
