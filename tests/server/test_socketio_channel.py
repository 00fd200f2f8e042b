"""The socket.io channel of a real Rasa server (bot.channels.socketio) over real
sockets: a conversation is joined only with its token, connections come only
from the site origins, and what it cannot read is answered, not raised."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websockets

from tests.server.rasa_process import local_environment, start_rasa, stop
from tests.server.socket_visitor import SocketVisitor

pytestmark = [pytest.mark.server, pytest.mark.model]

SITE = "http://localhost:8000"
FOREIGN = "https://evil.example"
UNREADABLE = "couldn't read that message"
# Long enough for a reply sent to a room to reach every connection in it.
QUIET_SECONDS = 1.5


@pytest.fixture(scope="module")
def rasa_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("socketio-channel")


@pytest.fixture(scope="module")
def rasa_url(rasa_folder: Path) -> Iterator[str]:
    environment = local_environment(rasa_folder, SITE_ORIGINS=SITE, RATE_LIMIT_PER_IP="0")
    process = start_rasa(environment, rasa_folder / "rasa.log")
    yield f"http://127.0.0.1:{environment['RASA_PORT']}"
    stop(process)


async def connected(url: str) -> SocketVisitor:
    visitor = SocketVisitor()
    await visitor.connect(url)
    return visitor


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_a_session_request_without_its_token_gets_a_new_session_not_the_room(rasa_url: str):
    async def eavesdrop() -> dict[str, Any]:
        victim, eavesdropper = await connected(rasa_url), await connected(rasa_url)
        try:
            session = await victim.new_session()
            victim_id = session["session_id"]
            asked = [
                await eavesdropper.session({"session_id": victim_id}),
                await eavesdropper.session({"session_id": victim_id, "token": "forged"}),
                await eavesdropper.session({"session_id": victim_id, "token": None}),
            ]
            answer = await victim.send({"session_id": victim_id, "message": "what is outstaffing?"})
            await asyncio.sleep(QUIET_SECONDS)
            return {"victim": victim_id, "asked": asked, "answer": answer,
                    "overheard": eavesdropper.replies.qsize()}  # fmt: skip
        finally:
            await victim.close()
            await eavesdropper.close()

    seen = run(eavesdrop())
    assert all(session["session_id"] != seen["victim"] for session in seen["asked"])
    assert "outstaffing" in seen["answer"].lower()
    assert seen["overheard"] == 0


def test_a_message_for_a_conversation_not_joined_is_refused_with_a_bot_message(rasa_url: str):
    async def intrude() -> dict[str, str]:
        victim, intruder = await connected(rasa_url), await connected(rasa_url)
        try:
            victim_id = (await victim.new_session())["session_id"]
            await intruder.new_session()
            refused = await intruder.send({"session_id": victim_id, "message": "hello"})
            await asyncio.sleep(QUIET_SECONDS)
            return {"refused": refused, "victim heard": str(victim.replies.qsize())}
        finally:
            await victim.close()
            await intruder.close()

    seen = run(intrude())
    assert "no valid session" in seen["refused"]
    assert seen["victim heard"] == "0"


def user_texts(folder: Path, sender: str) -> list[str]:
    """What the tracker store keeps of conversation ``sender``'s messages."""
    with sqlite3.connect(folder / "tracker.db") as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender,),
        ).fetchall()
    return [json.loads(data)["text"] for (data,) in rows]


def test_a_session_is_rejoined_with_its_token_on_a_new_connection(rasa_url: str, rasa_folder: Path):
    async def come_back() -> dict[str, Any]:
        first = await connected(rasa_url)
        session = await first.new_session()
        ask = {"session_id": session["session_id"]}
        await first.send({**ask, "message": "hello"})
        await first.close()
        again = await connected(rasa_url)
        try:
            rejoined = await again.session(session)
            answer = await again.send({**ask, "message": "what is outstaffing?"})
            return {"session": session, "rejoined": rejoined, "answer": answer}
        finally:
            await again.close()

    seen = run(come_back())
    assert seen["rejoined"] == seen["session"]
    assert "outstaffing" in seen["answer"].lower()
    texts = user_texts(rasa_folder, seen["session"]["session_id"])
    assert texts == ["hello", "what is outstaffing?"]


