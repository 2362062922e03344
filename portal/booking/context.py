"""Wiring for booking and tracking: the booking service, the SQL store and the policy.

Built on first use from the app's Services, so a test's doubles (a fake housing backend, a
fake messaging service) are the ones used. The repairs policy and working-day calendar are
the reporting context's when it is there, so both halves count days the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from adapters.bank_holidays import GovukBankHolidays
from adapters.db.tracking_store import SqlNoticeQueue, SqlTrackingStore
from repairs.booking import BookingService
from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy

_KEY = "booking"


@dataclass(frozen=True)
class BookingContext:
    service: BookingService
    store: SqlTrackingStore
    notices: SqlNoticeQueue
    policy: RepairsPolicy
    calendar: WorkingDayCalendar
    services: Any


class LateBound:
    """Reads `services.<name>` at each call, so tests may swap a double in after start-up."""

    def __init__(self, services: Any, name: str) -> None:
        self._services = services
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(getattr(self._services, self._name), attribute)


def booking_context(app: Flask | None = None) -> BookingContext:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    context: BookingContext | None = app.extensions.get(_KEY)
    if context is None:
        context = _build(app)
        app.extensions[_KEY] = context
    return context


def _build(app: Flask) -> BookingContext:
    services = app.extensions["services"]
    report = app.extensions.get("report")
    if report is not None:
        policy, calendar = report.policy, report.calendar
    else:
        policy = RepairsPolicy.from_mapping(services.landlord["repairs"])
        calendar = policy.calendar(GovukBankHolidays())
    store = SqlTrackingStore(services.sessions, policy.slot_times)
    service = BookingService(
        appointments=LateBound(services, "housing"),
        files=store,
        texts=LateBound(services, "messaging"),
        clock=services.clock,
        calendar=calendar,
        times=policy.slot_times,
        cut_off_working_days=policy.change_cut_off_working_days,
    )
    return BookingContext(service, store, SqlNoticeQueue(services.sessions), policy, calendar,
                          services)  # fmt: skip
