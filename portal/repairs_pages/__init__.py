"""A repair's own page at /repairs/<reference>: reference, status, target date, what was
reported and its photos, from our read copy only (it works while the backend is down).

Minimal on purpose: the booking and tracking work replaces it with the full page (timeline,
appointment changes). A reference that is not the signed-in tenancy's is a 404, never data.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask.typing import ResponseReturnValue

from portal.accounts.access import current_tenancy, tenant_required
from portal.report.context import report_context
from portal.report.views_details import leaf_of
from portal.report.wording import PRIORITY_NAMES, by_date, choose_slot_url
from repairs.local_time import local_date
from repairs.refs import RepairRef
from repairs.reporting import RepairSummary
from repairs.slots import format_slot

bp = Blueprint("repairs_pages", __name__, url_prefix="/repairs")


def _own_repair(reference: str) -> RepairSummary:
    try:
        ref = RepairRef.parse(reference)
    except ValueError:
        abort(404)
    summary = report_context().store.summary(ref)
    if summary is None or summary.tenancy_ref != current_tenancy():
        abort(404)
    return summary


@bp.get("/<reference>")
@tenant_required
def repair(reference: str) -> ResponseReturnValue:
    context = report_context()
    summary = _own_repair(reference)
    today = local_date(context.clock.now())
    status = context.policy.statuses[summary.status]  # R46: honest words
    slot = format_slot(summary.slot, context.policy.slot_times, today=today) if summary.slot else ""
    return render_template(
        "repairs/repair.html",
        summary=summary,
        leaf=leaf_of(summary.triage_path),
        status=status,
        slot=slot,
        priority=PRIORITY_NAMES[summary.priority],
        due=by_date(summary.target_date, today),
        choose_url=choose_slot_url(summary.ref),
    )


@bp.get("/<reference>/photos/<token>")
@tenant_required
def photo(reference: str, token: str) -> ResponseReturnValue:
    """R19: a repair's photo, for its own tenancy only."""
    context = report_context()
    summary = _own_repair(reference)
    record = context.drafts.photo_for_tenancy(token, current_tenancy())
    if token not in summary.photo_tokens or record is None:
        abort(404)
    path = context.photos.path(record)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=record.content_type, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
