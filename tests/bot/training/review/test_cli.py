"""bot review end to end: a recorded log in a real tracker store, the file, apply, stories."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.training.project_checks import nlu_examples
from tests.bot.training.review.conftest import FIXTURES
from tests.conftest import ROOT

EXPECTED_REVIEW = FIXTURES / "expected_review.yml"
PROJECT_FILES = ("domain.yml", "data/nlu.yml", "data/nlu_lead.yml", "data/rules.yml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's domain and data, as the working directory."""
    for name in PROJECT_FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def review(store_url: str, output: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("TRACKER_STORE_URL", store_url)
    args = ["review", "--since", "2026-11-11", "--until", "2026-11-11", "--output", str(output)]
    assert main(args) == 0
    return output.read_text(encoding="utf-8")


@pytest.mark.parametrize("store", ["sqlite_tracker_store", "postgres_tracker_store"])
def test_the_recorded_log_gives_the_expected_review_file(store, request, tmp_path, monkeypatch):
    store_url = request.getfixturevalue(store)
    written = review(store_url, tmp_path / "review.yml", monkeypatch)
    assert written == EXPECTED_REVIEW.read_text(encoding="utf-8")


def test_messages_outside_the_window_are_not_reviewed(sqlite_tracker_store, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", sqlite_tracker_store)
    output = tmp_path / "review.yml"
    assert (
        main(["review", "--since", "2026-11-12", "--until", "2026-11-20", "--output", str(output)])
        == 0
    )
    assert yaml.safe_load(output.read_text(encoding="utf-8"))["groups"] == []


def decide(review_text: str, decisions: dict[int, dict[str, str]]) -> str:
    """The review file with a maintainer's decisions filled in."""
    document = yaml.safe_load(review_text)
    for group in document["groups"]:
        group.update(decisions.get(group["group"], {}))
    return yaml.safe_dump(document, sort_keys=False)


MAINTAINER_DECISIONS = {
    1: {"decision": "accept", "intent": "out_of_scope"},  # we do not audit smart contracts
    2: {"decision": "drop"},  # a gap in the articles, not an intent
    4: {"decision": "drop"},
    6: {"decision": "accept"},  # the suggestion, hire_developers, is right
}


def test_apply_adds_exactly_the_accepted_examples_then_nothing(project, capsys):
    before = {name: (project / name).read_text(encoding="utf-8") for name in PROJECT_FILES}
    examples_before = nlu_examples([project / "data/nlu.yml", project / "data/nlu_lead.yml"])
    decided = project / "review.yml"
    decided.write_text(decide(EXPECTED_REVIEW.read_text(), MAINTAINER_DECISIONS))

    assert main(["review", "apply", str(decided)]) == 0
    assert "3 examples added, 0 already there, 0 conflicts, 3 groups still pending" in (
        capsys.readouterr().out
    )
    examples_after = nlu_examples([project / "data/nlu.yml", project / "data/nlu_lead.yml"])
    added = {
        intent: texts[len(examples_before.get(intent, [])) :]
        for intent, texts in examples_after.items()
        if texts != examples_before.get(intent)
    }
    assert added == {
        "out_of_scope": ["do you audit smart contracts?", "Do you audit smart contract code"],
        "hire_developers": ["how fast can a team start working"],
    }
    for name in PROJECT_FILES:  # every old line is still there, in order: only insertions
        old, new = before[name].splitlines(), (project / name).read_text().splitlines()
        assert [line for line in new if line in set(old)] == old, name

    after_first = {name: (project / name).read_text(encoding="utf-8") for name in PROJECT_FILES}
    assert main(["review", "apply", str(decided)]) == 0
    assert "0 examples added, 3 already there" in capsys.readouterr().out
    assert {name: (project / name).read_text() for name in PROJECT_FILES} == after_first


def test_apply_refuses_an_unknown_intent_and_writes_nothing(project):
    before = (project / "data/nlu.yml").read_text()
    decided = project / "review.yml"
    decided.write_text(
        decide(EXPECTED_REVIEW.read_text(), {1: {"decision": "accept", "intent": "audits"}})
    )
    with pytest.raises(SystemExit, match=r"unknown intents .*'audits'"):
        main(["review", "apply", str(decided)])
    assert (project / "data/nlu.yml").read_text() == before


def test_apply_refuses_a_file_that_is_not_a_review(project):
    (project / "review.yml").write_text("groups: []\n")
    with pytest.raises(SystemExit, match="not a review file"):
        main(["review", "apply", "review.yml"])


def test_stories_exports_conversations_without_personal_data(
    sqlite_tracker_store, project, monkeypatch, capsys
):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

    monkeypatch.setenv("TRACKER_STORE_URL", sqlite_tracker_store)
    output = project / "tests" / "test_stories.yml"
    assert main(["review", "stories", "visitor-c", "visitor-e", "--output", str(output)]) == 0
    text = output.read_text(encoding="utf-8")
    assert "jane@acme.example" not in text  # typed outside the form: text dropped
    assert "2 backend developers" not in text  # an answer to the form: text dropped
    assert "how fast can a team start working" in text
    steps = YAMLStoryReader(Domain.load("domain.yml")).read_from_file(output)
    assert {step.block_name for step in steps} == {
        "conversation visitor-c",
        "conversation visitor-e",
    }

    assert main(["review", "stories", "visitor-c", "--output", str(output)]) == 0
    assert "0 test stories appended" in capsys.readouterr().out.splitlines()[-1]
    assert output.read_text(encoding="utf-8") == text


def test_stories_of_an_unknown_conversation_is_an_error(sqlite_tracker_store, project, monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", sqlite_tracker_store)
    with pytest.raises(SystemExit, match="no such conversation"):
        main(["review", "stories", "nobody"])


def test_review_of_a_memory_tracker_store_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("TRACKER_STORE_URL", "memory")
    with pytest.raises(SystemExit, match="'memory': no conversation is kept"):
        main(["review"])


def test_apply_knows_intents_listed_with_properties(project):
    domain = project / "domain.yml"
    domain.write_text(
        domain.read_text().replace(
            "intents:\n", "intents:\n  - audits:\n      use_entities: []\n", 1
        )
    )
    decided = project / "review.yml"
    decided.write_text(
        decide(EXPECTED_REVIEW.read_text(), {1: {"decision": "accept", "intent": "audits"}})
    )
    assert main(["review", "apply", str(decided)]) == 0
    assert nlu_examples([project / "data/nlu.yml"])["audits"][0] == "do you audit smart contracts?"
