"""Following a repair: the change-feed sync, the tenant's timeline and the survey (R44-R46).

The sync keeps our read copy of each repair up to date from the backend's change feed, so
tracking pages read our database only. Every change goes through the Repair aggregate, so
states only move as it allows (R46). The store applies a batch, its texts and the new cursor
in one transaction, and only while this worker holds the feed's lease: a crash mid-batch
leaves everything as it was, and re-applying a batch changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, cast

from repairs.booking import RepairOnFile
from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import Clock
from repairs.local_time import local_date
from repairs.ports import BackendUnavailable, RepairOrders, StatusChange
from repairs.priorities import Priority
from repairs.refs import JobNumber, RepairRef, TenancyRef
from repairs.repair import BACKEND, PORTAL, Repair
from repairs.slots import Slot, SlotTimes, format_slot
from repairs.statuses import BackendStatus

log = logging.getLogger(__name__)

FEED_BATCH = 100
FEED_LEASE = timedelta(minutes=2)  # longer than a pass takes; a dead worker's lease runs out
MAX_BATCHES_PER_PASS = 20
# A text about a visit days ago (a worker catching up after an outage) is noise, not news.
NOTICE_MAX_AGE = timedelta(days=2)
SURVEY_COMMENT_MAX = 500  # R45


class NoticeKind(StrEnum):
    """Texts about a repair, named as in the landlord's message templates."""

    NO_ACCESS = "no_access"  # with a link to book again
    COMPLETED = "completed"  # with a link to the survey
    BOOK_REPAIR = "book_repair"  # R22: booking failed while the backend was down


@dataclass(frozen=True)
class Notice:
    kind: NoticeKind
    repair_ref: RepairRef
    key: str  # the same change always makes the same key, so a notice is stored once
    slot: Slot | None = None


@dataclass(frozen=True)
class FeedBatch:
    cursor: int  # where this batch was read from
    next_cursor: int
    jobs: tuple[JobNumber, ...]  # every job the batch names
    at: datetime  # when it was read: "last updated" on the tracking pages


class ApplyBatch(Protocol):
    def __call__(self, repairs: Mapping[JobNumber, Repair]) -> list[Notice]: ...


class FeedStore(Protocol):
    def claim_feed(self, holder: str, now: datetime, until: datetime) -> int | None:
        """Take the feed's lease and return its cursor; None while another worker holds it."""
        ...

    def apply_batch(self, holder: str, batch: FeedBatch, apply: ApplyBatch) -> bool:
        """One transaction: load our repairs with the batch's job numbers, run `apply`, store
        their events and the notices it returns, move the cursor to `batch.next_cursor` and
        record `batch.at` as the last sync. Stores nothing and returns False unless the cursor
        is still `batch.cursor` and `holder` still holds the lease."""
        ...

    def release_feed(self, holder: str) -> None: ...


@dataclass
class SyncReport:
    batches: int = 0
    changes: int = 0
    skipped: bool = False  # another worker holds the feed
    unavailable: bool = False  # the backend did not answer; the next pass tries again
    notices: list[Notice] = field(default_factory=list)


class ChangeFeedSync:
    def __init__(self, *, orders: RepairOrders, store: FeedStore, clock: Clock, holder: str,
                 batch_size: int = FEED_BATCH) -> None:  # fmt: skip
        self._orders = orders
        self._store = store
        self._clock = clock
        self._holder = holder
        self._batch_size = batch_size

    def run_once(self) -> SyncReport:
        """Pull and apply batches until the feed is drained (or a pass's limit)."""
        report = SyncReport()
        now = self._clock.now()
        cursor = self._store.claim_feed(self._holder, now, now + FEED_LEASE)
        if cursor is None:
            report.skipped = True
            return report
        try:
            for _ in range(MAX_BATCHES_PER_PASS):
                # No transaction is open during this call: the lease is what keeps others out.
                try:
                    batch = self._orders.changes_since(cursor, self._batch_size)
                except BackendUnavailable as error:
                    log.warning("change feed unavailable: %s", error)
                    report.unavailable = True
                    break
                now = self._clock.now()
                apply = _BatchApplier(batch.changes, now)
                jobs = tuple(sorted({change.job_number for change in batch.changes}))
                read = FeedBatch(cursor, batch.next_cursor, jobs, now)
                if not self._store.apply_batch(self._holder, read, apply):
                    log.warning("change feed lease lost at cursor %s; stopping", cursor)
                    break
                report.batches += 1
                report.changes += len(batch.changes)
                report.notices.extend(apply.notices)
                cursor = batch.next_cursor
                if len(batch.changes) < self._batch_size:
                    break
        finally:
            self._store.release_feed(self._holder)
        return report


