"""The ``bot review`` commands: pull messages to review, apply a review, export stories."""

from __future__ import annotations

import argparse
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bot.training.review.review_file import ReviewFileError
from bot.training.review.selection import DEFAULT_CONFIDENCE_THRESHOLD

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

DEFAULT_DAYS = 7
REVIEWS_DIR = Path("reviews")
TEST_STORIES = Path("tests/test_stories.yml")
DOMAIN = Path("domain.yml")
DATA_DIR = Path("data")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _tracker_store() -> Engine:
    from bot.conversations.events import TrackerStoreError, tracker_store_engine
    from bot.settings import SettingsError, load_settings

    try:
        return tracker_store_engine(load_settings().tracker_store_url)
    except (SettingsError, TrackerStoreError) as error:
        raise SystemExit(f"error: {error}") from None


def _pull(args: argparse.Namespace) -> int:
    from bot.conversations.events import TrackerStoreError, by_conversation, read_events
    from bot.training.review.grouping import group_candidates
    from bot.training.review.review_file import render_review
    from bot.training.review.selection import select_candidates

    until = args.until or date.today()
    since = args.since or until - timedelta(days=DEFAULT_DAYS)
    window = (_start_of(since), _start_of(until + timedelta(days=1)))
    engine = _tracker_store()
    try:
        active = {event.sender_id for event in read_events(engine, *window)}
        # Whole conversations, so that a form opened before the window is known.
        events = read_events(engine, until=window[1], sender_ids=active) if active else iter(())
        conversations = by_conversation(events)
    except TrackerStoreError as error:
        raise SystemExit(f"error: {error}") from None
    finally:
        engine.dispose()
    candidates = [
        candidate
        for candidate in select_candidates(conversations, args.threshold)
        if candidate.timestamp >= window[0].timestamp()
    ]
    groups = group_candidates(candidates)
    output = args.output or REVIEWS_DIR / f"review-{until.isoformat()}.yml"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(render_review(groups, since, until, args.threshold), encoding="utf-8")
    print(
        f"{len(candidates)} messages from {len(active)} conversations ({since} to {until})"
        f" need a look: {len(groups)} groups written to {output}"
    )
    return 0


def _intent_names(domain: dict) -> set[str]:
    """The domain's intents, listed by name or as ``{name: properties}``."""
    return {
        entry if isinstance(entry, str) else next(iter(entry))
        for entry in domain.get("intents") or []
    }


def _apply(args: argparse.Namespace) -> int:
    import yaml

    from bot.training.review.nlu_merge import merge_accepted
    from bot.training.review.review_file import parse_review

    try:
        decisions = parse_review(args.file.read_text(encoding="utf-8"))
        domain = yaml.safe_load(DOMAIN.read_text(encoding="utf-8")) or {}
        nlu_files = [
            path
            for path in sorted(DATA_DIR.glob("*.yml"))
            if "nlu" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})
        ]
        result = merge_accepted(decisions, nlu_files, _intent_names(domain))
    except (OSError, ReviewFileError) as error:
        raise SystemExit(f"error: {error}") from None
    for intent, text in result.added:
        print(f"added to {intent}: {text}")
    for text, wanted, owner in result.conflicts:
        print(f"skipped (already an example of {owner}, not {wanted}): {text}")
    pending = sum(decision.decision == "pending" for decision in decisions)
    print(
        f"{len(result.added)} examples added, {len(result.present)} already there,"
        f" {len(result.conflicts)} conflicts, {pending} groups still pending"
        + (
            f"; changed {', '.join(map(str, result.changed_files))}: run `make train`"
            if result.added
            else ""
        )
    )
    return 0


def _stories(args: argparse.Namespace) -> int:
    from bot.conversations.events import TrackerStoreError, by_conversation, read_events
    from bot.training.review.stories import StoryExportError, write_test_stories

    engine = _tracker_store()
    try:
        conversations = by_conversation(read_events(engine, sender_ids=args.conversations))
    except TrackerStoreError as error:
        raise SystemExit(f"error: {error}") from None
    finally:
        engine.dispose()
    missing = [sender for sender in args.conversations if sender not in conversations]
    if missing:
        raise SystemExit(f"error: no such conversation in the tracker store: {missing}")
    try:
        written = write_test_stories(conversations, args.output, DOMAIN)
    except StoryExportError as error:
        raise SystemExit(f"error: {args.output}: {error}") from None
    skipped = len(conversations) - len(written)
    print(f"{len(written)} test stories appended to {args.output} ({skipped} already there)")
    return 0


def add_review_commands(commands: argparse._SubParsersAction) -> None:
    """Adds ``bot review``, ``bot review apply`` and ``bot review stories``."""
    review = commands.add_parser(
        "review",
        help="collect the visitor messages the bot was unsure of into a review file",
    )
    review.add_argument("--since", type=_day, help=f"first day (default: {DEFAULT_DAYS} days ago)")
    review.add_argument("--until", type=_day, help="last day, included (default: today)")
    review.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_CONFIDENCE_THRESHOLD,
        help="intent confidence under which a message is reviewed",
    )
    review.add_argument("--output", type=Path, help="default: reviews/review-<until>.yml")
    review.set_defaults(handler=_pull)
    actions = review.add_subparsers(dest="review_command")
    apply = actions.add_parser("apply", help="add the accepted examples to the NLU data")
    apply.add_argument("file", type=Path)
    apply.set_defaults(handler=_apply)
    stories = actions.add_parser("stories", help="append conversations as test stories")
    stories.add_argument("conversations", nargs="+", metavar="CONVERSATION_ID")
    stories.add_argument("--output", type=Path, default=TEST_STORIES)
    stories.set_defaults(handler=_stories)
