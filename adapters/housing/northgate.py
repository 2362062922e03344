"""NorthgateBackend: the three housing ports over Northgate's HTTP API (API.md beside the
simulator in simulators/northgate/).

Raising a job is exactly-once although the wire has no idempotency key: our submission id goes
out as EXT_REF, and before every create, and again after a create whose answer was lost, the
adapter searches for a job with that EXT_REF and returns it (the oldest, if an earlier failure
made two) instead of creating another.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import quote

import httpx

from adapters.clock import SystemClock
from adapters.housing import records, wire
from adapters.housing.circuit import CircuitBreaker
from adapters.housing.http import NorthgateHttp
from adapters.housing.limits import check_changes_limit, windows
from repairs.clock import Clock
from repairs.ports import (
    Appointment,
    AvailableSlot,
    BackendRejected,
    BackendUnavailable,
    ChangeBatch,
    NewRepairOrder,
    RepairOrder,
    Tenancy,
)
from repairs.refs import JobNumber, SubmissionId, TenancyRef
from repairs.slots import Slot

log = logging.getLogger(__name__)

MAX_PAGES = 200  # 4,000 jobs for one tenancy: past this the backend is looping, not paging


def _segment(ref: object) -> str:
    # References may hold "/" (PR/0042): escape it so it stays one path segment.
    return quote(str(ref), safe="")


class NorthgateBackend:
    """Serves repairs.ports.Tenancies, RepairOrders and Appointments.

    Raises BackendUnavailable (timeouts, 5xx, dropped connections, circuit open),
    BackendRejected (4xx: the backend said no) and SlotUnavailable (a full slot).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout_seconds: float = 3.0,
        clock: Clock | None = None,
        sleep: Callable[[float], None] = time.sleep,
        read_retries: int = 2,
        backoff_seconds: float = 0.1,
        circuit: CircuitBreaker | None = None,
        transport: httpx.BaseTransport | None = None,
        max_connections: int = 20,
    ) -> None:
        self._clock = clock or SystemClock()
        self.circuit = circuit or CircuitBreaker(self._clock)
        self._http = NorthgateHttp(
            base_url,
            api_key,
            timeout_seconds=timeout_seconds,
            circuit=self.circuit,
            sleep=sleep,
            read_retries=read_retries,
            backoff_seconds=backoff_seconds,
            transport=transport,
            max_connections=max_connections,
        )
        self._sleep = sleep
        self._backoff = backoff_seconds

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ Tenancies

    def match_tenant(
        self, tenancy_ref: TenancyRef, postcode: str, date_of_birth: date
    ) -> Tenancy | None:
        if not postcode.strip():
            return None  # R36: a blank postcode matches nothing; no need to ask
        answer = self._http.read(
            "POST",
            "/tenancies/verify",
            body={
                "TENANCY_REF": tenancy_ref.value,
                "POSTCODE": postcode,
                "DOB": wire.format_date(date_of_birth),
            },
        )
        if records.field(answer, "MATCH") != "Y":
            return None
        return self.tenancy(records.tenancy_ref(answer))

    def tenancy(self, tenancy_ref: TenancyRef) -> Tenancy:
        held = self._http.read("GET", f"/tenancies/{_segment(tenancy_ref)}")
        home = self._http.read("GET", f"/properties/{_segment(records.property_ref(held))}")
        return records.tenancy(held, records.property_(home))

    # ------------------------------------------------------------------ RepairOrders

    def raise_repair(self, order: NewRepairOrder) -> RepairOrder:
        # A retry may come from another process (the worker after a web request timed out),
        # so the search always comes first: one extra GET buys exactly-once.
        existing = self._job_for(order.submission_id)
        if existing is not None:
            log.info("job %s already raised for submission %s", existing.job_number,
                     order.submission_id)  # fmt: skip
            return existing
        try:
            created = self._http.write("POST", "/jobs", body=_job_body(order))
        except BackendUnavailable:
            return self._recover_lost_create(order.submission_id)
        job = records.repair_order(created)
        log.info("raised job %s for submission %s", job.job_number, order.submission_id)
        return job

    def _recover_lost_create(self, submission_id: SubmissionId) -> RepairOrder:
        """The create timed out or failed with a 5xx: it may have committed all the same. Look
        for it; if it is not there, say "unavailable" and let the caller retry later, since a
        create still in flight could land after our search and a second create would
        duplicate it."""
        self._sleep(self._backoff)
        existing = self._job_for(submission_id)
        if existing is None:
            raise BackendUnavailable(
                f"the housing system did not confirm the job for submission {submission_id}; "
                "retry later (the retry searches first, so it never makes a second job)"
            )
        log.warning("job %s found for submission %s after its create answer was lost",
                    existing.job_number, submission_id)  # fmt: skip
        return existing

    def _job_for(self, submission_id: SubmissionId) -> RepairOrder | None:
        answer = self._http.read("GET", "/jobs", params={"EXT_REF": submission_id.value})
        jobs = [records.repair_order(job) for job in _list(answer, "JOBS")]
        if len(jobs) > 1:
            log.warning("%d jobs share submission %s; using the oldest, %s",
                        len(jobs), submission_id, jobs[0].job_number)  # fmt: skip
        return jobs[0] if jobs else None  # the wire lists them oldest first

    def repair(self, job_number: JobNumber) -> RepairOrder:
        return records.repair_order(self._http.read("GET", f"/jobs/{_segment(job_number)}"))

    def repairs_for(self, tenancy_ref: TenancyRef) -> list[RepairOrder]:
        """Every job of the tenancy, newest first, following the wire's 20-a-page pages."""
        jobs: list[RepairOrder] = []
        path = f"/tenancies/{_segment(tenancy_ref)}/jobs"
        for page in range(1, MAX_PAGES + 1):
            answer = self._http.read("GET", path, params={"PAGE": page})
            batch = _list(answer, "JOBS")
            jobs += [records.repair_order(job) for job in batch]
            if not batch or page >= records.number(answer, "PAGES"):
                return jobs
        raise BackendRejected(f"the housing system listed more than {MAX_PAGES} pages of jobs")

    def changes_since(self, cursor: int, limit: int = 100) -> ChangeBatch:
        check_changes_limit(cursor, limit)
        answer = self._http.read(
            "GET", "/jobs/changes", params={"SINCE_SEQ": cursor, "LIMIT": limit}
        )
        changes = tuple(records.status_change(change) for change in _list(answer, "CHANGES"))
        sequences = [change.sequence for change in changes]
        if any(seq <= cursor for seq in sequences) or sequences != sorted(set(sequences)):
            raise BackendRejected("the housing system's change feed went backwards")
        return ChangeBatch(changes, changes[-1].sequence if changes else cursor)

    def cancel_repair(self, job_number: JobNumber, reason: str) -> None:
        self._http.write("POST", f"/jobs/{_segment(job_number)}/cancel", body={"REASON": reason})
        log.info("cancelled job %s", job_number)

    # ------------------------------------------------------------------ Appointments

    def available_slots(
        self, job_number: JobNumber, first_day: date, last_day: date
    ) -> list[AvailableSlot]:
        """Every weekday slot from first_day (or today) to last_day, full ones with remaining
        0. Windows longer than 14 days are asked in parts (R20) and merged in order."""
        slots: list[AvailableSlot] = []
        path = f"/jobs/{_segment(job_number)}/availability"
        for start, end in windows(first_day, last_day):
            params = {"FROM": wire.format_date(start), "TO": wire.format_date(end)}
            answer = self._http.read("GET", path, params=params)
            slots += [records.available_slot(slot) for slot in _list(answer, "SLOTS")]
        return slots

    def book(self, job_number: JobNumber, slot: Slot) -> Appointment:
        body = {
            "APPT_DATE": wire.format_date(slot.day),
            "APPT_SLOT": wire.encode(wire.SLOT_KINDS, slot.kind),
        }
        answer = self._http.write("POST", f"/jobs/{_segment(job_number)}/appointment", body=body)
        refused = wire.booking_refused(answer)
        if refused is not None:
            log.info("booking refused for job %s: %s", job_number, refused)
            raise refused
        # R22: only an acknowledged booking exists; the wire gives no time, so ours it is.
        log.info("booked job %s for %s %s", job_number, slot.day.isoformat(), slot.kind)
        return Appointment(job_number, slot, self._clock.now())

    def cancel(self, job_number: JobNumber) -> None:
        self._http.write("DELETE", f"/jobs/{_segment(job_number)}/appointment")
        log.info("cancelled the appointment of job %s", job_number)


def _job_body(order: NewRepairOrder) -> dict[str, Any]:
    return {
        "TENANCY_REF": order.tenancy_ref.value,
        "PROP_REF": order.property_ref.value,
        "SOR_CODE": order.sor_code,
        "PRIORITY": wire.encode(wire.PRIORITIES, order.priority),
        "DESCRIPTION": order.description,
        "ACCESS_NOTES": order.access_notes,
        "EXT_REF": order.submission_id.value,
    }


def _list(answer: records.Record, name: str) -> list[Any]:
    value = records.field(answer, name)
    if not isinstance(value, list):
        raise BackendRejected(f"{name} from the housing system is not a list")
    return value
