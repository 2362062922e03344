"""The terminal's own pages: registration, the start screen, the tenancy check for tenants
without an account (R43), "Ask for help", "Finish and clear" and "I need more time" (R39).

Start, finish, help and still-here are exempt from the CSRF token check because they must
work after the session (which holds the token) has been wiped; they are safe without it
because they act only for a registered terminal, whose cookie is SameSite=Strict and so never
arrives with a request another site started.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from adapters.db.audit_store import Place
from portal.accounts.navigation import safe_next
from portal.accounts.sessions import destroy, rotate
from portal.accounts.throttle import SignInThrottle, name_digest
from portal.staff import serving
from portal.staff.context import staff_context
from portal.terminal import device
from portal.terminal.forms import TenancyCheckForm
from portal.terminal.kiosk import KIOSK_CLEAR_SITE_DATA, VISIT, current_terminal, visiting
from repairs.local_time import local_date
from repairs.ports import BackendError, Tenancy
from repairs.refs import TenancyRef

log = logging.getLogger(__name__)
bp = Blueprint("terminal", __name__, url_prefix="/terminal", static_folder="static")
# R43: the tenancy check at a kiosk. Per tenancy: 5 free tries (like sign-in, R38); per
# terminal: looser, since many visitors share it.
PER_TENANCY = SignInThrottle()
PER_TERMINAL = SignInThrottle(free_failures=20)


def _terminal():  # type: ignore[no-untyped-def]
    terminal = current_terminal()
    if terminal is None:
        abort(404)  # not a terminal (or a copied token): nothing here
    return terminal


@bp.route("/register/<token>", methods=["GET", "POST"])
def register(token: str) -> ResponseReturnValue:
    """The supervisor's one-time link, opened in the kiosk browser."""
    context = staff_context()
    hashed = device.token_hash(token[:100])
    pending = context.terminals.pending_registration(hashed, context.clock.now())
    if pending is None:
        return render_template("terminal/register_invalid.html"), 404
    if request.method == "GET":
        return render_template("terminal/register.html", terminal=pending)
    from portal.staff.forms import ConfirmForm

    if not ConfirmForm().validate_on_submit():
        abort(400)
    cookie_token, cookie_hash = device.new_token()
    binding = device.binding_of(request, context.binding_key)
    if context.terminals.register(hashed, cookie_hash, binding, context.clock.now()) is None:
        return render_template("terminal/register_invalid.html"), 404
    destroy(session)
    response = redirect(url_for("terminal.start"))
    device.set_cookie(current_app, response, cookie_token)
    return response


@bp.get("/")
def start() -> ResponseReturnValue:
    terminal = _terminal()
    if visiting():
        return redirect(url_for("terminal.choose"))
    return render_template("terminal/start.html", terminal=terminal)


@bp.post("/start")
def begin() -> ResponseReturnValue:
    """A new visitor: a brand-new session with the terminal's idle timeout (R39)."""
    terminal = _terminal()
    session.clear()
    rotate(session, idle_timeout=staff_context().config.terminal_wipe_after)
    session[VISIT] = terminal.id
    return redirect(url_for("terminal.choose"))


@bp.get("/choose")
def choose() -> ResponseReturnValue:
    _terminal()
    if not visiting():
        return redirect(url_for("terminal.start"))
    return render_template("terminal/choose.html")


@bp.route("/tenancy-check", methods=["GET", "POST"])
def tenancy_check() -> ResponseReturnValue:
    """R43: a tenant with no account proves the tenancy and can then report a repair."""
    terminal = _terminal()
    if not visiting():
        return redirect(url_for("terminal.start"))
    context = staff_context()
    form = TenancyCheckForm()
    form.today = local_date(context.clock.now())
    if form.validate_on_submit():
        outcome = _match(terminal.id, form)
        if isinstance(outcome, str):
            form.tenancy_reference.errors = [outcome]
        else:
            _begin_visit(terminal.id, outcome)
            return redirect(url_for("report.start"))
    return render_template("terminal/tenancy_check.html", form=form)


def _match(terminal_id: int, form: TenancyCheckForm) -> Tenancy | str:
    context = staff_context()
    now = context.clock.now()
    keys = (
        (
            name_digest(f"terminal-check:{form.tenancy_reference.data}", context.name_key),
            PER_TENANCY,
        ),
        (name_digest(f"terminal:{terminal_id}", context.name_key), PER_TERMINAL),
    )
    for digest, throttle in keys:
        failures = context.failures.get(digest)
        if failures and throttle.wait_until(*failures, now):
            return "There have been too many tries. Ask for help, or try again in a few minutes"
    try:
        tenancy = context.housing.match_tenant(
            TenancyRef(form.tenancy_reference.data), form.postcode.data, form.date_of_birth.data
        )
    except BackendError:
        return "We cannot check your details just now. Ask for help, or try again later"
    if tenancy is None or not tenancy.active:
        for digest, throttle in keys:
            context.failures.record_failure(digest, now, throttle.forget_after)
        return "We could not find a tenancy with those details. Check them, or ask for help"
    context.failures.clear(keys[0][0])
    return tenancy


def _begin_visit(terminal_id: int, tenancy: Tenancy) -> None:
    config = staff_context().config
    serving.begin(
        serving.Assisting(
            tenancy_ref=tenancy.ref.value,
            tenant_name=tenancy.tenant_name,
            identity_check=config.terminal_identity_check,
            consent_given=True,  # the tenant is acting for themselves
            place=Place.TERMINAL,
            terminal_id=terminal_id,
            staff_id=None,
        )
    )


@bp.post("/finish")
def finish() -> ResponseReturnValue:
    """ "Finish and clear", and the idle wipe (R39, R40): the session is destroyed and the
    browser told to drop caches and storage. Finishing also withdraws a help request; the
    idle wipe does not, since whoever asked is probably still waiting for the advisor."""
    terminal = _terminal()
    context = staff_context()
    if visiting():
        serving.finish()
    if request.form.get("reason") != "idle":
        context.help_requests.close_for_terminal(terminal.id, context.clock.now())
    destroy(session)
    response = make_response(redirect(url_for("terminal.start"), code=303))
    response.headers["Clear-Site-Data"] = KIOSK_CLEAR_SITE_DATA
    return response


@bp.post("/still-here")
def still_here() -> ResponseReturnValue:
    """ "I need more time": this request is the activity that resets the idle timer."""
    _terminal()
    if not visiting():
        return jsonify({"visiting": False}), 409
    session["still_here"] = staff_context().clock.now().isoformat()
    return jsonify({"visiting": True})


@bp.post("/help")
def ask_for_help() -> ResponseReturnValue:
    """ "Ask for help": the terminal joins the advisors' queue (once, however often pressed)."""
    terminal = _terminal()
    context = staff_context()
    context.help_requests.ask(terminal.id, context.clock.now())
    back = safe_next(request.form.get("next")) or url_for("terminal.start")
    return redirect(back, code=303)


@bp.post("/help/cancel")
def cancel_help() -> ResponseReturnValue:
    terminal = _terminal()
    context = staff_context()
    context.help_requests.close_for_terminal(terminal.id, context.clock.now())
    back = safe_next(request.form.get("next")) or url_for("terminal.start")
    return redirect(back, code=303)
