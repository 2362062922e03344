"""Reporting a repair and raising it exactly once, with the fake backend and the fake store."""

from datetime import UTC, date, datetime, timedelta

import pytest

from adapters.housing.fake import FakeHousingBackend
from repairs.periods import TargetRule
from repairs.ports import Tenure
from repairs.priorities import Channel, Priority
from repairs.refs import RepairRef, SubmissionId, TenancyRef
from repairs.reporting import (
    Actor,
    NotReportable,
    OutboxKind,
    RaiseState,
    ReportingService,
    ReportRepair,
    RetryPolicy,
    TenancyUnknown,
)
from repairs.statuses import BackendStatus
from repairs.triage import TriageAnswers, UnknownAnswer
from tests.unit.reporting.fakes import FakeRepairStore, FakeRepairTexts
from tests.unit.reporting.support import (
    DEMO_TENANCY,
    MOBILE,
    calendar,
    demo_facts,
    policy,
    tree,
)

pytestmark = pytest.mark.unit

SINK = TriageAnswers("kitchen", "sink_and_taps", "sink_blocked")
TAP_STUCK = TriageAnswers("kitchen", "sink_and_taps", "tap_stuck")
MOULD = TriageAnswers("damp_and_mould", "mould")
LATER = timedelta(minutes=10)


@pytest.fixture
def housing(clock):
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def store():
    return FakeRepairStore()


@pytest.fixture
def texts():
    return FakeRepairTexts()


@pytest.fixture
def service(store, housing, texts, clock):
    return ReportingService(
        store=store,
        tenancies=housing,
        orders=housing,
        texts=texts,
        tree=tree(),
        targets=policy().targets,
        calendar=calendar(),
        clock=clock,
    )


def report(answers=SINK, submission_id=None, **changes):
    values = {
        "submission_id": submission_id or SubmissionId.generate(),
        "actor": Actor.tenant(),
        "tenancy": demo_facts(),
        "answers": answers,
        "description": "  The kitchen sink will not drain  ",
        "access_notes": "Key safe code 4321",
        "contact_mobile": MOBILE,
    }
    values.update(changes)
    return ReportRepair(**values)


def test_a_repair_is_raised_at_once_when_the_housing_system_answers(service, housing, store):
    done = service.submit(report())
    assert done.raise_state is RaiseState.RAISED and done.first_time
    [job] = housing.jobs()
    summary = store.summary(done.ref)
    assert summary.job_number == job.job_number
    assert job.sor_code == "PL0103" and job.description == "The kitchen sink will not drain"
    assert store.timeline(done.ref) == ["reported", "job_raised"]
    assert store.outbox_rows(done.ref)[0].state == "done"


def test_the_report_time_is_the_submit_instant_and_the_target_counts_from_it(service, store, clock):
    # R11, R1, R5: reported Tuesday 24 November 2026; a tap that cannot be turned is a Right
    # to Repair defect of 3 working days, earlier than the 5-day urgent target (R8).
    done = service.submit(report(TAP_STUCK))
    summary = store.summary(done.ref)
    assert summary.reported_at == clock.now()
    assert summary.target_date == date(2026, 11, 27)
    assert summary.target_rule is TargetRule.RIGHT_TO_REPAIR
    assert summary.channel is Channel.ONLINE


def test_a_staff_member_reporting_for_a_tenant_makes_an_assisted_repair(service, store):
    done = service.submit(report(actor=Actor.staff("staff-17")))
    assert store.summary(done.ref).channel is Channel.ASSISTED  # R44


def test_submitting_the_same_report_twice_makes_one_repair(service, housing):
    command = report()
    first = service.submit(command)
    second = service.submit(command)
    assert second.ref == first.ref and not second.first_time
    assert second.raise_state is RaiseState.RAISED
    assert len(housing.jobs()) == 1


def test_when_the_housing_system_is_down_the_repair_is_kept_and_the_tenant_told_later(
    service, housing, store, texts, clock
):
    housing.go_down()
    done = service.submit(report())
    assert done.raise_state is RaiseState.DEFERRED
    assert store.summary(done.ref).job_number is None
    assert store.timeline(done.ref) == ["reported", "raise_deferred"]
    counts = service.relay_outbox("worker-a")
    assert texts.sent == [("book_later", str(done.ref), MOBILE)]
    assert (counts.texts, counts.raised) == (1, 0)
    assert housing.jobs() == []


