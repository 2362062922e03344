"""Assisted digital for staff (R41, R42): staff accounts with an authenticator, advisors
acting for tenants, the advisors' queue, the audit log and the measures.

`init_staff(app)` wires it; it needs portal.accounts' server-side sessions, so it runs after
`init_accounts(app)`. Journeys record assisted actions with
`portal.staff.serving.record_assisted_action`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app

from portal.staff import (  # noqa: F401  (routes on bp)
    views_admin,
    views_auth,
    views_repairs,
    views_serving,
)
from portal.staff.auth import current_staff
from portal.staff.blueprint import bp
from portal.staff.cli import staff as staff_cli
from portal.staff.context import build_staff_context
from portal.staff.journeys import init_journey_audit
from portal.staff.serving import current_assisting

__all__ = ["init_staff"]


def init_staff(app: Flask) -> None:
    app.extensions["staff"] = build_staff_context(app)
    app.register_blueprint(bp)
    app.cli.add_command(staff_cli)
    app.context_processor(_staff_banner)
    init_journey_audit(app)


def _staff_banner() -> dict[str, Any]:
    """For base.html: the 'You are helping …' banner on every page, staff and tenant ones,
    while an advisor serves a tenant (R41)."""
    staff = current_staff()
    if staff is None:
        return {"staff_nav": None, "helping": None}
    return {
        "staff_nav": {
            "email": staff.email,
            "supervisor": staff.role.value == "supervisor",
            "measures": "staff.measures" in current_app.view_functions,
        },
        "helping": current_assisting(),
    }
