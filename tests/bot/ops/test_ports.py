import socket

from bot.ops.ports import accepts_connections, can_listen


def test_a_listening_port_accepts_connections():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        assert accepts_connections("127.0.0.1", server.getsockname()[1])


def test_a_closed_port_does_not():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: connections are refused
        assert not accepts_connections("127.0.0.1", port, timeout=0.5)


def test_a_port_another_program_listens_on_cannot_be_listened_on():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert not can_listen("127.0.0.1", port)
        assert not can_listen("0.0.0.0", port)  # every interface includes that one
    assert can_listen("127.0.0.1", port)  # closed: free again
