"""Writing send outcomes and status callbacks (R32, R33) inside a caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from adapters.db.tables.messages import SmsContact, SmsMessage, SmsStatusEvent
from notifications.dispatch import describe_error
from notifications.ports import (
    MessageStatus,
    UnknownStatus,
    moves_forward,
    parse_provider_status,
)
from notifications.retry import ErrorAction, classify_error
from notifications.store import (
    Accepted,
    Deferred,
    Failed,
    Outcome,
    RetryLater,
    StatusChange,
    StatusReport,
    Withdrawn,
)

Insert = Callable[[Any], Any]
_table = cast(Table, SmsMessage.__table__)
_c = _table.c


# What each kind of outcome writes to its row; the b_* values come from `_params`.
_WRITES: dict[type, dict[str, Any]] = {
    Accepted: {
        "state": MessageStatus.SENT.value,
        "provider_sid": bindparam("b_sid"),
        "sent_at": bindparam("b_at"),
        "status_at": bindparam("b_at"),
        "attempts": _c.attempts + 1,
        "error_code": None,
        "error_text": None,
        "in_doubt_since": None,
    },
    RetryLater: {
        "state": MessageStatus.PLANNED.value,
        "next_attempt_at": bindparam("b_at"),
        "attempts": _c.attempts + 1,
        "error_code": bindparam("b_code"),
        "error_text": bindparam("b_text"),
        "in_doubt_since": None,
    },
    # Not tried: no attempt counted, and an in-doubt row stays in doubt.
    Deferred: {"state": MessageStatus.PLANNED.value, "next_attempt_at": bindparam("b_at")},
    Failed: {
        "state": MessageStatus.FAILED.value,
        "attempts": _c.attempts + 1,
        "error_code": bindparam("b_code"),
        "error_text": bindparam("b_text"),
        "status_at": bindparam("b_now"),
        "in_doubt_since": None,
    },
    Withdrawn: {
        "state": MessageStatus.CANCELLED.value,
        "error_text": bindparam("b_text"),
        "status_at": bindparam("b_now"),
    },
}


def _params(outcome: Outcome, now: datetime) -> dict[str, Any]:
    params: dict[str, Any] = {"b_id": outcome.message_id, "b_now": now}
    if isinstance(outcome, Accepted):
        params.update(b_sid=outcome.sid, b_at=outcome.at)
    elif isinstance(outcome, RetryLater):
        params.update(b_at=outcome.at, b_code=outcome.error_code, b_text=outcome.error_text)
    elif isinstance(outcome, Deferred):
        params.update(b_at=outcome.until)
    elif isinstance(outcome, Failed):
        params.update(b_code=outcome.error_code, b_text=outcome.error_text)
    else:
        params.update(b_text=outcome.reason)
    return params


def record(
    session: Session, insert: Insert, token: str, outcomes: Sequence[Outcome], now: datetime
) -> int:
    """One executemany per kind of outcome: a batch of 100 is a handful of statements.

    Rows no longer held by `token` (released after the lease and claimed again) are left
    alone, and so are their contacts: a late result from a presumed-dead worker changes
    nothing.
    """
    held = set(
        session.scalars(
            select(SmsMessage.id).where(
                SmsMessage.claim_token == token,
                SmsMessage.id.in_([o.message_id for o in outcomes]),
            )
        )
    )
    outcomes = [o for o in outcomes if o.message_id in held]
    updated = 0
    for kind, values in _WRITES.items():
        params = [_params(o, now) for o in outcomes if isinstance(o, kind)]
        if params:
            statement = (
                update(_table)
                .where(_c.id == bindparam("b_id"), _c.claim_token == token)
                .values(claim_token=None, updated_at=bindparam("b_now"), **values)
            )
            result: Any = session.connection().execute(statement, params)
            updated += int(result.rowcount)
    failed = [o for o in outcomes if isinstance(o, Failed)]
    _flag_failed(session, insert, failed, now)
    _apply_early_callbacks(session, insert, [o.sid for o in outcomes if isinstance(o, Accepted)])
    return updated


def _flag_failed(session: Session, insert: Insert, failed: Sequence[Failed], now: datetime) -> None:
    """R33: a permanent failure flags the contact for staff; 21610 means they opted out."""
    flagged = [o for o in failed if o.flag_contact or o.opted_out]
    if not flagged:
        return
    numbers = dict(
        session.execute(
            select(SmsMessage.id, SmsMessage.to_number).where(
                SmsMessage.id.in_([o.message_id for o in flagged])
            )
        ).all()
    )
    ensure_contacts(session, insert, sorted(set(numbers.values())), now)
    # In number order, so two transactions flagging the same numbers cannot deadlock.
    for outcome in sorted(flagged, key=lambda o: numbers.get(o.message_id, "")):
        number = numbers.get(outcome.message_id)
        if number is not None:
            flag_contact(session, number, outcome.error_code, now, opted_out=outcome.opted_out)


def flag_contact(
    session: Session, number: str, code: int | None, now: datetime, *, opted_out: bool = False
) -> None:
    values: dict[str, Any] = {"updated_at": now}
    if opted_out:
        values.update(opted_out=True, opted_out_at=now)
    else:
        values.update(flagged=True, flagged_at=now, flag_reason=f"{code}: {describe_error(code)}")
    session.execute(update(SmsContact).where(SmsContact.number == number).values(**values))


def ensure_contacts(
    session: Session, insert: Insert, numbers: Sequence[str], now: datetime
) -> None:
    if not numbers:
        return
    rows = [{"number": n, "opted_out": False, "flagged": False, "updated_at": now} for n in numbers]
    session.execute(insert(SmsContact).values(rows).on_conflict_do_nothing())


def record_status(
    session: Session, insert: Insert, report: StatusReport, postgres: bool
) -> StatusChange:
    """R32: every callback is recorded; only a forward move changes the row."""
    query = select(SmsMessage).where(SmsMessage.provider_sid == report.sid)
    if postgres:
        query = query.with_for_update()
    message = session.scalars(query).first()
    try:
        new: MessageStatus | None = parse_provider_status(report.status)
    except UnknownStatus:
        new = None
    old = MessageStatus(message.state) if message is not None else None
    moved = message is not None and new is not None and old is not None and moves_forward(old, new)
    session.add(
        SmsStatusEvent(
            message_id=message.id if message is not None else None,
            provider_sid=report.sid[:64],
            status=report.status[:20],
            error_code=report.error_code,
            moved=moved,
            received_at=report.at,
        )
    )
    if moved and message is not None and new is not None:
        _move(session, insert, message, new=new, error_code=report.error_code, at=report.at)
    return StatusChange(message.id if message else None, old, new, moved)


def _move(
    session: Session,
    insert: Insert,
    message: SmsMessage,
    *,
    new: MessageStatus,
    error_code: int | None,
    at: datetime,
) -> None:
    message.state = new.value
    message.status_at = at
    message.updated_at = at
    if error_code is not None:
        message.error_code = error_code
        message.error_text = describe_error(error_code)
    failed = new in (MessageStatus.UNDELIVERED, MessageStatus.FAILED)
    if failed and classify_error(error_code) is ErrorAction.FLAG_CONTACT:
        # R33: 30005/30006 arrive by callback, after the API accepted the text.
        ensure_contacts(session, insert, [message.to_number], at)
        flag_contact(session, message.to_number, error_code, at)


def _apply_early_callbacks(session: Session, insert: Insert, sids: Sequence[str]) -> None:
    """A callback can beat our own record of the SID; replay the ones that did."""
    if not sids:
        return
    early = session.scalars(
        select(SmsStatusEvent)
        .where(SmsStatusEvent.provider_sid.in_(sids), SmsStatusEvent.message_id.is_(None))
        .order_by(SmsStatusEvent.id)
    ).all()
    for event in early:
        message = session.scalars(
            select(SmsMessage).where(SmsMessage.provider_sid == event.provider_sid)
        ).first()
        if message is None:
            continue
        event.message_id = message.id
        try:
            new = parse_provider_status(event.status)
        except UnknownStatus:
            continue
        if moves_forward(MessageStatus(message.state), new):
            event.moved = True
            _move(
                session, insert, message, new=new, error_code=event.error_code, at=event.received_at
            )
