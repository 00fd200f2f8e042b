"""The peer: our training data under the config ``rasa init`` trains with.

``build/bench/peer/`` holds copies of domain.yml and data/*.yml with Rasa's
default config (DIET, ResponseSelector, TED and UnexpecTED, 100 epochs
each), its own ``.rasa/cache``, the model of its cold train and
``training.json``: the measured training times and a digest of the inputs.
Its domain names the FAQ answers as a stock project does, ``utter_faq/<topic>``
(ours: ``utter_faq_<topic>``), which its ResponseSelector and ``utter_faq`` need.
Training takes minutes, so later runs reuse the model and reprint the
figures until an input changes (or ``--retrain`` is given).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from bench.retraining import ROOT, TrainingFigures, copy_project, measure, training_files
from bench.training import STOCK_TRAINING
from bot.answers.faq.topics import load_topics

PEER_DIR = ROOT / "build/bench/peer"
MODEL = PEER_DIR / "models/peer.tar.gz"
FIGURES = PEER_DIR / "training.json"


def default_config() -> Path:
    """Rasa's default config: what ``rasa init`` projects train with."""
    spec = importlib.util.find_spec("rasa")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("rasa is not installed in this environment")
    package = Path(next(iter(spec.submodule_search_locations)))
    return package / "engine/recipes/config_files/default_config.yml"


def inputs_digest(root: Path = ROOT) -> str:
    """A digest of what the peer's model depends on: Rasa, its config, our training files."""
    digest = hashlib.sha256(importlib.metadata.version("rasa").encode())
    for path in [default_config(), *training_files(root)]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Peer:
    """The peer's trained model, its training figures and when they were measured."""

    folder: Path
    model: Path
    training: TrainingFigures
    measured_at: str
    reused: bool


def _saved(digest: str) -> Peer | None:
    if not (MODEL.exists() and FIGURES.exists()):
        return None
    saved = json.loads(FIGURES.read_text(encoding="utf-8"))
    if saved.get("inputs") != digest:
        return None
    figures = TrainingFigures.from_json(saved["training"])
    return Peer(PEER_DIR, MODEL, figures, saved["measured_at"], reused=True)


def with_retrieval_responses(domain: str) -> str:
    """``domain.yml``'s text with each FAQ answer renamed ``utter_faq/<topic>``."""
    for topic in load_topics().values():
        domain = re.sub(
            rf"^(\s+){re.escape(topic.response)}:", rf"\1utter_{topic.intent}:", domain, flags=re.M
        )
    return domain


def copy_peer_project() -> None:
    """The peer's project in PEER_DIR: Rasa's default config, our data, stock FAQ names."""
    copy_project(PEER_DIR, default_config())
    domain = PEER_DIR / "domain.yml"
    domain.write_text(with_retrieval_responses(domain.read_text("utf-8")), encoding="utf-8")


def _train(digest: str) -> Peer:
    shutil.rmtree(PEER_DIR, ignore_errors=True)
    copy_peer_project()
    figures = measure(PEER_DIR, keep_cold_model=MODEL, command=STOCK_TRAINING)
    for model in (PEER_DIR / "models").glob("*.tar.gz"):
        if model != MODEL:
            model.unlink()
    copy_peer_project()  # undo measure()'s edits
    measured_at = time.strftime("%Y-%m-%d %H:%M %Z")
    saved = {"inputs": digest, "measured_at": measured_at, "training": figures.as_json()}
    FIGURES.write_text(json.dumps(saved, indent=2) + "\n", encoding="utf-8")
    return Peer(PEER_DIR, MODEL, figures, measured_at, reused=False)


def prepare(retrain: bool = False, report: Callable[[str], None] = print) -> Peer:
    """The peer's model and training figures: reused if its inputs are unchanged,
    else trained cold and retrained after the same edits as ours (minutes)."""
    digest = inputs_digest()
    saved = None if retrain else _saved(digest)
    if saved is not None:
        report(f"Peer: reusing {MODEL.relative_to(ROOT)} (trained {saved.measured_at})")
        return saved
    report(f"Peer: training {PEER_DIR.relative_to(ROOT)} cold, then twice after edits...")
    return _train(digest)


def write_serving_files(folder: Path, actions_port: int) -> tuple[Path, Path]:
    """The peer's endpoints (action server only: in-memory tracker store, as
    ``rasa init``) and credentials (the REST channel)."""
    endpoints = folder / "endpoints.yml"
    action_endpoint = {"url": f"http://localhost:{actions_port}/webhook"}
    endpoints.write_text(yaml.safe_dump({"action_endpoint": action_endpoint}), encoding="utf-8")
    credentials = folder / "credentials.yml"
    credentials.write_text("rest:\n", encoding="utf-8")
    return endpoints, credentials
