"""validated_yaml_cache (bot.rasa_patches.training): a content that passed Rasa's schema check
is not checked again."""

from __future__ import annotations

import pytest
from rasa.shared.utils.validation import YamlValidationException, validate_yaml_schema

from bot.rasa_patches.training.validated_yaml_cache import content_digest, remembering

NLU_SCHEMA = "shared/nlu/training_data/schemas/nlu.yml"
GOOD = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: |\n    - hi\n'
BAD = 'version: "3.1"\nnlu:\n- intent: greet\n  examples: 3\n'


def counting(calls: list[str]):
    def validate(content: str, schema_path: str) -> None:
        calls.append(content)
        validate_yaml_schema(content, schema_path)

    return validate


def test_a_content_that_passed_is_not_validated_again(tmp_path):
    calls: list[str] = []
    validate = remembering(counting(calls), tmp_path, "3.6.21")
    validate(GOOD, NLU_SCHEMA)
    validate(GOOD, NLU_SCHEMA)
    assert calls == [GOOD]
    again = remembering(counting(calls), tmp_path, "3.6.21")  # a later run
    again(GOOD, NLU_SCHEMA)
    assert calls == [GOOD]


def test_a_failing_content_fails_every_time(tmp_path):
    calls: list[str] = []
    validate = remembering(counting(calls), tmp_path, "3.6.21")
    for _ in range(2):
        with pytest.raises(YamlValidationException):
            validate(BAD, NLU_SCHEMA)
    assert calls == [BAD, BAD]
    assert not list(tmp_path.iterdir())


def test_another_rasa_or_schema_validates_again():
    digest = content_digest(GOOD, NLU_SCHEMA, "3.6.21")
    assert digest != content_digest(GOOD, NLU_SCHEMA, "3.6.22")
    assert digest != content_digest(GOOD, "shared/utils/schemas/domain.yml", "3.6.21")
    assert digest != content_digest(GOOD + "\n", NLU_SCHEMA, "3.6.21")
