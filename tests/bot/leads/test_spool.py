"""The lead spool: confirmed leads kept on disk, in order, until the store takes them."""

from __future__ import annotations

import multiprocessing
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.leads.model import LeadSubmission
from bot.leads.spool import LeadSpool, SpoolError
from bot.leads.store.errors import LeadStoreError
from tests.bot.leads.conftest import default_submission

MakeSubmission = Callable[..., LeadSubmission]


def lead(number: int, email: str = "ada@example.com") -> LeadSubmission:
    return default_submission(request_key=f"request-{number}", email=email)


def test_a_kept_lead_reads_back_whole(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "spool" / "leads.jsonl")
    assert spool.is_empty()
    spool.keep(lead(1))
    assert not spool.is_empty()
    assert spool.pending() == [lead(1)]


def test_the_spool_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "leads.jsonl")
    spool.keep(lead(1))
    assert stat.S_IMODE(spool.path.stat().st_mode) == 0o600


def test_drain_hands_the_leads_over_in_order_and_empties_the_spool(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "leads.jsonl")
    for number in range(3):
        spool.keep(lead(number))
    stored: list[LeadSubmission] = []
    result = spool.drain(stored.append)
    assert (result.stored, result.still_kept) == (3, 0)
    assert stored == [lead(0), lead(1), lead(2)]
    assert spool.is_empty()
    assert not spool.path.exists()


def test_drain_stops_at_the_first_failure_and_keeps_the_rest_in_order(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "leads.jsonl")
    for number in range(4):
        spool.keep(lead(number))
    stored: list[LeadSubmission] = []

    def store_two_then_fail(submission: LeadSubmission) -> None:
        if len(stored) == 2:
            raise LeadStoreError("could not store the lead: the database is away")
        stored.append(submission)

    result = spool.drain(store_two_then_fail)
    assert (result.stored, result.still_kept) == (2, 2)
    assert spool.pending() == [lead(2), lead(3)]


def test_a_line_cut_short_by_a_crash_is_set_aside_and_the_rest_stored(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "leads.jsonl")
    spool.keep(lead(1))
    with spool.path.open("a", encoding="utf-8") as file:
        file.write('{"kept_at": "2026-12-03T10:00:00+00:00", "submiss')  # never confirmed
    stored: list[LeadSubmission] = []
    result = spool.drain(stored.append)
    assert (result.stored, result.still_kept, result.unreadable) == (1, 0, 1)
    assert stored == [lead(1)]
    assert (tmp_path / "leads.jsonl.unreadable").read_text().startswith('{"kept_at"')


def test_forget_removes_one_persons_leads_only(tmp_path: Path) -> None:
    spool = LeadSpool(tmp_path / "leads.jsonl")
    spool.keep(lead(1, "ada@example.com"))
    spool.keep(lead(2, "grace@example.com"))
    spool.keep(lead(3, "ADA@example.com "))
    assert spool.forget("Ada@Example.com") == 2
    assert spool.pending() == [lead(2, "grace@example.com")]
    assert "ada@" not in spool.path.read_text().lower()


def test_keep_reports_a_spool_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    with pytest.raises(SpoolError):
        LeadSpool(blocker / "leads.jsonl").keep(lead(1))


def keep_many(path: str, first: int, count: int) -> None:
    spool = LeadSpool(Path(path))
    for number in range(first, first + count):
        spool.keep(lead(number))


def test_processes_keeping_leads_at_once_lose_none(tmp_path: Path) -> None:
    path = tmp_path / "leads.jsonl"
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=keep_many, args=(str(path), first, 25)) for first in (0, 100, 200)
    ]
    for worker in workers:
        worker.start()
    stored: list[LeadSubmission] = []
    LeadSpool(path).drain(stored.append)  # draining while they append
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    LeadSpool(path).drain(stored.append)
    keys = sorted(submission.request_key for submission in stored)
    expected = sorted(f"request-{first + n}" for first in (0, 100, 200) for n in range(25))
    assert keys == expected
