"""The advisors' queue of help requests from terminals, and for supervisors the terminals,
the audit log (R41) and the measures (R45)."""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from adapters.db.audit_store import AuditFilter, SqlMeasures
from adapters.db.staff_store import NameTaken
from portal.staff.auth import current_staff, staff_required, supervisor_required
from portal.staff.blueprint import bp
from portal.staff.context import staff_context
from portal.staff.forms import ConfirmForm, TerminalForm
from portal.staff.views_auth import token_hash
from repairs.refs import TenancyRef

AUDIT_PAGE = 50
NEW_LINK = "staff_terminal_link"  # shown once, on the page after the POST


# ---------------------------------------------------------------- the advisors' queue


@bp.get("/queue")
@staff_required
def queue() -> ResponseReturnValue:
    context = staff_context()
    now = context.clock.now()
    requests = [
        {"request": r, "waited_minutes": max(int((now - r.requested_at).total_seconds() // 60), 0)}
        for r in context.help_requests.open_requests()
    ]
    return render_template("staff/queue.html", requests=requests, form=ConfirmForm())


@bp.post("/queue/<int:request_id>/take")
@staff_required
def take_request(request_id: int) -> ResponseReturnValue:
    context = staff_context()
    staff = current_staff()
    assert staff is not None
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = next((r for r in context.help_requests.open_requests() if r.id == request_id), None)
    if wanted is None:
        abort(404)
    if context.help_requests.take(request_id, staff.id, context.clock.now()):
        flash(f"Go to terminal {wanted.terminal_name}: the tenant there asked for help")
    else:
        flash(f"Someone else has already gone to terminal {wanted.terminal_name}")
    return redirect(url_for("staff.queue"))


@bp.post("/queue/<int:request_id>/done")
@staff_required
def close_request(request_id: int) -> ResponseReturnValue:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    context = staff_context()
    context.help_requests.close(request_id, context.clock.now())
    return redirect(url_for("staff.queue"))


# ---------------------------------------------------------------- terminals (supervisors)


@bp.route("/terminals", methods=["GET", "POST"])
@supervisor_required
def terminals() -> ResponseReturnValue:
    context = staff_context()
    staff = current_staff()
    assert staff is not None
    form = TerminalForm()
    if form.validate_on_submit():
        token = secrets.token_urlsafe(32)
        now = context.clock.now()
        expires = now + context.config.registration_link_valid
        try:
            terminal = context.terminals.create(
                form.name.data, staff.id, token_hash(token), expires, now
            )
        except NameTaken:
            form.name.errors = ["There is already a terminal with that name"]
        else:
            session[NEW_LINK] = {"terminal_id": terminal.id, "token": token}
            return redirect(url_for("staff.terminal_link", terminal_id=terminal.id))
    return render_template(
        "staff/terminals.html", form=form, terminals=context.terminals.all(), confirm=ConfirmForm()
    )


@bp.get("/terminals/<int:terminal_id>/link")
@supervisor_required
def terminal_link(terminal_id: int) -> ResponseReturnValue:
    """The registration link, once: open it in the kiosk's own browser."""
    context = staff_context()
    terminal = context.terminals.by_id(terminal_id)
    pending = session.pop(NEW_LINK, None)
    if (
        terminal is None
        or not isinstance(pending, dict)
        or pending.get("terminal_id") != terminal_id
    ):
        return redirect(url_for("staff.terminals"))
    link = f"{context.public_base_url}/terminal/register/{pending['token']}"
    hours = int(context.config.registration_link_valid.total_seconds() // 3600)
    return render_template("staff/terminal_link.html", terminal=terminal, link=link, hours=hours)


@bp.post("/terminals/<int:terminal_id>/register-again")
@supervisor_required
def register_again(terminal_id: int) -> ResponseReturnValue:
    context = staff_context()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if context.terminals.by_id(terminal_id) is None:
        abort(404)
    token = secrets.token_urlsafe(32)
    expires = context.clock.now() + context.config.registration_link_valid
    context.terminals.new_registration_link(terminal_id, token_hash(token), expires)
    session[NEW_LINK] = {"terminal_id": terminal_id, "token": token}
    return redirect(url_for("staff.terminal_link", terminal_id=terminal_id))


@bp.post("/terminals/<int:terminal_id>/revoke")
@supervisor_required
def revoke_terminal(terminal_id: int) -> ResponseReturnValue:
    context = staff_context()
    if not ConfirmForm().validate_on_submit():
        abort(400)
    terminal = context.terminals.by_id(terminal_id)
    if terminal is None:
        abort(404)
    context.terminals.revoke(terminal_id, context.clock.now())
    context.help_requests.close_for_terminal(terminal_id, context.clock.now())
    flash(f"Terminal {terminal.name} is out of service until it is registered again")
    return redirect(url_for("staff.terminals"))


# ---------------------------------------------------------------- the audit log (supervisors)


@bp.get("/audit")
@supervisor_required
def audit() -> ResponseReturnValue:
    context = staff_context()
    only, problem = _audit_filter()
    page = request.args.get("page", "1")
    number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    total = context.audit.count(only)
    rows = context.audit.newest(only, limit=AUDIT_PAGE, offset=(number - 1) * AUDIT_PAGE)
    return render_template(
        "staff/audit.html",
        rows=rows,
        page=number,
        pages=max((total + AUDIT_PAGE - 1) // AUDIT_PAGE, 1),
        total=total,
        tenancy=only.tenancy_ref or "",
        problem=problem,
        checks=context.config.identity_checks,
    )


def _audit_filter() -> tuple[AuditFilter, str | None]:
    text = request.args.get("tenancy", "").strip()
    if not text:
        return AuditFilter(), None
    try:
        return AuditFilter(tenancy_ref=TenancyRef.parse(text[:40]).value), None
    except ValueError:
        return AuditFilter(), "Enter a tenancy reference like TEN-100001"


# ---------------------------------------------------------------- the measures (supervisors)

PERIODS = {"30": "the last 30 days", "90": "the last 90 days", "365": "the last year"}


@bp.get("/measures")
@supervisor_required
def measures() -> ResponseReturnValue:
    """R45 from our own database: how repairs reach us, active accounts, work on time."""
    context = staff_context()
    days = request.args.get("days", "90")
    if days not in PERIODS:
        days = "90"
    now = context.clock.now()
    figures = SqlMeasures(context.services.sessions).since(now - timedelta(days=int(days)), now)
    return render_template(
        "staff/measures.html", figures=figures, days=days, periods=PERIODS, wide=True
    )
