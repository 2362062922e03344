"""An advisor serving a tenant: find, check identity and consent, help, finish (R41, R42).

No page here takes a tenancy reference from the URL: the tenancy found is kept in the
session, and once identity and consent are recorded it is the only one the advisor can see
until they finish (R42). Tenant pages then work as the tenant's own, for that tenancy only.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from adapters.db.accounts import AccountRecord
from adapters.db.audit_store import Place
from adapters.db.staff_store import StaffRecord
from portal.staff import serving
from portal.staff.auth import current_staff, staff_required
from portal.staff.blueprint import bp
from portal.staff.context import staff_context
from portal.staff.forms import ConfirmForm, FindTenantForm, IdentityForm
from portal.staff.lookup import LookupFailed, find_tenancies, read_tenancy
from portal.staff.views_repairs import served_repairs
from repairs.ports import Tenancy

log = logging.getLogger(__name__)
# The tenant journeys an advisor can use for the tenant, where those blueprints exist.
JOURNEYS = (
    ("report.start", "Report a repair"),
    ("tracking.repairs", "See their repairs, and book, change or cancel appointments"),
)
CANDIDATES = "staff_candidates"  # tenancy references the last search found


@bp.get("/")
@staff_required
def home() -> ResponseReturnValue:
    context = staff_context()
    return render_template(
        "staff/home.html",
        form=FindTenantForm(formdata=None),
        waiting=len([r for r in context.help_requests.open_requests() if r.taken_at is None]),
    )


@bp.post("/find")
@staff_required
def find() -> ResponseReturnValue:
    if serving.current_assisting() is not None:
        flash("Finish helping this tenant before you find another")
        return redirect(url_for("staff.serving_tenant"))
    form = FindTenantForm()
    if not form.validate_on_submit():
        return render_template("staff/home.html", form=form, waiting=None), 400
    try:
        found = find_tenancies(form.tenancy_reference.data, form.name.data, form.postcode.data)
    except LookupFailed as problem:
        form.tenancy_reference.errors = [str(problem)]
        return render_template("staff/home.html", form=form, waiting=None), 503
    if not found:
        field = form.tenancy_reference if form.tenancy_reference.data else form.name
        field.errors = ["No tenancy matches. Check the details, or ask for the tenancy reference"]
        return render_template("staff/home.html", form=form, waiting=None)
    session[CANDIDATES] = [tenancy.ref.value for tenancy in found]
    return redirect(url_for("staff.check_identity"))


@bp.route("/check", methods=["GET", "POST"])
@staff_required
def check_identity() -> ResponseReturnValue:
    """Show the tenancy found, ask how identity was checked, where, and for consent."""
    candidates = session.get(CANDIDATES)
    if not isinstance(candidates, list) or not candidates:
        return redirect(url_for("staff.home"))
    staff = current_staff()
    assert staff is not None
    form = _identity_form(candidates)
    tenancies = _read_candidates(candidates)
    if tenancies is None:
        return render_template("staff/housing_down.html"), 503
    if form.validate_on_submit():
        chosen = next(t for t in tenancies if t.ref.value == form.tenancy.data)
        _begin(staff, chosen, form)
        session.pop(CANDIDATES, None)
        return redirect(url_for("staff.serving_tenant"))
    return render_template("staff/check.html", form=form, tenancies=tenancies)


def _identity_form(candidates: list[str]) -> IdentityForm:
    context = staff_context()
    form = IdentityForm()
    form.identity_check.choices = list(context.config.identity_checks.items())
    places = [("desk", "At my desk")]
    places += [
        (f"terminal-{t.id}", f"At terminal {t.name}")
        for t in context.terminals.all()
        if t.in_service
    ]
    form.place.choices = places
    form.tenancy.choices = [(ref, ref) for ref in candidates]
    if len(candidates) == 1 and request.method == "GET":
        form.tenancy.data = candidates[0]
    return form


def _read_candidates(candidates: list[str]) -> list[Tenancy] | None:
    tenancies = []
    for ref in candidates:
        try:
            tenancies.append(read_tenancy(ref))
        except LookupFailed:
            return None
    return tenancies


def _begin(staff: StaffRecord, tenancy: Tenancy, form: IdentityForm) -> None:
    place = form.place.data
    terminal_id = int(place.removeprefix("terminal-")) if place.startswith("terminal-") else None
    serving.begin(
        serving.Assisting(
            tenancy_ref=tenancy.ref.value,
            tenant_name=tenancy.tenant_name,
            identity_check=form.identity_check.data,
            consent_given=True,
            place=Place.TERMINAL if terminal_id else Place.DESK,
            terminal_id=terminal_id,
            staff_id=staff.id,
        )
    )


@bp.get("/serving")
@staff_required
def serving_tenant() -> ResponseReturnValue:
    assisting = serving.current_assisting()
    if assisting is None:
        return redirect(url_for("staff.home"))
    return render_template("staff/serving.html", form=ConfirmForm(), **_tenant_view(assisting))


def _tenant_view(assisting: serving.Assisting) -> dict[str, Any]:
    context = staff_context()
    staff = current_staff()
    assert staff is not None
    try:
        tenancy: Tenancy | None = read_tenancy(assisting.tenancy_ref)
    except LookupFailed:
        tenancy = None
    # R42: vulnerability details only for the roles configured to need them.
    show_flags = context.config.may_see_vulnerabilities(staff.role)
    accounts = context.accounts.holders_of(assisting.tenancy_ref) if context.accounts else []
    return {
        "assisting": assisting,
        "tenancy": tenancy,
        "flags": tenancy.vulnerability_flags if tenancy and show_flags else None,
        "identity_check": context.config.identity_checks.get(assisting.identity_check, ""),
        "journeys": [(e, text) for e, text in JOURNEYS if e in current_app.view_functions],
        "accounts": [_account_view(a) for a in accounts],
        "repairs": served_repairs(assisting.tenancy_ref),
    }


def _account_view(account: AccountRecord) -> dict[str, Any]:
    """R42: enough to tell the tenant how they sign in; never the password (we hold only a
    hash) nor the whole email address or number."""
    name = account.sign_in_name
    if "@" in name:
        local, _, domain = name.partition("@")
        hint = f"the email address {local[:1]}…@{domain}"
    else:
        hint = f"the mobile number ending {name[-3:]}"
    return {
        "id": account.id,
        "sign_in_hint": hint,
        "can_reset": bool(account.mobile and account.mobile_verified_at),
        "mobile_ending": (account.mobile or "")[-3:],
    }


@bp.post("/serving/reset-password")
@staff_required
def start_reset() -> ResponseReturnValue:
    """R42: staff never see or set a password; they start a reset, which the tenant finishes
    on their own phone or at a terminal with a code texted to their proved mobile."""
    assisting = serving.current_assisting()
    if assisting is None:
        return redirect(url_for("staff.home"))
    if not ConfirmForm().validate_on_submit():
        abort(400)
    context = staff_context()
    holders = context.accounts.holders_of(assisting.tenancy_ref) if context.accounts else []
    if not any(a.mobile and a.mobile_verified_at for a in holders):
        abort(404)
    serving.record_assisted_action("password.reset_started")
    return render_template(
        "staff/reset_started.html",
        accounts=[_account_view(a) for a in holders],
        reset_url=url_for("accounts.reset_start", _external=False)
        if "accounts.reset_start" in current_app.view_functions
        else None,
    )


@bp.post("/finish")
@staff_required
def finish() -> ResponseReturnValue:
    form = ConfirmForm()
    if form.validate_on_submit():
        serving.finish()
    return redirect(url_for("staff.home"))
