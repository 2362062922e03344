"""Submitting exactly once (R11, R44): at once to the slot page when the housing system answers,
to a page saying what happens next when it does not, and never two repairs from one report."""

import pytest
from sqlalchemy import func, select

from adapters.db.tables.repairs import RepairRow
from tests.support.forms import csrf_token_from
from tests.support.page_checker import assert_good_page
from tests.web.report.support import send, start, to_check_answers

pytestmark = pytest.mark.web


def stored(app) -> list[RepairRow]:
    with app.extensions["services"].sessions() as session:
        return list(session.scalars(select(RepairRow)))


def test_a_report_the_housing_system_takes_goes_straight_to_choosing_a_slot(tenant, app, housing):
    to_check_answers(tenant)
    response = send(tenant)
    [repair] = stored(app)
    assert response.headers["Location"].endswith(f"/repairs/{repair.reference}/book")
    [job] = housing.jobs()
    assert repair.job_number == job.job_number.value
    assert job.external_ref == repair.submission_id  # the EXT_REF idempotency key
    assert (repair.channel, repair.actor_kind, repair.contact_mobile) == (
        "online",
        "tenant",
        "+447700900123",
    )
    assert repair.reported_at == app.extensions["services"].clock.now()  # R11


def test_pressing_send_twice_makes_one_repair(tenant, app, housing):
    to_check_answers(tenant)
    token = csrf_token_from(tenant.get("/report/check").text)
    first = tenant.post("/report/submit", data={"csrf_token": token})
    second = tenant.post("/report/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/report/confirmation")
    assert len(stored(app)) == 1 and len(housing.jobs()) == 1


def test_going_back_after_sending_shows_the_confirmation_not_the_form(tenant, app):
    to_check_answers(tenant)
    send(tenant)
    assert tenant.get("/report/check").headers["Location"].endswith("/report/confirmation")
    assert tenant.get("/report/description").headers["Location"].endswith("/confirmation")
    page = tenant.get("/report/confirmation")
    assert_good_page(page)
    assert stored(app)[0].reference in page.text


def test_when_the_housing_system_is_down_the_tenant_gets_a_reference_and_what_happens_next(
    tenant, app, housing
):
    to_check_answers(tenant)
    housing.go_down()
    response = send(tenant)
    assert response.headers["Location"].endswith("/report/confirmation")
    page = tenant.get("/report/confirmation")
    assert_good_page(page)
    [repair] = stored(app)
    assert repair.reference in page.text and repair.job_number is None
    assert "could not reach our repairs system" in page.text
    assert "We will text you at 07700 900123" in page.text
    assert "Friday 27 November" in page.text  # the expectation, after submitting too


def test_the_tenancy_snapshot_lets_a_report_through_while_the_backend_is_down(tenant, app, housing):
    # The tenancy was read once while the backend was up; it is down for this report.
    start(tenant)
    housing.go_down()
    to_check_answers(tenant)
    send(tenant)
    assert len(stored(app)) == 1


def test_a_damp_and_mould_report_gets_its_own_page_and_no_slot_choice(tenant, app, housing):
    # R9: an Awaab's Law case, raised but never booked as an ordinary routine job.
    to_check_answers(tenant, {"location": "damp_and_mould", "problem": "mould"})
    response = send(tenant)
    assert response.headers["Location"].endswith("/report/confirmation")
    page = tenant.get("/report/confirmation")
    assert_good_page(page)
    assert "Damp and mould reported" in page.text
    assert "Tuesday 8 December" in page.text
    assert "Choose an appointment" not in page.text
    [job] = housing.jobs()
    assert job.priority.value == "damp_and_mould" and job.sor_code == "DM0701"
    assert stored(app)[0].awaabs_law_case


def test_reporting_another_repair_starts_a_fresh_report(tenant, app):
    to_check_answers(tenant)
    send(tenant)
    to_check_answers(tenant, description="Second problem")
    send(tenant)
    repairs = stored(app)
    assert len(repairs) == 2 and repairs[0].submission_id != repairs[1].submission_id


def test_the_confirmation_without_a_sent_report_goes_to_the_start(tenant):
    assert tenant.get("/report/confirmation").headers["Location"].endswith("/report/")


def test_sending_an_unfinished_report_is_refused(tenant, app):
    start(tenant)
    token = csrf_token_from(tenant.get("/report/emergency").text)
    response = tenant.post("/report/submit", data={"csrf_token": token})
    assert response.status_code == 400
    assert stored(app) == []


def test_sending_without_the_csrf_token_is_refused(tenant, app):
    to_check_answers(tenant)
    response = tenant.post("/report/submit", data={})
    assert response.status_code == 400
    assert stored(app) == []


def test_a_staff_member_acting_for_the_tenant_makes_an_assisted_repair(tenant, app):
    # R41, R44: the acting staff id is recorded and the channel is assisted.
    with tenant.session_transaction() as session:
        session["acting_for"] = {
            "tenancy_ref": "TEN-100001",
            "actor": "staff-17",
            "since": "2026-11-24T10:00:00+00:00",
        }
    to_check_answers(tenant)
    send(tenant)
    [repair] = stored(app)
    assert (repair.channel, repair.actor_kind, repair.staff_id) == ("assisted", "staff", "staff-17")


def test_nothing_becomes_a_repair_until_the_report_is_sent(tenant, app):
    to_check_answers(tenant)
    with app.extensions["services"].sessions() as session:
        assert session.scalar(select(func.count()).select_from(RepairRow)) == 0
