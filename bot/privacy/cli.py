"""``bot leads purge`` and ``bot leads forget EMAIL``: retention and erasure."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from typing import Any

from bot.cli_support import settings_or_exit


def _purge(args: argparse.Namespace) -> int:
    from bot.privacy.erasure import purge_expired

    settings = settings_or_exit()
    return _report(
        lambda: purge_expired(
            settings, datetime.now(timezone.utc), days=args.days, dry_run=args.dry_run
        )
    )


def _forget(args: argparse.Namespace) -> int:
    from bot.privacy.erasure import forget_person

    settings = settings_or_exit()
    return _report(lambda: forget_person(settings, args.email, dry_run=args.dry_run))


def _report(operation: Any) -> int:
    from bot.conversations.events import TrackerStoreError
    from bot.leads.store import LeadStoreError

    try:
        report = operation()
    except (LeadStoreError, TrackerStoreError) as error:
        print(f"error: {error} (nothing of that store was deleted; run it again)", file=sys.stderr)
        return 1
    print(report.describe())
    return 0


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a whole number of days, got {text!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"at least 1 day, got {days}")
    return days


def add_leads_commands(commands: Any) -> None:
    """Adds ``leads purge`` and ``leads forget`` to the ``bot`` command's subcommands."""
    leads = commands.add_parser("leads", help="data protection: retention and erasure")
    leads_commands = leads.add_subparsers(dest="leads_command", required=True)

    purge = leads_commands.add_parser(
        "purge",
        help="delete leads unchanged and conversations idle for RETENTION_DAYS (run daily)",
    )
    purge.add_argument("--days", type=_days, help="instead of RETENTION_DAYS")
    purge.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    purge.set_defaults(handler=_purge)

    forget = leads_commands.add_parser(
        "forget",
        help="delete everything about one person: leads, deliveries, conversations, spool",
    )
    forget.add_argument("email", help="the person's email address (case does not matter)")
    forget.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    forget.set_defaults(handler=_forget)