class _BatchApplier:
    """Applies one batch to the repairs it names; keeps the notices it made for the report."""

    def __init__(self, changes: Sequence[StatusChange], now: datetime) -> None:
        self._changes = changes
        self._now = now
        self.notices: list[Notice] = []

    def __call__(self, repairs: Mapping[JobNumber, Repair]) -> list[Notice]:
        # Where each job's appointment ended up before any final status (a completed or
        # cancelled job's appointment can no longer change, but its history should show it).
        last_of_job = {c.job_number: c.sequence for c in self._changes if not c.status.is_final}
        touched: dict[RepairRef, tuple[Repair, StatusChange]] = {}
        for change in self._changes:
            repair = repairs.get(change.job_number)
            if repair is None:
                continue  # a job raised elsewhere (by phone, say): not ours to track
            last = last_of_job.get(change.job_number) == change.sequence
            apply_change(repair, change, reconcile=last)
            touched[repair.ref] = (repair, change)
        self.notices = [
            notice
            for repair, change in touched.values()
            if (notice := notice_for(repair, change, self._now)) is not None
        ]
        return self.notices


def _minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)


def apply_change(repair: Repair, change: StatusChange, *, reconcile: bool = True) -> None:
    """Bring one repair up to date with one feed change, through the aggregate (R46).

    The feed is in order, but our own records (a booking made on this site) can be newer
    than a change still to come through it. The backend's times are whole minutes, so a
    change before the minute of our latest own record is stale and skipped; our action made
    a later feed change of its own, which brings the same state. The appointment is compared
    on the last open change of each job in a batch only, so a batch never makes a to-and-fro.
    """
    latest = repair.status_history[-1]
    # A final status is the backend's last word, never stale; "logged" is only our own start.
    ours = latest.source == PORTAL and latest.status is not BackendStatus.LOGGED
    stale = ours and not change.status.is_final and change.changed_at < _minute(latest.at)
    if reconcile and not change.status.is_final and not _appointment_is_stale(repair, change):
        _reconcile_appointment(repair, change)
    if not stale:
        repair.record_status(change.status, change.changed_at, BACKEND)


def _appointment_is_stale(repair: Repair, change: StatusChange) -> bool:
    history = repair.appointment_history
    return bool(history) and change.changed_at < _minute(history[-1].at)


def _reconcile_appointment(repair: Repair, change: StatusChange) -> None:
    """Someone else (the operator, a phone call) may have booked, moved or cancelled it."""
    theirs = change.appointment.slot if change.appointment else None
    ours = repair.appointment
    if theirs == ours or repair.job_number is None or repair.status.is_final:
        return
    at = change.changed_at
    if theirs is None:
        repair.cancel_appointment(at, _NO_CALENDAR, _NO_DIVISION, allow_late=True)
    elif ours is None:
        repair.book(theirs, at)
    else:
        repair.reschedule(theirs, at, _NO_CALENDAR, _NO_DIVISION, allow_late=True)


class _NoCalendar:
    """allow_late=True never consults the R23 cut-off: the backend has already done it."""

    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"the calendar is not needed for backend changes ({name})")


_NO_CALENDAR = cast(WorkingDayCalendar, _NoCalendar())
_NO_DIVISION = Division.ENGLAND_AND_WALES  # never consulted either, as above


def notice_for(repair: Repair, change: StatusChange, now: datetime) -> Notice | None:
    """R46: tenants are texted when a job moves to no access or completed, if it is still
    there after the batch and the change is recent."""
    status = repair.status
    record = repair.status_history[-1]
    if record.source != BACKEND or now - record.at > NOTICE_MAX_AGE:
        return None
    if status is BackendStatus.NO_ACCESS:
        slot = change.appointment.slot if change.appointment else _last_slot(repair)
        key = f"no_access:{repair.ref}:{record.at.isoformat()}"
        return Notice(NoticeKind.NO_ACCESS, repair.ref, key, slot)
    if status is BackendStatus.COMPLETED:
        return Notice(NoticeKind.COMPLETED, repair.ref, f"completed:{repair.ref}")
    return None


def _last_slot(repair: Repair) -> Slot | None:
    history = repair.appointment_history
    return history[-1].slot if history else None


