"""FakeHousingBackend's own controls, and that it is safe to share between threads.

Its port behaviour is pinned by the contract tests in tests/contract/housing/."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest

from adapters.clock import FakeClock
from adapters.housing import fake_data, wire
from adapters.housing.fake import FakeHousingBackend
from repairs.ports import BackendUnavailable, NewRepairOrder, SlotUnavailable
from repairs.priorities import Priority
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from simulators.northgate.catalogue import load_catalogue
from tests.conftest import DEFAULT_NOW

pytestmark = pytest.mark.unit

TODAY = DEFAULT_NOW.date()


@pytest.fixture
def housing() -> FakeHousingBackend:
    return FakeHousingBackend(FakeClock(DEFAULT_NOW)).seed_demo()


def order(tenancy: str = "TEN-100001", prop: str = "00200001") -> NewRepairOrder:
    return NewRepairOrder(SubmissionId.generate(), TenancyRef(tenancy), PropertyRef(prop),
                          "PL0103", Priority.URGENT, "Kitchen sink will not drain")  # fmt: skip


def test_the_demo_tenancy_is_there_after_seeding(housing: FakeHousingBackend) -> None:
    tenancy = housing.match_tenant(TenancyRef("TEN-100001"), "NB1 2AB", date(1971, 3, 14))
    assert tenancy is not None and tenancy.active and tenancy.property.maintainable
    assert housing.jobs() == []


def test_an_added_tenancy_can_be_matched_and_gets_its_own_property() -> None:
    housing = FakeHousingBackend()
    first = housing.add_tenancy("TEN-900001", postcode="NB9 9ZZ", date_of_birth=date(1980, 1, 2))
    second = housing.add_tenancy("TEN-900002", postcode="NB9 9ZY", date_of_birth=date(1981, 1, 2))

    assert housing.match_tenant(first.ref, "nb9 9zz", date(1980, 1, 2)) == first
    assert first.property.ref != second.property.ref


def test_going_down_makes_every_call_unavailable_until_it_comes_back(
    housing: FakeHousingBackend,
) -> None:
    job = housing.raise_repair(order())
    housing.go_down()
    assert housing.is_down
    calls = [
        lambda: housing.tenancy(TenancyRef("TEN-100001")),
        lambda: housing.match_tenant(TenancyRef("TEN-100001"), "NB1 2AB", date(1971, 3, 14)),
        lambda: housing.raise_repair(order()),
        lambda: housing.repair(job.job_number),
        lambda: housing.repairs_for(TenancyRef("TEN-100001")),
        lambda: housing.changes_since(0),
        lambda: housing.cancel_repair(job.job_number, "no"),
        lambda: housing.available_slots(job.job_number, TODAY, TODAY),
        lambda: housing.book(job.job_number, Slot(TODAY, SlotKind.AM)),
        lambda: housing.cancel(job.job_number),
    ]
    for call in calls:
        with pytest.raises(BackendUnavailable):
            call()

    housing.come_back()
    assert housing.repair(job.job_number) == job


def test_a_filled_slot_shows_nothing_left_and_cannot_be_booked(
    housing: FakeHousingBackend,
) -> None:
    job = housing.raise_repair(order())
    offered = housing.available_slots(job.job_number, TODAY, TODAY + timedelta(days=6))
    slot = next(option.slot for option in offered if option.remaining > 0)

    housing.fill_slot(slot)

    after = housing.available_slots(job.job_number, TODAY, TODAY + timedelta(days=6))
    assert {option.slot: option.remaining for option in after}[slot] == 0
    with pytest.raises(SlotUnavailable):
        housing.book(job.job_number, slot)


def test_setting_a_status_appends_to_the_feed_and_cancelling_frees_the_slot(
    housing: FakeHousingBackend,
) -> None:
    job = housing.raise_repair(order())
    offered = housing.available_slots(job.job_number, TODAY, TODAY + timedelta(days=6))
    slot = next(option.slot for option in offered if option.remaining)
    housing.book(job.job_number, slot)

    updated = housing.set_status(str(job.job_number), "cancelled")

    assert updated.status is BackendStatus.CANCELLED and updated.appointment is None
    last = housing.changes_since(0).changes[-1]
    assert (last.job_number, last.status, last.sequence) == (job.job_number, updated.status, 3)


def test_the_fake_knows_the_trade_of_every_code_on_the_simulators_schedule_of_rates() -> None:
    for item in load_catalogue().values():
        assert fake_data.trade_for_sor(item.code) == wire.TRADES[item.trade], item.code


def test_the_same_submission_raised_from_many_threads_makes_one_job(
    housing: FakeHousingBackend,
) -> None:
    same = order()
    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = set(pool.map(lambda _: housing.raise_repair(same).job_number, range(40)))
    assert len(numbers) == 1
    assert len(housing.jobs()) == 1


def test_threads_racing_for_a_slot_never_overbook_it(housing: FakeHousingBackend) -> None:
    jobs = [housing.raise_repair(order()).job_number for _ in range(12)]
    offered = housing.available_slots(jobs[0], TODAY, TODAY + timedelta(days=13))
    target = max(offered, key=lambda option: option.remaining)
    start = threading.Barrier(len(jobs))

    def attempt(job: JobNumber) -> bool:
        start.wait()
        try:
            housing.book(job, target.slot)
        except SlotUnavailable:
            return False
        return True

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        booked = sum(pool.map(attempt, jobs))

    assert booked == target.remaining
