"""My Account in Chromium: create an account with the seeded tenancy, prove the mobile with the
code the fake sender received, sign out, sign in, time out; axe on every page."""

import re
from datetime import timedelta

import pytest

from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender
from tests.support.browser import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "kettle orchard window"


@pytest.fixture
def sms(clock):
    return FakeSmsSender(clock)


@pytest.fixture
def app(make_app, clock, sms):
    return make_app(
        housing=FakeHousingBackend(clock).seed_demo(),
        sms_sender=sms,
        extras={"password_hasher": cheap_hasher_for_tests()},
    )


def _code(sms):
    return re.search(r"\b(\d{6})\b", sms.sent_to("+447700900123")[-1].body).group(1)


def _continue(page, button="Continue", axe=True):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()
    if axe:
        assert_accessible(page)


def create_account(page, base, sms, axe=True):
    """axe=False for a browser without JavaScript, where axe cannot run."""
    page.goto(base + "/create-account")
    if axe:
        assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    if axe:
        assert_accessible(page)
    page.get_by_label("What is your tenancy reference?").fill("ten-100001")
    _continue(page, axe=axe)
    page.get_by_label("What is the postcode of your home?").fill("nb1 2ab")
    _continue(page, axe=axe)
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1971")
    _continue(page, axe=axe)
    page.get_by_role("textbox").fill("tenant@example.com")
    _continue(page, axe=axe)
    page.get_by_role("textbox").fill("07700 900123")
    _continue(page, axe=axe)
    assert "Check your phone" in page.locator("h1").inner_text()
    page.get_by_label("Security code").fill(_code(sms))
    _continue(page, axe=axe)
    page.get_by_label("Create a password").fill(PASSWORD)
    _continue(page, axe=axe)
    assert "Check your answers" in page.locator("h1").inner_text()
    _continue(page, "Create account", axe=axe)


def test_create_sign_out_sign_in_and_time_out_with_axe_on_every_page(page, live_server, sms, clock):
    create_account(page, live_server, sms)
    assert page.locator("h1").inner_text() == "Your account"
    assert "Mr Connor Hall" in page.content()
    assert "Your account has been created" in page.content()

    page.get_by_role("link", name="Sign out").click()
    assert_accessible(page)
    _continue(page, "Sign out")
    assert page.locator("h1").inner_text() == "You have signed out"
    assert page.context.cookies() == []  # Clear-Site-Data, and the row is gone

    page.get_by_role("link", name="Sign in again").click()
    page.wait_for_url("**/sign-in**")
    assert_accessible(page)
    page.get_by_label("Email address or mobile phone number").fill("tenant@example.com")
    page.get_by_label("Password", exact=True).fill("wrong password here")
    _continue(page, "Sign in")
    assert page.title().startswith("Error: ")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    _continue(page, "Sign in")
    assert page.locator("h1").inner_text() == "Your account"

    clock.advance(timedelta(minutes=31))
    page.reload()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "You have been signed out"
    assert_accessible(page)


def test_the_timeout_dialog_warns_two_minutes_before_and_extends_in_one_click(
    page, live_server, sms
):
    page.clock.install()
    create_account(page, live_server, sms)
    dialog = page.locator("#app-session-dialog")
    assert not dialog.is_visible()
    page.clock.run_for("28:01")
    assert dialog.is_visible()
    assert_accessible(page)
    with page.expect_response("**/session/extend") as extended:
        page.get_by_role("button", name="Stay signed in").click()
    assert extended.value.json()["expires_in"] == 1800
    assert not dialog.is_visible()
    page.clock.run_for("27:00")
    assert page.locator("h1").inner_text() == "Your account"


def test_the_dashboard_fits_a_320_pixel_screen_and_keeps_nothing_in_browser_storage(
    browser, live_server, sms
):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    create_account(page, live_server, sms)
    assert page.locator("h1").inner_text() == "Your account"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    storage = "Object.keys(localStorage).length + Object.keys(sessionStorage).length"
    assert page.evaluate(storage) == 0  # R40
    context.close()


def test_an_account_can_be_created_and_used_without_javascript(browser, live_server, sms):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    create_account(page, live_server, sms, axe=False)
    assert page.locator("h1").inner_text() == "Your account"
    page.get_by_role("link", name="Sign out").click()
    page.get_by_role("button", name="Sign out").click()
    assert page.locator("h1").inner_text() == "You have signed out"
    context.close()
