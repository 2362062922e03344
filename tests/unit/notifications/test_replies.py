"""R29, R30: what a tenant's reply means, matched the way Twilio matches keywords."""

from __future__ import annotations

from datetime import timedelta

import pytest

from notifications.replies import (
    Change,
    Confirm,
    Help,
    OptIn,
    OptOut,
    Unreadable,
    classify,
    should_send_unreadable_reply,
)

from .conftest import utc

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "body",
    ["STOP", "stop", " Stop \n", "STOPALL", "unsubscribe", "CANCEL", "End", "QUIT", "revoke",
     "OPTOUT", "\u00a0stop\u00a0"],
)  # fmt: skip
def test_an_opt_out_word_alone_opts_the_number_out(body: str) -> None:
    # R29: trimmed, any case, alone in the message.
    assert classify(body) == OptOut(body.strip().upper())


@pytest.mark.parametrize("body", ["START", "yes", " Unstop "])
def test_an_opt_in_word_alone_opts_the_number_back_in(body: str) -> None:
    assert classify(body) == OptIn(body.strip().upper())


@pytest.mark.parametrize(
    ("body", "reply"),
    [("HELP", Help()), ("help ", Help()), ("Confirm", Confirm()), ("change", Change())],
)
def test_help_confirm_and_change_are_our_commands(body: str, reply: object) -> None:
    assert classify(body) == reply


@pytest.mark.parametrize(
    "body",
    [
        "stop please",  # Twilio treats the word alone as a keyword, not a sentence
        "Stop.",
        "please stop",
        "STOP ALL",
        "cancel my appointment",
        "stopp",
        "confirmed",
        "I want to change",
        "",
        "   ",
        "😀",
    ],
)
def test_near_misses_are_unreadable_not_guessed(body: str) -> None:
    assert classify(body) == Unreadable()


def test_no_opt_out_word_is_one_of_our_commands() -> None:
    # R30: a tenant replying CANCEL means "stop all texts" to Twilio; never ask for it.
    from notifications import replies

    commands = replies.CONFIRM_WORDS | replies.CHANGE_WORDS | replies.HELP_WORDS
    assert not commands & replies.OPT_OUT_WORDS
    assert not commands & replies.OPT_IN_WORDS


def test_the_could_not_read_reply_goes_at_most_once_a_day_per_number() -> None:
    now = utc(2026, 3, 10, 12)
    assert should_send_unreadable_reply(None, now)
    assert not should_send_unreadable_reply(now - timedelta(hours=23, minutes=59), now)
    assert should_send_unreadable_reply(now - timedelta(hours=24), now)
    assert not should_send_unreadable_reply(now - timedelta(hours=2), now, timedelta(hours=3))


def test_the_could_not_read_rule_refuses_naive_times() -> None:
    from datetime import datetime

    with pytest.raises(ValueError, match="timezone-aware"):
        should_send_unreadable_reply(datetime(2026, 3, 10), utc(2026, 3, 11))
