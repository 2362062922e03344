"""SQL for booking and tracking: `repairs.booking.RepairFiles`, `repairs.tracking.FeedStore`
and `TrackingReader`, and the queue of texts about repairs.

Every method is one short transaction and none is open during a backend call (SQLite runs
each as BEGIN IMMEDIATE). Pages read a fixed number of queries whatever the number of repairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, and_, case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from adapters.db import repair_rows
from adapters.db.tables.repairs import (
    OutboxRow,
    RepairEventRow,
    RepairPhotoRow,
    RepairRow,
    TenancySnapshotRow,
)
from adapters.db.tables.tracking import (
    AppointmentHoldRow,
    FeedCursorRow,
    SurveyResponseRow,
    TenantNoticeRow,
)
from repairs.booking import ApplyChange, RepairOnFile
from repairs.calendar import Division
from repairs.priorities import Priority
from repairs.refs import JobNumber, RepairRef, TenancyRef
from repairs.slots import Slot, SlotKind, SlotTimes
from repairs.statuses import BackendStatus
from repairs.tracking import (
    ApplyBatch,
    FeedBatch,
    Notice,
    NoticeKind,
    RepairLine,
    RepairLines,
    RepairPage,
    TimelineRecord,
)

FEED = "housing"
_snapshot_of_repair = TenancySnapshotRow.tenancy_ref == RepairRow.tenancy_ref
PENDING, CLAIMED, DONE, DROPPED = "pending", "claimed", "done", "dropped"
FAILED = "failed"  # the outbox's state for a job the backend refused
_OPEN = [s.value for s in BackendStatus if not s.is_final]


def _insert(session: Session) -> Any:
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _inserted(session: Session, table: Any, values: dict[str, Any], key: Any) -> bool:
    """Insert unless a unique key is taken; True if this call inserted. (RETURNING, because
    psycopg reports no row count for INSERT ... ON CONFLICT DO NOTHING.)"""
    statement = _insert(session)(table).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(key)).first() is not None


def _slot(day: Any, kind: str | None) -> Slot | None:
    return Slot(day, SlotKind(kind)) if day and kind else None


class SqlTrackingStore:
    def __init__(self, sessions: sessionmaker[Session], slot_times: SlotTimes) -> None:
        self._sessions = sessions
        self._times = slot_times

    # ------------------------------------------------------------------ RepairFiles

    def find(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairOnFile | None:
        with self._sessions.begin() as session:
            found = session.execute(_owned(ref, tenancy_ref)).first()
            return None if found is None else _on_file(session, found)

    def change(self, ref: RepairRef, apply: ApplyChange, *, assisted: bool) -> bool:
        with self._sessions.begin() as session:
            row = session.scalar(
                select(RepairRow).where(RepairRow.reference == str(ref)).with_for_update()
            )
            if row is None:
                raise LookupError(f"no repair {ref}")
            repair = repair_rows.load(session, row)
            changed = apply(repair)
            repair_rows.apply_events(session, row, repair.pull_events(), self._times, assisted)
            return changed

    def hold(self, ref: RepairRef, holder: str, now: datetime, until: datetime) -> bool:
        with self._sessions.begin() as session:
            repair_id = _repair_id(session, ref)
            values = {"repair_id": repair_id, "holder": holder, "held_until": until}
            if _inserted(session, AppointmentHoldRow, values, AppointmentHoldRow.repair_id):
                return True
            taken = session.execute(
                update(AppointmentHoldRow)
                .where(
                    AppointmentHoldRow.repair_id == repair_id,
                    or_(AppointmentHoldRow.held_until <= now, AppointmentHoldRow.holder == holder),
                )
                .values(holder=holder, held_until=until)
            )
            return bool(taken.rowcount)  # type: ignore[attr-defined]

    def release(self, ref: RepairRef, holder: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                delete(AppointmentHoldRow).where(
                    AppointmentHoldRow.repair_id == _repair_id(session, ref),
                    AppointmentHoldRow.holder == holder,
                )
            )

    def queue_follow_up(self, ref: RepairRef, at: datetime) -> None:
        """R22: text the tenant a booking link once the backend answers again."""
        notice = Notice(NoticeKind.BOOK_REPAIR, ref, f"book_repair:{ref}:{at.isoformat()}")
        with self._sessions.begin() as session:
            _queue_notices(session, {_repair_id(session, ref): [notice]}, at)

    # ------------------------------------------------------------------ FeedStore

    def claim_feed(self, holder: str, now: datetime, until: datetime) -> int | None:
        with self._sessions.begin() as session:
            session.execute(
                _insert(session)(FeedCursorRow)
                .values(name=FEED, position=0)
                .on_conflict_do_nothing()
            )
            claimed = session.execute(
                update(FeedCursorRow)
                .where(
                    FeedCursorRow.name == FEED,
                    or_(
                        FeedCursorRow.lease_holder.is_(None),
                        FeedCursorRow.lease_until <= now,
                        FeedCursorRow.lease_holder == holder,
                    ),
                )
                .values(lease_holder=holder, lease_until=until)
            )
            if not claimed.rowcount:  # type: ignore[attr-defined]
                return None
            return session.scalar(select(FeedCursorRow.position).where(FeedCursorRow.name == FEED))

    def apply_batch(self, holder: str, batch: FeedBatch, apply: ApplyBatch) -> bool:
        with self._sessions.begin() as session:
            cursor = session.scalar(
                select(FeedCursorRow).where(FeedCursorRow.name == FEED).with_for_update()
            )
            if cursor is None or cursor.lease_holder != holder or cursor.position != batch.cursor:
                return False
            rows = session.scalars(
                select(RepairRow)
                .where(RepairRow.job_number.in_([str(job) for job in batch.jobs]))
                .order_by(RepairRow.id)
                .with_for_update()
            ).all()
            repairs = {
                JobNumber(str(row.job_number)): repair_rows.load(session, row) for row in rows
            }
            notices = apply(repairs)
            for row in rows:
                repair = repairs[JobNumber(str(row.job_number))]
                repair_rows.apply_events(session, row, repair.pull_events(), self._times, False)
            ids = {row.reference: row.id for row in rows}
            by_repair: dict[int, list[Notice]] = {}
            for notice in notices:
                by_repair.setdefault(ids[str(notice.repair_ref)], []).append(notice)
            _queue_notices(session, by_repair, batch.at)
            cursor.position, cursor.synced_at = batch.next_cursor, batch.at
            return True

    def release_feed(self, holder: str) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(FeedCursorRow)
                .where(FeedCursorRow.name == FEED, FeedCursorRow.lease_holder == holder)
                .values(lease_holder=None, lease_until=None)
            )

    def cursor(self) -> int:
        with self._sessions.begin() as session:
            position = session.scalar(
                select(FeedCursorRow.position).where(FeedCursorRow.name == FEED)
            )
            return position or 0

    # ------------------------------------------------------------------ TrackingReader

    def lines(self, tenancy_ref: TenancyRef, *, open_only: bool = False, offset: int = 0,
              limit: int = 20) -> RepairLines:  # fmt: skip
        mine = [RepairRow.tenancy_ref == str(tenancy_ref)]
        if open_only:
            mine.append(RepairRow.backend_status.in_(_OPEN))
        closed = case((RepairRow.backend_status.in_(_OPEN), 0), else_=1)
        query = (
            select(*_LINE_COLUMNS)
            .where(*mine)
            .order_by(closed, RepairRow.reported_at.desc(), RepairRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        with self._sessions.begin() as session:
            total = session.scalar(select(func.count()).select_from(RepairRow).where(*mine))
            lines = tuple(_line(found) for found in session.execute(query).all())
            return RepairLines(lines, int(total or 0))

    def page(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairPage | None:
        with self._sessions.begin() as session:
            found = session.execute(_owned(ref, tenancy_ref)).first()
            if found is None:
                return None
            row = found[0]
            events = session.scalars(
                select(RepairEventRow)
                .where(RepairEventRow.repair_id == row.id)
                .order_by(RepairEventRow.at, RepairEventRow.id)
            ).all()
            photos = session.scalars(
                select(RepairPhotoRow.token)
                .where(RepairPhotoRow.repair_id == row.id)
                .order_by(RepairPhotoRow.id)
            ).all()
            synced_at = session.scalar(
                select(FeedCursorRow.synced_at).where(FeedCursorRow.name == FEED)
            )
            raise_failed = session.scalar(
                select(OutboxRow.id).where(
                    OutboxRow.repair_id == row.id,
                    OutboxRow.kind == "raise_job",
                    OutboxRow.state == FAILED,
                )
            )
            return RepairPage(
                on_file=_on_file(session, found),
                line=_line(row),  # a row has the same attributes
                timeline=tuple(_record(event) for event in events),
                photos=tuple(photos),
                confirmed_at=row.tenant_confirmed_at,
                survey_score=found.score,
                synced_at=synced_at,
                raise_failed=raise_failed is not None and row.job_number is None,
            )

    def save_survey(self, ref: RepairRef, score: int, comment: str, *, assisted: bool,
                    at: datetime) -> bool:  # fmt: skip
        with self._sessions.begin() as session:
            values = {
                "repair_id": _repair_id(session, ref), "score": score, "comment": comment,
                "channel": "assisted" if assisted else "online", "answered_at": at,
            }  # fmt: skip
            return _inserted(session, SurveyResponseRow, values, SurveyResponseRow.id)


_LINE_COLUMNS = (
    RepairRow.reference, RepairRow.description, RepairRow.priority, RepairRow.backend_status,
    RepairRow.reported_at, RepairRow.target_date, RepairRow.slot_day, RepairRow.slot_kind,
    RepairRow.completed_at, RepairRow.status_updated_at,
)  # fmt: skip


def _line(found: Any) -> RepairLine:
    return RepairLine(
        ref=RepairRef(found.reference), description=found.description,
        priority=Priority(found.priority), status=BackendStatus(found.backend_status),
        reported_at=found.reported_at, target_date=found.target_date,
        slot=_slot(found.slot_day, found.slot_kind), completed_at=found.completed_at,
        status_updated_at=found.status_updated_at,
    )  # fmt: skip


def _owned(ref: RepairRef, tenancy_ref: TenancyRef) -> Any:
    """The repair only if it belongs to this tenancy: someone else's reference finds nothing."""
    return (
        select(RepairRow, TenancySnapshotRow.division, SurveyResponseRow.score)
        .outerjoin(TenancySnapshotRow, _snapshot_of_repair)
        .outerjoin(SurveyResponseRow, SurveyResponseRow.repair_id == RepairRow.id)
        .where(RepairRow.reference == str(ref), RepairRow.tenancy_ref == str(tenancy_ref))
    )


