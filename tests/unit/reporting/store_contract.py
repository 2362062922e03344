"""What every RepairStore promises. Run over the in-memory fake (unit) and the SQL store on
SQLite and PostgreSQL (integration): subclass and provide a `store` fixture."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repairs.calendar import Division
from repairs.ports import Tenure
from repairs.refs import JobNumber, RepairRef, SubmissionId
from repairs.repair import RepairRuleBroken
from repairs.reporting import (
    DuplicateSubmission,
    OutboxKind,
    RaiseState,
    ReferenceTaken,
)
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus
from tests.unit.reporting.support import MOBILE, demo_facts, facts, new_repair

LEASE = timedelta(minutes=2)


class RepairStoreContract:
    @pytest.fixture
    def store(self):  # pragma: no cover - provided by subclasses
        raise NotImplementedError

    def test_a_stored_repair_reads_back_with_its_target_and_a_claimed_raise(self, store, clock):
        repair = new_repair(clock.now())
        item = store.add(repair, facts(), claimed_by="web-1")
        summary = store.summary(repair.ref)
        assert summary.ref == repair.ref
        assert summary.reported_at == clock.now()  # R11
        assert summary.target_date == repair.target.due_on == date(2026, 12, 1)
        assert summary.access_notes == "Dog in the garden"
        assert summary.contact_mobile == MOBILE
        assert summary.status is BackendStatus.LOGGED
        assert summary.raise_state is RaiseState.PENDING
        assert (item.kind, item.attempts, item.repair_ref) == (OutboxKind.RAISE_JOB, 1, repair.ref)

    def test_the_same_submission_is_stored_once(self, store, clock):
        submission = SubmissionId.generate()
        first = new_repair(clock.now(), submission_id=submission)
        store.add(first, facts(), claimed_by="web-1")
        with pytest.raises(DuplicateSubmission) as duplicate:
            store.add(new_repair(clock.now(), submission_id=submission), facts(), "web-2")
        assert duplicate.value.ref == first.ref
        assert store.ref_for_submission(submission) == first.ref

    def test_a_reference_that_is_already_taken_is_refused(self, store, clock):
        ref = RepairRef("RR-234567")
        store.add(new_repair(clock.now(), ref=ref), facts(), claimed_by="web-1")
        with pytest.raises(ReferenceTaken):
            store.add(new_repair(clock.now(), ref=ref), facts(), claimed_by="web-1")

    def test_unknown_repairs_and_submissions_are_none(self, store):
        assert store.summary(RepairRef("RR-999999")) is None
        assert store.load(RepairRef("RR-999999")) is None
        assert store.ref_for_submission(SubmissionId.generate()) is None

    def test_the_loaded_aggregate_is_the_one_stored(self, store, clock):
        repair = new_repair(clock.now())
        store.add(repair, facts(), claimed_by="web-1")
        loaded = store.load(repair.ref)
        assert loaded.details == repair.details
        assert loaded.target == repair.target
        assert loaded.status is BackendStatus.LOGGED and loaded.job_number is None

    def test_updates_are_stored_through_the_aggregate(self, store, clock):
        repair = new_repair(clock.now())
        store.add(repair, facts(), claimed_by="web-1")
        at = clock.now() + timedelta(minutes=5)
        slot = Slot(date(2026, 11, 27), SlotKind.AM)
        store.update(
            repair.ref, lambda r: r.record_job_raised(JobNumber("40000001"), at), assisted=False
        )
        store.update(repair.ref, lambda r: r.book(slot, at), assisted=True)
        store.update(
            repair.ref,
            lambda r: r.record_status(BackendStatus.APPOINTMENT_MADE, at),
            assisted=False,
        )
        summary = store.summary(repair.ref)
        assert summary.job_number == JobNumber("40000001")
        assert summary.slot == slot
        assert summary.status is BackendStatus.APPOINTMENT_MADE
        assert summary.status_updated_at == at
        assert store.load(repair.ref).appointment == slot

    def test_an_update_that_breaks_a_rule_changes_nothing(self, store, clock):
        repair = new_repair(clock.now())
        store.add(repair, facts(), claimed_by="web-1")
        slot = Slot(date(2026, 11, 27), SlotKind.AM)
        with pytest.raises(RepairRuleBroken):
            store.update(repair.ref, lambda r: r.book(slot, clock.now()), assisted=False)
        assert store.summary(repair.ref).slot is None

    def test_a_fresh_claim_is_not_taken_by_another_worker_until_its_lease_runs_out(
        self, store, clock
    ):
        repair = new_repair(clock.now())
        store.add(repair, facts(), claimed_by="web-1")
        assert store.claim_outbox("worker-a", clock.now() + LEASE / 2, LEASE, 10) == []
        [taken] = store.claim_outbox("worker-a", clock.now() + LEASE * 2, LEASE, 10)
        assert (taken.repair_ref, taken.attempts) == (repair.ref, 2)
        assert store.claim_outbox("worker-b", clock.now() + LEASE * 2, LEASE, 10) == []

    def test_a_deferred_raise_waits_for_its_retry_and_queues_its_text_once(self, store, clock):
        repair = new_repair(clock.now())
        item = store.add(repair, facts(), claimed_by="web-1")
        retry_at = clock.now() + timedelta(seconds=30)
        store.defer(
            item,
            "web-1",
            error="down",
            at=clock.now(),
            retry_at=retry_at,
            follow_up=OutboxKind.TEXT_BOOK_LATER,
        )
        assert store.summary(repair.ref).raise_state is RaiseState.DEFERRED
        [text] = store.claim_outbox("worker-a", clock.now(), LEASE, 10)
        assert text.kind is OutboxKind.TEXT_BOOK_LATER
        [again] = store.claim_outbox("worker-a", retry_at, LEASE, 10)
        assert again.kind is OutboxKind.RAISE_JOB and again.attempts == 2
        store.defer(
            again,
            "worker-a",
            error="down",
            at=retry_at,
            retry_at=retry_at,
            follow_up=OutboxKind.TEXT_BOOK_LATER,
        )
        store.finish(text, "worker-a", retry_at)
        [third] = store.claim_outbox("worker-a", retry_at, LEASE, 10)
        assert third.kind is OutboxKind.RAISE_JOB  # the text was not queued a second time

    def test_a_finished_raise_records_the_job_and_queues_its_follow_up_once(self, store, clock):
        repair = new_repair(clock.now())
        item = store.add(repair, facts(), claimed_by="web-1")
        store.finish_raise(
            item, "web-1", JobNumber("40000007"), clock.now(), OutboxKind.TEXT_BOOK_REPAIR
        )
        store.finish_raise(
            item, "web-1", JobNumber("40000007"), clock.now(), OutboxKind.TEXT_BOOK_REPAIR
        )
        summary = store.summary(repair.ref)
        assert summary.job_number == JobNumber("40000007")
        assert summary.raise_state is RaiseState.RAISED
        claimed = store.claim_outbox("worker-a", clock.now() + LEASE * 3, LEASE, 10)
        assert [c.kind for c in claimed] == [OutboxKind.TEXT_BOOK_REPAIR]

    def test_a_second_job_number_for_the_same_repair_is_refused(self, store, clock):
        repair = new_repair(clock.now())
        item = store.add(repair, facts(), claimed_by="web-1")
        store.finish_raise(item, "web-1", JobNumber("40000007"), clock.now(), None)
        with pytest.raises(RepairRuleBroken):
            store.update(
                repair.ref,
                lambda r: r.record_job_raised(JobNumber("40000008"), clock.now()),
                assisted=False,
            )
        assert store.summary(repair.ref).job_number == JobNumber("40000007")

    def test_only_the_worker_holding_a_claim_can_settle_it(self, store, clock):
        repair = new_repair(clock.now())
        item = store.add(repair, facts(), claimed_by="web-1")
        store.fail(item, "someone-else", "refused", clock.now())
        store.finish(item, "someone-else", clock.now())
        assert store.summary(repair.ref).raise_state is RaiseState.PENDING
        store.fail(item, "web-1", "refused", clock.now())
        assert store.summary(repair.ref).raise_state is RaiseState.FAILED
        assert store.claim_outbox("worker-a", clock.now() + LEASE * 3, LEASE, 10) == []

    def test_claims_come_oldest_first_and_respect_the_limit(self, store, clock):
        refs = []
        for minutes in range(3):
            clock.advance(timedelta(minutes=1))
            repair = new_repair(clock.now())
            refs.append(repair.ref)
            store.add(repair, facts(), claimed_by=f"web-{minutes}")
        later = clock.now() + LEASE * 2
        first_two = store.claim_outbox("worker-a", later, LEASE, 2)
        assert [item.repair_ref for item in first_two] == refs[:2]
        assert [i.repair_ref for i in store.claim_outbox("worker-b", later, LEASE, 5)] == refs[2:]

    def test_a_tenancy_snapshot_is_kept_and_replaced(self, store, clock):
        facts_now = demo_facts()
        store.save_tenancy(facts_now, clock.now())
        assert store.tenancy(facts_now.tenancy_ref) == facts_now
        moved = demo_facts(tenure=Tenure.LEASEHOLD, division=Division.SCOTLAND)
        store.save_tenancy(moved, clock.now())
        assert store.tenancy(facts_now.tenancy_ref) == moved
