"""The /_sim back door for tests and demos: faults, reset, and setting a job's status."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from .context import db, now_iso, sim
from .jobs import STATUS_DESC, change_status, job_to_wire, reload, require_job
from .store import write_transaction
from .wire import NgError, json_body

bp = Blueprint("ng_control", __name__, url_prefix="/_sim")


@bp.get("/faults")
def read_faults() -> dict[str, Any]:
    return sim().faults.settings.to_json()


@bp.post("/faults")
def set_faults() -> dict[str, Any]:
    body = json_body()
    return sim().faults.update(body).to_json()


@bp.post("/reset")
def reset() -> dict[str, Any]:
    return sim().faults.reset().to_json()


@bp.post("/jobs/<number>/status")
def set_status(number: str) -> dict[str, str]:
    status = json_body().get("STATUS")
    if not isinstance(status, str) or status.strip().upper() not in STATUS_DESC:
        raise NgError(400, "NG-9001", f"STATUS must be one of {', '.join(STATUS_DESC)}")
    conn = db()
    with write_transaction(conn):
        job_id = require_job(conn, number)["id"]
        # No transition rules here on purpose: tests need to reach any state in one call.
        change_status(conn, job_id, status.strip().upper(), "STATUS_SET", now_iso())
    return job_to_wire(reload(conn, job_id), sim().catalogue)
