"""The message store over SQLAlchemy, on SQLite and PostgreSQL (notifications.store).

Claiming is atomic on both. PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks due rows no
other worker holds, and the conditional update takes them. SQLite: every transaction starts
with BEGIN IMMEDIATE (adapters.db.engine), so one writer at a time; the conditional update
`... WHERE id IN (...) AND state='planned'` takes only rows still waiting, and the rows are
then read back by this claim's own random token, so a row is never returned to two claims.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from adapters.db.tables.messages import SmsContact, SmsInbound, SmsMessage
from adapters.sms import sql_outcomes
from adapters.sms.sql_reads import SqlMessageReads, contact_of
from notifications.ports import MessageStatus
from notifications.store import (
    AdmissionCheck,
    ClaimedMessage,
    Contact,
    InboundText,
    NewMessage,
    Outcome,
    RecentSends,
    StatusChange,
    StatusReport,
)
from notifications.templates import MessageKind
from repairs.calendar import Division

PLANNED = MessageStatus.PLANNED.value
SENDING = MessageStatus.SENDING.value
_APPOINTMENT_KINDS = (
    MessageKind.CONFIRMATION.value,
    MessageKind.REMINDER.value,
    MessageKind.RESCHEDULED.value,
)
_CLAIM_COLUMNS = (
    SmsMessage.id,
    SmsMessage.to_number,
    SmsMessage.kind,
    SmsMessage.body,
    SmsMessage.urgent,
    SmsMessage.attempts,
    SmsMessage.due_at,
    SmsMessage.division,
    SmsMessage.claim_token,
    SmsMessage.in_doubt_since,
    SmsMessage.expires_at,
)


class SqlMessageStore(SqlMessageReads):
    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        bind = sessions.kw.get("bind")
        self._postgres = isinstance(bind, Engine) and bind.dialect.name == "postgresql"

    # ------------------------------------------------------------ planning and claiming

    def plan(self, messages: Sequence[NewMessage], supersede: Sequence[str], now: datetime) -> int:
        with self._sessions.begin() as session:
            if supersede:
                session.execute(
                    update(SmsMessage)
                    .where(SmsMessage.dedupe_key.in_(supersede), SmsMessage.state == PLANNED)
                    .values(state=MessageStatus.SUPERSEDED.value, updated_at=now)
                )
            if not messages:
                return 0
            rows = [_row(message, now, PLANNED) for message in messages]
            statement = self._insert(SmsMessage).values(rows)
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key"])
            # RETURNING counts the rows really added on both databases (rowcount may not).
            return len(session.execute(statement.returning(SmsMessage.id)).all())

    def admit_urgent(
        self, message: NewMessage, now: datetime, check: AdmissionCheck, period: timedelta
    ) -> ClaimedMessage:
        token = uuid.uuid4().hex
        with self._sessions.begin() as session:
            # Locking the contact row makes check-then-insert atomic per number (R34).
            contact = self._locked_contact(session, message.to, now)
            recent = self._recent(session, [message.to], now - period, in_flight=True)
            check(contact, recent.get(message.to, RecentSends()))
            row = _row(message, now, SENDING)
            row.update(claim_token=token, claimed_by="web", claimed_at=now)
            inserted = session.execute(
                self._insert(SmsMessage).values(row).returning(SmsMessage.id)
            ).scalar_one()
            claimed = session.execute(
                select(*_CLAIM_COLUMNS).where(SmsMessage.id == inserted)
            ).one()
        return _claimed(claimed)

    def claim_due(
        self, now: datetime, worker: str, limit: int, lease: timedelta
    ) -> list[ClaimedMessage]:
        token = uuid.uuid4().hex
        with self._sessions.begin() as session:
            self._release_expired(session, now - lease, now)
            due = (
                select(SmsMessage.id)
                .where(SmsMessage.state == PLANNED, SmsMessage.next_attempt_at <= now)
                .order_by(SmsMessage.next_attempt_at, SmsMessage.id)
                .limit(limit)
            )
            if self._postgres:
                due = due.with_for_update(skip_locked=True)
            ids = list(session.scalars(due))
            if not ids:
                return []
            session.execute(
                update(SmsMessage)
                .where(SmsMessage.id.in_(ids), SmsMessage.state == PLANNED)
                .values(
                    state=SENDING,
                    claim_token=token,
                    claimed_by=worker[:80],
                    claimed_at=now,
                    updated_at=now,
                )
            )
            rows = session.execute(
                select(*_CLAIM_COLUMNS)
                .where(SmsMessage.claim_token == token)
                .order_by(SmsMessage.next_attempt_at, SmsMessage.id)
            ).all()
        return [_claimed(row) for row in rows]

    def _release_expired(self, session: Session, cutoff: datetime, now: datetime) -> None:
        """A worker killed mid-send leaves rows in `sending`; after the lease they go back to
        the queue, marked in doubt from the dead claim's time (see notifications.dispatch)."""
        expired = select(SmsMessage.id).where(
            SmsMessage.state == SENDING, SmsMessage.claimed_at < cutoff
        )
        if self._postgres:
            # Two workers releasing at once must not wait on (or deadlock over) the same rows.
            expired = expired.with_for_update(skip_locked=True)
        session.execute(
            update(SmsMessage)
            .where(SmsMessage.id.in_(expired.scalar_subquery()), SmsMessage.state == SENDING)
            .values(
                state=PLANNED,
                in_doubt_since=func.coalesce(SmsMessage.in_doubt_since, SmsMessage.claimed_at),
                claim_token=None,
                next_attempt_at=now,
                updated_at=now,
            )
        )

    def record_outcomes(self, claim_token: str, outcomes: Sequence[Outcome], now: datetime) -> int:
        with self._sessions.begin() as session:
            return sql_outcomes.record(session, self._insert, claim_token, outcomes, now)

    # ------------------------------------------------------------ reading for dispatch

    def recent_sends(self, numbers: Sequence[str], since: datetime) -> Mapping[str, RecentSends]:
        with self._sessions() as session:
            return self._recent(session, numbers, since, in_flight=False)

    def _recent(
        self, session: Session, numbers: Sequence[str], since: datetime, *, in_flight: bool
    ) -> dict[str, RecentSends]:
        """Texts accepted since `since` (and, for admission, those being sent right now)."""
        sent = SmsMessage.sent_at >= since
        codes = and_(
            SmsMessage.kind == MessageKind.VERIFICATION_CODE.value, SmsMessage.created_at >= since
        )
        condition = or_(sent, codes, SmsMessage.state == SENDING) if in_flight else sent
        rows = session.execute(
            select(
                SmsMessage.to_number,
                SmsMessage.kind,
                SmsMessage.state,
                SmsMessage.sent_at,
                SmsMessage.claimed_at,
                SmsMessage.created_at,
            ).where(SmsMessage.to_number.in_(numbers), condition)
        ).all()
        found: dict[str, tuple[list[datetime], list[datetime]]] = {}
        for number, kind, state, sent_at, claimed_at, created_at in rows:
            messages, code_times = found.setdefault(number, ([], []))
            at = sent_at or claimed_at
            if at is not None and (sent_at is not None or state == SENDING):
                messages.append(at)
            if in_flight and kind == MessageKind.VERIFICATION_CODE.value and created_at >= since:
                code_times.append(created_at)
        return {n: RecentSends(tuple(m), tuple(c)) for n, (m, c) in found.items()}

    # ------------------------------------------------------------ contacts and replies

    def _locked_contact(self, session: Session, number: str, now: datetime) -> Contact:
        sql_outcomes.ensure_contacts(session, self._insert, [number], now)
        query = select(SmsContact).where(SmsContact.number == number)
        if self._postgres:
            query = query.with_for_update()
        return contact_of(session.scalars(query).one())

    def set_opted_out(self, number: str, opted_out: bool, now: datetime) -> None:
        with self._sessions.begin() as session:
            sql_outcomes.ensure_contacts(session, self._insert, [number], now)
            session.execute(
                update(SmsContact)
                .where(SmsContact.number == number)
                .values(
                    opted_out=opted_out, opted_out_at=now if opted_out else None, updated_at=now
                )
            )

    def note_unreadable_reply(self, number: str, now: datetime) -> None:
        with self._sessions.begin() as session:
            sql_outcomes.ensure_contacts(session, self._insert, [number], now)
            session.execute(
                update(SmsContact)
                .where(SmsContact.number == number)
                .values(last_unreadable_reply_at=now, updated_at=now)
            )

    def record_inbound(self, text: InboundText) -> bool:
        with self._sessions.begin() as session:
            statement = (
                self._insert(SmsInbound)
                .values(
                    provider_sid=text.sid[:64],
                    from_number=text.from_number,
                    to_number=text.to_number[:32],
                    body=text.body,
                    received_at=text.at,
                )
                .on_conflict_do_nothing(index_elements=["provider_sid"])
                .returning(SmsInbound.id)
            )
            return session.execute(statement).first() is not None

    def record_status(self, report: StatusReport) -> StatusChange:
        with self._sessions.begin() as session:
            return sql_outcomes.record_status(session, self._insert, report, self._postgres)

    def _insert(self, table: Any) -> Any:
        return (postgresql.insert if self._postgres else sqlite.insert)(table)


def _row(message: NewMessage, now: datetime, state: str) -> dict[str, Any]:
    return {
        "to_number": message.to,
        "kind": message.kind.value,
        "body": message.body,
        "urgent": message.urgent,
        "division": message.division.value,
        "repair_ref": message.repair_ref,
        "appointment_key": message.appointment_key,
        "dedupe_key": message.dedupe_key,
        "state": state,
        "due_at": message.due_at,
        "next_attempt_at": message.due_at,
        "expires_at": message.expires_at,
        "attempts": 0,
        "claim_token": None,
        "claimed_by": None,
        "claimed_at": None,
        "created_at": now,
        "updated_at": now,
    }


def _claimed(row: Any) -> ClaimedMessage:
    return ClaimedMessage(
        id=row.id,
        to=row.to_number,
        kind=MessageKind(row.kind),
        body=row.body or "",
        urgent=row.urgent,
        attempts=row.attempts,
        due_at=row.due_at,
        division=Division(row.division),
        claim_token=row.claim_token,
        in_doubt_since=row.in_doubt_since,
        expires_at=row.expires_at,
    )
