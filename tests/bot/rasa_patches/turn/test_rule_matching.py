"""rule_matching (bot.rasa_patches.turn) against Rasa's own matching: on rules and states
drawn at random (including what the project's rules never use), and on every tracker the
policies see (tests/bot/rasa_patches/conftest.py), with the predictions that follow."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_patches.turn.rule_matching import RASAS_GET_POSSIBLE_KEYS, possible_keys

VALUES = {
    "user": {"intent": st.sampled_from(["greet", "faq", "", SHOULD_NOT_BE_SET])},
    "prev_action": {
        "action_name": st.sampled_from(["action_listen", "utter_greet", "", SHOULD_NOT_BE_SET])
    },
    "slots": {"budget": st.sampled_from([(1.0,), (0.0,), (), SHOULD_NOT_BE_SET])},
    "active_loop": {"name": st.sampled_from(["lead_form", SHOULD_NOT_BE_SET])},
}


@st.composite
def states(draw: Any) -> dict[str, dict[str, Any]]:
    state = {}
    for state_type, fields in VALUES.items():
        if draw(st.booleans()):
            state[state_type] = {key: draw(values) for key, values in fields.items()}
    return state


rule_keys = st.lists(st.lists(states(), min_size=1, max_size=3), min_size=1, max_size=8).map(
    lambda rules: {json.dumps(rule, sort_keys=True): "utter_greet" for rule in rules}
)


@settings(max_examples=1000, deadline=None)
@given(lookup=rule_keys, conversation=st.lists(states(), max_size=4))
def test_the_rules_found_in_random_rules_are_rasas_own(
    lookup: dict[str, str], conversation: list[Any]
) -> None:
    policy = RulePolicy.__new__(RulePolicy)  # matching reads no configuration
    expected = RASAS_GET_POSSIBLE_KEYS(policy, lookup, conversation)
    assert possible_keys(policy, lookup, conversation) == expected


def test_the_served_model_matches_parsed_rules(agent: Any) -> None:
    assert RulePolicy._get_possible_keys is possible_keys


@pytest.mark.parametrize("rules", [RULES, RULES_FOR_LOOP_UNHAPPY_PATH])
def test_the_rules_found_for_the_project_s_trackers_are_rasas_own(
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
