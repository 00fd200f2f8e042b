"""The JSON documents the sales API answers with (plain data, no Sanic here)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.leads.model import StoredLead
from bot.leads.serialize import iso_time, lead_to_dict
from bot.leads.store import Delivery
from bot.web.sales.params import LeadPage


def lead_list(leads: Sequence[StoredLead], total: int, page: LeadPage) -> dict[str, Any]:
    """One page of leads (without transcripts), with the count of all that match."""
    return {
        "leads": [lead_to_dict(lead, include_transcript=False) for lead in leads],
        "total": total,
        "limit": page.limit,
        "offset": page.offset,
    }


def delivery_to_dict(delivery: Delivery) -> dict[str, Any]:
    """Where one delivery of a lead stands: sent, waiting for a retry, or given up."""
    return {
        "channel": delivery.channel,
        "event": delivery.event,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "last_error": delivery.last_error,
        "delivered_at": iso_time(delivery.delivered_at) if delivery.delivered_at else None,
        "next_attempt_at": iso_time(delivery.next_attempt_at),
    }


def lead_detail(lead: StoredLead, deliveries: Sequence[Delivery]) -> dict[str, Any]:
    """The lead with its transcript and its deliveries, oldest first."""
    return {
        **lead_to_dict(lead, include_transcript=True),
        "deliveries": [delivery_to_dict(delivery) for delivery in deliveries],
    }


def error_document(code: str, message: str) -> dict[str, Any]:
    """The body of every error response: ``{"error": {"code", "message"}}``."""
    return {"error": {"code": code, "message": message}}
