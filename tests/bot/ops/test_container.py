"""bot serve and bot healthcheck: one service per container."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.ops.stack import single_service
from bot.settings import Settings
from tests.conftest import ROOT, free_port


def bot(*arguments: str, environment: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *arguments],
        cwd=ROOT,
        env=environment or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_each_service_name_picks_its_process(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # single_service writes Rasa's endpoints file under build/run/
    settings = Settings(actions_port=6001, web_port=8001)
    assert "bot.ops.action_server" in single_service(settings, None, "actions").command
    assert single_service(settings, None, "actions").health_url == "http://127.0.0.1:6001/health"
    assert single_service(settings, None, "web").health_url == "http://127.0.0.1:8001/health"
    assert single_service(settings, None, "delivery").command[-1] == "deliver"
    rasa = single_service(settings, Path("models/m.tar.gz"), "rasa")
    assert rasa.command[rasa.command.index("--model") + 1] == "models/m.tar.gz"


def test_a_container_runs_one_rasa_process():
    with pytest.raises(ValueError, match="one Rasa process per container"):
        single_service(Settings(rasa_workers=2), Path("m.tar.gz"), "rasa")


def test_the_web_app_needs_its_token():
    environment = {**os.environ, "SALES_API_TOKEN": ""}
    result = bot("serve", "web", environment=environment)
    assert result.returncode != 0
    assert "SALES_API_TOKEN" in result.stderr


def test_serve_becomes_the_service_and_healthcheck_follows_it(tmp_path):
    port, health_file = free_port(), tmp_path / "health-url"
    environment = {
        **os.environ,
        "ACTIONS_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/l.db",
    }
    command = [sys.executable, "-m", "bot", "serve", "actions", "--health-file", str(health_file)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            # The file first: without it, healthcheck finds nothing to check and says healthy.
            written = health_file.exists()
            if written and bot("healthcheck", "--health-file", str(health_file)).returncode == 0:
                break
            time.sleep(0.3)
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes().split(b"\0")
        assert b"bot.ops.action_server" in cmdline  # the same process, now the action server
    finally:
        process.terminate()
        process.wait(timeout=15)
    result = bot("healthcheck", "--health-file", str(health_file))
    assert result.returncode == 1
    assert "unhealthy" in result.stderr


def test_a_service_without_a_health_url_is_healthy_while_it_runs(tmp_path):
    (tmp_path / "health-url").write_text("")
    assert bot("healthcheck", "--health-file", str(tmp_path / "health-url")).returncode == 0


def test_healthcheck_stops_a_service_that_stopped_answering_but_not_one_still_starting(
    tmp_path,
):
    port, health_file = free_port(), tmp_path / "health-url"
    environment = {
        **os.environ,
        "ACTIONS_PORT": str(port),
        "DATABASE_URL": f"sqlite:///{tmp_path}/l.db",
    }
    command = [sys.executable, "-m", "bot", "serve", "actions", "--health-file", str(health_file)]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stderr=subprocess.DEVNULL)
    check = ["healthcheck", "--health-file", str(health_file), "--stop-after", "1"]
    try:
        deadline = time.monotonic() + 60
        while not health_file.exists() or bot(*check).returncode != 0:
            assert process.poll() is None  # unanswered while starting: not counted
            assert time.monotonic() < deadline
            time.sleep(0.3)
        os.kill(process.pid, signal.SIGSTOP)  # as good as hung
        check[-1] = "2"
        assert bot(*check, "--timeout", "1").returncode == 1
        assert process.poll() is None
        stopped = bot(*check, "--timeout", "1")
        assert stopped.returncode == 1
        assert "stopping the service" in stopped.stderr
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
