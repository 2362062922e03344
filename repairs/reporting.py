"""Report a repair and raise it in the housing system exactly once (R11, R17, R44, R9, R15).

How a report becomes a job:

1. `submit(ReportRepair)` counts the target (R1-R10) from the report instant (R11) and calls
   `RepairStore.add`, which in ONE transaction stores the repair, its first timeline entry, its
   photos and a `raise_job` outbox row already claimed by this caller. A second submit with the
   same submission id (double-click, back-and-resubmit) returns the first repair instead.
2. Outside that transaction it tries to raise the job at once (the adapter's short timeout).
   Raised: the job number is recorded and the tenant can choose a slot. Backend unavailable:
   the claim is released with a back-off, a `text_book_later` row is queued, and the tenant is
   told what happens next. Rejected: the row is marked failed for staff to look at.
3. `relay_outbox(worker_id)` (a worker interval job) claims due rows atomically, so two workers
   never take the same row, and raises the job (idempotent on the submission id, the adapter's
   EXT_REF) or sends the text. A job raised by the worker queues `text_book_repair`, the link to
   book. A claim older than the lease (a process died mid-call) may be taken again; the
   backend's idempotency makes that retry harmless.

Emergencies, gas and cannot-report-online answers never reach here (no job, R13-R15); damp and
mould is stored and raised as an Awaab's Law case but never offered slots (R9).

The second half of the journey (booking, tracking) uses `RepairStore.load/update` with the
`repairs.repair.Repair` aggregate, and `RepairStore.summary` for pages.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol, TypeVar

from repairs.calendar import Division, WorkingDayCalendar
from repairs.clock import Clock
from repairs.periods import TargetRule
from repairs.ports import (
    BackendRejected,
    BackendUnavailable,
    NewRepairOrder,
    RepairOrders,
    Tenancies,
    Tenancy,
    Tenure,
)
from repairs.priorities import Channel, Priority, Trade
from repairs.refs import JobNumber, PropertyRef, RepairRef, SubmissionId, TenancyRef
from repairs.repair import Repair, RepairDetails
from repairs.slots import Slot
from repairs.statuses import BackendStatus
from repairs.targets import Target, TargetPolicy
from repairs.triage import (
    Bookable,
    CannotReportReason,
    DampAndMould,
    Reportable,
    TriageAnswers,
    TriageTree,
)

log = logging.getLogger(__name__)
_T = TypeVar("_T")


class ActorKind(StrEnum):
    TENANT = "tenant"
    STAFF = "staff"


@dataclass(frozen=True)
class Actor:
    """Who did it (R41): the tenant, or a staff member acting for them under their own id."""

    kind: ActorKind
    staff_id: str | None = None

    @classmethod
    def tenant(cls) -> Actor:
        return cls(ActorKind.TENANT)

    @classmethod
    def staff(cls, staff_id: str) -> Actor:
        if not staff_id.strip():
            raise ValueError("a staff actor needs the staff member's id")
        return cls(ActorKind.STAFF, staff_id)

    @property
    def assisted(self) -> bool:
        return self.kind is ActorKind.STAFF

    @property
    def channel(self) -> Channel:
        return Channel.ASSISTED if self.assisted else Channel.ONLINE  # R44


@dataclass(frozen=True)
class TenancyFacts:
    """What reporting needs to know about a tenancy; kept as a snapshot for when the backend is
    down."""

    tenancy_ref: TenancyRef
    property_ref: PropertyRef
    tenure: Tenure
    division: Division
    maintainable: bool
    active: bool

    @classmethod
    def of(cls, tenancy: Tenancy) -> TenancyFacts:
        p = tenancy.property
        return cls(tenancy.ref, p.ref, tenancy.tenure, p.division, p.maintainable, tenancy.active)

    def refusal(self) -> CannotReportReason | None:
        """R15, R17: why this tenancy cannot report repairs online, if it cannot."""
        if self.tenure is Tenure.LEASEHOLD:
            return CannotReportReason.LEASEHOLDER
        if not (self.active and self.maintainable):
            return CannotReportReason.OTHER
        return None


class OutboxKind(StrEnum):
    RAISE_JOB = "raise_job"
    TEXT_BOOK_LATER = "text_book_later"  # "we could not reach the repairs system"
    TEXT_BOOK_REPAIR = "text_book_repair"  # "your repair is ready to book: <link>"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    repair_ref: RepairRef
    kind: OutboxKind
    attempts: int  # including the current claim


class RaiseState(StrEnum):
    RAISED = "raised"  # the backend has the job
    PENDING = "pending"  # being raised right now
    DEFERRED = "deferred"  # the backend did not answer; the worker will retry
    FAILED = "failed"  # the backend refused it; staff must look


@dataclass(frozen=True)
class ReportFacts:
    """What the store keeps beside the aggregate."""

    triage_path: str
    access_notes: str
    contact_mobile: str | None
    actor: Actor
    right_to_repair: bool  # R7
    photo_tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class RepairSummary:
    """The read copy pages show: never needs the backend."""

    ref: RepairRef
    submission_id: SubmissionId
    tenancy_ref: TenancyRef
    property_ref: PropertyRef
    triage_path: str
    sor_code: str
    priority: Priority
    trade: Trade
    description: str
    access_notes: str
    contact_mobile: str | None
    channel: Channel
    reported_at: datetime
    target_date: date
    target_rule: TargetRule
    target_reason: str
    awaabs_law_case: bool
    job_number: JobNumber | None
    status: BackendStatus
    status_updated_at: datetime
    slot: Slot | None
    completed_at: datetime | None
    raise_state: RaiseState
    photo_tokens: tuple[str, ...]

    @property
    def bookable(self) -> bool:
        """R9, R14: only ordinary repairs are booked by the tenant."""
        return not self.awaabs_law_case and self.priority is not Priority.DAMP_AND_MOULD


class DuplicateSubmission(Exception):
    def __init__(self, ref: RepairRef) -> None:
        self.ref = ref
        super().__init__(f"submission already stored as {ref}")


class ReferenceTaken(Exception):
    """The random reference collided with another repair's: pick another."""


