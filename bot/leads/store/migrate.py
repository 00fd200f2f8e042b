"""Creates or upgrades the lead store's schema with the migrations shipped in the package."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.util.exc import CommandError
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from bot.leads.store.engine import for_writing
from bot.leads.store.errors import LeadStoreError, store_errors

MIGRATIONS = Path(__file__).resolve().with_name("migrations")
# A table name of its own, so the lead store can share a database with other apps.
VERSION_TABLE = "lead_store_version"
# Serialises concurrent upgrades on PostgreSQL (the bot, the worker and the
# sales app all upgrade at start); SQLite's BEGIN IMMEDIATE does it there.
_POSTGRESQL_LOCK_KEY = 0x1EAD_5707E
# Alembic keeps its running migration in module globals: one at a time per process.
_ALEMBIC_LOCK = threading.Lock()


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, built in code (no ini file).

    Args:
        connection: the connection ``env.py`` migrates; without it, ``env.py``
            opens the database of the ``DATABASE_URL`` setting.
    """
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade_database(engine: Engine) -> None:
    """Brings the schema to the newest migration; idempotent, safe at every start.

    Raises:
        LeadStoreError: the database is unreachable or the migration failed
            (it is rolled back as a whole).
    """
    with (
        _ALEMBIC_LOCK,
        store_errors("migrate the lead store"),
        for_writing(engine).begin() as connection,
    ):
        if connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(_POSTGRESQL_LOCK_KEY)))
        try:
            command.upgrade(alembic_config(connection), "head")
        except CommandError as error:
            raise LeadStoreError(f"could not migrate the lead store: {error}") from error
