"""A failing database: every method raises LeadStoreError and nothing is half-written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.leads.model import LeadStatus, LeadSubmission
from bot.leads.store import LeadRepository, LeadStoreError, Outbox, create_engine_for
from bot.leads.store.tables import lead_request_keys, leads
from tests.conftest import free_port

MakeSubmission = Callable[..., LeadSubmission]
PRIVATE_NAME = "Grace Confidential-Hopper"


def rows_in(engine: Engine, table: object) -> int:
    """How many rows a table holds."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def drop_outbox(engine: Engine) -> None:
    """Drops the delivery tables, as a botched manual change might."""
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE delivery_attempts")
        connection.exec_driver_sql("DROP TABLE deliveries")


@pytest.fixture(params=["postgres-closed-port", "sqlite-unopenable-file"])
def unreachable(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    """An engine whose database cannot be reached or opened."""
    if request.param == "postgres-closed-port":
        return create_engine_for(f"postgresql://postgres@127.0.0.1:{free_port()}/leads")
    return create_engine_for(f"sqlite:///{tmp_path}")  # a folder, not a file


def test_every_repository_method_raises_lead_store_error_when_the_database_is_down(
    unreachable: Engine, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(unreachable, channels=("webhook",))
    calls: list[Callable[[], object]] = [
        lambda: repository.submit(make_submission()),
        lambda: repository.get(1),
        lambda: repository.list(),
        lambda: repository.count(),
        lambda: repository.update(1, status=LeadStatus.CLOSED),
        lambda: repository.deliveries(1),
    ]

    for call in calls:
        with pytest.raises(LeadStoreError):
            call()


def test_every_outbox_method_raises_lead_store_error_when_the_database_is_down(
    unreachable: Engine,
) -> None:
    outbox = Outbox(unreachable)
    calls: list[Callable[[], object]] = [
        lambda: outbox.claim_due(worker_id="worker-a"),
        lambda: outbox.record_success(1, detail="ok"),
        lambda: outbox.record_failure(1, detail="no", retry_at=None),
        lambda: outbox.attempts(1),
        outbox.pending_count,
        outbox.failed_count,
        outbox.requeue_failed,
    ]

    for call in calls:
        with pytest.raises(LeadStoreError):
            call()


def test_a_database_without_the_schema_raises_lead_store_error(
    fresh_database_url: str, make_submission: MakeSubmission
) -> None:
    engine = create_engine_for(fresh_database_url)  # never migrated

    with pytest.raises(LeadStoreError, match="could not store the lead"):
        LeadRepository(engine).submit(make_submission())
    with pytest.raises(LeadStoreError, match="could not claim due deliveries"):
        Outbox(engine).claim_due(worker_id="worker-a")
    engine.dispose()


def test_a_failed_submit_writes_neither_lead_nor_delivery(
    scratch_engine: Engine, make_submission: MakeSubmission
) -> None:
    drop_outbox(scratch_engine)
    repository = LeadRepository(scratch_engine, channels=("webhook",))

    with pytest.raises(LeadStoreError):
        repository.submit(make_submission())

    assert (rows_in(scratch_engine, leads), rows_in(scratch_engine, lead_request_keys)) == (0, 0)
    assert repository.count() == 0


def test_a_failed_update_by_resubmission_leaves_the_lead_as_it_was(
    scratch_engine: Engine, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(scratch_engine)
    lead_id = repository.submit(make_submission()).lead_id
    drop_outbox(scratch_engine)
    with_channel = LeadRepository(scratch_engine, channels=("webhook",))

    with pytest.raises(LeadStoreError):
        with_channel.submit(make_submission(request_key="request-2", team_size=8))

    lead = repository.get(lead_id)
    assert (lead.version, lead.submission) == (1, make_submission())
    assert rows_in(scratch_engine, lead_request_keys) == 1


def test_the_error_message_names_the_failure_but_no_personal_data(
    scratch_engine: Engine, make_submission: MakeSubmission
) -> None:
    drop_outbox(scratch_engine)
    repository = LeadRepository(scratch_engine, channels=("webhook",))

    with pytest.raises(LeadStoreError) as raised:
        repository.submit(make_submission(name=PRIVATE_NAME))

    assert str(raised.value).startswith("could not store the lead: ")
    assert "deliveries" in str(raised.value)
    assert PRIVATE_NAME not in str(raised.value)
    assert PRIVATE_NAME not in str(raised.value.__cause__)
