"""Sends Twilio refuses, refused with the same codes, through the real client."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.simulators.sms.support import ACCOUNT_SID, AUTH_TOKEN, HANDSET, SENDER, send

pytestmark = pytest.mark.integration


def refusal(client, **kwargs) -> TwilioRestException:
    with pytest.raises(TwilioRestException) as raised:
        send(client, **kwargs)
    assert raised.value.status == 400
    return raised.value


@pytest.mark.parametrize(
    "to", ["07700900123", "+44 7700 900123", "+44770090012", "447700900123", "+0123456789"]
)
def test_a_to_that_is_not_e164_is_21211(twilio, to):
    assert refusal(twilio, to=to).code == 21211


def test_a_missing_to_is_21604(twilio):
    assert refusal(twilio, to="").code == 21604


@pytest.mark.parametrize("body", ["", "   "])
def test_an_empty_body_is_21602(twilio, body):
    assert refusal(twilio, body=body).code == 21602


# R26: never to landlines.
@pytest.mark.parametrize("to", ["+441632960961", "+442079460000", "+447012345678", "+447600123456"])
def test_a_uk_number_that_is_not_a_mobile_is_21614(twilio, to):
    assert refusal(twilio, to=to).code == 21614


@pytest.mark.parametrize("to", ["+447700900123", "+447911123456", "+447624123456"])
def test_uk_mobiles_are_accepted(twilio, to):
    assert send(twilio, to=to).status == "queued"


def test_a_recipient_who_texted_stop_is_21610(simulator, twilio):
    simulator.reply(HANDSET, "STOP")

    assert refusal(twilio).code == 21610


def test_a_send_with_neither_from_nor_service_is_21603(simulator):
    response = simulator.control.post(
        f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        data={"To": HANDSET, "Body": "x"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == 21603


def test_an_invalid_sender_is_21212_but_an_alphanumeric_name_is_fine(twilio):
    assert refusal(twilio, from_="not a number!").code == 21212
    assert send(twilio, from_="Council").from_ == "Council"


def test_an_invalid_messaging_service_sid_is_21701(twilio):
    assert refusal(twilio, messaging_service_sid="MGnope").code == 21701


def test_a_body_over_1600_characters_is_21617(twilio):
    assert refusal(twilio, body="x" * 1601).code == 21617
    assert send(twilio, body="x" * 1600).num_segments == "11"


def test_a_status_callback_that_is_not_a_url_is_21609(twilio):
    assert refusal(twilio, status_callback="not-a-url").code == 21609


def test_sending_to_the_sender_itself_is_21266(twilio):
    assert refusal(twilio, to=SENDER).code == 21266


def test_the_error_body_has_twilios_shape(simulator):
    response = simulator.control.post(
        f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json",
        auth=(ACCOUNT_SID, AUTH_TOKEN),
        data={"To": "12345", "From": SENDER, "Body": "x"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "code": 21211,
        "message": "The 'To' number 12345 is not a valid phone number.",
        "more_info": "https://www.twilio.com/docs/errors/21211",
        "status": 400,
    }


def test_a_refused_send_stores_nothing(simulator, twilio):
    refusal(twilio, to="+441632960961")

    assert simulator.control.get("/_sim/stats").json()["total"] == 0
