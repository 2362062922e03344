"""Jobs (repair orders) and their change feed, in Northgate's own terms."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .catalogue import SorItem
from .wire import NgError, format_date, uk_date_time

JOB_NO_BASE = 40_000_000
PAGE_SIZE = 20
STATUS_DESC = {
    "LOG": "Logged",
    "ISS": "Issued to contractor",
    "APP": "Appointment booked",
    "WIP": "Operative attended - in progress",
    "NAC": "No access",
    "FWR": "Further work required",
    "COM": "Complete",
    "CAN": "Cancelled",
}
CLOSED = frozenset({"COM", "CAN"})


@dataclass(frozen=True)
class Transition:
    """An operator action: the event it writes to the feed, the target and where it may start."""

    event: str
    label: str
    target: str
    allowed_from: frozenset[str]


OPERATOR_ACTIONS: dict[str, Transition] = {
    "issue": Transition("ISSUED", "Issue", "ISS", frozenset({"LOG"})),
    "attend": Transition("ATTENDED", "Attended", "WIP", frozenset({"ISS", "APP", "FWR"})),
    "no-access": Transition("NO_ACCESS", "No access", "NAC", frozenset({"ISS", "APP", "WIP"})),
    "further-work": Transition("FURTHER_WORK", "Further work", "FWR", frozenset({"APP", "WIP"})),
    "complete": Transition(
        "COMPLETED", "Complete", "COM", frozenset({"ISS", "APP", "WIP", "FWR", "NAC"})
    ),
}


def job_no(job_id: int) -> str:
    return f"{JOB_NO_BASE + job_id:08d}"


def job_id_of(number: str) -> int | None:
    number = number.strip()
    if not re.fullmatch(r"[0-9]{8}", number) or int(number) <= JOB_NO_BASE:
        return None
    return int(number) - JOB_NO_BASE


def find_job(conn: sqlite3.Connection, number: str) -> sqlite3.Row | None:
    job_id = job_id_of(number)
    if job_id is None:
        return None
    row: sqlite3.Row | None = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row


def require_job(conn: sqlite3.Connection, number: str) -> sqlite3.Row:
    row = find_job(conn, number)
    if row is None:
        raise NgError(404, "NG-1102", f"Job {number.strip()} not found")
    return row


def reload(conn: sqlite3.Connection, job_id: int) -> sqlite3.Row:
    row: sqlite3.Row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return row


def job_to_wire(row: sqlite3.Row, catalogue: Mapping[str, SorItem]) -> dict[str, str]:
    raised_date, raised_time = uk_date_time(row["raised_at"])
    status_date, status_time = uk_date_time(row["status_at"])
    completed_date, completed_time = uk_date_time(row["completed_at"])
    item = catalogue.get(row["sor_code"])
    return {
        "JOB_NO": job_no(row["id"]),
        "TENANCY_REF": row["tenancy_ref"],
        "PROP_REF": row["prop_ref"],
        "SOR_CODE": row["sor_code"],
        "SOR_DESC": item.description if item else "",
        "TRADE": row["trade"],
        "PRIORITY": row["priority"],
        "STATUS": row["status"],
        "STATUS_DESC": STATUS_DESC[row["status"]],
        "DESCRIPTION": row["description"],
        "ACCESS_NOTES": row["access_notes"],
        "EXT_REF": row["ext_ref"],
        "RAISED_DATE": raised_date,
        "RAISED_TIME": raised_time,
        "STATUS_DATE": status_date,
        "STATUS_TIME": status_time,
        "APPT_DATE": format_date(row["appt_date"]),
        "APPT_SLOT": row["appt_slot"],
        "COMPLETED_DATE": completed_date,
        "COMPLETED_TIME": completed_time,
    }


def record_change(conn: sqlite3.Connection, job_id: int, event: str, at: str) -> int:
    """Append the job's state after a change to the feed. Call inside the write transaction,
    so SEQ order is commit order and a reader following SEQ never skips a change."""
    job = reload(conn, job_id)
    cursor = conn.execute(
        "INSERT INTO job_changes (job_id, event, status, changed_at, appt_date, appt_slot)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (job_id, event, job["status"], at, job["appt_date"], job["appt_slot"]),
    )
    return int(cursor.lastrowid or 0)


def insert_job(conn: sqlite3.Connection, fields: Mapping[str, Any], at: str) -> int:
    cursor = conn.execute(
        "INSERT INTO jobs (tenancy_ref, prop_ref, sor_code, trade, priority, status,"
        " description, access_notes, ext_ref, raised_at, status_at)"
        " VALUES (:tenancy_ref, :prop_ref, :sor_code, :trade, :priority, 'LOG',"
        " :description, :access_notes, :ext_ref, :at, :at)",
        {**fields, "at": at},
    )
    job_id = int(cursor.lastrowid or 0)
    record_change(conn, job_id, "CREATED", at)
    return job_id


def change_status(conn: sqlite3.Connection, job_id: int, status: str, event: str, at: str) -> None:
    """Move a job to a status and write the feed entry. Cancelling releases the appointment
    (capacity is counted from uncancelled jobs' appointments, so clearing it frees the place)."""
    completed = at if status == "COM" else ""
    clear_appointment = status == "CAN"
    conn.execute(
        "UPDATE jobs SET status = ?, status_at = ?,"
        " completed_at = CASE WHEN ? != '' THEN ? ELSE completed_at END,"
        " appt_date = CASE WHEN ? THEN '' ELSE appt_date END,"
        " appt_slot = CASE WHEN ? THEN '' ELSE appt_slot END"
        " WHERE id = ?",
        (status, at, completed, completed, clear_appointment, clear_appointment, job_id),
    )
    record_change(conn, job_id, event, at)


def apply_operator_action(conn: sqlite3.Connection, job_id: int, action: str, at: str) -> None:
    transition = OPERATOR_ACTIONS.get(action)
    if transition is None:
        raise NgError(404, "NG-1404", f"No operator action {action!r}")
    status = reload(conn, job_id)["status"]
    if status not in transition.allowed_from:
        raise NgError(409, "NG-3001", f"{transition.label} is not allowed for a {status} job")
    change_status(conn, job_id, transition.target, transition.event, at)


def cancel_job(conn: sqlite3.Connection, job_id: int, reason: str, at: str) -> None:
    status = reload(conn, job_id)["status"]
    if status in CLOSED:
        raise NgError(409, "NG-3001", f"Job is {status} and cannot be cancelled")
    conn.execute("UPDATE jobs SET cancel_reason = ? WHERE id = ?", (reason[:255], job_id))
    change_status(conn, job_id, "CAN", "CANCELLED", at)


def change_to_wire(row: sqlite3.Row) -> dict[str, Any]:
    change_date, change_time = uk_date_time(row["changed_at"])
    return {
        "SEQ": row["seq"],
        "JOB_NO": job_no(row["job_id"]),
        "TENANCY_REF": row["tenancy_ref"],
        "EXT_REF": row["ext_ref"],
        "EVENT": row["event"],
        "STATUS": row["status"],
        "CHANGE_DATE": change_date,
        "CHANGE_TIME": change_time,
        "APPT_DATE": format_date(row["appt_date"]),
        "APPT_SLOT": row["appt_slot"],
    }


def changes_since(conn: sqlite3.Connection, since: int, limit: int) -> tuple[list[Any], bool]:
    rows = conn.execute(
        "SELECT c.*, j.tenancy_ref, j.ext_ref FROM job_changes c JOIN jobs j ON j.id = c.job_id"
        " WHERE c.seq > ? ORDER BY c.seq LIMIT ?",
        (since, limit + 1),
    ).fetchall()
    return [change_to_wire(row) for row in rows[:limit]], len(rows) > limit
