"""Status callbacks: the statuses each message passes through, signed as Twilio signs them."""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from tests.simulators.sms.support import ACCOUNT_SID, AUTH_TOKEN, HANDSET, SENDER, send

pytestmark = pytest.mark.integration


def statuses(receiver) -> list[str]:
    return [request.form["MessageStatus"] for request in receiver.received]


def test_a_delivered_message_reports_queued_sent_delivered_in_order(simulator, twilio, receiver):
    message = send(twilio, status_callback=receiver.url("/status"))

    report = simulator.flush()

    assert statuses(receiver) == ["queued", "sent", "delivered"]
    assert report["delivered"] == 3
    form = receiver.received[-1].form
    assert form == {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "From": SENDER,
        "MessageSid": message.sid,
        "MessageStatus": "delivered",
        "SmsSid": message.sid,
        "SmsStatus": "delivered",
        "To": HANDSET,
    }


# R31: the portal refuses webhooks whose signature does not validate against the exact URL.
def test_every_callback_validates_against_the_exact_url_with_the_auth_token(
    simulator, twilio, receiver
):
    url = receiver.url("/webhooks/twilio/status?message=42&tenant=a%20b")
    send(twilio, status_callback=url)
    send(twilio, status_callback=url, messaging_service_sid="MG" + "b" * 32)

    simulator.flush()

    validator = RequestValidator(AUTH_TOKEN)
    assert len(receiver.received) == 6
    assert receiver.received[-1].form["MessagingServiceSid"] == "MG" + "b" * 32
    for request in receiver.received:
        assert request.query == "message=42&tenant=a%20b"
        assert validator.validate(url, request.form, request.signature)
        assert not validator.validate(url + "&extra=1", request.form, request.signature)
        assert not RequestValidator("0" * 32).validate(url, request.form, request.signature)
        tampered = {**request.form, "MessageStatus": "read"}
        assert not validator.validate(url, tampered, request.signature)


def test_callbacks_come_from_twilios_user_agent_with_an_idempotency_token(
    simulator, twilio, receiver
):
    send(twilio, status_callback=receiver.url("/status"))

    simulator.flush()

    tokens = [request.headers["I-Twilio-Idempotency-Token"] for request in receiver.received]
    assert len(set(tokens)) == 3
    assert receiver.received[0].headers["User-Agent"] == "TwilioProxy/1.1"


@pytest.mark.parametrize(
    ("to", "final", "code", "passed"),
    [
        ("+447700900003", "undelivered", "30003", ["queued", "sent", "undelivered"]),
        ("+447700900005", "undelivered", "30005", ["queued", "sent", "undelivered"]),
        ("+447700900006", "undelivered", "30006", ["queued", "sent", "undelivered"]),
        ("+447700900008", "failed", "30008", ["queued", "failed"]),
    ],
)
def test_magic_numbers_fail_with_the_documented_carrier_error(
    simulator, twilio, receiver, to, final, code, passed
):
    message = send(twilio, to=to, status_callback=receiver.url("/status"))

    simulator.flush()

    assert statuses(receiver) == passed
    assert receiver.received[-1].form["ErrorCode"] == code
    assert "ErrorCode" not in receiver.received[0].form
    fetched = twilio.messages(message.sid).fetch()
    assert (fetched.status, fetched.error_code) == (final, int(code))
    assert fetched.error_message


def test_a_message_without_a_status_callback_still_moves_on_quietly(simulator, twilio, receiver):
    sid = send(twilio).sid

    simulator.flush()

    assert twilio.messages(sid).fetch().status == "delivered"
    assert receiver.received == []


def test_a_callback_that_fails_is_retried_and_then_arrives(simulator, twilio, receiver):
    receiver.statuses = [500, 503]
    send(twilio, status_callback=receiver.url("/status"))

    report = simulator.flush()

    assert statuses(receiver) == ["queued", "sent", "delivered", "queued", "sent"]
    assert (report["delivered"], report["failed_attempts"], report["dropped"]) == (3, 2, 0)


def test_a_callback_that_keeps_failing_is_dropped_after_three_attempts(
    simulator, twilio, receiver, caplog
):
    receiver.statuses = [500] * 100
    sid = send(twilio, status_callback=receiver.url("/status")).sid

    report = simulator.flush()

    assert len(receiver.received) == 9
    assert report["dropped"] == 3
    assert simulator.flush()["posts"] == 0
    assert sum(sid in record.getMessage() for record in caplog.records) == 3
    assert simulator.control.get("/_sim/stats").json()["callbacks"] == {"dropped": 3}


def test_a_callback_to_a_closed_port_is_dropped_without_breaking_the_others(
    simulator, twilio, receiver
):
    send(twilio, status_callback="http://127.0.0.1:9/status")
    send(twilio, status_callback=receiver.url("/status"))

    report = simulator.flush()

    assert statuses(receiver) == ["queued", "sent", "delivered"]
    assert report["dropped"] == 3


def test_the_background_thread_delivers_without_a_flush(make_simulator, receiver):
    simulator = make_simulator(SMS_SIM_BACKGROUND_DELIVERY=True, SMS_SIM_POLL_SECONDS=0.02)

    send(simulator.client(), status_callback=receiver.url("/status"))

    receiver.wait_for(3)
    assert statuses(receiver) == ["queued", "sent", "delivered"]
