"""Your repairs, a repair's page and the survey: read from our copy only (R44-R47)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from adapters.db.tables.repairs import RepairPhotoRow, RepairRow
from adapters.db.tables.tracking import SurveyResponseRow
from adapters.housing.fake import FakeHousingBackend
from portal.tracking.worker import tracking_worker_jobs
from repairs.slots import Slot, SlotKind
from repairs.statuses import BackendStatus as S
from tests.support.forms import submit
from tests.support.page_checker import assert_good_page
from tests.web.tracking.support import QueryCounter, copy_repairs, job_of, store_repair

pytestmark = pytest.mark.web


class RefusesEveryCall:
    """A housing backend that fails the test if anything asks it anything."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"a tracking page called the housing backend ({name})")


def pull_feed(app: Any) -> None:
    """One turn of the worker's change-feed job (sync, then the texts it queued)."""
    tracking_worker_jobs(app)[0].run()


def messages(app: Any, ref: Any) -> list[str]:
    entries = app.extensions["services"].messaging.messages_for_repair(str(ref))
    return sorted(entry.kind.value for entry in entries)


@pytest.fixture
def ref(app: Any, housing: FakeHousingBackend) -> Any:
    return store_repair(app, housing)


def test_your_repairs_lists_open_and_past_repairs_with_honest_statuses(
    app: Any, client: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    done = store_repair(app, housing, description="Bathroom tap drips")
    housing.book(job_of(app, ref), Slot(date(2026, 11, 26), SlotKind.AM))
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, done), S.COMPLETED)
    pull_feed(app)
    page = client.get("/repairs")
    assert page.status_code == 200
    assert_good_page(page)
    open_part, past_part = page.text.split("Past repairs")
    assert str(ref) in open_part and "Appointment booked" in open_part
    assert "Thursday 26 November, 8am to 12pm" in open_part
    assert "Tuesday 22 December 2026" in open_part  # the target date
    assert str(done) in past_part
    assert "Job closed as completed" in past_part  # R46: not "fixed"


