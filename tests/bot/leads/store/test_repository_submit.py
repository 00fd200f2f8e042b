"""LeadRepository.submit on SQLite and PostgreSQL: create, repeat, update, windows, duplicates,
races."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from bot.leads.model import LeadStatus, LeadSubmission, TranscriptTurn
from bot.leads.serialize import lead_to_dict
from bot.leads.store import LeadRepository
from bot.leads.store.erasure import delete_leads
from bot.leads.store.tables import deliveries, lead_request_keys, leads
from tests.bot.leads.conftest import START, Clock

MakeSubmission = Callable[..., LeadSubmission]
CHANNELS = ("webhook", "email")


def rows_in(engine: Engine, table: object) -> int:
    """How many rows a table holds."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_submit_creates_a_new_lead_with_one_delivery_per_channel(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS, clock=clock)
    submission = make_submission()

    outcome = repository.submit(submission)

    lead = repository.get(outcome.lead_id)
    assert (outcome.action, outcome.version) == ("created", 1)
    assert lead.submission == submission
    assert (lead.status, lead.notes, lead.version) == (LeadStatus.NEW, "", 1)
    assert lead.created_at == lead.updated_at == START
    created = repository.deliveries(outcome.lead_id)
    assert outcome.delivery_ids == tuple(delivery.id for delivery in created)
    assert [(d.channel, d.event, d.status, d.attempts) for d in created] == [
        ("webhook", "lead.created", "pending", 0),
        ("email", "lead.created", "pending", 0),
    ]
    assert [d.idempotency_key for d in created] == [
        f"lead-{lead.id}-v1-webhook",
        f"lead-{lead.id}-v1-email",
    ]
    assert all(d.payload == lead_to_dict(lead) for d in created)
    assert all(d.next_attempt_at == START for d in created)


def test_submit_without_channels_stores_the_lead_and_enqueues_nothing(
    engine: Engine, make_submission: MakeSubmission
) -> None:
    outcome = LeadRepository(engine).submit(make_submission())

    assert outcome.action == "created"
    assert outcome.delivery_ids == ()
    assert rows_in(engine, deliveries) == 0


def test_submitting_the_same_request_again_leaves_the_lead_unchanged(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS, clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=5)
    longer_transcript = (
        *make_submission().transcript,
        TranscriptTurn("visitor", "yes, send it", clock.now),
    )

    again = repository.submit(
        make_submission(transcript=longer_transcript, consent_given_at=clock.now)
    )

    assert again.lead_id == first.lead_id
    assert (again.action, again.version, again.delivery_ids) == ("unchanged", 1, ())
    lead = repository.get(first.lead_id)
    assert lead.submission == make_submission()
    assert lead.updated_at == START
    assert rows_in(engine, deliveries) == len(CHANNELS)


def test_changed_content_under_the_same_request_key_updates_the_lead(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS, clock=clock)
    first = repository.submit(make_submission())
    later = clock.advance(hours=5)  # the window does not matter for a held request key
    changed = make_submission(team_size=5, phone=None, roles=("Go developer",))

    outcome = repository.submit(changed)

    assert (outcome.lead_id, outcome.action, outcome.version) == (first.lead_id, "updated", 2)
    lead = repository.get(first.lead_id)
    assert lead.submission == changed
    assert (lead.version, lead.created_at, lead.updated_at) == (2, START, later)
    updates = [d for d in repository.deliveries(first.lead_id) if d.id in outcome.delivery_ids]
    assert [(d.channel, d.event, d.idempotency_key) for d in updates] == [
        ("webhook", "lead.updated", f"lead-{lead.id}-v2-webhook"),
        ("email", "lead.updated", f"lead-{lead.id}-v2-email"),
    ]
    assert all(d.payload == lead_to_dict(lead) for d in updates)
    assert updates[0].payload["version"] == 2
    assert rows_in(engine, leads) == 1


