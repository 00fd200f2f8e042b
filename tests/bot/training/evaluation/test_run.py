"""An evaluation's reports and the baseline rewritten from them, without Rasa."""

from __future__ import annotations

from pathlib import Path

from bot.training.evaluation.baseline import compare, load_baseline
from bot.training.evaluation.results import RESULTS_FILE, load_results
from bot.training.evaluation.run import (
    Evaluation,
    EvaluationOptions,
    update_baseline,
    write_reports,
)
from tests.bot.training.evaluation.factories import make_results


def test_the_reports_are_written_and_the_baseline_is_rewritten_from_them(tmp_path: Path):
    results = make_results({"greet": 0.9, "faq/setup_costs": 0.7})
    baseline_before = {"greet": 0.95, "faq/setup_costs": 0.7}
    options = EvaluationOptions(model=Path("m.tar.gz"), output=tmp_path / "reports")
    evaluation = Evaluation(results, compare(results.f1_by_intent(), baseline_before, 0.03))

    write_reports(evaluation, baseline_before, options)
    baseline = tmp_path / "f1_baseline.yml"
    rewritten = update_baseline(options.output, baseline)

    files = sorted(path.name for path in options.output.iterdir())
    assert files == sorted([RESULTS_FILE, "intents.md", "misclassified.md", "summary.md"])
    assert load_results(options.output / RESULTS_FILE).f1_by_intent() == results.f1_by_intent()
    assert not evaluation.passed  # greet fell by 0.05, more than the margin
    assert rewritten == load_baseline(baseline) == {"greet": 0.9, "faq/setup_costs": 0.7}
