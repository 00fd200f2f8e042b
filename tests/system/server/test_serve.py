"""`make run` (``bot run``) brings up every real server and stops them all on Ctrl-C."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests

from bot.delivery.webhook import verify_signature
from tests.conftest import ROOT, free_port, trained_model
from tests.system.server.rest_visitor import RestVisitor
from tests.system.server.socket_visitor import SocketVisitor

pytestmark = [pytest.mark.server, pytest.mark.model]


SALES_TOKEN = "test-sales-token"
WEBHOOK_SECRET = "test-webhook-secret"


class _Receiver(BaseHTTPRequestHandler):
    """A sales CRM stand-in: records every JSON POST it gets."""

    received: ClassVar[list[tuple[dict[str, str], bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def webhook_receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/leads", _Receiver.received
    server.shutdown()


@pytest.fixture(scope="module")
def serve_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The logs and databases of the served bot."""
    return tmp_path_factory.mktemp("served")


@pytest.fixture(scope="module")
def served_bot(
    serve_dir: Path, webhook_receiver: tuple[str, list]
) -> Iterator[tuple[str, subprocess.Popen, int]]:
    trained_model()  # fails early when there is none; bot run serves it
    rasa_port, actions_port, web_port = free_port(), free_port(), free_port()
    logs = serve_dir
    env = {
        **os.environ,
        "RASA_PORT": str(rasa_port),
        "ACTIONS_PORT": str(actions_port),
        "WEB_PORT": str(web_port),
        "SALES_API_TOKEN": SALES_TOKEN,
        "SALES_WEBHOOK_URL": webhook_receiver[0],
        "SALES_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DATABASE_URL": f"sqlite:///{logs / 'leads.db'}",
        "TRACKER_STORE_URL": f"sqlite:///{logs / 'tracker.db'}",
        "LOG_DIR": str(logs),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        wait_for_line(process, "The bot is up", timeout=240)
        yield f"http://127.0.0.1:{rasa_port}", process, web_port
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)


