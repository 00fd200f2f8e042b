"""The evaluation's markdown reports and its short summary, rendered from results.

Pure functions: they take results and return text; :mod:`bot.training.evaluation.run`
writes the files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.training.evaluation.baseline import Comparison, change
from bot.training.evaluation.results import FALLBACK, EvaluationResults, IntentScore, Prediction


def render_intents(
    results: EvaluationResults, baseline: Mapping[str, float], comparison: Comparison
) -> str:
    """``intents.md``: each intent's precision, recall, F1 and support against the baseline."""
    failing = {regression.intent for regression in comparison.regressions}
    scores = results.scores
    rows = [
        _score_row(intent, score, baseline.get(intent), intent in failing)
        for intent, score in scores.intents.items()
    ]
    baseline_macro = sum(baseline.values()) / len(baseline) if baseline else None
    rows.append(_score_row("**macro avg**", scores.macro, baseline_macro, False, average=True))
    rows.append(_score_row("**weighted avg**", scores.weighted, None, False, average=True))
    return "\n".join(
        [
            "# Intents: NLU cross-validation",
            "",
            f"{results.folds}-fold stratified cross-validation (seed {results.seed}) over the"
            " training data; every `faq/<topic>` is an intent of its own, and a message that"
            " falls back to `nlu_fallback` counts as wrong for its intent. The evaluation"
            f" fails when an intent's F1 falls more than {comparison.margin:.3f} below its"
            " baseline F1.",
            "",
            "| intent | precision | recall | F1 | support | baseline F1 | change |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )


def _score_row(
    name: str, score: IntentScore, baseline: float | None, failing: bool, average: bool = False
) -> str:
    if baseline is None:
        baseline_cell, change_cell = "", "" if average else "new"
    else:
        baseline_cell, change_cell = f"{baseline:.3f}", f"{change(score.f1, baseline):+.3f}"
    if failing:
        change_cell = f"**{change_cell} FAIL**"
    return (
        f"| {name} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f}"
        f" | {score.support} | {baseline_cell} | {change_cell} |"
    )


def render_misclassified(predictions: Sequence[Prediction]) -> str:
    """``misclassified.md``: every held-out example the model of its fold got wrong."""
    wrong = sorted(
        (prediction for prediction in predictions if not prediction.correct),
        key=lambda prediction: (prediction.expected, prediction.predicted, prediction.text),
    )
    rows = [
        f"| {_cell(prediction.text)} | {prediction.expected} | {_predicted_cell(prediction)}"
        f" | {prediction.confidence:.3f} |"
        for prediction in wrong
    ]
    return "\n".join(
        [
            "# Misclassified examples",
            "",
            f"{len(wrong)} of {len(predictions)} training examples were misclassified by the"
            " model of the fold that held them out. For an FAQ the confidence is the topic's;"
            f" for `{FALLBACK}` it is that of the best guess the fallback overruled (in"
            " brackets).",
            "",
            "| text | expected | predicted | confidence |",
            "|---|---|---|---:|",
            *rows,
            "",
        ]
    )


def _predicted_cell(prediction: Prediction) -> str:
    if prediction.guess is None:
        return prediction.predicted
    return f"{prediction.predicted} ({prediction.guess})"


def _cell(text: str) -> str:
    """Text that cannot break a markdown table row."""
    return " ".join(text.split()).replace("|", "\\|")


def render_summary(results: EvaluationResults, comparison: Comparison, baseline_path: str) -> str:
    """``summary.md``: the headline figures, each step's time, and what failed."""
    scores = results.scores
    stories = results.stories
    lines = [
        "# Evaluation summary",
        "",
        "| | |",
        "|---|---|",
        f"| NLU macro F1 ({results.folds}-fold cross-validation, {len(scores.intents)} intents)"
        f" | {scores.macro.f1:.3f} |",
        f"| NLU weighted F1 | {scores.weighted.f1:.3f} |",
        f"| NLU accuracy (fallbacks count as wrong) | {scores.accuracy:.3f} |",
        f"| test stories (`rasa test core`, end to end) | {stories.correct}/{stories.total}"
        " passed |",
        f"| baseline (`{baseline_path}`, margin {comparison.margin:.3f}) |"
        f" {_baseline_verdict(comparison)} |",
        f"| model of the test stories | `{results.model}` |",
        "",
        "## Time",
        "",
        "| step | seconds |",
        "|---|---:|",
        *(f"| {timing.step} | {timing.seconds:.1f} |" for timing in results.timings),
        f"| **total** | {results.total_seconds:.1f} |",
        "",
    ]
    if results.slowest is not None:
        lines += [f"Slowest step: {results.slowest.step} ({results.slowest.seconds:.1f} s).", ""]
    return "\n".join(lines + _problems(results, comparison))


def _baseline_verdict(comparison: Comparison) -> str:
    if comparison.ok:
        return "no intent fell below it by more than the margin"
    return f"{len(comparison.regressions)} intent(s) fell below it by more than the margin"


def _problems(results: EvaluationResults, comparison: Comparison) -> list[str]:
    lines: list[str] = []
    if comparison.regressions:
        lines += ["## Intents below the baseline", ""]
        lines += [
            f"- {item.intent}: {item.baseline:.3f} -> {item.current:.3f} (-{item.drop:.3f})"
            for item in comparison.regressions
        ]
        lines.append("")
    if results.stories.failed:
        lines += ["## Failed test stories (see failed_stories.yml)", ""]
        lines += [f"- {name}" for name in results.stories.failed]
        lines.append("")
    if comparison.new_intents:
        lines += ["## Intents not in the baseline (reported, not failed)", ""]
        lines += [", ".join(comparison.new_intents), ""]
    if comparison.missing_intents:
        lines += ["## Baseline intents this run did not measure", ""]
        lines += [", ".join(comparison.missing_intents), ""]
    return lines


def summary_lines(results: EvaluationResults, comparison: Comparison) -> list[str]:
    """The few lines ``bot evaluate`` prints."""
    scores = results.scores
    stories = results.stories
    lines = [
        f"NLU macro F1 {scores.macro.f1:.3f} (weighted {scores.weighted.f1:.3f}, accuracy"
        f" {scores.accuracy:.3f}) over {len(scores.intents)} intents, {results.folds} folds",
        f"test stories: {stories.correct}/{stories.total} passed",
    ]
    if results.slowest is not None:
        lines.append(
            f"slowest step: {results.slowest.step} ({results.slowest.seconds:.1f} s);"
            f" total {results.total_seconds:.1f} s"
        )
    lines += [
        f"F1 DROP: {item.intent} {item.baseline:.3f} -> {item.current:.3f}"
        f" (more than {comparison.margin:.3f} below the baseline)"
        for item in comparison.regressions
    ]
    lines += [f"FAILED STORY: {name}" for name in stories.failed]
    if comparison.new_intents:
        lines.append(f"{len(comparison.new_intents)} intent(s) not in the baseline yet")
    return lines
