"""Every run-time replacement of Rasa 3.6.21 internals, and nothing else.

Rasa 3.6 does each turn's work in ways that cost far more CPU than the answer
needs (found by profiling; docs/performance.md and reports/ give the figures),
and falls back silently where the bot must fail loudly. Each replacement keeps
Rasa's behaviour and is tested against Rasa's original. :data:`PATCHES` is the
table of them all; :func:`install` installs a group (only on Rasa
:data:`SUPPORTED_RASA`), :func:`restore` puts Rasa's originals back.

- ``turn/``: the work of every turn (graph, copies, states, rules, features).
- ``serving/``: the Rasa server process (action calls, loading, failures).
- ``training/``: ``rasa train`` and Rasa's command line.
- ``tensorflow_stand_in``: serving and training without importing TensorFlow,
  an import hook rather than a replacement (installed by ``bot.ops.rasa_server``).

docs/rasa-patches.md lists the patches and the checklist for a Rasa upgrade.
"""

from __future__ import annotations

from bot.rasa_patches.registry import (
    SUPPORTED_RASA,
    Patch,
    install_patches,
    installed_rasa_version,
    installed_targets,
    restore,
    supported,
)
from bot.rasa_patches.table import (
    COMMAND_LINE,
    GROUPS,
    PATCHES,
    SERVING,
    SHARED_PORT,
    TRAINING,
    TURN,
)

__all__ = [
    "COMMAND_LINE",
    "GROUPS",
    "PATCHES",
    "SERVING",
    "SHARED_PORT",
    "SUPPORTED_RASA",
    "TRAINING",
    "TURN",
    "Patch",
    "install",
    "installed_targets",
    "restore",
    "supported",
]


def install(*groups: str, rasa_version: str | None = None) -> bool:
    """Installs the patches of ``groups`` (each once; the order of :data:`PATCHES`).

    On another Rasa than :data:`SUPPORTED_RASA` (``rasa_version``, by default the
    installed one) nothing is installed, an error is logged and False returned.

    Raises:
        ValueError: a group that :data:`GROUPS` does not name.
    """
    unknown = set(groups) - set(GROUPS)
    if unknown:
        raise ValueError(f"no such group of patches: {', '.join(sorted(unknown))}")
    version = rasa_version if rasa_version is not None else installed_rasa_version()
    return install_patches(tuple(p for p in PATCHES if p.group in groups), version)
