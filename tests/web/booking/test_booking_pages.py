"""Choose, check and confirm, change and cancel, through the real app with CSRF on (R20-R23)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from adapters.db.tables.tracking import TenantNoticeRow
from adapters.housing.fake import FakeHousingBackend
from repairs.priorities import Priority
from repairs.slots import Slot, SlotKind
from tests.support.forms import csrf_token_from, submit
from tests.support.page_checker import assert_good_page
from tests.web.tracking.support import job_of, sign_in, slot_values, store_repair

pytestmark = pytest.mark.web

# The clock is Tuesday 24 November 2026, 10am: slots start on Wednesday 25 November.
FIRST = "2026-11-25-am"


@pytest.fixture
def ref(app: Any, housing: FakeHousingBackend) -> str:
    return str(store_repair(app, housing))


def messages(app: Any, ref: str) -> list[str]:
    entries = app.extensions["services"].messaging.messages_for_repair(ref)
    return sorted(entry.kind.value for entry in entries)


def book(client: Any, ref: str, slot: str = FIRST) -> Any:
    return submit(client, f"/repairs/{ref}/book/check", {"slot": slot},
                  form_page=f"/repairs/{ref}/book/check?slot={slot}")  # fmt: skip


def test_the_slot_page_groups_times_by_day_in_govuk_style_and_pages_by_week(
    client: Any, ref: str
) -> None:
    # R20, R21, R47
    page = client.get(f"/repairs/{ref}/book")
    assert page.status_code == 200
    assert_good_page(page)
    assert "Wednesday 25 November" in page.text and "Morning, 8am to 12pm" in page.text
    assert "Wednesday 25 November to Friday 27 November 2026" in page.text
    assert 'href="?week=1#week"' in page.text  # a plain link: works without JavaScript
    assert slot_values(page.text)[0] == FIRST
    later = client.get(f"/repairs/{ref}/book?week=1")
    assert_good_page(later)
    assert "Monday 30 November to Friday 4 December 2026" in later.text


def test_choosing_nothing_explains_what_to_do(client: Any, ref: str) -> None:
    response = submit(client, f"/repairs/{ref}/book", {})
    assert response.status_code == 200
    assert_good_page(response)
    assert "<title>Error: " in response.text
    assert 'href="#slot">Choose a time for your appointment' in response.text


def test_choose_check_and_confirm_books_the_slot_with_the_backend(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    response = submit(client, f"/repairs/{ref}/book", {"slot": FIRST})
    assert response.headers["Location"].endswith(f"/repairs/{ref}/book/check?slot={FIRST}")
    check = client.get(response.headers["Location"])
    assert_good_page(check)
    assert "Wednesday 25 November, 8am to 12pm" in check.text
    assert "We will text a confirmation to" in check.text
    done = book(client, ref)
    assert done.headers["Location"].endswith(f"/repairs/{ref}/booked")
    confirmation = client.get(done.headers["Location"])
    assert_good_page(confirmation)
    assert "Appointment booked" in confirmation.text
    [job] = housing.jobs()
    assert job.appointment is not None
    assert job.appointment.slot == Slot(date(2026, 11, 25), SlotKind.AM)
    assert "confirmation" in messages(app, ref)  # R24: planned once the backend acknowledged


def test_a_double_submit_books_once_and_shows_the_booking(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    page = client.get(f"/repairs/{ref}/book/check?slot={FIRST}")
    token = csrf_token_from(page.text)
    first = client.post(f"/repairs/{ref}/book/check", data={"slot": FIRST, "csrf_token": token})
    second = client.post(f"/repairs/{ref}/book/check", data={"slot": FIRST, "csrf_token": token})
    assert first.headers["Location"] == second.headers["Location"]
    booked = [c for c in housing.changes_since(0).changes if c.appointment is not None]
    assert len(booked) == 1
    assert messages(app, ref).count("confirmation") == 1


def test_a_slot_taken_meanwhile_sends_the_tenant_back_with_a_clear_message(
    client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    check = client.get(f"/repairs/{ref}/book/check?slot=2026-12-01-pm")
    housing.fill_slot(Slot(date(2026, 12, 1), SlotKind.PM))
    token = csrf_token_from(check.text)
    response = client.post(f"/repairs/{ref}/book/check",
                           data={"slot": "2026-12-01-pm", "csrf_token": token})  # fmt: skip
    assert response.headers["Location"].endswith(f"/repairs/{ref}/book?week=1")
    again = client.get(response.headers["Location"])
    assert_good_page(again)
    assert "That time has just been taken. Choose another time." in again.text
    assert "<title>Error: " in again.text
    assert "2026-12-01-pm" not in slot_values(again.text)


def test_while_the_backend_is_down_the_tenant_is_told_and_a_follow_up_is_queued(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    # R22
    check = client.get(f"/repairs/{ref}/book/check?slot={FIRST}")
    housing.go_down()
    token = csrf_token_from(check.text)
    response = client.post(f"/repairs/{ref}/book/check", data={"slot": FIRST, "csrf_token": token})
    page = client.get(response.headers["Location"])
    assert_good_page(page)
    assert "We could not book your appointment just now" in page.text
    assert "We will text you at" in page.text
    with app.extensions["services"].sessions() as session:
        kinds = session.scalars(select(TenantNoticeRow.kind)).all()
    assert kinds == ["book_repair"]
    assert housing.jobs()[0].appointment is None


def test_the_slot_list_while_the_backend_is_down_is_a_page_not_an_error(
    client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    housing.go_down()
    page = client.get(f"/repairs/{ref}/book")
    assert page.status_code == 503
    assert_good_page(page)
    assert "We cannot show appointment times just now" in page.text


@pytest.mark.parametrize(
    "url",
    [
        "/repairs/{ref}/book?week=abc",
        "/repairs/{ref}/book?week=-1",
        "/repairs/{ref}/book?week=7",  # routine work with plenty of slots offers two weeks
        "/repairs/{ref}/book/check?slot=2026-11-28-am",  # a Saturday
        "/repairs/{ref}/book/check?slot=2026-11-24-pm",  # today
        "/repairs/{ref}/book/check?slot=2026-11-25-noon",
        "/repairs/{ref}/book/check?slot=<script>",
        "/repairs/{ref}/book/check",
    ],
)
def test_tampered_weeks_and_slots_get_a_400_page(client: Any, ref: str, url: str) -> None:
    response = client.get(url.format(ref=ref))
    assert response.status_code == 400
    assert_good_page(response)


def test_a_tampered_slot_posted_never_reaches_the_backend(
    client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    page = client.get(f"/repairs/{ref}/book/check?slot={FIRST}")
    token = csrf_token_from(page.text)
    for slot in ("2026-11-28-am", "2027-09-01-am", "nonsense", ""):
        response = client.post(
            f"/repairs/{ref}/book/check", data={"slot": slot, "csrf_token": token}
        )
        assert response.status_code == 400, slot
    response = client.post(
        f"/repairs/{ref}/book", data={"slot": "2026-11-29-pm", "csrf_token": token}
    )
    assert response.status_code == 400
    assert housing.jobs()[0].appointment is None


def test_urgent_work_is_not_offered_a_slot_after_its_target(
    app: Any, client: Any, housing: FakeHousingBackend
) -> None:
    # R20: reported Tuesday 24 November, the urgent target is Tuesday 1 December
    urgent = store_repair(app, housing, priority=Priority.URGENT)
    page = client.get(f"/repairs/{urgent}/book?week=1")
    assert "we only show times up to Tuesday 1 December 2026" in page.text
    assert max(slot_values(page.text)) == "2026-12-01-pm"
    assert client.get(f"/repairs/{urgent}/book/check?slot=2026-12-02-am").status_code == 400


@pytest.mark.parametrize(
    ("priority", "words"),
    [(Priority.EMERGENCY, "Call us now"), (Priority.DAMP_AND_MOULD, "We will contact you")],
)
def test_emergencies_and_damp_and_mould_are_never_booked_online(
    app: Any, client: Any, housing: FakeHousingBackend, priority: Priority, words: str
) -> None:
    # R9, R14
    repair = store_repair(app, housing, priority=priority)
    page = client.get(f"/repairs/{repair}/book")
    assert page.status_code == 200
    assert_good_page(page)
    assert words in page.text
    assert 'name="slot"' not in page.text


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/repairs/{ref}/book"),
        ("get", "/repairs/{ref}/book/check?slot=2026-11-25-am"),
        ("get", "/repairs/{ref}/change"),
        ("get", "/repairs/{ref}/cancel"),
        ("get", "/repairs/{ref}/booked"),
        ("get", "/repairs/{ref}/not-done?what=follow_up&mode=book"),
        ("post", "/repairs/{ref}/book/check"),
        ("post", "/repairs/{ref}/cancel"),
    ],
)
def test_another_tenancys_repair_is_not_found(
    neighbour: Any, ref: str, method: str, url: str, housing: FakeHousingBackend
) -> None:
    path = url.format(ref=ref)
    if method == "get":
        response = neighbour.get(path)
    else:  # with the neighbour's own valid CSRF token
        response = submit(neighbour, path, {"slot": FIRST}, form_page="/account")
    assert response.status_code == 404
    assert "Kitchen sink will not drain" not in response.text  # never their data
    assert housing.jobs()[0].appointment is None


def test_a_post_without_the_csrf_token_is_refused(client: Any, ref: str) -> None:
    response = client.post(f"/repairs/{ref}/book/check", data={"slot": FIRST})
    assert response.status_code == 400


def test_changing_the_appointment_moves_the_same_job(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    # R23: the same job, and the old slot's reminder is superseded
    book(client, ref)
    page = client.get(f"/repairs/{ref}/change")
    assert_good_page(page)
    assert "Your appointment now: Wednesday 25 November, 8am to 12pm" in page.text
    assert FIRST not in slot_values(page.text)
    response = submit(client, f"/repairs/{ref}/change/check", {"slot": "2026-11-26-pm"},
                      form_page=f"/repairs/{ref}/change/check?slot=2026-11-26-pm")  # fmt: skip
    assert response.headers["Location"].endswith(f"/repairs/{ref}/changed")
    assert_good_page(client.get(response.headers["Location"]))
    [job] = housing.jobs()
    assert job.appointment is not None and job.appointment.slot.day == date(2026, 11, 26)
    assert "rescheduled" in messages(app, ref)


def test_cancelling_keeps_the_repair_open_and_says_so(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    book(client, ref, "2026-11-30-pm")
    page = client.get(f"/repairs/{ref}/cancel")
    assert_good_page(page)
    assert "Cancelling the appointment does not cancel your repair" in page.text
    response = submit(client, f"/repairs/{ref}/cancel", {})
    done = client.get(response.headers["Location"])
    assert_good_page(done)
    assert "Appointment cancelled" in done.text and "Your repair is still open" in done.text
    assert housing.jobs()[0].appointment is None
    assert "cancelled" in messages(app, ref)
    repair_page = client.get(f"/repairs/{ref}")
    assert "Book an appointment" in repair_page.text


def test_after_the_cut_off_the_phone_number_is_shown_instead(
    app: Any, client: Any, ref: str, clock: Any
) -> None:
    # R23: not later than the working day before: a Wednesday slot, seen on Tuesday evening
    book(client, ref, "2026-12-02-am")
    clock.set(datetime(2026, 12, 2, 0, 30, tzinfo=UTC))
    sign_in(client)  # the session timed out meanwhile (R39)
    for url in (f"/repairs/{ref}/change", f"/repairs/{ref}/cancel"):
        page = client.get(url)
        assert_good_page(page)
        assert "You can no longer change this appointment online" in page.text
        assert "0300 123 4567" in page.text
    repair_page = client.get(f"/repairs/{ref}")
    assert "Change the appointment" not in repair_page.text
    assert "It is too late to change this appointment online" in repair_page.text


def test_before_the_cut_off_the_repair_page_offers_change_and_cancel(
    client: Any, ref: str, clock: Any
) -> None:
    book(client, ref, "2026-12-02-am")
    clock.set(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))  # Tuesday, 11:30pm
    sign_in(client)  # the session timed out meanwhile (R39)
    page = client.get(f"/repairs/{ref}")
    assert "Change the appointment" in page.text
    assert "this does not cancel the repair" in page.text


def test_the_check_page_for_a_booked_repair_goes_to_change_instead(client: Any, ref: str) -> None:
    book(client, ref)
    response = client.get(f"/repairs/{ref}/book")
    assert response.headers["Location"].endswith(f"/repairs/{ref}/change")


def test_a_job_not_yet_raised_cannot_be_booked_yet(app: Any, client: Any) -> None:
    waiting = store_repair(app)  # stored, but the backend has no job for it yet
    page = client.get(f"/repairs/{waiting}/book")
    assert_good_page(page)
    assert "You cannot book a time yet" in page.text


def test_the_not_done_page_refuses_made_up_outcomes(client: Any, ref: str) -> None:
    assert client.get(f"/repairs/{ref}/not-done?what=hacked&mode=book").status_code == 400


def test_the_job_number_never_appears_on_booking_pages(app: Any, client: Any, ref: str) -> None:
    job = str(job_of(app, ref))
    for url in (f"/repairs/{ref}/book", f"/repairs/{ref}/book/check?slot={FIRST}"):
        assert job not in client.get(url).text
    assert re.search(r"RR-[A-Z0-9]{6}", client.get(f"/repairs/{ref}/book").text)


def test_a_job_the_backend_will_not_offer_times_for_gets_a_phone_us_page(
    client: Any, ref: str, housing: FakeHousingBackend, app: Any
) -> None:
    housing.cancel_repair(job_of(app, ref), "cancelled by the contact centre")  # not synced yet
    page = client.get(f"/repairs/{ref}/book")
    assert page.status_code == 200
    assert_good_page(page)
    assert "We cannot offer appointment times for this repair" in page.text


def test_a_booking_the_backend_refuses_says_so_and_changes_nothing(
    client: Any, ref: str, housing: FakeHousingBackend, app: Any
) -> None:
    from repairs.statuses import BackendStatus

    check = client.get(f"/repairs/{ref}/book/check?slot={FIRST}")
    housing.set_status(job_of(app, ref), BackendStatus.IN_PROGRESS)  # our copy does not know yet
    token = csrf_token_from(check.text)
    response = client.post(f"/repairs/{ref}/book/check", data={"slot": FIRST, "csrf_token": token})
    page = client.get(response.headers["Location"])
    assert_good_page(page)
    assert "We could not book your appointment" in page.text and "Nothing has changed" in page.text


def test_a_change_while_the_backend_is_down_leaves_the_appointment_as_it_was(
    client: Any, ref: str, housing: FakeHousingBackend
) -> None:
    book(client, ref)
    check = client.get(f"/repairs/{ref}/change/check?slot=2026-11-26-pm")
    housing.go_down()
    token = csrf_token_from(check.text)
    response = client.post(f"/repairs/{ref}/change/check",
                           data={"slot": "2026-11-26-pm", "csrf_token": token})  # fmt: skip
    page = client.get(response.headers["Location"])
    assert_good_page(page)
    assert "We could not change your appointment just now" in page.text
    assert "your appointment is as it was" in page.text


def test_after_no_access_the_tenant_books_a_new_time_online(
    app: Any, client: Any, ref: str, housing: FakeHousingBackend, clock: Any
) -> None:
    # R46: "no access - please rebook" asks the tenant to act, so booking again is online
    from portal.tracking.worker import tracking_worker_jobs
    from repairs.statuses import BackendStatus

    book(client, ref)
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, ref), BackendStatus.NO_ACCESS)
    tracking_worker_jobs(app)[0].run()
    repair_page = client.get(f"/repairs/{ref}")
    assert "No access – please rebook" in repair_page.text and "Book a new time" in repair_page.text
    response = book(client, ref, "2026-11-27-pm")
    assert response.headers["Location"].endswith(f"/repairs/{ref}/booked")
    [job] = housing.jobs()
    assert job.appointment is not None and job.appointment.slot.day == date(2026, 11, 27)


def test_the_worker_runs_the_change_feed_and_its_texts(app: Any) -> None:
    from portal.cli import worker_jobs

    names = {job.name for job in worker_jobs(app)}
    assert {"repairs-change-feed", "repairs-notices"} <= names
