"""Repairs: our record and read copy of each repair, its timeline, photos, report drafts, the
outbox that raises jobs in the housing system exactly once, and tenancy snapshots.

- `repairs` is the system of record for what the tenant reported (R11, R44) and the read copy
  of what the backend says (status, appointment, completion), so tracking pages never call it.
- `repair_events` is the timeline: codes only (no free text), so it can be shown to the tenant
  and kept for measures (R45) without leaking anything.
- `outbox` rows are written in the same transaction as the repair; a worker (or the web request
  that just submitted) claims each one atomically and acts on it once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime

# Sizes follow the backend's limits: 255 for description and access notes (R18), 30 for
# backend references (repairs.refs).
REF = 30


class RepairRow(Base):
    __tablename__ = "repairs"
    __table_args__ = (Index("ix_repairs_tenancy_ref_reported_at", "tenancy_ref", "reported_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)  # RR-XXXXXX, unguessable
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)  # idempotency, EXT_REF
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock for updates
    tenancy_ref: Mapped[str] = mapped_column(String(REF))
    property_ref: Mapped[str] = mapped_column(String(REF))
    triage_path: Mapped[str] = mapped_column(String(130))  # location/problem/detail keys
    sor_code: Mapped[str] = mapped_column(String(10))
    trade: Mapped[str] = mapped_column(String(20))
    priority: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(String(255))
    access_notes: Mapped[str] = mapped_column(String(255), default="")  # R27: never in a text
    contact_mobile: Mapped[str | None] = mapped_column(String(16))  # E.164 (R26)
    channel: Mapped[str] = mapped_column(String(10))  # R44: online / assisted
    actor_kind: Mapped[str] = mapped_column(String(10))  # R41: tenant / staff
    staff_id: Mapped[str | None] = mapped_column(String(64))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())  # R11: set once
    # R8: the target and the rule that set it; the period is "<amount> <unit>".
    target_date: Mapped[date] = mapped_column(Date)
    target_due_before: Mapped[datetime] = mapped_column(UtcDateTime())
    target_rule: Mapped[str] = mapped_column(String(20))
    target_period: Mapped[str] = mapped_column(String(30))
    target_reason: Mapped[str] = mapped_column(String(200))
    attend_target_date: Mapped[date | None] = mapped_column(Date)  # R1, when configured
    attend_due_before: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attend_period: Mapped[str | None] = mapped_column(String(30))
    attend_reason: Mapped[str | None] = mapped_column(String(200))
    awaabs_law_case: Mapped[bool] = mapped_column(Boolean, default=False)  # R9
    right_to_repair: Mapped[bool] = mapped_column(Boolean, default=False)  # R7
    job_number: Mapped[str | None] = mapped_column(String(REF), unique=True)
    backend_status: Mapped[str] = mapped_column(String(20))
    status_updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    slot_day: Mapped[date | None] = mapped_column(Date)
    slot_kind: Mapped[str | None] = mapped_column(String(10))
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    tenant_confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # R44


class RepairEventRow(Base):
    """The timeline: what happened, when, with codes only."""

    __tablename__ = "repair_events"
    __table_args__ = (Index("ix_repair_events_repair_id_at", "repair_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str | None] = mapped_column(String(20))
    source: Mapped[str | None] = mapped_column(String(10))
    job_number: Mapped[str | None] = mapped_column(String(REF))
    slot_day: Mapped[date | None] = mapped_column(Date)
    slot_kind: Mapped[str | None] = mapped_column(String(10))
    previous_slot_day: Mapped[date | None] = mapped_column(Date)
    previous_slot_kind: Mapped[str | None] = mapped_column(String(10))
    assisted: Mapped[bool] = mapped_column(Boolean, default=False)  # R41: done with help


class RepairPhotoRow(Base):
    """R19: a re-encoded photo on disk under instance/photos/<token>.<ext>; draft first, then
    the repair once submitted."""

    __tablename__ = "repair_photos"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(43), unique=True)  # random: file and URL name
    draft_id: Mapped[str | None] = mapped_column(
        ForeignKey("report_drafts.id", ondelete="SET NULL"), index=True
    )
    repair_id: Mapped[int | None] = mapped_column(
        ForeignKey("repairs.id", ondelete="CASCADE"), index=True
    )
    content_type: Mapped[str] = mapped_column(String(20))
    size_bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReportDraftRow(Base):
    """A report in progress: answers survive reloads and the back button, and never sit in a
    cookie. The submission id is made when the draft starts, so a resubmit cannot duplicate."""

    __tablename__ = "report_drafts"

    id: Mapped[str] = mapped_column(String(43), primary_key=True)  # random token
    submission_id: Mapped[str] = mapped_column(String(36), unique=True)
    tenancy_ref: Mapped[str] = mapped_column(String(REF), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    repair_id: Mapped[int | None] = mapped_column(ForeignKey("repairs.id", ondelete="SET NULL"))


class OutboxRow(Base):
    """Work to do after a commit, claimed atomically so it is done once (R44, DESIGN)."""

    __tablename__ = "outbox"
    __table_args__ = (
        # One job raise and one of each text per repair, whoever queues it.
        UniqueConstraint("repair_id", "kind", name="uq_outbox_repair_id_kind"),
        Index("ix_outbox_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    repair_id: Mapped[int] = mapped_column(ForeignKey("repairs.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[str] = mapped_column(String(10))  # pending / claimed / done / failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_error: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class TenancySnapshotRow(Base):
    """The last tenancy facts read from the backend, so a repair can still be reported (and its
    target counted) while the backend is down (R17 was checked when this was read)."""

    __tablename__ = "tenancy_snapshots"

    tenancy_ref: Mapped[str] = mapped_column(String(REF), primary_key=True)
    property_ref: Mapped[str] = mapped_column(String(REF))
    tenure: Mapped[str] = mapped_column(String(20))
    division: Mapped[str] = mapped_column(String(20))
    maintainable: Mapped[bool] = mapped_column(Boolean)
    active: Mapped[bool] = mapped_column(Boolean)
    fetched_at: Mapped[datetime] = mapped_column(UtcDateTime())
