"""The Twilio webhooks through the Flask test client (R29-R32), with the fake sender."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import render_template_string
from twilio.request_validator import RequestValidator

from adapters.clock import FakeClock
from adapters.sms.fake import FakeSmsSender
from notifications.templates import MessageKind, MessageValues
from portal.sms_cli import dispatcher_for

pytestmark = pytest.mark.web

PUBLIC = "http://portal.test"  # PUBLIC_BASE_URL in the test settings
TOKEN = "test-auth-token"
TENANT = "+447700900123"
STATUS = "/webhooks/twilio/status"
INBOUND = "/webhooks/twilio/inbound"


@pytest.fixture
def sender(clock: FakeClock) -> FakeSmsSender:
    return FakeSmsSender(clock)


@pytest.fixture
def app(make_app: Callable[..., Any], sender: FakeSmsSender) -> Any:
    return make_app(env={"TWILIO_AUTH_TOKEN": TOKEN}, sms_sender=sender)


def signed(client: Any, path: str, params: dict[str, str], url: str | None = None) -> Any:
    signature = RequestValidator(TOKEN).compute_signature(url or PUBLIC + path, params)
    return client.post(path, data=params, headers={"X-Twilio-Signature": signature})


def send_one(app: Any) -> str:
    messaging = app.extensions["services"].messaging
    values = MessageValues(reference="RR-1", link=messaging.link("feedback"))
    messaging.notify(MessageKind.COMPLETED, TENANT, values, "RR-1")
    dispatcher_for(app).run_pass()
    (entry,) = messaging.messages_for_repair("RR-1")
    assert entry.state.value == "sent"
    return str(app.extensions["services"].sms_sender.sent[0].sid)


def state_of(app: Any) -> str:
    (entry,) = app.extensions["services"].messaging.messages_for_repair("RR-1")
    return str(entry.state.value)


def test_a_signed_status_callback_is_accepted_without_a_csrf_token(app: Any, client: Any) -> None:
    sid = send_one(app)
    response = signed(client, STATUS, {"MessageSid": sid, "MessageStatus": "delivered"})
    assert response.status_code == 204
    assert state_of(app) == "delivered"


def test_an_unsigned_callback_is_refused(app: Any, client: Any) -> None:
    sid = send_one(app)
    response = client.post(STATUS, data={"MessageSid": sid, "MessageStatus": "failed"})
    assert response.status_code == 403
    assert state_of(app) == "sent"


def test_a_callback_signed_with_another_token_is_refused(app: Any, client: Any) -> None:
    sid = send_one(app)
    params = {"MessageSid": sid, "MessageStatus": "failed"}
    signature = RequestValidator("not-our-token").compute_signature(PUBLIC + STATUS, params)
    response = client.post(STATUS, data=params, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert state_of(app) == "sent"


def test_a_signature_for_the_requests_own_host_is_not_enough(app: Any, client: Any) -> None:
    """R31: only the public address counts, whatever Host header the request arrives with."""
    sid = send_one(app)
    params = {"MessageSid": sid, "MessageStatus": "failed"}
    response = signed(client, STATUS, params, url="http://localhost" + STATUS)
    assert response.status_code == 403


def test_a_changed_parameter_breaks_the_signature(app: Any, client: Any) -> None:
    sid = send_one(app)
    params = {"MessageSid": sid, "MessageStatus": "delivered"}
    signature = RequestValidator(TOKEN).compute_signature(PUBLIC + STATUS, params)
    response = client.post(
        STATUS,
        data={**params, "MessageStatus": "failed"},
        headers={"X-Twilio-Signature": signature},
    )
    assert response.status_code == 403


def test_a_late_callback_never_moves_a_text_back(app: Any, client: Any) -> None:
    sid = send_one(app)
    for status in ("delivered", "sent", "queued", "delivered", "undelivered"):
        assert (
            signed(client, STATUS, {"MessageSid": sid, "MessageStatus": status}).status_code == 204
        )
    assert state_of(app) == "delivered"


def test_a_callback_without_a_message_id_is_a_bad_request(app: Any, client: Any) -> None:
    assert signed(client, STATUS, {"MessageStatus": "delivered"}).status_code == 400
    assert signed(client, INBOUND, {"Body": "HELP"}).status_code == 400


def test_unknown_statuses_and_ids_are_recorded_and_change_nothing(app: Any, client: Any) -> None:
    sid = send_one(app)
    assert (
        signed(client, STATUS, {"MessageSid": sid, "MessageStatus": "exploded"}).status_code == 204
    )
    other = {"MessageSid": "SM" + "0" * 32, "MessageStatus": "delivered", "ErrorCode": "x"}
    assert signed(client, STATUS, other).status_code == 204
    assert state_of(app) == "sent"


def test_an_inbound_text_gets_empty_twiml_and_a_queued_reply(
    app: Any, client: Any, sender: FakeSmsSender
) -> None:
    params = {"MessageSid": "SM" + "1" * 32, "From": TENANT, "To": "+447700900000", "Body": "HELP"}
    response = signed(client, INBOUND, params)
    assert response.status_code == 200
    assert response.mimetype == "text/xml" and "<Response></Response>" in response.text
    assert sender.sent == []  # queued, not sent from the request
    dispatcher_for(app).run_pass()
    assert "Reply CONFIRM" in sender.sent_to(TENANT)[0].body


def test_an_inbound_text_from_a_landline_is_ignored(
    app: Any, client: Any, sender: FakeSmsSender
) -> None:
    params = {
        "MessageSid": "SM" + "2" * 32,
        "From": "+441632960123",
        "To": "+447700900000",
        "Body": "HELP",
    }
    assert signed(client, INBOUND, params).status_code == 200
    dispatcher_for(app).run_pass()
    assert sender.sent == []


def test_other_posts_still_need_a_csrf_token(app: Any) -> None:
    app.add_url_rule("/_probe", "probe", lambda: "ok", methods=["POST"])
    assert app.test_client().post("/_probe").status_code == 400


def test_the_message_log_partial_lists_texts_with_their_errors(
    app: Any, sender: FakeSmsSender, clock: FakeClock
) -> None:
    messaging = app.extensions["services"].messaging
    values = MessageValues(reference="RR-1", link=messaging.link("feedback"))
    messaging.notify(MessageKind.COMPLETED, TENANT, values, "RR-1")
    messaging.notify(MessageKind.COMPLETED, "+447700900456", values, "RR-1")
    sender.fail_next(30006, permanent=True)
    dispatcher_for(app).run_pass()
    clock.advance(timedelta(days=91))
    messaging.remove_old_bodies()
    with app.test_request_context():
        html = render_template_string(
            '{% include "partials/message_log.html" %}',
            messages=messaging.messages_for_repair("RR-1"),
        )
    assert html.count('<tr class="govuk-table__row">') == 3
    assert "Landline or unreachable carrier (error 30006)" in html
    assert "Removed after the retention period" in html
    assert "Tell us how we did" not in html  # R48: no bodies after 90 days


def test_the_message_log_partial_says_when_there_are_none(app: Any) -> None:
    with app.test_request_context():
        html = render_template_string('{% include "partials/message_log.html" %}', messages=[])
    assert "No text messages" in html
