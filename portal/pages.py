"""Public pages: start, accessibility statement, privacy notice, cookies; and /healthz."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue

from adapters.db.health import check_health

bp = Blueprint("pages", __name__)

# A worker beats every minute; three missed beats means it is not running.
WORKER_STALE_AFTER = timedelta(minutes=3)


@bp.get("/")
def start() -> str:
    return render_template("pages/start.html")


@bp.get("/accessibility")
def accessibility() -> str:
    return render_template("pages/accessibility.html")


@bp.get("/privacy")
def privacy() -> str:
    return render_template("pages/privacy.html")


@bp.get("/cookies")
def cookies() -> str:
    return render_template("pages/cookies.html")


@bp.get("/healthz/live")
def liveness() -> ResponseReturnValue:
    """For a load balancer: this web process can serve and reach its database. A dead worker
    must not take the web pages out of rotation, so it is not checked here."""
    report = check_health(current_app.extensions["services"].sessions)
    response = jsonify({"status": "ok" if report.database_ok else "unavailable"})
    response.status_code = 200 if report.database_ok else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """For monitoring: the whole system, web and worker. 503 when either is not healthy."""
    services = current_app.extensions["services"]
    report = check_health(services.sessions)
    now = services.clock.now()
    worker_ok = report.last_worker_beat is not None and (
        now - report.last_worker_beat <= WORKER_STALE_AFTER
    )
    body = {
        "status": "ok" if report.database_ok and worker_ok else "unavailable",
        "database": "ok" if report.database_ok else "unreachable",
        "worker": "ok" if worker_ok else "no recent heartbeat",
        "last_worker_heartbeat": report.last_worker_beat.isoformat()
        if report.last_worker_beat
        else None,
    }
    response = jsonify(body)
    response.status_code = 200 if body["status"] == "ok" else 503
    response.headers["Cache-Control"] = "no-store"
    return response
