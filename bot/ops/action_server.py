"""The action server: rasa-sdk's app, in a process that never loads TensorFlow,
closed to strangers and quiet about what it was sent.

The knowledge search tokenizes with spaCy, and spaCy's ``thinc`` imports
TensorFlow whenever it is installed (Rasa installs it). No action needs it:
blocking the import keeps hundreds of MB out of the action server and seconds
out of the first knowledge question.

rasa-sdk's own server listens on every interface, allows any CORS origin, takes
any caller and answers an action's crash with the request it was sent (the
whole conversation, personal data included). Here it listens on
``ACTIONS_HOST`` (this machine only unless told), allows no browser origin,
wants ``Authorization: Bearer $ACTION_SERVER_TOKEN`` when that is set (Rasa
sends it, see ``bot.rasa_plugins.endpoints.endpoints``), answers a crash with a
plain 500, and a body that is not an action call with a 400 (rasa-sdk failed
on those with a 500); its errors are JSON, and its requests' framing is checked
(:mod:`bot.http_framing`). ``python -m bot.ops.action_server`` takes rasa-sdk's arguments
(``--actions actions --port 5055``, logging options); its CORS, TLS and
auto-reload options are not used (TLS ends at the platform's proxy).

It also hands the leads kept in the lead spool (``bot.leads.intake``) to the
lead store every ``LEAD_SPOOL_RETRY_SECONDS`` until the store takes them.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sanic import Sanic
    from sanic.request import Request
    from sanic.response import HTTPResponse

    from bot.settings import Settings

logger = logging.getLogger(__name__)
# An action call carries the whole conversation: far more than a chat message.
ACTION_CALL_MAX_BYTES = 16 * 1024 * 1024
OPEN_PATHS = ("/health",)


def token_check(token: str) -> Callable[[Request], Awaitable[HTTPResponse | None]]:
    """A request middleware refusing (401) callers without ``Bearer <token>``."""
    from sanic import response

    expected = f"Bearer {token}".encode()

    async def check(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        # Sanic decodes headers as UTF-8 with surrogateescape: this gives back the bytes sent.
        given = request.headers.get("authorization", "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "missing or wrong bearer token"}, status=401)
        return None

    return check


async def refuse_compressed_bodies(request: Request) -> HTTPResponse | None:
    """rasa-sdk inflates ``deflate`` bodies with no size limit; Rasa never sends them."""
    from sanic import response

    if request.headers.get("content-encoding", "identity") != "identity":
        return response.json({"error": "compressed bodies are not accepted"}, status=415)
    return None


def action_call_problem(call: Any) -> str | None:
    """Why a decoded ``/webhook`` body is not an action call rasa-sdk can take, or None.

    Only the envelope is checked: rasa-sdk would fail on these with a 500
    (``[].get``, an unhashable action name, no tracker). What the tracker holds
    is the action's to read, and its crash stays a 500.
    """
    if not isinstance(call, dict):
        return "an action call is a JSON object"
    if not isinstance(call.get("version", ""), str):
        return "version must be a string"
    action = call.get("next_action")
    if action is not None and not isinstance(action, str):
        return "next_action must be a string"
    if action and not isinstance(call.get("tracker"), dict):
        return "tracker must be an object"
    if not isinstance(call.get("domain", {}), dict):
        return "domain must be an object"
    return None


async def refuse_malformed_action_calls(request: Request) -> HTTPResponse | None:
    """400 for a ``POST /webhook`` body that is not an action call (see
    :func:`action_call_problem`); an empty body is rasa-sdk's own 400."""
    from sanic import response

    if request.method != "POST" or request.path != "/webhook" or not request.body:
        return None
    problem = action_call_problem(request.json)
    if problem is not None:
        return response.json({"error": problem}, status=400)
    return None


def quiet_error_handler() -> Any:
    """Sanic's error handler, answering a crash with a plain 500 and logging it,
    instead of rasa-sdk's, which echoes the request body."""
    from sanic import response
    from sanic.exceptions import SanicException
    from sanic.handlers import ErrorHandler

    class QuietErrorHandler(ErrorHandler):
        def default(self, request: Request, exception: Exception) -> HTTPResponse:
            if isinstance(exception, SanicException):
                return super().default(request, exception)
            logger.error("An action call failed", exc_info=exception)
            return response.json({"error": "the action server failed (see its log)"}, status=500)

    return QuietErrorHandler()


def create_app(actions_package: str, settings: Settings) -> Sanic:
    """rasa-sdk's app for ``actions_package``, hardened as the module says."""
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app(actions_package, cors_origins=None)
    app.error_handler = quiet_error_handler()
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = ACTION_CALL_MAX_BYTES
    app.register_middleware(refuse_compressed_bodies, "request")
    if settings.action_server_token:
        app.register_middleware(token_check(settings.action_server_token), "request")
    app.register_middleware(refuse_malformed_action_calls, "request")

    async def start_spool_retries(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        app.add_task(retry_spooled_leads(settings))

    app.register_listener(start_spool_retries, "after_server_start")
    return app


async def retry_spooled_leads(settings: Settings) -> None:
    """Hands spooled leads to the lead store every ``lead_spool_retry_seconds``, forever."""
    from bot.leads.intake import intake_for

    intake = intake_for(settings)
    while True:
        try:
            await intake.retry_kept()
        except Exception:  # the loop's outermost edge: log it, keep retrying
            logger.exception("Handing the spooled leads to the lead store failed")
        await asyncio.sleep(settings.lead_spool_retry_seconds)


def serve(argv: list[str]) -> None:
    """Parses rasa-sdk's arguments, configures its logging and serves the actions."""
    from rasa_sdk import utils
    from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME
    from rasa_sdk.endpoint import create_argument_parser

    from bot import http_framing
    from bot.settings import load_settings

    http_framing.install()
    args = create_argument_parser().parse_args(argv)
    settings = load_settings()
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    app = create_app(args.actions, settings)
    logger.info("Action server on http://%s:%s", settings.actions_host, args.port)
    app.run(settings.actions_host, args.port, workers=1, access_log=False)


def main() -> None:
    """Runs the action server with TensorFlow's import blocked and personal data
    kept out of its logs."""
    # A None entry makes `import tensorflow` raise ImportError, which thinc
    # handles by running without TensorFlow.
    sys.modules.setdefault("tensorflow", None)  # type: ignore[arg-type]
    from bot.ops.log_redaction import install_for_this_process

    install_for_this_process()
    serve(sys.argv[1:])


if __name__ == "__main__":
    main()
