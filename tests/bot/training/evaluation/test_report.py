import re

from bot.training.evaluation.baseline import compare
from bot.training.evaluation.report import (
    render_intents,
    render_misclassified,
    render_summary,
    summary_lines,
)
from bot.training.evaluation.results import Prediction, StoryResult, Timing
from tests.bot.training.evaluation.factories import make_results

BASELINE = {"greet": 0.9, "faq/setup_costs": 0.8}


def table_rows(markdown: str) -> list[list[str]]:
    """The cells of each markdown table row after the header and separator."""
    lines = [line for line in markdown.splitlines() if line.startswith("|")]
    cells = [re.split(r"(?<!\\)\|", line.strip()[1:-1]) for line in lines[2:]]
    return [[cell.strip() for cell in row] for row in cells]


def test_intents_table_has_a_row_per_intent_with_its_baseline_and_change():
    results = make_results({"faq/setup_costs": 0.8123, "greet": 0.75, "thank": 1.0})
    rows = table_rows(render_intents(results, BASELINE, compare({}, BASELINE, 0.05)))
    assert rows[0] == ["faq/setup_costs", "0.812", "0.812", "0.812", "10", "0.800", "+0.012"]
    assert rows[2] == ["thank", "1.000", "1.000", "1.000", "10", "", "new"]


def test_intents_table_marks_an_intent_below_the_margin():
    results = make_results({"faq/setup_costs": 0.8, "greet": 0.75})
    comparison = compare(results.f1_by_intent(), BASELINE, 0.05)
    rows = table_rows(render_intents(results, BASELINE, comparison))
    assert rows[1][0] == "greet"
    assert rows[1][-1] == "**-0.150 FAIL**"
    assert rows[0][-1] == "+0.000"


def test_intents_table_ends_with_the_macro_and_weighted_averages():
    results = make_results({"faq/setup_costs": 0.8, "greet": 0.7})
    rows = table_rows(render_intents(results, BASELINE, compare({}, BASELINE, 0.05)))
    assert [row[0] for row in rows[-2:]] == ["**macro avg**", "**weighted avg**"]
    assert rows[-2][3] == "0.750"
    assert rows[-2][5:] == ["0.850", "-0.100"]
    assert rows[-1][5:] == ["", ""]


def test_misclassified_lists_only_wrong_predictions_with_the_fallback_guess():
    predictions = [
        Prediction("hi there", "greet", "greet", 0.9),
        Prediction("setup | costs?", "faq/setup_costs", "nlu_fallback", 0.31, "faq/risk_level"),
        Prediction("bye now", "goodbye", "thank", 0.6),
    ]
    markdown = render_misclassified(predictions)
    assert "2 of 3 training examples" in markdown
    assert table_rows(markdown) == [
        ["setup \\| costs?", "faq/setup_costs", "nlu_fallback (faq/risk_level)", "0.310"],
        ["bye now", "goodbye", "thank", "0.600"],
    ]


def test_summary_gives_the_figures_each_step_the_slowest_and_what_failed():
    timings = (Timing("load", 4.0), Timing("NLU fold 1/5", 22.4), Timing("test stories", 9.0))
    stories = StoryResult(correct=10, total=11, failed=("lead form happy path",))
    results = make_results({"greet": 0.7}, timings=timings, stories=stories)
    comparison = compare(results.f1_by_intent(), {"greet": 0.9}, 0.05)
    summary = render_summary(results, comparison, "tests/model/f1_baseline.yml")
    assert "| NLU macro F1 (5-fold cross-validation, 1 intents) | 0.700 |" in summary
    assert "| test stories (`rasa test core`, end to end) | 10/11 passed |" in summary
    assert "| NLU fold 1/5 | 22.4 |" in summary
    assert "| **total** | 36.4 |" in summary
    assert "Slowest step: NLU fold 1/5 (22.4 s)." in summary
    assert "- greet: 0.900 -> 0.700 (-0.200)" in summary
    assert "- lead form happy path" in summary


def test_summary_lines_name_the_failures():
    stories = StoryResult(correct=10, total=11, failed=("lead form happy path",))
    results = make_results({"greet": 0.7, "thank": 0.9}, stories=stories)
    lines = summary_lines(results, compare(results.f1_by_intent(), {"greet": 0.9}, 0.05))
    assert lines[0].startswith("NLU macro F1 0.800")
    assert "F1 DROP: greet 0.900 -> 0.700 (more than 0.050 below the baseline)" in lines
    assert "FAILED STORY: lead form happy path" in lines
    assert lines[-1] == "1 intent(s) not in the baseline yet"
