"""The message store's reads and staff-facing writes: contacts, confirmations, the message log
and R48 housekeeping. Mixed into `SqlMessageStore`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.messages import SmsContact, SmsInbound, SmsMessage
from notifications.ports import MessageStatus
from notifications.store import Contact, LogEntry
from notifications.templates import MessageKind

PLANNED = MessageStatus.PLANNED.value
SENDING = MessageStatus.SENDING.value
_APPOINTMENT_KINDS = (
    MessageKind.CONFIRMATION.value,
    MessageKind.REMINDER.value,
    MessageKind.RESCHEDULED.value,
)


class SqlMessageReads:
    _sessions: sessionmaker[Session]

    def contacts(self, numbers: Sequence[str]) -> Mapping[str, Contact]:
        with self._sessions() as session:
            rows = session.scalars(select(SmsContact).where(SmsContact.number.in_(numbers)))
            return {row.number: contact_of(row) for row in rows}

    def contact(self, number: str) -> Contact:
        with self._sessions() as session:
            row = session.get(SmsContact, number)
            return contact_of(row) if row is not None else Contact(number)

    def known_sids(self, sids: Sequence[str]) -> frozenset[str]:
        if not sids:
            return frozenset()
        with self._sessions() as session:
            found = session.scalars(
                select(SmsMessage.provider_sid).where(SmsMessage.provider_sid.in_(sids))
            )
            return frozenset(sid for sid in found if sid is not None)

    def mark_confirmed(self, number: str, now: datetime, since: datetime) -> str | None:
        with self._sessions.begin() as session:
            row = session.scalars(
                select(SmsMessage)
                .where(
                    SmsMessage.to_number == number,
                    SmsMessage.kind.in_(_APPOINTMENT_KINDS),
                    SmsMessage.sent_at >= since,
                )
                .order_by(SmsMessage.sent_at.desc(), SmsMessage.id.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            row.confirmed_at = now
            row.updated_at = now
            return row.repair_ref

    def tenant_confirmed_at(self, repair_ref: str) -> datetime | None:
        with self._sessions() as session:
            latest = session.scalar(
                select(SmsMessage.appointment_key)
                .where(SmsMessage.repair_ref == repair_ref, SmsMessage.appointment_key.is_not(None))
                .order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())
                .limit(1)
            )
            if latest is None:
                return None
            return session.scalar(
                select(func.max(SmsMessage.confirmed_at)).where(
                    SmsMessage.appointment_key == latest
                )
            )

    def messages_for_repair(self, repair_ref: str) -> list[LogEntry]:
        with self._sessions() as session:
            rows = session.scalars(
                select(SmsMessage)
                .where(SmsMessage.repair_ref == repair_ref)
                .order_by(SmsMessage.created_at.desc(), SmsMessage.id.desc())
            )
            return [_log_entry(row) for row in rows]

    def remove_bodies(self, older_than: datetime, now: datetime) -> int:
        with self._sessions.begin() as session:
            waiting = (PLANNED, SENDING)
            messages: Any = session.execute(
                update(SmsMessage)
                .where(
                    SmsMessage.created_at < older_than,
                    SmsMessage.body.is_not(None),
                    SmsMessage.state.not_in(waiting),
                )
                .values(body=None, body_removed_at=now)
            )
            inbound: Any = session.execute(
                update(SmsInbound)
                .where(SmsInbound.received_at < older_than, SmsInbound.body.is_not(None))
                .values(body=None, body_removed_at=now)
            )
            return int(messages.rowcount) + int(inbound.rowcount)

    def count_by_state(self) -> Mapping[MessageStatus, int]:
        with self._sessions() as session:
            rows = session.execute(
                select(SmsMessage.state, func.count()).group_by(SmsMessage.state)
            ).all()
            return {MessageStatus(state): count for state, count in rows}


def contact_of(row: SmsContact) -> Contact:
    return Contact(
        number=row.number,
        opted_out=row.opted_out,
        flagged=row.flagged,
        flag_reason=row.flag_reason,
        last_unreadable_reply_at=row.last_unreadable_reply_at,
    )


def _log_entry(row: SmsMessage) -> LogEntry:
    return LogEntry(
        id=row.id,
        kind=MessageKind(row.kind),
        to=row.to_number,
        state=MessageStatus(row.state),
        due_at=row.due_at,
        sent_at=row.sent_at,
        status_at=row.status_at,
        error_code=row.error_code,
        error_text=row.error_text,
        body=row.body,
        attempts=row.attempts,
        confirmed_at=row.confirmed_at,
    )
