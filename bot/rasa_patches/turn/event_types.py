"""Stored events turned back into their classes without scanning every class.

Loading a conversation, Rasa 3.6 turns each stored event into its class with
``Event.resolve_by_type``, which walks every subclass of ``Event`` (with
``inspect.isabstract`` on each) until one has the event's type name, for every
event of every conversation it loads. :func:`resolve_by_type` remembers each class found
by its type name and asks Rasa's scan only for a name it has not seen.
"""

from __future__ import annotations

from typing import Any

from rasa.shared.core.events import Event

RASAS_RESOLVE_BY_TYPE = Event.resolve_by_type
_classes: dict[str, type[Event]] = {}


def resolve_by_type(type_name: str, default: type[Event] | None = None) -> Any:
    """Rasa's ``Event.resolve_by_type``, each class found remembered by its type name."""
    found = _classes.get(type_name)
    if found is None:
        found = RASAS_RESOLVE_BY_TYPE(type_name, default)
        if found is not None and getattr(found, "type_name", None) == type_name:
            _classes[type_name] = found
    return found
