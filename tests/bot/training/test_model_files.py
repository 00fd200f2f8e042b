"""Trained models: the newest is served, old ones are pruned, rollback retires the newest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.training.model_files import ModelError, list_models, prune, rollback, serving_model


def make_models(directory: Path, count: int) -> list[Path]:
    """``count`` model files, oldest first, one second apart."""
    directory.mkdir(exist_ok=True)
    paths = []
    for number in range(count):
        path = directory / f"2026112{number}-120000-model.tar.gz"
        path.write_bytes(b"model")
        os.utime(path, (1_700_000_000 + number, 1_700_000_000 + number))
        paths.append(path)
    return paths


def test_the_newest_model_is_served(tmp_path):
    models = make_models(tmp_path, 3)
    assert serving_model(tmp_path) == models[-1]
    assert list_models(tmp_path) == models[::-1]


def test_no_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="make train"):
        serving_model(tmp_path / "missing")


def test_prune_keeps_the_newest(tmp_path):
    models = make_models(tmp_path, 4)
    assert prune(tmp_path, keep=2) == models[1::-1]
    assert list_models(tmp_path) == models[:1:-1]


def test_prune_refuses_to_keep_nothing(tmp_path):
    make_models(tmp_path, 1)
    with pytest.raises(ModelError):
        prune(tmp_path, keep=0)


def test_rollback_serves_the_previous_model_and_keeps_the_retired_one(tmp_path):
    models = make_models(tmp_path, 3)
    retired, served = rollback(tmp_path)
    assert served == models[1] == serving_model(tmp_path)
    assert retired == tmp_path / "retired" / models[2].name
    assert retired.read_bytes() == b"model"


def test_rollback_twice_goes_back_twice_then_refuses(tmp_path):
    models = make_models(tmp_path, 3)
    rollback(tmp_path)
    rollback(tmp_path)
    assert serving_model(tmp_path) == models[0]
    with pytest.raises(ModelError, match="nothing to roll back to"):
        rollback(tmp_path)


def test_a_new_training_is_served_after_a_rollback(tmp_path):
    make_models(tmp_path, 2)
    rollback(tmp_path)
    newest = tmp_path / "20261130-120000-model.tar.gz"
    newest.write_bytes(b"new")
    assert serving_model(tmp_path) == newest


def test_model_commands(tmp_path, capsys):
    models = make_models(tmp_path, 3)
    assert main(["model", "--models", str(tmp_path), "list"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"* {models[2]}"
    assert main(["model", "--models", str(tmp_path), "rollback"]) == 0
    assert f"now serving {models[1]}" in capsys.readouterr().out
    assert main(["model", "--models", str(tmp_path), "prune", "--keep", "1"]) == 0
    assert list_models(tmp_path) == [models[1]]


def test_run_without_a_model_says_to_train(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit, match="no trained model in models/: run `make train`"):
        main(["run", "--dev"])
