"""Malformed HTTP/1.1 requests, generated from a seed: the same seed, the same requests.

Each request mutates a plain one: its method, target, version, line ends,
header names and values, its framing (Content-Length and Transfer-Encoding in
their odd forms) and its body (shorter or longer than declared, bad chunks).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Each request makes a few of its parts odd (forms a strict server refuses before
# routing), these many (weights): most reach the app, the rest test the refusals.
ODD_PART_COUNTS = (0, 0, 0, 1, 1, 1, 2, 3)
PARTS = ("line end", "method", "target", "version", "name", "separator", "value", "framing")
METHODS = ("GET", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
ODD_METHODS = (
    "TRACE", "CONNECT", "PRI", "get", "G\x00T", "", "GET GET", "X" * 300, "\u00c9T", "POST\t",
)  # fmt: skip
TARGETS = (
    "/", "/nope", "//", "/health?x=1", "/%00", "/%ff%fe", "/..%2f..%2fetc%2fpasswd", "/\u00e9",
    "http://127.0.0.1/health", "/health#frag", "/%", "/%zz", "/?" + "q=" * 2000, "/a/../health",
    "/health?%00=%ff&&=&a", "/health/",
)  # fmt: skip
ODD_TARGETS = ("*", "", "/ /", "/\x00", "http://[::1", "/" + "a" * 9000, "/\t")
VERSIONS = ("HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0")
ODD_VERSIONS = (
    "HTTP/2.0", "HTTP/0.9", "http/1.1", "HTTP/1", "HTTP/1.10", "HTTP/1.1 ", "HTTP/1.1\x00", "",
    "HTTP/\u0661.1",
)  # fmt: skip
LINE_ENDS = ("\r\n",)
ODD_LINE_ENDS = ("\n", "\r", "\r\r\n", "\n\r")
LENGTHS = (
    "-1", "+64", "6_4", " 64", "\u0666\u0664", "64, 64", "0x40", "1e3", "", " ", "0" * 30 + "5",
    "\t5", "5 ", "-0", "0", "99999999999999999999", "18446744073709551617", "5\x00", "\u00a05",
    "\x0b5", "5;", "5.0",
)  # fmt: skip
ENCODINGS = (
    "chunked", "Chunked", "CHUNKED", "gzip, chunked", "chunked, chunked", "chunked, gzip",
    "identity", "", " chunked", "chunked ", "\tchunked", "chunked\x00", "x-chunked", "chunked;q=1",
)  # fmt: skip
CHUNK_BODIES = (
    b"0\r\n\r\n", b"5\r\nhello\r\n0\r\n\r\n", b"zz\r\n\r\n", b"-1\r\n\r\n",
    b"0x5\r\nhello\r\n0\r\n\r\n", b"1_0\r\n" + b"a" * 16 + b"\r\n0\r\n\r\n",
    b"ffffffffffffffffffff\r\n", b"5\r\nhel", b"5;ext=1\r\nhello\r\n0\r\n\r\n",
    b"5\r\nhelloXX0\r\n\r\n", "\u0665\r\nhello\r\n0\r\n\r\n".encode(),
)  # fmt: skip
HEADER_NAMES = (
    "Host", "Accept", "Content-Type", "Connection", "Authorization", "Cookie", "Upgrade",
    "Origin", "Range", "If-Modified-Since", "Accept-Encoding", "Content-Encoding",
    "X-Forwarded-For", "Forwarded", "User-Agent", "Expect", "Sec-WebSocket-Key",
)  # fmt: skip
ODD_HEADER_NAMES = ("X-\u00dcnicode", "Bad Name", "Bad:Name", "", " Leading", "Trailing ", "X\x00Y")
HEADER_VALUES = (
    "", "x", "*/*", "application/json", "text/plain; charset=latin-1", "text/html;q=x, ;;, */",
    "a/b;value=1", "a/b;q=2", "close", "keep-alive", "upgrade", "nonsense", "Bearer x",
    "Bearer \udcff\udcfe", "websocket", "bytes=0-0", "bytes=-5,9-1", "bytes=99999999999999999999-",
    "Mon, 32 Foo", "gzip", "deflate", 'for="[::1";proto=x', "\u00e9\u00e9", "\udcff\udcfe",
    "a=b; c", '"\\"', "100-continue",
)  # fmt: skip
ODD_HEADER_VALUES = ("a" * 9000, "a\x00b", "a\rb", "Basic \x00", "\x7f")
HEADER_SEPARATORS = (": ",)
ODD_HEADER_SEPARATORS = (":", " : ", "", "::")


FRAMINGS = ("none", "none", "none", "length", "length", "length", "chunked", "chunked")
ODD_FRAMINGS = ("odd length", "odd encoding", "both", "twice")


@dataclass(frozen=True)
class Mutated:
    """A generated request: its bytes, and whether it is whole (the server has all of it)."""

    data: bytes
    whole: bool


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def mutated_requests(seed: str, count: int, targets: tuple[str, ...]) -> list[Mutated]:
    """``count`` requests from ``seed``; ``targets`` are the server's own routes."""
    generator = random.Random(seed)
    return [_one(generator, targets) for _ in range(count)]


