"""The email channel: each lead as a plain-text and HTML message to the sales inbox."""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from typing import TYPE_CHECKING, Any

import aiosmtplib

from bot.delivery import render
from bot.delivery.channel import DeliveryError
from bot.settings import SmtpSettings

if TYPE_CHECKING:
    from bot.leads.store import Delivery

_NOT_ID_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]")


def message_id(idempotency_key: str, sender: str) -> str:
    """A Message-ID that is the same for every retry of one delivery.

    Mail clients drop copies with a Message-ID they already hold, so a retry
    after a lost reply does not show the lead twice.
    """
    domain = sender.rpartition("@")[2].strip(" <>") or "localhost"
    local = _NOT_ID_CHARACTERS.sub("-", idempotency_key)
    return f"<{local}@{_NOT_ID_CHARACTERS.sub('-', domain)}>"


def _reply_to(lead: Mapping[str, Any]) -> Address | None:
    """The visitor as Reply-To, or None when the address does not parse."""
    email, name = lead.get("email"), lead.get("name")
    if not isinstance(email, str) or "@" not in email:
        return None
    try:
        return Address(display_name=" ".join(str(name or "").split()), addr_spec=email)
    except (ValueError, HeaderParseError):
        return None


def build_message(delivery: Delivery, settings: SmtpSettings) -> EmailMessage:
    """The email for one delivery: plain text with an HTML alternative."""
    lead = delivery.payload
    message = EmailMessage()
    message["Subject"] = render.subject(delivery.event, lead)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = message_id(delivery.idempotency_key, settings.sender)
    message["X-Lead-Event"] = delivery.event
    message["X-Idempotency-Key"] = delivery.idempotency_key
    reply_to = _reply_to(lead)
    if reply_to is not None:
        message["Reply-To"] = reply_to
    message.set_content(render.plain_text(delivery.event, lead))
    message.add_alternative(render.html_body(delivery.event, lead), subtype="html")
    return message


def _smtp_failure(error: aiosmtplib.SMTPException | OSError) -> DeliveryError:
    if isinstance(error, aiosmtplib.SMTPTimeoutError):
        return DeliveryError(f"SMTP timed out: {error}")
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        return DeliveryError(
            f"SMTP login refused ({error.code}) — check SMTP_USERNAME and SMTP_PASSWORD "
            "(will retry)"
        )
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in error.recipients)
        return DeliveryError(f"SMTP refused every recipient ({refused}) — check SALES_EMAIL_TO")
    if isinstance(error, aiosmtplib.SMTPResponseException):
        kind = "permanent, check the SMTP settings" if error.code >= 500 else "temporary"
        return DeliveryError(f"SMTP error {error.code} ({kind}): {error.message}")
    hint = " — check SMTP_STARTTLS" if "STARTTLS" in str(error) else ""
    return DeliveryError(f"SMTP failed: {type(error).__name__}: {error}{hint}")


class EmailChannel:
    """Sends each delivery as one email, one SMTP session per message.

    Args:
        settings: the server, the optional login, the sender and recipients.
        timeout: seconds allowed for each SMTP operation.
    """

    name = "email"

    def __init__(self, settings: SmtpSettings, *, timeout: float) -> None:
        self._settings = settings
        self._timeout = timeout

    async def send(self, delivery: Delivery) -> str:
        """Emails the lead to every recipient.

        Returns:
            The server's reply, plus any recipient it refused while accepting
            the others (retrying would duplicate the mail for those).

        Raises:
            DeliveryError: the server was unreachable, slow, or refused the
                message or every recipient (all retryable).
        """
        settings = self._settings
        try:
            message = build_message(delivery, settings)
        except (ValueError, TypeError, HeaderParseError) as error:
            raise DeliveryError(f"cannot build the email: {error}", retryable=False) from error
        try:
            refused, reply = await aiosmtplib.send(
                message,
                hostname=settings.host,
                port=settings.port,
                username=settings.username,
                password=settings.password if settings.username else None,
                start_tls=settings.starttls,
                timeout=self._timeout,
            )
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _smtp_failure(error) from error
        detail = f"SMTP accepted for {len(settings.recipients) - len(refused)} recipient(s): "
        detail += " ".join(reply.split())
        if refused:
            detail += "; refused " + ", ".join(f"{a} ({r.code})" for a, r in refused.items())
        return detail

    async def aclose(self) -> None:
        """Nothing to close: each message uses its own SMTP session."""
