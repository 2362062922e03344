"""Forgotten password: a code texted to the proved mobile number, then a new password.

This route never looks at the sign-in failure counter, so someone guessing a tenant's
password cannot lock the tenant out (R38). Email links are out of scope: codes go by text.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue

from adapters.passwords import password_problem
from portal.accounts.codes import CodeNotSent, Purpose, check_code, issue_decoy, send_code
from portal.accounts.context import accounts_context
from portal.accounts.forms import CodeForm, ConfirmForm, NewPasswordForm, ResetStartForm
from portal.accounts.signing_in import clear_failures, complete_sign_in
from portal.accounts.throttle import mark_failure
from portal.accounts.views import bp

log = logging.getLogger(__name__)


def _state() -> dict[str, Any]:
    state = session.get("reset")
    return state if isinstance(state, dict) else {}


def _send(name: str) -> None:
    """Text a code if the name has an account with a proved mobile; otherwise a decoy, so
    the next page looks the same either way."""
    account = accounts_context().accounts.by_sign_in_name(name)
    session["reset"] = {"name": name, "account_id": account.id if account else None}
    if account is not None and account.mobile and account.mobile_verified_at:
        try:
            send_code(Purpose.RESET, account.mobile, account.id)
            return
        except CodeNotSent as problem:
            log.info("reset code for account %s not sent: %s", account.id, problem)
    issue_decoy(Purpose.RESET)


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_start() -> ResponseReturnValue:
    form = ResetStartForm()
    if form.validate_on_submit():
        _send(form.sign_in_name.data)
        return redirect(url_for("accounts.reset_code"))
    return render_template("accounts/reset/start.html", form=form)


@bp.post("/reset-password/send-code")
def reset_send_code() -> ResponseReturnValue:
    name = _state().get("name")
    if not isinstance(name, str):
        return redirect(url_for("accounts.reset_start"))
    if ConfirmForm().validate_on_submit():
        _send(name)
    return redirect(url_for("accounts.reset_code", sent="again"))


@bp.route("/reset-password/code", methods=["GET", "POST"])
def reset_code() -> ResponseReturnValue:
    state = _state()
    if not state.get("name"):
        return redirect(url_for("accounts.reset_start"))
    form = CodeForm()
    if form.validate_on_submit():
        problem = check_code(Purpose.RESET, form.code.data)
        if problem is None and state.get("account_id"):
            session["reset"] = {**state, "proved": True}
            return redirect(url_for("accounts.reset_password"))
        mark_failure()
        form.code.errors = [problem or "The security code is not right"]
    return render_template("accounts/reset/code.html", form=form, name=state["name"])


@bp.route("/reset-password/new-password", methods=["GET", "POST"])
def reset_password() -> ResponseReturnValue:
    state = _state()
    context = accounts_context()
    account = context.accounts.by_id(state["account_id"]) if state.get("proved") else None
    if account is None:
        return redirect(url_for("accounts.reset_start"))
    form = NewPasswordForm()
    if form.validate_on_submit():
        personal = [account.sign_in_name, account.tenancy_ref, (account.mobile or "")[-9:]]
        problem = password_problem(form.password.data, personal)
        if problem is None:
            context.accounts.set_password(
                account.id, context.hasher.hash(form.password.data), context.clock.now()
            )
            # A new password ends every other session and forgives past failures.
            context.sessions.delete_for_account(account.id)
            clear_failures(account.sign_in_name)
            complete_sign_in(account)
            session["banner"] = "password_changed"
            return redirect(url_for("accounts.dashboard"))
        form.password.errors = [problem]
    return render_template("accounts/reset/password.html", form=form)
