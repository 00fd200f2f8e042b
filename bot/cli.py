"""The ``bot`` command: project tasks that run before or beside Rasa."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.cli_support import serving_model_or_exit, settings_or_exit
from bot.ops.container import add_container_commands
from bot.privacy.cli import add_leads_commands
from bot.settings import SettingsError
from bot.training.evaluation.cli import add_evaluation_commands
from bot.training.model_files import DEFAULT_KEEP, MODELS_DIR
from bot.training.nlp.pipeline import PATTERNS_FILE, PatternsError, build_and_save
from bot.training.review.cli import add_review_commands

DEFAULT_PIPELINE_DIR = Path("build/spacy")


def _build_nlp(args: argparse.Namespace) -> int:
    try:
        output = build_and_save(args.output, args.patterns)
    except PatternsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"spaCy pipeline written to {output}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from bot.training.validation import validate_project

    report = validate_project()
    for message, reason in report.explained:
        print(f"explained warning: {message}\n    because: {reason}")
    for message in report.unexplained:
        print(f"UNEXPLAINED WARNING: {message}", file=sys.stderr)
    for problem in report.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    if report.ok:
        print("validation: ok (rasa data validate and the project's checks)")
    else:
        print(
            f"validation: failed ({len(report.unexplained)} unexplained warnings,"
            f" {len(report.problems)} problems)"
        )
    return 0 if report.ok else 1


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.leads.store import create_engine_for, upgrade_database

    settings = settings_or_exit()
    engine = create_engine_for(settings.database_url)
    try:
        upgrade_database(engine)
    finally:
        engine.dispose()
    print(f"lead store schema is up to date ({engine.url.render_as_string(hide_password=True)})")
    return 0


def _deliver(args: argparse.Namespace) -> int:
    import asyncio

    from bot.delivery.worker import deliver
    from bot.ops import log_redaction

    settings = settings_or_exit()
    log_redaction.install(settings.default_phone_region)  # its errors name recipients
    if args.retry_failed:
        from bot.leads.store import Outbox, create_engine_for

        requeued = Outbox(create_engine_for(settings.database_url)).requeue_failed()
        print(f"{requeued} failed deliveries queued again")
    if not settings.channel_names:
        print("no delivery channel is configured (SALES_WEBHOOK_URL, SMTP_HOST)")

    async def run() -> int:
        stop = asyncio.Event()  # SIGINT / SIGTERM finish the batch in flight, then stop
        for stop_signal in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(stop_signal, stop.set)
        return await deliver(settings, once=args.once, stop=stop)

    print(f"{asyncio.run(run())} deliveries sent")
    return 0


def _web_server(args: argparse.Namespace) -> int:
    from bot.web.__main__ import main as serve_web

    return serve_web()


def _stats(args: argparse.Namespace) -> int:
    import json
    from datetime import datetime, timezone

    from bot.conversations.events import TrackerStoreError
    from bot.conversations.period import PeriodError, parse_period
    from bot.conversations.stats import format_table, gather_stats
    from bot.leads.store import LeadStoreError

    settings = settings_or_exit()
    try:
        period = parse_period(args.since, args.until, datetime.now(timezone.utc).date())
        stats = gather_stats(settings, period)
    except (PeriodError, TrackerStoreError, LeadStoreError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(json.dumps(stats.to_dict(), indent=2) if args.json else format_table(stats))
    return 0


def _model_list(args: argparse.Namespace) -> int:
    from bot.training.model_files import list_models

    models = list_models(args.models)
    for position, path in enumerate(models):
        print(f"{'*' if position == 0 else ' '} {path}")
    print("* served by `make run`" if models else f"no trained model in {args.models}/")
    return 0


def _model_prune(args: argparse.Namespace) -> int:
    from bot.training.model_files import ModelError, prune

    try:
        deleted = prune(args.models, args.keep)
    except ModelError as error:
        raise SystemExit(f"error: {error}") from None
    for path in deleted:
        print(f"deleted {path}")
    return 0


def _model_rollback(args: argparse.Namespace) -> int:
    from bot.training.model_files import ModelError, rollback

    try:
        retired, served = rollback(args.models)
    except ModelError as error:
        raise SystemExit(f"error: {error}") from None
    print(f"retired {retired}\nnow serving {served} (restart `make run` to load it)")
    return 0


def _run(args: argparse.Namespace) -> int:
    import asyncio
    from dataclasses import replace

    from bot.ops import stack
    from bot.ops.supervision import Supervisor

    # What the run writes (the lead and tracker databases, logs, the spool) holds
    # personal data: readable by this user only.
    os.umask(0o077)
    settings = settings_or_exit()
    model = serving_model_or_exit(args.model)
    if args.dev and not settings.sales_api_token:
        settings = replace(settings, sales_dev_mode=True)
    configured_token = settings.sales_api_token
    settings = stack.with_run_secrets(settings)
    if not settings.sales_api_token:
        raise SystemExit(
            "error: SALES_API_TOKEN is not set: set it, or use `bot run --dev` on a"
            " development machine to get a token made up for this run"
        )
    taken = [] if args.shell else stack.ports_taken(settings)
    if taken:  # else a server would fail to bind after the model loaded
        raise SystemExit(
            f"error: already in use, by another program or another `bot run`:"
            f" {', '.join(taken)}. Stop it, or set another port."
        )
    _db_upgrade(args)
    if args.shell:
        return stack.run_shell(settings, model)
    print(f"serving {model}")
    supervisor = Supervisor(stack.services(settings, model), settings.log_dir)
    made_up = settings.sales_api_token != configured_token

    def say_ready(seconds: float) -> None:
        print(stack.ready_message(settings, seconds, token_made_up=made_up), flush=True)

    try:
        return asyncio.run(supervisor.run(on_ready=say_ready))
    finally:
        stack.endpoints_path(settings).unlink(missing_ok=True)  # written for this run only


def make_parser() -> argparse.ArgumentParser:
    """Returns the argument parser of the ``bot`` command."""
    parser = argparse.ArgumentParser(prog="bot", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build_nlp = commands.add_parser(
        "build-nlp", help="build the spaCy pipeline (entity ruler) that Rasa's SpacyNLP loads"
    )
    build_nlp.add_argument("--output", type=Path, default=DEFAULT_PIPELINE_DIR)
    build_nlp.add_argument("--patterns", type=Path, default=PATTERNS_FILE)
    build_nlp.set_defaults(handler=_build_nlp)

    validate = commands.add_parser(
        "validate",
        help="rasa data validate (no unexplained warning) and the project's own data checks",
    )
    validate.set_defaults(handler=_validate)

    database = commands.add_parser("db", help="the lead store's database")
    database_commands = database.add_subparsers(dest="db_command", required=True)
    upgrade = database_commands.add_parser(
        "upgrade", help="create or migrate the lead store's schema (DATABASE_URL)"
    )
    upgrade.set_defaults(handler=_db_upgrade)

    deliver = commands.add_parser(
        "deliver", help="send stored leads to the sales channels (webhook, email) with retries"
    )
    deliver.add_argument("--once", action="store_true", help="send what is due, then exit")
    deliver.add_argument(
        "--retry-failed", action="store_true", help="queue deliveries that gave up again first"
    )
    deliver.set_defaults(handler=_deliver)

    run = commands.add_parser(
        "run", help="start the whole product (make run): Rasa, actions, web app, delivery"
    )
    run.add_argument("--model", type=Path, help="the model to serve (default: the newest)")
    run.add_argument(
        "--dev", action="store_true", help="without SALES_API_TOKEN, make up a token for this run"
    )
    run.add_argument(
        "--shell", action="store_true", help="chat in this terminal instead (make shell)"
    )
    run.set_defaults(handler=_run)

    add_container_commands(commands)
    _add_model_commands(commands)
    _add_stats_command(commands)
    add_review_commands(commands)
    add_leads_commands(commands)
    add_evaluation_commands(commands)

    web_server = commands.add_parser(
        "web-server",
        help="serve the demo site with the chat widget and the sales inbox (SALES_API_TOKEN)",
    )
    web_server.set_defaults(handler=_web_server)
    return parser


def _add_model_commands(commands: argparse._SubParsersAction) -> None:
    model = commands.add_parser("model", help="the trained models: list, prune, rollback")
    model.add_argument("--models", type=Path, default=MODELS_DIR, help="the models directory")
    model_commands = model.add_subparsers(dest="model_command", required=True)
    model_commands.add_parser("list", help="the models, newest (served) first").set_defaults(
        handler=_model_list
    )
    prune = model_commands.add_parser("prune", help="delete all but the newest models")
    prune.add_argument("--keep", type=int, default=DEFAULT_KEEP)
    prune.set_defaults(handler=_model_prune)
    model_commands.add_parser(
        "rollback", help="retire the newest model: the previous one is served"
    ).set_defaults(handler=_model_rollback)


def _add_stats_command(commands: argparse._SubParsersAction) -> None:
    stats = commands.add_parser(
        "stats", help="conversation counts for the team: answers, lead forms, leads per day"
    )
    stats.add_argument(
        "--since", metavar="DATE", help="first day (UTC), e.g. 2024-05-01; default: 30 days"
    )
    stats.add_argument("--until", metavar="DATE", help="last day (UTC), included; default: today")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.set_defaults(handler=_stats)


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``bot`` command line; returns the process exit code."""
    args = make_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
