"""A stand-in for TensorFlow, for a Rasa process whose model uses none of it.

Rasa 3.6 imports TensorFlow whatever the model: its graph components, policy
featurizers and training helpers import it at module level (``class
RasaModel(tf.keras.Model)``), and all of them are imported with the recipe.
The project's model has no neural component (see ``config.yml``), yet
importing TensorFlow (and Keras and JAX with it) took seconds of a Rasa
server's start and hundreds of MiB of each server process's memory.

When every component of a model is known to run without TensorFlow
(:data:`TENSORFLOW_FREE_COMPONENTS`), :func:`install` puts a stand-in in
front of the import system: ``import tensorflow`` (and Keras and the
TensorFlow add-ons) gives a module whose attributes are stand-in classes,
enough for Rasa's modules to define their classes. Using one raises
:class:`TensorFlowNotLoadedError`, an ``ImportError``: libraries that probe for
TensorFlow (spaCy's thinc calls ``tf.config.get_visible_devices``) take
their path without it, and anything else says plainly what happened.
A model with any other component gets the real TensorFlow.

Training (``bot.ops.rasa_server train``) decides the same from ``config.yml``:
only the components it lists train, with the recipe's own providers.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import json
import sys
import tarfile
import types
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

# The packages served by the stand-in, with their submodules.
STOOD_IN_PACKAGES = frozenset(
    {"tensorflow", "keras", "tensorflow_addons", "tensorflow_hub", "tensorflow_text"}
)

# Graph components that run without TensorFlow: those of the project's model
# (tests/bot/rasa_patches/test_tensorflow_stand_in.py serves and trains it with the stand-in).
# Another one goes here once a test has served a model with it this way.
TENSORFLOW_FREE_COMPONENTS = frozenset(
    {
        "bot.rasa_plugins.nlu.contact_details_gate.ContactDetailsGate",
        "bot.rasa_plugins.nlu.faq_confidence_gate.FaqConfidenceGate",
        "bot.rasa_plugins.nlu.faq_topic_selector.FaqTopicSelector",
        "bot.rasa_plugins.nlu.language_gate.OtherLanguageGate",
        "rasa.core.policies.ensemble.DefaultPolicyPredictionEnsemble",
        "rasa.core.policies.memoization.MemoizationPolicy",
        "rasa.core.policies.rule_policy.RulePolicy",
        "rasa.graph_components.converters.nlu_message_converter.NLUMessageConverter",
        "rasa.graph_components.providers.domain_for_core_training_provider."
        "DomainForCoreTrainingProvider",
        "rasa.graph_components.providers.domain_provider.DomainProvider",
        "rasa.graph_components.providers.forms_provider.FormsProvider",
        "rasa.graph_components.providers.nlu_training_data_provider.NLUTrainingDataProvider",
        "rasa.graph_components.providers.responses_provider.ResponsesProvider",
        "rasa.graph_components.providers.rule_only_provider.RuleOnlyDataProvider",
        "rasa.graph_components.providers.story_graph_provider.StoryGraphProvider",
        "rasa.graph_components.providers.training_tracker_provider.TrainingTrackerProvider",
        "rasa.graph_components.validators.default_recipe_validator.DefaultV1RecipeValidator",
        "rasa.graph_components.validators.finetuning_validator.FinetuningValidator",
        "rasa.nlu.classifiers.fallback_classifier.FallbackClassifier",
        "rasa.nlu.classifiers.logistic_regression_classifier.LogisticRegressionClassifier",
        "rasa.nlu.classifiers.regex_message_handler.RegexMessageHandler",
        "rasa.nlu.extractors.spacy_entity_extractor.SpacyEntityExtractor",
        "rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer.CountVectorsFeaturizer",
        "rasa.nlu.tokenizers.spacy_tokenizer.SpacyTokenizer",
        "rasa.nlu.utils.spacy_utils.SpacyNLP",
    }
)

# How config.yml may name them: by class path, or Rasa's components by class name.
TENSORFLOW_FREE_NAMES = TENSORFLOW_FREE_COMPONENTS | {
    path.rpartition(".")[2] for path in TENSORFLOW_FREE_COMPONENTS if path.startswith("rasa.")
}
MODEL_METADATA_FILE = "metadata.json"
DEFAULT_RECIPE = "default.v1"


class TensorFlowNotLoadedError(ImportError):
    """Something used TensorFlow in a process serving it through the stand-in."""


def _not_loaded(name: str) -> TensorFlowNotLoadedError:
    return TensorFlowNotLoadedError(
        f"TensorFlow is not loaded in this process ('{name}' was used): its model has "
        "no TensorFlow component, so it runs with bot.rasa_patches.tensorflow_stand_in"
    )


class StandInClass(type):
    """The type of every stand-in class: classes may derive from them and
    annotations may name them; creating an instance raises :class:`TensorFlowNotLoadedError`."""

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        attribute = _stand_in_class(cls.__module__, f"{cls.__qualname__}.{name}")
        setattr(cls, name, attribute)
        return attribute

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        stood_in = next(
            ancestor
            for ancestor in cls.__mro__
            if ancestor.__module__.partition(".")[0] in STOOD_IN_PACKAGES
        )
        raise _not_loaded(f"{stood_in.__module__}.{stood_in.__qualname__}")


def _stand_in_class(module: str, qualified_name: str) -> StandInClass:
    name = qualified_name.rpartition(".")[2]
    return StandInClass(name, (), {"__module__": module, "__qualname__": qualified_name})


class StandInModule(types.ModuleType):
    """A stood-in package: each attribute is a stand-in class, the same one each time."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        attribute = _stand_in_class(self.__name__, name)
        setattr(self, name, attribute)
        return attribute


class StandInFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds every module of :data:`STOOD_IN_PACKAGES` as a :class:`StandInModule`."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        """A stand-in's spec for the stood-in packages; ``None`` (not mine) for others."""
        if fullname.partition(".")[0] not in STOOD_IN_PACKAGES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        """The stand-in module named by ``spec``."""
        return StandInModule(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        """Makes the module a package, so its submodules are found here too."""
        module.__path__ = []


def installed() -> bool:
    """Whether this process imports the stand-in instead of TensorFlow."""
    return any(isinstance(finder, StandInFinder) for finder in sys.meta_path)


def install() -> bool:
    """Puts the stand-in in front of the import system, unless TensorFlow is already loaded.

    Returns:
        Whether the stand-in serves ``import tensorflow`` from now on.
    """
    if installed():
        return True
    if any(name.partition(".")[0] in STOOD_IN_PACKAGES for name in sys.modules):
        return False
    sys.meta_path.insert(0, StandInFinder())
    return True


def runs_without_tensorflow(components: Iterable[str]) -> bool:
    """Whether every one of ``components`` (class paths) runs without TensorFlow."""
    return set(components) <= TENSORFLOW_FREE_COMPONENTS


def model_components(model: Path, schema: str = "predict_schema") -> set[str]:
    """The class paths of the components a trained model's graph uses: the prediction
    graph's, or the training graph's (``schema="train_schema"``)."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.isfile() and Path(member.name).name == MODEL_METADATA_FILE:
                reader = archive.extractfile(member)
                if reader is not None:
                    metadata = json.load(reader)
                    nodes = metadata[schema]["nodes"].values()
                    return {node["uses"] for node in nodes}
    raise ValueError(f"{model} has no {MODEL_METADATA_FILE}: not a Rasa model")


def install_for_model(model: Path) -> bool:
    """Installs the stand-in if ``model`` runs without TensorFlow.

    Returns:
        Whether the stand-in was installed (an unreadable model gets the real TensorFlow,
        and Rasa reports what is wrong with it).
    """
    try:
        components = model_components(model)
    except (OSError, tarfile.TarError, ValueError, KeyError, TypeError, AttributeError):
        return False
    return runs_without_tensorflow(components) and install()


def config_components(config: Path) -> list[str] | None:
    """The names of the components a training configuration lists, pipeline and
    policies; ``None`` when Rasa would choose some itself (a missing section) or
    the configuration uses another recipe."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    if not isinstance(settings, dict) or settings.get("recipe", DEFAULT_RECIPE) != DEFAULT_RECIPE:
        return None
    pipeline, policies = settings.get("pipeline"), settings.get("policies")
    if not (isinstance(pipeline, list) and pipeline and isinstance(policies, list) and policies):
        return None
    return [str(item.get("name")) for item in [*pipeline, *policies]]


def install_for_config(config: Path) -> bool:
    """Installs the stand-in if the model ``config`` trains runs without TensorFlow.

    Returns:
        Whether the stand-in was installed (a configuration that cannot be read
        gets the real TensorFlow, and Rasa reports what is wrong with it).
    """
    try:
        names = config_components(config)
    except (OSError, yaml.YAMLError, AttributeError):
        return False
    return names is not None and set(names) <= TENSORFLOW_FREE_NAMES and install()
