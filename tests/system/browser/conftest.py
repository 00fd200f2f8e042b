"""The whole product for browser tests, and a headless Chromium to drive it.

The stack is the one ``make run`` starts (the services of :mod:`bot.ops.stack`)
on free ports with a lead store of its own; each process is started here
rather than by the supervisor, so a test can stop and restart the Rasa
server. The browser is Debian's ``chromium`` driven by Playwright; nothing
is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops import stack
from bot.ops.supervision import Service, log_tail
from bot.settings import load_settings
from tests.conftest import ROOT, free_port, trained_model

SALES_TOKEN = "browser-test-token"
SESSION_SECRET = "the-browser-tests-chat-session-secret"
SCREENSHOTS = ROOT / "reports" / "screenshots"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
STARTUP_SECONDS = 240


@dataclass
class Stack:
    """The running product: its URLs, and control over each process."""

    environment: dict[str, str]
    log_dir: Path
    services: dict[str, Service]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.environment['WEB_PORT']}"

    def start(self, name: str, **overrides: str) -> None:
        """Starts process ``name``, its environment changed by ``overrides``."""
        service = self.services[name]
        log = (self.log_dir / service.log_name).open("ab")
        self.processes[name] = subprocess.Popen(
            service.command,
            cwd=ROOT,
            env={**self.environment, **service.environment, **overrides},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.wait_until_healthy(name)

    def wait_until_healthy(self, name: str) -> None:
        service, process = self.services[name], self.processes[name]
        deadline = time.monotonic() + STARTUP_SECONDS
        while service.health_url and time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"{name} exited:\n{log_tail(self.log_dir / service.log_name)}")
            try:
                httpx.get(service.health_url, timeout=2)
                return
            except httpx.TransportError:
                time.sleep(0.3)
        if service.health_url:
            pytest.fail(f"{name} did not become healthy in {STARTUP_SECONDS}s")

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium (make test installs it); skipped locally when missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is not installed: `make browser` installs Debian's package")
        pytest.skip("chromium is not installed (make browser)")
    return path


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa, the action server, the web app and the delivery worker, all real."""
    model = trained_model()
    folder = tmp_path_factory.mktemp("stack")
    web_port, rasa_port = free_port(), free_port()
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SALES_", "SMTP_"))},
        "DATABASE_URL": f"sqlite:///{folder / 'leads.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{folder / 'tracker.db'}",
        "SALES_API_TOKEN": SALES_TOKEN,
        "WEB_PORT": str(web_port),
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(free_port()),
        "SITE_ORIGINS": f"http://127.0.0.1:{web_port}",
        "CHAT_SERVER_URL": f"http://127.0.0.1:{rasa_port}",
        "CHAT_SESSION_SECRET": SESSION_SECRET,
        "LOG_DIR": str(folder),
    }
    settings = load_settings(environment)
    services = {
        "actions": stack.action_server(settings),
        "web": stack.web_app(settings),
        "rasa": stack.rasa_server(settings, model),
    }
    product = Stack(environment, folder, services)
    subprocess.run(
        [sys.executable, "-m", "bot", "db", "upgrade"], cwd=ROOT, env=environment, check=True
    )
    try:
        for name in services:
            product.start(name)
        yield product
    finally:
        for name in list(product.processes):
            product.stop(name)


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    """Headless Chromium; closed after the module, since Playwright's sync API keeps
    an event loop running that the in-process model tests need free."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page_errors() -> list[str]:
    """Script errors and dialogs (an ``alert`` would mean injected script ran)."""
    return []


@pytest.fixture
def page(browser: Any, product: Stack, page_errors: list[str]) -> Iterator[Any]:
    """A fresh browser context (own storage) on the demo site's home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.on("pageerror", lambda error: page_errors.append(str(error)))

    def refuse(dialog: Any) -> None:
        page_errors.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", refuse)
    page.goto(product.site_url + "/")
    yield page
    context.close()


def screenshot(page: Any, name: str) -> None:
    """Saves ``reports/screenshots/<name>.png`` (linked from docs/widget.md)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
