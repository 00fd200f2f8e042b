"""Installing and restoring the patches of :mod:`bot.rasa_patches.table`.

Every patch replaces one attribute (a method, a function, a class) that Rasa
looks up at run time. :func:`install` replaces the attributes of the groups
asked for, once each, and only on the Rasa version the patches were written
and tested against: on any other it logs an error and patches nothing (the
bot then runs as plain Rasa, slower, and a test fails). :func:`restore` puts
every original back, for tests.
"""

from __future__ import annotations

import importlib
import inspect
import logging
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

logger = logging.getLogger(__name__)

# The Rasa release every patch was read against and is tested on.
SUPPORTED_RASA = "3.6.21"


@dataclass(frozen=True)
class Patch:
    """One replacement of a Rasa attribute.

    ``target`` and ``replacement`` are ``"module:attribute"`` or
    ``"module:Class.attribute"``. A replacement that ``wraps`` is called with the
    original and returns what replaces it. ``contract`` says what of Rasa the
    replacement relies on (what to re-read on an upgrade); ``test`` names the test
    that compares it with Rasa's original. ``for_speed`` patches earn their place by
    the CPU they save (``python -m bench.patch_costs``); the others change what
    Rasa does (a failure made loud, a traceback made quiet).
    """

    target: str
    replacement: str
    group: str
    contract: str
    test: str
    wraps: bool = False
    for_speed: bool = True


@dataclass(frozen=True)
class _Saved:
    owner: Any
    name: str
    raw: Any  # the owner's own attribute (a staticmethod object stays one), or _MISSING


_MISSING = object()
# target -> what install replaced, in the order of installation.
_installed: dict[str, _Saved] = {}


def resolve(path: str) -> Any:
    """The object a ``"module:attribute.attribute"`` path names."""
    module_name, _, attributes = path.partition(":")
    found: Any = importlib.import_module(module_name)
    for name in attributes.split(".") if attributes else ():
        found = getattr(found, name)
    return found


def owner_and_name(target: str) -> tuple[Any, str]:
    """The object whose attribute ``target`` names, and the attribute's name."""
    module_name, _, attributes = target.partition(":")
    owner_path, _, name = attributes.rpartition(".")
    owner = resolve(f"{module_name}:{owner_path}" if owner_path else module_name)
    return owner, name


def installed_rasa_version() -> str | None:
    """The version of the installed ``rasa`` distribution, or None without one."""
    try:
        return version("rasa")
    except PackageNotFoundError:
        return None


def supported(rasa_version: str | None) -> bool:
    """Whether the patches may be installed on this Rasa version."""
    return rasa_version == SUPPORTED_RASA


def install_patches(patches: tuple[Patch, ...], rasa_version: str | None) -> bool:
    """Installs each of ``patches`` not installed yet; False (nothing installed) on
    another Rasa version than :data:`SUPPORTED_RASA`."""
    if not supported(rasa_version):
        logger.error(
            "Rasa %s is installed; bot.rasa_patches were written for Rasa %s and are NOT"
            " installed: the bot runs as plain Rasa (slower; see docs/rasa-patches.md)",
            rasa_version,
            SUPPORTED_RASA,
        )
        return False
    for patch in patches:
        if patch.target not in _installed:
            _install_one(patch)
    return True


def _install_one(patch: Patch) -> None:
    owner, name = owner_and_name(patch.target)
    raw = inspect.getattr_static(owner, name, _MISSING)
    own = owner.__dict__.get(name, _MISSING) if hasattr(owner, "__dict__") else raw
    replacement = resolve(patch.replacement)
    if patch.wraps:
        replacement = replacement(getattr(owner, name))
    if isinstance(raw, staticmethod) and not isinstance(replacement, staticmethod):
        replacement = staticmethod(replacement)
    setattr(owner, name, replacement)
    _installed[patch.target] = _Saved(owner, name, own)


def restore(targets: tuple[str, ...] | None = None) -> None:
    """Puts back the originals the installed patches replaced (latest first): of
    ``targets`` only, or of all."""
    for target in reversed(list(_installed)):
        if targets is not None and target not in targets:
            continue
        saved = _installed.pop(target)
        if saved.raw is _MISSING:
            delattr(saved.owner, saved.name)
        else:
            setattr(saved.owner, saved.name, saved.raw)


def installed_targets() -> tuple[str, ...]:
    """The targets replaced now, in the order they were."""
    return tuple(_installed)
