from pathlib import Path

import pytest

from bot.training.evaluation.results import (
    Prediction,
    ResultsError,
    StoryResult,
    Timing,
    load_results,
    save_results,
)
from tests.bot.training.evaluation.factories import make_results


def test_results_survive_the_json_round_trip(tmp_path: Path):
    predictions = [Prediction("yo", "greet", "nlu_fallback", 0.4, "greet", fold=2)]
    stories = StoryResult(correct=1, total=2, failed=("happy path",))
    results = make_results({"greet": 0.5}, predictions=predictions, stories=stories)
    save_results(results, tmp_path / "results.json")
    assert load_results(tmp_path / "results.json") == results


def test_loading_results_that_are_not_json_fails_clearly(tmp_path: Path):
    (tmp_path / "results.json").write_text("<html>")
    with pytest.raises(ResultsError, match="not valid JSON"):
        load_results(tmp_path / "results.json")


def test_the_slowest_step_is_the_longest_timing():
    timings = (Timing("load", 4.0), Timing("NLU fold 2/5", 23.0), Timing("stories", 9.0))
    assert make_results({"greet": 1.0}, timings=timings).slowest == Timing("NLU fold 2/5", 23.0)
