"""The worker's scheduler: APScheduler's BlockingScheduler with interval jobs only.

Jobs are registered by the packages that own them. Every job claims its rows atomically, so
any number of workers may run; a job that is still running when its next turn comes is
skipped rather than run twice in one process (max_instances=1, coalesce).
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import FrameType

from apscheduler.events import EVENT_SCHEDULER_STARTED, SchedulerEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IntervalJob:
    name: str
    seconds: float
    run: Callable[[], object]


def build_scheduler(jobs: Iterable[IntervalJob]) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        timezone="UTC",
    )
    for job in jobs:
        scheduler.add_job(
            _guarded(job), "interval", seconds=job.seconds, id=job.name, name=job.name
        )
    return scheduler


def run_worker(jobs: list[IntervalJob], on_stop: Callable[[], None] | None = None) -> None:
    """Run until SIGTERM or SIGINT, then let running jobs finish and return."""
    scheduler = build_scheduler(jobs)
    stopping = threading.Event()

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("worker stopping on signal %s", signum)
        stopping.set()
        if scheduler.running:
            scheduler.shutdown(wait=False)

    def _stop_if_asked_before_start(_event: SchedulerEvent) -> None:
        # A signal that came while the first passes ran must still stop the worker.
        if stopping.is_set():
            scheduler.shutdown(wait=False)

    scheduler.add_listener(_stop_if_asked_before_start, EVENT_SCHEDULER_STARTED)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    # Run each job once at start so a fresh worker is useful (and beats) at once.
    for job in jobs:
        _guarded(job)()
    log.info("worker started with jobs: %s", ", ".join(j.name for j in jobs))
    if not stopping.is_set():
        scheduler.start()
    if on_stop is not None:
        on_stop()
    log.info("worker stopped")


def _guarded(job: IntervalJob) -> Callable[[], None]:
    def run() -> None:
        try:
            job.run()
        except Exception:
            # One failing pass must not stop the worker; the next interval tries again.
            log.exception("worker job %s failed", job.name)

    return run
