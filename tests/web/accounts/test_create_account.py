"""Creating an account (R35-R37): one question per page, checked against the housing system,
the mobile proved with a code, a password refused when common."""

import pytest

from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import (
    MOBILE_E164,
    PASSWORD,
    answer_tenancy,
    create_account,
    dob_form,
    last_code,
    post,
)

pytestmark = pytest.mark.web


def test_a_tenant_creates_an_account_and_lands_signed_in_on_the_dashboard(client, sms):
    response = create_account(client, sms)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account")
    page = client.get("/account")
    assert page.status_code == 200
    assert_good_page(page)
    assert "Your account has been created" in page.text
    assert "Mr Connor Hall" in page.text
    assert "77 Orchard Way" in page.text
    assert "You have no open repairs" in page.text


def test_every_question_page_passes_the_page_checks(client, sms):
    for url in ["/create-account", "/create-account/tenancy-reference"]:
        assert_good_page(client.get(url))
    submit(client, "/create-account/tenancy-reference", {"tenancy_reference": "TEN-100001"})
    assert_good_page(client.get("/create-account/postcode"))
    submit(client, "/create-account/postcode", {"postcode": "nb12ab"})
    assert_good_page(client.get("/create-account/date-of-birth"))
    post(client, "/create-account/date-of-birth", dob_form())
    assert_good_page(client.get("/create-account/sign-in-name"))
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "a@example.com"})
    assert_good_page(client.get("/create-account/mobile"))
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    assert_good_page(client.get("/create-account/code"))
    submit(client, "/create-account/code", {"code": last_code(sms)})
    assert_good_page(client.get("/create-account/password"))
    submit(client, "/create-account/password", {"password": PASSWORD})
    page = client.get("/create-account/check")
    assert_good_page(page)
    assert "NB1 2AB" in page.text and "14 March 1971" in page.text


def test_when_the_housing_system_is_down_the_tenant_is_told_and_nothing_typed_is_lost(
    client, housing
):
    housing.go_down()
    response = answer_tenancy(client)
    assert response.status_code == 200
    assert_good_page(response)
    assert "Error: " in response.text.split("</title>")[0]
    assert "not responding" in response.text
    assert 'value="14"' in response.text and 'value="1971"' in response.text
    assert 'value="TEN-100001"' in client.get("/create-account/tenancy-reference").text
    assert 'value="NB1 2AB"' in client.get("/create-account/postcode").text
    housing.come_back()
    again = post(client, "/create-account/date-of-birth", dob_form())
    assert again.headers["Location"].endswith("/create-account/sign-in-name")


def test_details_that_do_not_match_lead_to_a_page_that_does_not_say_which_one_was_wrong(client):
    response = answer_tenancy(client, day="15")
    assert response.headers["Location"].endswith("/create-account/not-found")
    page = client.get("/create-account/not-found")
    assert_good_page(page)
    assert "do not match our records" in page.text
    assert (
        client.get("/create-account/sign-in-name")
        .headers["Location"]
        .endswith("/create-account/date-of-birth")
    )


@pytest.mark.parametrize(
    ("tenancy", "postcode", "dob", "page", "words"),
    [
        (
            "TEN-100003",
            "NB3 6FG",
            {"day": "23", "month": "7", "year": "1958"},
            "/create-account/leaseholder",
            "leaseholder",
        ),
        (
            "TEN-100004",
            "NB4 8HJ",
            {"day": "30", "month": "1", "year": "1990"},
            "/create-account/tenancy-ended",
            "has ended",
        ),
    ],
)
def test_leaseholders_and_ended_tenancies_are_told_what_to_do_instead(
    client, tenancy, postcode, dob, page, words
):
    response = answer_tenancy(client, tenancy, postcode, **dob)
    assert response.headers["Location"].endswith(page)
    shown = client.get(page)
    assert_good_page(shown)
    assert words in shown.text
    assert "0300 123 4567" in shown.text


@pytest.mark.parametrize(
    ("dob", "message"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter your date of birth"),
        ({"day": "14", "month": "", "year": "1971"}, "must include a month"),
        ({"day": "31", "month": "2", "year": "1971"}, "must be a real date"),
        ({"day": "1", "month": "1", "year": "2030"}, "must be in the past"),
        ({"day": "x", "month": "1", "year": "1971"}, "must be a real date"),
    ],
)
def test_a_wrong_date_of_birth_gets_the_gov_uk_message(client, dob, message):
    submit(client, "/create-account/tenancy-reference", {"tenancy_reference": "TEN-100001"})
    submit(client, "/create-account/postcode", {"postcode": "NB1 2AB"})
    response = post(client, "/create-account/date-of-birth", dob_form(**dob))
    assert response.status_code == 200
    assert message in response.text
    assert "govuk-error-summary" in response.text
    assert_good_page(response)


def test_the_date_input_survives_a_post_with_only_one_of_its_three_parts(client):
    submit(client, "/create-account/tenancy-reference", {"tenancy_reference": "TEN-100001"})
    submit(client, "/create-account/postcode", {"postcode": "NB1 2AB"})
    response = post(client, "/create-account/date-of-birth", [("date_of_birth", "14")])
    assert response.status_code == 200
    assert "must include a month and a year" in response.text


