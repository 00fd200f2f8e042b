"""The project's own checks of its data, beyond ``rasa data validate``.

Each check is a pure function of the parsed project files and returns the
problems it found, as sentences a maintainer can act on. ``bot validate``
(``make validate``, and ``make train`` before training) runs them all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.answers.faq.topics import answer_response

MIN_FAQ_EXAMPLES = 12
FAQ_PREFIX = "faq/"
# Responses Rasa's own actions utter (action_default_fallback).
RASA_UTTERED = frozenset({"utter_default", "utter_restart"})
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_RESPONSE_NAME = re.compile(r"[\"'](utter_[a-z0-9_/]+)[\"']")


@dataclass
class ProjectData:
    """What the checks read: the domain, the training data and the test data."""

    domain: dict[str, Any]
    examples: dict[str, list[str]]
    flow_actions: set[str] = field(default_factory=set)
    tested_intents: set[str] = field(default_factory=set)
    code_responses: set[str] = field(default_factory=set)


def example_key(text: str) -> str:
    """An example as compared for duplicates: no entity markup, case or end punctuation."""
    return " ".join(_ANNOTATION.sub(r"\1", text).lower().split()).strip(" ?!.")


def faq_intents_complete(project: ProjectData) -> list[str]:
    """Every FAQ intent has a response, enough examples and a test question."""
    responses = project.domain.get("responses", {})
    problems = []
    for intent, texts in project.examples.items():
        if not intent.startswith(FAQ_PREFIX):
            continue
        if answer_response(intent) not in responses:
            problems.append(f"{intent} has no response {answer_response(intent)} in domain.yml")
        if len(texts) < MIN_FAQ_EXAMPLES:
            problems.append(f"{intent} has {len(texts)} examples, at least {MIN_FAQ_EXAMPLES}")
        if intent not in project.tested_intents:
            problems.append(
                f"{intent} has no test question (tests/model/paraphrases.yml"
                " or tests/test_stories.yml)"
            )
    return problems


def responses_reachable(project: ProjectData) -> list[str]:
    """Every response is uttered by a rule or story, a form, an FAQ intent or an action."""
    reachable = set(project.flow_actions) | project.code_responses | RASA_UTTERED
    reachable |= {answer_response(intent) for intent in project.examples}
    for form, spec in project.domain.get("forms", {}).items():
        for slot in spec.get("required_slots", []):
            reachable |= {f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"}
    return [
        f"response {name} is never uttered: no rule, story, form, FAQ intent or action uses it"
        for name in project.domain.get("responses", {})
        if name not in reachable
    ]


def no_example_in_two_intents(project: ProjectData) -> list[str]:
    """No training example (ignoring case, markup and end punctuation) is in two intents."""
    owner: dict[str, str] = {}
    problems = []
    for intent, texts in project.examples.items():
        for text in texts:
            key = example_key(text)
            if key in owner and owner[key] != intent:
                problems.append(f"'{text}' is an example of both {owner[key]} and {intent}")
            owner.setdefault(key, intent)
    return problems


def action_names(domain: dict[str, Any]) -> set[str]:
    """The custom actions a domain lists, each a name or ``{name: {send_domain: ...}}``."""
    names: set[str] = set()
    for entry in domain.get("actions", []):
        names.update(entry if isinstance(entry, dict) else [entry])
    return names


def form_slots_asked(project: ProjectData) -> list[str]:
    """Every slot a form requires has a question (a response or an ask action)."""
    responses = set(project.domain.get("responses", {}))
    actions = action_names(project.domain)
    problems = []
    for form, spec in project.domain.get("forms", {}).items():
        for slot in spec.get("required_slots", []):
            asks = {f"utter_ask_{form}_{slot}", f"utter_ask_{slot}"}
            ask_actions = {f"action_ask_{form}_{slot}", f"action_ask_{slot}"}
            if not (asks & responses or ask_actions & actions):
                problems.append(f"{form} never asks for {slot}: add utter_ask_{form}_{slot}")
    return problems


def entity_patterns_load() -> list[str]:
    """The entity patterns of the spaCy pipeline parse (bot/training/nlp/entity_patterns.yml)."""
    from bot.training.nlp.pipeline import PATTERNS_FILE, PatternsError, load_patterns

    try:
        load_patterns(PATTERNS_FILE)
    except PatternsError as error:
        return [f"{PATTERNS_FILE}: {error}"]
    return []


DATA_CHECKS: tuple[Callable[[ProjectData], list[str]], ...] = (
    faq_intents_complete,
    responses_reachable,
    no_example_in_two_intents,
    form_slots_asked,
)


def run_checks(project: ProjectData) -> list[str]:
    """Every problem the project's checks find; empty when all is well."""
    problems = [problem for check in DATA_CHECKS for problem in check(project)]
    return problems + entity_patterns_load()


# Loading the project files (the only I/O of this module).


def _yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def nlu_examples(files: Iterable[Path]) -> dict[str, list[str]]:
    """Training examples by full intent (``faq/<topic>``) from NLU YAML files."""
    examples: dict[str, list[str]] = {}
    for path in files:
        for block in _yaml(path).get("nlu", []) or []:
            if "intent" in block:
                lines = str(block.get("examples", "")).strip().splitlines()
                texts = [line.strip()[2:].strip() for line in lines if line.strip()]
                examples.setdefault(block["intent"], []).extend(texts)
    return examples


def _flow_actions(files: Iterable[Path]) -> set[str]:
    used = set()
    for path in files:
        content = _yaml(path)
        for flow in [*content.get("rules", []), *content.get("stories", [])]:
            used |= {step["action"] for step in flow.get("steps", []) if "action" in step}
    return used


def _tested_intents(root: Path) -> set[str]:
    tested = {row["expect"] for row in _yaml(root / "tests/model/paraphrases.yml") or []}
    for story in _yaml(root / "tests/test_stories.yml").get("stories", []):
        tested |= {step["intent"] for step in story.get("steps", []) if "intent" in step}
    return tested


def _code_responses(root: Path) -> set[str]:
    """Responses the custom actions utter: named in their code or built from lead fields.

    The lead form's validation action asks optional fields a visitor wants to
    change (``utter_ask_lead_form_<field>``) and refuses answers with
    ``utter_<field>_invalid_<reason>``.
    """
    from bot.leads.checks import REASONS
    from bot.leads.fields import EDITABLE_FIELDS

    named = set()
    for path in sorted((root / "actions").glob("*.py")):
        named |= set(_RESPONSE_NAME.findall(path.read_text(encoding="utf-8")))
    refusals = {f"utter_{slot}_invalid_{code}" for slot, codes in REASONS.items() for code in codes}
    changes = {f"utter_ask_lead_form_{slot}" for slot in EDITABLE_FIELDS}
    return named | refusals | changes


def load_project(root: Path = Path(".")) -> ProjectData:
    """Reads domain.yml, data/*.yml, the test data and the actions' code under ``root``."""
    data_files = sorted((root / "data").glob("*.yml"))
    return ProjectData(
        domain=_yaml(root / "domain.yml"),
        examples=nlu_examples(data_files),
        flow_actions=_flow_actions(data_files),
        tested_intents=_tested_intents(root),
        code_responses=_code_responses(root),
    )
