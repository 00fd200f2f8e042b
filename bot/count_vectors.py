"""Rasa's ``CountVectorsFeaturizer`` counting a message's tokens without scikit-learn's matrices.

For each message, Rasa 3.6's featurizer calls ``CountVectorizer.transform``
twice per vectorizer (once with each token as a document, for the sequence
features, once with the joined tokens, for the sentence features): each call
checks the fitted vocabulary, builds the analyzer again, builds a CSR matrix
with index checks and sorts it, and Rasa then converts it to COO. For the
dozen tokens of a chat message that came to about 13 % of a Rasa server's
CPU under load, nearly all of it per-call overhead.

:class:`DirectCounts` counts the same analyzer's n-grams in the same fitted
vocabulary and builds the COO matrix Rasa would have built, entry for entry:
the same shape, dtypes and order (rows in order, columns ascending in a row).
A vectorizer it was not written for goes through Rasa's own code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse
from rasa.nlu.constants import DENSE_FEATURIZABLE_ATTRIBUTES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import (
    CountVectorsFeaturizer,
)
from sklearn.feature_extraction.text import CountVectorizer

RASAS_CREATE_FEATURES = CountVectorsFeaturizer._create_features

# Rasa's return value: per message, its sequence and its sentence features (or None).
Features = tuple[list[scipy.sparse.coo_matrix | None], list[scipy.sparse.coo_matrix | None]]


@dataclass(frozen=True)
class DirectCounts:
    """What ``CountVectorizer.transform`` uses of a fitted vectorizer, to count directly."""

    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    binary: bool
    dtype: np.dtype

    @classmethod
    def of(cls, vectorizer: CountVectorizer) -> DirectCounts | None:
        """The counts of ``vectorizer``; None if it is not a fitted plain ``CountVectorizer``."""
        vocabulary = getattr(vectorizer, "vocabulary_", None)
        if type(vectorizer) is not CountVectorizer or not vocabulary:
            return None
        return cls(
            vectorizer.build_analyzer(),
            {term: int(column) for term, column in vocabulary.items()},
            bool(vectorizer.binary),
            np.dtype(vectorizer.dtype),
        )

    def matrix(self, documents: Sequence[str]) -> scipy.sparse.coo_matrix:
        """``transform(documents)`` as sorted COO: one row per document."""
        rows: list[int] = []
        columns: list[int] = []
        values: list[int] = []
        for row, document in enumerate(documents):
            counts: dict[int, int] = {}
            for term in self.analyse(document):
                column = self.vocabulary.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            for column in sorted(counts):
                rows.append(row)
                columns.append(column)
                values.append(1 if self.binary else counts[column])
        index_type = np.int32 if len(self.vocabulary) < np.iinfo(np.int32).max else np.int64
        return scipy.sparse.coo_matrix(
            (
                np.array(values, dtype=self.dtype),
                (np.array(rows, dtype=index_type), np.array(columns, dtype=index_type)),
            ),
            shape=(len(documents), len(self.vocabulary)),
        )


def direct_counts(featurizer: CountVectorsFeaturizer, attribute: str) -> DirectCounts | None:
    """The featurizer's counts for ``attribute``, made once per fitted vectorizer."""
    vectorizer = featurizer.vectorizers.get(attribute)
    made: dict[str, tuple[Any, DirectCounts | None]] = featurizer.__dict__.setdefault(
        "_direct_counts", {}
    )
    if attribute not in made or made[attribute][0] is not vectorizer:
        made[attribute] = (vectorizer, DirectCounts.of(vectorizer))
    return made[attribute][1]


def create_features_directly(
    self: CountVectorsFeaturizer, attribute: str, all_tokens: list[list[str]]
) -> Features:
    """Rasa's ``_create_features``: sequence and sentence features of each token list."""
    counts = direct_counts(self, attribute) if self.vectorizers.get(attribute) else None
    if counts is None:
        return RASAS_CREATE_FEATURES(self, attribute, all_tokens)
    sequence_features: list[scipy.sparse.coo_matrix | None] = []
    sentence_features: list[scipy.sparse.coo_matrix | None] = []
    for tokens in all_tokens:
        if not tokens:
            sequence_features.append(None)
            sentence_features.append(None)
            continue
        sequence_features.append(counts.matrix(tokens))
        sentence_features.append(
            counts.matrix([" ".join(tokens)])
            if attribute in DENSE_FEATURIZABLE_ATTRIBUTES
            else None
        )
    return sequence_features, sentence_features


def use_direct_count_vectors() -> None:
    """Makes every ``CountVectorsFeaturizer`` count with :func:`create_features_directly`."""
    CountVectorsFeaturizer._create_features = create_features_directly
