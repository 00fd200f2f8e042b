"""bot.ops.rasa_server: the later Rasa processes wait for the first."""

from __future__ import annotations

from bot.ops.rasa_server import wait_for_first_server


def test_a_later_rasa_process_waits_for_the_first_to_listen():
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert wait_for_first_server(port, timeout=0.5) is False
    first = socket.socket()
    threading.Timer(0.5, lambda: (first.bind(("127.0.0.1", port)), first.listen())).start()
    try:
        assert wait_for_first_server(port, timeout=10) is True
    finally:
        first.close()
