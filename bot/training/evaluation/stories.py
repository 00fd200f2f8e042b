"""The test stories (``rasa test core``) run on the trained model, in process.

The stories carry the visitor's text, so they are run end to end: the
trained NLU parses each message and the policies predict each action. Custom
actions are predicted, never executed.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import yaml

from bot.training.evaluation.results import EvaluationError, StoryResult

FAILED_STORIES_FILE = "failed_test_stories.yml"
STORY_REPORT_FILE = "story_report.json"


def run_test_stories(model: Path, stories: Path, output: Path) -> StoryResult:
    """Runs Rasa's core test on ``stories``; Rasa's reports land in ``output``.

    Raises:
        EvaluationError: when Rasa wrote no story report (no usable model).
    """
    from rasa.model_testing import test_core

    asyncio.run(
        test_core(
            model=str(model),
            stories=str(stories),
            output=str(output),
            additional_arguments={"disable_plotting": True},
            use_conversation_test_files=True,
        )
    )
    report_file = output / STORY_REPORT_FILE
    if not report_file.is_file():
        raise EvaluationError(f"Rasa could not test the stories with {model}")
    conversations = json.loads(report_file.read_text(encoding="utf-8")).get(
        "conversation_accuracy", {"correct": 0, "total": 0}
    )
    return StoryResult(
        correct=int(conversations["correct"]),
        total=int(conversations["total"]),
        failed=failed_story_names(output / FAILED_STORIES_FILE),
    )


def failed_story_names(failed_stories: Path) -> tuple[str, ...]:
    """The names of the stories in Rasa's ``failed_test_stories.yml``."""
    if not failed_stories.is_file():
        return ()
    content = yaml.safe_load(failed_stories.read_text(encoding="utf-8")) or {}
    return tuple(str(story.get("story")) for story in content.get("stories") or [])
