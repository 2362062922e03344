"""Hand queued texts about repairs to the text-message service (R22, R46).

Notices were stored with the change that caused them; here a worker claims them, builds the
message values (never access notes or anything else R27 forbids) and calls
`Messaging.notify` with the notice's dedupe key, so a retry never texts twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from adapters.db.tracking_store import QueuedNotice, SqlNoticeQueue
from notifications.messaging import NumberCannotBeTexted
from notifications.templates import MessageKind, MessageValues, TemplateError
from repairs.booking import first_offered_day
from repairs.clock import Clock
from repairs.local_time import local_date
from repairs.ports import BackendRejected, BackendUnavailable
from repairs.slots import SlotTimes, format_date, format_slot
from repairs.tracking import NoticeKind

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(minutes=30)


class NoticeRelay:
    def __init__(self, *, queue: SqlNoticeQueue, messaging: Any, appointments: Any, clock: Clock,
                 times: SlotTimes, worker: str) -> None:  # fmt: skip
        self._queue = queue
        self._messaging = messaging
        self._appointments = appointments
        self._clock = clock
        self._times = times
        self._worker = worker

    def run_once(self, limit: int = 50) -> int:
        """Send what is due; returns how many were handed over."""
        sent = 0
        for notice in self._queue.claim(self._worker, self._clock.now(), LEASE, limit):
            try:
                sent += self._send(notice)
            except BackendUnavailable as error:
                self._retry(notice, f"housing system unavailable: {error}")
            except Exception as error:  # one bad row must not stop the others
                log.exception("notice %s for %s failed; will retry", notice.id, notice.repair_ref)
                self._retry(notice, f"{type(error).__name__}: {error}")
        return sent

    def _send(self, notice: QueuedNotice) -> int:
        values = self._values(notice)
        if values is None or not notice.mobile:
            self._queue.finish(notice.id, self._worker, self._clock.now(), sent=False)
            return 0
        try:
            self._messaging.notify(
                MessageKind(notice.kind.value), notice.mobile, values, str(notice.repair_ref),
                dedupe_key=notice.key, division=notice.division,
            )  # fmt: skip
        except TemplateError as error:
            # A wording that cannot take these values never will: staff must fix the
            # configuration; retrying would only repeat the error.
            log.error("repair %s: %s text cannot be worded: %s", notice.repair_ref, notice.kind,
                      error)  # fmt: skip
            self._queue.finish(notice.id, self._worker, self._clock.now(), sent=False)
            return 0
        except NumberCannotBeTexted:
            # Opted out or flagged (R29, R33): staff see it on the message log.
            log.warning("repair %s: %s text not sent, the number cannot be texted",
                        notice.repair_ref, notice.kind)  # fmt: skip
            self._queue.finish(notice.id, self._worker, self._clock.now(), sent=False)
            return 0
        self._queue.finish(notice.id, self._worker, self._clock.now())
        return 1

    def _values(self, notice: QueuedNotice) -> MessageValues | None:
        ref = str(notice.repair_ref)
        book = self._messaging.link(f"/repairs/{ref}/book")
        if notice.kind is NoticeKind.COMPLETED:
            return MessageValues(reference=ref, link=self._messaging.link(f"/repairs/{ref}/survey"))
        if notice.kind is NoticeKind.NO_ACCESS:
            today = local_date(self._clock.now())
            # The visit was booked by phone with no slot we know of: name the day instead.
            slot = (
                format_slot(notice.slot, self._times, today=today)
                if notice.slot
                else format_date(today, with_year=False)
            )
            return MessageValues(reference=ref, slot=slot, link=book)
        # R22: "we will text you when you can book": only once the backend answers again,
        # and not if the repair was booked or closed meanwhile.
        if notice.appointment is not None or notice.status.is_final or notice.job_number is None:
            return None
        day = first_offered_day(local_date(self._clock.now()))
        try:
            self._appointments.available_slots(notice.job_number, day, day)
        except BackendRejected:
            return None  # the backend will not offer times for it: staff will see the job
        return MessageValues(reference=ref, link=book)

    def _retry(self, notice: QueuedNotice, error: str) -> None:
        delay = min(FIRST_RETRY * 2 ** max(notice.attempts - 1, 0), MAX_RETRY)
        self._queue.defer(notice.id, self._worker, self._clock.now() + delay, error)
