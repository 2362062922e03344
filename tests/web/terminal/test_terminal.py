"""Help terminals: registration, kiosk mode, reporting without an account after the tenancy
check, the idle wipe, "Ask for help", and a copied token getting nothing (R39, R40, R43)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from adapters.db.tables.accounts import ServerSession
from portal.terminal import device
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.staff.support import make_staff, sign_in_staff
from tests.web.terminal.support import hrefs, pass_tenancy_check, register_terminal, start_visit

pytestmark = pytest.mark.web


def session_rows(app):
    with app.extensions["services"].sessions() as db:
        return db.scalars(sa.select(ServerSession)).all()


def test_the_registration_link_sets_a_bound_strict_cookie_and_works_once(app, client):
    context = app.extensions["staff"]
    boss = make_staff(app, "boss@council.example", "supervisor")
    token, hashed = device.new_token()
    now = context.clock.now()
    context.terminals.create("Desk 3", boss.id, hashed, now + timedelta(hours=1), now)
    page = client.get(f"/terminal/register/{token}")
    assert page.status_code == 200 and "Desk 3" in page.text
    assert_good_page(page)
    response = submit(client, f"/terminal/register/{token}", {})
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("terminal=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get(f"/terminal/register/{token}").status_code == 404
    [terminal] = context.terminals.all()
    assert terminal.registered_at is not None and terminal.binding_hash


def test_an_ordinary_browser_gets_no_terminal_pages(client):
    assert client.get("/terminal/").status_code == 404
    assert client.post("/terminal/start").status_code == 404
    assert client.get("/terminal/tenancy-check").status_code == 404
    assert client.get("/").status_code == 200  # the public start page as usual


def test_a_terminal_shows_the_kiosk_start_screen_with_its_big_buttons(app, client):
    register_terminal(app, client)
    assert client.get("/").headers["Location"].endswith("/terminal/")
    page = client.get("/terminal/")
    assert_good_page(page)
    assert "Start" in page.text and "Ask for help" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert "terminal.css" in page.text


def test_terminal_pages_link_only_to_our_own_pages(app, client):
    register_terminal(app, client)
    pages = [client.get("/terminal/")]
    start_visit(client)
    pages += [
        client.get(p) for p in ["/terminal/choose", "/terminal/tenancy-check", "/accessibility"]
    ]
    pass_tenancy_check(client)
    pages += [client.get("/report/"), client.get("/repairs")]
    for page in pages:
        path = page.request.path
        assert page.status_code == 200, path
        for href in hrefs(page.text):
            assert href.startswith(("/", "#")) and not href.startswith("//"), (path, href)


def test_forms_on_a_terminal_have_autocomplete_off(app, client):
    register_terminal(app, client)
    start_visit(client)
    page = client.get("/terminal/tenancy-check")
    assert 'autocomplete="off"' in page.text
    assert 'autocomplete="bday' not in page.text and 'autocomplete="postal-code"' not in page.text
    assert page.text.count("<form") == page.text.count('<form autocomplete="off"') or all(
        'autocomplete="off"' in chunk.split(">", 1)[0] for chunk in page.text.split("<form")[1:]
    )


def test_tenant_pages_on_a_terminal_need_a_visit(app, client):
    register_terminal(app, client)
    for path in ["/report/", "/repairs", "/account", "/sign-in"]:
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/terminal/")


def test_a_visit_sessions_idle_timeout_is_the_terminals_five_minutes(app, client):
    register_terminal(app, client)
    start_visit(client)
    [row] = session_rows(app)
    assert row.idle_timeout_seconds == 300  # R39


def test_a_tenant_without_an_account_reports_after_the_tenancy_check_alone(app, client):
    register_terminal(app, client)
    start_visit(client)
    wrong = pass_tenancy_check(client, postcode="NB9 9ZZ")
    assert "could not find a tenancy" in wrong.text
    response = pass_tenancy_check(client)
    assert response.headers["Location"].endswith("/report/")
    page = client.get("/report/")
    assert page.status_code == 200
    assert "You are helping" not in page.text  # the tenant serves themselves


def test_the_tenancy_check_is_throttled_per_tenancy(app, client):
    register_terminal(app, client)
    start_visit(client)
    for _ in range(5):
        pass_tenancy_check(client, postcode="NB9 9ZZ")
    assert "too many tries" in pass_tenancy_check(client).text


def test_after_five_idle_minutes_the_next_visitor_finds_the_start_screen(app, client, clock):
    register_terminal(app, client)
    start_visit(client)
    pass_tenancy_check(client)
    assert client.get("/report/").status_code == 200
    clock.advance(timedelta(minutes=5))
    response = client.get("/report/")
    assert response.headers["Location"].endswith("/terminal/")
    assert session_rows(app) == []
    assert "TEN-100001" not in client.get("/terminal/").text


def test_activity_within_five_minutes_keeps_the_visit(app, client, clock):
    register_terminal(app, client)
    start_visit(client)
    pass_tenancy_check(client)
    for _ in range(3):
        clock.advance(timedelta(minutes=4))
        assert client.get("/report/").status_code == 200


def test_i_need_more_time_is_activity(app, client, clock):
    register_terminal(app, client)
    start_visit(client)
    clock.advance(timedelta(minutes=4, seconds=30))
    assert client.post("/terminal/still-here").json == {"visiting": True}
    clock.advance(timedelta(minutes=4))
    assert client.get("/terminal/choose").status_code == 200


def test_finish_and_clear_wipes_the_visit_but_keeps_the_terminal(app, client):
    register_terminal(app, client)
    start_visit(client)
    pass_tenancy_check(client)
    response = client.post("/terminal/finish")
    assert response.status_code == 303 and response.headers["Location"].endswith("/terminal/")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'  # never "cookies"
    assert session_rows(app) == []
    assert client.get("/report/").headers["Location"].endswith("/terminal/")
    assert client.get("/terminal/").status_code == 200  # still a terminal


def test_signing_out_on_a_terminal_never_clears_the_terminals_cookie(app, client):
    register_terminal(app, client)
    response = client.get("/signed-out")
    assert "cookies" not in response.headers.get("Clear-Site-Data", "")


def test_ask_for_help_queues_the_terminal_once_with_its_waiting_time(app, client, clock):
    register_terminal(app, client, "Civic Centre 1")
    start_visit(client)
    client.post("/terminal/help", data={"next": "/terminal/choose"})
    client.post("/terminal/help", data={"next": "/terminal/choose"})
    assert "An advisor will come to you" in client.get("/terminal/choose").text
    clock.advance(timedelta(minutes=7))
    advisor = app.test_client()
    sign_in_staff(advisor, clock, make_staff(app))
    queue = advisor.get("/staff/queue")
    [request] = app.extensions["staff"].help_requests.open_requests()  # queued once
    assert "Civic Centre 1" in queue.text and "7 minutes" in queue.text
    assert_good_page(queue)
    submit(advisor, f"/staff/queue/{request.id}/take", {}, form_page="/staff/queue")
    # The visit timed out while they waited, but the request stands: they are still there.
    assert "An advisor is on their way" in client.get("/terminal/").text
    client.post("/terminal/finish", data={"reason": "idle"})
    assert "Civic Centre 1" in advisor.get("/staff/queue").text
    client.post("/terminal/finish")
    assert "Civic Centre 1" not in advisor.get("/staff/queue").text


def test_staff_pages_are_not_served_on_a_terminal(app, client):
    register_terminal(app, client)
    assert client.get("/staff/sign-in").status_code == 404


def test_a_copied_token_in_another_browser_gets_nothing(app, client):
    register_terminal(app, client)
    token = client.get_cookie("terminal").value
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Thief's laptop)"
    thief.set_cookie("terminal", token)
    response = thief.get("/terminal/")
    assert response.status_code == 404
    assert "terminal=;" in response.headers.get("Set-Cookie", "")  # dropped from that browser
    assert thief.post("/terminal/start").status_code == 404
    assert thief.get("/").status_code == 200 and "Ask for help" not in thief.get("/").text
    [terminal] = app.extensions["staff"].terminals.all()
    assert terminal.last_refused_at is not None
    assert client.get("/terminal/").status_code == 200  # the real terminal carries on


def test_a_copied_token_from_outside_the_office_network_gets_nothing(app, client):
    register_terminal(app, client)
    token = client.get_cookie("terminal").value
    thief = app.test_client()
    thief.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    thief.set_cookie("terminal", token)
    assert thief.get("/terminal/").status_code == 404


def test_a_revoked_terminal_is_an_ordinary_browser(app, client, clock):
    terminal_id = register_terminal(app, client)
    app.extensions["staff"].terminals.revoke(terminal_id, clock.now())
    assert client.get("/terminal/").status_code == 404


def test_a_tenant_signing_in_at_a_terminal_gets_the_terminals_timeout_and_stays_in_the_visit(
    app, client, clock
):
    from tests.web.tracking.support import PASSWORD, make_tenant

    make_tenant(app)
    register_terminal(app, client)
    start_visit(client)
    response = submit(
        client, "/sign-in", {"sign_in_name": "tenant@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302, response.text[:400]
    assert client.get("/account").status_code == 200
    [row] = session_rows(app)
    assert row.idle_timeout_seconds == 300 and row.account_id is not None  # R39
    clock.advance(timedelta(minutes=5))
    assert client.get("/account").headers["Location"].endswith("/terminal/")
