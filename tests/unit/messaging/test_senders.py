"""The senders' own rules: Twilio error codes mapped for R33, the base URL swap, log lines that
hold no body or whole number, and the fake's Twilio-like refusals."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient

from adapters.sms.fake import FakeSmsSender
from adapters.sms.log_sender import LogSmsSender
from adapters.sms.twilio_sender import BaseUrlHttpClient, _failure
from notifications.ports import OutgoingSms, SmsPermanentFailure, SmsTemporaryFailure

pytestmark = pytest.mark.unit

BODY = "123456 is your Northbridge Council repairs code."


@pytest.mark.parametrize(
    ("status", "code"),
    [
        (429, 20429),
        (429, None),
        (400, 30001),
        (400, 30003),
        (400, 30008),
        (500, None),
        (503, 20500),
    ],
)
def test_twilio_errors_worth_retrying_are_temporary(status: int, code: int | None) -> None:
    failure = _failure(TwilioRestException(status, "uri", "busy", code))
    assert isinstance(failure, SmsTemporaryFailure)


@pytest.mark.parametrize("code", [21211, 21610, 21614, 30005, 30006, 20003, 21212])
def test_other_twilio_errors_are_permanent(code: int) -> None:
    failure = _failure(TwilioRestException(400, "uri", "no", code))
    assert isinstance(failure, SmsPermanentFailure) and failure.code == code


def test_the_twilio_address_is_swapped_for_the_configured_base(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[str] = []

    def fake_request(self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> str:
        seen.append(url)
        return "response"

    monkeypatch.setattr(TwilioHttpClient, "request", fake_request)
    client = BaseUrlHttpClient("http://127.0.0.1:8102/")
    client.request("POST", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json")
    client.request("GET", "https://elsewhere.example/x")
    assert seen == [
        "http://127.0.0.1:8102/2010-04-01/Accounts/AC1/Messages.json",
        "https://elsewhere.example/x",
    ]
    assert client.timeout == 10.0


def test_the_log_sender_logs_the_masked_number_and_no_body(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="adapters.sms.log"):
        result = LogSmsSender().send(OutgoingSms("+447700900123", BODY, None, "sms-7"))
    assert result.provider_id.startswith("LG")
    assert "+44 7*** ***123" in caplog.text and "sms-7" in caplog.text
    assert "123456" not in caplog.text and "900123" not in caplog.text


def test_the_fake_fails_as_told_then_recovers() -> None:
    fake = FakeSmsSender()
    fake.fail_next(30001, times=2)
    for _ in range(2):
        with pytest.raises(SmsTemporaryFailure):
            fake.send(OutgoingSms("+447700900123", BODY, None, "k"))
    fake.fail_always(21211, permanent=True)
    with pytest.raises(SmsPermanentFailure):
        fake.send(OutgoingSms("+447700900123", BODY, None, "k"))
    fake.recover()
    fake.send(OutgoingSms("+447700900123", BODY, None, "k"))
    assert [s.body for s in fake.sent] == [BODY] and fake.attempts == 4


def test_an_outgoing_text_never_shows_its_body_or_number_in_a_repr() -> None:
    text = repr(OutgoingSms("+447700900123", BODY, None, "sms-1"))
    assert "123456" not in text and "900123" not in text
