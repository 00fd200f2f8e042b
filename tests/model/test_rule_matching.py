"""rule_matching (bot.rasa_patches.turn): the rules Rasa's own matching finds, for every
tracker the policies see (tests/model/conftest.py), and the predictions that follow from
them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.turn.rule_matching import RASAS_GET_POSSIBLE_KEYS, possible_keys


def test_the_served_model_matches_parsed_rules(agent: Any) -> None:
    assert RulePolicy._get_possible_keys is possible_keys


@pytest.mark.parametrize("rules", [RULES, RULES_FOR_LOOP_UNHAPPY_PATH])
def test_the_rules_found_are_rasas_own(
    agent: Any,
    rule_policy: RulePolicy,
    project_trackers: list[DialogueStateTracker],
    rules: str,
) -> None:
    lookup = rule_policy.lookup[rules]
    assert lookup
    found_some = 0
    for tracker in project_trackers:
        for use_text in (True, False):
            states = rule_policy._prediction_states(
                tracker, agent.domain, use_text, rule_only_data=rule_policy._get_rule_only_data()
            )
            expected = RASAS_GET_POSSIBLE_KEYS(rule_policy, lookup, states)
            found = possible_keys(rule_policy, lookup, states)
            assert found == expected
            if expected:
                found_some += 1
                assert max(found, key=len) == max(expected, key=len)  # the rule Rasa applies
    assert found_some > 100


def test_predictions_are_rasas_own(
    agent: Any, rule_policy: RulePolicy, project_trackers: list[DialogueStateTracker]
) -> None:
    def predictions(matching: Any) -> list[tuple[list[float], bool, list[Any]]]:
        saved = RulePolicy._get_possible_keys
        RulePolicy._get_possible_keys = matching
        try:
            results = [
                rule_policy.predict_action_probabilities(tracker, agent.domain)
                for tracker in project_trackers
            ]
        finally:
            RulePolicy._get_possible_keys = saved
        return [(result.probabilities, result.hide_rule_turn, result.events) for result in results]

    assert predictions(possible_keys) == predictions(RASAS_GET_POSSIBLE_KEYS)
