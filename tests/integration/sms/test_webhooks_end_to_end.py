"""Replies and delivery reports end to end: the simulator's handset, our signed webhooks, the
queue and the worker, over real HTTP on 127.0.0.1 (R29-R32)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from twilio.request_validator import RequestValidator

from adapters.clock import FakeClock
from adapters.db.tables.messages import SmsContact, SmsInbound, SmsMessage, SmsStatusEvent
from notifications.templates import MessageKind, MessageValues
from portal.sms_cli import dispatcher_for
from tests.contract.sms.simulator import FROM_NUMBER, SmsSimulator, served_simulator
from tests.support.live_server import serving

pytestmark = pytest.mark.integration

TENANT = "+447700900123"


@dataclass
class Wired:
    app: Any
    url: str
    sim: SmsSimulator
    engine: sa.Engine

    @property
    def messaging(self) -> Any:
        return self.app.extensions["services"].messaging

    def work(self) -> Any:
        """One worker pass, as the scheduler would run it."""
        return dispatcher_for(self.app).run_pass()

    def texts_to(self, number: str) -> list[str]:
        return self.sim.outbound_bodies(number)

    def rows(self, table: Any) -> list[Any]:
        with sa.orm.Session(self.engine) as session:
            return list(session.scalars(sa.select(table)))


@pytest.fixture
def wired(engine: sa.Engine, make_app: Callable[..., Any], tmp_path: Path) -> Iterator[Wired]:
    holder: dict[str, Any] = {}

    def portal(environ: Any, start_response: Any) -> Any:
        return holder["app"](environ, start_response)

    with (
        serving(portal) as portal_url,
        served_simulator(tmp_path, inbound_url=portal_url + "/webhooks/twilio/inbound") as sim,
    ):
        holder["app"] = make_app(
            env={
                "DATABASE_URL": engine.url.render_as_string(hide_password=False),
                # Signatures are checked against this address, the one the simulator posts to.
                "PUBLIC_BASE_URL": portal_url,
                "TWILIO_API_BASE_URL": sim.base_url,
                "TWILIO_ACCOUNT_SID": sim.account_sid,
                "TWILIO_AUTH_TOKEN": sim.auth_token,
                "TWILIO_FROM_NUMBER": FROM_NUMBER,
            }
        )
        yield Wired(holder["app"], portal_url, sim, engine)
        dispatcher_for(holder["app"]).close()


def completed(wired: Wired, ref: str = "RR-1") -> None:
    link = wired.messaging.link("feedback")
    wired.messaging.notify(MessageKind.COMPLETED, TENANT, MessageValues(reference=ref, link=link))


def test_stop_opts_the_number_out_and_later_texts_are_not_sent(wired: Wired) -> None:
    result = wired.sim.reply(TENANT, "Stop")
    assert result["webhook_status"] == 200
    (contact,) = wired.rows(SmsContact)
    assert contact.opted_out
    completed(wired)
    assert wired.work().withdrawn == 1
    assert wired.texts_to(TENANT) == []


def test_start_opts_back_in(wired: Wired) -> None:
    wired.sim.reply(TENANT, "STOP")
    wired.sim.reply(TENANT, "start")
    completed(wired)
    assert wired.work().sent == 1
    assert len(wired.texts_to(TENANT)) == 1


def test_help_gets_the_councils_help_text(wired: Wired) -> None:
    wired.sim.reply(TENANT, " help ")
    assert wired.work().sent == 1
    (text,) = wired.texts_to(TENANT)
    assert "Reply CONFIRM" in text and "0300 123 4567" in text


def test_confirm_marks_the_appointment_confirmed_by_the_tenant(
    wired: Wired, clock: FakeClock
) -> None:
    start = clock.now() + timedelta(days=2)
    wired.messaging.appointment_booked(
        "RR-7",
        TENANT,
        slot_start=start,
        slot_end=start + timedelta(hours=4),
        slot_text="Thursday 26 November, 8am to 12pm",
        booked_at=clock.now(),
    )
    wired.work()
    assert wired.messaging.tenant_confirmed_at("RR-7") is None
    clock.advance(timedelta(minutes=5))
    wired.sim.reply(TENANT, "CONFIRM")
    assert wired.messaging.tenant_confirmed_at("RR-7") == clock.now()
    assert wired.work().claimed == 0  # no reply needed


def test_change_replies_with_the_link_to_change_it(wired: Wired) -> None:
    wired.sim.reply(TENANT, "change")
    wired.work()
    (text,) = wired.texts_to(TENANT)
    assert f"{wired.url}/repairs" in text


def test_an_unreadable_reply_is_answered_at_most_once_a_day(wired: Wired, clock: FakeClock) -> None:
    wired.sim.reply(TENANT, "Is it tomorrow?")
    wired.sim.reply(TENANT, "Hello??")
    wired.work()
    assert len(wired.texts_to(TENANT)) == 1
    assert "could not read that" in wired.texts_to(TENANT)[0]
    clock.advance(timedelta(hours=24))
    wired.sim.reply(TENANT, "Hello??")
    wired.work()
    assert len(wired.texts_to(TENANT)) == 2
    assert len(wired.rows(SmsInbound)) == 3


def test_confirm_with_nothing_to_confirm_is_unreadable(wired: Wired) -> None:
    wired.sim.reply(TENANT, "CONFIRM")
    wired.work()
    assert "could not read that" in wired.texts_to(TENANT)[0]


def _signed_post(wired: Wired, path: str, params: dict[str, str], token: str | None = None) -> Any:
    url = wired.url + path
    signature = RequestValidator(token or wired.sim.auth_token).compute_signature(url, params)
    return httpx.post(url, data=params, headers={"X-Twilio-Signature": signature})


def _inbound(sid: str, body: str) -> dict[str, str]:
    return {"MessageSid": sid, "From": TENANT, "To": FROM_NUMBER, "Body": body}


def test_a_replayed_inbound_webhook_is_harmless(wired: Wired) -> None:
    params = _inbound("SM" + "a" * 32, "HELP")
    assert _signed_post(wired, "/webhooks/twilio/inbound", params).status_code == 200
    assert _signed_post(wired, "/webhooks/twilio/inbound", params).status_code == 200
    assert len(wired.rows(SmsInbound)) == 1
    assert wired.work().sent == 1


def test_unsigned_and_wrongly_signed_webhooks_are_refused(wired: Wired) -> None:
    params = _inbound("SM" + "b" * 32, "STOP")
    path = "/webhooks/twilio/inbound"
    assert httpx.post(wired.url + path, data=params).status_code == 403
    assert _signed_post(wired, path, params, token="wrong-token").status_code == 403
    tampered = _signed_post(wired, path, {**params, "Body": "HELP"})
    assert tampered.status_code == 200  # signed as sent: fine
    url = wired.url + path
    signature = RequestValidator(wired.sim.auth_token).compute_signature(url, params)
    forged = httpx.post(
        url, data={**params, "Body": "START"}, headers={"X-Twilio-Signature": signature}
    )
    assert forged.status_code == 403
    status = {"MessageSid": "SM" + "c" * 32, "MessageStatus": "delivered"}
    assert httpx.post(wired.url + "/webhooks/twilio/status", data=status).status_code == 403
    assert [r.body for r in wired.rows(SmsInbound)] == ["HELP"]
    assert wired.rows(SmsContact) == [] or not wired.rows(SmsContact)[0].opted_out


def test_delivery_reports_move_the_text_to_delivered(wired: Wired) -> None:
    completed(wired)
    wired.work()
    wired.sim.flush()
    (message,) = wired.rows(SmsMessage)
    assert message.state == "delivered"
    statuses = [e.status for e in wired.rows(SmsStatusEvent)]
    assert "delivered" in statuses


def test_duplicated_and_out_of_order_reports_never_move_a_text_back(wired: Wired) -> None:
    wired.sim.set_faults(callbacks_duplicated=True, callbacks_out_of_order=True)
    for ref in ("RR-1", "RR-2", "RR-3"):
        completed(wired, ref)
    wired.work()
    wired.sim.flush()
    assert {m.state for m in wired.rows(SmsMessage)} == {"delivered"}
    events = wired.rows(SmsStatusEvent)
    assert len(events) > sum(e.moved for e in events)  # late ones recorded, not applied


def test_a_handset_that_does_not_exist_flags_the_contact(wired: Wired) -> None:
    unknown = "+447700900005"  # the simulator reports 30005 for numbers ending 0005
    link = wired.messaging.link("feedback")
    values = MessageValues(reference="RR-1", link=link)
    wired.messaging.notify(MessageKind.COMPLETED, unknown, values)
    wired.work()
    wired.sim.flush()
    (message,) = wired.rows(SmsMessage)
    assert (message.state, message.error_code) == ("undelivered", 30005)
    (contact,) = wired.rows(SmsContact)
    assert contact.flagged and "30005" in (contact.flag_reason or "")
