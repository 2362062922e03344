"""Staff accounts: the set-up link, sign-in with password and authenticator code, throttling,
sign-out, and staff and tenant sessions kept apart (R37-R40, R42)."""

from __future__ import annotations

import importlib.util
import re
from datetime import timedelta

import pytest

from portal.staff import totp
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import create_account
from tests.web.staff.support import PASSWORD, make_staff, sign_in_staff

pytestmark = pytest.mark.web

LINK = re.compile(r"http://portal\.test/staff/setup/([A-Za-z0-9_-]+)")


def create_with_cli(app, email="new@council.example", role="advisor"):
    result = app.test_cli_runner().invoke(args=["staff", "create", email, "--role", role])
    assert result.exit_code == 0, result.output
    match = LINK.search(result.output)
    assert match, result.output
    return f"/staff/setup/{match.group(1)}"


def secret_on(page_text):
    match = re.search(r'<code class="app-secret"[^>]*>([A-Z2-7 ]+)</code>', page_text)
    assert match, "no secret on the page"
    return match.group(1).replace(" ", "")


def test_staff_create_prints_a_one_time_set_up_link_on_the_public_address(app, client):
    path = create_with_cli(app)
    page = client.get(path)
    assert page.status_code == 200
    assert_good_page(page)
    assert "new@council.example" in page.text
    assert "otpauth://totp/" in page.text
    # The QR code is drawn inline when segno is installed; the key as text works without it.
    assert ('role="img"' in page.text) is (importlib.util.find_spec("segno") is not None)


def test_a_second_account_for_the_same_email_is_refused_by_the_command(app):
    create_with_cli(app)
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "NEW@council.example", "--role", "supervisor"]
    )
    assert result.exit_code != 0 and "already has a staff account" in result.output


def test_the_command_refuses_an_unknown_role_and_a_malformed_email(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["staff", "create", "a@b.example", "--role", "admin"]).exit_code
    assert runner.invoke(args=["staff", "create", "not-an-email", "--role", "advisor"]).exit_code


def test_set_up_needs_a_code_from_the_secret_shown_and_then_the_link_is_spent(app, client, clock):
    path = create_with_cli(app)
    secret = secret_on(client.get(path).text)
    assert secret_on(client.get(path).text) == secret  # a reload shows the same secret
    wrong = submit(
        client, path, {"password": PASSWORD, "confirm_password": PASSWORD, "code": "000000"}
    )
    assert wrong.status_code == 200 and "That code is not right" in wrong.text
    good = {"password": PASSWORD, "confirm_password": PASSWORD,
            "code": totp.code_at(secret, clock.now())}  # fmt: skip
    done = submit(client, path, good)
    assert done.headers["Location"].endswith("/staff/setup-done")
    again = client.get(path)
    assert again.status_code == 404 and secret not in again.text


def test_set_up_refuses_a_short_or_common_password_and_a_mismatch(app, client, clock):
    path = create_with_cli(app)
    secret = secret_on(client.get(path).text)
    code = totp.code_at(secret, clock.now())
    for password, confirm, message in [
        ("short", "short", "12 characters or more"),
        ("password1234", "password1234", "too easy to guess"),
        (PASSWORD, PASSWORD + "x", "do not match"),
    ]:
        response = submit(
            client, path, {"password": password, "confirm_password": confirm, "code": code}
        )
        assert message in response.text
        assert "Error: " in response.text


def test_a_set_up_link_stops_working_when_it_expires(app, client, clock):
    path = create_with_cli(app)
    clock.advance(timedelta(hours=72))
    assert client.get(path).status_code == 404


def test_a_member_signs_in_with_password_and_code_and_gets_a_new_session(app, client, clock):
    login = make_staff(app)
    client.get("/staff/sign-in")
    before = client.get_cookie("session")
    response = sign_in_staff(client, clock, login)
    assert response.headers["Location"].endswith("/staff/")
    assert client.get_cookie("session").value != (before.value if before else None)
    home = client.get("/staff/")
    assert home.status_code == 200 and "Find a tenant" in home.text
    assert home.headers["Cache-Control"] == "no-store"
    assert_good_page(home)


@pytest.mark.parametrize(
    "change",
    [
        {"password": "wrong password entirely"},
        {"code": "123456"},
        {"email": "nobody@council.example"},
    ],
)
def test_every_wrong_detail_gets_the_same_message(app, client, clock, change):
    login = make_staff(app)
    response = sign_in_staff(client, clock, login, **change)
    assert response.status_code == 200
    assert "The email address, password or code is not right" in response.text
    assert client.get("/staff/").status_code == 302


