"""The SQL repository for repairs and their outbox (`repairs.reporting.RepairStore`).

Every method is its own short transaction: nothing here is held open across a call to the
housing backend (SQLite runs each transaction as BEGIN IMMEDIATE). Outbox claims are atomic:
`FOR UPDATE SKIP LOCKED` on PostgreSQL, and on both databases a conditional UPDATE whose row
count says whether this worker won the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from adapters.db import repair_rows
from adapters.db.tables.repairs import (
    OutboxRow,
    RepairPhotoRow,
    RepairRow,
    ReportDraftRow,
    TenancySnapshotRow,
)
from repairs.calendar import Division
from repairs.ports import Tenure
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair
from repairs.reporting import (
    DuplicateSubmission,
    OutboxItem,
    OutboxKind,
    RaiseState,
    ReferenceTaken,
    RepairSummary,
    ReportFacts,
    TenancyFacts,
)
from repairs.slots import SlotTimes

_T = TypeVar("_T")
PENDING, CLAIMED, DONE, FAILED = "pending", "claimed", "done", "failed"


class SqlRepairStore:
    def __init__(self, sessions: sessionmaker[Session], slot_times: SlotTimes) -> None:
        self._sessions = sessions
        self._slot_times = slot_times

    # ------------------------------------------------------------------ repairs

    def add(self, repair: Repair, facts: ReportFacts, claimed_by: str) -> OutboxItem:
        details = repair.details
        try:
            with self._sessions.begin() as session:
                self._refuse_duplicates(session, repair)
                row = repair_rows.new_row(repair, facts)
                session.add(row)
                session.flush()
                repair_rows.apply_events(
                    session, row, repair.pull_events(), self._slot_times, facts.actor.assisted
                )
                outbox = _outbox_row(row.id, OutboxKind.RAISE_JOB, details.reported_at)
                outbox.state, outbox.attempts = CLAIMED, 1
                outbox.claimed_by, outbox.claimed_at = claimed_by, details.reported_at
                session.add(outbox)
                self._attach_photos(session, row.id, facts.photo_tokens)
                session.execute(
                    update(ReportDraftRow)
                    .where(ReportDraftRow.submission_id == str(details.submission_id))
                    .values(repair_id=row.id)
                )
                session.flush()
                return OutboxItem(outbox.id, details.ref, OutboxKind.RAISE_JOB, 1)
        except IntegrityError:
            # A concurrent submit of the same draft won the unique submission id.
            with self._sessions.begin() as session:
                self._refuse_duplicates(session, repair)
            raise

    def ref_for_submission(self, submission_id: SubmissionId) -> RepairRef | None:
        with self._sessions.begin() as session:
            reference = session.scalar(
                select(RepairRow.reference).where(RepairRow.submission_id == str(submission_id))
            )
        return RepairRef(reference) if reference else None

    def summary(self, ref: RepairRef) -> RepairSummary | None:
        with self._sessions.begin() as session:
            row = session.scalar(select(RepairRow).where(RepairRow.reference == str(ref)))
            if row is None:
                return None
            raise_row = session.scalar(
                select(OutboxRow).where(
                    OutboxRow.repair_id == row.id, OutboxRow.kind == OutboxKind.RAISE_JOB
                )
            )
            tokens = session.scalars(
                select(RepairPhotoRow.token)
                .where(RepairPhotoRow.repair_id == row.id)
                .order_by(RepairPhotoRow.id)
            ).all()
            return repair_rows.summary(row, _raise_state(row, raise_row), tuple(tokens))

    def load(self, ref: RepairRef) -> Repair | None:
        with self._sessions.begin() as session:
            row = session.scalar(select(RepairRow).where(RepairRow.reference == str(ref)))
            return None if row is None else repair_rows.load(session, row)

    def update(self, ref: RepairRef, change: Callable[[Repair], _T], *, assisted: bool) -> _T:
        with self._sessions.begin() as session:
            row = self._locked(session, ref)
            repair = repair_rows.load(session, row)
            result = change(repair)
            repair_rows.apply_events(session, row, repair.pull_events(), self._slot_times, assisted)
            return result

    # ------------------------------------------------------------------ outbox

    def claim_outbox(
        self, worker: str, now: datetime, lease: timedelta, limit: int
    ) -> list[OutboxItem]:
        due = _due(now, lease)
        with self._sessions.begin() as session:
            query = (
                select(OutboxRow.id)
                .where(due)
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            won = [
                oid
                for oid in session.scalars(query).all()
                if _claim(session, oid, due, worker, now)
            ]
            return self._items(session, won)

    def finish_raise(
        self,
        item: OutboxItem,
        worker: str,
        job_number: JobNumber,
        at: datetime,
        follow_up: OutboxKind | None,
    ) -> None:
        with self._sessions.begin() as session:
            row = self._locked(session, item.repair_ref)
            repair = repair_rows.load(session, row)
            repair.record_job_raised(job_number, at)  # a second report of the same job: no-op
            repair_rows.apply_events(session, row, repair.pull_events(), self._slot_times, False)
            _release(session, item, worker, state=DONE, done_at=at)
            if follow_up is not None:
                _queue(session, row.id, follow_up, at)

    def defer(
        self,
        item: OutboxItem,
        worker: str,
        *,
        error: str,
        at: datetime,
        retry_at: datetime,
        follow_up: OutboxKind | None = None,
    ) -> None:
        with self._sessions.begin() as session:
            released = _release(
                session, item, worker, state=PENDING, next_attempt_at=retry_at, last_error=error,
                claimed_by=None, claimed_at=None,
            )  # fmt: skip
            repair_id = _repair_id(session, item.repair_ref)
            if released and item.kind is OutboxKind.RAISE_JOB and item.attempts == 1:
                session.add(repair_rows.event(repair_id, "raise_deferred", at))
            if follow_up is not None:
                _queue(session, repair_id, follow_up, at)

    def fail(self, item: OutboxItem, worker: str, error: str, at: datetime) -> None:
        with self._sessions.begin() as session:
            failed = _release(session, item, worker, state=FAILED, done_at=at, last_error=error)
            if failed and item.kind is OutboxKind.RAISE_JOB:
                repair_id = _repair_id(session, item.repair_ref)
                session.add(repair_rows.event(repair_id, "raise_failed", at))

    def finish(self, item: OutboxItem, worker: str, at: datetime) -> None:
        with self._sessions.begin() as session:
            _release(session, item, worker, state=DONE, done_at=at)

    # ------------------------------------------------------------------ tenancies

    def save_tenancy(self, facts: TenancyFacts, at: datetime) -> None:
        with self._sessions.begin() as session:
            session.merge(
                TenancySnapshotRow(
                    tenancy_ref=str(facts.tenancy_ref),
                    property_ref=str(facts.property_ref),
                    tenure=facts.tenure.value,
                    division=facts.division.value,
                    maintainable=facts.maintainable,
                    active=facts.active,
                    fetched_at=at,
                )
            )

    def tenancy(self, tenancy_ref: TenancyRef) -> TenancyFacts | None:
        with self._sessions.begin() as session:
            row = session.get(TenancySnapshotRow, str(tenancy_ref))
            if row is None:
                return None
            return TenancyFacts(
                TenancyRef(row.tenancy_ref), PropertyRef(row.property_ref), Tenure(row.tenure),
                Division(row.division), row.maintainable, row.active,
            )  # fmt: skip

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _refuse_duplicates(session: Session, repair: Repair) -> None:
        existing = session.scalar(
            select(RepairRow.reference).where(
                RepairRow.submission_id == str(repair.details.submission_id)
            )
        )
        if existing is not None:
            raise DuplicateSubmission(RepairRef(existing))
        taken = session.scalar(select(RepairRow.id).where(RepairRow.reference == str(repair.ref)))
        if taken is not None:
            raise ReferenceTaken(str(repair.ref))

    @staticmethod
    def _attach_photos(session: Session, repair_id: int, tokens: Sequence[str]) -> None:
        if tokens:
            session.execute(
                update(RepairPhotoRow)
                .where(RepairPhotoRow.token.in_(tokens), RepairPhotoRow.repair_id.is_(None))
                .values(repair_id=repair_id)
            )

    @staticmethod
    def _locked(session: Session, ref: RepairRef) -> RepairRow:
        row = session.scalar(
            select(RepairRow).where(RepairRow.reference == str(ref)).with_for_update()
        )
        if row is None:
            raise LookupError(f"no repair {ref}")
        return row

    @staticmethod
    def _items(session: Session, ids: list[int]) -> list[OutboxItem]:
        if not ids:
            return []
        rows = session.execute(
            select(OutboxRow, RepairRow.reference)
            .join(RepairRow, RepairRow.id == OutboxRow.repair_id)
            .where(OutboxRow.id.in_(ids))
            .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
        ).all()
        return [
            OutboxItem(row.id, RepairRef(reference), OutboxKind(row.kind), row.attempts)
            for row, reference in rows
        ]


def _due(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    return or_(
        and_(OutboxRow.state == PENDING, OutboxRow.next_attempt_at <= now),
        and_(OutboxRow.state == CLAIMED, OutboxRow.claimed_at < now - lease),
    )


def _claim(session: Session, outbox_id: int, due: ColumnElement[bool], worker: str,
           now: datetime) -> bool:  # fmt: skip
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == outbox_id, due)
        .values(state=CLAIMED, claimed_by=worker, claimed_at=now, attempts=OutboxRow.attempts + 1)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _release(session: Session, item: OutboxItem, worker: str, **values: Any) -> bool:
    """Change a row this worker still holds; False if its claim lapsed and another took it."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == item.id, OutboxRow.state == CLAIMED, OutboxRow.claimed_by == worker)
        .values(**values)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def _outbox_row(repair_id: int, kind: OutboxKind, at: datetime) -> OutboxRow:
    return OutboxRow(
        repair_id=repair_id, kind=kind.value, payload={}, state=PENDING, attempts=0,
        next_attempt_at=at, created_at=at,
    )  # fmt: skip


def _queue(session: Session, repair_id: int, kind: OutboxKind, at: datetime) -> None:
    """Queue follow-up work once per repair and kind, even when two workers race to it."""
    values: dict[str, Any] = {
        "repair_id": repair_id, "kind": kind.value, "payload": {}, "state": PENDING,
        "attempts": 0, "next_attempt_at": at, "created_at": at,
    }  # fmt: skip
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(OutboxRow)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["repair_id", "kind"])
    )


def _repair_id(session: Session, ref: RepairRef) -> int:
    repair_id = session.scalar(select(RepairRow.id).where(RepairRow.reference == str(ref)))
    if repair_id is None:
        raise LookupError(f"no repair {ref}")
    return repair_id


def _raise_state(row: RepairRow, raise_row: OutboxRow | None) -> RaiseState:
    if row.job_number is not None:
        return RaiseState.RAISED
    if raise_row is None or raise_row.state == CLAIMED:
        return RaiseState.PENDING
    if raise_row.state == FAILED:
        return RaiseState.FAILED
    return RaiseState.DEFERRED
