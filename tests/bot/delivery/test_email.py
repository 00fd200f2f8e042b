"""The email channel against a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from bot.delivery.channel import DeliveryError
from bot.delivery.email import EmailChannel, message_id
from bot.leads.model import TranscriptTurn
from bot.leads.store import Delivery
from bot.settings import SmtpSettings
from tests.bot.delivery.smtp_sink import RecordingHandler
from tests.conftest import free_port

HOSTILE = '<script>alert("x")</script>'


async def test_email_reaches_every_recipient(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    channel = EmailChannel(smtp_settings, timeout=5)

    detail = await channel.send(make_delivery())

    [mail] = smtp_handler.messages
    assert mail.mail_from == smtp_settings.sender
    assert mail.rcpt_tos == list(smtp_settings.recipients)
    assert detail.startswith("SMTP accepted for 2 recipient(s): ")


async def test_email_subject_names_team_and_company(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    delivery = make_delivery(
        team_size=3, seniority=("senior",), tech_stack=("Python",), roles=(), company="Acme Ltd"
    )

    await EmailChannel(smtp_settings, timeout=5).send(delivery)

    assert (
        smtp_handler.messages[0].message["Subject"]
        == "New lead: 3 \N{MULTIPLICATION SIGN} senior Python — Acme Ltd"
    )


async def test_email_message_id_comes_from_the_idempotency_key(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    delivery = make_delivery()

    await EmailChannel(smtp_settings, timeout=5).send(delivery)

    expected = f"<{delivery.idempotency_key}@agency.example>"
    assert smtp_handler.messages[0].message["Message-ID"] == expected
    assert message_id(delivery.idempotency_key, smtp_settings.sender) == expected


async def test_email_has_plain_text_and_escaped_html(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    delivery = make_delivery(name=HOSTILE, company=f"Acme {HOSTILE}", budget=HOSTILE)

    await EmailChannel(smtp_settings, timeout=5).send(delivery)

    message = smtp_handler.messages[0].message
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert HOSTILE in plain.get_content()
    html_text = html.get_content()
    assert "<script>" not in html_text
    assert html_text.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 3


async def test_email_lists_every_field_and_the_transcript(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    at = datetime(2024, 5, 2, 9, 58, tzinfo=timezone.utc)
    transcript = (
        TranscriptTurn("visitor", "We need three Python devs", at),
        TranscriptTurn("bot", "Which seniority?", at),
    )
    delivery = make_delivery(transcript=transcript)
    lead = delivery.payload

    await EmailChannel(smtp_settings, timeout=5).send(delivery)

    message = smtp_handler.messages[0].message
    for part in ("plain", "html"):
        body = message.get_body((part,))
        assert body is not None
        text = body.get_content()
        for field in ("name", "email", "company", "phone", "budget", "start_text", "page_url"):
            assert str(lead[field]) in text, (part, field)
        assert "We need three Python devs" in text, part
        assert "Which seniority?" in text, part


async def test_email_replies_go_to_the_visitor(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    delivery = make_delivery(name="Ada Lovelace", email="ada@acme.example")

    await EmailChannel(smtp_settings, timeout=5).send(delivery)

    assert smtp_handler.messages[0].message["Reply-To"] == "Ada Lovelace <ada@acme.example>"


async def test_email_server_down_is_retryable(make_delivery: Callable[..., Delivery]) -> None:
    settings = SmtpSettings(
        host="127.0.0.1", port=free_port(), starttls=False, recipients=("sales@agency.example",)
    )

    with pytest.raises(DeliveryError, match="SMTPConnectError") as raised:
        await EmailChannel(settings, timeout=2).send(make_delivery())

    assert raised.value.retryable


async def test_email_starttls_required_but_not_offered_is_retryable(
    smtp_handler: RecordingHandler,
    smtp_settings: SmtpSettings,
    make_delivery: Callable[..., Delivery],
) -> None:
    settings = replace(smtp_settings, starttls=True)

    with pytest.raises(DeliveryError, match="check SMTP_STARTTLS") as raised:
        await EmailChannel(settings, timeout=2).send(make_delivery())

    assert raised.value.retryable
    assert smtp_handler.messages == []


class Login:
    """An aiosmtpd authenticator accepting one user name and password."""

    def __init__(self, username: str, password: str) -> None:
        self.credentials = (username.encode(), password.encode())

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        """Accepts exactly the configured credentials."""
        given = (auth_data.login, auth_data.password)
        return AuthResult(success=given == self.credentials, handled=False)


@pytest.fixture
def login_server() -> Iterator[tuple[RecordingHandler, int]]:
    """An SMTP server that requires login (user ``bot``, password ``pw``), no TLS."""
    handler, port = RecordingHandler(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        authenticator=Login("bot", "pw"),
        auth_required=True,
        auth_require_tls=False,
    )
    controller.start()
    yield handler, port
    controller.stop()


async def test_email_logs_in_when_configured(
    login_server: tuple[RecordingHandler, int], make_delivery: Callable[..., Delivery]
) -> None:
    handler, port = login_server
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        username="bot",
        password="pw",
        starttls=False,
        recipients=("sales@agency.example",),
    )

    await EmailChannel(settings, timeout=5).send(make_delivery())

    assert len(handler.messages) == 1


async def test_email_refused_login_is_retryable_and_says_why(
    login_server: tuple[RecordingHandler, int], make_delivery: Callable[..., Delivery]
) -> None:
    _, port = login_server
    settings = SmtpSettings(
        host="127.0.0.1",
        port=port,
        username="bot",
        password="wrong",
        starttls=False,
        recipients=("sales@agency.example",),
    )

    with pytest.raises(DeliveryError, match="SMTP_PASSWORD") as raised:
        await EmailChannel(settings, timeout=5).send(make_delivery())

    assert raised.value.retryable
