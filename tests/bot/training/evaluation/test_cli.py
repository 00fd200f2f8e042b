from pathlib import Path

import pytest

from bot.cli import main
from bot.training.evaluation.baseline import load_baseline
from bot.training.evaluation.results import RESULTS_FILE, save_results
from tests.bot.training.evaluation.factories import make_results


def test_baseline_update_writes_every_intent_from_the_latest_results(tmp_path: Path, capsys):
    reports = tmp_path / "reports"
    save_results(make_results({"greet": 0.91234, "faq/setup_costs": 0.8}), reports / RESULTS_FILE)
    baseline = tmp_path / "f1_baseline.yml"
    baseline.write_text("greet: 0.5\nfaq/retired_topic: 0.7\n")

    assert main(["baseline", "update", "--output", str(reports), "--baseline", str(baseline)]) == 0

    assert load_baseline(baseline) == {"faq/setup_costs": 0.8, "greet": 0.912}
    assert "5-fold cross-validation, seed 42" in baseline.read_text()
    assert "F1 of 2 intents" in capsys.readouterr().out


def test_baseline_update_without_results_says_to_evaluate_first(tmp_path: Path):
    baseline = tmp_path / "f1_baseline.yml"
    arguments = ["baseline", "update", "--output", str(tmp_path), "--baseline", str(baseline)]
    with pytest.raises(SystemExit, match="run `make evaluate` first"):
        main(arguments)
    assert not baseline.exists()


def test_baseline_update_refuses_unreadable_results(tmp_path: Path):
    (tmp_path / RESULTS_FILE).write_text('{"model": "m"}')
    arguments = ["baseline", "update", "--output", str(tmp_path)]
    with pytest.raises(SystemExit, match="unreadable evaluation results"):
        main([*arguments, "--baseline", str(tmp_path / "f1_baseline.yml")])


@pytest.mark.parametrize("option", [["--folds", "1"], ["--margin", "-0.1"], ["--margin", "2"]])
def test_evaluate_refuses_a_meaningless_option(option: list[str]):
    with pytest.raises(SystemExit) as stopped:
        main(["evaluate", *option])
    assert stopped.value.code == 2
