"""The names of the stories Rasa's test failed, from its failed_test_stories.yml."""

from __future__ import annotations

from pathlib import Path

from bot.training.evaluation.stories import failed_story_names


def test_the_failed_stories_are_named_in_their_order(tmp_path: Path):
    failed = tmp_path / "failed_test_stories.yml"
    failed.write_text(
        "version: '3.1'\nstories:\n- story: lead form\n  steps: []\n"
        "- story: follow-up on offshoring\n  steps: []\n"
    )

    assert failed_story_names(failed) == ("lead form", "follow-up on offshoring")


def test_no_file_or_an_empty_one_means_no_failure(tmp_path: Path):
    empty = tmp_path / "failed_test_stories.yml"
    empty.write_text("")

    assert failed_story_names(tmp_path / "missing.yml") == failed_story_names(empty) == ()
