"""Forgotten password by a code texted to the proved mobile number."""

import pytest

from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import create_account, last_code, sign_in, sign_out

pytestmark = pytest.mark.web


@pytest.fixture
def tenant(app, sms):
    client = app.test_client()
    create_account(client, sms)
    sign_out(client)
    return app


def test_a_tenant_resets_the_password_and_every_other_session_ends(tenant, sms):
    laptop = tenant.test_client()
    sign_in(laptop)
    phone = tenant.test_client()
    assert_good_page(phone.get("/reset-password"))
    response = submit(phone, "/reset-password", {"sign_in_name": "Tenant@Example.com"})
    assert response.headers["Location"].endswith("/reset-password/code")
    assert_good_page(phone.get("/reset-password/code"))
    submit(phone, "/reset-password/code", {"code": last_code(sms)})
    assert_good_page(phone.get("/reset-password/new-password"))
    weak = submit(phone, "/reset-password/new-password", {"password": "password1234"})
    assert "too easy to guess" in weak.text
    done = submit(phone, "/reset-password/new-password", {"password": "a new long passphrase"})
    assert done.headers["Location"].endswith("/account")
    assert "Your password has been changed" in phone.get("/account").text
    assert laptop.get("/account").status_code == 302
    sign_out(phone)
    assert "not right" in sign_in(phone).text
    assert sign_in(phone, password="a new long passphrase").status_code == 302


def test_an_unknown_name_sees_the_same_pages_and_no_code_works(tenant, sms):
    client = tenant.test_client()
    sms.clear()
    response = submit(client, "/reset-password", {"sign_in_name": "nobody@example.com"})
    assert response.headers["Location"].endswith("/reset-password/code")
    page = client.get("/reset-password/code").text
    assert "If there is an account for nobody@example.com" in page
    assert not sms.sent
    for _ in range(5):
        assert "not right" in submit(client, "/reset-password/code", {"code": "123456"}).text
    assert "too many times" in submit(client, "/reset-password/code", {"code": "123456"}).text
    assert (
        client.get("/reset-password/new-password").headers["Location"].endswith("/reset-password")
    )


def test_the_new_password_page_needs_a_proved_code(tenant):
    client = tenant.test_client()
    assert (
        client.get("/reset-password/new-password").headers["Location"].endswith("/reset-password")
    )
    assert client.get("/reset-password/code").headers["Location"].endswith("/reset-password")
