"""Description (R18), getting in (R27), mobile (R26) and check your answers with the service
expectation (R8), including 'Change' links that come back to the check page."""

import pytest

from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.report.support import answer, start, to_check_answers, triage

pytestmark = pytest.mark.web


@pytest.fixture
def at_description(tenant):
    start(tenant)
    triage(tenant, "kitchen", "sink_and_taps", "sink_blocked")
    return tenant


def test_the_description_page_counts_characters_even_without_javascript(at_description):
    page = at_description.get("/report/description")
    assert_good_page(page)
    assert 'data-maxlength="255"' in page.text
    assert "You can enter up to 255 characters" in page.text  # the no-JavaScript hint


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "Describe the problem"),
        ("   ", "Describe the problem"),
        ("x" * 256, "Description must be 255 characters or less"),
    ],
)
def test_the_description_is_required_and_at_most_255_characters(at_description, text, error):
    # R18: checked on the server whatever the browser does.
    response = submit(at_description, "/report/description", {"description": text})
    assert response.status_code == 200
    assert_good_page(response)
    assert error in response.text and "<title>Error: " in response.text


def test_a_description_of_exactly_255_characters_is_accepted(at_description):
    response = submit(at_description, "/report/description", {"description": "y" * 255})
    assert response.headers["Location"].endswith("/report/photos")


def test_access_notes_are_optional_and_promised_never_to_be_texted(at_description):
    submit(at_description, "/report/description", {"description": "Sink will not drain"})
    submit(at_description, "/report/photos", {"action": "continue"})
    page = at_description.get("/report/access")
    assert_good_page(page)
    assert "never put it in a text message" in page.text  # R27
    response = submit(at_description, "/report/access", {"access_notes": ""})
    assert response.headers["Location"].endswith("/report/contact")
    too_long = submit(at_description, "/report/access", {"access_notes": "k" * 256})
    assert "255 characters or less" in too_long.text


def test_the_mobile_is_prefilled_from_the_account_and_checked_as_a_uk_mobile(at_description):
    submit(at_description, "/report/description", {"description": "Sink will not drain"})
    submit(at_description, "/report/photos", {"action": "continue"})
    submit(at_description, "/report/access", {"access_notes": ""})
    page = at_description.get("/report/contact")
    assert_good_page(page)
    assert 'value="07700 900123"' in page.text
    landline = submit(at_description, "/report/contact", {"mobile": "020 7946 0000"})
    assert "That looks like a landline" in landline.text  # R26
    assert_good_page(landline)
    response = submit(at_description, "/report/contact", {"mobile": "+44 7700 900 456"})
    assert response.headers["Location"].endswith("/report/check")


def test_check_your_answers_shows_every_answer_and_the_service_expectation(tenant):
    to_check_answers(tenant, access_notes="Key safe by the door")
    page = tenant.get("/report/check")
    assert_good_page(page)
    for text in (
        "Kitchen",
        "Sink or taps",
        "The sink is blocked or drains slowly",
        "Sink will not drain",
        "Key safe by the door",
        "07700 900123",
    ):
        assert text in page.text
    # R5, R8: a blocked sink is a 3-working-day Right to Repair defect from Tuesday 24
    # November 2026.
    assert "Priority: Urgent" in page.text
    assert "We aim to fix this by Friday 27 November" in page.text


def test_a_damp_report_is_told_it_is_a_case_with_an_inspection_date(tenant):
    to_check_answers(tenant, {"location": "damp_and_mould", "problem": "mould"})
    page = tenant.get("/report/check")
    assert "damp and mould case" in page.text
    assert "Tuesday 8 December" in page.text  # R9: 10 working days


def test_changing_an_answer_from_the_check_page_comes_back_to_it(tenant):
    to_check_answers(tenant)
    page = tenant.get("/report/description?change=1")
    assert 'href="/report/check"' in page.text  # back goes to the check page
    response = submit(tenant, "/report/description?change=1", {"description": "Now leaking"})
    assert response.headers["Location"].endswith("/report/check")
    assert "Now leaking" in tenant.get("/report/check").text


def test_changing_where_the_problem_is_asks_the_new_questions_then_returns(tenant):
    to_check_answers(tenant)
    response = answer(tenant, "/report/where?change=1", "bathroom")
    assert response.headers["Location"].endswith("/report/problem?change=1")
    response = answer(tenant, "/report/problem?change=1", "tiles")
    assert response.headers["Location"].endswith("/report/check")
    page = tenant.get("/report/check")
    assert "Wall tiles are loose or cracked" in page.text
    assert "Routine" in page.text


def test_changing_to_an_emergency_from_the_check_page_still_stops_the_journey(tenant):
    to_check_answers(tenant)
    response = answer(tenant, "/report/emergency?change=1", "gas")
    assert response.headers["Location"].endswith("/report/gas")
    assert tenant.get("/report/check").headers["Location"].endswith("/report/gas")
