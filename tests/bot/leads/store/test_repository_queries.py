"""LeadRepository's reads and the sales team's changes, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from bot.leads.model import LeadStatus, LeadSubmission
from bot.leads.store import LeadNotFound, LeadRepository, LeadStoreError
from tests.bot.leads.conftest import START, Clock

MakeSubmission = Callable[..., LeadSubmission]


def submit_leads(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission, how_many: int
) -> list[int]:
    """Stores ``how_many`` unrelated leads an hour apart; returns their ids, oldest first."""
    ids = []
    for number in range(how_many):
        submission = make_submission(
            conversation_id=f"conversation-{number}",
            request_key=f"request-{number}",
            email=f"visitor{number}@example.com",
        )
        ids.append(repository.submit(submission).lead_id)
        clock.advance(hours=1)
    return ids


@pytest.fixture
def repository(engine: Engine, clock: Clock) -> LeadRepository:
    """A repository with one delivery channel and the test's clock."""
    return LeadRepository(engine, channels=("webhook",), clock=clock)


def test_get_of_an_unknown_id_raises_lead_not_found(repository: LeadRepository) -> None:
    with pytest.raises(LeadNotFound) as raised:
        repository.get(404)

    assert raised.value.lead_id == 404
    assert isinstance(raised.value, LeadStoreError)


def test_list_returns_the_newest_lead_first(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 3)

    assert [lead.id for lead in repository.list()] == ids[::-1]


def test_leads_created_at_the_same_time_are_listed_by_id_descending(
    repository: LeadRepository, make_submission: MakeSubmission
) -> None:
    ids = [
        repository.submit(
            make_submission(conversation_id=f"c{n}", request_key=f"r{n}", email=f"v{n}@example.com")
        ).lead_id
        for n in range(3)
    ]

    assert [lead.id for lead in repository.list()] == sorted(ids, reverse=True)


def test_list_filters_by_status(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 4)
    repository.update(ids[1], status=LeadStatus.QUALIFIED)
    repository.update(ids[3], status=LeadStatus.QUALIFIED)

    qualified = repository.list(status=LeadStatus.QUALIFIED)

    assert [lead.id for lead in qualified] == [ids[3], ids[1]]
    assert [lead.id for lead in repository.list(status=LeadStatus.NEW)] == [ids[2], ids[0]]
    assert repository.list(status=LeadStatus.CLOSED) == []
    assert repository.count(status=LeadStatus.QUALIFIED) == 2


def test_created_from_is_inclusive_and_created_to_exclusive(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 4)  # at START + 0h, 1h, 2h, 3h
    window = {"created_from": START + timedelta(hours=1), "created_to": START + timedelta(hours=3)}

    assert [lead.id for lead in repository.list(**window)] == [ids[2], ids[1]]
    assert repository.count(**window) == 2
    assert repository.count(created_from=START + timedelta(hours=3)) == 1
    assert repository.count(created_to=START) == 0


def test_creation_times_are_the_windows_leads_oldest_first_in_utc(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    submit_leads(repository, clock, make_submission, 4)  # at START + 0h, 1h, 2h, 3h
    window = {"created_from": START + timedelta(hours=1), "created_to": START + timedelta(hours=3)}

    times = repository.creation_times(**window)

    assert times == [START + timedelta(hours=1), START + timedelta(hours=2)]
    assert all(moment.utcoffset() == timedelta(0) for moment in times)
    assert len(repository.creation_times()) == 4


def test_time_filters_compare_instants_across_time_zones(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 2)
    second_in_new_york = datetime.fromisoformat("2024-05-02T07:00:00-04:00")  # START + 1h

    assert [lead.id for lead in repository.list(created_from=second_in_new_york)] == [ids[1]]


def test_limit_and_offset_page_through_the_leads(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 5)
    newest_first = ids[::-1]

    pages = [
        [lead.id for lead in repository.list(limit=2, offset=offset)] for offset in (0, 2, 4, 6)
    ]

    assert pages == [newest_first[0:2], newest_first[2:4], newest_first[4:], []]
    assert repository.count() == 5
    assert repository.list(limit=0) == []


def test_list_rejects_a_negative_limit_or_offset(repository: LeadRepository) -> None:
    with pytest.raises(ValueError, match="negative"):
        repository.list(limit=-1)
    with pytest.raises(ValueError, match="negative"):
        repository.list(offset=-1)


def test_list_rejects_a_naive_time(repository: LeadRepository) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        repository.list(created_from=datetime(2024, 5, 2))


def test_listed_leads_equal_what_get_returns(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    ids = submit_leads(repository, clock, make_submission, 2)

    assert repository.list() == [repository.get(lead_id) for lead_id in ids[::-1]]


def test_update_sets_status_and_notes_and_bumps_updated_at_only(
    repository: LeadRepository, clock: Clock, make_submission: MakeSubmission
) -> None:
    lead_id = repository.submit(make_submission()).lead_id
    later = clock.advance(days=1)

    updated = repository.update(
        lead_id, status=LeadStatus.CONTACTED, notes="Called; <b>call back</b> Friday"
    )

    assert updated == repository.get(lead_id)
    assert (updated.status, updated.notes) == (
        LeadStatus.CONTACTED,
        "Called; <b>call back</b> Friday",
    )
    assert (updated.version, updated.created_at, updated.updated_at) == (1, START, later)
    assert updated.submission == make_submission()


def test_update_enqueues_no_delivery(
    repository: LeadRepository, make_submission: MakeSubmission
) -> None:
    lead_id = repository.submit(make_submission()).lead_id

    repository.update(lead_id, status=LeadStatus.CLOSED, notes="won")

    assert [delivery.event for delivery in repository.deliveries(lead_id)] == ["lead.created"]


def test_update_keeps_what_it_is_not_given(
    repository: LeadRepository, make_submission: MakeSubmission
) -> None:
    lead_id = repository.submit(make_submission()).lead_id
    repository.update(lead_id, status=LeadStatus.QUALIFIED, notes="budget confirmed")

    only_notes = repository.update(lead_id, notes="")
    only_status = repository.update(lead_id, status=LeadStatus.CLOSED)

    assert (only_notes.status, only_notes.notes) == (LeadStatus.QUALIFIED, "")
    assert (only_status.status, only_status.notes) == (LeadStatus.CLOSED, "")


def test_update_of_an_unknown_id_raises_lead_not_found(repository: LeadRepository) -> None:
    with pytest.raises(LeadNotFound):
        repository.update(404, status=LeadStatus.CONTACTED)


def test_deliveries_of_an_unknown_lead_are_none(repository: LeadRepository) -> None:
    assert repository.deliveries(404) == []
