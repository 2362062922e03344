"""NorthgateBackend when the housing system misbehaves: slow, lost answers, 503 storms, full
slots, long windows, and what reaches the logs."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime, timedelta

import pytest

from adapters.housing.circuit import CircuitOpen, CircuitState
from repairs.ports import BackendUnavailable, SlotUnavailable
from repairs.refs import JobNumber, TenancyRef
from tests.contract.housing.conftest import new_order
from tests.contract.housing.simulator import NOW
from tests.integration.housing.conftest import (
    TIMEOUT,
    Fault,
    Rig,
    answer_500,
    lose_the_answer,
    query,
    refuse_connection,
)

pytestmark = pytest.mark.integration

DEMO = TenancyRef("TEN-100001")
SLACK = 0.25  # seconds for thread scheduling on a busy test machine


def test_a_backend_slower_than_the_timeout_fails_within_the_timeout(rig: Rig) -> None:
    rig.simulator.set_faults(latency_ms=2_000)

    started = time.monotonic()
    with pytest.raises(BackendUnavailable):
        rig.backend.tenancy(DEMO)
    elapsed = time.monotonic() - started

    assert TIMEOUT <= elapsed < TIMEOUT + SLACK
    # The time limit covers the read, retries included: the budget was spent, so no retry.
    assert len(rig.transport.sent) == 1


def test_a_create_whose_answer_is_lost_still_makes_exactly_one_job(rig: Rig) -> None:
    # The simulator commits the job, then hangs past our timeout before answering.
    rig.simulator.set_faults(hang_seconds=1.0, hang_after_commit=True)
    order = new_order()

    job = rig.backend.raise_repair(order)  # found by its EXT_REF after the timeout
    rig.simulator.reset_faults()
    again = rig.backend.raise_repair(order)  # the caller's own retry

    assert again.job_number == job.job_number
    assert job.external_ref == order.submission_id.value
    assert rig.simulator.jobs_with_ext_ref(order.submission_id.value) == 1
    assert len(rig.transport.paths("POST")) == 1


def test_a_retry_after_a_lost_answer_and_a_failed_search_makes_no_second_job(rig: Rig) -> None:
    rig.transport.faults += [
        Fault("POST", "/jobs", lose_the_answer),
        # The search after the lost answer fails too; the third failure opens the circuit.
        *[Fault("GET", "/jobs", refuse_connection)] * 2,
    ]
    order = new_order()

    with pytest.raises(BackendUnavailable):
        rig.backend.raise_repair(order)  # the job exists, but nobody could confirm it
    rig.clock.advance(timedelta(seconds=30))
    job = rig.backend.raise_repair(order)  # later, from the worker's outbox

    assert job.external_ref == order.submission_id.value
    assert rig.simulator.jobs_with_ext_ref(order.submission_id.value) == 1
    assert len(rig.transport.paths("POST")) == 1


def test_a_create_that_failed_outright_is_made_once_on_the_retry(rig: Rig) -> None:
    rig.transport.faults.append(Fault("POST", "/jobs", answer_500))
    order = new_order()
    with pytest.raises(BackendUnavailable):
        rig.backend.raise_repair(order)  # searched again after the 500: nothing there
    assert rig.simulator.jobs_with_ext_ref(order.submission_id.value) == 0

    rig.backend.raise_repair(order)
    rig.backend.raise_repair(order)

    assert rig.simulator.jobs_with_ext_ref(order.submission_id.value) == 1


def test_a_503_storm_opens_the_circuit_and_later_calls_fail_without_http(rig: Rig) -> None:
    rig.simulator.set_faults(down=True)
    for _ in range(3):  # failure_threshold
        with pytest.raises(BackendUnavailable):
            rig.backend.repair(JobNumber("40000001"))
    sent = len(rig.transport.sent)
    assert rig.backend.circuit.state is CircuitState.OPEN

    started = time.monotonic()
    for _ in range(20):
        with pytest.raises(CircuitOpen):
            rig.backend.tenancy(DEMO)
    assert time.monotonic() - started < 0.1  # fast: no timeout waited, no socket opened
    assert len(rig.transport.sent) == sent
    # A 503 with Retry-After: 30 is not worth a retry inside a 0.3 s budget.
    assert rig.sleeps.calls == []


def test_the_circuit_closes_again_after_a_successful_trial(rig: Rig) -> None:
    rig.simulator.set_faults(down=True)
    for _ in range(3):
        with pytest.raises(BackendUnavailable):
            rig.backend.tenancy(DEMO)
    rig.simulator.reset_faults()  # the backend is back, but the circuit does not know yet
    with pytest.raises(CircuitOpen):
        rig.backend.tenancy(DEMO)

    rig.clock.advance(timedelta(seconds=30))
    tenancy = rig.backend.tenancy(DEMO)  # the half-open trial

    assert tenancy.ref == DEMO
    assert rig.backend.circuit.state is CircuitState.CLOSED


def test_a_failed_trial_opens_the_circuit_for_another_period(rig: Rig) -> None:
    rig.simulator.set_faults(down=True)
    for _ in range(3):
        with pytest.raises(BackendUnavailable):
            rig.backend.tenancy(DEMO)
    rig.clock.advance(timedelta(seconds=30))
    sent = len(rig.transport.sent)

    with pytest.raises(BackendUnavailable):
        rig.backend.tenancy(DEMO)  # the one trial call, still 503

    assert len(rig.transport.sent) == sent + 1
    assert rig.backend.circuit.state is CircuitState.OPEN
    rig.clock.advance(timedelta(seconds=29))
    with pytest.raises(CircuitOpen):
        rig.backend.tenancy(DEMO)


def test_an_unreachable_backend_is_unavailable(rig: Rig) -> None:
    rig.transport.faults += [Fault("GET", f"/tenancies/{DEMO}", refuse_connection)] * 3
    with pytest.raises(BackendUnavailable):
        rig.backend.tenancy(DEMO)
    assert rig.sleeps.calls == [0.1, 0.2]  # reads retry with doubling back-off


def test_a_full_slot_answered_with_http_200_is_slot_unavailable(rig: Rig) -> None:
    job = rig.backend.raise_repair(new_order())
    offered = rig.backend.available_slots(job.job_number, NOW.date(), NOW.date() + timedelta(13))
    full = next(option.slot for option in offered if option.remaining == 0)

    with pytest.raises(SlotUnavailable):
        rig.backend.book(job.job_number, full)

    assert rig.transport.answers[-1] == 200  # the quirk: refused, yet HTTP 200
    assert rig.backend.repair(job.job_number).appointment is None


def test_an_availability_window_over_fourteen_days_is_asked_in_parts(rig: Rig) -> None:
    job = rig.backend.raise_repair(new_order())
    first, last = NOW.date(), NOW.date() + timedelta(days=29)

    slots = rig.backend.available_slots(job.job_number, first, last)

    asked = [query(r) for r in rig.transport.sent if r.url.path.endswith("/availability")]
    windows = [(_day(q["FROM"]), _day(q["TO"])) for q in asked]
    assert windows == [
        (first, first + timedelta(days=13)),
        (first + timedelta(days=14), first + timedelta(days=27)),
        (first + timedelta(days=28), last),
    ]  # R20: none longer than 14 days, no gap, no overlap
    assert {option.slot.day for option in slots} == {
        first + timedelta(days=n) for n in range(30) if (first + timedelta(days=n)).weekday() < 5
    }


def test_a_long_history_is_read_across_its_pages(rig: Rig) -> None:
    jobs = rig.backend.repairs_for(TenancyRef("TEN-100008"))  # seeded with 25 past jobs
    assert len(jobs) >= 25
    pages = [query(r).get("PAGE") for r in rig.transport.sent]
    assert pages[:2] == ["1", "2"]


def test_no_log_line_holds_a_name_a_date_of_birth_or_a_postcode(
    rig: Rig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    birthday = date(1971, 3, 14)
    tenancy = rig.backend.match_tenant(DEMO, "NB1 2AB", birthday)
    assert tenancy is not None
    rig.backend.match_tenant(DEMO, "NB1 2AB", date(1971, 3, 15))
    job = rig.backend.raise_repair(new_order())
    free = next(o for o in rig.backend.available_slots(
        job.job_number, NOW.date(), NOW.date() + timedelta(13)) if o.remaining)  # fmt: skip
    rig.backend.book(job.job_number, free.slot)
    rig.backend.repairs_for(DEMO)
    rig.simulator.set_faults(down=True)
    with pytest.raises(BackendUnavailable):
        rig.backend.match_tenant(DEMO, "NB1 2AB", birthday)

    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "job" in logged and str(job.job_number) in logged  # logs do carry job numbers
    surname = tenancy.tenant_name.split()[-1]
    for secret in (tenancy.tenant_name, surname, "14/03/1971", "1971-03-14", "NB1 2AB", "NB12AB"):
        assert secret not in logged


def _day(text: str) -> date:
    return datetime.strptime(text, "%d/%m/%Y").date()  # noqa: DTZ007 - a date, no time
