"""bench.soak's report: what ran, and the first limit the load reached."""

from __future__ import annotations

import collections

from bench.soak import CORES, SoakResult, write_report


def result(rasa_processes: int, cores_by_service: dict[str, float], machine: float) -> SoakResult:
    return SoakResult(
        visitors=200,
        seconds=300,
        latencies=[0.5, 1.0],
        statuses=collections.Counter({200: 2}),
        machine_cores=machine,
        cores_by_service=cores_by_service,
        rasa_processes=rasa_processes,
    )


def test_one_busy_rasa_process_is_the_first_limit(tmp_path):
    text = write_report(result(1, {"Rasa server": 0.99}, 1.3), [], tmp_path / "soak.md")
    assert "one Rasa process)" in text
    assert "the Rasa server, one Python process on one core (0.99 cores)" in text


def test_several_rasa_processes_on_a_busy_machine_name_the_machine(tmp_path):
    busy = 0.985 * CORES
    services = {"Rasa server 1": 0.75, "Rasa server 2": 0.77}
    text = write_report(result(2, services, busy), [], tmp_path / "soak.md")
    assert "2 Rasa processes on one port, locks in Redis" in text
    assert f"the machine, {busy:.2f} of its {CORES} cores busy" in text
    assert "| cores used: Rasa server 2 | 0.77 |" in text
