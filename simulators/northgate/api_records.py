"""Read side of the tenancy record: verification, tenancies, properties, SOR catalogue."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import Blueprint, request

from .context import db, sim
from .jobs import PAGE_SIZE, job_to_wire
from .wire import (
    NgError,
    format_date,
    json_body,
    parse_date,
    reference,
    required_text,
    whole_number_param,
)

bp = Blueprint("ng_records", __name__, url_prefix="/api/v1")

MAX_PAGE = 100_000
TENURE_DESC = {"SEC": "Secure", "INT": "Introductory", "LSH": "Leasehold"}


def _squash_postcode(value: str) -> str:
    return "".join(value.split()).upper()


def _tenancy(conn: sqlite3.Connection, ref: str) -> sqlite3.Row:
    row: sqlite3.Row | None = conn.execute(
        "SELECT * FROM tenancies WHERE tenancy_ref = ?", (reference(ref),)
    ).fetchone()
    if row is None:
        raise NgError(404, "NG-1100", f"Tenancy {ref.strip()} not found")
    return row


@bp.post("/tenancies/verify")
def verify_tenancy() -> dict[str, Any]:
    body = json_body()
    ref = reference(required_text(body, "TENANCY_REF"))
    postcode = _squash_postcode(required_text(body, "POSTCODE"))
    dob = parse_date(body.get("DOB"), "DOB")
    row = (
        db()
        .execute(
            "SELECT t.*, p.postcode FROM tenancies t JOIN properties p ON p.prop_ref = t.prop_ref"
            " WHERE t.tenancy_ref = ?",
            (ref,),
        )
        .fetchone()
    )
    # An unknown reference is just "no match": a 404 would tell a caller which refs exist.
    if (
        row is None
        or row["dob"] != dob.isoformat()
        or _squash_postcode(row["postcode"]) != postcode
    ):
        return {"MATCH": "N"}
    return {
        "MATCH": "Y",
        "TENANCY_REF": row["tenancy_ref"],
        "PROP_REF": row["prop_ref"],
        "TENURE": row["tenure"],
        "TEN_STATUS": row["ten_status"],
    }


@bp.get("/tenancies/<ref>")
def read_tenancy(ref: str) -> dict[str, Any]:
    row = _tenancy(db(), ref)
    name = " ".join(part for part in (row["title"], row["forename"], row["surname"]) if part)
    return {
        "TENANCY_REF": row["tenancy_ref"],
        "PROP_REF": row["prop_ref"],
        "TENANT_TITLE": row["title"],
        "TENANT_FORENAME": row["forename"],
        "TENANT_SURNAME": row["surname"],
        "TENANT_NAME": name,
        "TENURE": row["tenure"],
        "TENURE_DESC": TENURE_DESC[row["tenure"]],
        "TEN_STATUS": row["ten_status"],
        "START_DATE": format_date(row["start_date"]),
        "END_DATE": format_date(row["end_date"]),
        "VULN_FLAGS": row["vuln_flags"].split(),
    }


@bp.get("/tenancies/<ref>/jobs")
def list_tenancy_jobs(ref: str) -> dict[str, Any]:
    conn = db()
    tenancy = _tenancy(conn, ref)
    page = whole_number_param("PAGE", default=1, low=1, high=MAX_PAGE)
    total = conn.execute(
        "SELECT COUNT(*) FROM jobs WHERE tenancy_ref = ?", (tenancy["tenancy_ref"],)
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT * FROM jobs WHERE tenancy_ref = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        (tenancy["tenancy_ref"], PAGE_SIZE, (page - 1) * PAGE_SIZE),
    ).fetchall()
    return {
        "TENANCY_REF": tenancy["tenancy_ref"],
        "PAGE": page,
        "PAGE_SIZE": PAGE_SIZE,
        "PAGES": (total + PAGE_SIZE - 1) // PAGE_SIZE,
        "TOTAL": total,
        "JOBS": [job_to_wire(row, sim().catalogue) for row in rows],
    }


@bp.get("/properties/<ref>")
def read_property(ref: str) -> dict[str, Any]:
    row = db().execute("SELECT * FROM properties WHERE prop_ref = ?", (ref.strip(),)).fetchone()
    if row is None:
        raise NgError(404, "NG-1101", f"Property {ref.strip()} not found")
    return {
        "PROP_REF": row["prop_ref"],
        "UPRN": row["uprn"],
        "PROP_TYPE": row["prop_type"],
        "ADDR_LINE_1": row["addr1"],
        "ADDR_LINE_2": row["addr2"],
        "ADDR_LINE_3": row["addr3"],
        "ADDR_LINE_4": row["addr4"],
        "POSTCODE": row["postcode"],
        "MAINT_FLAG": row["maint_flag"],
        "BH_REGION": row["bh_region"],
    }


@bp.get("/sor")
def list_sor() -> dict[str, Any]:
    trade = request.args.get("TRADE", "").strip().upper()
    items = [
        item.to_wire() for item in sim().catalogue.values() if not trade or item.trade == trade
    ]
    return {"TOTAL": len(items), "ITEMS": items}


@bp.get("/sor/<code>")
def read_sor(code: str) -> dict[str, Any]:
    item = sim().catalogue.get(reference(code))
    if item is None:
        raise NgError(404, "NG-1103", f"SOR code {code.strip()} not found")
    return item.to_wire()