def wait_for_line(process: subprocess.Popen, marker: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    seen = []
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            pytest.fail("bot run exited early:\n" + "".join(seen))
        seen.append(line)
        if marker in line:
            return
    pytest.fail(f"bot run did not print {marker!r} within {timeout}s:\n" + "".join(seen))


def test_rest_webhook_answers_a_question(served_bot):
    url, _, _ = served_bot
    visitor = RestVisitor.start(url)
    reply = visitor.post("what is the difference between outsourcing and offshoring")
    assert reply.status_code == 200
    [message] = reply.json()
    assert message["recipient_id"] == visitor.sender
    assert "who" in message["text"].lower()
    assert message["buttons"]


def test_fallback_reaches_the_action_server_over_http(served_bot):
    url, _, _ = served_bot
    [message] = RestVisitor.start(url).say("qwzx plorp")
    assert message["buttons"][-1]["title"] == "Discuss my team needs"


def test_rasa_allows_cross_origin_requests_only_from_the_site_origins(served_bot):
    url, _, web_port = served_bot
    site = f"http://localhost:{web_port}"  # SITE_ORIGINS unset: the demo site of this run
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    allowed = requests.options(
        f"{url}/webhooks/rest/webhook",
        headers={"Origin": site, **preflight},
        timeout=10,
    )
    other = requests.options(
        f"{url}/webhooks/rest/webhook",
        headers={"Origin": "https://evil.example", **preflight},
        timeout=10,
    )
    assert allowed.headers.get("Access-Control-Allow-Origin") == site
    assert "Access-Control-Allow-Origin" not in other.headers


def test_socketio_channel_is_served(served_bot):
    url, _, _ = served_bot
    handshake = requests.get(f"{url}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200
    assert '"sid"' in handshake.text


def test_a_conversation_over_socketio_survives_payloads_it_cannot_read(served_bot):
    url, _, _ = served_bot

    async def talk() -> dict[str, Any]:
        visitor = SocketVisitor()
        await visitor.connect(url)
        try:
            forged = await visitor.session({"session_id": "../../not an id"})
            session = await visitor.new_session()
            ask = {"session_id": session["session_id"]}
            return {
                "forged": forged["session_id"],
                "session": session,
                "greeting": await visitor.send({**ask, "message": "hello"}),
                "not an object": await visitor.send("hello"),
                "a number": await visitor.send({**ask, "message": 5}),
                "bad metadata": await visitor.send({**ask, "message": "hi", "metadata": "{"}),
                "empty": await visitor.send({**ask, "message": " \u200b "}),
                "too long": await visitor.send({**ask, "message": "a" * 20_000}),
                "question": await visitor.send(
                    {**ask, "message": "who is the legal employer of an outstaffed developer?"}
                ),
            }
        finally:
            await visitor.close()

    replies = asyncio.run(talk())
    assert replies["forged"] != "../../not an id"
    assert replies["session"]["token"]
    assert replies["greeting"]
    for unread in ("not an object", "a number", "bad metadata"):
        assert "couldn't read that message" in replies[unread], unread
    assert "didn't get any text" in replies["empty"]
    assert "20,000 characters" in replies["too long"]
    assert "employer" in replies["question"].lower()


def test_a_confirmed_lead_reaches_the_sales_api_and_the_webhook(served_bot, webhook_receiver):
    url, _, web_port = served_bot
    visitor = RestVisitor.start(url)
    for message in [
        "we need 3 senior Python developers for 6 months starting ASAP",
        "Jane Doe, Acme Ltd, jane@acme.example",
    ]:
        visitor.say(message)
    [reply] = visitor.say("/confirm_lead")
    assert "within one business day" in reply["text"]

    leads = requests.get(
        f"http://127.0.0.1:{web_port}/api/leads",
        headers={"Authorization": f"Bearer {SALES_TOKEN}"},
        timeout=10,
    ).json()["leads"]
    assert [lead["email"] for lead in leads] == ["jane@acme.example"]

    received = webhook_receiver[1]
    deadline = time.monotonic() + 30
    while not received and time.monotonic() < deadline:
        time.sleep(0.2)
    [(headers, body)] = received
    assert verify_signature(WEBHOOK_SECRET, headers["X-Agency-Signature"], body)
    assert json.loads(body)["lead"]["email"] == "jane@acme.example"


def test_conversations_are_kept_in_the_sqlite_tracker_store(served_bot, serve_dir):
    url, _, _ = served_bot
    visitor = RestVisitor.start(url)
    visitor.say("hello")
    with sqlite3.connect(serve_dir / "tracker.db") as connection:
        rows = connection.execute(
            "SELECT type_name FROM events WHERE sender_id = ?", (visitor.sender,)
        ).fetchall()
    assert ("user",) in rows
    assert ("bot",) in rows


def child_processes(parent: int) -> dict[int, str]:
    """The command lines of the children of process ``parent``, by process id."""
    found = {}
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text(encoding="utf-8")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, UnicodeDecodeError):
            continue  # not a process, or one that ended
        if int(stat.rpartition(")")[2].split()[1]) == parent:
            found[int(entry.name)] = command
    return found


def test_the_rasa_server_serves_the_model_without_tensorflow(served_bot):
    _, process, _ = served_bot
    [rasa_server] = [
        pid
        for pid, command in child_processes(process.pid).items()
        if "bot.ops.rasa_server run" in command
    ]
    mapped = Path(f"/proc/{rasa_server}/maps").read_text(encoding="utf-8")
    assert "libtensorflow" not in mapped
    assert "libspacy" in mapped or "spacy" in mapped  # what it loaded is mapped


def test_ctrl_c_stops_every_server(served_bot):
    url, process, web_port = served_bot
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    assert process.wait(timeout=30) == 130
    for stopped in (url, f"http://127.0.0.1:{web_port}/health"):
        with pytest.raises(requests.ConnectionError):
            requests.get(stopped, timeout=2)
