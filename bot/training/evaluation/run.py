"""One whole evaluation: cross-validation, test stories, reports, baseline check.

``bot evaluate`` calls :func:`evaluate` then :func:`write_reports`;
``bot baseline update`` calls :func:`update_baseline`, which reruns nothing.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.training.evaluation import baseline as baselines
from bot.training.evaluation import report
from bot.training.evaluation.baseline import DEFAULT_BASELINE, DEFAULT_MARGIN, Comparison
from bot.training.evaluation.results import (
    RESULTS_FILE,
    EvaluationResults,
    Prediction,
    Scores,
    StoryResult,
    Timing,
    load_results,
    save_results,
)

DEFAULT_OUTPUT = Path("reports/evaluation")
DEFAULT_FOLDS = 5
# The folds are drawn from this seed, so that every run splits the data alike
# and the comparison with the baseline measures changes, not luck.
SEED = 42
FAILED_STORIES_REPORT = "failed_stories.yml"
CONFUSION_PLOT = "confusion.png"


@dataclass(frozen=True)
class EvaluationOptions:
    """What to evaluate, and where the reports go."""

    model: Path
    folds: int = DEFAULT_FOLDS
    margin: float = DEFAULT_MARGIN
    output: Path = DEFAULT_OUTPUT
    baseline: Path = DEFAULT_BASELINE
    config: Path = Path("config.yml")
    data: Path = Path("data")
    domain: Path = Path("domain.yml")
    stories: Path = Path("tests/test_stories.yml")
    seed: int = SEED


@dataclass(frozen=True)
class Evaluation:
    """A run's results and their comparison with the baseline."""

    results: EvaluationResults
    comparison: Comparison

    @property
    def passed(self) -> bool:
        """No intent below its baseline by more than the margin, no failed story."""
        return self.comparison.ok and self.results.stories.passed


@dataclass
class Stopwatch:
    """Times named steps, and the whole run since it was created."""

    timings: list[Timing] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Times the ``with`` block as the step ``name``."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append(Timing(name, round(time.perf_counter() - start, 2)))

    def total(self) -> float:
        """Seconds since the stopwatch was created."""
        return round(time.perf_counter() - self.started, 2)


def evaluate(options: EvaluationOptions) -> Evaluation:
    """Cross-validates the NLU, runs the test stories and writes every report.

    Raises:
        EvaluationError: when Rasa trains no fold model or cannot test the stories.
        BaselineError: when the baseline file is unreadable.
    """
    baseline = baselines.load_baseline(options.baseline)
    # A run that stops half-way must not leave the previous results for
    # `bot baseline update` to take as its own.
    (options.output / RESULTS_FILE).unlink(missing_ok=True)
    stopwatch = Stopwatch()
    with tempfile.TemporaryDirectory(prefix="evaluation-") as workdir:
        predictions = _cross_validate(options, stopwatch, Path(workdir))
        with stopwatch.step("test stories (rasa test core)"):
            stories = _test_stories(options, Path(workdir) / "core")
    with stopwatch.step("scores and confusion plot"):
        scores = _scores_and_plot(predictions, options.output)
    results = EvaluationResults(
        model=str(options.model),
        folds=options.folds,
        seed=options.seed,
        scores=scores,
        predictions=tuple(predictions),
        stories=stories,
        timings=tuple(stopwatch.timings),
        total_seconds=stopwatch.total(),
    )
    evaluation = Evaluation(
        results, baselines.compare(results.f1_by_intent(), baseline, options.margin)
    )
    write_reports(evaluation, baseline, options)
    return evaluation


def _cross_validate(
    options: EvaluationOptions, stopwatch: Stopwatch, workdir: Path
) -> list[Prediction]:
    with stopwatch.step("load Rasa and the training data"):
        from bot.training.evaluation import cross_validation

        _quiet_rasa()
        data = cross_validation.load_training_data(options.data, options.domain)
        folds = cross_validation.make_folds(data, options.folds, options.seed)
    predictions: list[Prediction] = []
    with cross_validation.isolated_training_cache():
        for fold in folds:
            with stopwatch.step(f"NLU fold {fold.number}/{len(folds)}: train and predict"):
                predictions += cross_validation.evaluate_fold(fold, options.config, workdir)
    return predictions


def _quiet_rasa() -> None:
    import logging

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def _test_stories(options: EvaluationOptions, workdir: Path) -> StoryResult:
    from bot.training.evaluation.stories import FAILED_STORIES_FILE, run_test_stories

    stories = run_test_stories(options.model, options.stories, workdir)
    options.output.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(workdir / FAILED_STORIES_FILE, options.output / FAILED_STORIES_REPORT)
    return stories


def _scores_and_plot(predictions: list[Prediction], output: Path) -> Scores:
    from bot.training.evaluation.confusion import plot_confusion
    from bot.training.evaluation.metrics import score

    plot_confusion(predictions, output / CONFUSION_PLOT)
    return score(predictions)


def write_reports(
    evaluation: Evaluation, baseline: dict[str, float], options: EvaluationOptions
) -> None:
    """Writes ``results.json`` and the markdown reports to ``options.output``."""
    results, comparison = evaluation.results, evaluation.comparison
    output = options.output
    output.mkdir(parents=True, exist_ok=True)
    save_results(results, output / RESULTS_FILE)
    (output / "intents.md").write_text(
        report.render_intents(results, baseline, comparison), encoding="utf-8"
    )
    (output / "misclassified.md").write_text(
        report.render_misclassified(results.predictions), encoding="utf-8"
    )
    (output / "summary.md").write_text(
        report.render_summary(results, comparison, str(options.baseline)), encoding="utf-8"
    )


def update_baseline(
    output: Path = DEFAULT_OUTPUT, baseline: Path = DEFAULT_BASELINE
) -> dict[str, float]:
    """Rewrites the baseline from the latest results in ``output``; reruns nothing.

    Returns:
        The F1 of each intent now in the baseline.

    Raises:
        ResultsError: when ``output`` holds no results.
    """
    results = load_results(output / RESULTS_FILE)
    f1_by_intent = results.f1_by_intent()
    source = f"{results.folds}-fold cross-validation, seed {results.seed}"
    baselines.write_baseline(baseline, f1_by_intent, source)
    return baselines.load_baseline(baseline)
