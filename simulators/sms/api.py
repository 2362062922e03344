"""Twilio's Messages API (2010-04-01): create, fetch and list, with basic auth and faults."""

from __future__ import annotations

import hmac
import secrets
import time
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from simulators.sms import errors
from simulators.sms.errors import TwilioError
from simulators.sms.numbers import ERROR_MESSAGES, is_e164, is_mobile, is_valid_sender
from simulators.sms.segments import count_segments
from simulators.sms.store import Message, utc_now
from simulators.sms.webhooks import is_http_url

API_VERSION = "2010-04-01"
MAX_BODY = 1600
PRICE_PER_SEGMENT = 0.04

api = Blueprint("sms_api", __name__, url_prefix=f"/{API_VERSION}/Accounts/<account_sid>")


def _sim() -> Any:
    return current_app.extensions["sms_sim"]


@api.before_request
def _authenticate_and_misbehave() -> Response | None:
    sim = _sim()
    settings = sim.faults.current()
    if settings.latency_ms:
        time.sleep(settings.latency_ms / 1000)
    auth = request.authorization
    if auth is None or not (
        hmac.compare_digest(auth.username or "", sim.account_sid)
        and hmac.compare_digest(auth.password or "", sim.auth_token)
    ):
        return errors.unauthorised()
    if (request.view_args or {}).get("account_sid") != sim.account_sid:
        return errors.not_found(request.path)
    drawn = sim.faults.draw_error(settings)
    if drawn == 429:
        return errors.too_many_requests()
    if drawn == 500:
        return errors.internal_error()
    return None


@api.errorhandler(TwilioError)
def _twilio_error(error: TwilioError) -> Response:
    return errors.error_response(error.code, error.message, error.status)


@api.post("/Messages.json")
def create_message(account_sid: str) -> tuple[Response, int]:
    sim = _sim()
    message = _validated_message(request.form, sim)
    sim.store.insert_message(message)
    return jsonify(resource(message, account_sid)), 201


@api.get("/Messages/<sid>.json")
def fetch_message(account_sid: str, sid: str) -> Response:
    message = _sim().store.get_message(sid)
    if message is None:
        return errors.not_found(request.path)
    return jsonify(resource(message, account_sid))


@api.get("/Messages.json")
def list_messages(account_sid: str) -> Response:
    args = request.args
    page_size = _page_size(args.get("PageSize", "50"))
    page = _int_arg(args.get("Page", "0"), "Page")
    before = _page_token(args.get("PageToken"))
    to, from_ = args.get("To"), args.get("From")
    rows = _sim().store.list_messages(to, from_, before, page_size + 1)
    messages, more = rows[:page_size], len(rows) > page_size
    base = f"/{API_VERSION}/Accounts/{account_sid}/Messages.json"
    filters = {key: value for key, value in (("To", to), ("From", from_)) if value}

    def page_uri(number: int, token: str | None = None) -> str:
        query = {**filters, "PageSize": page_size, "Page": number}
        return base + "?" + urlencode({**query, **({"PageToken": token} if token else {})})

    next_token = f"PA{messages[-1].seq}" if more else None
    return jsonify(
        {
            "messages": [resource(message, account_sid) for message in messages],
            "start": page * page_size,
            "end": page * page_size + max(len(messages) - 1, 0),
            "page": page,
            "page_size": page_size,
            "first_page_uri": page_uri(0),
            "previous_page_uri": None,
            "next_page_uri": page_uri(page + 1, next_token) if next_token else None,
            "uri": page_uri(page, args.get("PageToken")),
        }
    )


def _page_size(raw: str) -> int:
    size = _int_arg(raw, "PageSize")
    if not 1 <= size <= 1000:
        raise TwilioError(20001, "PageSize must be between 1 and 1000")
    return size


def _int_arg(raw: str, name: str) -> int:
    if not raw.isdigit():
        raise TwilioError(20001, f"{name} must be a whole number")
    return int(raw)


