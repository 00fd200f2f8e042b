"""tracker_store_reachable: SELECT 1 on the tracker store's database, or no database."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import create_engine

from bot.rasa_plugins.stores.tracker_store_health import tracker_store_reachable
from tests.conftest import free_port


def test_a_store_whose_database_answers_is_reachable(tmp_path: Path):
    engine = create_engine(f"sqlite:///{tmp_path / 'tracker.db'}")

    assert asyncio.run(tracker_store_reachable(SimpleNamespace(engine=engine)))


def test_a_wrapped_store_is_asked_through_its_wrapper(tmp_path: Path):
    inner = SimpleNamespace(engine=create_engine(f"sqlite:///{tmp_path / 'tracker.db'}"))

    assert asyncio.run(tracker_store_reachable(SimpleNamespace(_tracker_store=inner)))


def test_a_store_without_a_database_is_reachable():
    assert asyncio.run(tracker_store_reachable(SimpleNamespace()))


def test_a_database_nobody_listens_for_is_unreachable():
    url = f"postgresql://postgres@127.0.0.1:{free_port()}/test?connect_timeout=1"

    assert not asyncio.run(tracker_store_reachable(SimpleNamespace(engine=create_engine(url))))
