"""My Account: the dashboard, text reminders, changing the mobile number (R36), deleting the
account, and signing out of every device. Every page shows only the signed-in tenant's own
account: nothing here takes an account or tenancy id from the URL or the form."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import logout_user

from adapters.db.accounts import AccountRecord, SignInNameTaken
from portal.accounts.access import account_required, current_account
from portal.accounts.codes import CodeNotSent, Purpose, check_code, code_mobile, send_code
from portal.accounts.context import accounts_context
from portal.accounts.forms import (
    ChangeMobileForm,
    CodeForm,
    ConfirmForm,
    CurrentPasswordForm,
    RemindersForm,
)
from portal.accounts.sessions import destroy
from portal.accounts.signing_in import Throttled, check_password
from portal.accounts.throttle import mark_failure
from portal.accounts.views import bp

BANNERS = {
    "created": "Your account has been created",
    "password_changed": "Your password has been changed",
    "mobile_changed": "Your mobile phone number has been changed",
    "reminders_on": "We will text you a reminder the day before each appointment",
    "reminders_off": "We will not text you appointment reminders",
}


def _account() -> AccountRecord:
    account = current_account()
    assert account is not None  # tenant_required let us in
    return account


def _password_problem(account: AccountRecord, password: str) -> str | None:
    """Re-entering the password counts towards the same throttle as signing in (R38), so a
    borrowed, signed-in phone cannot be used to guess it."""
    outcome = check_password(account.sign_in_name, password)
    if isinstance(outcome, AccountRecord):
        return None
    if isinstance(outcome, Throttled):
        return "You have entered the wrong password too many times. Try again later"
    return "Your password is not right"


@bp.get("/account")
@account_required
def dashboard() -> str:
    account = _account()
    contact = None
    if account.mobile and accounts_context().messaging is not None:
        contact = accounts_context().messaging.store.contact(account.mobile)
    banner = BANNERS.get(session.pop("banner", None) or "")
    return render_template(
        "accounts/dashboard.html",
        account=account,
        contact=contact,
        banner=banner,
        form=None,
        report_url=_report_url(),
    )


def _report_url() -> str:
    """The repairs journey mounts /report; use its endpoint once it exists."""
    if "report.start" in current_app.view_functions:
        return url_for("report.start")
    return "/report"


@bp.route("/account/text-reminders", methods=["GET", "POST"])
@account_required
def reminders() -> ResponseReturnValue:
    account = _account()
    form = RemindersForm()
    if request.method == "GET" and account.reminders_choice_at is not None:
        form.reminders.data = "yes" if account.reminders_opt_in else "no"
    if form.validate_on_submit():
        opt_in = form.reminders.data == "yes"
        accounts_context().accounts.set_reminders(
            account.id, opt_in, accounts_context().clock.now()
        )
        session["banner"] = "reminders_on" if opt_in else "reminders_off"
        return redirect(url_for("accounts.dashboard"))
    return render_template("accounts/reminders.html", form=form, account=account)


@bp.route("/account/mobile", methods=["GET", "POST"])
@account_required
def mobile_change() -> ResponseReturnValue:
    """R36: the password and then a code sent to the new number."""
    account = _account()
    form = ChangeMobileForm()
    if form.validate_on_submit():
        problem = _password_problem(account, form.password.data)
        if problem is not None:
            form.password.errors = [problem]
        elif form.mobile.data == account.mobile:
            form.mobile.errors = ["That is already your mobile phone number"]
        else:
            try:
                send_code(Purpose.MOBILE, form.mobile.data, account.id)
            except CodeNotSent as error:
                form.mobile.errors = [str(error)]
            else:
                return redirect(url_for("accounts.mobile_code"))
    return render_template("accounts/mobile.html", form=form)


@bp.route("/account/mobile/code", methods=["GET", "POST"])
@account_required
def mobile_code() -> ResponseReturnValue:
    account = _account()
    new_mobile = code_mobile(Purpose.MOBILE)
    if new_mobile is None:
        return redirect(url_for("accounts.mobile_change"))
    form = CodeForm()
    if form.validate_on_submit():
        problem = check_code(Purpose.MOBILE, form.code.data)
        if problem is None:
            return _save_mobile(account, new_mobile)
        mark_failure()
        form.code.errors = [problem]
    return render_template("accounts/mobile_code.html", form=form, mobile=new_mobile)


def _save_mobile(account: AccountRecord, mobile: str) -> ResponseReturnValue:
    context = accounts_context()
    signs_in_with_mobile = account.sign_in_name.startswith("+")
    try:
        context.accounts.set_mobile(
            account.id, mobile, context.clock.now(), sign_in=signs_in_with_mobile
        )
    except SignInNameTaken:
        form = ChangeMobileForm()
        form.mobile.errors = ["Another account signs in with that mobile phone number"]
        return render_template("accounts/mobile.html", form=form)
    session["banner"] = "mobile_changed"
    return redirect(url_for("accounts.dashboard"))


@bp.route("/account/delete", methods=["GET", "POST"])
@account_required
def delete_account() -> ResponseReturnValue:
    account = _account()
    form = CurrentPasswordForm()
    if form.validate_on_submit():
        problem = _password_problem(account, form.password.data)
        if problem is None:
            accounts_context().accounts.delete(account.id)
            logout_user()
            destroy(session)
            return redirect(url_for("accounts.account_deleted"))
        form.password.errors = [problem]
    return render_template("accounts/delete.html", form=form)


@bp.post("/account/sign-out-everywhere")
@account_required
def sign_out_everywhere() -> ResponseReturnValue:
    account = _account()
    if ConfirmForm().validate_on_submit():
        accounts_context().sessions.delete_for_account(account.id)
        logout_user()
        destroy(session)
        return redirect(url_for("accounts.signed_out", everywhere="yes"))
    return redirect(url_for("accounts.dashboard"))
