"""Leads have a kind: a team, a call back, or a candidate's profile.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

Written to match bot/leads/store/tables.py (tests/bot/leads/store/test_migrate.py compares them).
Every lead stored before is a team request. A call back may come without a
team size or an email: those NOT NULL columns then hold 0 and "" (records.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Adds the kind, "team" for every lead so far."""
    op.add_column("leads", sa.Column("kind", sa.String(20), nullable=False, server_default="team"))


def downgrade() -> None:
    """Drops the kind (SQLite drops a column from version 3.35)."""
    op.drop_column("leads", "kind")
