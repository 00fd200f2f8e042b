"""count_vectors (bot.rasa_patches.turn) on the trained model: the features Rasa's own
featurizer gives."""

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

from bot.rasa_patches.turn.count_vectors import (
    RASAS_CREATE_FEATURES,
    DirectCounts,
    create_features_directly,
)
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
    assert type(mine) is scipy.sparse.coo_matrix
    assert sorted(vars(mine)) == sorted(vars(theirs))  # every attribute coo_matrix sets
    mine._check()  # scipy's own checks of a COO matrix pass
    assert mine.shape == theirs.shape
    assert mine.has_canonical_format == theirs.has_canonical_format
    for name in ("data", "row", "col"):
        assert getattr(mine, name).dtype == getattr(theirs, name).dtype, name
        np.testing.assert_array_equal(getattr(mine, name), getattr(theirs, name))


def test_the_served_model_counts_with_both_vectorizers_directly(agent: Any) -> None:
    assert CountVectorsFeaturizer._create_features is create_features_directly
    analyzers = sorted(featurizer.analyzer for featurizer in featurizers(agent))
    assert analyzers == ["char_wb", "word"]
    for featurizer in featurizers(agent):
        counts = DirectCounts.of(featurizer.vectorizers[TEXT])
        assert counts is not None  # the direct path runs
        assert counts.additive  # sentences as sums of their tokens' counts


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


VECTORIZERS = {
    "words": lambda binary: CountVectorizer(binary=binary),
    "word pairs": lambda binary: CountVectorizer(ngram_range=(1, 2), binary=binary),
    "characters in words": lambda binary: CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), binary=binary
    ),
    "characters": lambda binary: CountVectorizer(analyzer="char", ngram_range=(1, 3)),
    "own pattern": lambda binary: CountVectorizer(token_pattern=r"\S+ \S+"),
}
ADDITIVE = {"words", "characters in words"}


@pytest.mark.parametrize("binary", [True, False])
@pytest.mark.parametrize("kind", VECTORIZERS)
def test_counts_match_scikit_learn_for_each_kind_of_vectorizer(kind: str, binary: bool) -> None:
    tokens = ["the", "cat", "saw", "the", "other", "Café", "cat's", "don't", "cat", "x"]
    vectorizer = VECTORIZERS[kind](binary).fit([" ".join(tokens[:6]), "cat cat cat"])
    counts = DirectCounts.of(vectorizer)
    assert counts is not None
    assert counts.additive is (kind in ADDITIVE)
    for some_tokens in (tokens, tokens[3:], ["unknown", "words"], ["cat"] * 3):
        for mine, documents in (
            (counts.sequence(some_tokens), some_tokens),
            (counts.sentence(some_tokens), [" ".join(some_tokens)]),
        ):
            expected = vectorizer.transform(documents)
            expected.sort_indices()
            assert_same_matrix(mine, expected.tocoo())


def test_other_vectorizers_are_left_to_rasa() -> None:
    assert DirectCounts.of(TfidfVectorizer().fit(["a text", "another text"])) is None
    assert DirectCounts.of(CountVectorizer()) is None  # not fitted
