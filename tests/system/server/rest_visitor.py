"""A visitor on the Rasa server's REST channel: a session first, then its messages
with the session's token, as the widget sends them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from bot.rasa_plugins.channels.sessions import SessionSigner

SESSION_PATH = "/webhooks/rest/session"
WEBHOOK_PATH = "/webhooks/rest/webhook"
TIMEOUT_SECONDS = 30
# The channel's answers that carry bot messages: a turn, "slow down", "busy".
ANSWERED = (200, 429, 503)


@dataclass(frozen=True)
class RestVisitor:
    """One conversation: the server at ``base_url``, its id and its token."""

    base_url: str
    sender: str
    token: str

    @classmethod
    def start(cls, base_url: str) -> RestVisitor:
        """A new conversation, its id and token issued by the server."""
        answer = requests.post(base_url + SESSION_PATH, timeout=TIMEOUT_SECONDS)
        answer.raise_for_status()
        return cls(base_url, **answer.json())

    @classmethod
    def named(cls, base_url: str, sender: str, secret: str) -> RestVisitor:
        """Conversation ``sender`` with the token a holder of the server's secret
        makes (for tests that look a conversation up by a name of their own)."""
        return cls(base_url, sender, SessionSigner(secret).token_for(sender))

    @property
    def headers(self) -> dict[str, str]:
        """The header that carries the token."""
        return {"Authorization": f"Bearer {self.token}"}

    def body(self, message: Any, **fields: Any) -> dict[str, Any]:
        """A message's JSON body in this conversation."""
        return {"sender": self.sender, "message": message, **fields}

    def post(self, message: Any, **fields: Any) -> requests.Response:
        """Sends ``message`` (and any other ``fields``); the server's answer."""
        return requests.post(
            self.base_url + WEBHOOK_PATH,
            json=self.body(message, **fields),
            headers=self.headers,
            timeout=TIMEOUT_SECONDS,
        )

    def say(self, message: str) -> list[dict[str, Any]]:
        """Sends ``message``; the bot's replies (an HTTP error for a refusal)."""
        answer = self.post(message)
        if answer.status_code not in ANSWERED:
            answer.raise_for_status()
        return answer.json()
