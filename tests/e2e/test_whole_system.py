"""The whole system in one browser journey with nothing faked: the portal wired by
`build_services` from settings, its Northgate adapter talking HTTP to the housing simulator,
and its text messages going through the real `twilio` client to the SMS simulator."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from portal.cli import worker_jobs
from simulators.sms import create_app as create_sms_simulator
from tests.contract.housing.simulator import API_KEY, running_simulator
from tests.e2e import test_accounts as accounts
from tests.e2e import test_book_and_track as journey
from tests.support.browser import assert_accessible
from tests.support.live_server import serving

pytestmark = pytest.mark.e2e

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "e" * 32
MOBILE = "+447700900123"


@dataclass
class Text:
    body: str


class SmsSimulatorInbox:
    """Reads what the SMS simulator received, through its Twilio-shaped API."""

    def __init__(self, base_url: str) -> None:
        self._url = f"{base_url}/2010-04-01/Accounts/{SID}/Messages.json"

    def sent_to(self, number: str) -> list[Text]:
        answer = httpx.get(self._url, params={"To": number}, auth=(SID, TOKEN), timeout=10)
        answer.raise_for_status()
        messages = sorted(answer.json()["messages"], key=lambda m: m["date_created"])
        return [Text(m["body"]) for m in messages]


@pytest.fixture
def system(tmp_path: Any, make_app: Any, clock: Any) -> Iterator[tuple[Any, str, Any]]:
    sms_app = create_sms_simulator({
        "SMS_SIM_DATABASE": str(tmp_path / "sms.sqlite"),
        "SMS_SIM_ACCOUNT_SID": SID,
        "SMS_SIM_AUTH_TOKEN": TOKEN,
        "SMS_SIM_INBOUND_URL": "http://127.0.0.1:9/webhooks/twilio/inbound",
        "SMS_SIM_BACKGROUND_DELIVERY": False,
    })  # fmt: skip
    (tmp_path / "northgate").mkdir()
    with running_simulator(tmp_path / "northgate", clock) as northgate, serving(sms_app) as sms_url:
        app = make_app(env={
            "HOUSING_API_URL": northgate.api_url,
            "HOUSING_API_KEY": API_KEY,
            "TWILIO_API_BASE_URL": sms_url,
            "TWILIO_ACCOUNT_SID": SID,
            "TWILIO_AUTH_TOKEN": TOKEN,
        })  # fmt: skip
        with serving(app) as portal_url:
            yield app, portal_url, SmsSimulatorInbox(sms_url)
    sms_app.extensions["sms_sim"].deliverer.stop()


def run_worker_pass(app: Any) -> None:
    with app.app_context():
        for job in worker_jobs(app):
            job.run()


def test_a_tenant_creates_an_account_reports_and_books_against_the_simulators(
    page: Any, system: tuple[Any, str, Any]
) -> None:
    app, base, inbox = system
    accounts.create_account(page, base, inbox)
    assert page.locator("h1").inner_text() == "Your account"
    assert "Mr Connor Hall" in page.content()  # read from the simulator's tenancy

    journey.report_a_blocked_sink(page, base)
    assert journey.heading(page) == "Choose a time for your appointment"
    journey.choose_first_slot(page)
    journey.click(page, "Book appointment")
    assert "Appointment booked" in page.locator(".govuk-panel").inner_text()
    reference = re.search(r"RR-[0-9A-Z]{6}", page.content()).group(0)

    run_worker_pass(app)  # the worker sends the confirmation through twilio
    texts = [text.body for text in inbox.sent_to(MOBILE)]
    assert any(reference in body for body in texts), texts

    page.goto(f"{base}/repairs/{reference}")
    assert_accessible(page)
    assert "Appointment booked for" in page.content()
