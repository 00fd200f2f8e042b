"""Training figures for any config: a cold train, then retrains after small edits.

The steps of :mod:`bench.training` (its ``train``, ``add_nlu_example`` and
``edit_faq_answer``), generalised to a project folder built from any config
file, so that our bot and the peer are timed the same way.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import training

ROOT = training.ROOT
# What our config needs besides Rasa's own files: the spaCy pipeline it loads.
OUR_EXTRAS = ("build/spacy",)


@dataclass(frozen=True)
class TrainingFigures:
    """Seconds of ``rasa train`` per step, and the components each step trained."""

    cold_seconds: float
    nlu_example_seconds: float
    answer_edit_seconds: float
    retrained: dict[str, list[str]]

    def as_json(self) -> dict[str, Any]:
        """The figures as a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingFigures:
        """The figures from :meth:`as_json`'s output."""
        return cls(**data)


def training_files(root: Path = ROOT) -> list[Path]:
    """Rasa's training files of the project: domain.yml and data/*.yml (not data/knowledge)."""
    return [root / "domain.yml", *sorted((root / "data").glob("*.yml"))]


def copy_project(
    destination: Path, config: Path, extras: Iterable[str] = (), root: Path = ROOT
) -> None:
    """Writes a trainable project to ``destination``: ``config`` as config.yml,
    the training files, and ``extras`` (paths relative to ``root``)."""
    (destination / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(config, destination / "config.yml")
    for path in training_files(root):
        shutil.copy(path, destination / path.relative_to(root))
    for name in extras:
        source, copy = root / name, destination / name
        copy.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, copy, dirs_exist_ok=True)
        else:
            shutil.copy(source, copy)


def newest_model(project: Path) -> Path:
    """The model ``rasa train`` wrote last in ``project/models``."""
    return max((project / "models").glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)


def measure(
    project: Path,
    keep_cold_model: Path | None = None,
    command: Sequence[str] = training.OUR_TRAINING,
) -> TrainingFigures:
    """Trains ``project`` cold (its cache must be empty), then after one new NLU
    example, then after one FAQ answer is reworded (the edits stay in ``project``).

    Args:
        project: a folder from :func:`copy_project`, never trained.
        keep_cold_model: where to move the cold train's model, if it is to be kept.
        command: how to train (``training.OUR_TRAINING`` or ``training.STOCK_TRAINING``).
    """
    retrained: dict[str, list[str]] = {}
    cold, retrained["cold"], _ = training.train(project, command)
    if keep_cold_model is not None:
        keep_cold_model.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(newest_model(project)), keep_cold_model)
    training.add_nlu_example(project)
    nlu_example, retrained["nlu_example"], _ = training.train(project, command)
    training.edit_faq_answer(project)
    answer_edit, retrained["answer_edit"], _ = training.train(project, command)
    return TrainingFigures(cold, nlu_example, answer_edit, retrained)


def measure_ours(root: Path = ROOT) -> TrainingFigures:
    """Our bot's training figures, on a copy of its inputs with an empty cache."""
    if not (root / "build/spacy").exists():
        raise SystemExit("build/spacy is missing: run `make nlp` first")
    with tempfile.TemporaryDirectory(prefix="bench-retraining-") as folder:
        project = Path(folder)
        copy_project(project, root / "config.yml", OUR_EXTRAS, root)
        return measure(project)
