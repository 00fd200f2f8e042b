"""Which FAQ topic a question asks about: TF-IDF features and logistic regression.

Measured on the held-out paraphrases (tests/model/paraphrases.yml), this
classifier picks the right topic far more often than Rasa's ResponseSelector
does with ~25 examples per topic, trains in seconds, and its
probabilities make a usable confidence for the fallback threshold.

It runs on every message the bot receives, so :meth:`TopicModel.rank` computes
the trained pipeline's probabilities itself from its fitted parts: scikit-learn's
``predict_proba`` spent most of its time per message on per-call overhead (joblib
dispatch in ``FeatureUnion`` and a copy of the whole weight matrix for each
sparse product), more than the features themselves cost. The TF-IDF
features of a message are computed directly too (:class:`_TfidfFeatures`):
scikit-learn's ``transform`` builds and checks several sparse matrices for the
dozen terms of one question.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

# What a saved pipeline holds beyond the types skops trusts by default: the
# sparse IDF diagonal of each TfidfTransformer.
SAVED_TYPES = frozenset({"scipy.sparse._csr.csr_matrix"})


class UnexpectedSavedTypesError(ValueError):
    """A saved topic model holds types that :meth:`TopicModel.save` does not write."""


@dataclass(frozen=True)
class TopicScore:
    """One topic and the model's probability that the question asks about it."""

    label: str
    confidence: float


@dataclass
class TopicModel:
    """A text classifier over FAQ topics, trained from example questions."""

    regularisation: float = 10.0
    _pipeline: Pipeline | None = field(default=None, init=False, repr=False)
    _scorer: _LinearScorer | None = field(default=None, init=False, repr=False)

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TopicModel:
        """Trains on example questions and their topic labels."""
        if len(set(labels)) < 2:
            raise ValueError("a topic model needs examples of at least two topics")
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                (
                    "chars",
                    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                ),
            ]
        )
        classifier = LogisticRegression(
            C=self.regularisation, max_iter=3000, class_weight="balanced", random_state=0
        )
        self._pipeline = Pipeline([("features", features), ("classifier", classifier)])
        self._pipeline.fit(list(texts), list(labels))
        self._scorer = _LinearScorer.of(self._pipeline)
        return self

    def save(self, path: Path) -> None:
        """Writes the trained pipeline to ``path`` in skops's format (no pickle)."""
        import skops.io  # imported when needed: it is slow to import

        if self._pipeline is None:
            raise RuntimeError("the topic model is not trained")
        skops.io.dump(self._pipeline, path)

    @classmethod
    def load(cls, path: Path, regularisation: float = 10.0) -> TopicModel:
        """Reads a model written by :meth:`save`, about ten times faster than training it.

        Raises:
            UnexpectedSavedTypesError: when the file holds types ``save`` does not write.
        """
        import skops.io

        untrusted = set(skops.io.get_untrusted_types(file=path))
        if untrusted - SAVED_TYPES:
            raise UnexpectedSavedTypesError(f"{path} holds {sorted(untrusted - SAVED_TYPES)}")
        model = cls(regularisation=regularisation)
        model._pipeline = skops.io.load(path, trusted=sorted(untrusted))
        model._scorer = _LinearScorer.of(model._pipeline)
        return model

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Scikit-learn's own ``predict_proba``: one row per text, columns as ``labels``."""
        if self._pipeline is None:
            raise RuntimeError("the topic model is not trained")
        return np.asarray(self._pipeline.predict_proba(list(texts)))

    @property
    def labels(self) -> list[str]:
        """The topics, in the order of the probability columns."""
        if self._scorer is None:
            raise RuntimeError("the topic model is not trained")
        return list(self._scorer.labels)

    def rank(self, texts: Sequence[str]) -> list[list[TopicScore]]:
        """For each text, every topic with its probability, likeliest first."""
        if self._scorer is None:
            raise RuntimeError("the topic model is not trained")
        probabilities = self._scorer.probabilities(texts)
        labels = self._scorer.labels
        return [
            sorted(
                (TopicScore(str(label), float(p)) for label, p in zip(labels, row, strict=True)),
                key=lambda score: -score.confidence,
            )
            for row in probabilities
        ]


@dataclass(frozen=True)
class _TfidfFeatures:
    """A fitted ``TfidfVectorizer`` (sublinear TF, IDF, L2 norm) for one text at a time."""

    analyse: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer) -> _TfidfFeatures:
        """The parts of ``vectorizer`` that ``transform`` uses, as this class computes them."""
        settings = (vectorizer.sublinear_tf, vectorizer.use_idf, vectorizer.norm)
        if settings != (True, True, "l2") or vectorizer.binary:
            raise ValueError(f"unsupported TfidfVectorizer settings: {vectorizer}")
        return cls(vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_)

    def __call__(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The column indices and values of the text's non-zero features."""
        counts = Counter(term for term in self.analyse(text) if term in self.vocabulary)
        columns = np.fromiter((self.vocabulary[term] for term in counts), dtype=np.intp)
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64))) * self.idf[columns]
        length = np.sqrt(values @ values)
        return columns, values / length if length > 0 else values

    @property
    def width(self) -> int:
        """How many columns the vectorizer's output has."""
        return len(self.idf)


@dataclass(frozen=True)
class _LinearScorer:
    """The fitted pipeline's multinomial logistic regression, computed directly."""

    features: tuple[_TfidfFeatures, ...]
    weights: np.ndarray  # features x topics, C-contiguous for the sparse product
    intercepts: np.ndarray
    labels: tuple[str, ...]

    @classmethod
    def of(cls, pipeline: Pipeline) -> _LinearScorer:
        """Takes the fitted vectorizers and classifier out of ``pipeline``."""
        features: FeatureUnion = pipeline.named_steps["features"]
        classifier: LogisticRegression = pipeline.named_steps["classifier"]
        weights, intercepts = classifier.coef_, classifier.intercept_
        if len(weights) == 1:  # two topics: sigmoid(s) is the softmax of (0, s)
            weights = np.vstack([np.zeros_like(weights), weights])
            intercepts = np.concatenate([np.zeros_like(intercepts), intercepts])
        return cls(
            features=tuple(
                _TfidfFeatures.of(vectorizer) for _, vectorizer in features.transformer_list
            ),
            weights=np.ascontiguousarray(weights.T),
            intercepts=intercepts,
            labels=tuple(str(label) for label in classifier.classes_),
        )

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Softmax of the linear scores, as ``predict_proba`` gives for a multinomial model."""
        scores = np.array([self._scores(text) for text in texts]).reshape(-1, len(self.labels))
        return softmax(scores, axis=1)

    def _scores(self, text: str) -> np.ndarray:
        scores = self.intercepts.copy()
        offset = 0
        for features in self.features:
            columns, values = features(text)
            scores += values @ self.weights[columns + offset]
            offset += features.width
        return scores
