"""In-memory stand-ins for the reporting service's ports.

`FakeRepairStore` keeps the same promises as `adapters.db.repairs_store.SqlRepairStore` and
passes the same contract (`store_contract.RepairStoreContract`), so service tests can run
without a database.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from repairs.refs import JobNumber, RepairRef, SubmissionId, TenancyRef
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

_T = TypeVar("_T")


@dataclass
class _Outbox:
    id: int
    ref: RepairRef
    kind: OutboxKind
    state: str
    attempts: int
    next_attempt_at: datetime
    claimed_by: str | None = None
    claimed_at: datetime | None = None
    last_error: str | None = None


@dataclass
class _Entry:
    repair: Repair
    facts: ReportFacts
    timeline: list[tuple[str, datetime, bool]] = field(default_factory=list)


class FakeRepairStore:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._entries: dict[RepairRef, _Entry] = {}
        self._by_submission: dict[SubmissionId, RepairRef] = {}
        self._outbox: dict[int, _Outbox] = {}
        self._tenancies: dict[TenancyRef, TenancyFacts] = {}

    # ------------------------------------------------------------------ test helpers

    def timeline(self, ref: RepairRef) -> list[str]:
        with self._lock:
            return [kind for kind, _, _ in self._entries[ref].timeline]

    def outbox_rows(self, ref: RepairRef) -> list[_Outbox]:
        with self._lock:
            return [copy.copy(row) for row in self._outbox.values() if row.ref == ref]

    # ------------------------------------------------------------------ repairs

    def add(self, repair: Repair, facts: ReportFacts, claimed_by: str) -> OutboxItem:
        with self._lock:
            existing = self._by_submission.get(repair.details.submission_id)
            if existing is not None:
                raise DuplicateSubmission(existing)
            if repair.ref in self._entries:
                raise ReferenceTaken(str(repair.ref))
            events = repair.pull_events()
            entry = _Entry(copy.deepcopy(repair), facts)
            self._entries[repair.ref] = entry
            self._by_submission[repair.details.submission_id] = repair.ref
            self._record(entry, events, facts.actor.assisted)
            at = repair.reported_at
            row = self._new_outbox(repair.ref, OutboxKind.RAISE_JOB, at)
            row.state, row.attempts, row.claimed_by, row.claimed_at = "claimed", 1, claimed_by, at
            return OutboxItem(row.id, repair.ref, row.kind, 1)

    def ref_for_submission(self, submission_id: SubmissionId) -> RepairRef | None:
        with self._lock:
            return self._by_submission.get(submission_id)

    def summary(self, ref: RepairRef) -> RepairSummary | None:
        with self._lock:
            entry = self._entries.get(ref)
            if entry is None:
                return None
            r, f, d = entry.repair, entry.facts, entry.repair.details
            updated = r.status_history[-1].at
            return RepairSummary(
                ref=r.ref,
                submission_id=d.submission_id,
                tenancy_ref=d.tenancy_ref,
                property_ref=d.property_ref,
                triage_path=f.triage_path,
                sor_code=d.sor_code,
                priority=d.priority,
                trade=d.trade,
                description=d.description,
                access_notes=f.access_notes,
                contact_mobile=f.contact_mobile,
                channel=d.channel,
                reported_at=d.reported_at,
                target_date=r.target.due_on,
                target_rule=r.target.rule,
                target_reason=r.target.reason,
                awaabs_law_case=r.awaabs_law_case,
                job_number=r.job_number,
                status=r.status,
                status_updated_at=updated,
                slot=r.appointment,
                completed_at=r.completed_at,
                raise_state=self._raise_state(r),
                photo_tokens=f.photo_tokens,
            )

    def load(self, ref: RepairRef) -> Repair | None:
        with self._lock:
            entry = self._entries.get(ref)
            return copy.deepcopy(entry.repair) if entry else None

    def update(self, ref: RepairRef, change: Callable[[Repair], _T], *, assisted: bool) -> _T:
        with self._lock:
            entry = self._entries.get(ref)
            if entry is None:
                raise LookupError(f"no repair {ref}")
            repair = copy.deepcopy(entry.repair)
            result = change(repair)  # raises before anything is stored, like a rollback
            self._record(entry, repair.pull_events(), assisted)
            entry.repair = repair
            return result

    # ------------------------------------------------------------------ outbox

    def claim_outbox(
        self, worker: str, now: datetime, lease: timedelta, limit: int
    ) -> list[OutboxItem]:
        with self._lock:
            due = sorted(
                (row for row in self._outbox.values() if _is_due(row, now, lease)),
                key=lambda row: (row.next_attempt_at, row.id),
            )[:limit]
            for row in due:
                row.state, row.claimed_by, row.claimed_at = "claimed", worker, now
                row.attempts += 1
            return [OutboxItem(row.id, row.ref, row.kind, row.attempts) for row in due]

    def finish_raise(
        self,
        item: OutboxItem,
        worker: str,
        job_number: JobNumber,
        at: datetime,
        follow_up: OutboxKind | None,
    ) -> None:
        with self._lock:
            self.update(
                item.repair_ref, lambda r: r.record_job_raised(job_number, at), assisted=False
            )
            self._release(item, worker, state="done")
            if follow_up is not None:
                self._queue(item.repair_ref, follow_up, at)

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
        with self._lock:
            row = self._release(item, worker, state="pending", last_error=error)
            if row is not None:
                row.next_attempt_at, row.claimed_by, row.claimed_at = retry_at, None, None
                if item.kind is OutboxKind.RAISE_JOB and item.attempts == 1:
                    self._entries[item.repair_ref].timeline.append(("raise_deferred", at, False))
            if follow_up is not None:
                self._queue(item.repair_ref, follow_up, at)

    def fail(self, item: OutboxItem, worker: str, error: str, at: datetime) -> None:
        with self._lock:
            row = self._release(item, worker, state="failed", last_error=error)
            if row is not None and item.kind is OutboxKind.RAISE_JOB:
                self._entries[item.repair_ref].timeline.append(("raise_failed", at, False))

    def finish(self, item: OutboxItem, worker: str, at: datetime) -> None:
        with self._lock:
            self._release(item, worker, state="done")

    # ------------------------------------------------------------------ tenancies

    def save_tenancy(self, facts: TenancyFacts, at: datetime) -> None:
        with self._lock:
            self._tenancies[facts.tenancy_ref] = facts

    def tenancy(self, tenancy_ref: TenancyRef) -> TenancyFacts | None:
        with self._lock:
            return self._tenancies.get(tenancy_ref)

    # ------------------------------------------------------------------ helpers

    def _record(self, entry: _Entry, events: list[object], assisted: bool) -> None:
        names = {
            "RepairReported": "reported",
            "JobRaised": "job_raised",
            "AppointmentBooked": "appointment_booked",
            "AppointmentRescheduled": "appointment_rescheduled",
            "AppointmentCancelled": "appointment_cancelled",
            "RepairStatusChanged": "status_changed",
            "RepairCompleted": "completed",
        }
        for event in events:
            at: datetime = event.at  # type: ignore[attr-defined]
            entry.timeline.append((names[type(event).__name__], at, assisted))

    def _new_outbox(self, ref: RepairRef, kind: OutboxKind, at: datetime) -> _Outbox:
        row = _Outbox(len(self._outbox) + 1, ref, kind, "pending", 0, at)
        self._outbox[row.id] = row
        return row

    def _queue(self, ref: RepairRef, kind: OutboxKind, at: datetime) -> None:
        if not any(row.ref == ref and row.kind is kind for row in self._outbox.values()):
            self._new_outbox(ref, kind, at)

    def _release(self, item: OutboxItem, worker: str, **values: object) -> _Outbox | None:
        row = self._outbox.get(item.id)
        if row is None or row.state != "claimed" or row.claimed_by != worker:
            return None
        for name, value in values.items():
            setattr(row, name, value)
        return row

    def _raise_state(self, repair: Repair) -> RaiseState:
        if repair.job_number is not None:
            return RaiseState.RAISED
        rows = [
            row
            for row in self._outbox.values()
            if row.ref == repair.ref and row.kind is OutboxKind.RAISE_JOB
        ]
        if not rows or rows[0].state == "claimed":
            return RaiseState.PENDING
        return RaiseState.FAILED if rows[0].state == "failed" else RaiseState.DEFERRED


def _is_due(row: _Outbox, now: datetime, lease: timedelta) -> bool:
    if row.state == "pending":
        return row.next_attempt_at <= now
    return row.state == "claimed" and row.claimed_at is not None and row.claimed_at < now - lease


@dataclass
class FakeRepairTexts:
    """Records the texts the service asked for; `fail_next` makes the next call raise."""

    sent: list[tuple[str, str, str]] = field(default_factory=list)
    fail_next: int = 0

    def book_later(self, ref: RepairRef, to: str) -> None:
        self._send("book_later", ref, to)

    def ready_to_book(self, ref: RepairRef, to: str) -> None:
        self._send("ready_to_book", ref, to)

    def _send(self, kind: str, ref: RepairRef, to: str) -> None:
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("the text service is not answering")
        self.sent.append((kind, str(ref), to))
