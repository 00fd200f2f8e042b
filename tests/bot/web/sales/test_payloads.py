"""The sales API's documents: a delivery's state and the one shape of every error."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.leads.store import Delivery
from bot.web.sales.payloads import delivery_to_dict, error_document

SENT_AT = datetime(2024, 5, 2, 10, 0, tzinfo=timezone.utc)


def delivery(**changes: object) -> Delivery:
    values: dict = {
        "id": 1,
        "lead_id": 7,
        "channel": "webhook",
        "event": "lead.created",
        "idempotency_key": "k",
        "payload": {"secret": "not shown"},
        "status": "pending",
        "attempts": 2,
        "next_attempt_at": SENT_AT,
        "last_error": "HTTP 503",
        "delivered_at": None,
        **changes,
    }
    return Delivery(**values)


def test_a_waiting_delivery_says_when_it_is_tried_next_and_shows_no_payload():
    assert delivery_to_dict(delivery()) == {
        "channel": "webhook",
        "event": "lead.created",
        "status": "pending",
        "attempts": 2,
        "last_error": "HTTP 503",
        "delivered_at": None,
        "next_attempt_at": "2024-05-02T10:00:00+00:00",
    }


def test_a_sent_delivery_says_when():
    sent = delivery_to_dict(delivery(status="delivered", delivered_at=SENT_AT))

    assert sent["delivered_at"] == "2024-05-02T10:00:00+00:00"


def test_every_error_has_a_code_and_a_message():
    assert error_document("not_found", "No lead 7.") == {
        "error": {"code": "not_found", "message": "No lead 7."}
    }
