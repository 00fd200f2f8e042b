"""The lead store's schema as SQLAlchemy Core tables.

The migrations in ``migrations/versions`` create exactly this schema (a test
compares them); change both together.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from bot.leads.model import LeadStatus

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

LEAD_STATUSES = tuple(status.value for status in LeadStatus)
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class UtcDateTime(TypeDecorator):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps ``timestamp with time zone``; SQLite has no time zones, so
    the UTC wall time is stored and UTC is attached again when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """Converts to UTC (naive values are taken as UTC already)."""
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Returns a timezone-aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


metadata = MetaData(naming_convention=NAMING_CONVENTION)

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("conversation_id", Text, nullable=False),
    # the latest request key; lead_request_keys holds every key of the lead
    Column("request_key", Text, nullable=False),
    Column("roles", JSON, nullable=False),
    Column("team_size", Integer, nullable=False),
    Column("seniority", JSON, nullable=False),
    Column("tech_stack", JSON, nullable=False),
    Column("engagement_model", Text, nullable=False),
    Column("start_text", Text, nullable=False),
    Column("start_date", Date, nullable=True),
    Column("duration", Text, nullable=True),
    Column("budget", Text, nullable=True),
    Column("name", Text, nullable=False),
    Column("email", Text, nullable=False),
    # the email lower-cased, for the case-insensitive match of a resubmission
    Column("email_key", Text, nullable=False),
    Column("company", Text, nullable=False),
    Column("phone", Text, nullable=True),
    Column("consent_text", Text, nullable=False),
    Column("consent_given_at", UtcDateTime, nullable=False),
    Column("page_url", Text, nullable=True),
    Column("transcript", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("notes", Text, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # The id of an earlier lead of the same email from another conversation
    # (migration 0002). A plain column, not a foreign key: SQLite can add a
    # constraint only by copying the table, which would cascade the copy's
    # deletion to every delivery. erasure.delete_leads empties links it breaks.
    Column("possible_duplicate_of", Integer, nullable=True, index=True),
    # team, callback or candidate (migration 0003; LeadKind). No CHECK
    # constraint: SQLite adds one only by copying the table.
    Column("kind", String(20), nullable=False, server_default="team"),
    CheckConstraint(_one_of("status", LEAD_STATUSES), name="status"),
    CheckConstraint("version >= 1", name="version"),
    Index(None, "created_at"),
    Index(None, "status", "created_at"),
    Index(None, "conversation_id", "updated_at"),
    Index(None, "email_key", "updated_at"),
)

lead_request_keys = Table(
    "lead_request_keys",
    metadata,
    Column("request_key", Text, primary_key=True),
    Column(
        "lead_id",
        Integer,
        ForeignKey("leads.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("created_at", UtcDateTime, nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "lead_id",
        Integer,
        ForeignKey("leads.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("channel", String(50), nullable=False),
    Column("event", String(50), nullable=False),
    Column("idempotency_key", Text, nullable=False, unique=True),
    Column("payload", JSON, nullable=False),
    Column("status", String(20), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("lease_owner", Text, nullable=True),
    Column("lease_until", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("delivered_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint(_one_of("status", DELIVERY_STATUSES), name="status"),
    Index(None, "status", "next_attempt_at"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "delivery_id",
        Integer,
        ForeignKey("deliveries.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("number", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("ok", Boolean, nullable=False),
    Column("detail", Text, nullable=False),
    UniqueConstraint("delivery_id", "number"),
)
