"""Chat sessions: a conversation id the server made up, and the token that proves
a client was given it.

Pure logic: no Rasa, no Sanic. A conversation id alone reads a conversation
(the lead summary repeats the visitor's name, email and phone), so each
channel answers a conversation only to a client holding its token:
HMAC-SHA256 of the id under a key derived from the server's secret
(``CHAT_SESSION_SECRET``). Nothing is stored: any process holding the same
secret issues and checks the same tokens, and a new secret ends every session.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

# Each use of the secret gets a key of its own, so that no output of one (a log
# line's fingerprint) helps forge another (a token).
TOKEN_KEY_LABEL = b"agency-chat session token v1"
FINGERPRINT_KEY_LABEL = b"agency-chat log fingerprint v1"
# Hex digits of a fingerprint: enough to tell a day's conversations apart in a
# log, too few to stand for the id.
FINGERPRINT_CHARS = 10
# A token is the unpadded URL-safe base64 of 32 bytes; anything longer is not one.
MAX_TOKEN_CHARS = 64
BEARER_PREFIX = "bearer "


@dataclass(frozen=True)
class ChatSession:
    """A conversation id and its token, as the client keeps them."""

    sender: str
    token: str

    def as_json(self) -> dict[str, str]:
        """What the REST channel answers ``POST /webhooks/rest/session`` with."""
        return {"sender": self.sender, "token": self.token}


def _key(secret: str, label: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8", "surrogatepass"), label, hashlib.sha256).digest()


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class SessionSigner:
    """Issues and checks the sessions of one server secret."""

    def __init__(self, secret: str) -> None:
        self._token_key = _key(secret, TOKEN_KEY_LABEL)
        self._fingerprint_key = _key(secret, FINGERPRINT_KEY_LABEL)

    def new_session(self) -> ChatSession:
        """A new conversation: a random id (UUIDv4, hex) and its token."""
        return self.session_for(uuid.uuid4().hex)

    def session_for(self, sender: str) -> ChatSession:
        """The session of an id chosen by someone holding the secret (a trusted
        integration, a test); clients get theirs from :meth:`new_session`."""
        return ChatSession(sender, self.token_for(sender))

    def token_for(self, sender: str) -> str:
        """The token of conversation ``sender``."""
        digest = hmac.new(self._token_key, _utf8(sender), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def verifies(self, sender: Any, token: Any) -> bool:
        """Whether ``token`` is conversation ``sender``'s (compared in constant
        time); False for anything that is not a pair of strings, never an error."""
        if not isinstance(sender, str) or not isinstance(token, str):
            return False
        if not token.isascii() or len(token) > MAX_TOKEN_CHARS:
            return False
        return hmac.compare_digest(self.token_for(sender).encode("ascii"), token.encode("ascii"))

    def fingerprint(self, sender: str) -> str:
        """A short keyed hash of ``sender`` for log lines: the same conversation
        gives the same one, and it gives away neither the id nor the token."""
        digest = hmac.new(self._fingerprint_key, _utf8(sender), hashlib.sha256).hexdigest()
        return digest[:FINGERPRINT_CHARS]


def bearer_token(authorization: Any) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header value, else None."""
    if not isinstance(authorization, str):
        return None
    if authorization[: len(BEARER_PREFIX)].lower() != BEARER_PREFIX:
        return None
    return authorization[len(BEARER_PREFIX) :].strip() or None


def made_up_secret() -> str:
    """A random secret for a process that was given none (256 bits)."""
    return secrets.token_urlsafe(32)
