from pathlib import Path

import pytest

from bot.training.evaluation.baseline import (
    BaselineError,
    Regression,
    compare,
    load_baseline,
    write_baseline,
)


def test_an_intent_falling_more_than_the_margin_fails():
    comparison = compare({"greet": 0.80, "thank": 0.95}, {"greet": 0.90, "thank": 0.95}, 0.05)
    assert not comparison.ok
    assert comparison.regressions == (Regression("greet", 0.90, 0.80),)
    assert comparison.regressions[0].drop == pytest.approx(0.10)


def test_an_intent_falling_within_the_margin_passes():
    comparison = compare({"faq/legal_employer": 0.86}, {"faq/legal_employer": 0.90}, 0.05)
    assert comparison.ok
    assert comparison.regressions == ()


def test_a_fall_of_exactly_the_margin_passes():
    # 0.90 - 0.85 is 0.05000000000000004 in floating point
    assert compare({"greet": 0.85}, {"greet": 0.90}, 0.05).ok


def test_a_tighter_margin_fails_the_same_fall():
    assert not compare({"greet": 0.86}, {"greet": 0.90}, 0.01).ok


def test_an_intent_missing_from_the_baseline_is_reported_not_failed():
    comparison = compare({"greet": 0.9, "faq/notice_period": 0.2}, {"greet": 0.9}, 0.05)
    assert comparison.ok
    assert comparison.new_intents == ("faq/notice_period",)


def test_a_baseline_intent_the_run_did_not_measure_is_reported_not_failed():
    comparison = compare({"greet": 0.9}, {"greet": 0.9, "faq/retired_topic": 0.8}, 0.05)
    assert comparison.ok
    assert comparison.missing_intents == ("faq/retired_topic",)


def test_the_written_baseline_loads_back_at_three_decimals(tmp_path: Path):
    path = tmp_path / "f1_baseline.yml"
    write_baseline(path, {"thank": 1.0, "faq/setup_costs": 0.912345}, "5-fold, seed 42")
    assert load_baseline(path) == {"faq/setup_costs": 0.912, "thank": 1.0}
    text = path.read_text()
    assert text.startswith("#")
    assert "bot baseline update" in text
    assert text.index("faq/setup_costs") < text.index("thank")


def test_an_absent_baseline_is_empty(tmp_path: Path):
    assert load_baseline(tmp_path / "none.yml") == {}


@pytest.mark.parametrize("content", ["greet: high\n", "- greet\n", "greet: true\n", "a: [b\n"])
def test_a_malformed_baseline_is_refused(tmp_path: Path, content: str):
    path = tmp_path / "f1_baseline.yml"
    path.write_text(content)
    with pytest.raises(BaselineError):
        load_baseline(path)


def test_every_f1_is_written_with_three_decimals_and_odd_names_are_quoted(tmp_path: Path):
    path = tmp_path / "f1_baseline.yml"
    write_baseline(path, {"request_human": 0.81, "yes": 0.5, "odd: name": 1.0}, "test")
    body = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    assert body == ['"odd: name": 1.000', "request_human: 0.810", '"yes": 0.500']
    assert load_baseline(path) == {"odd: name": 1.0, "request_human": 0.81, "yes": 0.5}
