"""R29: opt-out words from a handset block later sends until an opt-in word."""

from __future__ import annotations

import pytest
from twilio.base.exceptions import TwilioRestException

from tests.simulators.sms.support import HANDSET, send

pytestmark = pytest.mark.integration


def is_refused_as_opted_out(client) -> bool:
    try:
        send(client)
    except TwilioRestException as refused:
        assert refused.code == 21610
        return True
    return False


@pytest.mark.parametrize(
    "word",
    [
        "STOP",
        "stop",
        " Stop ",
        "STOPALL",
        "UNSUBSCRIBE",
        "CANCEL",
        "END",
        "QUIT",
        "REVOKE",
        "OPTOUT",
    ],
)
def test_each_opt_out_word_blocks_later_sends(simulator, twilio, word):
    send(twilio)

    reply = simulator.reply(HANDSET, word)

    assert reply["keyword"] == "STOP"
    assert is_refused_as_opted_out(twilio)


@pytest.mark.parametrize("word", ["START", "yes", "UNSTOP"])
def test_an_opt_in_word_lets_sends_through_again(simulator, twilio, word):
    simulator.reply(HANDSET, "STOP")
    assert is_refused_as_opted_out(twilio)

    simulator.reply(HANDSET, word)

    assert not is_refused_as_opted_out(twilio)


@pytest.mark.parametrize("body", ["Please stop texting me", "STOP IT", "cancelled"])
def test_a_stop_word_inside_a_longer_message_is_not_an_opt_out(simulator, twilio, body):
    simulator.reply(HANDSET, body)

    assert not is_refused_as_opted_out(twilio)


def test_opting_out_blocks_only_that_number(simulator, twilio):
    simulator.reply(HANDSET, "STOP")

    assert send(twilio, to="+447700900456").status == "queued"


def test_the_stop_text_still_reaches_the_inbound_webhook_and_twilio_confirms_it(
    simulator, twilio, receiver
):
    send(twilio)

    simulator.reply(HANDSET, "STOP")

    assert receiver.received[-1].form["Body"] == "STOP"
    texts = simulator.control.get(f"/phones/{HANDSET}").text
    assert "You have successfully been unsubscribed" in texts
    assert "This phone has opted out" in texts


def test_a_reset_with_clear_forgets_opt_outs(simulator, twilio):
    simulator.reply(HANDSET, "STOP")

    simulator.control.post("/_sim/reset", json={"clear": True})

    assert not is_refused_as_opted_out(twilio)
