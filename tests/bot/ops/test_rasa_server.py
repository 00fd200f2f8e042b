"""bot.ops.rasa_server: the later Rasa processes wait for the first; a port another
program holds is refused at once."""

from __future__ import annotations

import socket
import subprocess
import sys

from bot.ops.rasa_server import SHARED_PORT_VARIABLE, port_taken_by_another, wait_for_first_server
from tests.conftest import ROOT, free_port


def test_a_later_rasa_process_waits_for_the_first_to_listen():
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


def test_a_port_another_program_listens_on_is_refused_with_exit_code_1():
    with socket.socket() as other:
        other.bind(("0.0.0.0", 0))
        other.listen()
        port = str(other.getsockname()[1])
        command = [sys.executable, "-m", "bot.ops.rasa_server", "run", "--port", port]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"error: port {port} (0.0.0.0) is already in use by another program"
    )


def test_a_free_port_or_a_shared_one_is_not_refused(monkeypatch):
    assert port_taken_by_another(["--port", str(free_port())]) is None
    with socket.socket() as sibling:
        sibling.bind(("0.0.0.0", 0))
        sibling.listen()
        monkeypatch.setenv(SHARED_PORT_VARIABLE, "true")  # the others share it: SO_REUSEPORT
        assert port_taken_by_another(["--port", str(sibling.getsockname()[1])]) is None
