"""The change-feed sync: honest statuses through the aggregate, exactly once, one worker at a
time, and texts when a job reaches no access or completed (R44, R46)."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.clock import FakeClock
from adapters.housing.fake import FakeHousingBackend
from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.ports import NewRepairOrder
from repairs.priorities import Priority
from repairs.refs import JobNumber, PropertyRef, SubmissionId
from repairs.repair import PORTAL, Repair
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus as S
from repairs.tracking import ChangeFeedSync, NoticeKind
from tests.unit.booking.fakes import TENANCY, make_repair
from tests.unit.tracking.fakes import FakeFeedStore

pytestmark = pytest.mark.unit

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
SLOT = Slot(date(2026, 11, 26), SlotKind.AM)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def backend(clock: FakeClock) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def store() -> FakeFeedStore:
    return FakeFeedStore()


def sync(backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock,
         holder: str = "worker-1", batch_size: int = 100) -> ChangeFeedSync:  # fmt: skip
    return ChangeFeedSync(orders=backend, store=store, clock=clock, holder=holder,
                          batch_size=batch_size)  # fmt: skip


def raise_job(backend: FakeHousingBackend) -> JobNumber:
    order = NewRepairOrder(SubmissionId.generate(), TENANCY, PropertyRef("00200001"), "PL0103",
                           Priority.ROUTINE, "Kitchen sink will not drain")  # fmt: skip
    return backend.raise_repair(order).job_number


@pytest.fixture
def ours(backend: FakeHousingBackend, store: FakeFeedStore, policy: RepairsPolicy,
         calendar: WorkingDayCalendar) -> Repair:  # fmt: skip
    job = raise_job(backend)
    return store.add(make_repair(policy, calendar, job=job, reported_at=NOW - timedelta(hours=1)))


def stored(store: FakeFeedStore, repair: Repair) -> Repair:
    assert repair.job_number is not None
    return store.repairs[repair.job_number]


def test_statuses_from_the_feed_reach_our_read_copy_and_the_cursor_moves(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    job = ours.job_number
    clock.advance(timedelta(minutes=1))
    backend.set_status(job, S.ISSUED)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    backend.book(job, SLOT)  # type: ignore[arg-type]
    report = sync(backend, store, clock).run_once()
    assert report.changes == 3 and store.cursor == 3
    repair = stored(store, ours)
    assert repair.status is S.APPOINTMENT_MADE and repair.appointment == SLOT
    assert store.synced_at == clock.now() and store.lease is None


def test_running_again_or_replaying_a_batch_changes_nothing(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.NO_ACCESS)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    before = (copy.deepcopy(stored(store, ours).status_history), len(store.events),
              dict(store.notices))  # fmt: skip
    assert sync(backend, store, clock).run_once().changes == 0
    store.cursor = 0  # as if the cursor had not been stored: the same changes come again
    assert sync(backend, store, clock).run_once().changes == 2
    after = (stored(store, ours).status_history, len(store.events), store.notices)
    assert after == before


def test_only_one_worker_pulls_the_feed_at_a_time(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    store.claim_feed("worker-2", NOW, NOW + timedelta(minutes=2))
    report = sync(backend, store, clock).run_once()
    assert report.skipped and store.cursor == 0
    clock.advance(timedelta(minutes=3))  # worker-2 died: its lease runs out
    assert sync(backend, store, clock).run_once().changes == 1


def test_a_worker_that_lost_its_lease_stops_without_storing(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    for status in (S.ISSUED, S.IN_PROGRESS, S.COMPLETED):
        clock.advance(timedelta(minutes=1))
        backend.set_status(ours.job_number, status)  # type: ignore[arg-type]
    store.steal_lease_after = 1
    report = sync(backend, store, clock, batch_size=2).run_once()
    assert report.batches == 1 and store.cursor == 2


def test_batches_are_pulled_until_the_feed_is_drained(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    for status in (S.ISSUED, S.IN_PROGRESS, S.FURTHER_WORK, S.IN_PROGRESS):
        clock.advance(timedelta(minutes=1))
        backend.set_status(ours.job_number, status)  # type: ignore[arg-type]
    report = sync(backend, store, clock, batch_size=2).run_once()
    assert (report.batches, report.changes, store.cursor) == (3, 5, 5)


def test_while_the_backend_is_down_nothing_moves_and_the_lease_is_let_go(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    backend.go_down()
    report = sync(backend, store, clock).run_once()
    assert report.unavailable and store.cursor == 0 and store.lease is None
    backend.come_back()
    assert sync(backend, store, clock).run_once().changes == 1


def test_jobs_raised_elsewhere_are_passed_over(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    stranger = raise_job(backend)
    backend.set_status(stranger, S.COMPLETED)
    report = sync(backend, store, clock).run_once()
    assert report.changes == 3 and store.cursor == 3 and store.notices == {}


def test_a_status_never_moves_back_from_completed(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    # R46: states only move as the aggregate allows
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.COMPLETED)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.IN_PROGRESS)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    assert stored(store, ours).status is S.COMPLETED
    assert stored(store, ours).completed_at == NOW + timedelta(minutes=1)  # R44


def test_no_access_texts_a_rebook_link_with_the_missed_slot(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, SLOT)  # type: ignore[arg-type]
    clock.advance(timedelta(days=2))
    backend.set_status(ours.job_number, S.NO_ACCESS)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    [notice] = store.notices.values()
    assert (notice.kind, notice.repair_ref, notice.slot) == (NoticeKind.NO_ACCESS, ours.ref, SLOT)


def test_completion_texts_the_survey_link_once(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.COMPLETED)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    store.cursor = 0
    sync(backend, store, clock).run_once()
    assert [n.kind for n in store.notices.values()] == [NoticeKind.COMPLETED]


def test_no_text_for_no_access_that_was_rebooked_in_the_same_batch(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.NO_ACCESS)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, SLOT)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    assert store.notices == {}
    assert stored(store, ours).status is S.APPOINTMENT_MADE


def test_no_text_about_changes_days_old(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.COMPLETED)  # type: ignore[arg-type]
    clock.advance(timedelta(days=3))  # the worker was down
    sync(backend, store, clock).run_once()
    assert stored(store, ours).status is S.COMPLETED and store.notices == {}


def test_appointments_made_moved_and_cancelled_by_the_backend_reach_our_copy(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    later = Slot(date(2026, 11, 27), SlotKind.PM)
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, SLOT)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    assert stored(store, ours).appointment == SLOT
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, later)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    assert stored(store, ours).appointment == later
    clock.advance(timedelta(minutes=1))
    backend.cancel(ours.job_number)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    assert stored(store, ours).appointment is None
    assert stored(store, ours).status is S.ISSUED


def test_an_older_change_does_not_undo_a_booking_made_here_since(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    # The operator issued the job at 10:01; the tenant booked here at 10:05:30, and the feed
    # brings the 10:01 change afterwards: our newer record stands, with no to-and-fro.
    clock.set(NOW + timedelta(minutes=1))
    backend.set_status(ours.job_number, S.ISSUED)  # type: ignore[arg-type]
    booked_at = NOW + timedelta(minutes=5, seconds=30)
    repair = stored(store, ours)
    repair.book(SLOT, booked_at)
    repair.record_status(S.APPOINTMENT_MADE, booked_at, PORTAL)
    repair.pull_events()
    sync(backend, store, clock).run_once()
    assert stored(store, ours).status is S.APPOINTMENT_MADE
    assert stored(store, ours).appointment == SLOT
    assert store.events == []


def test_a_crash_mid_batch_stores_nothing_and_the_next_pass_applies_each_change_once(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair,
    policy: RepairsPolicy, calendar: WorkingDayCalendar, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    second = store.add(make_repair(policy, calendar, ref="RR-2222AA", job=raise_job(backend),
                                   reported_at=NOW - timedelta(hours=1)))  # fmt: skip
    for repair in (ours, second):
        clock.advance(timedelta(minutes=1))
        backend.set_status(repair.job_number, S.COMPLETED)  # type: ignore[arg-type]
    import repairs.tracking as tracking

    real = tracking.apply_change
    calls = []

    def crash_on_the_second_repair(repair: Repair, change: object, **kw: bool) -> None:
        calls.append(repair.ref)
        if repair.ref == second.ref:
            raise RuntimeError("worker killed mid-batch")
        real(repair, change, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(tracking, "apply_change", crash_on_the_second_repair)
    with pytest.raises(RuntimeError):
        sync(backend, store, clock).run_once()
    assert store.cursor == 0 and store.events == [] and store.lease is None
    assert stored(store, ours).status is S.LOGGED  # the first repair's change was not kept
    monkeypatch.setattr(tracking, "apply_change", real)
    sync(backend, store, clock).run_once()
    completed = [e for e in store.events if type(e).__name__ == "RepairCompleted"]
    assert sorted(e.repair_ref.value for e in completed) == ["RR-2222AA", "RR-7K3M9Q"]
    assert len(store.notices) == 2


def test_a_batch_records_only_where_the_appointment_ended_up(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, SLOT)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, Slot(date(2026, 11, 27), SlotKind.PM))  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    [record] = stored(store, ours).appointment_history
    assert record.slot == Slot(date(2026, 11, 27), SlotKind.PM)


def test_an_appointment_made_and_completed_in_one_batch_stays_in_the_history(
    backend: FakeHousingBackend, store: FakeFeedStore, clock: FakeClock, ours: Repair
) -> None:
    # R44: appointments kept are measured, so the visit must be on record
    clock.advance(timedelta(minutes=1))
    backend.book(ours.job_number, SLOT)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    backend.set_status(ours.job_number, S.COMPLETED)  # type: ignore[arg-type]
    sync(backend, store, clock).run_once()
    [record] = stored(store, ours).appointment_history
    assert record.slot == SLOT and stored(store, ours).status is S.COMPLETED
