"""Leads link to an earlier lead of the same email from another conversation.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07

Written to match bot/leads/store/tables.py (tests/bot/leads/store/test_migrate.py compares them).
A new submission from another conversation no longer revises a lead with the
same email: it is stored as a lead of its own, linked to that one for sales.
The link is a plain column: adding a foreign key on SQLite means copying the
table, and dropping the original would cascade to its deliveries.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Adds the nullable link and its index."""
    op.add_column("leads", sa.Column("possible_duplicate_of", sa.Integer(), nullable=True))
    op.create_index("ix_leads_possible_duplicate_of", "leads", ["possible_duplicate_of"])


def downgrade() -> None:
    """Drops the link (SQLite drops a column from version 3.35)."""
    op.drop_index("ix_leads_possible_duplicate_of", table_name="leads")
    op.drop_column("leads", "possible_duplicate_of")