class Mutator:
    """Draws the parts of one request: the usual forms, or odd ones for its odd parts."""

    def __init__(self, generator: random.Random) -> None:
        self.generator = generator
        self.odd_parts = set(generator.sample(PARTS, generator.choice(ODD_PART_COUNTS)))

    def pick(self, part: str, usual: tuple[str, ...], odd: tuple[str, ...]) -> str:
        """One of ``odd`` if ``part`` is odd in this request (mostly), else one of ``usual``."""
        odd_now = part in self.odd_parts and self.generator.random() < 0.8
        return self.generator.choice(odd if odd_now else usual)


def _one(generator: random.Random, targets: tuple[str, ...]) -> Mutated:
    mutator = Mutator(generator)
    line_end = mutator.pick("line end", LINE_ENDS, ODD_LINE_ENDS)
    method = mutator.pick("method", METHODS, ODD_METHODS)
    target = mutator.pick("target", targets + TARGETS[: len(targets)], ODD_TARGETS + TARGETS)
    version = mutator.pick("version", VERSIONS, ODD_VERSIONS)
    lines = [f"{method} {target} {version}" if generator.random() < 0.98 else f"{method} {target}"]
    lines += _headers(mutator)
    framing, body, whole = _framing(mutator)
    lines += framing
    if generator.random() < 0.02:  # a head over Sanic's 8 KB limit
        lines += [f"X-Filler-{number}: {'f' * 200}" for number in range(60)]
    head = encode(line_end.join(lines) + line_end + line_end)
    whole = whole and line_end == "\r\n"
    if generator.random() < 0.03:  # the head cut short
        return Mutated(head[: generator.randrange(1, len(head))], whole=False)
    return Mutated(head + body, whole)


def _headers(mutator: Mutator) -> list[str]:
    generator = mutator.generator
    headers = ["Host: 127.0.0.1"] if generator.random() < 0.8 else []
    for _ in range(generator.choice((0, 0, 1, 2, 3, 6))):
        name = mutator.pick("name", HEADER_NAMES, ODD_HEADER_NAMES)
        separator = mutator.pick("separator", HEADER_SEPARATORS, ODD_HEADER_SEPARATORS)
        headers.append(
            f"{name}{separator}{mutator.pick('value', HEADER_VALUES, ODD_HEADER_VALUES)}"
        )
    if generator.random() < 0.02:
        headers.append(" folded continuation")
    return headers


def _framing(mutator: Mutator) -> tuple[list[str], bytes, bool]:
    """Framing headers, the body, and whether that body is all a server would wait for.

    The last is a guess that only saves time: a request the server waits on is
    ended from the client's side after a while anyway (``exchange``'s patience).
    """
    generator = mutator.generator
    body = bytes(generator.randrange(32, 127) for _ in range(generator.choice((0, 1, 2, 16, 300))))
    kind = mutator.pick("framing", FRAMINGS, ODD_FRAMINGS)
    if kind == "none":
        return [], body, True  # a body without framing is read as the next request
    if kind == "length":
        declared = max(len(body) + generator.choice((0, 0, 0, -1, 1, 50)), 0)
        return [f"Content-Length: {declared}"], body, declared <= len(body)
    if kind == "odd length":
        length = generator.choice(LENGTHS)
        digits = length.strip(" \t")
        waits = digits.isascii() and digits.isdigit() and int(digits) > len(body)
        return [f"Content-Length: {length}"], body, not waits
    if kind == "chunked":
        chunks = generator.choice(CHUNK_BODIES)
        return ["Transfer-Encoding: chunked"], chunks, chunks.endswith(b"0\r\n\r\n")
    if kind == "odd encoding":
        encoding, chunks = generator.choice(ENCODINGS), generator.choice(CHUNK_BODIES)
        return [f"Transfer-Encoding: {encoding}"], chunks, True
    if kind == "both":
        return [f"Content-Length: {len(body)}", "Transfer-Encoding: chunked"], body, True
    first, second = generator.choice((*LENGTHS[-8:], "5", "6")), generator.choice(("5", "6"))
    return [f"Content-Length: {first}", f"Content-Length: {second}"], body, True
