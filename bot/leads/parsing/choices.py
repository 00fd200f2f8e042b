"""A typed answer to a question asked with buttons: "the first one", "2", its title."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

_ORDINALS = {
    "first": 0, "1st": 0, "one": 0, "1": 0,
    "second": 1, "2nd": 1, "two": 1, "2": 1,
    "third": 2, "3rd": 2, "three": 2, "3": 2,
    "fourth": 3, "4th": 3, "four": 3, "4": 3,
    "fifth": 4, "5th": 4, "five": 4, "5": 4,
    "last": -1,
}  # fmt: skip
_PICK = re.compile(
    r"^\s*(?:i'?ll\s+(?:take|go\s+with)\s+|let'?s\s+go\s+with\s+|go\s+with\s+)?"
    r"(?:the\s+)?(?:option\s+|number\s+|no\.?\s*|#)?(?P<which>[a-z0-9]+)"
    r"(?:\s+(?:one|option|button))?\s*(?:please|pls)?[\s.!]*$",
    re.IGNORECASE,
)
_PAYLOAD = re.compile(r"^/(?P<intent>\w+)(?P<entities>\{.*\})?$", re.DOTALL)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", text.lower()).split())


def chosen_button(text: str, buttons: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The button a typed answer picks: by position ("the first one", "2",
    "the last one") or by its title typed out; None when it picks none."""
    if not buttons:
        return None
    wanted = _normal(text)
    for button in buttons:
        if wanted and wanted == _normal(str(button.get("title", ""))):
            return button
    match = _PICK.match(text)
    if match is None or (index := _ORDINALS.get(match.group("which").lower())) is None:
        return None
    return buttons[index] if -len(buttons) <= index < len(buttons) else None


def payload_value(button: Mapping[str, Any], entity: str) -> Any:
    """The value a button's payload ('/inform{"seniority": "junior"}') sets for ``entity``."""
    match = _PAYLOAD.match(str(button.get("payload", "")).strip())
    if match is None or not match.group("entities"):
        return None
    try:
        values = json.loads(match.group("entities"))
    except json.JSONDecodeError:
        return None
    return values.get(entity) if isinstance(values, dict) else None
