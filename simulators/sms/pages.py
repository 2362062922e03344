"""Human pages: one "phone" per number with its texts and a reply form, and a faults form."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from simulators.sms.api import rfc2822
from simulators.sms.faults import FaultSettingsError
from simulators.sms.inbound import receive_reply
from simulators.sms.numbers import is_e164

pages = Blueprint("sms_pages", __name__, template_folder="templates")

MAX_REPLY = 1600


def _sim() -> Any:
    return current_app.extensions["sms_sim"]


@pages.get("/")
def home() -> BaseResponse:
    return redirect(url_for("sms_pages.phones"))


@pages.get("/phones")
def phones() -> str:
    return render_template("sms_sim/phones.html", phones=_sim().store.phones())


@pages.get("/phones/<number>")
def phone(number: str) -> str | tuple[str, int]:
    if not is_e164(number):
        return render_template("sms_sim/not_found.html", number=number), 404
    return _phone_page(number, error=None, draft="")


@pages.post("/phones/<number>/reply")
def reply(number: str) -> BaseResponse | tuple[str, int]:
    if not is_e164(number):
        return render_template("sms_sim/not_found.html", number=number), 404
    body = request.form.get("body", "")
    error = None
    if not body.strip():
        error = "Enter the text of your reply"
    elif len(body) > MAX_REPLY:
        error = f"Reply must be {MAX_REPLY} characters or fewer"
    if error:
        return _phone_page(number, error=error, draft=body), 400
    result = receive_reply(_sim(), number, body)
    status = str(result.webhook_status) if result.webhook_status else "unreachable"
    return redirect(url_for("sms_pages.phone", number=number, webhook=status), code=303)


def _phone_page(number: str, error: str | None, draft: str) -> str:
    sim = _sim()
    return render_template(
        "sms_sim/phone.html",
        number=number,
        messages=sim.store.conversation(number),
        opted_out=sim.store.is_opted_out(number),
        webhook=request.args.get("webhook"),
        error=error,
        draft=draft,
        when=rfc2822,
    )


@pages.get("/faults")
def faults_form() -> str:
    return render_template("sms_sim/faults.html", settings=_sim().faults.current(), error=None)


@pages.post("/faults")
def update_faults() -> BaseResponse | tuple[str, int]:
    form = request.form
    changes: dict[str, Any] = {
        name: form.get(name, "")
        for name in ("latency_ms", "rate_429", "rate_500", "seed")
        if name in form
    }
    for name in ("callbacks_delayed", "callbacks_duplicated", "callbacks_out_of_order"):
        changes[name] = name in form
    sim = _sim()
    try:
        sim.faults.update(changes)
    except FaultSettingsError as error:
        shown = sim.faults.current()
        return render_template("sms_sim/faults.html", settings=shown, error=str(error)), 400
    return redirect(url_for("sms_pages.faults_form"), code=303)


@pages.post("/faults/reset")
def reset_faults() -> BaseResponse:
    _sim().faults.reset()
    return redirect(url_for("sms_pages.faults_form"), code=303)
