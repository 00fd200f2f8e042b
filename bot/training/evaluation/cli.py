"""``bot evaluate`` and ``bot baseline update``, added to the ``bot`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.training.evaluation.baseline import DEFAULT_BASELINE, DEFAULT_MARGIN
from bot.training.evaluation.run import DEFAULT_FOLDS, DEFAULT_OUTPUT, SEED


def _evaluate(args: argparse.Namespace) -> int:
    from bot.training.evaluation.baseline import BaselineError
    from bot.training.evaluation.report import summary_lines
    from bot.training.evaluation.results import EvaluationError
    from bot.training.evaluation.run import EvaluationOptions, evaluate
    from bot.training.model_files import ModelError, serving_model

    try:
        options = EvaluationOptions(
            model=args.model or serving_model(),
            folds=args.folds,
            margin=args.margin,
            output=args.output,
            baseline=args.baseline,
            seed=args.seed,
        )
        evaluation = evaluate(options)
    except (ModelError, EvaluationError, BaselineError) as error:
        raise SystemExit(f"error: {error}") from None
    for line in summary_lines(evaluation.results, evaluation.comparison):
        print(line)
    print(f"reports in {args.output}/ (summary.md, intents.md, misclassified.md)")
    if not evaluation.passed:
        print("evaluation: failed", file=sys.stderr)
        return 1
    print("evaluation: ok")
    return 0


def _update_baseline(args: argparse.Namespace) -> int:
    from bot.training.evaluation.results import ResultsError
    from bot.training.evaluation.run import update_baseline

    try:
        f1_by_intent = update_baseline(args.output, args.baseline)
    except ResultsError as error:
        raise SystemExit(f"error: {error}") from None
    print(f"{args.baseline}: F1 of {len(f1_by_intent)} intents from {args.output}/")
    return 0


def _folds(value: str) -> int:
    folds = int(value)
    if folds < 2:
        raise argparse.ArgumentTypeError(f"cross-validation needs at least 2 folds, not {folds}")
    return folds


def _margin(value: str) -> float:
    margin = float(value)
    if not 0.0 <= margin <= 1.0:
        raise argparse.ArgumentTypeError(f"the margin is an F1 difference within 0..1, not {value}")
    return margin


def add_evaluation_commands(commands: argparse._SubParsersAction) -> None:
    """Adds ``bot evaluate`` and ``bot baseline update``."""
    evaluate = commands.add_parser(
        "evaluate",
        help="NLU cross-validation and the test stories, with reports and the F1 baseline check",
    )
    evaluate.add_argument("--folds", type=_folds, default=DEFAULT_FOLDS)
    evaluate.add_argument(
        "--margin",
        type=_margin,
        default=DEFAULT_MARGIN,
        help="how far an intent's F1 may fall below its baseline (default: %(default)s)",
    )
    evaluate.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    evaluate.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    evaluate.add_argument("--model", type=Path, help="the model of the test stories (newest)")
    evaluate.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help="the folds' seed (default: %(default)s); another seed shows a drop's noise",
    )
    evaluate.set_defaults(handler=_evaluate)

    baseline = commands.add_parser("baseline", help="the per-intent F1 baseline")
    baseline_commands = baseline.add_subparsers(dest="baseline_command", required=True)
    update = baseline_commands.add_parser(
        "update", help="rewrite the baseline from the latest `bot evaluate` results"
    )
    update.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the reports")
    update.add_argument("--baseline", type=Path, default=DEFAULT_BASELINE)
    update.set_defaults(handler=_update_baseline)