def test_the_repair_page_tells_the_story_with_the_last_update_time(
    app: Any, client: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    ref = store_repair(app, housing, assisted=True)
    job = job_of(app, ref)
    clock.advance(timedelta(minutes=5))
    housing.book(job, Slot(date(2026, 11, 26), SlotKind.AM))
    for status in (S.IN_PROGRESS, S.NO_ACCESS):
        clock.advance(timedelta(minutes=5))
        housing.set_status(job, status)
    pull_feed(app)
    page = client.get(f"/repairs/{ref}")
    assert_good_page(page)
    text = page.text
    for line in ("Repair reported", "Job raised with the repairs team",
                 "Appointment booked for Thursday 26 November, 8am to 12pm",
                 "Operative attended", "No access: we could not get in"):  # fmt: skip
        assert line in text, line
    assert "with help from customer services" in text  # R41, and not who
    assert "No access – please rebook" in text and "Book a new time" in text
    assert "Last updated Tuesday 24 November 2026 at 10:15am" in text


def test_tracking_pages_never_call_the_backend_and_work_while_it_is_down(
    app: Any, client: Any, ref: Any
) -> None:
    app.extensions["services"].housing = RefusesEveryCall()
    for url in ("/repairs", f"/repairs/{ref}", "/account"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_good_page(response)


@pytest.mark.parametrize("url", ["/repairs", "/repairs/{ref}"])
def test_the_number_of_queries_does_not_grow_with_the_number_of_repairs(
    app: Any, client: Any, ref: Any, url: str
) -> None:
    engine = app.extensions["services"].engine
    counts = []
    for total in (1, 100, 1000):
        copy_repairs(app, ref, total - len(counts_so_far(app)))
        client.get(url.format(ref=ref))  # warm: the session's idle timer writes once a minute
        with QueryCounter(engine) as counter:
            response = client.get(url.format(ref=ref))
        assert response.status_code == 200
        counts.append(len(counter.statements))
    assert len(counts_so_far(app)) == 1000
    print(f"\nSQL queries for {url} with 1, 100 and 1,000 repairs: {counts}")
    assert counts[0] == counts[1] == counts[2], counts


def counts_so_far(app: Any) -> list[int]:
    with app.extensions["services"].sessions() as session:
        return list(session.scalars(select(RepairRow.id)).all())


def test_another_tenancys_repair_is_not_found_and_not_listed(neighbour: Any, ref: Any) -> None:
    for url in (f"/repairs/{ref}", f"/repairs/{ref}/survey", f"/repairs/{ref}/survey/thanks",
                "/repairs/not-a-reference"):  # fmt: skip
        response = neighbour.get(url)
        assert response.status_code == 404, url
        assert "Kitchen sink will not drain" not in response.text
    assert str(ref) not in neighbour.get("/repairs").text
    assert "You have no open repairs" in neighbour.get("/repairs").text


def test_the_dashboard_shows_the_open_repairs(client: Any, ref: Any) -> None:
    page = client.get("/account")
    assert_good_page(page)
    assert f'href="/repairs/{ref}"' in page.text and "Received" in page.text


def test_photos_are_linked_to_their_owner_only_view(app: Any, client: Any, ref: Any) -> None:
    with app.extensions["services"].sessions.begin() as session:
        repair_id = session.scalar(select(RepairRow.id).where(RepairRow.reference == str(ref)))
        session.add(RepairPhotoRow(token="t" * 43, repair_id=repair_id, content_type="image/jpeg",
                                   size_bytes=10, width=1, height=1,
                                   uploaded_at=app.extensions["services"].clock.now()))  # fmt: skip
    page = client.get(f"/repairs/{ref}")
    assert_good_page(page)
    assert "Your photos" in page.text and "Photo 1" in page.text


def test_the_tenants_confirmation_by_text_is_shown(app: Any, client: Any, ref: Any) -> None:
    from portal.sms_cli import sms_worker_jobs

    slot = "2026-11-26-am"
    submit(client, f"/repairs/{ref}/book/check", {"slot": slot},
           form_page=f"/repairs/{ref}/book/check?slot={slot}")  # fmt: skip
    assert "You confirmed by text" not in client.get(f"/repairs/{ref}").text
    [send] = [job for job in sms_worker_jobs(app) if job.name == "sms-dispatch"]
    send.run()  # the confirmation text goes out
    messaging = app.extensions["services"].messaging
    reply = messaging.handle_inbound("SM-reply-1", "+447700900123", "+447700900000", "CONFIRM")
    assert reply.action == "confirmed"
    page = client.get(f"/repairs/{ref}")
    assert_good_page(page)
    assert "You confirmed by text on Tuesday 24 November 2026 at 10am" in page.text


# ---------------------------------------------------------------- the survey


def complete(app: Any, housing: FakeHousingBackend, ref: Any, clock: Any) -> None:
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, ref), S.COMPLETED)
    pull_feed(app)


def test_completion_texts_a_survey_link_once(
    app: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    complete(app, housing, ref, clock)
    pull_feed(app)
    assert messages(app, ref) == ["completed"]


def test_no_access_texts_a_rebook_link(
    app: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    housing.book(job_of(app, ref), Slot(date(2026, 11, 26), SlotKind.AM))
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, ref), S.NO_ACCESS)
    pull_feed(app)
    assert messages(app, ref) == ["no_access"]


def test_the_survey_opens_only_after_completion(client: Any, ref: Any) -> None:
    page = client.get(f"/repairs/{ref}/survey")
    assert_good_page(page)
    assert "once the repair is finished" in page.text
    response = submit(client, f"/repairs/{ref}/survey", {"score": "5"}, form_page="/account")
    assert response.status_code == 400


