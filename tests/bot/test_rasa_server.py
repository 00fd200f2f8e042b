"""bot.rasa_server: remembered event types, a frozen heap, the fixes it installs."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest
import rasa.core.run

from bot.rasa_server import (
    answer_no_selection_quietly,
    freeze_heap_after_loading,
    ignore_faq_examples_without_response,
    remember_event_types,
    unavailable_packages,
    wait_for_first_server,
)


def test_remembered_event_types_resolve_as_rasas_scan(monkeypatch):
    from rasa.shared.core.events import Event, UserUttered
    from rasa.shared.utils.common import all_subclasses

    original = Event.__dict__["resolve_by_type"]
    monkeypatch.setattr(Event, "resolve_by_type", original)  # restored afterwards
    scan = Event.resolve_by_type
    remember_event_types()
    remember_event_types()  # twice is once
    assert Event.resolve_by_type is not scan
    for event_class in all_subclasses(Event):
        name = event_class.type_name
        assert Event.resolve_by_type(name) is scan(name)
        assert Event.resolve_by_type(name) is scan(name)  # now from memory
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        Event.resolve_by_type("no such event")


def test_the_heap_is_frozen_once_the_agent_is_loaded(monkeypatch):
    async def load_agent(*args, **kwargs):
        return "agent"

    monkeypatch.setattr(rasa.core.run, "load_agent_on_start", load_agent)
    freeze_heap_after_loading()
    freeze_heap_after_loading()  # installed once
    assert rasa.core.run.load_agent_on_start.freezes
    try:
        assert asyncio.run(rasa.core.run.load_agent_on_start("model", None, None)) == "agent"
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_rasa_train_keeps_quiet_about_faq_examples_without_response(monkeypatch):
    import warnings

    import rasa.utils.common
    from rasa.shared.utils.io import raise_warning

    monkeypatch.setattr(rasa.utils.common, "_filter_warnings", rasa.utils.common._filter_warnings)
    ignore_faq_examples_without_response()
    with warnings.catch_warnings(record=True) as caught:
        rasa.utils.common._filter_warnings(log_level=logging.INFO)  # as Rasa's CLI does
        raise_warning(
            "Your training data contains an example 'who is the employ...' for the"
            " 'faq/legal_employer' intent. You either need to add a response phrase"
        )
        raise_warning(
            "Your training data contains an example 'hi...' for the 'chitchat/hi' intent."
        )
        raise_warning("Intent 'greet' has only 3 training examples!")
    assert [str(warning.message)[:40] for warning in caught] == [
        "Your training data contains an example '",
        "Intent 'greet' has only 3 training examp",
    ]


def test_a_later_rasa_process_waits_for_the_first_to_listen():
    import socket
    import threading

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert wait_for_first_server(port, timeout=0.5) is False
    first = socket.socket()
    threading.Timer(0.5, lambda: (first.bind(("127.0.0.1", port)), first.listen())).start()
    try:
        assert wait_for_first_server(port, timeout=10) is True
    finally:
        first.close()


def test_packages_are_found_without_being_imported():
    import sys

    assert "tabnanny" not in sys.modules  # a standard module nothing here imports
    missing = unavailable_packages(["tabnanny", "no_such_package_here", "no_such.sub"])
    assert missing == {"no_such_package_here", "no_such.sub"}
    assert "tabnanny" not in sys.modules


def test_speeding_up_turns_installs_every_fix_of_a_turn(monkeypatch):
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
        CountVectorsFeaturizer,
    )
    from rasa.shared.core.domain import Domain

    from bot import count_vectors, domain_emptiness, history_states, rule_matching
    from bot.rasa_server import speed_up_turns

    patched = [
        (CountVectorsFeaturizer, "_create_features", count_vectors.create_features_directly),
        (Domain, "states_for_tracker_history", history_states.states_for_tracker_history),
        (RulePolicy, "_get_possible_keys", rule_matching.possible_keys),
        (Domain, "is_empty", domain_emptiness.is_empty),
    ]
    for owner, name, _ in patched:
        monkeypatch.setattr(owner, name, getattr(owner, name))  # restored afterwards
    speed_up_turns()
    for owner, name, fix in patched:
        assert getattr(owner, name) is fix, name


def test_a_retrieval_intent_without_a_selection_is_answered_with_nothing(monkeypatch):
    from rasa.core.actions.action import ActionRetrieveResponse
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    monkeypatch.setattr(ActionRetrieveResponse, "run", ActionRetrieveResponse.run)
    typed = UserUttered("/faq", intent={"name": "faq", "confidence": 1.0})
    tracker = DialogueStateTracker.from_events("visitor", [typed])
    action = ActionRetrieveResponse("utter_faq")
    arguments = (CollectingOutputChannel(), TemplatedNaturalLanguageGenerator({}), tracker)

    with pytest.raises(KeyError):  # Rasa 3.6 as it is
        asyncio.run(action.run(*arguments, Domain.empty()))
    answer_no_selection_quietly()
    answer_no_selection_quietly()  # installed once
    assert asyncio.run(action.run(*arguments, Domain.empty())) == []
