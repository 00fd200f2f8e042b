"""The test stories (tests/test_stories.yml) end to end through the trained model."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.model


def test_every_test_story_passes(
    agent: Any, event_loop_for_model: asyncio.AbstractEventLoop, tmp_path: Path
):
    from rasa.core.test import test as evaluate_stories

    event_loop_for_model.run_until_complete(
        evaluate_stories(
            str(ROOT / "tests" / "test_stories.yml"),
            agent,
            out_directory=str(tmp_path),
            e2e=True,
            disable_plotting=True,
        )
    )
    report = json.loads((tmp_path / "story_report.json").read_text())
    failed = tmp_path / "failed_test_stories.yml"
    conversations = report["conversation_accuracy"]
    assert conversations["correct"] == conversations["total"], failed.read_text()
