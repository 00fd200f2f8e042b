"""The TensorFlow stand-in: the project's model served without TensorFlow, same answers."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tarfile
import types
from pathlib import Path
from typing import Any

import pytest

from bot.ops.rasa_server import install_tensorflow_stand_in, model_argument
from bot.rasa_patches import tensorflow_stand_in
from bot.rasa_patches.tensorflow_stand_in import (
    TENSORFLOW_FREE_NAMES,
    StandInFinder,
    StandInModule,
    TensorFlowNotLoadedError,
    config_components,
    install,
    install_for_config,
    install_for_model,
    installed,
    model_components,
    runs_without_tensorflow,
)
from tests.conftest import ROOT, load_yaml, trained_model

DIET = "rasa.nlu.classifiers.diet_classifier.DIETClassifier"


def write_model(path: Path, components: list[str]) -> Path:
    """A model archive whose metadata names ``components`` in its prediction graph."""
    metadata = {
        "predict_schema": {"nodes": {f"node{n}": {"uses": c} for n, c in enumerate(components)}}
    }
    source = path.with_suffix(".json")
    source.write_text(json.dumps(metadata), encoding="utf-8")
    with tarfile.open(path, "w:gz") as archive:
        archive.add(source, arcname="metadata.json")
    return path


def run_python(script: str, *arguments: str) -> str:
    """Runs ``script`` in a fresh Python process in the project; its last line of output."""
    result = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def import_system(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """This test's own copy of ``sys.meta_path``: whatever it installs is gone afterwards."""
    meta_path = list(sys.meta_path)
    monkeypatch.setattr(sys, "meta_path", meta_path)
    return meta_path


@pytest.mark.model
@pytest.mark.parametrize("schema", ["predict_schema", "train_schema"])
def test_the_projects_model_runs_and_trains_without_tensorflow(schema):
    components = model_components(trained_model(), schema)
    assert "rasa.nlu.utils.spacy_utils.SpacyNLP" in components
    unknown = components - tensorflow_stand_in.TENSORFLOW_FREE_COMPONENTS
    assert runs_without_tensorflow(components), unknown


def test_the_projects_config_trains_without_tensorflow():
    names = config_components(ROOT / "config.yml")
    assert names is not None
    assert "LogisticRegressionClassifier" in names
    assert "bot.rasa_plugins.nlu.faq_topic_selector.FaqTopicSelector" in names
    assert set(names) <= TENSORFLOW_FREE_NAMES


@pytest.mark.parametrize(
    "config",
    [
        "pipeline:\n  - name: DIETClassifier\npolicies:\n  - name: RulePolicy\n",
        "pipeline:\n  - name: SpacyNLP\n",  # Rasa adds its default policies
        "policies:\n  - name: RulePolicy\n",  # ...and its default pipeline
        "recipe: graph.v1\npipeline:\n  - name: SpacyNLP\npolicies:\n  - name: RulePolicy\n",
        "pipeline: [\n",  # not YAML
        "- SpacyNLP\n",  # not a configuration
        "pipeline:\n  - SpacyNLP\npolicies:\n  - RulePolicy\n",  # items without names
    ],
)
def test_a_config_that_may_train_tensorflow_gets_the_real_one(tmp_path, import_system, config):
    path = tmp_path / "config.yml"
    path.write_text(config, encoding="utf-8")
    assert install_for_config(path) is False
    assert not installed()


def test_a_missing_config_gets_the_real_tensorflow(tmp_path, import_system):
    assert install_for_config(tmp_path / "absent.yml") is False


def test_a_model_with_a_neural_component_gets_the_real_tensorflow(tmp_path, import_system):
    model = write_model(tmp_path / "diet.tar.gz", ["rasa.nlu.utils.spacy_utils.SpacyNLP", DIET])
    assert model_components(model) == {"rasa.nlu.utils.spacy_utils.SpacyNLP", DIET}
    assert install_for_model(model) is False
    assert not installed()


@pytest.mark.parametrize("content", [b"not a model", b""])
def test_an_unreadable_model_gets_the_real_tensorflow(tmp_path, import_system, content):
    model = tmp_path / "broken.tar.gz"
    model.write_bytes(content)
    assert install_for_model(model) is False
    assert not installed()


def test_an_archive_without_metadata_is_not_a_model(tmp_path):
    archive_path = tmp_path / "other.tar.gz"
    (tmp_path / "readme.txt").write_text("hello", encoding="utf-8")
    with tarfile.open(archive_path, "w:gz") as archive:
        archive.add(tmp_path / "readme.txt", arcname="readme.txt")
    with pytest.raises(ValueError, match="not a Rasa model"):
        model_components(archive_path)


