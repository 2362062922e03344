"""Booking and tracking pages, and the worker jobs that keep the read copy up to date."""

from __future__ import annotations

from flask import Flask

from portal.booking.views import bp as booking_bp
from portal.tracking.views import bp as tracking_bp
from portal.tracking.views import tenant_open_repairs
from portal.tracking.worker import tracking_worker_jobs


def init_tracking(app: Flask) -> None:
    app.register_blueprint(booking_bp)
    app.register_blueprint(tracking_bp)
    app.add_template_global(tenant_open_repairs)
    services = app.extensions["services"]
    services.extras.setdefault("worker_job_factories", []).append(tracking_worker_jobs)
