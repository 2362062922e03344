"""Report a repair: the journey at /report, one question per page (see journey.py for the
order, context.py for the wiring, views*.py for the pages)."""

from flask import Blueprint

bp = Blueprint("report", __name__, url_prefix="/report")

from portal.report import views, views_details  # noqa: E402, F401  (registers the routes)
