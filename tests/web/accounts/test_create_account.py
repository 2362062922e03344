"""Creating an account (R35-R37): one question per page, checked against the housing system,
the mobile proved with a code, a password refused when common."""

import pytest

from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import (
    PASSWORD,
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
