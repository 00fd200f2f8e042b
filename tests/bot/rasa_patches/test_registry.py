"""bot.rasa_patches: one table, installed per group on Rasa 3.6.21 only, restorable."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from rasa.shared.core.events import Event

from bot import rasa_patches
from bot.rasa_patches.registry import owner_and_name, resolve
from tests.conftest import ROOT


def test_the_installed_rasa_is_the_one_the_patches_were_written_for():
    # On a Rasa upgrade this fails first: docs/rasa-patches.md says what to do.
    assert rasa_patches.registry.installed_rasa_version() == rasa_patches.SUPPORTED_RASA


@pytest.mark.parametrize("patch", rasa_patches.PATCHES, ids=lambda patch: patch.target)
def test_each_row_names_a_real_target_replacement_and_test(patch):
    owner, name = owner_and_name(patch.target)
    assert hasattr(owner, name) or name == "__copy__"  # Rasa's Slot has no __copy__ of its own
    assert resolve(patch.replacement) is not None
    assert patch.group in rasa_patches.GROUPS
    assert patch.contract
    assert (ROOT / patch.test).is_file(), patch.test


def test_every_target_is_replaced_once():
    targets = [patch.target for patch in rasa_patches.PATCHES]
    assert len(targets) == len(set(targets))


def test_another_rasa_is_left_unpatched_and_said_so(caplog, patches):
    before = rasa_patches.installed_targets()
    with caplog.at_level(logging.ERROR):
        assert patches(rasa_patches.TRAINING, rasa_version="3.6.22") is False
    assert rasa_patches.installed_targets() == before
    assert "Rasa 3.6.22 is installed" in caplog.text
    assert "NOT installed" in caplog.text


def test_an_unknown_group_is_refused(patches):
    with pytest.raises(ValueError, match="no such group"):
        patches("turbo")


def test_installing_twice_is_once_and_restoring_gives_rasas_own_back(patches):
    import rasa.utils.common

    original = rasa.utils.common.find_unavailable_packages
    assert patches(rasa_patches.TRAINING) is True
    replaced = rasa.utils.common.find_unavailable_packages
    assert replaced is not original
    assert patches(rasa_patches.TRAINING) is True
    assert rasa.utils.common.find_unavailable_packages is replaced
    training = tuple(p.target for p in rasa_patches.PATCHES if p.group == rasa_patches.TRAINING)
    rasa_patches.restore(training)
    assert rasa.utils.common.find_unavailable_packages is original


def test_a_static_method_stays_one_and_comes_back_as_it_was(patches):
    target = "rasa.shared.core.events:Event.resolve_by_type"
    raw = Event.__dict__["resolve_by_type"]
    installed_before = target in rasa_patches.installed_targets()
    patches(rasa_patches.TURN)
    assert isinstance(Event.__dict__["resolve_by_type"], staticmethod)
    assert Event.resolve_by_type("user").type_name == "user"
    if not installed_before:
        rasa_patches.restore((target,))
        assert Event.__dict__["resolve_by_type"] is raw


def test_the_patches_page_lists_every_target():
    page = (ROOT / "docs/rasa-patches.md").read_text("utf-8")
    missing = [patch.target for patch in rasa_patches.PATCHES if f"`{patch.target}`" not in page]
    assert not missing, f"docs/rasa-patches.md does not list {missing}"


def test_nothing_outside_the_package_replaces_a_rasa_attribute():
    # A replacement of Rasa outside bot/rasa_patches escapes the table, the version
    # check and restore(): assignments to rasa.* attributes are found by their text.
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if "rasa_patches" in path.parts:
            continue
        for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
            code = line.split("#")[0]
            if "=" in code and code.lstrip().startswith("rasa.") and "==" not in code:
                offenders.append(f"{path.relative_to(ROOT)}:{number}")
    assert not offenders


def test_the_package_is_importable_without_rasa_imported():
    import subprocess
    import sys

    script = "import sys, bot.rasa_patches; print('rasa' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(ROOT), check=True
    )
    assert result.stdout.strip() == "False"
