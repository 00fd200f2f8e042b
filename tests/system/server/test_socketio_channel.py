"""The socket.io channel of a real Rasa server (bot.rasa_plugins.channels.socketio) over real
sockets: a conversation is joined only with its token, connections come only
from the site origins, and what it cannot read is answered, not raised.

Nothing here waits for a reply that must not come: a visitor's message is
acknowledged once the server has handled it (:meth:`SocketVisitor.replies_to`),
and whatever the connection was sent before then has come by then."""

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

from tests.system.server.rasa_process import local_environment, start_actions, start_rasa, stop
from tests.system.server.sanic_servers import TRACEBACK
from tests.system.server.socket_visitor import (
    REPLY_TIMEOUT_SECONDS,
    PollingConnection,
    SocketVisitor,
)

pytestmark = [pytest.mark.server, pytest.mark.model]

SITE = "http://localhost:8000"
FOREIGN = "https://evil.example"
UNREADABLE = "couldn't read that message"
NO_SESSION = "no valid session"


@pytest.fixture(scope="module")
def rasa_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("socketio-channel")


@pytest.fixture(scope="module")
def rasa_url(rasa_folder: Path) -> Iterator[str]:
    environment = local_environment(rasa_folder, SITE_ORIGINS=SITE, RATE_LIMIT_PER_IP="0")
    actions = start_actions(environment, rasa_folder / "actions.log")  # it answers questions
    process = start_rasa(environment, rasa_folder / "rasa.log")
    yield f"http://127.0.0.1:{environment['RASA_PORT']}"
    stop(process)
    stop(actions)


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
            # Anything the victim's turn sent the eavesdropper comes before this answer.
            heard = await eavesdropper.replies_to(None)
            return {"victim": victim_id, "asked": asked, "answer": answer, "heard": heard}
        finally:
            await victim.close()
            await eavesdropper.close()

    seen = run(eavesdrop())
    assert all(session["session_id"] != seen["victim"] for session in seen["asked"])
    assert "outstaffing" in seen["answer"].lower()
    assert len(seen["heard"]) == 1
    assert UNREADABLE in seen["heard"][0]


def test_a_message_for_a_conversation_not_joined_is_refused_with_a_bot_message(
    rasa_url: str, rasa_folder: Path
):
    async def intrude() -> dict[str, Any]:
        victim, intruder = await connected(rasa_url), await connected(rasa_url)
        try:
            victim_id = (await victim.new_session())["session_id"]
            await intruder.new_session()
            refused = await intruder.replies_to({"session_id": victim_id, "message": "hello"})
            # Anything the intruder's message sent the victim comes before this answer.
            heard = await victim.replies_to(None)
            return {"victim": victim_id, "refused": refused, "heard": heard}
        finally:
            await victim.close()
            await intruder.close()

    seen = run(intrude())
    assert len(seen["refused"]) == 1
    assert NO_SESSION in seen["refused"][0]
    assert len(seen["heard"]) == 1
    assert UNREADABLE in seen["heard"][0]
    assert user_texts(rasa_folder, seen["victim"]) == []


def test_the_connection_placeholder_is_no_conversation_that_connections_share(
    rasa_url: str, rasa_folder: Path
):
    """ "socketio-connection" stood for the connection's own id in the channel's checks,
    but reached Rasa as itself: a conversation any connection could send to without
    a session, one visitor's message answered inside another's lead form."""
    shared = "socketio-connection"

    async def share() -> list[list[str]]:
        first, second = await connected(rasa_url), await connected(rasa_url)
        try:
            hire = {"message": "I'd like to hire developers", "session_id": shared}
            return [
                await first.replies_to(hire),
                await second.replies_to({"message": "hello", "session_id": shared}),
            ]
        finally:
            await first.close()
            await second.close()

    first, second = run(share())
    assert len(first) == len(second) == 1
    assert NO_SESSION in first[0]
    assert NO_SESSION in second[0]
    assert user_texts(rasa_folder, shared) == []


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
    connection = PollingConnection(rasa_url)
    connection.join()
    for packet in ("42", "42[]", "42{}", '42["user_uttered",{', "42" + "[" * 30_000):
        assert connection.post(packet.encode()).text == "OK"
    answers = ""
    for _ in range(10):  # each long poll returns what is queued by then
        answers += connection.poll().text
        if answers.count(UNREADABLE) == 5:
            break
    connection.close()
    assert answers.count(UNREADABLE) == 5
    assert "Traceback" not in log.read()


