"""The RepairOrders port: the same behaviour from the fake and from Northgate over HTTP."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from repairs.ports import BackendRejected, ChangeBatch, StatusChange
from repairs.priorities import Priority, Trade
from repairs.refs import JobNumber, SubmissionId, TenancyRef
from repairs.slots import Slot
from repairs.statuses import BackendStatus
from tests.contract.housing.conftest import Housing, new_order
from tests.contract.housing.simulator import NOW, sor_for

pytestmark = pytest.mark.contract


def end_of_feed(housing: Housing) -> int:
    cursor = 0
    while True:
        batch: ChangeBatch = housing.backend.changes_since(cursor, 500)
        if not batch.changes:
            return cursor
        cursor = batch.next_cursor


def changes_of(housing: Housing, job: JobNumber, cursor: int) -> list[StatusChange]:
    batch: ChangeBatch = housing.backend.changes_since(cursor, 500)
    return [change for change in batch.changes if change.job_number == job]


def free_slot(housing: Housing, job: JobNumber) -> Slot:
    offered = housing.backend.available_slots(job, NOW.date(), NOW.date() + timedelta(days=13))
    slot: Slot = next(option.slot for option in offered if option.remaining > 0)
    return slot


class TestRepairOrders:
    def test_raising_a_repair_gives_a_logged_job_with_our_details(self, housing: Housing) -> None:
        plumbing = sor_for(Trade.PLUMBING)
        order = new_order(sor_code=plumbing.lower(), description="Water pooling under the sink")

        job = housing.backend.raise_repair(order)

        assert job.tenancy_ref == order.tenancy_ref
        assert job.property_ref == order.property_ref
        assert job.sor_code == plumbing
        assert job.priority is Priority.URGENT
        assert job.trade is Trade.PLUMBING  # from the schedule of rates, not from us
        assert job.description == "Water pooling under the sink"
        assert job.status is BackendStatus.LOGGED
        assert job.appointment is None
        assert job.external_ref == order.submission_id.value
        # The wire keeps minutes only: the instant is the clock's, to the minute, in UTC.
        assert abs(job.raised_at - NOW) < timedelta(minutes=1)

    def test_raising_the_same_submission_twice_returns_the_first_job(
        self, housing: Housing
    ) -> None:
        submission = SubmissionId.generate()
        first = housing.raise_job(submission_id=submission, tenancy="TEN-100002",
                                  property_ref="00200002")  # fmt: skip
        again = housing.raise_job(submission_id=submission, tenancy="TEN-100002",
                                  property_ref="00200002", description="Said twice")  # fmt: skip

        assert again == first
        listed = housing.backend.repairs_for(TenancyRef("TEN-100002"))
        assert [job.job_number for job in listed].count(first.job_number) == 1
        assert [job.external_ref for job in listed].count(submission.value) == 1

    def test_a_job_reads_back_as_it_was_raised(self, housing: Housing) -> None:
        job = housing.raise_job()
        assert housing.backend.repair(job.job_number) == job

    @pytest.mark.parametrize(
        ("priority", "trade"),
        [
            (Priority.EMERGENCY, Trade.PLUMBING),
            (Priority.URGENT, Trade.ELECTRICAL),
            (Priority.ROUTINE, Trade.CARPENTRY),
            (Priority.DAMP_AND_MOULD, Trade.DAMP_AND_MOULD),  # R9
        ],
    )
    def test_every_priority_and_trade_survives_the_round_trip(
        self, housing: Housing, priority: Priority, trade: Trade
    ) -> None:
        job = housing.raise_job(sor_code=sor_for(trade), priority=priority)
        read = housing.backend.repair(job.job_number)
        assert (read.priority, read.trade) == (priority, trade)

    @pytest.mark.parametrize(
        "changes",
        [
            {"sor_code": "ZZ9999"},  # not on the schedule of rates
            {"tenancy": "TEN-100003", "property_ref": "00200003"},  # R17: not maintained
            {"tenancy": "TEN-100004", "property_ref": "00200004"},  # tenancy ended
            {"tenancy": "TEN-100001", "property_ref": "00200002"},  # not the tenancy's home
            {"tenancy": "TEN-999999", "property_ref": "00200001"},  # no such tenancy
        ],
        ids=["unknown-sor", "not-maintained", "ended", "wrong-property", "unknown-tenancy"],
    )
    def test_a_job_the_backend_may_not_take_is_rejected(
        self, housing: Housing, changes: dict[str, Any]
    ) -> None:
        order = new_order(**changes)
        with pytest.raises(BackendRejected):
            housing.backend.raise_repair(order)

    def test_reading_an_unknown_job_is_rejected(self, housing: Housing) -> None:
        with pytest.raises(BackendRejected):
            housing.backend.repair(JobNumber("49999999"))

    def test_a_tenancys_repairs_are_listed_newest_first(self, housing: Housing) -> None:
        older = housing.raise_job(tenancy="TEN-100005", property_ref="00200005")
        newer = housing.raise_job(tenancy="TEN-100005", property_ref="00200005")

        numbers = [job.job_number for job in housing.backend.repairs_for(TenancyRef("TEN-100005"))]

        assert numbers.index(newer.job_number) < numbers.index(older.job_number)
        assert numbers == sorted(numbers, key=lambda number: int(number.value), reverse=True)

    def test_every_page_of_a_long_history_is_listed(self, housing: Housing) -> None:
        # More than the wire's 20 a page, so the adapter must follow the pages.
        raised = {housing.raise_job(tenancy="TEN-100006", property_ref="00200006").job_number
                  for _ in range(23)}  # fmt: skip

        listed = [job.job_number for job in housing.backend.repairs_for(TenancyRef("TEN-100006"))]

        assert raised <= set(listed)
        assert len(listed) == len(set(listed))
        assert all(job.tenancy_ref.value == "TEN-100006"
                   for job in housing.backend.repairs_for(TenancyRef("TEN-100006")))  # fmt: skip

    def test_listing_the_repairs_of_an_unknown_tenancy_is_rejected(self, housing: Housing) -> None:
        with pytest.raises(BackendRejected):
            housing.backend.repairs_for(TenancyRef("TEN-999999"))

    def test_the_change_feed_tells_of_a_new_job_and_of_its_booking(self, housing: Housing) -> None:
        cursor = end_of_feed(housing)
        job = housing.raise_job(sor_code=sor_for(Trade.GENERAL))
        slot = free_slot(housing, job.job_number)
        housing.backend.book(job.job_number, slot)

        mine = changes_of(housing, job.job_number, cursor)

        assert [change.status for change in mine] == [
            BackendStatus.LOGGED,
            BackendStatus.APPOINTMENT_MADE,
        ]
        assert mine[0].appointment is None
        assert mine[1].appointment is not None and mine[1].appointment.slot == slot
        assert cursor < mine[0].sequence < mine[1].sequence
        assert all(abs(change.changed_at - NOW) < timedelta(minutes=1) for change in mine)

    def test_the_change_feed_pages_by_limit_without_skipping_or_repeating(
        self, housing: Housing
    ) -> None:
        cursor = end_of_feed(housing)
        jobs = [housing.raise_job().job_number for _ in range(3)]

        seen: list[StatusChange] = []
        while True:
            batch = housing.backend.changes_since(cursor, 2)
            assert len(batch.changes) <= 2
            if not batch.changes:
                assert batch.next_cursor == cursor  # nothing new: the cursor stays
                break
            assert batch.next_cursor == batch.changes[-1].sequence
            seen += batch.changes
            cursor = batch.next_cursor

        sequences = [change.sequence for change in seen]
        assert sequences == sorted(set(sequences))  # strictly increasing
        assert [change.job_number for change in seen] == jobs

    def test_a_status_set_by_the_backend_reaches_the_change_feed(self, housing: Housing) -> None:
        job = housing.raise_job()
        cursor = end_of_feed(housing)

        housing.set_status(job.job_number, BackendStatus.NO_ACCESS)

        assert [c.status for c in changes_of(housing, job.job_number, cursor)] == [
            BackendStatus.NO_ACCESS
        ]
        assert housing.backend.repair(job.job_number).status is BackendStatus.NO_ACCESS

    @pytest.mark.parametrize(("cursor", "limit"), [(-1, 10), (0, 0), (0, 501)])
    def test_a_bad_cursor_or_limit_is_a_bug_on_our_side(
        self, housing: Housing, cursor: int, limit: int
    ) -> None:
        with pytest.raises(ValueError, match="limit"):
            housing.backend.changes_since(cursor, limit)

    def test_cancelling_a_repair_closes_it_and_frees_its_slot(self, housing: Housing) -> None:
        job = housing.raise_job(sor_code=sor_for(Trade.ROOFING))
        slot = free_slot(housing, job.job_number)
        housing.backend.book(job.job_number, slot)
        cursor = end_of_feed(housing)

        housing.backend.cancel_repair(job.job_number, "Tenant fixed it")

        read = housing.backend.repair(job.job_number)
        assert read.status is BackendStatus.CANCELLED
        assert read.appointment is None
        assert [c.status for c in changes_of(housing, job.job_number, cursor)] == [
            BackendStatus.CANCELLED
        ]

    @pytest.mark.parametrize("final", [BackendStatus.COMPLETED, BackendStatus.CANCELLED])
    def test_a_closed_job_cannot_be_cancelled(self, housing: Housing, final: BackendStatus) -> None:
        job = housing.raise_job()
        housing.set_status(job.job_number, final)
        with pytest.raises(BackendRejected):
            housing.backend.cancel_repair(job.job_number, "Too late")
