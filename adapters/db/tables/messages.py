"""Text messages: the send queue, contacts, inbound texts and status callbacks (R24-R35, R48)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from adapters.db.base import Base, UtcDateTime


class SmsMessage(Base):
    """One text we plan or send. `state` is a notifications.ports.MessageStatus value."""

    __tablename__ = "sms_message"
    __table_args__ = (
        # The worker's claim: due rows in the queue, oldest first.
        Index("ix_sms_message_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    to_number: Mapped[str] = mapped_column(String(16), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # R48: blanked after retention; the rest of the row stays as the record of what happened.
    body: Mapped[str | None] = mapped_column(Text)
    body_removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    urgent: Mapped[bool] = mapped_column(Boolean)
    division: Mapped[str] = mapped_column(String(24))
    repair_ref: Mapped[str | None] = mapped_column(String(40), index=True)
    appointment_key: Mapped[str | None] = mapped_column(String(120), index=True)
    # Planning the same text twice must not queue it twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    state: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claim_token: Mapped[str | None] = mapped_column(String(40), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Set when a claim's lease ran out: the provider may have accepted it since this instant.
    in_doubt_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    provider_sid: Mapped[str | None] = mapped_column(String(64), unique=True)
    error_code: Mapped[int | None] = mapped_column(Integer)
    error_text: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    status_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # The tenant replied CONFIRM to this appointment text.
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SmsContact(Base):
    """What we know about a number: opted out (R29), flagged after a permanent failure (R33)."""

    __tablename__ = "sms_contact"

    number: Mapped[str] = mapped_column(String(16), primary_key=True)
    opted_out: Mapped[bool] = mapped_column(Boolean, default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reason: Mapped[str | None] = mapped_column(String(255))
    flagged_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_unreadable_reply_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SmsInbound(Base):
    """A text a tenant sent us; the provider's id is unique so a replayed webhook adds nothing."""

    __tablename__ = "sms_inbound"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider_sid: Mapped[str] = mapped_column(String(64), unique=True)
    from_number: Mapped[str] = mapped_column(String(16), index=True)
    to_number: Mapped[str] = mapped_column(String(32))
    body: Mapped[str | None] = mapped_column(Text)
    body_removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    received_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class SmsStatusEvent(Base):
    """Every status callback as it came (R32): late and repeated ones too, with `moved` False."""

    __tablename__ = "sms_status_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("sms_message.id", ondelete="CASCADE"), index=True
    )
    provider_sid: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(20))
    error_code: Mapped[int | None] = mapped_column(Integer)
    moved: Mapped[bool] = mapped_column(Boolean)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
