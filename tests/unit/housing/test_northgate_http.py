"""NorthgateBackend's HTTP rules with a scripted transport: which calls are retried, how long
it waits, and how a create is recovered without making a second job."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest

from adapters.clock import FakeClock
from adapters.housing.circuit import CircuitBreaker, CircuitState
from adapters.housing.northgate import NorthgateBackend
from repairs.ports import BackendRejected, BackendUnavailable, NewRepairOrder
from repairs.priorities import Priority
from repairs.refs import JobNumber, PropertyRef, SubmissionId, TenancyRef
from repairs.slots import Slot, SlotKind
from tests.conftest import DEFAULT_NOW
from tests.unit.housing.samples import JOB

pytestmark = pytest.mark.unit

Answer = httpx.Response | Callable[[httpx.Request], httpx.Response]
JOB_LOGGED = {**JOB, "STATUS": "LOG", "APPT_DATE": "", "APPT_SLOT": ""}


def ng_error(status: int, code: str, **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"ERROR_CODE": code, "ERROR_TEXT": "x"}, headers=headers)


def ok(body: Any) -> httpx.Response:
    return httpx.Response(200, json=body)


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("no answer", request=request)


@dataclass
class Script:
    """Answers in order, and every request seen."""

    answers: list[Answer]
    seen: list[httpx.Request] = field(default_factory=list)
    sleeps: list[float] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0)
        return answer(request) if callable(answer) else answer

    def calls(self) -> list[str]:
        return [f"{r.method} {r.url.path.removeprefix('/api/v1')}" for r in self.seen]


def backend_for(script: Script, **options: Any) -> NorthgateBackend:
    clock = FakeClock(DEFAULT_NOW)
    return NorthgateBackend(
        "http://northgate.test/api/v1",
        "secret-key",
        timeout_seconds=options.pop("timeout_seconds", 2.0),
        clock=clock,
        sleep=script.sleeps.append,
        circuit=CircuitBreaker(clock, failure_threshold=3),
        transport=httpx.MockTransport(script.handle),
        **options,
    )


def order(submission: SubmissionId) -> NewRepairOrder:
    return NewRepairOrder(submission, TenancyRef("TEN-100001"), PropertyRef("00200001"),
                          "PL0103", Priority.URGENT, "Kitchen sink will not drain")  # fmt: skip


def test_every_call_carries_the_api_key_and_explicit_time_limits() -> None:
    script = Script([ok(JOB)])
    backend_for(script, timeout_seconds=1.5).repair(JobNumber("40000612"))

    request = script.seen[0]
    assert request.headers["X-API-Key"] == "secret-key"
    limits = request.extensions["timeout"]
    assert set(limits) == {"connect", "read", "write", "pool"}
    assert all(0 < seconds <= 1.5 for seconds in limits.values())


def test_a_read_is_retried_after_server_errors_with_doubling_back_off() -> None:
    script = Script([ng_error(503, "NG-5003"), ng_error(500, "NG-5000"), ok(JOB)])
    job = backend_for(script).repair(JobNumber("40000612"))
    assert job.job_number.value == "40000612"
    assert script.sleeps == [0.1, 0.2]


def test_a_read_gives_up_after_its_retries() -> None:
    script = Script([ng_error(503, "NG-5003")] * 3)
    with pytest.raises(BackendUnavailable, match="NG-5003"):
        backend_for(script).repair(JobNumber("40000612"))
    assert len(script.seen) == 3


def test_a_503_that_asks_to_wait_longer_than_the_time_limit_is_not_retried() -> None:
    script = Script([ng_error(503, "NG-5003", **{"Retry-After": "30"})])
    with pytest.raises(BackendUnavailable):
        backend_for(script).repair(JobNumber("40000612"))
    assert len(script.seen) == 1


def test_a_refused_read_is_not_retried_and_leaves_the_circuit_closed() -> None:
    script = Script([ng_error(404, "NG-1102")] * 5)
    backend = backend_for(script)
    for _ in range(5):
        with pytest.raises(BackendRejected, match="NG-1102"):
            backend.repair(JobNumber("40000612"))
    assert len(script.seen) == 5
    assert backend.circuit.state is CircuitState.CLOSED  # the backend is up: it answered


def test_the_tenancy_check_is_a_read_and_is_retried() -> None:
    script = Script([ng_error(503, "NG-5003"), ok({"MATCH": "N"})])
    match = backend_for(script).match_tenant(TenancyRef("TEN-100001"), "NB1 2AB", date(1971, 3, 14))
    assert match is None
    assert script.calls() == ["POST /tenancies/verify"] * 2
    assert script.seen[0].content == script.seen[1].content
    assert b'"DOB":"14/03/1971"' in script.seen[0].content.replace(b" ", b"")


def test_a_booking_is_never_repeated() -> None:
    script = Script([ng_error(503, "NG-5003")])
    with pytest.raises(BackendUnavailable):
        backend_for(script).book(JobNumber("40000612"), Slot(date(2026, 11, 25), SlotKind.AM))
    assert len(script.seen) == 1


def test_a_booking_carries_wire_codes_and_is_dated_by_our_clock() -> None:
    script = Script([ok({"RESULT": "OK", "JOB_NO": "40000612", "STATUS": "APP"})])
    appointment = backend_for(script).book(
        JobNumber("40000612"), Slot(date(2026, 11, 25), SlotKind.ALL_DAY)
    )
    assert b'"APPT_SLOT":"AD"' in script.seen[0].content.replace(b" ", b"")
    assert appointment.booked_at == DEFAULT_NOW


def test_raising_a_repair_searches_first_then_creates_once() -> None:
    submission = SubmissionId.generate()
    script = Script([ok({"TOTAL": 0, "JOBS": []}), httpx.Response(201, json=JOB_LOGGED)])
    backend_for(script).raise_repair(order(submission))
    assert script.calls() == ["GET /jobs", "POST /jobs"]
    assert script.seen[0].url.params["EXT_REF"] == submission.value
    assert f'"EXT_REF":"{submission.value}"'.encode() in script.seen[1].content.replace(b" ", b"")


def test_a_create_that_fails_is_searched_for_again_and_never_repeated() -> None:
    script = Script([ok({"TOTAL": 0, "JOBS": []}), ng_error(500, "NG-5000"),
                     ok({"TOTAL": 0, "JOBS": []})])  # fmt: skip
    with pytest.raises(BackendUnavailable, match="retry later"):
        backend_for(script).raise_repair(order(SubmissionId.generate()))
    assert script.calls() == ["GET /jobs", "POST /jobs", "GET /jobs"]


def test_a_timed_out_create_that_landed_is_found_and_returned() -> None:
    script = Script([ok({"TOTAL": 0, "JOBS": []}), timeout, ok({"TOTAL": 1, "JOBS": [JOB_LOGGED]})])
    job = backend_for(script).raise_repair(order(SubmissionId.generate()))
    assert job.job_number.value == "40000612"
    assert script.sleeps == [0.1]  # a pause before looking, so the commit can land


def test_a_submission_raised_twice_by_an_old_bug_returns_the_oldest_job() -> None:
    newer = {**JOB_LOGGED, "JOB_NO": "40000700"}
    script = Script([ok({"TOTAL": 2, "JOBS": [JOB_LOGGED, newer]})])
    job = backend_for(script).raise_repair(order(SubmissionId.generate()))
    assert job.job_number.value == "40000612"
    assert script.calls() == ["GET /jobs"]


def test_a_change_feed_that_goes_backwards_is_rejected() -> None:
    change = {"SEQ": 5, "JOB_NO": "40000612", "STATUS": "LOG", "CHANGE_DATE": "10/03/2025",
              "CHANGE_TIME": "09:15", "APPT_DATE": "", "APPT_SLOT": ""}  # fmt: skip
    script = Script([ok({"CHANGES": [change], "LAST_SEQ": 5, "MORE": "N"})])
    with pytest.raises(BackendRejected, match="backwards"):
        backend_for(script).changes_since(9)


def test_an_answer_that_is_not_a_json_object_is_rejected() -> None:
    script = Script([httpx.Response(200, json=[1, 2]), httpx.Response(200, content=b"<html>")])
    backend = backend_for(script)
    for _ in range(2):
        with pytest.raises(BackendRejected, match="no JSON object"):
            backend.repair(JobNumber("40000612"))


def test_the_pages_of_a_tenancys_jobs_are_followed_to_the_last() -> None:
    page = {"TENANCY_REF": "TEN-100001", "PAGE_SIZE": 20, "PAGES": 2, "TOTAL": 2}
    script = Script([ok({**page, "PAGE": 1, "JOBS": [JOB]}),
                     ok({**page, "PAGE": 2, "JOBS": [{**JOB, "JOB_NO": "40000001"}]})])  # fmt: skip
    jobs = backend_for(script).repairs_for(TenancyRef("TEN-100001"))
    assert [job.job_number.value for job in jobs] == ["40000612", "40000001"]
    assert [r.url.params["PAGE"] for r in script.seen] == ["1", "2"]


def test_a_reference_with_a_slash_stays_one_path_segment() -> None:
    script = Script([ng_error(404, "NG-1100")])
    with pytest.raises(BackendRejected):
        backend_for(script).tenancy(TenancyRef("PR/0042"))
    assert script.seen[0].url.raw_path == b"/api/v1/tenancies/PR%2F0042"


def test_a_blank_postcode_matches_nothing_without_asking() -> None:
    script = Script([])
    assert backend_for(script).match_tenant(TenancyRef("TEN-1"), "  ", date(1971, 3, 14)) is None
    assert script.seen == []
