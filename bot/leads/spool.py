"""The lead spool: confirmed leads kept on disk while the lead store's database is away.

A lead the visitor confirmed must never be lost. When the database cannot
take it, :meth:`LeadSpool.keep` appends it to a JSON-lines file and fsyncs
it before the bot says "received"; :meth:`LeadSpool.drain` later hands the
kept leads, oldest first, to the store and removes those it took. Storing is
idempotent by the lead's request key, so a lead handed over twice (a crash
between storing and rewriting the file) is still one lead.

Every change happens under an exclusive lock on a separate ``.lock`` file, so
processes sharing the spool's folder take turns. The file holds personal
data: it is created readable by its owner only, and :meth:`forget` removes
one person's leads from it.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.leads.model import LeadSubmission
from bot.leads.serialize import iso_time, submission_from_dict, submission_to_dict
from bot.leads.store.errors import LeadStoreError
from bot.leads.store.records import email_key, utc_now

logger = logging.getLogger(__name__)
PRIVATE_FILE_MODE = 0o600


class SpoolError(Exception):
    """The spool's file could not be written: the lead is not kept."""


@dataclass(frozen=True)
class DrainResult:
    """What one :meth:`LeadSpool.drain` did."""

    stored: int
    still_kept: int
    unreadable: int = 0


class LeadSpool:
    """An append-only, fsynced file of confirmed leads waiting for the database.

    Args:
        path: the spool file; its folder is created when needed. Unreadable lines
            (never confirmed: a crash mid-write) move to ``<path>.unreadable``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_path = path.with_name(path.name + ".lock")
        self._unreadable_path = path.with_name(path.name + ".unreadable")

    def is_empty(self) -> bool:
        """Whether no lead is waiting (a cheap check: one ``stat``)."""
        try:
            return self.path.stat().st_size == 0
        except (FileNotFoundError, NotADirectoryError):
            return True

    def keep(self, submission: LeadSubmission) -> None:
        """Appends the lead and returns once it is on disk.

        Raises:
            SpoolError: the file could not be written or synced.
        """
        line = json.dumps(
            {"kept_at": iso_time(utc_now()), "submission": submission_to_dict(submission)},
            ensure_ascii=False,
        )
        try:
            with self._locked():
                self._append_lines(self.path, [line])
        except OSError as error:
            raise SpoolError(f"could not keep the lead in {self.path}: {error}") from error

    def pending(self) -> list[LeadSubmission]:
        """The leads waiting, oldest first (unreadable lines left out)."""
        with self._locked():
            return [submission for submission, _ in self._read()[0]]

    def drain(self, store: Callable[[LeadSubmission], object]) -> DrainResult:
        """Hands the waiting leads to ``store`` in order, removing each it takes.

        Stops at the first :class:`LeadStoreError` (the database is still away):
        that lead and the later ones stay, in order.
        """
        with self._locked():
            if self.is_empty():
                return DrainResult(stored=0, still_kept=0)
            readable, unreadable = self._read()
            stored = 0
            for submission, _ in readable:
                try:
                    store(submission)
                except LeadStoreError as error:
                    logger.warning("The lead store is still away (%s): leads stay kept", error)
                    break
                stored += 1
            self._rewrite([line for _, line in readable[stored:]])
            self._set_aside(unreadable)
        if stored:
            logger.info("Stored %d kept lead(s); %d still kept", stored, len(readable) - stored)
        return DrainResult(stored, len(readable) - stored, len(unreadable))

    def forget(self, email: str) -> int:
        """Removes the waiting leads of one email address; returns how many."""
        with self._locked():
            readable, _ = self._read()
            kept = [
                line
                for submission, line in readable
                if email_key(submission.email) != email_key(email)
            ]
            if len(kept) != len(readable):
                self._rewrite(kept)
            return len(readable) - len(kept)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)

    def _read(self) -> tuple[list[tuple[LeadSubmission, str]], list[str]]:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return [], []
        readable, unreadable = [], []
        for line in text.splitlines():
            if not line.strip():
                continue
            try:
                readable.append((submission_from_dict(_record(line)["submission"]), line))
            except (KeyError, TypeError, ValueError):
                unreadable.append(line)
        return readable, unreadable

    def _rewrite(self, lines: list[str]) -> None:
        if not lines:
            self.path.unlink(missing_ok=True)
            _sync_folder(self.path.parent)
            return
        draft = self.path.with_name(self.path.name + ".draft")
        draft.unlink(missing_ok=True)
        self._append_lines(draft, lines)
        os.replace(draft, self.path)
        _sync_folder(self.path.parent)

    def _set_aside(self, lines: list[str]) -> None:
        if lines:
            logger.error("%d unreadable line(s) of the lead spool set aside", len(lines))
            self._append_lines(self._unreadable_path, lines)

    @staticmethod
    def _append_lines(path: Path, lines: list[str]) -> None:
        created = not path.exists()
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        with os.fdopen(os.open(path, flags, PRIVATE_FILE_MODE), "ab") as file:
            file.write("".join(f"{line}\n" for line in lines).encode("utf-8"))
            file.flush()
            os.fsync(file.fileno())
        if created:
            _sync_folder(path.parent)


def _record(line: str) -> dict[str, Any]:
    record = json.loads(line)
    if not isinstance(record, dict):
        raise TypeError("a spool line must be a JSON object")
    return record


def _sync_folder(folder: Path) -> None:
    """Makes a file's creation, rename or removal in ``folder`` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
