"""Twilio's webhooks: status callbacks and inbound texts (R29-R32).

Both are refused with 403 unless `X-Twilio-Signature` validates, with the twilio library's
own `RequestValidator`, against the exact public URL (`PUBLIC_BASE_URL` + path: behind a
proxy the request's own Host would differ from the URL Twilio signed) and every form field.
They are the only CSRF-exempt views: Twilio cannot hold a CSRF token, the signature is the
proof of origin instead.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, abort, current_app, request
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks/twilio")
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def init_webhooks(app: Flask) -> None:
    from portal.app import csrf

    csrf.exempt(bp)
    app.register_blueprint(bp)


@bp.before_request
def _require_twilio_signature() -> None:
    settings = current_app.extensions["settings"]
    url = settings.public_base_url + request.path
    if request.query_string:
        url += "?" + request.query_string.decode("latin-1")
    signature = request.headers.get("X-Twilio-Signature", "")
    validator = RequestValidator(settings.twilio_auth_token)
    if not signature or not validator.validate(url, request.form, signature):
        # R31: unsigned or wrongly signed: someone other than Twilio, or the wrong token.
        log.warning("refused an unsigned or wrongly signed Twilio webhook to %s", request.path)
        abort(403)


@bp.post("/status")
def status() -> Response:
    """R32: recorded whatever it says; the message's state only moves forward."""
    sid = request.form.get("MessageSid", "").strip()
    status_text = request.form.get("MessageStatus", "").strip()
    if not sid or not status_text:
        abort(400)
    error_code = _error_code(request.form.get("ErrorCode"))
    _messaging().handle_status(sid, status_text, error_code)
    return Response(status=204)


@bp.post("/inbound")
def inbound() -> Response:
    """R29/R30: replies are queued as texts, so the answer to Twilio is empty TwiML."""
    form = request.form
    sid = form.get("MessageSid", "").strip()
    from_number = form.get("From", "").strip()
    if not sid or not from_number:
        abort(400)
    _messaging().handle_inbound(sid, from_number, form.get("To", "").strip(), form.get("Body", ""))
    return Response(EMPTY_TWIML, status=200, mimetype="text/xml")


def _error_code(raw: str | None) -> int | None:
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


def _messaging() -> Any:
    return current_app.extensions["services"].messaging
