"""The advisor's view of the served tenant's repairs, with the text-message log (R32, R42).

Only repairs of the tenancy being served are found: the reference comes from the URL, but
the lookup is by reference *and* the served tenancy, so another tenant's reference finds
nothing (404), exactly as on the tenant's own pages.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.staff import serving
from portal.staff.auth import staff_required
from portal.staff.blueprint import bp
from repairs.refs import RepairRef, TenancyRef

SERVED_REPAIRS = 50  # open ones first, then the newest closed ones


def served_repairs(tenancy_ref: str) -> list[dict[str, Any]]:
    """The serving page's list: the tenancy's repairs, open ones first."""
    if "tracking.repairs" not in current_app.view_functions:
        return []
    from portal.booking.context import booking_context
    from portal.tracking.views import line_view

    found = booking_context().store.lines(TenancyRef(tenancy_ref), limit=SERVED_REPAIRS)
    return [line_view(line) for line in found.lines]


@bp.get("/serving/repairs/<reference>")
@staff_required
def served_repair(reference: str) -> ResponseReturnValue:
    assisting = serving.current_assisting()
    if assisting is None:
        return redirect(url_for("staff.home"))
    if "tracking.repairs" not in current_app.view_functions:
        abort(404)
    from portal.booking.context import booking_context
    from portal.tracking.views import line_view

    try:
        ref = RepairRef.parse(reference[:20])
    except ValueError:
        abort(404)
    page = booking_context().store.page(ref, TenancyRef(assisting.tenancy_ref))
    if page is None:
        abort(404)  # R42: not the tenancy being served
    messaging = current_app.extensions["services"].messaging
    messages = messaging.messages_for_repair(str(ref)) if messaging else []
    return render_template(
        "staff/repair.html", page=page, view=line_view(page.line), messages=messages, ref=ref
    )
