"""Remembers which YAML contents passed Rasa's schema validation, across runs.

Reading its training files, Rasa validates each one against its pykwalify
schema on a round-trip (pure Python) parse: seconds of every ``rasa train``,
even when nothing is retrained and ``bot validate`` has just validated the
same files. A content that passed once passes again under the same Rasa: its
digest (with Rasa's version and the schema) is kept as an empty file, and
validating it again is skipped. Contents that fail are never remembered, so
Rasa's own error is raised each time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_FOLDER = Path("build/validated-yaml")


def content_digest(content: str, schema_path: str, rasa_version: str) -> str:
    """The key of one validation: Rasa's version, the schema and the content."""
    digest = hashlib.sha256()
    for part in (rasa_version, schema_path, content):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def remembering(
    validate: Callable[..., None], folder: Path, rasa_version: str
) -> Callable[..., None]:
    """``validate(content, schema_path, ...)`` that skips contents it validated before."""

    def validate_unless_known(content: str, schema_path: str, *args: Any, **kwargs: Any) -> None:
        marker = folder / content_digest(content, schema_path, rasa_version)
        if marker.exists():
            return
        validate(content, schema_path, *args, **kwargs)
        folder.mkdir(parents=True, exist_ok=True)
        marker.touch()

    return validate_unless_known


def remembering_validations(validate: Callable[..., None]) -> Callable[..., None]:
    """Rasa's ``validate_yaml_schema``, skipping contents that passed before
    (remembered in :data:`DEFAULT_FOLDER` of the working directory)."""
    from bot.rasa_patches.registry import installed_rasa_version

    return remembering(validate, DEFAULT_FOLDER.resolve(), installed_rasa_version() or "")
