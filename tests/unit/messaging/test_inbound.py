"""What a tenant's reply does (R29, R30), with stand-ins for the store and the service."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from adapters.clock import FakeClock
from notifications.config import MessagingPolicy
from notifications.inbound import InboundHandling
from notifications.messaging_setup import MessagingSetup
from notifications.store import Contact, InboundText
from notifications.templates import MessageKind, MessageValues, Sender
from tests.unit.notifications.conftest import FakeBankHolidays

pytestmark = pytest.mark.unit

CONFIG = Path(__file__).resolve().parents[3] / "config" / "landlord.yaml"
TENANT = "+447700900123"


class Store:
    def __init__(self) -> None:
        self.seen: set[str] = set()
        self.opted_out: dict[str, bool] = {}
        self.unreadable_at: dict[str, datetime] = {}
        self.confirmable: str | None = None

    def record_inbound(self, text: InboundText) -> bool:
        new = text.sid not in self.seen
        self.seen.add(text.sid)
        return new

    def set_opted_out(self, number: str, opted_out: bool, now: datetime) -> None:
        self.opted_out[number] = opted_out

    def contact(self, number: str) -> Contact:
        return Contact(number, last_unreadable_reply_at=self.unreadable_at.get(number))

    def note_unreadable_reply(self, number: str, now: datetime) -> None:
        self.unreadable_at[number] = now

    def mark_confirmed(self, number: str, now: datetime, since: datetime) -> str | None:
        return self.confirmable


class Service:
    def __init__(self) -> None:
        self.queued: list[tuple[MessageKind, str, MessageValues]] = []

    def link(self, path: str) -> str:
        return "http://portal.test/" + path

    def notify(self, kind: MessageKind, to: str, values: MessageValues) -> bool:
        self.queued.append((kind, to, values))
        return True


@pytest.fixture
def setup() -> MessagingSetup:
    data = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    return MessagingSetup(
        policy=MessagingPolicy.from_mapping(data["messages"]),
        sender=Sender("Northbridge", "0300 123 4567"),
        holidays=FakeBankHolidays(),
        status_callback=None,
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))


def handling(setup: MessagingSetup, clock: FakeClock) -> tuple[InboundHandling, Store, Service]:
    store, service = Store(), Service()
    return InboundHandling(service, store, setup, clock), store, service  # type: ignore[arg-type]


def reply(handler: InboundHandling, body: str, sid: str = "SM1", number: str = TENANT) -> Any:
    return handler.handle(sid, number, "+447700900000", body)


@pytest.mark.parametrize("word", ["STOP", "stop", " Unsubscribe ", "CANCEL", "optout"])
def test_stop_words_opt_out_and_twilio_confirms_them(
    setup: MessagingSetup, clock: FakeClock, word: str
) -> None:
    handler, store, service = handling(setup, clock)
    assert reply(handler, word).action == "opted-out"
    assert store.opted_out == {TENANT: True}
    assert service.queued == []  # Twilio answers STOP itself and refuses our texts after it


def test_without_twilio_keyword_replies_we_confirm_opt_out_and_opt_in(
    setup: MessagingSetup, clock: FakeClock
) -> None:
    own = dataclasses.replace(setup, provider_answers_keywords=False)
    handler, store, service = handling(own, clock)
    reply(handler, "STOP", "SM1")
    reply(handler, "START", "SM2")
    assert [kind for kind, _, _ in service.queued] == [
        MessageKind.OPT_OUT_CONFIRMATION,
        MessageKind.OPT_IN_CONFIRMATION,
    ]
    assert store.opted_out == {TENANT: False}


def test_help_and_change_are_answered(setup: MessagingSetup, clock: FakeClock) -> None:
    handler, _, service = handling(setup, clock)
    reply(handler, "help", "SM1")
    reply(handler, "CHANGE", "SM2")
    assert [kind for kind, _, _ in service.queued] == [MessageKind.HELP, MessageKind.CHANGE]
    assert service.queued[1][2].link == "http://portal.test/repairs"


def test_confirm_marks_the_appointment(setup: MessagingSetup, clock: FakeClock) -> None:
    handler, store, service = handling(setup, clock)
    store.confirmable = "RR-7"
    result = reply(handler, "Confirm")
    assert (result.action, result.repair_ref) == ("confirmed", "RR-7")
    assert service.queued == []


def test_opt_out_words_inside_a_sentence_are_not_an_opt_out(
    setup: MessagingSetup, clock: FakeClock
) -> None:
    """R30: "cancel my appointment" must not stop every text."""
    handler, store, _ = handling(setup, clock)
    assert reply(handler, "cancel my appointment").action == "unreadable"
    assert store.opted_out == {}


def test_the_could_not_read_reply_goes_once_a_day(setup: MessagingSetup, clock: FakeClock) -> None:
    handler, _, service = handling(setup, clock)
    assert reply(handler, "what?", "SM1").action == "unreadable"
    clock.advance(timedelta(hours=23))
    assert reply(handler, "what?", "SM2").action == "unreadable-quiet"
    clock.advance(timedelta(hours=1))
    assert reply(handler, "what?", "SM3").action == "unreadable"
    assert [kind for kind, _, _ in service.queued] == [MessageKind.UNREADABLE] * 2


def test_a_replay_does_nothing(setup: MessagingSetup, clock: FakeClock) -> None:
    handler, _, service = handling(setup, clock)
    reply(handler, "HELP", "SM1")
    assert reply(handler, "HELP", "SM1").action == "replay"
    assert len(service.queued) == 1


def test_texts_from_numbers_we_never_text_are_ignored(
    setup: MessagingSetup, clock: FakeClock
) -> None:
    handler, store, service = handling(setup, clock)
    assert reply(handler, "STOP", number="+441632960123").action == "not-a-mobile"
    assert store.seen == set() and service.queued == []