def test_the_worker_raises_a_deferred_repair_once_the_housing_system_is_back(
    service, housing, store, texts, clock
):
    housing.go_down()
    done = service.submit(report())
    service.relay_outbox("worker-a")
    clock.advance(timedelta(seconds=31))
    assert service.relay_outbox("worker-a").deferred == 1  # still down: back off again
    housing.come_back()
    assert service.relay_outbox("worker-a").raised == 0  # waiting for the back-off
    clock.advance(LATER)
    assert service.relay_outbox("worker-a").raised == 1
    service.relay_outbox("worker-a")
    assert len(housing.jobs()) == 1
    assert store.summary(done.ref).raise_state is RaiseState.RAISED
    assert texts.sent[-1] == ("ready_to_book", str(done.ref), MOBILE)
    clock.advance(LATER)
    service.relay_outbox("worker-a")
    assert [kind for kind, _, _ in texts.sent] == ["book_later", "ready_to_book"]


def test_the_could_not_reach_text_is_skipped_when_the_job_got_raised_first(
    service, housing, texts, clock
):
    housing.go_down()
    service.submit(report())
    texts.fail_next = 1
    service.relay_outbox("worker-a")  # the text fails; the raise waits for its back-off
    housing.come_back()
    clock.advance(LATER)
    counts = service.relay_outbox("worker-a")  # both due: the raise is the older row
    assert (counts.raised, counts.texts) == (1, 0)
    service.relay_outbox("worker-a")
    assert [kind for kind, _, _ in texts.sent] == ["ready_to_book"]


def test_a_repair_without_a_mobile_gets_no_texts(service, housing, texts, clock):
    housing.go_down()
    service.submit(report(contact_mobile=None))
    housing.come_back()
    clock.advance(LATER)
    service.relay_outbox("worker-a")
    service.relay_outbox("worker-a")
    assert texts.sent == [] and len(housing.jobs()) == 1


def test_a_text_that_fails_is_tried_again_later(service, housing, texts, clock):
    housing.go_down()
    done = service.submit(report())
    texts.fail_next = 1
    service.relay_outbox("worker-a")
    assert texts.sent == []
    clock.advance(timedelta(seconds=31))
    service.relay_outbox("worker-a")
    assert texts.sent == [("book_later", str(done.ref), MOBILE)]


def test_a_job_the_housing_system_refuses_is_marked_for_staff_and_not_retried(
    service, housing, store, clock
):
    housing.add_tenancy(
        "TEN-900001", postcode="NB1 1AA", date_of_birth=date(1980, 1, 1), active=False
    )
    # Our snapshot said active; the backend has since ended the tenancy.
    facts = demo_facts(
        tenancy_ref=TenancyRef("TEN-900001"),
        property_ref=housing.tenancy(TenancyRef("TEN-900001")).property.ref,
    )
    done = service.submit(report(tenancy=facts))
    assert done.raise_state is RaiseState.FAILED
    assert store.timeline(done.ref) == ["reported", "raise_failed"]
    clock.advance(timedelta(hours=2))
    assert service.relay_outbox("worker-a").raised == 0


def test_a_submit_that_died_mid_call_is_picked_up_after_the_lease(service, store, housing, clock):
    # The web process stored the repair, claimed the raise and then vanished.
    command = report()
    repair_ref, item = service._store_new(command, service.reportable(SINK), "web-that-died")
    assert service.relay_outbox("worker-a").raised == 0
    clock.advance(RetryPolicy().lease + timedelta(seconds=1))
    assert service.relay_outbox("worker-a").raised == 1
    assert store.summary(repair_ref.ref).job_number == housing.jobs()[0].job_number


def test_damp_and_mould_is_an_awaabs_law_case_raised_but_never_offered_for_booking(
    service, housing, store, texts, clock
):
    # R9: investigated within 10 working days of Tuesday 24 November 2026.
    housing.go_down()
    done = service.submit(report(MOULD))
    summary = store.summary(done.ref)
    assert summary.priority is Priority.DAMP_AND_MOULD and summary.awaabs_law_case
    assert summary.target_rule is TargetRule.AWAABS_LAW
    assert summary.target_date == date(2026, 12, 8)
    assert not summary.bookable
    housing.come_back()
    clock.advance(LATER)
    service.relay_outbox("worker-a")
    service.relay_outbox("worker-a")
    assert housing.jobs()[0].priority is Priority.DAMP_AND_MOULD
    assert "ready_to_book" not in [kind for kind, _, _ in texts.sent]