# ---------------------------------------------------------------- what the tenant sees


@dataclass(frozen=True)
class RepairLine:
    """One repair in the tenant's list, from our read copy (never the backend)."""

    ref: RepairRef
    description: str
    priority: Priority
    status: BackendStatus
    reported_at: datetime
    target_date: date
    slot: Slot | None
    completed_at: datetime | None
    status_updated_at: datetime


@dataclass(frozen=True)
class RepairPage:
    """Everything the repair's own page shows, read in a fixed number of queries."""

    on_file: RepairOnFile
    line: RepairLine
    timeline: tuple[TimelineRecord, ...]
    photos: tuple[str, ...]
    confirmed_at: datetime | None  # the tenant replied CONFIRM to the reminder
    survey_score: int | None
    synced_at: datetime | None  # the last time the feed was read: "last updated"
    raise_failed: bool = False  # the backend refused the job: staff must look at it


@dataclass(frozen=True)
class RepairLines:
    """One page of a tenancy's repairs: open ones first, each part newest first."""

    lines: tuple[RepairLine, ...]
    total: int  # repairs the tenancy has in all (open only, when only open were asked)


class TrackingReader(Protocol):
    def lines(self, tenancy_ref: TenancyRef, *, open_only: bool = False, offset: int = 0,
              limit: int = 20) -> RepairLines:  # fmt: skip
        """A page of the tenancy's repairs, in two queries whatever their number."""
        ...

    def page(self, ref: RepairRef, tenancy_ref: TenancyRef) -> RepairPage | None: ...

    def save_survey(self, ref: RepairRef, score: int, comment: str, *, assisted: bool,
                    at: datetime) -> bool:  # fmt: skip
        """R45: store the answer; False when this repair already has one."""
        ...


@dataclass(frozen=True)
class TimelineRecord:
    """One stored timeline row (codes only), as the store reads it."""

    kind: str
    at: datetime
    status: BackendStatus | None = None
    slot: Slot | None = None
    previous_slot: Slot | None = None
    assisted: bool = False  # R41: the tenant sees it was done with help, not by whom


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    assisted: bool = False


# Statuses worth a line of their own; "issued" and "appointment made" repeat other lines.
_STATUS_TITLES = {
    BackendStatus.IN_PROGRESS: "Operative attended",
    BackendStatus.NO_ACCESS: "No access: we could not get in",
    BackendStatus.FURTHER_WORK: "Further work needed",
    BackendStatus.CANCELLED: "Repair cancelled",
}


def timeline(
    records: Sequence[TimelineRecord], times: SlotTimes, today: date
) -> list[TimelineEntry]:
    """The repair's history in words, newest first (R44, R47)."""
    entries = [
        TimelineEntry(record.at, title, record.assisted)
        for record in records
        if (title := _title(record, times, today))
    ]
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


def _title(record: TimelineRecord, times: SlotTimes, today: date) -> str:
    def slot_text(slot: Slot | None) -> str:
        return format_slot(slot, times, today=today) if slot else ""

    match record.kind:
        case "reported":
            return "Repair reported"
        case "job_raised":
            return "Job raised with the repairs team"
        case "appointment_booked":
            return f"Appointment booked for {slot_text(record.slot)}"
        case "appointment_rescheduled":
            return f"Appointment changed to {slot_text(record.slot)}"
        case "appointment_cancelled":
            return f"Appointment for {slot_text(record.slot)} cancelled"
        case "completed":
            return "Job closed as completed"
        case "status_changed" if record.status is not None:
            return _STATUS_TITLES.get(record.status, "")
    return ""


# ---------------------------------------------------------------- the satisfaction survey


class SurveyNotOpen(Exception):
    """R45: the survey is for completed repairs only."""


class SurveyAlreadyAnswered(Exception):
    """One answer per repair."""


def survey_open(status: BackendStatus) -> bool:
    return status is BackendStatus.COMPLETED


def check_survey_answer(score: int, comment: str) -> str:
    """R45: a score of 1 to 5 and an optional comment; returns the comment as stored."""
    if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
        raise ValueError(f"score must be a whole number from 1 to 5, got {score!r}")
    comment = comment.strip()
    if len(comment) > SURVEY_COMMENT_MAX:
        raise ValueError(f"comment is {len(comment)} characters; the most is {SURVEY_COMMENT_MAX}")
    return comment


def today_in_london(clock: Clock) -> date:
    return local_date(clock.now())
