from pathlib import Path

from bot.training.evaluation.confusion import confusion_counts, plot_confusion
from bot.training.evaluation.results import Prediction

PREDICTIONS = [
    Prediction("hi", "greet", "greet", 0.9),
    Prediction("yo", "greet", "nlu_fallback", 0.3, "greet"),
    Prediction("bye", "goodbye", "greet", 0.5),
    Prediction("ciao", "goodbye", "goodbye", 0.8),
]


def test_fallback_is_a_column_never_a_row():
    rows, columns, counts = confusion_counts(PREDICTIONS)
    assert rows == ["goodbye", "greet"]
    assert columns == ["goodbye", "greet", "nlu_fallback"]
    assert counts == [[1, 1, 0], [0, 1, 1]]


def test_the_plot_is_written_as_a_png(tmp_path: Path):
    path = tmp_path / "confusion.png"
    plot_confusion(PREDICTIONS, path)
    assert path.read_bytes().startswith(b"\x89PNG")
