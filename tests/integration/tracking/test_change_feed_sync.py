"""The change-feed sync against a real database: the cursor moves with the changes it covers,
a crash mid-batch leaves nothing behind, a replay changes nothing, and one worker pulls at a
time (R44, R46)."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from adapters.clock import FakeClock
from adapters.db.tables.repairs import RepairEventRow, RepairRow
from adapters.db.tables.tracking import FeedCursorRow, TenantNoticeRow
from adapters.db.tracking_store import SqlTrackingStore
from adapters.housing.fake import FakeHousingBackend
from repairs import tracking
from repairs.refs import RepairRef
from repairs.statuses import BackendStatus as S
from repairs.tracking import ChangeFeedSync
from tests.integration.tracking.conftest import Reporter

pytestmark = pytest.mark.integration


def sync(housing: Any, store: SqlTrackingStore, clock: FakeClock, holder: str = "worker-1",
         batch_size: int = 100) -> ChangeFeedSync:  # fmt: skip
    return ChangeFeedSync(orders=housing, store=store, clock=clock, holder=holder,
                          batch_size=batch_size)  # fmt: skip


def snapshot(sessions: Any) -> dict[str, Any]:
    with sessions() as session:
        return {
            "statuses": dict(session.execute(
                select(RepairRow.reference, RepairRow.backend_status)).all()),
            "events": session.scalar(select(func.count()).select_from(RepairEventRow)),
            "notices": sorted(session.scalars(select(TenantNoticeRow.dedupe_key)).all()),
            "cursor": session.scalar(select(FeedCursorRow.position)),
        }  # fmt: skip


def completed_events(sessions: Any, ref: RepairRef) -> int:
    with sessions() as session:
        return int(session.scalar(
            select(func.count()).select_from(RepairEventRow).join(RepairRow)
            .where(RepairRow.reference == str(ref), RepairEventRow.kind == "completed")
        ) or 0)  # fmt: skip


def test_a_crash_mid_batch_leaves_nothing_and_the_next_pass_applies_each_change_once(
    reporter: Reporter, housing: FakeHousingBackend, store: SqlTrackingStore, clock: FakeClock,
    sessions: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    refs = [reporter.report() for _ in range(3)]
    for ref in refs:
        clock.advance(timedelta(minutes=1))
        housing.set_status(reporter.job(ref), S.COMPLETED)
    before = snapshot(sessions)
    real, applied = tracking.apply_change, []

    def crash_after_two(repair: Any, change: Any, **kw: Any) -> None:
        if len(applied) == 2 * 2:  # two repairs' changes applied, then the worker dies
            raise RuntimeError("worker killed mid-batch")
        applied.append(change.sequence)
        real(repair, change, **kw)

    monkeypatch.setattr(tracking, "apply_change", crash_after_two)
    with pytest.raises(RuntimeError):
        sync(housing, store, clock).run_once()
    assert snapshot(sessions) == {**before, "cursor": 0}  # the cursor row exists now
    monkeypatch.setattr(tracking, "apply_change", real)
    report = sync(housing, store, clock).run_once()
    assert report.changes == 6
    after = snapshot(sessions)
    assert set(after["statuses"].values()) == {"completed"}
    assert after["cursor"] == 6 and len(after["notices"]) == 3
    assert [completed_events(sessions, ref) for ref in refs] == [1, 1, 1]


def test_replaying_the_feed_from_the_start_changes_nothing(
    reporter: Reporter, housing: FakeHousingBackend, store: SqlTrackingStore, clock: FakeClock,
    sessions: Any,
) -> None:  # fmt: skip
    ref = reporter.report()
    for status in (S.ISSUED, S.IN_PROGRESS, S.NO_ACCESS):
        clock.advance(timedelta(minutes=1))
        housing.set_status(reporter.job(ref), status)
    sync(housing, store, clock, batch_size=2).run_once()
    first = snapshot(sessions)
    with sessions.begin() as session:
        session.execute(FeedCursorRow.__table__.update().values(position=0))
    sync(housing, store, clock).run_once()
    assert snapshot(sessions) == first


def test_a_worker_whose_cursor_moved_on_stores_nothing(
    reporter: Reporter, housing: FakeHousingBackend, store: SqlTrackingStore, clock: FakeClock,
    sessions: Any,
) -> None:  # fmt: skip
    reporter.report()
    assert store.claim_feed("worker-1", clock.now(), clock.now() + timedelta(minutes=2)) == 0
    with sessions.begin() as session:  # another worker got there first
        session.execute(FeedCursorRow.__table__.update().values(position=1))
    batch = tracking.FeedBatch(0, 1, (), clock.now())
    assert not store.apply_batch("worker-1", batch, lambda repairs: [])


def test_only_one_worker_pulls_at_a_time(
    reporter: Reporter, housing: FakeHousingBackend, store: SqlTrackingStore, clock: FakeClock,
) -> None:  # fmt: skip
    reporter.report()
    assert store.claim_feed("worker-2", clock.now(), clock.now() + timedelta(minutes=2)) == 0
    assert sync(housing, store, clock).run_once().skipped
    clock.advance(timedelta(minutes=3))  # worker-2 died holding the lease
    assert sync(housing, store, clock).run_once().changes == 1


def test_two_workers_at_once_apply_every_change_exactly_once(
    reporter: Reporter, housing: FakeHousingBackend, store: SqlTrackingStore, clock: FakeClock,
    sessions: Any,
) -> None:  # fmt: skip
    refs = [reporter.report() for _ in range(10)]
    for ref in refs:
        housing.set_status(reporter.job(ref), S.IN_PROGRESS)
        housing.set_status(reporter.job(ref), S.COMPLETED)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            for _ in range(5):
                sync(housing, store, clock, holder=name, batch_size=3).run_once()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"worker-{n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    state = snapshot(sessions)
    assert state["cursor"] == 30 and set(state["statuses"].values()) == {"completed"}
    assert [completed_events(sessions, ref) for ref in refs] == [1] * 10
    assert len(state["notices"]) == 10
