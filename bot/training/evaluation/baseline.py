"""The committed per-intent F1 baseline: load it, compare with a run, write it.

``bot evaluate`` fails when an intent's F1 falls more than a margin below its
baseline; ``bot baseline update`` rewrites the file on purpose. Nothing here
imports Rasa.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_BASELINE = Path("tests/model/f1_baseline.yml")
DEFAULT_MARGIN = 0.05
DECIMALS = 3

HEADER = """\
# Per-intent F1 of the NLU cross-validation (`make evaluate`), {decimals} decimals.
# `make evaluate` fails when an intent's F1 falls more than F1_MARGIN (default
# {margin}) below its value here; intents not listed are reported, never failed.
# Written by `bot baseline update` from the latest reports/evaluation/results.json;
# to accept new figures on purpose: `make evaluate`, then `.venv/bin/bot baseline update`.
# Source: {source}
"""


class BaselineError(Exception):
    """A baseline file that is not a mapping of intents to F1 scores."""


@dataclass(frozen=True)
class Regression:
    """An intent whose F1 fell more than the margin below its baseline."""

    intent: str
    baseline: float
    current: float

    @property
    def drop(self) -> float:
        """How far below its baseline the intent fell."""
        return -change(self.current, self.baseline)


@dataclass(frozen=True)
class Comparison:
    """A run's per-intent F1 against the baseline."""

    margin: float
    regressions: tuple[Regression, ...] = ()
    new_intents: tuple[str, ...] = ()
    missing_intents: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether no intent fell more than the margin below its baseline."""
        return not self.regressions


def change(current: float, baseline: float) -> float:
    """The change from the baseline, at the baseline's precision."""
    return round(round(current, DECIMALS) - baseline, DECIMALS)


def compare(
    current: Mapping[str, float], baseline: Mapping[str, float], margin: float
) -> Comparison:
    """Compares each intent's F1 with its baseline.

    Args:
        current: each intent's F1 in this run.
        baseline: each intent's baseline F1.
        margin: how far below its baseline an intent may fall and still pass.

    Returns:
        The intents that fell more than ``margin`` below their baseline, the
        intents the baseline does not know yet, and those it knows that this
        run did not measure.
    """
    regressions = tuple(
        Regression(intent, baseline[intent], f1)
        for intent, f1 in sorted(current.items())
        if intent in baseline and -change(f1, baseline[intent]) > margin
    )
    return Comparison(
        margin=margin,
        regressions=regressions,
        new_intents=tuple(sorted(set(current) - set(baseline))),
        missing_intents=tuple(sorted(set(baseline) - set(current))),
    )


def load_baseline(path: Path) -> dict[str, float]:
    """Reads the baseline; an absent file is an empty baseline.

    Raises:
        BaselineError: when the file is not a mapping of intents to numbers.
    """
    if not path.is_file():
        return {}
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise BaselineError(f"{path} is not valid YAML ({error})") from error
    if not isinstance(content, dict) or not all(
        isinstance(f1, int | float) and not isinstance(f1, bool) for f1 in content.values()
    ):
        raise BaselineError(f"{path} must map each intent to its F1 score")
    return {str(intent): float(f1) for intent, f1 in content.items()}


def render_baseline(f1_by_intent: Mapping[str, float], source: str) -> str:
    """The baseline file's text: the header, then each intent's F1, sorted."""
    header = HEADER.format(decimals=DECIMALS, margin=DEFAULT_MARGIN, source=source)
    lines = [
        f"{_yaml_key(intent)}: {f1:.{DECIMALS}f}" for intent, f1 in sorted(f1_by_intent.items())
    ]
    return header + "\n".join(lines) + "\n"


def _yaml_key(intent: str) -> str:
    """The intent as a YAML key: as is when YAML reads it back unchanged, else quoted."""
    try:
        plain = yaml.safe_load(f"{intent}: 0") == {intent: 0}
    except yaml.YAMLError:
        plain = False
    return intent if plain else json.dumps(intent)  # a JSON string is a YAML string


def write_baseline(path: Path, f1_by_intent: Mapping[str, float], source: str) -> None:
    """Writes the baseline file (see :func:`render_baseline`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_baseline(f1_by_intent, source), encoding="utf-8")
