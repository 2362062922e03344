"""Reporting a repair in Chromium, with axe on every page: a bookable repair from the start to
choosing a slot, the gas and emergency exits, a report made while the housing system is down
and raised later by the worker, without JavaScript, and by keyboard alone (Tab, Space, Enter,
and the arrow keys that move within a radio group, which browsers make one tab stop)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from adapters.db.accounts import NewAccount, SqlAccounts
from adapters.db.tables.messages import SmsMessage
from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "kettle orchard window"


@pytest.fixture
def housing(clock):
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def app(make_app, clock, housing):
    app = make_app(
        housing=housing,
        sms_sender=FakeSmsSender(clock),
        extras={"password_hasher": cheap_hasher_for_tests()},
    )
    services = app.extensions["services"]
    SqlAccounts(services.sessions).create(
        NewAccount(
            sign_in_name="tenant@example.com",
            password_hash=services.extras["password_hasher"].hash(PASSWORD),
            tenancy_ref="TEN-100001",
            tenant_name="Mr Connor Hall",
            address="Flat 3\n12 Alder Court\nNorthbridge",
            mobile="+447700900123",
            mobile_verified_at=clock.now(),
        ),
        clock.now(),
    )
    return app


def sign_in(page, live_server):
    page.goto(live_server + "/sign-in")
    page.locator("#sign_in_name").fill("tenant@example.com")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.goto(live_server + "/report/")
    if id(page) not in NO_SCRIPT:
        assert_accessible(page)
    return page


@pytest.fixture
def tenant_page(page, live_server):
    return sign_in(page, live_server)


# Pages opened without JavaScript: axe itself needs it, and every page is checked with it on.
NO_SCRIPT: set[int] = set()


def go_on(page, button="Continue"):
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    if id(page) not in NO_SCRIPT:
        assert_accessible(page)


def choose(page, label, button="Continue"):
    page.get_by_label(label, exact=True).check()
    go_on(page, button)


def heading(page):
    return page.locator("h1").inner_text()


def report_sink(page):
    go_on(page, "Start now")
    assert "Is this an emergency?" in heading(page)
    choose(page, "No, it is not an emergency")
    choose(page, "Kitchen")
    choose(page, "Sink or taps")
    choose(page, "The sink is blocked or drains slowly")
    page.get_by_label("Describe the problem").fill("The kitchen sink drains very slowly")
    go_on(page)
    assert "Add photos" in heading(page)
    go_on(page)
    page.get_by_role("textbox").fill("Please ring twice, the bell is quiet")
    go_on(page)
    assert page.get_by_role("textbox").input_value() == "07700 900123"  # from the account
    go_on(page)
    assert "Check your answers" in heading(page)
    assert "We aim to fix this by Friday 27 November" in page.content()


def test_a_tenant_reports_a_bookable_repair_and_goes_on_to_choose_a_slot(tenant_page, housing):
    report_sink(tenant_page)
    go_on(tenant_page, "Send report")
    [job] = housing.jobs()
    assert "/book" in tenant_page.url
    assert job.description == "The kitchen sink drains very slowly"


def test_the_report_works_without_javascript(browser, live_server, housing):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    NO_SCRIPT.add(id(page))
    sign_in(page, live_server)
    report_sink(page)
    go_on(page, "Send report")
    assert len(housing.jobs()) == 1
    context.close()


def test_a_gas_smell_ends_the_journey_with_the_national_number(tenant_page, housing):
    go_on(tenant_page, "Start now")
    choose(tenant_page, "I can smell gas or my carbon monoxide alarm is going off")
    assert "gas emergency number" in heading(tenant_page)
    assert "0800 111 999" in tenant_page.content()
    assert housing.jobs() == []


def test_an_emergency_ends_the_journey_with_phone_numbers(tenant_page, housing):
    go_on(tenant_page, "Start now")
    choose(tenant_page, "Yes, it is an emergency")
    assert "Call us now" in heading(tenant_page)
    tenant_page.get_by_role("link", name="Back", exact=True).click()
    assert "Is this an emergency?" in heading(tenant_page)
    choose(tenant_page, "No, it is not an emergency")
    choose(tenant_page, "Electrics, lights or alarms")
    choose(tenant_page, "Bare wires, or a socket or switch that is burnt, sparking or hot")
    assert "Call us now" in heading(tenant_page)
    assert "exposed wires" in tenant_page.content()
    assert housing.jobs() == []


def test_a_report_made_while_the_housing_system_is_down_is_raised_later(
    tenant_page, app, housing, clock, live_server
):
    report_sink(tenant_page)
    housing.go_down()
    go_on(tenant_page, "Send report")
    assert "Repair reported" in heading(tenant_page)
    assert "could not reach our repairs system" in tenant_page.content()
    reference = tenant_page.locator(".govuk-panel strong").inner_text()
    assert housing.jobs() == []

    housing.come_back()
    clock.advance(timedelta(minutes=2))
    relay = app.extensions["report"].service
    relay.relay_outbox("e2e-worker")
    relay.relay_outbox("e2e-worker")
    [job] = housing.jobs()
    assert job.external_ref is not None
    with app.extensions["services"].sessions() as session:
        kinds = sorted(
            session.scalars(select(SmsMessage.kind).where(SmsMessage.repair_ref == reference))
        )
    assert kinds == ["book_later", "book_repair"]

    tenant_page.goto(f"{live_server}/repairs/{reference}")
    assert_accessible(tenant_page)
    assert reference in tenant_page.content()


def test_the_whole_report_can_be_made_with_the_keyboard_alone(tenant_page, housing):
    keys = Keyboard(tenant_page)
    keys.activate("Start now")
    keys.pick("No, it is not an emergency")
    keys.pick("Kitchen")
    keys.pick("Sink or taps")
    keys.pick("The sink is blocked or drains slowly")
    keys.type_into("description", "The kitchen sink drains very slowly")
    keys.activate("Continue")
    keys.activate("Continue")  # no photos
    keys.activate("Continue")  # nothing about getting in
    keys.activate("Continue")  # the account's mobile
    assert "Check your answers" in heading(tenant_page)
    keys.activate("Send report")
    assert len(housing.jobs()) == 1


class Keyboard:
    """Moves with Tab (and the arrow keys inside a radio group), chooses with Space and
    submits with Enter, as a keyboard user does; never the mouse. Fails if a control cannot
    be reached."""

    MAX_TABS = 60

    def __init__(self, page):
        self.page = page

    def _focused_text(self):
        return self.page.evaluate(
            """() => { const el = document.activeElement;
              if (!el) return '';
              const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
              return (label || el.innerText || el.value || el.id || '').trim(); }"""
        )

    def tab_to(self, text):
        for _ in range(self.MAX_TABS):
            self.page.keyboard.press("Tab")
            if self._focused_text() == text:
                return
        raise AssertionError(f"could not reach {text!r} with Tab on {self.page.url}")

    def tab_to_id(self, element_id):
        for _ in range(self.MAX_TABS):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("() => document.activeElement.id") == element_id:
                return
        raise AssertionError(f"could not reach #{element_id} with Tab on {self.page.url}")

    def activate(self, text):
        self.tab_to(text)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")
        assert_accessible(self.page)

    def pick(self, label):
        """Browsers make a radio group one tab stop, so Tab reaches the group and the arrow
        keys move within it (the standard keyboard pattern for radios); Space checks."""
        self._tab_to_radio_group()
        for _ in range(self.MAX_TABS):
            if self._focused_text() == label:
                break
            self.page.keyboard.press("ArrowDown")
        else:
            raise AssertionError(f"no radio {label!r} in the group on {self.page.url}")
        self.page.keyboard.press("Space")
        assert self.page.get_by_label(label, exact=True).is_checked()
        self.activate("Continue")

    def _tab_to_radio_group(self):
        for _ in range(self.MAX_TABS):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("() => document.activeElement.type") == "radio":
                return
        raise AssertionError(f"could not reach the radios with Tab on {self.page.url}")

    def type_into(self, element_id, text):
        self.tab_to_id(element_id)
        self.page.keyboard.type(text)
