"""Your repairs, each repair's page and the survey (R44-R47).

These pages read our database only, never the backend, so they work while it is down; the
list is one query however many repairs a tenancy has.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.routing import BuildError

from portal.accounts.access import acting_actor, current_tenancy, tenant_required
from portal.booking.context import booking_context
from portal.booking.views import repair_url
from portal.tracking.forms import SCORES, SurveyForm
from repairs.booking import Block, booking_block
from repairs.local_time import local_date
from repairs.priorities import Priority
from repairs.refs import RepairRef
from repairs.tracking import RepairLine, RepairPage, check_survey_answer, survey_open, timeline

bp = Blueprint("tracking", __name__)

PRIORITY_NAMES = {
    Priority.EMERGENCY: "Emergency",
    Priority.URGENT: "Urgent",
    Priority.ROUTINE: "Routine",
    Priority.DAMP_AND_MOULD: "Damp and mould (Awaab's Law)",
}


def _page(reference: str) -> RepairPage:
    try:
        ref = RepairRef.parse(reference)
    except ValueError:
        abort(404)
    page = booking_context().store.page(ref, current_tenancy())
    if page is None:
        abort(404)  # someone else's reference finds nothing, never their data
    return page


def line_view(line: RepairLine) -> dict[str, Any]:
    """What a list row shows: the honest status (R46) and times in words (R47)."""
    context = booking_context()
    status = context.policy.statuses[line.status]
    today = local_date(context.services.clock.now())
    return {
        "line": line,
        "status": status,
        "slot_text": context.service.text(line.slot) if line.slot and status.is_open else "",
        "today": today,
    }


PAGE_SIZE = 20
DASHBOARD_SIZE = 5


@bp.get("/repairs")
@tenant_required
def repairs() -> str:
    text = request.args.get("page", "1")
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        abort(400)  # a tampered or mangled link
    number = int(text)
    found = booking_context().store.lines(
        current_tenancy(), offset=(number - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-found.total // PAGE_SIZE))
    if number > pages:
        abort(404)
    views = [line_view(line) for line in found.lines]
    return render_template(
        "tracking/repairs.html",
        open_repairs=[v for v in views if v["status"].is_open],
        past_repairs=[v for v in views if not v["status"].is_open],
        page=number,
        pages=pages,
        total=found.total,
    )


@bp.get("/repairs/<reference>")
@tenant_required
def repair(reference: str) -> str:
    page = _page(reference)
    context = booking_context()
    on_file = page.on_file
    now = context.services.clock.now()
    block = booking_block(on_file.repair)
    return render_template(
        "tracking/repair.html",
        page=page,
        confirmed_at=_confirmed_at(page),
        repair=on_file.repair,
        view=line_view(page.line),
        can_book=block is None,
        block=block.value if block else None,
        change_block=_change_block(page),
        entries=timeline(page.timeline, context.policy.slot_times, local_date(now)),
        last_updated=max(filter(None, (page.synced_at, page.line.status_updated_at))),
        survey=survey_open(page.line.status),
        photo_url=_photo_url,
        priority=PRIORITY_NAMES[page.line.priority],
    )


def _confirmed_at(page: RepairPage) -> datetime | None:
    """When the tenant replied CONFIRM to the current booking's texts (the text-message
    service records replies; two queries, whatever the number of repairs)."""
    if page.on_file.repair.appointment is None:
        return None
    messaging = booking_context().services.messaging
    if page.confirmed_at is not None or messaging is None:
        return page.confirmed_at
    confirmed: datetime | None = messaging.tenant_confirmed_at(str(page.on_file.repair.ref))
    return confirmed


def _change_block(page: RepairPage) -> str | None:
    if page.on_file.repair.appointment is None:
        return None
    block = booking_context().service.change_block(page.on_file)
    return block.value if block is not None and block is not Block.NOT_BOOKED else None


def _photo_url(token: str) -> str | None:
    """Reporting's owner-only photo view (R19), if reporting is part of this app."""
    try:
        return url_for("report.photo", token=token)
    except BuildError:
        return None


@bp.route("/repairs/<reference>/survey", methods=["GET", "POST"])
@tenant_required
def survey(reference: str) -> Any:
    page = _page(reference)
    ref = page.on_file.repair.ref
    if not survey_open(page.line.status) or page.survey_score is not None:
        if request.method == "POST" and page.survey_score is None:
            abort(400)  # a survey for a repair that is not complete: not from our pages
        return render_template("tracking/survey_closed.html", page=page, repair=page.on_file.repair)
    form = SurveyForm()
    if request.method == "POST" and request.form.get("score") not in (None, "", *SCORES):
        abort(400)  # a score that was never offered
    if form.validate_on_submit():
        comment = check_survey_answer(int(form.score.data), form.comment.data or "")
        booking_context().store.save_survey(
            ref, int(form.score.data), comment, assisted=acting_actor() is not None,
            at=booking_context().services.clock.now(),
        )  # fmt: skip
        return redirect(url_for("tracking.survey_thanks", reference=ref))
    return render_template("tracking/survey.html", form=form, repair=page.on_file.repair)


@bp.get("/repairs/<reference>/survey/thanks")
@tenant_required
def survey_thanks(reference: str) -> Any:
    page = _page(reference)
    if page.survey_score is None:
        return redirect(repair_url(page.on_file.repair.ref))
    return render_template("tracking/survey_thanks.html", repair=page.on_file.repair)


def tenant_open_repairs() -> dict[str, Any]:
    """For the signed-in dashboard: the newest open repairs and how many there are."""
    found = booking_context().store.lines(current_tenancy(), open_only=True, limit=DASHBOARD_SIZE)
    return {"rows": [line_view(line) for line in found.lines], "total": found.total}