def _on_file(session: Session, found: Row[Any]) -> RepairOnFile:
    row: RepairRow = found[0]
    # Reporting keeps a snapshot of every tenancy it reports for (R3: the division).
    division = Division(found.division) if found.division else Division.ENGLAND_AND_WALES
    return RepairOnFile(repair_rows.load(session, row), division, row.contact_mobile)


def _record(event: RepairEventRow) -> TimelineRecord:
    return TimelineRecord(
        kind=event.kind, at=event.at,
        status=BackendStatus(event.status) if event.status else None,
        slot=_slot(event.slot_day, event.slot_kind),
        previous_slot=_slot(event.previous_slot_day, event.previous_slot_kind),
        assisted=event.assisted,
    )  # fmt: skip


def _repair_id(session: Session, ref: RepairRef) -> int:
    repair_id = session.scalar(select(RepairRow.id).where(RepairRow.reference == str(ref)))
    if repair_id is None:
        raise LookupError(f"no repair {ref}")
    return repair_id


def _queue_notices(session: Session, notices: dict[int, list[Notice]], at: datetime) -> None:
    """Store each notice once per dedupe key, whoever queues it and however often."""
    for repair_id, items in notices.items():
        for notice in items:
            values = {
                "repair_id": repair_id, "kind": notice.kind.value, "dedupe_key": notice.key,
                "slot_day": notice.slot.day if notice.slot else None,
                "slot_kind": notice.slot.kind.value if notice.slot else None,
                "state": PENDING, "attempts": 0, "due_at": at, "created_at": at,
            }  # fmt: skip
            session.execute(
                _insert(session)(TenantNoticeRow)
                .values(**values)
                .on_conflict_do_nothing(index_elements=["dedupe_key"])
            )


