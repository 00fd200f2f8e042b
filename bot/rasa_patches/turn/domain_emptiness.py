"""Whether a loaded ``Domain`` is empty, decided once instead of on every message.

Before each message's intent and entities are checked against the domain,
Rasa 3.6 asks ``Domain.is_empty()``, which serialises the whole domain (with
every response of the project) and an empty one, and compares the two, for an
answer that cannot change once
the model is loaded (a ``Domain`` is not changed after it is built; merging
makes a new one).
"""

from __future__ import annotations

from rasa.shared.core.domain import Domain

RASAS_IS_EMPTY = Domain.is_empty
# Where a domain keeps the answer.
ANSWER_ATTRIBUTE = "_is_empty_answer"


def is_empty(self: Domain) -> bool:
    """Rasa's ``Domain.is_empty``, computed the first time it is asked."""
    answer = self.__dict__.get(ANSWER_ATTRIBUTE)
    if answer is None:
        answer = self.__dict__[ANSWER_ATTRIBUTE] = RASAS_IS_EMPTY(self)
    return bool(answer)
