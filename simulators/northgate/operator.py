"""The operator page: what a back-office user of the housing system would click."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from .context import db, now_iso, sim
from .jobs import OPERATOR_ACTIONS, STATUS_DESC, apply_operator_action, job_to_wire, require_job
from .store import write_transaction
from .wire import NgError

bp = Blueprint("ng_operator", __name__, url_prefix="/operator", template_folder="templates")

LIST_LIMIT = 200


def _page(error: str = "", status: int = 200) -> tuple[str, int]:
    chosen = request.args.get("STATUS", "").strip().upper()
    if chosen not in STATUS_DESC:
        chosen = ""
    if chosen:
        rows = db().execute(
            "SELECT * FROM jobs WHERE status = ? ORDER BY id DESC LIMIT ?", (chosen, LIST_LIMIT)
        )
    else:
        rows = db().execute("SELECT * FROM jobs ORDER BY id DESC LIMIT ?", (LIST_LIMIT,))
    jobs: list[dict[str, Any]] = []
    for row in rows.fetchall():
        wire: dict[str, Any] = dict(job_to_wire(row, sim().catalogue))
        wire["ACTIONS"] = [
            (name, action.label)
            for name, action in OPERATOR_ACTIONS.items()
            if row["status"] in action.allowed_from
        ]
        jobs.append(wire)
    html = render_template(
        "operator.html",
        jobs=jobs,
        statuses=STATUS_DESC,
        chosen=chosen,
        faults=sim().faults.settings,
        error=error,
        moved=request.args.get("moved", ""),
        limit=LIST_LIMIT,
    )
    return html, status


def _back(**extra: str) -> Response:
    params: dict[str, Any] = dict(extra)
    if request.args.get("STATUS"):
        params["STATUS"] = request.args["STATUS"]
    return redirect(url_for("ng_operator.show", **params), code=303)


@bp.get("")
def show() -> tuple[str, int]:
    return _page()


@bp.post("/jobs/<number>/<action>")
def move_job(number: str, action: str) -> Response | tuple[str, int]:
    conn = db()
    try:
        with write_transaction(conn):
            job_id = require_job(conn, number)["id"]
            apply_operator_action(conn, job_id, action, now_iso())
    except NgError as error:
        return _page(error=error.text, status=error.status)
    return _back(moved=number)


def _form_faults() -> dict[str, Any]:
    form = request.form
    try:
        return {
            "latency_ms": int(form.get("latency_ms", "0") or 0),
            "error_rate": float(form.get("error_rate", "0") or 0),
            "hang_seconds": float(form.get("hang_seconds", "0") or 0),
            "seed": int(form.get("seed", "0") or 0),
            "down": form.get("down") == "on",
            "hang_after_commit": form.get("hang_after_commit") == "on",
        }
    except ValueError as error:
        raise NgError(400, "NG-9001", "Enter numbers in the fault settings") from error


@bp.post("/faults")
def set_faults() -> Response | tuple[str, int]:
    try:
        sim().faults.update(_form_faults())
    except NgError as error:
        return _page(error=error.text, status=error.status)
    return _back()


@bp.post("/faults/reset")
def reset_faults() -> Response:
    sim().faults.reset()
    return _back()
