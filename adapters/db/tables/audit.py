"""The assisted-digital audit log (R41): append-only.

Code has no UPDATE or DELETE path for it (adapters/db/audit_store.py only inserts and reads),
and the migration adds database triggers that refuse UPDATE and DELETE on SQLite and
PostgreSQL, so a bug or a hand-typed statement cannot rewrite history either.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class AuditEventRow(Base):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_tenancy_ref_occurred_at", "tenancy_ref", "occurred_at"),
        Index("ix_audit_event_staff_id_occurred_at", "staff_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # No foreign keys: the log must outlive anything it mentions. None for a tenant serving
    # themselves at a terminal (R43), where no member of staff acted.
    staff_id: Mapped[int | None] = mapped_column(Integer)
    tenancy_ref: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))  # R41: always "assisted"
    place: Mapped[str] = mapped_column(String(10))  # terminal / desk
    terminal_id: Mapped[int | None] = mapped_column(Integer)
    identity_check: Mapped[str] = mapped_column(String(40))  # a key of assisted.identity_checks
    consent_given: Mapped[bool] = mapped_column(Boolean)
    action: Mapped[str] = mapped_column(String(40))  # e.g. repair.reported
    # A reference, never free text: the repair reference or a count, so the log holds no
    # personal details beyond the tenancy reference.
    subject: Mapped[str] = mapped_column(String(40), default="")
