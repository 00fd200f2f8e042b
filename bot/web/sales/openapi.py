"""The OpenAPI 3.0 description of the sales API, as data (served at ``/api/openapi.json``).

A test compares its operations with the app's routes, so the two cannot drift.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.conversations.period import MAX_PERIOD_DAYS
from bot.web.sales.csv_export import COLUMNS, MAX_ROWS
from bot.web.sales.params import (
    CHANGEABLE_FIELDS,
    DEFAULT_LIMIT,
    KINDS,
    MAX_LEAD_ID,
    MAX_LIMIT,
    MAX_NOTES_LENGTH,
    MAX_OFFSET,
    STATUSES,
)

OPENAPI_VERSION = "3.0.3"
API_VERSION = "1.0.0"


def _ref(kind: str, name: str) -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _text(nullable: bool = False, **extra: Any) -> dict[str, Any]:
    return {"type": "string", **({"nullable": True} if nullable else {}), **extra}


def _list_of(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": item}


def _object(properties: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties, **extra}


_TIME = _text(format="date-time")
_COUNT = {"type": "integer", "minimum": 0}
_RATE = {"type": "number", "minimum": 0, "maximum": 1, "nullable": True}


def _counted(description: str) -> dict[str, Any]:
    return {**_COUNT, "description": description}


_SCHEMAS: dict[str, Any] = {
    "LeadStatus": {"type": "string", "enum": list(STATUSES)},
    "LeadKind": {
        "type": "string",
        "enum": list(KINDS),
        "description": (
            "team: a team request (the lead form); callback: a request for a call "
            "(a name and a phone number, any team details given); candidate: a "
            "developer's profile for the recruiters, never delivered to sales."
        ),
    },
    "Lead": _object(
        {
            "id": {"type": "integer", "minimum": 1},
            "kind": _ref("schemas", "LeadKind"),
            "status": _ref("schemas", "LeadStatus"),
            "notes": _text(),
            "version": {"type": "integer", "minimum": 1},
            "created_at": _TIME,
            "updated_at": _TIME,
            "conversation_id": _text(),
            "roles": _list_of(_text()),
            "team_size": {"type": "integer", "nullable": True},
            "seniority": _list_of(_text()),
            "tech_stack": _list_of(_text()),
            "engagement_model": _text(nullable=True),
            "start_text": _text(nullable=True),
            "start_date": _text(nullable=True, format="date"),
            "duration": _text(nullable=True),
            "budget": _text(nullable=True),
            "name": _text(),
            "email": _text(nullable=True),
            "company": _text(nullable=True),
            "phone": _text(nullable=True),
            "consent": _object({"text": _text(), "given_at": _TIME}),
            "page_url": _text(nullable=True),
            "possible_duplicate_of": {
                "type": "integer",
                "minimum": 1,
                "nullable": True,
                "description": (
                    "The id of an earlier lead with the same email from another "
                    "conversation, stored within 30 minutes before this one: the same "
                    "person again, or someone who typed their email. Null otherwise, or "
                    "once that lead is deleted."
                ),
            },
        },
        description="A lead as listed (without its transcript).",
    ),
    "TranscriptTurn": _object(
        {"speaker": {"type": "string", "enum": ["visitor", "bot"]}, "text": _text(), "at": _TIME}
    ),
    "Delivery": _object(
        {
            "channel": _text(example="webhook"),
            "event": _text(example="lead.created"),
            "status": {"type": "string", "enum": ["pending", "delivered", "failed"]},
            "attempts": {"type": "integer", "minimum": 0},
            "last_error": _text(nullable=True),
            "delivered_at": _text(nullable=True, format="date-time"),
            "next_attempt_at": _TIME,
        },
        description="One event of the lead sent (or being sent) through one channel.",
    ),
    "LeadDetail": {
        "allOf": [
            _ref("schemas", "Lead"),
            _object(
                {
                    "transcript": _list_of(_ref("schemas", "TranscriptTurn")),
                    "deliveries": _list_of(_ref("schemas", "Delivery")),
                }
            ),
        ],
        "description": "A lead with its conversation and its deliveries, oldest first.",
    },
    "LeadList": _object(
        {
            "leads": _list_of(_ref("schemas", "Lead")),
            "total": {"type": "integer", "description": "How many leads match the filters."},
            "limit": {"type": "integer"},
            "offset": {"type": "integer"},
        }
    ),
    "LeadChanges": {
        "type": "object",
        "minProperties": 1,
        "additionalProperties": False,
        "properties": {
            "status": _ref("schemas", "LeadStatus"),
            "notes": _text(maxLength=MAX_NOTES_LENGTH),
        },
        "description": f"At least one of {' and '.join(CHANGEABLE_FIELDS)}; nothing else.",
    },
    "Error": _object(
        {"error": _object({"code": _text(example="invalid_request"), "message": _text()})}
    ),
    "DayCount": _object({"date": _text(format="date"), "count": _COUNT}),
    "ConversationStats": _object(
        {
            "since": _text(format="date"),
            "until": _text(format="date"),
            "conversations": _counted("Visitors (sender ids) who sent at least one message."),
            "messages": _counted("Messages the visitors sent, typed or by a button."),
            "fallbacks": _counted(
                "Messages the bot could not answer: Rasa's fallback, or no article section found."
            ),
            "fallback_rate": _RATE,
            "knowledge_answers": _counted("Messages answered with a section of the articles."),
            "knowledge_answer_rate": _RATE,
            "forms_started": _counted(
                "Lead forms started (reopened to change a detail of the same lead: not counted)."
            ),
            "forms_completed": _counted("Lead forms that ended with the lead stored."),
            "forms_cancelled": _counted("Lead forms cancelled by the visitor."),
            "leads": _counted("Leads created (the lead store)."),
            "leads_per_day": _list_of(_ref("schemas", "DayCount")),
        },
        description=(
            "Counts over whole UTC days, since and until included; rates are shares of "
            "messages, rounded to 4 places, null without messages. leads_per_day lists "
            "every day of the period, oldest first."
        ),
    ),
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


_DATE_OR_TIME = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}],
    "example": "2024-05-02",
}
_DAY = {"type": "string", "format": "date", "example": "2024-05-02"}

_PARAMETERS: dict[str, Any] = {
    "status": _query("status", _ref("schemas", "LeadStatus"), "Only leads with this status."),
    "kind": _query(
        "kind",
        _ref("schemas", "LeadKind"),
        "Only leads of this kind; without it, the sales requests (team and callback).",
    ),
    "created_from": _query(
        "created_from",
        _DATE_OR_TIME,
        "Only leads created at or after this ISO-8601 date (midnight UTC) or date-time "
        "(UTC unless it has an offset; encode '+' as %2B).",
    ),
    "created_to": _query(
        "created_to",
        _DATE_OR_TIME,
        "Only leads created before this ISO-8601 date-time, or by the end of this date "
        "(UTC). Must be after created_from.",
    ),
    "limit": _query(
        "limit",
        {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        "At most this many leads.",
    ),
    "offset": _query(
        "offset",
        {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0},
        "Skip this many matching leads first.",
    ),
    "since": _query(
        "since",
        _DAY,
        "The first day counted (UTC), an ISO-8601 date. Default: 29 days before until.",
    ),
    "until": _query(
        "until",
        _DAY,
        f"The last day counted (UTC), included. Default: today. At most {MAX_PERIOD_DAYS} "
        "days from since.",
    ),
    "lead_id": {
        "name": "lead_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LEAD_ID},
    },
}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": _json(_ref("schemas", "Error"))}


_RESPONSES: dict[str, Any] = {
    "Unauthorized": {
        **_error("No API token, not a Bearer token, or a wrong one."),
        "headers": {"WWW-Authenticate": {"schema": {"type": "string", "example": "Bearer"}}},
    },
    "InvalidRequest": _error(
        "A parameter or field is unknown, repeated, of the wrong type or out of range "
        "(the message says which)."
    ),
    "LeadNotFound": _error("No lead has this id."),
    "DatabaseUnavailable": _error("The lead database did not answer."),
    "StatsUnavailable": _error(
        "tracker_store_unavailable: Rasa's tracker store keeps no conversation "
        "(TRACKER_STORE_URL=memory, or Rasa has not written its SQLite file yet) or did "
        "not answer; database_unavailable: the lead database did not answer."
    ),
    "InternalError": _error("The server failed; the error is logged."),
}

_FILTERS = [_ref("parameters", name) for name in ("status", "created_from", "created_to", "kind")]
_LEAD_ID = [_ref("parameters", "lead_id")]


def _operation(
    summary: str, ok: dict[str, Any], *, errors: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    responses: dict[str, Any] = {"200": ok, "401": _ref("responses", "Unauthorized")}
    for status, name in (("404", "LeadNotFound"), ("422", "InvalidRequest")):
        if name in errors:
            responses[status] = _ref("responses", name)
    responses["503"] = _ref("responses", "DatabaseUnavailable")
    responses["500"] = _ref("responses", "InternalError")
    return {"summary": summary, **extra, "responses": responses}


def _ok(description: str, schema_name: str) -> dict[str, Any]:
    return {"description": description, "content": _json(_ref("schemas", schema_name))}


_PATHS: dict[str, Any] = {
    "/api/leads": {
        "get": _operation(
            "List leads, newest first",
            _ok("One page of leads and how many match.", "LeadList"),
            errors=("InvalidRequest",),
            operationId="listLeads",
            parameters=[*_FILTERS, _ref("parameters", "limit"), _ref("parameters", "offset")],
        )
    },
    "/api/leads.csv": {
        "get": _operation(
            "Export the matching leads as CSV",
            {
                "description": (
                    f"A UTF-8 CSV download (with a byte order mark for Excel): a header row "
                    f"({', '.join(COLUMNS)}), then one row per lead, newest first; lists "
                    "joined with '; '. Every cell is quoted. A \"'\" goes before each =, +, - or @ "
                    "that could begin a cell: at a cell's start (a tab or carriage return "
                    "there too) or after a comma, semicolon, tab or line break in it, spaces "
                    "and double quotes aside; so a spreadsheet splitting at commas, semicolons "
                    "or tabs shows it as text."
                ),
                "headers": {"Content-Disposition": {"schema": {"type": "string"}}},
                "content": {"text/csv; charset=utf-8": {"schema": {"type": "string"}}},
            },
            errors=("InvalidRequest",),
            operationId="exportLeads",
            parameters=_FILTERS,
            description=f"At most {MAX_ROWS} leads: beyond, narrow the filters (422).",
        )
    },
    "/api/leads/{lead_id}": {
        "get": _operation(
            "Read a lead with its transcript and deliveries",
            _ok("The lead.", "LeadDetail"),
            errors=("LeadNotFound",),
            operationId="getLead",
            parameters=_LEAD_ID,
        ),
        "patch": _operation(
            "Change a lead's status and/or notes",
            _ok("The updated lead.", "LeadDetail"),
            errors=("LeadNotFound", "InvalidRequest"),
            operationId="updateLead",
            parameters=_LEAD_ID,
            requestBody={"required": True, "content": _json(_ref("schemas", "LeadChanges"))},
        ),
    },
    "/api/stats": {
        "get": _operation(
            "Count conversations, answers, lead forms and leads per day",
            _ok("The counts of the period.", "ConversationStats"),
            errors=("InvalidRequest",),
            operationId="getStats",
            parameters=[_ref("parameters", "since"), _ref("parameters", "until")],
            description="Conversations come from Rasa's tracker store, leads from the lead store.",
        )
    },
    "/api/openapi.json": {
        "get": {
            "summary": "This description of the API",
            "operationId": "getOpenApi",
            "responses": {
                "200": {"description": "OpenAPI 3.0", "content": _json({"type": "object"})},
                "401": _ref("responses", "Unauthorized"),
            },
        }
    },
}
_PATHS["/api/leads/{lead_id}"]["patch"]["responses"].update(
    {
        "400": _error("The body is not valid JSON."),
        "415": _error("The body is not declared as application/json."),
    }
)

_PATHS["/api/stats"]["get"]["responses"]["503"] = _ref("responses", "StatsUnavailable")

_DOCUMENT: dict[str, Any] = {
    "openapi": OPENAPI_VERSION,
    "info": {
        "title": "Sales inbox API",
        "version": API_VERSION,
        "description": (
            "The leads the website chatbot collected, for the sales team. Every route "
            "wants `Authorization: Bearer <SALES_API_TOKEN>`. Every error is JSON "
            '`{"error": {"code": ..., "message": ...}}`. Every GET answers HEAD too, with '
            "the same status and headers and no body."
        ),
    },
    "security": [{"bearerAuth": []}],
    "paths": _PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": _SCHEMAS,
        "parameters": _PARAMETERS,
        "responses": _RESPONSES,
    },
}


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.0 document of the sales API (a fresh copy, free to change)."""
    return copy.deepcopy(_DOCUMENT)
