"""``GET /health`` (and HEAD; Blueprint ``health``): the app is up and its database answers."""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.leads.store import LeadRepository
from bot.web.routes import READ_METHODS
from bot.web.sales.responses import json_response


def health_blueprint() -> Blueprint:
    """The health check, without authentication (for load balancers and tests)."""
    blueprint = Blueprint("health")
    blueprint.add_route(health, "/health", methods=READ_METHODS)
    return blueprint


async def health(request: Request) -> HTTPResponse:
    """``{"status": "ok"}`` once the lead table answers; a 503 error when it does not."""
    repository: LeadRepository = request.app.ctx.repository
    # An empty page still makes the database parse the query against the leads table.
    await asyncio.to_thread(repository.list, limit=0)
    return json_response({"status": "ok"})
