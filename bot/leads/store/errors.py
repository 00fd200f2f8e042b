"""The lead store's own exceptions, and the translation of database errors into them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DBAPIError, SQLAlchemyError


class LeadStoreError(Exception):
    """The lead store's database failed: unreachable, not migrated, or it refused a write.

    The transaction that failed was rolled back: nothing of it is stored.
    """


class LeadNotFound(LeadStoreError):  # noqa: N818  (the name the interface gives it)
    """No lead has the id asked for."""

    def __init__(self, lead_id: int) -> None:
        super().__init__(f"no lead has id {lead_id}")
        self.lead_id = lead_id


def describe(error: SQLAlchemyError) -> str:
    """The first line of the driver's message: no SQL, no parameters (they hold personal data)."""
    cause: BaseException = error.orig if isinstance(error, DBAPIError) else error
    lines = str(cause).strip().splitlines() or [""]
    return f"{type(cause).__name__}: {lines[0]}"


@contextmanager
def store_errors(action: str) -> Iterator[None]:
    """Raises :class:`LeadStoreError` for any SQLAlchemy error in the block.

    Args:
        action: what the block does, for the message ("could not <action>").
    """
    try:
        yield
    except SQLAlchemyError as error:
        raise LeadStoreError(f"could not {action}: {describe(error)}") from error
