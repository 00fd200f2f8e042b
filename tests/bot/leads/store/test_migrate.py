"""The packaged Alembic migrations: they build exactly the tables, idempotently."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

import pytest
import tomli
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect
from sqlalchemy.engine import Engine

from bot.leads.model import LeadKind, LeadSubmission
from bot.leads.store import LeadRepository, LeadStoreError, create_engine_for, upgrade_database
from bot.leads.store.engine import for_writing
from bot.leads.store.migrate import MIGRATIONS, VERSION_TABLE, alembic_config
from bot.leads.store.records import submission_values
from bot.leads.store.tables import deliveries, leads, metadata
from tests.bot.leads.conftest import START, STORE_TABLES
from tests.conftest import ROOT, free_port

HEAD = "0003"


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def test_the_migrated_schema_matches_the_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_the_migrations_create_every_index_of_the_tables(engine: Engine) -> None:
    inspector = inspect(engine)

    for table in metadata.sorted_tables:
        expected = {index.name for index in table.indexes}
        assert {index["name"] for index in inspector.get_indexes(table.name)} >= expected


def test_upgrading_an_up_to_date_database_changes_nothing(engine: Engine) -> None:
    upgrade_database(engine)
    upgrade_database(engine)

    assert current_revision(engine) == HEAD
    assert set(inspect(engine).get_table_names()) == {*STORE_TABLES, VERSION_TABLE}


def test_concurrent_upgrades_of_a_new_database_all_succeed(fresh_database_url: str) -> None:
    # every process (bot, worker, sales app) upgrades at start, possibly at once
    engine = create_engine_for(fresh_database_url)
    errors: list[BaseException] = []

    def upgrade() -> None:
        try:
            upgrade_database(engine)
        except LeadStoreError as error:
            errors.append(error)

    threads = [threading.Thread(target=upgrade) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert current_revision(engine) == HEAD
    engine.dispose()


UPGRADE_IN_A_PROCESS = """
import sys
from bot.leads.store import create_engine_for, upgrade_database
upgrade_database(create_engine_for(sys.argv[1]))
"""


def test_processes_upgrading_a_new_database_at_once_all_succeed(fresh_database_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE_IN_A_PROCESS, fresh_database_url],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    failures = [error for _, error in (process.communicate(timeout=120) for process in processes)]

    assert [process.returncode for process in processes] == [0] * 4, failures
    engine = create_engine_for(fresh_database_url)
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_the_downgrade_removes_every_table(scratch_engine: Engine) -> None:
    with scratch_engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")

    assert set(inspect(scratch_engine).get_table_names()) <= {VERSION_TABLE}
    upgrade_database(scratch_engine)
    assert current_revision(scratch_engine) == HEAD


def test_upgrading_from_0001_keeps_every_lead_and_delivery(
    fresh_database_url: str, make_submission: Callable[..., LeadSubmission]
) -> None:
    engine = create_engine_for(fresh_database_url)
    with for_writing(engine).begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        # only the columns 0001 has: no possible_duplicate_of nor kind yet
        values = submission_values(make_submission())
        del values["kind"]
        connection.execute(
            insert(leads).values(
                **values,
                status="new",
                notes="",
                version=1,
                created_at=START,
                updated_at=START,
            )
        )
        connection.execute(
            insert(deliveries).values(
                lead_id=1,
                channel="webhook",
                event="lead.created",
                idempotency_key="lead-1-v1-webhook",
                payload={},
                status="pending",
                attempts=0,
                next_attempt_at=START,
                created_at=START,
            )
        )

    upgrade_database(engine)

    repository = LeadRepository(engine)
    lead = repository.get(1)
    assert (lead.submission, lead.possible_duplicate_of) == (make_submission(), None)
    assert lead.submission.kind is LeadKind.TEAM  # every earlier lead asked for a team
    assert len(repository.deliveries(1)) == 1
    assert current_revision(engine) == HEAD
    engine.dispose()


def test_upgrading_an_unreachable_database_raises_lead_store_error() -> None:
    engine = create_engine_for(f"postgresql://postgres@127.0.0.1:{free_port()}/leads")

    with pytest.raises(LeadStoreError, match="could not migrate the lead store"):
        upgrade_database(engine)


def test_upgrading_a_database_from_an_unknown_revision_raises_lead_store_error(
    scratch_engine: Engine,
) -> None:
    with scratch_engine.begin() as connection:
        connection.exec_driver_sql(f"UPDATE {VERSION_TABLE} SET version_num = 'from-the-future'")

    with pytest.raises(LeadStoreError, match="from-the-future"):
        upgrade_database(scratch_engine)


def test_every_migration_file_ships_in_the_package() -> None:
    pyproject = tomli.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    shipped = [
        path.relative_to(ROOT / "bot").as_posix()
        for path in MIGRATIONS.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]

    assert {"leads/store/migrations/env.py", "leads/store/migrations/script.py.mako"} <= set(
        shipped
    )
    assert any(name.startswith("leads/store/migrations/versions/") for name in shipped)
    assert [name for name in shipped if not any(fnmatch(name, p) for p in patterns)] == []


def test_alembic_run_by_hand_migrates_the_configured_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = f"sqlite:///{tmp_path / 'configured.db'}"
    monkeypatch.setenv("DATABASE_URL", database_url)

    command.upgrade(alembic_config(), "head")  # no connection handed over: env.py opens one

    engine = create_engine_for(database_url)
    assert current_revision(engine) == HEAD
    engine.dispose()
