"""What a visitor sends to the chat channel, checked before the model sees it.

Pure logic: no Rasa, no Sanic. A request that is not a chat message at all is
refused with a status and a reason (:class:`InboundError`); a message that is
empty or too long once cleaned gets a polite reply instead of a turn
(:func:`polite_refusal`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

# A conversation id as the widget makes them (a random UUID), or a test's or
# integration's own: letters, digits and a few separators.
SENDER_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}")
# Invisible format characters that carry meaning and stay: zero-width (non-)joiners
# (emoji sequences, Persian, Indic scripts), left-to-right and right-to-left marks,
# and the tag characters of subdivision flags.
KEPT_FORMAT_CHARACTERS = {"\u200c", "\u200d", "\u200e", "\u200f"}
TAG_CHARACTERS = range(0xE0020, 0xE0080)
KEPT_CONTROL_CHARACTERS = {"\n", "\t"}
# The only metadata kept: the page the widget was on (bot.leads.transcript.page_url).
PAGE_URL_KEYS = ("page_url", "pageUrl")
MAX_PAGE_URL_CHARS = 2000


class InboundError(ValueError):
    """A request the channel refuses: its HTTP status and the reason, for the client."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class InboundMessage:
    """One visitor message, its text cleaned, and the page it was sent from."""

    sender: str
    text: str
    page_url: str | None = None

    @property
    def metadata(self) -> dict[str, str] | None:
        """The user event's metadata: the page, when the widget reported it."""
        return {"page_url": self.page_url} if self.page_url else None


def decode_json(raw: bytes | str) -> Any:
    """The JSON value of ``raw`` (UTF-8 when bytes).

    Raises:
        InboundError: 400 for text that is not JSON in UTF-8, or is nested too
            deeply for the parser (``[[[[...``).
    """
    try:
        return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except (UnicodeDecodeError, ValueError):
        raise InboundError(400, "the body is not valid JSON in UTF-8") from None
    except RecursionError:
        raise InboundError(400, "the JSON is nested too deeply") from None


def _kept(character: str) -> bool:
    category = unicodedata.category(character)
    if category == "Cc":
        return character in KEPT_CONTROL_CHARACTERS
    if category == "Cf":
        return character in KEPT_FORMAT_CHARACTERS or ord(character) in TAG_CHARACTERS
    return category != "Cs"  # a lone surrogate cannot be stored or sent back as UTF-8


def clean_text(text: str) -> str:
    """``text`` in NFC without control, invisible formatting (zero-width spaces,
    bidirectional overrides) or lone surrogate characters, stripped."""
    kept = "".join(character for character in text if _kept(character))
    return unicodedata.normalize("NFC", kept).strip()


def parse_inbound(body: Any) -> InboundMessage:
    """The message in a decoded JSON body ``{"sender": ..., "message": ...}``.

    Fields other than ``sender``, ``message`` and ``metadata`` are ignored, and
    so is the metadata but for the page's URL.

    Raises:
        InboundError: 400, naming what is missing or malformed.
    """
    if not isinstance(body, dict):
        raise InboundError(400, 'the body must be a JSON object: {"sender": ..., "message": ...}')
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER_ID.fullmatch(sender):
        raise InboundError(
            400, "'sender' must be the conversation's id: 1-128 letters, digits or ._:@-"
        )
    message = body.get("message")
    if not isinstance(message, str):
        raise InboundError(400, "'message' must be a string")
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise InboundError(400, "'metadata' must be a JSON object when given")
    return InboundMessage(sender, clean_text(message), _page_url(metadata or {}))


def _page_url(metadata: dict[str, Any]) -> str | None:
    for key in PAGE_URL_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and clean_text(value):
            return clean_text(value)[:MAX_PAGE_URL_CHARS]
    return None


def polite_refusal(text: str, max_chars: int) -> str | None:
    """The reply to a cleaned message the bot will not read (empty or longer than
    ``max_chars``), or None for a message it reads."""
    if not text:
        return "I didn't get any text there. What would you like to know?"
    if len(text) > max_chars:
        return (
            f"That message is a bit long for me ({len(text):,} characters). Could you"
            f" put your question in fewer than {max_chars:,} characters?"
        )
    return None


def unreadable() -> str:
    """What a client reads when what it sent is not a chat message (socket.io, where
    no HTTP status can say so)."""
    return "Sorry, I couldn't read that message. Could you type it again?"


def no_session() -> str:
    """What a socket.io client reads when it sends a message for a conversation it
    did not start or join with the conversation's token."""
    return (
        "Sorry, I can't continue this conversation: this connection has no valid"
        " session for it. Please start a new conversation."
    )


def is_command(text: str) -> bool:
    """Whether a cleaned message is typed as a chat command (``/restart``, ``/faq``), which
    Rasa reads as an intent instead of understanding it."""
    return text.startswith("/")


def unknown_command() -> str:
    """What a visitor reads when a command they typed has no answer (``/faq`` alone)."""
    return (
        "Sorry, I didn't understand that. Ask me about outsourcing, outstaffing or"
        " offshoring, or tell me about the team you need."
    )


def slow_down() -> str:
    """What a client over its rate limit reads."""
    return (
        "You're sending messages faster than I can read them."
        " Please wait a few seconds, then send your message again."
    )


def busy() -> str:
    """What a visitor reads when the bot has too many conversations to take theirs now."""
    return (
        "I'm answering a lot of visitors right now and couldn't get to your message."
        " Please send it again in a few seconds."
    )


def apology(agency_email: str) -> str:
    """What a visitor reads when their message could not be processed."""
    return (
        "Sorry, something went wrong on our side and I couldn't process that message."
        f" Please try again in a moment, or write to us at {agency_email}."
    )