class TenancyUnknown(Exception):
    """The backend cannot confirm the tenancy now and we hold no snapshot of it."""


class NotReportable(Exception):
    """The answers or the tenancy lead to an exit, not a repair (R13-R15, R17)."""


class RepairStore(Protocol):
    def add(self, repair: Repair, facts: ReportFacts, claimed_by: str) -> OutboxItem:
        """One transaction: repair, timeline, photos, and its raise_job row claimed by
        `claimed_by`. Raises DuplicateSubmission or ReferenceTaken."""
        ...

    def ref_for_submission(self, submission_id: SubmissionId) -> RepairRef | None: ...

    def summary(self, ref: RepairRef) -> RepairSummary | None: ...

    def load(self, ref: RepairRef) -> Repair | None: ...

    def update(self, ref: RepairRef, change: Callable[[Repair], _T], *, assisted: bool) -> _T:
        """Lock, load, change, persist the events the change raised; in one transaction.
        Never call the backend inside `change`."""
        ...

    def claim_outbox(
        self, worker: str, now: datetime, lease: timedelta, limit: int
    ) -> list[OutboxItem]:
        """Due rows (pending and due, or claimed longer ago than `lease`), claimed atomically."""
        ...

    def finish_raise(
        self,
        item: OutboxItem,
        worker: str,
        job_number: JobNumber,
        at: datetime,
        follow_up: OutboxKind | None,
    ) -> None: ...

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
        """Release the claim until `retry_at`; queue `follow_up` (due at `at`) once."""
        ...

    def fail(self, item: OutboxItem, worker: str, error: str, at: datetime) -> None: ...

    def finish(self, item: OutboxItem, worker: str, at: datetime) -> None: ...

    def save_tenancy(self, facts: TenancyFacts, at: datetime) -> None: ...

    def tenancy(self, tenancy_ref: TenancyRef) -> TenancyFacts | None: ...


class RepairTexts(Protocol):
    """The texts this module sends; the portal adapts it to the messaging service."""

    def book_later(self, ref: RepairRef, to: str) -> None: ...

    def ready_to_book(self, ref: RepairRef, to: str) -> None: ...


@dataclass(frozen=True)
class ReportRepair:
    submission_id: SubmissionId  # made when the draft started: the idempotency key
    actor: Actor
    tenancy: TenancyFacts
    answers: TriageAnswers
    description: str
    access_notes: str = ""
    contact_mobile: str | None = None  # E.164, already checked as a UK mobile (R26)
    photo_tokens: tuple[str, ...] = ()


@dataclass(frozen=True)
class Submitted:
    ref: RepairRef
    raise_state: RaiseState
    first_time: bool  # False when this was a resubmit of a stored report