def test_a_code_is_accepted_once_only(app, client, clock):
    login = make_staff(app)
    code = totp.code_at(login.secret, clock.now() + timedelta(seconds=30))
    assert sign_in_staff(client, clock, login, code=code).status_code == 302
    other = app.test_client()
    clock.advance(timedelta(seconds=-30))  # the same step again
    replay = sign_in_staff(other, clock, login, code=code)
    assert "not right" in replay.text


def test_a_code_one_step_old_is_accepted(app, client, clock):
    login = make_staff(app)
    previous_step = totp.code_at(login.secret, clock.now())  # sign-in moves on one step
    assert sign_in_staff(client, clock, login, code=previous_step).status_code == 302


def test_a_code_two_steps_old_is_refused(app, client, clock):
    login = make_staff(app)
    two_steps_back = totp.code_at(login.secret, clock.now() - timedelta(seconds=30))
    assert "not right" in sign_in_staff(client, clock, login, code=two_steps_back).text


def test_a_code_two_steps_ahead_is_refused(app, client, clock):
    login = make_staff(app)
    ahead = totp.code_at(login.secret, clock.now() + timedelta(seconds=90))
    assert "not right" in sign_in_staff(client, clock, login, code=ahead).text


def test_sign_in_is_throttled_after_five_failures_even_with_the_right_details(app, client, clock):
    login = make_staff(app)
    for _ in range(5):
        sign_in_staff(client, clock, login, password="wrong password entirely")
    response = sign_in_staff(client, clock, login)
    assert "too many attempts" in response.text
    clock.advance(timedelta(minutes=2))
    assert sign_in_staff(client, clock, login).status_code == 302


def test_sign_out_destroys_the_session_and_clears_site_data(app, client, clock):
    sign_in_staff(client, clock, make_staff(app))
    response = submit(client, "/staff/sign-out", {})
    assert response.headers["Location"].endswith("/staff/signed-out")
    signed_out = client.get("/staff/signed-out")
    assert "cookies" in signed_out.headers["Clear-Site-Data"]
    assert client.get("/staff/").status_code == 302


def test_a_deactivated_member_is_signed_out_and_cannot_sign_in(app, client, clock):
    login = make_staff(app)
    sign_in_staff(client, clock, login)
    app.test_cli_runner().invoke(args=["staff", "deactivate", login.email])
    assert client.get("/staff/").status_code == 302
    assert "not right" in sign_in_staff(app.test_client(), clock, login).text


def test_staff_reset_clears_the_authenticator_and_issues_a_new_link(app, clock):
    login = make_staff(app)
    result = app.test_cli_runner().invoke(args=["staff", "reset", login.email])
    assert LINK.search(result.output)
    assert "not right" in sign_in_staff(app.test_client(), clock, login).text


STAFF_PAGES = ["/staff/", "/staff/queue", "/staff/serving", "/staff/check", "/staff/terminals",
               "/staff/audit"]  # fmt: skip


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages_send_anyone_else_to_the_staff_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert "/staff/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_a_signed_in_tenant_cannot_open_a_staff_page(app, client, sms, path):
    create_account(client, sms)
    assert client.get("/account").status_code == 200  # signed in as the tenant
    response = client.get(path)
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


@pytest.mark.parametrize(
    "path", ["/account", "/account/text-reminders", "/account/mobile", "/account/delete"]
)
def test_a_member_of_staff_not_serving_anyone_cannot_open_a_tenant_page(app, client, clock, path):
    sign_in_staff(client, clock, make_staff(app))
    response = client.get(path)
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]
    assert "/staff/" not in response.headers["Location"]


@pytest.mark.parametrize("path", ["/staff/terminals", "/staff/audit"])
def test_an_advisor_cannot_open_a_supervisors_page(app, client, clock, path):
    sign_in_staff(client, clock, make_staff(app))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ["/staff/terminals", "/staff/audit", "/staff/queue"])
def test_a_supervisor_sees_the_supervisors_pages(app, client, clock, path):
    sign_in_staff(client, clock, make_staff(app, "boss@council.example", "supervisor"))
    page = client.get(path)
    assert page.status_code == 200
    assert_good_page(page)
