"""count_probe: a hang is a run of unanswered probes; an answer clears the count."""

from __future__ import annotations

from pathlib import Path

from bot.ops.supervision.health_watch import count_probe
from bot.ops.supervision.restart_policy import RestartCount, RestartPolicy
from bot.ops.supervision.service import RunningService, Service

POLICY = RestartPolicy(failed_probes_to_restart=3)


def running() -> RunningService:
    service = Service("Rasa server", ["rasa", "run"])
    # The counting never touches the process.
    return RunningService(service, None, Path("rasa.log"), RestartCount(POLICY), False)  # type: ignore[arg-type]


def test_three_unanswered_probes_in_a_row_mark_the_process_unresponsive_from_the_first():
    process = running()
    for started in (10.0, 15.0):
        count_probe(process, False, started, POLICY)
    assert not process.unresponsive.is_set()

    count_probe(process, False, 20.0, POLICY)

    assert process.unresponsive.is_set()
    assert (process.failed_probes, process.failing_since) == (3, 10.0)


def test_an_answer_between_failures_starts_the_count_again():
    process = running()
    for answered, started in ((False, 1.0), (False, 2.0), (True, 3.0), (False, 4.0), (False, 5.0)):
        count_probe(process, answered, started, POLICY)

    assert not process.unresponsive.is_set()
    assert (process.failed_probes, process.failing_since) == (2, 4.0)
