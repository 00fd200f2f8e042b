"""``bot serve`` and ``bot healthcheck``: one service per container.

``bot run`` supervises every process of the product on one machine. In a
container image (Dockerfile, docker-compose.yml, deploy/kubernetes/) each
container runs one of them instead: ``bot serve rasa|actions|web|delivery``
replaces itself with that service's process, so its logs go to the
container's output and signals reach it directly, and ``bot healthcheck`` is
the image's HEALTHCHECK for whichever service it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from bot.cli_support import serving_model_or_exit, settings_or_exit
from bot.stack import SERVICE_NAMES, single_service

# Where `bot serve` notes the health URL of what it runs, for `bot healthcheck`.
DEFAULT_HEALTH_URL_FILE = Path("/tmp/bot-health-url")


def _serve(args: argparse.Namespace) -> int:
    """Replaces this process with one service, as a container's command."""
    settings = settings_or_exit()
    model = serving_model_or_exit(args.model) if args.service == "rasa" else None
    if args.service == "web" and not settings.sales_api_token:
        raise SystemExit("error: SALES_API_TOKEN is not set: the sales inbox needs it")
    try:
        service = single_service(settings, model, args.service)
    except ValueError as error:
        raise SystemExit(f"error: {error}") from None
    args.health_file.write_text(service.health_url or "", encoding="utf-8")
    sys.stdout.flush()
    os.execvpe(service.command[0], list(service.command), {**os.environ, **service.environment})


def _healthcheck(args: argparse.Namespace) -> int:
    """Exit status 0 when the service ``bot serve`` started answers HTTP (a container's
    HEALTHCHECK); a service without a health URL is healthy while it runs."""
    import httpx

    path: Path = args.health_file
    url = path.read_text(encoding="utf-8").strip() if path.exists() else ""
    if not url:
        return 0
    try:
        status = httpx.get(url, timeout=args.timeout).status_code
    except httpx.HTTPError as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return 1
    return 0 if status < 500 else 1


def add_container_commands(commands: Any) -> None:
    """Adds ``serve`` and ``healthcheck`` to the ``bot`` command's subcommands."""
    serve = commands.add_parser(
        "serve", help="run one service in this process, as a container's command"
    )
    serve.add_argument("service", choices=SERVICE_NAMES)
    serve.add_argument("--model", type=Path, help="the model to serve (default: the newest)")
    serve.add_argument("--health-file", type=Path, default=DEFAULT_HEALTH_URL_FILE)
    serve.set_defaults(handler=_serve)

    healthcheck = commands.add_parser(
        "healthcheck", help="exit 0 if the service `bot serve` runs answers (Docker HEALTHCHECK)"
    )
    healthcheck.add_argument("--timeout", type=float, default=3.0)
    healthcheck.add_argument("--health-file", type=Path, default=DEFAULT_HEALTH_URL_FILE)
    healthcheck.set_defaults(handler=_healthcheck)
