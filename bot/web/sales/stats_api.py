"""Conversation counts for the team (Blueprint ``stats``): ``GET /api/stats``.

The counts are read from Rasa's tracker store and the lead store in a worker
thread (:func:`bot.conversations.stats.collect_stats`). The route wants the API
token, as every ``/api`` route does.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.engine import Engine

from bot.conversations.events import tracker_store_engine
from bot.conversations.stats import collect_stats
from bot.web.routes import READ_METHODS
from bot.web.sales.api import API_PREFIX
from bot.web.sales.auth import require_token
from bot.web.sales.params import parse_stats_period
from bot.web.sales.responses import json_response


def stats_blueprint() -> Blueprint:
    """The counts of ``GET /api/stats`` (a new Blueprint per app)."""
    blueprint = Blueprint("stats", url_prefix=API_PREFIX)
    blueprint.middleware(require_token, "request")
    blueprint.add_route(conversation_stats, "/stats", methods=READ_METHODS)
    return blueprint


async def conversation_stats(request: Request) -> HTTPResponse:
    """``GET /api/stats?since=&until=``: conversations, answers, forms and leads per day."""
    today = datetime.now(timezone.utc).date()
    period = parse_stats_period(request.get_args(keep_blank_values=True), today)
    engine = tracker_engine(request.app)
    repository = request.app.ctx.repository
    stats = await asyncio.to_thread(collect_stats, engine, repository, period)
    return json_response(stats.to_dict())


def tracker_engine(app: Sanic) -> Engine:
    """The tracker store's engine on ``app.ctx``, opened now if it could not be before.

    Rasa creates its SQLite file with the first conversation, which may come
    after the web app started.

    Raises:
        TrackerStoreError: the tracker store is ``memory``, or its SQLite file
            does not exist yet.
    """
    if app.ctx.tracker_engine is None:
        app.ctx.tracker_engine = tracker_store_engine(app.ctx.settings.tracker_store_url)
    engine: Engine = app.ctx.tracker_engine
    return engine
