"""bot.rasa_patches.turn.domain_emptiness: Rasa's answer, computed once per domain."""

from __future__ import annotations

import pytest
from rasa.shared.core.domain import Domain

from bot.rasa_patches.turn.domain_emptiness import ANSWER_ATTRIBUTE, RASAS_IS_EMPTY, is_empty
from tests.conftest import ROOT


@pytest.mark.parametrize(
    "domain",
    [
        Domain.empty(),
        Domain.from_dict({"intents": ["greet"]}),
        Domain.load(str(ROOT / "domain.yml")),
    ],
    ids=["empty", "one intent", "the project's"],
)
def test_the_answer_is_rasas_and_is_kept(domain: Domain) -> None:
    expected = RASAS_IS_EMPTY(domain)
    assert is_empty(domain) is expected
    assert domain.__dict__[ANSWER_ATTRIBUTE] is expected
    assert is_empty(domain) is expected  # asked again: the kept answer


def test_only_an_empty_domain_is_empty() -> None:
    assert is_empty(Domain.empty())
    assert not is_empty(Domain.load(str(ROOT / "domain.yml")))
