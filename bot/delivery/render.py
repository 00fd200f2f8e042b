"""A lead payload (``lead_to_dict``) as an email subject, plain text and HTML.

Pure formatting, no I/O. Every value in the payload may come from a visitor,
so the HTML escapes each one and the subject is flattened to one line.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from bot.leads.vocabulary import ENGAGEMENT_MODELS

SUBJECT_LENGTH = 150
TIMES = "\N{MULTIPLICATION SIGN}"
MISSING = "—"

# Every field of ``lead_to_dict`` in the order sales read them; fields not
# listed here (added later) follow under their own names, never dropped.
FIELD_LABELS = {
    "kind": "Request",
    "name": "Name",
    "company": "Company",
    "email": "Email",
    "phone": "Phone",
    "roles": "Roles",
    "team_size": "Team size",
    "seniority": "Seniority",
    "tech_stack": "Tech stack",
    "engagement_model": "Engagement model",
    "start_text": "Start",
    "start_date": "Start date",
    "duration": "Duration",
    "budget": "Budget",
    "page_url": "Page",
    "consent": "Consent",
    "id": "Lead ID",
    "version": "Version",
    "status": "Status",
    "notes": "Notes",
    "created_at": "Created",
    "updated_at": "Updated",
    "conversation_id": "Conversation",
    "possible_duplicate_of": "Possible duplicate of lead",
}
_NOT_FIELDS = frozenset({"transcript"})


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_value(value: Any) -> str:
    """One field's value as text: lists joined, consent spelled out, None as a dash."""
    if value is None or value == "" or value == [] or value == ():
        return MISSING
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(item) for item in value)
    if isinstance(value, Mapping):
        if set(value) == {"text", "given_at"}:
            return f"{format_value(value['text'])} (given {format_value(value['given_at'])})"
        return "; ".join(f"{key}: {format_value(item)}" for key, item in value.items())
    return str(value)


# What each kind of request is called where sales read it.
KIND_NAMES = {"team": "Team", "callback": "Call back", "candidate": "Candidate profile"}


def _field_text(key: str, value: Any) -> str:
    if key == "engagement_model" and isinstance(value, str):
        return ENGAGEMENT_MODELS.get(value, value)
    if key == "kind" and isinstance(value, str):
        return KIND_NAMES.get(value, value)
    return format_value(value)


def lead_fields(lead: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Every field of the lead except the transcript, as (label, text) pairs."""
    known = [key for key in FIELD_LABELS if key in lead]
    extra = [key for key in lead if key not in FIELD_LABELS and key not in _NOT_FIELDS]
    return [
        (FIELD_LABELS.get(key, key.replace("_", " ").capitalize()), _field_text(key, lead[key]))
        for key in known + extra
    ]


def transcript_turns(lead: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The transcript as (time, speaker, text) triples, oldest first as stored."""
    turns = lead.get("transcript") or []
    return [
        (str(turn.get("at", "")), str(turn.get("speaker", "")), str(turn.get("text", "")))
        for turn in turns
        if isinstance(turn, Mapping)
    ]


def _joined(value: Any, separator: str) -> str:
    if isinstance(value, (list, tuple)):
        return separator.join(str(item) for item in value if item)
    return str(value or "")


def subject(event: str, lead: Mapping[str, Any]) -> str:
    """A one-line subject: the team (size, seniority, roles or else stack), then the company."""
    what_kind = _joined(lead.get("roles"), ", ") or _joined(lead.get("tech_stack"), "/")
    team = " ".join(part for part in (_joined(lead.get("seniority"), "/"), what_kind) if part)
    size = lead.get("team_size")
    what = f"{size} {TIMES} {team}" if size and team else team or str(size or "a team")
    company = _joined(lead.get("company"), ", ") or _joined(lead.get("name"), "") or "unknown"
    prefix = "New lead" if event != "lead.updated" else f"Updated lead (v{lead.get('version')})"
    if lead.get("kind") == "callback":
        prefix = prefix.replace("lead", "call back request")
        what = f"call {_joined(lead.get('phone'), '')}" + (f" about {what}" if team else "")
    text = _one_line(f"{prefix}: {what} — {company}")
    return text if len(text) <= SUBJECT_LENGTH else text[: SUBJECT_LENGTH - 1] + "…"


def plain_text(event: str, lead: Mapping[str, Any]) -> str:
    """The plain-text body: every field, then the transcript."""
    fields = lead_fields(lead)
    width = max((len(label) for label, _ in fields), default=0) + 1
    lines = [subject(event, lead), ""]
    lines += [f"{label + ':':<{width}} {text}" for label, text in fields]
    lines += ["", "Transcript", "----------"]
    turns = transcript_turns(lead)
    lines += [f"[{at}] {speaker}: {text}" for at, speaker, text in turns] or ["(none)"]
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def html_body(event: str, lead: Mapping[str, Any]) -> str:
    """The HTML alternative: a table of every field, then the transcript, all escaped."""
    rows = "\n".join(
        f'<tr><th align="left" valign="top">{_escape(label)}</th>'
        f'<td style="white-space:pre-wrap">{_escape(text)}</td></tr>'
        for label, text in lead_fields(lead)
    )
    turns = "\n".join(
        f'<tr><td valign="top">{_escape(at)}</td><th align="left" valign="top">'
        f'{_escape(speaker)}</th><td style="white-space:pre-wrap">{_escape(text)}</td></tr>'
        for at, speaker, text in transcript_turns(lead)
    )
    transcript = f"<table>\n{turns}\n</table>" if turns else "<p>(none)</p>"
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
        f"<title>{_escape(subject(event, lead))}</title></head><body>\n"
        f"<h2>{_escape(subject(event, lead))}</h2>\n<table>\n{rows}\n</table>\n"
        f"<h3>Transcript</h3>\n{transcript}\n</body></html>\n"
    )
