"""The dialogue states of a conversation's history, replayed once, not per policy and prediction.

Each time Rasa 3.6 predicts the next action, ``RulePolicy`` asks for the
tracker's past states once or twice and ``MemoizationPolicy`` once more, with
different options. Each request replays every event of the conversation on a
fresh tracker (``generate_all_prior_trackers``) and builds the state of each
step (``Domain.get_active_state``), most of it done two or three times over for
the same tracker.

:func:`states_for_tracker_history` replays a tracker's history once and keeps
each step's state on the tracker; every request then runs Rasa's own
selection over fresh copies of those states, so the options give what they
gave before and a caller may change what it gets. When the turn adds events
that leave the earlier history as it was (an answer uttered, slots set: no
restart, undo, or loop event), the replay goes on from where it stopped
instead of starting over.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
)
from rasa.shared.core.trackers import DialogueStateTracker

RASAS_STATES_FOR_TRACKER_HISTORY = Domain.states_for_tracker_history
# Where a tracker keeps its replayed steps.
STEPS_ATTRIBUTE = "_replayed_history_steps"


@dataclass(frozen=True)
class Step:
    """One prior tracker of the history, as ``states_for_tracker_history`` reads it."""

    state: State  # Domain.get_active_state of the prior tracker
    hide_rule_turn: bool
    has_followup_action: bool
    runs_active_loop: bool  # its latest action is its active loop
    latest_action: dict[str, str] | None  # the prior tracker's, shared by ``state``


@dataclass(frozen=True)
class ReplayedHistory:
    """The steps of a tracker's history, and what they were replayed from."""

    domain: Domain
    omit_unset_slots: bool
    event_count: int
    last_event: Any
    loop_names: frozenset[str]  # of the tracker's ActiveLoop events, as applied_events reads them
    steps: tuple[Step, ...]
    replayer: DialogueStateTracker  # the prior tracker after every applied event, to go on

    def replays(
        self, domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool
    ) -> bool:
        """Whether these steps are those of the first events of the tracker as it is now."""
        events = tracker.events
        return (
            self.domain is domain
            and self.omit_unset_slots == omit_unset_slots
            and self.event_count <= len(events)
            and (self.last_event is events[self.event_count - 1] if self.event_count else True)
        )

    def goes_on_with(self, new_events: list[Event]) -> bool:
        """Whether the tracker's applied events are these steps' followed by ``new_events``:
        none of them restarts, reverts, or changes which actions run loops."""
        for event in new_events:
            if isinstance(event, HISTORY_CHANGING_EVENTS):
                return False
            if isinstance(event, ActionExecuted) and event.action_name in self.loop_names:
                return False
        return True


# Events after which ``applied_events`` is not the earlier applied events plus new ones.
HISTORY_CHANGING_EVENTS = (
    Restarted, SessionStarted, ActionReverted, UserUtteranceReverted, ActiveLoop,
)  # fmt: skip


def step_of(
    domain: Domain, prior: DialogueStateTracker, hide_rule_turn: bool, omit_unset_slots: bool
) -> Step:
    """The step of one prior tracker, read as ``states_for_tracker_history`` reads it."""
    return Step(
        state=domain.get_active_state(prior, omit_unset_slots=omit_unset_slots),
        hide_rule_turn=hide_rule_turn,
        has_followup_action=bool(prior.followup_action),
        runs_active_loop=prior.latest_action_name == prior.active_loop_name,
        latest_action=domain._get_prev_action_sub_state(prior),
    )


def replay(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool,
    earlier: ReplayedHistory | None = None,
) -> ReplayedHistory:
    """Replays the tracker's history as ``generate_all_prior_trackers`` does, keeping each
    step's state; from where ``earlier`` stopped, if given, with the events added since."""
    events = list(tracker.events)
    if earlier is None:
        replayer, steps = tracker.init_copy(), []
        loop_names = frozenset(
            event.name for event in events if isinstance(event, ActiveLoop) and event.name
        )
        applied = tracker.applied_events()
    else:
        replayer, steps = earlier.replayer, list(earlier.steps[:-1])  # its last: the end
        loop_names, applied = earlier.loop_names, events[earlier.event_count :]
    for event in applied:
        if isinstance(event, ActionExecuted):
            steps.append(step_of(domain, replayer, event.hide_rule_turn, omit_unset_slots))
        replayer.update(event)
    steps.append(step_of(domain, replayer, False, omit_unset_slots))
    last_event = events[-1] if events else None
    return ReplayedHistory(
        domain, omit_unset_slots, len(events), last_event, loop_names, tuple(steps), replayer
    )


def replayed_history(
    domain: Domain, tracker: DialogueStateTracker, omit_unset_slots: bool
) -> ReplayedHistory:
    """The tracker's replayed steps: kept on the tracker, and replayed on from there when
    events that leave the earlier history as it was have been added."""
    kept = tracker.__dict__.get(STEPS_ATTRIBUTE)
    if isinstance(kept, ReplayedHistory) and kept.replays(domain, tracker, omit_unset_slots):
        if kept.event_count == len(tracker.events):
            return kept
        new_events = list(itertools.islice(tracker.events, kept.event_count, None))
        history = replay(
            domain, tracker, omit_unset_slots, kept if kept.goes_on_with(new_events) else None
        )
    else:
        history = replay(domain, tracker, omit_unset_slots)
    tracker.__dict__[STEPS_ATTRIBUTE] = history
    return history


def fresh_copy(step: Step) -> tuple[State, dict[str, str] | None]:
    """A copy of the step's state and latest action that a caller may change, with the
    latest action shared by the state as Rasa's own are."""
    latest_action = None if step.latest_action is None else dict(step.latest_action)
    state: State = {}
    for state_type, sub_state in step.state.items():
        shared = state_type == PREVIOUS_ACTION and sub_state is step.latest_action
        state[state_type] = latest_action if shared else dict(sub_state)
    return state, latest_action


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """Rasa's ``Domain.states_for_tracker_history``, over the steps replayed once."""
    states: list[State] = []
    last_ml_action_sub_state = None
    turn_was_hidden = False
    for step in replayed_history(self, tracker, omit_unset_slots).steps:
        state, latest_action = fresh_copy(step)
        if ignore_rule_only_turns:
            # As Rasa's own: the previous ML action is the last turn not hidden;
            # a followup action or a loop's happy path keeps the turn's visibility.
            if not turn_was_hidden:
                last_ml_action_sub_state = latest_action
            if not step.has_followup_action and not step.runs_active_loop:
                turn_was_hidden = step.hide_rule_turn
            if turn_was_hidden:
                continue
            self._remove_rule_only_features(state, rule_only_data)
            if states:
                self._substitute_rule_only_user_input(state, states[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        states.append(self._clean_state(state))
    return states