def _page_token(raw: str | None) -> int | None:
    if raw is None:
        return None
    if not (raw.startswith("PA") and raw[2:].isdigit()):
        raise TwilioError(20001, "Invalid PageToken")
    return int(raw[2:])


def _validated_message(form: MultiDict[str, str], sim: Any) -> Message:
    to = form.get("To", "").strip()
    body = form.get("Body", "")
    callback = form.get("StatusCallback") or None
    if not to:
        raise TwilioError(21604, "A 'To' phone number is required.")
    if not is_e164(to):
        raise TwilioError(21211, f"The 'To' number {to} is not a valid phone number.")
    if not body.strip():
        raise TwilioError(21602, "Message body is required.")
    if len(body) > MAX_BODY:
        raise TwilioError(21617, "The concatenated message body exceeds the 1600 character limit.")
    if callback is not None and not is_http_url(callback):
        raise TwilioError(21609, f"Invalid StatusCallback url: {callback}")
    sender = _validated_sender(form, sim.service_number)
    if to == sender:
        raise TwilioError(21266, "'To' and 'From' number cannot be the same")
    if not is_mobile(to):
        raise TwilioError(21614, f"'To' number {to} is not a valid mobile number")
    if sim.store.is_opted_out(to):
        raise TwilioError(21610, "Attempt to send to unsubscribed recipient")
    now = utc_now().isoformat()
    return Message(
        sid="SM" + secrets.token_hex(16),
        direction="outbound-api",
        to_number=to,
        from_number=sender,
        messaging_service_sid=form.get("MessagingServiceSid") or None,
        body=body,
        num_segments=count_segments(body),
        status="queued",
        error_code=None,
        status_callback=callback,
        created_at=now,
        sent_at=None,
        updated_at=now,
    )


def _validated_sender(form: MultiDict[str, str], service_number: str) -> str:
    """The From number, or the service's number when only a Messaging Service is named."""
    sender = form.get("From", "").strip()
    service = form.get("MessagingServiceSid", "").strip()
    if sender:
        if not is_valid_sender(sender):
            raise TwilioError(
                21212,
                f"The 'From' number {sender} is not a valid phone number, shortcode, "
                "or alphanumeric sender ID.",
            )
        return sender
    if not service:
        raise TwilioError(21603, "A 'From' phone number is required.")
    if not (len(service) == 34 and service.startswith("MG") and _is_hex(service[2:])):
        raise TwilioError(21701, f"The Messaging Service Sid {service} is invalid.")
    return service_number


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in text)


def rfc2822(iso: str | None) -> str | None:
    if iso is None:
        return None
    return format_datetime(datetime.fromisoformat(iso))


def resource(message: Message, account_sid: str) -> dict[str, Any]:
    uri = f"/{API_VERSION}/Accounts/{account_sid}/Messages/{message.sid}.json"
    priced = message.sent_at is not None and message.direction != "inbound"
    return {
        "account_sid": account_sid,
        "api_version": API_VERSION,
        "body": message.body,
        "date_created": rfc2822(message.created_at),
        "date_sent": rfc2822(message.sent_at),
        "date_updated": rfc2822(message.updated_at),
        "direction": message.direction,
        "error_code": message.error_code,
        "error_message": ERROR_MESSAGES.get(message.error_code or 0),
        "from": message.from_number,
        "messaging_service_sid": message.messaging_service_sid,
        "num_media": "0",
        "num_segments": str(message.num_segments),
        "price": f"-{PRICE_PER_SEGMENT * message.num_segments:.5f}" if priced else None,
        "price_unit": "USD",
        "sid": message.sid,
        "status": message.status,
        "subresource_uris": {
            "media": uri.removesuffix(".json") + "/Media.json",
            "feedback": uri.removesuffix(".json") + "/Feedback.json",
        },
        "to": message.to_number,
        "uri": uri,
    }
