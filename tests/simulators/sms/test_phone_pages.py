"""The "phone" pages: texts a number received, and replies posted signed to the inbound URL."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from twilio.request_validator import RequestValidator

from tests.simulators.sms.support import ACCOUNT_SID, AUTH_TOKEN, HANDSET, SENDER, send

pytestmark = pytest.mark.integration


class Outline(HTMLParser):
    """Enough of a page's structure to check it is usable: headings, labels, controls."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.h1 = 0
        self.label_for: set[str] = set()
        self.controls: list[str | None] = []
        self.lang = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "html":
            self.lang = attributes.get("lang")
        if tag == "h1":
            self.h1 += 1
        if tag == "label":
            self.label_for.add(attributes.get("for"))
        if tag in ("textarea", "select") or (
            tag == "input" and attributes.get("type") not in ("hidden", "submit")
        ):
            self.controls.append(attributes.get("id"))

    def assert_usable(self) -> None:
        assert self.lang == "en"
        assert self.h1 == 1
        assert all(control in self.label_for for control in self.controls)


def test_a_phone_page_shows_the_texts_a_number_received_oldest_first(simulator, twilio):
    send(twilio, body="First: your repair REP-123 is booked")
    send(twilio, body="Second: reminder <tomorrow> & AM")

    page = simulator.control.get(f"/phones/{HANDSET}")

    assert page.status_code == 200
    assert page.text.index("First: your repair") < page.text.index("Second: reminder")
    assert "&lt;tomorrow&gt; &amp; AM" in page.text
    assert f"From {SENDER}" in page.text
    assert "queued" in page.text
    Outline(page.text).assert_usable()


def test_a_phone_page_shows_the_status_the_carrier_reached(simulator, twilio):
    send(twilio, to="+447700900003")
    simulator.flush()

    page = simulator.control.get("/phones/+447700900003").text

    assert "undelivered (error 30003)" in page


def test_the_phone_index_links_every_number_texted(simulator, twilio):
    send(twilio)
    send(twilio, to="+447700900456")

    page = simulator.control.get("/phones")

    assert 'href="/phones/+447700900456"' in page.text
    assert 'href="/phones/+447700900123"' in page.text
    Outline(page.text).assert_usable()


def test_a_reply_from_the_form_is_posted_signed_with_twilios_inbound_parameters(
    simulator, twilio, receiver
):
    send(twilio)

    answer = simulator.control.post(f"/phones/{HANDSET}/reply", data={"body": "CONFIRM"})

    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/phones/{HANDSET}?webhook=200")
    (request,) = receiver.received
    assert request.path == "/webhooks/twilio/inbound"
    form = request.form
    assert re.fullmatch(r"SM[0-9a-f]{32}", form["MessageSid"])
    assert form["SmsSid"] == form["SmsMessageSid"] == form["MessageSid"]
    assert (form["From"], form["To"], form["Body"]) == (HANDSET, SENDER, "CONFIRM")
    assert (form["AccountSid"], form["NumMedia"], form["NumSegments"]) == (ACCOUNT_SID, "0", "1")
    assert (form["FromCountry"], form["ToCountry"], form["SmsStatus"]) == ("GB", "GB", "received")
    assert RequestValidator(AUTH_TOKEN).validate(
        receiver.url("/webhooks/twilio/inbound"), form, request.signature
    )


def test_a_reply_appears_on_the_phone_page_and_in_the_message_list(simulator, twilio):
    send(twilio)
    simulator.control.post(f"/phones/{HANDSET}/reply", data={"body": "CHANGE please"})

    page = simulator.control.get(f"/phones/{HANDSET}?webhook=200").text
    (inbound,) = [m for m in twilio.messages.list(from_=HANDSET) if m.direction == "inbound"]

    assert "CHANGE please" in page and "The inbound webhook answered: 200" in page
    assert (inbound.body, inbound.status, inbound.to) == ("CHANGE please", "received", SENDER)


def test_the_reply_control_answers_with_the_webhooks_status(simulator, receiver):
    receiver.statuses = [403]

    answer = simulator.reply(HANDSET, "hello")

    assert answer["webhook_status"] == 403
    assert answer["to"] == simulator.state.service_number
    assert receiver.received[0].form["MessageSid"] == answer["sid"]


def test_the_reply_control_reports_an_unreachable_webhook(make_simulator):
    simulator = make_simulator(SMS_SIM_INBOUND_URL="http://127.0.0.1:9/inbound")

    answer = simulator.reply(HANDSET, "hello")

    assert answer["webhook_status"] is None
    assert answer["webhook_error"]


def test_a_twiml_message_in_the_webhooks_answer_is_texted_back(simulator, twilio, receiver):
    receiver.answer_type = "text/xml"
    receiver.answer_body = "<Response><Message>Thanks, your slot is confirmed</Message></Response>"
    send(twilio)

    simulator.reply(HANDSET, "CONFIRM")
    simulator.flush()

    page = simulator.control.get(f"/phones/{HANDSET}").text
    assert "Thanks, your slot is confirmed" in page
    assert page.index("CONFIRM") < page.index("Thanks, your slot")


def test_an_empty_reply_is_refused_with_an_error_on_the_page(simulator, receiver):
    answer = simulator.control.post(f"/phones/{HANDSET}/reply", data={"body": "  "})

    assert answer.status_code == 400
    assert "<title>Error: " in answer.text
    assert "Enter the text of your reply" in answer.text
    assert receiver.received == []
    Outline(answer.text).assert_usable()


@pytest.mark.parametrize("path", ["/phones/07700900123", "/phones/+44abc"])
def test_a_phone_page_for_something_that_is_not_a_number_is_404(simulator, path):
    assert simulator.control.get(path).status_code == 404
    assert simulator.control.post(path + "/reply", data={"body": "x"}).status_code == 404


@pytest.mark.parametrize(
    "payload", [None, {}, {"body": ""}, {"body": 5}, {"body": "x", "to": "123"}]
)
def test_the_reply_control_refuses_bad_input_with_400(simulator, payload):
    answer = simulator.control.post(f"/_sim/phones/{HANDSET}/reply", json=payload)

    assert answer.status_code == 400
    assert answer.json()["error"]


def test_the_reply_control_refuses_a_number_that_is_not_e164(simulator):
    answer = simulator.control.post("/_sim/phones/12345/reply", json={"body": "x"})

    assert answer.status_code == 400
