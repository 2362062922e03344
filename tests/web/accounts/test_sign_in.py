"""Signing in and out (R38-R40): throttling, sessions on the server, timeouts, headers."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from adapters.db.tables.accounts import ServerSession
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import PASSWORD, create_account, sign_in, sign_out

pytestmark = pytest.mark.web


@pytest.fixture
def tenant(app, sms):
    """An account exists; the client that made it has signed out."""
    client = app.test_client()
    create_account(client, sms)
    sign_out(client)
    return app


def _rows(app):
    with app.extensions["services"].sessions() as db:
        return db.scalar(select(func.count()).select_from(ServerSession))


def _cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_the_sign_in_page_passes_the_page_checks(client):
    assert_good_page(client.get("/sign-in"))


def test_a_tenant_signs_in_and_gets_a_new_session_id(tenant):
    client = tenant.test_client()
    client.get("/sign-in")
    before = _cookie(client)
    assert before
    response = sign_in(client)
    assert response.headers["Location"].endswith("/account")
    assert _cookie(client) not in (None, before)  # R39: new id at sign-in
    assert client.get("/account").status_code == 200


def test_the_cookie_holds_only_a_random_id_and_is_http_only_and_same_site_lax(tenant):
    client = tenant.test_client()
    client.get("/sign-in")
    response = sign_in(client)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Expires" not in header  # ends with the browser too
    token = _cookie(client)
    assert len(token) == 43 and "." not in token  # not a signed payload


def test_outside_development_the_cookie_is_secure_and_host_only(make_app, housing, sms):
    app = make_app(
        env={"PORTAL_ENV": "production", "TWILIO_AUTH_TOKEN": "x"}, housing=housing, sms_sender=sms
    )
    response = app.test_client().get("/sign-in")
    header = response.headers["Set-Cookie"]
    assert header.startswith("__Host-session=")
    assert "Secure" in header and "HttpOnly" in header and "Path=/" in header


def test_an_unknown_account_and_a_wrong_password_get_the_same_message(tenant):
    client = tenant.test_client()
    unknown = sign_in(client, "nobody@example.com", PASSWORD)
    wrong = sign_in(client, "tenant@example.com", "wrong password here")
    assert unknown.status_code == wrong.status_code == 200
    text = "Your email address, mobile phone number or password is not right"
    assert text in unknown.text and text in wrong.text
    assert_good_page(wrong)
    assert "Error: " in wrong.text


def _from(address):
    return {"environ_base": {"REMOTE_ADDR": address}}


def test_after_five_failures_the_account_slows_down_then_lets_the_tenant_in(tenant, clock):
    client = tenant.test_client()
    for attempt in range(5):
        response = sign_in(client, password="wrong password here", **_from(f"10.0.0.{attempt}"))
        assert "not right" in response.text
    throttled = sign_in(client, **_from("10.0.1.1"))  # R38: even the right password waits
    assert "tried to sign in too many times" in throttled.text
    assert "10:01am" in throttled.text
    clock.advance(timedelta(minutes=1, seconds=1))
    assert sign_in(client, **_from("10.0.1.2")).headers["Location"].endswith("/account")


def test_an_unknown_name_is_throttled_exactly_like_a_real_one(tenant):
    client = tenant.test_client()
    for attempt in range(5):
        sign_in(client, "nobody@example.com", "wrong password", **_from(f"10.0.2.{attempt}"))
    throttled = sign_in(client, "nobody@example.com", "wrong password", **_from("10.0.3.1"))
    assert "tried to sign in too many times" in throttled.text


def test_the_wait_is_capped_so_an_attacker_cannot_lock_the_tenant_out(tenant, clock):
    client = tenant.test_client()
    for attempt in range(40):
        clock.advance(timedelta(minutes=16))  # past any wait, so each guess counts
        sign_in(client, password="wrong password here", **_from(f"10.1.{attempt}.1"))
    clock.advance(timedelta(minutes=15, seconds=1))
    assert sign_in(client, **_from("10.2.0.1")).headers["Location"].endswith("/account")


def test_a_throttled_tenant_can_still_reset_the_password_by_text(tenant, sms):
    from tests.web.accounts.support import last_code

    client = tenant.test_client()
    for attempt in range(6):
        sign_in(client, password="wrong password here", **_from(f"10.3.0.{attempt}"))
    submit(client, "/reset-password", {"sign_in_name": "tenant@example.com"})
    submit(client, "/reset-password/code", {"code": last_code(sms)})
    response = submit(client, "/reset-password/new-password", {"password": "brand new long words"})
    assert response.headers["Location"].endswith("/account")
    sign_out(client)
    again = sign_in(client, password="brand new long words", **_from("10.3.1.1"))
    assert again.headers["Location"].endswith("/account")


def test_one_address_is_limited_after_five_failures_whatever_the_names(tenant):
    client = tenant.test_client()
    for attempt in range(5):
        sign_in(client, f"person{attempt}@example.com", "wrong password", **_from("10.9.9.9"))
    response = sign_in(client, "tenant@example.com", PASSWORD, **_from("10.9.9.9"))
    assert response.status_code == 429  # R38: per address
    assert "too many attempts" in response.text
    other = sign_in(client, "tenant@example.com", PASSWORD, **_from("10.9.9.10"))
    assert other.status_code == 302


def test_next_goes_only_to_our_own_pages(tenant):
    client = tenant.test_client()
    page = client.get("/sign-in?next=/account/text-reminders")
    assert 'name="next" value="/account/text-reminders"' in page.text
    response = submit(
        client,
        "/sign-in",
        {
            "sign_in_name": "tenant@example.com",
            "password": PASSWORD,
            "next": "/account/text-reminders",
        },
    )
    assert response.headers["Location"].endswith("/account/text-reminders")
    sign_out(client)
    for evil in [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ]:
        response = submit(
            client,
            "/sign-in",
            {"sign_in_name": "tenant@example.com", "password": PASSWORD, "next": evil},
        )
        assert response.headers["Location"] in ("/account", "http://localhost/account")
        sign_out(client)


def test_a_signed_out_visitor_is_sent_to_sign_in_and_brought_back(tenant):
    client = tenant.test_client()
    response = client.get("/account/text-reminders")
    assert response.headers["Location"].endswith("/sign-in?next=/account/text-reminders")


def test_signed_in_pages_are_not_stored(tenant):
    client = tenant.test_client()
    sign_in(client)
    for path in ["/account", "/account/mobile", "/account/text-reminders", "/"]:
        assert client.get(path).headers["Cache-Control"] == "no-store"  # R40


def test_signing_out_destroys_the_session_and_clears_the_site(tenant):
    client = tenant.test_client()
    sign_in(client)
    token = _cookie(client)
    assert _rows(tenant) == 1
    response = sign_out(client)
    assert response.headers["Location"].endswith("/signed-out")
    assert _rows(tenant) == 0  # R40: the row is gone
    page = client.get("/signed-out")
    assert page.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert_good_page(page)
    replay = tenant.test_client()
    replay.set_cookie("session", token)
    assert replay.get("/account").status_code == 302  # the old cookie is worthless


def test_a_session_times_out_after_thirty_idle_minutes(tenant, clock):
    client = tenant.test_client()
    sign_in(client)
    clock.advance(timedelta(minutes=30))
    response = client.get("/account")
    assert response.headers["Location"].endswith("/session-ended")
    assert _rows(tenant) == 0
    page = client.get("/session-ended")
    assert page.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "You have been signed out" in page.text


def test_activity_keeps_the_session_alive_until_the_twelve_hour_limit(tenant, clock):
    client = tenant.test_client()
    sign_in(client)
    for _ in range(35):  # 11h40m of a page every 20 minutes
        clock.advance(timedelta(minutes=20))
        assert client.get("/account").status_code == 200
    clock.advance(timedelta(minutes=20))  # 12h: R39 absolute limit
    assert client.get("/account").headers["Location"].endswith("/session-ended")


def test_the_warning_page_does_not_extend_the_session_but_its_button_does(tenant, clock):
    client = tenant.test_client()
    sign_in(client)
    clock.advance(timedelta(minutes=28))
    warning = client.get("/session/warning?next=/account")
    assert warning.status_code == 200
    assert_good_page(warning)
    assert "10:30am" in warning.text
    response = submit(
        client, "/session/extend", {"next": "/account"}, form_page="/session/warning?next=/account"
    )
    assert response.headers["Location"].endswith("/account")
    clock.advance(timedelta(minutes=29))
    assert client.get("/account").status_code == 200


def test_looking_at_the_warning_page_alone_lets_the_session_end(tenant, clock):
    client = tenant.test_client()
    sign_in(client)
    clock.advance(timedelta(minutes=28))
    client.get("/session/warning")
    clock.advance(timedelta(minutes=2))
    assert client.get("/account").headers["Location"].endswith("/session-ended")


def test_the_dialog_extends_by_fetch_and_learns_the_new_time(tenant, clock):
    from tests.support.forms import csrf_token_from

    client = tenant.test_client()
    sign_in(client)
    token = csrf_token_from(client.get("/account").text)
    clock.advance(timedelta(minutes=29))
    response = client.post(
        "/session/extend", headers={"Accept": "application/json", "X-CSRFToken": token}
    )
    assert response.json == {"signed_in": True, "expires_in": 1800}


def test_signed_in_pages_warn_two_minutes_before_the_timeout_without_javascript(tenant):
    client = tenant.test_client()
    sign_in(client)
    page = client.get("/account").text
    assert '<noscript><meta http-equiv="refresh" content="1680;url=/session/warning' in page
    assert 'data-expires-in="1800"' in page


def test_sign_out_of_all_devices_ends_every_session_of_the_account(tenant):
    phone, laptop = tenant.test_client(), tenant.test_client()
    sign_in(phone)
    sign_in(laptop)
    response = submit(laptop, "/account/sign-out-everywhere", {}, form_page="/account")
    assert response.headers["Location"].endswith("/signed-out?everywhere=yes")
    assert phone.get("/account").status_code == 302
    assert _rows(tenant) == 0


def test_a_sign_in_without_a_csrf_token_is_refused(tenant):
    client = tenant.test_client()
    response = client.post(
        "/sign-in", data={"sign_in_name": "tenant@example.com", "password": PASSWORD}
    )
    assert response.status_code == 400


def test_a_terminal_session_times_out_after_five_minutes(app, clock):
    tenant = app
    from flask import session

    from portal.accounts.sessions import TERMINAL_IDLE, rotate

    @tenant.get("/_test/terminal")
    def terminal():
        rotate(session, idle_timeout=TERMINAL_IDLE)
        session["terminal"] = "T1"
        return "ok"

    client = tenant.test_client()
    client.get("/_test/terminal")
    clock.advance(timedelta(minutes=4))
    assert _rows(tenant) == 1
    client.get("/")
    assert _rows(tenant) == 1
    clock.advance(timedelta(minutes=5))
    client.get("/")
    assert _rows(tenant) == 0  # R39: [5 min] on terminals