def test_a_later_question_sends_the_tenant_back_to_the_first_unanswered_one(client):
    assert (
        client.get("/create-account/date-of-birth")
        .headers["Location"]
        .endswith("/create-account/tenancy-reference")
    )
    assert (
        client.get("/create-account/check")
        .headers["Location"]
        .endswith("/create-account/tenancy-reference")
    )


def test_a_mobile_sign_in_name_is_proved_at_once_without_asking_for_it_again(client, sms):
    response = create_account(client, sms, sign_in_name="07700 900456", mobile="07700 900456")
    assert response.headers["Location"].endswith("/account")
    assert "07700 900456" in client.get("/account").text


def test_a_wrong_code_is_refused_and_the_code_dies_after_five_attempts(client, sms):
    answer_tenancy(client)
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "a@example.com"})
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    right = last_code(sms)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        response = submit(client, "/create-account/code", {"code": wrong})
        assert "not right" in response.text
    response = submit(client, "/create-account/code", {"code": right})
    assert "too many times" in response.text  # R35: 5 attempts


def test_a_code_expires_after_fifteen_minutes_and_a_new_one_can_be_sent(client, sms, clock):
    from datetime import timedelta

    answer_tenancy(client)
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "a@example.com"})
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    old = last_code(sms)
    clock.advance(timedelta(minutes=15))
    response = submit(client, "/create-account/code", {"code": old})
    assert "expired" in response.text  # R35
    resent = submit(client, "/create-account/send-code", {}, form_page="/create-account/code")
    assert resent.headers["Location"].endswith("/create-account/code?sent=again")
    assert len(sms.sent_to(MOBILE_E164)) == 2
    ok = submit(client, "/create-account/code", {"code": last_code(sms)})
    assert ok.headers["Location"].endswith("/create-account/password")


def test_a_sixth_code_in_an_hour_is_refused_with_a_clear_message(client, sms):
    answer_tenancy(client)
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "a@example.com"})
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    for _ in range(4):
        submit(client, "/create-account/send-code", {}, form_page="/create-account/code")
    assert len(sms.sent_to(MOBILE_E164)) == 5
    submit(client, "/create-account/send-code", {}, form_page="/create-account/code")
    page = client.get("/create-account/code?sent=again")
    assert "too many codes" in page.text  # R34: [5] codes an hour
    assert len(sms.sent_to(MOBILE_E164)) == 5


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short pass", "12 characters or more"),
        ("password1234", "too easy to guess"),
        ("Sunshine2026!", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("tenant@example.com!", "must not contain"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(client, sms, password, message):
    answer_tenancy(client)
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "tenant@example.com"})
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    submit(client, "/create-account/code", {"code": last_code(sms)})
    response = submit(client, "/create-account/password", {"password": password})
    assert response.status_code == 200
    assert message in response.text
    assert_good_page(response)


def test_a_sign_in_name_that_is_taken_is_refused(make_app, housing, sms):
    from adapters.passwords import cheap_hasher_for_tests

    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
    first, second = app.test_client(), app.test_client()
    create_account(first, sms)
    answer_tenancy(second)
    response = submit(
        second, "/create-account/sign-in-name", {"sign_in_name": "TENANT@example.com"}
    )
    assert "There is already an account" in response.text


def test_a_second_account_on_a_tenancy_is_made_only_after_the_first_holder_is_texted(
    make_app, housing, sms
):
    from adapters.passwords import cheap_hasher_for_tests

    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
    create_account(app.test_client(), sms)
    response = create_account(
        app.test_client(), sms, sign_in_name="partner@example.com", mobile="07700 900456"
    )
    assert response.headers["Location"].endswith("/account")
    notices = [t for t in sms.sent_to(MOBILE_E164) if "created a repairs account" in t.body]
    assert len(notices) == 1


def test_a_second_account_is_refused_when_the_first_holder_cannot_be_texted(
    make_app, housing, sms, clock
):
    from adapters.passwords import cheap_hasher_for_tests

    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
    create_account(app.test_client(), sms)
    app.extensions["services"].messaging.store.set_opted_out(MOBILE_E164, True, clock.now())
    response = create_account(
        app.test_client(), sms, sign_in_name="partner@example.com", mobile="07700 900456"
    )
    assert response.headers["Location"].endswith("/create-account/already-linked")
    holders = app.extensions["accounts"].accounts.holders_of("TEN-100001")
    assert [h.sign_in_name for h in holders] == ["tenant@example.com"]


def test_change_links_on_check_your_answers_come_back_to_it(client, sms):
    answer_tenancy(client)
    submit(client, "/create-account/sign-in-name", {"sign_in_name": "a@example.com"})
    submit(client, "/create-account/mobile", {"mobile": "07700 900123"})
    submit(client, "/create-account/code", {"code": last_code(sms)})
    submit(client, "/create-account/password", {"password": PASSWORD})
    response = submit(
        client, "/create-account/sign-in-name?change=yes", {"sign_in_name": "b@example.com"}
    )
    assert response.headers["Location"].endswith("/create-account/check")
    assert "b@example.com" in client.get("/create-account/check").text


def test_changing_the_postcode_means_the_tenancy_is_checked_again(client, sms):
    answer_tenancy(client)
    submit(client, "/create-account/postcode?change=yes", {"postcode": "NB9 9ZZ"})
    assert (
        client.get("/create-account/sign-in-name")
        .headers["Location"]
        .endswith("/create-account/date-of-birth")
    )
