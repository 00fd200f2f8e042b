"""The bench's peer project and its process probes."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

from bench.peer import with_retrieval_responses
from bench.processes import cpu_seconds_by_process, free_port, listens_on, spawn, stop
from bot.answers.faq.topics import load_topics

ROOT = Path(__file__).resolve().parents[2]


def test_the_peer_gets_our_faq_answers_under_rasas_retrieval_names():
    ours = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))["responses"]
    peers = yaml.safe_load(with_retrieval_responses((ROOT / "domain.yml").read_text("utf-8")))
    for topic in load_topics().values():
        assert peers["responses"][f"utter_{topic.intent}"] == ours[topic.response]
        assert topic.response not in peers["responses"]
    assert len(peers["responses"]) == len(ours)


def test_a_process_listens_once_its_socket_is_bound(tmp_path):
    port = free_port()
    script = (
        "import socket, time; s = socket.socket(); time.sleep(0.5);"
        f" s.bind(('127.0.0.1', {port})); s.listen(); time.sleep(30)"
    )
    running = spawn("listener", [sys.executable, "-c", script], tmp_path / "log", {}, tmp_path)
    try:
        assert not listens_on(running, port)
        deadline = time.monotonic() + 10
        while not listens_on(running, port) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert listens_on(running, port)
        assert not listens_on(running, free_port())
    finally:
        stop(running)


def test_two_processes_with_one_command_line_are_counted_apart(tmp_path):
    # Each child spins until it has used 0.3 s of CPU itself, however busy the
    # machine is, then leaves a file named by its pid and idles.
    busy = (
        "import os, sys, time\n"
        "while time.process_time() < 0.3: pass\n"
        "open(os.path.join(sys.argv[1], str(os.getpid())), 'w').close()\n"
        "time.sleep(30)"
    )
    parent = (
        "import subprocess, sys, time\n"
        f"children = [subprocess.Popen([sys.executable, '-c', {busy!r}, sys.argv[1]])"
        " for _ in range(2)]\n"
        "time.sleep(30)"
    )
    done = tmp_path / "done"
    done.mkdir()
    command = [sys.executable, "-c", parent, str(done)]
    running = spawn("parent", command, tmp_path / "log", {}, tmp_path)
    try:
        deadline = time.monotonic() + 60
        while len(list(done.iterdir())) < 2:
            assert time.monotonic() < deadline, "the children never finished their work"
            time.sleep(0.05)
        processes = cpu_seconds_by_process(running)
    finally:
        stop(running)
    children = {int(path.name) for path in done.iterdir()}
    assert len({processes[pid][0] for pid in children}) == 1  # one command line
    # Clock ticks round down: 0.3 s of CPU reads at least 0.29 s.
    assert all(processes[pid][1] >= 0.29 for pid in children)
