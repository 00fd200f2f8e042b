"""slot_copies (bot.rasa_patches.turn): a slot's copy is what ``copy.copy`` made before, only
faster."""

from __future__ import annotations

import copy
from collections.abc import Iterator

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.slots import Slot

from bot.rasa_patches.turn.slot_copies import copy_slot
from tests.conftest import ROOT


@pytest.fixture
def slots() -> list[Slot]:
    """The project's slots, one of each type it uses, with values set."""
    domain = Domain.load(str(ROOT / "domain.yml"))
    for slot in domain.slots:
        slot.value = ["python"] if slot.type_name == "list" else "set"
    return domain.slots


@pytest.fixture
def generic_copy() -> Iterator[None]:
    """``copy.copy`` as Rasa ships it (no ``Slot.__copy__``), restored afterwards."""
    saved = Slot.__dict__.get("__copy__")
    if saved is not None:
        del Slot.__copy__
    yield
    if "__copy__" in Slot.__dict__:
        del Slot.__copy__
    if saved is not None:
        Slot.__copy__ = saved


def test_copy_has_the_class_and_attributes_the_generic_copy_has(
    slots: list[Slot], generic_copy: None
) -> None:
    for slot in slots:
        ours, generic = copy_slot(slot), copy.copy(slot)
        assert type(ours) is type(generic)
        assert vars(ours) == vars(generic)


def test_copy_is_a_new_slot_whose_value_changes_alone(slots: list[Slot]) -> None:
    for slot in slots:
        duplicate = copy_slot(slot)
        duplicate.value = None
        assert duplicate is not slot
        assert slot.value is not None


def test_installed_copy_serves_copy_copy(slots: list[Slot], generic_copy: None) -> None:
    Slot.__copy__ = copy_slot  # as bot.rasa_patches installs it (generic_copy restores)
    assert Slot.__copy__ is copy_slot
    assert vars(copy.copy(slots[0])) == vars(slots[0])
