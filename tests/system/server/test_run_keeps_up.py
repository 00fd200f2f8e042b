"""``bot run`` keeps the product up, and its secrets out of its output, logs and files.

One ``bot run`` on the real servers: two Rasa processes sharing a port, the
conversations in PostgreSQL and the locks in Redis, each reached with a
password in its URL (a Redis user of the test's own that needs it;
PostgreSQL's trust authentication ignores it), and a configured sales API
token. The action server is killed (``SIGKILL``) and one Rasa process stopped
(``SIGSTOP``, as good as hung): each is restarted and the chat answers again.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.ops.stack import endpoints_path
from bot.settings import load_settings
from tests.bot.leads.conftest import scratch_postgres_database
from tests.conftest import ROOT, free_port, trained_model
from tests.services import require_service

pytestmark = [pytest.mark.server, pytest.mark.model]

REDIS_HOST, REDIS_PORT, REDIS_DATABASE = "127.0.0.1", 6379, 14
SALES_TOKEN = "run-test-sales-token-" + secrets.token_hex(8)
# The fallback's answer comes from the action server (knowledge search).
NEEDS_ACTIONS = "qwzx plorp"
ACTIONS_ANSWER = "Discuss my team needs"


class Output:
    """Everything ``bot run`` prints, read as it comes."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[str] = []
        self.process = process
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def text(self) -> str:
        return "".join(self.lines)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        """The first match of ``pattern`` in the output (fails after ``timeout`` s)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(pattern, self.text)
            if match:
                return match
            if self.process.poll() is not None:
                pytest.fail(f"bot run exited ({self.process.returncode}):\n{self.text}")
            time.sleep(0.2)
        pytest.fail(f"bot run did not print {pattern!r} in {timeout:g} s:\n{self.text}")

    def pid_of(self, service: str) -> int:
        """The pid of ``service``'s newest process, from the supervisor's messages."""
        pids = re.findall(rf"(?:Started|Restarted) {service} \(pid (\d+),", self.text)
        return int(pids[-1])


@dataclass
class Run:
    output: Output
    rasa_url: str
    environment: dict[str, str]
    tracker_store_url: str
    secrets: list[str]


class Visitor:
    """A chat visitor on the REST channel; with a session when the channel issues them."""

    def __init__(self, rasa_url: str) -> None:
        self.url = rasa_url
        self.sender = f"run-test-{uuid.uuid4().hex[:12]}"
        self.headers: dict[str, str] = {}
        session = requests.post(f"{rasa_url}/webhooks/rest/session", timeout=30)
        if session.status_code == 200:
            self.sender = session.json()["sender"]
            self.headers = {"Authorization": f"Bearer {session.json()['token']}"}

    def say(self, message: str) -> list[dict[str, Any]]:
        answer = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": message},
            headers=self.headers,
            timeout=30,
        )
        return answer.json() if answer.status_code == 200 else []


def answered_by_the_actions(rasa_url: str) -> bool:
    try:
        replies = Visitor(rasa_url).say(NEEDS_ACTIONS)
    except (requests.RequestException, ValueError):
        return False
    return any(
        button.get("title") == ACTIONS_ANSWER
        for reply in replies
        for button in reply.get("buttons", [])
    )


@pytest.fixture(scope="module")
def redis_user() -> Iterator[tuple[str, str]]:
    """A Redis user that only its password lets in; deleted afterwards."""
    import redis

    require_service("redis", REDIS_HOST, REDIS_PORT)
    name, password = f"bot-run-test-{uuid.uuid4().hex[:8]}", secrets.token_urlsafe(16)
    admin = redis.Redis(host=REDIS_HOST, port=REDIS_PORT)
    admin.acl_setuser(
        name, enabled=True, passwords=[f"+{password}"], keys=["*"], channels=["*"],
        commands=["+@all"],
    )  # fmt: skip
    try:
        yield name, password
    finally:
        admin.acl_deluser(name)
        admin.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, redis_user: tuple[str, str]) -> Iterator[Run]:
    trained_model()
    folder = tmp_path_factory.mktemp("run")
    user, redis_password = redis_user
    postgres_password = "pg-" + secrets.token_urlsafe(12)
    with scratch_postgres_database() as database_url:
        tracker_store_url = (
            make_url(database_url).set(password=postgres_password).render_as_string(False)
        )
        environment = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("SALES_", "SMTP_"))},
            "RASA_WORKERS": "2",
            "RASA_PORT": str(free_port()),
            "ACTIONS_PORT": str(free_port()),
            "WEB_PORT": str(free_port()),
            "SALES_API_TOKEN": SALES_TOKEN,
            "DATABASE_URL": f"sqlite:///{folder / 'leads.db'}",
            "TRACKER_STORE_URL": tracker_store_url,
            "LOCK_STORE_URL": (
                f"redis://{user}:{redis_password}@{REDIS_HOST}:{REDIS_PORT}/{REDIS_DATABASE}"
            ),
            "LEAD_SPOOL_PATH": str(folder / "spool" / "leads.jsonl"),
            "LOG_DIR": str(folder / "logs"),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        output = Output(process)
        try:
            output.wait_for("The bot is up", timeout=420)
            rasa_url = f"http://127.0.0.1:{environment['RASA_PORT']}"
            secret_values = [SALES_TOKEN, redis_password, postgres_password]
            yield Run(output, rasa_url, environment, tracker_store_url, secret_values)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                process.wait(timeout=90)


def test_conversations_go_to_postgresql_through_the_endpoints_file_s_variables(served: Run):
    visitor = Visitor(served.rasa_url)
    assert visitor.say("hello")
    engine = create_engine(served.tracker_store_url)
    try:
        with engine.connect() as connection:
            stored = connection.execute(
                text("SELECT count(*) FROM events WHERE sender_id = :sender"),
                {"sender": visitor.sender},
            ).scalar_one()
    finally:
        engine.dispose()
    assert stored > 0


def test_the_endpoints_file_is_private_outside_the_logs_and_holds_no_password(served: Run):
    path = ROOT / endpoints_path(load_settings(served.environment))
    logs = Path(served.environment["LOG_DIR"])
    assert logs not in path.resolve().parents
    assert path.stat().st_mode & 0o777 == 0o600
    content = path.read_text()
    assert "${TRACKER_STORE_PASSWORD}" in content
    assert "${LOCK_STORE_PASSWORD}" in content
    assert not any(secret in content for secret in served.secrets)


def test_a_killed_action_server_is_restarted_and_the_chat_answers_again(served: Run):
    output = served.output
    assert answered_by_the_actions(served.rasa_url)
    killed = time.monotonic()
    os.kill(output.pid_of("action server"), signal.SIGKILL)
    output.wait_for(
        r"The action server stopped \(exit code -9\); restarting it in 1 s \(restart 1\)", 60
    )
    deadline = time.monotonic() + 180
    while not answered_by_the_actions(served.rasa_url):
        assert time.monotonic() < deadline, output.text
        time.sleep(0.5)
    print(f"the chat answered with the action server again {time.monotonic() - killed:.1f} s")


def test_a_hung_rasa_process_of_two_is_restarted_and_the_other_is_left_alone(served: Run):
    output = served.output
    first, second = output.pid_of("Rasa server 1"), output.pid_of("Rasa server 2")
    stopped = time.monotonic()
    os.kill(second, signal.SIGSTOP)
    output.wait_for(r"The Rasa server 2 did not answer its health check 3 times in \d+ s", 240)
    output.wait_for(r"The Rasa server 2 is up again", 420)
    print(f"Rasa server 2 served again {time.monotonic() - stopped:.1f} s after it hung")
    assert output.pid_of("Rasa server 1") == first
    assert "The Rasa server 1 did not answer" not in output.text
    assert output.pid_of("Rasa server 2") != second
    assert all(answered_by_the_actions(served.rasa_url) for _ in range(6))


def test_the_action_server_of_a_run_takes_calls_from_its_rasa_processes_only(served: Run):
    actions = f"http://127.0.0.1:{served.environment['ACTIONS_PORT']}/webhook"
    call = {"next_action": "action_submit_lead", "sender_id": "someone", "tracker": {}}
    assert requests.post(actions, json=call, timeout=30).status_code == 401
    assert answered_by_the_actions(served.rasa_url)  # Rasa's calls carry the run's token


def test_what_the_run_writes_is_readable_by_its_user_only(served: Run):
    leads = Path(served.environment["DATABASE_URL"].removeprefix("sqlite:///"))
    logs = Path(served.environment["LOG_DIR"])
    written = [leads, *logs.glob("*.log")]
    assert len(written) > 3
    assert {path.name: path.stat().st_mode & 0o077 for path in written} == {
        path.name: 0 for path in written
    }


def test_the_endpoints_file_goes_with_the_run(served: Run):
    path = ROOT / endpoints_path(load_settings(served.environment))
    assert path.exists()
    os.killpg(served.output.process.pid, signal.SIGINT)  # Ctrl-C
    assert served.output.process.wait(timeout=90) == 130
    assert not path.exists()


def test_no_secret_shows_in_the_output_or_the_logs(served: Run):
    logs = Path(served.environment["LOG_DIR"])
    written = {path.name: path.read_text(errors="replace") for path in logs.iterdir()}
    assert "supervisor.log" in written
    for secret in served.secrets:
        assert secret not in served.output.text
        assert not [name for name, content in written.items() if secret in content]
