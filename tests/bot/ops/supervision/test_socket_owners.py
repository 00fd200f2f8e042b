"""Which process holds a socket, read from this machine's /proc."""

from __future__ import annotations

import os
import socket
import sys

import pytest

from bot.ops.supervision.socket_owners import connection_owner, listeners, tcp_sockets

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads Linux's /proc")


def test_a_listening_socket_of_this_process_is_found_with_its_queue():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):  # waits in the queue
            found = listeners(port, [os.getpid()])

    assert found is not None
    assert list(found) == [os.getpid()]
    assert found[os.getpid()].listening
    assert found[os.getpid()].queued == 1


def test_an_accepted_connection_is_held_by_the_process_that_accepted_it():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            with accepted:
                owner = connection_owner(port, client.getsockname()[1], [os.getpid()])

    assert owner is not None
    assert (owner.holder, owner.queueing, owner.not_listening) == (
        os.getpid(),
        frozenset(),
        frozenset(),
    )


def test_a_process_without_a_listener_on_the_port_is_named():
    with socket.create_server(("127.0.0.1", 0)) as server:
        owner = connection_owner(server.getsockname()[1], None, [os.getpid(), 1])

    assert owner is not None
    assert owner.not_listening == frozenset({1})
    assert tcp_sockets()  # the table itself reads
