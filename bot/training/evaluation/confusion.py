"""The confusion matrix of the cross-validation, over full intents, as a PNG.

Rasa's own plot writes every cell's count, zeros included, on a fixed
20-inch figure: with ~50 full intents it is a wall of zeros. This one sizes
the figure to the labels, writes only the counts that are not zero, shades
each row by its share of the intent's examples, and adds ``nlu_fallback`` as
a column (never a row: no example expects it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from bot.training.evaluation.results import Prediction

INCHES_PER_LABEL = 0.32
MARGIN_INCHES = 4.0


def confusion_counts(
    predictions: Sequence[Prediction],
) -> tuple[list[str], list[str], list[list[int]]]:
    """Rows (expected intents), columns (the rows, then predicted-only labels), counts."""
    rows = sorted({prediction.expected for prediction in predictions})
    extra = sorted({prediction.predicted for prediction in predictions} - set(rows))
    columns = rows + extra
    pairs = Counter((prediction.expected, prediction.predicted) for prediction in predictions)
    return rows, columns, [[pairs[(row, column)] for column in columns] for row in rows]


def plot_confusion(predictions: Sequence[Prediction], path: Path) -> None:
    """Draws the confusion matrix of ``predictions`` to the PNG file ``path``."""
    from matplotlib.figure import Figure

    rows, columns, counts = confusion_counts(predictions)
    shares = [[count / max(sum(row), 1) for count in row] for row in counts]
    figure = Figure(
        figsize=(
            MARGIN_INCHES + INCHES_PER_LABEL * len(columns),
            MARGIN_INCHES + INCHES_PER_LABEL * len(rows),
        )
    )
    axes = figure.subplots()
    axes.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0, aspect="equal")
    for row_index, row in enumerate(counts):
        for column_index, count in enumerate(row):
            if count:
                dark = shares[row_index][column_index] > 0.5
                axes.text(
                    column_index,
                    row_index,
                    str(count),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    if len(columns) > len(rows):  # set the predicted-only labels (nlu_fallback) apart
        axes.axvline(len(rows) - 0.5, color="grey", linewidth=0.8)
    axes.set_xticks(range(len(columns)), columns, rotation=90, fontsize=8)
    axes.set_yticks(range(len(rows)), rows, fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("expected")
    axes.set_title("Intent confusion matrix (cross-validation, counts; shade: share of the row)")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, bbox_inches="tight", dpi=100)
