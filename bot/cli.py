"""The ``bot`` command: project tasks that run before or beside Rasa."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.nlp.pipeline import PATTERNS_FILE, PatternsError, build_and_save

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
    from bot.validation import validate_project

    report = validate_project()
    for message, reason in report.explained:
        print(f"explained warning: {message}\n    because: {reason}")
    for message in report.unexplained:
        print(f"UNEXPLAINED WARNING: {message}", file=sys.stderr)
    print("validation: ok" if report.ok else "validation: failed (unexplained warnings)")
    return 0 if report.ok else 1


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
        "validate", help="rasa data validate, failing on any warning the project does not explain"
    )
    validate.set_defaults(handler=_validate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Runs the ``bot`` command line; returns the process exit code."""
    args = make_parser().parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
