"""Rasa's warning about FAQ examples without a response, ignored.

The FAQ answers are plain responses (``utter_faq_<topic>``, see
``bot.answers.faq.topics``), so Rasa warns once per FAQ example (hundreds of lines) that
its retrieval intent has no response. Rasa's command line puts "once" for every
``UserWarning`` at the front of the warning filters
(``rasa.utils.common._filter_warnings``), so a filter set beforehand (or in
``PYTHONWARNINGS``) would never be reached: the ignore filter goes in after.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

# Rasa's warning for each retrieval intent example without a response in the NLU data.
NO_RESPONSE_WARNING = r"Your training data contains an example '.*' for the 'faq/"


def ignoring_faq_examples_without_response(
    set_up: Callable[..., None],
) -> Callable[..., None]:
    """Rasa's ``_filter_warnings``, then an ignore filter for :data:`NO_RESPONSE_WARNING`."""

    def set_up_then_ignore(*args: Any, **kwargs: Any) -> None:
        set_up(*args, **kwargs)
        warnings.filterwarnings("ignore", message=NO_RESPONSE_WARNING, category=UserWarning)

    return set_up_then_ignore
