"""Create an account (R35-R37): one question per page, then check your answers.

Answers live in the server-side session under "create" until the account is made, so going
back, a housing-system outage or a wrong code never loses what the tenant typed.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date, datetime
from typing import Any

from flask import redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from adapters.db.accounts import NewAccount, SignInNameTaken
from adapters.passwords import password_problem
from portal.accounts.codes import CodeNotSent, Purpose, check_code, code_mobile, send_code
from portal.accounts.context import accounts_context
from portal.accounts.forms import (
    CodeForm,
    ConfirmForm,
    DateOfBirthForm,
    MobileForm,
    NewPasswordForm,
    PostcodeForm,
    SignInNameForm,
    TenancyReferenceForm,
)
from portal.accounts.notices import NoticeOutcome, tell_holders
from portal.accounts.signing_in import complete_sign_in, tenancy_snapshot
from portal.accounts.throttle import mark_failure
from portal.accounts.views import bp
from repairs.ports import BackendRejected, BackendUnavailable, Tenure
from repairs.refs import TenancyRef

log = logging.getLogger(__name__)

HOUSING_DOWN = (
    "We cannot check your details at the moment because our housing system is not "
    "responding. Try again in a few minutes. Your answers have been kept"
)
# Each step, the answer key it fills, and its endpoint: a later step sends the tenant back to
# the first unanswered one.
STEPS = [
    ("tenancy_reference", "accounts.create_tenancy_reference"),
    ("postcode", "accounts.create_postcode"),
    ("date_of_birth", "accounts.create_date_of_birth"),
    ("matched", "accounts.create_date_of_birth"),
    ("sign_in_name", "accounts.create_sign_in_name"),
    ("mobile", "accounts.create_mobile"),
    ("mobile_proved", "accounts.create_code"),
    ("password_hash", "accounts.create_password"),
]
_MATCH_INPUTS = ("tenancy_reference", "postcode", "date_of_birth")


def _answers() -> dict[str, Any]:
    answers = session.get("create")
    return answers if isinstance(answers, dict) else {}


def _save(**values: Any) -> None:
    answers = _answers()
    if any(k in _MATCH_INPUTS and answers.get(k) != v for k, v in values.items()):
        answers.pop("matched", None)  # a changed detail must be checked again
    if "mobile" in values and answers.get("mobile") != values["mobile"]:
        answers.pop("mobile_proved", None)
    answers.update(values)
    session["create"] = answers


def _missing_before(step: str) -> ResponseReturnValue | None:
    answers = _answers()
    for key, endpoint in STEPS:
        if key == step:
            return None
        if not answers.get(key):
            return redirect(url_for(endpoint))
    return None


def _next(default: str) -> str:
    """After a change from check your answers, go back there once the journey is complete."""
    if request.args.get("change") and all(_answers().get(key) for key, _ in STEPS):
        return url_for("accounts.create_check")
    return url_for(default)


def _question(template: str, form: Any, back: str, **extra: Any) -> str:
    return render_template(template, form=form, back_url=url_for(back), **extra)


@bp.get("/create-account")
def create_start() -> str:
    return render_template("accounts/create/start.html")


@bp.route("/create-account/tenancy-reference", methods=["GET", "POST"])
def create_tenancy_reference() -> ResponseReturnValue:
    form = TenancyReferenceForm(data={"tenancy_reference": _answers().get("tenancy_reference")})
    if form.validate_on_submit():
        _save(tenancy_reference=form.tenancy_reference.data)
        return redirect(_next("accounts.create_postcode"))
    return _question("accounts/create/tenancy_reference.html", form, "accounts.create_start")


@bp.route("/create-account/postcode", methods=["GET", "POST"])
def create_postcode() -> ResponseReturnValue:
    if (early := _missing_before("postcode")) is not None:
        return early
    form = PostcodeForm(data={"postcode": _answers().get("postcode")})
    if form.validate_on_submit():
        _save(postcode=form.postcode.data)
        return redirect(_next("accounts.create_date_of_birth"))
    return _question("accounts/create/postcode.html", form, "accounts.create_tenancy_reference")


@bp.route("/create-account/date-of-birth", methods=["GET", "POST"])
def create_date_of_birth() -> ResponseReturnValue:
    if (early := _missing_before("date_of_birth")) is not None:
        return early
    stored = _answers().get("date_of_birth")
    form = DateOfBirthForm(data={"date_of_birth": date.fromisoformat(stored) if stored else None})
    form.today = accounts_context().clock.now().date()
    if form.validate_on_submit():
        assert isinstance(form.date_of_birth.data, date)
        _save(date_of_birth=form.date_of_birth.data.isoformat())
        outcome = _match_tenancy()
        if outcome is not None:
            return outcome
        form.date_of_birth.errors = [HOUSING_DOWN]
    return _question("accounts/create/date_of_birth.html", form, "accounts.create_postcode")


def _match_tenancy() -> ResponseReturnValue | None:
    """R36: ask the housing system. None when it is not answering (the page says so)."""
    answers = _answers()
    housing = accounts_context().housing
    try:
        tenancy = housing.match_tenant(
            TenancyRef(answers["tenancy_reference"]),
            answers["postcode"],
            date.fromisoformat(answers["date_of_birth"]),
        )
    except BackendUnavailable:
        return None
    except BackendRejected as error:
        log.warning("tenancy check rejected by the housing system: %s", error)
        tenancy = None
    if tenancy is None:
        mark_failure()  # R38: counts towards the per-address limit on guesses
        return redirect(url_for("accounts.create_not_found"))
    if tenancy.tenure is Tenure.LEASEHOLD:
        return redirect(url_for("accounts.create_leaseholder"))
    if not tenancy.active:
        return redirect(url_for("accounts.create_tenancy_ended"))
    name, address = tenancy_snapshot(tenancy)
    _save(matched={"tenancy_ref": tenancy.ref.value, "name": name, "address": address})
    return redirect(_next("accounts.create_sign_in_name"))


@bp.get("/create-account/not-found")
def create_not_found() -> str:
    return render_template("accounts/create/not_found.html")


@bp.get("/create-account/leaseholder")
def create_leaseholder() -> str:
    return render_template("accounts/create/leaseholder.html")


@bp.get("/create-account/tenancy-ended")
def create_tenancy_ended() -> str:
    return render_template("accounts/create/tenancy_ended.html")


@bp.route("/create-account/sign-in-name", methods=["GET", "POST"])
def create_sign_in_name() -> ResponseReturnValue:
    if (early := _missing_before("sign_in_name")) is not None:
        return early
    form = SignInNameForm(data={"sign_in_name": _answers().get("sign_in_name")})
    if form.validate_on_submit():
        name = form.sign_in_name.data
        if accounts_context().accounts.by_sign_in_name(name) is not None:
            form.sign_in_name.errors = [
                "There is already an account with this email address or mobile number. "
                "Sign in, or reset your password if you have forgotten it"
            ]
        else:
            _save(sign_in_name=name)
            if name.startswith("+"):
                return _send_and_continue(name)
            return redirect(_next("accounts.create_mobile"))
    back = "accounts.create_date_of_birth"
    return _question("accounts/create/sign_in_name.html", form, back)


@bp.route("/create-account/mobile", methods=["GET", "POST"])
def create_mobile() -> ResponseReturnValue:
    if (early := _missing_before("mobile")) is not None:
        return early
    form = MobileForm(data={"mobile": _answers().get("mobile")})
    if form.validate_on_submit():
        return _send_and_continue(form.mobile.data, form)
    return _question("accounts/create/mobile.html", form, "accounts.create_sign_in_name")


def _send_and_continue(mobile: str, form: MobileForm | None = None) -> ResponseReturnValue:
    """R35/R36: prove the number before going on."""
    _save(mobile=mobile)
    if _answers().get("mobile_proved"):
        return redirect(_next("accounts.create_password"))
    try:
        send_code(Purpose.CREATE, mobile)
    except CodeNotSent as problem:
        form = form or MobileForm(data={"mobile": mobile})
        form.mobile.errors = [str(problem)]
        return _question("accounts/create/mobile.html", form, "accounts.create_sign_in_name")
    return redirect(url_for("accounts.create_code"))


@bp.post("/create-account/send-code")
def create_send_code() -> ResponseReturnValue:
    """'Send a new code' on the code page."""
    if (early := _missing_before("mobile_proved")) is not None:
        return early
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            send_code(Purpose.CREATE, _answers()["mobile"])
        except CodeNotSent as problem:
            session["create_code_problem"] = str(problem)
    return redirect(url_for("accounts.create_code", sent="again"))


@bp.route("/create-account/code", methods=["GET", "POST"])
def create_code() -> ResponseReturnValue:
    if (early := _missing_before("mobile_proved")) is not None:
        return early
    form = CodeForm()
    mobile = _answers()["mobile"]
    if form.validate_on_submit():
        if code_mobile(Purpose.CREATE) != mobile:
            form.code.errors = ["Ask for a new code: we have not sent one to this number yet"]
        elif (problem := check_code(Purpose.CREATE, form.code.data)) is None:
            _save(mobile_proved=True, mobile_proved_at=accounts_context().clock.now().isoformat())
            return redirect(_next("accounts.create_password"))
        else:
            mark_failure()
            form.code.errors = [problem]
    elif (problem := session.pop("create_code_problem", None)) and request.method == "GET":
        form.code.errors = [problem]
    return render_template(
        "accounts/create/code.html",
        form=form,
        mobile=mobile,
        sent_again=request.args.get("sent") == "again",
        resend_url=url_for("accounts.create_send_code"),
        back_url=url_for("accounts.create_mobile"),
    )


@bp.route("/create-account/password", methods=["GET", "POST"])
def create_password() -> ResponseReturnValue:
    if (early := _missing_before("password_hash")) is not None:
        return early
    form = NewPasswordForm()
    if form.validate_on_submit():
        answers = _answers()
        personal = [answers["sign_in_name"], answers["tenancy_reference"], answers["mobile"][-9:]]
        problem = password_problem(form.password.data, personal)
        if problem is None:
            _save(password_hash=accounts_context().hasher.hash(form.password.data))
            return redirect(url_for("accounts.create_check"))
        form.password.errors = [problem]
    return _question("accounts/create/password.html", form, "accounts.create_code")


@bp.route("/create-account/check", methods=["GET", "POST"])
def create_check() -> ResponseReturnValue:
    if (early := _missing_before("")) is not None:
        return early
    answers = _answers()
    form = ConfirmForm()
    if form.validate_on_submit():
        return _create_account(answers)
    return render_template(
        "accounts/create/check.html",
        form=form,
        answers=answers,
        date_of_birth=date.fromisoformat(answers["date_of_birth"]),
    )


def _create_account(answers: dict[str, Any]) -> ResponseReturnValue:
    context = accounts_context()
    matched = answers["matched"]
    holders = context.accounts.holders_of(matched["tenancy_ref"])
    if holders:
        outcome = tell_holders(holders, secrets.token_hex(8))
        if outcome is NoticeOutcome.CANNOT_TEXT:
            return redirect(url_for("accounts.create_already_linked"))
        if outcome is NoticeOutcome.TRY_LATER:
            return render_template("accounts/create/try_later.html"), 503
    new = NewAccount(
        sign_in_name=answers["sign_in_name"],
        password_hash=answers["password_hash"],
        tenancy_ref=matched["tenancy_ref"],
        tenant_name=matched["name"],
        address=matched["address"],
        mobile=answers["mobile"],
        mobile_verified_at=_proved_at(answers),
    )
    try:
        account = context.accounts.create(new, context.clock.now())
    except SignInNameTaken:
        _save(sign_in_name=None)
        return redirect(url_for("accounts.create_sign_in_name"))
    complete_sign_in(account)  # clears the answers along with the old session
    session["banner"] = "created"
    return redirect(url_for("accounts.dashboard"))


def _proved_at(answers: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(answers["mobile_proved_at"])


@bp.get("/create-account/already-linked")
def create_already_linked() -> str:
    return render_template("accounts/create/already_linked.html")
