"""Sign in, sign out, the session timeout pages (R38-R40)."""

from __future__ import annotations

from flask import (
    Blueprint,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import logout_user

from adapters.db.accounts import AccountRecord
from portal.accounts.access import current_account
from portal.accounts.context import accounts_context
from portal.accounts.forms import ConfirmForm, SignInForm
from portal.accounts.navigation import safe_next
from portal.accounts.sessions import WARN_BEFORE, destroy, expiry_for_page
from portal.accounts.signing_in import Throttled, WrongDetails, check_password, complete_sign_in
from portal.formatting import govuk_time

bp = Blueprint("accounts", __name__)

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'  # R40
# These pages must not count as activity, or looking at the warning would extend the session.
PASSIVE_ENDPOINTS = {
    "accounts.session_warning",
    "accounts.session_ended",
    "accounts.signed_out",
    "accounts.account_deleted",
    "static",
}
WRONG_DETAILS = "Your email address, mobile phone number or password is not right"


def _cleared(page: str) -> ResponseReturnValue:
    """R40: the pages after sign-out and timeout tell the browser to drop what it kept."""
    if current_account() is not None:
        return redirect(url_for("accounts.dashboard"))
    response = make_response(render_template(page))
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> ResponseReturnValue:
    wanted = safe_next(request.values.get("next"))
    if current_account() is not None:
        return redirect(wanted or url_for("accounts.dashboard"))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = wanted or ""
    if form.validate_on_submit():
        outcome = check_password(form.sign_in_name.data or "", form.password.data or "")
        if isinstance(outcome, AccountRecord):
            complete_sign_in(outcome)
            return redirect(safe_next(form.next.data) or url_for("accounts.dashboard"))
        _explain(form, outcome)
    return render_template("accounts/sign_in.html", form=form)


def _explain(form: SignInForm, outcome: WrongDetails | Throttled) -> None:
    if isinstance(outcome, Throttled):
        form.sign_in_name.errors = [
            "You have tried to sign in too many times. Wait until "
            f"{govuk_time(outcome.until)} and try again, or reset your password by text message"
        ]
    else:
        form.sign_in_name.errors = [WRONG_DETAILS]
        form.password.errors = [WRONG_DETAILS]


@bp.route("/sign-out", methods=["GET", "POST"])
def sign_out() -> ResponseReturnValue:
    """GET shows a button (the navigation's link lands here); POST signs out (R40)."""
    if current_account() is None:
        return redirect(url_for("accounts.signed_out"))
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        destroy(session)
        return redirect(url_for("accounts.signed_out"))
    return render_template("accounts/sign_out.html", form=form)


@bp.get("/signed-out")
def signed_out() -> ResponseReturnValue:
    return _cleared("accounts/signed_out.html")


@bp.get("/session-ended")
def session_ended() -> ResponseReturnValue:
    """R39: where a timed-out session lands."""
    return _cleared("accounts/session_ended.html")


@bp.get("/account-deleted")
def account_deleted() -> ResponseReturnValue:
    return _cleared("accounts/account_deleted.html")


@bp.get("/session/warning")
def session_warning() -> ResponseReturnValue:
    """R39 without JavaScript: signed-in pages refresh to here [2 min] before the timeout."""
    if current_account() is None:
        return redirect(url_for("accounts.session_ended"))
    now = accounts_context().clock.now()
    expires_at = expiry_for_page(session, now, active=False)
    return render_template(
        "accounts/session_warning.html",
        form=ConfirmForm(),
        expires_at=expires_at,
        seconds_left=max(int((expires_at - now).total_seconds()), 0),
        next=safe_next(request.args.get("next"), ""),
    )


@bp.post("/session/extend")
def extend_session() -> ResponseReturnValue:
    """R39: the one-click extend, from the warning page (form) or the dialog (fetch)."""
    if current_account() is None:
        if _wants_json():
            return jsonify({"signed_in": False}), 401
        return redirect(url_for("accounts.session_ended"))
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.session_warning"))
    now = accounts_context().clock.now()
    session["extended_at"] = now.isoformat()  # a change, so this request's save touches the row
    if _wants_json():
        expires_at = expiry_for_page(session, now, active=True, force_touch=True)
        return jsonify({"signed_in": True, "expires_in": int((expires_at - now).total_seconds())})
    return redirect(safe_next(request.form.get("next")) or url_for("accounts.dashboard"))


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def timeout_settings() -> dict[str, int]:
    return {"warn_before": int(WARN_BEFORE.total_seconds())}
