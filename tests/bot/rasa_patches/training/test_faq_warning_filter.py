"""bot.rasa_patches.training.faq_warning_filter: rasa train keeps quiet about FAQ
examples without a response, and only about those."""

from __future__ import annotations

import logging
import warnings

import rasa.utils.common
from rasa.shared.utils.io import raise_warning

from bot.rasa_patches.training.faq_warning_filter import ignoring_faq_examples_without_response


def test_rasa_train_keeps_quiet_about_faq_examples_without_response():
    set_up = ignoring_faq_examples_without_response(rasa.utils.common._filter_warnings)
    with warnings.catch_warnings(record=True) as caught:
        set_up(log_level=logging.INFO)  # as Rasa's CLI does
        raise_warning(
            "Your training data contains an example 'who is the employ...' for the"
            " 'faq/legal_employer' intent. You either need to add a response phrase"
        )
        raise_warning(
            "Your training data contains an example 'hi...' for the 'chitchat/hi' intent."
        )
        raise_warning("Intent 'greet' has only 3 training examples!")
    assert [str(warning.message)[:40] for warning in caught] == [
        "Your training data contains an example '",
        "Intent 'greet' has only 3 training examp",
    ]
