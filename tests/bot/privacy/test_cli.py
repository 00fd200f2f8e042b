"""``bot leads purge`` and ``bot leads forget``: what they print and when they refuse."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.cli import main
from bot.leads.store import create_engine_for, upgrade_database
from tests.bot.privacy.test_erasure import ADA, GRACE, NOW, store_lead


@pytest.fixture
def environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("LEAD_SPOOL_PATH", str(tmp_path / "spool.jsonl"))
    engine = create_engine_for(url)
    upgrade_database(engine)
    store_lead(engine, "ada-1", ADA, "Ada Lovelace", NOW)
    engine.dispose()
    return url


def test_forget_prints_what_it_deleted(environment, capsys):
    assert main(["leads", "forget", "--dry-run", ADA]) == 0
    assert capsys.readouterr().out.startswith("would delete: 1 lead(s) with 2 delivery(ies)")
    assert main(["leads", "forget", ADA]) == 0
    assert capsys.readouterr().out.startswith("deleted: 1 lead(s)")
    assert main(["leads", "forget", ADA]) == 0
    assert capsys.readouterr().out.startswith("deleted: 0 lead(s)")


def test_purge_deletes_by_the_real_clock(tmp_path, monkeypatch, capsys):
    # The command reads the real clock, so the leads are dated by it too.
    url = f"sqlite:///{tmp_path / 'leads.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_STORE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("LEAD_SPOOL_PATH", str(tmp_path / "spool.jsonl"))
    engine = create_engine_for(url)
    upgrade_database(engine)
    now = datetime.now(timezone.utc)
    store_lead(engine, "ada-1", ADA, "Ada Lovelace", now - timedelta(hours=1))
    store_lead(engine, "grace-1", GRACE, "Grace Hopper", now - timedelta(days=3))
    engine.dispose()
    assert main(["leads", "purge", "--days", "2"]) == 0
    assert "deleted: 1 lead(s)" in capsys.readouterr().out
    assert main(["leads", "purge", "--days", "2"]) == 0
    assert "deleted: 0 lead(s)" in capsys.readouterr().out


@pytest.mark.parametrize("days", ["0", "-3", "a week"])
def test_purge_refuses_a_period_that_is_not_whole_days(days, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["leads", "purge", "--days", days])
    assert exit_.value.code == 2
    assert "--days" in capsys.readouterr().err


def test_an_unreachable_lead_store_is_an_error_that_deletes_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/test")
    monkeypatch.setenv("TRACKER_STORE_URL", "memory")
    monkeypatch.setenv("LEAD_SPOOL_PATH", str(tmp_path / "spool.jsonl"))
    assert main(["leads", "forget", ADA]) == 1
    assert "nothing of that store was deleted" in capsys.readouterr().err
