"""Builds the project's spaCy pipeline from its entity patterns file.

No spaCy model can be downloaded here, so the pipeline starts from spaCy's
blank English language (its rule-based tokenizer) and adds an entity ruler
that marks tech stacks, roles, seniority, engagement models, countries, the
agency, and the aspects a question asks about (bot/answers/faq/aspects.yml).
Rasa loads the saved folder with ``SpacyNLP`` (``model: build/spacy``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.answers.faq.aspects import ASPECT_ENTITY, ASPECTS_FILE, AspectsError, load_aspects

if TYPE_CHECKING:
    from spacy.language import Language

PATTERNS_FILE = Path(__file__).with_name("entity_patterns.yml")
PIPELINE_NAME = "agency_entities"


class PatternsError(ValueError):
    """The entity patterns file is malformed."""


def load_patterns(
    path: Path = PATTERNS_FILE, aspects_path: Path | None = ASPECTS_FILE
) -> dict[str, list[str]]:
    """Reads the patterns file: a mapping of entity label to its phrases,
    with the words of every aspect (``aspects_path``) under the label ``aspect``.

    Raises:
        PatternsError: if the file is not a mapping of labels to lists of
            non-empty phrases, or a phrase is listed under two labels.
    """
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    if aspects_path is not None and isinstance(content, Mapping):
        try:
            aspects = load_aspects(aspects_path)
        except AspectsError as error:
            raise PatternsError(f"{aspects_path}: {error}") from error
        content = {**content, ASPECT_ENTITY: [w for words in aspects.values() for w in words]}
    if not isinstance(content, Mapping) or not content:
        raise PatternsError(f"{path}: expected a mapping of entity label to phrases")
    patterns: dict[str, list[str]] = {}
    owner: dict[str, str] = {}
    for label, phrases in content.items():
        if not isinstance(phrases, list) or not all(
            isinstance(p, str) and p.strip() for p in phrases
        ):
            raise PatternsError(f"{path}: '{label}' must list non-empty phrases")
        for phrase in phrases:
            key = phrase.strip().lower()
            if key in owner:
                raise PatternsError(
                    f"{path}: '{phrase}' is under both '{owner[key]}' and '{label}'"
                )
            owner[key] = str(label)
        patterns[str(label)] = [p.strip() for p in phrases]
    return patterns


EXACT_CASE = "="


def _pattern(phrase: str) -> str | list[dict[str, str]]:
    if phrase.startswith(EXACT_CASE):  # "=Go": the language, not the verb "go"
        return [{"ORTH": token} for token in phrase[len(EXACT_CASE) :].split()]
    return phrase.lower()


def ruler_patterns(patterns: Mapping[str, Iterable[str]]) -> list[dict[str, Any]]:
    """Turns label -> phrases into spaCy entity-ruler patterns.

    A phrase matches in any case, except one written ``=Phrase``, which
    matches only with exactly that case.
    """
    return [
        {"label": label, "pattern": _pattern(phrase)}
        for label, phrases in patterns.items()
        for phrase in phrases
    ]


def build_pipeline(patterns: Mapping[str, Iterable[str]]) -> Language:
    """Returns a blank English pipeline whose entity ruler knows ``patterns``."""
    import spacy

    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "Blank English tokenizer with the agency's entity ruler."
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(ruler_patterns(patterns))  # type: ignore[attr-defined]
    return nlp


def build_and_save(output: Path, patterns_file: Path = PATTERNS_FILE) -> Path:
    """Builds the pipeline from ``patterns_file`` and saves it to ``output``."""
    nlp = build_pipeline(load_patterns(patterns_file))
    output.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(output)
    return output
