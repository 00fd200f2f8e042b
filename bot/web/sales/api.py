"""The leads API (Blueprint ``leads``) and its OpenAPI description (Blueprint ``api_docs``).

Handlers parse the request with :mod:`bot.web.sales.params`, hand the synchronous
repository calls to a thread, and answer with :mod:`bot.web.sales.payloads`.
Both blueprints want the API token (:func:`bot.web.sales.auth.require_token`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, raw
from sanic.views import HTTPMethodView

from bot.leads.model import StoredLead
from bot.leads.store import Delivery, LeadNotFound, LeadRepository
from bot.web.routes import READ_METHODS
from bot.web.sales import csv_export
from bot.web.sales.auth import require_token
from bot.web.sales.openapi import openapi_document
from bot.web.sales.params import (
    InvalidRequestError,
    LeadChanges,
    LeadFilters,
    LeadPage,
    is_possible_lead_id,
    parse_lead_changes,
    parse_lead_filters,
    parse_lead_page,
)
from bot.web.sales.payloads import lead_detail, lead_list
from bot.web.sales.responses import json_response

API_PREFIX = "/api"


def leads_blueprint() -> Blueprint:
    """The leads API: list, export, read and update (a new Blueprint per app)."""
    blueprint = Blueprint("leads", url_prefix=API_PREFIX)
    blueprint.middleware(require_token, "request")
    blueprint.add_route(list_leads, "/leads", methods=READ_METHODS)
    blueprint.add_route(export_leads, "/leads.csv", methods=READ_METHODS)
    blueprint.add_route(LeadResource.as_view(), "/leads/<lead_id:int>")
    return blueprint


def api_docs_blueprint() -> Blueprint:
    """The OpenAPI description of the API, at ``/api/openapi.json``."""
    blueprint = Blueprint("api_docs", url_prefix=API_PREFIX)
    blueprint.middleware(require_token, "request")
    blueprint.add_route(openapi_json, "/openapi.json", methods=READ_METHODS)
    return blueprint


async def list_leads(request: Request) -> HTTPResponse:
    """``GET /api/leads``: one page of leads, newest first, with the total."""
    page = parse_lead_page(request.get_args(keep_blank_values=True))
    document = await asyncio.to_thread(_lead_page, _repository(request), page)
    return json_response(document)


async def export_leads(request: Request) -> HTTPResponse:
    """``GET /api/leads.csv``: every lead the filters match, as a CSV download."""
    filters = parse_lead_filters(request.get_args(keep_blank_values=True))
    document = await asyncio.to_thread(_leads_csv, _repository(request), filters)
    filename = csv_export.export_filename(datetime.now(timezone.utc))
    return raw(
        document.encode("utf-8"),
        content_type=csv_export.MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def get_lead(request: Request, lead_id: int) -> HTTPResponse:
    """``GET /api/leads/<id>``: the lead with its transcript and deliveries."""
    document = await asyncio.to_thread(_lead_detail, _repository(request), lead_id)
    return json_response(document)


async def update_lead(request: Request, lead_id: int) -> HTTPResponse:
    """``PATCH /api/leads/<id>``: sets the status and/or notes; answers the updated lead."""
    changes = parse_lead_changes(request.headers.get("content-type"), request.body)
    document = await asyncio.to_thread(_update_lead, _repository(request), lead_id, changes)
    return json_response(document)


class LeadResource(HTTPMethodView):
    """``/api/leads/<id>``: GET (and HEAD) and PATCH as one route, so other methods get a 405.

    (sanic-routing 0.7 answers 404 to a wrong method when one dynamic path has
    a route per method.)
    """

    get = staticmethod(get_lead)
    head = staticmethod(get_lead)
    patch = staticmethod(update_lead)


async def openapi_json(request: Request) -> HTTPResponse:
    """``GET /api/openapi.json``: the OpenAPI 3.0 description of this API."""
    return json_response(openapi_document())


def _repository(request: Request) -> LeadRepository:
    repository: LeadRepository = request.app.ctx.repository
    return repository


# The functions below run in a worker thread: they may block on the database.


def _lead_page(repository: LeadRepository, page: LeadPage) -> dict[str, Any]:
    keywords = page.filters.as_keywords()
    leads = repository.list(**keywords, limit=page.limit, offset=page.offset)
    return lead_list(leads, repository.count(**keywords), page)


def _leads_csv(repository: LeadRepository, filters: LeadFilters) -> str:
    keywords = filters.as_keywords()
    total = repository.count(**keywords)
    if total > csv_export.MAX_ROWS:
        raise InvalidRequestError(
            f"{total} leads match, the export holds at most {csv_export.MAX_ROWS}: "
            "narrow it with status, created_from or created_to"
        )
    return csv_export.leads_csv(repository.list(**keywords, limit=csv_export.MAX_ROWS))


def _lead_detail(repository: LeadRepository, lead_id: int) -> dict[str, Any]:
    return _with_deliveries(repository, _existing(repository, lead_id))


def _update_lead(repository: LeadRepository, lead_id: int, changes: LeadChanges) -> dict[str, Any]:
    if not is_possible_lead_id(lead_id):
        raise LeadNotFound(lead_id)
    lead = repository.update(lead_id, status=changes.status, notes=changes.notes)
    return _with_deliveries(repository, lead)


def _existing(repository: LeadRepository, lead_id: int) -> StoredLead:
    if not is_possible_lead_id(lead_id):
        raise LeadNotFound(lead_id)
    return repository.get(lead_id)


def _with_deliveries(repository: LeadRepository, lead: StoredLead) -> dict[str, Any]:
    deliveries: list[Delivery] = repository.deliveries(lead.id)
    return lead_detail(lead, deliveries)
