"""bot.count_vectors on the trained model: the features Rasa's own featurizer gives."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import scipy.sparse
import yaml
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from rasa.shared.nlu.constants import ACTION_NAME, TEXT
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from bot.count_vectors import RASAS_CREATE_FEATURES, DirectCounts, create_features_directly
from tests.conftest import ROOT


def featurizers(agent: Any) -> list[CountVectorsFeaturizer]:
    return [
        node._component
        for node in agent.processor.graph_runner._instantiated_nodes.values()
        if node._component_class is CountVectorsFeaturizer
    ]


def token_lists() -> list[list[str]]:
    paraphrases = yaml.safe_load((ROOT / "tests/model/paraphrases.yml").read_text("utf-8"))
    texts = [row["text"] for row in paraphrases]
    odd = [
        "Zürich team, 12 devs, £40k/month",
        "a a a a repeated repeated",
        "zzzzqqq xylophone",
        "x",
        "__NUMBER__ __OOV__",
        "emoji 🙂 and tabs\tinside",
    ]
    return [text.lower().split() for text in [*texts, *odd]] + [[]]


def assert_same_matrix(mine: Any, theirs: Any) -> None:
    if theirs is None:
        assert mine is None
        return
    assert isinstance(mine, scipy.sparse.coo_matrix)
    assert mine.shape == theirs.shape
    for name in ("data", "row", "col"):
        assert getattr(mine, name).dtype == getattr(theirs, name).dtype, name
        np.testing.assert_array_equal(getattr(mine, name), getattr(theirs, name))


def test_the_served_model_counts_with_both_vectorizers_directly(agent: Any) -> None:
    assert CountVectorsFeaturizer._create_features is create_features_directly
    analyzers = sorted(featurizer.analyzer for featurizer in featurizers(agent))
    assert analyzers == ["char_wb", "word"]
    for featurizer in featurizers(agent):
        assert DirectCounts.of(featurizer.vectorizers[TEXT]) is not None  # the direct path runs


@pytest.mark.parametrize("analyzer", ["word", "char_wb"])
def test_features_are_rasas_own_entry_for_entry(agent: Any, analyzer: str) -> None:
    [featurizer] = [one for one in featurizers(agent) if one.analyzer == analyzer]
    tokens = token_lists()
    assert len(tokens) > 200
    mine = create_features_directly(featurizer, TEXT, tokens)
    theirs = RASAS_CREATE_FEATURES(featurizer, TEXT, tokens)
    for my_features, their_features in zip(mine, theirs, strict=True):
        assert len(my_features) == len(their_features) == len(tokens)
        for my_matrix, their_matrix in zip(my_features, their_features, strict=True):
            assert_same_matrix(my_matrix, their_matrix)


def test_action_names_have_rasas_sequence_features_and_no_sentence_features(agent: Any) -> None:
    [featurizer] = [one for one in featurizers(agent) if one.analyzer == "word"]
    names = [["utter_greet"], ["action_listen"], ["lead_form"], ["no_such_action"], []]
    mine = create_features_directly(featurizer, ACTION_NAME, names)
    theirs = RASAS_CREATE_FEATURES(featurizer, ACTION_NAME, names)
    assert mine[1] == theirs[1] == [None] * len(names)
    for my_matrix, their_matrix in zip(mine[0], theirs[0], strict=True):
        assert_same_matrix(my_matrix, their_matrix)


def test_an_attribute_without_a_vectorizer_has_no_features(agent: Any) -> None:
    featurizer = featurizers(agent)[0]
    assert "no_such_attribute" not in featurizer.vectorizers
    assert create_features_directly(featurizer, "no_such_attribute", [["a"]]) == ([None], [None])


@pytest.mark.parametrize("binary", [True, False])
def test_binary_counts_and_ngrams_match_scikit_learn(binary: bool) -> None:
    texts = ["the cat saw the other cat", "cat cat cat", "nothing known here", ""]
    vectorizer = CountVectorizer(ngram_range=(1, 2), binary=binary).fit(texts[:2])
    counts = DirectCounts.of(vectorizer)
    assert counts is not None
    expected = vectorizer.transform(texts)
    expected.sort_indices()
    assert_same_matrix(counts.matrix(texts), expected.tocoo())


def test_other_vectorizers_are_left_to_rasa() -> None:
    assert DirectCounts.of(TfidfVectorizer().fit(["a text", "another text"])) is None
    assert DirectCounts.of(CountVectorizer()) is None  # not fitted
