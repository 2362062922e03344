"""An advisor serving a tenant: find, identity check and consent, the tenant journeys as the
tenant's helper, the audit log, and never another tenancy (R41, R42)."""

from __future__ import annotations

from copy import deepcopy

import pytest
from sqlalchemy import select

from adapters.db.audit_store import AuditFilter
from adapters.db.tables.repairs import RepairEventRow, RepairRow
from adapters.passwords import cheap_hasher_for_tests
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.report.support import post_with_token, send, to_check_answers
from tests.web.staff.support import make_staff, sign_in_staff
from tests.web.tracking.support import make_tenant, store_repair

pytestmark = pytest.mark.web
FIRST_SLOT = "2026-11-25-am"  # the clock is Tuesday 24 November 2026


@pytest.fixture
def advisor(app, client, clock):
    login = make_staff(app)
    sign_in_staff(client, clock, login)
    return login


def start_helping(client, tenancy="TEN-100001", check="photo_id", place="desk", **find):
    found = submit(
        client, "/staff/find", find or {"tenancy_reference": tenancy}, form_page="/staff/"
    )
    assert found.headers["Location"].endswith("/staff/check"), found.text[:400]
    data = {"tenancy": tenancy, "identity_check": check, "place": place, "consent": "y"}
    response = submit(client, "/staff/check", data)
    assert response.headers["Location"].endswith("/staff/serving"), response.text[:600]
    return response


def audit_rows(app, **only):
    return app.extensions["staff"].audit.newest(AuditFilter(**only))


def test_finding_a_tenant_shows_who_they_are_before_anything_else(app, client, advisor):
    submit(client, "/staff/find", {"tenancy_reference": "ten-100001"}, form_page="/staff/")
    page = client.get("/staff/check")
    assert_good_page(page)
    assert "Mr Connor Hall" in page.text and "NB1 2AB" in page.text
    assert "Photo ID" in page.text  # the configured identity checks


def test_an_unknown_reference_finds_nobody(app, client, advisor):
    response = submit(
        client, "/staff/find", {"tenancy_reference": "TEN-999999"}, form_page="/staff/"
    )
    assert response.status_code == 200 and "No tenancy matches" in response.text


def test_a_tenant_with_an_account_is_found_by_name_and_postcode(app, client, advisor):
    make_tenant(app)  # TEN-100001, with our copy of the name and address
    app.extensions["services"].sessions  # noqa: B018
    with app.extensions["services"].sessions.begin() as db:
        from adapters.db.tables.accounts import Account

        db.execute(Account.__table__.update().values(tenant_name="Mr Connor Hall"))
    response = submit(client, "/staff/find", {"name": "mr connor hall", "postcode": "nb12ab"},
                      form_page="/staff/")  # fmt: skip
    assert response.headers["Location"].endswith("/staff/check")


def test_helping_needs_an_identity_check_and_consent(app, client, advisor):
    submit(client, "/staff/find", {"tenancy_reference": "TEN-100001"}, form_page="/staff/")
    response = submit(client, "/staff/check", {"tenancy": "TEN-100001", "place": "desk"})
    assert response.status_code == 200
    assert (
        "Select how you checked" in response.text
        and "only help a tenant who agrees" in response.text
    )
    assert audit_rows(app) == []


def test_an_identity_check_not_in_the_configured_list_is_refused(app, client, advisor):
    submit(client, "/staff/find", {"tenancy_reference": "TEN-100001"}, form_page="/staff/")
    data = {"tenancy": "TEN-100001", "identity_check": "vibes", "place": "desk", "consent": "y"}
    assert "Select how you checked" in submit(client, "/staff/check", data).text


def test_a_tenancy_not_found_cannot_be_slipped_into_the_check(app, client, advisor):
    submit(client, "/staff/find", {"tenancy_reference": "TEN-100001"}, form_page="/staff/")
    data = {"tenancy": "TEN-100002", "identity_check": "photo_id", "place": "desk", "consent": "y"}
    response = submit(client, "/staff/check", data)
    assert response.status_code == 200 and "Select the tenancy" in response.text


def test_starting_to_help_records_the_check_and_shows_the_banner_everywhere(app, client, advisor):
    start_helping(client)
    [row] = audit_rows(app)
    assert (row.staff_id, row.tenancy_ref, row.channel, row.place, row.identity_check,
            row.consent_given, row.action) == (advisor.id, "TEN-100001", "assisted", "desk",
                                               "photo_id", True, "assist.started")  # fmt: skip
    for path in ["/staff/serving", "/report/", "/repairs"]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert "You are helping Mr Connor Hall (tenancy TEN-100001)" in page.text
        assert "Finish helping" in page.text
    assert_good_page(client.get("/staff/serving"))


def test_an_advisor_reports_a_repair_for_the_tenant_and_it_is_assisted_and_audited(
    app, client, advisor
):
    start_helping(client)
    to_check_answers(client)
    response = send(client)
    assert response.status_code == 302
    with app.extensions["services"].sessions() as db:
        repair = db.scalars(select(RepairRow)).one()
        events = db.scalars(select(RepairEventRow)).all()
    assert (repair.channel, repair.actor_kind, repair.staff_id) == (
        "assisted",
        "staff",
        str(advisor.id),
    )
    assert any(event.assisted for event in events)
    reported = [r for r in audit_rows(app) if r.action == "repair.reported"]
    assert [r.subject for r in reported] == [repair.reference]
    post_with_token(client, "/report/submit", {}, form_page="/staff/serving")  # a second click
    assert len([r for r in audit_rows(app) if r.action == "repair.reported"]) == 1


