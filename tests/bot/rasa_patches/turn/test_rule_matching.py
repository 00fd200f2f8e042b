"""rule_matching (bot.rasa_patches.turn) against Rasa's own matching, on rules and states drawn
at random, including what the project's rules never use (conversation starts, empty values)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET

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
def test_the_rules_found_are_rasas_own(lookup: dict[str, str], conversation: list[Any]) -> None:
    policy = RulePolicy.__new__(RulePolicy)  # matching reads no configuration
    expected = RASAS_GET_POSSIBLE_KEYS(policy, lookup, conversation)
    assert possible_keys(policy, lookup, conversation) == expected
