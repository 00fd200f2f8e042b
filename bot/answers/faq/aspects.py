"""The aspects a question can ask about (bot/answers/faq/aspects.yml) and their words."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import yaml

ASPECTS_FILE = Path(__file__).with_name("aspects.yml")
ASPECT_ENTITY = "aspect"


class AspectsError(ValueError):
    """The aspects file is malformed."""


def parse_aspects(content: object) -> dict[str, tuple[str, ...]]:
    """The mapping ``aspect -> words`` from the parsed YAML.

    Raises:
        AspectsError: if it is not a mapping of names to lists of words, or a
            word names two aspects.
    """
    if not isinstance(content, Mapping) or not content:
        raise AspectsError("expected a mapping of aspect to the words that name it")
    owner: dict[str, str] = {}
    aspects: dict[str, tuple[str, ...]] = {}
    for aspect, words in content.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise AspectsError(f"aspect '{aspect}' must list non-empty words")
        for word in words:
            key = word.strip().lower()
            if key in owner:
                raise AspectsError(f"'{word}' names both '{owner[key]}' and '{aspect}'")
            owner[key] = str(aspect)
        aspects[str(aspect)] = tuple(word.strip() for word in words)
    return aspects


@cache
def load_aspects(path: Path = ASPECTS_FILE) -> dict[str, tuple[str, ...]]:
    """Reads the aspects file (once per process)."""
    return parse_aspects(yaml.safe_load(path.read_text(encoding="utf-8")))


@cache
def _aspect_of_word() -> dict[str, str]:
    return {word.lower(): aspect for aspect, words in load_aspects().items() for word in words}


def aspect_named(words: str) -> str | None:
    """The aspect that ``words`` (an entity's text) names, if any."""
    return _aspect_of_word().get(" ".join(words.lower().split()))


def _words(text: str) -> list[str]:
    return text.lower().replace("-", " ").split()


def section_names_aspect(section_id: str, aspect: str) -> bool:
    """True when a knowledge section's id (its title's slug) names ``aspect``:
    ``...#disadvantages-of-offshoring`` names ``cons``, not ``pros``."""
    title = _words(section_id.partition("#")[2])
    for word in load_aspects().get(aspect, ()):
        phrase = _words(word)
        if any(title[i : i + len(phrase)] == phrase for i in range(len(title))):
            return True
    return False
