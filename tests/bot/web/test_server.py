"""``python -m bot.web`` refuses to start without a token, except in dev mode."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import Engine

from bot.leads.store import create_engine_for
from tests.bot.web.sales.conftest import (
    error_of,
    server_environment,
    start_server,
    stop_server,
    wait_for_health,
)
from tests.conftest import ROOT, free_port

TOKEN_LINE = re.compile(r"API token is: (\S+)")


def rename_table(engine: Engine, old: str, new: str) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")


def run_briefly(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.web"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("dev_mode", [None, "false"])
def test_the_server_refuses_to_start_without_a_token(tmp_path: Path, dev_mode: str | None) -> None:
    overrides = {"SALES_DEV_MODE": dev_mode} if dev_mode else {}
    database_url = f"sqlite:///{tmp_path / 'leads.db'}"

    result = run_briefly(server_environment(database_url, free_port(), **overrides))

    assert result.returncode == 2
    assert "SALES_API_TOKEN is not set" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "leads.db").exists()


def test_a_blank_token_counts_as_none(tmp_path: Path) -> None:
    environment = server_environment(
        f"sqlite:///{tmp_path / 'leads.db'}", free_port(), SALES_API_TOKEN="   "
    )

    assert run_briefly(environment).returncode == 2


@pytest.fixture(scope="module")
def dev_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A server in dev mode without a token: its URL, the printed token and its log."""
    folder = tmp_path_factory.mktemp("dev-server")
    database = folder / "leads.db"
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = folder / "server.log"
    environment = server_environment(f"sqlite:///{database}", port, SALES_DEV_MODE="true")
    process = start_server(environment, log)
    try:
        wait_for_health(base_url, process, log)
        match = TOKEN_LINE.search(log.read_text())
        assert match, log.read_text()
        yield base_url, match.group(1), database
    finally:
        stop_server(process)


def test_dev_mode_makes_up_a_token_and_prints_it_once(
    dev_server: tuple[str, str, Path],
) -> None:
    _, token, database = dev_server
    log = (database.parent / "server.log").read_text()

    assert len(token) >= 32
    assert log.count(token) == 1


def test_the_dev_mode_token_opens_the_api(dev_server: tuple[str, str, Path]) -> None:
    base_url, token, _ = dev_server

    with_token = httpx.get(f"{base_url}/api/leads", headers={"Authorization": f"Bearer {token}"})
    without = httpx.get(f"{base_url}/api/leads")

    assert with_token.status_code == 200
    assert with_token.json()["leads"] == []
    assert without.status_code == 401


def test_a_failing_database_answers_503_without_details(
    dev_server: tuple[str, str, Path],
) -> None:
    base_url, token, database = dev_server
    engine = create_engine_for(f"sqlite:///{database}")
    rename_table(engine, "leads", "leads_gone")
    try:
        health = httpx.get(f"{base_url}/health")
        listing = httpx.get(f"{base_url}/api/leads", headers={"Authorization": f"Bearer {token}"})
    finally:
        rename_table(engine, "leads_gone", "leads")
        engine.dispose()

    for response in (health, listing):
        assert response.status_code == 503
        error = error_of(response)
        assert error["code"] == "database_unavailable"
        assert "leads" not in error["message"]
        assert "sqlite" not in response.text.lower()
