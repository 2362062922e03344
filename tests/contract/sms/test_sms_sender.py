"""One contract for SmsSender: the fake and TwilioSmsSender against the simulator (R26, R29, R33).

The same assertions run over both, so a test that passes with the fake means the same thing
as one that passes against Twilio's API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.sms.fake import FakeSmsSender
from adapters.sms.twilio_sender import TwilioSmsSender
from notifications.ports import (
    OutgoingSms,
    SmsPermanentFailure,
    SmsSender,
    SmsTemporaryFailure,
)
from tests.contract.sms.simulator import FROM_NUMBER, served_simulator

pytestmark = pytest.mark.contract

MOBILE = "+447700900123"
LANDLINE = "+441632960123"
INVALID = "+44123"


@dataclass
class SenderUnderTest:
    sender: Any
    opt_out: Any
    rate_limit_next: Any
    recover: Any


@pytest.fixture(params=["fake", "twilio"])
def under_test(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SenderUnderTest]:
    if request.param == "fake":
        fake = FakeSmsSender()
        yield SenderUnderTest(
            sender=fake,
            opt_out=fake.opt_out,
            rate_limit_next=lambda: fake.fail_next(20429),
            recover=fake.recover,
        )
        return
    with served_simulator(tmp_path) as sim:
        sender = TwilioSmsSender(sim.account_sid, sim.auth_token, FROM_NUMBER, sim.base_url)
        yield SenderUnderTest(
            sender=sender,
            opt_out=lambda number: sim.reply(number, "STOP"),
            rate_limit_next=lambda: sim.set_faults(rate_429=1.0),
            recover=lambda: sim.set_faults(rate_429=0.0),
        )


def _sms(to: str = MOBILE, body: str = "Northbridge Council: a test text.") -> OutgoingSms:
    return OutgoingSms(to, body, "http://portal.test/webhooks/twilio/status", "sms-1")


def test_a_sent_text_gets_a_provider_message_id(under_test: SenderUnderTest) -> None:
    sender: SmsSender = under_test.sender
    result = sender.send(_sms())
    assert result.provider_id.startswith("SM") and len(result.provider_id) == 34
    assert result.status in ("queued", "accepted", "sent")


def test_two_texts_get_different_ids(under_test: SenderUnderTest) -> None:
    first = under_test.sender.send(_sms(body="one"))
    second = under_test.sender.send(_sms(body="two"))
    assert first.provider_id != second.provider_id


def test_an_invalid_number_is_a_permanent_21211(under_test: SenderUnderTest) -> None:
    with pytest.raises(SmsPermanentFailure) as failure:
        under_test.sender.send(_sms(to=INVALID))
    assert failure.value.code == 21211


def test_a_landline_is_a_permanent_21614(under_test: SenderUnderTest) -> None:
    with pytest.raises(SmsPermanentFailure) as failure:
        under_test.sender.send(_sms(to=LANDLINE))
    assert failure.value.code == 21614


def test_a_number_that_replied_stop_is_a_permanent_21610(under_test: SenderUnderTest) -> None:
    under_test.opt_out(MOBILE)
    with pytest.raises(SmsPermanentFailure) as failure:
        under_test.sender.send(_sms())
    assert failure.value.code == 21610


def test_too_many_requests_is_temporary_and_passes(under_test: SenderUnderTest) -> None:
    under_test.rate_limit_next()
    with pytest.raises(SmsTemporaryFailure) as failure:
        under_test.sender.send(_sms())
    assert failure.value.code in (429, 20429)
    under_test.recover()
    assert under_test.sender.send(_sms()).provider_id.startswith("SM")


def test_an_accepted_text_can_be_found_again_by_number_and_body(
    under_test: SenderUnderTest,
) -> None:
    since = datetime.now(UTC) - timedelta(minutes=1)
    sent = under_test.sender.send(_sms(body="find me"))
    under_test.sender.send(_sms(body="someone else"))
    found = under_test.sender.find_accepted(MOBILE, "find me", since)
    assert [r.provider_id for r in found] == [sent.provider_id]
    assert under_test.sender.find_accepted(MOBILE, "never sent", since) == []
    assert (
        under_test.sender.find_accepted(MOBILE, "find me", datetime.now(UTC) + timedelta(hours=1))
        == []
    )


def test_the_twilio_sender_treats_no_answer_as_temporary() -> None:
    # Nothing listens on port 9: the connection is refused at once.
    sender = TwilioSmsSender("AC" + "0" * 32, "token", FROM_NUMBER, "http://127.0.0.1:9", 2.0)
    with pytest.raises(SmsTemporaryFailure) as failure:
        sender.send(_sms())
    assert failure.value.code is None
