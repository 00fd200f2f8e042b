import datetime

import numpy as np
import pytest

from bot.answers.faq.topic_model import TopicModel, UnexpectedSavedTypesError

EXAMPLES = [
    ("what is outsourcing", "faq/define_outsourcing"),
    ("outsourcing meaning", "faq/define_outsourcing"),
    ("explain outsourcing to me", "faq/define_outsourcing"),
    ("which is riskier offshoring or outsourcing", "faq/risk_level"),
    ("risk of offshoring compared to outsourcing", "faq/risk_level"),
    ("is offshoring riskier", "faq/risk_level"),
]


@pytest.fixture(scope="module")
def model() -> TopicModel:
    texts, labels = zip(*EXAMPLES, strict=True)
    return TopicModel().fit(texts, labels)


def test_rank_puts_the_asked_topic_first(model):
    [ranking] = model.rank(["how risky is offshoring"])
    assert ranking[0].label == "faq/risk_level"
    assert ranking[0].confidence > ranking[1].confidence


def test_rank_gives_every_topic_probabilities_that_sum_to_one(model):
    for ranking in model.rank(["outsourcing?", "", "zzz"]):
        assert {score.label for score in ranking} == {"faq/define_outsourcing", "faq/risk_level"}
        assert sum(score.confidence for score in ranking) == pytest.approx(1.0)


def test_untrained_model_refuses_to_rank():
    with pytest.raises(RuntimeError):
        TopicModel().rank(["what is outsourcing"])


def test_model_needs_two_topics():
    with pytest.raises(ValueError, match="two topics"):
        TopicModel().fit(["a", "b"], ["faq/x", "faq/x"])


QUESTIONS = ["how risky is offshoring", "outsourcing?", "", "zzz", "what does outsourcing mean"]
MORE_EXAMPLES = [
    ("what is offshoring", "faq/define_offshoring"),
    ("offshoring meaning", "faq/define_offshoring"),
    ("define offshoring please", "faq/define_offshoring"),
]


def ranked_probabilities(model: TopicModel, texts: list[str]) -> np.ndarray:
    """``rank``'s confidences as a matrix in the column order of ``model.labels``."""
    rows = [{score.label: score.confidence for score in ranking} for ranking in model.rank(texts)]
    return np.array([[row[label] for label in model.labels] for row in rows])


@pytest.mark.parametrize("examples", [EXAMPLES, EXAMPLES + MORE_EXAMPLES], ids=["two", "three"])
def test_rank_gives_scikit_learns_own_probabilities(examples):
    texts, labels = zip(*examples, strict=True)
    model = TopicModel().fit(texts, labels)
    np.testing.assert_allclose(
        ranked_probabilities(model, QUESTIONS), model.probabilities(QUESTIONS), rtol=1e-9
    )


def test_a_saved_model_loads_with_the_same_probabilities(model, tmp_path):
    path = tmp_path / "topic_model.skops"
    model.save(path)
    loaded = TopicModel.load(path)
    texts = ["what does outsourcing mean", "is offshoring risky", "hello there"]
    assert loaded.labels == model.labels
    assert np.array_equal(loaded.probabilities(texts), model.probabilities(texts))
    assert loaded.rank(texts) == model.rank(texts)


def test_a_saved_file_with_other_types_is_refused(tmp_path):
    import skops.io

    path = tmp_path / "topic_model.skops"
    skops.io.dump({"trained": datetime.date(2026, 1, 1)}, path)
    with pytest.raises(UnexpectedSavedTypesError, match=r"datetime\.date"):
        TopicModel.load(path)


def test_an_untrained_model_cannot_be_saved(tmp_path):
    with pytest.raises(RuntimeError, match="not trained"):
        TopicModel().save(tmp_path / "topic_model.skops")
