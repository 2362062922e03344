"""Booking and tracking in Chromium, with axe on every page: book a slot after reporting,
change and cancel it, follow the job to completion and answer the survey, and choose a slot
without JavaScript and on a 320 px screen (R20-R23, R44-R47)."""

from __future__ import annotations

from typing import Any

import pytest

from adapters.db.accounts import NewAccount, SqlAccounts
from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender
from portal.tracking.worker import tracking_worker_jobs
from repairs.statuses import BackendStatus as S
from tests.support.browser import assert_accessible
from tests.web.tracking.support import job_of, store_repair

pytestmark = pytest.mark.e2e

PASSWORD = "kettle orchard window"


@pytest.fixture
def housing(clock: Any) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def app(make_app: Any, clock: Any, housing: FakeHousingBackend) -> Any:
    app = make_app(housing=housing, sms_sender=FakeSmsSender(clock),
                   extras={"password_hasher": cheap_hasher_for_tests()})  # fmt: skip
    services = app.extensions["services"]
    SqlAccounts(services.sessions).create(
        NewAccount(
            "tenant@example.com",
            services.extras["password_hasher"].hash(PASSWORD),
            "TEN-100001",
            "Mr Connor Hall",
            "Flat 3\n12 Alder Court\nNorthbridge",
            "+447700900123",
            clock.now(),
        ),  # fmt: skip
        clock.now(),
    )
    return app


def sign_in(page: Any, live_server: str) -> Any:
    page.goto(live_server + "/sign-in")
    page.locator("#sign_in_name").fill("tenant@example.com")
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


def click(page: Any, name: str, role: str = "button", *, axe: bool = True) -> None:
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state()
    if axe:  # axe runs as JavaScript: not in a page that has it switched off
        assert_accessible(page)


def heading(page: Any) -> str:
    return str(page.locator("h1").inner_text())


def choose_first_slot(page: Any, *, axe: bool = True) -> str:
    first = page.locator("input[name=slot]").first
    label = page.locator(f"label[for={first.get_attribute('id')}]").inner_text()
    first.check()
    click(page, "Continue", axe=axe)
    assert heading(page) == "Check your appointment"
    return str(label)


def report_a_blocked_sink(page: Any, live_server: str) -> None:
    page.goto(live_server + "/report/")
    assert_accessible(page)
    click(page, "Start now")
    for label in ("No, it is not an emergency", "Kitchen", "Sink or taps",
                  "The sink is blocked or drains slowly"):  # fmt: skip
        page.get_by_label(label, exact=True).check()
        click(page, "Continue")
    page.get_by_label("Describe the problem").fill("The kitchen sink drains very slowly")
    for _ in range(4):  # description, photos, access notes, mobile
        click(page, "Continue")
    assert "Check your answers" in heading(page)
    click(page, "Send report")


def pull_feed(app: Any) -> None:
    tracking_worker_jobs(app)[0].run()


def test_a_tenant_reports_a_repair_then_books_a_slot(
    page: Any, live_server: str, housing: FakeHousingBackend
) -> None:
    sign_in(page, live_server)
    report_a_blocked_sink(page, live_server)
    assert heading(page) == "Choose a time for your appointment"
    choose_first_slot(page)
    assert "Wednesday 25 November" in page.content()
    click(page, "Book appointment")
    assert "Appointment booked" in page.locator(".govuk-panel").inner_text()
    [job] = housing.jobs()
    assert job.appointment is not None
    click(page, "View this repair", role="link")
    assert "Wednesday 25 November" in page.content()
    assert "Appointment booked for" in page.content()


def test_a_tenant_changes_and_then_cancels_the_appointment(
    app: Any, page: Any, live_server: str, housing: FakeHousingBackend
) -> None:
    ref = store_repair(app, housing)
    sign_in(page, live_server)
    page.goto(f"{live_server}/repairs/{ref}/book")
    assert_accessible(page)
    choose_first_slot(page)
    click(page, "Book appointment")
    page.goto(f"{live_server}/repairs/{ref}")
    assert_accessible(page)
    click(page, "Change the appointment", role="link")
    assert heading(page) == "Choose a new time for your appointment"
    page.locator("input[name=slot]").nth(3).check()
    click(page, "Continue")
    click(page, "Change appointment")
    assert "Appointment changed" in page.locator(".govuk-panel").inner_text()
    moved = housing.jobs()[0].appointment
    click(page, "View this repair", role="link")
    click(page, "Cancel the appointment", role="link")
    assert "does not cancel your repair" in page.content()
    click(page, "Cancel appointment")
    assert "Appointment cancelled" in page.locator(".govuk-panel").inner_text()
    assert moved is not None and housing.jobs()[0].appointment is None
    click(page, "View this repair", role="link")
    assert "Appointment changed to" in page.content() and "cancelled" in page.content()


def test_a_tenant_follows_the_job_to_completion_and_answers_the_survey(
    app: Any, page: Any, live_server: str, housing: FakeHousingBackend
) -> None:
    ref = store_repair(app, housing)
    job = job_of(app, ref)
    sign_in(page, live_server)
    page.goto(f"{live_server}/repairs")
    assert_accessible(page)
    for status, words in ((S.ISSUED, "With a repairs team"), (S.IN_PROGRESS, "Work started"),
                          (S.COMPLETED, "Job closed as completed")):  # fmt: skip
        housing.set_status(job, status)
        pull_feed(app)
        page.goto(f"{live_server}/repairs/{ref}")
        assert_accessible(page)
        assert words in page.content()
    click(page, "Answer one question about this repair", role="link")
    page.get_by_label("Satisfied", exact=True).check()
    page.get_by_label("Tell us more (optional)").fill("Quick and tidy")
    click(page, "Send")
    assert "Thank you for your feedback" in heading(page)
    page.goto(f"{live_server}/repairs")
    assert_accessible(page)
    assert "Past repairs" in page.content()


def test_the_slot_page_works_without_javascript(
    app: Any, browser: Any, live_server: str, housing: FakeHousingBackend
) -> None:
    ref = store_repair(app, housing)
    context = browser.new_context(java_script_enabled=False)
    page = sign_in(context.new_page(), live_server)
    page.goto(f"{live_server}/repairs/{ref}/book")
    page.get_by_role("link", name="Later dates").click()
    assert "Monday 30 November" in page.content()
    choose_first_slot(page, axe=False)
    click(page, "Book appointment", axe=False)
    assert "Appointment booked" in page.content()
    assert housing.jobs()[0].appointment is not None
    context.close()


def test_the_slot_page_fits_a_320_pixel_screen(
    app: Any, browser: Any, live_server: str, housing: FakeHousingBackend
) -> None:
    ref = store_repair(app, housing)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = sign_in(context.new_page(), live_server)
    for path in (f"/repairs/{ref}/book", f"/repairs/{ref}/book/check?slot=2026-11-25-am",
                 "/repairs", f"/repairs/{ref}"):  # fmt: skip
        page.goto(live_server + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        assert_accessible(page)
    context.close()