def test_an_advisor_books_changes_and_cancels_and_each_is_audited(app, client, advisor, housing):
    ref = str(store_repair(app, housing))
    start_helping(client)
    book = submit(client, f"/repairs/{ref}/book/check", {"slot": FIRST_SLOT},
                  form_page=f"/repairs/{ref}/book/check?slot={FIRST_SLOT}")  # fmt: skip
    assert book.headers["Location"].endswith("/booked"), book.text[:400]
    cancel = submit(client, f"/repairs/{ref}/cancel", {})
    assert cancel.headers["Location"].endswith("/cancelled"), cancel.text[:400]
    actions = [(r.action, r.subject) for r in reversed(audit_rows(app))]
    assert ("appointment.booked", ref) in actions and ("appointment.cancelled", ref) in actions
    page = client.get(f"/repairs/{ref}")
    assert "with help from customer services" in page.text.lower()
    assert advisor.email not in page.text  # the tenant sees that it was helped, not by whom


def test_the_advisor_sees_only_the_tenancy_being_served(app, client, advisor, housing):
    mine = str(store_repair(app, housing, tenancy="TEN-100001"))
    theirs = str(store_repair(app, housing, tenancy="TEN-100002"))
    start_helping(client)
    assert client.get(f"/repairs/{mine}").status_code == 200
    for path in [f"/repairs/{theirs}", f"/repairs/{theirs}/book", f"/repairs/{theirs}/cancel",
                 f"/repairs/{theirs}/change", f"/repairs/{theirs}/survey",
                 f"/staff/serving/repairs/{theirs}"]:  # fmt: skip
        assert client.get(path).status_code == 404, path
    listing = client.get("/repairs").text
    assert mine in listing and theirs not in listing


def test_while_helping_the_tenants_own_account_pages_stay_closed(app, client, advisor):
    make_tenant(app)
    start_helping(client)
    for path in ["/account", "/account/mobile", "/account/text-reminders", "/account/delete",
                 "/reset-password/new-password"]:  # fmt: skip
        response = client.get(path)
        assert response.status_code in (302, 404), path
        assert "Create a password" not in response.text


def test_the_advisor_never_sees_the_password_but_can_start_a_reset(app, client, advisor):
    make_tenant(app)
    start_helping(client)
    page = client.get("/staff/serving")
    assert "Start a password reset" in page.text and "password_hash" not in page.text
    assert "$argon2" not in page.text
    started = submit(client, "/staff/serving/reset-password", {}, form_page="/staff/serving")
    assert started.status_code == 200 and "You will not see the code" in started.text
    assert "password.reset_started" in [r.action for r in audit_rows(app)]


def test_vulnerability_flags_show_only_for_roles_allowed(make_app, housing, clock):
    landlord = deepcopy(make_app().extensions["services"].landlord)
    landlord["assisted"]["vulnerability_flags_visible_to"] = ["supervisor"]
    app = make_app(housing=housing, landlord=landlord,
                   extras={"password_hasher": cheap_hasher_for_tests()})  # fmt: skip
    for role, visible in [("advisor", False), ("supervisor", True)]:
        client = app.test_client()
        sign_in_staff(client, clock, make_staff(app, f"{role}@council.example", role))
        start_helping(client, "TEN-100007")
        assert ("mobility" in client.get("/staff/serving").text) is visible, role


def test_finishing_ends_the_help_and_closes_the_tenancy(app, client, advisor):
    start_helping(client)
    submit(client, "/staff/finish", {}, form_page="/staff/serving")
    assert client.get("/report/").status_code == 302
    assert client.get("/staff/serving").headers["Location"].endswith("/staff/")
    assert [r.action for r in audit_rows(app)] == ["assist.finished", "assist.started"]


def test_an_advisor_cannot_find_another_tenant_while_helping_one(app, client, advisor):
    start_helping(client)
    response = submit(client, "/staff/find", {"tenancy_reference": "TEN-100002"},
                      form_page="/staff/serving")  # fmt: skip
    assert response.headers["Location"].endswith("/staff/serving")
    assert "TEN-100002" not in client.get("/staff/serving").text


def test_a_supervisor_sees_the_audit_log_filtered_by_tenancy(app, client, clock):
    start = make_staff(app, "boss@council.example", "supervisor")
    sign_in_staff(client, clock, start)
    start_helping(client)
    page = client.get("/staff/audit?tenancy=ten-100001")
    assert_good_page(page)
    assert "assist.started" in page.text and "boss@council.example" in page.text
    assert "1 action for TEN-100001" in page.text
    assert "0 actions" in client.get("/staff/audit?tenancy=TEN-100002").text


def test_the_advisor_sees_the_served_tenants_repairs_with_their_text_messages(
    app, client, advisor, housing
):
    ref = str(store_repair(app, housing))
    start_helping(client)
    assert ref in client.get("/staff/serving").text
    submit(client, f"/repairs/{ref}/book/check", {"slot": FIRST_SLOT},
           form_page=f"/repairs/{ref}/book/check?slot={FIRST_SLOT}")  # fmt: skip
    page = client.get(f"/staff/serving/repairs/{ref}")
    assert page.status_code == 200
    assert_good_page(page)
    assert "Text messages" in page.text and "Confirmation" in page.text


def test_the_repair_view_needs_someone_being_served(app, client, advisor, housing):
    ref = str(store_repair(app, housing))
    assert client.get(f"/staff/serving/repairs/{ref}").headers["Location"].endswith("/staff/")