def test_the_survey_takes_a_score_and_an_optional_comment_once(
    app: Any, client: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    # R45
    complete(app, housing, ref, clock)
    form = client.get(f"/repairs/{ref}/survey")
    assert_good_page(form)
    assert "How satisfied are you with this repair?" in form.text
    empty = submit(client, f"/repairs/{ref}/survey", {})
    assert "<title>Error: " in empty.text and "Select how satisfied you are" in empty.text
    assert_good_page(empty)
    long = submit(client, f"/repairs/{ref}/survey", {"score": "4", "comment": "x" * 501})
    assert "500 characters or fewer" in long.text
    done = submit(client, f"/repairs/{ref}/survey", {"score": "4", "comment": " Tidy work "})
    assert done.headers["Location"].endswith(f"/repairs/{ref}/survey/thanks")
    assert_good_page(client.get(done.headers["Location"]))
    again = client.get(f"/repairs/{ref}/survey")
    assert "You have already told us about this repair" in again.text
    with app.extensions["services"].sessions() as session:
        [answer] = session.scalars(select(SurveyResponseRow)).all()
    assert (answer.score, answer.comment, answer.channel) == (4, "Tidy work", "online")
    assert "Thank you for telling us how we did" in client.get(f"/repairs/{ref}").text


@pytest.mark.parametrize("score", ["0", "6", "five", "4.5"])
def test_a_tampered_score_gets_a_400_page(
    app: Any, client: Any, ref: Any, housing: FakeHousingBackend, clock: Any, score: str
) -> None:
    complete(app, housing, ref, clock)
    response = submit(client, f"/repairs/{ref}/survey", {"score": score})
    assert response.status_code == 400
    assert_good_page(response)


def test_a_job_the_backend_refused_says_we_will_phone(app: Any, client: Any) -> None:
    from adapters.db.tables.repairs import OutboxRow

    ref = store_repair(app)  # never raised
    page = client.get(f"/repairs/{ref}")
    assert "We are passing your repair to the repairs team" in page.text
    with app.extensions["services"].sessions.begin() as session:
        session.execute(OutboxRow.__table__.update().values(state="failed"))
    page = client.get(f"/repairs/{ref}")
    assert_good_page(page)
    assert "We need to check some details before we can book this repair" in page.text


def test_many_repairs_are_paged_twenty_at_a_time_open_ones_first(
    app: Any, client: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    done = store_repair(app, housing, description="Bathroom tap drips")
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, done), S.COMPLETED)
    pull_feed(app)
    copy_repairs(app, ref, 43)  # 44 open and 1 closed: three pages
    first = client.get("/repairs")
    assert_good_page(first)
    assert first.text.count('href="/repairs/RR-') == 20
    assert 'href="?page=2"' in first.text and "You have 45 repairs" in first.text
    last = client.get("/repairs?page=3")
    assert_good_page(last)
    assert "Past repairs" in last.text and str(done) in last.text  # closed ones come last
    assert last.text.count('href="/repairs/RR-') == 5
    assert client.get("/repairs?page=4").status_code == 404
    for bad in ("0", "abc", "-1", "99999999"):
        assert client.get(f"/repairs?page={bad}").status_code == 400
    dashboard = client.get("/account")
    assert dashboard.text.count('href="/repairs/RR-') == 5
    assert "All your repairs (44 open)" in dashboard.text


def test_no_access_to_a_visit_booked_elsewhere_names_the_day(
    app: Any, ref: Any, housing: FakeHousingBackend, clock: Any
) -> None:
    clock.advance(timedelta(minutes=1))
    housing.set_status(job_of(app, ref), S.NO_ACCESS)  # no appointment the feed knows of
    pull_feed(app)
    [text] = app.extensions["services"].messaging.messages_for_repair(str(ref))
    assert text.kind.value == "no_access"
    assert text.body is not None and "Tuesday 24 November" in text.body
    assert f"/repairs/{ref}/book" in text.body
