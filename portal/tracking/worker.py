"""Worker jobs for tracking: pull the backend's change feed, then send the texts it queued."""

from __future__ import annotations

import logging
import os
import socket
import uuid

from flask import Flask

from notifications.scheduler import IntervalJob
from portal.booking.context import LateBound, booking_context
from portal.tracking.notices import NoticeRelay
from repairs.tracking import ChangeFeedSync

log = logging.getLogger(__name__)

SYNC_SECONDS = 15
NOTICE_SECONDS = 30


def tracking_worker_jobs(app: Flask) -> list[IntervalJob]:
    context = booking_context(app)
    services = context.services
    worker = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    sync = ChangeFeedSync(orders=LateBound(services, "housing"), store=context.store,
                          clock=services.clock, holder=worker)  # fmt: skip
    relay = NoticeRelay(
        queue=context.notices, messaging=LateBound(services, "messaging"),
        appointments=LateBound(services, "housing"), clock=services.clock,
        times=context.policy.slot_times, worker=worker,
    )  # fmt: skip

    def pull() -> None:
        report = sync.run_once()
        if report.changes:
            log.info("change feed: %d changes in %d batches", report.changes, report.batches)
        if report.notices:
            relay.run_once()  # text the tenant now rather than at the relay's next turn

    return [
        IntervalJob("repairs-change-feed", SYNC_SECONDS, pull),
        IntervalJob("repairs-notices", NOTICE_SECONDS, relay.run_once),
    ]