def test_a_new_request_of_the_same_conversation_within_the_window_updates_the_lead(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",), clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=29)
    second_run = make_submission(request_key="request-2", team_size=4)

    outcome = repository.submit(second_run)
    repeat = repository.submit(second_run)

    assert (outcome.lead_id, outcome.action, outcome.version) == (first.lead_id, "updated", 2)
    assert (repeat.lead_id, repeat.action) == (first.lead_id, "unchanged")
    assert repository.get(first.lead_id).submission == second_run
    assert rows_in(engine, leads) == 1
    assert rows_in(engine, lead_request_keys) == 2


def test_a_new_request_of_the_same_conversation_after_the_window_creates_a_new_lead(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",), clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=30, seconds=1)

    outcome = repository.submit(make_submission(request_key="request-2", team_size=4))

    assert outcome.action == "created"
    assert outcome.lead_id != first.lead_id
    assert repository.get(first.lead_id).submission.team_size == 3


def test_the_update_window_counts_from_the_last_change_of_the_lead(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=20)
    repository.submit(make_submission(team_size=4))
    clock.advance(minutes=25)  # 45 minutes after creation, 25 after the last change

    outcome = repository.submit(make_submission(request_key="request-2", team_size=6))

    assert (outcome.lead_id, outcome.action, outcome.version) == (first.lead_id, "updated", 3)


def test_an_injected_update_window_replaces_the_default(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, update_window=timedelta(minutes=5), clock=clock)
    repository.submit(make_submission())
    clock.advance(minutes=6)

    outcome = repository.submit(make_submission(request_key="request-2", team_size=4))

    assert outcome.action == "created"


def test_another_conversation_with_the_same_email_gets_a_new_lead_linked_to_the_first(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",), clock=clock)
    first = repository.submit(make_submission(email="Ada@Example.com"))
    clock.advance(minutes=10)
    from_someone_else = make_submission(
        conversation_id="conversation-2",
        request_key="request-9",
        email="ADA@EXAMPLE.COM",
        name="Mallory",
        transcript=(TranscriptTurn("visitor", "ADA@EXAMPLE.COM", clock.now),),
    )

    outcome = repository.submit(from_someone_else)

    assert outcome.action == "created"
    assert outcome.lead_id != first.lead_id
    untouched = repository.get(first.lead_id)
    assert untouched.submission == make_submission(email="Ada@Example.com")
    assert (untouched.version, untouched.updated_at, untouched.possible_duplicate_of) == (
        1,
        START,
        None,
    )
    second = repository.get(outcome.lead_id)
    assert second.submission == from_someone_else
    assert second.possible_duplicate_of == first.lead_id
    [delivery] = repository.deliveries(outcome.lead_id)
    assert (delivery.event, delivery.payload["possible_duplicate_of"]) == (
        "lead.created",
        first.lead_id,
    )
    assert [d.event for d in repository.deliveries(first.lead_id)] == ["lead.created"]


def test_a_possible_duplicate_links_to_the_lead_its_match_duplicates(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    original = repository.submit(make_submission())
    clock.advance(minutes=20)
    second = repository.submit(
        make_submission(conversation_id="conversation-2", request_key="request-2")
    )
    clock.advance(minutes=20)  # 40 minutes after the original, 20 after the second

    third = repository.submit(
        make_submission(conversation_id="conversation-3", request_key="request-3")
    )

    assert repository.get(second.lead_id).possible_duplicate_of == original.lead_id
    assert repository.get(third.lead_id).possible_duplicate_of == original.lead_id
    assert rows_in(engine, leads) == 3


def test_the_same_conversation_revises_its_lead_and_keeps_its_link(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=5)
    second = repository.submit(
        make_submission(conversation_id="conversation-2", request_key="request-2")
    )
    clock.advance(minutes=5)

    revised = repository.submit(
        make_submission(conversation_id="conversation-2", request_key="request-3", team_size=7)
    )

    assert (revised.lead_id, revised.action, revised.version) == (second.lead_id, "updated", 2)
    lead = repository.get(second.lead_id)
    assert (lead.submission.team_size, lead.possible_duplicate_of) == (7, first.lead_id)
    assert repository.get(first.lead_id).submission.team_size == 3


def test_deleting_the_first_lead_empties_the_link_of_its_duplicate(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",), clock=clock)
    first = repository.submit(make_submission())
    second = repository.submit(
        make_submission(conversation_id="conversation-2", request_key="request-2")
    )

    delete_leads(engine, [first.lead_id])

    assert repository.get(second.lead_id).possible_duplicate_of is None
    assert len(repository.deliveries(second.lead_id)) == 1


def test_the_same_email_after_the_window_creates_a_new_lead(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    repository.submit(make_submission())
    clock.advance(hours=2)

    outcome = repository.submit(
        make_submission(conversation_id="conversation-2", request_key="request-2")
    )

    assert outcome.action == "created"
    assert repository.get(outcome.lead_id).possible_duplicate_of is None
    assert rows_in(engine, leads) == 2


def test_another_visitor_within_the_window_gets_a_lead_of_their_own(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    first = repository.submit(make_submission())

    other = repository.submit(
        make_submission(
            conversation_id="conversation-2", request_key="request-2", email="bob@example.org"
        )
    )

    assert other.action == "created"
    assert other.lead_id != first.lead_id
    assert repository.get(other.lead_id).possible_duplicate_of is None


def test_the_most_recently_updated_matching_lead_absorbs_a_new_request(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, update_window=timedelta(hours=1), clock=clock)
    older = repository.submit(make_submission(email="one@example.com"))
    clock.advance(minutes=2)
    newer = repository.submit(
        make_submission(request_key="request-2", email="two@example.com", duration="1 year")
    )
    clock.advance(minutes=2)

    outcome = repository.submit(make_submission(request_key="request-3", email="two@example.com"))

    assert newer.lead_id == older.lead_id  # same conversation: absorbed as well
    assert (outcome.lead_id, outcome.action) == (older.lead_id, "updated")


def test_the_same_content_under_a_new_request_key_is_unchanged_and_holds_the_key(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",), clock=clock)
    first = repository.submit(make_submission())
    clock.advance(minutes=1)

    outcome = repository.submit(make_submission(request_key="request-2"))
    clock.advance(hours=3)
    changed_later = repository.submit(make_submission(request_key="request-2", team_size=9))

    assert (outcome.lead_id, outcome.action, outcome.delivery_ids) == (
        first.lead_id,
        "unchanged",
        (),
    )
    assert (changed_later.lead_id, changed_later.action) == (first.lead_id, "updated")


def test_the_sales_state_of_a_lead_survives_a_resubmission(
    engine: Engine, clock: Clock, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, clock=clock)
    lead_id = repository.submit(make_submission()).lead_id
    repository.update(lead_id, status=LeadStatus.CONTACTED, notes="called on Monday")

    repository.submit(make_submission(budget="$60k per month"))

    lead = repository.get(lead_id)
    assert (lead.status, lead.notes, lead.version) == (LeadStatus.CONTACTED, "called on Monday", 2)


def test_concurrent_submits_of_one_request_key_create_exactly_one_lead(
    engine: Engine, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=CHANNELS)
    submission = make_submission()
    threads = 8
    start = threading.Barrier(threads)
    outcomes = []

    def submit() -> None:
        start.wait()
        outcomes.append(repository.submit(submission))

    workers = [threading.Thread(target=submit) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    assert Counter(outcome.action for outcome in outcomes) == {"created": 1, "unchanged": 7}
    assert len({outcome.lead_id for outcome in outcomes}) == 1
    assert (rows_in(engine, leads), rows_in(engine, lead_request_keys)) == (1, 1)
    assert rows_in(engine, deliveries) == len(CHANNELS)


def test_text_that_looks_like_html_or_sql_is_stored_verbatim(
    engine: Engine, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))
    hostile = make_submission(
        name="Robert'); DROP TABLE leads;--",
        company="<script>alert(1)</script>",
        start_text="next week\"; DELETE FROM deliveries WHERE '1'='1",
        roles=('<b>lead</b> & "architect"',),
        duration="%s %(name)s {0} \\x00 $1",
        transcript=(TranscriptTurn("visitor", "<img src=x onerror=alert(1)>", START),),
    )

    outcome = repository.submit(hostile)

    lead = repository.get(outcome.lead_id)
    assert lead.submission == hostile
    [delivery] = repository.deliveries(outcome.lead_id)
    assert delivery.payload["name"] == "Robert'); DROP TABLE leads;--"
    assert delivery.payload["company"] == "<script>alert(1)</script>"
    assert rows_in(engine, leads) == 1


def test_nul_characters_are_dropped_on_every_backend(
    engine: Engine, make_submission: MakeSubmission
) -> None:
    repository = LeadRepository(engine, channels=("webhook",))
    unstorable = make_submission(name="Ada\x00 Lovelace", roles=("Go\x00",), budget="\udcff 10k")

    outcome = repository.submit(unstorable)
    repeat = repository.submit(unstorable)

    submission = repository.get(outcome.lead_id).submission
    assert (submission.name, submission.roles, submission.budget) == (
        "Ada Lovelace",
        ("Go",),
        "? 10k",
    )
    assert repeat.action == "unchanged"
    [delivery] = repository.deliveries(outcome.lead_id)
    assert delivery.payload["name"] == "Ada Lovelace"
