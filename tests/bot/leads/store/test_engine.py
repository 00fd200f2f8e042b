"""create_engine_for: per-backend settings, and nothing connects until used."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from bot.leads.store import LeadStoreError, create_engine_for, upgrade_database
from bot.leads.store.tables import lead_request_keys, leads
from tests.bot.leads.conftest import START
from tests.conftest import free_port


def test_a_sqlite_engine_creates_the_folder_of_its_file(tmp_path: Path) -> None:
    database = tmp_path / "var" / "data" / "leads.db"

    engine = create_engine_for(f"sqlite:///{database}")

    assert database.parent.is_dir()
    assert not database.exists()  # nothing connected yet
    engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_use_wal_and_wait_when_busy(
    tmp_path: Path,
) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'leads.db'}")

    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("foreign_keys", "journal_mode", "busy_timeout")
        }

    assert pragmas == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 30_000}
    engine.dispose()


def test_sqlite_transactions_in_any_thread_reuse_one_kept_connection(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'leads.db'}")
    opened = []
    event.listen(engine, "connect", lambda connection, record: opened.append(connection))

    def count_leads() -> int:
        with engine.begin() as connection:
            return connection.execute(select(func.count()).select_from(leads)).scalar_one()

    upgrade_database(engine)
    with ThreadPoolExecutor(1) as other_thread:
        counts = [count_leads(), other_thread.submit(count_leads).result(), count_leads()]

    assert counts == [0, 0, 0]
    assert len(opened) == 1
    engine.dispose()


def test_sqlite_refuses_a_row_pointing_at_a_missing_lead(sqlite_engine: Engine) -> None:
    with pytest.raises(IntegrityError), sqlite_engine.begin() as connection:
        connection.execute(
            insert(lead_request_keys).values(request_key="k", lead_id=404, created_at=START)
        )


def test_a_postgresql_engine_pings_before_use_and_does_not_connect_yet() -> None:
    engine = create_engine_for(f"postgresql://postgres@127.0.0.1:{free_port()}/leads")

    assert engine.pool._pre_ping is True
    assert engine.dialect.name == "postgresql"
    engine.dispose()


@pytest.mark.parametrize("url", ["not a url", "nosuchdatabase://host/db"])
def test_an_unusable_url_raises_lead_store_error(url: str) -> None:
    with pytest.raises(LeadStoreError):
        create_engine_for(url)


def test_a_sqlite_folder_that_cannot_be_created_raises_lead_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")

    with pytest.raises(LeadStoreError, match="folder"):
        create_engine_for(f"sqlite:///{blocker / 'leads.db'}")
