"""Training figures: a cold train, and what Rasa's cache retrains after small edits.

Works on a copy of the project's training inputs in a temporary folder, with
its own empty cache, so the working tree and its ``.rasa/cache`` stay as they
are. Each step trains as ``make train`` does (``OUR_TRAINING``) and lists the
components Rasa trained again (the others are restored from its cache).

Run with ``make bench``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.training.review.nlu_merge import insert_examples

ROOT = Path(__file__).resolve().parents[1]
INPUTS = ("config.yml", "domain.yml", "data", "build/spacy")
# make train's command (it has validated the data before, with bot validate),
# and a stock project's: plain `rasa train`, which validates first.
OUR_TRAINING = ("-m", "bot.ops.rasa_server", "train", "--skip-validation", "--out", "models")
STOCK_TRAINING = ("-m", "rasa", "train", "--out", "models")
TRAINED = re.compile(r"Finished training component '(\w+)'")
RESTORED = re.compile(r"Restored component '(\w+)' from cache")


def train(project: Path, command: Sequence[str] = OUR_TRAINING) -> tuple[float, list[str], int]:
    """Trains ``project``: seconds, components trained, components restored.

    Args:
        project: the folder to train in.
        command: the Python arguments that train (``OUR_TRAINING``, ``STOCK_TRAINING``).
    """
    environment = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "RASA_TELEMETRY_ENABLED": "false"}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, *command],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - started
    log = result.stdout + result.stderr
    return seconds, TRAINED.findall(log), len(RESTORED.findall(log))


def add_nlu_example(project: Path) -> None:
    """One new example of ``greet`` at the end of its block in data/nlu.yml."""
    path = project / "data" / "nlu.yml"
    merged = insert_examples(path.read_text(encoding="utf-8"), "greet", ["hiya, anyone there"])
    assert merged is not None, "data/nlu.yml has no greet intent"
    path.write_text(merged, encoding="utf-8")


def replace_in_domain(project: Path, old: str, new: str) -> None:
    """Rewords one response of domain.yml."""
    path = project / "domain.yml"
    content = path.read_text(encoding="utf-8")
    assert old in content, f"{old!r} is no longer in domain.yml: update bench/training.py"
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def edit_greeting(project: Path) -> None:
    """Rewords the greeting (a plain response)."""
    replace_in_domain(project, "Hi! I'm the agency's assistant.", "Hello! I'm the assistant.")


def edit_faq_answer(project: Path) -> None:
    """Rewords an FAQ answer (a response of the retrieval intent faq)."""
    old = "The outstaffing agency is the developer's legal employer."
    replace_in_domain(project, old, "The developer's legal employer is the outstaffing agency.")


STEPS: tuple[tuple[str, Callable[[Path], None] | None], ...] = (
    ("cold train (empty cache)", None),
    ("nothing changed", lambda project: None),
    ("one NLU example added", add_nlu_example),
    ("the greeting reworded", edit_greeting),
    ("one FAQ answer reworded", edit_faq_answer),
)


def main() -> None:
    """Prints, per step, the training time and the components Rasa trained again."""
    if not (ROOT / "build/spacy").exists():
        raise SystemExit("build/spacy is missing: run `make nlp` first")
    with tempfile.TemporaryDirectory(prefix="bench-training-") as folder:
        project = Path(folder)
        for name in INPUTS:
            source = ROOT / name
            copy = shutil.copytree if source.is_dir() else shutil.copy
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            copy(source, project / name)
        print(f"{'step':28} {'seconds':>8}  retrained components")
        for step, change in STEPS:
            if change is not None:
                change(project)
            seconds, trained, restored = train(project)
            retrained = ", ".join(trained) or "none"
            print(f"{step:28} {seconds:8.1f}  {retrained} ({restored} from cache)")


if __name__ == "__main__":
    main()
