"""``bot serve`` and ``bot healthcheck``: one service per container.

``bot run`` supervises every process of the product on one machine. In a
container image (Dockerfile, docker-compose.yml, deploy/kubernetes/) each
container runs one of them instead: ``bot serve rasa|actions|web|delivery``
replaces itself with that service's process, so its logs go to the
container's output and signals reach it directly, and ``bot healthcheck`` is
the image's HEALTHCHECK for whichever service it runs.

Docker restarts a container whose process ended (``restart:``), but only marks
a hung one unhealthy. ``bot healthcheck --stop-after N`` closes that gap: once
the service has answered, N unanswered checks in a row kill its process, so
the container ends and is restarted. The process must not be the container's
PID 1, which no signal from inside may kill: run the container with an init
(compose ``init: true``, ``docker run --init``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
from pathlib import Path
from typing import Any

from bot.cli_support import serving_model_or_exit, settings_or_exit
from bot.ops.stack import SERVICE_NAMES, single_service

# Where `bot serve` notes the health URL and pid of what it runs, for `bot healthcheck`.
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
    # The service keeps this process's pid: exec replaces the program, not the process.
    # Written aside and renamed: a health check reading it meanwhile never sees it half-done.
    written = args.health_file.with_name(f".{args.health_file.name}.new")
    written.write_text(f"{service.health_url or ''}\n{os.getpid()}\n", encoding="utf-8")
    os.replace(written, args.health_file)
    _failures_file(args.health_file).unlink(missing_ok=True)
    sys.stdout.flush()
    os.execvpe(service.command[0], list(service.command), {**os.environ, **service.environment})


def _failures_file(health_file: Path) -> Path:
    return health_file.with_name(health_file.name + ".failures")


def _status(url: str, timeout: float) -> int | None:
    """The HTTP status ``url`` answers with; None when it does not answer."""
    import httpx

    try:
        return httpx.get(url, timeout=timeout).status_code
    except httpx.HTTPError as error:
        print(f"unhealthy: {url}: {error}", file=sys.stderr)
        return None


def _healthcheck(args: argparse.Namespace) -> int:
    """Exit status 0 when the service ``bot serve`` started answers HTTP below 500 (a
    container's HEALTHCHECK); a service without a health URL is healthy while it runs.

    With ``--stop-after``, only no answer at all counts towards killing it: a 503 of a
    service whose database is away comes from a live process, which a restart would
    not help.
    """
    path: Path = args.health_file
    url, _, pid = (path.read_text(encoding="utf-8") if path.exists() else "").partition("\n")
    if not url.strip():
        return 0
    status = _status(url.strip(), args.timeout)
    if args.stop_after:
        _count(_failures_file(path), status is not None, args.stop_after, int(pid.strip() or 0))
    if status is not None and status >= 500:
        print(f"unhealthy: {url.strip()}: status {status}", file=sys.stderr)
    return 0 if status is not None and status < 500 else 1


def _count(record: Path, answered: bool, stop_after: int, pid: int) -> None:
    """Counts checks unanswered in a row once the service has answered; kills it at
    ``stop_after``."""
    state = json.loads(record.read_text()) if record.exists() else {"answered": False}
    if answered:
        state = {"answered": True, "failures": 0}
    elif state["answered"]:  # still starting before its first answer: not counted
        state["failures"] = state.get("failures", 0) + 1
    record.write_text(json.dumps(state))
    if state.get("failures", 0) < stop_after:
        return
    if pid <= 1:
        print("cannot stop the service: it is PID 1 (run the container with init)", file=sys.stderr)
        return
    print(f"stopping the service (pid {pid}): {stop_after} checks unanswered", file=sys.stderr)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


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
    healthcheck.add_argument(
        "--stop-after",
        type=int,
        default=0,
        metavar="N",
        help="kill the service after N failed checks in a row, once it has answered (a hang)",
    )
    healthcheck.set_defaults(handler=_healthcheck)
