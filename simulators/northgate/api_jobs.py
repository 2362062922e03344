"""Jobs, the change feed and appointments under /api/v1."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, request

from . import appointments
from .catalogue import PRIORITIES
from .context import db, now, now_iso, sim
from .jobs import (
    cancel_job,
    changes_since,
    insert_job,
    job_no,
    job_to_wire,
    reload,
    require_job,
)
from .store import write_transaction
from .wire import (
    NgError,
    json_body,
    optional_text,
    parse_date,
    reference,
    required_text,
    uk_today,
    whole_number_param,
)

bp = Blueprint("ng_jobs", __name__, url_prefix="/api/v1")

MAX_DESCRIPTION = 255
MAX_ACCESS_NOTES = 255
MAX_EXT_REF = 50
MAX_CHANGES_PAGE = 500


def _job_fields(body: dict[str, Any]) -> dict[str, Any]:
    """Validate a new job in the documented order (API.md, POST /api/v1/jobs)."""
    fields = {
        "tenancy_ref": reference(required_text(body, "TENANCY_REF")),
        "prop_ref": required_text(body, "PROP_REF").strip(),
        "sor_code": reference(required_text(body, "SOR_CODE")),
        "priority": reference(required_text(body, "PRIORITY")),
        "description": required_text(body, "DESCRIPTION"),
        "access_notes": optional_text(body, "ACCESS_NOTES"),
        "ext_ref": optional_text(body, "EXT_REF").strip(),
    }
    # R18: the description is no longer than the backend accepts.
    if len(fields["description"]) > MAX_DESCRIPTION:
        raise NgError(422, "NG-2001", f"DESCRIPTION exceeds {MAX_DESCRIPTION} characters")
    if len(fields["access_notes"]) > MAX_ACCESS_NOTES or len(fields["ext_ref"]) > MAX_EXT_REF:
        raise NgError(422, "NG-2008", "ACCESS_NOTES max 255 characters, EXT_REF max 50")
    if fields["priority"] not in PRIORITIES:
        raise NgError(422, "NG-2004", "PRIORITY must be E, U, R or D")
    item = sim().catalogue.get(fields["sor_code"])
    if item is None:
        raise NgError(422, "NG-2002", f"SOR code {fields['sor_code']} not on schedule of rates")
    fields["trade"] = item.trade
    return fields


def _check_tenancy_and_property(conn: sqlite3.Connection, fields: dict[str, Any]) -> None:
    tenancy = conn.execute(
        "SELECT * FROM tenancies WHERE tenancy_ref = ?", (fields["tenancy_ref"],)
    ).fetchone()
    if tenancy is None:
        raise NgError(422, "NG-2005", f"Tenancy {fields['tenancy_ref']} does not exist")
    if tenancy["ten_status"] == "END":
        raise NgError(422, "NG-2007", "Tenancy has ended: repairs cannot be raised")
    if tenancy["prop_ref"] != fields["prop_ref"]:
        raise NgError(422, "NG-2006", "PROP_REF is not the property of this tenancy")
    prop = conn.execute(
        "SELECT maint_flag FROM properties WHERE prop_ref = ?", (fields["prop_ref"],)
    ).fetchone()
    # R17: repairs only for properties the landlord maintains.
    if prop is None or prop["maint_flag"] != "Y":
        raise NgError(422, "NG-2003", "Property is not maintained by the landlord")


@bp.post("/jobs")
def create_job() -> tuple[dict[str, Any], int, dict[str, str]]:
    fields = _job_fields(json_body())
    conn = db()
    with write_transaction(conn):
        _check_tenancy_and_property(conn, fields)
        job_id = insert_job(conn, fields, now_iso())
    sim().faults.after_job_commit()
    number = job_no(job_id)
    body = job_to_wire(reload(conn, job_id), sim().catalogue)
    return body, 201, {"Location": f"/api/v1/jobs/{number}"}


@bp.get("/jobs")
def search_jobs() -> dict[str, Any]:
    ext_ref = request.args.get("EXT_REF", "").strip()
    if not ext_ref:
        raise NgError(400, "NG-1003", "EXT_REF is required to search jobs")
    rows = db().execute("SELECT * FROM jobs WHERE ext_ref = ? ORDER BY id", (ext_ref,)).fetchall()
    return {"TOTAL": len(rows), "JOBS": [job_to_wire(row, sim().catalogue) for row in rows]}


@bp.get("/jobs/changes")
def list_changes() -> dict[str, Any]:
    since = whole_number_param("SINCE_SEQ", default=0, low=0)
    limit = whole_number_param("LIMIT", default=100, low=1, high=MAX_CHANGES_PAGE)
    changes, more = changes_since(db(), since, limit)
    last = changes[-1]["SEQ"] if changes else since
    return {"CHANGES": changes, "LAST_SEQ": last, "MORE": "Y" if more else "N"}


@bp.get("/jobs/<number>")
def read_job(number: str) -> dict[str, str]:
    return job_to_wire(require_job(db(), number), sim().catalogue)


@bp.post("/jobs/<number>/cancel")
def cancel(number: str) -> dict[str, str]:
    reason = optional_text(json_body(optional=True), "REASON")
    conn = db()
    with write_transaction(conn):
        job_id = require_job(conn, number)["id"]
        cancel_job(conn, job_id, reason, now_iso())
    return job_to_wire(reload(conn, job_id), sim().catalogue)


@bp.get("/jobs/<number>/availability")
def availability(number: str) -> dict[str, Any]:
    conn = db()
    job = require_job(conn, number)
    start = parse_date(request.args.get("FROM"), "FROM")
    end = parse_date(request.args.get("TO"), "TO")
    slots = appointments.availability(conn, job, start, end, uk_today(now()))
    return {
        "JOB_NO": job_no(job["id"]),
        "TRADE": job["trade"],
        "FROM": start.strftime("%d/%m/%Y"),
        "TO": end.strftime("%d/%m/%Y"),
        "SLOTS": slots,
    }


@bp.post("/jobs/<number>/appointment")
def book_appointment(number: str) -> dict[str, Any]:
    body = json_body()
    day = parse_date(body.get("APPT_DATE"), "APPT_DATE")
    slot = reference(required_text(body, "APPT_SLOT"))
    conn = db()
    with write_transaction(conn):
        job = require_job(conn, number)
        appointments.check_bookable(job, day, slot, uk_today(now()))
        done = appointments.book(conn, job["id"], day, slot, now_iso())
    if not done:
        # The quirk real systems have: a refused booking is still HTTP 200.
        return {"RESULT": "FAIL", "REASON": "SLOT_FULL", "JOB_NO": job_no(job["id"])}
    return {
        "RESULT": "OK",
        "JOB_NO": job_no(job["id"]),
        "APPT_DATE": day.strftime("%d/%m/%Y"),
        "APPT_SLOT": slot,
        "STATUS": reload(conn, job["id"])["status"],
    }


@bp.delete("/jobs/<number>/appointment")
def delete_appointment(number: str) -> dict[str, str]:
    conn = db()
    with write_transaction(conn):
        job_id = require_job(conn, number)["id"]
        appointments.cancel_appointment(conn, job_id, now_iso())
    return job_to_wire(reload(conn, job_id), sim().catalogue)
