"""Assisted digital in Chromium, with axe on every page (R39-R43): a visitor at a terminal
reports and books without an account and the next visitor finds nothing; the idle warning and
wipe driven by the clock (never by sleeping); an advisor signs in with an authenticator code,
serves a tenant and books; staff and tenant pages kept apart; a stolen terminal token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.db.audit_store import AuditFilter
from adapters.db.tables.accounts import ServerSession
from adapters.housing.fake import FakeHousingBackend
from adapters.passwords import cheap_hasher_for_tests
from adapters.sms.fake import FakeSmsSender
from portal.staff import totp
from portal.terminal import device
from tests.support.browser import assert_accessible
from tests.web.staff.support import PASSWORD, make_staff
from tests.web.tracking.support import make_tenant, store_repair

pytestmark = pytest.mark.e2e


@pytest.fixture
def housing(clock: Any) -> FakeHousingBackend:
    return FakeHousingBackend(clock).seed_demo()


@pytest.fixture
def app(make_app: Any, clock: Any, housing: FakeHousingBackend) -> Any:
    return make_app(
        housing=housing,
        sms_sender=FakeSmsSender(clock),
        extras={"password_hasher": cheap_hasher_for_tests()},
    )


def registration_token(app: Any, name: str = "Civic Centre 1") -> str:
    context = app.extensions["staff"]
    boss = make_staff(app, "boss@council.example", "supervisor")
    token, hashed = device.new_token()
    now = context.clock.now()
    context.terminals.create(name, boss.id, hashed, now + timedelta(hours=1), now)
    return token


def click(page: Any, name: str, role: str = "button") -> None:
    page.get_by_role(role, name=name, exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)


def heading(page: Any) -> str:
    return str(page.locator("h1").inner_text())


def register_this_browser(page: Any, live_server: str, app: Any) -> None:
    page.goto(f"{live_server}/terminal/register/{registration_token(app)}")
    assert_accessible(page)
    click(page, "Register this terminal")
    assert heading(page) == "Report a repair to your council home"


def pass_the_tenancy_check(page: Any) -> None:
    click(page, "Start")
    click(page, "Report a repair or see your repairs")
    page.get_by_label("Tenancy reference").fill("TEN-100001")
    page.get_by_label("Postcode of your home").fill("NB1 2AB")
    page.get_by_label("Day").fill("14")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("1971")
    click(page, "Continue")


def report_a_blocked_sink(page: Any, continues: int) -> None:
    click(page, "Start now")
    for label in ("No, it is not an emergency", "Kitchen", "Sink or taps",
                  "The sink is blocked or drains slowly"):  # fmt: skip
        page.get_by_label(label, exact=True).check()
        click(page, "Continue")
    page.get_by_label("Describe the problem").fill("The kitchen sink drains very slowly")
    for _ in range(continues):
        click(page, "Continue")
    assert "Check your answers" in heading(page)
    click(page, "Send report")


def book_the_first_slot(page: Any) -> None:
    assert heading(page) == "Choose a time for your appointment"
    page.locator("input[name=slot]").first.check()
    click(page, "Continue")
    click(page, "Book appointment")
    assert "Appointment booked" in page.locator(".govuk-panel").inner_text()


def visit_rows(app: Any) -> list[str]:
    with app.extensions["services"].sessions() as db:
        return [row.data for row in db.scalars(sa.select(ServerSession))]


def test_a_visitor_at_a_terminal_reports_and_books_and_the_next_visitor_finds_nothing(
    app: Any, page: Any, live_server: str, clock: Any, housing: FakeHousingBackend
) -> None:
    register_this_browser(page, live_server, app)
    pass_the_tenancy_check(page)
    report_a_blocked_sink(page, continues=3)  # description, photos, access: no mobile asked
    book_the_first_slot(page)
    assert "We will text" not in page.content()  # R43: no proved mobile, no promise
    assert page.get_by_role("button", name="Print this page").is_visible()
    [job] = housing.jobs()
    assert job.appointment is not None
    reference = page.locator(".govuk-panel strong").inner_text()

    clock.advance(timedelta(minutes=5))  # R39: five idle minutes, by the clock
    page.reload()
    assert heading(page) == "Report a repair to your council home"
    assert_accessible(page)
    page.go_back()
    page.wait_for_load_state()
    assert heading(page) == "Report a repair to your council home"
    page.goto(live_server + "/repairs")
    assert reference not in page.content() and "TEN-100001" not in page.content()
    assert not any("acting_for" in data or "assisting" in data for data in visit_rows(app))


def test_the_terminal_warns_at_four_minutes_and_wipes_itself_at_five(
    app: Any, page: Any, live_server: str, clock: Any
) -> None:
    page.clock.install()
    register_this_browser(page, live_server, app)
    pass_the_tenancy_check(page)
    dialog = page.locator("#kiosk-idle")
    page.clock.fast_forward("03:50")
    assert not dialog.is_visible()
    page.clock.fast_forward("00:15")
    assert dialog.is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I need more time").click()
    assert not dialog.is_visible()
    clock.advance(timedelta(minutes=4))
    page.clock.fast_forward("05:01")
    page.wait_for_url(live_server + "/terminal/")
    assert heading(page) == "Report a repair to your council home"
    page.go_back()
    page.wait_for_load_state()
    assert heading(page) == "Report a repair to your council home"
    assert not any("assisting" in data for data in visit_rows(app))


def test_an_advisor_signs_in_with_a_code_serves_a_tenant_and_books(
    app: Any, page: Any, live_server: str, clock: Any, housing: FakeHousingBackend
) -> None:
    advisor = make_staff(app)
    ref = str(store_repair(app, housing))
    page.goto(live_server + "/staff/sign-in")
    assert_accessible(page)
    page.get_by_label("Work email address").fill(advisor.email)
    page.locator("#password").fill(PASSWORD)
    clock.advance(timedelta(seconds=30))
    page.get_by_label("Code from your authenticator app").fill(
        totp.code_at(advisor.secret, clock.now())
    )
    click(page, "Sign in")
    assert heading(page) == "Find a tenant"
    page.get_by_label("Tenancy reference").fill("TEN-100001")
    click(page, "Find tenancy")
    assert "Mr Connor Hall" in page.content()
    page.get_by_label("Photo ID (passport, driving licence or council ID card)").check()
    page.get_by_label("At my desk").check()
    page.get_by_label("The tenant agrees to me using the service for them").check()
    click(page, "Start helping")
    assert "You are helping Mr Connor Hall (tenancy TEN-100001)" in page.content()
    click(page, "See their repairs, and book, change or cancel appointments", role="link")
    assert ref in page.content()
    page.goto(f"{live_server}/repairs/{ref}")
    assert_accessible(page)
    click(page, "Book an appointment")
    book_the_first_slot(page)

    rows = app.extensions["staff"].audit.newest(AuditFilter(tenancy_ref="TEN-100001"))
    booked = next(r for r in rows if r.action == "appointment.booked")
    assert (booked.staff_id, booked.channel, booked.place, booked.identity_check,
            booked.consent_given, booked.subject) == (
        advisor.id, "assisted", "desk", "photo_id", True, ref)  # fmt: skip
    page.goto(f"{live_server}/repairs/{ref}")
    assert "with help from customer services" in page.content().lower()
    assert advisor.email not in page.content()
    click(page, "Finish helping")
    assert heading(page) == "Find a tenant"


def test_a_tenant_cannot_open_staff_pages_and_an_advisor_only_the_tenancy_served(
    app: Any, page: Any, browser: Any, live_server: str, clock: Any, housing: FakeHousingBackend
) -> None:
    make_tenant(app)
    theirs = str(store_repair(app, housing, tenancy="TEN-100002"))
    page.goto(live_server + "/sign-in")
    page.locator("#sign_in_name").fill("tenant@example.com")
    page.locator("#password").fill("kettle orchard window")
    click(page, "Sign in")
    staff_urls = ["/staff/", "/staff/queue", "/staff/serving", "/staff/check",
                  "/staff/terminals", "/staff/audit", "/staff/measures",
                  f"/staff/serving/repairs/{theirs}"]  # fmt: skip
    for path in staff_urls:
        page.goto(live_server + path)
        assert "/staff/sign-in" in page.url, path
    advisor = make_staff(app)
    staff = browser.new_context()
    staff_page = staff.new_page()
    staff_page.goto(live_server + "/staff/sign-in")
    staff_page.get_by_label("Work email address").fill(advisor.email)
    staff_page.locator("#password").fill(PASSWORD)
    clock.advance(timedelta(seconds=30))
    code = totp.code_at(advisor.secret, clock.now())
    staff_page.get_by_label("Code from your authenticator app").fill(code)
    click(staff_page, "Sign in")
    staff_page.get_by_label("Tenancy reference").fill("TEN-100001")
    click(staff_page, "Find tenancy")
    staff_page.get_by_label("Photo ID (passport, driving licence or council ID card)").check()
    staff_page.get_by_label("At my desk").check()
    staff_page.get_by_label("The tenant agrees to me using the service for them").check()
    click(staff_page, "Start helping")
    for path in [f"/repairs/{theirs}", f"/repairs/{theirs}/book", f"/repairs/{theirs}/cancel",
                 f"/staff/serving/repairs/{theirs}"]:  # fmt: skip
        response = staff_page.goto(live_server + path)
        assert response.status == 404, path
        assert_accessible(staff_page)
    staff.close()


def test_a_stolen_terminal_token_gets_nothing_in_another_browser(
    app: Any, page: Any, browser: Any, live_server: str
) -> None:
    register_this_browser(page, live_server, app)
    [cookie] = [c for c in page.context.cookies() if c["name"] == "terminal"]
    thief = browser.new_context(user_agent="Mozilla/5.0 (X11; Linux x86_64) Thief/1.0")
    thief.add_cookies([cookie])
    stolen = thief.new_page()
    assert stolen.goto(live_server + "/terminal/").status == 404
    assert_accessible(stolen)
    stolen.goto(live_server + "/")
    assert "Ask for help" not in stolen.content() and "Finish and clear" not in stolen.content()
    assert stolen.goto(live_server + "/terminal/tenancy-check").status == 404
    thief.close()
    page.goto(live_server + "/terminal/")
    assert heading(page) == "Report a repair to your council home"  # the kiosk carries on