@dataclass(frozen=True)
class QueuedNotice:
    """A claimed notice with what sending it needs from the repair's read copy."""

    id: int
    kind: NoticeKind
    key: str
    repair_ref: RepairRef
    slot: Slot | None
    attempts: int
    mobile: str | None
    division: Division
    job_number: JobNumber | None
    status: BackendStatus
    appointment: Slot | None


class SqlNoticeQueue:
    """Claim due notices atomically (two workers never take the same row), then finish or
    defer each. The text-message service also dedupes on the key, so a retry after a crash
    between sending and finishing cannot text twice."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def claim(self, worker: str, now: datetime, lease: timedelta, limit: int) -> list[QueuedNotice]:
        due = or_(
            and_(TenantNoticeRow.state == PENDING, TenantNoticeRow.due_at <= now),
            and_(TenantNoticeRow.state == CLAIMED, TenantNoticeRow.claimed_at < now - lease),
        )
        with self._sessions.begin() as session:
            ids = session.scalars(
                select(TenantNoticeRow.id).where(due).order_by(TenantNoticeRow.id).limit(limit)
            ).all()
            won = [
                notice_id
                for notice_id in ids
                if session.execute(
                    update(TenantNoticeRow)
                    .where(TenantNoticeRow.id == notice_id, due)
                    .values(
                        state=CLAIMED,
                        claimed_by=worker,
                        claimed_at=now,
                        attempts=TenantNoticeRow.attempts + 1,
                    )  # fmt: skip
                ).rowcount  # type: ignore[attr-defined]
            ]
            if not won:
                return []
            found = session.execute(
                select(TenantNoticeRow, RepairRow, TenancySnapshotRow.division)
                .join(RepairRow, RepairRow.id == TenantNoticeRow.repair_id)
                .outerjoin(
                    TenancySnapshotRow, TenancySnapshotRow.tenancy_ref == RepairRow.tenancy_ref
                )
                .where(TenantNoticeRow.id.in_(won))
                .order_by(TenantNoticeRow.id)
            ).all()
            return [_queued(notice, row, division) for notice, row, division in found]

    def finish(self, notice_id: int, worker: str, at: datetime, *, sent: bool = True) -> None:
        self._release(notice_id, worker, state=DONE if sent else DROPPED, done_at=at)

    def defer(self, notice_id: int, worker: str, retry_at: datetime, error: str) -> None:
        self._release(notice_id, worker, state=PENDING, due_at=retry_at, last_error=error[:300])

    def _release(self, notice_id: int, worker: str, **values: Any) -> None:
        with self._sessions.begin() as session:
            session.execute(
                update(TenantNoticeRow)
                .where(
                    TenantNoticeRow.id == notice_id,
                    TenantNoticeRow.state == CLAIMED,
                    TenantNoticeRow.claimed_by == worker,
                )
                .values(**values)
            )


def _queued(notice: TenantNoticeRow, row: RepairRow, division: str | None) -> QueuedNotice:
    return QueuedNotice(
        id=notice.id, kind=NoticeKind(notice.kind), key=notice.dedupe_key,
        repair_ref=RepairRef(row.reference),
        slot=_slot(notice.slot_day, notice.slot_kind), attempts=notice.attempts,
        mobile=row.contact_mobile,
        division=Division(division) if division else Division.ENGLAND_AND_WALES,
        job_number=JobNumber(row.job_number) if row.job_number else None,
        status=BackendStatus(row.backend_status), appointment=_slot(row.slot_day, row.slot_kind),
    )  # fmt: skip
