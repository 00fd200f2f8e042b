"""The value a parser returns when the visitor's answer cannot be used."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Invalid:
    """An unusable answer and why: ``code`` names the response that explains it."""

    code: str
