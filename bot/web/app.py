"""The web app: ``create_app(settings)`` lists everything it is made of."""

from __future__ import annotations

import asyncio
import contextlib
from asyncio import AbstractEventLoop

from sanic import Sanic

from bot.conversations.events import TrackerStoreError
from bot.leads.store import LeadRepository, create_engine_for, upgrade_database
from bot.settings import Settings
from bot.web.headers import add_headers
from bot.web.health import health_blueprint
from bot.web.sales.api import api_docs_blueprint, leads_blueprint
from bot.web.sales.errors import register_error_handlers
from bot.web.sales.page import inbox_blueprint
from bot.web.sales.stats_api import stats_blueprint, tracker_engine
from bot.web.site import site_blueprint

APP_NAME = "agency_web"
# A PATCH body is a status and at most 5000 characters of notes.
MAX_REQUEST_BYTES = 256 * 1024


def create_app(settings: Settings) -> Sanic:
    """The demo site with the chat widget, the sales inbox (API, CSV, page) and health.

    Nothing is opened here: the database engine and the repository are made
    when the server starts (``app.ctx.engine``, ``app.ctx.repository``), as is
    the engine of Rasa's tracker store (``app.ctx.tracker_engine``, read by
    ``/api/stats``), and disposed of when it stops. A Sanic app name is
    registered once per process.
    """
    app = Sanic(APP_NAME, strict_slashes=True, configure_logging=False)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings

    register_error_handlers(app)
    app.register_middleware(add_headers, "response")

    app.blueprint(health_blueprint())
    app.blueprint(site_blueprint())
    app.blueprint(leads_blueprint())
    app.blueprint(stats_blueprint())
    app.blueprint(api_docs_blueprint())
    app.blueprint(inbox_blueprint())

    app.register_listener(open_lead_store, "before_server_start")
    app.register_listener(close_lead_store, "after_server_stop")
    app.register_listener(open_tracker_store, "before_server_start")
    app.register_listener(close_tracker_store, "after_server_stop")
    return app


async def open_lead_store(app: Sanic, loop: AbstractEventLoop) -> None:
    """Opens and migrates the database; keeps the engine and repository on ``app.ctx``."""
    settings: Settings = app.ctx.settings
    engine = create_engine_for(settings.database_url)
    try:
        await asyncio.to_thread(upgrade_database, engine)
    except BaseException:
        engine.dispose()
        raise
    app.ctx.engine = engine
    app.ctx.repository = LeadRepository(engine, channels=settings.channel_names)


async def close_lead_store(app: Sanic, loop: AbstractEventLoop) -> None:
    """Closes the database connections."""
    engine = getattr(app.ctx, "engine", None)
    if engine is not None:
        engine.dispose()


async def open_tracker_store(app: Sanic, loop: AbstractEventLoop) -> None:
    """Keeps an engine on Rasa's tracker store on ``app.ctx`` (None while there is none).

    Nothing connects yet. With ``memory``, or before Rasa wrote its SQLite
    file, ``/api/stats`` answers 503 (and tries again on the next request).
    """
    app.ctx.tracker_engine = None
    with contextlib.suppress(TrackerStoreError):
        tracker_engine(app)


async def close_tracker_store(app: Sanic, loop: AbstractEventLoop) -> None:
    """Closes the tracker store's connections."""
    engine = getattr(app.ctx, "tracker_engine", None)
    if engine is not None:
        engine.dispose()
