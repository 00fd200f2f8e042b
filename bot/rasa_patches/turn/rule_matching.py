"""``RulePolicy`` matching a conversation against its rules with each rule parsed once.

To find the rules that apply, Rasa 3.6's ``RulePolicy._get_possible_keys``
walks the conversation's states back in time and, at each step, checks every
rule still in the running. Each check takes the rule's states from its JSON
key, copies and reverses them, and turns every list in them into a tuple
again: with the project's rules, hundreds of checks a turn, nearly all of it
redone work.

:func:`possible_keys` makes the same checks in the same order over rule
states reversed and converted once per rule, and returns the same set. Most
rules already fail on the conversation's last state, by its previous action or
its intent: those two are indexed (:class:`LastTurnIndex`), so the last state is
checked only against the rules that name the same action and intent, or none.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.nlu.constants import ACTION_NAME, INTENT

RASAS_GET_POSSIBLE_KEYS = RulePolicy._get_possible_keys
# Where a policy keeps its rules' parsed states, and the index of each rule lookup.
PARSED_RULES_ATTRIBUTE = "_parsed_rule_states"
INDEXES_ATTRIBUTE = "_last_turn_indexes"
# In the index, a rule that does not require one value of an action name or intent.
ANY = None

# A rule's states from its last turn back, each as (state type, ((key, value), ...)) pairs,
# with the previous action of each turn beside it.
ParsedRule = tuple[tuple[tuple[Any, Any], ...], ...]


def parse_rule(rule_key: str) -> tuple[ParsedRule, tuple[Any, ...]]:
    """The rule's reversed states as matching reads them, and each turn's previous action."""
    reversed_states = list(reversed(RulePolicy._rule_key_to_state(rule_key)))
    parsed = tuple(
        tuple(
            (
                state_type,
                tuple(
                    (key, tuple(value) if isinstance(value, list) else value)
                    for key, value in sub_state.items()
                ),
            )
            for state_type, sub_state in state.items()
        )
        for state in reversed_states
    )
    return parsed, tuple(state.get(PREVIOUS_ACTION) for state in reversed_states)


def matches(rule_state: tuple[tuple[Any, Any], ...], conversation_state: State) -> bool:
    """``RulePolicy._does_rule_match_state`` on a parsed rule state."""
    for state_type, rule_sub_state in rule_state:
        conversation_sub_state = conversation_state.get(state_type, {})
        for key, value_from_rules in rule_sub_state:
            value_from_conversation = conversation_sub_state.get(key)
            if value_from_rules == SHOULD_NOT_BE_SET:
                if value_from_conversation and value_from_conversation != SHOULD_NOT_BE_SET:
                    return False
            elif value_from_rules and value_from_conversation != value_from_rules:
                return False
    return True


def applicable(
    parsed: tuple[ParsedRule, tuple[Any, ...]], turn_index: int, conversation_state: State
) -> bool:
    """``RulePolicy._is_rule_applicable`` on a parsed rule."""
    rule_states, previous_actions = parsed
    if turn_index >= len(rule_states):
        return True
    current_previous_action = conversation_state.get(PREVIOUS_ACTION)
    rule_previous_action = previous_actions[turn_index]
    if not rule_previous_action and not current_previous_action:
        return True
    if not rule_previous_action or not current_previous_action:
        return False
    return matches(rule_states[turn_index], conversation_state)


def parsed_rules(policy: RulePolicy, rule_keys: Mapping[str, Any]) -> dict[str, Any]:
    """The policy's parsed rules, each parsed the first time it is needed."""
    parsed: dict[str, Any] = policy.__dict__.setdefault(PARSED_RULES_ATTRIBUTE, {})
    for rule_key in rule_keys:
        if rule_key not in parsed:
            parsed[rule_key] = parse_rule(rule_key)
    return parsed


def required(sub_state: Mapping[str, Any] | None, key: str) -> Any:
    """The one value a rule's sub-state requires for ``key`` (what :func:`matches` compares
    with ``!=``), or ``ANY`` when any value (or none) can match."""
    value = (sub_state or {}).get(key)
    if not value or value == SHOULD_NOT_BE_SET or not isinstance(value, str):
        return ANY
    return value


class LastTurnIndex:
    """A lookup's rules by the previous action and intent their last state requires.

    A rule that requires action name ``a`` fails on any state whose previous action is not
    named ``a`` (and likewise for the intent), so a state named ``(a, i)`` can only match
    the rules filed under ``(a, i)``, ``(a, ANY)``, ``(ANY, i)`` and ``(ANY, ANY)``.
    Rules whose last state has no previous action never apply to a state with one
    (:func:`applicable`), and the index is asked only about such states: they are not filed.
    """

    def __init__(self, lookup: Mapping[str, Any], parsed: Mapping[str, Any]) -> None:
        """Files every rule key of ``lookup``; ``parsed`` holds them parsed."""
        self.lookup = lookup  # held, so that ``id(lookup)`` names this lookup alone
        self.size = len(lookup)
        self.by_action_and_intent: dict[tuple[Any, Any], list[str]] = {}
        for key in lookup:
            rule_states, previous_actions = parsed[key]
            previous_action = previous_actions[0]
            if not previous_action:
                continue
            user = dict(rule_states[0]).get(USER)
            filed = (required(previous_action, ACTION_NAME), required(dict(user or ()), INTENT))
            self.by_action_and_intent.setdefault(filed, []).append(key)

    def candidates(self, state: State) -> list[str] | None:
        """The rule keys that can match ``state`` as the last turn, or ``None`` when the
        index cannot tell (a state without a previous action, or an odd value)."""
        previous_action = state.get(PREVIOUS_ACTION)
        if not previous_action:
            return None
        action = previous_action.get(ACTION_NAME)
        intent = (state.get(USER) or {}).get(INTENT)
        if not all(value is None or isinstance(value, str) for value in (action, intent)):
            return None
        found: list[str] = []
        for filed in {(action, intent), (action, ANY), (ANY, intent), (ANY, ANY)}:
            found.extend(self.by_action_and_intent.get(filed, ()))
        return found


def last_turn_index(policy: RulePolicy, lookup: Mapping[str, Any]) -> LastTurnIndex:
    """The index of ``lookup``, built the first time it is needed."""
    indexes: dict[int, LastTurnIndex] = policy.__dict__.setdefault(INDEXES_ATTRIBUTE, {})
    index = indexes.get(id(lookup))
    if index is None or index.lookup is not lookup or index.size != len(lookup):
        index = indexes[id(lookup)] = LastTurnIndex(lookup, parsed_rules(policy, lookup))
    return index


def possible_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """Rasa's ``RulePolicy._get_possible_keys``: the rules that apply to ``states``."""
    parsed = parsed_rules(self, lookup)
    keys: set[str] | list[str] = list(lookup.keys())
    if states:
        candidates = last_turn_index(self, lookup).candidates(states[-1])
        if candidates is not None:
            keys = candidates
    for turn_index, state in enumerate(reversed(states)):
        if not keys:
            break
        keys = {key for key in keys if applicable(parsed[key], turn_index, state)}
    return set(keys)
