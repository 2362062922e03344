"""Contractor appointment slots: deterministic capacity, availability and booking."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date, timedelta
from typing import Any

from .jobs import CLOSED, record_change, reload
from .wire import NgError

SLOTS = {"AM": "08:00-12:00", "PM": "12:00-16:00", "AD": "08:00-16:00"}
MAX_WINDOW_DAYS = 14
# Indexed by a hash: one slot in five has no capacity at all, so "full" is common enough to
# be met in every demo and test, and the same slots are full on every run.
CAPACITY_BY_HASH = (0, 1, 2, 3, 2)
BOOKABLE = frozenset({"LOG", "ISS", "APP", "NAC", "FWR"})
SATURDAY = 5


def capacity(trade: str, day: date, slot: str) -> int:
    digest = hashlib.sha256(f"{trade}|{day.isoformat()}|{slot}".encode()).digest()
    return CAPACITY_BY_HASH[int.from_bytes(digest[:4], "big") % len(CAPACITY_BY_HASH)]


def booked(conn: sqlite3.Connection, trade: str, day: date, slot: str, except_job: int) -> int:
    """Places taken, counted from the jobs themselves so capacity can never drift from them."""
    row = conn.execute(
        "SELECT COUNT(*) FROM jobs WHERE trade = ? AND appt_date = ? AND appt_slot = ?"
        " AND status != 'CAN' AND id != ?",
        (trade, day.isoformat(), slot, except_job),
    ).fetchone()
    return int(row[0])


def check_window(start: date, end: date) -> None:
    # R20: the portal must ask in windows no larger than the backend accepts.
    if end < start:
        raise NgError(400, "NG-4002", "TO must not be before FROM")
    if (end - start).days + 1 > MAX_WINDOW_DAYS:
        raise NgError(400, "NG-4001", f"Window longer than {MAX_WINDOW_DAYS} days refused")


def availability(
    conn: sqlite3.Connection, job: sqlite3.Row, start: date, end: date, today: date
) -> list[dict[str, Any]]:
    if job["status"] in CLOSED:
        raise NgError(409, "NG-3001", f"Job is {job['status']}: no appointments")
    check_window(start, end)
    slots: list[dict[str, Any]] = []
    first = max(start, today)
    # Count days rather than step past `end`: stepping past 31/12/9999 would overflow.
    for offset in range(max((end - first).days + 1, 0)):
        day = first + timedelta(days=offset)
        if day.weekday() < SATURDAY:
            for slot, times in SLOTS.items():
                total = capacity(job["trade"], day, slot)
                taken = booked(conn, job["trade"], day, slot, except_job=0)
                slots.append(
                    {
                        "APPT_DATE": day.strftime("%d/%m/%Y"),
                        "APPT_SLOT": slot,
                        "SLOT_DESC": times,
                        "CAPACITY": total,
                        "REMAINING": max(total - taken, 0),
                    }
                )
    return slots


def check_bookable(job: sqlite3.Row, day: date, slot: str, today: date) -> None:
    if job["status"] not in BOOKABLE:
        raise NgError(409, "NG-3001", f"Job is {job['status']}: cannot book an appointment")
    if slot not in SLOTS:
        raise NgError(422, "NG-4003", "APPT_SLOT must be AM, PM or AD")
    if day.weekday() >= SATURDAY or day < today:
        raise NgError(422, "NG-4004", "APPT_DATE must be a weekday from today onwards")


def book(conn: sqlite3.Connection, job_id: int, day: date, slot: str, at: str) -> bool:
    """Book or move the job's appointment. Run inside a write transaction: the count and the
    update must not be split, or two callers could both take the last place."""
    job = reload(conn, job_id)
    if job["appt_date"] == day.isoformat() and job["appt_slot"] == slot:
        return True
    if booked(conn, job["trade"], day, slot, except_job=job_id) >= capacity(
        job["trade"], day, slot
    ):
        return False
    # Moving the appointment releases the old place: it is simply no longer on this job.
    conn.execute(
        "UPDATE jobs SET appt_date = ?, appt_slot = ?, status = 'APP',"
        " status_at = CASE WHEN status != 'APP' THEN ? ELSE status_at END WHERE id = ?",
        (day.isoformat(), slot, at, job_id),
    )
    record_change(conn, job_id, "BOOKED", at)
    return True


def cancel_appointment(conn: sqlite3.Connection, job_id: int, at: str) -> None:
    job = reload(conn, job_id)
    if not job["appt_date"]:
        raise NgError(409, "NG-3002", "Job has no appointment to cancel")
    if job["status"] in CLOSED:
        raise NgError(409, "NG-3001", f"Job is {job['status']}: appointment cannot change")
    conn.execute(
        "UPDATE jobs SET appt_date = '', appt_slot = '',"
        " status = CASE WHEN status = 'APP' THEN 'ISS' ELSE status END,"
        " status_at = CASE WHEN status = 'APP' THEN ? ELSE status_at END WHERE id = ?",
        (at, job_id),
    )
    record_change(conn, job_id, "APPT_CANCELLED", at)
