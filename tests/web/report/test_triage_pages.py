"""The start and the triage questions (R13-R16): one question a page, exits that create no job,
answers kept for the back button, tampered answers refused with 400."""

from datetime import date

import pytest
from sqlalchemy import func, select

from adapters.db.tables.repairs import RepairRow
from repairs.ports import Tenure
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.report.support import answer, start, triage

pytestmark = pytest.mark.web


def repairs_stored(app) -> int:
    with app.extensions["services"].sessions() as session:
        return session.scalar(select(func.count()).select_from(RepairRow))


def test_reporting_needs_a_signed_in_tenant(client):
    response = client.get("/report/")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_the_start_page_warns_about_gas_first(tenant):
    page = tenant.get("/report/")
    assert_good_page(page)
    assert "0800 111 999" in page.text


def test_starting_asks_whether_it_is_an_emergency_first(tenant):
    response = start(tenant)
    assert response.headers["Location"].endswith("/report/emergency")
    page = tenant.get("/report/emergency")
    assert_good_page(page)
    assert "Is this an emergency?" in page.text
    assert "I can smell gas" in page.text


def test_a_gas_smell_stops_the_journey_with_the_national_number(tenant, app, housing):
    # R13: never a job; the National Gas Emergency Service and our out-of-hours number.
    start(tenant)
    response = answer(tenant, "/report/emergency", "gas")
    assert response.headers["Location"].endswith("/report/gas")
    page = tenant.get("/report/gas")
    assert_good_page(page)
    assert "0800 111 999" in page.text and "0300 123 9999" in page.text
    assert tenant.get("/report/where").headers["Location"].endswith("/report/gas")
    assert housing.jobs() == [] and repairs_stored(app) == 0


def test_an_emergency_goes_to_phone_us_now(tenant, app):
    # R14: no booking; day and out-of-hours numbers.
    start(tenant)
    response = answer(tenant, "/report/emergency", "emergency")
    assert response.headers["Location"].endswith("/report/emergency-call")
    page = tenant.get("/report/emergency-call")
    assert_good_page(page)
    assert "0300 123 4567" in page.text and "0300 123 9999" in page.text
    assert repairs_stored(app) == 0


def test_an_emergency_found_by_the_questions_says_what_the_tenant_told_us(tenant, app):
    start(tenant)
    response = triage(tenant, "electrics", "water_on_electrics")
    assert response.headers["Location"].endswith("/report/emergency-call")
    page = tenant.get("/report/emergency-call")
    assert "water is leaking onto electrics" in page.text
    assert tenant.get("/report/description").headers["Location"].endswith("/emergency-call")
    assert repairs_stored(app) == 0


def test_gas_under_heating_is_the_gas_exit_too(tenant):
    start(tenant)
    response = triage(tenant, "heating", "gas_smell")
    assert response.headers["Location"].endswith("/report/gas")


def test_a_communal_problem_says_what_to_do_instead(tenant, app):
    # R15: nothing is silently accepted.
    start(tenant)
    response = triage(tenant, "outside", "shared_areas")
    assert response.headers["Location"].endswith("/report/cannot-report-online")
    page = tenant.get("/report/cannot-report-online")
    assert_good_page(page)
    assert "Report problems in shared areas by phone" in page.text
    assert repairs_stored(app) == 0


def test_a_leaseholder_is_told_to_call_instead(tenant, housing):
    # R15: the tenancy, not the tree, says leaseholder.
    housing.add_tenancy(
        "TEN-100001",
        postcode="NB1 2AB",
        date_of_birth=date(1971, 3, 14),
        tenure=Tenure.LEASEHOLD,
        property_ref="00200001",
    )
    response = start(tenant)
    assert response.headers["Location"].endswith("/report/leaseholders")
    assert_good_page(tenant.get("/report/leaseholders"))


def test_a_home_the_council_does_not_maintain_cannot_be_reported_online(tenant, housing):
    # R17.
    housing.add_tenancy(
        "TEN-100001",
        postcode="NB1 2AB",
        date_of_birth=date(1971, 3, 14),
        maintainable=False,
        property_ref="00200001",
    )
    response = start(tenant)
    assert response.headers["Location"].endswith("/report/not-online")
    assert_good_page(tenant.get("/report/not-online"))


def test_when_the_tenancy_cannot_be_checked_the_tenant_is_told_to_try_later(tenant, housing):
    housing.go_down()
    response = start(tenant)
    assert response.status_code == 503
    assert_good_page(response)
    assert "cannot check your tenancy details" in response.text


def test_each_question_is_a_good_page_with_its_choices(tenant):
    start(tenant)
    answer(tenant, "/report/emergency", "no")
    where = tenant.get("/report/where")
    assert_good_page(where)
    for label in ("Kitchen", "Bathroom or toilet", "Damp or mould", "Electrics, lights or alarms"):
        assert label in where.text
    answer(tenant, "/report/where", "kitchen")
    problem = tenant.get("/report/problem")
    assert_good_page(problem)
    assert "Sink or taps" in problem.text
    answer(tenant, "/report/problem", "sink_and_taps")
    detail = tenant.get("/report/detail")
    assert_good_page(detail)
    assert "The sink is blocked or drains slowly" in detail.text


def test_no_answer_is_an_error_message_not_a_failure(tenant):
    start(tenant)
    answer(tenant, "/report/emergency", "no")
    response = submit(tenant, "/report/where", {})
    assert response.status_code == 200
    assert_good_page(response)
    assert "<title>Error: " in response.text
    assert 'href="#answer">Select where the problem is' in response.text


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("/report/emergency", "maybe"),
        ("/report/where", "attic"),
        ("/report/problem", "shared_areas"),  # a real problem, but not in the kitchen
        ("/report/detail", "PL0101"),
    ],
)
def test_an_answer_the_page_never_offered_is_a_400(tenant, url, value):
    start(tenant)
    answer(tenant, "/report/emergency", "no")
    answer(tenant, "/report/where", "kitchen")
    answer(tenant, "/report/problem", "sink_and_taps")
    response = answer(tenant, url, value)
    assert response.status_code == 400
    assert_good_page(response)


def test_a_question_asked_out_of_turn_sends_the_tenant_back_to_the_first_unanswered(tenant):
    start(tenant)
    assert tenant.get("/report/detail").headers["Location"].endswith("/report/emergency")
    answer(tenant, "/report/emergency", "no")
    assert tenant.get("/report/check").headers["Location"].endswith("/report/where")


def test_without_a_report_started_the_questions_go_to_the_start(tenant):
    assert tenant.get("/report/where").headers["Location"].endswith("/report/")


def test_going_back_shows_the_answers_already_given(tenant):
    start(tenant)
    triage(tenant, "kitchen", "sink_and_taps", "tap_stuck")
    page = tenant.get("/report/detail")
    assert 'value="tap_stuck" checked' in page.text
    assert 'href="/report/problem"' in page.text  # the back link
    assert 'value="kitchen" checked' in tenant.get("/report/where").text


def test_a_problem_without_details_skips_the_detail_question(tenant):
    start(tenant)
    response = triage(tenant, "kitchen", "kitchen_fan")
    assert response.headers["Location"].endswith("/report/description")
    assert tenant.get("/report/detail").headers["Location"].endswith("/report/description")


def test_choosing_another_place_forgets_the_problem_chosen_for_the_old_one(tenant):
    start(tenant)
    triage(tenant, "kitchen", "sink_and_taps", "sink_blocked")
    answer(tenant, "/report/where", "bathroom")
    assert tenant.get("/report/description").headers["Location"].endswith("/report/problem")
