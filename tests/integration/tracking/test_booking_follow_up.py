"""R22 over a real database: a booking the backend could not take queues a follow-up row, and
the worker texts a booking link once, after the backend answers again. Also the booking hold
and the once-per-repair survey."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from adapters.clock import FakeClock
from adapters.db.tables.tracking import TenantNoticeRow
from adapters.db.tracking_store import SqlNoticeQueue, SqlTrackingStore
from adapters.housing.fake import FakeHousingBackend
from notifications.templates import MessageKind
from portal.tracking.notices import NoticeRelay
from repairs.booking import BookAppointment, BookingService, Outcome
from repairs.calendar import WorkingDayCalendar
from repairs.policy import RepairsPolicy
from repairs.slots import Slot, SlotKind
from tests.integration.tracking.conftest import MOBILE, TENANCY, Reporter

pytestmark = pytest.mark.integration

SLOT = Slot(date(2026, 11, 26), SlotKind.AM)


class RecordingMessaging:
    """The text-message service's notify/link, recording what was asked (deduped by key)."""

    def __init__(self) -> None:
        self.sent: dict[str, tuple[MessageKind, str, Any]] = {}

    def link(self, path: str) -> str:
        return "https://repairs.example" + path

    def notify(self, kind: MessageKind, to: str, values: Any, repair_ref: str | None = None, *,
               dedupe_key: str | None = None, division: Any = None) -> bool:  # fmt: skip
        assert dedupe_key is not None
        fresh = dedupe_key not in self.sent
        self.sent.setdefault(dedupe_key, (kind, to, values))
        return fresh


@pytest.fixture
def service(store: SqlTrackingStore, housing: FakeHousingBackend, clock: FakeClock,
            calendar: WorkingDayCalendar, policy: RepairsPolicy) -> BookingService:  # fmt: skip
    return BookingService(appointments=housing, files=store, texts=None, clock=clock,
                          calendar=calendar, times=policy.slot_times)  # fmt: skip


def relay(notices: SqlNoticeQueue, messaging: RecordingMessaging, housing: Any, clock: FakeClock,
          policy: RepairsPolicy) -> NoticeRelay:  # fmt: skip
    return NoticeRelay(queue=notices, messaging=messaging, appointments=housing, clock=clock,
                       times=policy.slot_times, worker="worker-1")  # fmt: skip


def notice_rows(sessions: Any) -> list[tuple[str, str, int]]:
    with sessions() as session:
        rows = session.scalars(select(TenantNoticeRow).order_by(TenantNoticeRow.id)).all()
        return [(row.kind, row.state, row.attempts) for row in rows]


def test_a_booking_while_the_backend_is_down_is_followed_up_once_it_answers(
    reporter: Reporter, service: BookingService, housing: FakeHousingBackend,
    notices: SqlNoticeQueue, clock: FakeClock, policy: RepairsPolicy, sessions: Any,
) -> None:  # fmt: skip
    ref = reporter.report()
    messaging = RecordingMessaging()
    housing.go_down()
    result = service.book(BookAppointment(ref, TENANCY, SLOT))
    assert result.outcome is Outcome.FOLLOW_UP
    assert notice_rows(sessions) == [("book_repair", "pending", 0)]
    assert relay(notices, messaging, housing, clock, policy).run_once() == 0
    assert notice_rows(sessions) == [("book_repair", "pending", 1)]  # deferred, not lost
    assert messaging.sent == {}
    housing.come_back()
    assert relay(notices, messaging, housing, clock, policy).run_once() == 0  # not due yet
    clock.advance(timedelta(minutes=2))
    assert relay(notices, messaging, housing, clock, policy).run_once() == 1
    [(kind, to, values)] = messaging.sent.values()
    assert (kind, to) == (MessageKind.BOOK_REPAIR, MOBILE)
    assert values.link == f"https://repairs.example/repairs/{ref}/book"
    assert notice_rows(sessions) == [("book_repair", "done", 2)]
    clock.advance(timedelta(hours=1))
    assert relay(notices, messaging, housing, clock, policy).run_once() == 0


def test_no_follow_up_text_once_the_tenant_has_booked_anyway(
    reporter: Reporter, service: BookingService, housing: FakeHousingBackend,
    notices: SqlNoticeQueue, clock: FakeClock, policy: RepairsPolicy, sessions: Any,
) -> None:  # fmt: skip
    ref = reporter.report()
    housing.go_down()
    service.book(BookAppointment(ref, TENANCY, SLOT))
    housing.come_back()
    assert service.book(BookAppointment(ref, TENANCY, SLOT)).outcome is Outcome.DONE
    messaging = RecordingMessaging()
    assert relay(notices, messaging, housing, clock, policy).run_once() == 0
    assert messaging.sent == {} and notice_rows(sessions) == [("book_repair", "dropped", 1)]


def test_two_workers_never_take_the_same_notice(
    reporter: Reporter, store: SqlTrackingStore, notices: SqlNoticeQueue, clock: FakeClock
) -> None:
    for _ in range(3):
        store.queue_follow_up(reporter.report(), clock.now())
    lease = timedelta(minutes=2)
    first = notices.claim("worker-1", clock.now(), lease, 2)
    second = notices.claim("worker-2", clock.now(), lease, 10)
    assert len(first) == 2 and len(second) == 1
    assert not {n.id for n in first} & {n.id for n in second}
    clock.advance(timedelta(minutes=1))
    assert notices.claim("worker-3", clock.now(), lease, 10) == []  # all still held
    clock.advance(timedelta(minutes=2))  # both died: claims past their lease are taken again
    assert len(notices.claim("worker-3", clock.now(), lease, 10)) == 3


def test_the_booking_hold_lets_one_request_through_until_it_runs_out(
    reporter: Reporter, store: SqlTrackingStore, clock: FakeClock
) -> None:
    ref, now = reporter.report(), clock.now()
    assert store.hold(ref, "request-a", now, now + timedelta(seconds=60))
    assert not store.hold(ref, "request-b", now, now + timedelta(seconds=60))
    assert store.hold(ref, "request-b", now + timedelta(seconds=61), now + timedelta(seconds=120))
    store.release(ref, "request-a")  # too late: no longer a's to release
    assert not store.hold(ref, "request-a", now + timedelta(seconds=62), now)
    store.release(ref, "request-b")
    assert store.hold(ref, "request-a", now + timedelta(seconds=62), now + timedelta(seconds=90))


def test_a_repair_has_at_most_one_survey_answer(
    reporter: Reporter, store: SqlTrackingStore, clock: FakeClock
) -> None:
    ref = reporter.report()
    assert store.save_survey(ref, 5, "", assisted=False, at=clock.now())
    assert not store.save_survey(ref, 1, "changed my mind", assisted=False, at=clock.now())
    page = store.page(ref, TENANCY)
    assert page is not None and page.survey_score == 5