@pytest.mark.parametrize(
    "answers",
    [
        TriageAnswers("heating", "gas_smell"),  # R13
        TriageAnswers("electrics", "danger"),  # R14
        TriageAnswers("outside", "shared_areas"),  # R15
    ],
)
def test_exits_never_become_repairs(service, housing, answers):
    with pytest.raises(NotReportable):
        service.submit(report(answers))
    assert housing.jobs() == []


def test_answers_that_are_not_in_the_tree_are_refused(service):
    with pytest.raises(UnknownAnswer):
        service.submit(report(TriageAnswers("kitchen", "sink_and_taps", "made_up")))


@pytest.mark.parametrize(
    "changes", [{"tenure": Tenure.LEASEHOLD}, {"maintainable": False}, {"active": False}]
)
def test_leaseholders_and_homes_we_do_not_maintain_cannot_report_online(service, changes):
    # R15, R17.
    with pytest.raises(NotReportable):
        service.submit(report(tenancy=demo_facts(**changes)))


def test_tenancy_facts_come_from_the_backend_and_are_kept_for_when_it_is_down(
    service, housing, store
):
    facts = service.tenancy_facts(DEMO_TENANCY)
    assert facts.tenure is Tenure.SECURE and facts.maintainable
    housing.go_down()
    assert service.tenancy_facts(DEMO_TENANCY) == facts
    with pytest.raises(TenancyUnknown):
        service.tenancy_facts(TenancyRef("TEN-100002"))  # never read, and the backend is down


def test_an_unknown_tenancy_is_not_guessed(service):
    with pytest.raises(TenancyUnknown):
        service.tenancy_facts(TenancyRef("TEN-404404"))


def test_the_expectation_before_submitting_is_the_target_the_repair_gets(service, store, clock):
    outcome = service.reportable(SINK)
    before = service.expectation(demo_facts(), outcome)
    done = service.submit(report())
    assert store.summary(done.ref).target_date == before.due_on == date(2026, 11, 27)


def test_a_routine_target_skips_christmas_bank_holidays_and_closure_days(service):
    # R2: 20 working days from Monday 7 December 2026: 13 to Thursday 24 December, then 25
    # and 28 December (bank holidays), 29 to 31 December (closure days) and 1 January 2027
    # (bank holiday) are skipped, and 7 more end on Tuesday 12 January 2027.
    outcome = service.reportable(TriageAnswers("kitchen", "cupboards_and_worktops", "worktop"))
    target = service.expectation(demo_facts(), outcome, datetime(2026, 12, 7, 9, tzinfo=UTC))
    assert target.due_on == date(2027, 1, 12)


def test_a_reference_collision_picks_another_reference(service, store, monkeypatch):
    taken = service.submit(report()).ref
    fresh = RepairRef("RR-ABCDEF")
    choices = iter([taken, fresh])
    monkeypatch.setattr(RepairRef, "generate", classmethod(lambda cls: next(choices)))
    assert service.submit(report()).ref == fresh


def test_the_outbox_row_for_texts_is_queued_once_however_often_the_raise_is_deferred(
    service, housing, store, clock
):
    housing.go_down()
    done = service.submit(report())
    for _ in range(4):
        clock.advance(timedelta(hours=1))
        service.relay_outbox("worker-a")
    kinds = sorted(row.kind for row in store.outbox_rows(done.ref))
    assert kinds == [OutboxKind.RAISE_JOB, OutboxKind.TEXT_BOOK_LATER]
    assert store.summary(done.ref).status is BackendStatus.LOGGED


def test_an_unexpected_error_from_the_backend_keeps_the_repair_and_retries_it(
    service, housing, store, clock, monkeypatch
):
    def broken(order):
        raise RuntimeError("connection reset in an unexpected place")

    monkeypatch.setattr(housing, "raise_repair", broken)
    done = service.submit(report())
    assert done.raise_state is RaiseState.DEFERRED
    monkeypatch.undo()
    clock.advance(LATER)
    assert service.relay_outbox("worker-a").raised == 1
    assert store.summary(done.ref).job_number == housing.jobs()[0].job_number