@dataclass(frozen=True)
class RetryPolicy:
    first_delay: timedelta = timedelta(seconds=30)
    max_delay: timedelta = timedelta(minutes=15)
    # Longer than the adapter's timeout with its read retries: a claim this old is abandoned.
    lease: timedelta = timedelta(minutes=2)

    def delay(self, attempts: int) -> timedelta:
        delay: timedelta = self.first_delay * 2 ** max(attempts - 1, 0)
        return min(delay, self.max_delay)


@dataclass
class RelayCounts:
    claimed: int = 0
    raised: int = 0
    deferred: int = 0
    failed: int = 0
    texts: int = 0


class ReportingService:
    def __init__(
        self,
        *,
        store: RepairStore,
        tenancies: Tenancies,
        orders: RepairOrders,
        texts: RepairTexts,
        tree: TriageTree,
        targets: TargetPolicy,
        calendar: WorkingDayCalendar,
        clock: Clock,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.store = store
        self.tree = tree
        self._tenancies = tenancies
        self._orders = orders
        self._texts = texts
        self._targets = targets
        self._calendar = calendar
        self._clock = clock
        self._retry = retry or RetryPolicy()

    def tenancy_facts(self, tenancy_ref: TenancyRef) -> TenancyFacts:
        """From the backend when it answers (and kept); else the last snapshot we read."""
        try:
            facts = TenancyFacts.of(self._tenancies.tenancy(tenancy_ref))
        except BackendUnavailable:
            snapshot = self.store.tenancy(tenancy_ref)
            if snapshot is None:
                raise TenancyUnknown(str(tenancy_ref)) from None
            return snapshot
        except BackendRejected:
            raise TenancyUnknown(str(tenancy_ref)) from None
        self.store.save_tenancy(facts, self._clock.now())
        return facts

    def reportable(self, answers: TriageAnswers) -> Reportable:
        """The outcome when it becomes a repair; NotReportable for exits (UnknownAnswer if the
        answers are not in the tree)."""
        outcome = self.tree.leaf(answers).outcome
        if not isinstance(outcome, Bookable | DampAndMould):
            raise NotReportable(f"{answers.path} ends in {outcome.kind}")
        return outcome

    def expectation(
        self, facts: TenancyFacts, outcome: Reportable, at: datetime | None = None
    ) -> Target:
        """R8: the target counted as if reported at `at` (now): shown before submitting."""
        return self._targets.target_for(
            self._calendar,
            reported_at=at or self._clock.now(),
            priority=outcome.priority,
            tenure=facts.tenure,
            division=facts.division,
            defect=outcome.right_to_repair,
        )

    def submit(self, command: ReportRepair) -> Submitted:
        existing = self.store.ref_for_submission(command.submission_id)
        if existing is not None:
            return self._resubmitted(existing)
        outcome = self.reportable(command.answers)
        if command.tenancy.refusal() is not None:
            raise NotReportable(f"tenancy cannot report online: {command.tenancy.refusal()}")
        claim = f"submit:{uuid.uuid4().hex[:12]}"
        try:
            repair, item = self._store_new(command, outcome, claim)
        except DuplicateSubmission as duplicate:
            return self._resubmitted(duplicate.ref)
        log.info(
            "repair %s reported (%s, %s)", repair.ref, outcome.priority, repair.details.channel
        )
        return Submitted(repair.ref, self._raise(item, claim), first_time=True)

    def relay_outbox(self, worker: str, limit: int = 20) -> RelayCounts:
        counts = RelayCounts()
        items = self.store.claim_outbox(worker, self._clock.now(), self._retry.lease, limit)
        counts.claimed = len(items)
        for item in items:
            try:
                self._relay_one(item, worker, counts)
            except Exception as error:  # one bad row must not stop the others
                log.exception("outbox %s (%s) failed; will retry", item.id, item.kind)
                now = self._clock.now()
                retry_at = now + self._retry.delay(item.attempts)
                self.store.defer(item, worker, error=_error_text(error), at=now, retry_at=retry_at)
        return counts

    def _resubmitted(self, ref: RepairRef) -> Submitted:
        summary = self.store.summary(ref)
        state = summary.raise_state if summary is not None else RaiseState.PENDING
        return Submitted(ref, state, first_time=False)

    def _store_new(
        self, command: ReportRepair, outcome: Reportable, claim: str
    ) -> tuple[Repair, OutboxItem]:
        now = self._clock.now()  # R11: the one awareness instant, stored once
        target = self.expectation(command.tenancy, outcome, now)
        facts = ReportFacts(
            triage_path=command.answers.path,
            access_notes=command.access_notes.strip(),
            contact_mobile=command.contact_mobile,
            actor=command.actor,
            right_to_repair=target.right_to_repair,
            photo_tokens=command.photo_tokens,
        )
        for _ in range(5):
            repair = Repair.report(self._details(command, outcome, now), target)
            try:
                return repair, self.store.add(repair, facts, claim)
            except ReferenceTaken:
                continue
        raise ReferenceTaken("five random references in a row were taken")

    @staticmethod
    def _details(command: ReportRepair, outcome: Reportable, now: datetime) -> RepairDetails:
        return RepairDetails(
            ref=RepairRef.generate(),
            submission_id=command.submission_id,
            tenancy_ref=command.tenancy.tenancy_ref,
            property_ref=command.tenancy.property_ref,
            sor_code=outcome.sor_code,
            description=command.description.strip(),
            priority=outcome.priority,
            trade=outcome.trade,
            channel=command.actor.channel,
            reported_at=now,
        )

    def _raise(self, item: OutboxItem, worker: str, *, by_worker: bool = False) -> RaiseState:
        summary = self.store.summary(item.repair_ref)
        if summary is None:
            raise LookupError(f"outbox {item.id}: repair {item.repair_ref} is gone")
        try:
            order = self._orders.raise_repair(_order(summary))
        except BackendRejected as error:
            self.store.fail(item, worker, _error_text(error), self._clock.now())
            log.error("repair %s: housing system refused the job: %s", item.repair_ref, error)
            return RaiseState.FAILED
        except Exception as error:
            # Unavailable, or something we did not expect: the repair is safe in our database,
            # so it is tried again later instead of failing the tenant's page.
            if not isinstance(error, BackendUnavailable):
                log.exception("repair %s: raising the job failed unexpectedly", item.repair_ref)
            return self._defer(item, worker, summary, error)
        # The tenant who submitted went straight to booking; a later raise needs a text.
        texts_link = by_worker and summary.bookable and summary.contact_mobile is not None
        follow_up = OutboxKind.TEXT_BOOK_REPAIR if texts_link else None
        self.store.finish_raise(item, worker, order.job_number, self._clock.now(), follow_up)
        log.info("repair %s raised as job %s", item.repair_ref, order.job_number)
        return RaiseState.RAISED

    def _defer(
        self, item: OutboxItem, worker: str, summary: RepairSummary, error: Exception
    ) -> RaiseState:
        follow_up = OutboxKind.TEXT_BOOK_LATER if summary.contact_mobile else None
        now = self._clock.now()
        retry_at = now + self._retry.delay(item.attempts)
        self.store.defer(
            item, worker, error=_error_text(error), at=now, retry_at=retry_at, follow_up=follow_up
        )
        log.warning("repair %s: job not raised yet; retry at %s", item.repair_ref,
                    retry_at.isoformat())  # fmt: skip
        return RaiseState.DEFERRED

    def _relay_one(self, item: OutboxItem, worker: str, counts: RelayCounts) -> None:
        if item.kind is OutboxKind.RAISE_JOB:
            state = self._raise(item, worker, by_worker=True)
            counts.raised += state is RaiseState.RAISED
            counts.deferred += state is RaiseState.DEFERRED
            counts.failed += state is RaiseState.FAILED
            return
        summary = self.store.summary(item.repair_ref)
        if summary is None or summary.contact_mobile is None:
            self.store.finish(item, worker, self._clock.now())
            return
        if item.kind is OutboxKind.TEXT_BOOK_LATER:
            # Already raised by the time we got here: "we could not reach it" is no longer news.
            if summary.job_number is None:
                self._texts.book_later(summary.ref, summary.contact_mobile)
                counts.texts += 1
        elif item.kind is OutboxKind.TEXT_BOOK_REPAIR:
            self._texts.ready_to_book(summary.ref, summary.contact_mobile)
            counts.texts += 1
        self.store.finish(item, worker, self._clock.now())


def _order(summary: RepairSummary) -> NewRepairOrder:
    return NewRepairOrder(
        submission_id=summary.submission_id,
        tenancy_ref=summary.tenancy_ref,
        property_ref=summary.property_ref,
        sor_code=summary.sor_code,
        priority=summary.priority,
        description=summary.description,
        access_notes=summary.access_notes,
    )


def _error_text(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:300]