def test_the_stand_in_is_not_installed_once_tensorflow_is_loaded(monkeypatch, import_system):
    monkeypatch.setitem(sys.modules, "tensorflow_hub", types.ModuleType("tensorflow_hub"))
    assert install() is False
    assert not installed()


def test_stand_in_attributes_are_classes_to_derive_from_that_cannot_be_used():
    tensorflow = StandInModule("tensorflow")
    assert tensorflow.keras.layers.Layer is tensorflow.keras.layers.Layer
    assert tensorflow.Tensor is not tensorflow.SparseTensor

    class Layer(tensorflow.keras.layers.Layer):
        pass

    with pytest.raises(TensorFlowNotLoadedError, match=r"tensorflow\.keras\.layers\.Layer"):
        Layer()
    with pytest.raises(ImportError):  # what a library probing for TensorFlow catches
        tensorflow.config.get_visible_devices("GPU")
    with pytest.raises(AttributeError):
        tensorflow.__version__  # noqa: B018


def test_the_finder_serves_only_the_stood_in_packages():
    finder = StandInFinder()
    spec = finder.find_spec("tensorflow.keras.utils", None)
    assert spec is not None
    assert spec.loader is finder
    assert finder.find_spec("keras", None) is not None
    assert finder.find_spec("numpy", None) is None
    assert finder.find_spec("tensorflowish", None) is None


def test_the_served_model_is_read_from_rasas_arguments(tmp_path):
    model = str(write_model(tmp_path / "model.tar.gz", []))
    assert model_argument(["--model", model, "--port", "5005"]) == Path(model)
    assert model_argument(["-m", model]) == Path(model)
    assert model_argument([f"--model={model}"]) == Path(model)


@pytest.mark.parametrize("arguments", [["--model", "."], ["--port", "5005"], ["--model"]])
def test_no_model_file_in_rasas_arguments_gets_the_real_tensorflow(arguments):
    # A directory (Rasa picks the model in it), no model, or a missing value.
    assert model_argument(arguments) is None


# Parses the questions with the stand-in installed, as bot.ops.rasa_server does, and
# says whether anything of the real TensorFlow was loaded.
PARSE_WITHOUT_TENSORFLOW = """
import asyncio, json, sys
from pathlib import Path
from bot.rasa_patches.tensorflow_stand_in import install_for_model
model, questions = sys.argv[1], json.loads(sys.argv[2])
assert install_for_model(Path(model))
from rasa.core.agent import Agent
from bot import rasa_patches
assert rasa_patches.install(rasa_patches.TURN)
agent = Agent.load(model)
parses = [asyncio.run(agent.parse_message(text)) for text in questions]
mapped = open("/proc/self/maps", encoding="utf-8").read()
print(json.dumps({
    "parses": parses,
    "tensorflow_library_mapped": "libtensorflow" in mapped,
    "tensorflow_modules": sorted(m for m in sys.modules if m.startswith("tensorflow.python")),
}))
"""


@pytest.mark.model
def test_the_model_without_tensorflow_parses_as_with_it(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop
):
    table = load_yaml("tests/model/paraphrases.yml")
    questions = [row["text"] for row in table[::15]] + [
        "we need 3 senior Python developers",
        "Lucia Gomez, Umbrella Corp, lucia@umbrella.example",
        "asdfgh qwerty",
    ]
    output = run_python(PARSE_WITHOUT_TENSORFLOW, str(trained_model()), json.dumps(questions))
    served = json.loads(output)
    assert served["tensorflow_library_mapped"] is False
    assert served["tensorflow_modules"] == []
    with_tensorflow = [
        event_loop_for_model.run_until_complete(agent.parse_message(text)) for text in questions
    ]
    assert served["parses"] == json.loads(json.dumps(with_tensorflow))


# What bot.ops.rasa_server does first for `train`, then what `rasa train` imports.
TRAIN_WITHOUT_TENSORFLOW = """
import sys
from bot.ops.rasa_server import install_tensorflow_stand_in
assert install_tensorflow_stand_in("train", ["--config", "config.yml", "--out", "models"])
import rasa.model_training, rasa.engine.recipes.default_recipe
print(sorted(m for m in sys.modules if m.startswith("tensorflow.python")))
"""


def test_training_the_projects_config_imports_rasa_without_tensorflow():
    assert run_python(TRAIN_WITHOUT_TENSORFLOW) == "[]"


def test_other_commands_get_the_real_tensorflow(import_system):
    assert install_tensorflow_stand_in("test", ["--model", "models"]) is False
    assert install_tensorflow_stand_in("run", ["--port", "5005"]) is False
