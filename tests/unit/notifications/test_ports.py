"""R32: message state only moves forward; the port's value types."""

from __future__ import annotations

import pytest

from notifications.ports import (
    MessageStatus,
    OutgoingSms,
    SmsPermanentFailure,
    SmsTemporaryFailure,
    UnknownStatus,
    moves_forward,
    parse_provider_status,
)

pytestmark = pytest.mark.unit

S = MessageStatus
ROAD = [S.PLANNED, S.QUEUED, S.SENDING, S.SENT, S.DELIVERED]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (S.PLANNED, S.QUEUED, True),
        (S.QUEUED, S.SENDING, True),
        (S.SENDING, S.SENT, True),
        (S.SENT, S.DELIVERED, True),
        (S.SENT, S.UNDELIVERED, True),
        (S.QUEUED, S.FAILED, True),
        (S.QUEUED, S.DELIVERED, True),  # the sent callback was lost: still forward
        (S.PLANNED, S.SUPERSEDED, True),
        (S.PLANNED, S.CANCELLED, True),
        (S.DELIVERED, S.SENT, False),  # a late callback
        (S.SENT, S.SENDING, False),
        (S.SENT, S.QUEUED, False),
        (S.QUEUED, S.QUEUED, False),  # a repeated callback
        (S.DELIVERED, S.DELIVERED, False),
        (S.DELIVERED, S.UNDELIVERED, False),
        (S.UNDELIVERED, S.DELIVERED, False),
        (S.FAILED, S.SENT, False),
        (S.QUEUED, S.SUPERSEDED, False),  # handed to the provider: too late to withdraw
        (S.SUPERSEDED, S.QUEUED, False),
        (S.CANCELLED, S.SENT, False),
        (S.SENT, S.PLANNED, False),
    ],
)
def test_moves_forward_table(old: MessageStatus, new: MessageStatus, expected: bool) -> None:
    assert moves_forward(old, new) is expected


def test_every_step_along_the_road_moves_forward_and_never_back() -> None:
    for i, old in enumerate(ROAD):
        for j, new in enumerate(ROAD):
            assert moves_forward(old, new) is (j > i)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("queued", S.QUEUED),
        ("Sent", S.SENT),
        (" delivered ", S.DELIVERED),
        ("undelivered", S.UNDELIVERED),
        ("failed", S.FAILED),
        ("accepted", S.QUEUED),
    ],
)
def test_provider_statuses_are_read_into_ours(text: str, status: MessageStatus) -> None:
    assert parse_provider_status(text) is status


@pytest.mark.parametrize("text", ["planned", "superseded", "exploded", ""])
def test_our_own_states_and_unknown_words_cannot_come_from_a_callback(text: str) -> None:
    with pytest.raises(UnknownStatus):
        parse_provider_status(text)


def test_an_outgoing_text_refuses_a_number_that_is_not_e164() -> None:
    with pytest.raises(ValueError, match="E.164"):
        OutgoingSms(to="07700900123", body="hi", status_callback=None, idempotency_key="m-1")


def test_an_outgoing_text_never_shows_its_body_or_number_in_its_repr() -> None:
    sms = OutgoingSms("+447700900123", "Ref RR-7K3M9Q", None, "m-1")
    assert "900123" not in repr(sms)
    assert "RR-7K3M9Q" not in repr(sms)


def test_provider_errors_keep_their_code_for_the_retry_rules() -> None:
    assert SmsTemporaryFailure(30001, "queue overflow").code == 30001
    assert str(SmsPermanentFailure(21610, "opted out")) == "21610: opted out"
