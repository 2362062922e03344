"""Booking and tracking: the change feed's cursor and lease, booking holds, texts about a repair
waiting to be handed to the text-message service, and satisfaction survey answers (R45)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class FeedCursorRow(Base):
    """Where we are in a backend change feed. The lease lets one worker pull at a time; the
    cursor moves in the same transaction as the changes it covers."""

    __tablename__ = "feed_cursors"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    lease_holder: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    synced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # "last updated"


class AppointmentHoldRow(Base):
    """One booking request at a time per repair: a double submit never reaches the backend
    twice. A hold past `held_until` belongs to a request that died and may be taken."""

    __tablename__ = "appointment_holds"

    repair_id: Mapped[int] = mapped_column(
        ForeignKey("repairs.id", ondelete="CASCADE"), primary_key=True
    )
    holder: Mapped[str] = mapped_column(String(40))
    held_until: Mapped[datetime] = mapped_column(UtcDateTime())


class TenantNoticeRow(Base):
    """A text about a repair (no access, completed, book now) stored with the change that
    caused it, then handed to the text-message service by a worker, once per dedupe key."""

    __tablename__ = "tenant_notices"
    __table_args__ = (Index("ix_tenant_notices_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    dedupe_key: Mapped[str] = mapped_column(String(120), unique=True)
    slot_day: Mapped[date | None] = mapped_column(Date)
    slot_kind: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(10))  # pending / claimed / done / dropped
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))


class SurveyResponseRow(Base):
    """R45: one answer per repair, kept for the satisfaction measure."""

    __tablename__ = "survey_responses"
    __table_args__ = (CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repair_id: Mapped[int] = mapped_column(
        ForeignKey("repairs.id", ondelete="CASCADE"), unique=True
    )
    score: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str] = mapped_column(String(500), default="")
    channel: Mapped[str] = mapped_column(String(10))  # online / assisted (R41, R44)
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
