"""The staff blueprint: every page under /staff."""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("staff", __name__, url_prefix="/staff")

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'  # R40


@bp.after_request
def _no_store(response: Response) -> Response:
    """R40: nothing a member of staff sees (tenants' details, set-up secrets) is kept by the
    browser or a proxy, and no page of ours may be framed."""
    response.headers["Cache-Control"] = "no-store"
    return response
