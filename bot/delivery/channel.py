"""What every delivery channel offers the worker, and how a channel fails."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.leads.store import Delivery


class DeliveryError(Exception):
    """A channel could not hand a delivery over.

    Args:
        detail: a short, human-readable reason, stored with the attempt.
        retryable: False only when trying again cannot help (the delivery
            itself is unusable); the worker then gives up at once.
    """

    def __init__(self, detail: str, retryable: bool = True) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable


class Channel(Protocol):
    """One way of getting a lead to sales (a webhook, an email inbox, ...).

    ``name`` matches :attr:`Delivery.channel` of the deliveries it sends.
    """

    name: str

    async def send(self, delivery: Delivery) -> str:
        """Hands one delivery over.

        Returns:
            A short detail of the success (e.g. ``"HTTP 200"``).

        Raises:
            DeliveryError: the delivery did not get through.
        """
        ...

    async def aclose(self) -> None:
        """Releases the channel's connections; the channel is unusable after."""
        ...
