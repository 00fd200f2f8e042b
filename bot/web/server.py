"""Runs the web app: ``serve(settings)`` (``python -m bot.web``, ``bot web-server``)."""

from __future__ import annotations

import logging
import secrets
from dataclasses import replace

from bot import http_framing
from bot.ops import log_redaction
from bot.settings import Settings, SettingsError
from bot.web.app import create_app

TOKEN_BYTES = 32
MISSING_TOKEN = (
    "SALES_API_TOKEN is not set: the sales inbox does not start without it. Set it to a "
    "long random value (python -c 'import secrets; print(secrets.token_urlsafe(32))'), "
    "or set SALES_DEV_MODE=true on a development machine to get a token made up at start."
)


def with_api_token(settings: Settings) -> Settings:
    """``settings`` with an API token: the configured one, or in dev mode a new random one.

    The made-up token is printed once, here; it lasts until the server stops.

    Raises:
        SettingsError: no ``SALES_API_TOKEN`` and ``SALES_DEV_MODE`` is off.
    """
    if settings.sales_api_token:
        return settings
    if not settings.sales_dev_mode:
        raise SettingsError(MISSING_TOKEN)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    print(f"SALES_DEV_MODE: no SALES_API_TOKEN set; this run's API token is: {token}", flush=True)
    return replace(settings, sales_api_token=token)


def serve(settings: Settings) -> None:
    """Serves the web app on ``web_host:web_port`` until stopped (one process).

    Raises:
        SettingsError: no API token and not in dev mode (nothing is started).
        LeadStoreError: the database could not be opened or migrated at start.
    """
    settings = with_api_token(settings)
    log_redaction.install(settings.default_phone_region)
    http_framing.install()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    app = create_app(settings)
    base = f"http://{settings.web_host}:{settings.web_port}"
    print(f"Demo site on {base}/ and the sales inbox on {base}/sales", flush=True)
    app.run(
        host=settings.web_host,
        port=settings.web_port,
        workers=1,
        access_log=False,
        debug=False,
        auto_reload=False,
        motd=False,
    )
