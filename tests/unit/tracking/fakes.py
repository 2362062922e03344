"""An in-memory FeedStore: a lease, a cursor and repairs by job number, committed per batch."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from repairs.refs import JobNumber
from repairs.repair import Repair
from repairs.tracking import ApplyBatch, FeedBatch, Notice


@dataclass
class FakeFeedStore:
    cursor: int = 0
    lease: tuple[str, datetime] | None = None
    repairs: dict[JobNumber, Repair] = field(default_factory=dict)
    notices: dict[str, Notice] = field(default_factory=dict)
    events: list[Any] = field(default_factory=list)
    synced_at: datetime | None = None
    steal_lease_after: int | None = None  # another worker takes over after this many batches
    batches: int = 0

    def add(self, repair: Repair) -> Repair:
        assert repair.job_number is not None
        repair.pull_events()
        self.repairs[repair.job_number] = repair
        return repair

    def claim_feed(self, holder: str, now: datetime, until: datetime) -> int | None:
        if self.lease is not None and self.lease[0] != holder and self.lease[1] > now:
            return None
        self.lease = (holder, until)
        return self.cursor

    def apply_batch(self, holder: str, batch: FeedBatch, apply: ApplyBatch) -> bool:
        if self.steal_lease_after is not None and self.batches >= self.steal_lease_after:
            self.lease = ("another worker", datetime.max.replace(tzinfo=batch.at.tzinfo))
        if self.lease is None or self.lease[0] != holder or self.cursor != batch.cursor:
            return False
        # A transaction: work on copies, keep them only if `apply` returns.
        working = {
            job: copy.deepcopy(self.repairs[job]) for job in batch.jobs if job in self.repairs
        }
        notices = apply(working)
        for job, repair in working.items():
            self.events.extend(repair.pull_events())
            self.repairs[job] = repair
        for notice in notices:
            self.notices.setdefault(notice.key, notice)
        self.cursor, self.synced_at = batch.next_cursor, batch.at
        self.batches += 1
        return True

    def release_feed(self, holder: str) -> None:
        if self.lease is not None and self.lease[0] == holder:
            self.lease = None
