"""bench.patch_costs: which patches are weighed, and the verdict on each."""

from __future__ import annotations

from bench.patch_costs import EVERY_PATCH, KEEP_SHARE, Pair, report, turn_patches


def test_only_speed_patches_that_run_on_a_turn_are_weighed():
    weighed = turn_patches()
    assert "turn.rule_matching" in weighed
    assert "serving.action_schema" in weighed
    assert len(weighed["turn.debug_log_copies"]) == 4  # one module, four targets
    assert not any("remote_action_watch" in module for module in weighed)  # behaviour
    assert not any("agent_loading" in module for module in weighed)  # at start-up
    assert not any(module.startswith("training.") for module in weighed)
    modules = [targets for module, targets in weighed.items() if module != EVERY_PATCH]
    assert sorted(weighed[EVERY_PATCH]) == sorted(t for targets in modules for t in targets)


def test_a_patch_saving_less_than_the_bar_is_marked():
    on = 10.0
    figures = {
        "turn.big": [Pair(on, 20.0), Pair(on, 19.0), Pair(on, 21.0)],
        "turn.small": [Pair(on, on / (1 - KEEP_SHARE / 2))] * 3,
    }
    text = report(figures, 100)
    assert "| `turn.big` | 20.00 | 50.0% | keeps its place |" in text
    small = next(line for line in text.splitlines() if "`turn.small`" in line)
    assert small.endswith("**under the bar** |")


def test_the_saving_is_the_median_of_the_pairs_not_of_drifting_columns():
    # The machine slows down between rounds; within a pair, the patch saves 10 %.
    pairs = [Pair(on, on / 0.9) for on in (4.0, 6.0, 8.0)]
    text = report({"turn.steady": pairs}, 100)
    assert "| `turn.steady` | 6.67 | 10.0% | keeps its place |" in text
