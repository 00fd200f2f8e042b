"""bot.rasa_patches.turn.event_types: the class Rasa's scan finds, remembered."""

from __future__ import annotations

import pytest
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.utils.common import all_subclasses

from bot.rasa_patches.turn.event_types import RASAS_RESOLVE_BY_TYPE, resolve_by_type


def test_remembered_event_types_resolve_as_rasas_scan():
    for event_class in all_subclasses(Event):
        name = event_class.type_name
        assert resolve_by_type(name) is RASAS_RESOLVE_BY_TYPE(name)
        assert resolve_by_type(name) is RASAS_RESOLVE_BY_TYPE(name)  # now from memory
    assert resolve_by_type("topic") is None
    assert resolve_by_type("no such event", UserUttered) is UserUttered
    with pytest.raises(ValueError, match="Unknown event name 'no such event'"):
        resolve_by_type("no such event")


def test_installed_it_is_still_a_static_method(patches):
    patches("turn")
    assert Event.resolve_by_type("user") is UserUttered
    assert UserUttered("hi").resolve_by_type("bot") is RASAS_RESOLVE_BY_TYPE("bot")
