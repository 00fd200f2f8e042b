"""Which of the pipeline's packages are installed, found without importing them.

Before training, Rasa 3.6 checks that each component's packages are installed
by importing them (``rasa.utils.common.find_unavailable_packages``): over a
second for spaCy, even when no spaCy component retrains.
"""

from __future__ import annotations

import importlib.util


def unavailable_packages(package_names: list[str]) -> set[str]:
    """``find_unavailable_packages``, by finding, not importing, each package."""
    missing = set()
    for name in package_names:
        try:
            if importlib.util.find_spec(name) is None:
                missing.add(name)
        except (ImportError, ValueError):
            missing.add(name)
    return missing
