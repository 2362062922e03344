"""Staff set-up (one-time link), sign-in with password and authenticator code, sign-out."""

from __future__ import annotations

import hashlib

from flask import abort, make_response, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from adapters.db.staff_store import StaffRecord
from portal.accounts.navigation import safe_next
from portal.accounts.sessions import destroy
from portal.formatting import govuk_time
from portal.staff import totp
from portal.staff.auth import Refused, check_credentials, current_staff, start_staff_session
from portal.staff.blueprint import CLEAR_SITE_DATA, bp
from portal.staff.context import StaffContext, staff_context
from portal.staff.forms import ConfirmForm, SetupForm, StaffSignInForm
from portal.staff.qr import qr_svg
from portal.staff.secret_box import SealBroken, seal, unseal

REFUSED = "The email address, password or code is not right"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    wanted = safe_next(request.values.get("next"))
    if current_staff() is not None:
        return redirect(wanted or url_for("staff.home"))
    form = StaffSignInForm()
    if request.method == "GET":
        form.next.data = wanted or ""
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        outcome = check_credentials(form.email.data, form.password.data, form.code.data, address)
        if not isinstance(outcome, Refused):
            start_staff_session(outcome)
            return redirect(safe_next(form.next.data) or url_for("staff.home"))
        if outcome.wait_until:
            form.email.errors = [
                "There have been too many attempts to sign in. "
                f"Wait until {govuk_time(outcome.wait_until)} and try again"
            ]
        else:
            form.email.errors = [REFUSED]
        form.code.data = ""
    return render_template("staff/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out() -> ResponseReturnValue:
    """GET shows a button; POST destroys the session (R40)."""
    if current_staff() is None:
        return redirect(url_for("staff.signed_out"))
    form = ConfirmForm()
    if form.validate_on_submit():
        destroy(session)
        return redirect(url_for("staff.signed_out"))
    return render_template("staff/sign_out.html", form=form)


@bp.get("/signed-out")
def signed_out() -> ResponseReturnValue:
    response = make_response(render_template("staff/signed_out.html"))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> ResponseReturnValue:
    """The one-time link from `flask staff create`: choose a password and add the
    authenticator. The secret is shown here only, while the link is unused and in date."""
    context = staff_context()
    if len(token) > 100:
        abort(404)
    staff = context.staff.by_setup_token(token_hash(token), context.clock.now())
    if staff is None:
        return render_template("staff/setup_expired.html"), 404
    secret = _offered_secret(context, staff)
    form = SetupForm()
    form.personal = (staff.email, staff.email.split("@")[0], context.services.council.short_name)
    if form.validate_on_submit():
        step = totp.matching_step(secret, form.code.data, context.clock.now())
        if step is None:
            form.code.errors = ["That code is not right. Check the app and enter the newest code"]
        elif context.staff.complete_setup(
            staff.id,
            token_hash(token),
            context.hasher.hash(form.password.data),
            seal(secret, context.secret_key),
            step,
        ):
            destroy(session)  # whoever was signed in here, the member now signs in afresh
            return redirect(url_for("staff.setup_done"))
        else:
            return render_template("staff/setup_expired.html"), 404
    uri = totp.provisioning_uri(secret, staff.email, context.issuer)
    return render_template(
        "staff/setup.html",
        form=form,
        staff=staff,
        secret_groups=[secret[i : i + 4] for i in range(0, len(secret), 4)],
        otpauth_uri=uri,
        qr=qr_svg(uri),
    )


def _offered_secret(context: StaffContext, staff: StaffRecord) -> str:
    """The same secret on every visit to the link, so a reload does not break a half-done
    set-up; kept sealed until a code made from it is entered."""
    if staff.totp_pending_sealed:
        try:
            return unseal(staff.totp_pending_sealed, context.secret_key)
        except SealBroken:
            pass  # sealed under an old SECRET_KEY: offer a new one
    secret = totp.new_secret()
    context.staff.offer_totp_secret(staff.id, seal(secret, context.secret_key))
    return secret


@bp.get("/setup-done")
def setup_done() -> ResponseReturnValue:
    return render_template("staff/setup_done.html")
