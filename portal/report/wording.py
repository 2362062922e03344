"""Words for the service expectation and answers, shared by the report and repair pages."""

from __future__ import annotations

from datetime import date

from flask import url_for

from repairs.priorities import Priority
from repairs.refs import RepairRef
from repairs.slots import format_date

PRIORITY_NAMES = {
    Priority.EMERGENCY: "Emergency",
    Priority.URGENT: "Urgent",
    Priority.ROUTINE: "Routine",
    Priority.DAMP_AND_MOULD: "Damp and mould",
}
# The booking and tracking pages (portal.booking, portal.tracking) own these endpoints.
CHOOSE_SLOT_ENDPOINT = "booking.choose_slot"
REPAIR_PAGE_ENDPOINT = "tracking.repair"


def by_date(day: date, today: date) -> str:
    """R47: "Friday 5 December", with the year only when it is not this year."""
    return format_date(day, with_year=day.year != today.year)


def national_mobile(e164: str | None) -> str:
    """+447700900123 -> 07700 900123, as tenants write it."""
    if not e164 or not e164.startswith("+44") or len(e164) != 13:
        return e164 or ""
    national = "0" + e164[3:]
    return f"{national[:5]} {national[5:]}"


def repair_page_url(ref: RepairRef) -> str:
    return url_for(REPAIR_PAGE_ENDPOINT, reference=str(ref))


def choose_slot_url(ref: RepairRef) -> str:
    """Straight to choosing a slot once the job is raised (the booking pages decide what a
    repair that cannot be booked online shows instead)."""
    return url_for(CHOOSE_SLOT_ENDPOINT, reference=str(ref))
