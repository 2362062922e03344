"""My Account: the dashboard, text reminders, changing the mobile number (R36), deleting the
account, and what the dashboard costs in SQL queries."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import event

from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.accounts.support import (
    MOBILE_E164,
    PASSWORD,
    create_account,
    last_code,
    sign_in,
)

pytestmark = pytest.mark.web


@pytest.fixture
def signed_in(client, sms):
    create_account(client, sms)
    return client


@pytest.mark.parametrize(
    "path",
    ["/account", "/account/text-reminders", "/account/mobile", "/account/delete", "/sign-out"],
)
def test_every_account_page_passes_the_page_checks(signed_in, path):
    response = signed_in.get(path)
    assert response.status_code == 200
    assert_good_page(response)


def test_the_dashboard_shows_contact_details_and_the_empty_repairs_state(signed_in):
    page = signed_in.get("/account").text
    assert "tenant@example.com" in page
    assert "07700 900123" in page
    assert "You have no open repairs" in page
    assert re.search(r'href="/report[^"]*"[^>]*>\s*Report a repair', page)
    assert "Appointment reminders" in page and ">No" in page


def test_a_stop_reply_is_shown_honestly_on_the_dashboard(signed_in, app, clock):
    app.extensions["services"].messaging.store.set_opted_out(MOBILE_E164, True, clock.now())
    page = signed_in.get("/account").text
    assert "You replied STOP" in page
    assert "reply START" in page


def test_reminders_are_opt_in_and_the_choice_is_recorded(signed_in, app):
    page = signed_in.get("/account/text-reminders").text
    assert "checked" not in page  # nothing chosen for the tenant
    refused = submit(signed_in, "/account/text-reminders", {})
    assert "Select yes if you want text reminders" in refused.text
    response = submit(signed_in, "/account/text-reminders", {"reminders": "yes"})
    assert response.headers["Location"].endswith("/account")
    dashboard = signed_in.get("/account").text
    assert "We will text you a reminder the day before each appointment" in dashboard
    assert "Yes, the day before each appointment, chosen Tuesday 24 November 2026" in dashboard
    account = app.extensions["accounts"].accounts.by_sign_in_name("tenant@example.com")
    assert account.reminders_opt_in and account.reminders_choice_at is not None


def test_changing_the_mobile_number_needs_the_password_and_a_code_to_the_new_number(
    signed_in, sms, app
):
    wrong = submit(
        signed_in, "/account/mobile", {"mobile": "07700 900777", "password": "not my password"}
    )
    assert "Your password is not right" in wrong.text
    assert not sms.sent_to("+447700900777")
    response = submit(
        signed_in, "/account/mobile", {"mobile": "07700 900777", "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/account/mobile/code")
    assert_good_page(signed_in.get("/account/mobile/code"))
    done = submit(signed_in, "/account/mobile/code", {"code": last_code(sms, "+447700900777")})
    assert done.headers["Location"].endswith("/account")
    account = app.extensions["accounts"].accounts.by_sign_in_name("tenant@example.com")
    assert account.mobile == "+447700900777"


def test_a_tenant_who_signs_in_with_the_mobile_signs_in_with_the_new_one_after_a_change(
    client, sms
):
    create_account(client, sms, sign_in_name="07700 900123")
    submit(client, "/account/mobile", {"mobile": "07700 900888", "password": PASSWORD})
    submit(client, "/account/mobile/code", {"code": last_code(sms, "+447700900888")})
    submit(client, "/sign-out", {})
    assert sign_in(client, "07700 900888").headers["Location"].endswith("/account")


def test_deleting_the_account_needs_the_password_and_says_the_repairs_stay(signed_in, app):
    page = signed_in.get("/account/delete").text
    assert "your repairs stay in our housing system" in page
    assert "Error" not in submit(signed_in, "/account/delete", {"password": "nope"}).text[:0]
    response = submit(signed_in, "/account/delete", {"password": PASSWORD})
    assert response.headers["Location"].endswith("/account-deleted")
    gone = signed_in.get("/account-deleted")
    assert gone.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "Your repairs are still in our housing system" in gone.text
    assert app.extensions["accounts"].accounts.by_sign_in_name("tenant@example.com") is None
    assert signed_in.get("/account").status_code == 302


def test_no_page_shows_another_tenants_account(make_app, housing, sms):
    from adapters.passwords import cheap_hasher_for_tests

    housing.add_tenancy(
        "TEN-200001",
        postcode="NB7 7AA",
        date_of_birth=__import__("datetime").date(1980, 1, 1),
        tenant_name="Ms Other Person",
    )
    app = make_app(
        housing=housing, sms_sender=sms, extras={"password_hasher": cheap_hasher_for_tests()}
    )
    mine, theirs = app.test_client(), app.test_client()
    create_account(mine, sms)
    from tests.web.accounts.support import answer_tenancy

    answer_tenancy(theirs, "TEN-200001", "NB7 7AA", day="1", month="1", year="1980")
    submit(theirs, "/create-account/sign-in-name", {"sign_in_name": "other@example.com"})
    submit(theirs, "/create-account/mobile", {"mobile": "07700 900999"})
    submit(theirs, "/create-account/code", {"code": last_code(sms, "+447700900999")})
    submit(theirs, "/create-account/password", {"password": "another long passphrase"})
    submit(theirs, "/create-account/check", {})
    page = mine.get("/account").text
    assert "Mr Connor Hall" in page and "Ms Other Person" not in page
    for path in ["/account?id=2", "/account?tenancy=TEN-200001", "/account/2"]:
        response = mine.get(path)
        assert "Ms Other Person" not in response.text


def test_the_dashboard_costs_a_handful_of_sql_queries(signed_in, app, clock, capsys):
    engine = app.extensions["services"].engine
    statements = []

    def count(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA")):
            statements.append(statement)

    signed_in.get("/account")  # shows the one-off "account created" banner
    clock.advance(timedelta(minutes=5))  # so this request also refreshes the idle timer
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert signed_in.get("/account").status_code == 200
        touched = len(statements)
        statements.clear()
        assert signed_in.get("/account").status_code == 200
        steady = len(statements)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    with capsys.disabled():
        print(
            f"\nSQL queries per dashboard request: {steady} (with the idle-timer write: {touched})"
        )
    # Session row, account row, the number's text-message status (and the open repairs, from
    # the repairs journey's read copy); plus one UPDATE a minute for the idle timer.
    assert steady <= 4
    assert touched == steady + 1
