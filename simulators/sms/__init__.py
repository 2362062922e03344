"""An SMS simulator that speaks Twilio's Messages API, for the demo, tests and benchmarks.

Run it with ``flask --app simulators.sms run --port 8102`` or
``gunicorn -k gthread --threads 8 'simulators.sms:create_app()'``. Point the real ``twilio``
client at it and it answers as Twilio would; see README.md beside this file for the magic
numbers, the fault controls and the /_sim endpoints. It imports nothing of the portal's.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from simulators.sms import errors
from simulators.sms.delivery import Deliverer
from simulators.sms.faults import Faults
from simulators.sms.store import Store

DEFAULTS: dict[str, Any] = {
    "SMS_SIM_DATABASE": "instance/sms.sqlite",
    # Fixed demo credentials: the portal's demo settings use the same pair.
    "SMS_SIM_ACCOUNT_SID": "AC5e1a1a7ed0c0ffee5e1a1a7ed0c0ffee",
    "SMS_SIM_AUTH_TOKEN": "5e1a1a7ed5e1a1a7ed5e1a1a7ed5e1a1",
    "SMS_SIM_INBOUND_URL": "http://127.0.0.1:8000/webhooks/twilio/inbound",
    "SMS_SIM_FAULT_SEED": 0,
    # The number replies go to when a handset was texted from a Messaging Service or a name.
    "SMS_SIM_SERVICE_NUMBER": "+447700900000",
    "SMS_SIM_BACKGROUND_DELIVERY": True,
    "SMS_SIM_POLL_SECONDS": 0.25,
    "SMS_SIM_CALLBACK_ATTEMPTS": 3,
}
log = logging.getLogger("simulators.sms")


@dataclass
class SmsSimulator:
    """Everything the views share; kept in ``app.extensions["sms_sim"]``."""

    store: Store
    faults: Faults
    deliverer: Deliverer
    account_sid: str
    auth_token: str
    inbound_url: str
    service_number: str


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then SMS_SIM_* environment variables, then ``overrides``."""
    config = dict(DEFAULTS)
    for name, default in DEFAULTS.items():
        raw = os.environ.get(name)
        if raw is not None:
            config[name] = _parse(name, raw, default)
    config.update(overrides or {})
    return config


def _parse(name: str, raw: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            return raw.strip().lower() not in ("0", "false", "no", "off", "")
        if isinstance(default, int | float):
            return type(default)(raw)
    except ValueError:
        raise ValueError(f"{name} must be a {type(default).__name__}, not {raw!r}") from None
    return raw


def create_app(config: dict[str, Any] | None = None) -> Flask:
    settings = load_config(config)
    app = Flask(__name__)
    app.config.update(settings)
    store = Store(str(settings["SMS_SIM_DATABASE"]))
    store.initialise()
    faults = Faults(store, int(settings["SMS_SIM_FAULT_SEED"]))
    deliverer = Deliverer(
        store,
        faults,
        settings["SMS_SIM_ACCOUNT_SID"],
        settings["SMS_SIM_AUTH_TOKEN"],
        int(settings["SMS_SIM_CALLBACK_ATTEMPTS"]),
    )
    app.extensions["sms_sim"] = SmsSimulator(
        store=store,
        faults=faults,
        deliverer=deliverer,
        account_sid=settings["SMS_SIM_ACCOUNT_SID"],
        auth_token=settings["SMS_SIM_AUTH_TOKEN"],
        inbound_url=settings["SMS_SIM_INBOUND_URL"],
        service_number=settings["SMS_SIM_SERVICE_NUMBER"],
    )
    _register(app)
    if settings["SMS_SIM_BACKGROUND_DELIVERY"]:
        deliverer.start(float(settings["SMS_SIM_POLL_SECONDS"]))
    return app


def _register(app: Flask) -> None:
    from simulators.sms.api import API_VERSION, api
    from simulators.sms.control import control
    from simulators.sms.pages import pages

    app.register_blueprint(api)
    app.register_blueprint(control)
    app.register_blueprint(pages)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> Response | HTTPException:
        """API paths answer in Twilio's JSON even for routing errors; pages keep HTML."""
        if not request.path.startswith(f"/{API_VERSION}/"):
            return error
        if error.code == 404:
            return errors.not_found(request.path)
        return errors.error_response(20000 + (error.code or 400), error.name, error.code or 400)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unexpected error answering %s %s", request.method, request.path)
        return errors.internal_error()
