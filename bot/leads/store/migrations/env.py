"""Alembic's environment for the lead store: migrates the connection it is handed.

:func:`bot.leads.store.migrate.upgrade_database` passes its connection (in a
transaction) through ``config.attributes["connection"]``; without one (a
developer running Alembic by hand) the ``DATABASE_URL`` setting is opened.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.leads.store.migrate import VERSION_TABLE
from bot.leads.store.tables import metadata


def run_migrations(connection: Connection) -> None:
    """Runs the pending migrations on ``connection``."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_on_configured_database() -> None:
    """Runs the migrations on the database of the ``DATABASE_URL`` setting."""
    from bot.leads.store.engine import create_engine_for, for_writing
    from bot.settings import load_settings

    engine = create_engine_for(load_settings().database_url)
    try:
        with for_writing(engine).begin() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


handed_over = context.config.attributes.get("connection")
if handed_over is not None:
    run_migrations(handed_over)
else:
    run_on_configured_database()
