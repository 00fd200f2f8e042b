"""The trained models under ``models/``: which one is served, pruning, rollback.

``make train`` writes each model under Rasa's own timestamped name and prunes
the oldest; ``make run`` serves the newest. ``bot model rollback`` retires the
newest (moved to ``models/retired/``, never deleted at once), so the previous
model becomes the newest and is served from the next start.
"""

from __future__ import annotations

import shutil
from pathlib import Path

MODELS_DIR = Path("models")
RETIRED = "retired"
DEFAULT_KEEP = 5


class ModelError(Exception):
    """No model to serve, or nothing to roll back to."""


def list_models(directory: Path = MODELS_DIR) -> list[Path]:
    """The models in ``directory`` (retired ones excluded), newest first."""
    if not directory.is_dir():
        return []
    models = [path for path in directory.glob("*.tar.gz") if path.is_file()]
    return sorted(models, key=lambda path: (path.stat().st_mtime, path.name), reverse=True)


def serving_model(directory: Path = MODELS_DIR) -> Path:
    """The model that ``bot run`` serves: the newest one.

    Raises:
        ModelError: when ``directory`` holds no model.
    """
    models = list_models(directory)
    if not models:
        raise ModelError(f"no trained model in {directory}/: run `make train`")
    return models[0]


def prune(directory: Path = MODELS_DIR, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Deletes all but the ``keep`` newest models, and as many retired ones.

    Returns:
        The deleted model files.
    """
    if keep < 1:
        raise ModelError(f"keep at least one model, not {keep}")
    doomed = list_models(directory)[keep:] + list_models(directory / RETIRED)[keep:]
    for path in doomed:
        path.unlink()
    return doomed


def rollback(directory: Path = MODELS_DIR) -> tuple[Path, Path]:
    """Retires the newest model so that the previous one is served.

    Returns:
        The retired model's new path and the model now served.

    Raises:
        ModelError: when there is no previous model to go back to.
    """
    models = list_models(directory)
    if len(models) < 2:
        raise ModelError(f"nothing to roll back to: {directory}/ holds {len(models)} model(s)")
    retired_dir = directory / RETIRED
    retired_dir.mkdir(exist_ok=True)
    retired = Path(shutil.move(str(models[0]), str(retired_dir / models[0].name)))
    return retired, models[1]
