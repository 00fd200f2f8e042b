"""bot.http_framing: which request heads are refused, and the guard's installation."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sanic import Sanic, response
from sanic.compat import Header
from sanic.exceptions import InvalidUsage, PayloadTooLarge, RequestTimeout
from sanic.http import Http
from sanic.request import Request
from sanic.server.protocols import http_protocol

from bot import http_framing
from bot.http_framing import (
    LINE_END_PROBLEM,
    UNPARSABLE_HEAD,
    FramingError,
    FramingGuardedHttp,
    UnsupportedSanicError,
    answer_head_as_get,
    check_sanic_version,
    error_response_bytes,
    framing_problem,
    ignore_unparsable_accept,
    incomplete_head_problem,
    refusal,
)
from tests.system.server.raw_http import split_response

POST = b"POST /webhook HTTP/1.1\r\nHost: x"


@pytest.mark.parametrize(
    "head",
    [
        b"GET / HTTP/1.1",
        b"GET /health?x=1 HTTP/1.0\r\nHost: x\r\nAccept: */*",
        POST + b"\r\nContent-Length: 0",
        POST + b"\r\nContent-Length:  \t12 \t",
        POST + b"\r\ncontent-length: 000000000000000012",
        POST + b"\r\nTransfer-Encoding: chunked",
        POST + b"\r\nTRANSFER-ENCODING:\tchunked",
        POST + b"\r\nX-Note: tab\tinside, and \xc3\xa9 UTF-8",
    ],
    ids=[
        "no body",
        "HTTP/1.0",
        "length 0",
        "whitespace around the length",
        "leading zeros",
        "chunked",
        "header name in capitals",
        "tab and UTF-8 in a value",
    ],
)
def test_heads_with_clear_framing_are_accepted(head):
    assert framing_problem(head) is None


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (POST + b"\r\nContent-Length: -1", "Content-Length"),
        (POST + b"\r\nContent-Length: +64", "Content-Length"),
        (POST + b"\r\nContent-Length: 6_4", "Content-Length"),
        (POST + "\r\nContent-Length: ٦٤".encode(), "Content-Length"),
        (POST + b"\r\nContent-Length: \xc2\xa064", "Content-Length"),
        (POST + b"\r\nContent-Length: 64, 64", "Content-Length"),
        (POST + b"\r\nContent-Length: 0x40", "Content-Length"),
        (POST + b"\r\nContent-Length: ", "Content-Length"),
        (POST + b"\r\nContent-Length: " + b"9" * 19, "Content-Length"),
        (POST + b"\r\nContent-Length: 64\r\nContent-Length: 64", "one Content-Length"),
        (POST + b"\r\nContent-Length: 64\r\nContent-Length: 65", "one Content-Length"),
        (POST + b"\r\nTransfer-Encoding: Chunked", "Transfer-Encoding"),
        (POST + b"\r\nTransfer-Encoding: gzip, chunked", "Transfer-Encoding"),
        (POST + b"\r\nTransfer-Encoding: chunked, chunked", "Transfer-Encoding"),
        (
            POST + b"\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
            "Transfer-Encoding",
        ),
        (POST + b"\r\nTransfer-Encoding: chunked ", "Transfer-Encoding"),
        (POST + b"\r\nTransfer-Encoding: identity", "Transfer-Encoding"),
        (POST + b"\r\nTransfer-Encoding: chunked\r\nContent-Length: 5", "not both"),
        (b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked", "HTTP/1.0"),
        (b"GET / HTTP/1.1\nHost: x", LINE_END_PROBLEM),
        (b"GET / HTTP/1.1\rHost: x", LINE_END_PROBLEM),
        (b"GET / HTTP/1.1\r\nHost: x\r", LINE_END_PROBLEM),
        (b"GET /\x00 HTTP/1.1", "control character"),
        (b"GET /\t HTTP/1.1", "control character"),
        (POST + b"\r\nX-Note: a\x00b", "control character"),
        (POST + b"\r\nContent-Length : 5", "token"),
        (POST + b"\r\n Content-Length: 5", "token"),
        (POST + b"\r\nno colon here", "token"),
        (POST + b"\r\n: no name", "token"),
    ],
    ids=[
        "negative length",
        "plus sign",
        "underscore",
        "arabic-indic digits",
        "no-break space",
        "list of lengths",
        "hexadecimal",
        "empty length",
        "19 digits",
        "two equal lengths",
        "two lengths",
        "Chunked in capitals",
        "gzip then chunked",
        "chunked twice in one header",
        "two chunked headers",
        "chunked with trailing space",
        "identity",
        "both framings",
        "chunked on HTTP/1.0",
        "bare LF",
        "bare CR",
        "CR ending the head",
        "NUL in the target",
        "tab in the request line",
        "NUL in a value",
        "space before the colon",
        "folded line",
        "line without colon",
        "empty name",
    ],
)
def test_heads_with_unclear_framing_are_refused_with_a_reason(head, reason):
    problem = framing_problem(head)

    assert problem is not None
    assert reason in problem


def sanic_view(head: bytes) -> Header:
    """The headers as ``Http.http1_request_header`` of Sanic 21.12 parses them."""
    _, *lines = head.decode(errors="surrogateescape").split("\r\n")
    return Header(
        [(name.lower(), value.lstrip()) for name, value in (h.split(":", 1) for h in lines)]
    )


FIELD_NAMES = st.sampled_from(
    ["Content-Length", "Transfer-Encoding", "content-length", "Host", "X-A"]
)
FIELD_VALUES = st.one_of(
    st.sampled_from([" 5", "0", "-1", "+1", "1_0", "٦", " chunked", "Chunked", "chunked ", "0x1"]),
    st.text(max_size=12),
)
HEADS = st.lists(st.tuples(FIELD_NAMES, FIELD_VALUES), max_size=4).map(
    lambda fields: "\r\n".join(
        ["POST / HTTP/1.1", *(f"{name}:{value}" for name, value in fields)]
    ).encode("utf-8", "surrogatepass")
)


@given(st.binary(max_size=300))
def test_any_bytes_get_a_verdict_without_an_error(head):
    problem = framing_problem(head)

    assert problem is None or (isinstance(problem, str) and problem)
    assert incomplete_head_problem(head) in (None, LINE_END_PROBLEM)


@given(HEADS)
def test_an_accepted_head_frames_its_body_as_sanic_reads_it(head):
    """Differential: where the guard lets a head through, Sanic's own reading of its
    framing is a plain length of ASCII digits, or exactly ``chunked``, never both."""
    if framing_problem(head) is not None:
        return
    headers = sanic_view(head)
    lengths = headers.getall("content-length", [])
    encodings = headers.getall("transfer-encoding", [])
    assert len(lengths) + len(encodings) <= 1
    for length in lengths:
        assert length.strip(" \t").isascii()
        assert int(length) == int(length.strip(" \t")) >= 0
    assert encodings in ([], ["chunked"])


def test_a_head_still_coming_is_refused_only_for_a_bare_line_end():
    assert incomplete_head_problem(b"GET / HTTP/1.1\r") is None
    assert incomplete_head_problem(b"GET / HTTP/1.1\r\nHost: x\r\n") is None
    assert incomplete_head_problem(b"GET / HTTP/1.1\n") == LINE_END_PROBLEM
    assert incomplete_head_problem(b"GET / HTTP/1.1\r\r") == LINE_END_PROBLEM


def test_the_refusal_is_a_whole_json_response_that_closes():
    status, headers, body, rest = split_response(error_response_bytes(400, "why")) or (
        0,
        {},
        b"",
        b"",
    )

    assert status == 400
    assert headers["connection"] == "close"
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": {"code": "bad_request", "message": "why"}}
    assert rest == b""


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (FramingError("send one Content-Length header"), (400, "send one Content-Length header")),
        (InvalidUsage("Bad Request"), (400, UNPARSABLE_HEAD)),
        (ValueError("invalid url"), (400, UNPARSABLE_HEAD)),
        (
            PayloadTooLarge("Request header exceeds the size limit"),
            (413, "Request header exceeds the size limit"),
        ),
        (RequestTimeout("Request Timeout"), (408, "Request Timeout")),
    ],
    ids=["framing", "sanic's bad request", "unparsable url", "head too large", "timeout"],
)
def test_errors_before_a_request_are_answered_with_their_status(exception, expected):
    assert refusal(exception) == expected


def test_only_sanic_21_12_is_patched():
    check_sanic_version("21.12.2")
    with pytest.raises(UnsupportedSanicError, match=r"Sanic 22\.3\.0 is installed"):
        check_sanic_version("22.3.0")


def test_installing_twice_installs_once_and_uninstalling_gives_sanic_its_own_back():
    was_installed = http_framing.installed()
    try:
        http_framing.install()
        http_framing.install()
        assert http_protocol.Http is FramingGuardedHttp
        assert FramingGuardedHttp.__mro__[1] is Http
        http_framing.uninstall()
        assert http_protocol.Http is Http
        assert not http_framing.installed()
    finally:
        if was_installed:
            http_framing.install()


def request_with(headers: dict[str, str]) -> Request:
    return Request(b"/", Header(headers), "1.1", "GET", transport=None, app=None)


@pytest.mark.parametrize("accept", ["a/b;q=x", "a/b;value=1", "a/b;q=2", "nonsense", "a/b;c"])
def test_an_accept_header_sanic_cannot_parse_is_read_as_absent(accept):
    request = request_with({"accept": accept})

    ignore_unparsable_accept(request)

    assert list(request.accept) == []


def test_an_accept_header_sanic_can_parse_is_kept():
    request = request_with({"accept": "application/json, text/html;q=0.5"})

    ignore_unparsable_accept(request)

    assert [str(media) for media in request.accept] == ["application/json", "text/html;q=0.5"]


@pytest.fixture(scope="module")
def routed_app() -> Sanic:
    """An app with a GET route, a GET and HEAD route and a POST route, routes finalized."""
    app = Sanic("head_as_get_routes")

    async def answer(request: Request) -> response.HTTPResponse:
        return response.text("hello")

    app.add_route(answer, "/get", methods=["GET"], name="get")
    app.add_route(answer, "/both", methods=["GET", "HEAD"], name="both")
    app.add_route(answer, "/post", methods=["POST"], name="post")
    app.router.finalize()
    return app


@pytest.mark.parametrize(
    ("method", "path", "routed_as"),
    [
        ("HEAD", "/get", "GET"),
        ("HEAD", "/both", "HEAD"),
        ("HEAD", "/post", "HEAD"),
        ("HEAD", "/nowhere", "HEAD"),
        ("GET", "/get", "GET"),
        ("POST", "/get", "POST"),
    ],
    ids=["GET only", "its own HEAD", "POST only", "no route", "a GET", "a POST"],
)
def test_a_head_goes_to_the_get_route_only_where_there_is_no_head_route(
    routed_app: Sanic, method: str, path: str, routed_as: str
):
    request = Request(path.encode(), Header({}), "1.1", method, transport=None, app=routed_app)

    answer_head_as_get(request)

    assert request.method == routed_as
