"""Rasa's ``CountVectorsFeaturizer`` counting a message's tokens without scikit-learn's matrices.

For each message, Rasa 3.6's featurizer calls ``CountVectorizer.transform``
twice per vectorizer (once with each token as a document, for the sequence
features, once with the joined tokens, for the sentence features): each call
checks the fitted vocabulary, builds the analyzer again, builds a CSR matrix
with index checks and sorts it, and Rasa then converts it to COO. For the
dozen tokens of a chat message that is nearly all per-call overhead.

:class:`DirectCounts` counts the same analyzer's n-grams in the same fitted
vocabulary and builds the COO matrix Rasa would have built, entry for entry:
the same shape, dtypes and order (rows in order, columns ascending in a row).
A token's counts are kept (the same words come back message after message),
and where the analyzer allows it a sentence's counts are the sum of its
tokens'. A vectorizer it was not written for goes through Rasa's own code.
"""

from __future__ import annotations

import functools
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


# Distinct tokens (and sentences, where they are not sums) whose counts are kept.
KEPT_COUNTS = 50_000

# One row's non-zero entries: (column, count) pairs, columns ascending.
Row = tuple[tuple[int, int], ...]


def sorted_coo(
    rows: list[Row], width: int, dtype: np.dtype, binary: bool
) -> scipy.sparse.coo_matrix:
    """The COO matrix of ``rows``, as scikit-learn's sorted CSR converts to it, built
    without ``coo_matrix``'s argument checks (four per message): the
    entries are valid by construction."""
    row_numbers = [number for number, row in enumerate(rows) for _ in row]
    columns = [column for row in rows for column, _ in row]
    values = [1 if binary else count for row in rows for _, count in row]
    index_type = np.int32 if max(len(rows), width) <= np.iinfo(np.int32).max else np.int64
    matrix = scipy.sparse.coo_matrix.__new__(scipy.sparse.coo_matrix)
    scipy.sparse.spmatrix.__init__(matrix)
    matrix._shape = (len(rows), width)
    matrix.row = np.array(row_numbers, dtype=index_type)
    matrix.col = np.array(columns, dtype=index_type)
    matrix.data = np.array(values, dtype=dtype)
    matrix.has_canonical_format = False
    return matrix


# Word patterns (scikit-learn's default, Rasa's) that never match across a space.
WORD_PATTERNS = (r"(?u)\b\w\w+\b", r"(?u)\b\w+\b")


def is_additive(vectorizer: CountVectorizer) -> bool:
    """Whether the counts of tokens joined by spaces are the sums of each token's counts:
    character n-grams within words, or single words, with the built-in analyzers."""
    if vectorizer.preprocessor is not None or vectorizer.tokenizer is not None:
        return False
    if vectorizer.analyzer == "char_wb":
        return True
    return (
        vectorizer.analyzer == "word"
        and vectorizer.ngram_range[1] == 1
        and vectorizer.token_pattern in WORD_PATTERNS
    )


@dataclass(frozen=True)
class DirectCounts:
    """What ``CountVectorizer.transform`` uses of a fitted vectorizer, to count directly."""

    count: Callable[[str], Row]  # a document's counts, kept for the latest documents
    width: int
    binary: bool
    dtype: np.dtype
    additive: bool

    @classmethod
    def of(cls, vectorizer: CountVectorizer) -> DirectCounts | None:
        """The counts of ``vectorizer``; None if it is not a fitted plain ``CountVectorizer``."""
        vocabulary = getattr(vectorizer, "vocabulary_", None)
        if (
            type(vectorizer) is not CountVectorizer
            or not vocabulary
            or callable(vectorizer.analyzer)
        ):
            return None
        analyse = vectorizer.build_analyzer()
        columns = {term: int(column) for term, column in vocabulary.items()}

        @functools.lru_cache(maxsize=KEPT_COUNTS)
        def count(document: str) -> Row:
            counts: dict[int, int] = {}
            for term in analyse(document):
                column = columns.get(term)
                if column is not None:
                    counts[column] = counts.get(column, 0) + 1
            return tuple(sorted(counts.items()))

        return cls(
            count, len(columns), bool(vectorizer.binary), np.dtype(vectorizer.dtype),
            is_additive(vectorizer),
        )  # fmt: skip

    def sequence(self, tokens: Sequence[str]) -> scipy.sparse.coo_matrix:
        """``transform(tokens)``: a row per token."""
        return sorted_coo(
            [self.count(token) for token in tokens], self.width, self.dtype, self.binary
        )

    def sentence(self, tokens: Sequence[str]) -> scipy.sparse.coo_matrix:
        """``transform([" ".join(tokens)])``: one row."""
        if not self.additive:
            row = self.count(" ".join(tokens))
        else:
            totals: dict[int, int] = {}
            for token in tokens:
                for column, count in self.count(token):
                    totals[column] = totals.get(column, 0) + count
            row = tuple(sorted(totals.items()))
        return sorted_coo([row], self.width, self.dtype, self.binary)


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
        sequence_features.append(counts.sequence(tokens))
        sentence_features.append(
            counts.sentence(tokens) if attribute in DENSE_FEATURIZABLE_ATTRIBUTES else None
        )
    return sequence_features, sentence_features