class LogTail:
    """What the Rasa server logs from now on."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.offset = log.stat().st_size

    def read(self) -> str:
        with self.log.open(encoding="utf-8", errors="replace") as text:
            text.seek(self.offset)
            return text.read()


def test_events_without_a_payload_are_answered(rasa_url: str, rasa_folder: Path):
    log = LogTail(rasa_folder / "rasa.log")

    async def send_nothing() -> dict[str, Any]:
        visitor = await connected(rasa_url)
        try:
            session = await visitor.session(None)
            unread = await visitor.send(None)
            several = await visitor.send(("hello", "there"))
            answer = await visitor.send({"session_id": session["session_id"], "message": "hi"})
            return {"session": session, "unread": unread, "several": several, "answer": answer}
        finally:
            await visitor.close()

    seen = run(send_nothing())
    assert seen["session"]["session_id"]
    assert seen["session"]["token"]
    assert UNREADABLE in seen["unread"]
    assert UNREADABLE in seen["several"]
    assert UNREADABLE not in seen["answer"]
    assert "Traceback" not in log.read()


def polling_handshake(url: str, origin: str | None) -> requests.Response:
    headers = {"Origin": origin} if origin else {}
    return requests.get(f"{url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10)


def test_packets_python_socketio_cannot_read_are_answered(rasa_url: str, rasa_folder: Path):
    log = LogTail(rasa_folder / "rasa.log")
    handshake = polling_handshake(rasa_url, None)
    sid = json.loads(handshake.text[1:])["sid"]
    connection = f"{rasa_url}/socket.io/?EIO=4&transport=polling&sid={sid}"
    with requests.Session() as client:
        assert client.post(connection, data="40", timeout=10).ok  # join the namespace
        client.get(connection, timeout=10)  # its confirmation
        for packet in ("42", "42[]", "42{}", '42["user_uttered",{', "42" + "[" * 30_000):
            assert client.post(connection, data=packet, timeout=10).text == "OK"
        answers = ""
        for _ in range(10):  # each long poll returns what is queued by then
            answers += client.get(connection, timeout=60).text
            if answers.count(UNREADABLE) == 5:
                break
    assert answers.count(UNREADABLE) == 5
    assert "Traceback" not in log.read()


def test_socketio_long_polling_is_open_to_the_site_origins_only(rasa_url: str):
    site, foreign = polling_handshake(rasa_url, SITE), polling_handshake(rasa_url, FOREIGN)
    assert site.status_code == 200
    assert '"sid"' in site.text
    assert site.headers["Access-Control-Allow-Origin"] == SITE  # once: not "SITE, SITE"
    assert foreign.status_code == 403
    assert "Access-Control-Allow-Origin" not in foreign.headers


async def websocket_open_packet(url: str, origin: str) -> str:
    address = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(address, origin=origin) as socket:
        return str(await asyncio.wait_for(socket.recv(), 10))


def test_a_socketio_websocket_is_open_to_the_site_origins_only(rasa_url: str):
    assert run(websocket_open_packet(rasa_url, SITE)).startswith('0{"sid"')
    with pytest.raises(websockets.InvalidStatusCode) as refused:
        run(websocket_open_packet(rasa_url, FOREIGN))
    assert refused.value.status_code == 403


def test_a_typed_command_rasa_runs_silently_is_told_it_was_not_understood(rasa_url: str):
    async def type_faq() -> str:
        visitor = await connected(rasa_url)
        try:
            session = await visitor.new_session()
            return await visitor.send({"session_id": session["session_id"], "message": "/faq"})
        finally:
            await visitor.close()

    assert run(type_faq()).startswith("Sorry, I didn't understand that.")
