"""Visitors who write in another language, through the trained bot: the
held-out table languages.yml. The line that the assistant answers in English
comes in their language; English (and names) never get it."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from tests.conftest import load_yaml

pytestmark = pytest.mark.model

TABLE = load_yaml("tests/model/languages.yml")


def language_lines(domain: dict[str, Any]) -> dict[str | None, str]:
    """The first words of each variant of utter_english_only, by language (None: English)."""
    lines: dict[str | None, str] = {}
    for variant in domain["responses"]["utter_english_only"]:
        conditions = variant.get("condition") or [{}]
        text = " ".join(variant["text"].split())
        lines[conditions[0].get("value")] = text.split("{")[0][:30]  # before the email
    return lines


@pytest.fixture(scope="module")
def first_replies(agent: Any, event_loop_for_model: asyncio.AbstractEventLoop) -> list[str]:
    async def run_all() -> list[str]:
        replies = []
        for case in TABLE:
            answer = await agent.handle_text(case["say"], sender_id=f"language-{uuid.uuid4()}")
            replies.append(" ".join(str(reply.get("text") or "") for reply in answer))
        return replies

    return event_loop_for_model.run_until_complete(run_all())


def test_other_languages_hear_the_english_line_in_their_own(first_replies, domain):
    lines = language_lines(domain)
    wrong = []
    for case, reply in zip(TABLE, first_replies, strict=True):
        said = {code for code, line in lines.items() if line in " ".join(reply.split())}
        expected = {case["language"]} if case["language"] else set()
        if said != expected:
            wrong.append((case["say"], case["language"], sorted(map(str, said)), reply[:100]))
    print(f"\nlanguage lines right: {len(TABLE) - len(wrong)}/{len(TABLE)}")
    for row in wrong:
        print("  ", row)
    assert not wrong