def test_events_named_like_the_servers_own_reach_no_handler(rasa_url: str):
    connection = PollingConnection(rasa_url)
    connection.join()
    for event in ('["session_confirm",{"session_id":"x","token":"y"}]', '["bot_uttered","hi"]'):
        assert connection.post(b"42" + event.encode()).text == "OK"
    # Nothing was sent for them: the confirmation is the next packet (but for a ping).
    packets = [each for each in connection.new_session().split("\x1e") if each != "2"]
    connection.close()
    assert len(packets) == 1
    assert packets[0].startswith('42["session_confirm"')


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


async def websocket_answers(url: str, frames: list[str | bytes]) -> list[str]:
    """Joins the channel over a websocket, sends ``frames``; what came back until the
    server closed the connection, its last item "closed" when it did."""
    address = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    async with websockets.connect(address, origin=SITE) as socket:
        await socket.recv()  # engine.io's OPEN
        await socket.send("40")
        assert str(await asyncio.wait_for(socket.recv(), 10)).startswith("40")
        for frame in frames:
            await socket.send(frame)
        answers = []
        try:
            while True:
                answer = str(await asyncio.wait_for(socket.recv(), REPLY_TIMEOUT_SECONDS))
                answers.append(answer)
                if UNREADABLE in answer:  # the channel goes on: it heard a bot message
                    return answers
        except websockets.ConnectionClosed:
            return [*answers, "closed"]


@pytest.mark.parametrize(
    "frame",
    ["7junk", "8", "9x", "x", "", "bA", "4" + "[" * 30_000],
    ids=["type 7", "type 8", "type 9", "no type", "empty", "base64 of junk", "nested too deeply"],
)
def test_a_websocket_frame_engineio_cannot_read_closes_the_connection(
    rasa_url: str, rasa_folder: Path, frame: str
):
    log = LogTail(rasa_folder / "rasa.log")

    assert run(websocket_answers(rasa_url, [frame])) == ["closed"]
    assert run(websocket_answers(rasa_url, ['42["user_uttered"]'])) != ["closed"]
    assert "Traceback" not in log.read()


@pytest.mark.parametrize(
    "frame",
    [b"\x00\x01", "bAAAA", '42["connect"]', '451-["user_uttered",{"_placeholder":true,"num":0}]'],
    ids=["binary", "base64 binary", "reserved event", "binary event"],
)
def test_a_websocket_message_socketio_cannot_read_is_answered(
    rasa_url: str, rasa_folder: Path, frame: str | bytes
):
    log = LogTail(rasa_folder / "rasa.log")

    answers = run(websocket_answers(rasa_url, [frame]))

    assert UNREADABLE in answers[-1]
    assert "Traceback" not in log.read()


async def upgrade_and_leave(url: str, sid: str, probe: str) -> None:
    """Starts upgrading long-polling connection ``sid`` to a websocket with
    ``probe``, then closes the websocket without finishing."""
    address = url.replace("http://", "ws://") + f"/socket.io/?EIO=4&transport=websocket&sid={sid}"
    async with websockets.connect(address, origin=SITE) as socket:
        await socket.send(probe)
        if probe == "2probe":
            assert await asyncio.wait_for(socket.recv(), 10) == "3probe"


@pytest.mark.parametrize("probe", ["2probe", "x"])
def test_a_connection_goes_on_polling_after_an_upgrade_left_halfway(
    rasa_url: str, rasa_folder: Path, probe: str
):
    log = LogTail(rasa_folder / "rasa.log")
    connection = PollingConnection(rasa_url)
    connection.join()

    run(upgrade_and_leave(rasa_url, connection.sid, probe))

    assert connection.post(b'42["user_uttered"]').text == "OK"
    answers = ""
    for _ in range(3):  # the upgrade ended the poll with a NOOP first
        answers += connection.poll().text
        if UNREADABLE in answers:
            break
    connection.close()
    assert UNREADABLE in answers
    assert "Traceback" not in log.read()


def test_no_test_left_a_traceback_in_the_log(rasa_folder: Path):
    log = (rasa_folder / "rasa.log").read_text(errors="replace")
    around = [
        log[max(0, found.start() - 300) : found.start() + 300] for found in TRACEBACK.finditer(log)
    ]
    assert around == []
